"""The content-gaps page (/staff/gaps) and its CSV export, for the council's web team."""

from __future__ import annotations

from datetime import timedelta

from fastapi import APIRouter, Depends, Request
from fastapi.responses import Response

from chatbot.records import utcnow
from review_ui.auth import SignedIn
from review_ui.gaps import GapReport, build_report, gap_questions, parse_since
from review_ui.web import StaffWeb

PERIODS = {"7d": "Last 7 days", "30d": "Last 30 days", "90d": "Last 90 days", "all": "All time"}


def register(staff: APIRouter, web: StaffWeb) -> None:
    me_dep = Depends(web.require_staff)  # type: ignore[attr-defined]

    def report(since: str) -> tuple[str, GapReport]:
        since = since if since in PERIODS else "30d"
        hours = parse_since(since)
        start = None if hours is None else utcnow() - timedelta(hours=hours)
        questions = gap_questions(web.engine, since=start)
        return since, build_report(questions, web.config.embedder, since=start)

    @staff.get("/staff/gaps")
    def gaps_page(request: Request, since: str = "30d", me: SignedIn = me_dep) -> Response:
        since, found = report(since)
        return web.render(
            request,
            "staff/gaps.html",
            page_title="Content gaps",
            nav="gaps",
            report=found,
            since=since,
            periods=PERIODS,
        )

    @staff.get("/staff/gaps.csv")
    def gaps_csv(since: str = "30d", me: SignedIn = me_dep) -> Response:
        since, found = report(since)
        stamp = utcnow().strftime("%Y-%m-%d")
        return Response(
            found.to_csv(),
            media_type="text/csv; charset=utf-8",
            headers={
                "Content-Disposition": f'attachment; filename="content-gaps-{since}-{stamp}.csv"',
                "Cache-Control": "no-store",
            },
        )
