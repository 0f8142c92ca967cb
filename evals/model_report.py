"""What a configured chat model adds, and what the grounding guard removed, in one run.

`townhall eval run` with `TOWNHALL_LLM_PROVIDER` set answers every case twice: with the chat
model behind the guard (the run itself) and with the offline extractive composer (the
`compared` block, same knowledge base and retrieval). `chat_model` sums up the model's side:
what happened to each answer (used as written, trimmed by the guard, rejected by the guard
so the extractive answer stood in, timed out, failed, or "the pages do not say"; and how often
it was not asked because the guard rejected the extractive draft itself), the time the
model took per answer, tokens in and out as the server reported them, and sentences dropped.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from typing import Any

from evals.metrics import summarise

SPLIT_PREFIX = "split:"


def _percentile(values: list[float], q: float) -> float | None:
    if not values:
        return None
    values = sorted(values)
    k = (len(values) - 1) * q
    lo, hi = int(k), min(int(k) + 1, len(values) - 1)
    return round(values[lo] + (values[hi] - values[lo]) * (k - lo), 1)


def chat_model_summary(records: Sequence[dict[str, Any]]) -> dict[str, Any] | None:
    """The `chat_model` block from the question records (None when no model answered)."""
    reports = [r.get("answer_report") or {} for r in records if r.get("kind") == "question"]
    not_asked = sum(1 for r in reports if r.get("outcome") == "not_asked")
    asked = [r for r in reports if r.get("outcome") and r["outcome"] != "not_asked"]
    if not asked and not not_asked:
        return None
    ms = [float(r["ms"]) for r in asked if r.get("ms") is not None]
    tin = [int(r["tokens_in"]) for r in asked if r.get("tokens_in") is not None]
    tout = [int(r["tokens_out"]) for r in asked if r.get("tokens_out") is not None]
    guard = [r.get("guard") or {} for r in asked]
    return {
        "answers": len(asked),
        "not_asked": not_asked,  # the guard rejected the extractive draft: straight to staff
        "outcomes": dict(Counter(str(r["outcome"]) for r in asked)),
        "model_ms": {"p50": _percentile(ms, 0.5), "p95": _percentile(ms, 0.95)},
        "tokens_in": {"total": sum(tin), "mean": round(sum(tin) / len(tin), 1) if tin else None},
        "tokens_out": {
            "total": sum(tout),
            "mean": round(sum(tout) / len(tout), 1) if tout else None,
        },
        "guard": {
            "sentences_checked": sum(int(g.get("sentences") or 0) for g in guard),
            "sentences_dropped": sum(int(g.get("dropped") or 0) for g in guard),
            "answers_rejected": sum(1 for r in asked if r["outcome"] == "rejected_by_guard"),
        },
    }


def compared_block(scores: Sequence[Any]) -> dict[str, Any]:
    """Answer, escalation and latency numbers of a second configuration, overall and for each
    split (so held-out numbers are read apart from tuning ones)."""
    keys = ("answers", "escalation", "latency_ms")
    whole = summarise(scores, [], by_tag=False)
    block: dict[str, Any] = {k: whole[k] for k in keys}
    splits = sorted({t for s in scores for t in s.tags if t.startswith(SPLIT_PREFIX)})
    block["by_tag"] = {}
    for tag in splits:
        part = summarise([s for s in scores if tag in s.tags], [], by_tag=False)
        block["by_tag"][tag] = {k: part[k] for k in keys}
    return block


def chat_model_html(summary: dict[str, Any], escape: Any) -> str:
    """The report's chat-model section (empty when the run had no chat model)."""
    block = summary.get("chat_model")
    if not block:
        return ""

    def e(value: Any) -> str:  # numbers too
        return str(escape(str(value)))

    outcomes = ", ".join(f"{e(k)}: {v}" for k, v in sorted(block["outcomes"].items()))
    g = block["guard"]
    return (
        "<h2>Chat model and grounding guard</h2>"
        f"<p>{block['answers']} answers written by the model: {outcomes}. Not asked "
        f"{block.get('not_asked', 0)} times (the guard rejected the extractive draft, so the "
        "question went to staff).</p>"
        f"<p>Model time per answer p50 {e(block['model_ms']['p50'])} ms, p95 "
        f"{e(block['model_ms']['p95'])} ms; tokens in {block['tokens_in']['total']} "
        f"(mean {e(block['tokens_in']['mean'])}), tokens out "
        f"{block['tokens_out']['total']} (mean {e(block['tokens_out']['mean'])}), "
        "as the server reported them.</p>"
        f"<p>The guard checked {g['sentences_checked']} sentences, dropped "
        f"{g['sentences_dropped']}, and rejected {g['answers_rejected']} answers (the "
        "extractive answer stood in). The <em>extractive</em> column of the headline table is "
        "the offline composer on the same cases.</p>"
    )
