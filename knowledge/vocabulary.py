"""Residents' words for council things (`vocabulary.yaml`): the search adds the council's
wording, so a page that never says "the tip" or "bin men" is still found.

Only the search text changes (BM25 and the dense query); the question the answer is composed
for, scored on and shown to staff stays the resident's own.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import yaml

__all__ = ["expand_query"]

VOCABULARY_FILE = Path(__file__).with_name("vocabulary.yaml")


@dataclass(frozen=True)
class _Entry:
    pattern: re.Pattern[str]
    means: str


def _phrase(words: str) -> str:
    parts = [re.escape(w) for w in words.split()]
    # a final "'s" or plural -s: "dog poo's", "lollipop ladies" is not covered (say it whole)
    return r"\s+".join(parts) + r"(?:'s|’s|s)?"


@lru_cache(maxsize=1)
def _entries(path: Path = VOCABULARY_FILE) -> tuple[_Entry, ...]:
    data = yaml.safe_load(path.read_text(encoding="utf-8")) or []
    out = []
    for item in data:
        says = "|".join(_phrase(str(s)) for s in item["says"])
        not_after = "".join(
            rf"(?<!{re.escape(str(w))}[\s\-])(?<!{re.escape(str(w))})"
            for w in item.get("not_after", [])
        )
        pattern = re.compile(rf"(?<![\w\-]){not_after}(?:{says})(?![\w\-])", re.IGNORECASE)
        out.append(_Entry(pattern, str(item["means"])))
    return tuple(out)


def expand_query(text: str) -> str:
    """`text` with the council's wording for any resident's word in it, in brackets at the end
    (once each, and only where the text does not already use that wording)."""
    folded = text.casefold()
    added: list[str] = []
    for entry in _entries():
        if entry.means.casefold() in folded or entry.means in added:
            continue
        if entry.pattern.search(text):
            added.append(entry.means)
    return f"{text} ({'; '.join(added)})" if added else text
