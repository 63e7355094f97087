"""JSON responses rendered exactly like the local transport's, so both modes send equal bytes."""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from starlette.responses import Response

from ..service.routing import error_body

JSON = "application/json"


def json_response(
    status: int, body: Any, request_id: str, headers: Mapping[str, str] | None = None
) -> Response:
    """``body`` as compact UTF-8 JSON with the request id echoed in ``X-Request-ID``."""
    content = json.dumps(body, ensure_ascii=False, separators=(",", ":")).encode()
    all_headers = {"x-request-id": request_id, **(headers or {})}
    return Response(content, status_code=status, headers=all_headers, media_type=JSON)


def error_response(
    status: int,
    code: str,
    message: str,
    request_id: str,
    detail: Any = None,
    headers: Mapping[str, str] | None = None,
) -> Response:
    """The API's ``{"error": {code, message, request_id, detail}}`` body with ``status``."""
    return json_response(status, error_body(code, message, request_id, detail), request_id, headers)
