"""The section that says how: "how do I pay" wants the page's "Ways to pay".

Retrieval ranks sections by how much they look like the question, and a question about how
to do something looks most like the page's opening and its "if you cannot pay" sections,
which repeat its words; the short section that lists the ways to do it ("Ways to pay", "How to
apply") can fall just outside the sections the answer may quote. When a question asks how to
do something and one of the best pages has a section whose heading offers a way to do that
very thing, that section is quoted in place of the last one, unless a quoted section already
is such a section.
"""

from __future__ import annotations

import re

from chatbot.wording import STOPWORDS, stem
from knowledge.types import RetrievedChunk

__all__ = ["RESERVE", "asked_action", "method_heading", "promote_method_section"]

RESERVE = 5  # sections retrieved beyond those quoted, where a method section may be found
PAGES = 2  # a method section is looked for on the best pages only

# "how do I pay", "how can my son apply", "how to renew", "where can I pay", "ways to pay"
_ASKED = re.compile(
    r"\b(?:(?:how|where)\s+(?:do|can|could|should|would|will|might|shall|does)\s+"
    r"(?:i|we|you|they|he|she|one|(?:my|our)\s+\w+)\s+(?:go\s+about\s+)?"
    r"|how\s+(?:to|would\s+i\s+go\s+about)\s+|ways?\s+(?:to|of)\s+|best\s+way\s+to\s+)"
    # not "how can I pay less", which asks how to owe less, not the ways of paying
    r"([a-z]+)(?!\s+(?:less|fewer|nothing|no\s+more|anything)\b)"
)
# "Ways to pay", "How to apply", "How you can pay", "Where to pay", "Paying online"
_METHOD = re.compile(
    r"^(?:(?:other\s+)?ways?\s+to|how\s+(?:to|you\s+can|do\s+i|can\s+i)|where\s+to|when\s+and\s+how\s+to)\s+(\w+)"
    r"|^(\w+ing)\b"
)
# verbs too general to name a way of doing something ("how do I get", "how can I find out")
_GENERAL = frozenset(
    "get find know be have do make go see check tell ask contact use work start stop".split()
)


def asked_action(question: str) -> str | None:
    """The stem of the verb a how-question asks about ("pay"), or None."""
    match = _ASKED.search(question.lower())
    if not match:
        return None
    verb = match.group(1)
    if len(verb) < 3 or verb in _GENERAL or verb in STOPWORDS:
        return None
    return stem(verb)


def method_heading(heading: str, action: str) -> bool:
    """Does the heading offer a way to do `action` ("Ways to pay", "Paying by Direct Debit")?"""
    match = _METHOD.search(heading.lower().strip())
    if not match:
        return False
    word = match.group(1) or match.group(2)
    return stem(word) == action


def _heading(rc: RetrievedChunk) -> str:
    path = rc.chunk.heading_path
    return path[-1] if len(path) > 1 else ""


def promote_method_section(
    question: str, found: list[RetrievedChunk], keep: int
) -> list[RetrievedChunk]:
    """The `keep` sections to quote: found[:keep], with the best method section of the best
    pages from beyond them moved in at the place of the last, when the question asks how to do
    something and no section in found[:keep] offers a way to do it."""
    quoted = found[:keep]
    action = asked_action(question)
    if action is None or len(found) <= keep:
        return quoted
    if any(method_heading(_heading(rc), action) for rc in quoted):
        return quoted
    best_pages = list(dict.fromkeys(rc.chunk.page_id for rc in quoted))[:PAGES]
    for rc in found[keep:]:
        if rc.chunk.page_id in best_pages and method_heading(_heading(rc), action):
            return [*quoted[: keep - 1], rc]
    return quoted
