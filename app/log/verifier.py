"""Verify what the registry published, trusting nothing but its public key: its signed
checkpoint (and that it extends a saved one), and each cited record as its URL serves it now
against the state the log holds.

Standalone on purpose: no import from the rest of the project but `proofs.py` beside it, so
that anyone can run these two files (`pip install cryptography rfc8785`, then
`python verifier.py --help`); `vpr verify` runs the same code. Exit status 0 when everything
holds, 1 with every failure named otherwise."""

import argparse
import base64
import json
import sys
import urllib.parse
import urllib.request
from typing import Any

if __package__:
    from app.log import proofs
else:  # run as a file, with proofs.py beside it
    import proofs  # type: ignore[import-not-found,no-redef]

VerificationError = proofs.VerificationError  # what `verify` reports, for its callers


class Registry:
    """The registry's log over HTTP."""

    def __init__(self, base_url: str) -> None:
        self.root = base_url.rstrip("/")
        self.base = self.root + "/api/v1/log"

    def _get(self, path: str, **query: Any) -> bytes:
        url = f"{self.base}{path}" + (f"?{urllib.parse.urlencode(query)}" if query else "")
        with urllib.request.urlopen(url, timeout=30) as answer:  # noqa: S310 - http(s) only
            return bytes(answer.read())

    def checkpoint(self) -> str:
        return self._get("/checkpoint").decode()

    def consistency(self, old: int, new: int) -> list[bytes]:
        found = json.loads(self._get("/proofs/consistency", **{"from": old, "to": new}))
        return [base64.b64decode(h) for h in found["hashes"]]

    def inclusion(self, index: int, size: int) -> list[bytes]:
        found = json.loads(self._get("/proofs/inclusion", index=index, size=size))
        return [base64.b64decode(h) for h in found["hashes"]]

    def record(self, url: str) -> dict[str, Any]:
        return dict(json.loads(self._get("/records", url=url)))

    def served(self, url: str) -> dict[str, Any]:
        """The record as its URL serves it to anyone (no key)."""
        request = urllib.request.Request(  # noqa: S310 - http(s) only
            self.root + url, headers={"Accept": "application/json"}
        )
        with urllib.request.urlopen(request, timeout=30) as answer:  # noqa: S310 - http(s) only
            return dict(json.loads(answer.read()))


def verify(
    registry: Registry, key: proofs.VerifierKey, saved: str | None, records: list[str]
) -> tuple[proofs.Checkpoint, list[str]]:
    """Check the registry's checkpoint, its consistency with a saved one, and each record; the
    new checkpoint and every failure, named."""
    failures: list[str] = []
    new = proofs.open_checkpoint(registry.checkpoint(), key)
    if saved is not None:
        old = proofs.open_checkpoint(saved, key)
        try:
            if old.size > new.size:
                raise VerificationError(f"the log shrank from {old.size} to {new.size} leaves")
            proofs.verify_consistency(
                old.size,
                new.size,
                old.root,
                new.root,
                registry.consistency(old.size, new.size) if old.size < new.size else [],
            )
        except VerificationError as exc:
            failures.append(f"checkpoint: {exc}")
    for url in records:
        try:
            _verify_record(registry, new, url)
        except VerificationError as exc:
            failures.append(f"{url}: {exc}")
    return new, failures


def _verify_record(registry: Registry, checkpoint: proofs.Checkpoint, url: str) -> None:
    """Every logged change of the record is in the tree, and its public state now is the one
    its latest logged change recorded."""
    found = registry.record(url)
    leaves = {leaf["index"]: leaf for leaf in found["leaves"] if leaf["index"] < checkpoint.size}
    if not leaves:
        raise VerificationError("no logged change of this record")
    for index, leaf in leaves.items():
        proof = registry.inclusion(index, checkpoint.size)
        proofs.verify_inclusion(
            index, checkpoint.size, proofs.leaf_hash(leaf["data"].encode()), proof, checkpoint.root
        )
    now = found.get("current")
    if now is None:
        return
    latest = leaves.get(now["leaf"])
    if latest is None:
        raise VerificationError("its latest logged change is newer than the checkpoint")
    logged = json.loads(latest["data"])
    if proofs.state_digest(now["state"]) != logged["state_sha256"]:
        raise VerificationError(
            f"its public state now is not the one logged by change {logged['seq']} "
            f"(leaf {now['leaf']})"
        )
    _verify_served(registry.served(url), now["state"], logged, list(leaves.values()))


def _verify_served(
    served: dict[str, Any], state: dict[str, Any], logged: dict[str, Any], leaves: list[Any]
) -> None:
    """What the record's URL serves shows the state the log holds: its logged fields, and (for a
    company) each endorsement event as last logged, the status those events give, and each
    linked report as logged."""
    shown = {name: served.get(name) for name in state}
    if proofs.state_digest(shown) != logged["state_sha256"]:
        raise VerificationError(f"it serves a state the log does not hold (change {logged['seq']})")
    records = [json.loads(leaf["data"]) for leaf in leaves]
    if "endorsement_history" in served:
        _verify_endorsements(served, records)
    if "transparency_reports" in served:
        linked = [r["state_sha256"] for r in records if r["action"] == "company.report_linked"]
        reports = sorted(proofs.state_digest(report) for report in served["transparency_reports"])
        if reports != sorted(linked):
            raise VerificationError("its linked reports are not the ones the log holds")


# The registry's rule for a company's status (app/endorsements/status.py), written out so that
# this file needs nothing of the project: retracted events aside, the latest event by (earliest
# day, id) gives the status; the latest `endorsed` one dates the endorsement.
STATUS_AFTER = {"endorsed": "endorsed", "reaffirmed": "endorsed", "withdrawn": "withdrawn"}
STATUS_AFTER["lapsed"] = "lapsed"


def _verify_endorsements(served: dict[str, Any], leaves: list[dict[str, Any]]) -> None:
    history: list[dict[str, Any]] = served["endorsement_history"]
    logged = [leaf for leaf in leaves if leaf["action"].startswith("endorsement.")]
    retractions = {leaf["state_sha256"] for leaf in logged if leaf["action"].endswith("retracted")}
    recorded = {leaf["state_sha256"] for leaf in logged} - retractions
    shown = {proofs.state_digest(event): event for event in history}
    if len(history) != len(logged) - len(retractions):
        raise VerificationError(f"it serves {len(history)} endorsement events, the log holds "
                                f"{len(logged) - len(retractions)}")  # fmt: skip
    for digest, event in shown.items():
        retracted = event.get("retracted") is not None
        if digest not in (retractions if retracted else recorded):
            raise VerificationError(f"endorsement event {event.get('id')} is not as logged")
    if not retractions <= shown.keys():
        raise VerificationError("an endorsement event's logged retraction is not shown")
    if served.get("endorsement") != _summary(history):
        raise VerificationError("its endorsement status is not the one its events give")


def _summary(history: list[dict[str, Any]]) -> dict[str, Any]:
    counting = sorted(
        (event for event in history if event.get("retracted") is None),
        key=lambda event: (event["occurred_on"]["earliest"], event["id"]),
    )
    latest = counting[-1] if counting else None
    endorsed = next((e for e in reversed(counting) if e["kind"] == "endorsed"), None)
    status = STATUS_AFTER.get(latest["kind"], "not_endorsed") if latest else "not_endorsed"
    since = endorsed if status == "endorsed" else latest
    return {
        "status": status,
        "endorsed_on": endorsed["occurred_on"] if endorsed else None,
        "source_url": endorsed["source_url"] if endorsed else None,
        "consulted_in_drafting": bool(endorsed and endorsed["consulted_in_drafting"]),
        "status_since": since["occurred_on"] if since else None,
        "status_source_url": since["source_url"] if since else None,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("url", help="The registry, e.g. https://registry.example")
    parser.add_argument("--key", required=True, help="The log's verifier key (name+id+key)")
    parser.add_argument("--checkpoint", help="A checkpoint saved earlier: prove the log extends it")
    parser.add_argument(
        "--record",
        action="append",
        default=[],
        help="A record's API URL, e.g. /api/v1/companies/meta",
    )
    parser.add_argument("--save", help="Write the new checkpoint here once verified")
    args = parser.parse_args(argv)
    saved = open(args.checkpoint).read() if args.checkpoint else None  # noqa: SIM115
    try:
        checkpoint, failures = verify(
            Registry(args.url), proofs.VerifierKey.parse(args.key), saved, args.record
        )
    except VerificationError as exc:
        print(f"FAILED: {exc}")
        return 1
    for failure in failures:
        print(f"FAILED: {failure}")
    if failures:
        return 1
    root = base64.b64encode(checkpoint.root).decode()
    print(f"OK: {checkpoint.origin}, {checkpoint.size} leaves, root {root}")
    if args.save:
        with open(args.save, "w") as out:
            out.write(checkpoint.text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
