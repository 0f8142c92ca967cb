"""Prometheus metrics at `/metrics` (prometheus-client), in multi-process mode under several
workers (`PROMETHEUS_MULTIPROC_DIR`, set by `townhall serve --workers N`).

Counted as they happen, in every worker: HTTP requests and their latency by route template
(never the raw path, which can hold a reference code), answers by status, escalations by route.
Read live from the shared parts at scrape time: the review queue's size and the age of its
oldest item, the knowledge base's size, and the latest ingest or site sync's results.
Labels never carry anything a resident typed.
"""

from __future__ import annotations

import json
import os
import time
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

from fastapi import APIRouter, FastAPI, Request, Response
from prometheus_client import (
    CONTENT_TYPE_LATEST,
    REGISTRY,
    CollectorRegistry,
    Counter,
    Histogram,
    generate_latest,
)
from prometheus_client.core import GaugeMetricFamily
from prometheus_client.registry import Collector

if TYPE_CHECKING:
    from townhall.services import Services

REQUESTS = Counter(
    "townhall_http_requests_total", "HTTP requests by route template", ["method", "route", "status"]
)
LATENCY = Histogram(
    "townhall_http_request_duration_seconds",
    "HTTP request latency by route template",
    ["method", "route"],
    buckets=(0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10),
)
ANSWERS = Counter("townhall_answers_total", "Resident messages answered, by status", ["status"])
ESCALATIONS = Counter(
    "townhall_escalations_total", "Review items created for staff, by route", ["route"]
)


class MeteredPipeline:
    """The resident pipeline, counting each result's status (everything else passes through)."""

    def __init__(self, pipeline: Any) -> None:
        self._pipeline = pipeline

    def handle(self, *args: Any, **kwargs: Any) -> Any:
        result = self._pipeline.handle(*args, **kwargs)
        ANSWERS.labels(result.status).inc()
        if result.reference:
            ESCALATIONS.labels(result.route).inc()
        return result

    def __getattr__(self, name: str) -> Any:
        return getattr(self._pipeline, name)


class LiveCollector(Collector):
    """Gauges read from the database and the knowledge base when Prometheus scrapes."""

    def __init__(self, services: Services) -> None:
        self.services = services

    def collect(self) -> Iterator[GaugeMetricFamily]:
        yield from self._queue()
        yield from self._knowledge()

    def _queue(self) -> Iterator[GaugeMetricFamily]:
        from sqlalchemy import func
        from sqlmodel import Session, select

        from chatbot.records import ReviewItem, utcnow

        size = GaugeMetricFamily(
            "townhall_queue_items", "Review items by status", labels=["status"]
        )
        age = GaugeMetricFamily(
            "townhall_queue_oldest_age_seconds",
            "Age of the oldest waiting (new or claimed) review item",
        )
        try:
            with Session(self.services.engine) as db:
                rows = db.exec(
                    select(ReviewItem.status, func.count()).group_by(ReviewItem.status)
                ).all()
                oldest = db.exec(
                    select(func.min(ReviewItem.created_at)).where(
                        ReviewItem.status.in_(["new", "claimed"])  # type: ignore[attr-defined]
                    )
                ).one()
        except Exception:  # database down: /readyz says so; metrics just leave these out
            return
        for status, count in rows:
            size.add_metric([status], count)
        yield size
        if oldest is not None:
            first = oldest if oldest.tzinfo else oldest.replace(tzinfo=utcnow().tzinfo)
            age.add_metric([], max(0.0, (utcnow() - first).total_seconds()))
        else:
            age.add_metric([], 0.0)
        yield age

    def _knowledge(self) -> Iterator[GaugeMetricFamily]:
        from knowledge.base import LAST_INGEST

        kb = self.services.knowledge
        kb.refresh()
        pages = GaugeMetricFamily("townhall_knowledge_pages", "Pages in the knowledge base")
        pages.add_metric([], len(kb.pages()))
        yield pages
        chunks = GaugeMetricFamily("townhall_knowledge_chunks", "Chunks in the knowledge base")
        chunks.add_metric([], kb.chunk_count())
        yield chunks
        try:
            last = json.loads((kb.directory / LAST_INGEST).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return
        results = GaugeMetricFamily(
            "townhall_last_ingest_pages",
            "Pages by result in the latest ingest or site sync",
            labels=["result"],
        )
        for key in ("added", "changed", "unchanged", "removed", "failed"):
            results.add_metric([key], float(last.get(key, 0)))
        yield results
        finished = GaugeMetricFamily(
            "townhall_last_ingest_timestamp_seconds", "When the latest ingest or sync finished"
        )
        finished.add_metric([], float(last.get("finished_at", 0)))
        yield finished


def install_metrics(app: FastAPI, services: Services) -> None:
    """Count every request by route template and serve `/metrics`."""
    live = CollectorRegistry(auto_describe=False)
    live.register(LiveCollector(services))
    counted = _counted_registry()

    @app.middleware("http")
    async def count_requests(request: Request, call_next: Any) -> Response:
        started = time.perf_counter()
        status = 500
        try:
            response = await call_next(request)
            status = response.status_code
            return response
        finally:
            route = request.scope.get("route")
            template = getattr(route, "path", None) or "unmatched"
            if template != "/metrics":
                LATENCY.labels(request.method, template).observe(time.perf_counter() - started)
                REQUESTS.labels(request.method, template, str(status)).inc()

    router = APIRouter(include_in_schema=False)

    @router.get("/metrics")
    def metrics() -> Response:
        body = generate_latest(counted) + generate_latest(live)
        return Response(body, media_type=CONTENT_TYPE_LATEST)

    app.include_router(router)


def _counted_registry() -> CollectorRegistry:
    """Every worker's counters added up when running multi-process, else this process's."""
    if not os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        return REGISTRY
    from prometheus_client import multiprocess

    registry = CollectorRegistry()
    multiprocess.MultiProcessCollector(registry)
    return registry
