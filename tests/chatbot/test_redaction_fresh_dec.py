"""Shapes found on fresh messages of our own (4 Dec, chatbot/name_context.py): a given name,
even a word, where only a person stands, and a list of children that ends at its "and".
Messages invented here, never from a probe or dev set, and traps that must survive."""

from __future__ import annotations

import re

import pytest

GONE = [
    # the one rung on a number
    ("text dawn on 07700 900461, she has the spare key", ["dawn"]),
    # a person's home or group before what they do or have
    ("tell them that rose at flat 6 has the same damp", ["rose"]),
    ("could ivy from the tenants club come to the meeting", ["ivy"]),
    # the owner of a thing, taken up by "he"/"she"
    ("the trailer belongs to jack, he leaves it on the verge", ["jack"]),
    # a flat's number or a tenement position before a street read street first
    ("I live at Flat 7c, 4 Heol y Felin, Abertawe", ["Flat 7c", "Heol y Felin"]),
    ("my address is 3/2 41 Cathcart Rd, Glasgow", ["3/2", "Cathcart Rd"]),
]

KEPT = [
    ("ring us on 01632 960100 if the bin is missed", ["ring us on"]),
    ("the leak at flat 2 has got worse since may", ["leak at flat 2"]),
    ("summer at number 5 was noisy with parties", ["summer"]),
    ("can someone from the school sign the form for the bus pass", ["someone"]),
    ("can art from the school be shown in the library", ["art"]),
    ("the shed belongs to next door, she says", ["next door"]),
    ("the fridge belongs to mum, she wants it collected", ["mum"]),
    ("it belongs to housing, who never fix anything", ["housing"]),
    # a list of children ends at the name after "and": the verb after it stays
    ("my twins, Amy and Zara, start reception in september", ["start reception"]),
    ("our kids, ruby and jack, go to st marys", ["go to st marys"]),
    ("we have 2 flats to let at 17 Mill Road", ["2 flats to let"]),
]


def _left(value: str, text: str) -> bool:
    return re.search(r"(?<!\w)" + re.escape(value) + r"(?!\w)", text, re.IGNORECASE) is not None


@pytest.mark.parametrize(("message", "values"), GONE)
def test_fresh_names_are_redacted(redactor, message: str, values: list[str]) -> None:
    out = redactor.redact(message).text
    for value in values:
        assert not _left(value, out), out


@pytest.mark.parametrize(("message", "kept"), KEPT)
def test_fresh_words_are_kept(redactor, message: str, kept: list[str]) -> None:
    out = redactor.redact(message).text
    for word in kept:
        assert word in out, out
