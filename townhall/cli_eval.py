"""`townhall eval ...`: evaluation runs for pilot teams, comparisons, and the approved-answer set.

Exit status of `eval run` (CONTRACTS.md): 0 evaluated and every gate passed (or no gate);
1 evaluated and a gate failed; 2 could not evaluate as asked (bad flags, unreadable or malformed
dataset or gate file, a gate on a key that does not exist or is null).
"""

from __future__ import annotations

import json
import logging
import subprocess
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer
from rich.console import Console

if TYPE_CHECKING:
    from townhall.services import Services

eval_app = typer.Typer(
    help="Evaluate Townhall on question and redaction datasets.", no_args_is_help=True
)
console = Console(stderr=True)
BASELINE_MODES = ("bm25", "dense")
METRICS_K = 5  # retrieval metrics look at the 5 best sections (hit@1/3/5 over their pages)


def _fail(message: str) -> typer.Exit:
    console.print(message, style="red", markup=False, highlight=False)
    return typer.Exit(2)


def _services() -> Services:
    from townhall.services import Services
    from townhall.settings import Settings

    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    logging.getLogger("bm25s").setLevel(logging.WARNING)  # it logs every index build at DEBUG
    return Services(Settings())


def _source_hash(repo: Path) -> str:
    """A short hash of the product's source files, so two dirty trees can be told apart."""
    import hashlib

    digest = hashlib.sha256()
    for package in ("knowledge", "chatbot", "review_ui", "evals", "townhall"):
        for path in sorted((repo / package).rglob("*")):
            if path.suffix in (".py", ".yaml", ".yml", ".html") and path.is_file():
                digest.update(path.relative_to(repo).as_posix().encode() + b"\0")
                digest.update(path.read_bytes())
    return digest.hexdigest()[:8]


def code_version() -> str:
    """`git rev-parse HEAD`; with uncommitted changes "-dirty+" and a hash of the source files
    (so runs of two different dirty trees differ); without git, the package version."""
    repo = Path(__file__).resolve().parents[1]
    try:
        sha = subprocess.run(
            ["git", "rev-parse", "HEAD"], cwd=repo, capture_output=True, text=True, timeout=10
        )
        if sha.returncode == 0 and sha.stdout.strip():
            dirty = subprocess.run(
                ["git", "status", "--porcelain", "--untracked-files=no"],
                cwd=repo,
                capture_output=True,
                text=True,
                timeout=10,
            )
            if not dirty.stdout.strip():
                return sha.stdout.strip()
            return f"{sha.stdout.strip()}-dirty+{_source_hash(repo)}"
    except (OSError, subprocess.SubprocessError):
        pass
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("townhall")
    except PackageNotFoundError:
        return "unknown"


def _progress():  # type: ignore[no-untyped-def]
    from rich.progress import (
        BarColumn,
        MofNCompleteColumn,
        Progress,
        TextColumn,
        TimeElapsedColumn,
    )

    return Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=console,
    )


def _build_pipeline(services: Services, kb: Any, store: Any, mode: str) -> Any:
    from townhall.wiring import build_pipeline

    return build_pipeline(services, knowledge=kb, store=store, retrieval_mode=mode)


@eval_app.command("run")
def run_command(
    knowledge: Annotated[
        list[Path], typer.Option("--knowledge", help="Folder of pages (repeat for several).")
    ],
    dataset: Annotated[list[Path], typer.Option("--dataset", help="JSONL dataset (repeatable).")],
    out: Annotated[
        Path | None, typer.Option("--out", help="Folder for the run (default: data dir/evals/ID).")
    ] = None,
    gate: Annotated[Path | None, typer.Option("--gate", help="YAML gate file.")] = None,
    baselines: Annotated[
        bool,
        typer.Option("--baselines/--no-baselines", help="Also measure BM25-only and dense-only."),
    ] = True,
    baseline_answers: Annotated[
        bool,
        typer.Option(
            "--baseline-answers",
            help="Baselines also run the whole pipeline per mode (answer metrics; 3x slower).",
        ),
    ] = False,
    target_accuracy: Annotated[
        float, typer.Option(min=0.0, max=1.0, help="Accuracy the calibrated threshold must meet.")
    ] = 0.9,
    only_tag: Annotated[
        list[str] | None,
        typer.Option(
            "--only-tag",
            help="Only cases with this tag, e.g. split:heldout (repeat: any of them).",
        ),
    ] = None,
) -> None:
    """Run every case through the resident pipeline; write summary, cases and an HTML report."""
    from evals.datasets import DatasetError, load_datasets
    from evals.gates import GateFileError, load_gates

    for path in knowledge:
        if not path.exists():
            raise _fail(f"No such knowledge folder or file: {path}")
    try:
        datasets = load_datasets(dataset)
        gates = load_gates(gate) if gate else None
    except (DatasetError, GateFileError) as exc:
        raise _fail(str(exc)) from None
    if only_tag:
        datasets = _only_tagged(datasets, set(only_tag))
        if not datasets.questions and not datasets.redactions:
            raise _fail(f"No case has any of the tags {', '.join(sorted(only_tag))}")

    if out is not None and out.exists() and not out.is_dir():
        raise _fail(f"--out must be a folder, and {out} is a file")

    from evals.runner import new_run_id

    services = _services()
    run_id = new_run_id()
    out_dir = (out or services.settings.evals_dir / run_id).resolve()
    if (out_dir / "summary.json").exists():
        console.print(f"Replacing the earlier run in {out_dir}", style="yellow", markup=False)
    options = {
        "baselines": baselines,
        "baseline_answers": baseline_answers,
        "gate": gate,
        "target_accuracy": target_accuracy,
    }
    try:
        output = _evaluate(services, run_id, out_dir, knowledge, dataset, datasets, gates, options)
    except Exception:  # could not evaluate: never let a crash read as "a gate failed" (1)
        console.print_exception(max_frames=5)
        console.print("The evaluation could not run to the end.", style="red", markup=False)
        raise typer.Exit(2) from None
    typer.echo(_headline(output.summary))
    typer.echo(f"report: {out_dir / 'report.html'}")
    raise typer.Exit(output.exit_code)


def _evaluate(
    services: Services,
    run_id: str,
    out_dir: Path,
    knowledge: list[Path],
    dataset: list[Path],
    datasets: Any,
    gates: Any,
    options: dict[str, Any],
) -> Any:
    """Build (or reuse) the run's knowledge base and pipelines, run every case, store the run."""
    from sqlmodel import Session

    from chatbot.store import ChatStore
    from evals.kb_cache import build_or_reuse
    from evals.records import EvalRun
    from evals.runner import run
    from knowledge.base import KnowledgeBase
    from townhall.db import make_engine, migrate

    settings = services.settings
    baselines = BASELINE_MODES if options["baselines"] else ()
    out_dir.mkdir(parents=True, exist_ok=True)
    with _progress() as progress:
        task = progress.add_task("loading models", total=None)

        def report(done: int, total: int, stage: str) -> None:
            progress.update(task, completed=done, total=total, description=stage)

        embedder = services.embedder
        kb_root = settings.data_dir / "eval-kb"
        # embedded Chroma in the run's own folder even when a Chroma server serves residents;
        # chunk vectors are shared between eval builds, so a changed page costs only itself
        kb, content_hash, reused, ingest = build_or_reuse(
            knowledge,
            kb_root,
            lambda d: KnowledgeBase(d, embedder, embedding_cache=kb_root / "embeddings.sqlite3"),
            progress=report,
        )
        progress.update(task, description="loading the pipeline", completed=0, total=None)
        engine = make_engine(f"sqlite:///{out_dir / 'transcripts.db'}")
        migrate(engine)
        store = ChatStore(engine)
        pipeline = _build_pipeline(services, kb, store, "hybrid")
        base_pipes = (
            {m: _build_pipeline(services, kb, store, m) for m in baselines}
            if options["baseline_answers"]
            else {}
        )
        compared = {}
        if settings.llm_provider:  # the offline composer beside the chat model, same cases
            from townhall.wiring import build_pipeline

            compared["extractive"] = build_pipeline(services, kb, store, extractive_only=True)
        gate = options["gate"]
        config = {
            "knowledge_paths": [str(p.resolve()) for p in knowledge],
            "datasets": [str(p.resolve()) for p in dataset],
            "gate_file": str(gate.resolve()) if gate else None,
            "code_version": code_version(),
            "corpus_hash": content_hash,
            "knowledge_base": "reused" if reused else "built",
            "pipeline_retrieval_k": settings.retrieval_k,
            "metrics_retrieval_k": METRICS_K,
            "confidence_threshold": pipeline.confidence_threshold,
            "composer": settings.llm_provider or "extractive (offline)",
            "chat_model": (
                {
                    "provider": settings.llm_provider,
                    "model": settings.llm_model,
                    "timeout_seconds": settings.llm_timeout_seconds,
                    "max_tokens": settings.llm_max_tokens,
                    "sections": settings.llm_sections,
                }
                if settings.llm_provider
                else None
            ),
            "baselines": list(baselines),
            "baseline_answers": bool(base_pipes),
            "target_accuracy": options["target_accuracy"],
        }
        output = run(
            datasets,
            pipeline=pipeline,
            knowledge=kb,
            redactor=services.redactor_for(kb),  # the public terms of the pages evaluated
            out_dir=out_dir,
            run_id=run_id,
            baseline_modes=baselines,
            baseline_pipelines=base_pipes,
            compared_pipelines=compared,
            gates=gates,
            retrieval_k=METRICS_K,
            target_accuracy=options["target_accuracy"],
            config=config,
            progress=report,
        )
    engine.dispose()
    for path, reason in getattr(ingest, "failed", None) or []:
        console.print(f"skipped {path}: {reason}", style="yellow", markup=False)
    with Session(services.engine) as db:
        db.add(
            EvalRun(
                id=run_id,
                knowledge_paths=config["knowledge_paths"],
                datasets=config["datasets"],
                config=config,
                code_version=config["code_version"][:64],
                corpus_hash=content_hash[:64],
                summary=output.summary,
                gates_passed=output.gates.passed if output.gates else None,
                out_dir=str(out_dir),
            )
        )
        db.commit()
    return output


def _only_tagged(datasets: Any, tags: set[str]) -> Any:
    """The cases carrying any of `tags` (splits are assigned before filtering, so a held-out
    case stays held out)."""
    from dataclasses import replace

    return replace(
        datasets,
        questions=[c for c in datasets.questions if tags & set(c.tags)],
        redactions=[c for c in datasets.redactions if tags & set(c.tags)],
    )


def _pct(value: Any) -> str:
    return "–" if value is None else f"{value:.1%}"


def _headline(s: dict[str, Any]) -> str:
    r, a, e, red = s["retrieval"], s["answers"], s["escalation"], s["redaction"]
    u = s.get("urgent") or {}
    lines = [f"run {s['run_id']}: {s['cases']} cases in {s.get('seconds')} s"]
    if u.get("cases"):  # safety first
        lines.append(
            f"urgent     recall {_pct(u['recall'])} ({u['missed']} missed of "
            f"{u['urgent_cases']})  false alarms {_pct(u['false_alarm_rate'])} "
            f"({u['false_alarms']} of {u['not_urgent_cases']})"
        )
    lines += [
        f"retrieval  hit@1 {_pct(r['hit_at_1'])}  hit@5 {_pct(r['hit_at_5'])}  MRR "
        + ("–" if r["mrr"] is None else f"{r['mrr']:.3f}"),
    ]
    for mode, block in (s.get("baselines") or {}).items():
        b = block["retrieval"]
        lines.append(
            f"  {mode:<8} hit@1 {_pct(b['hit_at_1'])}  hit@5 {_pct(b['hit_at_5'])}  MRR "
            + ("–" if b["mrr"] is None else f"{b['mrr']:.3f}")
        )
    lines += [
        f"answers    answered {_pct(a['answered_rate'])}  source correct "
        f"{_pct(a['source_correct'])}  confidently wrong {_pct(a['confident_wrong_rate'])}",
        f"escalation precision {_pct(e['precision'])}  recall {_pct(e['recall'])}",
        f"redaction  leak rate {_pct(red['leak_rate'])}  over-redaction "
        f"{_pct(red['over_redaction_rate'])}",
    ]
    for name, block in (s.get("compared") or {}).items():
        b = block["answers"]
        lines.append(
            f"  {name:<10} answered {_pct(b['answered_rate'])}  source correct "
            f"{_pct(b['source_correct'])}  confidently wrong {_pct(b['confident_wrong_rate'])}"
        )
    m = s.get("chat_model")
    if m:
        lines.append(
            f"chat model {m['answers']} answers {m['outcomes']}, not asked "
            f"{m.get('not_asked', 0)}  model ms p50 "
            f"{m['model_ms']['p50']} p95 {m['model_ms']['p95']}  tokens in/out "
            f"{m['tokens_in']['mean']}/{m['tokens_out']['mean']} per answer"
        )
    g = s.get("gates") or {}
    if g.get("passed") is not None or g.get("errors"):
        lines.append("gates      " + ("passed" if g.get("passed") else "FAILED"))
        for f in g.get("failed", []):
            wanted = f"{f['op']} {f['threshold']}"
            lines.append(f"  failed {f['scope']}: {f['key']} = {f['value']} (wanted {wanted})")
        for err in g.get("errors", []):
            lines.append(f"  error  {err}")
    return "\n".join(lines)


def _run_folder(services: Services, ref: str) -> Path:
    """A run given as a folder, or as a run id (looked up in the database, then the data dir)."""
    path = Path(ref)
    if (path / "summary.json").is_file():
        return path
    from sqlmodel import Session

    from evals.records import EvalRun

    with Session(services.engine) as db:
        row = db.get(EvalRun, ref[:64])
    if row is not None and row.out_dir and (Path(row.out_dir) / "summary.json").is_file():
        return Path(row.out_dir)
    candidate = services.settings.evals_dir / ref
    if (candidate / "summary.json").is_file():
        return candidate
    raise _fail(f"No evaluation run {ref!r} (give a run id or a run folder)")


@eval_app.command("compare")
def compare_command(
    run_a: Annotated[str, typer.Argument(help="Earlier run: id or folder.")],
    run_b: Annotated[str, typer.Argument(help="Later run: id or folder.")],
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """What improved and what regressed between two runs, metric by metric and case by case."""
    from evals.compare import RunNotFound, compare_runs, format_comparison

    services = _services()
    try:
        result = compare_runs(_run_folder(services, run_a), _run_folder(services, run_b))
    except RunNotFound as exc:
        raise _fail(str(exc)) from None
    if as_json:
        typer.echo(json.dumps(result.as_dict(), ensure_ascii=False, indent=2))
    else:
        typer.echo(format_comparison(result))


@eval_app.command("export-approved")
def export_approved_command(
    out: Annotated[
        Path | None, typer.Option("--out", help="JSONL file to write (default: standard output).")
    ] = None,
) -> None:
    """Staff-approved answers as question cases (JSONL), to grow the test set from the queue."""
    from evals.export import approved_cases, to_jsonl

    cases = approved_cases(_services().engine)
    text = to_jsonl(cases)
    if out is None:
        typer.echo(text, nl=False)
    else:
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text(text, encoding="utf-8")
    console.print(f"{len(cases)} approved answers exported", markup=False)


@eval_app.command("list")
def list_command(
    limit: Annotated[int, typer.Option(min=1, help="How many runs, newest first.")] = 20,
) -> None:
    """Earlier runs with their headline numbers and gate results."""
    from sqlmodel import Session, col, select

    from evals.records import EvalRun

    with Session(_services().engine) as db:
        runs = db.exec(select(EvalRun).order_by(col(EvalRun.created_at).desc()).limit(limit)).all()
    if not runs:
        typer.echo("No evaluation runs yet.")
        return
    for r in runs:
        s = r.summary or {}
        gates = {True: "passed", False: "FAILED", None: "no gate"}[r.gates_passed]
        typer.echo(
            f"{r.id}  {r.created_at:%Y-%m-%d %H:%M}  {s.get('cases', '?')} cases  "
            f"hit@5 {_pct((s.get('retrieval') or {}).get('hit_at_5'))}  "
            f"confidently wrong {_pct((s.get('answers') or {}).get('confident_wrong_rate'))}  "
            f"gates {gates}  {r.out_dir}"
        )


def _register_fit() -> None:
    from townhall.cli_fit import fit_answers_command, fit_own_case_command, fit_urgent_command

    eval_app.command("fit-answers")(fit_answers_command)
    eval_app.command("fit-urgent")(fit_urgent_command)
    eval_app.command("fit-own-case")(fit_own_case_command)


_register_fit()
