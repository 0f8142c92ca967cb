"""The real all-MiniLM-L6-v2 embedder: vectors, integrity check, Chroma and LangChain use."""

from __future__ import annotations

import shutil
import warnings
from pathlib import Path

import numpy as np
import pytest

from knowledge.embeddings import DIMENSION, MiniLMEmbedder, ModelFilesError
from knowledge.minilm_model import bundled_model_dir

BADGE_QUESTION = "How do I apply for a Blue Badge?"
BADGE_PAGE = "Blue Badge parking permit application"
BINS = "When is my bin collected?"


def test_vectors_are_unit_length_float32(embedder: MiniLMEmbedder) -> None:
    vectors = embedder.embed([BADGE_QUESTION, BINS, ""])
    assert embedder.dimension == DIMENSION == 384
    assert vectors.shape == (3, 384)
    assert vectors.dtype == np.float32
    np.testing.assert_allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-5)


def test_similar_council_questions_score_higher_than_unrelated(embedder: MiniLMEmbedder) -> None:
    question, page, bins = embedder.embed([BADGE_QUESTION, BADGE_PAGE, BINS])
    assert question @ page > question @ bins + 0.3
    assert page @ bins < 0.3


def test_matches_sentence_transformers_published_similarities(embedder: MiniLMEmbedder) -> None:
    # The sentence-transformers documentation's example scores for all-MiniLM-L6-v2.
    a, b, c, d = embedder.embed(
        [
            "That is a happy person",
            "That is a happy dog",
            "That is a very happy person",
            "Today is a sunny day",
        ]
    )
    np.testing.assert_allclose([a @ b, a @ c, a @ d], [0.6946, 0.9429, 0.2569], atol=2e-4)


def test_batch_order_and_padding_do_not_change_vectors(embedder: MiniLMEmbedder) -> None:
    texts = [
        BINS,
        "Council tax " * 40,  # long: sorted into a batch of its own width
        BADGE_QUESTION,
        "hi",
        BADGE_PAGE,
    ]
    together = embedder.embed(texts)
    reversed_order = embedder.embed(texts[::-1])[::-1]
    one_by_one = np.vstack([embedder.embed([t]) for t in texts])
    np.testing.assert_allclose(together, reversed_order, atol=1e-5)
    np.testing.assert_allclose(together, one_by_one, atol=1e-5)


def test_many_texts_cross_batches_in_input_order(embedder: MiniLMEmbedder) -> None:
    texts = [f"Question {i} about {'recycling ' * (i % 7)}collections" for i in range(70)]
    batched = embedder.embed(texts)
    for i in (0, 33, 69):
        np.testing.assert_allclose(batched[i], embedder.embed([texts[i]])[0], atol=1e-5)


def test_empty_input_gives_empty_matrix(embedder: MiniLMEmbedder) -> None:
    empty = embedder.embed([])
    assert empty.shape == (0, 384)
    assert empty.dtype == np.float32
    assert embedder.embed_documents([]) == []


def test_rejects_a_bare_string_and_non_text(embedder: MiniLMEmbedder) -> None:
    with pytest.raises(TypeError):
        embedder.embed("not a list")
    with pytest.raises(TypeError):
        embedder.embed([b"bytes"])  # type: ignore[list-item]


def test_long_text_is_truncated_to_max_seq_length(embedder: MiniLMEmbedder) -> None:
    long_text = "The household waste recycling centre opens at nine. " * 80
    assert embedder.token_count(long_text) == 256
    assert embedder.embed([long_text]).shape == (1, 384)


def _copy_model(tmp_path: Path) -> Path:
    target = tmp_path / "model"
    shutil.copytree(bundled_model_dir(), target)
    return target


def test_corrupted_weights_are_refused(tmp_path: Path) -> None:
    model_dir = _copy_model(tmp_path)
    weights = model_dir / "model.safetensors"
    data = bytearray(weights.read_bytes())
    data[-1] ^= 0xFF
    weights.write_bytes(bytes(data))
    with pytest.raises(ModelFilesError, match="sha256"):
        MiniLMEmbedder(cache_dir=tmp_path / "cache", backend="numpy", model_dir=model_dir)


def test_missing_weights_give_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(ModelFilesError, match="Cannot read"):
        MiniLMEmbedder(backend="numpy", model_dir=tmp_path)


def test_unknown_backend_is_refused() -> None:
    with pytest.raises(ValueError, match="backend"):
        MiniLMEmbedder(backend="torch")


def test_works_as_chroma_embedding_function(embedder: MiniLMEmbedder, tmp_path: Path) -> None:
    import chromadb

    client = chromadb.PersistentClient(path=str(tmp_path / "chroma"))
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # no legacy-function or download warnings
        pages = client.get_or_create_collection("council-pages", embedding_function=embedder)
        pages.add(
            ids=["badge", "bins", "tax"],
            documents=[
                "Apply for a Blue Badge disabled parking permit online.",
                "Bins are collected every other week on your collection day.",
                "Pay your council tax by direct debit.",
            ],
        )
        found = pages.query(query_texts=[BADGE_QUESTION, BINS], n_results=1)
    assert found["ids"] == [["badge"], ["bins"]]
    assert found["distances"][0][0] < 0.6  # cosine space by default
    # Reopening the persisted collection with the function keeps working.
    again = chromadb.PersistentClient(path=str(tmp_path / "chroma")).get_or_create_collection(
        "council-pages", embedding_function=embedder
    )
    assert again.query(query_texts=["council tax payment"], n_results=1)["ids"] == [["tax"]]


def test_chroma_protocol_methods(embedder: MiniLMEmbedder) -> None:
    assert MiniLMEmbedder.name() == "townhall-all-MiniLM-L6-v2"
    assert embedder.is_legacy() is False
    config = embedder.get_config()
    assert config["weights_sha256"] == embedder.weights_sha256
    vectors = embedder([BADGE_QUESTION, BINS])
    assert len(vectors) == 2 and len(vectors[0]) == 384
    assert len(embedder.embed_query(input=[BINS])) == 1
    with pytest.raises(ValueError):
        MiniLMEmbedder.build_from_config({"weights_sha256": "0" * 64})


def test_works_as_langchain_embeddings(embedder: MiniLMEmbedder) -> None:
    from langchain_core.embeddings import Embeddings

    assert isinstance(embedder, Embeddings)
    query = embedder.embed_query(BADGE_QUESTION)
    documents = embedder.embed_documents([BADGE_PAGE, BINS])
    assert isinstance(query, list) and len(query) == 384 and isinstance(query[0], float)
    assert len(documents) == 2 and all(len(d) == 384 for d in documents)
    assert np.dot(query, documents[0]) > np.dot(query, documents[1])


# --- The ONNX backend against the numpy reference ------------------------------------------

VARIED_TEXTS = [
    BADGE_QUESTION,
    "",
    "hi",
    "Report a missed bin: tell us the address and which bin (black, blue or green) was missed.",
    "Fly-tipping on Mill Lane again!!! 3rd time this month — who do I call??",
    "Council tax single person discount: 25% off if you live alone. " * 30,  # > 256 tokens
]


@pytest.fixture(scope="module")
def numpy_embedder() -> MiniLMEmbedder:
    return MiniLMEmbedder(backend="numpy")


def test_default_backend_is_onnx(embedder: MiniLMEmbedder) -> None:
    assert embedder.backend == "onnx"


def test_onnx_matches_numpy(embedder: MiniLMEmbedder, numpy_embedder: MiniLMEmbedder) -> None:
    assert embedder.token_count(VARIED_TEXTS[-1]) == 256
    fast = embedder.embed(VARIED_TEXTS)
    reference = numpy_embedder.embed(VARIED_TEXTS)
    np.testing.assert_allclose(fast, reference, atol=1e-4)
    assert np.all((fast * reference).sum(axis=1) > 0.9999)


def test_onnx_graph_is_built_once_and_reused(tmp_path: Path) -> None:
    first = MiniLMEmbedder(cache_dir=tmp_path, backend="onnx")
    (graph,) = tmp_path.glob("minilm-l6-v2-*.onnx")
    assert graph.name == f"minilm-l6-v2-{first.weights_sha256[:12]}.onnx"
    assert not list(tmp_path.glob("*.tmp"))  # written atomically, nothing left behind
    built_at = graph.stat().st_mtime_ns
    second = MiniLMEmbedder(cache_dir=tmp_path, backend="onnx")
    assert graph.stat().st_mtime_ns == built_at
    assert second._runner.built is False  # type: ignore[union-attr]
    np.testing.assert_allclose(first.embed([BINS]), second.embed([BINS]), atol=1e-6)


def test_a_damaged_cached_graph_is_rebuilt(tmp_path: Path) -> None:
    MiniLMEmbedder(cache_dir=tmp_path, backend="onnx")
    (graph,) = tmp_path.glob("*.onnx")
    graph.write_bytes(b"not an onnx file")
    rebuilt = MiniLMEmbedder(cache_dir=tmp_path, backend="onnx")
    assert rebuilt._runner.built is True  # type: ignore[union-attr]
    assert graph.stat().st_size > 1_000_000
    assert rebuilt.embed([BINS]).shape == (1, 384)


def test_unwritable_cache_still_runs_onnx_in_memory(tmp_path: Path) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    embedder = MiniLMEmbedder(cache_dir=blocker / "models", backend="auto")
    assert embedder.backend == "onnx"
    assert embedder.embed([BINS]).shape == (1, 384)


def test_auto_falls_back_to_numpy_with_a_warning(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    import knowledge.minilm_onnx

    def broken_graph(*args: object, **kwargs: object) -> None:
        raise RuntimeError("simulated onnxruntime failure")

    monkeypatch.setattr(knowledge.minilm_onnx, "build_graph", broken_graph)
    with caplog.at_level("WARNING", logger="knowledge.embeddings"):
        embedder = MiniLMEmbedder(cache_dir=tmp_path, backend="auto")
    assert embedder.backend == "numpy"
    assert "numpy backend" in caplog.text
    assert embedder.embed([BINS]).shape == (1, 384)
    with pytest.raises(RuntimeError, match="simulated"):
        MiniLMEmbedder(cache_dir=tmp_path, backend="onnx")
