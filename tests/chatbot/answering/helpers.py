"""Small retrieved sections written for the answering tests (our own text)."""

from __future__ import annotations

from knowledge.types import Chunk, RetrievedChunk

PERMITS = """You can buy a resident parking permit if you live in a resident parking zone.
Permits last 12 months. The charge depends on how many permits your home has:
- first permit: £60 a year
- second permit: £95 a year
- third permit: £150 a year
Electric cars get a 50% discount on the first permit. We post the permit within 5 working days."""

FINES = """There are two levels of parking fine:
- higher level: £70, for example parking on double yellow lines
- lower level: £50, for example overstaying in a pay and display bay"""

HOURS = {
    "Central Library": "Open Monday to Friday 9am to 7pm.\nSaturday: 9am to 4pm.",
    "Northgate Library": "Open Tuesday and Thursday 10am to 5pm.\nSaturday: 10am to 1pm.",
}


def section(
    text: str,
    *,
    page: str = "parking/permits.md",
    section: str = "Costs",
    title: str = "Resident parking permits",
    score: float = 0.03,
    dense: float = 0.7,
    rank: int = 1,
    site: str = "https://council.example",
    service_area: str | None = None,
) -> RetrievedChunk:
    chunk = Chunk(
        chunk_id=f"{page}#{section}",
        page_id=page,
        title=title,
        heading_path=(title, section),
        section=section,
        anchor=None,
        url=f"{site}/{page.removesuffix('.md')}",
        section_url=None,
        text=text,
        service_area=service_area,
        content_hash="abc",
    )
    return RetrievedChunk(
        chunk, score=score, bm25_score=5.0, dense_score=dense, bm25_rank=rank, dense_rank=rank
    )
