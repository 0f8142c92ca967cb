"""The real presidio + spaCy redactor on UK resident messages (all values fictional: Ofcom drama
numbers, example.com, test NINO/NHS shapes)."""

from __future__ import annotations

import json
import logging
import re
from pathlib import Path

import pytest

from chatbot.redaction import PLACEHOLDER_TYPES, DetectedEntity, Redaction

ROOT = Path(__file__).resolve().parents[2]
CONTRACT_PLACEHOLDERS = {
    "<PERSON>", "<PHONE_NUMBER>", "<EMAIL_ADDRESS>", "<UK_POSTCODE>", "<STREET_ADDRESS>",
    "<UK_NINO>", "<UK_NHS>", "<DATE_OF_BIRTH>", "<BANK_ACCOUNT>", "<SORT_CODE>", "<CARD_NUMBER>",
    "<VEHICLE_REG>", "<COUNCIL_REF>",
    # the four identity types of EVAL_FORMAT.md that CONTRACTS.md does not name yet
    "<IBAN>", "<PASSPORT>", "<DRIVING_LICENCE>", "<IP_ADDRESS>",
}  # fmt: skip
PLACEHOLDER = re.compile(r"<[A-Z_]+>")

# (message, type, value): the value must be gone and the typed placeholder there.
CASES = [
    ("refund to GB61 TEST 4050 6187 6543 21 please", "IBAN", "GB61 TEST 4050 6187 6543 21"),
    ("my passport number is 533401372", "PASSPORT", "533401372"),
    ("licence JONES710238AB9CD for the taxi badge", "DRIVING_LICENCE", "JONES710238AB9CD"),
    ("the site blocked my ip 81.2.69.160 again", "IP_ADDRESS", "81.2.69.160"),
    ("Hi, I'm Jo Bloggs, call me on 07700 900123", "PHONE_NUMBER", "07700 900123"),
    ("my mobile is 07700900456, please ring after 5", "PHONE_NUMBER", "07700900456"),
    ("Call me on +44 7700 900789 about the missed bin", "PHONE_NUMBER", "+44 7700 900789"),
    ("landline (01632) 960-321, I'm in all day", "PHONE_NUMBER", "(01632) 960-321"),
    ("you can reach me on 020 7946 0018", "PHONE_NUMBER", "020 7946 0018"),
    ("Tel: 01632 960 444", "PHONE_NUMBER", "01632 960 444"),
    ("ring 0 7 7 0 0 9 0 0 6 5 4 after six", "PHONE_NUMBER", "0 7 7 0 0 9 0 0 6 5 4"),
    ("My postcode is SW1A 1AA, when is my bin day?", "UK_POSTCODE", "SW1A 1AA"),
    ("bins not collected at m1 1ae again", "UK_POSTCODE", "m1 1ae"),
    ("Is EH1 1YZ in your area for garden waste?", "UK_POSTCODE", "EH1 1YZ"),
    ("recycling centre nearest to bv47qt", "UK_POSTCODE", "bv47qt"),
    ("My National Insurance number is AB 12 34 56 C", "UK_NINO", "AB 12 34 56 C"),
    ("NI no QQ123456C for my Pension Credit claim", "UK_NINO", "QQ123456C"),
    ("QQ 123456 C", "UK_NINO", "QQ 123456 C"),
    ("my nino is jk-12-34-56-d", "UK_NINO", "jk-12-34-56-d"),
    ("national insurance number ab 12 34 56 (lost the letter)", "UK_NINO", "ab 12 34 56"),
    ("My NHS number is 943 476 5919", "UK_NHS", "943 476 5919"),
    ("nhs no 9434765919 for the carers assessment", "UK_NHS", "9434765919"),
    ("my mum's NHS number is 123 456 7890", "UK_NHS", "123 456 7890"),
    ("I was born on 12th March 1985 and need a Blue Badge", "DATE_OF_BIRTH", "12th March 1985"),
    ("DOB: 03/04/1990", "DATE_OF_BIRTH", "03/04/1990"),
    ("my date of birth is 7.11.1962", "DATE_OF_BIRTH", "7.11.1962"),
    ("I'm 34, born 1990, can I get help with rent?", "DATE_OF_BIRTH", "1990"),
    ("his birthday is March 3rd 2015 and he starts school", "DATE_OF_BIRTH", "March 3rd 2015"),
    ("sort code 12-34-56 account 55013742", "SORT_CODE", "12-34-56"),
    ("sort code 12-34-56 account 55013742", "BANK_ACCOUNT", "55013742"),
    ("Please refund it to my bank account 55779911", "BANK_ACCOUNT", "55779911"),
    ("bank details: sortcode 404040", "SORT_CODE", "404040"),
    ("My card number is 4111 1111 1111 1111", "CARD_NUMBER", "4111 1111 1111 1111"),
    ("I paid with 5500005555555559 twice!", "CARD_NUMBER", "5500005555555559"),
    ("Amex 3782 822463 10005 was charged", "CARD_NUMBER", "3782 822463 10005"),
    ("I got a parking ticket for my car AB12 CDE", "VEHICLE_REG", "AB12 CDE"),
    ("abandoned van reg ab51abc outside", "VEHICLE_REG", "ab51abc"),
    ("my reg is A123 BCD and I got a PCN", "VEHICLE_REG", "A123 BCD"),
    ("resident permit for vehicle ABC 123D", "VEHICLE_REG", "ABC 123D"),
    ("council tax account number 12345678", "COUNCIL_REF", "12345678"),
    ("My council tax ref is CT-1234567", "COUNCIL_REF", "CT-1234567"),
    ("HB/123456 is my housing benefit claim", "COUNCIL_REF", "HB/123456"),
    ("claim reference 1234567890, any news?", "COUNCIL_REF", "1234567890"),
    ("tenancy ref TEN-004217 - damp in bedroom", "COUNCIL_REF", "TEN-004217"),
    ("PCN number BV12345678 was wrong", "COUNCIL_REF", "BV12345678"),
    ("I live at 12 Acacia Avenue and the bin is missing", "STREET_ADDRESS", "12 Acacia Avenue"),
    ("Flat 3, 45 Mill Lane has no heating", "STREET_ADDRESS", "45 Mill Lane"),
    ("14b High Street has rubbish dumped outside", "STREET_ADDRESS", "14b High Street"),
    ("my address is 7 st john's road", "STREET_ADDRESS", "7 st john's road"),
    ("email me at m.whitcombe58@example.com", "EMAIL_ADDRESS", "m.whitcombe58@example.com"),
    ("jo.bloggs@brackenvale.example is my email", "EMAIL_ADDRESS", "jo.bloggs@brackenvale.example"),
    ("Hi, I'm Jo Bloggs, call me on 07700 900123", "PERSON", "Jo Bloggs"),
    ("my name is priya sharma and my bin is broken", "PERSON", "priya sharma"),
    ("My name is Margaret Oyelaran-Whitcombe", "PERSON", "Oyelaran-Whitcombe"),
    ("this is Tomasz, I need a new recycling box", "PERSON", "Tomasz"),
    ("my neighbour called Dave keeps dumping rubbish", "PERSON", "Dave"),
    ("Can I get a Blue Badge for my dad?\nThanks, Jo", "PERSON", "Jo"),
    ("Please call back.\n\nKind regards,\nAhmed Khan", "PERSON", "Ahmed Khan"),
    ("Mrs Patel at number 4 has had no collection", "PERSON", "Patel"),
    ("writing for my mother, Mrs Eileen Grant, who is 90", "PERSON", "Grant"),
    ("I spoke to Jane Hill at the council last week", "PERSON", "Jane Hill"),
    ("Mr. Smith's dog fouls the pavement", "PERSON", "Smith"),
    ("my carer Oluwaseun is off sick this week", "PERSON", "Oluwaseun"),
    ("hi this is Sean from number 23", "PERSON", "Sean"),
    ("I reported it to Constable Briggs", "PERSON", "Briggs"),
    ("АВ 12 34 56 С is my NI (Cyrillic look-alike letters)", "UK_NINO", "АВ 12 34 56 С"),
    ("text me 07700/900/321", "PHONE_NUMBER", "07700/900/321"),
]  # fmt: skip


@pytest.mark.parametrize(("message", "kind", "value"), CASES)
def test_identifier_is_redacted_with_its_typed_placeholder(
    redactor, message: str, kind: str, value: str
) -> None:
    result = redactor.redact(message)
    assert value not in result.text
    assert value.replace(" ", "") not in result.text.replace(" ", "")
    assert f"<{kind}>" in result.text, result.text
    assert kind in result.types


ORDINARY_QUESTIONS = [
    "When is my bin collected?",
    "How do I pay my council tax?",
    "Can I get Housing Benefit and Universal Credit at the same time?",
    "How do I apply for a Blue Badge?",
    "Am I eligible for Council Tax Reduction if I get Pension Credit?",
    "Does Disability Living Allowance count as income for Housing Benefit?",
    "I get Personal Independence Payment and Carer's Allowance, can I get a discount?",
    "Should I report a pothole on FixMyStreet?",
    "How do I renew my Freedom Pass?",
    "Do you still run Meals on Wheels?",
    "How do I apply for Free School Meals?",
    "Jobcentre Plus told me to contact the council about rent",
    "Citizens Advice said I should ask you about my arrears",
    "Is the nursery on Church Road rated by Ofsted?",
    "My son has SEND and needs an EHCP, who do I talk to?",
    "is the tip on Mill Lane open on Sundays",
    "There's a pothole on the High Street near the library",
    "Fly-tipping on Victoria Road again, who clears it?",
    "What time does Brackenvale Library open on Saturday?",
    "Can I pay my council tax by Direct Debit?",
    "I need to pay by 31 March, is that the deadline?",
    "How much is a garden waste permit for 2025?",
    "Who do I speak to about Adult Social Care?",
    "Does the NHS or the council pay for a carer?",
    "Can I get a parking permit for a second car?",
    "What goes in the green bin?",
    "I have 3 bins in the park near my house, who empties them?",
    "How do I register a birth?",
    "Is there a Household Support Fund this winter?",
    "I'm disabled and need help with my bins",
    "This is urgent, my boiler has broken and I have two kids",
    "How do I complain to the Ombudsman?",
    "I'm in Band D, how much is council tax for 2024/25?",
    "Can St Mary's school take my son in September?",
    "My Neighbour Keeps Parking Across My Drive",
    "my landlord Brackenvale Homes won't fix the damp",
    "The council tax is due on 01/04/2025, can I pay later?",
]


@pytest.mark.parametrize("question", ORDINARY_QUESTIONS)
def test_ordinary_questions_come_out_identical(redactor, question: str) -> None:
    result = redactor.redact(question)
    assert result.text == question
    assert result.entities == []


SERVICE_WORDS = [
    "Housing Benefit", "Universal Credit", "Blue Badge", "Council Tax Reduction", "Pension Credit",
    "Disability Living Allowance", "Personal Independence Payment", "Carer's Allowance",
    "FixMyStreet", "Freedom Pass", "Meals on Wheels", "Free School Meals", "Jobcentre Plus",
    "Citizens Advice", "Ofsted", "NHS", "SEND", "EHCP",
]  # fmt: skip


@pytest.mark.parametrize("service", SERVICE_WORDS)
@pytest.mark.parametrize(
    "template",
    ["Can I get {s}?", "{s} told me to ask the council", "I'm on {s} and my name is Jo Bloggs"],
)
def test_service_words_survive(redactor, service: str, template: str) -> None:
    message = template.format(s=service)
    assert service in redactor.redact(message).text


def test_council_keep_terms_are_never_names(redactor_cls) -> None:
    redactor = redactor_cls(keep_terms=["Brackenvale"])
    assert (
        redactor.redact("This is Brackenvale, isn't it?").text == "This is Brackenvale, isn't it?"
    )


@pytest.fixture(scope="module")
def redactor_cls():  # type: ignore[no-untyped-def]
    from chatbot.redaction import Redactor

    return Redactor


def test_placeholders_are_exactly_the_contract(redactor) -> None:
    assert {f"<{t}>" for t in PLACEHOLDER_TYPES} == CONTRACT_PLACEHOLDERS
    seen: set[str] = set()
    for message, _, _ in CASES:
        seen.update(PLACEHOLDER.findall(redactor.redact(message).text))
    assert seen == CONTRACT_PLACEHOLDERS  # every type is produced, and nothing else


def test_entities_point_into_the_original_text_and_hold_no_values(redactor) -> None:
    message = "I'm Jo Bloggs, 07700 900123, jo@example.com, BV4 7QT"
    result = redactor.redact(message)
    assert isinstance(result, Redaction)
    assert [e.type for e in result.entities] == [
        "PERSON",
        "PHONE_NUMBER",
        "EMAIL_ADDRESS",
        "UK_POSTCODE",
    ]
    originals = [message[e.start : e.end] for e in result.entities]
    assert originals == ["Jo Bloggs", "07700 900123", "jo@example.com", "BV4 7QT"]
    for entity in result.entities:
        assert isinstance(entity, DetectedEntity)
        assert set(entity._fields) == {"type", "start", "end", "score"}
        assert 0 < entity.score <= 1
        assert all(not isinstance(v, str) or v in PLACEHOLDER_TYPES for v in entity)
    assert result.types == {"PERSON", "PHONE_NUMBER", "EMAIL_ADDRESS", "UK_POSTCODE"}


def test_possessive_and_neighbouring_entities_keep_their_own_placeholders(redactor) -> None:
    assert redactor.redact("Mr. Smith's dog").text == "Mr. <PERSON>'s dog"
    postcodes = redactor.redact("SW1A 1AA N1 9GU B33 8TH")
    assert postcodes.text == "<UK_POSTCODE> <UK_POSTCODE> <UK_POSTCODE>"
    assert len(postcodes.entities) == 3


def test_overlapping_detections_become_one_span(redactor) -> None:
    # The NINO also looks like a sort code near "bank": one NINO placeholder, nothing left over.
    result = redactor.redact("bank asked for my NI number AB 12 34 56 C")
    assert result.text == "bank asked for my NI number <UK_NINO>"


def test_zero_width_characters_do_not_hide_a_number(redactor) -> None:
    message = "call 0770\u200b0 900\u200d123 please"
    result = redactor.redact(message)
    assert result.text == "call <PHONE_NUMBER> please"
    (entity,) = result.entities
    assert message[entity.start : entity.end] == "0770\u200b0 900\u200d123"


HOSTILE = [
    "",
    "   ",
    "a" * 5000,
    "1" * 3000,
    "07700 900123 " * 200,
    "<script>alert('x')</script> my name is Jo <b>Bloggs</b> 07700 900123",
    "😀🔥💩 " * 300 + "Jo Bloggs 07700 900123",
    "Ｍｙ ｐｈｏｎｅ ０７７００ ９００１２３",
    "\u202e\u2066 AB 12 34 56 C \u2069\ufeff\x00\x07",
    "Zoë Ångström-Łukasiewicz lives at 9 Ćwiklińska Road",
    "名前は山田です 07700 900123 مرحبا",
    "\ud800 broken surrogate 07700 900123",
    "@@@@" * 500 + "x@y.z" * 300,
    "12/12/12/12/12/12/12/12/12/12/12/12/12/12/12/12 born",
    ("Flat 1, " * 300) + "2 Acacia Avenue",
    " ".join(["word"] * 3000),
]


@pytest.mark.parametrize("message", HOSTILE, ids=[f"hostile-{i}" for i in range(len(HOSTILE))])
def test_hostile_input_never_raises(redactor, message: str) -> None:
    result = redactor.redact(message)
    assert isinstance(result.text, str)
    for entity in result.entities:
        assert 0 <= entity.start < entity.end <= len(message)


def test_hostile_input_still_redacts(redactor) -> None:
    assert "07700 900123" not in redactor.redact("😀🔥💩 " * 300 + "07700 900123").text
    assert "900123" not in redactor.redact("<script>x</script>07700 900123").text
    long_text = "Please help with my bins. " * 100 + "My number is 07700 900123."
    assert "<PHONE_NUMBER>" in redactor.redact(long_text).text
    assert (
        "０７７００ ９００１２３"
        not in redactor.redact("Ｍｙ ｐｈｏｎｅ ０７７００ ９００１２３").text
    )


def test_very_long_text_is_redacted_across_chunks(redactor) -> None:
    filler = "The bins on our road were not collected again this week. " * 800  # ~46k chars
    message = f"{filler} Call 07700 900123. {filler} My NI is AB 12 34 56 C."
    result = redactor.redact(message)
    assert "07700 900123" not in result.text
    assert "AB 12 34 56 C" not in result.text
    assert result.text.count("<PHONE_NUMBER>") == 1


def test_nothing_personal_is_logged(redactor, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    message = "I'm Jo Bloggs, 07700 900123, jo@example.com, BV4 7QT, NI AB 12 34 56 C"
    redactor.redact(message)
    logged = "\n".join(r.getMessage() for r in caplog.records)
    for value in ["Jo Bloggs", "Bloggs", "07700 900123", "jo@example.com", "BV4 7QT", "AB 12"]:
        assert value not in logged


def _dataset() -> list[dict]:
    path = ROOT / "evals" / "datasets" / "redaction.jsonl"
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line]


def test_redaction_dataset_is_well_formed() -> None:
    cases = _dataset()
    assert len(cases) >= 40
    ids = [c["id"] for c in cases]
    assert len(set(ids)) == len(ids)
    for case in cases:
        assert re.fullmatch(r"pii-\d{3}", case["id"])
        assert isinstance(case["text"], str) and case["text"]
        for pii in case["pii"]:
            assert pii["type"] in PLACEHOLDER_TYPES
            assert pii["value"] in case["text"], case["id"]
        for keep in case.get("must_keep", []):
            assert keep in case["text"], case["id"]


# Known misses, kept in the dataset on purpose so the eval reports them: a lower-case first name
# after "its" ("hi its priya from ...") is not told apart from an ordinary word.
KNOWN_LEAKS = {("pii-024", "PERSON")}


def test_redaction_dataset_leaks_only_the_known_misses(redactor) -> None:
    leaks, over = set(), []
    for case in _dataset():
        text = redactor.redact(case["text"]).text
        leaks |= {(case["id"], p["type"]) for p in case["pii"] if p["value"] in text}
        over += [(case["id"], k) for k in case.get("must_keep", []) if k not in text]
    assert leaks <= KNOWN_LEAKS, sorted(leaks - KNOWN_LEAKS)
    assert over == []
