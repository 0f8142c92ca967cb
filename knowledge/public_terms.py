"""Public terms of the council's own pages: what a page prints is public, never a resident's
personal data when a resident quotes it back.

Taken from every chunk: phone numbers (UK shapes), email addresses, organisation-like names
(two to five capitalised words in a row that are not at a sentence start, such as "National
Debtline", "Bristow & Sutor", "Citizens Advice Bracknell"), and acronyms the pages use more
than once ("PAYE", "HMRC"), which residents type in lower case ("do i register for paye"). The
redactor keeps these; the knowledge base recomputes them when its pages change.

Also the words the pages use in lower case in running text, more than once ("childminder",
"visa", "reablement"): the council's own vocabulary, which a resident's message uses as a word,
never as a name, even where no English word list holds it. They come back in lower case, and
only they do, so the redactor can tell them from the other terms.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable

_PHONE = re.compile(r"(?<![\w+])(?:\+44\s?(?:\(0\)\s?)?|0)\d(?:[\s\-]?\d){8,9}(?!\w)")
_EMAIL = re.compile(r"[\w.+\-']+@[\w\-]+(?:\.[\w\-]+)+")
_CAP = r"[A-Z][\w'’]*[a-z][\w'’]*"
_NAME = re.compile(rf"(?<=[a-z,;] )(?:{_CAP})(?:\s+(?:&|and|of|for|the)?\s*{_CAP}){{1,4}}")
_ACRONYM = re.compile(r"(?<![\w&'’])[A-Z]{2,6}(?![\w&'’])")
# a lower-case word in running text: not part of an address, a file name or a hyphenated word
_LOWER_WORD = re.compile(r"(?<![\w'’@./\-])[a-z]{3,}(?![\w'’@/\-]|\.\w)")
MAX_TERMS = 20_000
MAX_WORDS = 50_000


def public_terms_from_texts(texts: Iterable[str]) -> list[str]:
    """Phone numbers, emails and multi-word capitalised names found in page texts, sorted."""
    found: set[str] = set()
    acronyms: Counter[str] = Counter()
    for text in texts:
        found.update(m.group().strip() for m in _PHONE.finditer(text))
        found.update(m.group().strip(".") for m in _EMAIL.finditer(text))
        found.update(re.sub(r"\s+", " ", m.group()) for m in _NAME.finditer(text))
        acronyms.update(m.group() for m in _ACRONYM.finditer(text))
        if len(found) > MAX_TERMS:
            break
    found.update(a for a, n in acronyms.items() if n >= 2)
    return sorted(found)


def public_words_from_texts(texts: Iterable[str]) -> list[str]:
    """Lower-case words the pages use at least twice, sorted (at most MAX_WORDS)."""
    counts: Counter[str] = Counter()
    for text in texts:
        counts.update(m.group() for m in _LOWER_WORD.finditer(text))
    return sorted(w for w, n in counts.most_common(MAX_WORDS) if n >= 2)


def all_public_terms(texts: Iterable[str]) -> tuple[str, ...]:
    """What `KnowledgeBase.public_terms` gives: the terms, then the lower-case words."""
    texts = list(texts)
    return (*public_terms_from_texts(texts), *public_words_from_texts(texts))
