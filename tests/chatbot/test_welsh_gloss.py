"""The English gloss of Welsh messages the urgent model reads (`chatbot/safety/welsh_gloss.py`)."""

from __future__ import annotations

import pytest

from chatbot.language import LanguageIdentifier
from chatbot.safety.welsh_gloss import gloss, gloss_clause

_LANGUAGE = LanguageIdentifier()


def _welsh(clause: str) -> bool:
    return _LANGUAGE.detect(clause) == "cy"


@pytest.mark.parametrize(
    "welsh, english",
    [
        # nasal mutation after "fy" (nhad <- tad), soft after "o" and in "i'r"
        ("mae fy nhad wedi llewygu", "father has fainted"),
        ("mae'r plentyn wedi llyncu cannydd", "child has swallowed bleach"),
        # a phrase is read before its words ("ar ei phen ei hun", on her own)
        ("mae mam ar ei phen ei hun", "mother on her own"),
        ("dydy hi ddim yn anadlu", "she is not breathing"),
    ],
)
def test_welsh_words_and_phrases_are_glossed(welsh: str, english: str) -> None:
    assert english in gloss_clause(welsh)


def test_placeholders_stay_and_unknown_words_go() -> None:
    """A redacted value keeps its placeholder; a word the glossary lacks that is no English
    word (a place, a name) is dropped rather than guessed."""
    assert gloss_clause("mae <PERSON> wedi cwympo ym Mhontypridd") == "is <PERSON> has fall in"


@pytest.mark.parametrize(
    "text",
    [
        "my nan fell in the kitchen and cannot get up",
        "im 40. who fixes the fence?",  # a short clause, not Welsh
        "bins tues?",
    ],
)
def test_an_english_message_is_never_rewritten(text: str) -> None:
    assert gloss(text, _welsh) == text


def test_a_mixed_message_keeps_its_english_half() -> None:
    """Residents switch language at a comma: only the Welsh clause is glossed."""
    out = gloss("mae taid wedi syrthio yn y gegin, he hit his head and isnt answering", _welsh)
    assert out.startswith("is grandfather has fall") and out.endswith(
        "he hit his head and isnt answering"
    )
