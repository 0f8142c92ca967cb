"""Names found from what the other recognisers already found around them, after they ran.

`Redactor.redact` calls `ContextNames.find` with every span kept so far; it adds PERSON spans
for words that stand where a person's name stands in a message typed on a phone, whatever
their case, from the structure around them and general name knowledge (`NameLexicon`):

- after another personal detail: a run of one to three name words right after a street
  address, postcode, phone number, email, date of birth or reference ("14 cromwell road LS9 8AB
  shanice barrett, ...", "07700 900214 darius"), a title skipped ("ref 4410298 mrs okonjo");
- in a list of people with their ages ("tiegan age 9, rhys-jay age 6, ocean age 4",
  "my grandkids, ruby 10 and mercy 8"): every item of a list whose items are a word and an
  age is a name once one item already is, or when all are given names after a word for
  children or relatives;
- in a slot only a person fills, even a given name that is also a word ("faith", "rocky",
  "sky"): after "my"/"her"/... and a relation noun ("my daughter faith and", "her son rocky
  keeps", "my step dad cliff"), after "me and" ("its me and sky that"), before a desk or team
  ("pass this to honey in the benefits team"), after "this is" + before "from"/"here" ("this is
  jade from 22"); modals, stop words, days and months never ("my son will", "my daughter may");
- a given name before "next door"/"upstairs" opening a clause ("mohammed next door has"),
  a given name that is no English word before a verb a person does to the writer ("shauna put
  me on hold"), and a word before a hedge in commas (", bola i think,");
- by the shape of the message (`_shapes`, `_capitalised_shapes`, `_joined`; issue 10, written
  on names-probe3's tuning half): who opens it ("tadhg speaking,", "hamid, flat 4c."), a name
  then a role ("kwabena my support worker said") or a role then a surname ("the caretaker
  o'donoghue"), an age or a relation said of a word ("amber who is 7", "for jack please, hes my
  grandson"), a message from a person, quotes after "name is", "x and i", two name words opening
  a clause, lists closed by "and", a given name asked to act; capitalised runs the lists do not
  vouch for before "is my son", after "Attn:", before an address, a modal or month name where
  neither can stand ("Could Will get a pass? He is 16"). Never before a firm, desk, institution
  or street word, and a lower-case English word no one is named with before an object is a verb.
- joined to a name found (issue 10, written on names-probe6's tuning half): a capitalised
  given name that is also a word right before a found name that opens with a surname
  ("07700 900244 Joy Mbatharu"), and a word no list holds before "and" + a name opening a
  clause ("Tendekai and Rumbidzai Mavhunga moved out"); in lower case a name word right
  before a name found and a particle + surname after one ("maarten van der linde"); the
  writer in a reply's quote header ("On Fri, 6 Mar, X Y wrote:"); a household's list with
  ages. A run after a detail is a body when an institution word follows ("Sandwell Homes").

- (written on names-probe7's tuning half) a listed given name and a surname that is also a
  place or everyday word ("Jamal Green", "Rhiannon Lane", "SHEILA RICH"), not where a place
  stands; slots only a person fills: "call X back", "copy in X", "tell X that", "X in your
  repairs team" (even "Jordan", "Will"), a given name opening a clause before "rang"/"phoned"
  ("Shirley rang about"), in lower case a given name and a surname before "is my <relation>",
  "next door", "from number 12" or "rang me" ("ellie wood is my daughter"), and the one given
  to between a verb of giving and a thing ("i sent kwame my form").

- (written on names-probe8's tuning half) a school year group in brackets is an age
  ("Maisie (Year 7), Harley (Year 9)"); surname-first order with the family name in capitals
  ("POPESCU Maria", "Reporter: BRIGGS, Stephen"); a title-case given name, even a town, and a
  surname before "at number 12", "is my daughter", "rang" ("Jordan Field at number 42"); a
  word no list holds opening a clause before what a person does, named again or taken up by
  "he"/"she" ("Ottoline booked ... Ottoline is"); a particle surname ("Anouk de Groot"); a
  modal or month before a name and "is/was/has" ("Will Ashdown is my carer"); more roles
  before a lower-case name ("the driver darren"); a given name alone as the last sentence,
  even a town ("... pass this on. Beverley"); more place-word surnames ("Roman Lake").

- (written on names-probe10's tuning half) in lower case, a given name and a surname, either
  also a word ("hope lamb", "ebony marsh"), opening a clause before what only a person does
  ("came round", "moved out", "dropped off", "said", "and his brother", "n his missus"), and
  every pair of a list closed by it ("ruth green n jack wood both said"); "will"/"may" there
  when a past tense follows (no modal takes one: "will green moved out"); a lower-case given
  name, even a word, opening a clause before the same ("rose said", "jack and his brother";
  never a relative, month, day or season, and "bill says" is a paper); "me n X"; a surname
  that is also a word after a given name found, where a full name ends ("rang faith brown
  yesterday", "bill marsh is 87"); a pair after "i think" or before "from the ... said"; every
  item of a list of given names before "are my kids"; found on fresh messages of our own, a
  lower-case word no list holds and no English word as the pair's first word ("fenella brook
  dropped off"), a clause opened by "so"/"and" and "n her fella", before what only a person does;
  the one told or rung ("tell will the skip is late", "told hope the", "rang dawn yesterday") and
  in title case a second given name that is a word as the surname before "rang" ("Faith Hope").

- (found on fresh messages of our own, 4 Dec) the one rung on a number ("ring jo on 07700
  ..."); a given name, even a word, before a home and what a person does or has ("dennis at flat
  2 has the leak too", after "that" too), or asked about before their group and what they would
  do ("can sky from the youth club sign the form"); the owner of a thing taken up by "he"/"she"
  ("belongs to rob, he parks it"). A list of children ends at the name after its "and" ("my
  twins, Amy and Zara, start reception" keeps "start").

A word no list holds counts as a name word only when it is no English word, no place, no
text-speak, has a vowel and two letters or more. Nothing here reads a tag or the parser: a
few regular expressions over the text, cheap beside spaCy.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

from presidio_analyzer import RecognizerResult
from spacy.lang.en.stop_words import STOP_WORDS

from chatbot.names import (
    _INSTITUTION_WORDS,
    _ORGANISATION_AFTER,
    _ORGANISATION_BEFORE,
    ASKED_OF_BEFORE,
    FIRM_WORDS,
    VERB_FOLLOWS,
    firm_or_place_context,
)
from chatbot.person_names import (
    _LANGUAGES,
    _MONTHS_DAYS,
    _OBJECT_AFTER,
    _POSSESSION,
    DETERMINER_WORDS,
    PERSONS_THINGS,
    PLACE_SURNAMES,
)
from chatbot.recognizers import STREET_TYPE_WORDS
from chatbot.recognizers_ids import STREET_FIRST
from chatbot.welsh import is_welsh_word

PERSON = "PERSON"
SCORE = 0.6
_WORD = re.compile(r"[^\W\d_]+(?:['’\-][^\W\d_]+)*")
_DETAILS = frozenset(
    {
        "STREET_ADDRESS",
        "UK_POSTCODE",
        "PHONE_NUMBER",
        "DATE_OF_BIRTH",
        "COUNCIL_REF",
        "EMAIL_ADDRESS",
    }
)
# " van der berg", " bin ismail", " de souza" after a lower-case name
_LOWER_PARTICLE_SURNAME = re.compile(
    r"[ \t]+(?:van|von|de|da|di|del|dos|du|bin|binti|bint|ap|ab|ní|ni|nic)"
    r"(?:[ \t]+(?:der|den|de|la|le|los))?[ \t]+(?P<surname>[a-zà-ÿ][\w'’\-]+)"
)
# "On Tue, 3 Mar 2026 at 09:14, Ama Osei <a@example.org> wrote:", a reply's quote header
_REPLY_HEADER = re.compile(
    r"(?m)^[ \t>]*On\b[^\n]{0,60}?,[ \t]*"
    r"(?P<name>[^\W\d_][\w'’\-]*(?:[ \t]+[^\W\d_][\w'’\-]*){0,3})"
    r"[ \t]*(?:<[^>\n]*>[ \t]*)?wrote:"
)
_TITLES = frozenset("mr mrs ms miss mx dr prof cllr rev".split())
_FIRM_WORD_SET = frozenset(FIRM_WORDS.split("|"))
# Text-speak and chat words that are in no English word list
_TEXT_SPEAK = frozenset(
    """pls plz plez ta thx thnx thanx ty asap tmrw tmw tomoz cos coz cuz bc u ur yr im ive id
    ill dont wont cant didnt doesnt isnt wasnt hasnt havent aint lol omg btw fyi aswell
    alright tho thru ok okay hiya hi xx xxx yeah yep nope nah gonna wanna gotta innit mins
    hrs wk wks yrs eve nite ref tel mob dob nr rd st ave ln flat apt tues weds thurs fri sat
    sun mon""".split()
)
# Words that are given names in some list but do a grammatical job far more often
_NEVER_NAMES = frozenset("said little young old big new baby over will may can".split())
# "my (step) dad", "her little brother", "our eldest son"
_RELATION = (
    r"son|daughter|boy|girl|lad|kid|child|baby|brother|sister|bro|sis|mum|mom|mam|mother|"
    r"dad|father|nan|nana|nanna|gran|granny|grandma|grandad|grandpa|grandson|granddaughter|"
    r"grandchild|aunt|aunty|auntie|uncle|niece|nephew|cousin|husband|wife|hubby|partner|"
    r"fiance|fiancee|fiancé|fiancée|boyfriend|girlfriend|friend|mate|neighbour|neighbor|"
    r"carer|lodger|flatmate|stepson|stepdaughter|stepdad|stepmum|twin|ex|"
    # what residents across the UK call them: "my fella", "wor lass", "oor wean", "ma maw"
    r"fella|missus|lass|lassie|laddie|pal|bairn|wean|maw|faither|mither|da"
)
_RELATION_BEFORE = re.compile(
    r"(?i:\b(?:my|our|his|her|their|your|me|ma|oor|wor)\s+(?:(?:step|half|little|big|baby|"
    r"younger|older|eldest|youngest|oldest|late|elderly|twin|foster)[\s-]*)?(?:"
    + _RELATION
    + r")\s+)$"
)
_ME_AND_BEFORE = re.compile(r"(?i:\b(?:me|myself)\s+(?:and|&|n|\+)\s+)$")
_INTRO_BEFORE = re.compile(r"(?i:\b(?:this\s+is|it['’]?s|it\s+is)\s+)$")
_INTRO_AFTER = re.compile(r"(?i:\s+(?:from|at)\s+(?:number\s+|no\.?\s*|flat\s+)?\d|\s+here\b)")
_STAFF_AFTER = re.compile(
    r"(?i:\s+(?:in|from|at|on)\s+(?:the\s+)?(?:[a-z]+\s+){0,2}?(?:team|department|dept|office|"
    r"desk|reception|switchboard)\b)"
)
_NEIGHBOUR_AFTER = re.compile(
    r"(?i:\s+(?:next\s+door|upstairs|downstairs|(?:across|over)\s+the\s+road|opposite)\s+"
    r"(?:has|had|have|is|are|was|were|keeps|kept|keep|said|says|told|parks|parked|always|never|"
    r"also|too|and|hasnt|hadnt|isnt|wasnt|doesnt|didnt|cant|wont|still)\b)"
)
# ... and in Welsh: next door, upstairs, across the road, before what the neighbour does
_WELSH_NEIGHBOUR_AFTER = re.compile(
    r"(?i:\s+(?:drws\s+nesa(?:f|i)?|lan\s+llofft|i\s+fyny\s+(?:y\s+)?grisiau|lawr\s+grisiau|"
    r"dros\s+y\s+ffordd|gyferbyn)\s+(?:wedi|yn|wastad|byth|hefyd|a|ac|sy|sydd|wnaeth|yn\s+dal)\b)"
)
_WELSH_CLAUSE_START = re.compile(r"(?:^|[.!?\n,;:]\s*|\b(?:mae|roedd|ac?|ond|achos)\s+)$", re.I)
# fond words before a neighbour's name at a clause's start: "poor old cyril next door hasnt"
_FOND_BEFORE = re.compile(
    r"(?i:(?:^|[.!?\n,;:]\s*|\b(?:and|but|so)\s+)(?:(?:poor|dear|lovely)\s+)?(?:old|little|"
    r"young|wee)\s+)$"
)
_CLAUSE_START = re.compile(r"(?:^|[.!?\n,;:]\s*|\b(?:and|but|so|then|because|cos|back)\s+)$", re.I)
_DONE_TO_ME = re.compile(
    r"(?i:\s+(?:put|told|gave|sent|rang|called|phoned|texted|emailed|promised|asked|hung\s+up"
    r"\s+on|transferred|cut)\s+(?:me|us)\b)"
)
_HEDGE_AFTER = re.compile(
    r"(?i:\s+(?:i\s+think|i\s+believe|i\s+reckon|or\s+something|something)\s*[,.)])"
)
_SPOKE_TO_BEFORE = re.compile(
    r"(?i:\b(?:spoke|spoken|speak|talked|talking|talk)\s+(?:to|with)\s+)$"
)
_COMMA_BEFORE = re.compile(r",\s*$")
_CHILDREN_BEFORE = re.compile(
    r"(?i:\b(?:kids|children|childrens|grandkids|grandchildren|sons|daughters|twins|boys|"
    r"girls|lads|kiddies|little\s+ones|the\s+three|the\s+two|household|occupants|residents|"
    r"living\s+here|family\s+members)\b)"
)
_AGE_ITEM = re.compile(
    r"(?P<name>[^\W\d_]+(?:['’\-][^\W\d_]+)*)\s*(?:,\s*)?(?:\(\s*(?:aged?\s*)?\d{1,2}\s*\)|"
    # a school year group in brackets says a child as an age does: "Maisie (Year 7)"
    r"\(\s*(?:year|yr|y)\s*\d{1,2}\s*\)|\(\s*(?:reception|nursery)\s*\)|"
    # (a bracket may close a sentence: "and Ruby (9)."; a bare number may not: "4.5", "4/6")
    r"(?:aged?\s+)?\d{1,2}(?:\s*(?:yrs?|years?(?:\s+old)?|yo|months?))?(?![\d/:.]))",
    re.I,
)
# "my kids are ruby, jack and faith", "her two boys: alfie & rocky"
_CHILDREN_LIST = re.compile(
    r"(?i:\b(?:(?:my|our|his|her|their|the)\s+(?:(?:two|three|four|five|2|3|4|5|little|older|"
    r"younger)\s+)?|(?:two|three|four|five|[2-9])\s+)(?:kids|children|sons|daughters|boys|girls|grandkids|grandchildren|"
    r"grandsons|granddaughters|twins)(?:\s+(?:are|r|is|called|named|names\s+are))?\s*[:\-,]?"
    r"\s+)"
)
_LIST_ITEM = re.compile(
    r"[^\W\d_]+(?:['’\-][^\W\d_]+)*(?=(?P<gap>\s*(?:,\s*(?:and\s+)?|&|and)\s*|\s*))"
)
# Thanks, then a last word that is a given name: "many thanks, ruby x", "thanks for your help
# ruby"; never after a determiner ("thanks for your patience")
_THANKS_CLOSE = re.compile(
    r"(?i:\b(?:thanks|thank\s+you|thankyou|thank\s+u|thx|cheers|ta|regards|many\s+thanks)\b"
    r"[^.!?\n]{0,40}?)(?P<prev>[^\W\d_]+)?[\s,]+(?P<name>[^\W\d_]+(?:['’\-][^\W\d_]+)*)"
    r"[\s.!]*(?:x+[\s.!]*)?$"
)
_LAST_LINE = re.compile(r"\n[ \t]*(?P<name>[^\W\d_]+(?:['’\-][^\W\d_]+)*)[ \t]*(?:x+)?[ \t.!]*$")
_LAST_SENTENCE_NAME = re.compile(
    r"[.!?][ \t]+(?P<name>[A-Z][a-z]+(?:['’\-][A-Z][a-z]+)?)[ \t]*(?:x+)?[ \t.!]*$"
)
_NOT_AFTER_THANKS = frozenset(
    """your the my a an this that his her our their all in for so very again advance mate love
    hun babe guys everyone everybody lot much you both with to from at by on of about""".split()
)
_ITEM_GAP = re.compile(r"^\s*(?:,|&|and|,\s*and|\band)?\s*$", re.I)

# --- shapes of a message around a name (session names3), whatever the name and its case ---
# people a resident names by their role: relatives, and those who work with or for them
_ROLE = (
    _RELATION + r"|support\s+worker|key\s*worker|social\s+worker|care\s+worker|case\s*worker|"
    r"housing\s+officer|officer|landlord|landlady|owner|caretaker|tenant|warden|manager|"
    r"inspector|councillor|advocate|solicitor|gp|doctor|nurse|health\s+visitor|midwife|"
    r"teacher|headteacher|childminder|cleaner|builder|plumber|electrician|surveyor|"
    r"contractor|interpreter|translator|bailiff"
)
# "kwame my support worker said", "ewa, our landlady, ...": a name, then who the person is
_ROLE_AFTER = re.compile(
    r"(?i:\s*,?\s+(?:my|our|his|her|their|the)\s+(?:(?:new|old|current|last|previous|usual)"
    r"\s+)?(?:" + _ROLE + r")\b(?!\s*(?:'s|’s|s\b)))"
)
# "the landlord mensah never", "our caretaker o'brien": a role, then a surname on its own
_ROLE_BEFORE = re.compile(
    r"(?i:\b(?:the|our|my|their|his|her)\s+(?:(?:new|old|current|last|previous|usual)\s+)?"
    r"(?:landlord|landlady|owner|caretaker|tenant|lodger|neighbour|warden|manager|inspector|"
    r"councillor|officer|worker|advocate|solicitor|doctor|nurse|teacher|builder|plumber|"
    r"electrician|surveyor|contractor|bailiff|driver|postman|postwoman|receptionist|senco|"
    r"childminder|cleaner|interpreter|translator|caseworker)\s+)$"
)
# the message opens with who writes: "ayo here,", "ayo speaking", "ayo again -",
# "ayo, flat 4c.", "ayo, tenant at ..."
_OPENING = re.compile(
    r"(?i:\A\s*(?:(?:hi|hello|hiya|hey|morning|good\s+morning|good\s+afternoon|evening)"
    r"\b[\s,!.\-]*)?)"
)
_SELF_AFTER = re.compile(
    r"(?i:\s*,?\s*(?:here|speaking|again|writing|typing)\b|\s*,\s*(?:flat|number|no\.?|apt|"
    r"apartment|house)\s*\d|\s*,\s*(?:the\s+)?(?:tenant|resident|leaseholder|homeowner)\b)"
)
# "amber who is 7", "ayo, aged 4": an age said of the word
_AGE_SAID = re.compile(
    r"(?i:\s*,?\s*(?:who\s+is|who['’]?s|whos|aged?)\s+\d{1,2}\b(?![\d:.%]|\s*(?:am|pm|p|"
    r"pounds|quid|days?|weeks?|wks?|minutes?|mins?|hours?|hrs?)\b))"
)
# "for jack please, hes my grandson", "ayo who is my son"
_RELATION_SAID = re.compile(
    r"(?i:\s*(?:please\s*)?[,.]?\s*(?:(?:he|she)\s*['’]?\s*s|(?:he|she)\s+is|who\s+is|"
    r"who['’]?s|whos)\s+(?:my|our|her|his|their)\s+(?:(?:step|half|little|big|younger|older|"
    r"eldest|youngest|great)[\s-]*)?(?:" + _ROLE + r")\b)"
)
# "a msg from siobhan", "an email from ayo saying"
_MESSAGE_FROM = re.compile(
    r"(?i:\b(?:msg|message|text|txt|email|e-mail|letter|call|note|voicemail|reply|visit|"
    r"phone\s+call)\s+from\s+$)"
)
_FROM_BEFORE = re.compile(r"(?i:\bfrom\s+$)")
_SAYING_AFTER = re.compile(r"(?i:\s+(?:saying|said|says|asking|telling)\b)")
# "his name was 'bogdan'", "called "ayo"": a name in quotes after a naming word
_QUOTE_NAMED = re.compile(
    r"(?i:\b(?:name\s+(?:is|was)|name['’]s|names|called|named|signed(?:\s+it)?)\s*:?\s*"
    r"[\"'‘“]\s*$)"
)
# "signed a. oyelaran", "signed by p mensah"
_SIGNED_BEFORE = re.compile(r"(?i:\bsigned\s+(?:by\s+)?(?:[a-z]\.?\s+)?$)")
# "ayo and i have", "ayo & me went"
_AND_ME_AFTER = re.compile(r"(?i:\s+(?:and|&|n|\+)\s+(?:i|me|myself)\b(?!['’]))")
# "pat came round from the council": what only a person does
_VISIT_AFTER = re.compile(
    r"(?i:\s+(?:came\s+(?:round|over|out)|popped\s+(?:round|in|over|by)|knocked\s+on|"
    r"promised\s+(?:me|us|to)|visited\s+(?:me|us))\b)"
)
# what follows a clause's two-word subject: a verb or a preposition, not a noun
_SUBJECT_AFTER = re.compile(
    r"(?i:\s+(?:from|at|in|and|is|was|has|had|who|said|says|told|rang|keeps|kept|put|puts|"
    r"owns|lives|lived|wants|needs|came|comes|will|can|does|did|never|always|still|just|"
    r"doesnt|didnt|wont|cant|isnt|wasnt|hasnt|runs|ran|left|leaves|parks|parked|dumped|"
    r"dumps|moved|works|worked)\b)"
)
# a family name in capitals right before a name ("HUANG Jun", "BRIGGS, Stephen"), and a
# given name right after one ("POPESCU Maria")
_CAPS_SURNAME_BEFORE = re.compile(r"(?<![\w'’\-])(?P<caps>[A-Z][A-Z'’\-]*[A-Z]),?[ \t]+\Z")
_OWNER_BEFORE = re.compile(r"(?i:\b(?:the|a|an|my|our|your|his|her|their)\s+\Z)")
_GIVEN_AFTER_CAPS = re.compile(r",?[ \t]+(?P<given>[A-Z][a-z]+(?:['’\-][A-Z]?[a-z]+)*)\b")
# a surname with its particle after a capitalised name: "Anouk de Groot", "Jan van der Berg"
_PARTICLE_SURNAME = re.compile(
    r" (?:van der|van den|van de|de la|de los|van|von|de|der|di|da|du|dos|das|del|della|le|la"
    r"|ter|ten|bin|binti|al|el|ap)[ \-](?:[A-Z][^\W\d_]+(?:['’\-][^\W\d_]+)*)"
)
# a statement, not a question, after a name: "X is my carer", "X was late", "X has moved"
_STATED_AFTER = re.compile(r"(?i:\s+(?:is|was|has|had|lives|lived|works|worked)\b)")
_STREET_WORDS_FIRST = frozenset(STREET_FIRST.split("|"))
_PARTICLES = frozenset("ap ab ni nic mac mc van von de di da del bin binti al el o".split())
_CLAUSE_OPEN = re.compile(r"(?:\A\s*|[.!?\n;:]\s*|,\s*(?:and|but|so)?\s*)$", re.I)
_ARTICLE_BEFORE = re.compile(r"(?i:\b(?:the|a|an|this|that|some|any)\s+$)")
_FIRM_AFTER = re.compile(
    rf"(?i:\s+(?:{FIRM_WORDS}|"
    r"ltd|limited|plc|llp|group|council|team|department|dept|"
    r"office|road|street|lane|avenue|close|way|drive|park|estate|centre|hospital|school)\b)"
)
# "Chester Reading is my landlord", "Stanley was my late husband": who the person is, said of
# a run of words that may each be a place or a word as well
_IS_MY_ROLE = re.compile(
    r"(?i:\s+(?:is|was|'s|’s)\s+(?:my|our|his|her|their)\s+(?:(?:late|ex|former|step|half|"
    r"little|big|younger|older|eldest|youngest|great)[\s-]*)?(?P<role>" + _ROLE + r")\b"
    r"(?!['’]s|\s+(?:is|was)\b))"
)
# "Attn: Kerry Blackwood", "FAO Jo Bloggs": a line to a person
_ATTENTION_BEFORE = re.compile(
    r"(?i:\b(?:attn|att|fao|f\.a\.o\.?|for\s+the\s+attention\s+of)\s*[:.\-]?\s*$)"
)
# "Ellie Wood, 12 Hazel Close": a name, then the address it lives at
_ADDRESS_AFTER = re.compile(
    r"\s*,\s*(?:(?i:flat|apartment|apt|unit)\s*)?\d{1,4}[A-Za-z]?,?\s+[^\W\d_]"
)
_HOUSE_NAME_WORDS = frozenset(
    "cottage cottages house farm lodge villa barn mill manor hall grange court view".split()
)
# a question about a person opens with an auxiliary: "Has Blessing been approved", "Is Hope
# still on the list", "Did Will get the letter"
_AUX_OPEN = re.compile(
    r"(?:\A\s*|[.!?\n]\s*)(?:(?:why|when|how|where|so)\s+)?"
    r"(?:has|is|does|did|can|could|will|would|should|was|have)\s+$",
    re.I,
)
_QUESTION_VERB_AFTER = re.compile(
    r"(?i:\s+(?:been|got|had|received|heard|applied|started|moved|get|have|need|be|still|"
    r"already|now|ever|eligible|entitled|allowed|able)\b)"
)
_ASK_TO_BEFORE = re.compile(r"(?i:\b(?:ask|asked|tell|told|get|remind|reminded)\s+$)")
_TO_ACT_AFTER = re.compile(
    r"(?i:\s+to\s+(?:call|ring|phone|text|email|contact|come|get|pick|collect|sign|send|bring|fill|check|speak|reply|let)\b)"
)
_GENDERED = re.compile(r"(?i:\b(?:he|she|him|his|her|hers)\b)")
_ROLE_APPOSED = re.compile(
    r"(?i:\s*,\s+(?:the|my|our|his|her|their)\s+(?:(?:new|old|current|last|previous|usual)"
    r"\s+)?(?:"
    + _ROLE
    + r")\s*[,.;!?)]|\s*,\s+(?:the|my|our|his|her|their)\s+(?:"
    + _ROLE
    + r")\s*$)"
)
_RELATION_WORD = re.compile(r"(?:" + _ROLE + r")")
_LIST_AFTER_NAME = re.compile(
    r"(?i:\s*(?:,\s*(?:and\s+)?|\s(?:and|&)\s+)(?:(?:wee|little|baby|young|big)\s+)?)"
)

# Where a place stands, not a person: "on Rhiannon Lane", "the Jamal Green", "12 Alan Hill"
_PLACE_BEFORE = re.compile(
    r"(?i:(?:\b(?:the|a|an|on|in|at|near|off|along|up|down|into|onto|via|opposite|outside|behind|"
    r"past|towards|round|around|across|through|of|top|bottom|end|corner|junction)|\d)\s*,?\s*)$"
)
_LABEL_WORD = re.compile(r"(?i:tenant|name|landlord|owner|resident|applicant|claimant|contact)")

# "from number 12", "at no. 4", "in flat 3"
_FROM_NUMBER_AFTER = re.compile(r"(?i:\s+(?:from|at|in)\s+(?:number|no\.?|flat)\s*\d)")
# what a person does, opening a clause: "Ottoline booked a collection", "Delphine asked me"
_PERSON_DOES_AFTER = re.compile(
    r"(?i:\s+(?:booked|asked|told|said|moved|lives|lived|works|worked|"
    r"paid|fell|visited|came|went|brought|took|helped|borrowed|reported|applied|"
    r"cleared|signed|agreed|refused|complained)\b)"
)
# what only a person does right after a clause's subject, in residents' words: "came round",
# "moved out", "dropped off the forms", "said", "and his brother", "n his missus" (names-probe10)
_PERSON_ACTS_AFTER = re.compile(
    r"(?i:\s+(?:(?:both|also|then)\s+)?(?:said|says|told|rang|phoned|owns|"
    r"(?:came|come|comes|popped|called)\s+(?:round|over|by)|"
    r"(?:moved|moves|moving)\s+(?:out|in|away)|(?:dropped|drops)\s+(?:off|round|in|by|the)|"
    r"(?:and|n|&)\s+(?:his|her|their)\s+(?:" + _RELATION + r"|missus|mrs|misses|fella|"
    r"bloke|kids|lads|brothers|sisters|family)s?)\b)"
)
# what may follow a full name, never a noun: "rang faith brown yesterday", "grace reed went"
_FULL_NAME_ENDS = re.compile(
    r"(?i:\s*(?:\Z|[.,!?;:)\n])|\s+(?:is|was|has|had|went|came|said|says|rang|told|moved|"
    r"dropped|lives|lived|yesterday|today|this\s+morning|last\s+(?:week|night)|and|n|&|she|he|"
    r"who|from|at|about|never|still|keeps|kept|owns)\b)"
)
# "summer came round again": a season, not a person; "bill says i owe": a paper that says
_SEASONS = frozenset("spring summer autumn winter".split())
_PAPERS = frozenset({"bill"})
_SAYS_AFTER = re.compile(r"(?i:\s+(?:both\s+|also\s+|then\s+)?(?:said|says|told)\b)")
# a list of people before who they are to the writer: "jack ivy and grace are my kids"
_LIST_BEFORE_FAMILY = re.compile(
    r"(?:\A|[.!?\n;:]\s*|\b(?:and|but|so)\s+)(?P<list>[^\W\d_]+(?:(?:\s*,\s*|\s+(?:and|n|&)\s+|"
    r"\s+)[^\W\d_]+){1,5})(?=\s+(?:are|r)\s+(?:my|our|his|her|their)\s+(?:kids|children|"
    r"grandkids|grandchildren|sons|daughters|boys|girls|twins|grandsons|granddaughters)\b)",
    re.I,
)
# "mark hill from the allotment society said": where the person is from, then what they do
_FROM_THEN_ACTS = re.compile(
    r"(?i:\s+from\s+(?:the\s+)?(?:[^\W\d_]+\s+){1,3}(?:said|says|told|rang|phoned|came|"
    r"called|emailed|wrote)\b)"
)
# a hedge before a clause: "i think", "i reckon", "apparently"
_HEDGE_OPEN = re.compile(r"(?i:(?:\A|[.!?\n;:,]\s*)(?:i\s+think|i\s+reckon|apparently)\s+)$")
# what one is told, right after the person: "tell hope the inspection is booked" (names-probe10)
_TOLD_WHAT_AFTER = re.compile(r"(?i:\s+(?:the|his|her|their|its|this|that)\s+[^\W\d_])")
# "i rang dawn yesterday", "text ivy about the key": the one rung, then when or what about
_RANG_BEFORE = re.compile(
    r"(?i:\b(?:rang|rung|ring|phoned|phone|texted|text|emailed|messaged|message)\s+)$"
)
# (fresh messages of our own, third session of 4 Dec) whom the writer lives or shares with,
# and whom they saw or visited, before when
_LIVE_WITH_BEFORE = re.compile(
    r"(?i:\b(?:live|lives|living|lived|stay|stays|staying|stayed|share|shares|sharing|shared|"
    r"moved\s+in)\s+with\s+)$"
)
_LIVE_WITH_AFTER = re.compile(r"(?i:\s*(?:[,;.!?]|$)|\s+(?:and|who|since|for)\b)")
_SAW_BEFORE = re.compile(r"(?i:\b(?:see|saw|seen|visit|visited|visiting|met)\s+)$")
_RANG_WHEN_AFTER = re.compile(
    r"(?i:\s+(?:yesterday|today|earlier|again|twice|last\s+(?:night|week)|"
    r"this\s+(?:morning|afternoon|evening)|about)\b|\s+on\s+(?:\+?44|0)\s?\d)"
)
# (fresh messages of our own, 4 Dec) a person's home or group after a given name, even a word,
# before what a person does or has: "dennis at flat 2 has the leak too", "can sky from the
# youth club sign the form"
_HOME_AFTER = re.compile(
    r"(?i:\s+(?:at|from|in)\s+(?:number|no\.?|flat|house)\s*\d+[a-z]?\s+(?:has|had|is|was|"
    r"keeps|kept|said|says|told|rang|parks|also|too|and|can|could|will|would)\b)"
)
_GROUP_AFTER = re.compile(
    r"(?i:\s+from\s+(?:the\s+)?(?:[a-z]+\s+){0,2}?(?:club|church|mosque|temple|chapel|"
    r"nursery|surgery|school|college|charity|group|centre|center|project|foodbank|food\s+bank)"
    r"\s+(?:sign|fill|send|bring|come|help|do|write|collect|pick|ring|call|speak|vouch)\b)"
)
_ASKING_START = re.compile(r"(?i:(?:^|[.!?\n]\s*)(?:can|could|will|would|should|may)\s+)$")
_THAT_START = re.compile(r"(?i:\b(?:that|cos|because)\s+)$")
# the owner of a thing, taken up by "he"/"she": "the van belongs to rob, he parks it"
_OWNER_BEFORE = re.compile(
    r"(?i:\b(?:belongs|belonged|belonging)\s+to\s+|\b(?:owned|driven|rented|parked|left)\s+"
    r"by\s+)$"
)
_TAKEN_UP_AFTER = re.compile(r"(?i:\s*[,;.-]?\s*(?:he|she|who)\b)")
# the next pair of a list of people: "ruth green n jack wood both said"
_PAIR_AFTER = re.compile(r"(?i:\s+(?:and|n|&)\s+([^\W\d_]+)\s+([^\W\d_]+))")
# a modal takes no past tense: "will green moved out" is a person
_PAST_ACTS_AFTER = re.compile(r"(?i:\s+(?:said|told|rang|phoned|came|popped|moved|dropped|owns)\b)")
# "Shirley rang about", "Grace phoned yesterday"
_RANG_AFTER = re.compile(r"(?i:\s+(?:rang|phoned|called|emailed|texted|messaged|rung)\b)")
# Verbs of giving, whose first object is a person: "gave lucy the keys", "sent kwame my form",
# "I gave Rose the spare key" (names-probe33 reads it for capitalised word-names too)
_GIVING_BEFORE = re.compile(
    r"(?i:\b(?:gave|give|gives|giving|showed|show|sent|send|lent|lend|lends|handed|hand|owe|"
    r"owes|owed|offered|offer|promised|passed|pass|paid|bought|buy|brought|bring|got|get)\s+)$"
)
_DETERMINER_AFTER = re.compile(
    r"(?i:\s+(?:the|my|our|his|her|a|an|some|all|back|this|that|those|these)\b)"
)
# "call Yusra back", "ring Tom back"
_CALL_BACK_BEFORE = re.compile(r"(?i:\b(?:call|ring|phone|text|bell)\s+)$")
# "copy in Adebayo", "cc Siobhan", "loop in Tom"
_COPY_IN_BEFORE = re.compile(r"(?i:\b(?:copy|copied|cc|cc['’]?d|loop|looped)\s+(?:in\s+)?)$")
# "tell Will that ...", "ask Grace about ...", "remind Hope if ..."
_TELL_BEFORE = re.compile(r"(?i:\b(?:tell|told|ask|asked|remind|reminded|let|inform|warn)\s+)$")
_TELL_WHAT_AFTER = re.compile(r"(?i:\s+(?:that|about|if|whether|when|what|know)\b)")

# (names-probe24, fresh messages of our own, 4 Dec) slots only a person fills, read even for a
# given name that is also a word ("olive", "pat", "cliff"):
# an age said of a clause's subject: "olive is 8 and needs a school place", "jack turned 4"
_AGE_STATED_AFTER = re.compile(
    r"(?i:\s+(?:is|was|turned|turns|(?:has\s+)?just\s+turned)\s+\d{1,2}(?:\s*(?:,|and|years?|"
    r"yrs?|y/?o|now|next|this|in|on|at|so|but|[.!?])|\s*$))"
)
# "pat who lives above us", "cliff, who parks there": what "who" says of a person
_WHO_DOES_AFTER = re.compile(
    r"(?i:\s*,?\s*who\s+(?:lives|lived|live|works|worked|moved|rents|rented|owns|owned|looks|"
    r"looked|cares|cared|visits|visited|came|comes|helps|helped|used|stays|stayed|runs|ran|"
    r"drives|parks|parked|lodges|rang|phoned|said|told|keeps|kept)\b)"
)
# a possessive before what a person has: "reed's van is parked", "into dusty's garden"
# (what only a person has, and the things a given name's owner has that a firm may have too)
_PERSONS_THING_AFTER = re.compile(
    r"(?i:\s+(?:(?:new|old|big|little|white|black|red|blue|silver)\s+)?(?:van|car|cars|house|"
    r"flat|bins?|drive|driveway|bike|builders|extension|shed|tenants?|landlord|family|workmen|"
    rf"trailer|skip|rubbish|name|{PERSONS_THINGS})\b)"
)
_DETERMINER_BEFORE = re.compile(
    rf"(?i:\b(?:{'|'.join((*DETERMINER_WORDS, 'last', 'next', 'every', 'each'))})\s+$)"
)
# a child of the family and what a child does: "our joy starts nursery in january"
_FAMILY_BEFORE = re.compile(r"(?i:\b(?:my|our|me|ma|oor|wor)\s+$)")
_CHILD_STEP_AFTER = re.compile(
    r"(?i:\s+(?:starts|started|starting|turns|turned|goes|went|is\s+starting|has\s+started)\s+"
    r"(?:school|nursery|college|reception|primary|secondary|big\s+school|year\s+\d|\d{1,2}\b))"
)
# what someone does for the writer: "can penny pick up my blue badge"
_ON_MY_BEHALF_AFTER = re.compile(
    r"(?i:\s+(?:pick\s+up|collect|sign|bring|drop\s+off|fill\s+in|hand\s+in|come\s+with|"
    r"speak\s+for|apply\s+for|deal\s+with|sort)\s+(?:my|me\b|it\s+for\s+me|this\s+for\s+me|"
    r"the\s+\w+\s+for\s+me|on\s+my\s+behalf))"
)
# when or how one spoke to someone: "spoke to lance on the phone on tuesday"
_SPOKE_WHEN_AFTER = re.compile(
    r"(?i:\s+(?:on\s+the\s+(?:phone|line)|over\s+the\s+phone|on\s+(?:mon|tues|wednes|thurs|"
    r"fri|satur|sun)day|yesterday|today|earlier|last\s+(?:night|week)|this\s+(?:morning|"
    r"afternoon|evening))\b)"
)
# a writer coming back: "sorry it's amber again about the pothole"
_AGAIN_ABOUT_AFTER = re.compile(r"(?i:\s+again\s*,?\s*(?:about|re|regarding|chasing|with)\b)")
# (names-probe26) whom a thing is with, for or from, said by what follows the word:
# "with dusty and his mum", "the keys are with brook at number 4"
_BESIDE_BEFORE = re.compile(r"(?i:\b(?:with|for|to|from|by|and|visiting|visited|visit)\s+)$")
_AND_THEIR_RELATION_AFTER = re.compile(
    r"(?i:\s+(?:and|n|&)\s+(?:his|her|their)\s+(?:" + _RELATION + r"|missus|fella|kids|family)s?\b)"
)
# (names-probe33) a capitalised word-name given something (`_GIVING_BEFORE`, then a thing:
# "we lent Ivy the ladder") or the subject of reported speech doing what a person does ("the
# health visitor says Blossom needs a referral"): a body or a thing is given to, not given
_GIVEN_THING_AFTER = re.compile(r"(?:\s+(?:the|a|an|some|our|my|his|her|their)\s+[a-z])")
_REPORTED_BEFORE = re.compile(
    r"(?i:\b(?:says|said|say|thinks|thought|reckons|reckoned|believes|mentioned|"
    r"told\s+(?:me|us))\s+(?:that\s+)?)$"
)
_REPORTED_DOES_AFTER = re.compile(
    r"(?i:\s+(?:needs|needed|wants|wanted|missed|has\s+missed|should|must|attends|lives|"
    r"lived|moved|owes|keeps|kept|can['’]?t|cannot|won['’]?t|isn['’]?t|hasn['’]?t|"
    r"doesn['’]?t|didn['’]?t|is\s+off|was\s+off)\b)"
)
# what only a person does, after "and" or at a clause's start: "and willow pays the council tax"
_PERSON_ONLY_VERB_AFTER = re.compile(
    r"(?i:\s+(?:pays|paid|drives|drove|texted|emailed|messaged|signed|agreed|refused|promised|"
    r"reckons|reckoned|thinks|thought|knows|knew|complained|apologised)\b)"
)
# "signed by sandy not me", "visiting ruby when the car got clamped"
_SIGNED_BY_BEFORE = re.compile(r"(?i:\bsigned\s+by\s+)$")
_ENDS_A_NAME = r"not|and|on|yesterday|today|when|while"
_NAME_ENDS_AFTER = re.compile(rf"(?i:\s*(?:[,.;!?]|$)|\s+(?:{_ENDS_A_NAME})\b)")
# a capitalised subject, what a person does, and "his"/"her" soon after: "Sam keeps leaving
# his van on the pavement", "Jack leaves his bins out" (names-probe27)
_DOES_WITH_PRONOUN_AFTER = re.compile(
    r"(?i:\s+(?:keeps|kept|leaves|left|parks|parked|puts|lets|dumps|dumped|blocks|blocked|"
    r"takes|took|brings|brought|shouts|shouted|plays|played|is|was|has|had|never|always|still|"
    r"just|won'?t|wont|doesn'?t|doesnt|didn'?t|didnt|can'?t|cant|walks|walked|lives|lived|"
    r"works|worked|uses|used|burns|burnt|burned|feeds|wants|needs|drives|drove|rides|rode|"
    r"runs|ran|smokes|sells|sold|cuts|mows|revs|throws|threw)\b"
    r"(?:\s+[^\W\d_]+(?:['’][^\W\d_]+)?){0,3}\s+(?:his|her|he|she|him)\b)"
)
# (names-probe29) whom a thing is for or sent to: "a parcel for ruby was left", "send the
# letter to misty instead", "we gave the spare key to brook last week"
_THING_FOR_BEFORE = re.compile(
    r"(?i:\b(?:parcels?|letters?|cards?|post|mail|delivery|deliveries|packages?|forms?|money|"
    r"payments?|presents?|messages?|emails?|keys?|refunds?|cheques?)\s+(?:for|to)\s+)$"
)
_SENT_TO_BEFORE = re.compile(
    r"(?i:\b(?:send|sent|post|posted|give|gave|given|pass|passed|forward|forwarded|hand|"
    r"handed|deliver|delivered|paid|pay|email|emailed|addressed|lend|lent|return|returned)\b"
    r"[^.!?\n]{0,30}?\bto\s+)$"
)
_RECIPIENT_ENDS_AFTER = re.compile(
    rf"(?i:\s*(?:[,.;!?]|$)|\s+(?:{_ENDS_A_NAME}|at|by|instead|last|this|in|was|went|came|"
    r"has|had|is|got)\b)"
)
# (names-probe30) a name the writer speaks to, opening the message: "poppy, are you still
# dealing with our repair"
_SPOKEN_TO_AFTER = re.compile(
    r"(?i:\s*,\s*(?:can|could|would|will|are|did|have|do|is|please)\s+(?:you|u)\b)"
)
# (names-probe31) who mail goes through, whom the writer acts for, who holds an account:
# "c/o dawn", "on behalf of sandy who ...", "the account holder is misty and ..."
_CARE_OF_BEFORE = re.compile(r"(?i:(?:\bc/o|\bcare\s+of)\s+)$")
_ON_BEHALF_BEFORE = re.compile(r"(?i:\bon\s+behalf\s+of\s+)$")
_HOLDER_IS_BEFORE = re.compile(
    r"(?i:\b(?:holder|tenant|owner|claimant|applicant|landlord|landlady|occupier|payer|"
    r"leaseholder|bill\s+payer)\s+(?:is|was)\s+)$"
)
# nouns for a person that the name lists also hold: "guy who lives next door" is no name
_PEOPLE_NOUNS = frozenset("guy chap gent lady man woman girl boy child person".split())


def _fold(word: str) -> str:
    return re.sub(r"['’]s$", "", word.casefold())


class ContextNames:
    """PERSON spans from the shape around already-found details (see the module notes)."""

    def __init__(self, lexicon: Any, name_filter: Any = None) -> None:
        self._lex = lexicon
        # services, public bodies, firms and streets are never a person (the other name
        # recognisers take the same protected spans from the same filter)
        self._filter = name_filter

    # --- words ---------------------------------------------------------------------------
    def _blocked(self, word: str) -> bool:
        return self._blocked_but_place(word) or self._lex.is_place(_fold(word))

    def _given_even_a_word(self, word: str, place_ok: bool = False) -> bool:
        """A given name, even one that is also a word ("dawn", "rose"), but no month, day or
        relative ("nan"), and no place unless `place_ok` (where no place can stand)."""
        f = _fold(word)
        blocked = self._blocked_but_place if place_ok else self._blocked
        return (
            self._lex.is_given(f, allow_common=True)
            and not blocked(word)
            and f not in _MONTHS_DAYS
            and not _RELATION_WORD.fullmatch(f)
        )

    def _blocked_but_place(self, word: str) -> bool:
        """Never a name word whatever its place: text-speak, titles, stop words, institution
        and street words (`_blocked` adds places)."""
        w = _fold(word)
        return (
            len(w) < 2
            or w in _TEXT_SPEAK
            or w in _TITLES
            or w in STOP_WORDS
            or w in _NEVER_NAMES
            or w in _INSTITUTION_WORDS
            or w in STREET_TYPE_WORDS
            or _RELATION_WORD.fullmatch(w) is not None  # "my fella declan": who, not a name
        )

    def name_word(self, word: str) -> bool:
        """A word that is a name on its own: a given name or surname that is no English word,
        or a word no list holds that is no English word either."""
        if self._blocked(word):
            return False
        w = _fold(word)
        if self._lex.is_english(w) or (
            self._lex.is_english_form(w) and not self._lex.is_surname(w)
        ):  # "lodgers", "minder": a plain form of an English word
            return False
        return bool(re.search(r"[aeiouyàáâäãåèéêëìíîïòóôöõùúûü]", w))

    def _surname_next(self, word: str) -> bool:
        """The word after a name continues it: a name word, or a surname from the list that
        is no English word; never an English word's -s form in lower case ("Dan parks his
        lorry": the verb, not "Parks")."""
        f = _fold(word)
        if word.islower() and self._lex.is_english_s_form(f):
            return False
        return self.name_word(word) or (self._lex.is_surname(f) and not self._lex.is_english(f))

    def _surname(self, word: str) -> bool:
        """A surname from the list, even one that is also a word ("smith", "baker")."""
        return self._lex.is_surname(_fold(word)) and not self._blocked(word)

    def given_in_slot(self, word: str) -> bool:
        """In a slot only a person fills: a name word, or a given name that is also a word."""
        return self.name_word(word) or (
            not self._blocked(word) and self._lex.is_given(_fold(word), allow_common=True)
        )

    # --- rules ---------------------------------------------------------------------------
    def find(self, text: str, found: Sequence[RecognizerResult]) -> list[RecognizerResult]:
        words = list(_WORD.finditer(text))
        if not words:
            return []
        taken = [(r.start, r.end) for r in found]

        def free(s: int, e: int) -> bool:
            return not any(s < b and a < e for a, b in taken)

        spans: list[tuple[int, int]] = []
        spans += self._after_details(text, found, free)
        spans += self._age_lists(text, found)
        spans += self._slots(text, words)
        spans += self._children_lists(text)
        spans += self._closing(text)
        persons = [(r.start, r.end) for r in found if r.entity_type == PERSON]
        shaped = self._shapes(text, words) + self._capitalised_shapes(text, words)
        shaped += self._joined(text, words, [*persons, *spans, *shaped])
        shaped += self._surname_extension(text, [*persons, *spans, *shaped])
        shaped += self._given_before(text, [*persons, *spans, *shaped])
        shaped += self._lower_before_and_after(text, [*persons, *spans, *shaped])
        shaped += self._reply_header(text)
        shaped += self._surname_first(text, [*persons, *spans, *shaped])
        shaped += self._given_place_surname(text, words)
        shaped += self._lower_relative(text, words)
        others = [(r.start, r.end) for r in found if r.entity_type != PERSON]
        protected = self._filter.protected_spans(text) if self._filter and (spans or shaped) else []
        out, seen = [], set()
        tagged = [(s, e, False) for s, e in spans] + [(s, e, True) for s, e in shaped]
        for s, e, by_shape in tagged:
            if re.search(r"['’]s$", text[s:e]):
                e -= 2
            if (s, e) in seen or self._verb(text, s, e):
                continue
            if by_shape and (
                firm_or_place_context(text, s, e)
                or _ORGANISATION_AFTER.match(text[e:])
                or _ORGANISATION_BEFORE.search(text[:s])
            ):
                continue  # "the Sainsbury's car park", "I work at John Lewis"
            # a shape may widen a name already found ("xu" before "jiaming"): the spans merge
            if not free(s, e) and not (by_shape and not any(s < b and a < e for a, b in others)):
                continue
            if any(a < e and s < b for a, b in protected):
                continue
            seen.add((s, e))
            out.append(RecognizerResult(PERSON, s, e, SCORE))
        return out

    def _verb(self, text: str, start: int, end: int) -> bool:
        """One lower-case English word no one uses as a name ("run", unlike "jack" or "hope")
        with a determiner or an object pronoun after it is a verb: "his wife run the shop"."""
        value = text[start:end]
        return (
            value.islower()
            and _WORD.fullmatch(value) is not None
            and self._lex.is_english(_fold(value))
            and not self._lex.is_everyday(_fold(value))
            and _OBJECT_AFTER.match(text[end:]) is not None
        )

    def _distinct(self, word: str) -> bool:
        """A name word or a given name that is no everyday word: a name wherever it stands."""
        if self.name_word(word):
            return True
        w = _fold(word)
        return self._lex.is_given(w) and not self._lex.is_english(w) and not self._blocked(word)

    def _surname_after(self, text: str, words: list[re.Match[str]], i: int) -> int:
        """The end of word i, or of the surname (a particle skipped) right after it."""
        end = words[i].end()
        if re.search(r"['’]s$", words[i].group()):
            return end
        j = i + 1
        if (
            j < len(words)
            and text[end : words[j].start()] == " "
            and _fold(words[j].group()) in _PARTICLES
        ):
            j += 1
        if j < len(words) and text[words[j - 1].end() : words[j].start()] == " ":
            nxt = words[j].group()
            if self._surname_next(nxt):
                if not _FIRM_AFTER.match(text[words[j].end() :]):
                    return words[j].end()
        return end

    def _shapes(self, text: str, words: list[re.Match[str]]) -> list[tuple[int, int]]:
        """Slots a name fills by the shape of the message: who opens it, a role beside a name,
        an age or a relation said of a word, a message from a person, a name in quotes after
        a naming word, a signature, a clause's two-word subject, a visit only a person pays."""
        spans: list[tuple[int, int]] = []
        opening = _OPENING.match(text)
        for i, m in enumerate(words):
            word = m.group()
            if self._blocked(word):
                continue
            before = text[max(0, m.start() - 60) : m.start()]
            after = text[m.end() : m.end() + 80]
            if _ARTICLE_BEFORE.search(before):
                continue  # "the jack", "a rose": things
            clause = _CLAUSE_OPEN.search(before) is not None
            first = opening is not None and m.start() == opening.end()
            end = None
            # the writer names themself first: "tadhg speaking,", "hamid, flat 4c."
            if first:
                e = self._surname_after(text, words, i)
                if (
                    _SELF_AFTER.match(text[e : e + 40])
                    and (
                        self._distinct(word)
                        # "rose here", but "autumn's here" says a season has come
                        or (
                            re.match(r"\s+(?:here|speaking)\b", text[e:])
                            and not re.search(r"['’]s$", word)
                        )
                    )
                ):
                    end = e if self.given_in_slot(word) else None
            # "kwabena my support worker said": a name, then who the person is to the writer
            if end is None and (
                clause or re.search(r"(?i:\b(?:to|with|and|ask|tell|told)\s+)$", before)
            ):
                e = self._surname_after(text, words, i)
                if _ROLE_AFTER.match(text[e : e + 60]) and self._distinct(word):
                    end = e
            # "the landlord adeyinka never": a role, then a surname alone
            if end is None and _ROLE_BEFORE.search(before):
                if self.name_word(word) or (
                    self._lex.is_surname(_fold(word)) and not self._lex.is_english(_fold(word))
                ):
                    end = self._surname_after(text, words, i)
            # "amber who is 7", "for jack please, hes my grandson"
            if end is None and (_AGE_SAID.match(after) or _RELATION_SAID.match(after)):
                if self.given_in_slot(word):
                    end = m.end()
            # "a msg from siobhan", "from ayo saying"
            if end is None and (
                _MESSAGE_FROM.search(before)
                or (_FROM_BEFORE.search(before) and _SAYING_AFTER.match(after))
            ):
                # a given name only: letters come from firms too ("from capita saying")
                w = _fold(word)
                if (
                    self._lex.is_given(w)
                    and not self._lex.is_english(w)
                    and not self._blocked(word)
                ):
                    end = self._surname_after(text, words, i)
            # "his name was 'bogdan'"
            quoted = _QUOTE_NAMED.search(before)
            if end is None and quoted:
                # only "name is" takes any word; things are called and signed too ("an app
                # called 'fixmystreet'", "signed it 'love, ...'"): a given name there
                named = "name" in quoted.group().lower()
                w = _fold(word)
                distinct_given = self._lex.is_given(w) and not self._lex.is_english(w)
                if (named and self.given_in_slot(word)) or (
                    distinct_given and not self._blocked(word)
                ):
                    end = self._surname_after(text, words, i)
            # "signed a. oyelaran"
            if end is None and _SIGNED_BEFORE.search(before):
                if self.name_word(word) or self._lex.is_surname(_fold(word)):
                    end = self._surname_after(text, words, i)
            # "please ask mo to call me back", "tell jo to ring": asked to act, a person
            if (
                end is None
                and _ASK_TO_BEFORE.search(before)
                and _TO_ACT_AFTER.match(after)
                and self.given_in_slot(word)
            ):
                end = m.end()
            # "hope and i have", "pat came round from the council"
            if end is None and clause and (_AND_ME_AFTER.match(after) or _VISIT_AFTER.match(after)):
                if self.given_in_slot(word) and _fold(word) not in _SEASONS:
                    end = m.end()  # (a season comes round too: "Autumn came round fast")
            # "shahana akter from 3c said", "xu jiaming and his wife": two name words open a clause
            if end is None and clause and i + 1 < len(words):
                e = self._surname_after(text, words, i)
                first_ok = self._distinct(word) or (
                    self._lex.is_surname(_fold(word)) and not self._lex.is_english(_fold(word))
                )
                if (
                    e > m.end()
                    and first_ok
                    and _fold(word) not in _STREET_WORDS_FIRST
                    and _SUBJECT_AFTER.match(text[e : e + 30])
                    and not self._lex.is_place(text[m.start() : e])
                ):
                    end = e
            if end is None:
                continue
            nxt = _WORD.match(text, end + 1) if text[end : end + 1] == " " else None
            if _FIRM_AFTER.match(text[end : end + 30]) or (
                nxt is not None
                and (
                    _fold(nxt.group()) in _INSTITUTION_WORDS
                    or _fold(nxt.group()) in STREET_TYPE_WORDS
                )
            ):
                continue  # "hallam enforcement", "customer services", "my landlord X homes"
            spans.append((m.start(), end))
        return spans

    def _given_place_surname(self, text: str, words: list[re.Match[str]]) -> list[tuple[int, int]]:
        """A given name the lists hold (no English word, no place) and a surname that is also a
        place or everyday word ("Jamal Green", "Rhiannon Lane", "BARBARA GREEN", "Priti Field",
        "SHEILA RICH"): a person,
        unless the pair stands where a place stands (after an article, a place preposition or
        a house number), runs on into a longer capitalised name or a street or institution
        word ("Jamal Green Road"), or is a place itself ("Wood Green"). "Street" and "Park"
        name too many streets and parks after people ("George Street", "Victoria Park")."""
        spans: list[tuple[int, int]] = []
        for i in range(len(words) - 1):
            first, second = words[i], words[i + 1]
            a, b = first.group(), second.group()
            if text[first.end() : second.start()] != " ":
                continue
            title = a[:1].isupper() and b[:1].isupper() and a[1:].islower() and b[1:].islower()
            same_case = title or (a.isupper() and b.isupper() and len(a) > 1)
            if not same_case or _fold(b) not in PLACE_SURNAMES:
                continue
            fa = _fold(a)
            if (
                (
                    not self._lex.is_given(fa)
                    and not (self._lex.is_given(fa, allow_common=True) and a.isupper())
                )
                or self._lex.is_english(fa)
                or self._blocked(a)
            ):
                continue
            if self._lex.is_place(f"{a} {b}") or self._lex.is_place(a):
                continue
            before = text[: first.start()]
            if _PLACE_BEFORE.search(before):
                continue
            prev = words[i - 1] if i else None
            if prev is not None and text[prev.end() : first.start()] == " ":
                p = prev.group()
                if (
                    p[:1].isupper()
                    and _fold(p) not in STOP_WORDS
                    and not _CLAUSE_OPEN.search(text[: prev.start()])
                    and not _LABEL_WORD.fullmatch(p)
                ):
                    continue  # inside a longer capitalised run
            nxt = words[i + 2] if i + 2 < len(words) else None
            if nxt is not None and text[second.end() : nxt.start()] == " ":
                n = nxt.group()
                f = _fold(n)
                if f in STREET_TYPE_WORDS or f in _INSTITUTION_WORDS or f in _FIRM_WORD_SET:
                    continue
                if n[:1].isupper() and not a.isupper() and f not in STOP_WORDS:
                    continue  # "Jamal Green Community Centre"
            spans.append((first.start(), second.end()))
        return spans

    def _lower_relative(self, text: str, words: list[re.Match[str]]) -> list[tuple[int, int]]:
        """In lower case, a given name and a listed surname (even a place word) opening a
        clause and said to be the writer's relative or carer, or a neighbour: "ellie wood is my
        daughter", "jack green from number 12 has", "kim hill next door keeps", "lorna bird rang
        me"; in title case too, the given name even a place ("Jordan Field at number 42",
        names-probe8)."""
        spans: list[tuple[int, int]] = []
        for i in range(len(words) - 1):
            first, second = words[i], words[i + 1]
            a, b = first.group(), second.group()
            lower = a.islower() and b.islower()
            title = a[:1].isupper() and b[:1].isupper() and a[1:].islower() and b[1:].islower()
            if not (lower or title) or text[first.end() : second.start()] != " ":
                continue
            # "i think x y owns"
            opens = bool(
                _CLAUSE_OPEN.search(text[: first.start()])
                or _HEDGE_OPEN.search(text[: first.start()])
            )
            # "so x y said": a looser opening, for what only a person does
            loose = lower and _CLAUSE_START.search(text[: first.start()]) is not None
            if not (opens or loose):
                continue
            fa, fb = _fold(a), _fold(b)
            # a word no list holds and no English word, in lower case ("fenella brook dropped
            # off"), only before what only a person does
            unlisted = lower and not self._lex.is_given(fa) and self.name_word(a)
            if not (self._lex.is_given(fa, allow_common=True) or unlisted):
                continue
            # a modal before a past tense is a given name: "will green moved out"
            modal = fa in ("will", "may") and _PAST_ACTS_AFTER.match(text, second.end())
            # capitalised, a given name that is also a place may open it ("Jordan Field at
            # number 42"): no place is said to live at a number or to be someone's daughter
            if (
                self._blocked(a)
                and not modal
                and not (title and self._lex.is_place(fa) and not self._blocked_but_place(a))
            ):
                continue
            # "Faith Hope rang": in title case a second given name that is also a word may be
            # the surname, before what only a person does
            given_surname = (
                title
                and self._lex.is_given(fb, allow_common=True)
                and not self._blocked(b)
                and (
                    _RANG_AFTER.match(text, second.end())
                    or _PERSON_ACTS_AFTER.match(text, second.end())
                )
            )
            # a surname no list holds and no English word ("rose achterberg came round"), only
            # before what only a person does (fresh messages of our own, 4 Dec)
            unlisted_surname = lower and not self._pair_surname(fb) and self.name_word(b)
            if not (self._pair_surname(fb) or given_surname or unlisted_surname):
                continue
            if (
                opens
                and not unlisted
                and not unlisted_surname
                and (
                    _IS_MY_ROLE.match(text, second.end())
                    or _NEIGHBOUR_AFTER.match(text, second.end())
                    or _FROM_NUMBER_AFTER.match(text, second.end())
                    or _DONE_TO_ME.match(text, second.end())
                    or _RANG_AFTER.match(text, second.end())
                )
            ):
                spans.append((first.start(), second.end()))
            elif lower and not self._lex.is_place(f"{fa} {fb}"):
                spans += self._pairs_acting(text, first.start(), second.end())
        return spans

    def _pair_surname(self, word: str) -> bool:
        """A listed surname, or one that is also a place or everyday word ("wood", "green");
        never the plural of an English noun the lists hold as a surname ("brown bins",
        "garden walls"), unless it is a place or everyday surname ("woods", "fields")."""
        if word in STOP_WORDS:
            return False
        if word in PLACE_SURNAMES:
            return True
        return self._lex.is_surname(word) and not self._lex.is_english_s_form(word)

    def _pairs_acting(self, text: str, start: int, end: int) -> list[tuple[int, int]]:
        """A lower-case given name and surname opening a clause before what only a person does
        ("hope lamb came round", "jack reed n his missus moved out"), or a list of such pairs
        closed by it ("ruth green n jack wood both said"): every pair of the list."""
        pairs = [(start, end)]
        pos = end
        for _ in range(3):
            if _PERSON_ACTS_AFTER.match(text, pos) or _FROM_THEN_ACTS.match(text, pos):
                return pairs
            nxt = _PAIR_AFTER.match(text, pos)
            if nxt is None:
                return []
            a, b = nxt.group(1), nxt.group(2)
            if not (
                a.islower()
                and b.islower()
                and self._lex.is_given(_fold(a), allow_common=True)
                and not self._blocked(a)
                and self._pair_surname(_fold(b))
            ):
                return []
            pairs.append((nxt.start(1), nxt.end(2)))
            pos = nxt.end(2)
        return []

    def _place_or_word_only(self, run: str) -> bool:
        """A run that is a place, a day or month, or a function word: never a name here."""
        f = _fold(run)
        return self._lex.is_place(run) or f in _MONTHS_DAYS or f in STOP_WORDS or f in _TEXT_SPEAK

    def _surname_extension(self, text: str, names: list[tuple[int, int]]) -> list[tuple[int, int]]:
        """A capitalised surname after a capitalised name already found, even one that is also
        a word ("Aled Morgan", "Ellie Wood"), unless a street or institution word follows."""
        spans = []
        for s, e in names:
            if not text[s:e][:1].isupper():
                # in lower case, a listed surname said to be the writer's relative: "ellie
                # wood is my daughter"
                low = re.match(r" ([a-z][^\W\d_]+(?:['’\-][^\W\d_]+)*)", text[e:])
                if low is None or not text[s:e].islower():
                    continue
                f = _fold(low.group(1))
                surname = f in PLACE_SURNAMES or (
                    self._lex.is_surname(f) and not self._blocked(low.group(1))
                )
                if surname and _IS_MY_ROLE.match(text, e + low.end()):
                    spans.append((s, e + low.end()))
                elif (
                    surname
                    and _WORD.fullmatch(text[s:e])
                    and self._lex.is_given(_fold(text[s:e]), allow_common=True)
                    and _FULL_NAME_ENDS.match(text, e + low.end())
                ):
                    # a given name found, then a surname (even a word) where a full name ends:
                    # "i rang faith brown yesterday", "me n grace reed went", "bill marsh is 87"
                    spans.append((s, e + low.end()))
                continue
            particle = _PARTICLE_SURNAME.match(text, e)
            if particle and not _FIRM_AFTER.match(text, particle.end()):
                spans.append((s, particle.end()))  # "Anouk de Groot", "Pieter van der Berg"
                continue
            m = re.match(r" ([A-Z][^\W\d_]+(?:['’\-][^\W\d_]+)*)", text[e:])
            if not m:
                continue
            word = m.group(1)
            f = _fold(word)
            if not self._lex.is_surname(f) or self._blocked(word) or f in _MONTHS_DAYS:
                continue
            nxt = (
                _WORD.match(text, e + m.end() + 1)
                if text[e + m.end() : e + m.end() + 1] == " "
                else None
            )
            if nxt is not None and (
                _fold(nxt.group()) in STREET_TYPE_WORDS or _fold(nxt.group()) in _INSTITUTION_WORDS
            ):
                continue
            spans.append((s, e + m.end()))  # one span with the name: one placeholder
        return spans

    def _modal_name(self, text: str, words: list[re.Match[str]], i: int, before: str) -> bool:
        """A capitalised given name that is also a modal or a month ("Will", "May") where
        neither can stand: questioned after an auxiliary ("Can Will get a pass? He is 15"),
        owning what a person has ("Will's school"), or with a relation in commas ("May, my
        daughter, needs"); a month, or a modal in a question, also needs a "he"/"she"."""
        word = words[i].group()
        f = _fold(word)
        if not (f in STOP_WORDS or f in _MONTHS_DAYS) or not self._lex.is_given(f, True):
            return False
        end = words[i].end()
        rest = text[end:]
        gendered = _GENDERED.search(rest) is not None
        if _ROLE_APPOSED.match(rest) and re.match(r"\s*,\s+(?:my|our|his|her)\b", rest):
            return True
        if re.search(r"['’]s$", word) and _POSSESSION.match(text, words[i].start()):
            return f not in _MONTHS_DAYS or gendered
        return bool(
            i and _AUX_OPEN.search(before) and _QUESTION_VERB_AFTER.match(rest) and gendered
        )

    def _capital_run(self, text: str, words: list[re.Match[str]], i: int) -> int:
        """The index of the last of one to three capitalised words from word i that are no
        function, institution, street or house-name word (they may be places or words)."""
        last = i - 1
        for j in range(i, min(i + 3, len(words))):
            w = words[j].group()
            if j > i and text[words[j - 1].end() : words[j].start()] != " ":
                break
            f = _fold(w)
            if (
                not w[:1].isupper()
                or f in STOP_WORDS
                or f in _TITLES
                or f in _INSTITUTION_WORDS
                or (f in STREET_TYPE_WORDS and not (j > i and self._lex.is_name_word(f)))
                or f in _HOUSE_NAME_WORDS
                or len(f) < 2
            ):
                break  # "Ellie Wood" and "Sam Hill" go on: surnames that are street words too
            last = j
            if re.search(r"['’]s$", w):
                break
        return last

    def _capitalised_shapes(self, text: str, words: list[re.Match[str]]) -> list[tuple[int, int]]:
        """Capitalised names the word lists do not vouch for (each word may be a place or an
        everyday word: "Chester Reading", "Kerry Blackwood", "Ellie Wood"), by what is said of
        the run: who the person is to the writer, a line to their attention, their address."""
        spans: list[tuple[int, int]] = []
        many = len(words) >= 6
        if many and (
            text.isupper() or sum(w.group()[:1].isupper() for w in words) > 0.75 * len(words)
        ):
            return spans  # capitals say nothing in ALL CAPS or Title Case
        for i, m in enumerate(words):
            if not m.group()[:1].isupper():
                continue
            prev = words[i - 1].group() if i else ""
            if prev[:1].isupper() and _fold(prev) not in STOP_WORDS:
                if text[words[i - 1].end() : m.start()] == " ":
                    continue  # inside a run
            before = text[max(0, m.start() - 40) : m.start()]
            if _ARTICLE_BEFORE.search(before):
                continue
            last = self._capital_run(text, words, i)
            if last < i:
                if self._modal_name(text, words, i, before):
                    spans.append(m.span())
                continue
            end = words[last].end()
            run = text[m.start() : end]
            first = _fold(m.group())
            given = self._lex.is_given(first, allow_common=True) and first not in _MONTHS_DAYS
            role = _IS_MY_ROLE.match(text, end)
            if role and _CLAUSE_OPEN.search(before):
                # a firm can be a landlord or an agent ("Clarion is my landlord"): for those
                # roles only a run of two words opening with a given name
                family = _RELATION_WORD.fullmatch(role.group("role").lower()) is not None
                if family or (last > i and given):
                    spans.append((m.start(), end))
                    continue
            if _ATTENTION_BEFORE.search(before):
                spans.append((m.start(), end))
                continue
            if self._place_or_word_only(run):
                continue
            # "Maisie and I will", "made against Warren, the housing officer", "Has Blessing
            # been approved", "When will Ruby's EHCP review": a person's slot, a word's name
            if (
                (_CLAUSE_OPEN.search(before) and _AND_ME_AFTER.match(text, end))
                or (i and _ROLE_APPOSED.match(text, end))
                or (
                    last == i
                    and given
                    and _AUX_OPEN.search(before)
                    and _QUESTION_VERB_AFTER.match(text, end)
                )
                or (given and _POSSESSION.match(text, words[last].start()) and last == i)
            ):
                spans.append((m.start(), end))
                continue
            if (
                last > i
                and given
                and _ADDRESS_AFTER.match(text, end)
                and not self._lex.is_place(run)
            ):
                spans.append((m.start(), end))
        return spans

    def _joined(
        self, text: str, words: list[re.Match[str]], names: list[tuple[int, int]]
    ) -> list[tuple[int, int]]:
        """Words joined to a name already found: a list that goes on in lower case
        ("eilidh, ruaridh and wee morag"), and a given name before "and" + a name opening a
        clause, even one that is also a modal ("will and dawn next door")."""
        spans: list[tuple[int, int]] = []
        starts = {s for s, _ in names}
        for s, e in sorted(set(names)):
            k = e
            for _ in range(4):  # a list after it
                gap = _LIST_AFTER_NAME.match(text, k)
                if gap is None:
                    break
                nxt = _WORD.match(text, gap.end())
                if nxt is None or nxt.start() in starts:
                    break
                word = nxt.group()
                joined = re.search(r"(?i:\band\b|&)", gap.group()) is not None
                if _fold(word) == "and" or _RELATION_WORD.fullmatch(_fold(word)):
                    break
                # after a bare comma only a word that is a name anywhere ("carer's name ayo,
                # van reg ..."); "and" closing the list takes any given name ("and wee morag")
                if not (self._distinct(word) or (joined and self.given_in_slot(word))):
                    break
                if not joined and self._lex.is_english_s_form(word):
                    break  # "a lad called jaxon, parks across our drive": a verb, not a list
                spans.append(nxt.span())
                k = nxt.end()
            before = text[:s]
            prev = re.search(r"([^\W\d_]+)\s+(?:and|&)\s+$", before)
            if prev and _CLAUSE_OPEN.search(before[: prev.start(1)]):
                word = prev.group(1)
                w = _fold(word)
                if (self._lex.is_given(w, allow_common=True) or self.name_word(word)) and not (
                    w in _TEXT_SPEAK or w in _TITLES or self._lex.is_place(w)
                ):
                    spans.append(prev.span(1))  # or a word no list holds ("Tendekai and ...")
        return spans

    def _surname_first(self, text: str, names: list[tuple[int, int]]) -> list[tuple[int, int]]:
        """The surname-first order of forms and of writers from East Asia and Eastern Europe,
        the family name in capitals ("HUANG Jun", "POPESCU Maria", "Reporter: BRIGGS,
        Stephen"): a capitalised word beside a name found, in a message not all in capitals,
        is the rest of that name: a word in capitals that is a surname or no English word
        before a name found, or a given name (even one that is also a word) after a name
        found in capitals. Acronyms have no vowel or are English words ("NHS", "URGENT"); a role
        in capitals after an article or before a title is none ("the SENCO, Mr Adeleke")."""
        if text.isupper():
            return []
        spans: list[tuple[int, int]] = []
        for s, e in names:
            value = text[s:e]
            before = _CAPS_SURNAME_BEFORE.search(text, 0, s)
            if (
                before
                and value[:1].isupper()
                and not value.isupper()
                and _fold(value.split()[0].rstrip(".")) not in _TITLES
                and not _OWNER_BEFORE.search(text, 0, before.start())
            ):
                word = before.group("caps")
                f = _fold(word)
                if (
                    not self._blocked(word)
                    and f not in _MONTHS_DAYS
                    and (
                        (self._lex.is_surname(f) and not self._lex.is_everyday(f))
                        or self.name_word(word)
                    )
                ):
                    spans.append(before.span("caps"))
            after = _GIVEN_AFTER_CAPS.match(text, e)
            if after and value.isupper() and len(value) > 2:
                word = after.group("given")
                f = _fold(word)
                if (
                    not self._blocked(word)
                    and f not in _MONTHS_DAYS
                    and (self._lex.is_given(f, allow_common=True) or self.name_word(word))
                ):
                    spans.append(after.span("given"))
        return spans

    def _reply_header(self, text: str) -> list[tuple[int, int]]:
        """The writer of a message quoted in a reply: "On Tue, 3 Mar, Ama Osei wrote:" (a
        name's words, capitalised or no English word; a desk or a firm is none)."""
        spans = []
        if "wrote" not in text:
            return spans
        for m in _REPLY_HEADER.finditer(text):
            run = list(_WORD.finditer(m.group("name")))
            if run and all(
                (w.group()[:1].isupper() or self.name_word(w.group()))
                and _fold(w.group()) not in _INSTITUTION_WORDS
                and _fold(w.group()) not in _FIRM_WORD_SET
                and not self._place_or_word_only(w.group())
                for w in run
            ):
                spans.append(m.span("name"))
        return spans

    def _lower_before_and_after(
        self, text: str, names: list[tuple[int, int]]
    ) -> list[tuple[int, int]]:
        """Around a lower-case name found, the rest of it: a word that is a name word right
        before it ("dawit haile's name", "zeynep aksoy, ..."), and a surname with its particle
        after it ("pieter van der berg", "ahmad bin ismail")."""
        spans = []
        for s, e in names:
            value = text[s:e]
            if not value[:1].islower():
                continue
            m = re.search(r"(?<![\w'’\-])([^\W\d_]+) $", text[max(0, s - 30) : s])
            if m and m.group(1).islower() and self.name_word(m.group(1)):
                first = _WORD.match(text, s)
                if first is not None and (
                    not self._lex.is_given(_fold(first.group()))
                    or self._lex.is_given(_fold(m.group(1)))
                ):
                    spans.append((s - len(m.group(1)) - 1, e))
            p = _LOWER_PARTICLE_SURNAME.match(text, e)
            if p and (self.name_word(p.group("surname")) or self._surname(p.group("surname"))):
                spans.append((s, p.end()))
        return spans

    def _given_before(self, text: str, names: list[tuple[int, int]]) -> list[tuple[int, int]]:
        """A capitalised given name that is also a word ("Blessing", "Sunny", "Joy") right
        before a capitalised name found that opens with no given name (a surname): "07700
        900244 Joy Mbatharu". Never a modal, a function word, a month or a day."""
        spans = []
        for s, e in names:
            first = _WORD.match(text, s)
            if first is None or not first.group()[:1].isupper():
                continue
            if self._lex.is_given(_fold(first.group()), allow_common=True):
                continue
            m = re.search(r"(?<![\w'’\-])([A-Z][^\W\d_]+) $", text[max(0, s - 30) : s])
            if m is None:
                continue
            word = m.group(1)
            w = _fold(word)
            if (
                (w in STOP_WORDS or w in _MONTHS_DAYS)
                and self._lex.is_given(w, allow_common=True)
                and _CLAUSE_OPEN.search(text[: s - len(word) - 1])
                and _STATED_AFTER.match(text, e)
            ):
                # "Will Ashdown is my carer", "May Pereira was late": a modal or a month
                # before a name and "is"/"was"/"has" cannot be one, so it is the given name
                spans.append((s - len(word) - 1, e))
                continue
            if w in _MONTHS_DAYS or self._blocked(word) or not self._lex.is_given(w):
                continue
            spans.append((s - len(word) - 1, e))
        return spans

    def _run_from(self, text: str, pos: int, limit: int = 3) -> tuple[int, int] | None:
        """One to `limit` name words from `pos` (a title skipped first)."""
        start = end = None
        count = 0
        for m in _WORD.finditer(text, pos):
            gap = text[end if end is not None else pos : m.start()]
            if end is None and _fold(m.group()) in _TITLES and re.fullmatch(r"[\s.]*", gap):
                pos = m.end()
                continue
            if not re.fullmatch(r"[ \t]*" if end is not None else r"[\s,;:\-–—.]*", gap):
                break
            w = m.group()
            known = self._lex.is_given(_fold(w)) or (end is not None and self._surname(w))
            if not self.name_word(w) and not (known and not self._blocked(w)):
                break
            if start is None:
                start = m.start()
            end = m.end()
            count += 1
            if count == limit:
                break
        return (start, end) if start is not None else None

    def _after_details(self, text, found, free) -> list[tuple[int, int]]:
        spans = []
        postcodes = {r.start for r in found if r.entity_type == "UK_POSTCODE"}
        for r in found:
            if r.entity_type not in _DETAILS:
                continue
            # after a street and a comma or line break stands its town ("..., milton keynes")
            if r.entity_type == "STREET_ADDRESS" and re.match(r"[ \t]*[,\n]", text[r.end :]):
                continue
            run = self._run_from(text, r.end)
            if not run or not free(*run):
                continue
            # ... and so does a run before a postcode, or a place by its first words
            rest = text[run[1] :]
            gap = len(rest) - len(rest.lstrip(" \t,"))
            if run[1] + gap in postcodes or self._place_start(text, run[0]):
                continue
            nxt = re.match(r"[ \t]+([^\W\d_]+)", rest)
            if nxt and _fold(nxt.group(1)) in _INSTITUTION_WORDS | STREET_TYPE_WORDS:
                continue  # "07700 900461 Sandwell Homes": a body's name, not a person's
            spans.append(run)
        return spans

    def _place_start(self, text: str, start: int) -> bool:
        """A town begins here: "Milton Keynes", "Merthyr Tydfil"."""
        words = [m.group() for m in _WORD.finditer(text[start : start + 60])][:3]
        return any(self._lex.is_place(" ".join(words[:n])) for n in range(1, len(words) + 1))

    def _age_lists(self, text: str, found) -> list[tuple[int, int]]:
        persons = [(r.start, r.end) for r in found if r.entity_type == PERSON]
        items = list(_AGE_ITEM.finditer(text))
        spans: list[tuple[int, int]] = []
        groups: list[list[re.Match[str]]] = []
        for m in items:
            if groups and _ITEM_GAP.match(text[groups[-1][-1].end() : m.start()]):
                groups[-1].append(m)
            else:
                groups.append([m])
        for group in groups:
            if len(group) < 2:
                continue
            names = [g.span("name") for g in group]
            known = [any(a <= s and e <= b for a, b in persons) for s, e in names]
            # beside a name already found, any word that is no stop word or place will do
            # ("ocean age 4"); otherwise each must be a given name or a name word
            fits = [
                k or self.given_in_slot(text[s:e]) or (any(known) and not self._blocked(text[s:e]))
                for k, (s, e) in zip(known, names, strict=True)
            ]
            if not all(fits):
                continue
            sentence_start = max(text.rfind(c, 0, group[0].start()) for c in ".!?\n")
            cue = _CHILDREN_BEFORE.search(text, sentence_start + 1, group[0].start())
            if any(known) or cue:
                spans += [n for n, k in zip(names, known, strict=True) if not k]
        return spans

    def _children_lists(self, text: str) -> list[tuple[int, int]]:
        spans = self._lists_before_family(text)
        for cue in _CHILDREN_LIST.finditer(text):
            items, pos, last = [], cue.end(), False
            while (m := _LIST_ITEM.match(text, pos)) is not None and len(items) < 8:
                # after a given name, any word no stop word or place ("maisie, ocean and kit")
                fits = self.given_in_slot(m.group()) or (items and not self._blocked(m.group()))
                if _fold(m.group()) == "and" or not fits:
                    break
                items.append(m.span())
                if last:
                    break  # the item after "and" closes the list ("amy and zara, start school")
                gap = m.group("gap")
                pos = m.end() + len(gap)
                if not gap.strip() and gap:
                    break  # a plain space: the list ends ("ruby and jack go to st marys")
                last = bool(re.search(r"(?i:\band\b|&)", gap))
            if len(items) >= 2 and any(
                self._lex.is_given(_fold(text[a:b]), True) for a, b in items
            ):
                spans += items
        return spans

    def _lists_before_family(self, text: str) -> list[tuple[int, int]]:
        """Every item of a list of two or more given names (even words) said to be the
        writer's children: "jack ivy and grace are my kids" (names-probe10)."""
        spans = []
        for m in _LIST_BEFORE_FAMILY.finditer(text):
            items = [
                w.span()
                for w in _WORD.finditer(text, m.start("list"), m.end("list"))
                if _fold(w.group()) not in ("and", "n")
            ]
            if len(items) >= 2 and all(
                self._lex.is_given(_fold(text[a:b]), True)
                and not self._blocked(text[a:b])
                and _fold(text[a:b]) not in _MONTHS_DAYS
                for a, b in items
            ):
                spans += items
        return spans

    def _closing(self, text: str) -> list[tuple[int, int]]:
        """A given name closing the message after thanks, or alone on the last line."""
        body = text.rstrip()
        m = _THANKS_CLOSE.search(body)
        if m and _fold(m.group("prev") or "") not in _NOT_AFTER_THANKS:
            word = m.group("name")
            # after words of their own ("thanks for sorting it with veolia") only a given name
            given = self._lex.is_given(_fold(word), True)
            if (
                _fold(word) not in _NOT_AFTER_THANKS
                and self.given_in_slot(word)
                and (given or (not m.group("prev") and self.name_word(word)))
            ):
                return [m.span("name")]
        m = _LAST_LINE.search(body)
        if m and body[: m.start()].strip():
            word = m.group("name")
            if self._lex.is_given(_fold(word), True) and self.given_in_slot(word):
                return [m.span("name")]
        m = _LAST_SENTENCE_NAME.search(body)
        if m and body[: m.start()].strip():
            # a given name alone as the last sentence signs the message, even one that is
            # also a town ("Can you pass this on. Beverley"): a town alone says nothing
            word = m.group("name")
            f = _fold(word)
            if (
                self._lex.is_given(f, allow_common=True)
                and not self._blocked_but_place(word)
                and f not in _MONTHS_DAYS
                and not self._lex.is_english(f)
                and len(re.findall(rf"\b{re.escape(word)}\b", body))
                == 1  # "York or Lincoln? Lincoln"
            ):
                return [m.span("name")]
        return []

    def _capital_given(self, word: str) -> bool:
        """A capitalised given name, even one that is also a word or a place ("Hope",
        "Will", "Jordan"), but never a month, day, title, stop word or institution word."""
        f = _fold(word)
        return (
            word[:1].isupper()
            and not word.isupper()
            and self._lex.is_given(f, allow_common=True)
            and f not in _MONTHS_DAYS
            and f not in _TITLES
            and f not in _INSTITUTION_WORDS
            and f not in STREET_TYPE_WORDS
            and (f not in STOP_WORDS or f == "will")
        )

    def _person_slot(self, text: str, m: re.Match[str], before: str, after: str) -> bool:
        """A given name, even an everyday word, in a slot only a person fills. Capitalised: a
        sentence's subject doing something to "his"/"her" things (names-probe27). Lower case:
        an age said of it, "who lives/works/...", a possessive before a person's things, a
        child of the family starting school, doing something on the writer's behalf, spoken
        to on the phone, "it's ... again about" (names-probe24); with someone "and his mum",
        "at number 4" or taken up by "she", a clause's subject doing what only a person does,
        "from ... saying", "signed by", "visiting" (names-probe26, 30); spoken to opening the
        message (30); "c/o", "on behalf of", "the account holder is" (31); whom a thing is for
        or sent to (29)."""
        word = m.group()
        f = _fold(word)
        if f in _SEASONS or f in _PEOPLE_NOUNS or not self._given_even_a_word(word):
            return False
        if word[:1].isupper():
            if word.isupper() or f in _PAPERS:
                return False
            if _CLAUSE_START.search(before) and (
                _DOES_WITH_PRONOUN_AFTER.match(after) or _AGE_STATED_AFTER.match(after)
            ):
                return True  # "Sam keeps leaving his van", "Sunny is 7 and has asthma"
            return bool(
                (_GIVING_BEFORE.search(before) and _GIVEN_THING_AFTER.match(after))
                or (_REPORTED_BEFORE.search(before) and _REPORTED_DOES_AFTER.match(after))
            )  # "I gave Rose the spare key", "the doctor says Jasper needs a badge"
        if re.search(r"['’]s$", word):
            return not _DETERMINER_BEFORE.search(before) and bool(_PERSONS_THING_AFTER.match(after))
        if _CLAUSE_START.search(before) and (
            _AGE_STATED_AFTER.match(after) or _WHO_DOES_AFTER.match(after)
        ):
            return f not in _PAPERS
        if _FAMILY_BEFORE.search(before) and _CHILD_STEP_AFTER.match(after):
            return True
        if _ASKING_START.search(before) and _ON_MY_BEHALF_AFTER.match(after):
            return True
        if _SPOKE_TO_BEFORE.search(before) and _SPOKE_WHEN_AFTER.match(after):
            return True
        if _BESIDE_BEFORE.search(before) and (
            _AND_THEIR_RELATION_AFTER.match(after)
            or _FROM_NUMBER_AFTER.match(after)
            or _TAKEN_UP_AFTER.match(after)  # "its for sunny, she cant get down the stairs"
        ):
            return True
        if not before.strip() and _SPOKEN_TO_AFTER.match(after):
            return True
        if _CARE_OF_BEFORE.search(before):
            return True
        if (_ON_BEHALF_BEFORE.search(before) or _HOLDER_IS_BEFORE.search(before)) and (
            _NAME_ENDS_AFTER.match(after) or _TAKEN_UP_AFTER.match(after)
        ):
            return True
        if (
            _THING_FOR_BEFORE.search(before) or _SENT_TO_BEFORE.search(before)
        ) and _RECIPIENT_ENDS_AFTER.match(after):
            return True  # "a parcel for ruby was left", "gave the key to brook last week"
        if _CLAUSE_START.search(before) and _PERSON_ONLY_VERB_AFTER.match(after):
            return f not in _PAPERS
        if _FROM_BEFORE.search(before) and _SAYING_AFTER.match(after):
            return True  # "a text from misty saying"
        if (_SIGNED_BY_BEFORE.search(before) or _SAW_BEFORE.search(before)) and (
            _NAME_ENDS_AFTER.match(after)
        ):
            return True
        return bool(_INTRO_BEFORE.search(before) and _AGAIN_ABOUT_AFTER.match(after))

    def _slots(self, text: str, words: list[re.Match[str]]) -> list[tuple[int, int]]:
        spans = []
        for i, m in enumerate(words):
            word = m.group()
            before = text[max(0, m.start() - 60) : m.start()]
            after = text[m.end() : m.end() + 80]
            hit = False
            if _RELATION_BEFORE.search(before) or _ME_AND_BEFORE.search(before):
                hit = self.given_in_slot(word) and not (
                    word.islower()
                    and self._lex.is_english(word)
                    and ASKED_OF_BEFORE.search(before)
                    and VERB_FOLLOWS.match(text, m.end())
                )
            elif _INTRO_BEFORE.search(before) and _INTRO_AFTER.match(after):
                hit = self.given_in_slot(word)
            elif _STAFF_AFTER.match(after) and re.search(
                r"(?i:\b(?:to|for|ask|tell|with|and)\s+)$", before
            ):
                # a given name that is also a place is no place in a team ("Jordan in your
                # repairs team")
                hit = self.given_in_slot(word) or self._capital_given(word)
            elif _CALL_BACK_BEFORE.search(before) and re.match(r"\s+back\b", after):
                hit = self._lex.is_given(_fold(word), allow_common=True) and not self._blocked(
                    word
                )  # "could you call Yusra back"
            elif _COPY_IN_BEFORE.search(before):
                hit = self.given_in_slot(word) and (
                    self._lex.is_given(_fold(word), allow_common=True) or self.name_word(word)
                )  # "can you copy in Adebayo", "cc Siobhan on the reply"
            elif _TELL_BEFORE.search(before) and (
                _TELL_WHAT_AFTER.match(after) or _TOLD_WHAT_AFTER.match(after)
            ):
                hit = (
                    self._capital_given(word)
                    or (self._lex.is_given(_fold(word)) and self.given_in_slot(word))
                    # no modal comes right after "tell": "tell will the skip is late"
                    or (_fold(word) in ("will", "may") and _TOLD_WHAT_AFTER.match(after))
                )  # "can you tell Will that his quote", "ask Grace about the form"
            elif _LIVE_WITH_BEFORE.search(before) and _LIVE_WITH_AFTER.match(after):
                # "i live with femi, we split the council tax": whom one lives with, before the
                # clause ends (no place is lived with, so a name that is one counts too)
                hit = self._given_even_a_word(word, place_ok=True)
            elif _SAW_BEFORE.search(before) and _RANG_WHEN_AFTER.match(after):
                # "went round to see kwabena yesterday": the one seen, before when
                hit = self._given_even_a_word(word)
            elif _RANG_BEFORE.search(before) and _RANG_WHEN_AFTER.match(after):
                # "i rang dawn yesterday", "text ivy about the key": the one rung, even a word
                hit = self._given_even_a_word(word)
            elif _HOME_AFTER.match(after) and (
                _CLAUSE_START.search(before) or _THAT_START.search(before)
            ):
                hit = self._given_even_a_word(word) and _fold(word) not in _SEASONS
            elif _GROUP_AFTER.match(after) and _ASKING_START.search(before):
                hit = self._given_even_a_word(word)
            elif _OWNER_BEFORE.search(before) and _TAKEN_UP_AFTER.match(after):
                hit = self._given_even_a_word(word)
            elif _NEIGHBOUR_AFTER.match(after) and _CLAUSE_START.search(before):
                hit = self.name_word(word) or (
                    self._lex.is_given(_fold(word)) and not self._blocked(word)
                )
            elif _NEIGHBOUR_AFTER.match(after) and _FOND_BEFORE.search(before):
                # after "poor old", "little": a name that is no word ("old lady across the
                # road" is a person, not a name)
                hit = self.name_word(word)
            elif _WELSH_NEIGHBOUR_AFTER.match(after) and _WELSH_CLAUSE_START.search(before):
                # "mae emyr drws nesaf wedi parcio": a given name no Welsh word shares
                hit = self._lex.is_given(_fold(word)) and not is_welsh_word(word)
            elif _DONE_TO_ME.match(after) and _CLAUSE_START.search(before):
                hit = (self.name_word(word) and self._lex.is_given(_fold(word))) or (
                    # "Hope rang me": a capitalised given name that is also a word
                    self._capital_given(word) and _fold(word) not in _NEVER_NAMES
                )
            elif (
                word.islower() and _GIVING_BEFORE.search(before) and _DETERMINER_AFTER.match(after)
            ):
                # "i gave lucy the keys", "sent kwame my form": the one given to, before a
                # thing; a given name, even a word, but no everyday one ("paid bill the money")
                f = _fold(word)
                hit = (
                    len(f) > 2
                    and self._lex.is_given(f)
                    and not self._lex.is_everyday(f)
                    and f not in _LANGUAGES
                    and not self._blocked(word)
                )
            elif (
                _CLAUSE_START.search(before)
                and _PERSON_ACTS_AFTER.match(after)
                # capitalised, only a listed given name here: any other word (a place, a name
                # no list holds) is left to the rules below ("Shirley rang", "Torvald moved")
                and (word.islower() or (not word.isupper() and self._given_even_a_word(word)))
            ):
                # "rose said the repairs man", "jack and his brother", "Dan said he left the
                # keys": a given name, even a word, opening a clause before what only a person
                # does; never a relative ("nan said") nor a month or day
                f = _fold(word)
                hit = (
                    self._given_even_a_word(word)
                    and f not in _SEASONS
                    and not (f in _PAPERS and _SAYS_AFTER.match(after))
                )
            elif _RANG_AFTER.match(after) and _CLAUSE_START.search(before):
                # "Shirley rang about her rent": a capitalised given name, even one that is a
                # place or a word, rings; a town does not (a firm is no given name). A
                # capitalised word no list holds rings too ("Yevheniia rang the office"): a
                # firm that rings ("Openreach rang") is blanked, which costs less than a name
                hit = (self._capital_given(word) and _fold(word) not in _NEVER_NAMES) or (
                    word[:1].isupper() and not word.isupper() and self.name_word(word)
                )
            elif (
                _PERSON_DOES_AFTER.match(after)
                and _CLAUSE_START.search(before)
                and word[:1].isupper()
                and not word.isupper()
            ):
                # a capitalised word no list holds opening a clause before what a person does
                # ("Ottoline booked a collection"), named again or taken up by "he"/"she": a
                # firm that does so is blanked, which costs less than a name left
                again = len(re.findall(rf"\b{re.escape(word)}\b", text)) > 1
                hit = self.name_word(word) and (again or bool(_GENDERED.search(after)))
            elif _HEDGE_AFTER.match(after) and _COMMA_BEFORE.search(before):
                hit = self.name_word(word)
            elif _SPOKE_TO_BEFORE.search(before) and re.match(r"(?i:\s+who\b)", after):
                hit = self.given_in_slot(word)  # "spoke to crystal who was lovely"
            elif self._person_slot(text, m, before, after):
                hit = True
            if not hit:
                continue
            end = m.end()
            # a surname straight after ("lucy fforde-williams"), never a common word
            possessive = re.search(r"['’]s$", word) is not None  # "faith's ehcp" ends there
            if (
                not possessive
                and i + 1 < len(words)
                and text[m.end() : words[i + 1].start()] == " "
            ):
                nxt = words[i + 1].group()
                if self._surname_next(nxt):
                    end = words[i + 1].end()
            spans.append((m.start(), end))
        return spans
