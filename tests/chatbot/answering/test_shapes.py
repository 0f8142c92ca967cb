"""The one shape of value some questions can only be answered by (our own examples)."""

from __future__ import annotations

import pytest

from chatbot.answering.fact_types import asked_shapes, unit_shapes


@pytest.mark.parametrize(
    ("question", "shape"),
    [
        ("which day is the recycling picked up on our street", "weekday"),
        ("what days is the tip open", "weekday"),
        ("what time does the swimming pool close on sundays", "clock"),
        ("opening hours for the museum?", "clock"),
        ("whats the phone number for environmental health", "phone"),
        ("what number do i ring to book a bulky collection", "phone"),
        ("how much does a replacement wheelie bin cost", "money"),
        ("what's the fee for a dropped kerb", "money"),
        # a sum by what it is, not by "cost": the band D answer quoted "gone up by 4.99%"
        ("how much is the tax on a band c house", "money"),
        ("how much will my rent be in the new flat", "money"),
        ("how much is a birth certificate", "money"),
    ],
)
def test_questions_that_want_one_shape(question: str, shape: str) -> None:
    assert shape in asked_shapes(question)


@pytest.mark.parametrize(
    "question",
    [
        "how often is the garden waste collected",
        "how do i apply for a dropped kerb",
        "can i get help paying my rent",
        "who can i talk to about a noisy neighbour",
        # a discount or a change is a share as often as a sum
        "how much is the tax discount for a student",
        "how much will the rent go up in april",
    ],
)
def test_questions_that_want_no_one_shape(question: str) -> None:
    assert not asked_shapes(question)


@pytest.mark.parametrize(
    ("text", "shape"),
    [
        ("Collections are on Thursdays in the north of the borough.", "weekday"),
        ("The centre is open from 8.30am to 6pm.", "clock"),
        ("Call us on 01632 960123.", "phone"),
        ("A replacement bin costs £28.", "money"),
        ("Collecting a fridge is free.", "money"),
    ],
)
def test_units_holding_a_shape(text: str, shape: str) -> None:
    assert shape in unit_shapes(text)


def test_a_frequency_is_no_weekday() -> None:
    assert "weekday" not in unit_shapes("We collect every two weeks on your usual day.")
