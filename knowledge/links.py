"""Which page addresses may become links: absolute http(s) URLs only.

A page's front-matter (or a canonical link) is content we did not write. A `javascript:`,
`data:` or `vbscript:` address, or one disguised with spaces, tabs or control characters that
browsers skip, must never become a link in front of a resident or a reviewer. Used when pages
are ingested and again whenever sources are shown (anything indexed before the check, or a
renderer written later, gets the same answer). `safe_link` is the one function to call.
"""

from __future__ import annotations

from urllib.parse import urlsplit

SAFE_SCHEMES = frozenset({"http", "https"})
MAX_URL = 2048


def safe_link(url: object) -> str | None:
    """`url` when it is an absolute http(s) address with a host, else None."""
    if not isinstance(url, str):
        return None
    text = url.strip()
    if not text or len(text) > MAX_URL:
        return None
    if any(ch.isspace() or ord(ch) < 0x20 or ord(ch) == 0x7F for ch in text):
        return None  # "java\tscript:" is "javascript:" to a browser
    try:
        parts = urlsplit(text)
    except ValueError:
        return None
    if parts.scheme.lower() not in SAFE_SCHEMES or not parts.hostname:
        return None
    return text
