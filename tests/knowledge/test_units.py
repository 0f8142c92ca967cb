"""Answer units: sentences, list items and table rows, split at ingestion and stored with
their vectors, reused while a chunk is unchanged."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np

from knowledge.base import KnowledgeBase
from knowledge.embeddings import MiniLMEmbedder
from knowledge.unit_vectors import UnitVectors
from knowledge.units import split_sentences, split_units

PERMITS = """You can buy a resident parking permit if you live in a zone. Permits last 12 months.
The charge depends on how many permits your home has:
- first permit: £60 a year
- second permit: £95 a year
Read the [terms](https://council.example/terms) first."""

BANDS = """The yearly charges are:

| Band | Yearly charge |
|---|---|
| A | £1,456.37 |
| C | £1,941.83 |"""


def test_sentences_items_and_lead_ins() -> None:
    units = split_units(PERMITS)
    assert [u.kind for u in units] == [
        "sentence",
        "sentence",
        "sentence",
        "item",
        "item",
        "sentence",
    ]
    lead = units[2]
    assert lead.introduces_list and units[3].lead_in == lead.order == units[4].lead_in
    assert units[5].text == "Read the terms (https://council.example/terms) first."


def test_table_rows_point_at_their_header() -> None:
    units = split_units(BANDS)
    header, row_a, row_c = units[1:]
    assert header.kind == "header" and header.lead_in == 0
    assert (row_a.kind, row_a.lead_in, row_c.text) == ("row", header.order, "C | £1,941.83")


def test_sentences_are_not_split_after_abbreviations() -> None:
    assert split_sentences("Bring ID, e.g. A passport. Then wait.") == [
        "Bring ID, e.g. A passport.",
        "Then wait.",
    ]


def test_unit_vectors_round_trip(tmp_path: Path) -> None:
    rows = {"a": np.ones((2, 4)), "b": np.zeros((0, 4)), "c": np.full((1, 4), 0.5)}
    UnitVectors(rows).save(tmp_path / "u.npz")
    loaded = UnitVectors.load(tmp_path / "u.npz")
    assert len(loaded) == 3 and loaded.get("b").shape == (0, 4)
    assert np.allclose(loaded.get("c"), 0.5) and loaded.get("missing") is None


def test_ingest_stores_unit_vectors_and_reuses_them(
    tmp_path: Path, embedder: MiniLMEmbedder
) -> None:
    site = tmp_path / "site"
    site.mkdir()
    (site / "permits.md").write_text("# Permits\n\n" + PERMITS, encoding="utf-8")
    (site / "bands.md").write_text("# Bands\n\n" + BANDS, encoding="utf-8")
    kb = KnowledgeBase(tmp_path / "kb", embedder)  # no cache: every vector is the model's
    kb.ingest([site])
    hit = kb.retrieve("how much is a second permit", k=1)[0]
    units = split_units(hit.chunk.text)
    assert hit.unit_vectors is not None and hit.unit_vectors.shape == (len(units), 384)
    expected = embedder.embed([units[4].text])[0]
    assert float(hit.unit_vectors[4] @ expected) > 0.99  # float16 on disk

    # an unchanged page keeps its vectors; a changed one gets new ones; the old file goes
    (site / "bands.md").write_text("# Bands\n\nBands are set by the agency.", encoding="utf-8")
    kept = hit.chunk.chunk_id
    calls: list[list[str]] = []
    original = embedder.embed
    embedder.embed = lambda texts: calls.append(list(texts)) or original(texts)  # type: ignore[method-assign]
    try:
        kb.ingest([site])
    finally:
        embedder.embed = original  # type: ignore[method-assign]
    embedded = [t for batch in calls for t in batch]
    assert "Bands are set by the agency." in embedded
    assert not any("permit" in t for t in embedded)
    manifest = json.loads((tmp_path / "kb" / "manifest.json").read_text())
    assert [p.name for p in (tmp_path / "kb").glob("units-*.npz")] == [manifest["units"]]
    again = kb.retrieve("how much is a second permit", k=1)[0]
    assert again.chunk.chunk_id == kept and np.allclose(again.unit_vectors, hit.unit_vectors)


def test_a_knowledge_base_without_unit_vectors_gets_them_on_the_next_ingest(
    tmp_path: Path, embedder: MiniLMEmbedder
) -> None:
    site = tmp_path / "site"
    site.mkdir()
    (site / "permits.md").write_text("# Permits\n\n" + PERMITS, encoding="utf-8")
    kb = KnowledgeBase(tmp_path / "kb", embedder)
    kb.ingest([site])
    path = tmp_path / "kb" / "manifest.json"
    manifest = json.loads(path.read_text())
    del manifest["units"]  # as written before unit vectors existed
    path.write_text(json.dumps(manifest))
    old = KnowledgeBase(tmp_path / "kb", embedder)
    assert old.retrieve("second permit", k=1)[0].unit_vectors is None
    old.ingest([site])
    assert old.retrieve("second permit", k=1)[0].unit_vectors is not None
