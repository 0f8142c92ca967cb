"""A word-by-word English gloss of the Welsh in a message, for the urgent detector.

The detector's model learnt English: on Welsh words its score is noise (a fresh Welsh probe:
a father who fainted and is not breathing scored 0.10, a son starting school 0.20). The
gloss carries the meaning into words it knows ("mae fy nhad wedi llewygu" -> "is my father has
fainted"): broken English, but the risk words and who they concern survive. Only the Welsh
clauses are glossed ("mae nain wedi syrthio, she hit her head" keeps its English half); in
them an English word the glossary lacks stays, any other unknown word (a name, a place, Welsh
we do not know) is dropped, and placeholders of redacted values stay. The glossary is general
Welsh vocabulary (`chatbot/data/welsh_glossary.yaml`); mutated forms are read back to their radical.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import lru_cache

from chatbot.welsh import welsh_glossary, welsh_radicals

_TOKEN = re.compile(r"<[A-Z_]+>|['’][a-zA-Z]+|[a-zA-Zâêîôûŵŷäëïöüẅÿáéíóúẃýàèìòùẁỳ-]+")
# a clause ends at punctuation; the mixed messages residents write switch language there
_CLAUSE = re.compile(r"[^.,!?;:\n]+[.,!?;:\n]*")
MAX_PHRASE_WORDS = 5
MIN_WELSH_WORDS = 2


@lru_cache(maxsize=1)
def _english() -> frozenset[str]:
    from chatbot.person_names import word_list

    return word_list("english_words")


def _lookup(token: str, words: dict[str, str]) -> str | None:
    """The gloss of the token as written, or of a radical a mutation made it from."""
    if token in words:
        return words[token]
    for form in sorted(welsh_radicals(token) - {token}):
        if form in words:
            return words[form]
    return None


def _word(token: str, words: dict[str, str]) -> str | None:
    found = _lookup(token, words)
    if found is not None:
        return found
    return token if token in _english() else None


def gloss_clause(text: str) -> str:
    """English words for the Welsh ones of one clause, in its order."""
    phrases, words = welsh_glossary()
    tokens = [t if t.startswith("<") else t.lower().replace("’", "'") for t in _TOKEN.findall(text)]
    out: list[str] = []
    i = 0
    while i < len(tokens):
        for n in range(min(MAX_PHRASE_WORDS, len(tokens) - i), 1, -1):
            if (key := tuple(tokens[i : i + n])) in phrases:
                out.append(phrases[key])
                i += n
                break
        else:
            token = tokens[i]
            english = token if token.startswith("<") else _word(token, words)
            if english:
                out.append(english)
            i += 1
    return " ".join(w for w in out if w)


def _welsh_words(clause: str) -> int:
    """Words of the clause the glossary knows that are no English word ("shes 91" has none)."""
    _, words = welsh_glossary()
    english = _english()
    return sum(
        token not in english and _lookup(token, words) is not None
        for token in _TOKEN.findall(clause.lower().replace("’", "'"))
    )


def gloss(text: str, is_welsh: Callable[[str], bool]) -> str:
    """The message with each Welsh clause glossed: `is_welsh` says so and it holds at least
    MIN_WELSH_WORDS Welsh words (a short English clause, "im 22.", can look Welsh to a
    letter model). The text itself when no clause is (an English message is never rewritten)."""
    clauses = _CLAUSE.findall(text) or [text]
    welsh = [is_welsh(c) and _welsh_words(c) >= MIN_WELSH_WORDS for c in clauses]
    if not any(welsh):
        return text
    parts = [gloss_clause(c) if w else c.strip() for c, w in zip(clauses, welsh, strict=True)]
    return " ".join(p for p in parts if p)
