"""The kind of fact a question asks for, and the kinds a unit of a page holds."""

from __future__ import annotations

import pytest

from chatbot.answering.fact_types import asked_fact_types, primary_fact_type, unit_fact_types


@pytest.mark.parametrize(
    ("question", "kind"),
    [
        ("how much does a garden waste bin cost", "amount"),
        ("whats the fee for a replacement wheelie bin", "amount"),
        ("by when do i have to send the form back", "time"),
        ("how long does a decision take", "time"),
        ("is the tip open on sundays", "time"),
        ("what number do i ring about my rent", "contact"),
        ("who can i speak to about a noisy neighbour", "contact"),
        ("what documents do i need to bring to register a death", "documents"),
        ("can my dad get a blue badge, he has dementia", "eligibility"),
        ("how do i report a pothole", "steps"),
        ("do i need planning permission for a fence", "yes_no"),
        ("tell me about allotments", "other"),
    ],
)
def test_the_kind_of_fact_asked(question: str, kind: str) -> None:
    assert primary_fact_type(question) == kind


def test_several_kinds_are_kept_in_order() -> None:
    assert asked_fact_types("how much is it and how long does it last") == ("amount", "time")
    assert asked_fact_types("how much notice do i have to give") == ("time",)


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("A garden waste subscription costs £52 a year.", "amount"),
        ("It is free for people over 60.", "amount"),
        ("Report it within 2 working days.", "time"),
        ("Open Saturday 9am to 4pm.", "time"),
        ("Call 01632 960300 or email tax@council.example.", "contact"),
        ("Bring your passport or a utility bill as proof of address.", "documents"),
        ("You can get it if you are aged 65 or over.", "eligibility"),
        ("Fill in the online form.", "steps"),
        ("You do not have to pay for the first visit.", "yes_no"),
    ],
)
def test_the_kinds_a_unit_holds(text: str, kind: str) -> None:
    assert kind in unit_fact_types(text)


@pytest.mark.parametrize(
    "question",
    [
        "do i have to pay to join the library",  # the answer is "free" or a price
        "will my mum have to pay for her own care, she has some savings",
        "is it free to park at the leisure centre",
        "do i pay council tax on an empty flat",
    ],
)
def test_whether_there_is_anything_to_pay_asks_for_an_amount(question: str) -> None:
    assert "amount" in asked_fact_types(question)


@pytest.mark.parametrize(
    "question",
    [
        "how do i pay my council tax",  # the ways to pay, not a price
        "when do i pay the first instalment",
        "how far from school do we have to live for free transport",  # "free" names a service
    ],
)
def test_paying_how_or_when_or_a_free_service_asks_no_amount(question: str) -> None:
    assert "amount" not in asked_fact_types(question)


def test_a_length_written_into_a_word_is_a_time() -> None:
    assert "time" in unit_fact_types("A book of 10 all-day permits costs £15.")
    assert "time" in unit_fact_types("Two-hour permits are sold in books of 20.")


def test_plain_text_holds_no_amount_or_phone() -> None:
    kinds = unit_fact_types("Libraries lend books and audiobooks.")
    assert "amount" not in kinds and "contact" not in kinds


def test_a_figure_kind_needs_the_figure_not_just_the_topic() -> None:
    # "fees", "before", "contact us online" talk about an amount, a time, a contact: the
    # resident who asked for one needs the figure itself
    assert "amount" not in unit_fact_types("Fees are set every year by the council.")
    assert "time" not in unit_fact_types("Apply before you move in.")
    assert "contact" not in unit_fact_types("You can contact us online.")
    assert "amount" in unit_fact_types("The fee is £35 a year.")
    assert "time" in unit_fact_types("Apply within 28 days.")
    assert "contact" in unit_fact_types("Call 01632 960400.")


@pytest.mark.parametrize(
    ("question", "now"),
    [
        ("how do i apply? (how much is a permit)", "how do i apply?"),
        ("and for an electric car? (how much is a permit)", None),  # asks nothing of its own
        ("how much is a permit", None),
    ],
)
def test_what_a_follow_up_asks_now(question: str, now: str | None) -> None:
    from chatbot.answering.fact_types import asked_now

    assert asked_now(question) == (now or question)
