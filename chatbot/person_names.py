"""Names that spaCy's small model misses, found from the shape of the sentence and general
knowledge of names: given names and surnames of many languages (`chatbot/data/*.txt`, built
from Faker's locales by `scripts/build_name_lexicons.py`, nothing from any evaluation set), and
given names and surnames of the UK's communities that those locales lack
(`given_names_more.txt`, `surnames_more.txt`, written by the team from general knowledge:
Welsh, Scottish Gaelic and Irish, Punjabi, Hindi, Gujarati, Bengali, Urdu, Tamil, Nepali and
Sinhala, Somali, Eritrean and Ethiopian, Afghan, Kurdish and Iranian, Arabic, West and
southern African, Filipino, romanised Chinese and Vietnamese, Turkish, Polish, Romanian,
Baltic and Ukrainian).

- a capitalised (or ALL CAPS) run that starts with a given name: "Brenda Hollis",
  "ANNE MCGUIRE", "my son Will has", "Jordan's car"; a given name that is also an everyday
  word ("Will", "May", "Mark", "Bill", "Grace") needs more: a surname after it, or a place in
  the sentence where a name goes (after "my son", not first in a sentence);
- lists: once a name is found, the capitalised words listed after it are names too
  ("Amelia, Noah and Wiktoria", "Ruby (9) and Theo (4) Clarke");
- lower case: a given name + a surname ("booked under gail turner"), or a given name after a
  cue ("its ben", "thanks dave", "- ewa");
- "Chloe here", a sign-off after a dash or alone at the end ("... - Ewa", ". Anjali Menon");
- names no list holds, from where they stand (`_unknown_names`): after an introduction,
  greeting or sign-off, before "here", a birth date, an age, "is my son" or "and I", as the
  subject of a verb that "he"/"she" or "who" takes up, a signature sentence, a clause of a name
  and a detail ("Gune Nalu, housing register number ..."), in brackets, in lists; surnames by
  their shape ("-ska", "-enko", "-escu");
- lower case without a list: a word after a cue that is none of the commonest English words
  (`english_words.txt`): "its tendai", "name tamsin pengelly", ", yetunde, said";
- lower case by the word's role in its sentence (`_lower_case_by_role`): the object of "tell",
  "ask", "remind", "let ... know", "ring ... back"; after "me and" or "mum and"; the subject of
  a verb opening a clause ("i think ngozika saw ... she", two name words "ebunoluwa tabansi
  has") or of a question ("does oyebimpe have to"); a distinct given name with a word that is
  no English word after it ("thandiwe zulakhe"); one or two name words closing a message
  whose last sentence or line thanks ("thanks for all your help bronwen"). A word no list
  holds must have two vowels (not "dvla") and not be two English words run together
  ("stepchange"); as a subject, or after "ring", "call", "email", it may be a firm ("biffa
  rang me", "ring biffa about"), so only a "he"/"she" after (or "back") makes it a person;
  a possessive before a verb is a shop or charity ("barnardo's said"); a given name that is
  also a word ("hope", "bill") needs "i said"/"know" after it, a "he"/"she" taking it up, or
  a verb of telling or ringing ("bill rang me");
- ALL CAPS and Title Case messages, where capitals say nothing, are also read in lower case;
- a weak prior for the rest (`_unseen_prior`): a capitalised run standing mid-sentence whose
  words are no English word (bar given names and surnames beside one that is none), no place,
  institution or street word, and that spaCy does not read as a place or group, is a name even
  without a cue, also after "to", "for", "with", "by", "about" ("rude to Ayo", "signed by Ayo
  Bello"); never where places, shops and things stand: after an article, a possessive or a
  place preposition, in a run after a verb of going and "to"/"from" ("the bus from Cleobury
  Mortimer"), beside "or" or "/" ("Screwfix or Wickes"), after a question's opening "is"/"does",
  after a street, house number or institution and a comma, inside a longer proper name ("Much
  Wenlock", "Brackenvale General Hospital"), after a modifier or before a noun it modifies
  ("free Wi-Fi", "Brackenvale taxpayers"), listed with a common word ("Wi-Fi and printing"), as
  a bracketed gloss or before an expansion ("Welsh (Cymraeg)", "Acas (Advisory, ...)"), in a
  web address, in camel case or as an acronym ("StepChange", "NICs"), or later in a list whose
  first item is a place or stands after one;
- one lower-case given name that is no English word after "to", "for", "with" ("reply to
  yusuf"), not after a verb of going nor a language ("translate to french");
- (issue 10, names-probe6) a Gaelic surname by its written shape ("MacKinnon", "McGonigle":
  Mac/Mc, a capital, no English word after); two capitals opening a sentence before a team or
  desk ("KT from the highways team"), bar two-letter roles ("GP", "OT"); two given names
  joined by "&" before a family name are a couple, not a firm; in lower case after "to",
  "for", "from", "with", "by", a given name that is a word before a word that is none ("sent
  to autumn achterberg"); a relation alone in brackets after a run ("... (brother)"); names
  with ages split by semicolons; a question's subject after "why/when/how did". A title
  ("Madam") or a relation after "my" ("My Nan's") is never the name itself, nor the second
  half of "X and Y's" closing a clause ("Home-Start and Barnardo's"), nor a run before an
  institution word after a role line, nor, in lower case, a plain word after a title and
  name ("dr nwosu wrote").

- (names-probe7) a thanks cue may carry "again", "so much" ("thanks again priya"); a lone
  lower-case given name after "a lift from"; a word right after a number is a count's noun,
  never a name, whatever pronoun follows ("for 3 weeks, she is 84").

A run is not a name when it is a town (`uk_places.txt`, also as the first word of one, or
before a postcode) or follows one ("Kirkby Stephen"), is followed by a street or institution
word ("Victoria Road", "Royal Preston Hospital"), holds a plain English word ("Clifton
Suspension Bridge"), is plain English on its own ("Thanks, Sorted Now"), is a month, day or
festival ("Ramadan"), or overlaps a protected term. Measured by `python -m evals.name_swap`
(names invented anew or re-cased) and on `evals/datasets/names-unseen.jsonl`.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from functools import cache, lru_cache
from pathlib import Path
from typing import Any

from presidio_analyzer import RecognizerResult
from presidio_analyzer.nlp_engine import NlpArtifacts
from spacy.lang.en.stop_words import STOP_WORDS

from chatbot.deferred_tags import tag_of
from chatbot.names import (
    _INSTITUTION_WORDS,
    _NOT_NAMES,
    _ORGANISATION_AFTER,
    _ORGANISATION_BEFORE,
    ASKED_OF_BEFORE,
    FAMILY_AFTER,
    GREETINGS,
    HONORIFICS,
    MOTION_WORDS,
    POSSESSIVE_BEFORE,
    TEXTED_CONTRACTIONS,
    TEXTED_NEGATIONS,
    TITLE,
    VERB_FOLLOWS,
    PersonNameFilter,
    district_after_street,
    firm_or_place_context,
    trim_name,
)
from chatbot.recognizers import _POSTCODE, STREET_TYPE_WORDS, OneEntityRecognizer

DATA_DIR = Path(__file__).resolve().parent / "data"
_WORD = re.compile(r"(?<!\w)[^\W\d_]+(?:['’\-][^\W\d_]+)*(?![\w])")
_PARTICLES = frozenset(
    "ap ab van von de da di del der la le bin bint al el ni ní nic mac mc o".split()
)
_MONTHS_DAYS = frozenset(
    """january february march april may june july august september october november december
    monday tuesday wednesday thursday friday saturday sunday christmas easter ramadan eid
    diwali hanukkah hogmanay passover vaisakhi lent advent halloween""".split()
)
_PERSON_NOUNS = frozenset(
    """son sons daughter daughters child children kid kids boy boys girl girls baby babies
    grandson granddaughter grandchild grandchildren nephew niece cousin brother brothers
    sister sisters mum mom mother dad father husband wife partner fiance fiancee boyfriend
    girlfriend friend neighbour neighbor nan nana gran granny grandma grandad grandpa aunt
    auntie uncle carer tenant lodger stepson stepdaughter twins patient client names name
    called named ex colleague officer mate lady gentleman manager teacher adviser advisor
    caseworker worker pupil student applicant occupant eldest youngest oldest
    fella fellah feller hubby hubbie missus missis wifey bf gf stepdad stepmum stepmom
    stepmother stepfather stepbrother stepsister godson goddaughter granddad grampa nanna
    mammy twin flatmate housemate roommate lass lad nurse matron midwife vicar pastor imam
    rabbi lassie laddie pal faither mither da""".split()
)  # (and what residents call them: "my fella", "the missus", "ma pal", "me da"; not the Welsh
# "nain", "mam": Welsh words follow them in a Welsh sentence, "mae nain wedi syrthio")
# Thanks and greetings that close a message, in English and Welsh ("Diolch, Siân")
_THANKS = (
    r"thanks|thank\s+you|thank\s+u|thankyou|thx|thanx|cheers|ta|regards|rgds|love|diolch|cofion"
)
# Cues that introduce a name in any case ("its ben", "thanks dave", "thanks again priya",
# "- ewa") ...
_CUES_BEFORE = re.compile(
    r"(?i:(?:\b(?:it['’]?s|its|im|i['’]m|i\s+am|this\s+is|name\s+is|names?|name['’]s|"
    r"names\s+are|names?\s+of|called|named|"
    rf"{_THANKS}|signed)(?:\s+(?:again|so\s+much|very\s+much|a\s+lot|loads))?\s*[,:]?"
    r"|[\-–—:(])\s*$)"
)
# ... and cues that only support a capitalised one ("ask for Sue", "a letter from Jo", "tell
# Hope")
_WEAK_CUES_BEFORE = re.compile(
    r"(?i:\b(?:from|me|him|her|under|for|ask\s+for|speak\s+to|spoke\s+to|with|to|and"
    # someone told, asked or reminded by the writer: "tell Hope her bin is fixed"
    r"|tell|ask|remind|let)\s*$)"
)
# "jamie and leah's dad", "Tom's mum": names by whose parent or relative is writing
_PARENT_OF = re.compile(
    r"(?<![\w'’])(?P<names>[^\W\d_]+(?:\s*(?:,|and|&)\s*[^\W\d_]+){0,3})['’]s\s+"
    r"(?:mum|mom|dad|mother|father|nan|gran|grandma|grandad|carer|teacher|brother|sister|"
    r"auntie|aunt|uncle|parents?|application|birthday|"
    r"appointment|bedroom|room)\b",
    re.I,
)
# Cues that say a name follows, whatever the name ("name: ", "called ", "signed ").
_NAME_CUE = re.compile(
    r"(?i:\b(?:name\s+is|name\s+was|names\s+are|name['’]s|names?\s*:|names?\s+of|called|named|signed|"
    r"surname(?:\s+is)?|"
    r"first\s+name(?:\s+is)?|full\s+name(?:\s+is)?|known\s+as|from\s*:)\s*[,:\-]?\s*"
    r"(?:just\s+|simply\s+)?|name\s+(?:is|was)\s+[\"“‘])$"
)
# An age right after a word makes it a child's name: "Tobi (7)", "Ayo, aged 4", "Femi aged 9"
_AGE_AFTER = re.compile(
    r"\s*(?:\(\s*(?:age\s*|aged\s*)?\d{1,2}\s*(?:yrs?|years?(?:\s+old)?)?\s*\)"
    r"|,?\s+aged\s+\d{1,2}\b|\s+\d{1,2}(?:\s*(?:yrs?|years?))?\s*(?:,|&|\band\b|$))",
    re.I,
)
# The last line of a message of several lines, holding only a name: a signature.
_LAST_LINE = re.compile(
    r"\n[ \t]*(?:[-–—x][ \t]*)?(?:(?:Mr|Mrs|Ms|Miss|Mx|Dr|Prof|Cllr|Rev)\.?[ \t]+)?"
    r"(?P<name>(?:[A-Z]\.?[ \t]+){0,2}[A-Z][\w'’\-]+(?:[ \t]+[A-Z][\w'’\-]+){0,2})[ \t]*[.!]?\s*$"
)
# Contact lines under a signature: an email, a phone number, "Sent from my iPhone". The name
# line above them is the signature's last line of words ("Kind regards\nJo Bloggs\njo@...").
_CONTACT_TAIL = re.compile(
    r"(?:\n[ \t]*(?:[^\n]*@[^\n]*|[^\n]*\d[\d \t()+\-.]{5,}[^\n]*"
    r"|(?i:sent\s+from\s+my)[^\n]*|(?i:(?:tel|mob|mobile|phone|email|e-mail)\b)[^\n]*))+\s*$"
)
_SAINT_BEFORE = re.compile(r"(?i:\b(?:st|saint)\.?\s+)$")
# A name owning what only a person has: "Ayo's school", "in ayo's name", "AYO'S HOUSE"
_POSSESSION = re.compile(
    r"(?<![\w'’\-])(?P<name>[^\W\d_][\w\-]*)['’][sS]\s+(?i:(?:new|old|own|little|first)\s+)?"
    r"(?i:school|nursery|class|teacher|car|van|bike|house|flat|home|bedroom|room|name|behalf|"
    r"wheelchair|medication|prescription|benefits?|pip|ehcp|review|assessment|funeral|grave|"
    r"carer|details|passport|licence|license|tenancy|deposit|account|birthday|appointment|"
    r"application|mum|dad|mother|father|nan|gran|grandma|grandad|parents?|friend|partner|"
    r"husband|wife|boyfriend|girlfriend|son|daughter|kids|children|baby|brother|sister|"
    # health, care and a child's things: "Sky's asthma", "Kai's inhaler", "Ola's uniform"
    r"asthma|inhaler|epilepsy|autism|adhd|diagnosis|illness|injury|consultant|"
    r"social\s+worker|support\s+worker|key\s+worker|hearing\s+aids?|glasses|walking\s+frame|"
    r"mobility\s+scooter|stairlift|cot|pram|buggy|nappies|uniform|homework|sats|gcses|"
    r"dinner\s+money|pocket\s+money|birth\s+certificate)\b"
)
# A list of names after "my kids are", "children:", "we're"
_LIST_WORD = r"[^\W\d_][\w'’\-]*"
_LIST_AFTER_CUE = re.compile(
    r"(?i:\b(?:(?:kids|children|sons|daughters|grandchildren|grandkids|twins|boys|girls)"
    r"(?:['’]?\s*names)?\s*(?:(?:are|were|is)(?:\s+(?:called|named))?|called|named|:|-"
    r"|(?:\s+(?:in|at|with|living|staying|here|home|house|household|family|the|my|our|me|us))"
    r"{1,4}\s*:)?"  # "kids in the house: ...", "children living with me: ..."
    r"|we['’]re|we\s+are)\s*:?\s*)"
    rf"(?P<list>{_LIST_WORD}(?:\s*,\s*{_LIST_WORD}){{0,5}}\s*,?\s*(?i:and|&)\s*{_LIST_WORD})"
)
# "Ayo Bello\n12 Mill Lane": the first line of an address block
_ADDRESS_BLOCK_NAME = re.compile(
    r"\s*(?:(?i:mr|mrs|ms|miss|mx|dr)\.?\s+)?"
    r"(?P<name>[^\W\d_][\w'’\-]*(?:[ \t]+[^\W\d_][\w'’\-]*){1,2})[ \t]*,?[ \t]*\n"
    r"\s*(?i:flat\s+\w+|apartment\s+\w+|\d{1,4}[a-z]?\s+[^\W\d_])"
)
# "..., please help, Ayo": one capitalised word after a comma closing the message
_COMMA_SIGN_OFF = re.compile(r",[ \t]*(?P<name>[A-Z][a-z][\w'’\-]*)[ \t]*[.!x]*\s*$")
# One or two initials then a capitalised word: "K Osei", "J. R. Hartley", "P.Okoro"
_INITIALS = re.compile(
    r"(?<![\w.'’\-])(?P<initials>(?:[A-Z](?:\.\s*|\s+)){1,2})"
    r"(?P<surname>[A-Z](?:['’][A-Z])?[a-z][\w'’]*(?:-[A-Z][\w'’]+)?)(?![\w\-])"
)
# "T Davies Plumbing", "J Webb Road": a firm or a street, not a person
_PLACE_OR_FIRM_AFTER = re.compile(
    r"\s+(?i:"
    + "|".join(sorted(_INSTITUTION_WORDS | STREET_TYPE_WORDS, key=len, reverse=True))
    + r")\b"
)
# Words before a letter that is a label, not an initial: "Band D", "Plan B", "Flat C"
_LABEL_BEFORE = re.compile(
    r"(?i:\b(?:band|plan|type|grade|class|year|block|flat|unit|zone|form|part|section|"
    r"schedule|tier|level|category|cat|vitamin|room|building|option|appendix|stage|wing|"
    r"ward|gate|terminal|platform|hep|hepatitis|group|key)\s*$)"
)
# "the D'Souza household", "Kowalski family"
_HOUSEHOLD = re.compile(
    r"(?<![\w'’])(?P<value>[A-Z][\w'’\-]*[a-z][\w'’\-]*)\s+(?:household|family|residence|home)\b"
)
# Family-name endings of Polish, Czech, Slovak, Ukrainian, Russian, Romanian, Greek, Turkish,
# Georgian and South Slavic names (folded, so "ić" reads "ic"); only long words, which English
# words with these endings hardly are.
_SURNAME_SHAPE = re.compile(
    r"^[a-z'\-]{3,}(?:ska|ski|cka|cki|wicz|czyk|czak|enko|chuk|escu|eanu|"
    r"opoulos|idis|akis|oglu|ovic|evic|ishvili|ovna|evna|ova|eva)$"
)
# "Ioana & Mihai Constantinescu": two given names, "&", a family name
# a closing salutation right before a run: the writers sign off ("Regards, ", "Best wishes\n")
_SIGN_OFF_BEFORE = re.compile(
    r"(?i:\b(?:regards|wishes|thanks|thank\s+you|sincerely|faithfully|truly|love|cheers)"
    r"[ \t]*[,.]?[ \t]*\n?[ \t]*\Z)"
)
_COUPLE = re.compile(
    r"(?<![\w'’\-])(?P<first>[A-Z][\w'’\-]+)\s*&\s*(?P<second>[A-Z][\w'’\-]+)[ \t]+"
    r"(?P<family>[A-Z][\w'’\-]+)(?![\w'’])"
)
# "X and Y's" closing a clause names a firm or a charity as a whole ("Marks and Spencer's"):
# X is dropped by `_ORGANISATION_AFTER`, Y by these
_FIRM_PARTNER_BEFORE = re.compile(r"[A-Z][\w'’\-]*\s+(?:and|&)\s+$")
_POSSESSIVE_CLOSES = re.compile(r"['’][sS](?:\s*[.,!?;:)]|\s*$)")
# Gaelic family names written with a capital after the prefix ("MacKinnon", "McGonigle",
# "MacKinnon"): word lists built from running text hold some of them as words, but that
# capital is the shape of a surname; the rest of the word must be no English word on its own
# ("MacBook", "McFlurry" stay)
_MAC_SHAPE = re.compile(r"(?:Mac|Mc)(?P<rest>[A-Z][a-z]{2,})(?:['’]s)?")
# "... - Dafydd ap Gwilym" closing a message (kisses after it too: "- Tamsin xx")
_DASH_SIGN_OFF = re.compile(
    r"(?:^|\s)[\-–—~]+[ \t]*(?P<name>[A-Z][\w'’\-]+(?:[ \t]+(?:[A-Z][\w'’\-]+|ap|ab|van|von|de|"
    r"da|di|del|der|la|le|bin|bint|al|el|ni|ní|nic|mac|mc)){0,3})[ \t]*[.!]?"
    r"(?:[ \t]+(?:x{1,4}|X{1,4}))?[ \t]*[.!]?\s*$"  # kisses after the name: "- Tamsin x"
)
_GREETING_WORDS = "|".join(sorted(GREETINGS, key=len, reverse=True))
# A capitalised word spoken to, after a greeting or thanks that opens a sentence: "thanks
# Debs, that sorted it", "Hiya Mags!" (a word no list holds as a name, so no other rule sees it)
_VOCATIVE = re.compile(
    rf"(?:^|[.!?\n][ \t]*)(?i:{_GREETING_WORDS}|thanks|thank\s+you|thankyou|cheers|ta)[ \t]+"
    r"(?P<name>[A-Z][a-z]+(?:-[A-Z][a-z]+)?)[ \t]*(?=[,!]|\s*$)"
)
# A change of name: "my surname changed from Ormerod to Blackwood", "she changed her name
# by deed poll to ...", "née ...": whatever the words after "from"/"to", they are names
_NAME_WORDS = r"[^\W\d_][\w'’\-]*(?:[ \t]+[A-Z][\w'’\-]*)?"
_NAME_CHANGE = re.compile(
    r"(?i:\b(?:(?:(?:my|his|her|their|our|your|maiden|married|last|family)[ \t]+(?:sur)?names?|"
    r"surnames?)(?:[ \t]+\w+){0,2}?[ \t]+(?:changed|changes|changing|change)|(?:changed|change|"
    r"changing)[ \t]+(?:my|his|her|their|our)[ \t]+(?:sur)?name(?:[ \t]+by[ \t]+deed[ \t]+poll)?)"
    rf"[ \t]+)(?:(?i:from)[ \t]+(?P<old>{_NAME_WORDS})[ \t]+)?(?i:to)[ \t]+(?P<new>{_NAME_WORDS})"
)
_NEE = re.compile(rf"\bnée[ \t]+(?P<new>{_NAME_WORDS})")
# Words after which a capitalised word is no one's name: articles, possessives, prepositions.
_NOT_BEFORE_SUBJECT = frozenset(
    """the a an my your our their his her its this that these those in at on to from near into
    onto of by via off over under behind opposite past through around across towards toward
    outside inside within between about for with without than visit visited""".split()
)
# Words after which one capitalised word is a place, not a person ("in Kingston", "at Hope")
_PLACE_BEFORE = frozenset(
    """in at near into onto around outside opposite towards toward across via through behind
    past""".split()
)
# Words after which a capitalised word is a place, a shop or a thing, not a person
_NOT_A_PERSON_BEFORE = frozenset(
    """the a an my your our their his her its this that these those from of on off over under
    via than into onto inside within between visit visited visiting leave leaving entering
    reach reaching""".split()
)
# Going somewhere: "to" after these leads to a place ("moved to X", "the bus to X")
# A capital inside a word, not after "Mc", "Mac", "O'" or a hyphen: a brand or an acronym
# ("PayPal", "NICs", "GCSEs")
_INNER_CAPITAL = re.compile(r"^(?!Mc|Mac|Fitz|O['’]|D['’]|De|Di|La|Le|Van|Von)\w+?(?<![\-'’])[A-Z]")
# Languages and nationalities (in lower case, some are given names too: "translate to french")
_LANGUAGES = frozenset(
    """english french welsh gaelic irish scottish british german spanish italian portuguese
    polish romanian bulgarian lithuanian latvian russian ukrainian turkish kurdish arabic farsi
    persian urdu hindi punjabi bengali gujarati tamil somali tigrinya amharic chinese cantonese
    mandarin""".split()
)
# Words that open a clause, after which a name may be the clause's subject
_SUBORDINATORS = frozenset(
    "that so because cos coz when if but until since while whether although though unless".split()
)
# spaCy tags of a word that modifies a thing, not a person: "free Wi-Fi", "all Brackenvale"
_MODIFIER_TAGS = frozenset({"JJ", "JJR", "JJS", "DT", "PDT", "PRP$", "CD", "POS"})
_AUXILIARIES = frozenset(
    """is are was were does do did has have had can could will would should may might""".split()
)
_PERSON_WORDS = "|".join(sorted(_PERSON_NOUNS - {"names", "name", "called", "named"}))
# A name joined by "and" to a person: "my daughter and Ayo", "me and Ayo", "Ayo and my son"
_PERSON_AND_BEFORE = re.compile(
    rf"(?i:(?:\b(?:me|i|myself)|\b(?:my|our|his|her|their)\s+(?:\w+\s+)?(?:{_PERSON_WORDS}))"
    r"\s+(?:and|&)\s+$)"
)
_PERSON_AND_AFTER = re.compile(
    rf"(?i:\s+(?:and|&)\s+(?:my|our|his|her|their)\s+(?:\w+\s+)?(?:{_PERSON_WORDS})\b)"
)
# "Ayo and his partner", "Ayo, she is 80", "Ayo (he is 9)": he or she takes the name up at once
_GENDERED_AFTER = re.compile(
    r"(?i:\s*(?:,\s*|\s+and\s+|\s*\(\s*|\s+-\s+)(?:he|she|his|her|he['’]s|she['’]s)\b)"
)
_GENDERED = re.compile(r"(?i)\b(?:he|she|him|his|hers|himself|herself|he['’]s|she['’]s)\b")
# ... after a when: "to Tavrin last week but she never", "with Zorbek yesterday and he"
_GENDERED_LATER = re.compile(
    r"(?i:\s+(?:yesterday|today|tonight|earlier|recently|last\s+(?:night|week|month|year|"
    r"time)|this\s+(?:morning|afternoon|evening|week)|on\s+(?:mon|tues|wednes|thurs|fri|satur|"
    r"sun)day|(?:a\s+(?:few\s+)?|two\s+|three\s+)?(?:days?|weeks?|months?)\s+ago|ages\s+ago)"
    r"\s*(?:,\s*|\s+(?:and|but)\s+)(?:he|she)\b)"
)
# what only a person has (no firm's van or house: those are name_context's, for given names)
PERSONS_THINGS = (
    "dog|dogs|cat|cats|kids|children|son|daughter|mum|dad|wife|husband|partner|boyfriend|"
    "girlfriend|garden|fence|hedge|music|party|motorbike|caravan|lodger|carer|friends?|mates?|"
    "grandson|granddaughter|baby|brother|sister|visitors"
)
# a possessive before what a person has: "Perrick's music every night", "Tavi's kids"
_PERSONS_THING = re.compile(rf"(?i:\s+(?:(?:new|old|big|little)\s+)?(?:{PERSONS_THINGS})\b)")
_RELATION_AFTER = re.compile(
    r"(?i)\s*(?:,|\(|\s-\s|\s+is)\s*(?:my|our|his|her|their)\s+(?:"
    + "|".join(sorted(_PERSON_NOUNS - {"names", "name", "called", "named"}))
    + r")\b"
    # ... or a relation alone in brackets: "Olu Bada (brother)", "Ada Obi (mum)"
    + r"|\s*\(\s*(?:"
    + "|".join(sorted(_PERSON_NOUNS - {"names", "name", "called", "named"}))
    + r")\s*\)"
)
_STRONG_CUE = re.compile(
    rf"(?i:\b(?:it['’]?s|its|i['’]?m|i\s+am|this\s+is|(?P<sign>{_THANKS}|signed)|"
    r"ask\s+for|speak\s+to|spoke\s+to|speak\s+with|spoke\s+with|talk\s+to|"
    r"talked\s+to|speaking\s+to|speaking\s+with|talking\s+to|spoken\s+to|in[\s\-]law|(?:message|e-?mail|note|text|letter)\s+(?:from|for)|fao|f\.a\.o\.?|attn|c/o|"
    r"for\s+the\s+attention\s+of|on\s+behalf\s+of)\s*[,:]?\s*$)"
)
_RUN_CLOSES = re.compile(r"\s*(?:again\b|here\b|[,.!]|$)", re.I)
_BIRTH_AFTER = re.compile(
    r"\s*,?\s*[(\[]?\s*(?:born\b|dob\b|d\.o\.b|date\s+of\s+birth|aged?\s+\d)", re.I
)
_DETAIL_AFTER = re.compile(
    r"\s*[,(]\s*(?:\d|\+|flat\b|apartment\b|apt\b|unit\b|house\b|no\.|tel\b|phone\b|mob|"
    r"e-?mail\b|ref\b|reference\b|account\b|acc\b|acct\b|dob\b|born\b|date\s+of\s+birth|nhs\b|"
    r"ni\b|national\s+insurance|housing\s+register|council\s+tax|customer|tenancy|claim)",
    re.I,
)
# Cues after which a lower-case word that is no English word is a name.
_LOWER_CUE = re.compile(
    r"(?i:\b(?:it['’]?s\s+me|its\s+me|it['’]?s|its|i['’]?m|im|i\s+am|this\s+is|names?|name\s+is|"
    r"aka|a\.k\.a\.?|known\s+as|goes\s+by|"
    r"names\s+are|name\s+was|"
    rf"name['’]s|called|named|surname|signed|{_THANKS}|"
    r"under|ask\s+for|speak\s+to|spoke\s+to|spoke\s+with|(?:message|e-?mail|text|note|letter)\s+(?:is\s+|was\s+)?from|"
    r"tell|ask|contact|"
    r"mr|mrs|ms|miss|dr)"
    r"\s*[,:\-]?\s*(?:is\s+)?(?:just\s+)?$|(?P<mark>[,:(\-–—])\s*$)"
)
# articles, demonstratives and possessives: a noun, or a role, comes after them
DETERMINER_WORDS = tuple(
    "the a an this that these those my our your his her their its some any".split()
)
# slots a person fills, read by `_lower_slot`
_DETERMINER_END = re.compile(rf"(?i:\b(?:{'|'.join(DETERMINER_WORDS)})\s+)$")
_LOWER_NEIGHBOUR = re.compile(
    r"(?i:\s+(?:(?:from\s+)?next\s+door|upstairs|downstairs|(?:across|over)\s+the\s+road)\b)"
)
_WITH_END = re.compile(r"(?i:\bwith\s+)$")
_WHEN_AFTER = re.compile(r"(?i:\s+(?:when|while|whilst)\b)")
_HEDGE_END = re.compile(
    r"(?i:\b(?:i\s+think|i\s+reckon|i\s+believe|i\s+know|apparently|pretty\s+sure|"
    r"i['’]?m\s+sure)\s+)$"
)
# what someone did with a thing: "tovril took the bin", "dumped it", "broke the gate"
_DONE_VERBS = frozenset(
    """took take takes put puts dumped dumps threw throws broke breaks moved lost loses
    borrowed borrows nicked stole damaged smashed blocked blocks opened opens locked
    changed sold""".split()
)
_ARTICLE_NOUN_BEFORE = re.compile(r"(?i:\b(?:the|a|an)\s+[^\W\d_]+\s+)$")
# the one who did it, after a passive verb: "filled in by keeley", "booked by tomasz"; a given
# name only, since firms and ways come after "by" too ("sent by evri", "paid by paypal")
_BY_AGENT_BEFORE = re.compile(
    r"(?i:\b(?:filled|done|sent|written|booked|signed|completed|reported|made|arranged|"
    r"collected|brought|taken|seen|checked|inspected|visited|cancelled|canceled|organised|"
    r"organized|paid|told|fixed|posted|dropped|picked|looked|cared|helped|left|moved|put)"
    r"(?:\s+(?:in|out|off|up|after|for|round|over))?\s+by\s+)$"
)
# a question about a person, opened by an auxiliary: "is bronwen still on the list", "has
# dagmar been assessed yet" (lower case: the given name is one that is no everyday word)
_AUX_QUESTION_BEFORE = re.compile(
    r"(?i:(?:\A|[.!?\n]\s*)(?:(?:why|when|how|where|so|and)\s+)?(?:has|is|does|did|can|could|"
    r"will|would|should|was|have|hasnt|isnt|doesnt|didnt)\s+)\Z"
)
_ASKED_OF_AFTER = re.compile(
    r"(?i:\s+(?:been|got|had|received|heard|applied|started|moved|get|have|need|be|still|"
    r"already|now|ever|eligible|entitled|allowed|able|on\s+the|in\s+the)\b)"
)
_GREETING_BEFORE = re.compile(rf"(?i:\b(?:{_GREETING_WORDS})\s+)$")
_VERB_AFTER = re.compile(
    r"\s*,\s+(?:said|says|told|rang|phoned|called|asked|wants|needs|has|had|is|was|lives|"
    r"lived|died|passed)\b",
    re.I,
)
# after a person named in apposition, more verbs say so: "the repair man, lucjan, never
# showed up" (a place or a firm between commas, "the tip, llanbradach, never again", is none)
_APPOSITION_VERB = re.compile(
    r"\s*,\s+(?:(?:never|still|just|also|always|then|already|really|finally)\s+)?"
    r"(?:came|comes|showed|turned|left|arrived|sent|promised|refused|gave|took|helped|did|"
    r"does|never|didn['’]?t|doesn['’]?t|hasn['’]?t|hadn['’]?t|isn['’]?t|wasn['’]?t|won['’]?t|"
    r"wont|can['’]?t|couldn['’]?t|will|would)\b",
    re.I,
)
_PERSON_BEFORE_COMMA = re.compile(
    r"(?i:\b(?:"
    + "|".join(sorted(_PERSON_NOUNS))
    + r"|man|woman|guy|bloke|chap|lad|fella|plumber|electrician|builder|engineer|inspector|"
    r"driver|caretaker|cleaner|warden|nurse|doctor|surveyor|gardener|handyman|postman|"
    r"binman|repairman|workman)\s*,\s*)$"
)
# "my landlord, Des Fairclough, says ...": a capitalised run set between commas after a person
# noun, with a verb a person does after it, is that person's name
_CAPITALISED_APPOSITION = re.compile(
    r",[ \t]*(?P<name>[A-Z][\w'’\-]+(?:[ \t]+[A-Z][\w'’\-]+){0,2})(?=\s*,)"
)
_ROLE_BEFORE_COMMA = re.compile(
    r"(?i:\b(?:landlord|landlady|agent|officer|worker|caseworker|councillor|teacher|"
    r"headteacher|head|manager|boss|tenant|lodger|lodgers|mp|advisor|adviser|assessor|"
    r"therapist|midwife|health\s+visitor|paramedic|solicitor|lawyer|employer)\s*,\s*)$"
)
_TOWN_BEFORE_POSTCODE = re.compile(rf"\s*,?\s*(?:[^\W\d_]+\s+)?{_POSTCODE}(?!\w)", re.I)
_LOWER_SIGN_OFF = re.compile(
    rf"(?i:\b(?:{_THANKS})[ \t]*[,!.]?[ \t]+)"
    r"(?P<name>[^\W\d_][\w'’\-]*(?:[ \t]+[^\W\d_][\w'’\-]*)?)[ \t]*[.!x]*\s*$"
)
# "thanks for nothing\nbarnaby": one lower-case word alone on the last line, under a line
# that thanks: a signature, whatever the word (a closing word such as "x" or "bye" is none)
_LOWER_SIGNATURE_LINE = re.compile(
    rf"(?i:\b(?:{_THANKS}|many\s+thanks|best\s+wishes)\b[^\n]*)\n[ \t]*\n?[ \t]*"
    r"(?P<name>[a-z][\w'’\-]*)[ \t]*[.!x]*\s*$"
)
# "..., juniper said to ring you", "then rowan told me": a bare word opening a clause before
# "said to ring" or "told me" is a person (things and bodies take an article: "the letter
# said"); plurals, places, words no list holds (a firm: "stepchange said to ring them") and
# the words below that speak for a body are none
_TOLD_ME = re.compile(
    r"(?:^|[.!?\n,;:]\s*|\b(?:and|but|so|then|because|cos)\s+)(?P<name>[a-z][\w'’\-]+)\s+"
    r"(?:said\s+to\s+(?:ring|call|phone|email|contact|speak|talk|write)|told\s+(?:me|us))\b"
)
_NOT_SPEAKERS = frozenset(
    "staff management reception security website internet google online app system letter "
    "email text sign advert leaflet form someone somebody nobody everyone everybody apparently "
    "they he she it who which that".split()
)
# "my grandson tj", "our son CJ": two letters after a relative are initials a child goes by
# (no vowel, or a letter and "j"), not an abbreviation ("my son's gp" is possessive)
_RELATIVE_INITIALS = re.compile(
    r"(?i:\b(?:my|our|his|her|their)\s+(?:son|daughter|grandson|granddaughter|boy|girl|nephew|"
    r"niece|brother|sister|stepson|stepdaughter|cousin|husband|partner|kid|child)\s+)"
    r"(?P<name>(?i:[b-df-hj-np-tv-z]{2}|[a-z]j))\b(?!\.\w)"
)
_ABBREVIATIONS = frozenset("tv pc gp dr mr ms st nd rd th hr pm cv vs bj".split())
_CLOSING_WORDS = frozenset(
    "mate mates guys all everyone again anyway lots loads bye ok okay sorted xx xxx love luv "
    "regards cheers thanks ta folks anon".split()
)
_LOWER_GREETING = re.compile(
    r"^\W*(?i:hi|hey|hello|hiya|alright|morning|evening|afternoon)\b[\s,!.]*"
    r"(?i:it['’]?s|its|this\s+is|i['’]?m|im)\s+"
    r"(?P<name>[^\W\d_][\w'’\-]*(?:\s+[^\W\d_][\w'’\-]*)?)(?=\s*(?:[,.!]|\s(?:here|again)\b))"
)
_GROUP = frozenset({"NORP", "DATE", "TIME", "LANGUAGE", "MONEY", "CARDINAL"})
_PLACE_OR_GROUP = frozenset({"GPE", "LOC", "FAC", "NORP", "DATE", "TIME", "PRODUCT", "EVENT",
                             "LANGUAGE", "LAW", "WORK_OF_ART", "MONEY", "CARDINAL"})  # fmt: skip
_LOWER_HOUSEHOLD = re.compile(
    r"(?<![\w'’])(?P<value>[a-z][\w'’\-]*[a-z])\s+(?:household|family|residence)\b"
)
# An article before a word makes it a thing or a place ("the brook", "a rose"), not a person,
# unless a title or a family word says otherwise ("a Mrs Patel", "the Okafor family").
_ARTICLE_BEFORE = re.compile(r"(?i)(?<![\w'’])(?:the|a|an)\s+$")
_SIGN_OFF_AFTER = re.compile(r"^\s*(?:here\b|[.!]*\s*$)", re.I)
# Where a person stands by what is done with or for them (`_names_by_role`):
# "I care for X", "I look after X", "I live with X"
_CARE_BEFORE = re.compile(
    r"(?i:\b(?:car(?:e|es|ed|ing)\s+for|carer\s+(?:for|to|of)|look(?:s|ed|ing)?\s+after|"
    r"liv(?:e|es|ed|ing)\s+with|stay(?:s|ed|ing)?\s+with|"
    r"shar(?:e|es|ed|ing)\s+(?:a|the|my|our)\s+(?:flat|house|home|room)\s+with)\s+$)"
)
# "please call X on the landline", "ring X on 07...": a person's own number (01, 02, 07)
_CALL_BEFORE = re.compile(r"(?i:\b(?:call|ring|phone|text|contact|reach)\s+$)")
_CALL_AFTER = re.compile(
    r"(?i:\s+on\s+(?:(?:his|her)\b|(?:the|my)\s+(?:landline|mobile|home\s+(?:phone|number))|"
    r"landline\b|mobile\b|\(?\s*0\s*[127]|\+\s*44\s*\(?0?\)?\s*[127]))"
)
# "can X collect the keys for me": a question whether someone may act for the resident
_CAN_BEFORE = re.compile(r"(?i:(?:^|[.!?\n]\s*|\b(?:please|if|whether)\s+)(?:can|could|may)\s+$)")
_CAN_AFTER = re.compile(
    r"(?i:\s+(?:collect|pick\s+up|sign|come|bring|drop\s+off|fill\s+in|attend|speak|talk|ring|"
    r"call|phone|apply|register|visit|act|deal)\b)"
)
_FOR_ME = re.compile(
    r"(?i:\b(?:for|with)\s+(?:me|us|him|her|my\s+\w+)\b|\bon\s+my\s+behalf\b|\binstead\s+of\s+me\b|"
    r"\bmy\s+(?:prescription|keys|post|parcel|letters?|badge|permit|forms?)\b)"
)
# "Sandy from next door", "Bane from number 6"
_NEIGHBOUR_AFTER = re.compile(
    r"(?i:\s+(?:from|at|in)\s+(?:next\s+door|number\s+\d+[a-z]?|no\.?\s*\d+[a-z]?|flat\s+\w|"
    r"the\s+(?:flat|house)\s+(?:above|below|upstairs|downstairs|next\s+door|opposite)|"
    r"(?:across|over)\s+the\s+road|downstairs|upstairs|"
    # "hi its joy from the flats on mill lane": where the writer lives, before what they say
    r"the\s+(?:flats|block|estate|bungalows|maisonettes|towers?)\b)\b)"
)
# "called" is also what a person did ("a man called round", "the lad called back"): after it
# these words say how or when, never who
_AFTER_CALLING = frozenset(
    "round back out in by over again twice off up early late today yesterday tonight earlier "
    "later ahead ages loads".split()
)
_NAMING_BEFORE = re.compile(r"(?i:(?:\b(?:is|was|s)|['’]s)\s+(?:called|named)\s+$|\bnamed\s+$)")
_RUN_ENDS = re.compile(r"\s*(?:$|[,.!?;:)]|\s+(?:who|and|n|&)\b)")
# a person, then "is called" or "named": the word that follows is that person's name, whatever
# it is ("a lad called mikey", "my carer is called faith and she comes")
_CALLABLE_PEOPLE = (_PERSON_NOUNS - {"names", "name", "called", "named"}) | set(
    "man woman guy bloke chap pal boss childminder nanny tutor driver cleaner landlord landlady "
    "caretaker warden doctor advocate solicitor".split()
)
_PERSON_CALLED_BEFORE = re.compile(
    r"(?i:\b(?:" + "|".join(sorted(_CALLABLE_PEOPLE)) + r")\s+(?:(?:who\s+)?(?:is|was|s|'s|’s)\s+)?"
    r"(?:called|named)\s+)$"
)
# A member of staff, by the team or desk after the name: "Halloran in the parking team",
# "Bethany from housing", "ask for rose at the front desk" (a firm or a place has no desk)
# a verb's subject right before a word: "how much do we still owe on the council tax"
_PRONOUN_SUBJECT_BEFORE = re.compile(
    r"(?i:\b(?:i|we|you|they|he|she)\s+(?:(?:still|just|also|never|already|really|only|"
    r"now|all)\s+)?)$"
)
_STAFF_AFTER = re.compile(
    r"(?i:\s+(?:in|from|at|on|of)\s+(?:(?:the|your)\s+(?:[a-z]+\s+){0,2}?(?:team|department|dept|"
    r"office|desk|section|reception|switchboard|contact\s+centre|call\s+centre)\b|(?:the\s+)?"
    r"(?:housing|planning|parking|benefits|revenues|licensing|highways|environmental\s+health|"
    r"council\s+tax|social\s+services|customer\s+services|reception)(?:\s+(?:team|dept|"
    r"department|office|desk|section))?\b))"
)
# Two-letter roles and bodies written in capitals ("GP from the surgery", "OT from the council"):
# never initials a person goes by
_ROLE_ACRONYMS = frozenset(
    "GP OT HV SW PC HR IT MP JP PA TA EA CA DC DS KC QC SU UC PO CT ID OK".split()
)
# Common British surnames that are also place words or everyday words ("Green", "Hill",
# "Lane", "Young", "Cook", "Bird", "Rich"), which the name lists leave out as English words
PLACE_SURNAMES = frozenset(
    """green hill lane wood field brook ford moss marsh dale young cook bird long rich baker
    stone fox king bell price little short white black brown smith gray grey lake heath banks
    wells rivers meadows brooks fields woods hills waters""".split()
)
# where only a household stands, so a plural of a surname that is also a word is the family:
# "the greens next door", "the marshes upstairs", "the woods at 22" (names-probe10)
_HOUSEHOLD_AFTER = re.compile(
    r"\s+(?i:next\s+door(?!\s+to\b)|upstairs|downstairs|"
    r"(?:at|from|in)\s+(?:no\.?\s*|number\s+|flat\s+)?\d+[a-z]?\b"
    r"(?![.:]\d|\s*(?:am|pm|o['’]?clock)))"
    # then what a household does ("the bells next door ring" are bells)
    r"\s+(?i:have|has|had|are|were|keep|keeps|kept|never|always|who|moved|said|burn|burnt|"
    r"park|parked|play|played|let|leave|left|put|dump|dumped|dont|don['’]t|didnt|didn['’]t|"
    r"wont|won['’]t|just|still|also|and|n)\b"
)
# an article and one word right before: "the jack" of "the jack russell at no 4"
_ARTICLE_WORD_BEFORE = re.compile(r"(?i:\b(?:the|a|an)\s+([^\W\d_]+)\s+)$")
# "the okafors next door", "The Patels at number 4": a family by its surname in the plural
# (a comma may stand between: "my neighbours, the kowalskis, have a dog")
_PLURAL_FAMILY = re.compile(
    r"(?<![\w'’])(?i:the)\s+(?P<value>[^\W\d_][\w'’\-]*[^\W\d_s]s)(?=,?\s+(?i:next\s+door|"
    r"upstairs|downstairs|opposite|(?:across|over)\s+the\s+(?:road|street|way|landing)|"
    r"(?:at|from|in)\s+(?:no\.?\s*|number\s+|flat\s+)?\d+[a-z]?|have|are|were|keep|kept|never|always|"
    r"who|moved|said)\b|['’](?![\w'’]))"  # or a plural possessive: "the Kowalskis' dog"
)
# "Grace and I", "me and Grace"
_AND_I_AFTER = re.compile(r"(?i:\s+(?:and|&|\+)\s+(?:i|me|myself)\b(?!['’]))")
_AND_I_BEFORE = re.compile(r"(?i:\b(?:me|i|myself)\s+(?:and|&|\+)\s+$)")
# a verb that no modal ("will", "may") comes before: "my son will needs", "my son bill has"
_THIRD_PERSON_VERB = re.compile(
    r"\s+(?:has|is|was|needs|wants|lives|goes|gets|keeps|does|says|attends|uses|"
    r"doesn['’]t|isn['’]t|wasn['’]t|hasn['’]t|"
    # any verb in -s ("starts", "plays") but the adverbs in -s a modal may come before
    r"(?!(?:sometimes|always|perhaps|towards|afterwards|nowadays|besides|regardless|"
    r"upstairs|downstairs|indoors|outdoors|nevertheless|unless|less|thus)\b)[a-z]{2,}[^\Wsu]s)\b",
    re.I,
)
# "... From Hywel", "cc Gwenllian" closing a message
_FROM_CLOSING = re.compile(r"(?i:(?:^|[.!?\n]\s*)from\s*:?\s*|\bc\.?c\.?\s*:?\s*)$")
# a lower-case name after a word a name follows: "to tobi adeyemi", "for b kowalczyk-nowak"
_PREPOSITION_BEFORE = re.compile(r"(?i:\b(?:to|for|from|with|by|under|and|c/o)\s+$)")

_OBJECT_AFTER = re.compile(
    r"\s+(?:the|a|an|our|my|his|her|their|your|its|this|that|these|those|some|them|it|us|him)\b"
)


@cache
def word_list(name: str) -> frozenset[str]:
    """A word list of `chatbot/data` ("english_words", "given_names", ...), folded, read once."""
    path = DATA_DIR / f"{name}.txt"
    return frozenset(fold(w) for w in path.read_text("utf-8").splitlines() if w.strip())


def fold(word: str) -> str:
    """Case and accents folded: "Siobhán" and "siobhan" look up alike."""
    decomposed = unicodedata.normalize("NFKD", word.strip().casefold())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch)).replace("’", "'")


# What residents write in forms and the word list lacks: never a name ("my son (dob 1.2.12)")
_FORM_WORDS = frozenset("dob nino cvv cvc pcn ehcp senco".split())
# endings that make a word of another English word: plurals and verb forms, agent nouns
_INFLECTIONS = ("s", "es", "r", "er", "rs", "ers", "d", "ed", "ing")


class NameLexicon:
    """Given names, surnames, everyday-word names and places, case-folded."""

    def __init__(self) -> None:
        # given names and surnames of the UK's communities that Faker's locales lack, written
        # by the team (*_more.txt): names, so never "English words" either ("vikram", "singh")
        more_given, more_surnames = word_list("given_names_more"), word_list("surnames_more")
        self.given = word_list("given_names") | more_given
        self.surnames = word_list("surnames") | more_surnames
        self.everyday = word_list("name_words")
        self.places = word_list("uk_places")
        # english_more.txt: words residents use that the frequency list lacks, written by the
        # team: British colloquial adjectives ("knackered", "skint"), conditions typed without
        # their apostrophe ("parkinsons"), Scots and Northern function words ("whit", "cannae")
        self.english = (
            word_list("english_words") | word_list("english_more")
        ) - more_given - more_surnames | _FORM_WORDS
        self.page_words: frozenset[str] = frozenset()
        # uk_firms.txt: firms, apps and regulators residents name ("paid with Klarna", "sent
        # with Evri"), written by the team; one that is also a listed name stays a name
        self.firms = word_list("uk_firms") - self.given - self.surnames

    def set_page_words(self, words: Iterable[str]) -> None:
        """The words the council's pages use in lower case (knowledge/public_terms.py): English
        words of this council's trade ("childminder", "visa") that no word list holds. A given
        name or surname of the lists is left out: the pages may use one as a word."""
        self.page_words = frozenset(
            w for w in map(fold, words) if w not in self.given and w not in self.surnames
        )

    def add_places(self, names: Iterable[str]) -> None:
        """Places this council knows beyond the UK list: its own town ("Brackenvale" of
        "Brackenvale Borough Council"), so it is never taken for a name."""
        self.places = self.places | {fold(n) for n in names if n.strip()}

    def is_given(self, word: str, allow_common: bool = False) -> bool:
        """A given name (or the first part of a hyphenated one: "Tyler-James"); stop words
        ("Will", "May") only when the caller has other evidence."""
        w = _bare(word)
        if w not in self.given and "-" in w:
            w = w.split("-", 1)[0]
        if (w in _MONTHS_DAYS or w in STOP_WORDS) and not allow_common:
            return False
        return w in self.given

    def is_place(self, phrase: str) -> bool:
        return fold(phrase) in self.places

    def is_surname(self, word: str) -> bool:
        """A known surname, or one shaped like a family name of its language ("Kaminska",
        "Petrenko", "Popescu", "Papadopoulos", "Jovanović", "MacKinnon"), for the names no list
        holds."""
        w = _bare(word)
        return w in self.surnames or _SURNAME_SHAPE.search(w) is not None or self._mac(word)

    def _mac(self, word: str) -> bool:
        """ "MacKinnon", "McGonigle": a Gaelic prefix, a capital, and no English word after it."""
        shape = _MAC_SHAPE.fullmatch(word.strip())
        return shape is not None and _bare(shape.group("rest")) not in self.english

    def is_firm(self, word: str) -> bool:
        return _bare(word) in self.firms

    def is_everyday(self, word: str) -> bool:
        return _bare(word) in self.everyday

    def is_english(self, word: str) -> bool:
        """One of the commonest English words (names that are no dictionary word left out)."""
        w = _bare(word)
        if self._mac(word):
            return False  # "MacKinnon" as written is a surname, whatever running text holds
        return w in self.english or w.replace("’", "'") in self.english or w in self.page_words

    def is_english_form(self, word: str) -> bool:
        """An English word or a plain inflection of one that is no given name: "lodgers",
        "minder", "parks" (the word list holds "lodge", "mind", "park"). In lower case such a
        word is no name by being unknown (fresh messages of our own, 4 Dec: "my two lodgers,
        ...", "the child minder is", "..., a lad called ..., parks across our drive")."""
        if self.is_english(word):
            return True
        w = _bare(word)
        if self.is_given(w, allow_common=True):
            return False
        return any(
            w.endswith(suffix) and len(w) - len(suffix) >= 3 and w[: -len(suffix)] in self.english
            for suffix in _INFLECTIONS
        )

    def is_english_s_form(self, word: str) -> bool:
        """An English word's -s form ("parks", "bins"): a plural or a verb, not a surname."""
        w = _bare(word)
        return w.endswith("s") and self.is_english(w[:-1])

    def is_name_word(self, word: str) -> bool:
        return self.is_given(word) or self.is_surname(word)


@lru_cache(maxsize=16384)
def _bare(word: str) -> str:
    """The word folded, without a possessive "'s" (looked up for every word: cached)."""
    return fold(re.sub(r"['’]s$", "", word))


def _relation_compound(word: str) -> bool:
    """A hyphenated word for a relation ("sister-in-law", "foster-son"), never a name."""
    if "-" not in word:
        return False
    parts = fold(word).split("-")
    return parts[-2:] == ["in", "law"] or parts[-1] in _PERSON_NOUNS


def _caseless(word: str) -> bool:
    """A word of a script without capitals (Arabic, Chinese, Hebrew, Devanagari...)."""
    return word[:1].isalpha() and not word[:1].isupper() and not word[:1].islower()


def _capitalised(word: str) -> bool:
    return word[:1].isupper()


class LexiconNameRecognizer(OneEntityRecognizer):
    """Names found from sentence shape plus general name knowledge (see the module doc)."""

    ENTITY = "PERSON"

    def __init__(self, name_filter: PersonNameFilter, lexicon: NameLexicon | None = None) -> None:
        super().__init__()  # the word lists load on first use, shared by every Redactor
        self._filter = name_filter
        self.lexicon = lexicon or NameLexicon()
        self._could_be_name_cache: dict[str, bool] = {}

    def forget_words(self) -> None:
        """Drop what was worked out from the word lists (the lexicon's words changed)."""
        self._could_be_name_cache.clear()

    def analyze(
        self, text: str, entities: list[str], nlp_artifacts: NlpArtifacts | None = None
    ) -> list[RecognizerResult]:
        words = list(_WORD.finditer(text))
        protected = self._filter.protected_spans(text)
        # In ALL CAPS or Title Case messages capitals say nothing: names need the word lists.
        many = len(words) >= 6
        shouting = many and sum(w.group().isupper() for w in words) > 0.6 * len(words)
        titled = many and sum(_capitalised(w.group()) for w in words) > 0.75 * len(words)
        caps_unreliable = shouting or titled
        spans: list[tuple[int, int, float]] = []
        i = 0
        while i < len(words):
            found = self._name_at(text, words, i, shouting, caps_unreliable)
            if found is None:
                i += 1
                continue
            end_index, score = found
            start = words[i].start()
            if i > 0 and end_index > i or (i > 0 and self.lexicon.is_surname(words[i].group())):
                prev = words[i - 1]
                if (
                    text[prev.end() : words[i].start()] == " "
                    and _capitalised(prev.group())
                    and not prev.group().isupper()
                    and self._could_be_name(prev.group())
                ):
                    start = prev.start()  # "Hodan Elmi": an unknown given name before a known one
            spans.append((start, _name_end(words[end_index]), score))
            # a list after a name: "Amelia, Noah and Wiktoria", "Ruby (9) and Theo (4) Clarke"
            j = end_index + 1
            while j < len(words) and _list_gap(text[words[j - 1].end() : words[j].start()]):
                word = words[j].group()
                if not _capitalised(word) or _bare(word) in STOP_WORDS | _NOT_NAMES:
                    break
                if not self._could_be_name(word) and not self.lexicon.is_given(word):
                    break
                gap = text[words[j - 1].end() : words[j].start()]
                if (
                    not self.lexicon.is_given(word)
                    and not re.search(r"\band\b|&", gap)
                    and not _AGE_AFTER.match(text[words[j].end() :])
                    and not self._list_closes(text, words, j)
                ):
                    break  # an unknown word joins a list of names by "and", an age or a comma
                    # in a list that "and" closes ("Olu, Shami and Risha")
                last = j
                while (
                    last + 1 < len(words)
                    and text[words[last].end() : words[last + 1].start()] == " "
                    and _capitalised(words[last + 1].group())
                    and self._could_be_name(words[last + 1].group())
                ):
                    last += 1  # "Beatriz Sousa"
                if last + 1 < len(words):
                    gap = text[words[last].end() : words[last + 1].start()]
                    nxt = words[last + 1].group()
                    if (
                        re.fullmatch(r"\s*\(\d{1,2}\)\s+", gap)
                        and _capitalised(nxt)
                        and self._could_be_name(nxt)
                        and not _list_gap(text[words[last + 1].end() : words[last + 1].end() + 6])
                    ):
                        spans.append((words[last + 1].start(), _name_end(words[last + 1]), score))
                        last += 1  # "Theo (4) Clarke": the family's surname after the ages
                spans.append((words[j].start(), _name_end(words[last]), score))
                j = last + 1
            i = max(j, i + 1)
        for match in _PARENT_OF.finditer(text):
            if re.search(r"(?i:\b(?:st|saint)\.?\s*)$", text[: match.start()]):
                continue  # "St Mary's", a church or a school
            for name in re.finditer(r"[^\W\d_]+(?:['’\-][^\W\d_]+)*", match.group("names")):
                word = name.group()
                if _bare(word) in _PERSON_NOUNS or _bare(word) in _NOT_NAMES:
                    continue
                if word.lower() in {"and", "&"} or not (
                    self.lexicon.is_given(word)
                    or (_capitalised(word) and self._could_be_name(word))
                ):
                    continue
                start = match.start("names") + name.start()
                spans.append((start, start + len(re.sub(r"['’]s$", "", word)), 0.7))
        tail = _CONTACT_TAIL.search(text) if "\n" in text else None
        signature = _LAST_LINE.search(text, 0, tail.start() if tail else len(text))
        if signature and all(
            self.lexicon.is_english(w) and not self.lexicon.is_name_word(w)
            for w in signature.group("name").split()
        ):  # a job title under the name ("Consultant Psychiatrist"): the name is the line above
            signature = _LAST_LINE.search(text, 0, signature.start())
        if (
            signature
            and all(
                self._could_be_name(w) or self.lexicon.is_given(w) or re.fullmatch(r"[A-Z]\.?", w)
                for w in signature.group("name").split()
            )
            and not any(_bare(w) in _INSTITUTION_WORDS for w in signature.group("name").split())
        ):  # a signature line, not a body's name ("Brackenvale Council")
            spans.append((*signature.span("name"), 0.7))
        if "," in text:
            spans.extend(self._capitalised_apposition(text))
        dashed = _DASH_SIGN_OFF.search(text)
        if dashed and all(
            self._could_be_name(w) or self.lexicon.is_given(w) or w in _PARTICLES
            for w in dashed.group("name").split()
        ):
            spans.append((*dashed.span("name"), 0.7))  # "... thanks - Dafydd ap Gwilym"
        if not caps_unreliable:
            for match in _VOCATIVE.finditer(text):
                word = match.group("name")
                if self._could_be_name(word) and _bare(word) not in _ALL_HONORIFICS:
                    spans.append((*match.span("name"), 0.7))
        spans.extend(self._changed_names(text))
        if not caps_unreliable:
            doc = getattr(nlp_artifacts, "tokens", None)
            spans.extend(self._unknown_names(text, words, doc, shouting))
        spans.extend(self._unknown_names(text, words, None, False, lower=True))
        spans.extend(self._lower_case_sign_offs(text))
        spans.extend(self._lower_case_after_cue(text, words))
        spans.extend(self._lower_case_names(text, words))
        spans.extend(self._lower_case_by_role(text, words))
        spans.extend(self._names_by_structure(text, caps_unreliable))
        spans.extend(self._names_by_role(text, words, caps_unreliable))
        for match in _INITIALS.finditer(text):
            if self._initials_name(text, match):
                spans.append((match.start(), _name_end_at(text, match.end()), 0.7))
        for match in _HOUSEHOLD.finditer(text):
            if self._could_be_name(match.group("value")) or "'" in match.group("value"):
                spans.append((*match.span("value"), 0.7))
        for match in _LOWER_HOUSEHOLD.finditer(text):
            value = match.group("value")
            if self._could_be_name(value) and not self.lexicon.is_english(value.split("'")[-1]):
                spans.append((*match.span("value"), 0.7))  # "the d'souza household"
        families = self._plural_families(text)
        spans.extend(families)
        results = []
        for start, end, score in spans:
            start, end = trim_name(text, start, end)  # "Morning Sandra", "kacey cant"
            if any(s < end and start < e for s, e in protected):
                continue
            if firm_or_place_context(text, start, end):
                continue  # "Mr Kipling cakes", "I work at John Lewis", "Victoria Park is open"
            if _SAINT_BEFORE.search(text[:start]):
                continue  # "St Aidan's school", "St Helens"
            if district_after_street(text, start, end, self.lexicon):
                continue  # "14 Oak Road, Kings Heath": the district of an address

            if (
                _ORGANISATION_AFTER.match(text[end:]) or _ORGANISATION_BEFORE.search(text[:start])
            ) and not self._couple(text, start, end):
                continue
            if _FIRM_PARTNER_BEFORE.search(text[:start]) and _POSSESSIVE_CLOSES.match(text[end:]):
                continue  # "to Home-Start and Barnardo's": the other half of a firm's name
            if self._verb_before_object(text, start, end):
                continue  # "xu and his wife run the shop": "run" is a name in some list, not here
            if (
                _ARTICLE_BEFORE.search(text[:start])
                and (start, end, score) not in families
                and not TITLE.match(text[start:end])
                and not FAMILY_AFTER.match(text[end:])
            ):
                continue  # "the brook is flooded", "over the Rose": a thing or a place
            results.append(self._result(start, end, score))
        upper = sum(w.group().isupper() and len(w.group()) > 1 for w in words)
        if caps_unreliable or (len(words) >= 2 and upper > 0.6 * len(words)):
            # capitals say nothing here: read the message in lower case too, where names
            # show themselves by cue and by being no English word ("NAME KEN HOLROYD DOB")
            lowered = "".join(ch.lower() if len(ch.lower()) == 1 else ch for ch in text)
            if lowered != text:
                results.extend(self.analyze(lowered, entities, None))
        return results

    def _after_article_and_given(self, before: str) -> bool:
        """Right after an article and a given name: the second word of a thing's name, "the
        jack russell at no 4" (a dog), never a neighbour's surname (names-probe10)."""
        m = _ARTICLE_WORD_BEFORE.search(before)
        return m is not None and self.lexicon.is_given(m.group(1), allow_common=True)

    def _word_name_then_surname(self, text: str, words: list[re.Match[str]], i: int) -> bool:
        """In lower case, a given name that is also a word ("autumn", "rose", "bill") with a
        word after it that is no English word, no place and may be a surname: "achterberg"."""
        word = words[i].group()
        bare = _bare(word)
        if (
            not word.islower()
            or i + 1 >= len(words)
            or bare in STOP_WORDS | _PERSON_NOUNS | _NOT_NAMES | _MONTHS_DAYS
            or not self.lexicon.is_given(word, allow_common=True)
            or not self.lexicon.is_everyday(word)  # a name that is a word: not "said"
            or text[words[i].end() : words[i + 1].start()] != " "
        ):
            return False
        nxt = words[i + 1].group()
        return (
            nxt.islower()
            and len(nxt) > 2
            and not self.lexicon.is_english(nxt)
            and not self.lexicon.is_place(nxt)
            and not self.lexicon.is_given(nxt)
            and self._could_be_name(nxt)
        )

    def _couple(self, text: str, start: int, end: int) -> bool:
        """Two given names joined by "&" and the family name after them are a couple, not a
        firm ("Ioana & Mihai Constantinescu"; "Bristow & Sutor", "Ben & Jerry's" stay firms)."""
        for m in _COUPLE.finditer(text, max(0, start - 40), min(len(text), end + 40)):
            if not (m.start() <= start and end <= m.end()):
                continue
            lex = self.lexicon
            family = m.group("family")
            first, second = m.group("first"), m.group("second")
            rest = text[m.end() :]
            if (
                _SIGN_OFF_BEFORE.search(text, 0, m.start())
                and (not rest.strip(" \t.!x") or rest.startswith("\n"))
                and (
                    # signing off, the writers: one given name will do, the other no English
                    # word ("Regards, Fenella & Rufus Galbraith")
                    (lex.is_given(first) or lex.is_given(second))
                    and all(lex.is_given(w) or not lex.is_english(w) for w in (first, second))
                    and self._could_be_name(family)
                )
            ):
                return True
            if (
                lex.is_given(m.group("first"))
                and lex.is_given(m.group("second"))
                and (lex.is_surname(family) or not lex.is_english(family))
                and not lex.is_given(family)
                and self._could_be_name(family)
            ):
                return True
        return False

    def _verb_before_object(self, text: str, start: int, end: int) -> bool:
        """One lower-case English word that no one uses as a name ("run", unlike "jack" or
        "hope") with a determiner or an object pronoun after it is a verb."""
        value = text[start:end]
        return (
            value.islower()
            and re.fullmatch(r"[^\W\d_]+", value) is not None
            and self.lexicon.is_english(value)
            and not self.lexicon.is_everyday(value)
            and _OBJECT_AFTER.match(text[end:]) is not None
        )

    def _plural_families(self, text: str) -> list[tuple[int, int, float]]:
        """A family by its surname in the plural, where a household stands: "the okafors next
        door", "The Kowalskis have", "the Patels at number 4" (a surname no English word in
        lower case, or one that is a place or everyday word where only a household stands:
        "the greens next door", "the marshes upstairs", "the woods at 22"; names-probe10)."""
        found: list[tuple[int, int, float]] = []
        for match in _PLURAL_FAMILY.finditer(text):
            value = match.group("value")
            lex = self.lexicon
            household = _HOUSEHOLD_AFTER.match(text, match.end("value")) is not None
            # "marshes": the surname is "marsh"
            stems = [value[:-1], value[:-2]] if value.lower().endswith("hes") else [value[:-1]]
            for stem in stems:
                # "the greens next door": a surname that is also a word, where a family lives
                word_surname = household and _bare(stem) in PLACE_SURNAMES
                if (
                    (word_surname or lex.is_surname(stem))
                    and not lex.is_place(stem)
                    and not lex.is_place(value)
                    and (
                        _capitalised(value)
                        or household
                        or not (lex.is_english(stem) or lex.is_english(value))
                    )
                    and (word_surname or self._could_be_name(stem))
                ):
                    found.append((*match.span("value"), 0.65))
                    break
        return found

    def _unknown_or_given(self, word: str) -> bool:
        """A word that may stand for a name whatever its case: a given name, or a word that is
        no English word, no place and no institution ("Mifanwy", "zuberi", "OKONJO")."""
        bare = _bare(word)
        if len(bare) < 2 or bare in _PERSON_NOUNS or not self._could_be_name(word.lower()):
            return False
        return self.lexicon.is_given(word) or not self.lexicon.is_english(word)

    def _named_word(self, word: str) -> bool:
        """Any word but a function word, a month, a person noun or an institution: what
        "called" or "named" introduces is a name even when it is also a word ("wren")."""
        bare = _bare(word)
        return (
            len(bare) > 1
            and bare not in STOP_WORDS | _NOT_NAMES | _PERSON_NOUNS | _MONTHS_DAYS
            and bare not in _INSTITUTION_WORDS
            and self._could_be_name(word)
        )

    def _list_item(self, word: str) -> bool:
        """A word of a list of names after a cue: any given name ("ruby", "Will"), or a word
        that may stand for a name."""
        bare = _bare(word)
        if bare in STOP_WORDS or bare in _PERSON_NOUNS or bare in _MONTHS_DAYS:
            return self.lexicon.is_given(word, allow_common=True) and bare not in _PERSON_NOUNS
        if self.lexicon.is_given(word, allow_common=True) and not self.lexicon.is_place(word):
            return True
        return self._unknown_or_given(word)

    def _names_by_structure(self, text: str, caps_unreliable: bool) -> list[tuple[int, int, float]]:
        """Names in any case shown by the words around them, whatever the name:
        - a possessive before something only a person has ("Ayo's school bus", "in ayo's
          name", "the bin at AYO'S house");
        - a list after "my kids are", "children:", "we're" ("my kids are ayo, femi and ola");
        - the first line of an address block ("Ayo Bello\n12 Mill Lane");
        - a known name word closing the message after a comma ("please help, Ayo")."""
        found: list[tuple[int, int, float]] = []
        for match in _POSSESSION.finditer(text):
            word = match.group("name")
            if re.search(r"(?i:\b(?:st|saint)\.?\s*)$", text[: match.start()]):
                continue  # "St Mary's school"
            if self._unknown_or_given(word) and not self.lexicon.is_everyday(word):
                found.append((match.start("name"), match.end("name"), 0.65))
        for match in _LIST_AFTER_CUE.finditer(text):
            items = list(re.finditer(r"[^\W\d_][\w'’\-]*", match.group("list")))
            names = [m for m in items if m.group().lower() not in {"and"}]
            named = re.search(r"(?i)\b(?:called|named|names)\b", match.group(0)) is not None
            if (
                named
                and len(names) >= 2
                and any(self._list_item(m.group()) for m in names)
                and all(self._list_item(m.group()) or self._named_word(m.group()) for m in names)
            ):  # "my daughters are called tallulah and wren": "called" names any word
                base = match.start("list")
                found.extend((base + m.start(), base + m.end(), 0.65) for m in names)
            elif len(names) >= 2 and all(self._list_item(m.group()) for m in names):
                if any(not self.lexicon.is_everyday(m.group()) for m in names):
                    base = match.start("list")
                    found.extend((base + m.start(), base + m.end(), 0.65) for m in names)
        block = _ADDRESS_BLOCK_NAME.match(text)
        if block:
            parts = block.group("name").split()
            if all(self._unknown_or_given(w) or self.lexicon.is_surname(w) for w in parts) and any(
                not self.lexicon.is_english(w) for w in parts
            ):
                found.append((*block.span("name"), 0.65))
        closing = _COMMA_SIGN_OFF.search(text)
        if closing and not caps_unreliable and self.lexicon.is_name_word(closing.group("name")):
            word = closing.group("name")
            before = text[: closing.start()].rstrip()
            prev = re.search(r"([^\W\d_]+)\W*$", before)
            if (
                prev is not None
                and prev.group(1)[:1].islower()
                and prev.group(1).lower() not in _NOT_BEFORE_SUBJECT
                and not self.lexicon.is_english(word)
                and self._could_be_name(word)
            ):
                found.append((*closing.span("name"), 0.6))
        return found

    def _role_word(
        self, word: str, capital: bool, everyday_ok: bool = False, place_ok: bool = False
    ) -> bool:
        """A word that may be a name where the sentence says a person stands: capitalised, a
        given name, a surname or no English word (an everyday given name such as "Grace" only
        when `everyday_ok`); in lower case (or where capitals say nothing), no English word.
        `place_ok`: beside "me"/"I" a given name that is also a place is the person ("me and
        chelsea", "Devon and I")."""
        bare = _bare(word)
        if len(bare) < 2 or bare in _PERSON_NOUNS or bare in _NOT_NAMES or bare in _MONTHS_DAYS:
            return False
        lex = self.lexicon
        if place_ok and not word.isupper() and lex.is_place(word) and lex.is_given(word):
            return True
        if capital:
            if not _capitalised(word) or (word.isupper() and len(word) > 1):
                return False
            if self._could_be_name(word):
                return lex.is_given(word) or lex.is_surname(word) or not lex.is_english(word)
            return (
                everyday_ok
                and lex.is_given(word, allow_common=True)
                and not lex.is_place(word)
                and bare not in _INSTITUTION_WORDS | STREET_TYPE_WORDS
            )
        return (
            word[:1].islower()
            and len(bare) > 2
            and self._could_be_name(word)
            and not lex.is_english(word)
        )

    def _role_run(
        self,
        text: str,
        words: list[re.Match[str]],
        i: int,
        capital: bool,
        everyday_ok: bool,
        place_ok: bool = False,
    ) -> int | None:
        """The index of the last word of a name starting at word i, or None."""
        if not self._role_word(words[i].group(), capital, everyday_ok, place_ok):
            return None
        end = i
        while (
            end + 1 < len(words)
            and end - i < 2
            and text[words[end].end() : words[end + 1].start()] == " "
            and not re.search(r"['’]s$", words[end].group())
        ):
            nxt = words[end + 1].group()
            if nxt.lower() in _PARTICLES and end + 2 < len(words):
                end += 1
                continue
            if not (
                self._role_word(nxt, capital)
                or (capital and _capitalised(nxt) and self.lexicon.is_surname(nxt))
            ):
                break
            end += 1
        if _capitalised(words[end].group()) != _capitalised(words[i].group()) and end > i:
            end -= 1
        if any(
            _bare(w.group()) in _INSTITUTION_WORDS | STREET_TYPE_WORDS for w in words[i : end + 2]
        ):
            return None  # "Swansea Council", "Hope Street"
        return end

    def _names_by_role(
        self, text: str, words: list[re.Match[str]], caps_unreliable: bool
    ) -> list[tuple[int, int, float]]:
        """Names shown by what is done with or for the person, in any case:
        - cared for or lived with: "I care for Ayo, who is 90", "I live with ayo";
        - rung on a person's own number: "please call Ayo on the landline", "ring Ayo on 07...";
        - asked to act for the resident: "can Ayo collect my keys", "can Ayo pick it up for me"
          (a firm, "Can Capita take my car", is none: a given name, or "for me", is needed);
        - from next door: "Ayo from number 6", "Grace from next door";
        - beside "I": "Grace and I", "me and Grace";
        - closing a message after "From" or "cc": "... From Ayo", "cc Ayo Bello";
        - in lower case, two words that are no English word after "to", "for", "from":
          "send it to tobi adeyemi" (and so in ALL CAPS, read in lower case);
        - a lower-case initial and a surname of no English words: "to b kowalczyk-nowak"."""
        found: list[tuple[int, int, float]] = []
        lex = self.lexicon
        for i, match in enumerate(words):
            word = match.group()
            capital = _capitalised(word) and not caps_unreliable
            if not capital and not word[:1].islower():
                continue
            start = match.start()
            before = text[max(0, start - 50) : start]
            end: int | None = None
            beside_me = _AND_I_BEFORE.search(before) is not None
            if beside_me or (
                _NEIGHBOUR_AFTER.search(text[match.end() : match.end() + 40])
                and not self._after_article_and_given(before)
            ):
                end = self._role_run(text, words, i, capital, True, place_ok=beside_me)
                if end is not None and not (
                    _AND_I_BEFORE.search(before) or _NEIGHBOUR_AFTER.match(text[words[end].end() :])
                ):
                    end = None
            if end is None and capital and _AND_I_AFTER.match(text[match.end() :]):
                end = self._role_run(text, words, i, capital, True, place_ok=True)
                if end is not None and end != i:
                    end = None
            if end is None and _STAFF_AFTER.search(text[match.end() : match.end() + 80]):
                end = self._staff_run(text, words, i, capital)
            if end is None and (_CARE_BEFORE.search(before) or _FROM_CLOSING.search(before)):
                end = self._role_run(text, words, i, capital, everyday_ok=False)
                if end is not None and _FROM_CLOSING.search(before):
                    closes = re.match(r"[ \t]*[.!x]*\s*$", text[words[end].end() :])
                    if not closes and not re.search(r"(?i:c\.?c\.?\s*:?\s*)$", before):
                        end = None
            if end is None and _CALL_BEFORE.search(before):
                end = self._role_run(text, words, i, capital, everyday_ok=False)
                if end is not None and not _CALL_AFTER.match(text[_name_end(words[end]) :]):
                    end = None
            if end is None and _CAN_BEFORE.search(before):
                end = self._role_run(text, words, i, capital, everyday_ok=False)
                if end is not None:
                    after = text[words[end].end() :]
                    sentence = re.split(r"[.!?\n]", after, maxsplit=1)[0]
                    known = lex.is_given(word) and not lex.is_everyday(word)
                    if not (
                        _CAN_AFTER.match(after)
                        and (known or _FOR_ME.search(sentence) or _GENDERED.search(sentence))
                    ):
                        end = None
            if end is None and not capital and _PREPOSITION_BEFORE.search(before):
                end = self._role_run(text, words, i, capital, everyday_ok=False)
                if (
                    end is None
                    and not re.search(r"(?i:\band\s+)$", before)
                    and self._word_name_then_surname(text, words, i)
                ):
                    end = i + 1  # "sent to autumn achterberg": a given name that is a word
                if end == i and self._lone_given_after_preposition(text, words, i):
                    pass  # "send it to yusuf", "with wojtek": one given name no word is
                elif end is not None and (
                    end == i
                    or lex.is_place(text[match.start() : words[end].end()])
                    or _TOWN_BEFORE_POSTCODE.match(text[words[end].end() :])
                ):
                    end = None  # "from ystrad mynach", "to pontypridd CF37 1AA"
            if end is None and word[:1].islower() and len(word) > 2:
                bare = _bare(word)
                ordinary = bare in STOP_WORDS - {"will", "may", "bill", "mark"} or (
                    bare in _INSTITUTION_WORDS | STREET_TYPE_WORDS | _PERSON_NOUNS
                    or (bare in _NOT_NAMES and bare not in _MONTHS_DAYS)  # "my daughter may has"
                )
                after = text[match.end() :]
                # ("ms" in lower case may be software: "ms teams")
                if not ordinary and re.search(r"(?i:\b(?:mr|mrs|miss|mx|dr)\.?\s+)$", before):
                    if lex.is_surname(word) or lex.is_given(word, allow_common=True):
                        end = i  # "mr baker at number 4", "mrs green next door"
                elif (
                    not ordinary
                    and _after_person_noun(before)
                    and lex.is_given(word, allow_common=True)
                    and re.match(_THIRD_PERSON_VERB, after)
                ):
                    end = i  # "my son will needs a pass": no modal before "needs"
            if end is None and not capital and re.fullmatch(r"[b-hj-z]", word):
                # "to b kowalczyk-nowak", "mrs t ogunleye": an initial, then a surname
                if (_PREPOSITION_BEFORE.search(before) or _after_honorific(before)) and i + 1 < len(
                    words
                ):
                    nxt = words[i + 1]
                    parts = nxt.group().split("-")
                    if (
                        text[match.end() : nxt.start()] == " "
                        and all(lex.is_surname(p) or not lex.is_english(p) for p in parts)
                        and self._could_be_name(nxt.group())
                        and len(nxt.group()) > 2
                    ):
                        found.append((nxt.start(), _name_end(nxt), 0.65))
                continue
            if end is not None:
                found.append((start, _name_end(words[end]), 0.65))
                k = i  # a list before it: "Ayo and Ife Bello from number 4"
                while k > 0:
                    p = k - 2 if k > 1 and words[k - 1].group().lower() == "and" else k - 1
                    if not _list_gap(text[words[p].end() : words[k].start()]):
                        break
                    prev = words[p]
                    if not self._role_word(prev.group(), capital) or re.search(
                        r"['’]s$", prev.group()
                    ):
                        break
                    found.append((prev.start(), prev.end(), 0.6))
                    k = p
        return found

    def _staff_run(
        self, text: str, words: list[re.Match[str]], i: int, capital: bool
    ) -> int | None:
        """The last word of a member of staff's name named by their team or desk right after
        it ("Halloran in the parking team", "ask for rose at the front desk"), or None. In
        lower case a given name that is also a word will do: a thing has no team."""
        word = words[i].group()
        end = self._role_run(text, words, i, capital, everyday_ok=True)
        if end is None and not capital and word[:1].islower():
            bare = _bare(word)
            before = text[max(0, words[i].start() - 30) : words[i].start()]
            if (
                self.lexicon.is_given(word, allow_common=True)
                and bare not in STOP_WORDS | _PERSON_NOUNS | _NOT_NAMES | _MONTHS_DAYS
                and bare not in _INSTITUTION_WORDS
                and not _PRONOUN_SUBJECT_BEFORE.search(before)
            ):
                end = i
        if (
            end is None
            and capital
            and re.fullmatch(r"[A-Z]{2}", word)
            and word not in _ROLE_ACRONYMS
            and _sentence_start(text, words[i].start())
        ):
            end = i  # "AJ from the repairs team said": initials a member of staff goes by
        if end is None or not _STAFF_AFTER.match(text[_name_end(words[end]) :]):
            return None
        if self.lexicon.is_place(text[words[i].start() : words[end].end()]):
            return None
        return end

    def _lone_given_after_preposition(self, text: str, words: list[re.Match[str]], i: int) -> bool:
        """One lower-case word after "to", "for", "with" or "from" that is a given name and no
        English word, everyday word or place ("reply to yusuf"; after "from" only "a lift from
        shanice"); not after a verb of going ("moved to ...": a place)."""
        word = words[i].group()
        if i == 0 or text[words[i - 1].end() : words[i].start()] != " ":
            return False
        prev = words[i - 1].group().lower()
        if prev not in {"to", "for", "with", "from"}:
            return False
        if prev == "to" and i > 1 and _bare(words[i - 2].group()) in MOTION_WORDS:
            return False  # "moved to ...": a place
        if prev == "from":
            # only "a lift from shanice": after "from" stands where one came from ("moved here
            # from milton keynes"), a shop or a place
            if i < 2 or _bare(words[i - 2].group()) not in {"lift", "ride"}:
                return False
            if i + 1 < len(words) and self.lexicon.is_place(f"{word} {words[i + 1].group()}"):
                return False
        return (
            len(_bare(word)) > 3
            and _bare(word) not in _LANGUAGES
            and self._distinct_given(word)
            and not self.lexicon.is_english(word)
        )

    def _initials_name(self, text: str, match: re.Match[str]) -> bool:
        """Initials and a surname ("K Osei", "J. R. Hartley", "Mrs P. Okoro"): the surname a
        known one (or one shaped like one) that is no everyday word or place; a lone "A" or "I"
        needs a full stop ("A. Patel"), and no label comes before ("Band D", "Plan B")."""
        surname = match.group("surname")
        initials = match.group("initials")
        lex = self.lexicon
        if _LABEL_BEFORE.search(text[: match.start()]):
            return False
        if re.fullmatch(r"[AI]\s+", initials):
            # "A Patel, flat 3": a lone "A" is an initial before a known surname that opens a
            # line or is no English word, and closes a clause ("A Level", "A Tesco lorry" stay)
            line_start = re.search(r"(?:^|\n)[ \t]*$", text[: match.start()]) is not None
            if not (
                lex.is_surname(surname)
                and (line_start or not lex.is_english(surname))
                and not lex.is_everyday(surname)
                and not lex.is_place(surname)
                and re.match(r"[ \t]*(?:,|\n|[.!]?\s*$)", text[match.end() :])
            ):
                return False
        parts = surname.split("-")
        return (
            all(lex.is_surname(p) or not lex.is_english(p) for p in parts)
            and any(lex.is_surname(p) for p in parts)
            and self._could_be_name(surname)
            and not lex.is_everyday(parts[0])
            and not _ORGANISATION_AFTER.match(text[match.end() :])
            and not _PLACE_OR_FIRM_AFTER.match(text[match.end() :])
        )

    def _list_closes(self, text: str, words: list[re.Match[str]], j: int) -> bool:
        """Whether the capitalised words from j on run, by commas, to an "and" or "&" that
        joins one more capitalised word: the list goes on ("Olu, Shami and Risha")."""
        k = j
        while k + 1 < len(words) and k - j < 8:
            nxt_index = k + 1
            if words[nxt_index].group().lower() == "and" and nxt_index + 1 < len(words):
                nxt_index += 1
            gap = text[words[k].end() : words[nxt_index].start()]
            nxt = words[nxt_index].group()
            if not _list_gap(gap) or not _capitalised(nxt) or not self._could_be_name(nxt):
                return False
            if re.search(r"\band\b|&", gap):
                return True
            k = nxt_index
        return False

    def _unknown_names(
        self,
        text: str,
        words: list[re.Match[str]],
        doc: object,
        shouting: bool,
        lower: bool = False,
    ) -> list[tuple[int, int, float]]:
        """Names no list knows, from where they stand (a run of 1-3 capitalised words that are
        no common word, institution or place, and that spaCy does not read as a place or a
        group):
        - after a self-introduction or a sign-off ("it's Leye Tikoka", "thanks, Neka", "ask
          for Neka"), or before "here" ("Gushabu here");
        - before a date of birth or an age ("Yelede Luvoko, born ..."), before "is my son" or
          ", my neighbour,", before "who", or as the subject of a verb that "he" or "she"
          takes up ("can Oluwaseun ring me, she has"); firms and places are "it" or "they";
        - as a sentence of its own at the end (a signature), or opening a sentence or clause
          and followed by a detail ("Gune Nalu, housing register number ...", "X, flat 2"),
          in brackets with a surname or a he/she after ("(Shatilu Tide) - he has"), or after
          a dash with a surname ("exemption - Dede Gurale (...)"), or a whole sentence of
          two or three such words;
        - in a list after a name ("my kids Olu, Shami and Risha", "Ayo (8) and Ife (6) Bello").
        Never after an article or a preposition ("the Jobcentre said", "in Ystrad is")."""
        char_span = getattr(doc, "char_span", None)
        found: list[tuple[int, int, float]] = []
        last_name = -1  # index of the last word of the previous run that is a name
        listing = False  # the names so far follow "kids:", "my sons" (commas join them)
        i = 0
        while i < len(words):
            if not self._unknown_word(words[i].group(), shouting, plain_ok=True, lower=lower):
                i += 1
                continue
            end = i
            while (
                end + 1 < len(words)
                and end - i < 2
                and text[words[end].end() : words[end + 1].start()] == " "
                and not re.search(r"['’]s$", words[end].group())
                and (
                    self._unknown_word(words[end + 1].group(), shouting, True, lower)
                    or (lower and words[end + 1].group() in _PARTICLES and end + 2 < len(words))
                )
            ):
                end += 1
            # a plain English word is no name by position alone ("Thanks, Sorted Now"), but
            # may be one beside a word that is none ("Tide Deyeka", "Nakobu Shale")
            if all(self.lexicon.is_english(w.group()) and not self.lexicon.is_name_word(w.group())
                   for w in words[i : end + 1]):  # fmt: skip
                i = end + 1
                continue
            score = self._unknown_evidence(text, words, i, end, char_span, shouting)
            prev = i - 2 if i > 1 and words[i - 1].group().lower() == "and" else i - 1
            if not score and last_name == prev and prev >= 0:
                gap = text[words[prev].end() : words[i].start()]
                if (re.search(r"\band\b|&", gap) and _list_gap(gap)) or (
                    _list_gap(gap) and (listing or self._list_closes(text, words, i))
                ):
                    score = 0.65  # "Olu, Shami and Risha", "Kids: Ada, Obi"
                elif re.fullmatch(r"\s*\(\d{1,2}\)\s+", gap) and not _list_gap(
                    text[words[end].end() : words[end].end() + 6]
                ):
                    score = 0.65  # "Ayo (8) and Ife (6) Bello": the surname after the ages
            if score:
                found.append((words[i].start(), _name_end(words[end]), score))
            if score or all(self.lexicon.is_name_word(w.group()) for w in words[i : end + 1]):
                if last_name != prev:
                    before = text[max(0, words[i].start() - 30) : words[i].start()]
                    listing = _after_plural_person_noun(before)
                last_name = end
            i = end + 1
        return found

    def _unknown_word(
        self, word: str, shouting: bool, plain_ok: bool = False, lower: bool = False
    ) -> bool:
        if lower:  # in lower case only a word that is no English word ("tomasz", "gareth")
            return (
                word[:1].islower()
                and len(_bare(word)) > 2
                and self._could_be_name(word)
                and not self.lexicon.is_english_form(word)
            )
        if shouting:
            if not word.isupper():
                return False
        elif not _capitalised(word) or (word.isupper() and len(word) > 1):
            return False
        if len(_bare(word)) < 2 or not self._could_be_name(word):
            return False
        return plain_ok or not self.lexicon.is_english(word) or self.lexicon.is_name_word(word)

    def _unknown_evidence(
        self,
        text: str,
        words: list[re.Match[str]],
        i: int,
        end: int,
        char_span: Any,
        shouting: bool,
    ) -> float:
        start, stop = words[i].start(), words[end].end()
        before = text[max(0, start - 40) : start]
        after = text[stop:]
        count = end - i + 1
        if end + 1 < len(words) and text[stop : words[end + 1].start()].strip() == "":
            if _bare(words[end + 1].group()) in _INSTITUTION_WORDS | STREET_TYPE_WORDS:
                return 0.0  # "Ystrad Road", "Kingsley Community Centre"
        opens = i == 0 or _sentence_start(text, start)
        if opens and not shouting and re.fullmatch(r"\s*[.!]*\s*", after) and i > 0:
            return 0.65  # a signature: "... on the 14th. Yeto Rale"
        span = char_span(start, stop, alignment_mode="expand") if char_span else None
        cue = _STRONG_CUE.search(before)
        if cue and (span is None or span[0].ent_type_ not in _GROUP or cue.group("sign")):
            if not shouting or _RUN_CLOSES.match(after):
                return 0.7  # (a sign-off takes any word: "thanks Fashazo")
        if not shouting and (
            re.match(r"\s+here\b", after) or _BIRTH_AFTER.match(after) or _AGE_AFTER.match(after)
        ):
            return 0.7  # "Zorami here", "Yelede Luvoko, born ...", "Ayo (8)"
        clause = opens or re.search(r"[,:;\-–—]\s*$", before) is not None
        if clause and count > 1 and not shouting and _DETAIL_AFTER.match(after):
            return 0.65  # "Gune Nalu, housing register number", "Vovo Rakoto, 4 Mill Lane"
        if _GREETING_BEFORE.search(before) and re.match(r"\s*[,!.]", after):
            return 0.7  # "Hi Oluwakemi, thanks for ...", "Dear Mx Achterberg,"
        if not shouting and _after_person_noun(before) and re.search(r"\s$", before):
            return 0.7  # "my kids Olu, ...", "my mother in law Nefade Faluka", "Dad: Emeka"
        if (
            count > 1
            and not shouting
            and re.search(r"\d[A-Za-z]?\s*,\s*$", before)
            and re.fullmatch(r"\s*[.!]*\s*", after)
            and any(self.lexicon.is_name_word(w.group()) for w in words[i : end + 1])
        ):
            return 0.6  # "ref 1234, flat 4, Tobu Mensah": a name closing a list of details
        plain = any(self.lexicon.is_english(w.group()) for w in words[i : end + 1])
        if (
            not plain
            and not shouting
            and re.search(r"\d[A-Za-z]?\s*,\s*$", before)
            and re.fullmatch(r"\s*[.!]*\s*", after)
        ):
            return 0.6  # "phone 07700 900111, Aled": one unknown word closing the details
        if not plain and clause and re.match(r"\s+again\s*(?:[,.!]|$)", after):
            return 0.6  # "Sorry, Wiktoria again"
        if not shouting and _RELATION_AFTER.match(after):
            return 0.65  # "Zubair is my son" (spaCy may call a name a place or a group)
        counted = re.search(r"\d\s+$", before) is not None  # "for 3 weeks, she": a count
        if (
            not plain
            and not shouting
            and not opens
            and not counted
            and _GENDERED_AFTER.match(after)
        ):
            return 0.6  # "rude to Ayo and her son" (spaCy may call a name no list holds a place)
        if (
            not plain
            and not shouting
            and i > 0
            and words[i - 1].group().lower() in _SUBORDINATORS
            and re.match(r"\s+[a-z]", after)
            and _GENDERED.search(re.split(r"[.!?\n]", after, maxsplit=1)[0])
        ):
            return 0.6  # "... so Ayo can take mum, ... from his": a clause's subject, he or she
        if not plain and not shouting and not opens and not counted:
            if _GENDERED_LATER.match(after) and not _after_motion(text, words, i):
                return 0.6  # "with Zorbek yesterday and he has": a when between name and he
            if re.search(r"['’]s$", words[end].group()) and _PERSONS_THING.match(after):
                return 0.6  # "from Perrick's music", "Tavi's kids": what a person has
        if span is not None and span[0].ent_type_ in _PLACE_OR_GROUP:
            return 0.0
        if shouting:
            return 0.0
        if _RELATION_AFTER.match(after) or _AND_I_AFTER.match(after):
            return 0.65  # "Ayo, my son,", "Tochukwu and I", "for Ayo, my mother,"
        if not plain and (_PERSON_AND_BEFORE.search(before) or _PERSON_AND_AFTER.match(after)):
            return 0.65  # "my daughter and Ayo", "me and Ayo", "Ayo and my son"
        if not plain and not counted and _GENDERED_AFTER.match(after):
            return 0.6  # "I live with Ayo and his partner", "for Ayo, she is 80"

        # the weak prior where no stronger reading holds; computed only there (it may have to
        # run spaCy's tagger)
        def prior() -> float:
            return self._unseen_prior(text, words, i, end, span, opens)

        if i > 0 and words[i - 1].group().lower() in _NOT_BEFORE_SUBJECT:
            return prior()
        if clause and count > 1 and re.match(r"\s*(?:[.!]|,\s+[a-z])", after):
            if opens or not re.match(r"\s*[.!]", after):
                return 0.6  # "Tobu Mensah-Boateng." or "my IBAN, Leri Lerivo, for the ..."
        if opens and not plain and _name_verb(text, words, end):
            sentence = re.split(r"[.!?\n]", after, maxsplit=1)[0]
            if _GENDERED.search(sentence):
                return 0.6  # "Ayo needs a new bus pass, he lost it": a firm is "it"
        if re.search(r"\(\s*$", before) and re.match(r"\s*\)", after):
            if count > 1 or _GENDERED.search(after[:120]):
                return 0.6  # "(Shatilu Tide) - he has"
        if re.search(r"\s[\-–—]\s*$", before) and count > 1 and re.match(r"\s*(?:[(,.!]|$)", after):
            return 0.6  # "exemption - Dede Gurale (born ...)"
        if span is None and not opens and re.match(r"\s+who\b", after):
            return 0.6  # "it was deepak who rang" (in lower case, no tagger reading asked)
        if opens or span is None or not re.match(" ", after) or end + 1 >= len(words):
            return prior()
        following = char_span(words[end + 1].start(), words[end + 1].end(), "expand")
        if following is None:
            return prior()
        nxt = following[0]
        who = nxt.lower_ == "who"
        # the tags last: reading one may run spaCy's tagger (chatbot/deferred_tags.py)
        if not (who or (nxt.text[:1].islower() and _GENDERED.search(after[:120]))):
            return prior()
        if tag_of(span[0]) != "NNP":
            return prior()
        if who or tag_of(nxt).startswith("VB") or tag_of(nxt) == "MD":
            return 0.6
        return prior()

    def _unseen_prior(
        self,
        text: str,
        words: list[re.Match[str]],
        i: int,
        end: int,
        span: Any,
        opens: bool,
    ) -> float:
        """A weak prior for a name no list holds and no cue shows: a capitalised run standing
        mid-sentence (where capitals are not the sentence's) of words that are no English word
        (bar known given names and surnames beside one that is none), no place, institution or
        street word, and not where a place, a shop or a thing stands (after an article, a
        possessive or a place preposition: "the Greggs", "my Monzo", "in Ystrad", "from
        Currys"; the full list is in the module doc). Only for capitalised text read with the
        tagger (`span`); the callers have already ruled out the run's being a place or group
        by spaCy's reading. Weak (0.55): any stronger reading elsewhere wins."""
        if opens or span is None or i == 0:
            return 0.0
        lex = self.lexicon
        run = [w.group() for w in words[i : end + 1]]
        if any(w.isupper() and len(w) > 1 for w in run):
            return 0.0
        if all(lex.is_english(w) for w in run) or any(
            lex.is_english(w) and not lex.is_name_word(w) for w in run
        ):
            return 0.0
        if lex.is_place(" ".join(run)) or any(_INNER_CAPITAL.search(w) for w in run):
            return 0.0  # a town, a brand in camel case ("StepChange"), an acronym ("NICs")
        token_start = text.rfind(" ", 0, words[i].start()) + 1
        token_end = text.find(" ", words[end].end())
        token = text[token_start : token_end if token_end >= 0 else len(text)]
        if re.search(r"[/=_@]|\.\w|\]\(", token):
            return 0.0  # part of a web address, a path or a link ("/courses/Pages/default")
        if "/" in text[words[i - 1].end() : words[i].start()] or re.match(
            r"\s*/", text[words[end].end() :]
        ):
            return 0.0  # "Japanese Knotweed / Ragwort": alternatives, as with "or"
        if re.match(
            r"\s*\(\s*[A-Z][\w'’]*(?:[ ,]+(?:and\s+|&\s+)?[A-Z][\w'’]*){2,}\s*\)",
            text[words[end].end() :],
        ):
            return 0.0  # "Acas (Advisory, Conciliation and Arbitration Service)": an acronym
        if re.search(r"[A-Za-z][\w'’]*\s*\(\s*$", text[: words[i].start()]) and re.match(
            r"\s*\)", text[words[end].end() :]
        ):
            if _capitalised(re.findall(r"[\w'’]+", text[: words[i].start()])[-1]):
                return 0.0  # a gloss or an abbreviation in brackets: "Welsh (Cymraeg)"
        prev_word = words[i - 1].group()
        prev = prev_word.lower()
        gap = text[words[i - 1].end() : words[i].start()]
        after = text[words[end].end() :]
        if (
            gap == " "
            and _capitalised(prev_word)
            and not _sentence_start(text, words[i - 1].start())
            and not lex.is_given(prev_word, allow_common=True)
        ):
            return 0.0  # the end of a longer proper name: "Much Wenlock", "Jubilee Fields"
        if re.search(r"\bor(?:\s+(?:just|maybe|even|perhaps))?\s*$", text[: words[i].start()]) or (
            re.match(r"\s*,?\s+or\b", after)
        ):
            return 0.0  # alternatives are places and firms: "Screwfix or Wickes"
        if _sentence_start(text, words[i - 1].start()) and prev in _AUXILIARIES:
            return 0.0  # "Is Halfords allowed to ...", "are Jacobs anything to do with ..."
        if "," in gap and (
            prev in STREET_TYPE_WORDS
            or prev in _INSTITUTION_WORDS
            or re.search(r"\d", text[max(0, words[i - 1].start() - 6) : words[i].start()])
        ):
            return 0.0  # "12 Mill Road, Brackenvale": the town of an address
        if _TOWN_BEFORE_POSTCODE.match(after):
            return 0.0
        if gap.strip() == "" and (prev in _NOT_A_PERSON_BEFORE or prev in _PLACE_BEFORE):
            return 0.0
        if _after_motion(text, words, i):
            return 0.0  # "moved to Pontyclun", "the bus to Cwmbran"
        doc = span.doc
        if (
            span.start > 0
            and tag_of(doc[span.start - 1]) in _MODIFIER_TAGS
            and (doc[span.start - 1].is_lower)
        ):
            return 0.0  # "free Wi-Fi", "all Brackenvale libraries": a thing takes modifiers
        if (
            span.end < len(doc)
            and tag_of(doc[span.end]) in {"NN", "NNS"}
            and doc[span.end].is_lower
        ):
            return 0.0  # "Brackenvale taxpayers", "a Jewson lorry": a noun's modifier
        nxt = re.match(r" ([A-Z][\w'’\-]*)", after)
        if nxt and not self._could_be_name(nxt.group(1)) and not lex.is_place(nxt.group(1)):
            return 0.0  # "Brackenvale General Hospital": the start of a longer proper name
        joined = re.match(r"\s*,?\s+(?:and|&)\s+([a-z][\w\-]*)", after)
        if joined and (
            lex.is_english(joined.group(1))
            and _bare(joined.group(1)) not in STOP_WORDS | _PERSON_NOUNS
        ):
            return 0.0  # "Computers, Wi-Fi and printing": listed with things
        first = _list_start(text, words, i)
        if first < i:  # a later item of a list takes the kind of the first
            lead = words[first - 1].group().lower() if first > 0 else ""
            lead_gap = text[words[first - 1].end() : words[first].start()] if first > 0 else ""
            if lex.is_place(words[first].group()) or (
                lead_gap.strip() == "" and (lead in _NOT_A_PERSON_BEFORE or lead in _PLACE_BEFORE)
            ):
                return 0.0  # "between Bwlch and Crickhowell", "in Rhayader, Llanwrtyd and ..."
        return 0.55

    def _capitalised_apposition(self, text: str) -> list[tuple[int, int, float]]:
        """ "my landlord, Des Fairclough, says", "the plumber, Wes, never came": a person noun,
        a comma, capitalised words that could be a name (no institution, street or place word;
        not all of them plain English), a comma and a verb a person does."""
        found: list[tuple[int, int, float]] = []
        for match in _CAPITALISED_APPOSITION.finditer(text):
            after = text[match.end("name") :]
            if not (_VERB_AFTER.match(after) or _APPOSITION_VERB.match(after)):
                continue
            start = match.start("name")
            before = text[max(0, start - 40) : start]
            if not (_PERSON_BEFORE_COMMA.search(before) or _ROLE_BEFORE_COMMA.search(before)):
                continue
            names = match.group("name").split()
            if all(self._could_be_name(w) for w in names) and any(
                not self.lexicon.is_english(w) or self.lexicon.is_name_word(w) for w in names
            ):
                found.append((*match.span("name"), 0.7))
        return found

    def _lower_case_sign_offs(self, text: str) -> list[tuple[int, int, float]]:
        """Lower-case names no list knows, closing a message after "thanks" ("ok sorted now
        thanks, yeka") or introduced after a greeting ("hey its budena, can i ...")."""
        found: list[tuple[int, int, float]] = []
        for pattern in (_LOWER_SIGN_OFF, _LOWER_GREETING):
            match = pattern.search(text)
            if match and all(
                self._could_be_name(w)
                and len(_bare(w)) > 2
                and not w[:1].isupper()
                and (not self.lexicon.is_english(w) or self.lexicon.is_name_word(w))
                for w in match.group("name").split()
            ):  # a plain English word is no name here: "hi its broken again"
                found.append((*match.span("name"), 0.65))
        for told in _TOLD_ME.finditer(text):
            word = told.group("name")
            bare = _bare(word)
            if (
                self._named_word(word)
                and not bare.endswith("s")
                and bare not in _NOT_SPEAKERS
                and not self.lexicon.is_place(word)
                # a word no list holds may be a firm or charity ("stepchange said to ring them")
                and (self.lexicon.is_english(word) or self.lexicon.is_given(word, True))
            ):
                found.append((*told.span("name"), 0.6))
        for initials in _RELATIVE_INITIALS.finditer(text):
            if initials.group("name").lower() not in _ABBREVIATIONS:
                found.append((*initials.span("name"), 0.6))
        line = _LOWER_SIGNATURE_LINE.search(text)
        if line:
            word = line.group("name")
            bare = _bare(word)
            if (
                len(bare) > 2
                and bare not in STOP_WORDS | _NOT_NAMES | _PERSON_NOUNS | _MONTHS_DAYS
                and bare not in _CLOSING_WORDS | _INSTITUTION_WORDS
                and self._could_be_name(word)
                and not self.lexicon.is_place(word)
            ):
                found.append((*line.span("name"), 0.65))
        return found

    def _lower_case_after_cue(
        self, text: str, words: list[re.Match[str]]
    ) -> list[tuple[int, int, float]]:
        """Lower-case names after a cue, told from ordinary words by being no English word
        (or a given name or surname that is none): "its tendai", "name neil pickles",
        "booked under delefa shazo", "my mum guna kakaka died", "ask for neka"."""
        found: list[tuple[int, int, float]] = []
        lex = self.lexicon
        i = 0
        while i < len(words):
            word = words[i].group()
            before = text[max(0, words[i].start() - 40) : words[i].start()]
            initial = (
                len(word) == 1
                and _after_honorific(before)
                and i + 1 < len(words)
                and not lex.is_english(words[i + 1].group())
            )  # "Mrs t ogunleye"
            if self._called_by_person(text, words, i, before):
                found.append((words[i].start(), _name_end(words[i]), 0.7))
                i += 1
                continue
            if not word[:1].islower() or not (initial or self._lower_name_word(word, first=True)):
                i += 1
                continue
            opens = i == 0 or re.search(r"(?:^|[.!?;\n]|,)\s*$", before) is not None
            person_slot = _after_person_noun(before)
            cue = person_slot or _LOWER_CUE.search(before)
            if (
                not cue
                and "by" in before.lower()
                and _BY_AGENT_BEFORE.search(before)
                and self._distinct_given(word)
            ):
                cue = True
            if (
                person_slot
                and not initial
                and _ARTICLE_NOUN_BEFORE.search(before)
                and lex.is_english_form(word)
                and not lex.is_given(word, allow_common=True)
            ):
                i += 1  # "the child minder": a noun after "the" and a person word, not
                continue  # a name ("my daughter mared" is one: "mare"+"d" is no word here)
            if not cue and not initial and self._lower_slot(text, words, i, before):
                cue = True
            if not cue and not opens:
                i += 1
                continue
            end = i
            while (
                end + 1 < len(words)
                and end - i < 2
                and (
                    text[words[end].end() : words[end + 1].start()] == " "
                    # "mr g. featherstonehaugh": an initial with its full stop
                    or (
                        len(words[end].group()) == 1
                        and text[words[end].end() : words[end + 1].start()] == ". "
                    )
                )
                and not re.search(r"['’]s$", words[end].group())
                and words[end + 1].group()[:1].islower()
                and self._lower_name_word(words[end + 1].group(), first=False)
            ):
                end += 1
            run = [w.group() for w in words[i : end + 1]]
            after = text[words[end].end() :]
            ahead = [w.group() for w in words[i : i + 3]]
            if not _after_person_noun(before) and any(
                lex.is_place(" ".join(ahead[:n])) for n in range(1, len(ahead) + 1)
            ):
                i = end + 1  # "milton keynes", "merthyr tydfil"
                continue
            if _TOWN_BEFORE_POSTCODE.match(after):
                i = end + 1  # "..., caernarfon LL55 1AA": the town of an address
                continue
            body = re.match(r"[ \t]+([^\W\d_]+)", after)
            if body and _bare(body.group(1)) in _INSTITUTION_WORDS | STREET_TYPE_WORDS:
                i = end + 1  # "support officer\nkestrel homes": a body after a role
                continue
            if cue and cue is not True and cue.group("mark") and len(run) < 2:
                # after a bare comma or dash one word is a name only when it ends the message
                # ("ok, thanks, ffion"), not in "which tip, ynysybwl or pontypridd"
                person = _APPOSITION_VERB.match(after) and _PERSON_BEFORE_COMMA.search(before)
                if not (re.fullmatch(r"\s*[.!x]*\s*", after) or _VERB_AFTER.match(after) or person):
                    i = end + 1  # (but ", funmi, said to email" is a name)
                    continue
            if not cue:
                # no cue: a clause of two name words before a detail ("marta zielinska, flat 2")
                if (
                    len(run) < 2
                    or any(lex.is_english(w) for w in run)
                    or not (_DETAIL_AFTER.match(after))
                ):
                    i = end + 1
                    continue
            elif (
                not initial
                and lex.is_english(run[0])
                and not any(not lex.is_english(w) or lex.is_surname(w) for w in run[1:])
            ):
                # an everyday given name ("lee", "autumn", "sue") needs more: a name after
                # it, the end of the message, or a verb that a person does next
                closes = re.match(r"\s*(?:[.!?]*\s*$|,)", after) is not None
                verb = end + 1 < len(words) and words[end + 1].group().lower() in _SUBJECT_VERBS
                neighbour = _NEIGHBOUR_AFTER.match(after)  # "this is autumn from number 4"
                if not (closes or verb or neighbour or _BIRTH_AFTER.match(after)):
                    i = end + 1
                    continue
            found.append((words[i].start(), _name_end(words[end]), 0.7))
            i = end + 1
        return found

    def _lower_slot(self, text: str, words: list[re.Match[str]], i: int, before: str) -> bool:
        """A lower-case word that is no English word, in a slot a person fills, told by what
        follows: "went to zandie next door", "i was with lirra when ...", "i think tovril took
        the bin" (names-probe32). A noun's typo stands after "the", never in these slots."""
        word = words[i].group()
        if self.lexicon.is_english_form(word) or not self._could_be_name(word):
            return False
        if _DETERMINER_END.search(before):
            return False
        after = text[words[i].end() :]
        if _LOWER_NEIGHBOUR.match(after):
            return True
        if _WITH_END.search(before) and _WHEN_AFTER.match(after):
            return True
        return (
            _HEDGE_END.search(before) is not None
            and i + 1 < len(words)
            and text[words[i].end() : words[i + 1].start()] == " "
            and words[i + 1].group().lower() in _SUBJECT_VERBS | _DONE_VERBS
        )

    def _called_by_person(self, text: str, words: list[re.Match[str]], i: int, before: str) -> bool:
        """Word i is what a person "is called" or is "named": any lower-case word ("a lad
        called mikey", "my carer is called faith"). After a bare "called", which is also what
        a person did ("a man called round"), only a word that is no English word, a given name,
        one ending the clause or one whose verb follows ("... called mikey parks on my drive")."""
        word = words[i].group()
        low = before.lower()
        if not word[:1].islower() or ("called" not in low and "named" not in low):
            return False  # (the cheap test first)
        if not _PERSON_CALLED_BEFORE.search(before):
            return False
        if len(_bare(word)) < 2 or _bare(word) in STOP_WORDS | _AFTER_CALLING:
            return False
        lex = self.lexicon
        return bool(
            _NAMING_BEFORE.search(before)
            or not lex.is_english(word)
            or lex.is_given(word, allow_common=True)
            or _RUN_ENDS.match(text, words[i].end())
            or (i + 1 < len(words) and lex.is_english_s_form(words[i + 1].group()))
            or _name_verb(text, words, i)
        )

    def _lower_name_word(self, word: str, first: bool) -> bool:
        """A lower-case word that may be a name: not an English word, or a given name (first
        word) or a surname (after it) that is none, or an everyday given name in first place."""
        lex = self.lexicon
        bare = _bare(word)
        if len(bare) < 2 or bare in STOP_WORDS or bare in _NOT_NAMES or bare in _PERSON_NOUNS:
            return False
        if bare in _INSTITUTION_WORDS or bare in STREET_TYPE_WORDS or bare in _MONTHS_DAYS:
            return False
        if bare in TEXTED_NEGATIONS or bare in TEXTED_CONTRACTIONS:
            return False
        if lex.is_place(word):
            return False
        if not lex.is_english(word) and not lex.is_english_s_form(word):
            return True  # ("my neighbour hoards": an English word's -s form is its verb)
        if first:
            return lex.is_given(word, allow_common=True)
        return lex.is_surname(word) and not lex.is_everyday(word)

    def _distinct_given(self, word: str) -> bool:
        """A given name that is no English word, no place and not a short one: "nia", "kai"."""
        return (
            len(_bare(word)) > 2
            and self.lexicon.is_given(word)
            and not self.lexicon.is_everyday(word)
            and self._could_be_name(word)
        )

    def _lower_case_names(
        self, text: str, words: list[re.Match[str]]
    ) -> list[tuple[int, int, float]]:
        """Lower-case given names that show themselves without a cue: two joined as a list
        ("nia and kai need", "tomasz, kuba and ola") or one owning something ("sophie-mae's
        review"), each a given name that is no everyday word."""
        found: list[tuple[int, int, float]] = []
        run: list[re.Match[str]] = []
        for index, match in enumerate(words):
            word = match.group()
            if word.lower() == "and":
                continue  # the gap between two names of a list
            distinct = self._distinct_given(word)
            unknown = not self.lexicon.is_english_form(word) and self._lower_name_word(word, False)
            if word[:1].isupper() or not (distinct or unknown):
                run = []
                continue
            if distinct and (
                re.search(r"['’]s$", word)
                or _name_verb(text, words, index)
                or (  # (read only for a given name: the search runs over the text before it)
                    _ASKED_OF_AFTER.match(text, match.end())
                    and _AUX_QUESTION_BEFORE.search(text, 0, match.start())
                )
            ):  # "jayden has asthma", "is bronwen still on the list"
                found.append((match.start(), _name_end(match), 0.6))
            if run and _list_gap(text[run[-1].end() : match.start()]):
                run.append(match)
            else:
                run = [match]
            if len(run) == 2 and any(self._distinct_given(m.group()) for m in run):
                found.extend((m.start(), _name_end(m), 0.6) for m in run)
            elif len(run) > 2:
                found.append((match.start(), _name_end(match), 0.6))
        return found

    def _lower_kind(self, word: str) -> str:
        """How a lower-case word may stand for a name: "distinct" (a given name that is no
        everyday word: "zodwa"), "unknown" (no English word, no place, two vowels or more, so
        not "dvla"), "everyday" (a given name that is also a word: "hope", "bill") or ""."""
        bare = _bare(word)
        if not word[:1].islower() or len(bare) < 3 or "'" in bare or "’" in bare:
            return ""
        if bare in _OBJECT_VERBS or bare in _SUBJECT_VERBS or bare in _CLAUSE_OPENERS:
            return ""
        if not self._could_be_name(word):
            # an everyday word that is also a given name ("hope", "bill") is left to the role
            if (
                self.lexicon.is_everyday(word)
                and self.lexicon.is_given(word, allow_common=True)
                and bare not in STOP_WORDS | _MONTHS_DAYS | _PERSON_NOUNS | _NOT_NAMES
                and not self.lexicon.is_place(word)
            ):
                return "everyday"
            return ""
        if self._distinct_given(word):
            return "distinct"
        if not self.lexicon.is_english(word):
            vowels = sum(ch in "aeiouy" for ch in bare)
            if vowels < 2 and (vowels < 1 or len(bare) < 5):
                return ""  # "dvla", "hmrc" (but "llwyd" may be a name)
            return "" if self._compound(bare) else "unknown"
        if self.lexicon.is_given(word, allow_common=True) and bare not in _MONTHS_DAYS:
            return "everyday"
        return ""

    def _compound(self, bare: str) -> bool:
        """Two English words of four letters or more run together, no given name among them:
        a brand or a service ("stepchange", "moneyhelper"), hardly ever a person's name."""
        english, given = self.lexicon.english, self.lexicon.given
        return any(
            bare[:k] in english
            and bare[k:] in english
            and bare[:k] not in given
            and bare[k:] not in given
            for k in range(4, len(bare) - 3)
        )

    def _lower_case_by_role(
        self, text: str, words: list[re.Match[str]]
    ) -> list[tuple[int, int, float]]:
        """Lower-case names from the role a word plays in its sentence, the English-word list
        guarding against common words (kinds: `_lower_kind`):
        - the object of "tell", "ask", "remind", "let ... know"; after "ring", "call",
          "email" a word no list holds only with "back" or a "he"/"she" after ("ring
          folasade back"), since firms are rung too; an everyday given name only before "i
          said", "know", "that" or a "he"/"she" ("tell hope i said");
        - the subject of a verb a person does, opening a clause: a distinct given name
          ("so anyway ngaire told me"), a word no list holds only with a "he"/"she" after
          ("i think ngozika saw the van, she ..."; "biffa rang me" is a firm), an everyday
          given name with a verb of telling or ringing ("bill rang me") or a "he"/"she";
          two name words before any such verb ("ebunoluwa tabansi has been waiting");
        - the subject of a question ("does oyebimpe have to", "is zodwa allowed");
        - after "me and" or a relative and "and" ("me and tuvshin have", "dad and kwesi");
        - a given name that is no everyday word followed by a word that is no English word
          ("thandiwe zulakhe"), the pair a full name;
        - a name closing a thanking message (`_lower_thanks_close`)."""
        found: list[tuple[int, int, float]] = []
        lowered = [w.group().lower() for w in words]
        kinds = [self._lower_kind(w.group()) for w in words]
        for i, match in enumerate(words):
            kind = kinds[i]
            if not kind:
                continue
            prev = lowered[i - 1] if i else ""
            prev2 = lowered[i - 2] if i > 1 else ""
            gap_before = text[words[i - 1].end() : match.start()] if i else ""
            after = text[match.end() :]
            clause = re.split(r"[.!?\n]", after, maxsplit=1)[0]
            gendered = _PERSON_PRONOUN.search(clause) is not None
            nxt = lowered[i + 1] if i + 1 < len(words) else ""
            nxt2 = lowered[i + 2] if i + 2 < len(words) else ""
            joined = i + 1 < len(words) and text[match.end() : words[i + 1].start()] == " "
            plain_gap = not i or gap_before == " "
            strong = kind in {"distinct", "unknown"}
            hit = False
            # the object of a verb that takes a person: "ring folasade", "let oghenekaro know"
            if plain_gap and prev in _OBJECT_VERBS:
                told = (nxt == "i" and nxt2 in {"said", "say"}) or nxt in {"know", "that"}
                # firms are rung and emailed too ("ring biffa about the skip"): a word no list
                # holds after such a verb needs a person's pronoun or "back" after it
                reached = prev in _CONTACT_VERBS and not (gendered or nxt == "back")
                hit = (
                    (kind == "distinct" or (kind == "unknown" and not reached))
                    or told
                    or (gendered)
                )
            # after "me and", "mum and": one of two people
            elif (
                plain_gap
                and prev in {"and", "n", "&"}
                and (prev2 == "me" or prev2 in _PERSON_NOUNS)
            ):
                hit = strong or (joined and nxt in _SUBJECT_VERBS | _AUXILIARIES)
            # the subject of a question: "does oyebimpe have to", "is zodwa allowed"
            if (
                not hit
                and strong
                and plain_gap
                and prev in _QUESTION_AUXILIARIES
                and (i == 1 or re.search(r"[.!?,;:\n]\s*$", text[: words[i - 1].start()]))
                and (
                    (nxt in {"have", "need"} and nxt2 == "to")
                    or (kind == "distinct" and (nxt in _BASE_VERBS or nxt.endswith("ed")))
                )
            ):
                hit = True
            # the subject of a clause: "i think ngozika saw", "if radomila picks up"; a possessive
            # before a verb is a shop or a charity ("barnardo's said")
            possessive = re.search(r"['’]s$", match.group()) is not None
            if (
                not hit
                and kind == "distinct"
                and joined
                and prev in {"if", "when", "whether", "unless"}
                and re.fullmatch(r"[a-z]{3,}[^s']s", nxt)
                and self.lexicon.is_english(nxt)
            ):
                hit = True  # "if chiamaka brings the form": a third-person verb after
            if (
                not hit
                and joined
                and not possessive
                and (nxt in _SUBJECT_VERBS or _after_place_phrase(after))
            ):
                opens = not i or re.search(r"[.!?,;:\n]\s*$", text[: match.start()]) is not None
                if opens or prev in _CLAUSE_OPENERS:
                    # a word no list holds may be a firm ("biffa rang me", "serco said
                    # they"): only a "he" or "she" after makes it a person
                    hit = (
                        kind == "distinct"
                        or gendered
                        or (kind == "everyday" and nxt in _SPEAKING_VERBS)
                    )
            if (
                not hit
                and strong
                and joined
                and i + 2 < len(words)
                and kinds[i + 1] in {"distinct", "unknown"}
                and nxt2 in _SUBJECT_VERBS
                and (not i or re.search(r"[.!?,;:\n]\s*$", text[: match.start()]) is not None)
            ):
                hit = True  # "ebunoluwa tabansi has been waiting": two name words then a verb
            if hit:
                end = match
                if joined and kind != "everyday" and kinds[i + 1] == "unknown":
                    end = words[i + 1]  # "ngozika adeyemo": the surname after
                found.append((match.start(), _name_end(end), 0.6))
            elif (
                kind == "distinct"
                and joined
                and not self.lexicon.is_english(match.group())
                and kinds[i + 1] == "unknown"
                and not self.lexicon.is_place(f"{lowered[i]} {nxt}")
            ):
                found.append((match.start(), _name_end(words[i + 1]), 0.6))  # a full name
        found.extend(self._lower_thanks_close(text, words, kinds))
        return found

    def _lower_thanks_close(
        self, text: str, words: list[re.Match[str]], kinds: list[str]
    ) -> list[tuple[int, int, float]]:
        """One or two lower-case name words closing a message whose last sentence or line
        thanks ("thanks for all your help this week bronwen", "cheers for sorting
        it\nlachina obiamaka", "thank u so much x oyinda"): a given name that is no everyday
        word or a word no list holds, not after a preposition or an article ("thanks for
        sorting it with lidl")."""
        if len(words) < 2 or not re.fullmatch(r"[\s.!x]*", text[words[-1].end() :]):
            return []
        last = len(words) - 1
        first = last
        if last >= 2 and text[words[last - 1].end() : words[last].start()] == " ":
            if kinds[last - 1] in {"distinct", "unknown"}:
                first = last - 1  # "lachina obiamaka"
        if not all(k in {"distinct", "unknown"} for k in kinds[first : last + 1]) or first == 0:
            return []
        before = words[first - 1].group().lower()
        if before in _NOT_BEFORE_SUBJECT or before in _WEAK_BEFORE_CLOSE:
            return []
        start = words[first].start()
        newline = "\n" in text[words[first - 1].end() : start]
        closing = text[:start].rsplit("\n", 2 if newline else 1)
        sentence = re.split(r"[.!?]", closing[-2] if newline and len(closing) > 1 else closing[-1])
        if not re.match(rf"\W*(?i:{_THANKS})\b", sentence[-1] if not newline else sentence[0]):
            return []
        return [(start, _name_end(words[last]), 0.6)]

    def _changed_names(self, text: str) -> list[tuple[int, int, float]]:
        """The old and new names of a change of name (`_NAME_CHANGE`, `_NEE`), word by word
        until a word that cannot be part of a name ("to my married name": none)."""
        found: list[tuple[int, int, float]] = []
        for match in [*_NAME_CHANGE.finditer(text), *_NEE.finditer(text)]:
            for group in ("old", "new"):
                if group not in match.re.groupindex or match.group(group) is None:
                    continue
                base, end = match.start(group), None
                for word in re.finditer(r"\S+", match.group(group)):
                    bare = _bare(word.group())
                    if bare in STOP_WORDS or bare in _PERSON_NOUNS or bare in _NOT_NAMES:
                        break
                    end = base + word.end()
                if end is not None:
                    found.append((base, end, 0.7))
        return found

    def _could_be_name(self, word: str) -> bool:
        """Not a common word, an institution or a place: an unknown word may be a name."""
        known = self._could_be_name_cache.get(word)
        if known is None:
            known = self._could_be_name_uncached(word)
            if len(self._could_be_name_cache) < 50_000:  # words seen: bounded
                self._could_be_name_cache[word] = known
        return known

    def _could_be_name_uncached(self, word: str) -> bool:
        bare = _bare(word)
        return not (
            len(bare) < 2
            or re.split(r"['’]", bare)[0] in STOP_WORDS
            or bare in STOP_WORDS
            or bare in _NOT_NAMES
            or bare in _INSTITUTION_WORDS
            or bare in STREET_TYPE_WORDS
            or bare in _MONTHS_DAYS
            or bare in _PERSON_NOUNS
            or _relation_compound(bare)
            or self.lexicon.is_place(word)
            or self.lexicon.is_everyday(word)
            or self.lexicon.is_firm(word)
        )

    def _name_at(
        self,
        text: str,
        words: list[re.Match[str]],
        i: int,
        shouting: bool,
        caps_unreliable: bool = False,
    ) -> tuple[int, float] | None:
        """(index of the name's last word, score) when a name starts at word i."""
        lex = self.lexicon
        word = words[i].group()
        if not _capitalised(word) and _bare(word) in _PERSON_NOUNS:
            return None  # "my son Will": "son" is a given name too, but not here
        if _relation_compound(word):
            return None  # "my sister-in-law Tuyet", "my foster-son": who, not their name
        if _bare(word) in _FORM_WORDS:
            return None  # "my daughter DOB 3/4/15": a form's label, in any case
        if _bare(word) in _INSTITUTION_WORDS:
            return None  # "Thanks, Council"
        if _bare(word) in _ALL_HONORIFICS:
            return None  # a title is no name: "Dear Sir/Madam" (its name comes after it)
        if _bare(word) in _PERSON_NOUNS and POSSESSIVE_BEFORE.search(
            text[max(0, words[i].start() - 8) : words[i].start()]
        ):
            return None  # "My Nan's bungalow", "our Mam": who the person is, not their name
        before = text[max(0, words[i].start() - 30) : words[i].start()]
        if re.search(r"\d[A-Za-z]?,?\s+$", before) and not _AGE_AFTER.match(text[words[i].end() :]):
            return None  # "3 Lôn Uchaf", "12 Victoria Road": a house number, then a street
        person_noun = _after_person_noun(before)
        # "tadhg here" introduces the writer; "autumn's here" says a word's thing has come
        here = re.match(r"\s+here\b", text[words[i].end() :]) is not None and not (
            re.search(r"['’]s$", word) and word.islower() and lex.is_english(_bare(word))
        )
        cue = bool(_CUES_BEFORE.search(before)) or person_noun or here
        if _capitalised(word) and _WEAK_CUES_BEFORE.search(before):
            cue = True
        next_word = words[i + 1].group() if i + 1 < len(words) else ""
        surname_next = (
            _capitalised(word)
            and _capitalised(next_word)
            and text[words[i].end() : words[i + 1].start()] == " "
            and lex.is_surname(next_word)
        )
        honorific = _after_honorific(before)
        if _capitalised(word) and not caps_unreliable and i > 0 and not (person_noun or honorific):
            prev = words[i - 1].group()
            gap = text[words[i - 1].end() : words[i].start()]
            if gap == " " and _capitalised(prev) and lex.is_place(prev):
                return None  # "Kirkby Stephen", "Morton Grace": the rest of a place's name
            if _after_motion(text, words, i):
                return None  # "the bus from Clifton", "moved to Stanley"
        capital = _capitalised(word) and not caps_unreliable
        # a script with no capitals (Arabic, Chinese...) in an English message: after a cue
        # the word is as much a name as a capitalised one ("my mother محمد")
        caseless = _caseless(word)
        named = _NAME_CUE.search(before) is not None
        # after "name is" or "called" an everyday word is a name too ("her name is Faith")
        nameable = self._could_be_name(word) or (named and lex.is_given(word, allow_common=True))
        if (
            (capital or caseless)
            and nameable
            and (named or _AGE_AFTER.match(text[words[i].end() :]))
        ):
            # "name: Tobi Adeyemi", "called Oluwadamilola", "Tobi (7)", "Ayo, aged 4"
            end = i
            while end + 1 < len(words) and end - i < 2 and named:
                nxt = words[end + 1].group()
                if text[words[end].end() : words[end + 1].start()] != " ":
                    break
                if not (_capitalised(nxt) and self._could_be_name(nxt)):
                    break
                end += 1
            if end + 1 < len(words) and text[words[end].end() : words[end + 1].start()] == " ":
                if _bare(words[end + 1].group()) in _INSTITUTION_WORDS | STREET_TYPE_WORDS:
                    return None  # "from: Brackenvale Leisure": a body, not a person
            return end, 0.75
        lower_known = lex.is_given(word) and not lex.is_everyday(word)
        if (
            lower_known
            and not capital
            and lex.is_english(word)
            and ASKED_OF_BEFORE.search(before)
            and VERB_FOLLOWS.match(text, words[i].end())
        ):
            lower_known = False  # "can my son come with me": after a question the verb comes
        surname_word = honorific and _bare(word) in STREET_TYPE_WORDS  # "mr wood", "mrs hill"
        if (honorific or (person_noun and (capital or lower_known or caseless))) and (
            self._could_be_name(word) or surname_word
        ):
            # "my granddaughter Maisie-Rose", "mrs nkechi obi": the cue says a name comes next
            end = i
            while end + 1 < len(words) and end - i < 2:
                nxt = words[end + 1].group()
                if text[words[end].end() : words[end + 1].start()] != " ":
                    break
                if re.search(r"['’]s$", words[end].group()):
                    break  # "mrs okafor's fence came down": a possessive ends the name
                if caseless and _caseless(nxt):
                    end += 1  # "محمد علي": the rest of the name, in the same script
                    continue
                if _capitalised(word) and not _capitalised(nxt):
                    break  # "Mr Hussain won't fix": a capitalised name ends at a lower-case word
                if _bare(nxt) in TEXTED_NEGATIONS:
                    break  # "me nan bernadette cant get": "can't" typed plain, no surname
                if not _capitalised(word) and not honorific and not lex.is_surname(nxt):
                    break  # "my nephew kieran doyle", but "my son jayden has"
                if not _capitalised(word) and lex.is_english(nxt) and not lex.is_surname(nxt):
                    break  # "dr nwosu wrote": a plain word after the name ends it
                listed = lex.is_surname(nxt) or lex.is_given(nxt, allow_common=True)
                if not self._could_be_name(nxt) and not (
                    (not _capitalised(word) and lex.is_surname(nxt))
                    # "my aunt Wilhelmina Grant": a listed name after a capitalised one
                    or (_capitalised(word) and _capitalised(nxt) and listed)
                ):
                    break
                end += 1
            following = re.match(r"[ \t]+([^\W\d_]+)", text[words[end].end() :])
            if (
                following
                and not honorific
                and _bare(following.group(1)) in _INSTITUTION_WORDS | STREET_TYPE_WORDS
            ):
                return None  # "Tenancy Officer\nBrackenvale Homes": a body after a role
            return end, 0.75
        if (
            capital
            and not lex.is_given(word)
            and len(word) > 2
            and self._could_be_name(word)
            and surname_next
            and not lex.is_everyday(next_word)
            and not lex.is_place(next_word)
        ):
            after = words[i + 2].group() if i + 2 < len(words) else ""
            if _bare(after) not in _INSTITUTION_WORDS | STREET_TYPE_WORDS:
                return i + 1, 0.7  # "Haruto Sato": an unknown given name before a surname
        if (
            not _capitalised(word)
            and cue
            and not lex.is_given(word)
            and not lex.is_english(word)
            and len(word) > 2
            and self._could_be_name(word)
            and i + 1 < len(words)
            and text[words[i].end() : words[i + 1].start()] == " "
            and lex.is_surname(next_word)
            and not lex.is_everyday(next_word)
            and not lex.is_place(next_word)
        ):
            return i + 1, 0.75  # "its gethin jones": a cue, an unknown name, a surname
        if not lex.is_given(word, allow_common=person_noun or surname_next):
            return None
        if _bare(word) in _NOT_NAMES and not (person_noun or surname_next):
            return None
        if word.isupper() and len(word) > 1 and not shouting:
            return None  # an acronym ("IBAN", "ALI" in a form code), not a name
        # the run of name words that follows
        end = i
        while end + 1 < len(words) and end - i < 3:
            gap = text[words[end].end() : words[end + 1].start()]
            nxt = words[end + 1].group()
            if gap not in (" ", "\t") or _bare(nxt) in STOP_WORDS - _PARTICLES:
                break
            if capital and not (
                _capitalised(nxt)
                or nxt.lower() in _PARTICLES
                or (
                    lex.is_surname(nxt)
                    and not lex.is_english(nxt)
                    # "Dan parks his lorry": an English word's -s form is the verb
                    and not lex.is_english_s_form(nxt)
                )
            ):
                break  # (a surname typed in lower case still counts: "Shirin khatun")
            if not capital and not lex.is_surname(nxt):
                break
            end += 1
        tail = [w.group() for w in words[i + 1 : end + 1]]
        if any(_bare(t) in _INSTITUTION_WORDS | STREET_TYPE_WORDS for t in tail):
            return None  # "Victoria Road", "Grace Church", "Royal Preston Hospital"
        # greeted or signing off, two capitalised words are a person's name even when the first
        # is a place or the second an English word ("Dear Chester Brown", "Regards, Kendal
        # Harrow"; names-probe28)
        greeted = capital and end == i + 1 and _GREETED_BEFORE.search(before) is not None
        if (
            capital
            and not greeted
            and any(
                lex.is_english(t) and not lex.is_name_word(t) and t.lower() not in _PARTICLES
                for t in tail
            )
        ):
            return None  # "Clifton Suspension Bridge": a plain word makes it a title or a place
        following = words[end + 1].group() if end + 1 < len(words) else ""
        gap_after = text[words[end].end() : words[end + 1].start()] if following else ""
        possessive = re.search(r"['’]s$", words[end].group()) is not None
        if (
            gap_after.strip() == ""
            and "\n" not in gap_after  # a signature's role line: "Jo Quince\nStreet warden"
            and not possessive  # "Lucas's school", unlike "Kingsley Hall Community Centre"
            and _bare(following) in _INSTITUTION_WORDS | STREET_TYPE_WORDS
        ):
            return None
        run = [w.group() for w in words[i : end + 1]]
        ahead = [w.group() for w in words[i : i + 3]]  # "milton keynes" whatever the run
        if any(lex.is_place(" ".join(ahead[:n])) for n in range(1, len(ahead) + 1)):
            if not (
                person_noun
                or (greeted and end > i)
                or (end > i and lex.is_surname(run[-1]) and not lex.is_place(run[-1]))
            ):
                return None  # "Milton Keynes", "Preston", "Bradford" (but "my son Preston")
        known_surname = end > i and lex.is_surname(tail[-1]) and not lex.is_place(tail[-1])
        surname_follows = known_surname or (
            end > i and capital and (greeted or not lex.is_everyday(word))
        )
        sentence_start = _sentence_start(text, words[i].start())
        sign_off = _SIGN_OFF_AFTER.match(text[words[end].end() :]) is not None
        if capital:
            if (
                end == i
                and i > 0
                and words[i - 1].group().lower() in _PLACE_BEFORE
                and not (person_noun or honorific or possessive or here)
            ):
                return None  # "the school in Kingston said": one name word where places go
            if lex.is_everyday(word) and not (surname_follows or cue):
                return None  # "Will I get help in May", "Bill for the garden waste"
            if sentence_start and not (
                surname_follows or cue or sign_off or _name_verb(text, words, end)
            ):
                return None if lex.is_everyday(word) else (end, 0.6)
            return end, 0.8 if (surname_follows or cue) else 0.65
        # lower case: a cue, or a given name + surname, neither an everyday word
        plain_word = lex.is_everyday(word) or lex.is_english(word)
        distinctive_surname = (
            end > i
            and lex.is_surname(tail[-1])
            and not lex.is_everyday(tail[-1])
            and not lex.is_english(tail[-1])
            # nor an English word's -s form after a word name: "the burger van parks here"
            and not (plain_word and lex.is_english_s_form(tail[-1]))
        ) and not lex.is_place(tail[-1])
        plain = plain_word or len(word) < 3
        if plain and not distinctive_surname:
            closes = re.match(r"\s*(?:[,.!?;]|$)", text[words[end].end() :]) is not None
            more = end > i and not lex.is_english(tail[-1])  # "its gonna flood" is no name
            return (end, 0.75) if cue and (sign_off or more or closes) else None
        if cue or (end > i and lex.is_surname(tail[-1]) and not lex.is_place(tail[-1])):
            return end, 0.75
        return None


def _name_end(match: re.Match[str]) -> int:
    """The end of a name word without a possessive ("Jordan's" -> "Jordan")."""
    word = match.group()
    return match.end() - 2 if re.search(r"['’]s$", word) else match.end()


def _name_end_at(text: str, end: int) -> int:
    """The end of a name without a possessive "'s" just before `end`."""
    return end - 2 if re.search(r"['’]s$", text[:end]) else end


def _list_gap(gap: str) -> bool:
    """Between two names of a list: ", ", " and ", " (8) and ", " & ", " 9, " (an age)."""
    return _LIST_GAP.fullmatch(gap) is not None


_AGE = r"(?:\(\s*(?:aged?\s*)?\d{1,2}\s*(?:yrs?|years?(?:\s+old)?)?\s*\)|(?:aged?\s+)?\d{1,2})"
_LIST_GAP = re.compile(
    rf"\s*(?:{_AGE}\s*)?(?:,\s*(?:and\s+|&\s+)?|\s+and\s+|\s*&\s*)\s*|\s*\(\d{{1,2}}\)\s+"
    rf"|\s*,?\s*{_AGE}\s*;\s*(?:and\s+|&\s+)?",  # "Ayo, 12; Ife, 9; and Tolu, 3"
    re.I,
)


def _list_start(text: str, words: list[re.Match[str]], i: int) -> int:
    """The first item of a list of capitalised words whose item starts at word i ("Bwlch" in
    "between Bwlch and Crickhowell"); i when word i follows no list."""
    k = i
    while k > 0:
        p = k - 2 if k > 1 and words[k - 1].group().lower() in {"and", "&"} else k - 1
        gap = text[words[p].end() : words[k].start()]
        if not (_list_gap(gap) or gap == " ") or not _capitalised(words[p].group()):
            break
        if _sentence_start(text, words[p].start()) and p == k - 1 and gap == " ":
            break
        k = p
    return k


_GREETED_BEFORE = re.compile(
    rf"(?i:\b(?:{_GREETING_WORDS}|regards|thanks|cheers|sincerely|faithfully|wishes)"
    r"\s*[,:!]?\s*$)"
)


def _after_motion(text: str, words: list[re.Match[str]], i: int) -> bool:
    """Word i is in a capitalised run after "to" or "from" and a word of going: "the bus from
    Cleobury Mortimer", "moved to Kirkby Stephen", "buses from Tanbury to Holmfirth" (a
    place, not a person)."""
    k = i
    while (
        k > 0
        and text[words[k - 1].end() : words[k].start()] == " "
        and _capitalised(words[k - 1].group())
    ):
        k -= 1
    if k < 2 or text[words[k - 1].end() : words[k].start()] != " ":
        return False
    if words[k - 1].group().lower() == "to" and _capitalised(words[k - 2].group()):
        return _after_motion(text, words, k - 2)  # "the buses from Tanbury to Holmfirth"
    return words[k - 1].group().lower() in {"to", "from"} and (
        _bare(words[k - 2].group()) in MOTION_WORDS
    )


def _sentence_start(text: str, start: int) -> bool:
    before = text[:start].rstrip(" \t\"'“‘(")
    return not before or before[-1] in ".!?\n:;"


def _after_person_noun(before: str) -> bool:
    """'my son ', 'our little girl ', "carer's name " just before."""
    words = re.findall(r"[^\W\d_]+", before.lower())
    if words[-2:] == ["in", "law"]:
        words = words[:-2]  # "my mother in law", "my son-in-law"
    return bool(words) and (words[-1] in _PERSON_NOUNS or words[-1] in _ALL_HONORIFICS)


_ALL_HONORIFICS = frozenset(h.lower() for h in HONORIFICS)


def _after_plural_person_noun(before: str) -> bool:
    """'my kids ', 'Children: ', 'the twins, ' just before: a list of names follows."""
    words = re.findall(r"[^\W\d_]+", before.lower())
    return bool(words) and words[-1] in _PLURAL_PERSON_NOUNS


_PLURAL_PERSON_NOUNS = frozenset(
    """sons daughters children kids boys girls babies grandchildren twins triplets brothers
    sisters tenants lodgers occupants residents names grandsons granddaughters""".split()
)


def _after_honorific(before: str) -> bool:
    words = re.findall(r"[^\W\d_]+", before.lower())
    if len(words) > 1 and words[-1] in _RANKS and words[-2] in _DETERMINERS:
        return False  # "the inspector rang", "our councillor visits": a role, not a title
    return bool(words) and words[-1] in _HONORIFICS and re.search(r"\.?\s+$", before) is not None


# titles that are also roles: after an article or a possessive they name the role
_RANKS = frozenset("sgt sergeant constable inspector councillor cllr rev revd reverend".split())
_DETERMINERS = frozenset(DETERMINER_WORDS)


_HONORIFICS = frozenset(h.lower() for h in HONORIFICS) - {"pc", "lady", "lord", "sir", "dame"}
_NAME_VERBS = frozenset(
    """has had is was needs need wants lives lived died passed goes went keeps gets got says
    said called rang told can cannot can't could will would does doesn't did didn't""".split()
)


# Verbs whose object is a person: "tell rowan", "ring folasade back", "let oghenekaro know"
_OBJECT_VERBS = frozenset(
    """tell told ask asked ring rang text texted call remind reminded let email emailed
    message messaged phone phoned contact contacted add nominate help helping""".split()
)
# ... of which these reach firms as often as people
_CONTACT_VERBS = frozenset(
    """ring rang call phone phoned text texted email emailed message messaged contact
    contacted""".split()
)
# Verbs a person does, after a clause's subject: "wiremu told me", "radomila picks up"
_SUBJECT_VERBS = _NAME_VERBS | frozenset(
    """rings texted phoned emailed tells saw sees lives keeps picks helps hasnt hasn't isnt
    doesnt didnt wont won't cant couldnt reported thinks thought knows asked asks came comes
    moved left works worked parks parked reckons""".split()
)
# A pronoun that takes up a person, never a firm ("... with her", "she said")
_PERSON_PRONOUN = re.compile(r"(?i)\b(?:he|she|him|his|her|hers|he['’]?s|she['’]?s)\b")
# Words before the last word of a message that make it no sign-off: "thanks, see you soon"
_WEAK_BEFORE_CLOSE = frozenset("and or is are was were be been".split())
# A question's opening word, before its subject: "does oyebimpe have to be in"
_QUESTION_AUXILIARIES = frozenset("is does did can could will would has".split())
# Verbs in their base form after a question's subject
_BASE_VERBS = frozenset(
    """have need come go get sign be want know live collect pick bring apply ring call
    attend visit help""".split()
)
# ... and these say a person even of an everyday given name ("bill rang me")
_SPEAKING_VERBS = frozenset("""told tells rang rings texted phoned emailed reckons""".split())
# Words after which a clause opens with its subject: "i think ngozika saw", "why tuvshin"
_CLAUSE_OPENERS = _SUBORDINATORS | frozenset(
    """think thought know knows reckon anyway why how and or then""".split()
)
# "dawn from number 8 said", "the lad at 22 keeps": a place phrase between subject and verb
_PLACE_PHRASE_THEN_VERB = re.compile(
    r"\s+(?:from|at|in)\s+(?:number\s+|no\.?\s*|flat\s+)?\d+[a-z]?\s+(?P<verb>[a-z'’]+)"
)


def _after_place_phrase(after: str) -> bool:
    """A subject's place phrase then its verb: "dawn from number 8 said she saw"."""
    match = _PLACE_PHRASE_THEN_VERB.match(after)
    return bool(match) and match.group("verb") in _SUBJECT_VERBS


def _name_verb(text: str, words: list[re.Match[str]], end: int) -> bool:
    """A sentence that opens with a name and goes on with a verb: "Amelia needs a form"."""
    if end + 1 >= len(words):
        return False
    return words[end + 1].group().lower().strip("'’") in _NAME_VERBS
