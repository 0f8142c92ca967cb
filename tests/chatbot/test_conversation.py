"""Follow-ups are rewritten with the earlier turn; standalone questions are left alone."""

from __future__ import annotations

import pytest

from chatbot.conversation import EarlierTurn, is_follow_up, standalone_question
from chatbot.escalation import question_parts

EARLIER = [EarlierTurn("how much is a resident parking permit", "answered")]


@pytest.mark.parametrize(
    "message",
    [
        "what about for a second car?",
        "how much is it",
        "and when",
        "is that per year?",
        "what if i have an electric car",
        "ok and how do i pay",
        "for a van?",
    ],
)
def test_follow_ups_get_the_earlier_topic(message: str) -> None:
    assert is_follow_up(message)
    rewritten = standalone_question(message, EARLIER)
    assert rewritten.startswith(message.rstrip("?"))
    assert "resident parking permit" in rewritten


@pytest.mark.parametrize(
    "message",
    [
        "how do i apply for a blue badge for my mum",
        "what day are the bins collected in hollins cross",
        "can i get help paying council tax if i'm on universal credit",
    ],
)
def test_standalone_questions_are_not_rewritten(message: str) -> None:
    assert not is_follow_up(message)
    assert standalone_question(message, EARLIER) == message


def test_no_earlier_turn_means_no_rewrite() -> None:
    assert standalone_question("how much is it", []) == "how much is it"


def test_several_questions_in_one_message_are_split_with_the_subject_carried() -> None:
    parts = question_parts("can i get an old sofa picked up? how much does that cost")
    assert parts[0] == "can i get an old sofa picked up?"
    assert parts[1].startswith("how much does that cost") and "sofa" in parts[1]
    assert question_parts("how do i join the library") == ["how do i join the library"]
    assert len(question_parts("ok? thanks? yes?")) == 1  # fragments are not questions


def test_a_later_parts_answer_adds_only_what_is_new_under_its_own_heading() -> None:
    from chatbot.pipeline import join_part_lines

    first = [
        "How to apply:",
        "Apply online through the admissions portal.",
        "Appealing:",
        "You can appeal. You must lodge an appeal within 20 school days of the offer date.",
    ]
    second = [
        "Late applications:",
        "Applications received after 31 October are late.",
        "Appealing:",
        "You must lodge an appeal within 20 school days of the offer date.",
    ]
    # the repeated sentence is said once; nothing lands under "Late applications:" by mistake
    assert join_part_lines(first, second) == [*first, *second[:2]]
    # new words of a section already quoted come under that section's heading again
    again = ["How to apply:", "Apply by post if you cannot apply online."]
    assert join_part_lines(first, again) == [*first, *again]
    # ... and straight on when the earlier answer ends under the same heading
    tail = ["Appealing:", "Appeals are heard in June."]
    assert join_part_lines(first, tail) == [*first, tail[1]]
    # the same paragraph with more of its sentences replaces the shorter one where it stood
    costs = ["What it costs:", "A bin costs £52 a year. A second bin costs £40 a year."]
    fuller = [
        "What it costs:",
        "A bin costs £52 a year. The year runs from April. A second bin costs £40 a year.",
    ]
    assert join_part_lines([*costs, "Contact us:", "Call 01632 960100 on weekdays."], fuller) == [
        *fuller,
        "Contact us:",
        "Call 01632 960100 on weekdays.",
    ]
    # a line whose sentences were all said, in other lines, is not said again
    split = ["A bin costs £52 a year.", "A second bin costs £40 a year."]
    assert (
        join_part_lines(split, ["A bin costs £52 a year. A second bin costs £40 a year."]) == split
    )
    # a short line is a repeat only when the whole line is ("- Tuesday" is not "Tuesday ...")
    days = ["Collections:", "- Tuesday"]
    assert join_part_lines(["Garden waste is collected on Tuesday every other week."], days) == [
        "Garden waste is collected on Tuesday every other week.",
        *days,
    ]


@pytest.mark.parametrize(
    ("typed", "searched"),
    [
        ("wen is the tip open", "when is the tip open"),
        ("hw much is a parkin permit", "how much is a parking permit"),
        ("r u open on sundays", "are you open on sundays"),
        ("bore da, mae'r bin heb ei gasglu", "bore da, mae'r bin heb ei gasglu"),  # Welsh stays
        ("is the robin in the cabin", "is the robin in the cabin"),  # English words stay
    ],
)
def test_text_speak_is_searched_written_out(typed: str, searched: str) -> None:
    from chatbot.conversation import search_text

    assert search_text(typed) == searched
