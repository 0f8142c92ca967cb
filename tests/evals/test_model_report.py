"""The chat model's block of an evaluation run and the second configuration beside it."""

from __future__ import annotations

from html import escape

from evals.model_report import chat_model_html, chat_model_summary, compared_block
from evals.scoring import QuestionScore


def record(outcome: str | None, ms: float, tokens: tuple[int, int], dropped: int) -> dict:  # type: ignore[type-arg]
    report = {}
    if outcome:
        report = {
            "outcome": outcome,
            "ms": ms,
            "tokens_in": tokens[0],
            "tokens_out": tokens[1],
            "guard": {"sentences": 3, "dropped": dropped},
        }
    return {"kind": "question", "answer_report": report}


def test_chat_model_summary_counts_outcomes_time_tokens_and_the_guard() -> None:
    records = [
        record("used", 1000, (200, 50), 0),
        record("trimmed_by_guard", 3000, (220, 70), 1),
        record("rejected_by_guard", 2000, (210, 60), 3),
        record(None, 0, (0, 0), 0),  # greeting or escalated before composing: no model
        {"kind": "redaction"},
    ]
    block = chat_model_summary(records)
    assert block is not None and block["answers"] == 3
    assert block["outcomes"] == {"used": 1, "trimmed_by_guard": 1, "rejected_by_guard": 1}
    assert block["model_ms"] == {"p50": 2000.0, "p95": 2900.0}
    assert block["tokens_in"] == {"total": 630, "mean": 210.0}
    assert block["tokens_out"]["total"] == 180
    assert block["guard"] == {"sentences_checked": 9, "sentences_dropped": 4, "answers_rejected": 1}
    assert "rejected_by_guard: 1" in chat_model_html({"chat_model": block}, escape)
    assert chat_model_summary([record(None, 0, (0, 0), 0)]) is None
    assert chat_model_html({}, escape) == ""


def test_the_compared_configuration_is_reported_per_split() -> None:
    def score(case: str, split: str, answered: bool, wrong: bool) -> QuestionScore:
        return QuestionScore(
            case,
            (f"split:{split}",),
            "answer",
            answered,
            source_correct=answered and not wrong,
            confident_wrong=wrong,
            latency_ms=10.0,
        )

    block = compared_block([score("a", "tune", True, False), score("b", "heldout", True, True)])
    assert set(block) == {"answers", "escalation", "latency_ms", "by_tag"}
    assert block["answers"]["confident_wrong_rate"] == 0.5
    assert block["by_tag"]["split:heldout"]["answers"]["confident_wrong_rate"] == 1.0
    assert block["by_tag"]["split:tune"]["answers"]["confident_wrong_rate"] == 0.0
