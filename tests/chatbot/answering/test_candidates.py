"""Candidate units carry their section, page rank, fact kinds and stored similarity."""

from __future__ import annotations

import numpy as np

from chatbot.answering.candidates import candidate_units
from knowledge.units import split_units
from tests.chatbot.answering.helpers import FINES, PERMITS, section


def test_units_of_the_retrieved_sections_in_order() -> None:
    found = [section(PERMITS), section(FINES, page="fines.md"), section("More.", section="X")]
    cands = candidate_units(found)
    assert [c.page_rank for c in cands] == [0] * 8 + [1] * 3 + [0]
    assert cands[3].unit.kind == "item" and "amount" in cands[3].facts
    assert all(c.similarity is None for c in cands)  # no stored vectors: none is made up


def test_similarity_comes_from_the_stored_unit_vectors() -> None:
    rc = section(PERMITS)
    n = len(split_units(PERMITS))
    rc.unit_vectors = np.eye(n, 4, dtype=np.float32)
    cands = candidate_units([rc], np.array([0.0, 1.0, 0.0, 0.0], dtype=np.float32))
    assert [c.similarity for c in cands[:3]] == [0.0, 1.0, 0.0]


def test_vectors_of_another_shape_are_ignored() -> None:
    rc = section(PERMITS)
    rc.unit_vectors = np.ones((2, 4), dtype=np.float32)  # stale: the text has more units
    assert candidate_units([rc], np.ones(4))[0].similarity is None
