"""Answer units: the sentences, list items and table rows of a chunk, the pieces an answer quotes.

Split once at ingestion, in reading order, and embedded there too (`KnowledgeBase` stores one
vector per unit beside the chunk's vector and reuses it while the chunk is unchanged), so
composing an answer never embeds page text at question time. A list item points at the sentence
that introduces it, and a table row at its header row, so an answer can quote them together.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

__all__ = ["Unit", "plain", "split_sentences", "split_units", "unit_texts"]

UnitKind = Literal["sentence", "item", "row", "header"]

_LINK = re.compile(r"\[([^\]]+)\]\(([^)\s]+)\)")
_ANCHOR = re.compile(r"\s*\{#[^}]*\}\s*$")
_LIST_ITEM = re.compile(r"^\s*(?:[-*+•]|\d{1,3}[.)])\s+")
_TABLE_RULE = re.compile(r":?-{2,}:?")
# A sentence ends at . ! ? followed by a capital, digit, £ or quote; never after a common
# abbreviation ("e.g.", "Mr.", "No.") so the pieces read whole.
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-Z0-9£\"'(])")
_ABBREVIATION = re.compile(r"\b(?:e\.g|i\.e|etc|mr|mrs|ms|dr|no|st|approx|incl|vs)\.$", re.I)


@dataclass(frozen=True)
class Unit:
    """One quotable piece of a chunk. `lead_in` is the order of the unit it depends on: the
    sentence introducing a list item, or a table's header row for a row."""

    text: str
    order: int
    kind: UnitKind = "sentence"
    lead_in: int | None = None

    @property
    def is_item(self) -> bool:
        return self.kind in ("item", "row", "header")

    @property
    def introduces_list(self) -> bool:
        return self.kind == "sentence" and self.text.rstrip().endswith(":")


def plain(line: str) -> str:
    """Markdown made readable: links as "text (address)", no bold marks or heading anchors."""
    line = _LINK.sub(
        lambda m: m.group(1) if m.group(1) == m.group(2) else f"{m.group(1)} ({m.group(2)})", line
    )
    line = _ANCHOR.sub("", line)
    return line.replace("**", "").replace("__", "").replace("`", "")


def split_sentences(text: str) -> list[str]:
    """Sentences of a paragraph, never split after an abbreviation."""
    out: list[str] = []
    for piece in _SENTENCE_END.split(text):
        piece = piece.strip()
        if not piece:
            continue
        if out and _ABBREVIATION.search(out[-1]):
            out[-1] = f"{out[-1]} {piece}"
        else:
            out.append(piece)
    return out


def split_units(text: str) -> list[Unit]:
    """Sentences, list items and table rows of a chunk's text, in order."""
    units: list[Unit] = []
    lead_in: int | None = None  # the sentence ending in ":" just before a list
    header: int | None = None  # the current table's header row
    for raw in text.splitlines():
        line = plain(raw.strip())
        if not line or line.startswith("#"):
            header = None
            if not line:
                continue
            line = line.lstrip("#").strip()
            if not line:
                continue
        if line.startswith("|"):
            cells = [c.strip() for c in line.strip("|").split("|")]
            if all(_TABLE_RULE.fullmatch(c) or not c for c in cells):
                continue
            row = " | ".join(c for c in cells if c)
            if header is None:
                header = len(units)
                units.append(Unit(row, len(units), "header", lead_in))
            else:
                units.append(Unit(row, len(units), "row", header))
            continue
        header = None
        if _LIST_ITEM.match(line):
            item = _LIST_ITEM.sub("", line).strip()
            if item:
                units.append(Unit(item, len(units), "item", lead_in))
            continue
        for sentence in split_sentences(line):
            units.append(Unit(sentence, len(units), "sentence"))
        lead_in = len(units) - 1 if units and line.endswith(":") else None
    return units


def unit_texts(text: str) -> list[str]:
    """What is embedded for each unit of a chunk (its text as a resident reads it)."""
    return [u.text for u in split_units(text)]
