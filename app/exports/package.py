"""The Frictionless Data Package descriptor of the CSV tables (https://specs.frictionlessdata.io):
every resource with its path, format, Table Schema (types, primary and foreign keys), SHA-256
and size, the licence, and the data version all the files were made at."""

from typing import Any

from app.exports.columns import Table
from app.exports.store import Stored
from app.exports.tables import TABLES

LICENSE = {
    "name": "CC-BY-4.0",
    "path": "https://creativecommons.org/licenses/by/4.0/",
    "title": "Creative Commons Attribution 4.0",
}
ATTRIBUTION = (
    "VP Registry: the Voluntary Principles to Counter Online Child Sexual Exploitation and "
    "Abuse, endorsements and implementation updates, compiled from the public sources each "
    "record cites."
)
DESCRIPTION = (
    "Who endorsed the Voluntary Principles, since when and on whose word, and what companies "
    "report about implementing them. Endorsement is not implementation. The registry does not "
    "hold every endorser public sources mention: see `coverage` at /api/v1. The same data, "
    "nested, is at /api/v1/exports/{companies,endorsement-events,updates}.ndjson."
)


def _schema(table: Table) -> dict[str, Any]:
    fields = []
    for column in table.columns:
        described: dict[str, Any] = {
            "name": column.name,
            "type": column.type,
            "description": column.description,
        }
        if column.required:
            described["constraints"] = {"required": True}
        fields.append(described)
    schema: dict[str, Any] = {
        "fields": fields,
        "primaryKey": list(table.primary_key),
        "missingValues": [""],
    }
    if table.foreign_keys:
        schema["foreignKeys"] = [
            {
                "fields": list(key.fields),
                "reference": {
                    # "" is the package's way of saying "this same resource".
                    "resource": "" if key.table == table.name else key.table.value,
                    "fields": list(key.reference),
                },
            }
            for key in table.foreign_keys
        ]
    return schema


def descriptor(files: dict[str, Stored]) -> dict[str, Any]:
    """`files`: each table's stored CSV (file name -> Stored), all at one data version."""
    versions = {stored.data_version for stored in files.values()}
    assert len(versions) == 1  # noqa: S101 - ExportStore.files makes them in one snapshot
    resources = []
    for table in TABLES.values():
        stored = files[f"{table.name.value}.csv"]
        resources.append(
            {
                "name": table.name.value,
                "title": table.title,
                "path": f"{table.name.value}.csv",
                "profile": "tabular-data-resource",
                "format": "csv",
                "mediatype": "text/csv",
                "encoding": "utf-8",
                "hash": f"sha256:{stored.sha256}",
                "bytes": stored.size,
                "schema": _schema(table),
            }
        )
    return {
        "profile": "tabular-data-package",
        "name": "vp-registry",
        "title": "VP Registry: endorsements and implementation of the Voluntary Principles",
        "description": DESCRIPTION,
        "version": versions.pop(),
        "licenses": [LICENSE],
        "sources": [{"title": "Each record's own source_url or citation"}],
        "contributors": [{"title": ATTRIBUTION, "role": "publisher"}],
        "resources": resources,
    }
