"""HTTP routes for bulk exports of the public data: tidy CSV tables, NDJSON documents, their
checksums, and the data package that describes the tables. Served from stored files (made once
per public data version), so a slow reader holds no database connection."""

from typing import Annotated, Any

from fastapi import APIRouter, Path, Request
from fastapi.responses import FileResponse, JSONResponse

from app.core.db import SessionDep, SnapshotsDep, give_back_connection
from app.core.errors import problem_responses
from app.core.etags import etag
from app.core.urls import API_PREFIX
from app.exports import service
from app.exports.columns import TableName
from app.exports.documents import DocumentName
from app.exports.package import descriptor
from app.exports.schemas import ChecksumRead
from app.exports.service import ExportStoreDep
from app.exports.store import Stored
from app.exports.tables import TABLES
from app.http.admission import CONNECTION_RETURNED
from app.http.compression import accepts_gzip
from app.log.store import checkpoint_at

router = APIRouter(
    prefix=f"{API_PREFIX}/exports", tags=["exports"], responses=problem_responses(422)
)

TablePath = Annotated[
    TableName, Path(title="Table", description="One tidy table (see datapackage.json).")
]
DocumentPath = Annotated[
    DocumentName, Path(title="Document", description="companies, endorsement-events or updates.")
]
CSV, NDJSON = "text/csv; charset=utf-8", "application/x-ndjson"


def _file(
    request: Request, session: SessionDep, stored: Stored, media_type: str, file_name: str
) -> FileResponse:
    """The stored file (gzip-coded if the client accepts it), sent after the request's
    connection went back to the pool: however slowly the client reads, it holds no database
    connection."""
    give_back_connection(session)
    setattr(request.state, CONNECTION_RETURNED, True)  # its admission slot goes as it starts
    headers = _headers(stored, file_name)
    path = stored.path
    if accepts_gzip(request.headers.get("accept-encoding")):
        path, headers["Content-Encoding"] = stored.gzipped, "gzip"
    return FileResponse(path, media_type=media_type, headers=headers)


def _headers(stored: Stored, file_name: str) -> dict[str, str]:
    return {
        "ETag": etag(stored.data_version),
        "Cache-Control": "public, no-cache",
        "Content-Disposition": f'attachment; filename="vpr-{file_name}"',
        "X-Content-SHA256": stored.sha256,  # of the file as decoded, whatever the coding
        # The log's tree of the same public changes (GET /api/v1/log/proofs/... at this size).
        **({"X-Log-Tree-Size": str(stored.log_size)} if stored.log_size is not None else {}),
        "Vary": "Accept-Encoding",
    }


def _checksum(stored: Stored, name: str, fmt: str) -> ChecksumRead:
    return ChecksumRead(
        dataset=name, format=fmt, sha256=stored.sha256, bytes=stored.size,
        data_version=stored.data_version,
    )  # fmt: skip


@router.get(
    "/datapackage.json",
    summary="Frictionless Data Package descriptor of the CSV tables: types, keys, SHA-256, licence",
    response_model=dict[str, Any],
)
def data_package(
    store: ExportStoreDep, session: SessionDep, snapshots: SnapshotsDep
) -> JSONResponse:
    """A Frictionless Data Package descriptor of the CSV tables: each table's fields and types,
    primary and foreign keys, SHA-256 and size, the data version every file was made at, and
    the CC-BY-4.0 licence."""
    files = service.csv_files(store, session, snapshots, list(TABLES))
    body = descriptor(files)
    # The log's checkpoint of the same public changes: cite the data and prove it unchanged.
    body["vpr:log"] = checkpoint_at(session, next(iter(files.values())).log_size)
    headers = {"ETag": etag(body["version"]), "Cache-Control": "public, no-cache"}
    return JSONResponse(body, headers=headers)


@router.get("/{table}.csv.sha256", summary="SHA-256 and size of a CSV table")
def csv_checksum(
    store: ExportStoreDep, session: SessionDep, snapshots: SnapshotsDep, table: TablePath
) -> ChecksumRead:
    """The SHA-256 and size of a CSV table at the current data version, for checking a download.
    The SHA-256 and size of a CSV table at the current data version, for checking a download."""
    stored = service.csv_files(store, session, snapshots, [table])[f"{table.value}.csv"]
    return _checksum(stored, table.value, "csv")


@router.get(
    "/{table}.csv",
    summary="One tidy table as CSV (see datapackage.json for its schema)",
    response_class=FileResponse,
    responses={200: {"content": {"text/csv": {}}}},
)
def csv_table(
    request: Request,
    store: ExportStoreDep,
    session: SessionDep,
    snapshots: SnapshotsDep,
    table: TablePath,
) -> FileResponse:
    """One tidy CSV table of the public data, made once per data version and served from a file
    (gzip-coded for clients that accept it). Its schema is in datapackage.json."""
    file_name = f"{table.value}.csv"
    stored = service.csv_files(store, session, snapshots, [table])[file_name]
    return _file(request, session, stored, CSV, file_name)


@router.get("/{document}.ndjson.sha256", summary="SHA-256 and size of an NDJSON document")
def ndjson_checksum(
    store: ExportStoreDep, session: SessionDep, snapshots: SnapshotsDep, document: DocumentPath
) -> ChecksumRead:
    """The SHA-256 and size of an NDJSON document at the current data version."""
    stored = service.ndjson_file(store, session, snapshots, document)
    return _checksum(stored, document.value, "ndjson")


@router.get(
    "/{document}.ndjson",
    summary="One record per line, nested (an update with its entries, measures, metrics and "
    "evidence)",
    response_class=FileResponse,
    responses={200: {"content": {"application/x-ndjson": {}}}},
)
def ndjson_document(
    request: Request,
    store: ExportStoreDep,
    session: SessionDep,
    snapshots: SnapshotsDep,
    document: DocumentPath,
) -> FileResponse:
    """One JSON document per line, nested: a company with its sectors and former names, an
    endorsement event, or an update with its entries, measures, metrics and evidence."""
    stored = service.ndjson_file(store, session, snapshots, document)
    file_name = f"{document.value}.ndjson"
    return _file(request, session, stored, NDJSON, file_name)
