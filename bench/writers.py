"""Company writers for the benchmark: drafts and submissions sent over HTTP with company keys.

`Writers` runs one thread per key, either paced (a total rate, for reads measured while writes
run) or as fast as the service answers (the write path's own throughput). Each writer creates
drafts and submits every n-th one, so both kinds of write happen: a draft moves nothing public,
a submission does.
"""

import os
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field

import httpx2

DRAFT = {
    "period_start": "2025-01-01",
    "period_end": "2025-12-31",
    "summary": "Bench update",
    "entries": [
        {"principle": "VP-01", "status": "implemented", "narrative": "Hash matching on uploads."},
        {"principle": "VP-07", "status": "in_progress", "visibility": "restricted"},
    ],
}


def company_keys(database_url: str, secret: str, slugs: list[str]) -> list[str]:
    """One company key per slug, made with the CLI as an administrator would."""
    env = os.environ | {"VPR_DATABASE_URL": database_url, "VPR_SECRET_KEY": secret}
    keys = []
    for slug in slugs:
        command = [sys.executable, "-m", "app.cli", "keys", "create", "--role", "company"]
        command += ["--company", slug, "--name", "bench writer"]
        out = subprocess.run(command, env=env, check=True, capture_output=True, text=True).stdout
        keys.append(out.strip().splitlines()[-1])
    return keys


@dataclass
class Writers:
    base: str
    keys: list[str]
    rate: float | None  # writes per second in all, or None: as fast as answered
    submit_every: int = 2  # submit every n-th draft (1: each one)
    drafts: int = 0
    submissions: int = 0
    failures: list[str] = field(default_factory=list)
    _stop: threading.Event = field(default_factory=threading.Event)
    _threads: list[threading.Thread] = field(default_factory=list)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def __enter__(self) -> "Writers":
        for key in self.keys:
            thread = threading.Thread(target=self._write, args=(key,), daemon=True)
            thread.start()
            self._threads.append(thread)
        return self

    def __exit__(self, *_: object) -> None:
        self._stop.set()
        for thread in self._threads:
            thread.join()

    def _write(self, key: str) -> None:
        interval = len(self.keys) / self.rate if self.rate else 0.0
        headers = {"Authorization": f"Bearer {key}"}
        with httpx2.Client(base_url=self.base, headers=headers, timeout=30) as client:
            written = 0
            while not self._stop.is_set():
                started = time.perf_counter()
                written += 1
                self._one(client, written % self.submit_every == 0)
                # Pacing, not waiting for an event: the benchmark sets the write rate.
                self._stop.wait(max(0.0, interval - (time.perf_counter() - started)))

    def _one(self, client: httpx2.Client, submit: bool) -> None:
        created = client.post("/api/v1/updates", json=DRAFT)
        if created.status_code != 201:
            self._failed(f"draft {created.status_code}")
            return
        with self._lock:
            self.drafts += 1
        if not submit:
            return
        update = created.json()["id"]
        headers = {"If-Match": created.headers["etag"]}
        submitted = client.post(f"/api/v1/updates/{update}/submit", headers=headers)
        if submitted.status_code != 200:
            self._failed(f"submit {submitted.status_code}")
            return
        with self._lock:
            self.submissions += 1

    def _failed(self, what: str) -> None:
        with self._lock:
            self.failures.append(what)
