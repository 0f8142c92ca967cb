"""SQLite busy: another connection holds the write lock longer than the busy timeout (as a
writer queue does under load). Every resident route answers 503 with the council's contacts
and Retry-After, never a 500; nothing is half-written; the next request after the lock is
released is answered as usual."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import text
from sqlmodel import Session, select

from chatbot.records import Conversation, Message, ReviewItem
from townhall.app import create_app
from townhall.db import make_engine
from townhall.services import Services
from townhall.settings import Settings

QUESTION = "How do I apply for a Blue Badge?"
ESCALATES = "why was my housing benefit stopped"
PHONE = "01632 960100"  # the demo council's number, in every "cannot answer" reply


@pytest.fixture
def app(tmp_path: Path, demo_kb: Any, embedder: Any, redactor: Any) -> Iterator[TestClient]:
    settings = Settings(
        data_dir=tmp_path,
        chat_rate_per_minute=10_000,
        reference_rate_per_minute=10_000,
        sqlite_busy_timeout_seconds=0.2,
    )
    services = Services(settings)
    services.__dict__.update(knowledge=demo_kb, embedder=embedder, redactor=redactor)
    with TestClient(create_app(settings, services), raise_server_exceptions=False) as client:
        client.services = services  # type: ignore[attr-defined]
        yield client


def test_sqlite_waits_the_configured_busy_timeout(tmp_path: Path) -> None:
    for engine, expected in (
        (make_engine(f"sqlite:///{tmp_path / 'default.db'}"), 30_000),
        (make_engine(f"sqlite:///{tmp_path / 'short.db'}", busy_timeout_seconds=0.2), 200),
    ):
        try:
            with engine.connect() as conn:
                assert conn.execute(text("PRAGMA busy_timeout")).scalar() == expected
        finally:
            engine.dispose()


def test_a_locked_database_is_a_503_with_the_contacts_and_nothing_half_written(
    app: TestClient,
) -> None:
    engine = app.services.engine  # type: ignore[attr-defined]
    first = app.post("/api/chat", json={"message": QUESTION})
    assert first.status_code == 200, first.text
    conversation = first.json()["conversation_id"]
    reference = app.post("/api/chat", json={"message": ESCALATES}).json()["reference"]
    assert reference
    with Session(engine) as db:
        message_id = db.exec(select(Message.id).where(Message.role == "assistant")).first()

    holder = sqlite3.connect(engine.url.database, isolation_level=None, timeout=0)
    holder.execute("BEGIN IMMEDIATE")  # another writer holds the lock past the busy timeout
    holder.execute("UPDATE conversation SET last_active_at = last_active_at")
    try:
        htmx = {"HX-Request": "true"}
        api = [
            app.post("/api/chat", json={"message": QUESTION}),
            app.post("/api/chat", json={"message": ESCALATES}),
            app.post(
                "/api/chat", json={"message": "and how long", "conversation_id": conversation}
            ),
            app.get(f"/api/answers/{reference}"),
        ]
        pages = [
            app.post("/chat", data={"message": QUESTION}),
            app.post("/chat", data={"message": QUESTION}, headers=htmx),
            app.post("/chat", data={"message": "and how long", "conversation_id": conversation}),
            app.post("/embed", data={"message": QUESTION}),
            app.get(f"/answers/{reference}"),
            app.get("/answers", params={"reference": reference}),
            app.post(
                "/feedback",
                data={
                    "message_id": str(message_id),
                    "conversation_id": conversation,
                    "helpful": "no",
                },
            ),
        ]
        for path in ("/", "/embed", "/answers", "/privacy", "/accessibility"):
            assert app.get(path).status_code == 200, path  # pages that need no database
        for response in api:
            assert response.status_code == 503, (response.request.url, response.text)
            assert PHONE in response.json()["detail"] and response.headers["retry-after"]
        for response in pages:
            assert response.status_code == 503, (response.request.url, response.text[:300])
            assert PHONE in response.text and response.headers["retry-after"]
            assert "text/html" in response.headers["content-type"]
    finally:
        holder.rollback()
        holder.close()

    again = app.post("/api/chat", json={"message": "and how long", "conversation_id": conversation})
    assert again.status_code == 200 and again.json()["status"] in ("answered", "escalated")
    assert app.get(f"/api/answers/{reference}").status_code == 200
    with Session(engine) as db:
        messages = db.exec(select(Message).order_by(Message.id)).all()
        conversations = {c.id for c in db.exec(select(Conversation)).all()}
        items = db.exec(select(ReviewItem)).all()
    # the three answered turns, whole; nothing from the refused requests
    assert [m.role for m in messages] == ["resident", "assistant"] * 3
    assert {m.conversation_id for m in messages} == conversations
    assert {i.reference for i in items} == {reference} | (
        {again.json()["reference"]} if again.json()["reference"] else set()
    )
