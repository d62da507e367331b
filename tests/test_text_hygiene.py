"""Text that would mean different things per engine, or look like something it is not, is
refused: NUL anywhere (PostgreSQL refuses it, SQLite keeps it), and invisible characters in
company names; names are NFKC-normalised (issue 13, finding 6)."""

import pytest

from tests.conftest import auth

PROBLEM = "application/problem+json"


@pytest.mark.parametrize(
    "body",
    [
        {"slug": "nul-co", "name": "Nul\u0000Co"},
        {"slug": "nul-co", "name": "NulCo", "former_names": [{"name": "Old\u0000Co"}]},
        {"slug": "nul-co", "name": "NulCo", "country_note": "a\u0000b"},
    ],
)
def test_nul_in_a_body_is_422_on_both_engines(client, keys, body):
    response = client.post("/api/v1/companies", json=body, headers=auth(keys["admin"]))
    assert response.status_code == 422, response.text
    assert response.headers["content-type"] == PROBLEM
    assert "NUL" in response.text
    assert client.get("/api/v1/companies/nul-co").status_code == 404


@pytest.mark.parametrize(
    "url",
    ["/api/v1/companies?q=a%00b", "/api/v1/search?q=grooming%00", "/api/v1/updates?company=%00"],
)
def test_nul_in_a_query_is_422_on_both_engines(client, url):
    response = client.get(url)
    assert response.status_code == 422, response.text
    assert response.headers["content-type"] == PROBLEM


@pytest.mark.parametrize(
    "name",
    ["Meta\u200b", "\u202eateM", "Me\u2066ta\u2069", "\ufeffMeta", "Meta\u200d"],
    ids=["zero-width space", "right-to-left override", "isolate", "byte order mark", "joiner"],
)
def test_invisible_characters_in_a_name_are_refused(client, keys, name):
    body = {"slug": "lookalike", "name": name}
    response = client.post("/api/v1/companies", json=body, headers=auth(keys["admin"]))
    assert response.status_code == 422, response.text
    assert "invisible" in response.text


def test_names_are_nfkc_normalised(client, keys):
    full_width = "\uff37\uff49\uff44\uff45 \uff23\uff4f"  # "Wide Co" in full-width forms
    ligature = "\ufb01ne Co"  # "fi" as one ligature character
    body = {"slug": "wide", "name": full_width, "former_names": [{"name": ligature}]}
    created = client.post("/api/v1/companies", json=body, headers=auth(keys["admin"]))
    assert created.status_code == 201, created.text
    assert created.json()["name"] == "Wide Co"
    assert created.json()["former_names"][0]["name"] == "fine Co"
    assert [c["slug"] for c in client.get("/api/v1/companies?q=wide co").json()["items"]] == [
        "wide"
    ]
