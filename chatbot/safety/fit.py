"""Fit the urgent detector on the team's own examples (`examples.yaml`); `make fit-urgent`.

Cross-validation on the examples (stratified folds) picks the threshold on the urgent score
(the model's 1 - P(none)): the highest one that keeps out-of-fold recall on urgent examples at
`TARGET_RECALL`, so unseen phrasings lean to signposting; the median of that pick over
several shuffles of the folds (`SEEDS`), since one shuffle's pick is a draw.

The everyday questions of the dev question sets' *tuning* split (resident questions, the
FixMyStreet FAQ, and the team's own demo-council question sets) join the not-urgent class:
the team's own everyday examples are mostly near misses ("my dad fell out with the
neighbours"), and without ordinary questions that mention a disabled brother, a death in the
family or a pregnancy the model flagged one resident question in five as urgent. They weigh
in the logistic model only, never as neighbours (the shipped file holds no dev data), and the
nearest-example vote among the team's examples now has a small share of the score
(`VOTE_WEIGHT`): at half, out of fold, it raised false alarms on those questions from 4% to
13% at the same recall.
`../shared/evals/urgent.dev.jsonl` is never read here: it is the held-out measure
(`townhall eval run --dataset ../shared/evals/urgent.dev.jsonl`).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import numpy as np
import yaml
from scipy import sparse
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import StratifiedKFold

from chatbot.safety.categories import CATEGORIES
from chatbot.safety.detector import (
    CLASSES,
    EXAMPLES_FILE,
    HASH_DIM,
    MODEL_FILE,
    UrgentModel,
    blend,
    examples_sha256,
    lexical_features,
    neighbour_vote,
)

TARGET_RECALL = 0.975
C = 16.0  # inverse L2 strength: best out-of-fold log-loss of 1, 4, 16, 64
LEXICAL_WEIGHT = 1.0
FOLDS = 5
# The threshold is the median of the thresholds chosen on several shuffles of the folds: one
# shuffle's pick moved between 0.12 and 0.21 with the seed (2026-12-02), and the shipped seed
# happened to give the highest, the fewest false alarms and the lowest recall on unseen text.
SEEDS = tuple(range(1, 12))


def load_examples(path: Path = EXAMPLES_FILE) -> tuple[list[str], list[int]]:
    """Texts and class indices (the last class, `none`, for the not-urgent examples)."""
    data: dict[str, list[str]] = yaml.safe_load(Path(path).read_text("utf-8"))
    unknown = set(data) - {*CATEGORIES, "not_urgent"}
    if unknown:
        raise ValueError(f"examples.yaml has unknown categories: {sorted(unknown)}")
    texts: list[str] = []
    labels: list[int] = []
    for name, items in data.items():
        label = len(CATEGORIES) if name == "not_urgent" else CATEGORIES.index(name)
        for text in items:
            texts.append(str(text))
            labels.append(label)
    return texts, labels


def design_matrix(
    texts: Sequence[str], embeddings: np.ndarray, lexical_weight: float = LEXICAL_WEIGHT
) -> sparse.csr_matrix:
    """Rows of [embedding | hashed lexical features]: the detector's two views of a message
    (also the own-case model's, `chatbot/own_case_fit.py`)."""
    rows, cols, vals = [], [], []
    for i, text in enumerate(texts):
        for k, v in lexical_features(text).items():
            rows.append(i)
            cols.append(k)
            vals.append(v * lexical_weight)
    lexical = sparse.csr_matrix((vals, (rows, cols)), shape=(len(texts), HASH_DIM))
    return sparse.hstack([sparse.csr_matrix(embeddings), lexical], format="csr")


def _fit(x: sparse.csr_matrix, y: np.ndarray, c: float = C) -> LogisticRegression:
    """Not-urgent examples weigh as much in total as all urgent ones (not as one category)."""
    none = len(CATEGORIES)
    negatives = max(1, int((y == none).sum()))
    weights = {int(k): 1.0 for k in np.unique(y)}
    weights[none] = float((y != none).sum()) / negatives
    model = LogisticRegression(C=c, max_iter=3000, class_weight=weights)
    return model.fit(x, y)


def _full_proba(model: LogisticRegression, x: sparse.csr_matrix) -> np.ndarray:
    """Probabilities for every class, also those a fold's training part lacked."""
    out = np.zeros((x.shape[0], len(CLASSES)))
    out[:, model.classes_] = model.predict_proba(x)
    return out


def cross_validate(
    x: sparse.csr_matrix,
    y: np.ndarray,
    c: float = C,
    embeddings: np.ndarray | None = None,
    neighbours: np.ndarray | None = None,
    seed: int = SEEDS[0],
) -> np.ndarray:
    """Out-of-fold class probabilities; with `embeddings`, also the out-of-fold neighbour vote
    (returned as an extra last column) among the rows `neighbours` marks (default: all)."""
    can_vote = np.ones(len(y), dtype=bool) if neighbours is None else neighbours
    oof = np.zeros((len(y), len(CLASSES) + 1))
    urgent = y < len(CATEGORIES)
    folds = StratifiedKFold(FOLDS, shuffle=True, random_state=seed)
    for train, test in folds.split(np.zeros(len(y)), y):
        oof[test, :-1] = _full_proba(_fit(x[train], y[train], c), x[test])
        if embeddings is not None:
            voters = train[can_vote[train]]
            oof[test, -1] = neighbour_vote(embeddings[voters], urgent[voters], embeddings[test])
    return oof


def choose_threshold(urgent_p: np.ndarray, is_urgent: np.ndarray) -> float:
    """Highest threshold with out-of-fold recall >= TARGET_RECALL (never above 0.5)."""
    scores = np.sort(urgent_p[is_urgent])
    allowed_misses = int(np.floor((1 - TARGET_RECALL) * len(scores)))
    threshold = float(scores[allowed_misses]) - 1e-6
    return float(min(0.5, max(0.05, threshold)))


def fit(
    embed: Callable[[list[str]], np.ndarray],
    path: Path = EXAMPLES_FILE,
    out: Path = MODEL_FILE,
    everyday: Sequence[str] = (),
) -> dict[str, Any]:
    """Fits, cross-validates, writes `out`; returns the cross-validation report.

    `everyday`: more not-urgent messages (the tuning split of the dev question sets, read by
    `make fit-urgent`) that weigh in the model's fit only: they are not neighbours (the
    shipped file holds no dev data) and the threshold is still set on the examples' recall."""
    texts, labels = load_examples(path)
    own = len(texts)
    texts = [*texts, *everyday]
    y = np.asarray([*labels, *([len(CATEGORIES)] * len(everyday))])
    embeddings = np.asarray(embed(texts), dtype=np.float64)
    x = design_matrix(texts, embeddings)
    is_urgent = y < len(CATEGORIES)
    is_example = np.arange(len(y)) < own
    runs = [
        cross_validate(x, y, embeddings=embeddings, neighbours=is_example, seed=s) for s in SEEDS
    ]
    scores = [blend(1.0 - oof[:, -2], oof[:, -1]) for oof in runs]
    per_seed = [choose_threshold(p[is_example], is_urgent[is_example]) for p in scores]
    threshold = float(np.median(per_seed))
    oof, urgent_p = runs[0], scores[0]  # one shuffle's out-of-fold view for the report
    flagged = urgent_p >= threshold
    top_category = oof[:, : len(CATEGORIES)].argmax(axis=1)
    model = _fit(x, y)
    coef = model.coef_.T  # (features, classes)
    dim = x.shape[1] - HASH_DIM
    fitted = UrgentModel(
        dense=coef[:dim],
        sparse=coef[dim:] * LEXICAL_WEIGHT,
        bias=model.intercept_,
        threshold=threshold,
        examples_sha256=examples_sha256(path),
        neighbours=embeddings[is_example].astype(np.float32),
        neighbour_urgent=is_urgent[is_example],
    )
    fitted.save(out)
    return {
        "examples": own,
        "everyday_from_dev_tuning_split": len(everyday),
        "urgent_examples": int(is_urgent.sum()),
        "threshold": round(threshold, 4),
        "thresholds_per_shuffle": [round(t, 4) for t in per_seed],
        "cv_recall": round(float(flagged[is_urgent].mean()), 4),
        "cv_false_alarm_rate": round(float(flagged[~is_urgent & is_example].mean()), 4),
        "cv_false_alarm_rate_dev_tuning": round(float(flagged[~is_example].mean()), 4)
        if len(everyday)
        else None,
        "cv_category_accuracy": round(float((top_category[is_urgent] == y[is_urgent]).mean()), 4),
        "cv_missed": [t for t, f, u in zip(texts, flagged, is_urgent, strict=True) if u and not f],
        "cv_false_alarms": [
            t for t, f, u in zip(texts[:own], flagged, is_urgent, strict=False) if f and not u
        ],
    }
