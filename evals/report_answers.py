"""Report parts about answers: the reliability diagram, numbers per dataset and split, and each
question case with the fact type asked and found and what its confidence was made of.

Every piece of text from a dataset or a reply is escaped.
"""

from __future__ import annotations

from html import escape
from typing import Any

_PARTS_SHOWN = ("best_score", "fact_found", "coverage", "uncovered", "page_margin", "rival_same")


def _e(value: Any) -> str:
    return escape("" if value is None else str(value), quote=True)


def _pct(value: Any) -> str:
    return "–" if value is None else f"{value:.1%}"


def reliability_svg(calibration: dict[str, Any]) -> str:
    """Accuracy against mean confidence per confidence bin; the diagonal is perfect calibration.
    Dot size grows with the number of cases in the bin."""
    bins = calibration.get("reliability") or []
    if not bins:
        return "<p>No cases with a confidence to calibrate.</p>"
    w, h, left, pad = 420, 320, 60, 40

    def xy(conf: float, acc: float) -> tuple[float, float]:
        return left + conf * (w - left - pad), h - pad - acc * (h - 2 * pad)

    x0, y0 = xy(0, 0)
    x1, y1 = xy(1, 1)
    parts = [
        f'<svg role="img" aria-label="Reliability diagram" width="{w}" height="{h}" '
        f'viewBox="0 0 {w} {h}">',
        f'<line x1="{x0}" y1="{y0}" x2="{x1}" y2="{y0}" stroke="#0b0c0c"/>',
        f'<line x1="{x0}" y1="{y0}" x2="{x0}" y2="{y1}" stroke="#0b0c0c"/>',
        f'<line x1="{x0}" y1="{y0}" x2="{x1}" y2="{y1}" stroke="#b1b4b6" stroke-dasharray="4 3"/>',
        f'<text x="{(w + left) / 2}" y="{h - 6}" text-anchor="middle">mean confidence</text>',
        f'<text x="14" y="{h / 2}" transform="rotate(-90 14 {h / 2})" text-anchor="middle">'
        "share right</text>",
    ]
    for v in (0, 0.5, 1):
        x, _ = xy(v, 0)
        _, y = xy(0, v)
        parts.append(f'<text x="{x}" y="{h - pad + 15}" text-anchor="middle">{v:.0%}</text>')
        parts.append(f'<text x="{left - 5}" y="{y + 4}" text-anchor="end">{v:.0%}</text>')
    total = sum(b["cases"] for b in bins) or 1
    points = []
    for b in bins:
        cx, cy = xy(b["mean_confidence"], b["accuracy"])
        points.append(f"{cx:.1f},{cy:.1f}")
        r = 3 + 9 * (b["cases"] / total) ** 0.5
        parts.append(
            f'<circle cx="{cx:.1f}" cy="{cy:.1f}" r="{r:.1f}" fill="#1d70b8" fill-opacity="0.7">'
            f"<title>confidence {b['low']:.1f}-{b['high']:.1f}: {b['cases']} cases, mean "
            f"{b['mean_confidence']:.2f}, right {b['accuracy']:.0%}</title></circle>"
        )
    parts.append(
        f'<polyline points="{" ".join(points)}" fill="none" stroke="#1d70b8" stroke-width="1.5"/>'
    )
    parts.append("</svg>")
    return "".join(parts)


def calibration_html(summary: dict[str, Any]) -> str:
    """Expected calibration error overall and on each split, and the reliability diagram."""
    cal = summary.get("calibration") or {}
    rows = [("all cases", cal)]
    for split in ("split:tune", "split:heldout"):
        block = ((summary.get("by_tag") or {}).get(split) or {}).get("calibration")
        if block:
            rows.append((split, block))
    table = "".join(
        f"<tr><td>{_e(name)}</td><td class='n'>{_e(b.get('cases'))}</td>"
        f"<td class='n'>{_fmt3(b.get('expected_calibration_error'))}</td></tr>"
        for name, b in rows
    )
    return (
        "<table><tr><th>Cases</th><th>n</th><th>Expected calibration error</th></tr>"
        f"{table}</table>{reliability_svg(cal)}"
    )


def _fmt3(value: Any) -> str:
    return "–" if value is None else f"{value:.3f}"


def datasets_html(summary: dict[str, Any]) -> str:
    """The answer numbers per dataset, tuning and held-out split apart."""
    blocks = summary.get("by_dataset") or {}
    if not blocks:
        return "<p>No question datasets.</p>"
    head = (
        "<tr><th>Dataset</th><th>Split</th><th>Cases</th><th>hit@5</th><th>Answered</th>"
        "<th>Answered and right</th><th>Confidently wrong</th><th>Escalation recall</th></tr>"
    )
    rows = []
    for name, sides in blocks.items():
        for side in ("all", "split:tune", "split:heldout"):
            b = sides.get(side)
            if not b:
                continue
            a, r, e = b["answers"], b["retrieval"], b["escalation"]
            rows.append(
                f"<tr><td>{_e(name)}</td><td>{_e(side)}</td><td class='n'>"
                f"{_e(b['question_cases'])}</td><td class='n'>{_pct(r.get('hit_at_5'))}</td>"
                f"<td class='n'>{_pct(a.get('answered_rate'))}</td><td class='n'>"
                f"{_pct(a.get('answered_right'))}</td><td class='n'>"
                f"{_pct(a.get('confident_wrong_rate'))}</td><td class='n'>"
                f"{_pct(e.get('recall'))}</td></tr>"
            )
    return f"<table>{head}{''.join(rows)}</table>"


def answers_table(cases: list[dict[str, Any]]) -> str:
    """Every question case: its split, what it got, the fact type asked and found, and the
    confidence with its main parts."""
    rows = []
    for c in cases:
        if c.get("kind") != "question":
            continue
        split = next((t for t in c.get("tags") or [] if t.startswith("split:")), "")
        found = ", ".join(c.get("facts_found") or []) or "–"
        parts = c.get("confidence_parts") or {}
        shown = "; ".join(f"{k} {parts[k]:.2f}" for k in _PARTS_SHOWN if k in parts)
        conf = c.get("confidence")
        mark = "pass" if c.get("passed") else "fail"
        rows.append(
            f"<tr><td>{_e(c['id'])}</td><td>{_e(split.removeprefix('split:'))}</td>"
            f"<td>{_e(c.get('expect'))}</td><td class='{mark}'>{_e(c.get('status'))}</td>"
            f"<td class='n'>{'–' if conf is None else f'{conf:.2f}'}</td>"
            f"<td>{_e(c.get('fact_asked') or '–')}</td><td>{_e(found)}</td>"
            f"<td class='muted'>{_e(shown)}</td></tr>"
        )
    if not rows:
        return "<p>No question cases.</p>"
    head = (
        "<tr><th>Case</th><th>Split</th><th>Expect</th><th>Got</th><th>Confidence</th>"
        "<th>Fact asked</th><th>Facts in the answer</th><th>Confidence parts</th></tr>"
    )
    return f"<table>{head}{''.join(rows)}</table>"
