"""What the knowledge base knows about each page, for the layers that show sources to people:
its address, when it was last updated, and the id of each section's heading (so a source link
can land on the section). Built from the manifest the queries already read; nothing is loaded.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

__all__ = ["PageCatalogue", "PageEntry"]

_LINK = re.compile(r"\[([^\]]+)\]\(([^)\s]+)\)")


@dataclass(frozen=True)
class PageEntry:
    page_id: str
    title: str
    url: str | None
    updated: str | None  # as the page gives it (ISO date, usually)
    service_area: str | None
    content_hash: str
    anchors: dict[str, str] = field(default_factory=dict)  # section heading -> heading id
    sections: dict[str, str] = field(default_factory=dict)  # section heading -> its text


@dataclass(frozen=True)
class PageCatalogue:
    """Every ingested page by identity, and the set of their addresses."""

    pages: dict[str, PageEntry] = field(default_factory=dict)
    # address -> the words the pages link from it ("apply online"), to rebuild a link that an
    # answer's plain text wrote as "apply online (https://...)"
    link_labels: dict[str, frozenset[str]] = field(default_factory=dict)

    @classmethod
    def from_records(cls, records: dict[Any, dict[str, Any]]) -> PageCatalogue:
        """From the manifest's page records (each with its chunk dicts)."""
        pages: dict[str, PageEntry] = {}
        for record in records.values():
            anchors: dict[str, str] = {}
            sections: dict[str, list[str]] = {}
            for chunk in record.get("chunks", []):
                section = chunk.get("section") or ""
                if chunk.get("anchor") and section not in anchors:
                    anchors[section] = chunk["anchor"]
                sections.setdefault(section or record.get("title") or "", []).append(
                    chunk.get("text") or ""
                )
            page_id = record["page_id"]
            pages[page_id] = PageEntry(
                page_id=page_id,
                title=record.get("title") or page_id,
                url=record.get("url"),
                updated=record.get("updated"),
                service_area=record.get("service_area"),
                content_hash=record.get("content_hash") or "",
                anchors=anchors,
                sections={k: "\n\n".join(v) for k, v in sections.items()},
            )
        labels: dict[str, set[str]] = {}
        for entry in pages.values():
            for text in entry.sections.values():
                for label, href in _LINK.findall(text):
                    labels.setdefault(href, set()).add(" ".join(label.split()))
        return cls(pages, {href: frozenset(found) for href, found in labels.items()})

    def get(self, page_id: str | None) -> PageEntry | None:
        return self.pages.get(page_id) if page_id else None

    def urls(self) -> set[str]:
        """The ingested pages' addresses, without fragments or trailing slashes."""
        return {_bare(p.url) for p in self.pages.values() if p.url}

    def hosts(self) -> set[str]:
        return {urlsplit(p.url).hostname or "" for p in self.pages.values() if p.url} - {""}


def _bare(url: str) -> str:
    return url.split("#", 1)[0].rstrip("/")
