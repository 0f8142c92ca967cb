"""Special-category (UK GDPR Art. 9) detection: categories, and words that only look like it."""

from __future__ import annotations

import pytest

from chatbot.special_category import special_categories

FLAGGED = [
    ("my wife had a stroke and can't use the stairs", "health"),
    ("I'm registered blind, can I get a bigger print bill", "disability"),
    ("my daughter is autistic and the bus is too loud for her", "disability"),
    ("she is 7 months pregnant and we have no heating", "pregnancy"),
    ("as a practising Hindu I need the cremation within two days", "religion"),
    ("we're Irish Travellers and need a transit pitch", "ethnicity"),
    ("my husband and I are a same-sex couple, can we both be on the tenancy", "sexual_orientation"),
    ("I'm the Unison rep for the care workers", "trade_union"),
    ("he is on methadone and keeps getting evicted", "health"),
    ("my son has SEND and is waiting for an EHCP", "disability"),
    ("our disabled son needs a ramp at the front door", "disability"),
    ("I have MS and need a parking bay near the door", "health"),
]
NOT_FLAGGED = [
    "where is the nearest disabled parking bay",
    "how do I apply for the Disabled Facilities Grant",
    "my complaint fell on deaf ears",
    "can you send me the form again",
    "the blinds in the library are broken",
    "is the race course road closed on Saturday",
    "how much is a blue badge",
    "ITS MARY AGAIN, NOBODY HAS CALLED ME BACK ABOUT THE BIN",
]


@pytest.mark.parametrize(("message", "category"), FLAGGED)
def test_flags_the_category(message: str, category: str) -> None:
    assert category in special_categories(message)


@pytest.mark.parametrize("message", NOT_FLAGGED)
def test_service_names_and_idioms_are_not_flagged(message: str) -> None:
    assert special_categories(message) == []
