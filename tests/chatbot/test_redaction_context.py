"""Names found from what stands around them (`chatbot/name_context.py`), written by us in
residents' words (never from a dev set): after an address, phone, date of birth or reference,
lists of children with ages, given names that are also words in a slot only a person fills,
sign-offs, and what must stay."""

from __future__ import annotations

import pytest

GONE = [
    # after another personal detail
    ("22 lime grove BL3 4XY precious adjei, the gate is broken", "precious adjei"),
    ("07700 900777 gwilym", "gwilym"),
    ("dob 04/11/2012 kacper nowicki needs a bus pass", "kacper nowicki"),
    ("ref 55012934 mr ogunleye still no refund", "ogunleye"),
    ("flat 6 19 dale street ifeoma nwachukwu asking about the damp", "ifeoma nwachukwu"),
    ("reply to t.nowak@example.org tomasz nowak", "tomasz nowak"),
    # lists of children with ages, once one is a name or after a word for children
    ("need places for my grandkids, bella 6 and jasper 4", "jasper"),
    ("kids: aarav age 8, riya age 5, sky age 2", "sky"),
    ("my kids are holly, noah and autumn", "autumn"),
    # a given name that is also a word, where only a person stands
    ("my daughter autumn and her friend blessing were frightened", "blessing"),
    ("my daughter autumn and her friend blessing were frightened", "autumn"),
    ("her son rusty keeps missing the school bus", "rusty"),
    ("its me and river that need a bigger flat", "river"),
    ("hiya this is crystal from number 9, the lights are out", "crystal"),
    ("both me and hannah featherstone-haugh signed it", "featherstone-haugh"),
    # a name opening a clause before a neighbour's place or a thing done to the writer
    ("wojciech next door has left his van on the verge", "wojciech"),
    ("so then siobhan put me on hold again", "siobhan"),
    ("the man from planning, tunde i think, said it was fine", "tunde"),
    ("i rang and spoke to crystal who was lovely", "crystal"),
    # closing the message
    ("the bins are still out. many thanks, summer x", "summer"),
    ("thanks for getting back to me hope", "hope"),
    ("the lamp post is leaning\nrocky", "rocky"),
    # the shape of the message (session names3): who opens it, a role beside a name, an age
    # or relation said of a word, a message from a person, quotes after a naming word, ...
    ("eniola speaking, the lift is out again", "eniola"),
    ("grzegorz, flat 12. no hot water since monday", "grzegorz"),
    ("temitope my social worker said to message you", "temitope"),
    ("the landlady wisniewski keeps the deposit", "wisniewski"),
    ("i care for sienna who is 9 and she needs transport", "sienna"),
    ("a form for ruby please, shes my granddaughter", "ruby"),
    ("got an email from aoibheann saying it was sorted", "aoibheann"),
    ("he said his name was 'radoslaw' and drove off", "radoslaw"),
    ("the letter was signed b. adeleke, parking services", "adeleke"),
    ("faith and i share the flat with 3 kids", "faith"),
    ("eilidh, catriona and wee ross all share one room", "ross"),
    ("mark and rose next door have 4 dogs barking", "mark"),
    ("oluwafemi adewale from 7 dumped a sofa by the bins", "oluwafemi adewale"),
    ("Denzil Hope is my stepdad and he has dementia", "Denzil Hope"),
    ("Attn: Morgan Brook, Housing", "Morgan Brook"),
    ("Has Blessing been given a school place yet?", "Blessing"),
    ("Could Will get a bus pass? He is 16.", "Will"),
    ("Has May been approved for a nursery place? She is 3.", "May"),
    ("Will, my son, is 14.", "Will"),
    ("please ask jo to ring me after 3", "jo"),
    ("told rose to ring the council", "rose"),
]

KEPT = [
    ("my son will be 5 in may", ["will", "may"]),
    ("my daughter may need a place at st marys", ["may"]),
    ("thanks for your patience", ["patience"]),
    ("cheers mate", ["mate"]),
    ("my kids are at school till 3", ["school"]),
    ("my kids are happy and healthy", ["happy", "healthy"]),
    ("she lived at 12 Oak Road, Milton Keynes MK9 1AA", ["Milton Keynes"]),
    ("post it to 4 station road, linlithgow", ["linlithgow"]),
    ("call 07700 900123 pls asap", ["pls asap"]),
    ("samaritans number is 116 123 if anyone needs it", ["116 123"]),
    ("flat 3 and flat 4 have no heating, 2 bins and 3 boxes missing", ["flat 3", "2 bins"]),
    ("the recycling centre on victoria road opens at 8", ["victoria road"]),
    ("mrs okafor's fence came down in the wind", ["fence came down"]),
    ("my daughter faith's ehcp review is due", ["ehcp review"]),
    ("i spoke to the council who said to wait", ["council"]),
    ("got a letter from hallam enforcement about a fine", ["hallam enforcement"]),
    ("From: Customer Services\nyour bin will be emptied", ["Customer Services"]),
    ("morning, quick one about garden waste", ["morning", "quick one"]),
    ("my landlord Brackenvale Homes wont reply", ["Brackenvale Homes"]),
    ("xu and his wife run the shop below", ["run the shop"]),
    ("is the Sainsbury's car park free on sundays", ["Sainsbury"]),
    ("the jack for my car was nicked", ["the jack"]),
    ("Will the tip be open? I need to take a sofa.", ["Will the tip"]),
    ("May's council tax payment was taken twice.", ["May's council tax"]),
    ("Is May a good time to apply? My son is 4.", ["Is May a good time"]),
    ("can you ask housing to call me", ["ask housing to call"]),
    ("ask capita to send it again", ["capita"]),
]


@pytest.mark.parametrize(("message", "value"), GONE)
def test_names_in_context_are_redacted(redactor, message: str, value: str) -> None:
    out = redactor.redact(message).text
    assert value.casefold() not in out.casefold(), out


@pytest.mark.parametrize(("message", "kept"), KEPT)
def test_words_in_context_are_kept(redactor, message: str, kept: list[str]) -> None:
    out = redactor.redact(message).text
    for word in kept:
        assert word in out, out
