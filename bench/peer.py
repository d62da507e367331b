"""The same-run peer: Datasette serving the same generated SQLite file, measured with the same
wrk settings right after the registry (cold URLs both, bench/cold.lua). Our cold company detail
against its row page of a random company (target: 3x its rate), our cold list page of 50 against
its table page of 50 from a random position (5x).

Datasette runs from an environment of its own (`.venv-bench`, made from requirements/bench.lock
when missing: its pins are not the service's), on the same event loop and HTTP parser as the
service (uvloop, httptools), with facet suggestions off (each table page would otherwise run
extra queries to suggest facets, which no API client asks for).
"""

import hashlib
import subprocess
import sys
import time
from pathlib import Path

from bench.load import HOST, Measure, get, wrk

PORT = 8103
ROOT = Path(__file__).resolve().parent.parent
VENV = ROOT / ".venv-bench"
LOCK = ROOT / "requirements" / "bench.lock"
# Peer kind in bench/cold.lua -> (our measure it is compared with, how many times faster).
TARGETS = {"peer-row": ("cold detail", 3.0), "peer-table": ("cold list", 5.0)}


def _datasette() -> Path:
    """Datasette's executable, installed (hash-checked) when missing or when the lock changed."""
    stamp = VENV / f".installed-{hashlib.sha256(LOCK.read_bytes()).hexdigest()[:16]}"
    if not stamp.exists():
        subprocess.run([sys.executable, "-m", "venv", str(VENV)], check=True)
        install = [str(VENV / "bin" / "python"), "-m", "pip", "install", "--quiet"]
        subprocess.run([*install, "--require-hashes", "-r", str(LOCK)], check=True)
        stamp.touch()
    return VENV / "bin" / "datasette"


def peer(
    database_path: str, companies: int, duration: int, connections: int, ours: dict[str, Measure]
) -> int:
    """Measure Datasette on the file; the number of targets missed (each, when it cannot be
    installed or started: the rest of the run goes on)."""
    try:
        datasette = _datasette()
    except (OSError, subprocess.CalledProcessError) as exc:
        print(f"  peer: Datasette could not be installed ({exc})  FAIL")
        return len(TARGETS)
    command = [str(datasette), "serve", database_path, "--host", HOST, "--port", str(PORT)]
    command += ["--setting", "suggest_facets", "off"]
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    base = f"http://{HOST}:{PORT}"
    missed = 0
    try:
        for _ in range(300):  # until it answers (it starts in a second or two)
            try:
                get(f"{base}/-/versions.json")
                break
            except OSError:
                time.sleep(0.1)
        database = Path(database_path).stem
        for kind, (name, times) in TARGETS.items():
            args = [kind, "1", str(companies), "", database]
            wrk(base + "/", 2, connections, {}, args)
            theirs = wrk(base + "/", duration, connections, {}, args)
            ratio = ours[name].rps / theirs.rps if theirs.rps else 0.0
            ok = theirs.answered and ratio >= times
            missed += not ok
            print(
                f"  peer {kind:<25} {theirs.rps:8.0f} req/s  p50 {theirs.p50_ms:6.2f} ms  "
                f"p99 {theirs.p99_ms:6.2f} ms; our {name}: {ratio:4.1f}x "
                f"(target {times:.0f}x)  {'PASS' if ok else 'FAIL'}"
            )
    finally:
        process.terminate()
        process.wait(timeout=30)
    return missed
