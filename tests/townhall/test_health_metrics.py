"""`/healthz`, `/readyz` and `/metrics` through the real app (one process, SQLite, embedded
Chroma); the multi-worker and fault versions are in test_workers.py."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from townhall.app import create_app
from townhall.cli import app as cli
from townhall.db import SchemaOutOfDate, make_engine, require_current_schema, schema_revisions
from townhall.services import Services
from townhall.settings import Settings


@pytest.fixture(scope="module")
def services(tmp_path_factory, demo_kb, embedder, redactor) -> Services:  # type: ignore[no-untyped-def]
    settings = Settings(
        data_dir=tmp_path_factory.mktemp("health"),
        chat_rate_per_minute=10_000,
        reference_rate_per_minute=10_000,
    )
    services = Services(settings)
    services.__dict__.update(knowledge=demo_kb, embedder=embedder, redactor=redactor)
    return services


@pytest.fixture(scope="module")
def client(services: Services) -> Iterator[TestClient]:
    with TestClient(create_app(services.settings, services)) as test_client:
        yield test_client


def metric(text: str, name: str, **labels: str) -> float:
    """The value of one sample in Prometheus text format (0 when absent)."""
    pattern = rf"^{re.escape(name)}(?:\{{([^}}]*)\}})? ([0-9.e+-]+)$"
    total = 0.0
    for match in re.finditer(pattern, text, re.M):
        have = match.group(1) or ""
        if all(f'{k}="{v}"' in have for k, v in labels.items()):
            total += float(match.group(2))
    return total


def test_health_and_readiness(client: TestClient) -> None:
    assert client.get("/healthz").json() == {"status": "ok"}
    response = client.get("/readyz")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ready"
    assert set(body["checks"]) == {"database", "vector_store", "knowledge_base"}
    assert all(c["status"] == "ok" for c in body["checks"].values())
    assert "pages" in body["checks"]["knowledge_base"]["detail"]


def test_not_ready_when_the_knowledge_base_is_empty(tmp_path: Path, embedder, redactor) -> None:  # type: ignore[no-untyped-def]
    services = Services(Settings(data_dir=tmp_path))
    services.__dict__.update(embedder=embedder, redactor=redactor)
    with TestClient(create_app(services.settings, services)) as client:
        response = client.get("/readyz")
    assert response.status_code == 503
    checks = response.json()["checks"]
    assert checks["knowledge_base"]["status"] == "fail"
    assert "no pages ingested" in checks["knowledge_base"]["detail"]
    assert checks["database"]["status"] == "ok"


def test_metrics_count_answers_escalations_routes_and_the_queue(client: TestClient) -> None:
    before = client.get("/metrics").text
    assert client.post("/api/chat", json={"message": "hello"}).json()["status"] == "greeting"
    escalated = client.post(
        "/api/chat", json={"message": "why was my housing benefit claim stopped last week"}
    ).json()
    assert escalated["reference"]
    client.get(f"/api/answers/{escalated['reference']}")
    after = client.get("/metrics")
    assert after.headers["content-type"].startswith("text/plain")
    text = after.text
    for status in ("greeting", escalated["status"]):
        grew = metric(text, "townhall_answers_total", status=status) - metric(
            before, "townhall_answers_total", status=status
        )
        assert grew >= 1, status
    assert metric(text, "townhall_escalations_total") > metric(before, "townhall_escalations_total")
    # routes are templates: a reference code never becomes a label
    assert escalated["reference"] not in text
    assert 'route="/api/answers/{reference}"' in text
    assert metric(text, "townhall_http_requests_total", route="/api/chat", status="200") >= 2
    assert metric(text, "townhall_queue_items", status="new") >= 1
    assert metric(text, "townhall_queue_oldest_age_seconds") >= 0
    assert metric(text, "townhall_knowledge_chunks") > 0
    assert "townhall_last_ingest_pages" in text
    assert "housing benefit" not in text.lower()


def test_db_upgrade_and_workers_refuse_an_old_schema(tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setenv("TOWNHALL_DATA_DIR", str(tmp_path))
    monkeypatch.delenv("TOWNHALL_DATABASE_URL", raising=False)
    engine = make_engine(f"sqlite:///{tmp_path / 'townhall.db'}")
    with pytest.raises(SchemaOutOfDate, match="townhall db upgrade"):
        require_current_schema(engine)
    worker = Services(Settings(data_dir=tmp_path), migrate_schema=False)
    with pytest.raises(SchemaOutOfDate):
        _ = worker.engine
    runner = CliRunner()
    first = runner.invoke(cli, ["db", "upgrade"])
    assert first.exit_code == 0 and "Migrated the database schema from empty" in first.output
    again = runner.invoke(cli, ["db", "upgrade"])
    assert again.exit_code == 0 and "up to date" in again.output
    current, head = schema_revisions(engine)
    assert current == head
    require_current_schema(engine)
    _ = Services(Settings(data_dir=tmp_path), migrate_schema=False).engine
