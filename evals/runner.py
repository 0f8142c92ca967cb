"""One evaluation run: every case through the real resident pipeline, then the numbers and files.

The caller (the `townhall eval run` command) builds the parts and hands them in: the pipeline
residents use (on a knowledge base built for the run, with a throwaway transcript store), the
knowledge base itself (retrieval is also measured alone), and the redactor. Nothing here reads
the environment or imports the composition root.
"""

from __future__ import annotations

import json
import logging
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Protocol

from evals.datasets import Datasets, QuestionCase, RedactionCase
from evals.gates import Gate, GateResult, check_gates
from evals.metrics import DEFAULT_TARGET_ACCURACY, summarise
from evals.model_report import chat_model_summary, compared_block
from evals.scoring import (
    QuestionOutcome,
    QuestionScore,
    distinct_pages,
    mask_leaks,
    score_question,
    score_redaction,
)

logger = logging.getLogger(__name__)

ProgressFn = Callable[[int, int, str], None]


class Pipeline(Protocol):
    def handle(self, message: str, conversation_id: str | None = None) -> Any: ...


class Knowledge(Protocol):
    def retrieve(self, query: str, k: int = 5, **kw: Any) -> list[Any]: ...


class Redacts(Protocol):
    def redact(self, text: str) -> Any: ...


@dataclass
class RunOutput:
    run_id: str
    out_dir: Path
    summary: dict[str, Any]
    cases: list[dict[str, Any]] = field(default_factory=list)
    gates: GateResult | None = None

    @property
    def exit_code(self) -> int:
        return self.gates.exit_code if self.gates else 0


def new_run_id(now: datetime | None = None) -> str:
    import secrets

    now = now or datetime.now(UTC)
    return f"{now:%Y%m%d-%H%M%S}-{secrets.token_hex(3)}"


def _pages(chunks: Sequence[Any]) -> list[dict[str, Any]]:
    """Distinct pages, best first, from RetrievedChunk objects."""
    return distinct_pages(
        {"page": c.chunk.page_id, "url": c.chunk.url, "title": c.chunk.title} for c in chunks
    )


def _query_vector(knowledge: Knowledge, question: str) -> Any:
    """The question's embedding, computed once for every retrieval mode (None: let it embed)."""
    embedder = getattr(knowledge, "embedder", None)
    return embedder.embed([question])[0] if embedder is not None else None


def _retrieve(knowledge: Knowledge, question: str, k: int, mode: str | None, vector: Any) -> Any:
    kw: dict[str, Any] = {} if mode is None else {"mode": mode}
    if vector is not None and mode != "bm25":
        kw["query_embedding"] = vector
    return knowledge.retrieve(question, k=k, **kw)


def _ask(pipeline: Pipeline, redactor: Redacts, question: str) -> tuple[QuestionOutcome, str]:
    """The pipeline's answer to one question as plain values, and the question as stored."""
    started = time.perf_counter()
    try:
        result = pipeline.handle(question)
    except ValueError as exc:  # MessageRejected: empty, too long, unusable
        ms = (time.perf_counter() - started) * 1000
        return QuestionOutcome("rejected", str(exc), latency_ms=ms), redactor.redact(question).text
    ms = (time.perf_counter() - started) * 1000
    outcome = QuestionOutcome(
        status=result.status,
        reply=result.reply,
        sources=[dict(s) for s in result.sources],
        confidence=result.confidence,
        route=result.route,
        draft_answer=result.draft_answer,
        latency_ms=ms,
        timings_ms=dict(getattr(result, "timings_ms", None) or {}),
        answer_report=dict(getattr(result, "answer_report", None) or {}),
        facts=dict(getattr(result, "facts", None) or {}),
        signals=dict(getattr(result, "signals", None) or {}),
        urgent_categories=list(getattr(result, "urgent_categories", None) or []),
    )
    if result.status != "answered" and result.reference and hasattr(pipeline, "store"):
        # the escalated draft's sources, as staff see them (used for calibration only)
        item = pipeline.store.review_item(result.reference)
        if item is not None:
            outcome.draft_sources = [
                {k: s.get(k) for k in ("title", "url", "section", "page")} for s in item.sources
            ]
    return outcome, result.redacted_message


def _ask_safely(
    pipeline: Pipeline, redactor: Redacts, case: QuestionCase
) -> tuple[QuestionOutcome, str]:
    """As `_ask`, but a crash on one case is recorded (status "error"), not fatal or hidden."""
    try:
        return _ask(pipeline, redactor, case.question)
    except Exception as exc:
        logger.exception("pipeline failed on case %s", case.id)
        reply = f"pipeline error: {type(exc).__name__}"
        return QuestionOutcome("error", reply), redactor.redact(case.question).text


def _question_record(
    case: QuestionCase, redacted: str, outcome: QuestionOutcome, score: QuestionScore
) -> dict[str, Any]:
    return {
        "id": case.id,
        "kind": "question",
        "dataset": case.source_file,
        "tags": list(case.tags),
        "question": redacted,
        "expect": case.expect,
        "urgent_categories": list(score.urgent_categories),
        "expected_sources": list(case.expected_sources),
        "key_facts": list(case.key_facts),
        "status": outcome.status,
        "route": outcome.route,
        "reply": outcome.reply,
        "sources": outcome.sources,
        "confidence": outcome.confidence,
        "fact_asked": outcome.facts.get("fact_asked"),
        "facts_found": outcome.facts.get("facts_found"),
        "confidence_parts": outcome.signals,
        "retrieved_pages": [p["page"] for p in outcome.retrieved_pages],
        "metrics": {
            "answered": score.answered,
            "retrieval_rank": score.retrieval_rank,
            "source_correct": score.source_correct,
            "key_fact_recall": score.key_fact_recall,
            "reference_recall": score.reference_recall,
            "confident_wrong": score.confident_wrong,
            "must_not_hits": score.must_not_hits,
            "latency_ms": round(score.latency_ms, 2) if score.latency_ms is not None else None,
            "timings_ms": outcome.timings_ms,
        },
        "passed": score.passed,
        "reasons": score.reasons,
        "answer_report": outcome.answer_report,
    }


def _redaction_record(case: RedactionCase, redacted: str, score: Any) -> dict[str, Any]:
    return {
        "id": case.id,
        "kind": "redaction",
        "dataset": case.source_file,
        "tags": list(case.tags),
        "text": mask_leaks(case, redacted),
        "pii_types": [p.type for p in case.pii],
        "must_keep": list(case.must_keep),
        "metrics": {
            "leaked": score.leaked,
            "lost": score.lost,
            "special_category_expected": score.special_expected,
            "special_category_flagged": score.flagged,
        },
        "passed": score.passed,
        "reasons": score.reasons,
    }


def run(
    datasets: Datasets,
    *,
    pipeline: Pipeline,
    knowledge: Knowledge,
    redactor: Redacts,
    out_dir: Path,
    run_id: str | None = None,
    baseline_modes: Sequence[str] = (),
    baseline_pipelines: Mapping[str, Pipeline] | None = None,
    compared_pipelines: Mapping[str, Pipeline] | None = None,
    gates: list[Gate] | None = None,
    retrieval_k: int = 5,
    target_accuracy: float = DEFAULT_TARGET_ACCURACY,
    config: dict[str, Any] | None = None,
    progress: ProgressFn | None = None,
    write_report: bool = True,
) -> RunOutput:
    """Run every case, write summary.json, cases.jsonl and report.html into `out_dir`.

    Retrieval metrics call `knowledge.retrieve(redacted question, k=retrieval_k)` on every case
    whatever the pipeline decided; each of `baseline_modes` repeats that with `mode=...`, and
    when `baseline_pipelines` has a pipeline for the mode, its answers are scored too.
    Each of `compared_pipelines` (another configuration, e.g. the extractive composer beside
    a chat model) answers every question as well; its numbers go under `compared`.
    """
    compared_pipelines = compared_pipelines or {}
    compared_scores: dict[str, list[QuestionScore]] = {n: [] for n in compared_pipelines}
    run_id = run_id or new_run_id()
    baseline_pipelines = baseline_pipelines or {}
    total = len(datasets.questions) + len(datasets.redactions)
    done = 0

    def tick(stage: str) -> None:
        nonlocal done
        done += 1
        if progress:
            progress(done, total, stage)

    started = time.perf_counter()
    records: list[dict[str, Any]] = []
    scores: list[QuestionScore] = []
    base_scores: dict[str, list[QuestionScore]] = {m: [] for m in baseline_modes}
    errors = 0
    for case in datasets.questions:
        outcome, redacted = _ask_safely(pipeline, redactor, case)
        errors += outcome.status == "error"
        vector = _query_vector(knowledge, redacted)
        outcome.retrieved_pages = _pages(_retrieve(knowledge, redacted, retrieval_k, None, vector))
        score = score_question(case, outcome)
        if outcome.status == "error":
            score.reasons.insert(0, outcome.reply)
        scores.append(score)
        record = _question_record(case, redacted, outcome, score)
        record["baselines"] = {}
        for mode in baseline_modes:
            pages = _pages(_retrieve(knowledge, redacted, retrieval_k, mode, vector))
            if mode in baseline_pipelines:
                base, _ = _ask_safely(baseline_pipelines[mode], redactor, case)
            else:
                base = QuestionOutcome(outcome.status, outcome.reply, outcome.sources)
            base.retrieved_pages = pages
            bscore = score_question(case, base)
            base_scores[mode].append(bscore)
            record["baselines"][mode] = {
                "status": base.status,
                "retrieval_rank": bscore.retrieval_rank,
                "passed": bscore.passed if mode in baseline_pipelines else None,
            }
        record["compared"] = {}
        for name, other in compared_pipelines.items():
            alt, _ = _ask_safely(other, redactor, case)
            alt.retrieved_pages = outcome.retrieved_pages
            ascore = score_question(case, alt)
            compared_scores[name].append(ascore)
            record["compared"][name] = {
                "status": alt.status,
                "reply": alt.reply,
                "passed": ascore.passed,
                "confident_wrong": ascore.confident_wrong,
                "latency_ms": round(ascore.latency_ms or 0.0, 1),
            }
        records.append(record)
        tick("questions")

    red_scores = []
    for rcase in datasets.redactions:
        redaction = redactor.redact(rcase.text)
        redacted_text = redaction.text
        flags = getattr(redaction, "special_category", None)
        rscore = score_redaction(rcase, redacted_text, None if flags is None else bool(flags))
        red_scores.append(rscore)
        records.append(_redaction_record(rcase, redacted_text, rscore))
        tick("redaction")

    summary: dict[str, Any] = {
        "run_id": run_id,
        "created_at": datetime.now(UTC).isoformat(timespec="seconds"),
        **summarise(scores, red_scores, target_accuracy=target_accuracy),
        "errors": errors,
        "seconds": round(time.perf_counter() - started, 2),
    }
    if baseline_modes:
        summary["baselines"] = {}
        for mode in baseline_modes:
            block = summarise(base_scores[mode], [], by_tag=False)
            summary["baselines"][mode] = (
                {k: block[k] for k in ("retrieval", "answers", "escalation", "latency_ms")}
                if mode in baseline_pipelines
                else {"retrieval": block["retrieval"]}
            )
    if compared_pipelines:
        summary["compared"] = {n: compared_block(sc) for n, sc in compared_scores.items()}
    model_block = chat_model_summary(records)
    if model_block is not None:
        summary["chat_model"] = model_block
    gate_result = check_gates(gates, summary) if gates else None
    summary["gates"] = (
        gate_result.as_summary() if gate_result else {"passed": None, "failed": [], "errors": []}
    )
    if config is not None:
        summary["config"] = config

    output = RunOutput(run_id, Path(out_dir), summary, records, gate_result)
    write_outputs(output, report=write_report)
    return output


def write_outputs(output: RunOutput, *, report: bool = True) -> None:
    """summary.json, cases.jsonl and report.html, each written whole (temp file, then rename)."""
    out = output.out_dir
    out.mkdir(parents=True, exist_ok=True)
    files = {
        "summary.json": json.dumps(output.summary, ensure_ascii=False, indent=2) + "\n",
        "cases.jsonl": "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in output.cases),
    }
    if report:
        from evals.report import render_report

        files["report.html"] = render_report(output.summary, output.cases)
    for name, text in files.items():
        tmp = out / f".{name}.tmp"
        tmp.write_text(text, encoding="utf-8")
        tmp.replace(out / name)
