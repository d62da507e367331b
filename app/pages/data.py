"""What the data page lists: every export file with its size and SHA-256 at the current data
version (the same stored files the API serves), and the licence."""

import json
from typing import Any

from app.core.db import SessionDep, SnapshotsDep
from app.core.urls import API_PREFIX
from app.exports import service
from app.exports.documents import DocumentName
from app.exports.router import data_package
from app.exports.service import ExportStoreDep


def data_files(
    store: ExportStoreDep, session: SessionDep, snapshots: SnapshotsDep
) -> dict[str, Any]:
    package = json.loads(bytes(data_package(store, session, snapshots).body))
    documents = [
        {
            "name": f"{name.value}.ndjson",
            "path": f"{API_PREFIX}/exports/{name.value}.ndjson",
            "bytes": stored.size,
            "sha256": stored.sha256,
        }
        for name in DocumentName
        for stored in [service.ndjson_file(store, session, snapshots, name)]
    ]
    return {"package": package, "documents": documents}
