"""Local and remote modes agree: same bodies (minus request_id), same exception classes.

Remote mode runs over ``httpx.MockTransport`` whose handler is what the server does: call
``service.handle_request`` with the request's method, path, body and X-Request-ID.
"""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from kaizen_client import KaizenAPIError
from kaizen_client.service import handle_request

MESSAGES = [
    {"role": "system", "content": "You are concise."},
    {
        "role": "user",
        "content": 'Summarise: {"orders": [{"id": 1, "sku": "A-1", "qty": 2}, '
        '{"id": 2, "sku": "B-7", "qty": 1}, {"id": 3, "sku": "C-3", "qty": 5}]}',
    },
]
DATA = {"rows": [{"id": i, "name": f"item {i}", "ok": i % 2 == 0} for i in range(12)]}

CASES: list[tuple[str, str, dict[str, Any] | None, str]] = [
    ("health", "health", None, "HealthResponse"),
    ("compress-toon", "compress", {"data": DATA, "options": {"mode": "toon"}}, "KaizenResponse"),
    ("compress-auto", "compress", {"data": DATA}, "KaizenResponse"),
    ("optimize", "optimize", {"data": DATA, "token_models": ["gpt-4o", "gpt-4"]}, "KaizenResponse"),
    ("decompress", "decompress", {"data": "a[3]: 1,2,3"}, "KaizenResponse"),
    (
        "prompts-encode",
        "prompts_encode",
        {"prompt": {"messages": MESSAGES}},
        "PromptsEncodeResponse",
    ),
    (
        "prompts-encode-str",
        "prompts_encode",
        {"prompt": "hello", "token_models": ["gpt-4o"]},
        "PromptsEncodeResponse",
    ),
    (
        "optimize-request",
        "optimize_request",
        {"prompt": {"messages": MESSAGES}},
        "OptimizeRequestResponse",
    ),
    ("optimize-response", "optimize_response", {"ktof": "a[2]: x,y"}, "KaizenResponse"),
    ("prompts-decode", "prompts_decode", {"ktof": "a[2]: x,y"}, "KaizenResponse"),
    # invalid input
    ("missing-field", "compress", {"not_data": 1}, "KaizenValidationError"),
    ("bad-option", "compress", {"data": 1, "options": {"delimiter": ";"}}, "KaizenValidationError"),
    ("bad-ktof", "decompress", {"data": "a[3]: 1,2"}, "KaizenValidationError"),
    ("wrong-type", "decompress", {"data": 5}, "KaizenValidationError"),
    ("no-source", "prompts_decode", {}, "KaizenValidationError"),
    ("unknown-payload-id", "prompts_decode", {"payload_id": "nope"}, "KaizenNotFoundError"),
]


def engine_handler(request: httpx.Request) -> httpx.Response:
    rid = request.headers["x-request-id"]
    status, body = handle_request(
        request.method, request.url.path, request.content or None, request_id=rid
    )
    return httpx.Response(status, json=body, headers={"x-request-id": rid})


def _strip_request_id(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _strip_request_id(v) for k, v in value.items() if k != "request_id"}
    if isinstance(value, list):
        return [_strip_request_id(v) for v in value]
    return value


async def _outcome(h: Any, operation: str, payload: dict[str, Any] | None) -> tuple[str, Any]:
    args = () if payload is None else (payload,)
    try:
        resp = await h.call(operation, *args)
    except KaizenAPIError as err:
        return type(err).__name__, (err.status_code, err.code, _strip_request_id(err.payload))
    body = resp.to_dict()
    if operation == "health":
        body.pop("mode", None)  # the one field that is meant to differ
    return type(resp).__name__, _strip_request_id(body)


@pytest.mark.parametrize(
    ("operation", "payload", "expected"), [c[1:] for c in CASES], ids=[c[0] for c in CASES]
)
async def test_local_and_remote_agree(
    make: Any, operation: str, payload: dict[str, Any] | None, expected: str
) -> None:
    local = make(base_url="local")
    remote = make(engine_handler, max_retries=0)
    assert local.client.mode == "local" and remote.client.mode == "remote"
    local_outcome = await _outcome(local, operation, payload)
    remote_outcome = await _outcome(remote, operation, payload)
    assert local_outcome[0] == expected, local_outcome
    assert local_outcome == remote_outcome
    assert remote.requests  # the remote side really went through httpx
