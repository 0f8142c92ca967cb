"""Slots found on names-probe24 (fresh messages of our own, 4 Dec, late evening) where a
given name in lower case that is also an everyday word ("olive", "pat", "cliff") can only be a
person: an age said of it, "who lives/moved/works ...", a possessive before a person's things,
a child of the family starting school, fetching something on the writer's behalf, spoken to
on the phone, and a writer coming back "again about". And a lower-case word's "'s here" is
"has come", not a writer introducing themself ("autumn's here"). And from pii-probe17: a
bank is banked with, switched to and holds accounts ("I bank with Monzo"), but a relation's
or a joint account holder's name stays a name. Messages invented here, never from a probe or
dev set. From names-probe25: a capitalised given name that is also a word ("Dan", "Penny")
opening a clause before what a person does ("said", "moved out"), as in lower case. From
names-probe32: a name no list holds, told by a "he"/"she" after a when, a possessive before a
person's things, "next door" after it, "with ... when" or "i think ... took"; and firms and
apps residents name (chatbot/data/uk_firms.txt) are not names. From names-probe33: a
capitalised word-name given something, the subject of reported speech doing what a person
does, or with an age opening the message."""

from __future__ import annotations

import re

import pytest

GONE = [
    ("brandy is 9 and needs a bus pass", ["brandy"]),
    ("and hazel just turned 4, can she start nursery", ["hazel"]),
    ("misty who rents the flat above has a leak", ["misty"]),
    ("wade's caravan is on the road again", ["wade"]),
    ("the kids keep kicking balls into sunny's garden", ["sunny"]),
    ("our pearl starts school in september, which one", ["pearl"]),
    ("can clay pick up my blue badge while i'm in hospital", ["clay"]),
    ("i spoke to lance on the phone yesterday about the skip", ["lance"]),
    ("hi it's brook again about the broken bench", ["brook"]),
    # names-probe26: with, for or from someone, by what follows the word
    ("we took the sofa to the tip with chip and his brother", ["chip"]),
    ("the spare fob is with sunny at no 12", ["sunny"]),
    ("had a message from reed saying the van is fixed", ["reed"]),
    ("i cook and misty pays the gas", ["misty"]),
    ("the lease was signed by dusty, not me", ["dusty"]),
    # names-probe27: a capitalised word-name opening a sentence, what a person does, "his"/"her"
    ("Gale keeps leaving her trolley in the lift", ["Gale"]),
    ("Buck never puts his bins out", ["Buck"]),
    ("Sterling parks his van across the dropped kerb", ["Sterling"]),
    # names-probe28: greeted or signing off, a place's name or an English word in a full name
    ("Dear Chester Brown, the bins were missed", ["Chester", "Brown"]),
    ("Hi Denver Smith, any news?", ["Denver", "Smith"]),
    ("Regards, Kendal Harrow", ["Kendal", "Harrow"]),
    # names-probe29: whom a thing is for or sent to
    ("a letter for sunny came to our flat by mistake", ["sunny"]),
    ("i passed the form to wade on monday", ["wade"]),
    # names-probe30: taken up by "he"/"she" after "for"/"with"; spoken to at the start
    ("i'm writing for dawn, she has no phone", ["dawn"]),
    ("chip, are you the one dealing with the fence", ["chip"]),
    # names-probe31: c/o, "in ...'s name", on behalf of, the account holder is
    ("forward it c/o misty please", ["misty"]),
    ("the tenancy is in brook's name", ["brook"]),
    ("the account holder is reed, not me", ["reed"]),
    # pii-probe17: a bank's context never hides a person
    ("my son Ezekiel savings account was frozen", ["Ezekiel"]),
    ("I had a joint account with Radoslaw until he left", ["Radoslaw"]),
    # names-probe25: a capitalised given name that is also a word, opening a clause before
    # what a person does
    ("Clay said the van would come on friday", ["Clay"]),
    ("Brook moved out in march, take her off the account", ["Brook"]),
    ("the rent went into Marisol's account by mistake", ["Marisol"]),
    # names-probe32: a name no list holds, told by what follows it
    ("I passed the letter to Quorra on monday and she lost it", ["Quorra"]),
    ("Belvin's kids keep climbing our fence", ["Belvin"]),
    ("the sofa is from ondrej downstairs", ["ondrej"]),
    ("i was with tamsk when the wall fell", ["tamsk"]),
    ("apparently vorrin broke the gate", ["vorrin"]),
    # names-probe33: a capitalised word-name given something, the subject of reported speech,
    # or with an age opening the message
    ("we handed Pearl the keys on friday", ["Pearl"]),
    ("the GP says Sunny needs a ramp at the door", ["Sunny"]),
    ("Ruby is 9 and gets free school meals", ["Ruby"]),
]

KEPT = [
    ("the ivy's roots are lifting the path", ["the ivy's roots"]),
    ("last autumn's flood damaged the shed", ["last autumn's flood"]),
    ("heather is 3 feet tall along the verge", ["heather is 3 feet"]),
    ("guy who lives next door parks on the grass", ["guy who lives"]),
    ("my bill is 12 pounds more this year", ["my bill is 12"]),
    ("spring's here and the grass needs cutting", ["spring's here"]),
    ("winter's here, are the gritters out", ["winter's here"]),
    ("can grant funding pay for a stairlift", ["grant funding"]),
    ("Autumn came round fast this year", ["Autumn came round"]),
    ("Housing said someone would ring", ["Housing said"]),
    # words the frequency list lacks (chatbot/data/english_more.txt) and texted contractions
    ("my dad has alzheimers and i am skint", ["alzheimers", "skint"]),
    ("she has crohns and im knackered", ["crohns", "knackered"]),
    ("theres scorch marks round the boiler", ["theres scorch marks"]),
    ("whats happening with the bins", ["whats happening"]),
    ("the ivy and its roots are in the drain", ["the ivy and its roots"]),
    ("the rent was paid by direct debit", ["by direct debit"]),
    ("we were visiting leeds when the car was towed", ["visiting leeds"]),
    ("Sterling parks his van across the dropped kerb", ["parks his van"]),
    ("Oak leaves cover her path every autumn", ["Oak leaves cover"]),
    ("Will he need a new form", ["Will he"]),
    ("Dear Chester Zoo, do you do group tickets", ["Chester Zoo"]),
    ("Hi Preston Council, my bin is missing", ["Preston Council"]),
    ("Dear Clifton Suspension Bridge trust", ["Clifton Suspension Bridge"]),
    ("the letters for housing were sent to the council yesterday", ["to the council"]),
    ("the sign for amber lights is broken", ["amber lights"]),
    ("its for ivy, it grows up the wall", ["for ivy"]),
    ("sorry, are you open on sundays", ["sorry, are you"]),
    ("the licence is in the club's name", ["the club's name"]),
    ("on behalf of the tenants association", ["on behalf of the tenants association"]),
    # pii-probe17: banks
    ("we bank with Starling and the payment bounced", ["Starling"]),
    ("can the refund go to my Monzo account", ["Monzo"]),
    ("I switched banks to Chase in the spring", ["Chase"]),
    ("account is Chase GB33 BUKB 2020 1555 5555 55", ["Chase"]),
    # names-probe32: firms and apps residents name, and a town after a word of going
    ("I paid for it with Klarna in three parts", ["Klarna"]),
    ("the parcel came with Evri yesterday and he left it in the rain", ["Evri"]),
    ("we found the house on Zoopla", ["Zoopla"]),
    ("I moved to Llandrindod last year and she came with me", ["Llandrindod"]),
    # names-probe33 traps: a body given something, a month in reported speech, a street
    ("we handed Planning the drawings", ["Planning"]),
    ("the paper says June was the hottest month", ["June was"]),
    ("the sign said Rose Lane is shut", ["Rose Lane"]),
    # a rank after an article is the role: the word after it is what the officer does
    ("the inspector rang on friday", ["the inspector rang"]),
    ("our councillor visits the estate on saturdays", ["our councillor visits"]),
]


def _left(value: str, text: str) -> bool:
    return re.search(r"(?<!\w)" + re.escape(value) + r"(?!\w)", text, re.IGNORECASE) is not None


@pytest.mark.parametrize(("message", "values"), GONE)
def test_probe24_names_in_a_persons_slot_are_redacted(
    redactor, message: str, values: list[str]
) -> None:
    out = redactor.redact(message).text
    for value in values:
        assert not _left(value, out), out


@pytest.mark.parametrize(("message", "kept"), KEPT)
def test_probe24_words_are_kept(redactor, message: str, kept: list[str]) -> None:
    out = redactor.redact(message).text
    for word in kept:
        assert word in out, out
