"""The answers that come from outside the routes, declared on every operation: middleware
(400, 408, 413, 415, 429), the key check (401), conditional GETs (304), the database or the server
failing (500, 503); the headers every layer adds; and errors only as problem+json."""

from typing import Any

from app.core.errors import PROBLEM_MEDIA_TYPE, problem_doc
from app.core.urls import API_PREFIX
from app.http.conditional import MAX_TAGS_LENGTH

TEXT = {"type": "string", "maxLength": 2000}
RETRY_AFTER = {
    "Retry-After": {
        "description": "Seconds to wait before trying again.",
        "schema": {"type": "integer", "format": "int32", "minimum": 1, "maximum": 86400},
    }
}
NOT_MODIFIED = {"description": "Not Modified: the ETag sent in If-None-Match is still current."}
EVERY_ANSWER = {
    "X-Request-ID": {
        "description": "This request's id (the client's own if it sent a plain one): quote it "
        "when reporting a problem.",
        "schema": {"type": "string", "maxLength": 128, "pattern": "^[A-Za-z0-9._:-]{1,128}$"},
    },
}
RATE_LIMITED = {
    "RateLimit": {
        "description": "What is left of the quota this request counted against, and when it "
        'resets (IETF RateLimit header fields), e.g. `"reads";r=1199;t=27`.',
        "schema": TEXT,
    },
    "RateLimit-Policy": {
        "description": 'The quota and its window, e.g. `"reads";q=1200;w=60`.',
        "schema": TEXT,
    },
}
CROSS_ORIGIN = {
    "Access-Control-Allow-Origin": {
        "description": "`*` on anonymous reads; on keyed requests and writes only an origin "
        "the registry names (VPR_CORS_ORIGINS), else absent.",
        "schema": TEXT,
    },
}
ETAG = {
    "ETag": {
        "description": "The data version this answer was made at (compare with If-None-Match); "
        "for one resource, also its version (send it as If-Match to change it).",
        "schema": TEXT,
    }
}
LOCATION = {"Location": {"description": "The URL of what was created.", "schema": TEXT}}
LINK = {
    "Link": {
        "description": 'RFC 8288 links to the next and previous pages (rel="next", "prev"), '
        "the same as the body's `next` and `prev`.",
        "schema": TEXT,
    }
}
IF_NONE_MATCH = {
    "name": "If-None-Match",
    "in": "header",
    "required": False,
    "description": "The ETag of your last answer: 304 Not Modified, with no body, while the "
    "data has not changed.",
    "schema": {"type": "string", "title": "If-None-Match", "maxLength": MAX_TAGS_LENGTH},
}


def statuses_of(path: str, method: str, operation: dict[str, Any]) -> dict[int, dict[str, Any]]:
    answers = {500: problem_doc(500), 503: problem_doc(503) | {"headers": RETRY_AFTER}}
    if path.startswith(API_PREFIX):
        answers |= {
            400: problem_doc(400),  # e.g. a key in the query string
            401: problem_doc(401),  # a key that is unknown, expired or revoked
            422: problem_doc(422),  # a query parameter the route does not take
            429: problem_doc(429) | {"headers": RETRY_AFTER},
        }
        if method == "get":
            answers[304] = NOT_MODIFIED
    if "requestBody" in operation:
        answers |= {
            400: problem_doc(400),
            408: problem_doc(408),  # the body did not arrive in time (app/http/body_guard.py)
            413: problem_doc(413),
            415: problem_doc(415),
        }
    return answers


def headers_of(path: str, method: str, status: str, body: dict[str, Any]) -> dict[str, Any]:
    """The headers an answer carries, by where it comes from."""
    headers: dict[str, Any] = dict(EVERY_ANSWER)
    if not path.startswith(API_PREFIX):
        return headers
    headers |= RATE_LIMITED | CROSS_ORIGIN
    if status in {"200", "201"}:
        headers |= ETAG
    if status == "201":
        headers |= LOCATION
    if method == "get" and status == "200" and _is_page(body):
        headers |= LINK
    return headers


def _is_page(body: dict[str, Any]) -> bool:
    schema = body.get("content", {}).get("application/json", {}).get("schema", {})
    return str(schema.get("$ref", "")).endswith("Page")


def only_problems(status: str, body: dict[str, Any]) -> None:
    """Errors are application/problem+json, whatever FastAPI's defaults declared."""
    if status[0] in "45" and "content" in body:
        problem = (
            body["content"].get(PROBLEM_MEDIA_TYPE)
            or problem_doc(500)["content"][PROBLEM_MEDIA_TYPE]
        )
        body["content"] = {PROBLEM_MEDIA_TYPE: problem}
