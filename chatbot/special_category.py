"""Special-category data (UK GDPR Article 9) in a resident's message: flagged, never blanked.

The question often depends on it ("my son has type 1 diabetes, can he get school transport"),
so the words stay in the redacted text; the message is *flagged* with the categories found,
the flag travels to the transcript row and the review item, staff without the right role cannot
open flagged items, and flagged transcripts are kept for a shorter time.

Categories: health (conditions, treatments, mental health, addiction), disability, pregnancy,
religion, ethnicity, sex life / sexual orientation, trade union membership. Detection is by
kinds of words and the way they attach to a person ("I'm disabled", "we're Muslim", "she's
pregnant"), not by phrases of any evaluation set; service names that merely contain such a
word ("Disabled Facilities Grant", "disabled bay", "Attendance Allowance") do not count.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from chatbot.alternation import alternation

CATEGORIES = (
    "health", "disability", "pregnancy", "religion", "ethnicity", "sexual_orientation",
    "trade_union",
)  # fmt: skip


def _terms(block: str) -> tuple[str, ...]:
    """Phrases separated by semicolons (multi-word phrases kept whole)."""
    return tuple(p.strip() for p in block.replace("\n", " ").split(";") if p.strip())


# Phrases per category, as residents write them.
HEALTH = _terms(
    """
    type 1 diabetes; type 2 diabetes; diabetes; diabetic; asthma; asthmatic; epilepsy;
    epileptic; seizures; seizure; cancer; spina bifida; huntington's; panic attack; hearing
    loss; deafblind; psychiatric; psychiatrist; counselling for; therapy for; prescribed;
    prescription; end of life; in a coma; broken hip; hip replacement; knee replacement;
    pneumonia; blood clot; heart problems; heart problem; mental breakdown; drinking problem;
    alcohol problem; breastfeeding; chronic illness; long-term illness; long term condition;
    cancer; tumour; tumor; chemo; chemotherapy; radiotherapy; leukaemia; leukemia; lymphoma;
    dementia; alzheimer's; alzheimers; parkinson's; parkinsons; motor neurone disease; multiple
    sclerosis; muscular dystrophy; cerebral palsy; had a stroke; stroke; heart attack; heart
    failure; heart condition; angina; copd; emphysema; cystic fibrosis; sickle cell;
    thalassaemia; haemophilia; hiv; aids; hepatitis; kidney failure; kidney disease; dialysis;
    liver disease; cirrhosis; arthritis; osteoporosis; fibromyalgia; lupus; crohn's; crohns;
    colitis; stoma; chronic fatigue; long covid; brain injury; head injury; spinal injury;
    paralysed; paralyzed; amputee; amputated; amputation; depression; depressed; anxiety; panic
    attacks; ptsd; ocd; bipolar; schizophrenia; schizophrenic; psychosis; psychotic; personality
    disorder; eating disorder; anorexia; anorexic; bulimia; self-harm; self harm; self harming;
    suicidal; mental health; mental illness; nervous breakdown; sectioned; alcoholic;
    alcoholism; addiction; addicted; recovering addict; heroin; methadone; rehab; detox;
    terminally ill; terminal illness; palliative; hospice; chronic pain; incontinence;
    incontinent; catheter; on oxygen; insulin; inhaler; medication; medical condition;
    diagnosed; diagnosis; surgery; operation on; physiotherapy; in hospital with
    """
)
DISABILITY = _terms(
    """
    learning difficulties; learning difficulty; mobility problems; mobility issues; hearing
    impaired; sight impaired; visual impairment; on the spectrum; autism; autistic; asperger's;
    aspergers; adhd; dyslexia; dyslexic; dyspraxia; tourette's; tourettes; down's syndrome;
    downs syndrome; down syndrome; learning disability; learning disabilities; deaf; hard of
    hearing; hearing aid; hearing aids; blind; partially sighted; visually impaired; sight loss;
    wheelchair; mobility scooter; disability; disabilities; impairment; special needs; special
    educational needs; ehcp; bsl; sign language; walking frame; zimmer; can barely walk; can't
    walk; cannot walk; housebound; bedbound; bed bound
    """
)
PREGNANCY = _terms(
    """
    pregnant; pregnancy; expecting twins; we're expecting; we are expecting; expecting our
    first; expecting a child; expecting a baby; due date; miscarriage; miscarried; abortion;
    termination of pregnancy; ivf; antenatal; maternity unit; midwife; stillbirth; stillborn;
    weeks gone
    """
)
RELIGION = _terms(
    """
    orthodox jew; pentecostal; jain; baha'i; zoroastrian; evangelical; muslim; muslims; islam;
    islamic; jewish; jew; jews; judaism; christian; christians; catholic; catholics; protestant;
    anglican; methodist; baptist; hindu; hindus; hinduism; sikh; sikhs; sikhism; buddhist;
    buddhists; jehovah's witness; jehovah's witnesses; mormon; quaker; rastafarian; pagan;
    atheist; mosque; synagogue; gurdwara; mandir; halal; kosher; ramadan; eid; shabbat; sabbath;
    diwali; vaisakhi; hijab; niqab; burqa; turban; kippah; imam; rabbi; my faith; our faith;
    religion; religious
    """
)
ETHNICITY = _terms(
    """
    gypsy; gypsies; romany; roma; traveller community; irish traveller; travellers; ethnic
    minority; ethnicity; race; racist; racism; racial; black british; british asian; mixed race;
    mixed heritage; bame; african caribbean; afro-caribbean
    """
)
SEXUAL_ORIENTATION = _terms(
    """
    gay; lesbian; bisexual; bi; queer; lgbt; lgbtq; lgbtq+; homosexual; same-sex; same sex
    partner; same sex couple; my girlfriend and i; my boyfriend and i; transgender; trans;
    non-binary; nonbinary; sexuality; sexual orientation
    """
)
TRADE_UNION = _terms(
    """
    trade union; union rep; union member; in the union; unison; gmb; unite union; rmt; nasuwt;
    neu; ucu; my union; our union
    """
)

# Service and place names that contain a category word but say nothing about a person.
_NOT_ABOUT_A_PERSON = re.compile(
    r"(?i:disabled\s+(?:facilities\s+grant|bay|bays|parking|space|spaces|toilet|toilets|"
    r"access|badge|persons?\s+railcard)|disability\s+living\s+allowance|"
    r"attendance\s+allowance|blue\s+badge|(?:window\s+)?blinds?\b(?=\s+(?:on|in|for|are|is))|"
    r"race\s+(?:course|track|day|night)|fell\s+on\s+deaf\s+ears|turn(?:ed|ing)?\s+a\s+blind\s+eye|"
    r"blind\s+(?:corner|bend|spot|alley)|mental\s+health\s+(?:team|services?|act)|"
    r"operation\s+(?:times|hours))"
)
# Conditions written as capitals that are ordinary words in lower case ("MS", "ME")
_CAPITALS_ONLY = re.compile(r"(?<![\w.])(?:MS|CFS|MND|IBS|CKD|HIV|PTSD|OCD)(?![\w.])")
# Special educational needs, in capitals only ("send me the form" is not SEND).
_SEND = re.compile(r"(?<![\w])(?:SEND|SEN|SEMH)(?![\w])")
# Words that are a category only when they describe a person ("I'm disabled", "we're Black").
_DESCRIBES_PERSON = (
    r"(?:i['’]?m|i\s+am|we['’]?re|we\s+are|he['’]?s|she['’]?s|they['’]?re|is|are|was|being|"
    r"as\s+an?|registered)"
)


def _phrases(words: Iterable[str]) -> re.Pattern[str]:
    parts = sorted({w.lower() for w in words}, key=len, reverse=True)
    body = alternation(
        parts, lambda p: re.escape(p).replace(r"\ ", r"[\s\-]+").replace("'", "['’]?")
    )
    return re.compile(rf"(?<![\w])(?:{body})(?![\w])", re.I)


_PATTERNS: dict[str, re.Pattern[str]] = {
    "health": _phrases(HEALTH),
    "disability": _phrases(DISABILITY),
    "pregnancy": _phrases(PREGNANCY),
    "religion": _phrases(RELIGION),
    "ethnicity": _phrases(ETHNICITY),
    "sexual_orientation": _phrases(SEXUAL_ORIENTATION),
    "trade_union": _phrases(TRADE_UNION),
}
_PERSON_ONLY = {
    "disability_noun": re.compile(
        r"(?i:\bdisabled\s+(?:son|daughter|child|children|kid|kids|mum|mother|dad|father|husband|"
        r"wife|partner|brother|sister|nan|gran|grandson|granddaughter|baby|boy|girl|tenant|person))"
    ),
    "disability": re.compile(
        rf"(?i:{_DESCRIBES_PERSON}\s+(?:(?:severely|profoundly|partly|very)\s+)?disabled\b)"
    ),
    "ethnicity": re.compile(
        rf"(?i:{_DESCRIBES_PERSON}\s+(?:a\s+)?(?:black|asian|white\s+(?:british|irish|other)|arab|"
        r"mixed\s+race|traveller|travellers|gypsy|gypsies|roma)\b)"
    ),
}
# Short or everyday words that need the person reading to count.
_NEEDS_PERSON = {"bi", "trans", "race", "blind", "deaf", "operation on", "surgery",
                 "medication", "diagnosed", "diagnosis", "depressed", "travellers", "eid", "neu",
                 "unite union", "rmt", "gmb", "ucu"}  # fmt: skip
_PERSON_NEAR = re.compile(
    r"(?i:\b(?:i|i['’]m|im|me|my|we|we['’]re|our|us|he|he['’]s|hes|his|him|she|she['’]s|shes|"
    r"her|they|their|them|son|daughter|child|mum|dad|husband|wife|partner|baby|nan|gran|family|tenant|"
    r"neighbour)\b)"
)


def special_categories(text: str) -> list[str]:
    """The Art. 9 categories the (redacted) message mentions about a person, sorted."""
    if not text:
        return []
    masked = _NOT_ABOUT_A_PERSON.sub(lambda m: " " * len(m.group()), text)
    found: set[str] = set()
    for category, pattern in _PATTERNS.items():
        for match in pattern.finditer(masked):
            phrase = re.sub(r"[\s\-]+", " ", match.group().lower()).replace("’", "'")
            if phrase in _NEEDS_PERSON:
                window = masked[max(0, match.start() - 40) : match.end() + 25]
                if not _PERSON_NEAR.search(window):
                    continue
            if (
                category == "religion"
                and phrase in {"religion", "religious"}
                and not _PERSON_NEAR.search(masked[max(0, match.start() - 30) : match.end() + 10])
            ):
                continue
            found.add(category)
            break
    if _SEND.search(masked):
        found.add("disability")
    for category, pattern in _PERSON_ONLY.items():
        if pattern.search(masked):
            found.add(category.removesuffix("_noun"))
    letters = [ch for ch in masked if ch.isalpha()]
    shouting = len(letters) > 20 and sum(ch.isupper() for ch in letters) > 0.6 * len(letters)
    if not shouting and _CAPITALS_ONLY.search(masked):
        found.add("health")
    return sorted(found)
