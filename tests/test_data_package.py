"""The data package, as a researcher uses it: download the descriptor and every file it lists into
a folder, validate it with the `frictionless` library, and load each CSV with pandas using only
the descriptor's types."""

import hashlib
import json
from pathlib import Path
from typing import Any

import pandas as pd
from frictionless import Package

from tests.test_exports import _submitted_update

PANDAS_TYPES = {"string": "string", "integer": "Int64", "number": "float64", "boolean": "boolean"}


def _download(client, folder: Path) -> dict[str, Any]:
    response = client.get("/api/v1/exports/datapackage.json")
    assert response.status_code == 200
    descriptor: dict[str, Any] = response.json()
    (folder / "datapackage.json").write_text(json.dumps(descriptor))
    for resource in descriptor["resources"]:
        (folder / resource["path"]).write_bytes(
            client.get(f"/api/v1/exports/{resource['path']}").content
        )
    return descriptor


def test_the_data_package_validates_with_no_errors(client, keys, tmp_path):
    _submitted_update(client, keys)
    descriptor = _download(client, tmp_path)
    assert descriptor["licenses"][0]["name"] == "CC-BY-4.0"
    assert len(descriptor["resources"]) == 9
    for resource in descriptor["resources"]:
        content = (tmp_path / resource["path"]).read_bytes()
        assert resource["hash"] == "sha256:" + hashlib.sha256(content).hexdigest()
        assert resource["bytes"] == len(content)
    report = Package(str(tmp_path / "datapackage.json")).validate()
    errors = [error.message for task in report.tasks for error in task.errors]
    assert report.valid, errors
    assert report.stats["tasks"] == 9


def test_a_fresh_registry_s_package_validates_with_every_header(client, tmp_path):
    """Issue 30: on a freshly seeded registry (no update submitted) the update tables were sent
    as 0 bytes, without their header row, and frictionless found 5 errors."""
    descriptor = _download(client, tmp_path)
    for resource in descriptor["resources"]:
        if resource["path"].endswith(".csv"):
            header = (tmp_path / resource["path"]).read_bytes().decode().split("\r\n", 1)[0]
            fields = [field["name"] for field in resource["schema"]["fields"]]
            assert header.split(",") == fields, resource["path"]
    report = Package(str(tmp_path / "datapackage.json")).validate()
    errors = [error.message for task in report.tasks for error in task.errors]
    assert report.valid, errors
    assert errors == []


def test_every_file_is_of_the_version_the_descriptor_names(client):
    descriptor = client.get("/api/v1/exports/datapackage.json").json()
    companies = client.get("/api/v1/exports/companies.csv")
    assert companies.headers["etag"] == f'"{descriptor["version"]}"'


def test_pandas_loads_each_table_with_the_descriptors_types_alone(client, keys, tmp_path):
    _submitted_update(client, keys)
    descriptor = _download(client, tmp_path)
    for resource in descriptor["resources"]:
        fields = resource["schema"]["fields"]
        dates = [f["name"] for f in fields if f["type"] in {"date", "datetime"}]
        types = {f["name"]: PANDAS_TYPES[f["type"]] for f in fields if f["name"] not in dates}
        frame = pd.read_csv(
            tmp_path / resource["path"],
            dtype=types,
            parse_dates=dates,
            keep_default_na=False,
            na_values={name: [""] for name in types if types[name] != "string"},
            true_values=["true"],
            false_values=["false"],
        )
        assert list(frame.columns) == [f["name"] for f in fields], resource["name"]
        assert not frame.empty, resource["name"]
        if resource["name"] == "endorsement-events":
            assert frame["framework_version"].iloc[0] == "2020"  # a string, not 2020
            assert str(frame["earliest"].dtype).startswith("datetime64")
        if resource["name"] == "entry-metrics":
            assert frame["value"].iloc[0] == 1200.0


def test_the_validation_would_catch_a_broken_file(client, tmp_path):
    """The check above can fail: a former name of a company the package lacks, or a file that
    no longer matches its hash, is reported."""
    _download(client, tmp_path)
    former = tmp_path / "former-names.csv"
    former.write_text(former.read_text() + "nobody,Nobody Inc,2020,year\r\n")
    report = Package(str(tmp_path / "datapackage.json")).validate()
    codes = {error.type for task in report.tasks for error in task.errors}
    assert not report.valid
    assert "foreign-key" in codes, codes
