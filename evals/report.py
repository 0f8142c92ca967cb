"""The run's HTML report: one self-contained file (inline CSS and SVG, no scripts, no fetches).

Every piece of text from a dataset, a reply or a source is escaped; only http(s) addresses
become links.
"""

from __future__ import annotations

from html import escape
from typing import Any

from evals.gates import value_at
from evals.model_report import chat_model_html
from evals.report_answers import answers_table, calibration_html, datasets_html

HEADLINES = (
    ("Urgent recall", "urgent.recall", True),
    ("Urgent false alarms", "urgent.false_alarm_rate", True),
    ("Retrieval hit@1", "retrieval.hit_at_1", True),
    ("Retrieval hit@3", "retrieval.hit_at_3", True),
    ("Retrieval hit@5", "retrieval.hit_at_5", True),
    ("Retrieval MRR", "retrieval.mrr", False),
    ("Answered (answer cases)", "answers.answered_rate", True),
    ("Answered and right", "answers.answered_right", True),
    ("Source correct", "answers.source_correct", True),
    ("Key-fact recall", "answers.key_fact_recall", True),
    ("Reference recall", "answers.reference_recall", True),
    ("Confidently wrong", "answers.confident_wrong_rate", True),
    ("Escalation precision", "escalation.precision", True),
    ("Escalation recall", "escalation.recall", True),
    ("Redaction leak rate", "redaction.leak_rate", True),
    ("Over-redaction rate", "redaction.over_redaction_rate", True),
    ("Personal values left", "redaction.values_left_rate", True),
    ("Special-category flag recall", "redaction.special_category_recall", True),
    ("Special-category false flags", "redaction.special_category_false_flag_rate", True),
    ("must_not violations", "safety.must_not_violations", False),
    ("Latency p50 (ms)", "latency_ms.p50", False),
    ("Latency p95 (ms)", "latency_ms.p95", False),
)
TAG_BARS = (
    ("hit@5", "retrieval.hit_at_5", "#1d70b8"),
    ("answered", "answers.answered_rate", "#00703c"),
    ("source correct", "answers.source_correct", "#f47738"),
    ("escalation recall", "escalation.recall", "#4c2c92"),
)
CSS = """
body{font-family:Arial,Helvetica,sans-serif;color:#0b0c0c;margin:0 auto;max-width:1100px;
padding:1rem 1.5rem;line-height:1.4}
h1{font-size:1.8rem}h2{font-size:1.35rem;margin-top:2rem;border-bottom:2px solid #b1b4b6}
table{border-collapse:collapse;margin:.5rem 0}th,td{border-bottom:1px solid #b1b4b6;
padding:.3rem .6rem;text-align:left;vertical-align:top}td.n{text-align:right;
font-variant-numeric:tabular-nums}.pass{color:#00703c;font-weight:bold}
.fail{color:#d4351c;font-weight:bold}.muted{color:#505a5f}.case{border-left:4px solid #d4351c;
padding:.3rem .8rem;margin:1rem 0;background:#f8f8f8}.case p{margin:.3rem 0}
.reply{white-space:pre-wrap}code{background:#f3f2f1;padding:0 .2rem}
svg text{font-family:Arial,Helvetica,sans-serif;font-size:12px}
"""


def _e(value: Any) -> str:
    return escape("" if value is None else str(value), quote=True)


def _fmt(value: Any, percent: bool) -> str:
    if value is None:
        return "–"
    if isinstance(value, bool) or not isinstance(value, int | float):
        return _e(value)
    return f"{value:.1%}" if percent else f"{value:,.3g}" if value < 10 else f"{value:,.0f}"


def _get(block: dict[str, Any], key: str) -> Any:
    return value_at(block, key)


def _link(source: dict[str, Any]) -> str:
    label = _e(source.get("title") or source.get("page"))
    if source.get("section") and source.get("section") != source.get("title"):
        label += " › " + _e(source["section"])
    url = str(source.get("url") or "")
    page = f' <span class="muted">[{_e(source.get("page"))}]</span>'
    if url.startswith(("http://", "https://")):
        return f'<a href="{_e(url)}">{label}</a>{page}'
    return label + page


def headline_table(summary: dict[str, Any]) -> str:
    baselines = {f"{m} only": b for m, b in (summary.get("baselines") or {}).items()}
    baselines |= summary.get("compared") or {}  # another configuration, e.g. "extractive"
    head = "<tr><th>Metric</th><th>This run (hybrid)</th>" + "".join(
        f"<th>{_e(m)}</th>" for m in baselines
    )
    rows = [head + "</tr>"]
    for label, key, pct in HEADLINES:
        cells = [f'<td class="n">{_fmt(_get(summary, key), pct)}</td>']
        for block in baselines.values():
            cells.append(f'<td class="n">{_fmt(_get(block, key), pct)}</td>')
        rows.append(f"<tr><td>{_e(label)}</td>{''.join(cells)}</tr>")
    return "<table>" + "".join(rows) + "</table>"


def tag_bars_svg(by_tag: dict[str, Any]) -> str:
    """Grouped horizontal bars: per tag, each of TAG_BARS as a share (missing ones are blank)."""
    if not by_tag:
        return "<p>No tags in these datasets.</p>"
    label_w, bar_w, bar_h = 230, 520, 11
    group_h = bar_h * len(TAG_BARS) + 12
    height = group_h * len(by_tag) + 40
    parts = [
        f'<svg role="img" aria-label="Per-tag results" width="{label_w + bar_w + 60}" '
        f'height="{height}" viewBox="0 0 {label_w + bar_w + 60} {height}">'
    ]
    for x, (name, _key, colour) in enumerate(TAG_BARS):
        parts.append(
            f'<rect x="{label_w + x * 130}" y="4" width="10" height="10" fill="{colour}"/>'
            f'<text x="{label_w + x * 130 + 14}" y="13">{_e(name)}</text>'
        )
    for i, (tag, block) in enumerate(sorted(by_tag.items())):
        y0 = 30 + i * group_h
        parts.append(
            f'<text x="{label_w - 8}" y="{y0 + group_h / 2}" text-anchor="end">'
            f"{_e(tag)} ({_e(block.get('cases'))})</text>"
        )
        for j, (_name, key, colour) in enumerate(TAG_BARS):
            value = _get(block, key)
            y = y0 + j * bar_h
            if value is None:
                continue
            w = max(1.0, bar_w * float(value))
            parts.append(
                f'<rect x="{label_w}" y="{y}" width="{w:.1f}" height="{bar_h - 2}" '
                f'fill="{colour}"><title>{_e(tag)} {_e(_name)}: {value:.1%}</title></rect>'
                f'<text x="{label_w + w + 4:.1f}" y="{y + bar_h - 3}" font-size="10">'
                f"{value:.0%}</text>"
            )
    parts.append("</svg>")
    return "".join(parts)


def risk_coverage_svg(calibration: dict[str, Any], current: float | None = None) -> str:
    """Risk (1 - accuracy) against coverage as the confidence threshold moves; the red dot is the
    threshold meeting the target accuracy, the grey one the threshold the run used."""
    curve = calibration.get("curve") or []
    if not curve:
        return "<p>No cases with a confidence the threshold decides.</p>"
    w, h, left, pad = 560, 300, 75, 40

    def xy(cov: float, risk: float) -> tuple[float, float]:
        return left + cov * (w - left - pad), h - pad - risk * (h - 2 * pad)

    points = " ".join("{:.1f},{:.1f}".format(*xy(p["coverage"], 1 - p["accuracy"])) for p in curve)
    target_risk = 1 - float(calibration.get("target_accuracy") or 0)
    tx0, ty = xy(0, target_risk)
    tx1, _ = xy(1, target_risk)
    parts = [
        f'<svg role="img" aria-label="Risk-coverage curve" width="{w}" height="{h}" '
        f'viewBox="0 0 {w} {h}">',
        f'<line x1="{left}" y1="{h - pad}" x2="{w - pad}" y2="{h - pad}" stroke="#0b0c0c"/>',
        f'<line x1="{left}" y1="{pad}" x2="{left}" y2="{h - pad}" stroke="#0b0c0c"/>',
        f'<text x="{(w + left) / 2}" y="{h - 6}" text-anchor="middle">'
        "coverage (share answered)</text>",
        f'<text x="14" y="{h / 2}" transform="rotate(-90 14 {h / 2})" text-anchor="middle">'
        "risk (share of answers wrong)</text>",
    ]
    for v in (0, 0.25, 0.5, 0.75, 1):
        x, _ = xy(v, 0)
        _, y = xy(0, v)
        parts.append(f'<text x="{x}" y="{h - pad + 15}" text-anchor="middle">{v:.0%}</text>')
        parts.append(f'<text x="{left - 5}" y="{y + 4}" text-anchor="end">{v:.0%}</text>')
    parts.append(
        f'<line x1="{tx0}" y1="{ty}" x2="{tx1}" y2="{ty}" stroke="#d4351c" stroke-dasharray="4 3">'
        f"<title>target risk {target_risk:.0%}</title></line>"
    )
    parts.append(f'<polyline points="{points}" fill="none" stroke="#1d70b8" stroke-width="2"/>')
    used = [p for p in curve if current is not None and p["threshold"] >= current]
    if used:
        p = min(used, key=lambda p: p["threshold"])
        cx, cy = xy(p["coverage"], 1 - p["accuracy"])
        parts.append(
            f'<circle cx="{cx:.1f}" cy="{cy:.1f}" r="5" fill="#505a5f"><title>threshold used '
            f"{current:.3f}: coverage {p['coverage']:.0%}, accuracy {p['accuracy']:.0%}"
            "</title></circle>"
        )
    if calibration.get("threshold") is not None:
        cx, cy = xy(calibration["coverage_at_threshold"], 1 - calibration["accuracy_at_threshold"])
        parts.append(
            f'<circle cx="{cx:.1f}" cy="{cy:.1f}" r="5" fill="#d4351c"><title>threshold '
            f"{calibration['threshold']:.3f} meets the target</title></circle>"
        )
    parts.append("</svg>")
    return "".join(parts)


def gates_html(gates: dict[str, Any]) -> str:
    if gates.get("passed") is None and not gates.get("errors"):
        return "<p>No gate file was given.</p>"
    verdict = '<p class="pass">Every gate passed.</p>' if gates.get("passed") else ""
    rows = [
        f'<tr><td class="fail">failed</td><td>{_e(g["scope"])}</td><td><code>{_e(g["key"])}'
        f"</code></td><td>{_e(g['op'])} {_e(g['threshold'])}</td>"
        f'<td class="n">{_fmt(g["value"], False)}</td></tr>'
        for g in gates.get("failed", [])
    ]
    rows += [
        f'<tr><td class="fail">error</td><td colspan="4">{_e(err)}</td></tr>'
        for err in gates.get("errors", [])
    ]
    table = "<table><tr><th></th><th>Scope</th><th>Key</th><th>Gate</th><th>Value</th></tr>"
    return verdict + (table + "".join(rows) + "</table>" if rows else "")


def failure_html(case: dict[str, Any]) -> str:
    reasons = "".join(f"<li>{_e(r)}</li>" for r in case.get("reasons", []))
    tags = ", ".join(case.get("tags") or []) or "no tags"
    parts = [f"<p><strong>{_e(case['id'])}</strong> <span class='muted'>({_e(tags)})</span></p>"]
    if case.get("kind") == "redaction":
        parts.append(f"<p>Redacted text: <q>{_e(case.get('text'))}</q></p>")
    else:
        expected = ", ".join(case.get("expected_sources") or [])
        route = case.get("route") or "–"
        sources = "".join(f"<li>{_link(s)}</li>" for s in case.get("sources") or [])
        retrieved = ", ".join(case.get("retrieved_pages") or []) or "none"
        parts += [
            f"<p>Question: <q>{_e(case.get('question'))}</q> — expected "
            f"<strong>{_e(case.get('expect'))}</strong>"
            + (f" from {_e(expected)}" if expected else "")
            + "</p>",
            f"<p>Got <strong>{_e(case.get('status'))}</strong> (route {_e(route)}, "
            f"confidence {_fmt(case.get('confidence'), False)})</p>",
            f'<p class="reply">{_e(case.get("reply"))}</p>',
            f"<p>Sources:</p><ul>{sources}</ul>" if sources else "<p>Sources: none</p>",
            f"<p class='muted'>Retrieved pages: {_e(retrieved)}</p>",
        ]
    parts.append(f"<p>Why it failed:</p><ul>{reasons}</ul>")
    return f'<div class="case">{"".join(parts)}</div>'


def _config_rows(config: dict[str, Any]) -> str:
    rows = []
    for key, value in config.items():
        text = ", ".join(map(str, value)) if isinstance(value, list) else value
        rows.append(f"<tr><th>{_e(key)}</th><td>{_e(text)}</td></tr>")
    return "".join(rows)


def redaction_detail_html(red: dict[str, Any]) -> str:
    """Per-type leaks (values left of values given) and the special-category flag."""
    totals = red.get("values_by_type") or {}
    leaks = red.get("leaks_by_type") or {}
    rows = "".join(
        f"<tr><td>{_e(t)}</td><td>{_e(leaks.get(t, 0))}</td><td>{_e(n)}</td></tr>"
        for t, n in totals.items()
    )
    table = f"<table><tr><th>type</th><th>left</th><th>of</th></tr>{rows}</table>" if rows else ""
    special = (
        f"<p>Special category (flagged, not redacted): recall "
        f"{_fmt(red.get('special_category_recall'), True)} of "
        f"{_e(red.get('special_category_cases'))} messages, false flags "
        f"{_fmt(red.get('special_category_false_flag_rate'), True)}; values left "
        f"{_fmt(red.get('values_left_rate'), True)}.</p>"
    )
    return table + special


def urgent_html(summary: dict[str, Any]) -> str:
    """Safety first: urgent recall, false alarms and per category, before any other number."""
    urg = summary.get("urgent") or {}
    if not urg.get("cases"):
        return '<p class="muted">No urgent or not_urgent cases in this run.</p>'
    rows = "".join(
        f'<tr><td>{_e(tag)}</td><td class="n">{_e(b.get("cases"))}</td>'
        f'<td class="n">{_fmt(b.get("recall"), True)}</td>'
        f'<td class="n">{_fmt(b.get("category_match"), True)}</td></tr>'
        for tag, b in (urg.get("by_tag") or {}).items()
    )
    return (
        f"<p>Urgent cases routed urgent: <strong>{_fmt(urg.get('recall'), True)}</strong> "
        f"({_e(urg.get('missed'))} missed of {_e(urg.get('urgent_cases'))}; a place in the "
        f"queue counts as a miss). False alarms: <strong>"
        f"{_fmt(urg.get('false_alarm_rate'), True)}</strong> ({_e(urg.get('false_alarms'))} of "
        f"{_e(urg.get('not_urgent_cases'))} messages that only sound alarming).</p>"
        "<table><tr><th>Category</th><th>Cases</th><th>Recall</th>"
        f"<th>Reply led with this category</th></tr>{rows}</table>"
    )


def render_report(summary: dict[str, Any], cases: list[dict[str, Any]]) -> str:
    config = summary.get("config") or {}
    failures = [c for c in cases if not c.get("passed")]
    cal = summary.get("calibration") or {}
    red = summary.get("redaction") or {}
    cfg_rows = _config_rows(config)
    cal_text = (
        f"At target accuracy {_fmt(cal.get('target_accuracy'), True)}: threshold "
        f"<strong>{_fmt(cal.get('threshold'), False)}</strong>, covering "
        f"{_fmt(cal.get('coverage_at_threshold'), True)} of {_e(cal.get('cases'))} cases "
        f"at accuracy {_fmt(cal.get('accuracy_at_threshold'), True)}."
        if cal.get("threshold") is not None
        else f"No threshold reaches the target accuracy {_fmt(cal.get('target_accuracy'), True)}."
    )
    leaks = ", ".join(f"{_e(t)}: {n}" for t, n in (red.get("leaks_by_type") or {}).items())
    return f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Townhall evaluation {_e(summary.get("run_id"))}</title><style>{CSS}</style></head>
<body><main>
<h1>Townhall evaluation</h1>
<p>Run <code>{_e(summary.get("run_id"))}</code>, {_e(summary.get("created_at"))}:
{_e(summary.get("cases"))} cases ({_e(summary.get("question_cases"))} questions,
{_e(red.get("cases"))} redaction), {_e(len(failures))} failed, {_e(summary.get("errors", 0))}
pipeline errors, {_e(summary.get("seconds"))} s.</p>
<table>{cfg_rows}</table>
<h2>Urgent messages</h2>{urgent_html(summary)}
<h2>Gates</h2>{gates_html(summary.get("gates") or {})}
<h2>Headline numbers</h2>{headline_table(summary)}
<p class="muted">Baselines run the same cases with BM25 only and dense only retrieval.
Null metrics (–) had nothing to measure.</p>
{chat_model_html(summary, _e)}
<h2>By tag</h2>{tag_bars_svg(summary.get("by_tag") or {})}
<h2>Confidence calibration</h2><p>{cal_text} Grey dot: the threshold this run used
({_e(config.get("confidence_threshold", "–"))}); red dot: the lowest one meeting the target.</p>
{risk_coverage_svg(cal, config.get("confidence_threshold"))}
<h3>Reliability</h3><p>Cases by confidence: the share right against the mean confidence (the
dashed diagonal is a perfectly calibrated confidence).</p>{calibration_html(summary)}
<h2>By dataset and split</h2>{datasets_html(summary)}
<h2>Redaction</h2><p>{_e(red.get("leaked_values"))} of {_e(red.get("pii_values"))} personal values
survived{": " + leaks if leaks else ""}.</p>{redaction_detail_html(red)}
<h2>Failures ({len(failures)})</h2>
{"".join(failure_html(c) for c in failures) or "<p>None.</p>"}
<h2>Answers case by case</h2>{answers_table(cases)}
</main></body></html>
"""
