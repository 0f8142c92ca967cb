"""Shapes written on names-probe10's tuning half (chatbot/name_context.py, person_names.py):
names that are also words in lower case, by what only a person does around them; and shapes
found later on fresh messages of our own (a flat before a street, a list of children that ends
at its "and"). Messages
invented here, never from a probe or dev set, and traps that must survive."""

from __future__ import annotations

import re

import pytest

GONE = [
    # third session of 4 Dec: whom the writer lives with, and whom they saw before when
    ("we live with kofi, he pays half the bills", ["kofi"]),
    ("popped over to see oluchi yesterday about the fence", ["oluchi"]),
    # a lower-case given name and surname opening a clause before what only a person does
    ("joy hill popped round last night about the hedge", ["joy", "hill"]),
    ("carol reed dropped off the spare key on tuesday", ["carol", "reed"]),
    ("amber lamb and her sister keep blocking the drive", ["amber", "lamb"]),
    ("ellen wood moved out in the summer", ["ellen", "wood"]),
    # a list of such pairs closed by it
    ("nell marsh and dot green both said the lights are out", ["nell", "marsh", "dot", "green"]),
    # a modal takes no past tense: "will" before a surname and a past tense is a person
    ("will lamb moved out of number 9 in may", ["lamb"]),
    # a given name found, then a surname that is also a word where a full name ends
    ("i spoke to my cousin robin wood yesterday", ["robin", "wood"]),
    ("me n sandy hill waited in for the repair", ["sandy"]),
    # a lower-case given name, even a word, opening a clause before what a person does
    ("joy said the van was there all week", ["joy"]),
    ("so robin and his missus are moving", ["robin"]),
    # a family by its plural surname where only a household stands
    ("the lambs upstairs play music till 3am", ["lambs"]),
    ("the fields at number 8 burn rubbish", ["fields"]),
    ("the marshes downstairs have a leak", ["marshes"]),
    # a list of given names (even words) said to be the writer's children
    ("poppy fern and robin are my grandkids", ["poppy", "fern", "robin"]),
    # a pair, where the person is from, then what they do; a pair after "i think"
    ("sue marsh from the tenants group rang me", ["sue", "marsh"]),
    ("i reckon ray lamb owns that caravan", ["ray", "lamb"]),
    # found on fresh messages of our own: a given name no list holds (no English word), a
    # clause opened by "so"/"and", "her fella"
    ("ottilie brook moved out in the spring", ["ottilie", "brook"]),
    ("so rhoda hill said the lift was fixed", ["rhoda", "hill"]),
    ("and june marsh n her fella came round", ["june", "marsh"]),
    # the one told or rung, even a word or "will" (no modal comes right after "tell")
    ("can you tell will his parking permit came", ["will"]),
    ("we told joy the surveyor is coming", ["joy"]),
    ("i texted robin yesterday about the leak", ["robin"]),
    # title case: a second given name that is also a word is the surname before "rang"
    ("Joy Faith rang twice about the fence", ["Joy", "Faith"]),
    # found on fresh messages of our own on 4 Dec (the second session)
    # the one rung on a number
    ("text dawn on 07700 900461, she has the spare key", ["dawn"]),
    # a person's home or group before what they do or have
    ("tell them that rose at flat 6 has the same damp", ["rose"]),
    ("could ivy from the tenants club come to the meeting", ["ivy"]),
    # the owner of a thing, taken up by "he"/"she"
    ("the trailer belongs to jack, he leaves it on the verge", ["jack"]),
    # a word name, then a surname no list holds, before what only a person does
    ("rose vandermeulen came round about the fence", ["rose", "vandermeulen"]),
    # a family by its plural surname in apposition, commas around it
    ("our neighbours, the wisniewskis, have a trampoline by the fence", ["wisniewskis"]),
    # a flat's number or a tenement position before a street read street first
    ("I live at Flat 7c, 4 Heol y Felin, Abertawe", ["Flat 7c", "Heol y Felin"]),
    ("my address is 3/2 41 Cathcart Rd, Glasgow", ["3/2", "Cathcart Rd"]),
]

KEPT = [
    ("the woods next door to the school are overgrown", ["woods"]),
    ("the fields across the road are flooded again", ["fields"]),
    ("the hills at 5.30 in the evening look lovely from the park", ["hills"]),
    ("the greens are overgrown on the estate", ["greens"]),
    ("will green bins be collected on bank holiday monday", ["will", "green bins"]),
    ("brown and green bins went missing", ["brown", "green bins"]),
    ("nan said to ask about her bus pass", ["nan said"]),
    ("rose hill park toilets are locked again", ["rose hill park"]),
    ("the marsh behind the school floods in winter", ["marsh"]),
    ("sunday and monday are my kids days with their dad", ["sunday", "monday"]),
    ("a jack russell at number 12 bit the postman", ["jack russell"]),
    ("i think green bins are collected tuesday", ["green bins"]),
    ("so green bins came round late again", ["green bins"]),
    ("but the council said no", ["council"]),
    ("i told them the truth about the rent", ["told them the truth"]),
    ("i rang housing yesterday and my mum today", ["housing", "my mum"]),
    ("Grace Road said to be closed", ["Grace Road"]),
    # the plural of an English noun that a list holds as a surname is no surname
    ("brown bins moved out to fortnightly", ["brown bins"]),
    ("green and brown bins said to be late", ["green and brown bins"]),
    # a plural after "next door" is a household only before what a household does
    ("the bells next door ring every sunday morning", ["bells"]),
    # traps beside the shapes found on 4 Dec (the second session)
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
    # an English word's -s form after a word name is a verb, not a surname
    ("the burger van parks on the pavement every night", ["van parks"]),
    ("the students, who live upstairs, are noisy", ["students"]),
    ("the bins, have they been emptied yet", ["bins"]),
    ("i live with arthritis, can i get a blue badge", ["arthritis"]),
    ("we stay with family at christmas, who pays the council tax", ["family"]),
    ("i went to see the flat yesterday, its damp", ["the flat"]),
]


def _left(value: str, text: str) -> bool:
    return re.search(r"(?<!\w)" + re.escape(value) + r"(?!\w)", text, re.IGNORECASE) is not None


@pytest.mark.parametrize(("message", "values"), GONE)
def test_probe10_names_are_redacted(redactor, message: str, values: list[str]) -> None:
    out = redactor.redact(message).text
    for value in values:
        assert not _left(value, out), out


@pytest.mark.parametrize(("message", "kept"), KEPT)
def test_probe10_words_are_kept(redactor, message: str, kept: list[str]) -> None:
    out = redactor.redact(message).text
    for word in kept:
        assert word in out, out
