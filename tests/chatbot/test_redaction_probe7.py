"""Rules written on names-probe7's tuning half (see chatbot/redaction.py `_name_repeats` and
chatbot/name_context.py): each with messages invented here, never from a dev set, and traps
whose look-alike words must survive."""

from __future__ import annotations

import re

import pytest

GONE = [
    # a name that is also a word, found once, is taken again where written as a name
    ("The carer, Blessing Green, comes at 8. Blessing says mum isnt eating.", "Blessing"),
    ("My neighbour Mrs Patience Osei asked me to write. Patience got a summons.", "Patience"),
    ("Gaz and Shaz next door had a bonfire. gaz told me to mind my own business.", "Gaz"),
    ("We share a fence with Alan Prosser. Alan says it's the council's fence.", "Alan"),
    # a possessive typed without its apostrophe
    ("I look after my grandson Kayden Obi. Kaydens mum is in rehab.", "Kaydens"),
    # a given name and a surname that is also a place word
    ("The parcel was meant for Bethan Lane but came to number 6", "Lane"),
    ("My sister is staying with Shreya Wood until she is rehoused", "Wood"),
    ("OWNER: SANDRA WOOD\nISSUE: OVERGROWN HEDGE", "WOOD"),
    ("Nasreen Field asked me to chase the grant", "Field"),
    # slots only a person fills
    ("Could you ring Temitope back about the rent, she is out till 5", "Temitope"),
    ("Can you copy in Babajide on any letters", "Babajide"),
    ("I passed the form to Chelsea at the council tax office", "Chelsea"),
    ("Grace phoned us about the transfer", "Grace"),
    ("Can you tell Will that the skip has to move", "Will"),
    ("sophie hill is my niece and she lives with me", "hill"),
    ("jack green from number 12 has parked on the verge again", "green"),
    ("kim hill next door keeps feeding the pigeons", "hill"),
    ("Shirley rang about her rent and was told to email", "Shirley"),
    # common surnames that are everyday words, which the lists leave out
    ("CARER: SHEILA RICH\nPHONE: 07700 900123", "RICH"),
    ("GLENDA YOUNG, 14 CASTLE VIEW, REPORTING NOISE", "YOUNG"),
    ("lorna bird rang me twice about the bins", "bird"),
    # a repeated word-name opening a list of names; thanks with "again" before a name
    ("Sam, Jo and Alex all live here but only Sam works", "Sam"),
    ("thanks again priya, you've been a star", "priya"),
    # lower case: the one given to, before a thing; after "a lift from"
    ("i sent kwame my form last week", "kwame"),
    ("got a lift from shanice to the hospital", "shanice"),
    ("Chelsea called to say the skip is booked", "Chelsea"),
    # a reference run together that opens like a freephone number is still a reference
    ("my council tax ref is 08001234", "08001234"),
    # after an address cue, a house number and English words closed by a postcode
    ("Address: 40 Sycamore, M14 6PR", "40 Sycamore"),
    ("I live at 5 Riverside, BV2 1QA", "5 Riverside"),
]

KEPT = [
    ("my son Will Carter is 16. Will he get a bus pass? will the council pay?", ["Will he get"]),
    ("My daughter Hope Adjei is 9. Hope you can help. Hope Street is flooded.",
     ["Hope you can help", "Hope Street"]),
    ("My daughter Grace Mensah is 7. Is there a grace period? The Grace Road school is full.",
     ["grace period", "Grace Road"]),
    ("Mark my words, Mark Ellis will be back. The Mark on the wall is paint.", ["Mark my words"]),
    ("My daughter May Chen is 5. May I ask about the bus in May?", ["May I ask", "in May"]),
    ("Is the tip on Hill Lane open? Or the one in Wood Green?", ["Hill Lane", "Wood Green"]),
    ("The bus to Bethnal Green is late and Muswell Hill is gridlocked",
     ["Bethnal Green", "Muswell Hill"]),
    ("Can I book a room at Ashley Green Community Centre?", ["Ashley Green Community Centre"]),
    ("Go past Kenton Green and turn left at Harrow on the Hill", ["Kenton Green"]),
    ("Will rang me? no. Can you tell Housing that the lift is broken", ["Will rang", "Housing"]),
    ("Please call Capita back about the debt", ["Capita"]),
    ("ask Jordan Hughes whether i can fly to Jordan in May", ["fly to Jordan"]),
    ("the park hill is my favourite view", ["park hill"]),
    ("i walked down mill lane from number 3 to the shop", ["mill lane"]),
    ("the old lane from number 5 is blocked", ["old lane"]),
    ("Reading called off the match. Will rang? May called?", ["Reading", "Will rang", "May"]),
    ("Capita rang about the debt", ["Capita"]),
    ("Can I recycle Little Chef packaging? The Black Horse pub has bins out",
     ["Little Chef", "Black Horse"]),
    ("the bird rang out. the long lane is closed", ["the bird rang", "long lane"]),
    ("Boxing Day and Christmas Day collections", ["Boxing Day", "Christmas Day"]),
    ("thanks so much everyone for your help", ["everyone"]),
    ("thanks again for the help", ["thanks again for the help"]),
    ("May, June and July are busy months", ["May, June and July"]),
    ("i paid bill the money. i gave june the forms", ["bill", "june"]),
    ("i gave french the lessons and we moved from kenya", ["french", "kenya"]),
    ("a letter from tesco and a text from asda", ["tesco", "asda"]),
    ("we came here from aldridge, and a lift from preston to leeds", ["aldridge", "preston"]),
    # a repeated word-name inside a longer capitalised name stays
    ("The Albert Hall and Victoria Hall host concerts", ["The Albert Hall"]),
    # a count's noun is no name, whatever pronoun follows
    ("her bins were not emptied for 3 weeks, she is 84", ["3 weeks"]),
    ("it took 10 hours, he was furious", ["10 hours"]),
    # charities named after people, a freephone helpline written short
    ("We had a leaflet from Age UK and one from Marie Curie", ["Marie Curie"]),
    ("Sue Ryder and Leonard Cheshire both run homes near us", ["Sue Ryder", "Leonard Cheshire"]),
    ("Ring the Childline number, 0800 1111, if you are worried", ["0800 1111"]),
    ("I am at 5 minutes away, LS9 8AB", ["5 minutes"]),
    ("We need 5 bins, BV2 1QA is our postcode", ["5 bins"]),
]  # fmt: skip


def _left(value: str, text: str) -> bool:
    return re.search(r"(?<!\w)" + re.escape(value) + r"(?!\w)", text, re.IGNORECASE) is not None


@pytest.mark.parametrize(("message", "value"), GONE)
def test_probe7_names_are_redacted(redactor, message: str, value: str) -> None:
    out = redactor.redact(message).text
    assert not _left(value, out), out


@pytest.mark.parametrize(("message", "kept"), KEPT)
def test_probe7_words_are_kept(redactor, message: str, kept: list[str]) -> None:
    out = redactor.redact(message).text
    for word in kept:
        assert word in out, out


@pytest.mark.parametrize(
    ("message", "value"),
    [
        ("Yevheniia rang the council about the housing register last week", "Yevheniia"),
        ("Then Oluwadamilare phoned and said the van was coming", "Oluwadamilare"),
    ],
)
def test_a_name_no_list_holds_that_rings_is_a_person(redactor, message: str, value: str) -> None:
    assert not _left(value, redactor.redact(message).text)


@pytest.mark.parametrize(
    "message",
    ["HMRC rang me about my tax code", "Reading called off the game", "Amazon emailed me"],
)
def test_acronyms_towns_and_words_that_ring_stay(redactor, message: str) -> None:
    assert redactor.redact(message).text == message


def test_the_councils_own_town_is_a_place_not_a_caller() -> None:
    from chatbot.council import load_council_profile
    from chatbot.redaction import Redactor, council_places

    terms = load_council_profile(None).public_terms
    assert "Brackenvale" in council_places(terms)
    assert council_places(["City of York Council", "0300 123 4567"]) == ["City of York"]
    message = "Brackenvale rang to say the bin is fixed"
    assert Redactor(keep_terms=terms).redact(message).text == message
