"""A record's logged changes and its public state now, in the form its leaves hashed: what a
verifier compares to show the registry has not changed a record behind its log."""

import json
import re
from typing import Any

from sqlmodel import Session, col, select

from app.companies import service as companies
from app.companies.queries import company_by_slug
from app.core.errors import NotFoundError
from app.core.urls import API_PREFIX
from app.log.models import LogLeaf
from app.milestones.schemas import MilestoneRead
from app.milestones.service import get_milestone
from app.updates.queries import public_document

MAX_LEAVES = 1000
_COMPANY = re.compile(rf"^{API_PREFIX}/companies/([a-z0-9-]+)$")
_UPDATE = re.compile(rf"^{API_PREFIX}/updates/(\d+)$")
_MILESTONE = re.compile(rf"^{API_PREFIX}/milestones/([a-z0-9-]+)$")
COMPANY_RECORD = ("company.created", "company.changed")  # not its endorsement events


def leaves_of(session: Session, url: str) -> list[LogLeaf]:
    statement = select(LogLeaf).where(col(LogLeaf.url) == url).order_by(col(LogLeaf.idx))
    return list(session.exec(statement.limit(MAX_LEAVES)))


def current(session: Session, url: str, leaves: list[LogLeaf]) -> dict[str, Any] | None:
    """{state, leaf}: the record's public state now, and the leaf that logged it last."""
    try:
        if found := _COMPANY.match(url):
            state = companies.snapshot(company_by_slug(session, found[1], with_names=True))
            logged = [leaf for leaf in leaves if json.loads(leaf.data)["action"] in COMPANY_RECORD]
        elif found := _UPDATE.match(url):
            state, logged = public_document(session, int(found[1])), leaves
        elif found := _MILESTONE.match(url):
            state = MilestoneRead.of(get_milestone(session, found[1])).model_dump(mode="json")
            logged = leaves
        else:
            return None
    except NotFoundError:
        return None
    return {"state": state, "leaf": logged[-1].idx} if logged else None
