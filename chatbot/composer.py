"""The offline answer: the most relevant sentences and list items from the best sections,
word for word, with their sources. Nothing is written that is not in a retrieved chunk.

Each sentence or list item ("unit") is scored by the share of the question's content words it
holds, its embedding similarity to the question (cached per chunk), a small bonus when it has
what the question asks for (a price for "how much", a time for "when"), and the rank of its
section. The best units are kept, in page order, up to the word limit; a list item keeps its
lead-in sentence.
"""

from __future__ import annotations

import math
import re
from collections import OrderedDict
from dataclasses import dataclass, field
from typing import Any, Protocol

import numpy as np

from chatbot.wording import content_terms, split_sentences, word_count
from knowledge.types import RetrievedChunk

SECTIONS_USED = 5
SECTION_WEIGHT = 0.6  # how much the section's score counts for its units
HEADING_WEIGHT = 0.5  # a question word in the section heading counts half
OTHER_PAGE_PENALTY = 0.1  # a second page is quoted only when clearly better
LEXICAL_WEIGHT = 0.55
DENSE_WEIGHT = 0.45
KEEP_RELATIVE = 0.5  # keep units scoring at least this share of the best unit's score
KEEP_RELATIVE_SAME_PAGE = 0.5  # ... of another section of the same page
KEEP_RELATIVE_OTHER_PAGE = 0.95  # ... of another page
MAX_LIST_ITEMS = 8  # a list or table this long is completed when one of its items is chosen
MAX_UNITS = 5
_LINK = re.compile(r"\[([^\]]+)\]\(([^)\s]+)\)")
_ANCHOR = re.compile(r"\s*\{#[^}]*\}\s*$")
_LIST_ITEM = re.compile(r"^\s*(?:[-*•]|\d+[.)])\s+")
_MONEY = re.compile(
    r"£\s?\d|\bfree\b|\bno charge\b|\bcosts?\b|\bfees?\b|\bprices?\b|\bcharges?\b", re.I
)
_TIME = re.compile(
    r"\b(\d{1,2}(:\d{2})?\s?(am|pm)|monday|tuesday|wednesday|thursday|friday|saturday|sunday|"
    r"january|february|march|april|may|june|july|august|september|october|november|december|"
    r"\d+ (working )?(days?|weeks?|months?|years?)|deadline|within)\b",
    re.I,
)
_CONTACT = re.compile(r"\b0\d{3,4}\s?\d{3}\s?\d{3,4}\b|@|\bonline\b|\bform\b", re.I)
_ASKS_MONEY = re.compile(
    r"\b(how much|cost|costs|price|fee|fees|charge|pay|cheap|expensive)\b", re.I
)
_ASKS_TIME = re.compile(
    r"\b(when|what time|what day|how long|how soon|how quick|deadline|open|close|hours)\b", re.I
)
_ASKS_CONTACT = re.compile(r"\b(phone|call|contact|number|email|ring|apply|report)\b", re.I)


class Embedder(Protocol):
    def embed(self, texts: list[str]) -> np.ndarray: ...


@dataclass
class Unit:
    """A sentence or list item from a section, with the lead-in a list item needs."""

    text: str
    chunk_index: int
    order: int
    lead_in: int | None = None  # order of the lead-in unit in the same chunk
    page: str = ""
    is_item: bool = False
    score: float = 0.0


@dataclass
class Composition:
    text: str
    chunks: list[RetrievedChunk] = field(default_factory=list)  # the sections quoted
    coverage: float = 0.0  # share of question content words found in those sections
    best_unit_score: float = 0.0


class ExtractiveComposer:
    """Builds answers from retrieved sections only. Build once; keeps a small embedding cache."""

    name = "extractive"

    def __init__(self, embedder: Embedder | None = None, cache_size: int = 4096) -> None:
        self.embedder = embedder
        self._cache: OrderedDict[str, np.ndarray] = OrderedDict()
        self._cache_size = cache_size

    def compose(
        self,
        question: str,
        retrieved: list[RetrievedChunk],
        max_words: int,
        question_embedding: np.ndarray | None = None,
    ) -> Composition:
        """The answer to `question` from `retrieved` (best first), at most `max_words` words."""
        chunks = retrieved[:SECTIONS_USED]
        if not chunks:
            return Composition(text="")
        units = [u for i, rc in enumerate(chunks) for u in split_units(rc.chunk.text, i)]
        for unit in units:
            unit.page = chunks[unit.chunk_index].chunk.page_id
        if not units:
            return Composition(text="", chunks=chunks[:1])
        terms = set(content_terms(question))
        dense = self._unit_similarity(chunks, units, question_embedding)
        headings = [set(content_terms(" ".join(rc.chunk.heading_path))) for rc in chunks]
        unit_terms = [set(content_terms(u.text)) for u in units]
        weights = term_weights(terms, unit_terms)
        sections = section_scores(question, chunks, units, unit_terms, weights, headings)
        for n, unit in enumerate(units):
            i = unit.chunk_index
            lexical = weighted_overlap(weights, unit_terms[n], headings[i])
            score = LEXICAL_WEIGHT * lexical + SECTION_WEIGHT * sections[i]
            if dense is not None:
                score += DENSE_WEIGHT * max(0.0, float(dense[n]))
            unit.score = score + intent_bonus(question, unit)
        chosen = select_units(units, max_words)
        used = sorted({u.chunk_index for u in chosen})
        text = render(chosen, max_words)
        section_terms = set(content_terms(" ".join(chunks[i].chunk.text for i in used)))
        section_terms |= set(content_terms(" ".join(chunks[i].chunk.title for i in used)))
        coverage = len(terms & section_terms) / len(terms) if terms else 0.0
        return Composition(
            text=text,
            chunks=[chunks[i] for i in used],
            coverage=coverage,
            best_unit_score=max(u.score for u in units),
        )

    def _unit_similarity(
        self,
        chunks: list[RetrievedChunk],
        units: list[Unit],
        question_embedding: np.ndarray | None,
    ) -> np.ndarray | None:
        if self.embedder is None or question_embedding is None:
            return None
        vectors: list[np.ndarray] = []
        for i, rc in enumerate(chunks):
            mine = [u for u in units if u.chunk_index == i]
            key = f"{rc.chunk.chunk_id}:{rc.chunk.content_hash}"
            cached = self._cache.get(key)
            if cached is None or len(cached) != len(mine):
                cached = np.asarray(self.embedder.embed([u.text for u in mine]), dtype=np.float32)
                self._cache[key] = cached
                if len(self._cache) > self._cache_size:
                    self._cache.popitem(last=False)
            else:
                self._cache.move_to_end(key)
            vectors.append(cached)
        matrix = np.concatenate(vectors) if vectors else np.zeros((0, 1), dtype=np.float32)
        return matrix @ np.asarray(question_embedding, dtype=np.float32).ravel()


def term_weights(terms: set[str], unit_terms: list[set[str]]) -> dict[str, float]:
    """Question words weighted by rarity among the candidate units (IDF): "band C" is
    found by the rare "c", not by "council tax", which every unit has."""
    n = len(unit_terms)
    return {t: math.log(1 + (n + 1) / (1 + sum(t in u for u in unit_terms))) for t in terms}


def weighted_overlap(weights: dict[str, float], unit: set[str], heading: set[str]) -> float:
    """Share of the question's (weighted) words in the unit; heading words count half."""
    total = sum(weights.values())
    if not total:
        return 0.0
    found = sum(w for t, w in weights.items() if t in unit)
    found += HEADING_WEIGHT * sum(w for t, w in weights.items() if t in heading and t not in unit)
    return found / total


def intent_bonus(question: str, unit: Unit) -> float:
    """A little extra for a unit holding what the question asks for."""
    bonus = 0.0
    if _ASKS_MONEY.search(question) and _MONEY.search(unit.text):
        bonus += 0.12
    if _ASKS_TIME.search(question) and _TIME.search(unit.text):
        bonus += 0.08
    if _ASKS_CONTACT.search(question) and _CONTACT.search(unit.text):
        bonus += 0.04
    if unit.order == 0:
        bonus += 0.02  # a section's first sentence usually says what it is about
    return bonus


def section_scores(
    question: str,
    chunks: list[RetrievedChunk],
    units: list[Unit],
    unit_terms: list[set[str]],
    weights: dict[str, float],
    headings: list[set[str]],
) -> list[float]:
    """How well each section answers the question, relative to the best section: retrieval
    relevance, the question words the section holds, and whether it has what is asked for
    (a price, a time). Sections of another page than the best hit lose a little."""
    relevance = section_relevance(chunks)
    scores = []
    for i, rc in enumerate(chunks):
        mine = [n for n, u in enumerate(units) if u.chunk_index == i]
        words: set[str] = set().union(*(unit_terms[n] for n in mine)) if mine else set()
        text = " ".join(units[n].text for n in mine)
        score = 0.5 * relevance[i] + 0.4 * weighted_overlap(weights, words, headings[i])
        if _ASKS_MONEY.search(question) and _MONEY.search(text):
            score += 0.1 + (0.1 if _MONEY.search(rc.chunk.section) else 0.0)
        if _ASKS_TIME.search(question) and _TIME.search(text):
            score += 0.05
        if rc.chunk.page_id != chunks[0].chunk.page_id:
            score -= OTHER_PAGE_PENALTY
        scores.append(score)
    top = max(scores)
    return [s_ / top if top > 0 else 0.0 for s_ in scores]


def section_relevance(chunks: list[RetrievedChunk]) -> list[float]:
    """Each section's relevance in [0, 1]: its dense score and fused score, relative to the
    best of each among the sections retrieved."""
    dense = [rc.dense_score or 0.0 for rc in chunks]
    fused = [rc.score for rc in chunks]
    top_dense, top_fused = max(max(dense), 1e-9), max(max(fused), 1e-9)
    return [
        0.5 * max(0.0, d) / top_dense + 0.5 * f / top_fused
        for d, f in zip(dense, fused, strict=True)
    ]


def split_units(text: str, chunk_index: int) -> list[Unit]:
    """Sentences, list items and table rows of a section, in order; list items and rows point
    at their lead-in (a table's header row leads in its rows)."""
    units: list[Unit] = []
    lead_in: int | None = None
    header: int | None = None
    for raw in text.splitlines():
        line = plain(raw.strip())
        if not line or line.startswith("#"):
            header = None
            continue
        if line.startswith("|"):
            cells = [c.strip() for c in line.strip("|").split("|")]
            if all(re.fullmatch(r":?-{2,}:?", c) or not c for c in cells):
                continue
            row = " | ".join(c for c in cells if c)
            if header is None:
                header = len(units)
                units.append(Unit(row, chunk_index, header, lead_in=lead_in, is_item=True))
            else:
                units.append(Unit(row, chunk_index, len(units), lead_in=header, is_item=True))
            continue
        header = None
        if _LIST_ITEM.match(line):
            item = _LIST_ITEM.sub("", line)
            units.append(Unit(item, chunk_index, len(units), lead_in=lead_in, is_item=True))
            continue
        for sentence in split_sentences(line):
            units.append(Unit(sentence, chunk_index, len(units)))
        lead_in = len(units) - 1 if line.endswith(":") else None
    return units


def plain(line: str) -> str:
    """Markdown made readable: links as "text (address)", no bold marks or heading anchors."""
    line = _LINK.sub(
        lambda m: m.group(1) if m.group(1) == m.group(2) else f"{m.group(1)} ({m.group(2)})", line
    )
    line = _ANCHOR.sub("", line)
    return line.replace("**", "").replace("__", "")


def select_units(units: list[Unit], max_words: int) -> list[Unit]:
    """The best units (and the lead-ins of the list items among them) within the word limit:
    mostly from the section holding the best unit; another section's units only when they
    score nearly as well."""
    best = max(units, key=lambda u: u.score)
    by_key = {(u.chunk_index, u.order): u for u in units}
    chosen: dict[tuple[int, int], Unit] = {}
    said: set[str] = set()  # the same sentence often stands on several pages: say it once
    words = picked = 0
    for unit in sorted(units, key=lambda u: -u.score):
        if _same_text(unit.text) in said:
            continue
        if unit.chunk_index == best.chunk_index:
            floor = KEEP_RELATIVE
        elif unit.page == best.page:
            floor = KEEP_RELATIVE_SAME_PAGE
        else:
            floor = KEEP_RELATIVE_OTHER_PAGE
        if unit.score < floor * best.score:
            continue
        if picked >= MAX_UNITS or (unit.chunk_index, unit.order) in chosen:
            continue
        needed = [unit]
        lead = unit
        while lead.is_item and lead.lead_in is not None:
            lead = by_key.get((lead.chunk_index, lead.lead_in))  # type: ignore[assignment]
            if lead is None or (lead.chunk_index, lead.order) in chosen or lead in needed:
                break
            needed.insert(0, lead)
        whole = needed + _rest_of_short_list(units, unit, chosen, needed)
        cost = sum(word_count(u.text) for u in whole)
        if not chosen or words + cost <= max_words:
            needed = whole  # a short list is read whole: one item of "prices are:" misleads
        else:
            cost = sum(word_count(u.text) for u in needed)
            if chosen and words + cost > max_words:
                continue
        for u in needed:
            chosen[(u.chunk_index, u.order)] = u
            said.add(_same_text(u.text))
        words += cost
        picked += 1
    return sorted(chosen.values(), key=lambda u: (u.chunk_index, u.order))


def _rest_of_short_list(
    units: list[Unit], unit: Unit, chosen: dict[tuple[int, int], Unit], needed: list[Unit]
) -> list[Unit]:
    """The other items (or table rows) under the same lead-in, when the list is short."""
    if not unit.is_item or unit.lead_in is None:
        return []
    siblings = [
        u
        for u in units
        if u.is_item and (u.chunk_index, u.lead_in) == (unit.chunk_index, unit.lead_in)
    ]
    if len(siblings) > MAX_LIST_ITEMS:
        return []
    return [u for u in siblings if (u.chunk_index, u.order) not in chosen and u not in needed]


def _same_text(text: str) -> str:
    return " ".join(re.findall(r"\w+", text.lower()))


def render(chosen: list[Unit], max_words: int) -> str:
    """Plain text: sentences as paragraphs, list items as "- " lines under their lead-in."""
    lines: list[str] = []
    paragraph: list[str] = []
    last_chunk = None
    for unit in chosen:
        if unit.is_item or unit.chunk_index != last_chunk:
            if paragraph:
                lines.append(" ".join(paragraph))
                paragraph = []
        last_chunk = unit.chunk_index
        if unit.is_item:
            lines.append(f"- {unit.text}")
        else:
            paragraph.append(unit.text)
    if paragraph:
        lines.append(" ".join(paragraph))
    return truncate_words("\n".join(lines), max_words)


def truncate_words(text: str, max_words: int) -> str:
    """At most `max_words` words, cut at a word boundary, keeping line breaks."""
    if word_count(text) <= max_words:
        return text
    out: list[str] = []
    left = max_words
    for line in text.split("\n"):
        words = line.split()
        if left <= 0:
            break
        if len(words) > left:
            out.append(" ".join(words[:left]) + " …")
            left = 0
        else:
            out.append(line)
            left -= len(words)
    return "\n".join(out)


def sources_of(chunks: list[RetrievedChunk]) -> list[dict[str, Any]]:
    """Source dicts for the resident, one per section (the page's URL, or None)."""
    seen: set[tuple[str, str]] = set()
    out: list[dict[str, Any]] = []
    for rc in chunks:
        c = rc.chunk
        key = (c.page_id, c.section)
        if key in seen:
            continue
        seen.add(key)
        out.append(
            {"title": c.title, "url": c.url, "section": c.section or c.title, "page": c.page_id}
        )
    return out


def review_sources(chunks: list[RetrievedChunk]) -> list[dict[str, Any]]:
    """Source dicts for staff: add the page's content hash and the retrieved text."""
    out = []
    for rc in chunks:
        c = rc.chunk
        out.append(
            {
                "title": c.title,
                "url": c.url,
                "section": c.section or c.title,
                "page": c.page_id,
                "content_hash": c.content_hash,
                "text": c.text,
            }
        )
    return out
