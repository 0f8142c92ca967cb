"""The confidence of a composed answer: its parts, and the fitted model over them."""

from __future__ import annotations

import numpy as np

from chatbot.answering.assembly import assemble
from chatbot.answering.candidates import candidate_units
from chatbot.answering.confidence import (
    CONFIDENCE_FEATURES,
    RULE_PARTS,
    ConfidenceModel,
    confidence_parts,
    points_on,
)
from chatbot.answering.fact_types import asked_fact_types
from chatbot.answering.model import LogisticModel
from chatbot.answering.ranker import UnitRanker
from chatbot.conversation import own_words
from knowledge.types import RetrievedChunk
from tests.chatbot.answering.helpers import FINES, PERMITS, section


def parts_for(question: str, found):  # type: ignore[no-untyped-def]
    asked = asked_fact_types(question)
    ranked = UnitRanker().rank(question, asked, candidate_units(found), found)
    answer = assemble(ranked, found, question, 120)
    return confidence_parts(question, asked, found, ranked, answer)


def test_every_part_is_measured() -> None:
    parts = parts_for("how much is a second permit", [section(PERMITS)])
    assert set(parts) == set(CONFIDENCE_FEATURES) | set(RULE_PARTS)
    assert parts["fact_found"] == 1.0 and parts["coverage"] > 0.9 and parts["uncovered"] == 0.0


def test_words_the_pages_lack_are_measured_as_uncovered() -> None:
    parts = parts_for("how much is an allotment plot", [section(PERMITS)])
    assert parts["uncovered"] > 0.5


def test_a_part_is_covered_by_its_own_words_not_the_question_added_to_find_pages() -> None:
    # "is there an allotment waiting list? (how much is a second permit)": the brackets
    # help retrieval find the permits page; whether the answer covers what was asked now is
    # read from the part's own words.
    part = "is there an allotment waiting list? (how much is a second permit)"
    assert own_words(part) == "is there an allotment waiting list?"
    assert own_words("how much (roughly) is a permit") == "how much (roughly) is a permit"
    with_context = parts_for(part, [section(PERMITS)])
    alone = parts_for("is there an allotment waiting list?", [section(PERMITS)])
    assert with_context["uncovered"] == alone["uncovered"] > 0.5
    assert with_context["coverage"] == alone["coverage"]


def test_a_rival_page_saying_the_same_is_noticed() -> None:
    copy = section(PERMITS, page="other-council/permits.md", rank=2)
    assert parts_for("how much is a second permit", [section(PERMITS), copy])["rival_same"] == 1.0
    other = section(FINES, page="fines.md", rank=2)
    assert parts_for("how much is a second permit", [section(PERMITS), other])["rival_same"] == 0.0


def test_the_same_words_on_pages_of_one_service_agree() -> None:
    # One council's parking pages each end with the team's number: whichever page is meant,
    # the answer is the same. Another council's copy, another service's page, or a copy
    # that differs in a figure still leaves open whose answer the resident needs.
    contact = "Call the parking team on 01632 960400 (Monday to Friday, 9am to 5pm)."
    question = "what is the parking team's phone number"

    def page(name: str, rank: int, **kw) -> RetrievedChunk:  # type: ignore[no-untyped-def]
        return section(contact, page=name, rank=rank, **kw)

    home = page("parking/fines.md", 1, service_area="parking")
    sibling = page("parking/visitor-permits.md", 2)  # no service area: its folder's
    assert parts_for(question, [home, sibling])["rival_same"] == 0.0
    other_site = page("parking/permits.md", 2, site="https://other-council.example")
    assert parts_for(question, [home, other_site])["rival_same"] == 1.0
    other_service = page("housing/repairs.md", 2, service_area="housing")
    assert parts_for(question, [home, other_service])["rival_same"] == 1.0
    same_folder_other_area = page("parking/waste.md", 2, service_area="bins")
    assert parts_for(question, [home, same_folder_other_area])["rival_same"] == 1.0
    changed = section(contact.replace("960400", "960401"), page="parking/permits.md", rank=2)
    assert parts_for(question, [home, changed])["rival_same"] == 1.0
    top_level = section(contact, page="fines.md", rank=1)  # no folder says what belongs together
    assert (
        parts_for(question, [top_level, section(contact, page="permits.md", rank=2)])["rival_same"]
        == 1.0
    )


def test_the_same_instructions_on_pages_of_one_service_stay_rivals() -> None:
    # agreement is for a figure asked for (a price, a time, a number): the same steps on two
    # pages of a service do not say which page's process the resident is in
    again = section(PERMITS, page="parking/visitors.md", rank=2)
    assert parts_for("how much is a second permit", [section(PERMITS), again])["rival_same"] == 0.0
    steps = "how can i buy a resident parking permit"
    assert parts_for(steps, [section(PERMITS), again])["rival_same"] == 1.0


def test_nothing_to_say_scores_low() -> None:
    parts = parts_for("how much is a second permit", [])
    assert ConfidenceModel().score(parts).value < 0.5


def test_the_model_is_a_probability_rising_with_a_positive_weight() -> None:
    n = len(CONFIDENCE_FEATURES)
    coef = np.zeros(n)
    coef[CONFIDENCE_FEATURES.index("coverage")] = 2.0
    model = ConfidenceModel(LogisticModel(CONFIDENCE_FEATURES, np.zeros(n), np.ones(n), coef, -1))
    low = model.score({**dict.fromkeys(CONFIDENCE_FEATURES, 0.0), "coverage": 0.0})
    high = model.score({**dict.fromkeys(CONFIDENCE_FEATURES, 0.0), "coverage": 1.0})
    assert 0 < low.value < high.value < 1 and high.parts["coverage"] == 1.0


def test_an_answer_other_pages_also_carry_is_never_confident() -> None:
    n = len(CONFIDENCE_FEATURES)
    sure = ConfidenceModel(
        LogisticModel(CONFIDENCE_FEATURES, np.zeros(n), np.ones(n), np.zeros(n), 9)
    )
    parts = dict.fromkeys(CONFIDENCE_FEATURES, 0.0)
    assert sure.score(parts).value > 0.99
    assert sure.score({**parts, "rival_same": 1.0}).value <= 0.5


def test_an_answer_without_the_one_shape_asked_for_is_never_confident() -> None:
    """ "What day" can only be answered by a day; "every two weeks" is no answer to it."""
    rounds = section(
        "We empty brown bins every two weeks from March to November.\n"
        "Collections are on your usual collection day.",
        page="bins/garden.md",
        section="When we collect",
        title="Garden waste",
    )
    days = section(
        "Collections by area:\n- Monday: Northside\n- Tuesday: Eastfield",
        page="bins/days.md",
        section="Collection days",
        title="Bin collection days",
    )
    assert parts_for("what day do you collect garden waste", [rounds])["shape_missing"] == 1.0
    assert parts_for("what day do you collect garden waste", [days])["shape_missing"] == 0.0
    assert parts_for("how often do you collect garden waste", [rounds])["shape_missing"] == 0.0
    n = len(CONFIDENCE_FEATURES)
    sure = ConfidenceModel(
        LogisticModel(CONFIDENCE_FEATURES, np.zeros(n), np.ones(n), np.zeros(n), 9)
    )
    parts = dict.fromkeys(CONFIDENCE_FEATURES, 0.0)
    assert sure.score({**parts, "shape_missing": 1.0}).value <= 0.5


def test_an_answer_that_only_points_elsewhere_is_never_confident() -> None:
    """A sentence that sends the reader to another page says no fact of its own."""
    pointer = section(
        "If you want to move your child to another school during the year, see moving "
        "school (https://www.brackenvale.example/schools/moving).",
        page="schools/admissions.md",
        section="Moving school",
        title="School admissions",
    )
    facts = section(
        "You can apply to move school at any time of year. We reply within 15 school days.",
        page="schools/moving.md",
        section="Moving school",
        title="Moving school",
    )
    question = "can my son move school in the spring term"
    assert parts_for(question, [pointer])["pointer_only"] == 1.0
    assert parts_for(question, [facts])["pointer_only"] == 0.0
    assert points_on("See the bin calendar for your dates.")
    assert points_on("For more information, read our guide.")
    assert not points_on("We reply within 15 school days, see the letter for details.")
    n = len(CONFIDENCE_FEATURES)
    sure = ConfidenceModel(
        LogisticModel(CONFIDENCE_FEATURES, np.zeros(n), np.ones(n), np.zeros(n), 9)
    )
    parts = dict.fromkeys(CONFIDENCE_FEATURES, 0.0)
    assert sure.score({**parts, "pointer_only": 1.0}).value <= 0.5
