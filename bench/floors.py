"""Floors under the targets: what the service's own work costs below HTTP, on the run's
database, against the budget each target leaves one request on the server's one core.

A floor above its budget means nothing above it (HTTP, middleware, routing, the response cache)
can meet the target on this machine: the reads, the ranking or the writes themselves would
have to change. The floors are not targets; they say where a missed target's time goes.

- Pages: the layer before routing (`app/http/stored_documents.py`) answering keyed cold URLs
  as the server does (bench/cold.lua's), CONCURRENCY at a time on one event loop, in this
  process: its reads (the key and clock, the page, its stored items) and the body. Budget: a
  second of one core over the target's requests/s.
- Search: the route's two queries (`app/search/queries.py`) for a government key, in one
  session, each of bench/cold.lua's terms. Budget: with CONCURRENCY requests in flight on one
  core, the p50 is about CONCURRENCY requests' work, so each may take p50 / CONCURRENCY.
- Writes: the server's CPU a write while company keys write (bench/scenarios.py measures it).
"""

import argparse
import asyncio
import os
import pwd
import random
import re
import resource
import statistics
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import uvloop
from starlette.types import Message, Receive, Scope, Send

from app.access import Principal
from app.core.db import new_session
from app.http.stored_documents import StoredDocuments
from app.keys.models import Role
from app.main import app as registry
from app.search import queries
from bench.load import COLD_SCRIPT, HOST, cpu_seconds
from bench.scenarios import LIST_OFFSETS  # offsets picked below it, as the cold lists do

CONCURRENCY = 32  # requests in flight, as wrk -c32 keeps them
PAGES = 3000  # answers measured per kind
SEARCHES = 20  # searches measured per term

# The pages measured: (name, the URL of the n-th one, how many to pick from, target share).
PAGE_KINDS: list[tuple[str, Callable[[int], str], str, float]] = [
    (
        "keyed list page",
        lambda n: f"/api/v1/companies?status=endorsed&limit=50&offset={n}",
        "list",
        0.25,
    ),
    ("keyed update list page", lambda n: f"/api/v1/updates?limit=20&offset={n}", "list", 0.25),
    ("keyed company detail", lambda n: f"/api/v1/companies/bench-{n:07d}", "detail", 0.3),
]
SEARCH_TERMS = re.findall(
    r'"(\w+)"', Path(COLD_SCRIPT).read_text().split("local terms = ")[1].split("}")[0]
)


def cpu_s() -> float:
    used = resource.getrusage(resource.RUSAGE_SELF)
    return used.ru_utime + used.ru_stime


def database_cpu_s() -> float | None:
    """CPU time PostgreSQL's processes on this machine have used (None on SQLite, which runs
    in this process): the other half of a page's cost, on the second of the two cores."""
    if not os.environ["VPR_DATABASE_URL"].startswith("postgresql"):
        return None
    owner = pwd.getpwnam("postgres").pw_uid
    used = 0.0
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            if stat.parent.stat().st_uid == owner:
                used += cpu_seconds(int(stat.parent.name))
        except (FileNotFoundError, ProcessLookupError):
            continue  # a process that ended meanwhile
    return used


def _verdict(floor_us: float, budget_us: float) -> str:
    return "ABOVE its budget" if floor_us > budget_us else "within its budget"


async def _layer_answers(app: Any, paths: list[str], key: str, *, warm: bool = False) -> float:
    """CPU seconds for the layer to answer these paths, CONCURRENCY at a time. Warming, what
    the layer leaves to the app goes to it (the key's first use is recorded there)."""

    async def routed(scope: Scope, receive: Receive, send: Send) -> None:
        if not warm:
            raise AssertionError("the layer passed a measured request to the app")
        await app(scope, receive, send)

    layer = StoredDocuments(routed)
    headers = [(b"host", b"127.0.0.1"), (b"authorization", f"Bearer {key}".encode())]
    waiting = list(paths)

    async def answer_some() -> None:
        while waiting:
            path, _, query = waiting.pop().partition("?")
            scope: Scope = {"type": "http", "method": "GET", "path": path, "root_path": ""}
            scope.update(query_string=query.encode(), headers=headers, app=app, state={})
            scope.update(http_version="1.1", scheme="http", client=(HOST, 1), server=(HOST, 80))
            statuses: list[int] = []

            async def send(message: Message, statuses: list[int] = statuses) -> None:
                if message["type"] == "http.response.start":
                    statuses.append(message["status"])

            await layer(scope, _no_body, send)
            if statuses != [200]:
                raise AssertionError(f"{path}?{query}: {statuses}")

    started = cpu_s()
    await asyncio.gather(*(answer_some() for _ in range(CONCURRENCY)))
    return cpu_s() - started


async def _no_body() -> Message:
    return {"type": "http.request", "body": b"", "more_body": False}


async def _pages(key: str, first: int, size: int, endorsed: int, reference_rps: float) -> None:
    for name, url_of, kind, target in PAGE_KINDS:
        count = size if kind == "detail" else min(endorsed, LIST_OFFSETS)
        start = first if kind == "detail" else 0
        paths = [url_of(start + random.randrange(count)) for _ in range(PAGES)]
        await _layer_answers(registry, paths, key, warm=True)  # warm: the same answers
        database = database_cpu_s()
        floor_us = await _layer_answers(registry, paths, key) / len(paths) * 1e6
        budget_us = 1e6 / (target * reference_rps)
        print(
            f"  floor {name:<24} {floor_us:7.0f} us CPU an answer (budget {budget_us:.0f} us "
            f"at {target:.0%} of the reference)  {_verdict(floor_us, budget_us)}"
        )
        if database is not None:  # both cores' budget: the server's and the database's
            spent = (database_cpu_s() or 0.0) - database
            both_us = floor_us + spent / len(paths) * 1e6
            print(
                f"    with PostgreSQL's CPU for it: {both_us:7.0f} us (budget {2 * budget_us:.0f}"
                f" us on the two cores)  {_verdict(both_us, 2 * budget_us)}"
            )


def _searches(p50_ms: float) -> None:
    """Each term searched alone, SEARCHES times: CPU in this process and time taken (on
    PostgreSQL the server's work is in the time, not in this process's CPU)."""
    government = Principal(role=Role.GOVERNMENT, government="Bench")
    budget_us = p50_ms * 1000 / CONCURRENCY
    cpu_us, wall_ms = {}, {}
    with new_session() as session:
        for term in SEARCH_TERMS:
            queries.entries(session, government, term, 10)  # warm: compiled, pages cached
            started, started_cpu = time.perf_counter(), cpu_s()
            for _ in range(SEARCHES):
                queries.companies(session, term, 10)
                queries.entries(session, government, term, 10)
            cpu_us[term] = (cpu_s() - started_cpu) / SEARCHES * 1e6
            wall_ms[term] = (time.perf_counter() - started) / SEARCHES * 1000
    mean_us = statistics.mean(cpu_us.values())
    median_ms = statistics.median(wall_ms.values())
    each = ", ".join(f"{term} {wall_ms[term]:.1f} ({cpu_us[term] / 1000:.1f})" for term in wall_ms)
    print(
        f"  floor search (its two queries)  {mean_us / 1000:7.2f} ms CPU on average (budget "
        f"{budget_us / 1000:.2f} ms: p50 {p50_ms:.0f} ms over {CONCURRENCY} in flight)  "
        f"{_verdict(mean_us, budget_us)}\n"
        f"    one search alone takes {median_ms:.1f} ms (median over the terms; the target's "
        f"p50 {p50_ms:.0f} ms)  {_verdict(median_ms, p50_ms)}\n"
        f"    per term, ms taken (CPU here): {each}"
    )


async def _measured(args: argparse.Namespace) -> None:
    """The floors, with the app's lifespan around them (its garbage-collector settings
    included, as the server runs)."""
    first = args.total - args.size + 1  # generated companies come after the seeded ones
    async with registry.router.lifespan_context(registry):
        await _pages(args.key, first, args.size, args.endorsed, args.reference)
        _searches(args.search_p50_ms)


def main() -> None:
    """Run in a process of its own (bench.run starts it beside the served registry), with
    VPR_DATABASE_URL and VPR_SECRET_KEY set to the served registry's."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--key", required=True, help="a government key")
    parser.add_argument("--size", type=int, required=True, help="generated companies")
    parser.add_argument("--total", type=int, required=True, help="companies in all")
    parser.add_argument("--endorsed", type=int, required=True, help="companies endorsing")
    parser.add_argument("--reference", type=float, required=True, help="the reference's req/s")
    parser.add_argument("--search-p50-ms", type=float, default=20)
    args = parser.parse_args()
    print("  floors (in one process, below HTTP; not targets)")
    uvloop.run(_measured(args))


if __name__ == "__main__":
    main()
