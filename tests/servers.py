"""Real `vpr serve` processes for tests that need whole instances (fault test, schemathesis)."""

import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx2


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


class Instance:
    """One `vpr serve` process, as a supervisor would run it."""

    def __init__(
        self, name: str, database_url: str, log_dir: Path, env: dict[str, str] | None = None
    ) -> None:
        self.name = name
        self.port = _free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.log = log_dir / f"{name}.log"
        self.env = (
            os.environ
            | {
                "VPR_DATABASE_URL": database_url,
                "VPR_SECRET_KEY": os.environ["VPR_SECRET_KEY"],  # the suite's, set in conftest.py
                "VPR_DATA_DIR": str(log_dir),
            }
            | (env or {})
        )
        self.process: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        command = [sys.executable, "-m", "app.cli", "serve", "--port", str(self.port)]
        with self.log.open("ab") as log:
            self.process = subprocess.Popen(command, env=self.env, stdout=log, stderr=log)  # noqa: S603
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                if httpx2.get(f"{self.url}/readyz", timeout=1).status_code == 200:
                    return
            except httpx2.HTTPError:
                pass
            time.sleep(0.1)
        raise AssertionError(f"{self.name} did not become ready; see {self.log}")

    def kill(self) -> None:
        assert self.process is not None
        self.process.send_signal(signal.SIGKILL)
        self.process.wait(timeout=10)

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=10)
