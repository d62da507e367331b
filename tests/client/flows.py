"""The company and government flows through a client generated from the contract by
openapi-python-client (no hand-written HTTP): run by tests/test_generated_client.py in the
client's own environment, as `python flows.py BASE_URL COMPANY_KEY GOVERNMENT_KEY`.

Exits non-zero, naming the step, when an answer is not what the contract promises."""

import datetime
import sys
import uuid
from typing import Any

from vpr_client import AuthenticatedClient
from vpr_client.api.reporting_cycles import get_cycle, open_cycle
from vpr_client.api.reviews import add_review, answer_review, get_thread
from vpr_client.api.updates import (
    amend_update,
    change_update,
    create_update,
    get_update,
    list_updates,
    submit_update,
)
from vpr_client.models import (
    AnswerCreate,
    CycleCreate,
    CycleDetailRead,
    ReviewCreate,
    ReviewPage,
    ReviewRead,
    UpdateChange,
    UpdateCreate,
    UpdatePage,
    UpdateRead,
)


def expect(step: str, answer: Any, status: int, kind: type) -> Any:
    if answer.status_code != status or not isinstance(answer.parsed, kind):
        sys.exit(f"{step}: {answer.status_code} {answer.content[:300]!r}")
    print(f"ok {step}: {status}")
    return answer.parsed


def government_opens_a_cycle(government: AuthenticatedClient) -> CycleDetailRead:
    today = datetime.date.today()
    body = CycleCreate.from_dict({
        "title": "Generated-client cycle", "opens_on": today.isoformat(),
        "due_on": (today + datetime.timedelta(days=30)).isoformat(),
        "period_start": "2026-01-01", "period_end": "2026-06-30", "companies": ["meta"],
    })  # fmt: skip
    return expect(
        "open a cycle", open_cycle.sync_detailed(client=government, body=body), 201, CycleDetailRead
    )


def company_reports(company: AuthenticatedClient, cycle: int) -> UpdateRead:
    body = UpdateCreate.from_dict({
        "period_start": "2026-01-01", "period_end": "2026-06-30", "reporting_cycle": cycle,
        "entries": [{"principle": "VP-01", "status": "in_progress", "narrative": "Hash matching."}],
    })  # fmt: skip
    key = str(uuid.uuid4())
    first = create_update.sync_detailed(client=company, body=body, idempotency_key=key)
    draft = expect("create a draft", first, 201, UpdateRead)
    again = create_update.sync_detailed(client=company, body=body, idempotency_key=key)
    if expect("retry with the same Idempotency-Key", again, 201, UpdateRead).id != draft.id:
        sys.exit("retry with the same Idempotency-Key: a second update was created")
    shown = get_update.sync_detailed(draft.id, client=company)
    expect("read the draft", shown, 200, UpdateRead)
    change = UpdateChange.from_dict({"summary": "First half of 2026."})
    stale = change_update.sync_detailed(draft.id, client=company, body=change, if_match='"0"')
    if stale.status_code != 412:
        sys.exit(f"edit with a stale If-Match: {stale.status_code}, not 412")
    print("ok edit with a stale If-Match: 412")
    edited = change_update.sync_detailed(
        draft.id, client=company, body=change, if_match=shown.headers["etag"]
    )
    expect("edit with If-Match", edited, 200, UpdateRead)
    submitted = submit_update.sync_detailed(
        draft.id, client=company, if_match=edited.headers["etag"]
    )
    update = expect("submit", submitted, 200, UpdateRead)
    amendment = expect(
        "amend", amend_update.sync_detailed(update.id, client=company), 201, UpdateRead
    )
    if amendment.supersedes != update.url:
        sys.exit(f"amend: supersedes {amendment.supersedes}, not {update.url}")
    return update


def government_follows_up(
    government: AuthenticatedClient, company: AuthenticatedClient, update: UpdateRead, cycle: int
) -> None:
    listed = list_updates.sync_detailed(client=government, company="meta", limit=10)
    if update.id not in [item.id for item in expect("list updates", listed, 200, UpdatePage).items]:
        sys.exit("list updates: the submitted update is not listed")
    shown = expect(
        "read the cycle", get_cycle.sync_detailed(cycle, client=government), 200, CycleDetailRead
    )
    if shown.counts["submitted_on_time"] != 1:
        sys.exit(f"read the cycle: counts {shown.counts.to_dict()}")
    question = {"kind": "follow_up", "question": "How many accounts were actioned?"}
    asked = add_review.sync_detailed(
        update.id, client=government, body=ReviewCreate.from_dict(question)
    )
    review = expect("ask a follow-up", asked, 201, ReviewRead)
    body = AnswerCreate.from_dict({"answer": "1,200 in the period."})
    answered = answer_review.sync_detailed(update.id, review.id, client=company, body=body)
    expect("answer it", answered, 201, ReviewRead)
    thread = expect(
        "read the thread", get_thread.sync_detailed(update.id, client=government), 200, ReviewPage
    )
    if [len(item.answers) for item in thread.items] != [1]:
        sys.exit("read the thread: the answer is not in it")


def main(base_url: str, company_key: str, government_key: str) -> None:
    company = AuthenticatedClient(
        base_url=base_url, token=company_key, raise_on_unexpected_status=True
    )
    government = AuthenticatedClient(
        base_url=base_url, token=government_key, raise_on_unexpected_status=True
    )
    cycle = government_opens_a_cycle(government)
    update = company_reports(company, cycle.id)
    government_follows_up(government, company, update, cycle.id)


if __name__ == "__main__":
    main(*sys.argv[1:4])
