"""Follow-up questions: "how much is it?", "what about for a second car?", "and when?" only
make sense with the earlier turns. A follow-up is rewritten into a standalone question by
adding the topic of the last question answered, all from redacted text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from chatbot.person_names import word_list
from chatbot.wording import content_terms

# Openings that lean on an earlier turn.
_LEADS = re.compile(
    r"^\s*(and|also|but|so|what about|how about|what if|and what|and how|and when|and where|"
    r"is it|is that|are they|does it|do they|will it|how much is it|"
    r"how much does it|how long does it|when is it|where is it|ok(ay)? (and|so|what|how)|"
    r"then|same for|for a|for an|for the)\b",
    re.IGNORECASE,
)
_PRONOUN = re.compile(r"\b(it|its|it's|that|this|they|them|those|these|there|one|ones)\b", re.I)
_MAX_TERMS_FOR_FOLLOW_UP = 4  # a message with more content words than this stands on its own


@dataclass
class EarlierTurn:
    question: str  # the standalone (redacted) question asked
    status: str | None


def is_follow_up(message: str) -> bool:
    """Whether the message needs an earlier turn to be understood."""
    terms = content_terms(message)
    if len(terms) > _MAX_TERMS_FOR_FOLLOW_UP:
        return False
    if _LEADS.search(message):
        return True
    if len(terms) <= _MAX_TERMS_FOR_FOLLOW_UP and _PRONOUN.search(message):
        return True
    return len(terms) <= 1


def standalone_question(message: str, earlier: list[EarlierTurn]) -> str:
    """The message on its own, or with the topic of the latest earlier question added."""
    topic = next((t.question for t in reversed(earlier) if t.question.strip()), None)
    if not topic or not is_follow_up(message):
        return message
    current = message.strip()
    topic = topic.strip().rstrip("?.! ")
    # Keep the resident's words first (they say what is asked now); the topic follows.
    return f"{current.rstrip('?.! ')}? ({topic})"


_CONTEXT = re.compile(r"^(?P<own>.*?\S)\s*\((?P<context>[^()]*)\)\s*$", re.S)


def own_words(question: str) -> str:
    """The words the resident asked with, without the earlier question added in brackets to
    retrieve by (as `standalone_question` and `escalation.question_parts` write it: "do you
    sell compost bins? (how much is a bulky waste collection)"): an answer covers what was
    asked now, not the earlier question's words."""
    m = _CONTEXT.match(question)
    return m.group("own") if m else question


_PLACEHOLDER = re.compile(r"<[A-Z_]+>")
_SENTENCE = re.compile(r"(?<=[.!?])\s+|\n+")
_DETAILS = re.compile(
    r"\b(my (name|number|phone|mobile|email|address|postcode|reference|ref|account)|"
    r"call me|ring me|text me|email me|contact me|reach me|i live at|i.?m at|this is)\b",
    re.IGNORECASE,
)


# Text-speak for the words a question turns on ("wen is the tip open", "hw much", "can u"): the
# pages are written out, and "wen" or "hw" match nothing in them
_TEXT_SPEAK = {
    "wen": "when", "wn": "when", "hw": "how", "wat": "what", "wot": "what", "wht": "what",
    "whr": "where", "wer": "where", "u": "you", "ur": "your", "r": "are", "pls": "please",
    "plz": "please", "cud": "could", "cn": "can", "shud": "should", "wud": "would",
    "abt": "about", "tmrw": "tomorrow", "2moro": "tomorrow", "2day": "today", "b4": "before",
    "coz": "because", "cos": "because", "bc": "because", "nxt": "next", "wk": "week",
}  # fmt: skip
_WORD_TOKEN = re.compile(r"[A-Za-z0-9]+(?:['’][A-Za-z]+)*")


def resident_spelling(text: str) -> str:
    """Text-speak question words written out, and a dropped final g put back when only the
    word with it is English ("parkin permit" -> "parking permit"); everything else as typed."""
    english = word_list("english_words")

    def fix(m: re.Match[str]) -> str:
        word = m.group()
        low = word.lower()
        if low in _TEXT_SPEAK:
            return _TEXT_SPEAK[low]
        if len(low) >= 5 and low.endswith("in") and low not in english and f"{low}g" in english:
            return f"{word}g"
        return word

    return _WORD_TOKEN.sub(fix, text)


def search_text(question: str) -> str:
    """The question as the knowledge base should search it: sentences that only give personal
    details ("my number is <PHONE_NUMBER>") and the placeholders themselves left out, so a
    phone number does not make "contact us" look like the answer; text-speak written out."""
    kept = []
    for sentence in _SENTENCE.split(question):
        if _PLACEHOLDER.search(sentence) and (
            _DETAILS.search(sentence) or len(content_terms(sentence)) <= 1
        ):
            continue
        kept.append(sentence)
    text = _PLACEHOLDER.sub(" ", " ".join(kept) if kept else question)
    text = resident_spelling(text)
    return re.sub(r"\s{2,}", " ", text).strip(" ,") or question
