"""The README's examples run as written, in order, on a fresh registry, and give the answers
they show: every `curl` in its shell blocks is sent (keys filled in), none may fail unless the
README says so, and a `# -> 201, ETag: "..."` line after a command is checked."""

import re
import shlex
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlmodel import Session

from app.keys.models import Role
from app.keys.service import KeySpec, issue_key
from tests.conftest import serve_from

README = Path(__file__).parents[1] / "README.md"
BASE = "http://127.0.0.1:8000"
EXPECTED = re.compile(r"^#\s*->\s*(\d{3})(?:.*?ETag:\s*(\"[^\"]+\"))?")


@dataclass
class Example:
    line: int
    argv: list[str]
    expect_status: int | None = None
    expect_etag: str | None = None
    headers: dict[str, str] = field(default_factory=dict)


def _shell_blocks(text: str) -> Iterator[tuple[int, list[str]]]:
    block: list[str] | None = None
    start = 0
    for number, line in enumerate(text.splitlines(), start=1):
        if line.strip() == "```sh":
            block, start = [], number + 1
        elif line.strip() == "```" and block is not None:
            yield start, block
            block = None
        elif block is not None:
            block.append(line)


def examples(text: str) -> list[Example]:
    """Each curl command of the shell blocks (continuations joined, pipes and comments cut),
    with what the line after it says it answers."""
    found: list[Example] = []
    for start, block in _shell_blocks(text):
        command, first = "", 0
        for offset, line in enumerate(block):
            if command:
                command += "\n" + line
            elif line.lstrip().startswith("curl "):
                command, first = line.strip(), start + offset
            elif found and (expected := EXPECTED.match(line.strip())):
                found[-1].expect_status = int(expected[1])
                found[-1].expect_etag = expected[2]
                continue
            else:
                continue
            if command.endswith("\\"):
                command = command[:-1]
                continue
            try:
                argv = shlex.split(command, comments=True)
            except ValueError:  # a quoted body that goes on to the next line
                continue
            if "|" in argv:
                argv = argv[: argv.index("|")]
            found.append(Example(first, argv))
            command = ""
    return found


def _request(example: Example, keys: dict[str, str]) -> tuple[str, str, dict[str, str], Any]:
    method, url, headers, body = "GET", "", {}, None
    args = iter(example.argv[1:])
    for arg in args:
        if arg == "-X":
            method = next(args)
        elif arg == "-H":
            name, _, value = next(args).partition(":")
            for variable, key in keys.items():
                value = value.replace(f"${variable}", key)
            headers[name.strip()] = value.strip()
        elif arg == "-d":
            body = next(args)
            method = "POST" if method == "GET" else method
        elif arg == "-o":
            next(args)  # a file to save to: the answer is read instead
        elif arg.startswith(BASE):
            url = arg.removeprefix(BASE)
    return method, url, headers, body


def _differences(example: Example, status: int, etag: str | None) -> list[str]:
    """Where the answer differs from what the README shows after the command."""
    where = f"README line {example.line}"
    if example.expect_status and status != example.expect_status:
        return [f"{where}: {status}, README says {example.expect_status}"]
    if example.expect_etag and etag != example.expect_etag:
        return [f"{where}: ETag {etag}, README says {example.expect_etag}"]
    return []


def test_the_readme_examples_run_as_written(app: FastAPI, live_engine: Any) -> None:
    with Session(live_engine, expire_on_commit=False) as session:
        keys = {
            "COMPANY_KEY": KeySpec(Role.COMPANY, "meta t&s", company="meta"),
            "GOV_KEY": KeySpec(Role.GOVERNMENT, "ho", government="UK Home Office"),
            "ADMIN_KEY": KeySpec(Role.ADMIN, "ops"),
        }
        plaintexts = {
            name: issue_key(session, spec, "test").plaintext for name, spec in keys.items()
        }
    serve_from(app, live_engine)
    ran = examples(README.read_text())
    assert len(ran) > 30  # the README's worked examples, not a parsing accident
    failures: list[str] = []
    with TestClient(app) as client:
        for example in ran:
            method, url, headers, body = _request(example, plaintexts)
            response = client.request(method, url, headers=headers, content=body)
            failures += _differences(example, response.status_code, response.headers.get("etag"))
            allowed = {example.expect_status} if example.expect_status else set()
            if response.status_code >= 400 and response.status_code not in allowed:
                failures.append(
                    f"README line {example.line}: {response.status_code} {response.text}"
                )
    app.dependency_overrides.clear()
    assert failures == [], "\n".join(failures)
