"""Text that would mean different things per engine, or look like something it is not, is
refused: NUL anywhere (PostgreSQL refuses it, SQLite keeps it), and invisible or reordering
characters in every free text (issue 29) and in company names; names are NFKC-normalised
(issue 13, finding 6)."""

import copy
from typing import Any

import pytest

from tests.conftest import auth
from tests.test_updates_workflow import DRAFT

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


READER_FOOLING = {
    "right-to-left override": "100\u202e000,1\u202c accounts",
    "zero-width space": "hash\u200bmatching",
    "byte order mark": "\ufeffAnnual update",
    "noncharacter": "Annual\ufdd0 update",
    "last noncharacter of a plane": "Annual update\U0010ffff",
}


def _free_texts(client, keys, text: str) -> dict[str, tuple[str, str, str, Any]]:
    """Where free text is written: (key role, method, URL, a body with `text` in one field)."""
    draft = client.post("/api/v1/updates", json=DRAFT, headers=auth(keys["company"])).json()
    narrative = copy.deepcopy(DRAFT)
    narrative["entries"][0]["narrative"] = text
    return {
        "update summary": ("company", "POST", "/api/v1/updates", DRAFT | {"summary": text}),
        "entry narrative": ("company", "POST", "/api/v1/updates", narrative),
        "cycle title": ("government", "POST", "/api/v1/reporting-cycles", {
            "title": text, "opens_on": "2030-01-04", "due_on": "2030-03-31",
            "period_start": "2029-01-01", "period_end": "2029-12-31",
        }),
        "key name": ("admin", "POST", "/api/v1/keys", {"name": text, "role": "ngo"}),
        "draft edit": ("company", "PATCH", draft["url"], {"summary": text}),
    }  # fmt: skip


@pytest.mark.parametrize("place", ["update summary", "entry narrative", "cycle title",
                                   "key name", "draft edit"])  # fmt: skip
@pytest.mark.parametrize("text", READER_FOOLING.values(), ids=READER_FOOLING.keys())
def test_one_rule_for_every_free_text(client, keys, place, text):
    """Issue 29: bidirectional and invisible characters and noncharacters were refused only in
    company names; in narratives, summaries, cycle titles and key names they reached the pages."""
    role, method, url, body = _free_texts(client, keys, text)[place]
    headers = auth(keys[role])
    if method == "PATCH":
        headers |= {"If-Match": client.get(url, headers=auth(keys[role])).headers["etag"]}
    response = client.request(method, url, json=body, headers=headers)
    assert response.status_code == 422, response.text
    assert response.headers["content-type"] == PROBLEM
    assert "invisible or reordering characters (U+" in response.text


def test_review_texts_follow_the_same_rule(client, keys):
    update = client.post("/api/v1/updates", json=DRAFT, headers=auth(keys["company"])).json()
    submitted = client.post(
        f"{update['url']}/submit",
        headers=auth(keys["company"]) | {"If-Match": client.get(update["url"], headers=auth(
            keys["company"])).headers["etag"]},
    )  # fmt: skip
    assert submitted.status_code == 200, submitted.text
    review = {"kind": "follow_up", "question": READER_FOOLING["right-to-left override"]}
    refused = client.post(f"{update['url']}/reviews", json=review, headers=auth(keys["government"]))
    assert refused.status_code == 422, refused.text


@pytest.mark.parametrize(
    "text", ["\u0645\u06cc\u200c\u062e\u0648\u0627\u0647\u0645", "क्\u200dष", "👩\u200d👩\u200d👧"]
)
def test_the_joiners_scripts_need_are_kept_in_free_text(client, keys, text):
    created = client.post(
        "/api/v1/updates", json=DRAFT | {"summary": text}, headers=auth(keys["company"])
    )
    assert created.status_code == 201, created.text
    assert created.json()["summary"] == text
