"""Phone numbers and email addresses written out in words, as people dictate them:

- "oh seven seven double oh, five five treble one", "seven seven double oh, one two three,
  with a zero at the start", "07700 five double four six";
- "sam dot jones at example dot com", "p_okafor (at) example (dot) org",
  "lena.berg[at]example.net".

Digits are read token by token ("double"/"treble" repeat the next one) and a run that spells
enough digits for a phone number is one; an email is an "at" between a local part and a domain
whose last label is a real top-level domain, with at least one part spelled out (plain
addresses are the email recogniser's).
"""

from __future__ import annotations

import re

from presidio_analyzer import RecognizerResult
from presidio_analyzer.nlp_engine import NlpArtifacts
from spacy.lang.en.stop_words import STOP_WORDS

from chatbot.recognizers import OneEntityRecognizer

_DIGIT_WORDS = {
    "zero": 1, "oh": 1, "o": 1, "nought": 1, "nil": 1, "one": 1, "two": 1, "three": 1,
    "four": 1, "five": 1, "six": 1, "seven": 1, "eight": 1, "nine": 1,
}  # fmt: skip
_REPEAT = {"double": 2, "treble": 3, "triple": 3}
# "nine hundred" is how a 900 in the middle of a number is said; only after a number word
_ZEROS = {"hundred": "00", "thousand": "000"}
# "nine hundred and seventy one" is 971: a tens word inside a run, then maybe a unit word
_TENS = {"twenty": "2", "thirty": "3", "forty": "4", "fifty": "5", "sixty": "6", "seventy": "7",
         "eighty": "8", "ninety": "9"}  # fmt: skip
_UNITS = frozenset("one two three four five six seven eight nine".split())
_TOKEN = re.compile(r"[A-Za-z]+|\d+")
_GAP = re.compile(r"^[\s,\-–.]*$")
# "with a zero in front", "and an oh at the start", "starting with zero"
_LEADING_ZERO = re.compile(
    r"^[\s,]*(?:(?:with|and|plus)\s+(?:a|an)\s+(?:zero|oh|nought|0)\s+"
    r"(?:in\s+front|at\s+the\s+(?:start|beginning|front)|first|before\s+(?:it|that))"
    r"|starting\s+with\s+(?:a\s+)?(?:zero|oh|nought|0))",
    re.I,
)
_PHONE_CONTEXT = re.compile(
    r"(?i:\b(?:phone|mobile|number|tel|call|ring|text|landline|whatsapp|contact|reach)\b)"
)


def _result(entity: str, start: int, end: int, score: float, name: str) -> RecognizerResult:
    return RecognizerResult(
        entity_type=entity,
        start=start,
        end=end,
        score=score,
        recognition_metadata={
            RecognizerResult.RECOGNIZER_NAME_KEY: name,
            RecognizerResult.IS_SCORE_ENHANCED_BY_CONTEXT_KEY: True,
        },
    )


_DIGIT_OF = {"zero": "0", "oh": "0", "o": "0", "nought": "0", "nil": "0", "one": "1",
             "two": "2", "three": "3", "four": "4", "five": "5", "six": "6", "seven": "7",
             "eight": "8", "nine": "9"}  # fmt: skip


def spelled_digits(value: str) -> str:
    """The digits a number says, in words or figures or both: "zero seven seven zero zero 900
    235" -> "07700900235", "double oh nine" -> "009" (other words are skipped)."""
    out: list[str] = []
    repeat = 1
    tens = False  # the last digit written is a tens word's 0, which a unit word replaces
    hundred = False  # the last written is a "hundred"'s 00, which a tens word replaces
    for match in _TOKEN.finditer(value):
        token = match.group().lower()
        if tens and token in _UNITS:
            out[-1] = _DIGIT_OF[token]
            tens = hundred = False
            continue
        tens = False
        if token == "and" and hundred:
            continue  # "nine hundred and seventy"
        if token in _TENS and out:
            if hundred:
                out.pop()  # "nine hundred and seventy": 9 then 70, not 9 00 70
            out += [_TENS[token], "0"]
            tens, hundred = True, False
            repeat = 1
            continue
        hundred = token == "hundred" and bool(out)
        if token in _REPEAT:
            repeat = _REPEAT[token]
            continue
        if token in _ZEROS and out:
            out.append(_ZEROS[token])
            repeat = 1
            continue
        digit = _DIGIT_OF.get(token) or (token if token.isdigit() else "")
        if digit:
            out.append(digit * repeat if len(digit) == 1 else digit)
        repeat = 1
    return "".join(out)


class SpelledPhoneRecognizer(OneEntityRecognizer):
    """Phone numbers dictated in words (at least three number words and nine digits, read by
    `spelled_digits`)."""

    ENTITY = "PHONE_NUMBER"
    MIN_DIGITS = 9

    def analyze(
        self, text: str, entities: list[str], nlp_artifacts: NlpArtifacts | None = None
    ) -> list[RecognizerResult]:
        results = []
        run: list[re.Match[str]] = []

        def close() -> None:
            if not run:
                return
            start, end = run[0].start(), run[-1].end()
            words = sum(not m.group().isdigit() for m in run)
            if words >= 3 and len(spelled_digits(text[start:end])) >= self.MIN_DIGITS:
                extra = _LEADING_ZERO.match(text[end:])
                if extra:
                    end += extra.end()
                context = bool(_PHONE_CONTEXT.search(text[max(0, start - 40) : start]))
                results.append(_result(self.ENTITY, start, end, 0.95 if context else 0.85,
                                       self.name))  # fmt: skip

        previous_end = 0
        for match in _TOKEN.finditer(text):
            token = match.group().lower()
            joined = not run or _GAP.match(text[previous_end : match.start()])
            if token == "and" and joined and run and run[-1].group().lower() in _ZEROS:
                previous_end = match.end()  # "nine hundred and six two one" runs on
                continue
            is_number = token in _DIGIT_WORDS or token in _REPEAT or token.isdigit()
            is_number = is_number or ((token in _ZEROS or token in _TENS) and bool(run) and joined)
            if not is_number or not joined:
                close()
                run = []
                if not is_number:
                    previous_end = match.end()
                    continue
            run.append(match)
            previous_end = match.end()
        close()
        return results


_TLDS = frozenset(
    "com org net uk co gov ac nhs sch police mod ltd plc me io info biz ie eu de fr es it nl be "
    "pl ro pt se no dk fi at ch us ca au nz in pk ng gh ke za cn jp kr tv app dev email online "
    "scot wales cymru london edu mail".split()
)
_AT = r"(?:\s+at\s+|\s*[\(\[\{<]\s*at\s*[\)\]\}>]\s*|\s*@\s*)"
_DOT = r"(?:\s+dot\s+|\s*[\(\[\{<]\s*dot\s*[\)\]\}>]\s*|[ \t]\.[ \t]|[ \t]?\.)"
_LABEL = r"[a-z0-9](?:[a-z0-9\-]*[a-z0-9])?"
_DOMAIN = re.compile(rf"(?P<at>{_AT})(?P<domain>{_LABEL}(?:{_DOT}{_LABEL}){{1,4}})(?![\w.])", re.I)
_JOINERS = frozenset({"dot", "underscore", "dash", "hyphen"})
_CUE_WORDS = frozenset(
    "email e-mail mail address contact reach write send me is at to my on or and please".split()
)


class SpelledEmailRecognizer(OneEntityRecognizer):
    """Email addresses with "at" / "dot" spelled out or bracketed."""

    ENTITY = "EMAIL_ADDRESS"
    MAX_LOCAL_WORDS = 3

    def analyze(
        self, text: str, entities: list[str], nlp_artifacts: NlpArtifacts | None = None
    ) -> list[RecognizerResult]:
        results = []
        for match in _DOMAIN.finditer(text):
            labels = re.split(_DOT, match.group("domain"), flags=re.I)
            if labels[-1].lower() not in _TLDS:
                continue
            spelled = (
                "@" not in match.group("at")
                or match.group("at") != "@"  # typed with spaces: "sam.jones @ example.com"
                or re.search(r"\s+dot\s+|[\(\[\{<]|\s\.", match.group("domain"), re.I)
            )
            if not spelled:
                continue
            start = self._local_start(text, match.start())
            if start is None:
                continue
            results.append(_result(self.ENTITY, start, match.end(), 0.9, self.name))
        return results

    def _local_start(self, text: str, end: int) -> int | None:
        """Where the local part before the "at" begins (at most three words, joined by spaces,
        dots or a spelled "dot"/"underscore"), or None when there is none."""
        tokens = list(re.finditer(r"[\w%+\-']+|[\(\[]\s*dot\s*[\)\]]", text[:end]))
        start: int | None = None
        words = 0
        for token in reversed(tokens):
            gap = text[token.end() : start if start is not None else end]
            if gap.strip(" ._") or "\n" in gap:
                break  # a comma, a colon, a new line: the local part ended
            word = token.group().lower().strip("-'")
            if word in _JOINERS or word.startswith(("(", "[")):
                start = token.start()
                continue
            if (
                not word
                or word in _CUE_WORDS
                or word in STOP_WORDS
                or words == self.MAX_LOCAL_WORDS
            ):
                break
            start = token.start()
            words += 1
        while start is not None and words and text[start:end].lower().split()[0] in _JOINERS:
            start += len(text[start:end].split()[0]) + 1
        return start if words and start is not None and start < end else None
