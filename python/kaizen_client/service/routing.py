"""``handle_request``: one HTTP-shaped entry point for every operation, which never raises.

The in-process transport of the client and the FastAPI server both call this, so local and
remote modes answer with the same statuses and bodies. It is the only place that maps
failures to HTTP statuses:

=====  ====================  ==========================================================
400    ``invalid_json``      body is not UTF-8 JSON (or is nested too deeply)
400    ``ktof_decode_error`` ``detail``: ``{"line", "message"}``
400    ``ktof_encode_error`` ``detail``: ``{"path", "message"}``
404    ``not_found``         unknown path, or an operation's unknown resource
405    ``method_not_allowed`` ``detail``: ``{"allowed": [...]}``
422    ``validation_error``  ``detail``: pydantic's error list
500    ``internal_error``    anything unexpected; logged, no traceback in the body
=====  ====================  ==========================================================
"""

from __future__ import annotations

import json
import logging
import math
import re
from typing import Any

from pydantic import ValidationError

from ..ktof import KTOFDecodeError, KTOFEncodeError
from ..models import REQUEST_MODELS, ROUTES
from . import operations
from .errors import ServiceError

logger = logging.getLogger("kaizen_client.service")

_BY_PATH: dict[str, tuple[str, str]] = {path: (method, op) for op, (method, path) in ROUTES.items()}


class _InvalidJSON(Exception):
    """The body could not be read as JSON."""


def normalize_path(path: str) -> str:
    """``path`` without query string, with one leading and no trailing slash."""
    path = path.split("?", 1)[0].split("#", 1)[0]
    return "/" + path.strip("/")


def error_body(code: str, message: str, request_id: str, detail: Any = None) -> dict[str, Any]:
    """The ``{"error": {...}}`` body every failure answers with."""
    return {"error": {"code": code, "message": message, "request_id": request_id, "detail": detail}}


def _reject_constant(name: str) -> Any:
    raise ValueError(f"{name} is not valid JSON")


# Escapes of lone surrogates and numbers too large for a float: rare, so looked for first and
# only then checked properly (answering them would mean a 500 or a non-JSON "Infinity").
_SUSPECT = re.compile(rb"\\u[dD][89a-fA-F]|[eE][+-]?\d{3}|\d{300}")


def _finite(text: str) -> float:
    value = float(text)
    if not math.isfinite(value):
        raise ValueError(f"number {text[:20]!r} is out of range")
    return value


def _parse_body(body: bytes | None) -> Any:
    if not body:
        raise _InvalidJSON("request body is empty; expected a JSON object")
    try:
        if _SUSPECT.search(body) is None:
            return json.loads(body, parse_constant=_reject_constant)
        data = json.loads(body, parse_constant=_reject_constant, parse_float=_finite)
        json.dumps(data, ensure_ascii=False).encode("utf-8")  # lone surrogates fail here
        return data
    except UnicodeEncodeError:
        raise _InvalidJSON("request body is not valid JSON: lone surrogate escape") from None
    except (ValueError, UnicodeDecodeError) as exc:
        raise _InvalidJSON(f"request body is not valid JSON: {exc}") from None
    except RecursionError:
        raise _InvalidJSON("request body is nested too deeply") from None


def handle_request(
    method: str, path: str, body: bytes | None, *, request_id: str
) -> tuple[int, dict[str, Any]]:
    """Route, validate, run; return ``(status, JSON body)`` for success and failure alike."""
    try:
        return _dispatch(method, path, body, request_id)
    except Exception:  # the contract is "never raises": anything left is our bug
        logger.exception("internal error handling %s %s (request %s)", method, path, request_id)
        return 500, error_body("internal_error", "internal error", request_id)


def _dispatch(
    method: str, path: str, body: bytes | None, request_id: str
) -> tuple[int, dict[str, Any]]:
    route = _BY_PATH.get(normalize_path(path))
    if route is None:
        return 404, error_body("not_found", f"no such path: {path}", request_id)
    expected, op = route
    if method.upper() != expected:
        return 405, error_body(
            "method_not_allowed",
            f"{method.upper()} is not allowed on {route_path(op)}",
            request_id,
            {"allowed": [expected]},
        )
    if op == "health":
        return 200, operations.health(request_id=request_id)
    try:
        payload = _parse_body(body)
    except _InvalidJSON as exc:
        return 400, error_body("invalid_json", str(exc), request_id)
    model = REQUEST_MODELS[op]
    assert model is not None
    try:
        request = model.model_validate(payload)
    except ValidationError as exc:
        detail = json.loads(exc.json(include_url=False))
        return 422, error_body("validation_error", "request body is invalid", request_id, detail)
    try:
        return 200, operations.OPERATIONS[op](request, request_id=request_id)
    except KTOFDecodeError as exc:
        detail = {"line": exc.line, "message": exc.msg}
        return 400, error_body("ktof_decode_error", str(exc), request_id, detail)
    except KTOFEncodeError as exc:
        detail = {"path": exc.path, "message": exc.msg}
        return 400, error_body("ktof_encode_error", str(exc), request_id, detail)
    except ServiceError as exc:
        return exc.status, error_body(exc.code, exc.message, request_id, exc.detail)


def route_path(op: str) -> str:
    return ROUTES[op][1]
