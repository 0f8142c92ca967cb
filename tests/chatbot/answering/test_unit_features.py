"""The ranker's features: named, one row per candidate, measuring what they say."""

from __future__ import annotations

from chatbot.answering.candidates import candidate_units
from chatbot.answering.fact_types import asked_fact_types
from chatbot.answering.features import FEATURES, unit_features
from tests.chatbot.answering.helpers import FINES, PERMITS, section


def features_for(question: str):  # type: ignore[no-untyped-def]
    found = [section(PERMITS), section(FINES, page="fines.md", section="Fines", rank=2)]
    cands = candidate_units(found)
    rows = unit_features(question, asked_fact_types(question), cands, found)
    return cands, {name: rows[:, i] for i, name in enumerate(FEATURES)}


def test_one_named_row_per_candidate() -> None:
    cands, f = features_for("how much is a second permit")
    assert len(f) == len(FEATURES) and all(len(v) == len(cands) for v in f.values())


def test_rare_question_words_weigh_more_than_common_ones() -> None:
    cands, f = features_for("how much is a second permit")
    second = next(i for i, c in enumerate(cands) if c.text.startswith("second permit"))
    first = next(i for i, c in enumerate(cands) if c.text.startswith("first permit"))
    assert f["lexical"][second] > f["lexical"][first] > 0
    assert f["lexical_rel"][second] == 1.0


def test_fact_type_and_page_features() -> None:
    cands, f = features_for("how much is a second permit")
    for i, c in enumerate(cands):
        assert f["fact_amount"][i] == (1.0 if "amount" in c.facts else 0.0)
        assert f["top_page"][i] == (1.0 if c.page == "parking/permits.md" else 0.0)
    lead = next(i for i, c in enumerate(cands) if c.unit.introduces_list)
    assert f["introduces_list"][lead] == 1.0 and f["is_item"][lead + 1] == 1.0
