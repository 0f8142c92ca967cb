"""Small text helpers shared by the steps: content words, light stemming, sentences."""

from __future__ import annotations

import re

STOPWORDS = frozenset(
    """a about above after again against all am an and any are aren't as at be because been
    before being below between both but by can can't cannot could couldn't did didn't do does
    doesn't doing don't down during each few for from further get gets got had hadn't has
    hasn't have haven't having he he'd he'll he's her here here's hers herself him himself his
    how how's i i'd i'll i'm i've if in into is isn't it it's its itself let's me more most
    mustn't my myself no nor not of off on once only or other ought our ours ourselves out over
    own same shan't she she'd she'll she's should shouldn't so some such than that that's the
    their theirs them themselves then there there's these they they'd they'll they're they've
    this those through to too under until up very was wasn't we we'd we'll we're we've were
    weren't what what's when when's where where's which while who who's whom why why's with
    won't would wouldn't you you'd you'll you're you've your yours yourself yourselves im ive
    dont cant wont isnt whats hows wasnt didnt doesnt also just now still really please hi
    hello thanks thank yes ok okay need want like know tell help go going do does done
    much many way able one anything something thing things any will shall may might must
    u ur pls plz wanna gonna gotta lol""".split()
)
_TOKEN = re.compile(r"<[A-Z_]+>|£?\d+(?:[.,:]\d+)*(?:%|am|pm|p)?|[a-z]+(?:'[a-z]+)?")
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-Z0-9£\"'(])")


def stem(word: str) -> str:
    """A light English stemmer: enough to match "collections"/"collected"/"collect"."""
    w = word.lower()
    if w.endswith("'s"):
        w = w[:-2]
    for suffix, keep in (("ies", "y"), ("ing", ""), ("ed", ""), ("es", ""), ("s", "")):
        if w.endswith(suffix) and len(w) - len(suffix) >= 3:
            if suffix == "es" and not re.search(r"(ss|sh|ch|x|z)es$", w):
                continue
            if suffix == "s" and w.endswith("ss"):
                continue
            return w[: -len(suffix)] + keep
    return w


def tokens(text: str) -> list[str]:
    return _TOKEN.findall(text.lower())


def content_terms(text: str) -> list[str]:
    """The stems of the words that carry meaning (no stopwords, no placeholders)."""
    out: list[str] = []
    for tok in tokens(text):
        if tok.startswith("<") or tok in STOPWORDS:
            continue
        out.append(stem(tok))
    return out


def split_sentences(text: str) -> list[str]:
    return [s.strip() for s in _SENTENCE_END.split(text) if s.strip()]


def word_count(text: str) -> int:
    return len(text.split())
