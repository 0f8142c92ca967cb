"""End-to-end tests of the resident API through the real app: real models, real knowledge base,
real SQLite. The app is built once per module (loading models costs seconds)."""

from __future__ import annotations

import json
import logging
from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import inspect, text
from sqlmodel import Session, select

from chatbot.records import Conversation, Message, ReviewItem
from tests.services_support import make_services
from townhall.app import create_app
from townhall.services import Services

# Skips until the resident pipeline exists (built in parallel by another part of the team).
pytest.importorskip("chatbot.pipeline", reason="chatbot.pipeline (the resident pipeline) is absent")

CONTRACT_KEYS = {"conversation_id", "reply", "status", "sources", "confidence", "reference"}
# Added by issue 13 beside the contract's keys: the reply as HTML (`reply` stays plain text).
CONTRACT_KEYS |= {"html"}
SOURCE_KEYS = {"title", "url", "section", "page"}


@pytest.fixture(scope="module")
def demo_services(tmp_path_factory, demo_kb, embedder, redactor) -> Services:  # type: ignore[no-untyped-def]
    return make_services(tmp_path_factory.mktemp("chat-api"), demo_kb, embedder, redactor)


@pytest.fixture(scope="module")
def client(demo_services: Services) -> Iterator[TestClient]:
    with TestClient(create_app(demo_services.settings, demo_services)) as test_client:
        yield test_client


def ask(client: TestClient, message: str, conversation_id: str | None = None) -> dict[str, Any]:
    body: dict[str, Any] = {"message": message}
    if conversation_id:
        body["conversation_id"] = conversation_id
    response = client.post("/api/chat", json=body)
    assert response.status_code == 200, response.text
    return response.json()


def pages(answer: dict[str, Any]) -> list[str]:
    return [s["page"] for s in answer["sources"]]


def row_count(services: Services, table: type) -> int:
    with Session(services.engine) as db:
        return len(db.exec(select(table)).all())


# --- contract ---------------------------------------------------------------------------------


def test_answer_has_exactly_the_contract_shape(client: TestClient) -> None:
    answer = ask(client, "How much does a bulky waste collection cost?")
    assert set(answer) == CONTRACT_KEYS
    assert answer["status"] in {"answered", "escalated", "urgent", "greeting", "out_of_scope"}
    assert isinstance(answer["conversation_id"], str) and answer["conversation_id"]
    assert isinstance(answer["reply"], str) and answer["reply"]
    for source in answer["sources"]:
        assert set(source) == SOURCE_KEYS
    assert answer["confidence"] is None or 0.0 <= answer["confidence"] <= 1.0


def test_openapi_documents_the_resident_api(client: TestClient) -> None:
    schema = client.get("/openapi.json").json()
    chat = schema["paths"]["/api/chat"]["post"]
    assert {"200", "413", "422", "429"} <= set(chat["responses"])
    answers = schema["paths"]["/api/answers/{reference}"]["get"]
    assert "404" in answers["responses"]
    properties = schema["components"]["schemas"]["ChatResponse"]["properties"]
    assert set(properties) == CONTRACT_KEYS


# --- answers on the demo content --------------------------------------------------------------


# Escalated today: the fitted answer confidence (docs/calibration.md) is below its threshold for
# these; the README reports the shortfall. Strict, so a fix shows up as a pass to keep.
_BELOW_THRESHOLD = pytest.mark.xfail(
    strict=True, reason="answer confidence below the fitted threshold (measured shortfall)"
)


@pytest.mark.parametrize(
    ("question", "page"),
    [
        # Escalated just under the threshold before; answered since the refit that followed
        # the search vocabulary (knowledge/vocabulary.yaml) set the threshold to 0.74.
        (
            "How much does it cost to have a sofa and a fridge collected?",
            "bulky-waste-collection.md",
        ),
        pytest.param(
            "how do i apply for a blue badge for my mum", "blue-badge.md", marks=_BELOW_THRESHOLD
        ),
        ("How much is the garden waste bin subscription a year?", "garden-waste-collection.md"),
        # Drafted from the right page (what happens next, how to report) at 0.714 against
        # the threshold 0.73 of the latest refit (README, Answers).
        pytest.param(
            "My bin wasn't emptied yesterday, what should I do?",
            "missed-bin-collection.md",
            marks=_BELOW_THRESHOLD,
        ),
    ],
)
def test_demo_questions_are_answered_with_the_right_source(
    client: TestClient, question: str, page: str
) -> None:
    answer = ask(client, question)
    assert answer["status"] == "answered", answer
    assert any(p.endswith(page) for p in pages(answer)), pages(answer)
    assert answer["reference"] is None
    source = next(s for s in answer["sources"] if s["page"].endswith(page))
    assert source["url"] and source["url"].startswith("https://www.brackenvale.example/")


def test_follow_up_uses_the_conversation(client: TestClient) -> None:
    first = ask(client, "How do I sign up for garden waste collection?")
    follow_up = ask(client, "how much does it cost?", first["conversation_id"])
    assert follow_up["conversation_id"] == first["conversation_id"]
    assert any(p.endswith("garden-waste-collection.md") for p in pages(follow_up)), follow_up


def test_a_follow_up_leads_with_what_it_asks_not_with_the_earlier_question(
    client: TestClient,
) -> None:
    """ "how do i apply" after a question about the price led with the prices (the earlier
    question, carried in brackets to search by, asked "how much")."""
    first = ask(client, "what does a resident parking permit cost")
    follow_up = ask(client, "how do i apply", first["conversation_id"])
    assert follow_up["status"] == "answered", follow_up
    assert follow_up["reply"].startswith("How to apply"), follow_up["reply"]
    # a follow-up asking for nothing of its own still gets the earlier question's kind
    again = ask(client, "and for an electric car?", first["conversation_id"])
    assert "£30" in again["reply"].split("\n\n")[0], again["reply"]


def test_urgent_message_is_signposted_and_queued(
    client: TestClient, demo_services: Services
) -> None:
    answer = ask(client, "I have nowhere to sleep tonight and my partner hits me")
    assert answer["status"] == "urgent"
    assert "999" in answer["reply"]
    assert answer["reference"]
    with Session(demo_services.engine) as db:
        item = db.exec(select(ReviewItem).where(ReviewItem.reference == answer["reference"])).one()
    assert item.priority == 0 and item.status == "new"


# --- collecting an answer later by reference --------------------------------------------------


def test_reference_lookup_pending_then_answered(
    client: TestClient, demo_services: Services
) -> None:
    answer = ask(client, "What is happening with the housing application I made last month?")
    assert answer["status"] == "escalated", answer
    reference = answer["reference"]
    assert reference

    pending = client.get(f"/api/answers/{reference}")
    assert pending.status_code == 200
    body = pending.json()
    assert body["reference"] == reference
    assert body["status"] == "pending" and body["reply"] is None

    # A reviewer edits and approves it (inserted directly: the staff app is another part).
    with Session(demo_services.engine) as db:
        item = db.exec(select(ReviewItem).where(ReviewItem.reference == reference)).one()
        item.status = "edited"
        item.final_answer = "Decisions and the reasons for them are on the planning register."
        item.decided_by = "reviewer@brackenvale.example"
        item.decided_at = item.updated_at = datetime.now(UTC)
        db.add(item)
        db.commit()

    typed = reference.lower().replace("-", " ")  # as a resident might type it
    answered = client.get(f"/api/answers/{typed}").json()
    assert answered["reference"] == reference
    assert answered["status"] == "answered"
    assert answered["reply"] == "Decisions and the reasons for them are on the planning register."
    assert set(answered) == {"reference", "status", "reply", "sources", "updated_at", "html"}


def test_unknown_or_malformed_reference_is_404(client: TestClient) -> None:
    for reference in ["TH-2222-3333-4444", "not-a-reference", "TH-" + "Z" * 40]:
        response = client.get(f"/api/answers/{reference}")
        assert response.status_code == 404
        assert "could not find" in response.json()["detail"]


# --- limits: plain 4xx, nothing half-written --------------------------------------------------


def test_bad_input_is_refused_plainly_and_nothing_is_written(
    client: TestClient, demo_services: Services
) -> None:
    before = (row_count(demo_services, Message), row_count(demo_services, Conversation))

    too_long = client.post("/api/chat", json={"message": "a" * 1001})
    assert too_long.status_code == 422
    assert too_long.json() == {"detail": "Your question must be 1,000 characters or fewer"}

    for empty in ["", "   \n "]:
        response = client.post("/api/chat", json={"message": empty})
        assert response.status_code == 422
        assert response.json() == {"detail": "Enter your question"}

    for raw in [b'{"message": "unterminated', b"message=hello", b"", b"[1, 2]", b'{"message": 5}']:
        response = client.post(
            "/api/chat", content=raw, headers={"content-type": "application/json"}
        )
        assert 400 <= response.status_code < 500, raw
        detail = response.json()["detail"]
        assert isinstance(detail, str) and detail.endswith("."), detail
        assert "loc" not in response.text and "pydantic" not in response.text

    huge = client.post(
        "/api/chat",
        content=json.dumps({"message": "x" * 100_000}),
        headers={"content-type": "application/json"},
    )
    assert huge.status_code == 413
    assert isinstance(huge.json()["detail"], str)

    after = (row_count(demo_services, Message), row_count(demo_services, Conversation))
    assert after == before


def test_rate_limits_answer_429_with_retry_after(demo_services: Services) -> None:
    from chatbot.api import create_resident_router

    app = FastAPI()
    app.include_router(
        create_resident_router(
            demo_services.pipeline,
            demo_services.store,
            chat_rate_per_minute=2,
            reference_rate_per_minute=3,
            max_message_chars=1000,
            council=demo_services.council,
        )
    )
    limited = TestClient(app)
    for _ in range(2):
        assert limited.post("/api/chat", json={"message": "hello"}).status_code == 200
    refused = limited.post("/api/chat", json={"message": "hello"})
    assert refused.status_code == 429
    assert 1 <= int(refused.headers["retry-after"]) <= 60
    assert refused.json()["detail"].startswith("You have asked a lot of questions")

    for _ in range(3):
        assert limited.get("/api/answers/TH-2222-3333-4444").status_code == 404
    guessing = limited.get("/api/answers/TH-2222-3333-4445")
    assert guessing.status_code == 429 and "retry-after" in guessing.headers


# --- personal data never reaches the database or the logs -------------------------------------

PERSONAL = {
    "name": "Margaret Oyelaran-Whitcombe",
    "phone": "07700 900461",
    "email": "m.whitcombe58@example.com",
    "postcode": "BV4 7QT",
    "nino": "AB 12 34 56 C",
}
MESSAGES = [
    f"Hi, I'm {PERSONAL['name']}, my council tax bill is wrong, call me on {PERSONAL['phone']}",
    f"Please email me at {PERSONAL['email']} about my missed bin at {PERSONAL['postcode']}",
    f"My National Insurance number is {PERSONAL['nino']}, can I get Council Tax Reduction?",
    f"{PERSONAL['name']} here. I'm in danger, nowhere to go tonight, {PERSONAL['postcode']}",
]


def _variants(value: str) -> set[str]:
    """The value as typed, without spaces, and lower-cased: none may be stored."""
    return {value, value.replace(" ", ""), value.lower()}


def _all_stored_text(services: Services) -> list[str]:
    """Every text-like value in every table (including JSON columns), as strings."""
    texts: list[str] = []
    engine = services.engine
    with engine.connect() as conn:
        for table in inspect(engine).get_table_names():
            for row in conn.execute(text(f'SELECT * FROM "{table}"')):
                texts.extend(str(v) for v in row if v is not None)
    return texts


def test_no_unredacted_personal_data_in_database_or_logs(
    client: TestClient, demo_services: Services, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)  # root: every logger's records at every level
    conversation_id = None
    for message in MESSAGES:
        answer = ask(client, message, conversation_id)
        conversation_id = answer["conversation_id"]
        assert answer["reference"] is None or answer["status"] in {"escalated", "urgent"}
        for value in PERSONAL.values():
            assert value not in json.dumps(answer), f"{value!r} echoed back in the API answer"

    stored = "\n".join(_all_stored_text(demo_services))
    logged = "\n".join(
        f"{r.name} {r.getMessage()} {r.exc_text or ''} {r.stack_info or ''}" for r in caplog.records
    )
    assert "<PHONE_NUMBER>" in stored or "<UK_NINO>" in stored  # the redacted questions are there
    for kind, value in PERSONAL.items():
        for variant in _variants(value):
            assert variant not in stored, f"{kind} stored unredacted"
            assert variant not in logged, f"{kind} logged unredacted"


# --- the real corpus (../shared/corpus): answered from it, or escalated when it has no answer --


@pytest.fixture(scope="module")
def corpus_client(tmp_path_factory, corpus_kb, embedder, redactor) -> Iterator[TestClient]:  # type: ignore[no-untyped-def]
    services = make_services(tmp_path_factory.mktemp("chat-corpus"), corpus_kb, embedder, redactor)
    with TestClient(create_app(services.settings, services)) as test_client:
        yield test_client


@pytest.mark.slow
@pytest.mark.parametrize(
    ("question", "page"),
    [
        ("How do I order a copy of a birth certificate?", "lgd-order-a-copy-of-a-certificate.md"),
        ("what is meals on wheels and how do i get it", "lgd-meals-on-wheels.md"),
        pytest.param(
            "When does Child Benefit get paid into my account?",
            # Both pages answer it: "When and how it's paid" on the main Child Benefit page
            # says every 4 weeks on a Monday or Tuesday; the payment-dates page lists dates.
            "govuk-child-benefit-payment-dates.md|govuk-child-benefit.md",
            marks=_BELOW_THRESHOLD,
        ),
    ],
)
def test_corpus_questions_are_answered_with_the_right_source(
    corpus_client: TestClient, question: str, page: str
) -> None:
    answer = ask(corpus_client, question)
    assert answer["status"] == "answered", answer
    assert any(p.endswith(tuple(page.split("|"))) for p in pages(answer)), pages(answer)


@pytest.mark.slow
@pytest.mark.parametrize(
    "question",
    [
        "What day is my black bin collected?",
        "Do I need planning permission to build a conservatory?",
        "How do I appeal a parking fine I got outside the station?",
    ],
)
def test_questions_the_corpus_cannot_answer_are_escalated(
    corpus_client: TestClient, question: str
) -> None:
    answer = ask(corpus_client, question)
    assert answer["status"] == "escalated", answer
    assert answer["reference"]
    assert corpus_client.get(f"/api/answers/{answer['reference']}").json()["status"] == "pending"


@pytest.mark.slow
def test_urgent_message_on_the_corpus_is_signposted(corpus_client: TestClient) -> None:
    answer = ask(corpus_client, "I'm worried my elderly neighbour is being abused by her carer")
    assert answer["status"] == "urgent"
    assert answer["reference"]
    assert "999" in answer["reply"]
