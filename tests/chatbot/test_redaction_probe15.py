"""Shapes found on names-probe15 and names-probe16 (fresh messages of our own, first session
of the evening of 4 Dec): a family by its surname in the plural before a possessive
apostrophe; a hyphenated relation ("sister-in-law", "foster-son") taken for a name; a name
beside "me +" or "+ me"; a given name that is also a place beside "me"/"I"; and from
names-probe17: a word spoken to after "thanks"/"hi" that no list holds as a name; a listed
name that is also a word after a capitalised given name ("... Grant"); the old and new names
of a change of name; a greeting spaCy ran into a name; and from names-probe18: "I'm" is no
name ("I'm Tegan and I'm 17"), and two children owning a parent are no firm ("X and Y's
dad", unlike "Marks and Spencer's"); and from names-probe20: a name in a script without
capitals (Arabic, Chinese) after a cue. Messages invented here, never from a probe or dev
set."""

from __future__ import annotations

import re

import pytest

GONE = [
    # a family's plural surname with a possessive apostrophe
    ("the Szymanskis' hedge is blocking the pavement", ["Szymanskis"]),
    ("the Oyelaran's' shed", []),  # no crash on a doubled apostrophe
    # a name after a hyphenated relation: the relation stays, the name goes
    ("my brother-in-law Florin Dumitru will collect the keys", ["Florin", "Dumitru"]),
    ("our foster-son Kacper needs a bus pass", ["Kacper"]),
    # "+" as "and" beside the writer
    ("me + tobiah are both on the council tax bill", ["tobiah"]),
    ("zuleika + me moved in last june", ["zuleika"]),
    # a given name that is also a place, beside "me"/"I"
    ("me and brooklyn need a bigger flat", ["brooklyn"]),
    # names-probe17
    ("thanks Shelbs, that was quick", ["Shelbs"]),
    ("Hiya Gaz! any news on the fence", ["Gaz"]),
    ("we are writing for our grandad Ewart Bell", ["Ewart", "Bell"]),
    ("her surname changed from Pennington to Oyelowo last year", ["Pennington", "Oyelowo"]),
    ("he changed his name by deed poll to orrin vance", ["orrin", "vance"]),
    ("Mrs Dobson née Trevithick still owns the house", ["Trevithick"]),
    # names-probe18
    ("Lorcan and Tiggy's dad has stopped paying maintenance", ["Lorcan", "Tiggy"]),
    # names-probe20
    ("my aunt فاطمة needs a carers assessment", ["فاطمة"]),
    ("my son 陈浩 is starting year 7", ["陈浩"]),
    ("my husband عمر خان works nights", ["عمر", "خان"]),
    # pii-probe16: a reference's first group of letters and digits
    ("the bus pass number is 9PQ 3318 2046 and it was stolen", ["9PQ", "3318"]),
]

KEPT = [
    ("the neighbours' kids climb over our fence", ["neighbours' kids"]),
    ("the residents' parking scheme starts in may", ["residents' parking"]),
    ("my sister-in-law said to ring you about the ramp", ["sister-in-law said"]),
    ("my step-dad has had a fall and needs a carer", ["step-dad"]),
    ("the Brysons' rep rang me", ["rep rang me"]),
    ("me + the kids are in one room at my mums", ["me + the kids"]),
    ("me and Wales never got on", ["Wales"]),
    ("thanks Again, see you monday", ["thanks Again"]),
    ("Hi Team, is the tip open today", ["Hi Team"]),
    ("Thank you Sir, that helps", ["Sir"]),
    ("Morning Tamsin, any news on the repair", ["Morning"]),
    ("my name will change to my husbands after the wedding", ["my husbands"]),
    ("the school name changed to Oakfield Academy", ["Oakfield Academy"]),
    ("hi, I'm Saffi and I'm 15, how do I get a bus pass", ["I'm 15"]),
    ("we bought the sofa at Marks and Spencer's sale", ["Marks and Spencer's"]),
    ("the takeaway sign says 外卖 and the bins are overflowing", ["外卖"]),
    # names-probe21: a role before a name stays ("Tenant", "Neighbour"), the name goes
    ("Repairs needed at 4 Linnet Walk. Tenant Hyacinth Oduro-Blake.", ["Tenant"]),
    # names-probe22: "can't" typed plain is no surname; what residents call a partner or child
    ("me nan philomena cant reach the letterbox", ["cant reach"]),
    ("the bairn tiegan cant sleep for the mould", ["cant sleep"]),
    ("my fella ruaraidh works nights", ["my fella"]),
    # names-probe23: Scots and Geordie possessives and relations ("ma pal", "oor faither")
    ("ma pal lachie saw the fly-tipping", ["ma pal"]),
    ("oor faither dougal needs his bins pulled out", ["oor faither"]),
]


def _left(value: str, text: str) -> bool:
    return re.search(r"(?<!\w)" + re.escape(value) + r"(?!\w)", text, re.IGNORECASE) is not None


@pytest.mark.parametrize(("message", "values"), GONE)
def test_probe15_names_are_redacted(redactor, message: str, values: list[str]) -> None:
    out = redactor.redact(message).text
    for value in values:
        assert not _left(value, out), out


@pytest.mark.parametrize(("message", "kept"), KEPT)
def test_probe15_words_are_kept(redactor, message: str, kept: list[str]) -> None:
    out = redactor.redact(message).text
    for word in kept:
        assert word in out, out


def test_probe16_special_category_after_a_texted_pronoun() -> None:
    """'shes'/'hes' without the apostrophe still say the person is meant."""
    from chatbot.special_category import special_categories

    assert special_categories("shes registered blind and lives alone") == ["disability"]
    assert special_categories("the blinds in the hall are broken") == []
