"""The composition root's service container: each heavy part is built once and handed down.

Parts load lazily so that light commands (`townhall queue list`) never load models, while the
web app touches every part at start-up so no request pays for loading.
"""

from __future__ import annotations

from functools import cached_property
from typing import TYPE_CHECKING

from townhall.db import make_engine, migrate, require_current_schema
from townhall.settings import Settings

if TYPE_CHECKING:
    from sqlalchemy.engine import Engine

    from chatbot.council import CouncilProfile
    from chatbot.pipeline import ResidentPipeline
    from chatbot.redaction import Redactor
    from chatbot.store import ChatStore
    from knowledge.base import KnowledgeBase
    from knowledge.embeddings import MiniLMEmbedder


class Services:
    """migrate_schema: bring the database schema up to date on first use (one process); a
    worker of `serve --workers N` gets False and refuses to start on an old schema instead."""

    def __init__(self, settings: Settings, *, migrate_schema: bool = True) -> None:
        self.settings = settings
        self.migrate_schema = migrate_schema

    @cached_property
    def engine(self) -> Engine:
        self.settings.data_dir.mkdir(parents=True, exist_ok=True)
        engine = make_engine(
            self.settings.resolved_database_url,
            busy_timeout_seconds=self.settings.sqlite_busy_timeout_seconds,
        )
        if self.migrate_schema:
            migrate(engine)
        else:
            require_current_schema(engine)
        return engine

    @cached_property
    def secret_key(self) -> bytes:
        from townhall.secret_key import load_secret_key

        configured = self.settings.secret_key
        return load_secret_key(
            self.settings.data_dir, configured.get_secret_value() if configured else None
        )

    @cached_property
    def embedder(self) -> MiniLMEmbedder:
        from knowledge.embeddings import MiniLMEmbedder

        return MiniLMEmbedder(cache_dir=self.settings.models_dir)

    @cached_property
    def knowledge(self) -> KnowledgeBase:
        from knowledge.base import KnowledgeBase

        return KnowledgeBase(
            self.settings.knowledge_dir,
            self.embedder,
            chroma_url=self.settings.chroma_url,
            embedding_cache=self.settings.data_dir / "embedding-cache",
        )

    @cached_property
    def redactor(self) -> Redactor:
        from chatbot.redaction import Redactor

        # the knowledge base's public terms are read on first use (never at construction, so
        # tools that redact without a knowledge base stay light)
        return Redactor(
            keep_terms=self.council.public_terms,
            public_terms=lambda: self.knowledge.public_terms(),
        )

    def redactor_for(self, knowledge: KnowledgeBase) -> Redactor:
        """The redactor keeping `knowledge`'s public terms: an evaluation of another knowledge
        base must not keep the product's (or, in a fresh checkout, no) printed numbers and
        names. One per knowledge base, built on first use."""
        if knowledge is self.__dict__.get("knowledge"):
            return self.redactor
        from chatbot.redaction import Redactor

        for base, redactor in self._other_redactors:
            if base is knowledge:
                return redactor
        redactor = Redactor(
            keep_terms=self.council.public_terms, public_terms=knowledge.public_terms
        )
        self._other_redactors.append((knowledge, redactor))
        return redactor

    @cached_property
    def _other_redactors(self) -> list[tuple[KnowledgeBase, Redactor]]:
        return []

    @cached_property
    def council(self) -> CouncilProfile:
        from chatbot.council import load_council_profile

        return load_council_profile(self.settings.council_profile)

    @cached_property
    def store(self) -> ChatStore:
        from chatbot.store import ChatStore

        return ChatStore(self.engine)

    @cached_property
    def pipeline(self) -> ResidentPipeline:
        from townhall.wiring import build_pipeline

        return build_pipeline(self)

    @cached_property
    def metered_pipeline(self) -> ResidentPipeline:
        """The pipeline the web app uses: counts answers and escalations for /metrics."""
        from townhall.metrics import MeteredPipeline

        return MeteredPipeline(self.pipeline)  # type: ignore[return-value]
