"""`/healthz` (the process answers) and `/readyz` (every part a request needs answers).

Readiness checks the database, the vector store, Redis when configured, and that the knowledge
base has pages; each check reports its own status, so a load balancer takes a worker out of
rotation within seconds of a part going away and puts it back when the part returns.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from fastapi import APIRouter
from fastapi.responses import JSONResponse

if TYPE_CHECKING:
    from townhall.services import Services

Check = Callable[[], str]


def readiness(services: Services) -> tuple[bool, dict[str, dict[str, Any]]]:
    """(ready, {part: {status: ok|fail, detail, ms}})."""
    checks: dict[str, Check] = {
        "database": lambda: _database(services),
        "vector_store": lambda: _vector_store(services),
        "knowledge_base": lambda: _knowledge_base(services),
    }
    if services.settings.redis_url:
        checks["redis"] = lambda: _redis(services.settings.redis_url or "")
    results: dict[str, dict[str, Any]] = {}
    for name, check in checks.items():
        started = time.perf_counter()
        try:
            detail, status = check(), "ok"
        except Exception as exc:  # any failure means not ready; say what, never a traceback
            detail, status = _describe(exc), "fail"
        ms = round((time.perf_counter() - started) * 1000, 1)
        results[name] = {"status": status, "detail": detail, "ms": ms}
    return all(r["status"] == "ok" for r in results.values()), results


def _database(services: Services) -> str:
    from sqlalchemy import text

    with services.engine.connect() as conn:
        conn.execute(text("SELECT 1"))
    return services.engine.dialect.name


def _vector_store(services: Services) -> str:
    count = services.knowledge.vector_count()
    where = "chroma server" if services.settings.chroma_url else "embedded chroma"
    return f"{where}, {count} vectors"


def _knowledge_base(services: Services) -> str:
    kb = services.knowledge
    kb.refresh()
    chunks = kb.chunk_count()
    if chunks == 0:
        raise RuntimeError("no pages ingested: run `townhall ingest` or `townhall sync-site`")
    return f"{len(kb.pages())} pages, {chunks} chunks"


_redis_clients: dict[str, Any] = {}


def _redis(url: str) -> str:
    import redis

    client = _redis_clients.get(url)
    if client is None:
        client = redis.Redis.from_url(url, socket_timeout=1, socket_connect_timeout=1)
        _redis_clients[url] = client
    client.ping()
    return "ping ok"


def _describe(exc: Exception) -> str:
    text = str(exc).splitlines()[0] if str(exc) else ""
    # connection strings can carry passwords: keep the error's kind and first words only
    if "@" in text or "://" in text:
        text = ""
    return f"{type(exc).__name__}: {text[:160]}" if text else type(exc).__name__


def health_router(services: Services) -> APIRouter:
    router = APIRouter(include_in_schema=False)

    @router.get("/healthz")
    def healthz() -> dict[str, str]:
        return {"status": "ok"}

    @router.get("/readyz")
    def readyz() -> JSONResponse:
        ready, checks = readiness(services)
        return JSONResponse(
            {"status": "ready" if ready else "not ready", "checks": checks},
            status_code=200 if ready else 503,
            headers={"Cache-Control": "no-store"},
        )

    return router
