"""Answer assembly: lead with the fact, whole lists, whole sentences, one page, named places."""

from __future__ import annotations

from chatbot.answering.assembly import assemble
from chatbot.answering.candidates import Candidate, candidate_units
from tests.chatbot.answering.helpers import FINES, HOURS, PERMITS, section

CLOSE_ONLY = {"relative": 0.5, "minimum": 0.15, "max_units": 4}  # units near the best only


def scored(retrieved, scores: dict[str, float]) -> list[Candidate]:  # type: ignore[no-untyped-def]
    """Candidates with the given scores (by a word the unit holds), best first."""
    cands = candidate_units(retrieved)
    for c in cands:
        c.score = max((s for word, s in scores.items() if word in c.text), default=0.01)
    return sorted(cands, key=lambda c: (-c.score, c.section, c.unit.order))


def test_a_list_item_comes_with_its_lead_in_and_the_short_list_whole() -> None:
    found = [section(PERMITS)]
    answer = assemble(scored(found, {"second permit": 0.9}), found, "second permit price", 120)
    lines = answer.text.splitlines()
    assert lines[0].endswith("how many permits your home has:")
    assert "- first permit: £60 a year" in lines and "- third permit: £150 a year" in lines
    assert answer.best is not None and "second permit" in answer.best.text


def test_the_fact_leads_even_when_it_is_late_in_the_section() -> None:
    found = [section(PERMITS)]
    answer = assemble(scored(found, {"post the permit": 0.9, "Permits last": 0.6}), found, "q", 120)
    assert answer.text.startswith("We post the permit within 5 working days.")


DOGS = (
    "Dogs bark for many reasons. But a dog that barks all night can be a nuisance. "
    "You can report it to us. We write to the owner first."
)
ACCOUNT = "You can pay in 10 instalments. You need your account number. It is printed on your bill."


def test_a_sentence_that_leans_on_the_one_before_keeps_its_place() -> None:
    """Leading with the fact must not put "It is printed on your bill" after a sentence about
    instalments, or open with "But ..." (seen on the demo council, 2026-12-04)."""
    found = [section(ACCOUNT)]
    answer = assemble(scored(found, {"account number": 0.9, "instalments": 0.6}), found, "q", 120)
    assert answer.text.startswith("You need your account number. It is printed on your bill.")
    found = [section(DOGS)]
    answer = assemble(scored(found, {"all night": 0.9, "report": 0.6}), found, "q", 120)
    assert answer.text.startswith("Dogs bark for many reasons. But a dog that barks all night")


LATE = (
    "We send a reminder when a payment is late. You then have 10 days to pay. "
    "See what to do if you are struggling (/struggling) for the help we offer."
)


def test_a_sentence_sending_the_reader_elsewhere_never_opens_the_answer() -> None:
    """ "See if you cannot pay ... for what happens next" opened an answer about a missed payment
    (demo council, 2026-12-04): the section is read from its start instead; only the order
    changes (the ranker's best unit, which the confidence scores, stays the same)."""
    found = [section(LATE)]
    answer = assemble(scored(found, {"See what": 0.9, "10 days": 0.6}), found, "q", 120)
    assert answer.text.startswith("We send a reminder when a payment is late. You then have")
    assert answer.text.rstrip().endswith("for the help we offer.")
    assert answer.best is not None and answer.best.text.startswith("See what")


def test_sentences_are_never_cut_and_the_limit_drops_whole_units() -> None:
    long = "Permits " + " ".join(["cost money"] * 80) + "."
    found = [section(long + " Permits last a year.")]
    answer = assemble(scored(found, {"cost money": 0.9, "last a year": 0.8}), found, "q", 60)
    assert answer.text == long  # the best unit whole, the next one dropped


def test_one_page_only_even_when_another_page_scores_well() -> None:
    found = [section(PERMITS), section(FINES, page="parking/fines.md", section="Fines")]
    answer = assemble(scored(found, {"second permit": 0.9, "higher level": 0.85}), found, "q", 120)
    assert "£70" not in answer.text
    assert {rc.chunk.page_id for rc in answer.chunks} == {"parking/permits.md"}


def test_places_are_named_when_several_sections_answer() -> None:
    found = [
        section(text, page="libraries.md", section=name, title="Libraries")
        for name, text in HOURS.items()
    ]
    answer = assemble(scored(found, {"Saturday": 0.9}), found, "saturday hours", 120, CLOSE_ONLY)
    assert "Central Library:\nSaturday: 9am to 4pm." in answer.text
    assert "Northgate Library:\nSaturday: 10am to 1pm." in answer.text
    assert [rc.chunk.section for rc in answer.chunks] == list(HOURS)


def test_sources_are_exactly_the_sections_quoted() -> None:
    found = [section(PERMITS), section("Permits are posted.", section="Delivery")]
    answer = assemble(scored(found, {"second permit": 0.9}), found, "q", 120, CLOSE_ONLY)
    assert [rc.chunk.section for rc in answer.chunks] == ["Costs"]


def test_a_long_list_says_how_many_items_it_leaves_out() -> None:
    items = "\n".join(f"- reason number {n}" for n in range(12))
    found = [section("You can apply if:\n" + items)]
    answer = assemble(scored(found, {"number 3": 0.9}), found, "q", 120, CLOSE_ONLY)
    assert answer.text.splitlines()[0] == "You can apply if:"
    assert answer.text.splitlines()[-1] == "(the page lists more)"
    filled = assemble(scored(found, {"number 3": 0.9}), found, "q", 120).text.splitlines()
    assert filled[1:4] == ["- reason number 0", "- reason number 1", "- reason number 2"]
    assert filled[-1] == "(the page lists more)"


def test_by_default_the_answer_fills_up_with_the_pages_next_best_units() -> None:
    found = [section(PERMITS), section("Permits are posted.", section="Delivery")]
    answer = assemble(scored(found, {"second permit": 0.9}), found, "q", 120)
    assert "Permits are posted." in answer.text and len(answer.chunks) == 2


def test_nothing_retrieved_is_an_empty_answer() -> None:
    assert assemble([], [], "q", 120).text == ""


def test_a_price_asked_for_leads_even_when_another_unit_ranks_first() -> None:
    """Only the order changes: the same units are quoted and the best unit stays the best."""
    found = [section(PERMITS), section("Permits are posted.", section="Delivery")]
    question = "how much does it cost to get a permit posted?"
    ranked = scored(found, {"Permits are posted": 0.9, "second permit": 0.8})
    answer = assemble(ranked, found, question, 120)
    plain = assemble(ranked, found, "when are permits posted?", 120)
    assert answer.text.index("£") < answer.text.index("Permits are posted.")
    assert plain.text.index("Permits are posted.") < plain.text.index("£")
    assert {c.key for c in answer.quoted} == {c.key for c in plain.quoted}
    assert answer.best is not None and answer.best.text.startswith("Permits are posted")
