"""The grounding guard's hard checks on one sentence: figures (amounts, "free", numbers,
times, dates and day names, phone numbers, email addresses) verbatim and in context, links only
as the tokens handed out, citations only to the sections given. Each returns the problems
found, in words staff can read; `grounding.py` runs them with the measured support."""

from __future__ import annotations

import re
from collections.abc import Mapping

from chatbot.wording import content_terms

_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
_PHONE = re.compile(r"(?<!\d)(?:\+44\s?|0)\d{2,4}[\s-]?\d{3,4}[\s-]?\d{3,4}(?!\d)")
# an ordinal is one figure ("21st", not "21": the page says "21st birthday")
_FIGURE = re.compile(r"[£$€]?\d+(?:[.,:/]\d+)*(?:\s?(?:%|am|pm|p\b)|(?:st|nd|rd|th)\b)?", re.I)
_FREE = re.compile(r"\b(?:free of charge|free|no charge|no cost)\b", re.I)  # a price of £0
_DAY = re.compile(
    r"\b(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday|january|february|march|"
    r"april|june|july|august|september|october|november|december)s?\b",
    re.I,
)  # dates in words ("May" is left out: it is also a verb)
_URL = re.compile(r"(?:https?://|www\.)[^\s)\]>\"']+", re.I)
_TOKEN = re.compile(r"\[LINK-\d+\]")
_CITATION = re.compile(r"\[(\d{1,2})\]")
_SPACE = re.compile(r"\s+")


def citation_problems(sentence: str, n_sections: int, problems: list[str]) -> list[int]:
    cited = [int(m) for m in _CITATION.findall(sentence)]
    for n in cited:
        if not 1 <= n <= n_sections:
            problems.append(f"cites section [{n}], which was not retrieved")
    return [n for n in cited if 1 <= n <= n_sections]


def _figures(sentence: str) -> list[str]:
    text = _URL.sub(" ", _TOKEN.sub(" ", _CITATION.sub(" ", sentence)))
    found = _EMAIL.findall(text) + _PHONE.findall(text)
    rest = _PHONE.sub(" ", _EMAIL.sub(" ", text))
    found += [f.strip().rstrip(".,:/") for f in _FIGURE.findall(rest)]
    found += [f.lower() for f in _FREE.findall(rest)]
    found += [f.lower() for f in _DAY.findall(rest)]
    return [f for f in found if f]


def figure_problems(sentence: str, source: str, *more: str) -> list[str]:
    """The sentence's figures that no source (`source`, then each of `more`, read apart so
    that one's words are never next to another's figures) gives next to the same words."""
    problems = []
    for fig in _figures(sentence):
        wanted = _SPACE.sub(" ", fig.lower())
        anywhere = False
        for text in (source, *more):
            found = list(re.finditer(rf"(?<![\d\w]){re.escape(wanted)}(?![\d\w])", text))
            anywhere = anywhere or bool(found)
            if found and (_EMAIL.fullmatch(fig) or _PHONE.fullmatch(fig)):
                break  # an address or a number to call: verbatim is all it takes
            if found and _same_context(sentence.lower(), wanted, text, found):
                break
            if _PHONE.fullmatch(fig) and re.sub(r"\D", "", fig) in re.sub(r"\D", "", text):
                break  # the same phone number, spaced differently
        else:
            where = "next to the same words in" if anywhere else "in"
            problems.append(f"“{fig}” is not {where} the cited sections")
    return problems


def _same_context(sentence: str, figure: str, source: str, found: list[re.Match[str]]) -> bool:
    """A figure means what the pages say only next to the same words: "free" in "take it free
    of charge to a recycling centre" does not support "garden waste collection is free". True
    when more than half of the content words near the figure in the sentence (6 words either
    side) are near one of its places in the source too, or there are no such words."""
    at = sentence.find(figure)
    if at < 0:
        return True
    near = set(content_terms(" ".join(_window(sentence, at, at + len(figure)))))
    near -= set(content_terms(figure))
    if not near:
        return True
    needed = len(near) // 2 + 1
    for m in found:
        around = set(content_terms(" ".join(_window(source, m.start(), m.end()))))
        if len(near & around) >= needed:
            return True
    return False


def _window(text: str, start: int, end: int, words: int = 6) -> list[str]:
    return text[:start].split()[-words:] + text[end:].split()[:words]


def link_problems(sentence: str, links: Mapping[str, str], source: str) -> list[str]:
    problems = []
    for token in _TOKEN.findall(sentence):
        if token not in links:
            problems.append(f"link {token} was not given to it")
    for url in _URL.findall(sentence):
        if url.lower().rstrip(".,;") not in source:
            problems.append("a web address that is not in the pages")
    return problems


def figures_left_out(answer: str, lead: str) -> list[str]:
    """The figures of `lead` (the sentence the pages answer with: its amounts, numbers, times,
    dates, phone numbers, email addresses) that `answer` does not give. An answer written in
    other words is only as sure as the extractive draft it is scored by when it keeps those
    figures: a paraphrase that drops "£12.50" from "how much is it" no longer answers."""
    said = _SPACE.sub(" ", _URL.sub(" ", _TOKEN.sub(" ", answer)).lower())
    said_digits = re.sub(r"\D", "", said)
    missing: list[str] = []
    for fig in dict.fromkeys(_figures(lead)):
        wanted = _SPACE.sub(" ", fig.lower())
        if re.search(rf"(?<![\d\w]){re.escape(wanted)}(?![\d\w])", said):
            continue
        if _PHONE.fullmatch(fig) and re.sub(r"\D", "", fig) in said_digits:
            continue  # the same phone number, spaced differently
        missing.append(fig)
    return missing
