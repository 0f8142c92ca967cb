"""The fitting command's pieces: folds grouped by page, the threshold chosen from out-of-fold
confidences under the confidently-wrong target, calibration error."""

from __future__ import annotations

import numpy as np
import pytest

from evals.datasets import QuestionCase
from evals.fit_answers import (
    TARGET_CONFIDENT_WRONG,
    Answered,
    CaseRecord,
    choose_threshold,
    expected_calibration_error,
    fold_of,
    page_groups,
)


def case(cid: str, *sources: str, expect: str = "answer") -> QuestionCase:
    return QuestionCase(id=cid, question="q", expect=expect, expected_sources=sources)


def test_cases_sharing_a_page_are_one_group_in_one_fold() -> None:
    cases = [case("1", "a.md"), case("2", "b.md", "a.md"), case("3", "c.md"), case("4")]
    groups = page_groups(cases)
    assert groups["1"] == groups["2"] != groups["3"] and groups["4"] == "case:4"
    assert fold_of(groups["1"]) == fold_of(groups["2"])
    assert fold_of("x") == fold_of("x")  # deterministic, no shuffling


def test_expected_calibration_error() -> None:
    conf = np.array([0.95, 0.95, 0.15, 0.15])
    right = np.array([1.0, 1.0, 0.0, 0.0])
    assert expected_calibration_error(conf, right) == pytest.approx(0.1)


def test_threshold_answers_most_right_within_the_target() -> None:
    # 50 answer cases and 50 escalate cases in one dataset; answered cases by confidence
    records, answered = [], []
    for n in range(100):
        expect = "answer" if n < 50 else "escalate"
        r = CaseRecord(case(str(n), expect=expect), "set", f"g{n}", True, 0.0, 120)
        records.append(r)
        right = n < 40  # 40 right answers at 0.9; 10 wrong answers and the escalate cases lower
        conf = 0.9 if right else (0.6 if n < 50 else 0.5)
        answered.append(Answered(r, [], right, "text", None, confidence=conf))
    choice = choose_threshold([answered], records)
    assert 0.6 < choice["threshold"] <= 0.9
    row = next(r for r in choice["table"] if r["threshold"] == choice["threshold"])
    assert row["set"]["confident_wrong"] <= TARGET_CONFIDENT_WRONG
    assert row["confident_wrong"] <= TARGET_CONFIDENT_WRONG
    assert row["set"]["answered_right"] == pytest.approx(40 / 50)
