"""What the service answers when the response cache cannot: cold and keyed URLs (bench/cold.lua),
reads while companies write, and the write path's own throughput. Each prints PASS or FAIL
against its target and returns how many targets it missed."""

import json
import os
import subprocess
import sys
import time
from dataclasses import dataclass

from bench.load import Measure, cpu_seconds, get, wrk
from bench.writers import Writers, company_keys


@dataclass(frozen=True)
class Cold:
    """Requests for URLs picked at random: the service, not the cache."""

    name: str
    kind: str  # detail | list | updates | stats | search (bench/cold.lua)
    keyed: bool
    target: float  # share of the reference's requests/s
    p99_ms: float = 50
    p50_ms: float | None = None


COLD = [
    Cold("cold detail", "detail", keyed=False, target=0.3),
    Cold("keyed detail", "detail", keyed=True, target=0.3),
    Cold("cold list", "list", keyed=False, target=0.25),
    Cold("keyed list", "list", keyed=True, target=0.25),
    Cold("keyed update list", "updates", keyed=True, target=0.25),
    Cold("keyed statistics", "stats", keyed=True, target=0.0, p50_ms=20),
    Cold("keyed search", "search", keyed=True, target=0.0, p50_ms=20),
]
LIST_OFFSETS = 10_000  # cold lists pick an offset below this (or below the total)
WRITE_RATE = 10.0  # writes/s while reads are measured
WRITERS = 10  # company keys writing at once
WRITE_TARGET = 200.0  # submissions/s (PostgreSQL)


def government_key(database_url: str, secret: str) -> str:
    env = os.environ | {"VPR_DATABASE_URL": database_url, "VPR_SECRET_KEY": secret}
    command = [sys.executable, "-m", "app.cli", "keys", "create", "--role", "government"]
    command += ["--government", "Bench", "--name", "bench"]
    out = subprocess.run(command, env=env, check=True, capture_output=True, text=True).stdout
    return out.strip().splitlines()[-1]


def _verdict(name: str, measure: Measure, reference: Measure, cold: Cold) -> bool:
    ratio = measure.rps / reference.rps
    ok = measure.answered and ratio >= cold.target and measure.p99_ms < cold.p99_ms
    p50 = ""
    if cold.p50_ms is not None:
        ok = ok and measure.p50_ms < cold.p50_ms
        p50 = f" < {cold.p50_ms:.0f}"
    print(
        f"  {name:<30} {measure.rps:8.0f} req/s  {ratio:6.1%} of ref "
        f"(target {cold.target:.0%})  p50 {measure.p50_ms:6.2f} ms{p50}  "
        f"p99 {measure.p99_ms:6.2f} ms < {cold.p99_ms:.0f}  {'PASS' if ok else 'FAIL'}"
        + (f"  ({measure.failed} failed or timed out)" if measure.failed else "")
    )
    return ok


def cold(
    base: str, key: str, size: int, duration: int, connections: int, reference: Measure
) -> tuple[int, dict[str, Measure]]:
    """Cold and keyed URLs; the number of targets missed, and each scenario's measure."""
    total = json.loads(get(f"{base}/api/v1/companies?limit=1")[0])["total"]
    first = total - size + 1  # generated companies come after the seeded ones
    endorsed = json.loads(get(f"{base}/api/v1/companies?status=endorsed&limit=1")[0])["total"]
    missed = 0
    measured = {}
    for scenario in COLD:
        count = size if scenario.kind == "detail" else min(endorsed, LIST_OFFSETS)
        args = [scenario.kind, str(first), str(count), key if scenario.keyed else ""]
        wrk(base + "/", 2, connections, {}, args)  # settle the server under load
        measured[scenario.name] = wrk(base + "/", duration, connections, {}, args)
        missed += not _verdict(scenario.name, measured[scenario.name], reference, scenario)
    return missed, measured


DEEP_TARGET = 1.2  # a page half-way down the list: its p50 at most this times the first page's
DEEP_WAYS = ("half-way by cursor", "half-way by offset")


def deep_pages(base: str, key: str, duration: int, connections: int) -> int:
    """The endorsed list's first page against the page half-way down, reached by its cursor
    (the `next` link of the page there) and by offset, with a government key (the service
    answers each request); the number of targets missed."""
    headers = {"Authorization": f"Bearer {key}"}
    first = f"{base}/api/v1/companies?status=endorsed&limit=50"
    half = json.loads(get(first, headers)[0])["total"] // 2
    by_offset = f"{first}&offset={half}"
    by_cursor = base + json.loads(get(by_offset, headers)[0])["next"]
    measured = {}
    for name, url in zip(("first page", *DEEP_WAYS), (first, by_cursor, by_offset), strict=True):
        wrk(url, 2, connections, headers)  # settle
        measured[name] = wrk(url, duration, connections, headers)
    first_p50 = measured["first page"].p50_ms
    missed = 0
    for name in DEEP_WAYS:
        measure = measured[name]
        ratio = measure.p50_ms / first_p50
        ok = measure.answered and measured["first page"].answered and ratio <= DEEP_TARGET
        missed += not ok
        print(
            f"  {name:<30} p50 {measure.p50_ms:6.2f} ms: {ratio:4.2f}x the first page's "
            f"{first_p50:.2f} ms (target {DEEP_TARGET}x)  {'PASS' if ok else 'FAIL'}"
        )
    return missed


PAGE_TARGET = 0.5  # a page's requests/s as a share of its API endpoint's, same run


def pages(base: str, size: int, duration: int, connections: int) -> int:
    """The company page and the companies table against the API calls behind them, cold URLs
    both (issue 14); the number of targets missed."""
    total = json.loads(get(f"{base}/api/v1/companies?limit=1")[0])["total"]
    first = total - size + 1
    endorsed = json.loads(get(f"{base}/api/v1/companies?status=endorsed&limit=1")[0])["total"]
    missed = 0
    for api_kind, page_kind, count in (
        ("detail", "page-detail", size),
        ("list", "page-list", min(endorsed, LIST_OFFSETS)),
    ):
        measured = {}
        for kind in (api_kind, page_kind):
            args = [kind, str(first), str(count), ""]
            wrk(base + "/", 2, connections, {}, args)
            measured[kind] = wrk(base + "/", duration, connections, {}, args)
        api, page = measured[api_kind], measured[page_kind]
        ratio = page.rps / api.rps if api.rps else 0.0
        ok = page.answered and ratio >= PAGE_TARGET
        missed += not ok
        print(
            f"  page {page_kind:<24} {page.rps:8.0f} req/s  {ratio:6.1%} of the API's "
            f"{api.rps:.0f} (target {PAGE_TARGET:.0%})  p50 {page.p50_ms:6.2f} ms  "
            f"p99 {page.p99_ms:6.2f} ms  {'PASS' if ok else 'FAIL'}"
        )
    return missed


def under_writes(
    base: str,
    database_url: str,
    secret: str,
    duration: int,
    connections: int,
    reference: Measure,
    pid: int,
) -> int:
    """The polled list and keyed cold lists while companies write WRITE_RATE drafts and
    submissions a second; first, a draft must leave the list's public ETag alone, and the
    writes' own cost is measured alone (`pid`: the server's)."""
    total = json.loads(get(f"{base}/api/v1/companies?limit=1")[0])["total"]
    slugs = [f"bench-{total - n:07d}" for n in range(WRITERS)]
    keys = company_keys(database_url, secret, slugs)
    polled = f"{base}/api/v1/companies?status=endorsed&limit=50"
    before = get(polled)[1]["etag"]
    with Writers(base, keys[:1], rate=None, submit_every=10**9) as one_draft:
        while not one_draft.drafts and not one_draft.failures:
            get(polled)  # a request's worth of time for the draft to land
    unmoved = get(polled)[1]["etag"] == before
    missed = int(not unmoved)
    print(f"  a draft leaves the public ETag alone: {'PASS' if unmoved else 'FAIL'}")
    government = government_key(database_url, secret)
    _writes_alone(base, keys, pid, duration)
    polled_target = Cold("polled list", "list", keyed=False, target=0.5)
    started = time.perf_counter()
    with Writers(base, keys, rate=WRITE_RATE) as writers:
        measure = wrk(polled, duration, connections, {})
        missed += not _verdict("polled list, writes running", measure, reference, polled_target)
        args = ["list", "0", "1000", government]
        measure = wrk(base + "/", duration, connections, {}, args)
        missed += not _verdict("keyed list, writes running", measure, reference, COLD[3])
        written = writers.drafts + writers.submissions
    rate = written / (time.perf_counter() - started)
    print(f"  writes during the reads: {rate:.1f}/s, failures {len(writers.failures)}")
    return missed + bool(writers.failures)


def _writes_alone(base: str, keys: list[str], pid: int, duration: int) -> None:
    """The server's CPU a write at WRITE_RATE, no reads running: what the reads do not get."""
    with Writers(base, keys, rate=WRITE_RATE) as writers:
        started, used = time.perf_counter(), cpu_seconds(pid)
        before = writers.drafts + writers.submissions
        time.sleep(duration)  # the measuring window: the writers run meanwhile
        written = writers.drafts + writers.submissions - before
        elapsed = time.perf_counter() - started
        share = (cpu_seconds(pid) - used) / elapsed
    rate = written / elapsed
    failed = f", {len(writers.failures)} failed" if writers.failures else ""
    print(
        f"  floor writes alone: {rate:.1f}/s{failed}, the server's CPU {share:.0%} of a core, "
        f"{share / max(rate, 1e-9) * 1000:.1f} ms a write; the reads below keep "
        f"{1 - share:.0%} of it at most (not a target)"
    )


def write_throughput(base: str, database_url: str, secret: str, duration: int, pid: int) -> int:
    """Drafts created and submitted as fast as WRITERS company keys are answered, and the
    server's CPU for each (`pid`: the server's)."""
    total = json.loads(get(f"{base}/api/v1/companies?limit=1")[0])["total"]
    slugs = [f"bench-{total - WRITERS - n:07d}" for n in range(WRITERS)]
    keys = company_keys(database_url, secret, slugs)
    with Writers(base, keys, rate=None, submit_every=1) as writers:
        used = cpu_seconds(pid)
        time.sleep(duration)  # the measuring window: the writers run meanwhile
        submitted = writers.submissions
        cpu_ms = (cpu_seconds(pid) - used) / max(submitted, 1) * 1000
    rate = submitted / duration
    ok = rate >= WRITE_TARGET and not writers.failures
    print(
        f"  submissions (draft + submit) by {WRITERS} keys: {rate:.0f}/s "
        f"(target {WRITE_TARGET:.0f})  failures {len(writers.failures)}  {'PASS' if ok else 'FAIL'}"
        f"\n  floor: the server's CPU {cpu_ms:.1f} ms a submission (its draft included); "
        f"{WRITE_TARGET:.0f}/s on its one core needs {1000 / WRITE_TARGET:.1f} ms or less"
    )
    return not ok
