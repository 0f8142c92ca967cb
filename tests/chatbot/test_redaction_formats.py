"""Formats residents write personal values in that the other redaction tests lack, and the
public words beside them that must stay. Every value is invented (Ofcom drama numbers, test
shapes); nothing comes from a dev set or a probe."""

from __future__ import annotations

import pytest

from chatbot.spelled_out import spelled_digits

GONE = [
    # a number said partly in words is read whole: its figures alone ("900 461") would look
    # like a 09 premium-rate line, which is public
    ("ring me on zero seven seven zero zero 900 461 after four", "900 461"),
    ("mobile is oh seven seven oh oh 900 318", "900 318"),
    # "nine hundred" said in the middle of a number is part of it
    ("reach me on oh seven seven double oh nine hundred two seven four", "two seven four"),
    # a card's expiry typed with the card goes with it
    ("Card 4929 1735 6204 8319 exp 09/28 was charged twice", "09/28"),
    ("paid by visa, expiry 11/2027, and it was declined", "11/2027"),
    # a name after Welsh thanks, and a given name that is also a Welsh word
    ("Diolch yn fawr iawn, Siân", "Siân"),
    ("my daughter Mae needs a school place", "Mae"),
    # a Welsh name beside everyday Welsh words is still a name
    ("mae fy nhad Dafydd yn sâl", "Dafydd"),
    ("mae Gwyn Jones wedi symud allan", "Gwyn Jones"),
    # someone the writer wants told, asked or reminded, with a name that is also a word
    ("tell Hope her bin is fixed", "Hope"),
    ("please remind Joy about the form", "Joy"),
    # a sign-off with kisses after the name
    ("sent from my phone - Tamsin x", "Tamsin"),
    ("thanks for sorting it - Marguerite xx", "Marguerite"),
    # a flat in a named block, and the street after it with no type word
    ("Regards, Lukasz (flat 12, Marlowe House, 40 Kingsway)", "Marlowe House, 40 Kingsway"),
    ("my address is Flat 4, Quayside Mansions, 2 Harbourside", "Quayside Mansions, 2 Harbourside"),
    # ... and the named block first, the flat after it (pii-probe19)
    ("she lives at Wildflower Court, flat 31 now", "Wildflower Court, flat 31"),
    # older number plates beside what residents call a vehicle
    ("my old motor P318 WKD needs a resident permit", "P318 WKD"),
    ("the camper, reg J77 HBN, has not moved in months", "J77 HBN"),
    ("is my vauxhall F905 MXR exempt from the charge", "F905 MXR"),
    ("my dads jag is LKP 447T, can it go in the disabled bay", "LKP 447T"),
    # dates of birth with the month named between separators, said in words, or month + year
    ("Date of Birth: 08-Aug-1974", "08-Aug-1974"),
    ("dob 19/nov/63", "19/nov/63"),
    ("born the nineteenth of october 1958", "nineteenth of october 1958"),
    ("dob twenty first june nineteen seventy-two", "twenty first june nineteen seventy-two"),
    ("she was born in April 2009 so she is in year 12", "April 2009"),
    ("DOB: sept 81", "sept 81"),
    ("dob 14th jan 77 if you need it", "14th jan 77"),
    # another country's number, a NI number in threes, a postcode with a hyphen
    ("my sister in Cork is on +353 86 204 7731", "+353 86 204 7731"),
    ("ring my dad on +48 601 882 415 he speaks no english", "601 882 415"),
    ("nat ins JK 482 913 B", "482 913"),
    ("post code: ll55-4tj", "ll55-4tj"),
    # references with two letter prefixes, or letters and digits mixed after a number word
    ("your letter ref CT/HB/00482913 says I owe", "00482913"),
    ("blue badge number KD47RT82 expires soon", "KD47RT82"),
    # a named house and its street
    ("we live at Ivy Cottage, Pound Lane, near the church", "Ivy Cottage, Pound Lane"),
    ("post goes to Tan y Graig Farm, Heol Dinas", "Heol Dinas"),
    # a name between commas after a role, with a verb after it
    ("my landlord, Des Fairclough, says it is down to you", "Des Fairclough"),
    ("the surveyor, Wendell, never came back", "Wendell"),
    # what residents call a partner or a grandparent, before a name
    ("me n my fella darren r both on uc", "darren"),
    ("my hubby craig has the letter", "craig"),
    # a mobile typed without its leading 0 next to a phone word; a birth year as '85
    ("my number: 7700 900318 (uk mobile)", "900318"),
    ("born in '79 so I am over 45", "'79"),
    # a name owning a health or care need, or a child's thing
    ("Sky's asthma is worse because of the mould", "Sky"),
    ("Ola's uniform grant has not come through", "Ola"),
    # a surname that is also a street word, after a lower-case title
    ("can you ring mr wood about the hedge", "wood"),
    ("mrs hill at 14 has had no post", "hill"),
    # an IBAN grouped as the bank prints it, card digits in dotted groups, a licence number
    # with spaces between its parts, a passport number read out digit by digit
    ("IBAN GB66 BARC 204517 93846102 for the refund", "93846102"),
    ("card 4000.0027.6000.3184 was charged twice", "4000.0027.6000.3184"),
    ("dl number PRICE 805127 KL 9QX for the permit", "PRICE"),
    ("passport number 6 1 8 2 0 4 7 9 3", "6 1 8 2 0 4 7 9 3"),
    # an email typed with spaces around the @ or before a dot
    ("my email is mo.begum @ example.com", "mo.begum"),
    ("email tegan.r@example .co.uk please", "tegan.r"),
    # a current plate with a space in both places, dates in figures with spaces or year first
    ("numberplate kw 19 hzt, parked outside", "kw 19 hzt"),
    ("DOB 17 09 1968", "17 09 1968"),
    ("born 1968/09/17", "1968/09/17"),
    # a signature's name line above an email or phone line
    ("Thanks for the update.\n\nRegards,\nMORWENNA HAZARD\nmorwenna.h@example.org", "HAZARD"),
    ("Best wishes\nIvor Steadfast\n07700 900 655", "Steadfast"),
]

KEPT = [
    # bodies told or asked
    "tell Citizens Advice i need help",
    "ask Shelter about the eviction",
    "please tell Housing Options i called",
    # everyday Welsh is no one's name
    "diolch yn fawr",
    "Diolch yn fawr iawn",
    "helo, sut mae",
    # ... nor a phrase of everyday Welsh words, mutated or not (staff read "<PERSON>" for "with
    # a knife", "all the" and "get rid of"; 4 of 28 fresh Welsh messages)
    "mae dyn yn yr ardd gyda chyllell",
    "mae o wedi cymryd yr holl dabledi",
    "sut mae cael gwared ar hen gadair",
    # a named block with no flat number is a place
    "the lift at Marlowe House is broken again",
    "is the community hall at Ashby House open on sundays",
    "the bins - X marks the spot",
    # hundreds and dates that belong to no phone number or card
    "it cost nine hundred pounds and took three weeks",
    "the offer is valid until 12/26 for new subscriptions",
    # a street whose type word comes first, named as a place
    "the chippy on Heol Fawr has rats in the bins",
    "is the tip at Ffordd Dyfrig open on sundays",
    "the pavement on Lon Ucha is cracked",
    "who sweeps Stryd Fawr after the market",
    # firms whose names read like people's
    "is Holland and Barrett on the high street closing down",
    "we had Pimlico Plumbers out and they said it's your drain",
    "Taylor Wimpey left the road on the new estate in a state",
    # a sign-off that is no name
    "ok the bin came today, thanks, appreciated",
    "all sorted now, cheers, lovely",
    "thanks, again",
    "ok thanks, bye",
    "ok thanks, lol",
    "cheers, legend",
    "thanks, asap please",
    # a three-letter word after an older plate shape, and a bus on a parking question
    "does the X5 bus stop by the car park on sundays",
    "is the A470 and the car park by it gritted",
    # firms, surgeries and days between commas after a role stay; so does a flat's number
    "my landlord, Ashdown Lettings, says its your job",
    "my GP, Riverside Surgery, said to ask you",
    "the man, Monday, came",
    # the verb after a question's subject, even one that is a given name somewhere
    "can my son come with me to the appointment",
    "can my hubby come with me",
    "my fella works nights so cant get there",
    # a body's or a shop's possessions stay
    "the school's uniform policy is too strict",
    "Tesco's glasses section has moved",
    # a number starting 7 with no phone word
    "order 7700 123 456 arrived damaged",
    # public numbers, small signed numbers, product and model codes, a named office
    "the samaritans are on 116 123",
    "the temperature was +12 at 3pm",
    "my model number SMS2ITW41G",
    "Brackenvale House, Market Street is the council office",
    # a spaced plate needs a car word and no short word first; a date in a sentence stays
    "parking permit for my car, it starts on 12 may and ends 11 may next year",
    "the meeting is 03 03 2026 at the civic centre",
    "I work at Tesco. Co-op is closer though",
    # a deadline is no date of birth; nor a product code or a signature of a body
    "the consultation closes on the twelfth of may",
    "the form says return by 15-Mar-2027",
]


@pytest.mark.parametrize(("message", "value"), GONE)
def test_new_formats_are_removed(redactor, message: str, value: str) -> None:
    assert value.lower() not in redactor.redact(message).text.lower()


@pytest.mark.parametrize("message", KEPT)
def test_places_firms_and_words_beside_them_stay(redactor, message: str) -> None:
    assert redactor.redact(message).text == message


@pytest.mark.parametrize(
    ("said", "digits"),
    [
        ("zero seven seven zero zero 900 461", "07700900461"),
        ("zero one six three two, nine six oh, four four one", "01632960441"),
        ("07700 nine hundred 852", "07700900852"),  # "nine hundred" is said for 900
        ("oh seven seven double oh nine hundred two seven four", "07700900274"),
        ("+44 (0)7700 900582", "4407700900582"),
    ],
)
def test_spelled_digits(said: str, digits: str) -> None:
    assert spelled_digits(said) == digits


def test_a_body_signing_above_its_number_stays(redactor) -> None:
    text = redactor.redact("Thanks\nBrackenvale Council\n01632 960177").text
    assert "Brackenvale Council" in text


def test_a_flat_after_a_name_is_no_name(redactor) -> None:
    text = redactor.redact("I'm emailing for Zofia Malinowska, Flat 6, about the damp").text
    assert "Flat 6" in text and "Malinowska" not in text


@pytest.mark.parametrize(
    "message, kept",
    [
        # fresh Welsh messages whose words spaCy took for names (none of them in any eval set)
        ("mae'r to wedi disgyn ar y car", "wedi disgyn"),  # the roof has fallen on the car
        ("pryd mae'r pwll nofio ar agor ddydd Sadwrn", "Sadwrn"),  # open on Saturday
        ("dw i wedi cael llond bol ar y sbwriel", "cael llond"),  # fed up with the rubbish
        ("sut mae cael trwydded i'r stryd", "cael trwydded"),  # a permit for the street
    ],
)
def test_welsh_words_in_a_welsh_clause_are_no_name(redactor, message: str, kept: str) -> None:
    """spaCy's English model reads Welsh words as names: 23 of 85 fresh Welsh messages lost
    words. General Welsh vocabulary (the urgent gloss's) in a Welsh clause stays."""
    assert kept in redactor.redact(message).text


@pytest.mark.parametrize(
    "message, name",
    [
        ("mae Beth wedi cwympo yn y gegin", "Beth"),  # a name that is also a Welsh word
        ("mae Geraint Jones wedi symud tŷ", "Geraint Jones"),
        ("my friend Allan lives on his own", "Allan"),  # an English clause: untouched
    ],
)
def test_names_in_welsh_clauses_are_still_redacted(redactor, message: str, name: str) -> None:
    assert name not in redactor.redact(message).text


@pytest.mark.parametrize(
    "message, names",
    [
        # a relation before the name, in the forms Welsh mutation gives (a fresh Welsh probe)
        ("mae fy merch Nia a fy mab Osian yn mynd i'r ysgol", ["Nia", "Osian"]),
        ("mae ei frawd Iolo yn byw gyda ni", ["Iolo"]),
        ("dw i'n gofalu am fy nhad, Emrys Owen, sy'n 88 oed", ["Emrys Owen"]),
    ],
)
def test_welsh_relations_before_a_name(redactor, message: str, names: list[str]) -> None:
    text = redactor.redact(message).text
    assert not any(name in text for name in names), text


def test_a_welsh_pair_of_names_joined_by_a(redactor) -> None:
    """ "a"/"ac" is Welsh "and": the second name of a pair goes too, a Welsh place does not."""
    assert "Carwyn" not in redactor.redact("mae Bethan a Carwyn yn byw gyda fi").text
    assert "Caerdydd" in redactor.redact("mae Bethan a Caerdydd yn bell o fan hyn").text


def test_a_welsh_given_name_before_next_door(redactor) -> None:
    """ "mae emyr drws nesaf wedi parcio" (next door has parked): the lower-case name goes;
    a Welsh word there ("tad", father, which the name lists hold too) stays."""
    assert "emyr" not in redactor.redact("mae emyr drws nesaf wedi parcio eto").text
    assert "tad drws" in redactor.redact("mae tad drws nesaf yn gweiddi bob nos").text


@pytest.mark.parametrize(
    "message, kept, name",
    [
        ("siaradais gyda Nia yn y swyddfa ddoe", "gyda", "Nia"),  # spoke with Nia
        ("Cofion cynnes,\nSioned Williams", "Cofion cynnes", "Sioned"),  # warm regards
    ],
)
def test_welsh_words_run_into_a_name_stay(redactor, message: str, kept: str, name: str) -> None:
    """spaCy runs a Welsh word into the name beside it ("gyda Nia"): the word stays."""
    text = redactor.redact(message).text
    assert kept in text and name not in text


def test_welsh_form_labels_are_no_name(redactor) -> None:
    """ "enw: ..., cyfeiriad: ..." (name, address): the label stays, the values go."""
    text = redactor.redact("enw: rhodri ap iwan, cyfeiriad: 3 Maes y Wennol, Caerfyrddin").text
    assert "cyfeiriad:" in text and "rhodri" not in text and "Maes y Wennol" not in text
