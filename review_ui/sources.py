"""Sources under the reviewer's control: which page sections back an answer.

The reviewer sees the sections Townhall retrieved (one per page and section), unticks any that
do not back the answer, adds others found by title and heading in the knowledge base, or says
the answer comes from no page. Nothing is saved until the answer is approved (or, for an
approved answer, saved): every search or add re-renders the form with what was typed, so the
same form works with and without JavaScript. The chosen sources are exactly what the approved
answer keeps, shows residents, and what the stale check watches.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from chatbot.approved import is_no_page, no_page_source
from review_ui.queue import QueueActionRefused

SEP = "::"
NO_SOURCE = (
    "Choose at least one page section that backs this answer, or tick "
    "'This answer does not come from any page'"
)
BOTH = "Untick the page sections, or untick 'This answer does not come from any page'"
MAX_FIND = 100
MAX_KEYS = 50


def source_key(source: dict[str, Any]) -> str:
    return f"{source.get('page') or ''}{SEP}{source.get('section') or source.get('title') or ''}"


def split_key(key: str) -> tuple[str, str]:
    page, _, section = key.partition(SEP)
    return page, section


def distinct(sources: list[Any]) -> list[dict[str, Any]]:
    """Page sections in order, each once (by page and section); the no-page mark left out."""
    seen: set[str] = set()
    out: list[dict[str, Any]] = []
    for source in sources or []:
        if not isinstance(source, dict) or is_no_page(source) or not source.get("page"):
            continue
        key = source_key(source)
        if key not in seen:
            seen.add(key)
            out.append(source)
    return out


def hit_source(hit: Any) -> dict[str, Any]:
    """A knowledge-base section (knowledge.sections.SectionHit) as a review source."""
    return {
        "title": hit.title,
        "url": hit.url,
        "section": hit.section,
        "page": hit.page_id,
        "content_hash": hit.content_hash,
        "text": hit.text,
    }


@dataclass
class SectionFinder:
    """The knowledge base as the picker uses it: search by title and heading, look one up.
    `knowledge` is the KnowledgeBase (or a callable giving it); None means no search."""

    knowledge: Any = None

    def _kb(self) -> Any:
        kb = self.knowledge
        return kb() if callable(kb) and not hasattr(kb, "find_sections") else kb

    @property
    def available(self) -> bool:
        try:
            return self._kb() is not None
        except Exception:  # noqa: BLE001 - the page still works, without search
            return False

    def search(self, text: str, limit: int = 10) -> list[dict[str, Any]]:
        kb = self._kb()
        return [] if kb is None else [hit_source(h) for h in kb.find_sections(text, limit)]

    def lookup(self, key: str) -> dict[str, Any] | None:
        kb = self._kb()
        if kb is None:
            return None
        hit = kb.section(*split_key(key))
        return None if hit is None else hit_source(hit)


@dataclass
class Posted:
    """What the form sent about sources; `shown` False when it held no picker at all."""

    chosen: list[str] = field(default_factory=list)
    offered: list[str] = field(default_factory=list)
    no_page: bool = False
    shown: bool = False

    @classmethod
    def from_form(cls, chosen: list[str], offered: list[str], no_page: str) -> Posted:
        return cls(
            chosen=[k for k in chosen if SEP in k][:MAX_KEYS],
            offered=[k for k in offered if SEP in k][:MAX_KEYS],
            no_page=bool(no_page),
            shown=bool(offered) or bool(chosen) or bool(no_page),
        )


@dataclass
class Picker:
    """What the template shows."""

    candidates: list[dict[str, Any]]  # source + key, checked, added
    no_page: bool
    find: str = ""
    found: list[dict[str, Any]] = field(default_factory=list)  # source + key, chosen
    searched: bool = False
    search_available: bool = True
    announce: str = ""
    focus: str = ""  # the id to focus after an htmx swap


def build_picker(
    base: list[Any],
    finder: SectionFinder,
    posted: Posted | None = None,
    *,
    find: str = "",
    add: str = "",
    searching: bool = False,
) -> Picker:
    """The picker for `base` (the item's retrieved sources, or an answer's sources) after
    what was posted: ticks kept, an added section ticked, search results listed."""
    base_sources = distinct(base)
    base_keys = {source_key(s): s for s in base_sources}
    fresh = posted is None or not posted.shown
    no_page = (not fresh and posted.no_page) or (fresh and any(is_no_page(s) for s in base))
    candidates = [{**s, "key": k, "added": False} for k, s in base_keys.items()]
    extra = [] if fresh else [k for k in posted.offered if k not in base_keys]
    announce, focus = "", ""
    if add and SEP in add and add not in base_keys and add not in extra:
        extra.append(add)
    for key in extra:
        source = finder.lookup(key)
        if source is not None:
            candidates.append({**source, "key": key, "added": True})
    chosen = set(base_keys) if fresh else set(posted.chosen)
    if add:
        chosen.add(add)
        no_page = False
        added = next((c for c in candidates if c["key"] == add), None)
        if added is not None:
            announce = f"Added {added['title']}: {added['section']}"
            focus = f"source-{candidates.index(added) + 1}"
    for c in candidates:
        c["checked"] = c["key"] in chosen and not no_page
    picker = Picker(candidates=candidates, no_page=no_page, search_available=finder.available)
    find = " ".join(find.split())[:MAX_FIND]
    if find and (searching or add):
        keys = {c["key"] for c in candidates if c["checked"]}
        picker.find = find
        picker.searched = True
        picker.found = [
            {**s, "key": source_key(s), "chosen": source_key(s) in keys}
            for s in finder.search(find)
        ]
        if searching and not add:
            n = len(picker.found)
            announce = f"{n} section{'' if n == 1 else 's'} found for {find}"
            focus = "found-heading"
    picker.announce, picker.focus = announce, focus
    return picker


def chosen_sources(
    base: list[Any],
    finder: SectionFinder,
    posted: Posted,
    current_hashes: Callable[[], dict[str, str] | None],
) -> list[dict[str, Any]]:
    """The sources the reviewer chose, resolved to full source records (the item's own when
    it has them, else the knowledge base's section as it is now), de-duplicated; or the
    no-page mark. Refuses an empty choice."""
    if not posted.shown:  # no picker on the form: the sources as retrieved
        sources = distinct(base)
        if not sources:
            raise QueueActionRefused(NO_SOURCE)
        return sources
    if posted.no_page and posted.chosen:
        raise QueueActionRefused(BOTH)
    if posted.no_page:
        kept = next((s for s in base if is_no_page(s)), None)
        if kept is not None:  # unchanged: still checked against the pages as they were
            return [dict(kept)]
        hashes = current_hashes()
        if hashes is None:
            raise QueueActionRefused(
                "The pages cannot be read right now, so an answer from no page cannot be "
                "checked later: choose a page section, or try again shortly"
            )
        return [no_page_source(hashes)]
    own = {source_key(s): s for s in distinct(base)}
    out: list[dict[str, Any]] = []
    for key in dict.fromkeys(posted.chosen):
        source = own.get(key) or finder.lookup(key)
        if source is None:
            page, section = split_key(key)
            raise QueueActionRefused(
                f"The section {section!r} of {page} is no longer on the site: untick it"
            )
        out.append(source)
    if not out:
        raise QueueActionRefused(NO_SOURCE)
    return out
