"""Read and write benchmark: wrk against the registry and, in the same run, against FastAPI's
ceiling.

    .venv/bin/python -m bench.run [--engines sqlite,postgresql] [--sizes 1000,100000]
                                  [--duration 10] [--connections 32]

For each engine and size: a fresh database (migrated, seeded, then filled by bench.generate),
one Uvicorn worker for the registry and, with the same settings, one for bench/reference_app.py;
wrk on 127.0.0.1 only. Measures repeated URLs (what the response cache serves), then
(bench/scenarios.py) cold URLs picked at random by bench/cold.lua, anonymous and with a
government key, for company detail and lists, the update list, statistics and search (what the
service itself serves), and the list's page half-way down against its first; at the largest
size, reads while companies write (bench/writers.py), on PostgreSQL the write path's
throughput, and on SQLite the same-run peer (bench/peer.py: Datasette on the same file). Prints
requests/s as a ratio of the reference, p50 and p99, PASS or FAIL per target, and the peak
memory of a full NDJSON export.
"""

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import psycopg
from psycopg import sql

from bench.load import HOST, Measure, figures, get, wrk
from bench.peer import peer
from bench.scenarios import (
    cold,
    deep_pages,
    government_key,
    pages,
    under_writes,
    write_throughput,
)

PY = sys.executable
PG_ADMIN = os.environ.get("VPR_TEST_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/postgres")
GENERATE_TARGET_S = 120  # bench.generate at 100,000 companies / 1,000,000 entries (issue 10)
SECRET = "bench-secret-not-for-production-0123456789"  # noqa: S105 - throwaway databases
UVICORN = [
    "--workers",
    "1",
    "--loop",
    "uvloop",
    "--http",
    "httptools",
    "--log-level",
    "warning",
    "--no-access-log",
]


@dataclass(frozen=True)
class Endpoint:
    name: str
    path: str
    revalidate: bool  # send If-None-Match with the current ETag: measures the 304
    target: float  # share of the reference's requests/s
    p99_ms: float | None = None


ENDPOINTS = [
    Endpoint("list endorsed", "/api/v1/companies?status=endorsed&limit=50", False, 0.5, 25),
    Endpoint("company detail", "/api/v1/companies/{slug}", False, 0.5, 25),
    Endpoint("list 304", "/api/v1/companies?status=endorsed&limit=50", True, 0.8),
    Endpoint("detail 304", "/api/v1/companies/{slug}", True, 0.8),
    *(
        Endpoint(f"stats {name}", f"/api/v1/stats/{name}", False, 0.5)
        for name in ("endorsements-over-time", "coverage", "adoption", "compliance", "breakdown")
    ),
]


@contextmanager
def server(
    target: str, port: int, env: dict[str, str], ready: str
) -> Iterator[subprocess.Popen[bytes]]:
    process = subprocess.Popen(
        [PY, "-m", "uvicorn", target, "--host", HOST, "--port", str(port), *UVICORN],
        env=os.environ | env,
    )
    try:
        for _ in range(200):
            try:
                get(f"http://{HOST}:{port}{ready}")
                break
            except OSError:
                time.sleep(0.1)
        yield process
    finally:
        process.terminate()
        process.wait(timeout=30)


@contextmanager
def database(engine: str, size: int) -> Iterator[tuple[str, bool]]:
    """A fresh database, migrated, seeded and filled with `size` synthetic companies; its URL,
    and whether filling it met the target (GENERATE_TARGET_S for 100,000 companies)."""
    workdir = Path(tempfile.mkdtemp(prefix="vpr-bench-"))
    name = f"vpr_bench_{size}"
    if engine == "sqlite":
        url = f"sqlite:///{workdir / 'bench.sqlite3'}"
    else:
        with psycopg.connect(PG_ADMIN, autocommit=True) as admin:
            admin.execute(
                sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
            )
            admin.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
        url = PG_ADMIN.rsplit("/", 1)[0] + f"/{name}"
    env = os.environ | {
        "VPR_DATABASE_URL": url,
        "VPR_SECRET_KEY": SECRET,
        "VPR_DATA_DIR": str(workdir),
    }
    try:
        for step in (["-m", "app.cli", "migrate"], ["-m", "app.cli", "seed"]):
            subprocess.run([PY, *step], env=env, check=True, capture_output=True)
        started = time.perf_counter()
        subprocess.run([PY, "-m", "bench.generate", "--companies", str(size)], env=env, check=True)
        elapsed = time.perf_counter() - started
        ok = elapsed < GENERATE_TARGET_S * size / 100_000
        verdict = f"(target {GENERATE_TARGET_S * size / 100_000:.0f} s)  {'PASS' if ok else 'FAIL'}"
        print(f"  generated {size} companies in {elapsed:.1f} s {verdict}")
        yield url, ok
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
        if engine == "postgresql":
            with psycopg.connect(PG_ADMIN, autocommit=True) as admin:
                admin.execute(
                    sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
                )


def peak_export_memory(base: str, pid: int) -> tuple[float, int]:
    """Fetch the full NDJSON export of updates (each with its entries); the server's peak RSS (MB)
    while it is made, and its lines."""
    lines = 0
    request = urllib.request.Request(f"{base}/api/v1/exports/updates.ndjson")  # noqa: S310
    with urllib.request.urlopen(request, timeout=1200) as response:  # noqa: S310
        while chunk := response.read(1 << 20):
            lines += chunk.count(b"\n")
    status = Path(f"/proc/{pid}/status").read_text()
    peak_kb = int(re.search(r"VmHWM:\s+(\d+) kB", status)[1])  # type: ignore[index]
    return peak_kb / 1024, lines


def floors(base: str, env: dict[str, str], key: str, size: int, reference: Measure) -> None:
    """bench/floors.py beside the registry served at `base`, in a process of its own (it
    imports the app, configured by `env` as the server is)."""
    companies = f"{base}/api/v1/companies"
    total = json.loads(get(f"{companies}?limit=1")[0])["total"]
    endorsed = json.loads(get(f"{companies}?status=endorsed&limit=1")[0])["total"]
    counts = ["--size", str(size), "--total", str(total), "--endorsed", str(endorsed)]
    command = [PY, "-m", "bench.floors", "--key", key, *counts, "--reference", str(reference.rps)]
    subprocess.run(command, env=os.environ | env, check=True)


def run(engines: list[str], sizes: list[int], duration: int, connections: int) -> int:
    failures = 0
    p50s: dict[tuple[str, str, int], float] = {}
    for engine in engines:
        for size in sizes:
            print(f"\n== {engine}, {size} companies ==")
            with database(engine, size) as (url, generated_in_time):
                failures += not generated_in_time
                # One wrk client sends thousands of requests a second from one address: measure
                # the service, not its 429s.
                env = {"VPR_DATABASE_URL": url, "VPR_SECRET_KEY": SECRET, "VPR_RATE_LIMIT": "false"}
                with server("bench.reference_app:app", 8101, env, "/reference"):
                    reference = wrk(f"http://{HOST}:8101/reference", duration, connections, {})
                print(f"  reference: {figures(reference)}")
                with server("app.main:app", 8102, env, "/healthz") as app:
                    base = f"http://{HOST}:8102"
                    slug = json.loads(get(f"{base}/api/v1/companies?limit=1&offset=41")[0])[
                        "items"
                    ][0]["slug"]
                    for endpoint in ENDPOINTS:
                        url_ = base + endpoint.path.format(slug=slug)
                        _, headers = get(url_)  # warm: the first answer is computed once
                        extra = {"If-None-Match": headers["etag"]} if endpoint.revalidate else {}
                        wrk(url_, 2, connections, extra)  # and settle the server under load
                        measure = wrk(url_, duration, connections, extra)
                        ratio = measure.rps / reference.rps
                        ok = (
                            measure.answered
                            and ratio >= endpoint.target
                            and (endpoint.p99_ms is None or measure.p99_ms < endpoint.p99_ms)
                        )
                        failures += not ok
                        p50s[(engine, endpoint.name, size)] = measure.p50_ms
                        p99_target = f"< {endpoint.p99_ms:.0f}" if endpoint.p99_ms else "    "
                        print(
                            f"  {endpoint.name:<30} {measure.rps:8.0f} req/s  {ratio:6.1%} of ref "
                            f"(target {endpoint.target:.0%})  p50 {measure.p50_ms:6.2f} ms  "
                            f"p99 {measure.p99_ms:6.2f} ms {p99_target}  {'PASS' if ok else 'FAIL'}"
                        )
                    key = government_key(url, SECRET)
                    missed, ours = cold(base, key, size, duration, connections, reference)
                    missed += deep_pages(base, key, duration, connections)
                    failures += missed + pages(base, size, duration, connections)
                    if size == max(sizes):
                        floors(base, env, key, size, reference)
                        failures += under_writes(
                            base, url, SECRET, duration, connections, reference, app.pid
                        )
                        if engine == "postgresql":
                            failures += write_throughput(base, url, SECRET, duration, app.pid)
                        peak, lines = peak_export_memory(base, app.pid)
                        ok = peak < 300
                        failures += not ok
                        verdict = "PASS" if ok else "FAIL"
                        print(
                            f"  NDJSON export of {lines} updates: peak RSS {peak:.0f} MB  {verdict}"
                        )
                    companies = json.loads(get(f"{base}/api/v1/companies?limit=1")[0])["total"]
                if engine == "sqlite" and size == max(sizes):  # ours stopped: the same two cores
                    path = url.removeprefix("sqlite:///")
                    failures += peer(path, companies, duration, connections, ours)
    if len(sizes) > 1:
        small, large = min(sizes), max(sizes)
        print("\n== p50 at the largest size vs the smallest (target within 1.5x) ==")
        for engine in engines:
            for endpoint in ENDPOINTS[:2]:
                ratio = p50s[(engine, endpoint.name, large)] / p50s[(engine, endpoint.name, small)]
                ok = ratio <= 1.5
                failures += not ok
                print(
                    f"  {engine:<10} {endpoint.name:<20} {ratio:5.2f}x  {'PASS' if ok else 'FAIL'}"
                )
    print(f"\n{failures} target(s) missed")
    return failures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--engines", default="sqlite,postgresql")
    parser.add_argument("--sizes", default="1000,100000")
    parser.add_argument("--duration", type=int, default=10)
    parser.add_argument("--connections", type=int, default=32)
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")]
    sys.exit(min(run(args.engines.split(","), sizes, args.duration, args.connections), 1))


if __name__ == "__main__":
    main()
