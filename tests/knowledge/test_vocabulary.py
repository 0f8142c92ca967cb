"""Residents' words for council things are searched with the council's wording."""

from __future__ import annotations

import pytest

from knowledge.base import KnowledgeBase
from knowledge.vocabulary import expand_query


@pytest.mark.parametrize(
    ("message", "added"),
    [
        ("can I take a broken fridge to the tip", "household waste recycling centre"),
        ("Does the DUMP take old paint?", "household waste recycling centre"),
        ("the bin men skipped our street", "waste collection crew"),
        ("got a PCN on the high street", "penalty charge notice"),
        ("do I pay less if I live on my own", "single person discount"),
    ],
)
def test_a_residents_word_adds_the_councils_wording(message: str, added: str) -> None:
    expanded = expand_query(message)
    assert expanded.startswith(message) and expanded.endswith(f"({added})")


@pytest.mark.parametrize(
    "message",
    [
        "someone has fly tipped a mattress in the alley",
        "fly-tipping behind the shops again",
        "the tipping point for the bridge",
        "how do I apply for the household waste recycling centre van permit",  # already says it
    ],
)
def test_other_senses_and_council_wording_are_left_alone(message: str) -> None:
    assert expand_query(message) == message


def test_the_tip_finds_the_recycling_centre_not_fly_tipping(demo_kb: KnowledgeBase) -> None:
    """The fly-tipping page says "tip" many times; the recycling centre page once."""
    hits = demo_kb.retrieve("what time does the tip close on saturday", k=5)
    assert hits[0].chunk.page_id == "bins-and-recycling/household-recycling-centres.md"
