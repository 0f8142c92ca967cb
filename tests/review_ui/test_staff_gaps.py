"""The content-gaps report: which queue items count, topics found with the real embedder and
scikit-learn, the staff page and its CSV, and `townhall gaps` with its exit codes (0 nothing
found, 1 gaps reported, 2 bad use). The questions are our own (evals/fitting/gap-topics.jsonl
style), stored redacted as the pipeline stores them."""

from __future__ import annotations

import csv
import io
import json
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.engine import Engine
from staff_helpers import seed_item
from typer.testing import CliRunner

from chatbot.records import utcnow
from review_ui.gaps import build_report, gap_questions, parse_since
from townhall.db import make_engine, migrate

BINS = [
    "which day do the black bins go out in our street",
    "when is my bin collection day",
    "bins not emptied this week, when is the next bin collection",
]
PARKING = [
    "how do I appeal a parking fine",
    "I want to challenge my parking ticket",
    "got a parking fine, can i dispute it",
]
TAXIS = [
    "how do i become a licensed private hire driver",
    "What checks do you need for a hackney carriage licence?",
]


def page(name: str, area: str) -> dict[str, Any]:
    return {"title": name.title(), "page": f"{area}/{name}.md", "url": None, "section": name}


def seed_gaps(engine: Engine) -> None:
    for q in BINS:
        seed_item(
            engine,
            question=q,
            route="not_covered",
            service_area="bins-and-recycling",
            sources=[page("bin-collections", "bins-and-recycling")],
        )
    for n, q in enumerate(PARKING):
        seed_item(
            engine,
            question=q,
            route="low_confidence" if n else "feedback",
            service_area="parking",
            sources=[page("parking-fines", "parking")],
        )
    seed_item(engine, question=TAXIS[0], route="stale_answer", status="rejected", decided_by="r")
    seed_item(engine, question=TAXIS[1], route="low_confidence", service_area="licensing")
    # Not gaps: urgent, a resident's own case, chatter, an approved stale answer, old ones.
    seed_item(engine, question=BINS[0], route="urgent", priority=0)
    seed_item(engine, question=BINS[1], route="own_case")
    seed_item(engine, question="write me a poem", route="out_of_scope")
    seed_item(engine, question=TAXIS[0], route="stale_answer", status="approved")
    seed_item(
        engine,
        question=PARKING[0],
        route="not_covered",
        created_at=utcnow() - timedelta(days=40),
    )


def test_which_questions_count_as_gaps(sqlite_engine: Engine) -> None:
    seed_gaps(sqlite_engine)
    seed_item(
        sqlite_engine,
        question="how much is a garden bin? and when do school places open",
        route="low_confidence",
    )
    month = gap_questions(sqlite_engine, since=utcnow() - timedelta(days=30))
    assert sorted({q.why for q in month}) == [
        "feedback",
        "low_confidence",
        "not_covered",
        "rejected",
    ]
    assert len({q.reference for q in month}) == 9
    assert len(month) == 10  # the two-question message counts under both of its topics
    assert len(gap_questions(sqlite_engine)) == 11
    assert parse_since("30d") == 720 and parse_since("2w") == 336 and parse_since("all") is None
    for bad in ("30", "0d", "d", "30 days", "-1d"):
        with pytest.raises(ValueError, match="30d"):
            parse_since(bad)


def test_topics_are_found_with_their_closest_pages_and_service_area(
    sqlite_engine: Engine, embedder: Any
) -> None:
    seed_gaps(sqlite_engine)
    report = build_report(
        gap_questions(sqlite_engine, since=utcnow() - timedelta(days=30)), embedder
    )
    topics = [sorted(c.examples) for c in report.clusters]
    assert sorted(BINS) in topics and sorted(PARKING) in topics, topics
    bins = next(c for c in report.clusters if sorted(c.examples) == sorted(BINS))
    assert bins.size == 3 and bins.service_area == "Bins and recycling"
    assert [(p.page, p.questions) for p in bins.closest_pages] == [
        ("bins-and-recycling/bin-collections.md", 3)
    ]
    assert bins.why == {"Not on our pages": 3}
    parking = next(c for c in report.clusters if sorted(c.examples) == sorted(PARKING))
    assert parking.why == {
        "Not sure of the answer": 2,
        "Resident said the answer did not help": 1,
    }
    assert "parking" in parking.key_words
    assert report.clusters[0].size >= report.clusters[-1].size
    rows = list(csv.reader(io.StringIO(report.to_csv())))
    assert rows[0][:3] == ["topic", "questions", "service area"]
    assert len(rows) == len(report.clusters) + 1
    assert json.loads(json.dumps(report.to_json()))["questions"] == 8


def test_the_gaps_page_and_its_csv(engine: Engine, reviewer_client: tuple[TestClient, str]) -> None:
    client, _ = reviewer_client
    seed_gaps(engine)
    html = client.get("/staff/gaps").text
    assert "8 questions in" in html and "Bins and recycling" in html
    assert "which day do the black bins go out in our street" in html
    assert 'href="/staff/gaps.csv?since=30d"' in html
    everything = client.get("/staff/gaps?since=all").text
    assert "9 questions in" in everything
    download = client.get("/staff/gaps.csv?since=30d")
    assert download.headers["content-type"].startswith("text/csv")
    assert "attachment" in download.headers["content-disposition"]
    assert "I want to challenge my parking ticket" in download.text
    assert client.get("/staff/gaps?since=nonsense").status_code == 200  # falls back to 30 days


runner = CliRunner()


def invoke(*args: str) -> Any:
    from townhall.cli import app

    return runner.invoke(app, ["gaps", *args])


@pytest.fixture
def cli(tmp_path: Path, embedder: Any, monkeypatch: pytest.MonkeyPatch) -> Path:
    import townhall.cli_gaps as cli_gaps
    from townhall.services import Services
    from townhall.settings import Settings

    monkeypatch.setenv("TOWNHALL_DATA_DIR", str(tmp_path / "data"))

    def services() -> Services:  # the session's embedder, not a second copy
        s = Services(Settings())
        s.__dict__.update(embedder=embedder)
        return s

    monkeypatch.setattr(cli_gaps, "_services", services)
    return tmp_path


def test_townhall_gaps_exit_codes_and_outputs(cli: Path) -> None:
    empty = invoke("--json")
    assert empty.exit_code == 0, empty.output
    assert json.loads(empty.output)["clusters"] == []

    run_db = cli / "run" / "transcripts.db"  # like an evaluation run's throwaway database
    run_db.parent.mkdir()
    engine = make_engine(f"sqlite:///{run_db}")
    migrate(engine)
    seed_gaps(engine)
    engine.dispose()
    found = invoke("--database", str(run_db), "--since", "all", "--csv", str(cli / "gaps.csv"))
    assert found.exit_code == 1, found.output
    assert found.output.startswith("Content gaps in all time: 9 questions in")
    assert "which day do the black bins go out in our street" in found.output
    as_json = invoke("--database", str(run_db), "--json")
    assert as_json.exit_code == 1
    assert json.loads(as_json.output)["questions"] == 8
    assert (cli / "gaps.csv").read_text().startswith("topic,questions,service area")

    assert invoke("--since", "thirty days").exit_code == 2
    assert invoke("--database", str(cli / "missing.db")).exit_code == 2
    other = cli / "other.db"
    make_engine(f"sqlite:///{other}").connect().close()
    assert invoke("--database", str(other)).exit_code == 2
