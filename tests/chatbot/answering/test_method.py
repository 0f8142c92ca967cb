"""A how-question quotes the page's section that says how (chatbot/answering/method.py)."""

from __future__ import annotations

import pytest

from chatbot.answering.method import asked_action, method_heading, promote_method_section
from knowledge.types import Chunk, RetrievedChunk


@pytest.mark.parametrize(
    ("question", "action"),
    [
        ("How can I pay my council tax?", "pay"),
        ("got a fine in the post, how do i pay it", "pay"),
        ("where can my daughter renew her bus pass", "renew"),
        ("what is the quickest way to apply for a school place", "apply"),
        ("how to register a birth", "register"),
        # too general to name a way of doing something, or no how-question at all
        ("how can I get a permit", None),
        ("how will our copy of the app work", None),
        ("when is the tip open", None),
        # how to owe less is no question about the ways of paying
        ("how can i pay less council tax as a student", None),
        ("how do i pay back what i owe", "pay"),
    ],
)
def test_the_action_a_how_question_asks_about(question: str, action: str | None) -> None:
    assert asked_action(question) == action


@pytest.mark.parametrize(
    ("heading", "offers"),
    [
        ("Ways to pay", True),
        ("How to pay", True),
        ("Other ways to pay", True),
        ("Paying by Direct Debit", True),
        ("If you cannot pay", False),
        ("What happens if you do not pay", False),
        ("How to apply", False),  # another action
    ],
)
def test_a_heading_that_offers_a_way_to_pay(heading: str, offers: bool) -> None:
    assert method_heading(heading, "pay") is offers


def _hit(page: str, *path: str) -> RetrievedChunk:
    chunk = Chunk(
        chunk_id=f"{page}:{'/'.join(path)}",
        page_id=page,
        title=path[0],
        heading_path=tuple(path),
        section=path[-1],
        anchor=None,
        url=None,
        section_url=None,
        text="Some text.",
        service_area=None,
        content_hash=page,
    )
    return RetrievedChunk(chunk=chunk, score=1.0)


def _sections(found: list[RetrievedChunk]) -> list[str]:
    return [rc.chunk.heading_path[-1] for rc in found]


FOUND = [
    _hit("arrears", "If you cannot pay"),
    _hit("pay", "Pay your bill"),
    _hit("pay", "Pay your bill", "Contact us"),
    _hit("arrears", "If you cannot pay", "Contact us"),
    _hit("pay", "Pay your bill", "If you miss a payment"),
    _hit("bands", "Bands", "Getting help to pay"),
    _hit("other", "Other", "Ways to pay"),  # not one of the two best pages
    _hit("pay", "Pay your bill", "Ways to pay"),
]


def test_the_ways_to_pay_section_replaces_the_last_quoted() -> None:
    kept = promote_method_section("how can i pay my bill", FOUND, 5)
    assert _sections(kept) == [
        "If you cannot pay",
        "Pay your bill",
        "Contact us",
        "Contact us",
        "Ways to pay",
    ]
    assert kept[-1].chunk.page_id == "pay"


def test_nothing_moves_for_another_question_or_when_a_way_is_already_quoted() -> None:
    assert promote_method_section("how much is the bill", FOUND, 5) == FOUND[:5]
    quoted = [*FOUND[:4], FOUND[7]]
    assert promote_method_section("how can i pay my bill", [*quoted, *FOUND[4:7]], 5) == quoted
