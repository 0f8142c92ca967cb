"""Welsh word forms shared by the redactor and the urgent detector's gloss."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import yaml

GLOSSARY_FILE = Path(__file__).resolve().parent / "data" / "welsh_glossary.yaml"

# mutated start -> the radical it may come from (soft, nasal and aspirate mutations)
WELSH_MUTATIONS = (
    ("ngh", "c"), ("mh", "p"), ("nh", "t"), ("ng", "g"), ("ch", "c"), ("ph", "p"), ("th", "t"),
    ("dd", "d"), ("g", "c"), ("b", "p"), ("d", "t"), ("f", "b"), ("f", "m"), ("l", "ll"),
    ("r", "rh"), ("m", "b"), ("n", "d"),
)  # fmt: skip


def welsh_radicals(word: str) -> set[str]:
    """The word and the radical forms a mutation may have made it from (and a dropped g)."""
    out = {word}
    for mutated, radical in WELSH_MUTATIONS:
        if word.startswith(mutated):
            out.add(radical + word[len(mutated) :])
    if word[:1] in "aeiouwyâêîôûŵŷ":
        out.add("g" + word)
    return out


@lru_cache(maxsize=1)
def welsh_glossary() -> tuple[dict[tuple[str, ...], str], dict[str, str]]:
    """General Welsh vocabulary with English glosses (`data/welsh_glossary.yaml`): phrases (as
    word tuples) and words, in their radical forms."""
    data = yaml.safe_load(GLOSSARY_FILE.read_text(encoding="utf-8"))
    phrases = {tuple(k.split()): str(v) for k, v in data["phrases"].items()}
    words = {str(k): str(v) for k, v in data["words"].items()}
    return phrases, words


@lru_cache(maxsize=1)
def welsh_words() -> frozenset[str]:
    """Every word of the glossary, its phrases' words too."""
    phrases, words = welsh_glossary()
    return frozenset(words) | frozenset(w for phrase in phrases for w in phrase)


def is_welsh_word(word: str) -> bool:
    """A Welsh word the glossary knows, as written or read back from a mutation."""
    known = welsh_words()
    return any(form in known for form in welsh_radicals(word.lower().replace("’", "'")))
