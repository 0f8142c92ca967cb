"""The numbers of `summary.json`, computed from per-case scores (see `evals/scoring.py`).

A metric with nothing to measure is None (null in JSON), never 0 or 1: a gate on it is an error.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

from evals.scoring import QuestionScore, RedactionScore

HIT_AT = (1, 3, 5)
DEFAULT_TARGET_ACCURACY = 0.9


def _rate(numerator: float, denominator: int) -> float | None:
    return None if denominator == 0 else numerator / denominator


def _mean(values: Sequence[float]) -> float | None:
    return None if not values else sum(values) / len(values)


def percentile(values: Sequence[float], p: float) -> float | None:
    """Linear interpolation between closest ranks (numpy's default), p in [0, 100]."""
    if not values:
        return None
    ordered = sorted(values)
    pos = (len(ordered) - 1) * p / 100
    low, high = math.floor(pos), math.ceil(pos)
    return ordered[low] + (ordered[high] - ordered[low]) * (pos - low)


def retrieval_metrics(scores: Sequence[QuestionScore]) -> dict[str, Any]:
    """hit@k and MRR over `answer` cases with expected sources (ranks are over distinct pages)."""
    judged = [s for s in scores if s.retrieval_judged]
    out: dict[str, Any] = {"cases": len(judged)}
    for k in HIT_AT:
        hits = sum(1 for s in judged if s.retrieval_rank is not None and s.retrieval_rank <= k)
        out[f"hit_at_{k}"] = _rate(hits, len(judged))
    out["mrr"] = _mean([1 / s.retrieval_rank if s.retrieval_rank else 0.0 for s in judged])
    return out


def answer_metrics(scores: Sequence[QuestionScore]) -> dict[str, Any]:
    """What residents got on `answer` cases; confident-wrong over every question case."""
    answer = [s for s in scores if s.expect == "answer"]
    with_sources = [s for s in answer if s.source_correct is not None]
    with_facts = [s for s in answer if s.key_fact_recall is not None]
    with_ref = [s for s in answer if s.reference_recall is not None]
    return {
        "cases": len(answer),
        "answered_rate": _rate(sum(s.answered for s in answer), len(answer)),
        # answered, citing an expected source and holding every key fact
        "answered_right": _rate(
            sum(s.answered and not s.confident_wrong for s in answer), len(answer)
        ),
        "source_correct": _rate(
            sum(bool(s.source_correct) for s in with_sources), len(with_sources)
        ),
        "key_fact_recall": _mean([s.key_fact_recall for s in with_facts]),  # type: ignore[misc]
        "reference_recall": _mean([s.reference_recall for s in with_ref]),  # type: ignore[misc]
        "confident_wrong_rate": _rate(sum(s.confident_wrong for s in scores), len(scores)),
        # the same two recalls over answered cases only: the quality of what was said
        "key_fact_recall_answered": _mean(
            [s.key_fact_recall for s in with_facts if s.answered]  # type: ignore[misc]
        ),
        "reference_recall_answered": _mean(
            [s.reference_recall for s in with_ref if s.answered]  # type: ignore[misc]
        ),
        "confident_wrong": sum(s.confident_wrong for s in scores),
    }


def urgent_metrics(scores: Sequence[QuestionScore]) -> dict[str, Any]:
    """`urgent` cases routed urgent (a place in the queue is a miss) and `not_urgent` cases
    routed urgent (false alarms), overall and per category tag."""
    urgent = [s for s in scores if s.expect == "urgent"]
    calm = [s for s in scores if s.expect == "not_urgent"]
    tags = sorted({t for s in urgent for t in s.tags if not t.startswith("split:")})
    return {
        "cases": len(urgent) + len(calm),
        "urgent_cases": len(urgent),
        "not_urgent_cases": len(calm),
        "recall": _rate(sum(s.urgent for s in urgent), len(urgent)),
        "missed": sum(not s.urgent for s in urgent),
        "false_alarm_rate": _rate(sum(s.urgent for s in calm), len(calm)),
        "false_alarms": sum(s.urgent for s in calm),
        "by_tag": {
            t: {
                "cases": len(mine := [s for s in urgent if t in s.tags]),
                "recall": _rate(sum(s.urgent for s in mine), len(mine)),
                # the detected category matches the tag (the reply leads with its contacts)
                "category_match": _rate(
                    sum(bool(s.urgent_categories) and s.urgent_categories[0] == t for s in mine),
                    len(mine),
                ),
            }
            for t in tags
        },
    }


def escalation_metrics(scores: Sequence[QuestionScore]) -> dict[str, Any]:
    """Escalated = anything but `answered` (escalated, urgent, out of scope, greeting);
    `urgent` cases count as cases to escalate."""
    escalated = [s for s in scores if not s.answered]
    should = [s for s in scores if s.expect in ("escalate", "urgent")]
    right = sum(1 for s in escalated if s.expect in ("escalate", "urgent"))
    return {
        "cases": len(should),
        "escalated": len(escalated),
        "precision": _rate(right, len(escalated)),
        "recall": _rate(right, len(should)),
    }


def redaction_metrics(scores: Sequence[RedactionScore]) -> dict[str, Any]:
    with_pii = [s for s in scores if s.judged_leak]
    with_keep = [s for s in scores if s.judged_keep]
    by_type: dict[str, int] = {}
    for s in scores:
        for t in s.leaked:
            by_type[t] = by_type.get(t, 0) + 1
    special = [s for s in scores if s.special_expected]
    ordinary = [s for s in scores if not s.special_expected]
    pii_values = sum(s.pii_count for s in scores)
    leaked_values = sum(len(s.leaked) for s in scores)
    values_by_type: dict[str, int] = {}
    for s in scores:
        for t in s.pii_types:
            values_by_type[t] = values_by_type.get(t, 0) + 1
    return {
        "cases": len(scores),
        "leak_rate": _rate(sum(bool(s.leaked) for s in with_pii), len(with_pii)),
        "over_redaction_rate": _rate(sum(bool(s.lost) for s in with_keep), len(with_keep)),
        "pii_values": pii_values,
        "leaked_values": leaked_values,
        # share of all personal values that survived (leak_rate counts messages)
        "values_left_rate": _rate(leaked_values, pii_values),
        "leaks_by_type": {t: by_type.get(t, 0) for t in sorted(values_by_type)},
        "values_by_type": dict(sorted(values_by_type.items())),
        "special_category_cases": len(special),
        "special_category_recall": _rate(sum(s.flagged for s in special), len(special)),
        "special_category_false_flag_rate": _rate(
            sum(s.flagged for s in ordinary), len(ordinary) if special else 0
        ),
    }


def safety_metrics(scores: Sequence[QuestionScore]) -> dict[str, Any]:
    """must_not violations: cases whose reply holds a forbidden string (None: no case has any)."""
    judged = [s for s in scores if s.must_not_judged]
    return {
        "cases": len(judged),
        "must_not_violations": sum(1 for s in judged if s.must_not_hits) if judged else None,
    }


def latency_metrics(scores: Sequence[QuestionScore]) -> dict[str, Any]:
    """p50/p95 of the whole call, and the median of each pipeline step (where it ran)."""
    values = [s.latency_ms for s in scores if s.latency_ms is not None]
    steps: dict[str, list[float]] = {}
    for s in scores:
        for step, ms in s.timings_ms.items():
            steps.setdefault(step, []).append(ms)
    return {
        "p50": percentile(values, 50),
        "p95": percentile(values, 95),
        "steps_p50": {step: percentile(v, 50) for step, v in steps.items()},
    }


def calibration(
    scores: Sequence[QuestionScore], target_accuracy: float = DEFAULT_TARGET_ACCURACY
) -> dict[str, Any]:
    """Accuracy against coverage as the confidence threshold moves, and the lowest threshold whose
    accuracy meets the target (the most coverage at that accuracy).

    Population: cases the threshold decides (route answer / low confidence / not covered) that can
    be judged. At threshold t a case is answered when its confidence >= t; it is correct when its
    answer (or, if it was escalated, its draft) cites an expected source and holds every key fact;
    an `escalate` case answered is always wrong.
    """
    pop = [s for s in scores if s.confidence_governed and s.candidate_correct is not None]
    curve = []
    for t in sorted({s.confidence for s in pop}, reverse=True):  # type: ignore[type-var]
        answered = [s for s in pop if s.confidence >= t]  # type: ignore[operator]
        correct = sum(1 for s in answered if s.candidate_correct)
        curve.append(
            {
                "threshold": round(t, 6),  # type: ignore[arg-type]
                "coverage": len(answered) / len(pop),
                "accuracy": correct / len(answered),
            }
        )
    meeting = [p for p in curve if p["accuracy"] >= target_accuracy]
    best = min(meeting, key=lambda p: p["threshold"]) if meeting else None
    bins = reliability(pop)
    return {
        "cases": len(pop),
        "expected_calibration_error": expected_calibration_error(bins, len(pop)),
        "reliability": bins,
        "target_accuracy": target_accuracy,
        "threshold": best["threshold"] if best else None,
        "coverage_at_threshold": best["coverage"] if best else None,
        "accuracy_at_threshold": best["accuracy"] if best else None,
        "curve": curve,
    }


def reliability(pop: Sequence[QuestionScore], bins: int = 10) -> list[dict[str, Any]]:
    """Cases by confidence (ten equal-width bins): how many, their mean confidence, and the
    share whose answer (or draft) was right. A calibrated confidence has the two close."""
    out = []
    for b in range(bins):
        lo, hi = b / bins, (b + 1) / bins
        inside = [
            s
            for s in pop
            if lo <= s.confidence < hi or (b == bins - 1 and s.confidence == 1.0)  # type: ignore[operator]
        ]
        if not inside:
            continue
        out.append(
            {
                "low": lo,
                "high": hi,
                "cases": len(inside),
                "mean_confidence": sum(s.confidence for s in inside) / len(inside),  # type: ignore[misc]
                "accuracy": sum(bool(s.candidate_correct) for s in inside) / len(inside),
            }
        )
    return out


def expected_calibration_error(bins: Sequence[dict[str, Any]], total: int) -> float | None:
    """Sum over bins of (share of cases) x |accuracy - mean confidence|."""
    if not total:
        return None
    return sum(b["cases"] / total * abs(b["accuracy"] - b["mean_confidence"]) for b in bins)


def summarise(
    questions: Sequence[QuestionScore],
    redactions: Sequence[RedactionScore],
    *,
    target_accuracy: float = DEFAULT_TARGET_ACCURACY,
    by_tag: bool = True,
) -> dict[str, Any]:
    """Every block of summary.json but run_id and gates; `by_tag` repeats them per tag.
    `not_urgent` cases count only for the urgent block (EVAL_FORMAT.md: no other metric)."""
    everything = questions
    questions = [s for s in questions if s.expect != "not_urgent"]
    out: dict[str, Any] = {
        "cases": len(everything) + len(redactions),
        "question_cases": len(everything),
        "urgent": urgent_metrics(everything),
        "retrieval": retrieval_metrics(questions),
        "answers": answer_metrics(questions),
        "escalation": escalation_metrics(questions),
        "redaction": redaction_metrics(redactions),
        "safety": safety_metrics(questions),
        "latency_ms": latency_metrics(questions),
    }
    if by_tag:
        out["calibration"] = calibration(questions, target_accuracy)
        tags = sorted({t for s in [*everything, *redactions] for t in s.tags})
        out["by_tag"] = {
            tag: summarise(
                [s for s in everything if tag in s.tags],
                [s for s in redactions if tag in s.tags],
                by_tag=False,
            )
            for tag in tags
        }
        out["by_dataset"] = by_dataset(everything)
    else:
        cal = calibration(questions, target_accuracy)
        out["calibration"] = {k: v for k, v in cal.items() if k != "curve"}
    return out


SPLITS = ("split:tune", "split:heldout")


def by_dataset(questions: Sequence[QuestionScore]) -> dict[str, Any]:
    """Per dataset file: every question case, then its tuning and held-out split apart (the
    README reports each dataset's held-out numbers)."""
    out: dict[str, Any] = {}
    for name in sorted({s.dataset for s in questions if s.dataset}):
        mine = [s for s in questions if s.dataset == name]
        out[name] = {"all": summarise(mine, [], by_tag=False)}
        for split in SPLITS:
            side = [s for s in mine if split in s.tags]
            if side:
                out[name][split] = summarise(side, [], by_tag=False)
    return out
