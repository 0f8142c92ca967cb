"""Answer assembly: the ranked units become a short reply that leads with the fact asked for.

Rules (each one a resident complaint we measured):
- lead with the best unit (the fact), then the other chosen units in page order;
- quote one page only: never mix two councils' or two services' pages in one answer;
- a list item or table row comes with its lead-in or header, a short list is read whole (with
  or without a lead-in), and a sentence that introduces a list is never left dangling;
- sentences are quoted whole, never cut (the word limit drops units instead);
- when the units come from several sections (three libraries' hours), each block is named by
  its section heading;
- the sources are exactly the sections quoted.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field

from chatbot.answering.candidates import Candidate
from chatbot.answering.fact_types import asked_now, asked_shapes, unit_shapes
from chatbot.answering.method import asked_action, method_heading
from chatbot.wording import content_terms
from knowledge.types import RetrievedChunk

__all__ = ["ASSEMBLY_DEFAULTS", "Composition", "assemble"]

# Chosen on the tuning split's out-of-fold answers (docs/calibration.md): filling the answer
# with the page's next-best units up to the word limit finds every key fact far more often than
# stopping at units close to the best one (59% against 44% of resident questions right). Eight
# units in about 150 words rather than six in 120: the confidence then separates right answers
# from wrong ones better (AUC 0.803 -> 0.817), so more are answered right at the same
# confidently-wrong budget; longer still adds nothing.
ASSEMBLY_DEFAULTS = {
    "relative": 0.0,  # keep units scoring at least this share of the best unit's score
    "minimum": 0.0,  # ... and at least this probability
    "max_units": 8,  # units chosen for their own score (lead-ins and list items come along)
}
MAX_LIST_ITEMS = 8  # a list this long or shorter is read whole
LIST_STRETCH = 1.5  # a list may take the answer this far past the word limit, to stay whole


@dataclass
class Composition:
    text: str
    chunks: list[RetrievedChunk] = field(default_factory=list)  # the sections quoted
    quoted: list[Candidate] = field(default_factory=list)  # the units quoted, in reply order
    best: Candidate | None = None  # the unit the answer leads with
    coverage: float = 0.0  # share of the question's content words in the quoted units
    best_unit_score: float = 0.0


def _words(units: Iterable[Candidate]) -> int:
    return sum(len(c.text.split()) for c in units)


class _Page:
    """The candidates of one page, by section and order, with their lists."""

    def __init__(self, candidates: list[Candidate]) -> None:
        self.by_key = {c.key: c for c in candidates}
        self.children: dict[tuple[int, int], list[Candidate]] = {}
        # a list with no lead-in ("Saturday: 9am to 4pm" under a place's heading): its items,
        # each run of consecutive items one list
        self.runs: dict[tuple[int, int], list[Candidate]] = {}
        run: list[Candidate] = []
        for c in sorted(candidates, key=lambda c: c.key):
            if c.unit.lead_in is not None:
                self.children.setdefault((c.section, c.unit.lead_in), []).append(c)
            loose = c.unit.kind == "item" and c.unit.lead_in is None
            if (
                loose
                and run
                and run[-1].section == c.section
                and run[-1].unit.order + 1 == c.unit.order
            ):
                run.append(c)
            elif loose:
                run = [c]
            if loose:
                for item in run:
                    self.runs[item.key] = run

    def lead_chain(self, c: Candidate) -> list[Candidate]:
        """The units c depends on (a row's header, an item's lead-in), outermost first."""
        chain: list[Candidate] = []
        seen = {c.key}
        while c.unit.lead_in is not None:
            lead = self.by_key.get((c.section, c.unit.lead_in))
            if lead is None or lead.key in seen:
                break
            chain.insert(0, lead)
            seen.add(lead.key)
            c = lead
        return chain

    def items_of(self, c: Candidate) -> list[Candidate]:
        """The items or rows c introduces (for a header row: its rows)."""
        return self.children.get(c.key, [])

    def with_context(self, c: Candidate) -> tuple[list[Candidate], dict[tuple[int, int], int]]:
        """c with what it needs to be read right; and, per long list, how many of its items
        were left out (the reply says so rather than pretend the list is whole)."""
        group = [*self.lead_chain(c), c]
        run = self.runs.get(c.key, [])
        if len(run) <= MAX_LIST_ITEMS:  # a short list is read whole, lead-in or not
            group += [i for i in run if i not in group]
        left_out: dict[tuple[int, int], int] = {}
        for lead in list(group):
            items = self.items_of(lead)
            if not items:
                continue
            if len(items) <= MAX_LIST_ITEMS:
                group += [i for i in items if i not in group]
                # a header row introduces rows: read the whole (short) table
                for i in items:
                    group += [r for r in self.items_of(i) if r not in group]
            elif lead is c:  # c introduces a long list: its best items
                best = sorted(items, key=lambda i: -i.score)[:MAX_LIST_ITEMS]
                group += [i for i in best if i not in group]
                left_out[lead.key] = len(items) - len([i for i in items if i in group])
            else:
                left_out[lead.key] = len(items) - len([i for i in items if i in group])
        return group, left_out


def assemble(
    ranked: list[Candidate],
    retrieved: list[RetrievedChunk],
    question: str,
    max_words: int,
    settings: dict[str, float] | None = None,
) -> Composition:
    """The reply from `ranked` (best first), at most about `max_words` words, one page only."""
    if not ranked:
        return Composition(text="")
    s = {**ASSEMBLY_DEFAULTS, **(settings or {})}
    best = ranked[0]
    page = _Page([c for c in ranked if c.page == best.page])
    floor = max(s["minimum"], s["relative"] * best.score)
    chosen: dict[tuple[int, int], Candidate] = {}
    order: list[Candidate] = []
    left_out: dict[tuple[int, int], int] = {}
    seeds = 0
    leading: set[tuple[int, int]] = set()  # the best unit with its lead-in and list
    said: set[str] = set()  # the same sentence in two sections of a page: say it once
    for c in ranked:
        if c.page != best.page or c.key in chosen:
            continue
        if seeds >= s["max_units"] or (c is not best and c.score < floor):
            break
        if _same(c.text) in said:
            continue
        group, missing = page.with_context(c)
        new = [u for u in group if u.key not in chosen]
        limit = max_words * (LIST_STRETCH if any(u.unit.is_item for u in new) else 1.0)
        if chosen and _words(order) + _words(new) > limit:
            continue
        for u in new:
            chosen[u.key] = u
            said.add(_same(u.text))
        if c is best:
            leading = {u.key for u in group}
        order.append(c)
        for key, count in missing.items():
            left_out[key] = min(count, left_out.get(key, count))
        seeds += 1
    lead = _shape_holder(question, best, order, list(chosen.values()))
    lead = _past_pointer(lead, list(chosen.values()))
    lead = _method_first(question, lead, list(chosen.values()), retrieved)
    if lead is not best:
        leading = {u.key for u in page.with_context(lead)[0]}
    quoted = _reading_order(list(chosen.values()), lead, leading)
    notes: dict[tuple[int, int], int] = {}
    for lead_key, _ in left_out.items():
        items = [c for c in quoted if (c.section, c.unit.lead_in) == lead_key]
        still = len(page.items_of(chosen[lead_key])) - len(items) if lead_key in chosen else 0
        if items and still > 0:
            notes[items[-1].key] = still
    text = _render(quoted, retrieved, notes)
    used = sorted({c.section for c in quoted})
    terms = set(content_terms(question))
    found = set(content_terms(" ".join(c.text for c in quoted)))
    return Composition(
        text=text,
        chunks=[retrieved[i] for i in used],
        quoted=quoted,
        best=best,
        coverage=len(terms & found) / len(terms) if terms else 0.0,
        best_unit_score=best.score,
    )


# A sentence that sends the reader elsewhere ("See if you cannot pay ... for what happens next")
# says no fact of its own: it never opens an answer while its section has more to say.
_POINTER = re.compile(
    r"(?i:(?:see|read|find\s+out\s+(?:more|about|how|what|if|whether)|for\s+more\s+"
    r"(?:information|details|help|advice)|more\s+information)\b)"
)


def _is_pointer(c: Candidate) -> bool:
    return c.unit.kind == "sentence" and _POINTER.match(c.text.lstrip()) is not None


def _past_pointer(lead: Candidate, quoted: list[Candidate]) -> Candidate:
    """The lead, or, when it is a pointer sentence, the first other unit of its section in page
    order (the section is then read from where the page starts it). Only the order changes."""
    if not _is_pointer(lead):
        return lead
    rest = [c for c in quoted if c.section == lead.section and not _is_pointer(c)]
    return min(rest, key=lambda c: c.unit.order) if rest else lead


def _method_first(
    question: str, lead: Candidate, quoted: list[Candidate], retrieved: list[RetrievedChunk]
) -> Candidate:
    """The lead, or, when the question asks how to do something ("how can I pay") and a quoted
    section offers the ways to do it ("Ways to pay"), that section read from its first quoted
    unit: the resident asked how, so the how is read first, in the page's order (the lead's
    own section first when it is one). Only the order changes."""
    action = asked_action(asked_now(question))
    if action is None:
        return lead

    def offers(c: Candidate) -> bool:
        path = retrieved[c.section].chunk.heading_path
        return len(path) > 1 and method_heading(path[-1], action)

    ways = [c for c in quoted if offers(c)]
    if not ways:
        return lead
    section = lead.section if offers(lead) else min(c.section for c in ways)
    return min((c for c in ways if c.section == section), key=lambda c: c.unit.order)


def _same(text: str) -> str:
    return " ".join(text.lower().split())


def _shape_holder(
    question: str, best: Candidate, seeds: list[Candidate], quoted: list[Candidate]
) -> Candidate:
    """The unit to read first: the best one, unless the question can only be answered by one
    shape of value ("how much does it cost": a price) that the best unit lacks and another
    quoted unit holds, which then leads ("What it costs" before "What we collect"). Only the
    order changes: what is quoted, and what the confidence scores, stay the same."""
    shapes = asked_shapes(asked_now(question))
    if not shapes or shapes & unit_shapes(best.text):
        return best
    for c in [*seeds, *quoted]:  # the best-ranked first
        if c is not best and shapes & unit_shapes(c.text):
            return c
    return best


def _reading_order(
    units: list[Candidate], best: Candidate, leading: set[tuple[int, int]]
) -> list[Candidate]:
    """The best unit (with its lead-in and list) first: the fact leads; then the rest of its
    section, then the other sections, each in page order. A sentence that leans on the one
    before it keeps its place after it (the best one too, which then follows it)."""
    first = best.section
    lists = {(c.section, c.unit.lead_in) for c in units if c.key in leading and c.unit.is_item}
    # a sentence that leans on the one before it ("It is printed on your bill", "But a dog
    # that barks all night ...") stays right after it when both are quoted
    at = {c.key: c for c in units}
    anchor: dict[tuple[int, int], Candidate] = {}
    for c in units:
        a = c
        before = (a.section, a.unit.order - 1)
        while _leans_back(a) and before in at and at[before].unit.kind == "sentence":
            a = at[before]
            before = (a.section, a.unit.order - 1)
        anchor[c.key] = a
    lead_anchor = anchor[best.key].key

    def leads(c: Candidate) -> bool:
        return (
            c.key in leading
            or c.key == lead_anchor
            or (c.unit.is_item and (c.section, c.unit.lead_in) in lists)
        )

    def place(c: Candidate) -> tuple[bool, bool, int, int, int]:
        a = anchor[c.key]
        return (a.section != first, not leads(a), a.section, a.unit.order, c.unit.order)

    return sorted(units, key=place)


# Words that open a sentence which only makes sense after the one before it.
_LEANS_BACK = re.compile(
    r"(?i:(?:it|its|this|that|these|those|they|them|their|he|she|but|however|so|also|and|or"
    r"|otherwise|instead|then|such|if\s+so|if\s+not|in\s+this\s+case|in\s+that\s+case)\b)"
)


def _leans_back(c: Candidate) -> bool:
    return c.unit.kind == "sentence" and _LEANS_BACK.match(c.text.lstrip()) is not None


def _render(
    quoted: list[Candidate], retrieved: list[RetrievedChunk], left_out: dict[tuple[int, int], int]
) -> str:
    """Plain text: sentences as paragraphs, items and rows as "- " lines under their lead-in;
    a heading line per section when several sections (places, services) are quoted."""
    sections = list(dict.fromkeys(c.section for c in quoted))
    names = {i: retrieved[i].chunk.section or retrieved[i].chunk.title for i in sections}
    label = len(sections) > 1 and len(set(names.values())) > 1
    lines: list[str] = []
    for section in sections:
        units = [c for c in quoted if c.section == section]
        paragraph: list[str] = []
        block: list[str] = []
        for c in units:
            if c.unit.is_item and c.unit.kind != "header" or c.unit.kind == "row":
                if paragraph:
                    block.append(" ".join(paragraph))
                    paragraph = []
                block.append(f"- {c.text}")
            elif c.unit.kind == "header":
                if paragraph:
                    block.append(" ".join(paragraph))
                    paragraph = []
                block.append(c.text)
            else:
                paragraph.append(c.text)
            missing = left_out.get(c.key)
            if missing:
                if paragraph:
                    block.append(" ".join(paragraph))
                    paragraph = []
                block.append("(the page lists more)")
        if paragraph:
            block.append(" ".join(paragraph))
        if label:  # on its own line: the heading, word for word
            block.insert(0, f"{names[section].rstrip(':')}:")
        lines += block
    return "\n".join(lines)
