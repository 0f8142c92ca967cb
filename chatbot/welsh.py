"""Welsh word forms shared by the redactor and the urgent detector's gloss."""

from __future__ import annotations

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
