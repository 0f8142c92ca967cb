"""What kind of fact a question asks for, and which kinds a sentence of a page holds.

A resident asking "how much" wants an amount, "by when" a date or time limit, "what number do I
ring" a phone number or address. The unit ranker and the answer's confidence use both sides:
does this sentence hold the kind of fact asked for, and does the composed answer.

The patterns are written by the team in general English (question words and the shapes of
amounts, dates, phone numbers), not copied from any evaluation question.
"""

from __future__ import annotations

import re
from functools import lru_cache

from chatbot.conversation import own_words

__all__ = [
    "FACT_TYPES",
    "asked_fact_types",
    "asked_now",
    "asked_shapes",
    "primary_fact_type",
    "unit_fact_types",
    "unit_shapes",
]

FACT_TYPES = ("amount", "time", "contact", "documents", "eligibility", "steps", "yes_no")
OTHER = "other"

# --- what the question asks ----------------------------------------------------------------

_ASKS: dict[str, re.Pattern[str]] = {
    "amount": re.compile(
        r"\bhow much\b(?! (?:notice|time|longer)\b)|\bhow many (?:pounds|quid)\b|\bcosts?\b|"
        r"\bprices?\b|\bfees?\b|\bcharges?\b|\brates?\b|\bhow expensive\b|\bcheap|£|"
        r"\bamount\b|\bwhat (?:will|would|do|does|can) (?:i|we|they|he|she) get\b|\bmax(?:imum)?\b|"
        r"\blimit\b|\bworth\b|\bhow much (?:do|will|would|can)\b|\ballowance\b|\bborrow\b|"
        # whether there is anything to pay: the answer is a price or "free"
        r"\b(?:have|need|got) to pay\b|\bpay anything\b|\bcost anything\b|"
        r"(?:^|[,.?!]\s*)(?:do|would|will) (?:i|we|you) (?:still )?pay\b|\bwhat do (?:i|we) pay\b|"
        r"\b(?:is|are) (?:it|this|that|there|they|these) (?:free|a charge|a fee)\b|"
        r"\bfor free\b(?!\s+[a-z])|\bfree (?:to|of charge)\b|\bcharge (?:for|to)\b",
        re.I,
    ),
    "time": re.compile(
        r"\bwhen\b|\bwhat time\b|\bwhat day|\bwhich day|\bhow long\b|\bhow soon\b|\bhow quick|"
        r"\bdeadline\b|\bby when\b|\bopening (?:hours|times)\b|\bopen(?:s|ing)?\b|"
        r"\bclos(?:e|es|ing)\b|"
        r"\bhow many (?:days|weeks|months|years|hours)\b|\btoo late\b|\btime limit\b|\bdates?\b|"
        r"\bhow much (?:notice|time)\b|\bhow often\b|\bhow far in advance\b|"
        r"\bstill (?:claim|apply)\b|"
        r"\bsaturday|\bsunday|\bweekend\b|\bmonday|\btuesday|\bwednesday|\bthursday|\bfriday",
        re.I,
    ),
    "contact": re.compile(
        r"\bphone\b|\bnumber (?:to|for)\b|\bwhat(?:'s| is) the number\b|\bring\b|\bcall\b|"
        r"\bcontact\b|\bemail\b|\baddress\b|\bhelpline\b|\bwho (?:do|can|should) i (?:ask|contact|"
        r"call|ring|speak|talk|tell)\b|\bwho can help\b|\bwhere (?:do|can|should) i (?:go|send|"
        r"write|take)\b|\bget in touch\b|\bspeak to (?:someone|somebody|a person)\b|"
        r"\banyone i can\b",
        re.I,
    ),
    "documents": re.compile(
        r"\bdocuments?\b|\bproof\b|\bevidence\b|\bpaperwork\b|\bid\b|\bidentification\b|"
        r"\bwhat (?:do|will|should) i (?:need to )?(?:bring|take|show|send|provide)\b|"
        r"\bwhat (?:info|information|details) (?:do|will)\b|\bwhich forms?\b|\bwhat forms?\b",
        re.I,
    ),
    "eligibility": re.compile(
        r"\bcan (?:i|we|he|she|they|my \w+) (?:get|claim|apply|have|qualify)\b|\beligib|"
        r"\bentitled\b|\bqualify\b|\bwho can\b|\bam i allowed\b|\bdo i (?:get|qualify)\b|"
        r"\bcould i get\b|\bis (?:there|he|she|my \w+) (?:any|entitled|eligible|able)\b|"
        r"\bwould i (?:get|be able)\b|\bam i able\b",
        re.I,
    ),
    "steps": re.compile(
        r"\bhow (?:do|can|should|would|will) (?:i|we|you|they|he|she)\b|\bhow to\b|"
        r"\bwhat (?:do|should|can) (?:i|we) do\b|\bwhat happens\b|\bsteps?\b|\bprocess\b|"
        r"\bapply\b|\bregister\b|\breport\b|\bchallenge\b|\bappeal\b|\bwhat now\b",
        re.I,
    ),
    "yes_no": re.compile(
        r"^(?:\W*)(?:is|are|can|could|do|does|did|will|would|should|am|have|has|must|may)\b|"
        r"[,.?!]\s*(?:is|are|can|could|do|does|will|would|should|am|have|has|must)\s+"
        r"(?:i|we|it|they|he|she|there|you|my|the|this|that)\b",
        re.I,
    ),
}


def asked_fact_types(question: str) -> tuple[str, ...]:
    """Every kind of fact the question asks for, most specific first; ("other",) for none."""
    found = tuple(kind for kind in FACT_TYPES if _ASKS[kind].search(question))
    return found or (OTHER,)


def asked_now(question: str) -> str:
    """The words that say what is asked: a follow-up or one part of a message carries the
    earlier question in brackets ("how do i apply? (how much is a permit)"); when its own words
    ask for a kind of fact, those are what is asked (the steps, not the price); when they ask
    for none ("and for an electric car?"), the whole text is."""
    own = own_words(question)
    if own != question and any(_ASKS[kind].search(own) for kind in FACT_TYPES):
        return own
    return question


def primary_fact_type(question: str) -> str:
    """The one kind of fact the answer should lead with."""
    return asked_fact_types(question)[0]


# --- what a unit of a page holds -------------------------------------------------------------

_HOLDS: dict[str, re.Pattern[str]] = {
    "amount": re.compile(
        r"[£$€]\s?\d|\b\d+(?:\.\d+)?\s?(?:%|per ?cent|p\b|pence|pounds)|\bfree(?: of charge)?\b|"
        r"\bno charge\b|\bdoes not cost\b|\bat no cost\b",
        re.I,
    ),
    "time": re.compile(
        r"\b\d{1,2}(?:[:.]\d{2})?\s?(?:am|pm)\b|\b\d{1,2}:\d{2}\b|\bmidday\b|\bmidnight\b|"
        r"\b(?:mon|tues|wednes|thurs|fri|satur|sun)days?\b|\bweekends?\b|"
        r"\b(?:january|february|march|april|may|june|july|august|september|october|november|"
        r"december)\b|"
        r"\b\d+\s?(?:working |calendar |full |clear )?(?:days?|weeks?|months?|years?|hours?)\b|"
        r"\b(?:one|two|three|four|five|six|seven|eight|nine|ten|twelve)\s(?:working )?"
        r"(?:days?|weeks?|months?|years?)\b|\bevery (?:day|week|month|year|fortnight)\b|"
        r"\bfortnight|\bdaily\b|\bweekly\b|\bmonthly\b|\b(?:19|20)\d{2}\b|"
        # a length written into a word: "all-day permits", "a two-hour slot", "24-hour"
        r"\ball-day\b|\b(?:\d+|one|two|three|four|six|twelve|half)-(?:hour|day|week|month|year)\b",
        re.I,
    ),
    "contact": re.compile(
        r"\b0\d{2,4}[\s-]?\d{3,4}[\s-]?\d{3,4}\b|\b0\d{3} ?\d{3} ?\d{3}\b|\b\d{3} \d{3}\b|"
        r"\S+@\S+\.\w+|\b[A-Z]{1,2}\d{1,2}[A-Z]? ?\d[A-Z]{2}\b|\btextphone\b|\brelay uk\b",
        re.I,
    ),
    "documents": re.compile(
        r"\bproof\b|\bevidence\b|\bdocuments?\b|\bpassport\b|\bcertificates?\b|\blicen[cs]e\b|"
        r"\bstatements?\b|\bpayslips?\b|\bbills?\b|\bbring\b|\bidentification\b|\bID\b|"
        r"\bform [A-Z0-9]+\b|\b[A-Z]{2,}\d+[A-Z]?\b|\bletter from\b|\bcopy of\b|\bdetails of\b|"
        r"\bnational insurance number\b|\breference number\b",
        re.I,
    ),
    "eligibility": re.compile(
        r"\b(?:you|they|your \w+) (?:can|could|may|might|will) (?:get|claim|apply|qualify|be "
        r"eligible|be able)\b|\beligib|\bentitled\b|\bqualif|\byou must\b|\byou (?:need|have) to "
        r"be\b|\bif (?:you|your)\b|\baged?\b|\bover \d+\b|\bunder \d+\b|\bonly if\b|\bas long as\b|"
        r"\byou cannot\b|\byou can(?:'|no)t\b|\bnot eligible\b|\bto get\b|\byou(?:'re| are) "
        r"(?:not )?(?:eligible|entitled)\b",
        re.I,
    ),
    "steps": re.compile(
        r"^(?:apply|contact|call|fill|send|go|complete|check|ask|report|tell|book|register|use|"
        r"visit|write|sign|pay|find|choose|give|take|download|print|return|submit|get|make|read|"
        r"create|select|enter|click|upload|bring|wait|speak|email|phone|log|follow|open|add|"
        r"provide|include|arrange|request|keep|put|start)\b|\byou can (?:apply|report|book|"
        r"register|pay|ask|contact|call|use|find|get)\b|\bto apply\b|\byou(?:'ll| will)? need to\b|"
        r"\byou should\b|\bonline\b|\bstep\b",
        re.I,
    ),
    "yes_no": re.compile(
        r"^(?:yes|no)\b|\byou (?:can|cannot|can't|do not|don't|must not|will not|won't|do "
        r"not have to|don't have to|will|must|may|might|could|should)\b|\bis not\b|\bare not\b|"
        r"\bdoes not\b|\bdo not\b|\bonly\b|\bnot\b",
        re.I,
    ),
}


def unit_fact_types(text: str) -> frozenset[str]:
    """The kinds of fact a sentence, list item or table row holds."""
    return frozenset(kind for kind, pattern in _HOLDS.items() if pattern.search(text))


# --- the shape of the value asked for ---------------------------------------------------------
# Finer than the kinds above, for questions that can only be answered by one shape of value:
# "what day" by a weekday, "what time" by a clock time, "what number" by a phone number, "how
# much does it cost" by a sum of money. An answer holding none of that shape has not answered,
# however well its words match ("every two weeks, on your usual bin day" says no day).

_ASKS_SHAPE: dict[str, re.Pattern[str]] = {
    "weekday": re.compile(r"\b(?:what|which) days?\b|\bday of the week\b", re.I),
    "clock": re.compile(
        r"\bwhat time\b|\bopening (?:hours|times)\b|\bwhat hours\b|\bhow late\b|"
        r"\b(?:open|close)s? (?:until|till)\b",
        re.I,
    ),
    "phone": re.compile(
        r"\bphone number\b|\btelephone number\b|\bwhat(?:'s| is) the (?:phone )?number\b|"
        r"\bnumber (?:to|do i|can i|should i) (?:ring|call|phone)\b|\bhelpline number\b",
        re.I,
    ),
    "money": re.compile(
        r"\bhow much (?:is|are|does|do|will|would|did)\b.{0,40}\b(?:cost|charge|pay|fee|price|"
        r"fine|permit|licen[cs]e|ticket|subscription)|\bhow much (?:does|do|will|would) (?:it|"
        r"they|that|this) cost\b|\bwhat (?:does|do|will) (?:it|they) cost\b|\bwhat(?:'s| is) the "
        r"(?:cost|charge|fee|price)\b"
        # "how much is the tax on a Band D home", "how much will my rent be": a sum, unless a
        # discount or a change of it is asked about ("how much is the tax discount": 25%)
        r"|\bhow much (?:is|are|will|would)\b.{0,30}\b(?:tax|rent|fare|deposit|certificate)s?\b"
        r"(?!.{0,40}\b(?:discount|reduction|relief|exemption|rebate|off|back|support|benefit|"
        r"arrears|owe|owed|gone up|go up|going up|went up|increas\w*|ris(?:e|es|ing))\b)",
        re.I,
    ),
}

_HOLDS_SHAPE: dict[str, re.Pattern[str]] = {
    "weekday": re.compile(
        r"\b(?:mon|tues|wednes|thurs|fri|satur|sun)days?\b|\bweekdays?\b|\bweekends?\b|"
        r"\bevery day\b|\bdaily\b",
        re.I,
    ),
    "clock": re.compile(
        r"\b\d{1,2}(?:[:.]\d{2})?\s?(?:am|pm)\b|\b\d{1,2}:\d{2}\b|\bmidday\b|\bmidnight\b|"
        r"\bnoon\b|\b24 hours\b|\bclosed\b",
        re.I,
    ),
    "phone": re.compile(
        r"\b0\d{2,4}[\s-]?\d{3,4}[\s-]?\d{3,4}\b|\b0\d{3} ?\d{3} ?\d{3}\b|\b\d{3} \d{3}\b|"
        r"\b(?:101|111|999|116 ?123)\b|\+44"
    ),
    "money": re.compile(
        r"[£$€]\s?\d|\b\d+(?:\.\d+)?\s?(?:p|pence|pounds)\b|\bfree\b|\bno charge\b|"
        r"\bdoes not cost\b|\bnothing to pay\b|\bat no cost\b",
        re.I,
    ),
}


def asked_shapes(question: str) -> frozenset[str]:
    """The shapes of value only which can answer the question ("what day": a weekday)."""
    return frozenset(shape for shape, p in _ASKS_SHAPE.items() if p.search(question))


@lru_cache(maxsize=32768)
def unit_shapes(text: str) -> frozenset[str]:
    """The shapes of value a unit holds."""
    return frozenset(shape for shape, p in _HOLDS_SHAPE.items() if p.search(text))
