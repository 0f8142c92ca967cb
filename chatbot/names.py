"""Personal names in resident messages: spaCy's PERSON entities, cleaned up for council talk, and
names residents give themselves ("my name is ...", "I'm ...", "Thanks, Jo", "Mrs Patel").

spaCy's small English model tags council services and street names as people now and then
("Jobcentre Plus", "Ofsted", "Carer" in "Carer's Allowance", "Mill Lane"), which would blank out
the words routing needs. A span is therefore not a name when it overlaps a service term (or a
term the council adds, such as its own name), contains a word institutions use but people are
not called ("Council", "Team", "Allowance"...), is a short all-capitals acronym ("SEND"), is all
lower case, or ends in a street-type word right after "on", "near", "at"... ("the tip on Mill
Lane"); "Lois Lane called me" stays a name.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

from presidio_analyzer import RecognizerResult
from presidio_analyzer.nlp_engine import NlpArtifacts
from presidio_analyzer.predefined_recognizers import SpacyRecognizer
from spacy.lang.en.stop_words import STOP_WORDS

from chatbot.deferred_tags import tag_of
from chatbot.recognizers import STREET_TYPE_WORDS, OneEntityRecognizer, phrase_regex
from chatbot.recognizers_ids import STREET_FIRST

SERVICE_TERMS = (
    "Housing Benefit",
    "Universal Credit",
    "Blue Badge",
    "Council Tax Reduction",
    "Council Tax Support",
    "Council Tax",
    "Pension Credit",
    "Disability Living Allowance",
    "Personal Independence Payment",
    "Carer's Allowance",
    "Carers Allowance",
    "Carer’s Allowance",
    "Attendance Allowance",
    "Child Benefit",
    "Working Tax Credit",
    "Child Tax Credit",
    "Employment and Support Allowance",
    "Jobseeker's Allowance",
    "Discretionary Housing Payment",
    "Household Support Fund",
    "Winter Fuel Payment",
    "FixMyStreet",
    "Fix My Street",
    "Freedom Pass",
    "Meals on Wheels",
    "Free School Meals",
    "Jobcentre Plus",
    "Jobcentre",
    "Citizens Advice",
    "Citizens Advice Bureau",
    "Ofsted",
    "NHS",
    "NHS 111",
    "SEND",
    "EHCP",
    "Education Health and Care Plan",
    "Motability",
    "Access to Work",
    "Shelter",
    "Age UK",
    # charities named after their founders, whom no resident writes about as a person
    "Marie Curie",
    "Sue Ryder",
    "Leonard Cheshire",
    "Macmillan Cancer Support",
    "Samaritans",
    "Childline",
    "Mind",
    "Healthwatch",
    "Ombudsman",
    "Local Government Ombudsman",
    "DWP",
    "HMRC",
    "DVLA",
    "Land Registry",
    "Companies House",
    "Royal Mail",
    "Post Office",
    "Environment Agency",
    "Highways England",
    "National Highways",
    "Network Rail",
    "Ofwat",
    "Ofgem",
    "Ofcom",
    "Tell Us Once",
    "Right to Buy",
    "Help to Buy",
    "Disabled Facilities Grant",
    "Warm Home Discount",
    "Adult Social Care",
    "Early Help",
    "Sure Start",
    "Bikeability",
    # UK firms whose names read like people's and which no person is called: shops, trades,
    # housebuilders, contractors (a firm's name that is also a plausible person's name, such
    # as "John Lewis", is told by its context instead: "I work at John Lewis")
    "Marks and Spencer",
    "Marks & Spencer",
    "Holland and Barrett",
    "Holland & Barrett",
    "Fortnum and Mason",
    "Fortnum & Mason",
    "Sainsbury's",
    "Sainsburys",
    "Morrisons",
    "Wetherspoons",
    "JD Wetherspoon",
    "McDonald's",
    "WH Smith",
    "WHSmith",
    "H Samuel",
    "Timpsons",
    "Specsavers",
    "Dyno-Rod",
    "Dyno Rod",
    "Pimlico Plumbers",
    "Taylor Wimpey",
    "Barratt Homes",
    "David Wilson Homes",
    "Persimmon Homes",
    "Bellway Homes",
    "Miller Homes",
    "Travis Perkins",
    "Jewson",
    "Howdens",
    "Evans Cycles",
    "Rentokil",
    "Kwik Fit",
    "Halfords",
)

_INSTITUTION_WORDS = frozenset(
    """council borough district county parish team department dept services service centre
    center library libraries school academy college university hospital surgery nursery office
    leisure trust association housing benefit benefits tax allowance credit credits payment
    payments pass badge bin bins waste recycling parking permit scheme support fund
    helpline hub unit authority agency homes estate estates ombudsman government ministry police
    fire ambulance nhs gp clinic pharmacy tip depot cemetery crematorium market station
    royal infirmary memorial community bank building society airport stadium museum theatre
    gallery church chapel mosque temple synagogue cathedral abbey primary secondary infants
    juniors playground playgroup allotments allotment pool baths club ltd limited plc llp
    plumbing plumbers builders roofing electrical electricians motors garage removals
    solicitors lettings haulage taxis scaffolding construction landscaping ysgol canolfan
    neuadd llyfrgell cyngor eglwys capel meddygfa ysbyty coleg parc amgueddfa gorsaf tafarn
    gwesty theatr castell clwb marchnad hotel restaurant café broadband
    foundation charity alliance opticians optician veterinary zoo cinema arena aquarium""".split()
    # not everyday words that follow a first name in running text ("I told Sarah pay day is
    # Friday", "ask Jack medical records", "see Ruth farm animals"): pay, media, energy,
    # concern, aid, relief, practice, medical, dental, farm, pub, inn, cafe, vets
)
_LOCATIVE = frozenset(
    "on at in along near off down up opposite outside into onto past behind via the round "
    "around across top end corner".split()
)
# Words of going: a capitalised run after one and "to"/"from" is where someone goes
MOTION_WORDS = frozenset(
    """go goes going went gone come comes coming came move moves moving moved drive drives
    driving drove travel travels travelling traveled travelled walk walks walking walked get
    gets getting got return returns returning returned commute bus buses train trains route
    way trip journey road lift taxi ride run runs fly flew flight relocate relocated
    relocating""".split()
)
# "from Brackenvale to ", "from Leeds Road to ": a route from a capitalised place to another
_ROUTE_BEFORE = re.compile(r"\bfrom\s+(?P<first>[A-Z][\w'’\-]*)\s+(?:[A-Z][\w'’\-]*\s+){0,2}to\s+$")
_MOTION_TO = re.compile(r"(?i)\b([a-z]+)\s+(?:to|towards|along|down|up|past|into)\s+$")
# Street types that are not (or hardly ever) surnames; Hill, Park, Green, Lane... can be.
_STREET_ONLY_WORDS = frozenset(
    "road rd street avenue ave close crescent cres drive terrace tce gardens gdns mews "
    "boulevard square sq place".split()
)
_NOT_NAMES = frozenset(
    """sorry just really very still also currently disabled homeless pregnant worried trying
    looking writing asking wondering unable struggling going having being getting new moving
    living renting retired unemployed single deaf blind elderly vulnerable desperate fed sick
    ill scared afraid concerned confused happy unhappy angry furious please hi hello dear hey
    thanks thank regards cheers guys mate team all everyone folks lots loads advance anyway
    bye ya love urgent help disabled carer tenant landlord resident mum dad mother father
    waiting calling emailing enquiring complaining monday tuesday wednesday thursday friday
    saturday sunday january february march april may june july august september october
    november december today tomorrow yesterday christian muslim hindu sikh jewish buddhist
    catholic protestant
    enw cyfeiriad rhif ffôn ffon e-bost ebost dyddiad geni cod post""".split()
)
HONORIFICS = ("Mr", "Mrs", "Ms", "Miss", "Mx", "Dr", "Prof", "Sir", "Dame", "Lady", "Lord", "Cllr",
              "Councillor", "PC", "Sgt", "Sergeant", "Constable", "Inspector", "Rev", "Revd",
              "Reverend", "Madam")  # fmt: skip


# A street whose type word comes first and is no name in any language ("Heol Fawr", "Lôn
# Las", "Ffordd y Môr", "Sràid na h-Eaglais"), named as a place ("the Co-op on Lon Las"): the
# words after the street word are the street's name, never a person's.
_STREET_WORD_FIRST_HINT = re.compile(
    r"(?i)(?<![\w'’])(?:heol|ffordd|lôn|lon|stryd|rhodfa|cilgant|sràid|sraid|rathad|bóthar"
    r"|bothar|sráid)\s"
)
_STREET_WORD_FIRST = re.compile(
    _STREET_WORD_FIRST_HINT.pattern
    + r"\s*(?:(?:y|yr|'r|ar|na|nan|an)\s+)?[^\W\d_][\w'’\-]*(?:\s+[A-ZÀ-ÖØ-Þ][\w'’\-]*)?"
)


# "can my son ...", "will my partner ...": a question's subject, whose verb comes next (a
# word there that is also a given name somewhere, "come", is the verb)
ASKED_OF_BEFORE = re.compile(
    r"(?i:\b(?:can|could|will|would|should|shall|may|might|must|does|did|do|can['’]?t|cannot|"
    r"won['’]?t|let)\s+(?:my|our|his|her|their|your|the)\s+(?:[a-z\-]+\s+)?[a-z\-]+\s+$)"
)
# ... when what follows the word is what follows a verb ("come with me", "stay here"), not
# another verb ("will my daughter grace get a place")
VERB_FOLLOWS = re.compile(
    r"(?i:\s+(?:with|to|in|into|on|onto|round|around|over|back|home|and|too|here|there|me|us|"
    r"him|her|them|it|a|an|the|up|down|out|off|along|by|for|at|from|through|past|across)\b"
    r"|\s*[?.!,]|\s*$)"
)


# Words that greet the one written to, before their name ("Morning Sandra", "Dear Mrs Okafor")
GREETINGS = frozenset("hi hiya hello hey morning afternoon evening dear".split())
# "can't", "won't" typed without the apostrophe: a verb, never the rest of a name ("Cant" and
# "Wont" are surnames in the lists)
TEXTED_NEGATIONS = frozenset(
    """cant wont dont didnt doesnt isnt wasnt hasnt havent hadnt couldnt wouldnt shouldnt aint
    arent werent""".split()
)
# ... and the other contractions typed without their apostrophe: "theres sooty marks up the
# wall" ("theres" is also a given name in the lists)
TEXTED_CONTRACTIONS = frozenset(
    """theres thats whats wheres heres whos hows youre theyre weve youve theyve itll thatll
    wouldve couldve shouldve""".split()
)


def trim_name(text: str, start: int, end: int) -> tuple[int, int]:
    """The span without the words a recogniser ran into a name: a greeting or a role before it
    ("Morning Sandra", "Tenant Ayo Bello") and a texted negation after it ("kacey cant").
    One word always stays."""
    words = [m.span() for m in re.finditer(r"\S+", text[start:end])]
    while len(words) > 1 and _bare(text[start + words[0][0] : start + words[0][1]]) in (
        GREETINGS | _ROLE_WORDS
    ):
        words.pop(0)
    while len(words) > 1 and _bare(text[start + words[-1][0] : start + words[-1][1]]) in (
        TEXTED_NEGATIONS
    ):
        words.pop()
    if not words:
        return start, end
    return start + words[0][0], start + words[-1][1]


class PersonNameFilter:
    """Decides whether a candidate span is a person's name, and trims it to the name itself."""

    def __init__(self, keep_terms: Iterable[str] = (), lexicon: Any = None) -> None:
        self._lexicon = lexicon  # a NameLexicon: tells a district from a name after a street
        self.set_terms(keep_terms)

    def set_terms(self, keep_terms: Iterable[str]) -> None:
        """Public names never taken for a person (services, the council, names printed on
        its pages); replaced whole, so a re-ingest can change them."""
        words = [t for t in keep_terms if t.strip() and not re.fullmatch(r"[\d\s()+\-]+", t)]
        self._protected = phrase_regex([*SERVICE_TERMS, *words])

    def protected_spans(self, text: str) -> list[tuple[int, int]]:
        spans = [m.span() for m in self._protected.finditer(text)]
        if _STREET_WORD_FIRST_HINT.search(text):
            spans.extend(m.span() for m in _STREET_WORD_FIRST.finditer(text))
        return spans

    def clean(
        self,
        text: str,
        start: int,
        end: int,
        protected: list[tuple[int, int]],
        allow_lowercase: bool = False,
    ) -> tuple[int, int] | None:
        """The trimmed (start, end) of the name, or None when the span is not a name."""
        words = [(m.start() + start, m.end() + start) for m in re.finditer(r"\S+", text[start:end])]
        while (
            words
            and not allow_lowercase
            and (
                _starts_lower(text[slice(*words[0])]) or _bare(text[slice(*words[0])]) in STOP_WORDS
            )
        ):
            words.pop(0)  # "bin Mrs Patel" -> "Mrs Patel", "Can Jo" -> "Jo"
        if words:
            # "Morning Sandra", "Tenant Maximilian Oyelaran": who, then the name
            first, last = trim_name(text, words[0][0], words[-1][1])
            words = [w for w in words if first <= w[0] and w[1] <= last]
        while words and _starts_lower(text[slice(*words[-1])]) and not allow_lowercase:
            words.pop()
        if not words:
            return None
        start, end = words[0][0], words[-1][1]
        while end > start and not text[end - 1].isalnum():
            end -= 1  # trailing punctuation
        if re.search(r"['’]s$", text[start:end]):
            end -= 2  # "Smith's dog": the name, not the possessive
        span = text[start:end]
        tokens = [_bare(t) for t in span.split()]
        if not tokens or any(ch.isdigit() for ch in span) or "<" in span or "@" in span:
            return None
        if any(s < end and start < e for s, e in protected):
            return None
        if any(t in _INSTITUTION_WORDS for t in tokens):
            return None
        if district_after_street(text, start, end, self._lexicon):
            return None  # "12 Mill Lane, Walton, Liverpool"
        if len(tokens) == 1 and span.isupper() and len(span) <= 5:
            return None  # an acronym: SEND, EHCP, DWP
        if tokens[0] in {"st", "saint"}:
            return None  # St Mary's (school, church), St John's Road
        if tokens[-1] in _STREET_ONLY_WORDS:
            return None  # "Mill Road" is a place whatever comes before it
        if tokens[-1] in STREET_TYPE_WORDS and len(tokens) > 2:
            return None  # "Brian Clough Way": three words ending in a street type
        if tokens[-1] in STREET_TYPE_WORDS and len(tokens) > 1:
            before = re.findall(r"[^\W\d_]+|\d+", text[max(0, start - 20) : start])
            if before and (before[-1].lower() in _LOCATIVE or before[-1].isdigit()):
                return None  # "the tip on Mill Lane" (but "I spoke to Jane Hill" is a name)
            lex = self._lexicon

            def given(word: str) -> bool:
                return lex is not None and lex.is_given(word, allow_common=True)

            route = _ROUTE_BEFORE.search(text[max(0, start - 60) : start])
            if route and not given(route.group("first")):
                return None  # "the bus from Brackenvale to Green Lane": a route's other end
            going = _MOTION_TO.search(text[max(0, start - 30) : start])
            if going and going.group(1).lower() in MOTION_WORDS and lex is not None:
                if not given(span.split()[0]):
                    return None  # "walked to Coldharbour Lane" ("went to Sam Wood's": a name)
        # (a word on the next line is not part of the name: "Bartholomew Quince\nStreet party
        # organiser" is a signature and a role)
        after = re.match(r"[^\w\n]*([^\W\d_]+)", text[end : end + 30])
        if after and after.group(1).lower() in _INSTITUTION_WORDS | {"primary", *STREET_TYPE_WORDS}:
            return None  # "Kingsley Hall Community Centre", "St Mary's school"
        if not allow_lowercase and span == span.lower():
            return None
        if firm_or_place_context(text, start, end):
            return None
        if _THE_BEFORE.search(text[:start]) and not TITLE.match(span):
            lex = self._lexicon
            plural = span.endswith("s") and lex is not None and lex.is_surname(span[:-1])
            if not plural and not FAMILY_AFTER.match(text[end:]):
                return None  # "The Jack Russell next door", "the Victoria Cross" (the Okafors)
        return start, end


# A person is not "open" or "shut", nor sold in boxes, nor where one works or shops: "Is
# Victoria Park open late", "Mr Kipling cakes", "I work at John Lewis" (but "Jo opened the door")
_OPEN_AFTER = re.compile(
    r"(?i)^\s+(?:(?:is|are|was|be|been|still|now|currently|usually)\s+)*"
    r"(?:open|opened|closed|shut|opening|closing)\b"
    r"(?!\s+(?:the|my|his|her|their|our|a|an|it|this|that|your|me|him|us|them)\b)"
)
_PRODUCT_AFTER = re.compile(
    r"(?i)^['’]?s?\s+(?:cakes?|biscuits?|sweets|crisps|sauce|spray|boxe?s?|packets?|wrappers?|"
    r"tins|cans|bottles?|tubs?|cartons?|jars|products?|brand|adverts?|trainers|boots)\b"
)
_EMPLOYER_BEFORE = re.compile(
    r"(?i)\b(?:work(?:s|ed|ing)?|job|jobs|shifts?|employed|shop(?:s|ped|ping)?)\s+(?:at|in)\s+$"
)
_THE_BEFORE = re.compile(r"(?i)(?<![\w'’])the\s+$")
# After an article a title or a family word still makes a person ("a Mrs Okonjo", "the
# Adeyemi family"); person_names uses both too.
TITLE = re.compile(r"(?i)(?:mr|mrs|ms|miss|mx|dr|prof|rev|sir|dame|lady|lord)\b")
FAMILY_AFTER = re.compile(r"(?i)^['’]?s?\s+(?:household|family|residence|home|twins|kids)\b")


# Welsh names an institution before its name: "Ysgol Glan Morfa", "Capel Bethel", "Parc Howard"
_WELSH_PLACE_FIRST = re.compile(
    r"\b(?i:ysgol|ysbyty|capel|eglwys|canolfan|neuadd|llyfrgell|coleg|parc|amgueddfa|gorsaf|"
    r"tafarn|gwesty|theatr|castell|cyngor|meddygfa|clwb|pwll|marchnad)\s+$"
)


# A bank is banked with, switched to, and holds accounts (pii-probe17: "I bank with Monzo",
# "my Starling account", "switched banks to Chase"); "Jack's account" is a person's
_BANK_BEFORE = re.compile(
    r"(?i)(?:(?<!joint\s)(?<!shared\s)\b(?:bank|banks|banked|banking|account|accounts)\s+"
    r"(?:is\s+)?(?:with|at)|"
    r"\b(?:switched|switching|moved|moving|changed|changing)\s+(?:banks?|accounts?|my\s+"
    r"(?:bank|account))\s+to)\s+$"
)
_BANK_THING_AFTER = re.compile(
    r"(?i)^\s+(?:bank\s+)?(?:account|acc|acct|card|app|savings|isa|current\s+account|"
    r"overdraft|statement|debit\s+card|credit\s+card|mortgage|online\s+banking)\b"
)
# "account is Starling GB29 ...": a bank before the number it holds
_ACCOUNT_IS_BEFORE = re.compile(r"(?i)\baccount\s+is\s+$")
_NUMBER_AFTER = re.compile(r"^\s+(?:[A-Z]{2}\d{2}|\d)")


def firm_or_place_context(text: str, start: int, end: int) -> bool:
    """What is said of the span makes it a place, a product, an employer or a bank, not a
    person."""
    after = text[end:]
    before = text[max(0, start - 30) : start]
    # one word, and no relation before it ("my son Chase savings account" is his)
    one_word = re.fullmatch(
        r"[^\W\d_]+", text[start:end]
    ) is not None and not _RELATION_JUST_BEFORE.search(before)
    return bool(
        _OPEN_AFTER.match(after)
        or _PRODUCT_AFTER.match(after)
        or _EMPLOYER_BEFORE.search(before)
        or _WELSH_PLACE_FIRST.search(before)
        or (one_word and _BANK_BEFORE.search(before))
        or (one_word and _BANK_THING_AFTER.match(after))
        or (one_word and _ACCOUNT_IS_BEFORE.search(before) and _NUMBER_AFTER.match(after))
    )


def _bare(word: str) -> str:
    word = re.sub(r"['’]s$", "", word.lower())
    return word.strip(".,;:!?'’\"()[]")


def _starts_lower(word: str) -> bool:
    return word[:1].islower() and word.lower() not in {"de", "van", "von", "da", "di", "le", "la"}


# A firm's or a desk's name ends in one of these: "Hallam Enforcement", "Customer Services"
FIRM_WORDS = (
    r"services|enforcement|holdings|solicitors|associates|lettings|bailiffs|recoveries|collections"
)
# Firms named after people: "X & Y", "X and Y's <noun>" (a shop), "X & Sons", "X Y car park";
# but children have parents and schools: "Amara and Zeke's dad" are two people
_OWNED_BY_PEOPLE = (
    r"mum|mam|mom|dad|father|mother|parents|nan|nana|gran|granny|grandad|grandma|grandparents|"
    r"aunt|auntie|aunty|uncle|brother|sister|cousin|carer|teacher|school|nursery|class|bedroom"
)
_ORGANISATION_AFTER = re.compile(  # noqa: E501
    r"(?:\s*&\s*[A-Z]|['’][sS]\s+(?i:car\s+park|shop|store|garage)"
    r"|\s+(?i:car\s+park|superstore|garden\s+centre|retail\s+park)\b"
    rf"|\s+(?i:and)\s+[A-Z][\w]*['’][sS]\b(?!\s+(?i:{_OWNED_BY_PEOPLE})\b)"
    r"|\s+(?:&|and)\s+(?:sons|co|partners)\b"
    rf"|\s+(?i:{FIRM_WORDS})\b)"
)
_ORGANISATION_BEFORE = re.compile(r"[A-Z][\w]*\s*&\s*$")
# "14 Oak Road, Kings Heath": the district or town that follows a house number and street
_STREET_BEFORE = re.compile(
    r"(?i:\b\d{1,4}[a-z]?,?\s+(?:(?:[^\W\d_][\w'’\-]*\s+){0,3}(?:"
    + "|".join(sorted(STREET_TYPE_WORDS, key=len, reverse=True))
    + r")\.?|(?:"
    + STREET_FIRST
    + r"|pen|tan|cefn|ger)(?:['’]r)?(?:\s+[^\W\d_][\w'’\-]*){1,3}"
    + r"|(?:pen|tan|bryn|cefn)-yr?-[^\W\d_]+)"
    + r"\s*,\s*(?:[^\W\d_][\w'’\-]*\s*,\s*)?)$"
)  # "14 Oak Road, ", "14 ty gwyn, " (a Welsh street whose type word comes first)
_DISTRICT_CLOSES = re.compile(
    r"[ \t]*(?:,?[ \t]*\n|[.!]?\s*$|,?[ \t]*[A-Za-z]{1,2}\d|,[ \t]*[A-Z][a-z])"
)


def district_after_street(text: str, start: int, end: int, lexicon: Any = None) -> bool:
    """A place after a house number and street and before a comma, a line break, a postcode or
    the end, or before a town ("14 Oak Road, Kings Heath, Birmingham"), which an address names,
    not a person ("3 Elm Court, Ayo Bello, still no heating" is a name). With a lexicon, two
    words neither of them English nor a place are a name ("12 Mill Lane, tobi adeyemi")."""
    words = text[start:end].split()
    if (
        lexicon is not None
        and len(words) > 1
        and not lexicon.is_place(text[start:end])
        and not any(lexicon.is_english(w) for w in words)
    ):
        return False
    return (
        _STREET_BEFORE.search(text[max(0, start - 80) : start]) is not None
        and _DISTRICT_CLOSES.match(text[end:]) is not None
    )


class CouncilPersonRecognizer(SpacyRecognizer):
    """spaCy PERSON entities, minus council services, streets used as places and acronyms."""

    def __init__(
        self, name_filter: PersonNameFilter, ner_strength: float = 0.85, lexicon: Any = None
    ) -> None:
        super().__init__(supported_entities=["PERSON"], ner_strength=ner_strength)
        self._filter = name_filter
        self._lexicon = lexicon

    def analyze(
        self, text: str, entities: list[str], nlp_artifacts: NlpArtifacts | None = None
    ) -> list[RecognizerResult]:
        results = super().analyze(text, entities, nlp_artifacts)
        protected = self._filter.protected_spans(text) if results else []
        words = text.split()
        caps_say_nothing = len(words) >= 3 and (
            sum(w.isupper() for w in words) > 0.6 * len(words)
            or sum(w[:1].isupper() for w in words) > 0.75 * len(words)
        )
        kept = []
        for result in results:
            if caps_say_nothing:
                trimmed = self._trim_plain_words(text, result.start, result.end)
                if trimmed is None:
                    continue
                result.start, result.end = trimmed
            span = self._filter.clean(text, result.start, result.end, protected)
            if span and not self._not_a_person(text, *span):
                result.start, result.end = span
                kept.append(result)
        return kept

    def _trim_plain_words(self, text: str, start: int, end: int) -> tuple[int, int] | None:
        """In ALL CAPS or Title Case text spaCy takes plain words for names ("WHAT DAY DOES
        YNYSYBWL GET", "Thanks, Sorted Now"): English words that are no name come off the
        ends of the span."""
        lex = self._lexicon
        if lex is None:
            return start, end
        words = [(m.start() + start, m.end() + start) for m in re.finditer(r"\S+", text[start:end])]

        def plain(span: tuple[int, int]) -> bool:
            word = text[slice(*span)].strip(".,;:!?'’\"()")
            return lex.is_english(word) and not lex.is_name_word(word)

        while words and plain(words[0]):
            words.pop(0)
        while words and plain(words[-1]):
            words.pop()
        if len(words) == 1 and lex.is_english(text[slice(*words[0])].strip(".,;:!?'’\"()")):
            return None  # one English word alone ("Church Lane", "Marks And Spencer's")
        return (words[0][0], words[-1][1]) if words else None

    def _not_a_person(self, text: str, start: int, end: int) -> bool:
        """spaCy's small model calls towns, shops and banks people ("in Abergavenny", "my
        Monzo", "behind Morrisons"): one word that no name list knows, or a known town, is not
        taken on spaCy's word alone (cue-based recognisers still find "this is Ffion")."""
        lex = self._lexicon
        if lex is None:
            return False
        span = text[start:end]
        words = span.split()
        ahead = [*words, *text[end:].split()[:2]]  # "Milton" of "Milton Keynes"
        if any(lex.is_place(" ".join(ahead[:n])) for n in range(1, len(ahead) + 1)):
            return True
        if _ORGANISATION_AFTER.match(text[end:]) or _ORGANISATION_BEFORE.search(text[:start]):
            return True  # "Marks and Spencer's car park", "Bristow & Sutor"
        if len(words) > 1 and all(
            lex.is_english(_bare(w))
            and not lex.is_given(_bare(w), allow_common=True)
            and not lex.is_surname(_bare(w))
            for w in words
        ):
            return True  # "is Occupational Therapy part of ...": plain words, no name among them
        if len(words) != 1:
            return False
        if _bare(words[0]) in _KIN_WORDS and POSSESSIVE_BEFORE.search(text[:start]):
            return True  # "my Nan's bungalow", "our Dad": a relation, not a name
        if not lex.is_name_word(words[0]):
            return True
        before = text[:start].rstrip(" \t\"'“‘(")
        return lex.is_everyday(words[0]) and (not before or before[-1] in ".!?\n:;")


# What residents call their relations, capitalised after "my", "our"...: no names
_KIN_WORDS = frozenset(
    "nan nana nanna nanny gran granny grandma grandad granddad grandpa mum mam mom mummy dad "
    "daddy auntie aunty uncle".split()
)
POSSESSIVE_BEFORE = re.compile(r"(?i)\b(?:my|our|his|her|their|your)\s+$")
_WORD = r"[^\W\d_]+(?:['’\-][^\W\d_]+)*"
_NAME = rf"{_WORD}(?:[ \t]+{_WORD}){{0,3}}"
_PERSON_NOUNS = (
    "son|daughter|child|kid|boy|girl|baby|man|woman|lady|gentleman|guy|bloke|chap|lad|lass|"
    "fella|fellow|person|someone|"
    "somebody|neighbour|neighbor|neighbours|tenant|landlord|landlady|mum|mother|dad|father|"
    "husband|wife|partner|friend|brother|sister|nan|gran|grandad|grandma|carer|officer|worker|"
    "he|she|they|i"
)
# a role before a name ("Tenant Ayo Bello", "Neighbour Olwen Tudor"): none that is also a
# given name or surname ("Guy", "Son", "Man")
_ROLE_WORDS = frozenset(
    """neighbour neighbor tenant landlord landlady carer officer worker mum mother dad father
    husband wife partner brother sister nan gran grandad grandma""".split()
)
# ... and in Welsh, after "fy" (my), "ei" (his/her), "ein" (our), in the forms the mutations give
# ("fy mab", "fy nhad", "fy ngŵr", "ei chwaer", "ein cymydog")
_RELATION_JUST_BEFORE = re.compile(rf"(?i)\b(?:{_PERSON_NOUNS}|{'|'.join(_KIN_WORDS)})\s+$")
_WELSH_PERSON_NOUNS = (
    "mab|merch|plentyn|mhlentyn|ngŵr|ngwr|gŵr|gwr|ŵr|wr|ngwraig|gwraig|wraig|mrawd|brawd|"
    "frawd|chwaer|nhad|tad|dad|thad|mam|fam|ffrind|nghymydog|cymydog|gymydog|mhartner|partner|"
    "bartner|nghariad|cariad|gariad|nain|nhaid|taid|daid|mam-gu|fam-gu|nhad-cu|tad-cu|ŵyr|wyr|"
    "wyres|modryb|fodryb|ewythr|nai|nith|nghefnder|cefnder|gefnder|nghyfnither|cyfnither|"
    "llysfab|llysferch|ngofalwr|gofalwr|ofalwr|landlord|babi|maban|baban|fabi"
)


class NameIntroRecognizer(OneEntityRecognizer):
    """Names residents give: "my name is jo bloggs", "I'm Priya", "Mrs Patel", "Thanks, Jo",
    "my neighbour called Dave". The cue words are not redacted, only the name."""

    ENTITY = "PERSON"
    # (pattern, score, lowercase names allowed, proper-noun tag required)
    RULES = (
        (re.compile(rf"(?i:\b(?:my|his|her|their|our|your|\w+['’]?s)\s+(?:first\s+|full\s+|sur)?"
                    rf"name(?:\s+is|['’]s)|\bname\s*:)\s*(?P<value>{_NAME})"), 0.9, True, False),
        (re.compile(rf"(?i:\b(?:i\s+am|i['’]m|this\s+is|it['’]s|call\s+me|i['’]m\s+called|"
                    rf"known\s+as|signed|speaking\s+is))\s+(?P<value>{_NAME})"), 0.85, False, True),
        (re.compile(rf"\b(?:{'|'.join(HONORIFICS)})\.?\s+(?P<value>{_NAME})"), 0.9, False, False),
        (re.compile(rf"(?i:(?:^|[\n.!?,;]\s*)(?:(?:many\s+thanks|thanks|thank\s+you|thankyou|"
                    rf"cheers|kind\s+regards|best\s+regards|warm\s+regards|regards|best\s+wishes|"
                    rf"yours\s+sincerely|yours\s+faithfully|sincerely|ta|thx|thanx|rgds|diolch|"
                    rf"cofion(?:\s+cynnes)?|yn\s+gywir)(?![^\W\d_])[,.!]?|(?:best|love),)"
                    rf"[ \t]*\n?[ \t]*)(?P<value>{_NAME})[ \t]*[.!]?[ \t]*$", re.M),
         0.9, True, False),
        (re.compile(rf"(?i:\b(?:{_PERSON_NOUNS})\b(?:\s+\w+){{0,3}}?\s+(?:called|named)\s+)"
                    rf"(?P<value>{_NAME})"), 0.85, False, False),
        (re.compile(rf"(?i:\b(?:my|our|his|her|their|your|the)\s+(?:{_PERSON_NOUNS})\s*,?\s+)"
                    rf"(?P<value>{_NAME})"), 0.8, False, True),
        # Welsh: spaCy's English tagger cannot vouch for a Welsh sentence's proper nouns, so the
        # capital after the relation is the evidence ("mae fy merch Nia", "ei frawd Iolo")
        # (capitals only, so "fy merch Nia a fy mab Osian" ends the first name at "a")
        (re.compile(rf"(?i:\b(?:fy|ein|eich|dy|ei)\s+(?:{_WELSH_PERSON_NOUNS})\s*,?\s+)"
                    r"(?P<value>[A-ZÂÊÎÔÛŴŶ][\w'’\-]*(?:[ \t]+[A-ZÂÊÎÔÛŴŶ][\w'’\-]*){0,2})"),
         0.8, False, False),
    )  # fmt: skip

    def __init__(self, name_filter: PersonNameFilter, lexicon: Any = None) -> None:
        super().__init__()
        self._filter = name_filter
        self._lexicon = lexicon  # with one, lower-case words must look like names

    def analyze(
        self, text: str, entities: list[str], nlp_artifacts: NlpArtifacts | None = None
    ) -> list[RecognizerResult]:
        results: list[RecognizerResult] = []
        protected: list[tuple[int, int]] | None = None
        doc = getattr(nlp_artifacts, "tokens", None)
        words = text.split()
        titled = len(words) >= 3 and sum(w[:1].isupper() for w in words) > 0.75 * len(words)
        for pattern, score, lowercase_ok, needs_propn in self.RULES:
            for match in pattern.finditer(text):
                span = self._name_words(text, *match.span("value"), lowercase_ok)
                if span is None:
                    continue
                if protected is None:
                    protected = self._filter.protected_spans(text)
                cleaned = self._filter.clean(text, *span, protected, allow_lowercase=lowercase_ok)
                if not cleaned or self._ordinary_words(text[slice(*cleaned)], titled):
                    continue
                # last: it may have to run spaCy's tagger (the checks above are pure text)
                if needs_propn and not _is_proper_noun(doc, *span):
                    continue
                results.append(self._result(*cleaned, score))
        return results

    def _ordinary_words(self, value: str, titled: bool) -> bool:
        """Words after a cue, where case says nothing (lower case, ALL CAPS, a Title Case
        message), that are plain English, not names: "thanks, sorted now", "thanks x",
        "IT'S RIDICULOUS", "my name is wrong on the bill" (but "my name is sarah")."""
        lex = self._lexicon
        if lex is None or not (value.islower() or value.isupper() or titled):
            return False
        return any(
            len(w) < 2
            or (lex.is_english(w) and not (lex.is_given(w, allow_common=True) or lex.is_surname(w)))
            for w in value.split()
        )

    @staticmethod
    def _name_words(text: str, start: int, end: int, lowercase_ok: bool) -> tuple[int, int] | None:
        """The leading words that can be a name: capitalised (or any case when allowed), not
        common words; at most three."""
        kept: list[tuple[int, int]] = []
        for m in re.finditer(r"\S+", text[start:end]):
            word = m.group()
            bare = _bare(word)
            if bare in STOP_WORDS or bare in _NOT_NAMES or bare in _INSTITUTION_WORDS:
                break
            if not lowercase_ok and not word[:1].isupper():
                break
            kept.append((start + m.start(), start + m.end()))
            if len(kept) == 3:
                break
        if not kept:
            return None
        return kept[0][0], kept[-1][1]


def _is_proper_noun(doc: object, start: int, end: int) -> bool:
    """Whether spaCy tagged the first word of the span as a proper noun (no doc: assume yes)."""
    char_span = getattr(doc, "char_span", None)
    if char_span is None:
        return True
    span = char_span(start, end, alignment_mode="expand")
    if span is None:
        return True
    first = span[0]
    if first.ent_type_ in {"GPE", "LOC", "FAC", "DATE", "TIME"}:
        return False  # "it's Brackenvale", "this is Monday" (NORP/ORG: spaCy tags names so)
    # the tag, not the coarse POS: the Redactor skips the attribute ruler that maps one to the
    # other (NNP/NNPS are PROPN)
    return first.ent_type_ == "PERSON" or tag_of(first) in ("NNP", "NNPS")
