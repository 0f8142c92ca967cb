"""Shapes found on names-probe11 and names-probe12 (fresh messages of our own, fourth session
of 4 Dec): the one who did something, after a passive verb and "by"; whatever a person "is
called"; the writer's home after an opening name; and plain forms of
English words ("lodgers", "minder", "parks") that no word list holds, which were taken for
names no list holds. Messages invented here, never from a probe or dev set."""

from __future__ import annotations

import re

import pytest

from chatbot.person_names import NameLexicon

GONE = [
    # a given name after a passive verb and "by"
    ("the bulky waste was booked by rasmus for friday", ["rasmus"]),
    ("my claim form was filled in by wilhelmina at the library", ["wilhelmina"]),
    ("the fence was put up by ignatius next door", ["ignatius"]),
    # a chap, a lad, a lass called ...
    ("a chap called dorian from the council came round", ["dorian"]),
    ("a lass named oriana keeps parking on the grass", ["oriana"]),
    # names-probe12: whatever word a person "is called" or is "named" is their name, even a
    # nickname or a word ("a lad called ...", "my carer is called ... and she ...")
    ("theres a lad called baz, he rides his scooter on the footpath", ["baz"]),
    ("my childminder is called marigold and she has the kids on tuesdays", ["marigold"]),
    ("my cousin is named sunny, can he collect my blue badge", ["sunny"]),
    # ... and after a bare "called", a word whose verb follows (found by `make run`'s check)
    ("a lad called jonno parks his van across our gate", ["jonno"]),
    # the writer's home after the name that opens the message
    ("hi its hazel from the flats by the station, the lift is out again", ["hazel"]),
    # after "my" and a relation, a word no list holds is still a name, even one that reads as
    # an English word and an ending ("mare"+"d")
    ("my daughter mared has a new school place", ["mared"]),
    # names-probe13: a question about a person opened by an auxiliary; "its me, ..."; an
    # initial with its full stop after a title
    ("has dagmar been given a date for the assessment", ["dagmar"]),
    ("its me, rosalind, about the leak in the bathroom", ["rosalind"]),
    ("we keep getting post for a mrs j. fotheringham", ["fotheringham"]),
    # names-probe14: a lower-case title before a name ("nurse ..."), "aka", a fond word before
    # a neighbour's name that is no English word
    ("nurse oonagh from the clinic rang about the equipment", ["oonagh"]),
    ("my cousin aka gazza is staying for a month", ["gazza"]),
    ("poor old thaddeus across the road hasnt had his shopping", ["thaddeus"]),
]

KEPT = [
    # a firm or a way after "by" is no name
    ("the parcel was sent by evri and never came", ["evri"]),
    ("i paid by paypal last month", ["paypal"]),
    ("the form was filled in by hand", ["by hand"]),
    # plain forms of English words, in lists, after a relation word, after a name
    ("my two lodgers, both students, share the back bedroom", ["lodgers"]),
    ("the child minder down the road has a waiting list", ["child minder"]),
    ("my neighbour hoards scrap metal in the front garden", ["hoards"]),
    ("a bloke called magnus, parks his van on the pavement", ["parks his van"]),
    ("the walkers and the joggers use the cycle path", ["walkers", "joggers"]),
    # "called" is also what a person did: how or when it was done stays
    ("a man called round about the gas meter", ["called round"]),
    ("the officer called back twice but missed me", ["called back"]),
    ("our rabbit is called toffee and he chewed the bin lid", ["toffee"]),
    ("has anybody been told about the broken swing", ["has anybody been"]),
    ("its me again about the brown bin", ["its me again"]),
    ("the old lady across the road keeps feeding the pigeons", ["old lady"]),
    ("the nurse said to ring you about a bath seat", ["the nurse said"]),
    # after "my" and a relation, an English word's -s form is the verb
    ("my lodger vapes in his room, is that allowed", ["vapes"]),
]


def _left(value: str, text: str) -> bool:
    return re.search(r"(?<!\w)" + re.escape(value) + r"(?!\w)", text, re.IGNORECASE) is not None


@pytest.mark.parametrize(("message", "values"), GONE)
def test_probe11_names_are_redacted(redactor, message: str, values: list[str]) -> None:
    out = redactor.redact(message).text
    for value in values:
        assert not _left(value, out), out


@pytest.mark.parametrize(("message", "kept"), KEPT)
def test_probe11_words_are_kept(redactor, message: str, kept: list[str]) -> None:
    out = redactor.redact(message).text
    for word in kept:
        assert word in out, out


def test_english_forms_are_words_but_given_names_are_not() -> None:
    lexicon = NameLexicon()
    for word in ("lodgers", "minder", "parks", "hoards"):
        assert lexicon.is_english_form(word), word
    for word in ("tomasz", "keeley"):  # no English word, and a given name
        assert not lexicon.is_english_form(word), word
