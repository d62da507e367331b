"""What the layer before routing (`app/http/stored_documents.py`) takes from each kind of
answer it makes (`app/http/stored_answers.py` says which): how to read its moment, whom it
serves, and its body with what the body's headers need."""

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Protocol

from app.access import Principal
from app.engines.base import RowReader
from app.keys.authentication import Moment


@dataclass(frozen=True)
class Answer:
    body: bytes
    tag: str  # the ETag
    links: list[str]  # what the Link header lists beside the alternate page
    content_type: str = "application/json"
    headers: Mapping[str, str] = field(default_factory=dict)  # beside the cache's and the type


class Wanted(Protocol):
    """One kind of answer: what it reads with the clock and the key (one statement), whom it
    serves (None: no key), then its body for the public or for a restricted audience (None:
    the app answers). `route`: the template of the route that answers the same URL."""

    @property
    def route(self) -> str: ...

    async def read(self, rows: RowReader, *, public: bool, key_id: str | None) -> Moment: ...

    def serves(self, principal: Principal | None) -> bool: ...

    async def answer(
        self, rows: RowReader, moment: Moment, version: str, *, restricted: bool
    ) -> Answer | None: ...
