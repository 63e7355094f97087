"""The envelope around every request: request id, access log line, and a last-resort 500.

Pure ASGI (no ``BaseHTTPMiddleware``), so it costs one function call per request. It

* takes the caller's ``X-Request-ID`` when it is a sane token (at most 128 of
  ``[A-Za-z0-9._:-]``), else makes one, stores it in ``scope["state"]["request_id"]`` for the
  handler, and puts it on the response;
* turns any exception that escapes the app into the API's structured 500 (the traceback
  goes to the server log, never to the client);
* writes one access-log line per request on ``kaizen_client.server.access``: method, raw
  path without the query string, status, milliseconds, principal (a key fingerprint, see
  :mod:`.auth`) and request id. Headers and bodies are never logged, so keys are not either.
"""

from __future__ import annotations

import json
import logging
import re
import time
import uuid
from typing import TYPE_CHECKING, Any

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from ..service.routing import error_body

if TYPE_CHECKING:
    from .metrics import Metrics

access_logger = logging.getLogger("kaizen_client.server.access")
logger = logging.getLogger("kaizen_client.server")

_REQUEST_ID = re.compile(r"[A-Za-z0-9._:\-]{1,128}")
_MAX_LOGGED_PATH = 200


def accepted_request_id(value: str | None) -> str:
    """The caller's request id if it is safe to echo and log, else a fresh one."""
    if value is not None and _REQUEST_ID.fullmatch(value):
        return value
    return uuid.uuid4().hex


def _header(scope: Scope, name: bytes) -> str | None:
    for key, value in scope.get("headers", ()):
        if key.lower() == name:
            return bytes(value).decode("latin-1")
    return None


def _logged_path(scope: Scope) -> str:
    raw = scope.get("raw_path") or scope.get("path", "").encode("utf-8")
    path = bytes(raw).split(b"?", 1)[0].decode("ascii", "backslashreplace")
    return path if len(path) <= _MAX_LOGGED_PATH else path[:_MAX_LOGGED_PATH] + "..."


class RequestContextMiddleware:
    """Request id in and out, a structured 500 for escaped errors, one access-log line."""

    def __init__(self, app: ASGIApp, metrics: Metrics | None = None) -> None:
        self.app = app
        self.metrics = metrics

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        request_id = accepted_request_id(_header(scope, b"x-request-id"))
        state: dict[str, Any] = scope.setdefault("state", {})
        state["request_id"] = request_id
        started = time.perf_counter()
        status: list[int] = []
        echo = request_id.encode("latin-1")

        async def send_with_id(message: Message) -> None:
            if message["type"] == "http.response.start":
                status.append(message["status"])
                headers = [(k, v) for k, v in message.get("headers", []) if k != b"x-request-id"]
                headers.append((b"x-request-id", echo))
                message = {**message, "headers": headers}
            await send(message)

        try:
            await self.app(scope, receive, send_with_id)
        except Exception:
            logger.exception("unhandled error (request %s)", request_id)
            if status:  # the response already started: all we can do is drop the connection
                raise
            await _send_internal_error(send_with_id, request_id)
        finally:
            if self.metrics is not None:
                elapsed = time.perf_counter() - started
                self.metrics.observe(scope.get("path", ""), status[0] if status else 0, elapsed)
            if access_logger.isEnabledFor(logging.INFO):
                access_logger.info(
                    "%s %s %s %.1fms principal=%s request_id=%s",
                    scope.get("method", "-"),
                    _logged_path(scope),
                    status[0] if status else "-",
                    (time.perf_counter() - started) * 1000,
                    state.get("principal", "-"),
                    request_id,
                )


async def _send_internal_error(send: Send, request_id: str) -> None:
    body = json.dumps(error_body("internal_error", "internal error", request_id)).encode()
    await send(
        {
            "type": "http.response.start",
            "status": 500,
            "headers": [
                (b"content-type", b"application/json"),
                (b"content-length", str(len(body)).encode()),
            ],
        }
    )
    await send({"type": "http.response.body", "body": body})
