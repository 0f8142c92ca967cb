"""`sync_site`: a council's website -> the knowledge base, incrementally.

Discover the pages (sitemap or links), fetch each one conditionally (the ETag and Last-Modified
of the previous sync are kept in `site-sync.json` beside the manifest, so an unchanged page costs
one 304), extract the main content, and hand the pages to the same incremental ingest as files:
unchanged content is not re-embedded, a changed page replaces its chunks, and pages that left
the sitemap (or answer 404/410) are removed. A page that failed for a temporary reason keeps
its previous copy. If the page list itself could not be read completely nothing is removed.
"""

from __future__ import annotations

import asyncio
import json
import os
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from knowledge.site.discover import discover
from knowledge.site.extract import extract_page, page_id_for
from knowledge.site.fetch import Fetched, FetchPolicy, PoliteFetcher
from knowledge.types import IngestSummary, Page

if TYPE_CHECKING:
    import httpx

    from knowledge.base import KnowledgeBase

__all__ = ["SiteSyncSummary", "site_root", "sync_site"]

STATE_FILE = "site-sync.json"
GONE = {404, 410}
Progress = Callable[[int, int, str], None]


@dataclass
class SiteSyncSummary:
    """What a sync did. `failed` is (url, reason); `fetched` counts 200s, `not_modified` 304s."""

    root: str
    discovered: int = 0
    source: str = ""
    fetched: int = 0
    not_modified: int = 0
    requests: int = 0
    ingest: IngestSummary = field(default_factory=IngestSummary)
    failed: list[tuple[str, str]] = field(default_factory=list)
    pruned: bool = True
    seconds: float = 0.0

    @property
    def ok(self) -> bool:
        return not self.failed

    def as_dict(self) -> dict[str, Any]:
        i = self.ingest
        return {
            "root": self.root,
            "discovered": self.discovered,
            "source": self.source,
            "added": i.added,
            "changed": i.changed,
            "unchanged": i.unchanged,
            "removed": i.removed,
            "failed": [{"url": u, "reason": r} for u, r in self.failed],
            "fetched": self.fetched,
            "not_modified": self.not_modified,
            "requests": self.requests,
            "chunks": i.chunks,
            "chunks_embedded": i.chunks_embedded,
            "pruned": self.pruned,
            "seconds": round(self.seconds, 2),
        }


def site_root(url: str) -> str:
    """The site a sync URL belongs to: scheme, host and the folder it starts in."""
    parts = urlsplit(url if "://" in url else f"https://{url}")
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise ValueError(f"not a web address: {url!r}")
    path = parts.path
    if path.endswith((".xml", ".xml.gz")) or "." in path.rsplit("/", 1)[-1]:
        path = path.rsplit("/", 1)[0]
    return f"{parts.scheme}://{parts.netloc}{path.rstrip('/')}/"


def sync_site(
    knowledge: KnowledgeBase,
    url: str,
    *,
    max_pages: int | None = None,
    policy: FetchPolicy | None = None,
    progress: Progress | None = None,
    transport: httpx.AsyncBaseTransport | None = None,
) -> SiteSyncSummary:
    """Bring the knowledge base in line with the website at url (see the module docstring)."""
    started = time.perf_counter()
    if "://" not in url:
        url = f"https://{url}"
    root = site_root(url)
    report = progress or (lambda done, total, stage: None)
    state = _State(knowledge.directory / STATE_FILE)
    known = {p.page_id: p for p in knowledge.pages() if p.root == root}
    summary = SiteSyncSummary(root=root)
    pages, unchanged, keep, gone, validators = asyncio.run(
        _fetch_all(url, root, known, state.for_root(root), summary, max_pages, policy, report,
                   transport)
    )  # fmt: skip
    summary.ingest = knowledge.ingest_pages(
        root,
        pages,
        unchanged=unchanged,
        keep=keep,
        failed=summary.failed,
        gone=gone,
        prune=summary.pruned,
        progress=report,
    )
    state.save(root, validators)
    summary.seconds = time.perf_counter() - started
    return summary


async def _fetch_all(
    url: str,
    root: str,
    known: dict[str, Page],
    validators: dict[str, dict[str, str]],
    summary: SiteSyncSummary,
    max_pages: int | None,
    policy: FetchPolicy | None,
    report: Progress,
    transport: httpx.AsyncBaseTransport | None,
) -> tuple[list[Page], set[str], set[str], set[str], dict[str, dict[str, str]]]:
    pages: list[Page] = []
    unchanged: set[str] = set()
    keep: set[str] = set()
    gone: set[str] = set()
    fresh: dict[str, dict[str, str]] = {}
    async with PoliteFetcher(policy, transport=transport) as fetcher:
        report(0, 0, "reading the sitemap")
        found = await discover(fetcher, url, max_pages=max_pages)
        summary.source = found.source
        summary.discovered = len(found.urls)
        summary.failed += found.problems
        summary.pruned = found.complete and bool(found.urls)
        done = 0
        total = len(found.urls)

        async def one(site_url: str, lastmod: str | None) -> None:
            nonlocal done
            page_id = page_id_for(site_url, root)
            previous = validators.get(site_url, {}) if page_id in known else {}
            result = await fetcher.get(
                site_url, etag=previous.get("etag"), last_modified=previous.get("last_modified")
            )
            sets = _Outcomes(pages, unchanged, keep, gone, fresh)
            _record(result, page_id, root, lastmod, previous, summary, sets)
            done += 1
            report(done, total, "fetching pages")

        report(0, total, "fetching pages")
        await asyncio.gather(*(one(u.url, u.lastmod) for u in found.urls))
        summary.requests = fetcher.requests
    return pages, unchanged, keep, gone, fresh


@dataclass
class _Outcomes:
    pages: list[Page]
    unchanged: set[str]
    keep: set[str]
    gone: set[str]
    validators: dict[str, dict[str, str]]


def _record(
    result: Fetched,
    page_id: str,
    root: str,
    lastmod: str | None,
    previous: dict[str, str],
    summary: SiteSyncSummary,
    out: _Outcomes,
) -> None:
    url = result.url
    if result.not_modified:
        summary.not_modified += 1
        out.unchanged.add(page_id)
        out.validators[url] = previous
        return
    if not result.ok:
        if result.status in GONE or result.blocked:
            out.gone.add(page_id)  # gone, or robots.txt now forbids reading it
        else:
            out.keep.add(page_id)  # a temporary failure keeps the previous copy
        summary.failed.append((url, _reason(result)))
        return
    summary.fetched += 1
    if "html" not in result.content_type.lower():
        summary.failed.append((url, f"not a web page ({result.content_type or 'no type'})"))
        out.keep.add(page_id)
        return
    page = extract_page(
        result.text,
        url=result.final_url or url,
        root=root,
        last_modified=result.last_modified,
        sitemap_lastmod=lastmod,
    )
    if isinstance(page, str):
        summary.failed.append((url, page))
        return
    if page.page_id != page_id:  # canonical elsewhere on the site: keep the listed address
        page = Page(**{**page.__dict__, "page_id": page_id})
    out.pages.append(page)
    validators = (("etag", result.etag), ("last_modified", result.last_modified))
    out.validators[url] = {k: v for k, v in validators if v}


def _reason(result: Fetched) -> str:
    reason = result.error or f"HTTP {result.status}"
    if result.attempts > 1:
        reason += f" after {result.attempts} tries"
    return reason


class _State:
    """url -> {etag, last_modified} per site root, saved after each sync (atomic replace)."""

    def __init__(self, path: Path) -> None:
        self.path = path
        try:
            self.data: dict[str, dict[str, dict[str, str]]] = json.loads(path.read_text("utf-8"))
        except (FileNotFoundError, ValueError):
            self.data = {}

    def for_root(self, root: str) -> dict[str, dict[str, str]]:
        return dict(self.data.get(root, {}))

    def save(self, root: str, validators: dict[str, dict[str, str]]) -> None:
        self.data[root] = validators
        tmp = self.path.with_suffix(".tmp")
        tmp.write_text(json.dumps(self.data, indent=1, sort_keys=True), encoding="utf-8")
        os.replace(tmp, self.path)
