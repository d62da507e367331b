"""wrk on 127.0.0.1 and what it prints: requests/s and latency percentiles."""

import os
import re
import subprocess
import urllib.request
from dataclasses import dataclass
from pathlib import Path

HOST = "127.0.0.1"
COLD_SCRIPT = str(Path(__file__).with_name("cold.lua"))


@dataclass(frozen=True)
class Measure:
    rps: float
    p50_ms: float
    p99_ms: float
    failed: int = 0  # answers other than 2xx/3xx, and requests that timed out or broke

    @property
    def answered(self) -> bool:
        """Every request answered in time (wrk prints no latency for those that timed out)."""
        return self.failed == 0 and self.rps > 0


def wrk(
    url: str,
    duration: int,
    connections: int,
    headers: dict[str, str],
    script: list[str] | None = None,
) -> Measure:
    command = ["wrk", "-t2", f"-c{connections}", f"-d{duration}s", "--latency", url]
    for name, value in headers.items():
        command[1:1] = ["-H", f"{name}: {value}"]
    if script:
        command[1:1] = ["-s", COLD_SCRIPT]
        command += ["--", *script]
    out = subprocess.run(command, capture_output=True, text=True, check=True).stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out)[1])  # type: ignore[index]
    failed = sum(int(n) for n in re.findall(r"(?:Non-2xx or 3xx responses|timeout):?\s*(\d+)", out))
    return Measure(rps, latency(out, "50%"), latency(out, "99%"), failed)


def figures(measure: Measure) -> str:
    failed = f"  {measure.failed} failed or timed out" if measure.failed else ""
    latencies = f"p50 {measure.p50_ms:.2f} ms  p99 {measure.p99_ms:.2f} ms"
    return f"{measure.rps:8.0f} req/s  {latencies}{failed}"


def latency(out: str, percentile: str) -> float:
    value, unit = re.search(rf"{percentile}\s+([\d.]+)(us|ms|s)", out).groups()  # type: ignore[union-attr]
    return float(value) * {"us": 0.001, "ms": 1.0, "s": 1000.0}[unit]


def cpu_seconds(pid: int) -> float:
    """CPU time a process has used so far (user and system, all its threads)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def get(url: str, headers: dict[str, str] | None = None) -> tuple[bytes, dict[str, str]]:
    request = urllib.request.Request(url, headers=headers or {})  # noqa: S310 - loopback only
    with urllib.request.urlopen(request, timeout=600) as response:  # noqa: S310
        return response.read(), dict(response.headers)
