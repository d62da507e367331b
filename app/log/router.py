"""The log over HTTP, as plain JSON (and the checkpoint as its signed note): a verifier needs
the checkpoint, proofs between any two sizes, and a record's leaves. Plain endpoints rather than
C2SP tlog-tiles: the registry is a database, not a static file store; proofs are O(log n) reads
of stored subtree hashes, and the checkpoint is answered from the response cache."""

import base64
from typing import Annotated

from fastapi import APIRouter, Query
from fastapi.responses import PlainTextResponse

from app.core.db import SessionDep
from app.core.errors import InvalidRequestError, problem_responses
from app.core.urls import API_PREFIX
from app.log import records, store
from app.log.merkle import consistency_proof, inclusion_proof
from app.log.schemas import (
    ConsistencyRead,
    InclusionRead,
    LeafRead,
    LogKeyRead,
    RecordLogRead,
)
from app.log.signing import signer

router = APIRouter(prefix=f"{API_PREFIX}/log", tags=["log"], responses=problem_responses(422))
TreeSize = Annotated[
    int, Query(title="Tree size", description="Leaves in the tree.", ge=1, le=2**53 - 1)
]


def _within(session: SessionDep, *sizes: int) -> None:
    now = store.size(session)
    if any(size > now for size in sizes):
        raise InvalidRequestError(f"The log has {now} leaves.")


def _b64(values: list[bytes]) -> list[str]:
    return [base64.b64encode(value).decode() for value in values]


@router.get(
    "/checkpoint",
    summary="The log's latest checkpoint: a signed note (C2SP tlog-checkpoint)",
    response_class=PlainTextResponse,
    responses={200: {"content": {"text/plain": {"schema": {"type": "string", "maxLength": 2000}}}}},
)
def checkpoint(session: SessionDep) -> PlainTextResponse:
    """The origin, the tree size and the root hash, signed with the log's Ed25519 key (see
    /api/v1/log/key). Save it: a later checkpoint must be consistent with it."""
    size = store.size(session)
    return PlainTextResponse(signer().checkpoint(size, store.root(session, size)))


@router.get("/key", summary="The log's public key, as a signed-note verifier key")
def key() -> LogKeyRead:
    """What verifies every checkpoint: pass `verifier_key` to `vpr verify --key`."""
    found = signer()
    return LogKeyRead(
        origin=found.name,
        verifier_key=found.verifier_key,
        public_key=base64.b64encode(found.public).decode(),
    )


@router.get("/proofs/inclusion", summary="That leaf `index` is in the tree of `size` leaves")
def inclusion(
    session: SessionDep,
    index: Annotated[int, Query(title="Leaf index", description="From 0.", ge=0, le=2**53 - 1)],
    size: TreeSize,
) -> InclusionRead:
    """RFC 9162 2.1.3: the hashes from the leaf to the root of the tree of `size` leaves."""
    _within(session, size)
    if index >= size:
        raise InvalidRequestError(f"Leaf {index} is not in a tree of {size} leaves.")
    hashes = inclusion_proof(index, size, lambda a, b: store.subtree_hash(session, a, b))
    leaf = store.subtree_hash(session, index, index + 1)
    return InclusionRead(index=index, size=size, leaf_hash=_b64([leaf])[0], hashes=_b64(hashes))


@router.get("/proofs/consistency", summary="That the tree of `from` leaves is a prefix of `to`")
def consistency(
    session: SessionDep,
    first: Annotated[
        int, Query(alias="from", title="From", description="The older size.", ge=1, le=2**53 - 1)
    ],
    second: Annotated[
        int, Query(alias="to", title="To", description="The newer size.", ge=1, le=2**53 - 1)
    ],
) -> ConsistencyRead:
    """RFC 9162 2.1.4: what shows that nothing logged up to `from` was changed by `to`."""
    _within(session, first, second)
    if first > second:
        raise InvalidRequestError("`from` must not be larger than `to`.")
    hashes = consistency_proof(first, second, lambda a, b: store.subtree_hash(session, a, b))
    return ConsistencyRead(first=first, second=second, hashes=_b64(hashes))


@router.get("/records", summary="A record's logged changes, and its public state now")
def record(
    session: SessionDep,
    url: Annotated[
        str,
        Query(
            title="Record",
            description="A record's API URL, e.g. /api/v1/companies/meta.",
            max_length=300,
            pattern=r"^/api/v1/[a-z0-9/_-]+$",
        ),
    ],
) -> RecordLogRead:
    """Every leaf logged for the record (up to 1,000, oldest first), and its current public
    state with the leaf that logged it last: hash the state (RFC 8785) and compare."""
    leaves = records.leaves_of(session, url)
    return RecordLogRead(
        url=url,
        leaves=[LeafRead.of(leaf) for leaf in leaves],
        current=records.current(session, url, leaves),
    )
