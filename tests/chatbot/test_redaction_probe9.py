"""Shapes written on pii-probe9's tuning half (chatbot/recognizers*.py, spelled_out.py): each
with messages invented here, never from a probe or dev set, and traps that must survive."""

from __future__ import annotations

import re

import pytest

GONE = [
    # "and" after "hundred" in a dictated number runs on (found on a fresh message of our own)
    ("ring oh seven seven double oh nine hundred and four one two please", "four one two"),
    # found on fresh messages of our own: a birth date with spaces round its separators, an
    # NI number copied box by box, a prefix plate with its letter apart, a line that opens
    # with a house's name and runs to a postcode
    ("date of birth 3 / 7 / 61", "3 / 7 / 61"),
    ("ni number Z X 1 9 0 4 7 2 B", "Z X 1 9 0 4 7 2 B"),
    ("the car reg is T 318 GWN and its been there a month", "T 318 GWN"),
    ("Y Stabl, Pant-y-Dwr, Rhayader LD6 5LN\nthe cattle grid is broken", "Y Stabl"),
    # tens words in a dictated number ("nine seventy one", "nine hundred and seventy one")
    ("call oh seven seven double oh, nine hundred, nine seventy one", "nine seventy one"),
    ("text oh seven seven double oh nine hundred and seventy one four", "seventy one four"),
    # an NHS number grouped neither 3-3-4 nor run together, next to an NHS word (checksum holds)
    ("my nhs no. is 6874 512 099 if the OT needs it", "6874 512 099"),
    ("NHS number: 3179 05 6487", "3179 05 6487"),
    # a current-format plate with a dash
    ("the DX21-RMT parked across the dropped kerb again", "DX21-RMT"),
    # a Northern Irish plate (its area code holds I or Z) near a car word
    ("the blue astra reg CXZ 815 has been abandoned since june", "CXZ 815"),
    ("visitor permit for my car MIB 2041 please", "MIB 2041"),
    # a reference: letters and a year or office digits, a separator, a serial
    ("my permit application RP25-00419 was refused", "RP25-00419"),
    ("claim ref HB24/0033817, still no decision", "HB24/0033817"),
    # an email typed with spaces around the @ and the dots
    ("email me on niamh.carr @ example . org please", "niamh.carr"),
    # an IBAN broken over lines, as a form or an email wraps it
    ("refund to:\nGB38 NAIA 0702\n1155 2483 90\nthanks", "2483"),
    # a post office box
    ("post it to P.O Box 2210, Wrexham please", "2210"),
    ("my address is PO Box 815 until I am rehoused", "815"),
    ("my council tax is paid, my address is PO Box 4402", "4402"),
    # a flat in a block named with "The"
    ("Flat 3, The Old Bakery, Mill Street has no hot water", "Old Bakery"),
    # a plot or pitch on a park-home or caravan site
    ("we're on pitch 14, riverside caravan park, is there a council tax band", "pitch 14"),
    # a Scottish tenement flat's position before the number says an address follows
    ("2/2, 63 craigpark dr and the close is flooded", "craigpark"),
    ("2F3 14 bruntsfield row - no stair lighting", "bruntsfield"),
    # a Welsh street's adjective before a postcode is still the street's
    ("12 heol y felin fach ll77 7qd", "fach"),
    # a birth date with the day and the month both as ordinals
    ("dob is the 4th of the 9th 72, can you find my claim", "4th of the 9th 72"),
    ("born 3rd of the 11th 1990", "3rd of the 11th 1990"),
    # a person's mailbox at a public body stays personal
    ("my social worker is on t.aldous@brackenvale.gov.uk", "t.aldous@brackenvale.gov.uk"),
    ("cc fenwickp@example.gov.uk", "fenwickp@example.gov.uk"),
    ("she said email markbaker@example.gov.uk", "markbaker@example.gov.uk"),
    ("write to bill.tarrant@example.nhs.uk", "bill.tarrant@example.nhs.uk"),
    # a house's name with no number after "live at" or "address:", closed by a postcode
    ("we live at Glan Aber, Llanarmon-yn-Iâl CH7 4QE and the lane floods", "Glan Aber"),
    ("address: Sunnyside, Church Road, Bedford MK40 1QP", "Sunnyside"),
    ("Cyfeiriad: Bryn Derw, Ffordd y Llan, Nefyn LL53 6EE", "Bryn Derw"),
    # a person after a street address is no town: names, a given name alone
    ("12 Hazel Close, Ellie Wood.", "Ellie"),
    ("I live at 14 Mill Road, Tom Okafor, and the bins are missed", "Okafor"),
    ("14 park rd kasia, ring me", "kasia"),
    ("tenant at 12 Mill Road, Jordan Baptiste, has not paid", "Baptiste"),
    ("22 bank st nwachukwu, can you call", "nwachukwu"),
    ("3 kings rd wojciechowski, ring me", "wojciechowski"),
    # a named house before its street
    ("The Old Vicarage, Chapel Lane, Nether Wallop - the ditch is blocked", "Old Vicarage"),
]

KEPT = [
    (
        "we owe nine hundred and fifty pounds, one of us is on two hundred and six a week",
        ["nine hundred and fifty", "two hundred and six"],
    ),
    (
        "the bill was two hundred and fifty thousand and ninety nine pounds",
        ["two hundred and fifty thousand and ninety nine"],
    ),
    ("mum and dad are seventy five and eighty two", ["seventy five and eighty two"]),
    ("My GP surgery said the waiting list is 1240 people long", ["1240"]),
    ("the A48/470 junction by the retail park is dangerous", ["A48/470"]),
    ("the car park at junction 32 of the M4 is full by 9", ["junction 32", "M4"]),
    ("the sign says open @ 9 . closes at 5", ["9", "5"]),
    ("the PO on Church Street still sells stamps", ["PO", "Church Street"]),
    ("we live in flat 5. The Council has not fixed the lift", ["The Council"]),
    ("the lift in The Maltings is broken again", ["The Maltings"]),
    ("plot 4 at the allotments has rats", ["plot 4"]),
    ("The vote was 3/1 in favour, 20 members turned up", ["20 members"]),
    (
        "Brackenvale Council, Civic Centre, Brackenvale BV1 1AA is where I sent it",
        ["Brackenvale Council", "Civic Centre"],
    ),
    (
        "send it to Brackenvale Council, Revenues Team, PO Box 77, Brackenvale",
        ["PO Box 77", "Revenues Team"],
    ),
    ("HMRC, PO Box 3900, Glasgow", ["PO Box 3900"]),
    ("Dear Sir, The verge on Church Lane, Leeds LS1 1AA is churned up", ["Dear Sir"]),
    ("the car park is a 5 minute walk, I 10 min", ["I 10 min"]),
    ("my car did 30, B road limit is B 12 MPH they said", ["B 12 MPH"]),
    ("the car park was full from 14 . 30 . 45 minutes", ["14 . 30 . 45"]),
    # the post town between a Welsh street and its postcode
    ("8 heol y wern abergele ll22 7hn", ["abergele"]),
    ("the Bosch model 4012 736 584 is broken", ["4012 736 584"]),
    ("the Rose and Crown, Chapel Lane does food", ["Rose and Crown"]),
    # the district or town right after a street, a word no given name, closing the item
    ("7 kings rd govanhill, rats in the back court", ["govanhill"]),
    ("2 dixon rd toryglen, the lift is broken", ["toryglen"]),
    ("5 Hill Row, Llanfair-y-Bryn LL12 3AB", ["Llanfair-y-Bryn"]),
    ("we live at Glan Aber, Llanarmon-yn-Iâl CH7 4QE and the lane floods", ["Llanarmon-yn-Iâl"]),
    ("I live at Brackenvale, BV1 2AB", ["Brackenvale"]),
    ("Cyfeiriad: Bryn Derw, Ffordd y Llan, Nefyn LL53 6EE", ["Cyfeiriad", "Nefyn"]),
    ("we're staying at the Premier Inn, Cardiff Bay for now", ["Premier Inn", "Cardiff Bay"]),
    # a public body's shared mailbox
    ("To: enquiries@example.gov.uk\nSubject: bins", ["enquiries@example.gov.uk"]),
    ("i emailed counciltax@example.gov.uk twice", ["counciltax@example.gov.uk"]),
    ("try housing.options@example.gov.scot", ["housing.options@example.gov.scot"]),
    ("the 4th of the month is when the rent is due", ["4th of the month"]),
]


def _left(value: str, text: str) -> bool:
    return re.search(r"(?<!\w)" + re.escape(value) + r"(?!\w)", text, re.IGNORECASE) is not None


@pytest.mark.parametrize(("message", "value"), GONE)
def test_probe9_values_are_redacted(redactor, message: str, value: str) -> None:
    out = redactor.redact(message).text
    assert not _left(value, out), out


@pytest.mark.parametrize(("message", "kept"), KEPT)
def test_probe9_words_are_kept(redactor, message: str, kept: list[str]) -> None:
    out = redactor.redact(message).text
    for word in kept:
        assert word in out, out
