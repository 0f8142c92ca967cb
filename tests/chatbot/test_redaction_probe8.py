"""Rules written on names-probe8's tuning half (chatbot/name_context.py): each with messages
invented here, never from a dev set, and traps whose look-alike words must survive."""

from __future__ import annotations

import re

import pytest

GONE = [
    # a school year group in brackets is a child's age ("Maisie (Year 7)"), even before a full
    # stop ("and Ruby (9).")
    (
        "Free school meals for Ottilie (Reception), Barnaby (Year 2) and Wren (Year 5) please.",
        "Barnaby",
    ),
    ("Lunch money for Deion (Y4) and Kezia (Y6) has not gone through.", "Kezia"),
    (
        "We have three at Hillside: Tamsin (Year 6), Joaquin (Year 3) and Eskarne (Nursery).",
        "Tamsin",
    ),
    ("The children are Ruby (9) and Theodric (4).", "Theodric"),
    # surname-first order, the family name in capitals
    ("Our house is two families: MIHAI Sorin, MIHAI Elena and my cousin RUSU Dan.", "Elena"),
    ("Reported the leak 3 weeks ago. Reporter: HALLIWELL, Stephen. No one has come.", "HALLIWELL"),
    ("Please contact ADEBAYO Temitope about the boiler.", "ADEBAYO"),
    # a given name that is also a place, with a surname, said to live at a number
    ("The lamp post is out. Jordan Field at number 42 reported it in August too.", "Jordan"),
    ("Hi. Preston Hill from number 9 keeps parking on the verge.", "Preston"),
    # a signature's name, then a role line opening with a street or institution word
    ("Please fix the gate.\n\nMany thanks\nOriel Pascoe\nStreet representative", "Pascoe"),
    ("Kind regards,\nIfeoma Nwosu\nCentre manager", "Ifeoma"),
    ("Yours sincerely\nLucasz Bielski\nSchool governor", "Bielski"),
    # a couple signing off with "&", one given name unlisted
    ("Is the oak protected?\nRegards, Fenella & Rufus Galbraith", "Fenella"),
    ("Can we book the hall?\nThanks, Zinnia & Bram Achterberg", "Zinnia"),
    # a word no list holds opening a clause before what a person does, named again or a "he"
    ("Torvald moved out in March. Torvald left no forwarding address.", "Torvald"),
    ("Sorry. Quillon paid the rent twice, can he have a refund?", "Quillon"),
    # a particle surname after a capitalised name; a modal or month before a name and "is"
    ("Social worker Anouk de Groot visited on Thursday.", "Groot"),
    ("Will Ashdown is my carer and he rings on Mondays.", "Will"),
    # a role then a lower-case name: more roles residents name people by
    ("tell the driver darren to actually stop", "darren"),
    ("ask the receptionist lorna to call me back", "lorna"),
    ("our cleaner agata found the leak", "agata"),
    # a given name alone as the last sentence, even one that is also a town
    ("Can you pass this on. Beverley", "Beverley"),
    ("The bins were missed again! Lincoln x", "Lincoln"),
    # a given name and a surname that is a plural or water place word
    ("I gave Roman Lake permission to use my garden shed.", "Lake"),
    # a person after "from <given name> to" is no route's end
    ("I forwarded the email from Deborah to Alan Lane last week.", "Lane"),
    ("My wife is WANG Meiling and my son is WANG Hao, he is 7.", "WANG"),
]

KEPT = [
    ("The Maths (Year 7) and English (Year 9) papers are on the website.", ["Maths", "English"]),
    ("The swimming (Year 4) and football (Year 6) clubs start in March.", ["March"]),
    ("The Year 7 and Year 9 trips are both in June.", ["Year 7", "June"]),
    ("The bins at Wood Green from number 3 to number 9 were missed.", ["Wood Green"]),
    ("Jordan Hill is my favourite walk, the path from number 4 is blocked.", ["Jordan Hill"]),
    ("Sydney Street from number 20 onwards has no street lights.", ["Sydney Street"]),
    ("The meeting is at\nSt Luke's\nChurch Hall on Friday", ["St Luke's", "Church Hall"]),
    ("Events at Victoria\nPark this autumn?", ["Victoria", "Park"]),
    ("Is the\nAlbert Hall\nRoad closed?", ["Albert Hall"]),
    ("Regards, Marks & Spencer Customer Services", ["Marks & Spencer"]),
    ("Kind regards,\nBristow & Sutor", ["Bristow & Sutor"]),
    ("Best wishes,\nDorset & Wiltshire Fire", ["Dorset & Wiltshire"]),
    ("Veolia said the bins would be collected Friday.", ["Veolia", "Friday"]),
    ("Mencap helped us with the form, they were great.", ["Mencap"]),
    ("Will Ashdown Road be gritted tonight?", ["Will Ashdown Road"]),
    ("May Morning is a festival in Oxford.", ["May Morning"]),
    ("tell the driver please to wait at the stop", ["please"]),
    ("the driver reverses into the bins every week", ["reverses"]),
    ("our receptionist knows the answer", ["knows"]),
    ("Which office is nearer, Preston or Lincoln? Lincoln.", ["Lincoln"]),
    ("Where is the nearest tip? Ashford", ["Ashford"]),
    ("The next meeting is in the town hall. Friday", ["Friday"]),
    ("The ducks at Boating Lake in Victoria Park need feeding.", ["Boating Lake"]),
    ("Is the bus to Mill Meadows still running?", ["Mill Meadows"]),
    ("The bus from Brackenvale to Green Lane doesn't stop here.", ["Green Lane"]),
    ("The 42 runs from Brackenvale to Coldwell Lane every hour.", ["Coldwell Lane"]),
    ("URGENT Please call back about the leak on Mill Road.", ["URGENT", "Please", "Mill Road"]),
    ("The NHS Wales helpline and DVLA Swansea both told me to ask.", ["NHS Wales", "DVLA Swansea"]),
    ("IMPORTANT Housing Benefit letter received, ASAP please.", ["IMPORTANT", "Housing Benefit"]),
    ("Please pass this on to the SENCO, Mr Adeleke.", ["SENCO"]),
    ("I spoke to my GP, Dr Okafor, and the OT, Mrs Lund.", ["GP", "OT"]),
    ("NOTE Brackenvale Library closes at 5 on Saturdays.", ["NOTE", "Saturdays"]),
]


def _left(value: str, text: str) -> bool:
    return re.search(r"(?<!\w)" + re.escape(value) + r"(?!\w)", text, re.IGNORECASE) is not None


@pytest.mark.parametrize(("message", "value"), GONE)
def test_probe8_names_are_redacted(redactor, message: str, value: str) -> None:
    out = redactor.redact(message).text
    assert not _left(value, out), out


@pytest.mark.parametrize(("message", "kept"), KEPT)
def test_probe8_words_are_kept(redactor, message: str, kept: list[str]) -> None:
    out = redactor.redact(message).text
    for word in kept:
        assert word in out, out
