"""Services for a test: a fresh data dir, the session's knowledge base and models (built once
per test session), and rate limits out of the way."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from townhall.services import Services
from townhall.settings import Settings


def make_services(data_dir: Path, knowledge: Any, embedder: Any, redactor: Any) -> Services:
    settings = Settings(
        data_dir=data_dir, chat_rate_per_minute=10_000, reference_rate_per_minute=10_000
    )
    services = Services(settings)
    # Services caches each part in a cached_property: hand it the parts built once per session.
    services.__dict__.update(knowledge=knowledge, embedder=embedder, redactor=redactor)
    return services
