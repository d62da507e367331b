"""JSON logs, each line stamped with the id of the request it was written for."""

import json
import logging
import sys
import time
from contextvars import ContextVar
from typing import Any

REQUEST_ID_HEADER = "X-Request-ID"
_request_id: ContextVar[str | None] = ContextVar("request_id", default=None)
_server_request_id: ContextVar[str | None] = ContextVar("server_request_id", default=None)


def current_request_id() -> str | None:
    """The id of the request being answered: the client's X-Request-ID when it sent a usable
    one, else the server's own (None outside a request, e.g. in the CLI)."""
    return _request_id.get()


def current_server_request_id() -> str | None:
    """The id the server made for the request, whatever the client sent: unique, so that two
    clients choosing the same X-Request-ID never share one in the audit trail."""
    return _server_request_id.get()


def set_request_id(request_id: str, server_request_id: str | None = None) -> None:
    # Not reset afterwards: each request runs in its own task, and the server's last-resort
    # 500 handler, outside the middleware that sets it, still needs the id.
    _request_id.set(request_id)
    _server_request_id.set(server_request_id or request_id)


_make_record = logging.getLogRecordFactory()


def _record_with_request_id(*args: Any, **kwargs: Any) -> logging.LogRecord:
    # Stamped when the line is made, inside the request, wherever it is formatted later.
    record = _make_record(*args, **kwargs)
    record.request_id = _request_id.get()
    record.server_request_id = _server_request_id.get()
    return record


logging.setLogRecordFactory(_record_with_request_id)

_STANDARD_ATTRIBUTES = set(vars(logging.makeLogRecord({}))) | {"message", "asctime"}


class JsonFormatter(logging.Formatter):
    """One JSON object per line: time, level, logger, message, request id and any extras."""

    converter = staticmethod(time.gmtime)

    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, Any] = {
            "time": self.formatTime(record, "%Y-%m-%dT%H:%M:%S") + f".{int(record.msecs):03d}Z",
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
            "request_id": getattr(record, "request_id", None),
            "server_request_id": getattr(record, "server_request_id", None),
        }
        entry.update(
            (key, value) for key, value in vars(record).items() if key not in _STANDARD_ATTRIBUTES
        )
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        return json.dumps(entry, default=str)


def configure_logging(level: str) -> None:
    """Send every log line, Uvicorn's included, to stderr as JSON."""
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(JsonFormatter())
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level)
    for name in ("uvicorn", "uvicorn.error"):
        logging.getLogger(name).handlers[:] = []
        logging.getLogger(name).propagate = True
    # Our access line carries the request id; Uvicorn's own would only repeat it without.
    logging.getLogger("uvicorn.access").disabled = True
