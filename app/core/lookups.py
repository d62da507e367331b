"""A filter that names something the registry does not hold is a mistake to tell, not an empty
page to return: `?company=nosuch` is a 422 naming it, never "no updates"."""

from typing import Any

from sqlalchemy import func, select
from sqlmodel import Session

from app.core.errors import FieldProblem, InvalidRequestError


def require_known(
    session: Session, column: Any, value: Any, noun: str, parameter: str, *, fold: bool = False
) -> None:
    """Refuse (422) a query parameter whose value no row has in `column` (compared lower-case
    when `fold`)."""
    if value is None:
        return
    compared = func.lower(column) == str(value).lower() if fold else column == value
    if session.execute(select(column).where(compared).limit(1)).first() is None:
        raise InvalidRequestError(
            f"There is no {noun} {value!r}.",
            [FieldProblem(location=["query", parameter], detail=f"no such {noun}", type="unknown")],
        )
