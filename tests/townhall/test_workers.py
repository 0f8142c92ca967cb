"""`townhall serve --workers 2` on PostgreSQL, a Chroma server and Redis, as in production.

Real parts: PostgreSQL (through a TCP proxy the test controls, so it can be taken away
without stopping the machine's server), `chroma run` started by the test, Redis at
127.0.0.1:6379 (database 14, our keys deleted afterwards). Every request below opens a new
connection, so the kernel spreads them over both workers.
"""

from __future__ import annotations

import re
import time
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from sqlalchemy import create_engine, text

from benchmarks.stack import ChromaServer, link_caches, townhall_server
from knowledge.base import REFRESH_EVERY_S, KnowledgeBase
from tests.conftest import DEMO_SITE, PG_ADMIN_URL, TEST_CACHE
from tests.review_ui.staff_helpers import PASSWORD, sign_in
from tests.townhall.tcp_proxy import TcpProxy
from townhall.db import make_engine, migrate

pytestmark = [pytest.mark.postgres, pytest.mark.slow]

REDIS_URL = "redis://127.0.0.1:6379/14"
REFERENCE_LIMIT = 6
NEW_PAGE = """---
title: Kite festival
source_url: https://www.brackenvale.example/events/kite-festival
---
# Kite festival

## When and where

The Brackenvale kite festival is on Saturday 14 June at Riverside Park, from 10am to 4pm.
Entry is free and kites can be bought on the day.
"""


class Stack:
    def __init__(self, base: str, proxy: TcpProxy, chroma: ChromaServer, kb: KnowledgeBase):
        self.base, self.proxy, self.chroma, self.kb = base, proxy, chroma, kb

    def get(self, path: str, **kw: Any) -> httpx.Response:
        with httpx.Client(base_url=self.base, timeout=30) as client:  # a new connection
            return client.get(path, **kw)

    def chat(self, message: str, conversation_id: str | None = None) -> dict[str, Any]:
        with httpx.Client(base_url=self.base, timeout=60) as client:
            body = {"message": message, "conversation_id": conversation_id}
            response = client.post("/api/chat", json=body)
        assert response.status_code == 200, response.text
        return response.json()


def _redis_clear() -> None:
    import redis

    client = redis.Redis.from_url(REDIS_URL)
    keys = list(client.scan_iter("townhall:ratelimit*"))
    if keys:
        client.delete(*keys)


@pytest.fixture(scope="module")
def stack(tmp_path_factory, embedder) -> Iterator[Stack]:  # type: ignore[no-untyped-def]
    import redis

    try:
        redis.Redis.from_url(REDIS_URL, socket_connect_timeout=1).ping()
    except redis.RedisError as exc:
        pytest.skip(f"Redis at {REDIS_URL} is not reachable: {type(exc).__name__}")
    name = f"townhall_test_{uuid.uuid4().hex[:12]}"
    admin = create_engine(PG_ADMIN_URL, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as conn:
            conn.execute(text(f'CREATE DATABASE "{name}"'))
    except Exception as exc:
        admin.dispose()
        pytest.skip(f"PostgreSQL at {PG_ADMIN_URL} is not reachable: {type(exc).__name__}")
    tmp = tmp_path_factory.mktemp("workers")
    data_dir = tmp / "var"
    link_caches(data_dir, TEST_CACHE)
    proxy = TcpProxy(("127.0.0.1", 5432))
    proxy.start()
    base_url = PG_ADMIN_URL.rsplit("/", 1)[0].replace("127.0.0.1:5432", f"127.0.0.1:{proxy.port}")
    database_url = f"{base_url}/{name}"
    chroma = ChromaServer(tmp / "chroma")
    _redis_clear()
    try:
        chroma.start()
        kb = KnowledgeBase(
            data_dir / "knowledge",
            embedder,
            chroma_url=chroma.url,
            embedding_cache=data_dir / "embedding-cache",
        )
        kb.ingest([DEMO_SITE])
        engine = make_engine(database_url)
        migrate(engine)
        from review_ui.users import add_user

        add_user(engine, email="reviewer@brackenvale.example", role="reviewer",
                 password=PASSWORD, actor="test")  # fmt: skip
        engine.dispose()
        env = {
            "TOWNHALL_DATA_DIR": str(data_dir),
            "TOWNHALL_DATABASE_URL": database_url,
            "TOWNHALL_CHROMA_URL": chroma.url,
            "TOWNHALL_REDIS_URL": REDIS_URL,
            "TOWNHALL_CHAT_RATE_PER_MINUTE": "10000",
            "TOWNHALL_REFERENCE_RATE_PER_MINUTE": str(REFERENCE_LIMIT),
        }
        with townhall_server(env, workers=2, log=tmp / "serve.log") as (base, _process):
            yield Stack(base, proxy, chroma, kb)
    finally:
        chroma.stop()
        proxy.stop()
        _redis_clear()
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


QUESTIONS = [
    "how do I report a pothole",
    "when are the libraries open on saturday",
    "hello",
    "how much is a parking fine",
]


def test_every_worker_answers_the_same(stack: Stack) -> None:
    for question in QUESTIONS:
        replies = []
        for _ in range(4):
            r = stack.chat(question)
            replies.append((r["status"], r["reply"], [s["page"] for s in r["sources"]]))
        assert len(set(map(repr, replies))) == 1, replies


def test_sessions_and_conversations_are_shared(stack: Stack) -> None:
    with httpx.Client(base_url=stack.base, timeout=30) as client:
        sign_in(client, "reviewer@brackenvale.example")  # type: ignore[arg-type]
        cookies = dict(client.cookies)
    for _ in range(6):
        page = stack.get("/staff/", cookies=cookies, follow_redirects=False)
        assert page.status_code == 200 and "Sign out" in page.text
    first = stack.chat("how do I report a pothole")
    follow = stack.chat("and how long does it take to fix", first["conversation_id"])
    assert follow["conversation_id"] == first["conversation_id"]


def test_rate_limits_are_shared_through_redis(stack: Stack) -> None:
    import redis

    _redis_clear()
    codes = [stack.get("/api/answers/TH-AAAA-BBBB-CCCC").status_code for _ in range(12)]
    assert codes.count(404) == REFERENCE_LIMIT and codes.count(429) == 12 - REFERENCE_LIMIT
    keys = list(redis.Redis.from_url(REDIS_URL).scan_iter("townhall:ratelimit*reference*"))
    assert keys, "the limit was not counted in Redis"
    _redis_clear()


def test_a_new_ingest_is_picked_up_without_restart(stack: Stack, tmp_path: Path) -> None:
    pages_before = len(stack.kb.pages())
    folder = tmp_path / "events"
    folder.mkdir()
    (folder / "kite-festival.md").write_text(NEW_PAGE, encoding="utf-8")
    stack.kb.ingest([folder])
    want = f"{pages_before + 1} pages"
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        details = [
            stack.get("/readyz").json()["checks"]["knowledge_base"]["detail"] for _ in range(6)
        ]
        if all(d.startswith(want) for d in details):
            break
        time.sleep(1)
    else:
        pytest.fail(f"workers still report {details}, want {want}")
    # six probes need not reach every worker, and a worker looks at the manifest at most every
    # REFRESH_EVERY_S: one that last looked just before the switch answers from the old index
    # until then (what the README promises is "within seconds", not at once)
    time.sleep(REFRESH_EVERY_S + 0.5)
    for _ in range(4):
        answer = stack.chat("when is the kite festival")
        pages = {s["page"] for s in answer["sources"]}
        assert "kite-festival.md" in pages or "14 June" in answer["reply"], answer


def test_metrics_add_up_every_worker(stack: Stack) -> None:
    def chats(body: str) -> float:
        pattern = r'^townhall_http_requests_total\{[^}]*route="/api/chat"[^}]*\} ([0-9.e+]+)$'
        return sum(float(v) for v in re.findall(pattern, body, re.M))

    before = chats(stack.get("/metrics").text)
    for _ in range(8):
        stack.chat("hello")
    after = chats(stack.get("/metrics").text)
    assert after - before == 8


def _wait_ready(stack: Stack, ready: bool, timeout: float = 20) -> dict[str, Any]:
    deadline = time.monotonic() + timeout
    while True:
        response = stack.get("/readyz")
        if (response.status_code == 200) == ready:
            return response.json()
        if time.monotonic() > deadline:
            raise AssertionError(f"/readyz still {response.status_code}: {response.text}")
        time.sleep(0.5)


def test_readyz_follows_postgresql_and_the_chroma_server(stack: Stack) -> None:
    _wait_ready(stack, True)
    stack.proxy.stop()
    started = time.monotonic()
    body = _wait_ready(stack, False)
    assert time.monotonic() - started < 10
    assert body["checks"]["database"]["status"] == "fail"
    assert body["checks"]["vector_store"]["status"] == "ok"
    stack.proxy.start()
    _wait_ready(stack, True)
    assert stack.chat("hello")["status"] == "greeting"

    stack.chroma.stop()
    started = time.monotonic()
    body = _wait_ready(stack, False)
    assert time.monotonic() - started < 10
    assert body["checks"]["vector_store"]["status"] == "fail"
    assert body["checks"]["database"]["status"] == "ok"
    stack.chroma.start()
    _wait_ready(stack, True, timeout=60)
    assert stack.chat("how do I report a pothole")["sources"]
