"""Lower-case street addresses with no address cue, whose end is found from the words
(`chatbot/recognizers_streets.py`), and the names around them. Written by us in residents'
words (never from a dev set); the streets and names are invented."""

from __future__ import annotations

import pytest

# (message, the address that must go, a word after it that must stay or "")
STREETS_GONE = [
    ("7 pen y bryn road", "7 pen y bryn road", ""),
    ("19 oakfield crescent", "19 oakfield crescent", ""),
    ("bins at 9 bryn gwyn were missed", "9 bryn gwyn", "were missed"),
    ("parking at 4 plas newydd costs a fortune", "4 plas newydd", "costs"),
    ("send it to 22 heol y felin fach please", "22 heol y felin fach", "please"),
    ("the bin for 3 tan-y-fron hasnt been emptied", "3 tan-y-fron", "emptied"),
    ("16 cae mawr has rats", "16 cae mawr", "has rats"),
    ("27 rhodfa'r gorllewin", "27 rhodfa'r gorllewin", ""),
    ("3 tan yr allt", "3 tan yr allt", ""),
    ("is 8 maes y deri in the catchment", "8 maes y deri", "catchment"),
    ("can you check 6 kirk wynd for me", "6 kirk wynd", "for me"),
    ("2 loch brae needs gritting", "2 loch brae", "needs gritting"),
    ("40 market vennel, the drain is blocked", "40 market vennel", "drain"),
    ("fly tipping behind 30 gorse hill road again", "30 gorse hill road", "fly tipping"),
    ("57 whitecross lane broken window", "57 whitecross lane", "broken window"),
    ("repairs needed 3a kestrel way", "3a kestrel way", "repairs needed"),
    ("5 st. helens terrace has no light", "5 st. helens terrace", "no light"),
    ("12 kings road", "12 kings road", ""),
    ("my nan at 3 queens drive needs help", "3 queens drive", "needs help"),
    ("2 station road flat 4", "2 station road", "flat 4"),
    ("19 oak tree close needs a new bin", "19 oak tree close", "new bin"),
    ("4 meadow way is flooded", "4 meadow way", "flooded"),
    ("14 hawthorn drive, can i have a new caddy", "14 hawthorn drive", "caddy"),
    ("im at 88 the paddock, can i get a bigger bin", "88 the paddock", "bigger bin"),
    ("we live at 4 glanrafon.", "4 glanrafon", ""),
    ("my address is 7 the maltings", "7 the maltings", ""),
    ("6 coed y brenin close", "6 coed y brenin close", ""),
    ("5 old school mews", "5 old school mews", ""),
    ("101 high st, tanbury", "101 high st", "tanbury"),
    # a one-word street with no type word after a cue, written as a proper noun
    ("my mum lives at 17 Woodside, can she get a blue badge", "17 Woodside", "blue badge"),
    ("my address is 4 Broadway, Fleet", "4 Broadway", "Fleet"),
    ("address 31 Moorlands, Kendal", "31 Moorlands", "Kendal"),
]

# a number before an ordinary noun, a unit, or a street used as a place: nothing is taken
NUMBERS_KEPT = [
    "2 bins were left on the pavement",
    "I have 3 children and need a bigger house",
    "there are 6 potholes on mill road",
    "is the number 4 bus still running to park lane",
    "the 12 bus from high street is always late",
    "it's a 5 minute walk from the station",
    "10 mins drive to the tip",
    "the 30 mph road past the school is dangerous",
    "4 broken street lights on our estate",
    "there are 4 houses close by that flood",
    "3 schools close to us and none have places",
    "3 big potholes road side",
    "i waited 2 hours way too long",
    "1 way street now?",
    "the 2 lane road is closed",
    "we got 4 new road signs",
    "my 2 kids walk to school",
    "2 mattresses dumped by the bridge on dock lane",
    "bins on bryn road missed 3 weeks running",
    "i need 2 tickets for the park and ride",
    "3 cars park on the pavement every night",
    "there were 6 fly tippers on the common",
    "2 plas",
    "this is the number 4, the street light is out",
    "im at 9 the moment",
    "moved to 3 different flats in 2 years",
    "we live at 14 with my mum",
    "i live at 12 now",
    "We Live At 4 Weeks Notice",
    "im at 3 Tuesday.",
    "we're at 2 Percent.",
    "my email address 3 times, no reply",
]


@pytest.mark.parametrize(("message", "street", "after"), STREETS_GONE)
def test_lower_case_streets_without_a_cue_are_removed(
    redactor, message: str, street: str, after: str
) -> None:
    text = redactor.redact(message).text
    assert street not in text and "<STREET_ADDRESS>" in text
    assert after in text  # the street ends where its name does


@pytest.mark.parametrize("message", NUMBERS_KEPT)
def test_numbers_before_ordinary_words_stay(redactor, message: str) -> None:
    assert redactor.redact(message).text == message


@pytest.mark.parametrize(
    ("message", "place"),
    [
        ("14 ty gwyn, pwllheli", "pwllheli"),
        ("16 the vennel, linlithgow", "linlithgow"),
        ("is 31 maes y coed near ysgol gymraeg", "ysgol gymraeg"),
        ("14 tan y coed, bala", "bala"),
        ("12 mill road, taunton", "taunton"),
    ],
)
def test_a_town_or_welsh_school_after_a_street_stays(redactor, message: str, place: str) -> None:
    text = redactor.redact(message).text
    assert place in text and "<STREET_ADDRESS>" in text


NAMES_GONE = [
    ("my kids amelia, jack and zara need school places", ["amelia", "jack", "zara"]),
    ("the twins ruby and ellis start in september", ["ruby", "ellis"]),
    ("kids living with me: Amani, Baraka and Zawadi", ["Amani", "Baraka", "Zawadi"]),
    ("my daughter june starts at the new school", ["june"]),
    ("my son will plays football on the field by the flats", ["will"]),
    ("this is grace from number 6, the gate is broken", ["grace"]),
    ("this is hope from number 14b, the gate is broken", ["hope"]),
    ("the plumber, radek, never came back", ["radek"]),
    ("the housing officer, bukola, didnt ring", ["bukola"]),
    ("this email is from ingeborg, flat 6", ["ingeborg"]),
]
NAMES_KEPT = [
    "my kids school and nursery are both shut",
    "my son will sometimes walk to school",
    "my daughter may need a bus pass",
    "this is summer holiday club, is it free",
    "the trains from Ashcombe to Ferrowby are cancelled",
    "we tried the other tip, llanbradach, never again",
    "the contractor, biffa, never came",
    "John Lewis car park is full every saturday",
]


@pytest.mark.parametrize(("message", "names"), NAMES_GONE)
def test_names_in_lists_and_before_a_verb_are_removed(
    redactor, message: str, names: list[str]
) -> None:
    words = redactor.redact(message).text.split()
    assert not set(names) & set(words)


@pytest.mark.parametrize("message", NAMES_KEPT)
def test_words_in_those_places_stay(redactor, message: str) -> None:
    assert redactor.redact(message).text == message


@pytest.mark.parametrize(
    ("message", "street"),
    [
        ("we walked to Coldharbour Lane and back", "Coldharbour Lane"),
        ("walked to Fishpool Lane then back along Mill Road", "Fishpool Lane"),
        ("We met at the station and walked to Turnpike Lane", "Turnpike Lane"),
    ],
)
def test_a_street_someone_goes_to_stays(redactor, message: str, street: str) -> None:
    assert street in redactor.redact(message).text


@pytest.mark.parametrize(
    ("message", "name"),
    [
        ("I went to Sam Wood's house", "Sam Wood"),
        ("we went to Kasia Lane's house after school", "Kasia Lane"),
        ("I walked to Chidi Green's flat to drop the keys", "Chidi Green"),
    ],
)
def test_a_person_someone_goes_to_is_still_a_name(redactor, message: str, name: str) -> None:
    text = redactor.redact(message).text
    assert name not in text and "<PERSON>" in text


@pytest.mark.parametrize(
    "message",
    [
        "Ysgol Glan rang about my daughter",
        "the fair at Parc Howard",
        "Capel Bethel is having a jumble sale",
        "is Theatr Gwynedd open",
    ],
)
def test_a_welsh_institution_named_before_its_name_stays(redactor, message: str) -> None:
    assert redactor.redact(message).text == message


def test_the_same_names_as_people_still_go(redactor) -> None:
    text = redactor.redact("my son Glan rang me, and we saw Bethan Howard at the park")
    assert "Glan" not in text.text and "Howard" not in text.text
