"""/docs (Swagger UI) and /redoc served with their assets from the app: no CDN, no Google Fonts,
so the documentation works offline and inside networks that block third parties. The assets are
fastapi-offline's pinned copies of swagger-ui-dist and the ReDoc bundle.

Each page gets a Content-Security-Policy that lets in only this origin and the page's own inline
script (by its SHA-256); every answer of the app says `X-Content-Type-Options: nosniff`.
"""

import base64
import hashlib
import re
from collections.abc import Callable
from pathlib import Path

import fastapi_offline
from fastapi import APIRouter, FastAPI
from fastapi.openapi.docs import get_redoc_html, get_swagger_ui_html
from fastapi.staticfiles import StaticFiles
from starlette.responses import HTMLResponse

ASSETS_URL = "/docs-assets"
ASSETS = Path(fastapi_offline.__file__).with_name("static")
_INLINE_SCRIPT = re.compile(rb"<script>(.*?)</script>", re.DOTALL)


def _with_policy(page: HTMLResponse, workers: str = "'none'") -> Callable[[], HTMLResponse]:
    """What answers each request for the page: a new response (middleware may add headers to
    one in place) with the page's bytes and its policy."""
    hashes = " ".join(
        "'sha256-" + base64.b64encode(hashlib.sha256(script).digest()).decode() + "'"
        for script in _INLINE_SCRIPT.findall(bytes(page.body))
    )
    policy = (
        f"default-src 'none'; script-src 'self' {hashes}; "
        # Both UIs set style attributes from script; ReDoc runs its search in a blob: worker.
        "style-src 'self' 'unsafe-inline'; img-src 'self' data:; font-src 'self'; "
        f"connect-src 'self'; worker-src {workers}; base-uri 'none'; form-action 'none'; "
        "frame-ancestors 'none'"
    )
    body = bytes(page.body)
    return lambda: HTMLResponse(body, headers={"Content-Security-Policy": policy})


def install_docs(app: FastAPI) -> None:
    """Serves the pages (made once: they depend only on the app's title and URLs)."""
    assert app.openapi_url is not None  # noqa: S101 - the app always publishes its contract
    swagger = _with_policy(
        get_swagger_ui_html(
            openapi_url=app.openapi_url,
            title=f"{app.title} - API documentation",
            swagger_js_url=f"{ASSETS_URL}/swagger-ui-bundle.js",
            swagger_css_url=f"{ASSETS_URL}/swagger-ui.css",
            swagger_favicon_url=f"{ASSETS_URL}/favicon.png",
        )
    )
    redoc = _with_policy(
        get_redoc_html(
            openapi_url=app.openapi_url,
            title=f"{app.title} - API reference",
            redoc_js_url=f"{ASSETS_URL}/redoc.standalone.js",
            redoc_favicon_url=f"{ASSETS_URL}/favicon.png",
            with_google_fonts=False,
        ),
        workers="blob:",
    )
    router = APIRouter(include_in_schema=False)
    router.add_api_route("/docs", swagger, response_class=HTMLResponse)
    router.add_api_route("/redoc", redoc, response_class=HTMLResponse)
    app.include_router(router)
    app.mount(ASSETS_URL, StaticFiles(directory=ASSETS), name="docs-assets")
