"""The own-case model (chatbot/own_case.py): phrasings written for this test, in none of the
examples and with no routing pattern, reach staff; general questions about the same services
stay questions."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from chatbot.own_case import EXAMPLES_FILE, OwnCaseModel
from chatbot.own_case_fit import load_examples
from chatbot.routing import Router
from chatbot.safety.detector import examples_sha256

SHARED = Path(__file__).resolve().parents[2].parent / "shared" / "evals"
DEV_SETS = ("resident-questions.dev.jsonl", "fixmystreet-faq.dev.jsonl")


@pytest.fixture(scope="module")
def router(embedder: Any) -> Router:
    return Router(embedder)


def test_the_shipped_model_was_fitted_on_the_examples_file() -> None:
    model = OwnCaseModel.shipped()
    assert model.examples_sha256 == examples_sha256(EXAMPLES_FILE), "run `make fit-own-case`"
    assert 0.5 <= model.threshold < 1.0


@pytest.mark.parametrize(
    "text",
    [
        "why did they knock back my claim for help with the rent",
        "have you got the payslips i dropped off at the civic centre",
        # no "my" (examples of 2026-12-05): a claim's outcome, a refund on its way
        "the claim for the cracked phone screen from the loose paving slab, is there an outcome",
        "is the refund for the overpaid parking permit on its way yet",
        pytest.param(
            "how much is left to pay on my account this year",
            marks=pytest.mark.xfail(
                strict=True,
                reason="measured miss (README, Own case): scores just under the fitted "
                "threshold (out of fold the model finds about 6 in 10 own-case examples)",
            ),
        ),
        pytest.param(
            "someone from housing phoned me earlier and i missed it, what was it about",
            marks=pytest.mark.xfail(
                strict=True,
                reason="measured miss (README, Own case): a call the resident missed scores "
                "under the fitted threshold; staff still get it as low confidence",
            ),
        ),
    ],
)
def test_own_case_phrasings_no_pattern_names(router: Router, embedder: Any, text: str) -> None:
    assert router.matching_pattern("own_case", text) is None  # the model, not a pattern
    assert router.classify(text, embedder.embed([text])[0]).label == "own_case"


@pytest.mark.parametrize(
    "text",
    [
        "how do i apply for help with my rent",
        "what documents should i take to the civic centre for a housing application",
        "what happens if my claim for council tax reduction is refused",
        "how long does it take to get a decision on a blue badge",
        "can my mum get meals delivered to her house",
        # which number or format to use: the pages say, no record is needed (these scored
        # 0.85 and 0.78 against 0.75 before the examples of that kind)
        "is the number 01632 960300 the council tax line",
        "what is the council tax account number format",
        # ... and the general side of the 2026-12-05 examples
        "how do i claim for damage to my car from a pothole",
        "how long does a refund for a parking permit take",
    ],
)
def test_general_questions_stay_questions(router: Router, embedder: Any, text: str) -> None:
    assert router.classify(text, embedder.embed([text])[0]).label == "question"


def test_no_example_copies_a_dev_question(embedder: Any) -> None:
    """The examples are the team's own: none repeats 6 words of a dev question or is a near
    copy of one (the dev sets' tuning split only weighs in the fit, never in the file)."""
    paths = [SHARED / name for name in DEV_SETS]
    if not all(p.exists() for p in paths):
        pytest.skip(f"{SHARED} is absent (the shared dev data is not beside the repo)")
    lines = [line for p in paths for line in p.read_text("utf-8").splitlines()]
    dev = [json.loads(line)["question"] for line in lines]
    own, general = load_examples()
    texts = [*own, *general]

    def runs(text: str, n: int = 6) -> set[str]:
        words = re.findall(r"[a-z0-9]+", text.lower().replace("'", ""))
        return {" ".join(words[i : i + n]) for i in range(len(words) - n + 1)}

    dev_runs = set().union(*(runs(d) for d in dev))
    assert not [t for t in texts if runs(t) & dev_runs]
    sims = np.asarray(embedder.embed(dev)) @ np.asarray(embedder.embed(texts)).T
    assert float(sims.max()) < 0.9, "an example is a near copy of a dev question"


def test_fitting_writes_a_model_that_routes_its_own_examples(tmp_path: Path, embedder: Any) -> None:
    """`make fit-own-case` without the dev sets (everyday questions are optional): the file it
    writes loads, names the examples it was fitted on, and its threshold is on the grid."""
    from chatbot.own_case_fit import GRID, fit

    out = tmp_path / "own_case_model.npz"
    report = fit(lambda texts: embedder.embed(texts), everyday=(), out=out)
    model = OwnCaseModel.load(out)
    assert model.examples_sha256 == examples_sha256(EXAMPLES_FILE)
    assert model.threshold in set(GRID.tolist())
    assert report["cv_own_case_recall"] > 0.5
    own, general = load_examples()
    texts = own[:10] + general[:10]
    vectors = embedder.embed(texts)
    scores = [model.probability(t, v) for t, v in zip(texts, vectors, strict=True)]
    assert sum(s >= model.threshold for s in scores[:10]) >= 8  # seen in the fit
    assert sum(s >= model.threshold for s in scores[10:]) <= 1
