"""What a staff password must be: long enough, not blank, and not a common password.

Length is what matters most (NIST SP 800-63B): at least 12 characters, at most 256 (so argon2
never hashes a megabyte). On top, a password is refused when it is, or is built from, one of the
20,000 most common passwords shipped in `data/common-passwords.txt.gz` (see the README there
for its source and licence): "password1234", "Password!!!!", "qwertyqwerty" and "12 spaces"
are all refused. No rules about digits or symbols: they make passwords worse, not better.
"""

from __future__ import annotations

import functools
import gzip
import re
from pathlib import Path

MIN_PASSWORD = 12
MAX_PASSWORD = 256
MIN_DISTINCT = 5
COMMON_PASSWORDS = Path(__file__).resolve().parent / "data" / "common-passwords.txt.gz"

_EDGES = re.compile(r"^[\W\d_]+|[\W\d_]+$")


@functools.cache
def common_passwords() -> frozenset[str]:
    with gzip.open(COMMON_PASSWORDS, "rt", encoding="utf-8") as lines:
        return frozenset(line.strip() for line in lines if line.strip())


def _built_from_common(password: str) -> bool:
    """The password, or its core without leading/trailing digits and symbols, or a unit it
    repeats, is a common password."""
    common = common_passwords()
    text = "".join(password.lower().split())
    core = _EDGES.sub("", text)
    candidates = {text, core}
    for candidate in list(candidates):
        for size in range(1, len(candidate) // 2 + 1):
            unit = candidate[:size]
            if len(candidate) % size == 0 and unit * (len(candidate) // size) == candidate:
                candidates.add(unit)
                break
    return any(c in common for c in candidates if len(c) >= 4)


def password_problem(password: str, email: str | None = None) -> str | None:
    """Why this password cannot be used (plain English), or None when it can."""
    if len(password) < MIN_PASSWORD:
        return f"The password must be at least {MIN_PASSWORD} characters"
    if len(password) > MAX_PASSWORD:
        return f"The password must be at most {MAX_PASSWORD} characters"
    if not password.strip() or len(set(password.lower()) - {" "}) < MIN_DISTINCT:
        return "The password must not be mostly the same few characters: use a few words"
    if _built_from_common(password):
        return "That password is too common: try three or four words that mean something to you"
    local = (email or "").split("@", 1)[0].lower()
    if len(local) >= 4 and local in password.lower():
        return "The password must not contain your email address"
    return None
