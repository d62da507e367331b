"""HTTP routes for bulk exports (public data, CSV or NDJSON) and their checksums."""

from typing import Annotated

from fastapi import APIRouter, Path, Request
from fastapi.responses import StreamingResponse

from app.core.db import SessionDep
from app.core.errors import problem_responses
from app.core.etags import etag
from app.core.urls import API_PREFIX
from app.exports import service
from app.exports.queries import Dataset
from app.exports.schemas import ChecksumRead
from app.exports.service import Format
from app.http.conditional import data_version_of

router = APIRouter(
    prefix=f"{API_PREFIX}/exports", tags=["exports"], responses=problem_responses(422)
)

DatasetPath = Annotated[
    Dataset, Path(title="Dataset", description="companies, endorsement-events or updates.")
]
FormatPath = Annotated[Format, Path(title="Format", description="csv or ndjson.")]
MEDIA_TYPES = {Format.CSV: "text/csv; charset=utf-8", Format.NDJSON: "application/x-ndjson"}


@router.get(
    "/{dataset}.{fmt}.sha256",
    summary="SHA-256 of an export, for the data version in its ETag",
    responses=problem_responses(404),
)
def export_checksum(
    request: Request, session: SessionDep, dataset: DatasetPath, fmt: FormatPath
) -> ChecksumRead:
    version = data_version_of(request)
    sha, size = service.checksum(session, dataset, fmt, version)
    return ChecksumRead(dataset=dataset, format=fmt, sha256=sha, bytes=size, data_version=version)


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
    headers = {
        "ETag": etag(data_version_of(request)),
        "Content-Disposition": f'attachment; filename="vpr-{dataset.value}.{fmt.value}"',
        "Cache-Control": "public, no-cache",
    }
    return StreamingResponse(
        service.chunked(service.export_lines(session, dataset, fmt)),
        media_type=MEDIA_TYPES[fmt],
        headers=headers,
    )
