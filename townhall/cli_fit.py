"""`townhall eval fit-answers`: refit the unit ranker, the answer confidence and the default
threshold on the tuning split of the dev sets, and write `chatbot/answering/fitted.json`.

Deterministic: the same dev sets and code give the same file. Needs scikit-learn (a dev
dependency) and `../shared` (the real corpus and its dev sets) beside the repository.
"""

from __future__ import annotations

import logging
import pickle
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Annotated, Any

import typer

ROOT = Path(__file__).resolve().parents[1]
# everyday questions (tuning split only) that teach the urgent detector what is not urgent
EVERYDAY_SETS = ("resident-questions.dev.jsonl", "fixmystreet-faq.dev.jsonl")
# The team's own question sets on the demo council: their tuning split's everyday questions
# join too (council business in residents' words: barking dogs, missed collections).
OWN_EVERYDAY_SETS = ("demo-council.jsonl", "demo-fresh.jsonl")


def fit_answers_command(
    shared: Annotated[
        Path, typer.Option("--shared", help="The shared folder with corpus/ and evals/.")
    ] = ROOT.parent / "shared",
    out: Annotated[
        Path | None, typer.Option("--out", help="Where to write (default: the shipped file).")
    ] = None,
    records: Annotated[
        Path | None,
        typer.Option(
            "--records",
            help="Keep what the pipeline measured in this file and reuse it when it exists "
            "(for trying fitting changes without re-running every question).",
        ),
    ] = None,
) -> None:
    """Fit on split:tune cases only (folds grouped by page); write the fitted numbers."""
    from chatbot.answering.model import FITTED_FILE
    from evals.fit_answers import write_fitted

    sets = {
        "resident-questions": (shared / "corpus", shared / "evals/resident-questions.dev.jsonl"),
        "fixmystreet-faq": (shared / "corpus", shared / "evals/fixmystreet-faq.dev.jsonl"),
        "escalate-shared-corpus": (
            shared / "corpus",
            ROOT / "evals/datasets/escalate-shared-corpus.jsonl",
        ),
        "demo-council": (ROOT / "demo/council-site", ROOT / "evals/datasets/demo-council.jsonl"),
    }
    for name, (knowledge, dataset) in sets.items():
        if not knowledge.exists() or not dataset.exists():
            typer.echo(f"{name}: {knowledge} or {dataset} is missing", err=True)
            raise typer.Exit(2)
    shipped = FITTED_FILE.read_bytes() if FITTED_FILE.exists() else None
    stale = _placeholder_if_stale(FITTED_FILE)
    try:
        data = _fit(sets, records)
    finally:
        # a trial fit written elsewhere (--out) leaves the shipped file as it was
        if stale and out is not None and shipped is not None:
            FITTED_FILE.write_bytes(shipped)
    target = out or FITTED_FILE
    write_fitted(data, target)
    cv = data["cross_validation"]
    typer.echo(
        f"wrote {target}: threshold {data['threshold']}, lead unit holds a key fact "
        f"{cv['lead_unit_holds_a_key_fact']:.1%} (out of fold), ECE "
        f"{cv['expected_calibration_error']:.3f}"
    )


def _fit(sets: dict[str, tuple[Path, Path]], records: Path | None) -> dict:  # type: ignore[type-arg]
    from evals.fit_answers import fit_all

    if records is not None and records.exists():
        with open(records, "rb") as fh:
            measured = pickle.load(fh)  # our own file, written below
    else:
        measured = _measure(sets)
        if records is not None:
            with open(records, "wb") as fh:
                pickle.dump(measured, fh)
    from chatbot.answering.grounding import GroundingGuard
    from townhall.cli_eval import _services

    return fit_all(measured, GroundingGuard(_services().embedder))


def _placeholder_if_stale(path: Path) -> bool:
    """When the code computes other features than `path` was fitted on (a feature was just
    added), the pipeline that records the tuning cases could not load it: write neutral numbers
    (all weights zero) for the recording; the fit below replaces them. Recording keeps every
    candidate unit whatever the weights, so the fit does not depend on them."""
    from chatbot.answering.confidence import CONFIDENCE_FEATURES, ConfidenceModel
    from chatbot.answering.features import FEATURES
    from chatbot.answering.model import LogisticModel, load_fitted
    from chatbot.answering.ranker import UnitRanker

    try:
        UnitRanker()
        ConfidenceModel()
        return False
    except (ValueError, KeyError, FileNotFoundError):
        pass

    def neutral(names: tuple[str, ...]) -> dict:  # type: ignore[type-arg]
        import numpy as np

        n = len(names)
        zeros = np.zeros(n)
        return LogisticModel(names, zeros, np.ones(n), zeros, 0.0).to_dict()

    from evals.fit_answers import write_fitted

    write_fitted(
        {
            "note": "placeholder while `make fit-answers` runs",
            "threshold": 0.5,
            "unit_ranker": neutral(FEATURES),
            "confidence": neutral(CONFIDENCE_FEATURES),
            "assembly": {},
        },
        path,
    )
    load_fitted.cache_clear()
    typer.echo(f"{path} was fitted on other features: recording with neutral weights", err=True)
    return True


def _measure(sets: dict[str, tuple[Path, Path]]) -> list:  # type: ignore[type-arg]
    """Every tuning case through the pipeline, recording the composed parts."""
    from chatbot.store import ChatStore
    from evals.datasets import load_datasets
    from evals.fit_answers import RecordingRanker, record_cases
    from evals.kb_cache import build_or_reuse
    from evals.splits import TUNE, only
    from knowledge.base import KnowledgeBase
    from townhall.cli_eval import _services
    from townhall.db import make_engine, migrate
    from townhall.wiring import build_pipeline

    services = _services()
    logging.getLogger("chatbot").setLevel(logging.WARNING)
    kb_root = services.settings.data_dir / "eval-kb"
    records = []
    with tempfile.TemporaryDirectory(prefix="townhall-fit-") as tmp:
        engine = make_engine(f"sqlite:///{Path(tmp) / 'fit.db'}")
        migrate(engine)
        kbs: dict[Path, object] = {}
        for name, (knowledge, dataset) in sets.items():
            if knowledge not in kbs:
                kbs[knowledge] = build_or_reuse(
                    [knowledge],
                    kb_root,
                    lambda d: KnowledgeBase(
                        d, services.embedder, embedding_cache=kb_root / "embeddings.sqlite3"
                    ),
                )[0]
            ranker = RecordingRanker()
            pipeline = build_pipeline(services, knowledge=kbs[knowledge], store=ChatStore(engine))
            pipeline.ranker = ranker
            pipeline.composer.ranker = ranker
            cases = only(load_datasets([dataset]).questions, TUNE)
            typer.echo(f"{name}: {len(cases)} tuning cases", err=True)
            records += record_cases(
                cases, name, pipeline.handle, ranker, services.settings.answer_max_words
            )
        engine.dispose()
    return records


def fit_urgent_command(
    shared: Annotated[
        Path, typer.Option("--shared", help="The shared folder with evals/.")
    ] = ROOT.parent / "shared",
) -> None:
    """Refit the urgent detector on chatbot/safety/examples.yaml (the team's own examples) plus
    the everyday questions of the dev question sets' tuning split; write
    chatbot/safety/urgent_model.npz and print its cross-validation. urgent.dev is never read."""
    from chatbot.safety.fit import fit

    _fit_on_examples(fit, _tuning_questions(shared, lambda expect: expect != "urgent"))


def fit_own_case_command(
    shared: Annotated[
        Path, typer.Option("--shared", help="The shared folder with evals/.")
    ] = ROOT.parent / "shared",
) -> None:
    """Refit the own-case model on chatbot/own_case_examples.yaml (the team's own examples) plus
    the questions that expect an answer in the dev question sets' tuning split; write
    chatbot/own_case_model.npz and print its cross-validation."""
    from chatbot.own_case_fit import fit

    _fit_on_examples(fit, _tuning_questions(shared, lambda expect: expect == "answer"))


def _fit_on_examples(fit: Callable[..., dict[str, Any]], everyday: list[str]) -> None:
    """Run one of the example-fitted models' `fit` with the MiniLM embedder; print its report."""
    import json

    from knowledge.embeddings import MiniLMEmbedder

    embedder = MiniLMEmbedder()
    report = fit(lambda texts: embedder.embed(texts), everyday=everyday)
    typer.echo(json.dumps(report, indent=1))


def _tuning_questions(shared: Path, keep: Callable[[str], bool]) -> list[str]:
    """The tuning split's questions of the dev question sets and the team's demo sets whose
    `expect` passes `keep` (held-out cases are never read); exits when a set is missing."""
    from evals.datasets import load_datasets
    from evals.splits import TUNE, only

    out: list[str] = []
    paths = [shared / "evals" / name for name in EVERYDAY_SETS]
    paths += [ROOT / "evals" / "datasets" / name for name in OWN_EVERYDAY_SETS]
    for path in paths:
        if not path.exists():
            typer.echo(f"{path} is missing", err=True)
            raise typer.Exit(2)
        cases = only(load_datasets([path]).questions, TUNE)
        out += [c.question for c in cases if keep(c.expect)]
    return out
