"""Reference codes residents use to collect a staff answer: unguessable, easy to read aloud.

`TH-7KQ2-M9XD-4RPA`: 12 characters from a 32-character alphabet with no 0/O or 1/I, so
60 random bits from `secrets`.
"""

from __future__ import annotations

import re
import secrets

ALPHABET = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"
PREFIX = "TH"
GROUPS = 3
GROUP_SIZE = 4
RANDOM_BITS = GROUPS * GROUP_SIZE * 5  # log2(32) = 5 bits a character
_SEPARATORS = re.compile(r"[\s\-_.–—/]+")


def new_reference() -> str:
    """A fresh reference code, e.g. `TH-7KQ2-M9XD-4RPA`."""
    body = "".join(secrets.choice(ALPHABET) for _ in range(GROUPS * GROUP_SIZE))
    return _format(body)


def normalise_reference(typed: str) -> str:
    """The reference as stored, from what a resident typed (any case, spaces or dashes,
    with or without the `TH` prefix). Raises ValueError when it cannot be a reference."""
    compact = _SEPARATORS.sub("", (typed or "").strip()).upper()
    size = GROUPS * GROUP_SIZE
    if len(compact) == size + len(PREFIX) and compact.startswith(PREFIX):
        compact = compact[len(PREFIX) :]
    if len(compact) != size or any(c not in ALPHABET for c in compact):
        raise ValueError("not a reference code")
    return _format(compact)


def _format(body: str) -> str:
    groups = [body[i : i + GROUP_SIZE] for i in range(0, len(body), GROUP_SIZE)]
    return "-".join([PREFIX, *groups])
