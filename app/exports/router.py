"""HTTP routes for bulk exports (public data, CSV or NDJSON) and their checksums."""

from collections import OrderedDict
from typing import Annotated

from fastapi import APIRouter, Path, Request
from fastapi.responses import StreamingResponse

from app.core.db import SessionDep
from app.core.errors import problem_responses
from app.core.routing import API_PREFIX
from app.core.schemas import PublicModel
from app.exports import service
from app.exports.service import Dataset, Format

router = APIRouter(
    prefix=f"{API_PREFIX}/exports", tags=["exports"], responses=problem_responses(422)
)

DatasetPath = Annotated[
    Dataset, Path(title="Dataset", description="companies, endorsement-events or updates.")
]
FormatPath = Annotated[Format, Path(title="Format", description="csv or ndjson.")]
MEDIA_TYPES = {Format.CSV: "text/csv; charset=utf-8", Format.NDJSON: "application/x-ndjson"}
# Exports are the same bytes for one data version: their checksums are kept per version.
_checksums: OrderedDict[tuple[str, str, str, str], "Checksum"] = OrderedDict()


class Checksum(PublicModel):
    dataset: Dataset
    format: Format
    sha256: str
    bytes: int
    data_version: str


@router.get(
    "/{dataset}.{fmt}.sha256",
    summary="SHA-256 of an export, for the data version in its ETag",
    responses=problem_responses(404),
)
def export_checksum(
    request: Request, session: SessionDep, dataset: DatasetPath, fmt: FormatPath
) -> Checksum:
    version = request.state.data_version
    key = (str(session.get_bind().engine.url), dataset.value, fmt.value, version)
    if key not in _checksums:
        columns, data = service.rows(session, dataset)
        sha, size = service.digest(service.encode(columns, data, fmt))
        _checksums[key] = Checksum(
            dataset=dataset, format=fmt, sha256=sha, bytes=size, data_version=version
        )
        while len(_checksums) > 32:  # noqa: PLR2004 - a handful of datasets x formats x versions
            _checksums.popitem(last=False)
    return _checksums[key]


@router.get(
    "/{dataset}.{fmt}",
    summary="A whole dataset, streamed; check it against /exports/{dataset}.{fmt}.sha256",
    response_class=StreamingResponse,
    responses={
        200: {"content": {"text/csv": {}, "application/x-ndjson": {}}},
        **problem_responses(404),
    },
)
def export(
    request: Request, session: SessionDep, dataset: DatasetPath, fmt: FormatPath
) -> StreamingResponse:
    columns, data = service.rows(session, dataset)
    headers = {
        "ETag": f'"{request.state.data_version}"',
        "Content-Disposition": f'attachment; filename="vpr-{dataset.value}.{fmt.value}"',
        "Cache-Control": "public, no-cache",
    }
    return StreamingResponse(
        service.chunked(service.encode(columns, data, fmt)),
        media_type=MEDIA_TYPES[fmt],
        headers=headers,
    )
