"""Long case-insensitive alternations of phrases, written so that `re` tries fewer of them.

`re` tries the alternatives of `(?:asthma|autism|cancer|...)` one by one at every position;
grouped by first character, `(?:a(?:sthma|utism)|c(?:ancer)|...)`, it tries one group. The match
is the same: the groups start with different ASCII letters or digits, which never match the same
character (even ignoring case), so at most one group can match at a position, and within a group
the alternatives keep their order (and so which one wins).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence


def alternation(phrases: Sequence[str], escape: Callable[[str], str]) -> str:
    """`escape(p1)|escape(p2)|...` for `phrases` in their order, grouped by first character when
    every phrase starts with an ASCII letter in lower case or a digit that `escape` keeps as the
    first character of its pattern (else ungrouped)."""
    escaped = [escape(p) for p in phrases]
    if not all(
        p[:1].isascii() and (p[:1].isdigit() or p[:1].islower()) and e[:1] == p[:1]
        for p, e in zip(phrases, escaped, strict=True)
    ):
        return "|".join(escaped)
    groups: dict[str, list[str]] = {}
    for e in escaped:
        groups.setdefault(e[0], []).append(e[1:])
    return "|".join(f"{first}(?:{'|'.join(rests)})" for first, rests in groups.items())
