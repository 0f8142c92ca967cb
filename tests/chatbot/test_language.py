"""The Welsh identifier on messages written apart from its examples (held out): Welsh in many
registers, and English that names Welsh places and streets."""

from __future__ import annotations

import pytest

from chatbot.language import LanguageIdentifier

WELSH = [
    "Sut mae gwneud cais am le mewn ysgol uwchradd?",
    "Mae fy mam angen help gartref",
    "Oes modd cael bin newydd?",
    "Helo, pryd fydd y lori sbwriel yn dod?",
    "Rwyf am adrodd am dipio anghyfreithlon",
    "Ydy'r ganolfan hamdden ar agor heddiw?",
    "Faint yw'r dreth gyngor ar gyfer band D?",
    "Dwi angen siarad efo rhywun am fy nhŷ",
    "diolch yn fawr iawn",
    "Bore da! Mae'r bin ailgylchu wedi torri.",
    "A yw'r ysgol ar gau oherwydd yr eira?",
    "Mae'r ffordd wedi cau, pam?",
    "Fy enw i yw <PERSON> ac rydw i'n byw yn <UK_POSTCODE>, pryd mae'r casgliad?",
]
ENGLISH = [
    "How do I apply for a secondary school place?",
    "My mum needs help at home",
    "Can I get a new bin?",
    "Hi, when is the bin lorry coming?",
    "I want to report fly tipping in Aberystwyth",
    "Is the leisure centre in Blaenau Ffestiniog open today?",
    "How much is council tax band D?",
    "The road at Bwlch y Groes is closed, why?",
    "thank you",
    "Is school closed because of snow in Llanfairpwll?",
    "I need to speak to someone about my house on Heol Dinefwr",
    "ty",
    "<PERSON> from <STREET_ADDRESS> here, my bin was missed",
]


@pytest.fixture(scope="module")
def identifier() -> LanguageIdentifier:
    return LanguageIdentifier()


@pytest.mark.parametrize("text", WELSH)
def test_welsh_messages_are_recognised(identifier: LanguageIdentifier, text: str) -> None:
    assert identifier.detect(text) == "cy", identifier.guess(text)


@pytest.mark.parametrize("text", ENGLISH)
def test_english_with_welsh_place_names_stays_english(
    identifier: LanguageIdentifier, text: str
) -> None:
    assert identifier.detect(text) == "en", identifier.guess(text)


# Short introductions once read as Welsh ("i" and "am" are Welsh words too), and the reply
# language of a message that opens in Welsh and goes on in English.
INTRODUCTIONS = [
    "I am <PERSON> <PHONE_NUMBER>",
    "Hi I am <PERSON>",
    "am I on the list",
    "cheers mate - <PERSON>",
]


@pytest.mark.parametrize("text", INTRODUCTIONS)
def test_short_english_introductions_stay_english(
    identifier: LanguageIdentifier, text: str
) -> None:
    assert identifier.message_language(text) == "en", identifier.guess(text)


def test_a_message_opening_in_welsh_is_answered_in_welsh(identifier: LanguageIdentifier) -> None:
    text = "mae fy mab wedi mynd ar goll ers neithiwr. we have looked everywhere and called him"
    assert identifier.message_language(text) == "cy"


@pytest.mark.parametrize(
    "text",
    [
        "Dear Sir or Madam,\n\nI am writing about the hedge on our road, it blocks the path.",
        "Pen Rhiw, Cwm Gwaun, Abergwaun. The bins have not been collected for a month.",
    ],
)
def test_an_english_letter_or_address_line_first_stays_english(
    identifier: LanguageIdentifier, text: str
) -> None:
    assert identifier.message_language(text) == "en", identifier.guess(text)
