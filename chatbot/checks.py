"""The first step: size and character checks on the raw message, before anything else sees it.

Hidden Unicode tag characters (U+E0000-U+E007F, used to smuggle instructions past people),
control characters and invisible format characters are removed; what is left must be a
non-empty message within the limit.
"""

from __future__ import annotations

import re
import unicodedata

_TAGS = re.compile("[\U000e0000-\U000e007f]")
_SPACES = re.compile(r"[ \t\u00a0\u2000-\u200a\u202f\u205f\u3000]+")
_BLANK_LINES = re.compile(r"\n{3,}")


class MessageRejected(ValueError):
    """The message cannot be taken (empty, too long, unusable); str(exc) is a plain message
    for the resident and never contains what they typed."""


def clean_message(message: str, max_chars: int) -> str:
    """The message without hidden characters, or MessageRejected with the reason."""
    if not isinstance(message, str):
        raise MessageRejected("Enter your question")
    if len(message) > max_chars:
        raise MessageRejected(f"Your question must be {max_chars:,} characters or fewer")
    text = _TAGS.sub("", message)
    kept = []
    for ch in text:
        if ch in "\n\t":
            kept.append(ch)
            continue
        category = unicodedata.category(ch)
        if category in ("Cc", "Cf", "Cs", "Co", "Cn"):
            continue  # controls, invisible format characters, surrogates, private use
        kept.append(ch)
    text = _SPACES.sub(" ", "".join(kept).replace("\r", ""))
    text = _BLANK_LINES.sub("\n\n", text).strip()
    if not text or not any(ch.isalnum() for ch in text):
        raise MessageRejected("Enter your question")
    return text
