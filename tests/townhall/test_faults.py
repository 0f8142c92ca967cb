"""Faults with the real parts taken away and given back by the test, against the real server:
PostgreSQL behind a TCP proxy the test cuts (the machine's PostgreSQL is never stopped) and a
`chroma run` server the test starts and stops by its process id (benchmarks/stack.py). The
resident gets a clear "cannot answer right now" with the council's contacts, or an escalation
with a reference when the database is up; never a 500; the server recovers by itself; nothing
is half-written. SQLite's lock held past the busy timeout: tests/townhall/test_database_busy.py.

The chat-model timeout is tested with a real local model server in
tests/chatbot/test_llm_real_server.py (and the scripted one in test_llm_failures.py)."""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from browser_support import serve
from sqlalchemy import text
from sqlmodel import Session, select

from benchmarks.stack import ChromaServer, chroma_server
from chatbot.records import Conversation, Message, ReviewItem
from tests.townhall.tcp_proxy import TcpProxy
from townhall.db import make_engine
from townhall.services import Services
from townhall.settings import Settings

QUESTION = "How do I apply for a Blue Badge?"
PHONE = "01632 960100"  # the demo council's number, in every "cannot answer" reply


def chat(base: str, message: str = QUESTION, **extra: Any) -> httpx.Response:
    with httpx.Client(base_url=base, timeout=120) as client:  # a new connection each time
        return client.post("/api/chat", json={"message": message, **extra})


def assert_whole_turns(engine: Any) -> None:
    """Every stored turn is whole: a resident message and its reply, and every review item
    belongs to a stored reply."""
    with Session(engine) as db:
        messages = db.exec(select(Message).order_by(Message.id)).all()
        conversations = {c.id for c in db.exec(select(Conversation)).all()}
        references = {m.reference for m in messages if m.reference}
        items = db.exec(select(ReviewItem)).all()
    roles = [m.role for m in messages]
    assert roles == ["resident", "assistant"] * (len(roles) // 2), roles
    assert {m.conversation_id for m in messages} == conversations
    assert {i.reference for i in items} <= references


# --- PostgreSQL taken away mid-run -------------------------------------------------------------


@pytest.fixture
def pg_behind_proxy(pg_url: str) -> Iterator[tuple[str, TcpProxy]]:
    proxy = TcpProxy(("127.0.0.1", 5432))
    proxy.start()
    try:
        yield pg_url.replace("127.0.0.1:5432", f"127.0.0.1:{proxy.port}"), proxy
    finally:
        proxy.stop()


@pytest.mark.postgres
def test_postgresql_going_away_is_a_clear_503_and_the_server_recovers(
    tmp_path: Path,
    pg_behind_proxy: tuple[str, TcpProxy],
    demo_kb: Any,
    embedder: Any,
    redactor: Any,
) -> None:
    database_url, proxy = pg_behind_proxy
    services = Services(Settings(data_dir=tmp_path, database_url=database_url))
    services.__dict__.update(knowledge=demo_kb, embedder=embedder, redactor=redactor)
    for base in serve(services):
        first = chat(base)
        assert first.status_code == 200, first.text
        conversation = first.json()["conversation_id"]

        proxy.stop()  # PostgreSQL is gone: open connections cut, new ones refused
        faults = [
            chat(base),  # answered in memory, then the write fails
            chat(base, "and how long does it last", conversation_id=conversation),
            chat(base, "why was my housing benefit stopped"),  # would escalate
        ]
        with httpx.Client(base_url=base, timeout=120) as client:
            faults.append(client.get("/api/answers/TH-2345-6789-ABCD"))
            page = client.post("/chat", data={"message": QUESTION})
            answers_page = client.get("/answers/TH-2345-6789-ABCD")
        for response in faults:
            assert response.status_code == 503, response.text
            assert PHONE in response.json()["detail"] and response.headers["retry-after"]
        for response in (page, answers_page):
            assert response.status_code == 503 and PHONE in response.text

        proxy.start()  # back: the pool's pre-ping replaces dead connections by itself
        deadline = time.monotonic() + 30
        while (again := chat(base)).status_code != 200 and time.monotonic() < deadline:
            time.sleep(0.5)
        assert again.status_code == 200, again.text
        followed = chat(base, "and how long does it last", conversation_id=conversation)
        assert followed.status_code == 200
    engine = make_engine(database_url)
    try:
        assert_whole_turns(engine)
        with engine.connect() as conn:
            assert conn.execute(text("SELECT count(*) FROM message")).scalar() == 6
    finally:
        engine.dispose()


# --- the Chroma server taken away -------------------------------------------------------------


@pytest.fixture
def chroma(tmp_path: Path) -> Iterator[ChromaServer]:
    with chroma_server(tmp_path / "chroma", timeout=90) as server:
        yield server


@pytest.mark.slow
def test_chroma_going_away_escalates_with_a_reference_and_recovers(
    tmp_path: Path, chroma: ChromaServer, embedder: Any, redactor: Any, embedding_cache: Path
) -> None:
    from knowledge.base import KnowledgeBase
    from tests.conftest import DEMO_SITE

    kb = KnowledgeBase(
        tmp_path / "knowledge", embedder, chroma_url=chroma.url, embedding_cache=embedding_cache
    )
    kb.ingest([DEMO_SITE])
    services = Services(Settings(data_dir=tmp_path, chroma_url=chroma.url))
    services.__dict__.update(knowledge=kb, embedder=embedder, redactor=redactor)
    for base in serve(services):
        assert chat(base).json()["status"] == "answered"
        chroma.stop()
        down = chat(base)
        assert down.status_code == 200, down.text
        body = down.json()
        assert body["status"] == "escalated" and body["reference"]
        assert "cannot search our pages right now" in body["reply"] and PHONE in body["reply"]
        chroma.start()
        deadline = time.monotonic() + 30
        while (back := chat(base).json())["status"] != "answered" and time.monotonic() < deadline:
            time.sleep(0.5)
        assert back["status"] == "answered", back
        with Session(services.engine) as db:
            item = db.exec(select(ReviewItem).where(ReviewItem.reference == body["reference"]))
            assert item.one().route == "search_unavailable"
    assert_whole_turns(services.engine)
