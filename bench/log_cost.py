"""What the tamper-evident log costs the write path (issue 15: under 10% of its throughput).

The same submissions (draft + submit, with a company key, through the whole app in process) in
one database, in alternating rounds with the log appended and with its append switched off;
the ratio of the two rates is the cost. Run: `python -m bench.log_cost`."""

import argparse
import os
import time
from collections.abc import Callable
from typing import Any

from fastapi.testclient import TestClient

from bench.run import SECRET, database
from bench.writers import DRAFT, company_keys

ROUNDS = 3
TARGET = 0.10  # the log may cost at most this share of the write rate


def _rate(client: TestClient, key: str, submissions: int) -> float:
    headers = {"Authorization": f"Bearer {key}"}
    started = time.perf_counter()
    for _ in range(submissions):
        draft = client.post("/api/v1/updates", json=DRAFT, headers=headers)
        assert draft.status_code == 201, draft.text  # noqa: S101
        done = client.post(
            f"{draft.json()['url']}/submit", headers=headers | {"If-Match": draft.headers["etag"]}
        )
        assert done.status_code == 200, done.text  # noqa: S101 - a bench that failed says so
    return submissions / (time.perf_counter() - started)


def measure(engine: str, submissions: int) -> bool:
    with database(engine, 1000) as (url, _):
        os.environ.update(VPR_DATABASE_URL=url, VPR_SECRET_KEY=SECRET, VPR_RATE_LIMIT="false")
        from app.core.config import get_settings  # noqa: PLC0415 - after the settings are set
        from app.log import store  # noqa: PLC0415
        from app.main import create_app  # noqa: PLC0415

        get_settings.cache_clear()
        key = company_keys(url, SECRET, ["meta"])[0]
        appended: Callable[..., Any] = store.record_change
        rates: dict[bool, list[float]] = {True: [], False: []}
        with TestClient(create_app()) as client:
            _rate(client, key, 20)  # warm
            for _ in range(ROUNDS):
                for logged in (True, False):
                    # audit.record looks the function up on the module at each call.
                    setattr(store, "record_change", appended if logged else (lambda *_a: 0))  # noqa: B010
                    rates[logged].append(_rate(client, key, submissions))
        setattr(store, "record_change", appended)  # noqa: B010
    with_log, without = max(rates[True]), max(rates[False])
    cost = 1 - with_log / without
    ok = cost < TARGET
    print(
        f"  {engine:<10} submissions/s with the log {with_log:6.1f}, without {without:6.1f}: "
        f"cost {cost:6.1%} (target < {TARGET:.0%})  {'PASS' if ok else 'FAIL'}"
    )
    return ok


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--engines", default="sqlite,postgresql")
    parser.add_argument("--submissions", type=int, default=200)
    args = parser.parse_args()
    results = [measure(engine, args.submissions) for engine in args.engines.split(",")]
    raise SystemExit(0 if all(results) else 1)


if __name__ == "__main__":
    main()
