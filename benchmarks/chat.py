"""`POST /api/chat` latency and answers per second on the offline default, against retrieval
alone measured in the same run (the ratio is what redaction, routing, composing, confidence and
storing cost on top of retrieval).

In-process: requests go through the real FastAPI app via Starlette's TestClient (no network, so
the numbers are server-side), sequentially, on the demo council's content in a fresh data dir.
Target: p95 under 150 ms.
"""

from __future__ import annotations

import re
import statistics
import tempfile
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DEMO = ROOT / "demo" / "council-site"
TARGET_P95_MS = 150.0
TARGET_ROUTE_P95_MS = 5.0  # issue 8: the router (urgent detector included) adds at most this
QUESTION_COUNT = 100
WARM_UP = 5

# Phrased the way residents write: a mix of topics, typos, greetings, urgent and off-topic.
HAND_WRITTEN = [
    "hello",
    "thanks, that's helpful",
    "how much is it to get a sofa collected",
    "my bin wasnt emptied on tuesday what do i do",
    "can i get a blue badge for my dad he has dementia",
    "how do i pay my council tax",
    "I live alone, can I get money off council tax?",
    "what goes in the green bin?",
    "where is the nearest tip and when is it open",
    "there's black mould in my bedroom, my landlord is the council",
    "how do I report noise from a party next door every weekend",
    "do I need planning permission for a fence",
    "how do i register my baby's birth",
    "when do I apply for a secondary school place",
    "can my child get free school meals",
    "how do I join the library",
    "how do I challenge a parking ticket",
    "how much is a resident parking permit",
    "I have nowhere to sleep tonight",
    "my neighbour's child is left alone all the time and I'm worried",
    "what's the weather tomorrow",
    "who won the football last night",
    "How do I complain about the council?",
    "what is the phone number for the council",
    "can you help me apply for council housing",
    "how do i get a new recycling box",
    "my bonfire neighbour keeps burning rubbish",
    "dog barking all night next door",
    "how do i book a wedding ceremony",
    "how do I get a copy of a death certificate",
]


def demo_questions(limit: int) -> list[str]:
    """Hand-written questions plus ones made from the demo pages' titles and headings."""
    questions = list(HAND_WRITTEN)
    for path in sorted(DEMO.rglob("*.md")):
        text = path.read_text(encoding="utf-8")
        title = re.search(r"^title:\s*(.+)$", text, re.MULTILINE)
        headings = re.findall(r"^##\s+(.+)$", text, re.MULTILINE)
        if title:
            questions.append(f"{title.group(1).strip().lower()}?")
        for heading in headings[:2]:
            topic = title.group(1).strip().lower() if title else ""
            questions.append(f"{topic} - {heading.strip().lower()}")
    return questions[:limit]


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(share * (len(ordered) - 1))))
    return ordered[index]


def report(name: str, times_ms: list[float]) -> tuple[float, float]:
    p50, p95 = percentile(times_ms, 0.50), percentile(times_ms, 0.95)
    per_second = len(times_ms) / (sum(times_ms) / 1000)
    print(
        f"{name:<22} n={len(times_ms):<4} p50={p50:7.1f} ms  p95={p95:7.1f} ms  "
        f"mean={statistics.fmean(times_ms):7.1f} ms  {per_second:6.1f}/s"
    )
    return p50, p95


def compose_times(services, questions: list[str]) -> tuple[list[float], list[float], list[float]]:  # type: ignore[no-untyped-def]
    """The pipeline's `compose` step (answer and confidence) per question, twice, on a pipeline
    built fresh: the first pass sees every section for the first time (cold), the second again.
    Also the `route` step of the second pass (greeting, urgent detector, own case)."""
    from townhall.wiring import build_pipeline

    pipeline = build_pipeline(services)
    passes: list[list[float]] = []
    route: list[float] = []
    for _ in range(2):
        times = []
        route = []
        for question in questions:
            timings = pipeline.handle(question).timings_ms
            if timings.get("compose") is not None:
                times.append(timings["compose"])
            route.append(timings["route"])
        passes.append(times)
    return passes[0], passes[1], route


def main() -> None:
    import logging

    from fastapi.testclient import TestClient

    from townhall.app import create_app
    from townhall.services import Services
    from townhall.settings import Settings

    logging.basicConfig(level=logging.WARNING)
    questions = demo_questions(QUESTION_COUNT)
    with tempfile.TemporaryDirectory(prefix="townhall-bench-chat-") as tmp:
        settings = Settings(
            data_dir=Path(tmp),
            chat_rate_per_minute=1_000_000,
            reference_rate_per_minute=1_000_000,
            allowed_hosts="testserver",  # TestClient's Host header
        )
        services = Services(settings)
        started = time.perf_counter()
        services.knowledge.ingest([DEMO])
        print(
            f"chat benchmark: {len(questions)} demo questions, offline default, in-process "
            f"(TestClient, sequential); setup {time.perf_counter() - started:.1f}s"
        )
        cold, warm, route = compose_times(services, questions)
        app = create_app(settings, services)
        with TestClient(app) as client:
            for question in questions[:WARM_UP]:
                client.post("/api/chat", json={"message": question})
                services.knowledge.retrieve(question, k=settings.retrieval_k)

            retrieval_ms: list[float] = []
            for question in questions:
                t0 = time.perf_counter()
                services.knowledge.retrieve(question, k=settings.retrieval_k)
                retrieval_ms.append((time.perf_counter() - t0) * 1000)

            chat_ms: list[float] = []
            statuses: Counter[str] = Counter()
            for question in questions:
                t0 = time.perf_counter()
                response = client.post("/api/chat", json={"message": question})
                chat_ms.append((time.perf_counter() - t0) * 1000)
                response.raise_for_status()
                statuses[response.json()["status"]] += 1

    _, route95 = report("route (urgent incl.)", route)
    report("compose, cold cache", cold)
    report("compose, warm", warm)
    r50, r95 = report("retrieval alone", retrieval_ms)
    c50, c95 = report("POST /api/chat", chat_ms)
    print(f"ratio chat/retrieval: p50 x{c50 / r50:.1f}, p95 x{c95 / r95:.1f}")
    print("statuses: " + ", ".join(f"{k} {v}" for k, v in sorted(statuses.items())))
    verdict = "met" if c95 < TARGET_P95_MS else "NOT met"
    print(f"target p95 < {TARGET_P95_MS:.0f} ms: {verdict} ({c95:.1f} ms)")
    verdict = "met" if route95 <= TARGET_ROUTE_P95_MS else "NOT met"
    print(
        f"target route p95 <= {TARGET_ROUTE_P95_MS:.0f} ms: {verdict} ({route95:.2f} ms, "
        f"{route95 / c95:.1%} of POST /api/chat p95)"
    )


if __name__ == "__main__":
    main()
