"""Speed-ups of the redactor that must not change what it finds: the deferred tagger gives the
tags and entities of the full pipeline, and grouped phrase regexes match what flat ones do.
(All sentences invented.)"""

from __future__ import annotations

import re
from pathlib import Path

import spacy

from chatbot.alternation import alternation
from chatbot.deferred_tags import tag_of
from chatbot.redaction import SPACY_MODEL

SENTENCES = [
    "I'm Tomasz Wierzbicki and my neighbour Fenella keeps parking across our drive.",
    "can Ikenna collect the keys for me, he is my brother",
    "The bins on Larkspur Close were missed again, who do I ring?",
    "MY SON ROKAS NEEDS A BUS PASS FOR SEPTEMBER",
]


def test_deferred_tags_equal_the_full_pipeline(redactor) -> None:  # type: ignore[no-untyped-def]
    full = spacy.load(SPACY_MODEL, disable=["parser", "attribute_ruler", "lemmatizer"])
    engine = redactor._analyzer.nlp_engine
    for text in SENTENCES:
        doc = engine.process_text(text, "en").tokens
        expected = full(text)
        assert [(e.start_char, e.end_char, e.label_) for e in doc.ents] == [
            (e.start_char, e.end_char, e.label_) for e in expected.ents
        ]
        assert [t.tag_ for t in doc] == [""] * len(doc)  # not tagged until a tag is read
        assert [tag_of(t) for t in doc] == [t.tag_ for t in expected]


def test_grouped_alternation_matches_like_the_flat_one() -> None:
    phrases = ["type 1 diabetes", "diabetes", "diabetic", "deaf", "d", "a team", "asthma", "9am"]
    phrases.sort(key=len, reverse=True)

    def escape(p: str) -> str:
        return r"[\s\-]*".join(re.escape(w) for w in p.split())

    grouped = re.compile(rf"(?<!\w)(?:{alternation(phrases, escape)})(?!\w)", re.I)
    flat = re.compile(rf"(?<!\w)(?:{'|'.join(escape(p) for p in phrases)})(?!\w)", re.I)
    assert grouped.pattern != flat.pattern
    text = "Type-1 Diabetes, DIABETIC, deaf d a-team ATEAM asthma 9am, diabetesx and d."
    assert [m.span() for m in grouped.finditer(text)] == [m.span() for m in flat.finditer(text)]
    # any phrase not opening with a lower-case ASCII letter or digit: left flat
    assert alternation(["'bout", "about"], re.escape) == "'bout|about"


def test_recognisers_read_tags_through_tag_of() -> None:
    """The Redactor's docs are untagged until `tag_of` tags them: a direct `.tag_` (or `.pos_`,
    which nothing sets here) would silently read ""."""
    root = Path(__file__).resolve().parents[2] / "chatbot"
    direct = [
        f"{path.name}:{number}"
        for path in sorted(root.glob("*.py"))
        if path.name != "deferred_tags.py"
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if re.search(r"\.(?:tag|pos)_\b", line)
    ]
    assert direct == [], "read tags with chatbot.deferred_tags.tag_of(token)"
