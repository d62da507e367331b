"""A page's HTML and headers, made one way for the routes (`app/pages/router.py`) and for the
layer that answers the commonest pages before routing (`app/pages/stored.py`), so that both
give the same page byte for byte."""

from typing import Any

from app.access import PUBLIC_SCOPE
from app.api_index.schemas import CoverageNoticeRead
from app.core.etags import etag
from app.endorsements.schemas import ENDORSEMENT_NOTICE
from app.http.conditional import cache_headers
from app.pages.templating import ENVIRONMENT

HTML = "text/html; charset=utf-8"
# Pages load only their own stylesheet and images; nothing runs but what this origin serves.
POLICY = (
    "default-src 'none'; style-src 'self'; img-src 'self' data:; script-src 'self'; "
    "form-action 'self'; base-uri 'none'; frame-ancestors 'none'"
)


def html(template: str, twin: str, endorsing: int, **context: Any) -> bytes:
    """The page, with the notices every page carries (what endorsement means, what the
    registry holds: `endorsing` companies now) and a link to `twin`, its JSON."""
    return (
        ENVIRONMENT.get_template(template)
        .render(
            json_twin=twin,
            notice=ENDORSEMENT_NOTICE,
            coverage=CoverageNoticeRead.of(endorsing),
            **context,
        )
        .encode()
    )


def headers(data_version: str, twin: str) -> dict[str, str]:
    """A page's headers beside its type: it is public, versioned by the public data, confined by
    its policy, and names its JSON twin."""
    return {
        **cache_headers(PUBLIC_SCOPE, etag(data_version)),
        "Content-Security-Policy": POLICY,
        "Link": twin_link(twin),
    }


def twin_link(twin: str) -> str:
    return f'<{twin}>; rel="alternate"; type="application/json"'
