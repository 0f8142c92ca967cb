"""How uvicorn is run: the options every way of serving Townhall shares.

uvicorn's own proxy-header handling is off: by default it believes `X-Forwarded-For` from
127.0.0.1, so anyone on the machine (or a local proxy that passes the header through) could
pick their own client address. Townhall decides the client itself, from the socket peer and
`TOWNHALL_TRUSTED_PROXIES` (`chatbot.client_identity`).

`townhall serve`: one process, or N uvicorn workers that share PostgreSQL, Chroma and Redis.
The schema is migrated once, in the parent, before any worker starts; workers only check it
(`Services(migrate_schema=False)`), so they never race to migrate. With several workers,
Prometheus metrics are kept in a fresh multi-process folder that every worker writes to and
`/metrics` adds up.
"""

from __future__ import annotations

import logging
import os
import shutil
from typing import Any

from townhall.settings import Settings

UVICORN_OPTIONS: dict[str, Any] = {
    "proxy_headers": False,
    "forwarded_allow_ips": "",
    "server_header": False,
    # uvicorn's access log prints query strings and client addresses; townhall.access_log
    # writes one without personal data instead
    "access_log": False,
}


def uvicorn_options(**extra: Any) -> dict[str, Any]:
    """Keyword arguments for `uvicorn.run` / `uvicorn.Config`, with `extra` on top."""
    return {**UVICORN_OPTIONS, **extra}


log = logging.getLogger("townhall")

MULTIPROC_ENV = "PROMETHEUS_MULTIPROC_DIR"
WORKER_HEALTHCHECK_SECONDS = 60


def upgrade_schema(settings: Settings) -> tuple[str | None, str]:
    """Migrate the database to the newest revision; (revision before, revision now)."""
    from townhall.db import make_engine, migrate, schema_revisions

    settings.data_dir.mkdir(parents=True, exist_ok=True)
    engine = make_engine(settings.resolved_database_url)
    try:
        before, _ = schema_revisions(engine)
        migrate(engine)
        after, _ = schema_revisions(engine)
    finally:
        engine.dispose()
    return before, str(after)


def run_server(settings: Settings, *, host: str, port: int, workers: int) -> None:
    import uvicorn

    upgrade_schema(settings)
    if workers == 1:
        from townhall.app import create_app

        uvicorn.run(create_app(settings), **uvicorn_options(host=host, port=port))
        return
    if settings.resolved_database_url.startswith("sqlite"):
        log.warning(
            "%d workers on one SQLite file: writers queue for its lock, and the load test saw "
            "'database is locked' errors at 50 concurrent clients; use PostgreSQL "
            "(TOWNHALL_DATABASE_URL) for several workers (BENCHMARKS.md)",
            workers,
        )
    metrics_dir = (settings.data_dir / "prometheus").resolve()
    shutil.rmtree(metrics_dir, ignore_errors=True)  # counts of earlier runs would add up
    metrics_dir.mkdir(parents=True)
    previous = os.environ.get(MULTIPROC_ENV)
    os.environ[MULTIPROC_ENV] = previous or str(metrics_dir)  # the workers inherit it
    log.info("starting %d workers", workers)
    try:
        uvicorn.run(
            "townhall.app:create_app_from_env",
            **uvicorn_options(
                factory=True,
                host=host,
                port=port,
                workers=workers,
                # uvicorn kills a worker that misses a 5-second health ping: on a busy machine
                # (the load test, at load 30 on 2 cores) that killed workers mid-request and
                # dropped their connections. /readyz is the health check for load balancers.
                timeout_worker_healthcheck=WORKER_HEALTHCHECK_SECONDS,
            ),
        )
    finally:
        if previous is None:
            os.environ.pop(MULTIPROC_ENV, None)
