"""The web app factory: one FastAPI app serving the resident chat and the staff review queue."""

from __future__ import annotations

import logging
from contextlib import asynccontextmanager

from fastapi import FastAPI

from townhall.services import Services
from townhall.settings import Settings

log = logging.getLogger("townhall")


def create_app(settings: Settings | None = None, services: Services | None = None) -> FastAPI:
    """Build the app; every model is loaded here, once, before the first request."""
    services = services or Services(settings or Settings())
    from townhall.access_log import AccessLogMiddleware, silence_uvicorn_access_log
    from townhall.wiring import mount_routes, warm_up

    @asynccontextmanager
    async def lifespan(_app: FastAPI):  # type: ignore[no-untyped-def]
        silence_uvicorn_access_log()  # after uvicorn set up its logging; ours replaces it
        warm_up(services)
        from townhall.background import start_outbox

        outbox_worker = start_outbox(services)
        log.info("townhall ready")
        try:
            yield
        finally:
            if outbox_worker is not None:
                outbox_worker.stop()

    app = FastAPI(
        title="Townhall",
        summary="A council's AI front desk: answers from the council's own pages, or a person.",
        version="0.1.0",
        lifespan=lifespan,
        docs_url=None,  # served from local files by townhall/api_docs.py
        redoc_url=None,
    )
    app.state.services = services
    mount_routes(app, services)
    # inside the edge (added first, so it runs after it): the client pseudonym is set by then
    app.add_middleware(AccessLogMiddleware)
    from townhall.api_docs import mount_api_docs
    from townhall.edge import install_edge

    mount_api_docs(app, services.settings.api_docs)
    install_edge(app, services.settings, services.secret_key)
    return app


def create_app_from_env() -> FastAPI:
    """Factory for `uvicorn --factory` (used by `townhall serve --workers N`): the parent has
    migrated once before starting the workers, so a worker only checks the schema."""
    return create_app(services=Services(Settings(), migrate_schema=False))
