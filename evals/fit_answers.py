"""Fit the answering steps on the tuning split: the unit ranker, the answer confidence and the
default threshold (`make fit-answers`, which writes `chatbot/answering/fitted.json`).

1. Every `split:tune` question runs through the real resident pipeline (redaction, routing,
   retrieval, the split into parts) with a recording ranker: each composed question part keeps
   its candidate units and their features. Held-out cases are never read.
2. Unit ranker: logistic regression (scikit-learn), one row per candidate unit, labelled by
   whether the unit holds a key fact of the case. Folds are grouped by page (cases sharing an
   expected page are one group), so a page's questions never sit on both sides of a fold.
3. Out-of-fold answers: each fold's questions are answered with the ranker fitted on the
   other folds, then scored like the evaluation does (expected source cited, every key fact).
4. Confidence: logistic regression on the out-of-fold answers' confidence parts, again
   cross-validated by page; its out-of-fold probabilities give the calibration (ECE) and the
   threshold: the one answering the most questions right while every tuning dataset keeps
   confidently-wrong answers at or under the target, averaged over REPEATS fold assignments
   (steps 3-4 run once per assignment), since one assignment's curve is too jagged to pick from.
5. Final models are fitted on all tuning rows; everything is deterministic (no shuffling).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from chatbot.answering.assembly import assemble
from chatbot.answering.candidates import Candidate
from chatbot.answering.confidence import CONFIDENCE_FEATURES, capped, confidence_parts
from chatbot.answering.fact_types import unit_fact_types
from chatbot.answering.features import FEATURES, question_terms, unit_features
from chatbot.answering.grounding import guard_answer
from chatbot.answering.model import LogisticModel
from chatbot.answering.ranker import UnitRanker
from chatbot.composer import sources_of
from chatbot.wording import content_terms
from evals.datasets import QuestionCase
from evals.scoring import CONFIDENCE_ROUTES, cites_expected, key_facts_found
from evals.splits import _page_key

FOLDS = 5
# Confidently wrong answers allowed on the tuning split's out-of-fold answers: over all its
# question cases (as the pilot gate counts them), with a margin under the gate's 5%; and no
# tuning dataset over the gate's 5% itself.
TARGET_CONFIDENT_WRONG = 0.04
DATASET_CONFIDENT_WRONG = 0.05
RANKER_C = 0.5
# Chosen by repeated cross-validation on the tuning split (most answered right at a 4%
# confidently-wrong budget, mean of 10 fold assignments, of 0.01, 0.03, 0.05, 0.1, 0.3, 1):
# stronger regularisation than 0.1 also steadies the threshold from one fold assignment to
# the next (a few hundred rows, twenty parts).
CONFIDENCE_C = 0.03
# The threshold is chosen on the mean of several fold assignments: one assignment's
# out-of-fold curve is jagged (its best threshold moved from 0.75 to 0.83 with the seed).
REPEATS = 5


@dataclass
class PartRecord:
    question: str
    asked: tuple[str, ...]
    candidates: list[Candidate]
    retrieved: list[Any]
    features: np.ndarray = field(default_factory=lambda: np.zeros((0, len(FEATURES))))
    labels: np.ndarray = field(default_factory=lambda: np.zeros(0))


@dataclass
class CaseRecord:
    case: QuestionCase
    dataset: str
    group: str
    composed: bool  # the threshold decides (routing let it through to an answer)
    max_words: int
    parts: list[PartRecord] = field(default_factory=list)


class RecordingRanker(UnitRanker):
    """The pipeline's ranker, keeping what it was asked (for fitting only)."""

    def __init__(self, model: LogisticModel | None = None) -> None:
        super().__init__(model)
        self.calls: list[PartRecord] = []

    def rank(self, question, asked, candidates, retrieved):  # type: ignore[no-untyped-def]
        self.calls.append(PartRecord(question, asked, list(candidates), list(retrieved)))
        return super().rank(question, asked, candidates, retrieved)


def page_groups(cases: Sequence[QuestionCase]) -> dict[str, str]:
    """Case id -> group key: cases sharing any expected page are one group."""
    parent: dict[str, str] = {}

    def find(x: str) -> str:
        while parent.setdefault(x, x) != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for case in cases:
        for source in case.expected_sources:
            a, b = find(f"case:{case.id}"), find(f"page:{_page_key(source)}")
            if a != b:
                parent[max(a, b)] = min(a, b)
    return {c.id: find(f"case:{c.id}") for c in cases}


def fold_of(group: str, repeat: int = 0) -> int:
    """The group's fold in fold assignment `repeat` (0 is the one the report describes)."""
    key = group if repeat == 0 else f"{group}#{repeat}"
    return int(hashlib.sha256(key.encode()).hexdigest(), 16) % FOLDS


def record_cases(
    cases: Sequence[QuestionCase],
    dataset: str,
    handle: Callable[[str], Any],
    ranker: RecordingRanker,
    max_words: int,
) -> list[CaseRecord]:
    """Each case through the pipeline, keeping the composed parts' candidates and features."""
    groups = page_groups(cases)
    out = []
    for case in cases:
        ranker.calls.clear()
        result = handle(case.question)
        composed = result.route in CONFIDENCE_ROUTES
        record = CaseRecord(
            case=case,
            dataset=dataset,
            group=f"{dataset}:{groups[case.id]}",
            composed=composed,
            max_words=max_words,
        )
        if composed:
            record.parts = list(ranker.calls)  # one per question in the message
        out.append(record)
    return out


def add_features(records: Sequence[CaseRecord]) -> None:
    """Each part's feature rows and unit labels (whether the unit holds a key fact)."""
    for record in records:
        facts = record.case.key_facts
        for part in record.parts:
            for c in part.candidates:  # measured by this code, whatever recorded them
                c.terms = frozenset(content_terms(c.text))
                c.facts = unit_fact_types(c.text)
            terms = question_terms(part.question, part.candidates)
            part.features = unit_features(
                part.question, part.asked, part.candidates, part.retrieved, terms
            )
            part.labels = np.array(
                [
                    1.0 if facts and any(key_facts_found(facts, c.text)) else 0.0
                    for c in part.candidates
                ]
            )


def _fit_logistic(x: np.ndarray, y: np.ndarray, names: Sequence[str], c: float) -> LogisticModel:
    from sklearn.linear_model import LogisticRegression

    mean = x.mean(axis=0)
    scale = x.std(axis=0)
    scale = np.where(scale > 1e-9, scale, 1.0)
    model = LogisticRegression(C=c, max_iter=2000)
    model.fit((x - mean) / scale, y)
    return LogisticModel(tuple(names), mean, scale, model.coef_[0], float(model.intercept_[0]))


def fit_ranker(records: Sequence[CaseRecord]) -> LogisticModel:
    parts = [p for r in records for p in r.parts if r.case.key_facts and len(p.labels)]
    x = np.vstack([p.features for p in parts])
    y = np.concatenate([p.labels for p in parts])
    return _fit_logistic(x, y, FEATURES, RANKER_C)


@dataclass
class Answered:
    """One case answered out of fold: per part its confidence parts, and whether it is right."""

    record: CaseRecord
    parts: list[dict[str, float]]
    right: bool
    text: str
    top_unit_hit: bool | None  # the lead unit holds a key fact (cases with key facts)
    confidence: float = 0.0
    guarded: list[float] = field(default_factory=list)  # per part: the grounding guard's cap

    def final(self, values: Sequence[float]) -> float:
        """The pipeline's confidence from the model's per-part values: the weakest part, each
        capped by the rules and by the grounding guard's confidence."""
        caps = self.guarded or [1.0] * len(self.parts)
        return min(
            min(capped(float(v), p), g) for v, p, g in zip(values, self.parts, caps, strict=True)
        )


def answer_case(record: CaseRecord, ranker: LogisticModel, guard: Any = None) -> Answered:
    """Compose the case's answer with `ranker`, pass it through the grounding guard (as the
    pipeline does, when one is given) and judge it as the evaluation would."""
    texts: list[str] = []
    chunks: list[Any] = []
    parts: list[dict[str, float]] = []
    guarded: list[float] = []
    hit = None
    n = len(record.parts)
    per_part = record.max_words if n == 1 else max(30, record.max_words // n)
    for part in record.parts:
        for c, p in zip(part.candidates, ranker.probability(part.features), strict=True):
            c.score = float(p)
        ranked = sorted(part.candidates, key=lambda c: (-c.score, c.section, c.unit.order))
        draft = assemble(ranked, part.retrieved, part.question, per_part)
        shown, shown_chunks, cap = draft.text, draft.chunks, 1.0
        if guard is not None:
            checked = guard_answer(guard, draft)
            shown, shown_chunks, cap = checked.text, checked.chunks, checked.confidence
        guarded.append(cap)
        texts += [line for line in shown.splitlines() if line not in texts]
        chunks += [c for c in shown_chunks if c not in chunks]
        parts.append(confidence_parts(part.question, part.asked, part.retrieved, ranked, draft))
        if record.case.key_facts and draft.best is not None and hit is None:
            hit = any(key_facts_found(record.case.key_facts, draft.best.text))
    text = "\n".join(texts)
    case = record.case
    right = False
    if case.expect == "answer" and text:
        sources = sources_of(chunks)
        right = (not case.expected_sources or cites_expected(case.expected_sources, sources)) and (
            all(key_facts_found(case.key_facts, text)) if case.key_facts else True
        )
    return Answered(record, parts, right, text, hit, guarded=guarded)


def _rows(answered: Sequence[Answered]) -> tuple[np.ndarray, np.ndarray]:
    x = np.array([[a.parts[0][k] for k in CONFIDENCE_FEATURES] for a in answered])
    y = np.array([1.0 if a.right else 0.0 for a in answered])
    return x, y


def expected_calibration_error(conf: np.ndarray, right: np.ndarray, bins: int = 10) -> float:
    edges = np.linspace(0, 1, bins + 1)
    total = 0.0
    for lo, hi in zip(edges[:-1], edges[1:], strict=True):
        inside = (conf >= lo) & ((conf < hi) | (hi == 1.0))
        if inside.any():
            total += inside.sum() * abs(conf[inside].mean() - right[inside].mean())
    return float(total / max(1, len(conf)))


def choose_threshold(
    runs: Sequence[Sequence[Answered]], records: Sequence[CaseRecord]
) -> dict[str, Any]:
    """The threshold answering the most cases right with the confidently-wrong share of all
    tuning cases at or under TARGET_CONFIDENT_WRONG and every dataset's at or under
    DATASET_CONFIDENT_WRONG (out-of-fold confidences only; `runs`: one list of answers per
    fold assignment, whose counts are averaged)."""
    by_ids = [{a.record.case.id: a for a in answered} for answered in runs]
    datasets = sorted({r.dataset for r in records})
    table = []
    for t in np.round(np.arange(0.30, 0.991, 0.01), 2):
        row: dict[str, Any] = {"threshold": float(t)}
        right_total = wrong_total = 0.0
        ok = True
        for name in datasets:
            mine = [r for r in records if r.dataset == name]
            right = wrong = 0.0
            for by_id in by_ids:
                said = [by_id[r.case.id] for r in mine if r.case.id in by_id]
                said = [a for a in said if a.text and a.confidence >= t]
                wrong += sum(not a.right for a in said) / len(by_ids)
                right += sum(a.right for a in said) / len(by_ids)
            answer_cases = sum(r.case.expect == "answer" for r in mine) or 1
            row[name] = {
                "confident_wrong": round(wrong / len(mine), 4),
                "answered_right": round(right / answer_cases, 4),
            }
            ok = ok and wrong / len(mine) <= DATASET_CONFIDENT_WRONG
            right_total += right
            wrong_total += wrong
        row["confident_wrong"] = round(wrong_total / len(records), 4)
        row["meets_target"] = ok and wrong_total / len(records) <= TARGET_CONFIDENT_WRONG
        row["answered_right_cases"] = round(right_total, 2)
        table.append(row)
    meeting = [r for r in table if r["meets_target"]]
    best = (
        max(meeting, key=lambda r: (r["answered_right_cases"], -r["threshold"]))
        if meeting
        else table[-1]
    )
    return {"threshold": best["threshold"], "table": table}


def cross_validate(
    records: list[CaseRecord], guard: Any = None, repeat: int = 0
) -> tuple[list[Answered], dict[str, Any]]:
    """Out-of-fold answers and confidences (fold assignment `repeat`), and the figures the
    fitted file reports."""
    composed = [r for r in records if r.composed and r.parts]
    answered: list[Answered] = []
    for fold in range(FOLDS):
        train = [r for r in composed if fold_of(r.group, repeat) != fold]
        test = [r for r in composed if fold_of(r.group, repeat) == fold]
        ranker = fit_ranker(train)
        answered += [answer_case(r, ranker, guard) for r in test]
    # the confidence, fitted on single-question cases, cross-validated by the same folds
    for fold in range(FOLDS):
        train = [
            a for a in answered if fold_of(a.record.group, repeat) != fold and len(a.parts) == 1
        ]
        test = [a for a in answered if fold_of(a.record.group, repeat) == fold]
        model = _fit_logistic(*_rows(train), CONFIDENCE_FEATURES, CONFIDENCE_C)
        for a in test:
            rows = np.array([[p[k] for k in CONFIDENCE_FEATURES] for p in a.parts])
            a.confidence = a.final(model.probability(rows))
    conf = np.array([a.confidence for a in answered])
    right = np.array([1.0 if a.right else 0.0 for a in answered])
    with_facts = [a for a in answered if a.top_unit_hit is not None]
    report = {
        "cases": len(records),
        "composed": len(composed),
        "folds": FOLDS,
        "lead_unit_holds_a_key_fact": round(
            sum(bool(a.top_unit_hit) for a in with_facts) / max(1, len(with_facts)), 4
        ),
        "answer_right_if_all_answered": round(float(right.mean()) if len(right) else 0.0, 4),
        "expected_calibration_error": round(expected_calibration_error(conf, right), 4),
    }
    return answered, report


def fit_all(records: list[CaseRecord], guard: Any = None) -> dict[str, Any]:
    """Everything fitted.json holds (`guard`: the pipeline's grounding guard, so the threshold
    is chosen on the answers residents would read)."""
    add_features(records)
    results = [cross_validate(records, guard, repeat) for repeat in range(REPEATS)]
    runs = [answered for answered, _ in results]
    report = {**results[0][1], "repeats": REPEATS}  # the figures of assignment 0
    choice = choose_threshold(runs, records)
    ranker = fit_ranker(records)
    single = [a for a in runs[0] if len(a.parts) == 1]
    confidence = _fit_logistic(*_rows(single), CONFIDENCE_FEATURES, CONFIDENCE_C)
    datasets = sorted({r.dataset for r in records})
    return {
        "note": "written by `make fit-answers` (evals/fit_answers.py) from split:tune cases only",
        "threshold": choice["threshold"],
        "target_confident_wrong": TARGET_CONFIDENT_WRONG,
        "dataset_confident_wrong": DATASET_CONFIDENT_WRONG,
        "fitted_on": {name: sum(r.dataset == name for r in records) for name in datasets},
        "cross_validation": report,
        "threshold_table": [r for r in choice["table"] if r["threshold"] * 100 % 5 == 0],
        "unit_ranker": ranker.to_dict(),
        "confidence": confidence.to_dict(),
        "assembly": {},
    }


def write_fitted(data: dict[str, Any], path: Any) -> None:
    path.write_text(json.dumps(data, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
