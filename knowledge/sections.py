"""Finding a page section by its title and headings, for staff choosing an answer's sources.

Staff think of a page by its title ("Garden waste collections") and a section by its heading
("Collection days"), so this search looks only there (and at the page's file name), over the
same chunks the retriever reads. One hit per page and section.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from knowledge.indexes import tokenize
from knowledge.types import Chunk

MAX_TEXT = 1_500


@dataclass(frozen=True)
class SectionHit:
    page_id: str
    title: str
    section: str  # the heading text, or the page title for text before the first heading
    heading_path: tuple[str, ...]
    url: str | None
    section_url: str | None
    service_area: str | None
    content_hash: str
    text: str  # the section's text (its chunks in order), cut to MAX_TEXT characters
    score: float = 0.0


def section_name(chunk: Chunk) -> str:
    """How sources name a section (the same rule the review item's sources use)."""
    return chunk.section or chunk.title


def _sections(chunks: Iterable[Chunk]) -> dict[tuple[str, str], list[Chunk]]:
    grouped: dict[tuple[str, str], list[Chunk]] = {}
    for chunk in chunks:
        grouped.setdefault((chunk.page_id, section_name(chunk)), []).append(chunk)
    return grouped


def _hit(parts: list[Chunk], score: float = 0.0) -> SectionHit:
    first = parts[0]
    text = "\n\n".join(c.text for c in parts)
    if len(text) > MAX_TEXT:
        text = text[: MAX_TEXT - 1].rstrip() + "…"
    return SectionHit(
        page_id=first.page_id,
        title=first.title,
        section=section_name(first),
        heading_path=first.heading_path,
        url=first.url,
        section_url=first.section_url,
        service_area=first.service_area,
        content_hash=first.content_hash,
        text=text,
        score=score,
    )


def find_sections(chunks: Iterable[Chunk], query: str, limit: int = 10) -> list[SectionHit]:
    """Sections whose headings, page title or file name hold the query's words: the share of
    query words found first, then the share found in the section's own heading (so "garden
    waste contact" puts the garden waste page's "Contact us" section first)."""
    wanted = set(tokenize(query))
    if not wanted or limit <= 0:
        return []
    scored: list[tuple[float, str, str, list[Chunk]]] = []
    for (page_id, section), parts in _sections(chunks).items():
        first = parts[0]
        own = set(tokenize(section))
        around = set(tokenize(" ".join((*first.heading_path, first.title, page_id))))
        found = wanted & (own | around)
        if not found:
            continue
        score = len(found) / len(wanted) + 0.5 * len(wanted & own) / len(wanted)
        scored.append((score, first.title.lower(), section.lower(), parts))
    scored.sort(key=lambda row: (-row[0], row[1], row[2]))
    return [_hit(parts, score) for score, _, _, parts in scored[:limit]]


def get_section(chunks: Iterable[Chunk], page_id: str, section: str) -> SectionHit | None:
    """One section by page and section name, as it is in the knowledge base now."""
    parts = [c for c in chunks if c.page_id == page_id and section_name(c) == section]
    return _hit(parts) if parts else None
