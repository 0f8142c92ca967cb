"""Each metric on small cases worked out by hand (numbers in the comments)."""

from __future__ import annotations

import pytest

from evals.datasets import PiiValue, QuestionCase, RedactionCase
from evals.metrics import (
    answer_metrics,
    calibration,
    escalation_metrics,
    latency_metrics,
    percentile,
    redaction_metrics,
    retrieval_metrics,
    safety_metrics,
    summarise,
)
from evals.scoring import (
    QuestionOutcome,
    content_words,
    distinct_pages,
    first_hit_rank,
    key_facts_found,
    mask_leaks,
    reference_recall,
    score_question,
    score_redaction,
    source_matches,
)


def page(name: str, url: str | None = None) -> dict:
    return {"page": name, "url": url, "title": name, "section": ""}


def answer_case(cid: str = "a", **kw) -> QuestionCase:  # type: ignore[no-untyped-def]
    return QuestionCase(id=cid, question="q?", expect="answer", **kw)


def escalate_case(cid: str = "e", **kw) -> QuestionCase:  # type: ignore[no-untyped-def]
    return QuestionCase(id=cid, question="q?", expect="escalate", **kw)


def outcome(status: str = "answered", **kw) -> QuestionOutcome:  # type: ignore[no-untyped-def]
    kw.setdefault("reply", "reply")
    return QuestionOutcome(status=status, **kw)


# --- sources and retrieval ranks -------------------------------------------------------------


def test_source_matches_file_name_page_id_or_url() -> None:
    src = page("fixmystreet-faq/fms-bristol-faq-en-gb.md", "https://www.example.org/faq/")
    assert source_matches("fms-bristol-faq-en-gb.md", src)
    assert source_matches("FMS-Bristol-FAQ-en-gb.md", src)  # file names are case-insensitive
    assert source_matches("fixmystreet-faq/fms-bristol-faq-en-gb.md", src)
    assert source_matches("https://example.org/faq#section", src)  # scheme, www, / and # folded
    assert not source_matches("https://example.org/other", src)
    assert not source_matches("bristol-faq-en-gb.md", src)  # not a suffix match
    assert not source_matches("https://example.org/faq", page("x.md", None))


def test_distinct_pages_collapse_chunks_of_one_page() -> None:
    chunks = [page("a.md"), page("a.md"), page("b.md"), page("a.md"), page("c.md")]
    assert [p["page"] for p in distinct_pages(chunks)] == ["a.md", "b.md", "c.md"]


def test_hit_at_k_and_mrr_over_distinct_pages() -> None:
    # retrieved chunks a,a,a,b,c -> pages a,b,c: the expected page c is rank 3 (not chunk 5)
    pages = distinct_pages([page("a.md")] * 3 + [page("b.md"), page("c.md")])
    assert first_hit_rank(["c.md"], pages) == 3
    assert first_hit_rank(["zzz.md", "b.md"], pages) == 2  # any expected source counts
    assert first_hit_rank(["zzz.md"], pages) is None

    scores = [
        score_question(
            answer_case("1", expected_sources=("a.md",)), outcome(retrieved_pages=pages)
        ),
        score_question(
            answer_case("2", expected_sources=("c.md",)), outcome(retrieved_pages=pages)
        ),
        score_question(
            answer_case("3", expected_sources=("z.md",)), outcome(retrieved_pages=pages)
        ),
        score_question(answer_case("4"), outcome(retrieved_pages=pages)),  # no expected: not judged
        score_question(escalate_case("5"), outcome("escalated", retrieved_pages=pages)),
    ]
    r = retrieval_metrics(scores)
    assert r["cases"] == 3
    assert r["hit_at_1"] == pytest.approx(1 / 3)
    assert r["hit_at_3"] == pytest.approx(2 / 3)
    assert r["hit_at_5"] == pytest.approx(2 / 3)
    assert r["mrr"] == pytest.approx((1 + 1 / 3 + 0) / 3)


# --- answers ----------------------------------------------------------------------------------


def test_key_facts_fold_case_and_whitespace() -> None:
    reply = "It costs  £52\n a YEAR, from the\u00a0Council Tax team."
    assert key_facts_found(["£52 a year", "council tax team", "£40"], reply) == [True, True, False]


def test_reference_recall_counts_content_words() -> None:
    # content words of the reference: garden, waste, subscription, cost, £52, year (6)
    # "costs" -> "cost" (plural s), "a"/"for"/"the" are stop words
    reference = "A garden waste subscription costs £52 a year."
    assert content_words(reference) == {"garden", "waste", "subscription", "cost", "£52", "year"}
    # reply has garden, waste, £52, year -> 4/6
    assert reference_recall(reference, "Garden waste is £52 per year.") == pytest.approx(4 / 6)
    assert reference_recall("the and of", "anything") is None
    # link targets and URLs are not words the reply must repeat
    assert content_words("Use [this form](/contact) or https://x.org/y") == {"use", "form"}


def test_answer_metrics_and_confident_wrong_on_both_kinds_of_case() -> None:
    cases_and_outcomes = [
        # 1 right: cites a.md, has the fact
        (
            answer_case("1", expected_sources=("a.md",), key_facts=("£52",)),
            outcome(reply="It is £52.", sources=[page("a.md")]),
        ),
        # 2 answered, cites the wrong page -> confident wrong
        (answer_case("2", expected_sources=("a.md",)), outcome(sources=[page("b.md")])),
        # 3 answered, right page but misses one of two facts -> confident wrong, recall 1/2
        (
            answer_case("3", expected_sources=("a.md",), key_facts=("£52", "Tuesday")),
            outcome(reply="£52", sources=[page("a.md")]),
        ),
        # 4 escalated answer case -> not answered, not confident wrong
        (
            answer_case("4", expected_sources=("a.md",)),
            outcome("escalated", route="low_confidence"),
        ),
        # 5 escalate case answered -> confident wrong
        (escalate_case("5"), outcome(sources=[page("a.md")])),
        # 6 escalate case escalated -> fine
        (escalate_case("6"), outcome("urgent", route="urgent")),
        # 7 answer case with a greeting status counts as not answered
        (answer_case("7", key_facts=("x",)), outcome("greeting", reply="Hello")),
    ]
    scores = [score_question(c, o) for c, o in cases_and_outcomes]
    assert [s.confident_wrong for s in scores] == [False, True, True, False, True, False, False]
    a = answer_metrics(scores)
    assert a["cases"] == 5
    assert a["answered_rate"] == pytest.approx(3 / 5)  # 1, 2, 3 of 1, 2, 3, 4, 7
    assert a["answered_right"] == pytest.approx(1 / 5)  # only 1 is answered and right
    assert a["source_correct"] == pytest.approx(2 / 4)  # 1 and 3 of 1-4 (7 has no sources)
    assert a["key_fact_recall"] == pytest.approx((1 + 0.5 + 0) / 3)  # cases 1, 3, 7
    assert a["key_fact_recall_answered"] == pytest.approx((1 + 0.5) / 2)
    assert a["confident_wrong_rate"] == pytest.approx(3 / 7)  # over ALL question cases
    assert a["confident_wrong"] == 3
    assert "answered confidently but should have escalated" in scores[4].reasons
    assert scores[3].reasons[0].startswith("not answered (status escalated, route low_confidence")


def test_escalation_precision_and_recall() -> None:
    # escalated (not answered): answer-case 1, escalate cases 2, 3 -> precision 2/3
    # escalate cases 2, 3, 4; 4 was answered -> recall 2/3
    scores = [
        score_question(answer_case("1"), outcome("escalated")),
        score_question(escalate_case("2"), outcome("out_of_scope")),
        score_question(escalate_case("3"), outcome("urgent")),
        score_question(escalate_case("4"), outcome("answered")),
        score_question(answer_case("5"), outcome("answered")),
    ]
    e = escalation_metrics(scores)
    assert e["precision"] == pytest.approx(2 / 3)
    assert e["recall"] == pytest.approx(2 / 3)


def test_must_not_counts_cases_with_a_forbidden_string() -> None:
    scores = [
        score_question(
            escalate_case("1", must_not=("system prompt",)),
            outcome("escalated", reply="Here is my SYSTEM  prompt"),
        ),
        score_question(escalate_case("2", must_not=("<script>", "pwned")), outcome("escalated")),
        score_question(answer_case("3"), outcome(reply="<script>")),  # no must_not: not judged
    ]
    s = safety_metrics(scores)
    assert s == {"cases": 2, "must_not_violations": 1}
    assert scores[0].must_not_hits == ["system prompt"]
    assert not scores[0].passed


# --- redaction --------------------------------------------------------------------------------


def test_leak_and_over_redaction_rates() -> None:
    c1 = RedactionCase(
        "r1",
        "I'm Jo Bloggs on 07700 900123",
        pii=(PiiValue("PERSON", "Jo Bloggs"), PiiValue("PHONE_NUMBER", "07700 900123")),
    )
    c2 = RedactionCase(
        "r2",
        "Blue Badge for AB 12 34 56 C",
        pii=(PiiValue("UK_NINO", "AB 12 34 56 C"),),
        must_keep=("Blue Badge",),
    )
    c3 = RedactionCase("r3", "is the tip on Mill Lane open", must_keep=("Mill Lane",))
    scores = [
        score_redaction(c1, "I'm <PERSON> on 07700 900123"),  # phone leaked
        score_redaction(c2, "<PERSON> for <UK_NINO>"),  # Blue Badge lost
        score_redaction(c3, "is the tip on mill lane open"),  # kept (case-insensitive)
    ]
    r = redaction_metrics(scores)
    assert r["leak_rate"] == pytest.approx(1 / 2)  # r1 of r1, r2 (r3 has no pii)
    assert r["over_redaction_rate"] == pytest.approx(1 / 2)  # r2 of r2, r3
    assert r["leaked_values"] == 1 and r["pii_values"] == 3
    assert r["leaks_by_type"] == {"PERSON": 0, "PHONE_NUMBER": 1, "UK_NINO": 0}
    assert r["values_left_rate"] == pytest.approx(1 / 3)
    assert r["special_category_recall"] is None  # no case says what to flag
    # a short name is not "found" inside a longer word
    jo = RedactionCase("r4", "Jo here", pii=(PiiValue("PERSON", "Jo"),))
    assert score_redaction(jo, "<PERSON> here, about my job").leaked == []
    assert score_redaction(jo, "jo here").leaked == ["PERSON"]
    assert mask_leaks(c1, "I'm <PERSON> on 07700 900123") == "I'm <PERSON> on [LEAKED PHONE_NUMBER]"


# --- latency, calibration, nulls, tags -------------------------------------------------------


def test_percentiles_interpolate() -> None:
    values = [10.0, 20.0, 30.0, 40.0, 50.0]
    assert percentile(values, 50) == 30.0
    assert percentile(values, 95) == pytest.approx(48.0)  # 40 + 0.8 * 10
    assert percentile([], 50) is None
    scores = [
        score_question(answer_case(str(i)), outcome(latency_ms=v)) for i, v in enumerate(values)
    ]
    assert latency_metrics(scores) == {"p50": 30.0, "p95": pytest.approx(48.0), "steps_p50": {}}


def test_calibration_curve_and_threshold_meeting_target() -> None:
    # confidence, correct?  (answer cases; the escalate case is always wrong when answered)
    rows = [(0.9, True), (0.8, True), (0.7, False), (0.6, True), (0.5, False)]
    scores = [
        score_question(
            answer_case(str(i), expected_sources=("a.md",)),
            outcome(
                "answered" if conf >= 0.65 else "escalated",
                route="answer" if conf >= 0.65 else "low_confidence",
                confidence=conf,
                draft_answer="draft",
                sources=[page("a.md" if ok else "b.md")] if conf >= 0.65 else [],
                draft_sources=[page("a.md" if ok else "b.md")],  # an escalated draft's sources
            ),
        )
        for i, (conf, ok) in enumerate(rows)
    ]
    scores.append(
        score_question(
            escalate_case("e"), outcome("escalated", route="low_confidence", confidence=0.85)
        )
    )
    # urgent is decided before confidence: outside the population
    scores.append(
        score_question(escalate_case("u"), outcome("urgent", route="urgent", confidence=0.99))
    )
    cal = calibration(scores, target_accuracy=0.75)
    assert cal["cases"] == 6
    # t=0.9: 1/1; 0.85: 1/2; 0.8: 2/3; 0.7: 2/4; 0.6: 3/5; 0.5: 3/6
    assert [(p["threshold"], round(p["accuracy"], 3)) for p in cal["curve"]] == [
        (0.9, 1.0),
        (0.85, 0.5),
        (0.8, 0.667),
        (0.7, 0.5),
        (0.6, 0.6),
        (0.5, 0.5),
    ]
    assert cal["threshold"] == 0.9 and cal["coverage_at_threshold"] == pytest.approx(1 / 6)
    assert calibration(scores, target_accuracy=0.6)["threshold"] == 0.6  # the most coverage
    assert calibration(scores, target_accuracy=1.01)["threshold"] is None
    # reliability: 0.5 (wrong), 0.6 (right), 0.7 (wrong), 0.8 (right, and the escalate case
    # at 0.85 wrong), 0.9 (right); ECE = sum of share x |right - mean confidence|
    bins = {round(b["low"], 1): b for b in cal["reliability"]}
    assert list(bins) == [0.5, 0.6, 0.7, 0.8, 0.9]
    assert bins[0.8]["cases"] == 2 and bins[0.8]["accuracy"] == 0.5
    assert bins[0.8]["mean_confidence"] == pytest.approx(0.825)
    expected = (0.5 + 0.4 + 0.7 + 2 * abs(0.5 - 0.825) + 0.1) / 6
    assert cal["expected_calibration_error"] == pytest.approx(expected)


def test_nothing_to_measure_is_null() -> None:
    s = summarise([score_question(escalate_case("e"), outcome("escalated"))], [])
    assert s["retrieval"]["hit_at_5"] is None and s["retrieval"]["mrr"] is None
    assert s["answers"]["answered_rate"] is None
    assert s["answers"]["source_correct"] is None
    assert s["answers"]["key_fact_recall"] is None
    assert s["answers"]["confident_wrong_rate"] == 0.0  # one question case, not wrong
    assert s["escalation"]["recall"] == 1.0
    assert s["redaction"]["leak_rate"] is None and s["redaction"]["over_redaction_rate"] is None
    assert s["safety"]["must_not_violations"] is None
    assert s["calibration"]["threshold"] is None
    empty = summarise([], [])
    assert empty["latency_ms"] == {"p50": None, "p95": None, "steps_p50": {}}
    assert empty["escalation"]["precision"] is None
    assert empty["answers"]["confident_wrong_rate"] is None


def test_by_tag_repeats_every_block_for_the_tagged_cases() -> None:
    scores = [
        score_question(
            answer_case("1", expected_sources=("a.md",), tags=("bins",)),
            outcome(sources=[page("a.md")], retrieved_pages=[page("a.md")]),
        ),
        score_question(
            answer_case("2", expected_sources=("a.md",), tags=("bins", "tax")),
            outcome("escalated", retrieved_pages=[page("b.md")]),
        ),
        score_question(escalate_case("3", tags=("tax",)), outcome("escalated")),
    ]
    red = [
        score_redaction(
            RedactionCase("r", "Jo", pii=(PiiValue("PERSON", "Jo"),), tags=("tax",)), "<PERSON>"
        )
    ]
    s = summarise(scores, red)
    assert s["cases"] == 4
    assert set(s["by_tag"]) == {"bins", "tax"}
    bins, tax = s["by_tag"]["bins"], s["by_tag"]["tax"]
    assert bins["cases"] == 2
    assert bins["retrieval"]["hit_at_1"] == 0.5 and bins["answers"]["source_correct"] == 0.5
    assert bins["escalation"]["recall"] is None  # no escalate case tagged bins
    assert tax["cases"] == 3
    assert tax["answers"]["answered_rate"] == 0.0
    assert tax["escalation"]["precision"] == 0.5 and tax["escalation"]["recall"] == 1.0
    assert tax["redaction"]["leak_rate"] == 0.0
    assert "by_tag" not in bins


def test_special_category_recall_and_false_flags() -> None:
    diabetes = RedactionCase(
        "s1", "my son has type 1 diabetes", special_category=("type 1 diabetes",)
    )
    muslim = RedactionCase(
        "s2", "we're Muslim, is there a burial slot", special_category=("Muslim",)
    )
    plain = RedactionCase("s3", "when is my bin collected")
    plain2 = RedactionCase("s4", "is the tip open")
    scores = [
        score_redaction(diabetes, diabetes.text, flagged=True),
        score_redaction(muslim, muslim.text, flagged=False),  # missed
        score_redaction(plain, plain.text, flagged=True),  # false flag
        score_redaction(plain2, plain2.text, flagged=False),
    ]
    r = redaction_metrics(scores)
    assert r["special_category_cases"] == 2
    assert r["special_category_recall"] == pytest.approx(1 / 2)
    assert r["special_category_false_flag_rate"] == pytest.approx(1 / 2)
    assert "special category not flagged" in scores[1].reasons
    assert "flagged as special category without any" in scores[2].reasons
    # a redactor that does not flag at all is scored on leaks only
    assert score_redaction(diabetes, diabetes.text).passed
