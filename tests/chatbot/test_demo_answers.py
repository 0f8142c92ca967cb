"""The demo council's questions residents reported answered wrongly, through the real API:
each must now be answered from the right page with the fact asked for (by the general answering
steps, fitted on the tuning split; none of these questions is in any training set)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient

from townhall.app import create_app
from townhall.services import Services
from townhall.settings import Settings


@pytest.fixture(scope="module")
def client(tmp_path_factory, demo_kb, embedder, redactor) -> Iterator[TestClient]:  # type: ignore[no-untyped-def]
    settings = Settings(
        data_dir=tmp_path_factory.mktemp("demo-answers"),
        chat_rate_per_minute=10_000,
        reference_rate_per_minute=10_000,
    )
    services = Services(settings)
    services.__dict__.update(knowledge=demo_kb, embedder=embedder, redactor=redactor)
    with TestClient(create_app(settings, services)) as test_client:
        yield test_client


def ask(client: TestClient, message: str) -> dict[str, Any]:
    response = client.post("/api/chat", json={"message": message})
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["status"] == "answered", body
    return body


NOT_YET = pytest.mark.xfail(
    strict=True,
    reason="measured shortfall of the fitted answering steps (README, docs/calibration.md): "
    "escalated below the fitted threshold or answered from a neighbouring page",
)


@pytest.mark.parametrize(
    ("question", "page", "facts"),
    [
        ("How much is a resident parking permit?", "resident-parking-permits.md", ["£65"]),
        # text-speak and a dropped g, as residents type (escalated at 0.37 before)
        ("hw much is a parkin permit", "resident-parking-permits.md", ["£65"]),
        # the page's "Ways to pay" / "How to pay" section ranked just below the five quoted
        # (chatbot/answering/method.py); the arrears and challenge sections were quoted instead
        ("How can I pay my council tax?", "pay-council-tax.md", ["by Direct Debit"]),
        ("I got a parking fine, how do I pay it?", "parking-fines.html", ["You can pay:"]),
        pytest.param(
            "What day are my bins collected?",
            "bin-collection-days.html",
            ["Tuesday"],
            marks=NOT_YET,
        ),
    ],
)
def test_the_fact_asked_from_the_right_page(
    client: TestClient, question: str, page: str, facts: list[str]
) -> None:
    body = ask(client, question)
    assert {s["page"].rsplit("/", 1)[-1] for s in body["sources"]} == {page}
    for fact in facts:
        assert fact in body["reply"]
    assert not body["reply"].rstrip().endswith(":")  # no dangling list lead-in


@pytest.mark.parametrize(
    ("question", "heading", "then"),
    [
        ("How can I pay my council tax?", "Ways to pay:", "by Direct Debit"),
        ("I got a parking fine, how do I pay it?", "How to pay:", "You can pay:"),
        # the section is read from its start, not from the ranker's best sentence in it
        ("how do i book a bulky waste collection", "How to book:", "Book online"),
    ],
)
def test_a_how_question_is_answered_with_the_how_first(
    client: TestClient, question: str, heading: str, then: str
) -> None:
    """The ways to pay were quoted, but after the account-number intro or the PCN rules; a
    resident who asks how reads the how first (the order only; what is quoted is the same)."""
    reply = ask(client, question)["reply"]
    assert reply.startswith(heading), reply
    assert reply.index(then) < 200, reply


def test_each_librarys_saturday_hours_are_named(client: TestClient) -> None:
    body = ask(client, "Is the library open on Saturday?")
    reply = body["reply"]
    assert {s["page"].rsplit("/", 1)[-1] for s in body["sources"]} == {"library-opening-hours.html"}
    blocks = re.split(r"\n(?=[^-\n][^\n]*:)", reply)
    named = [b for b in blocks if "Saturday" in b]
    assert len(named) >= 3
    for block in named:
        assert re.match(r"^[A-Z][\w ]*Library", block), block


def test_a_holding_reply_offers_the_likely_pages_to_read_meanwhile(client: TestClient) -> None:
    """Not sure of the answer, so staff get it; the resident can already read the pages the
    search found, as links, never as an answer (no sources, no fact quoted)."""
    response = client.post("/api/chat", json={"message": "What day are my bins collected?"})
    body = response.json()
    assert body["status"] == "escalated" and body["reference"] and body["sources"] == []
    assert "these pages of ours may help:" in body["reply"]
    assert (
        "- Bin collection days (https://www.brackenvale.example/bins-and-recycling/"
        "bin-collection-days)" in body["reply"]
    )
    assert body["reply"].count("\n- ") <= 2


@pytest.mark.parametrize(
    "message",
    [
        "why was my housing benefit stopped last month",  # the resident's own case
        "can you recommend a good plumber for my kitchen tap",  # nothing on the council's pages
    ],
)
def test_no_pages_offered_for_an_own_case_or_an_uncovered_question(
    client: TestClient, message: str
) -> None:
    body = client.post("/api/chat", json={"message": message}).json()
    assert body["status"] in ("escalated", "out_of_scope"), body
    assert "may help:" not in body["reply"]


def test_a_question_for_a_sum_is_never_answered_without_one(client: TestClient) -> None:
    """The band's charge sits in a table the search ranked eighth; the answer quoted "the Band D
    charge has gone up by 4.99%" at 0.94. With no sum quoted it goes to staff instead."""
    body = client.post("/api/chat", json={"message": "band d, how much is the council tax"}).json()
    assert body["status"] == "escalated" or re.search(r"£\d", body["reply"]), body
