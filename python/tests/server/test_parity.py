"""The server answers with the local engine's JSON, byte for byte, for success and failure.

Only two differences are allowed, both added by the server on purpose: health says
``mode: "server"`` and ``prompts.encode`` adds the ``payload_id`` of the stored result.
"""

from __future__ import annotations

import json

import httpx
import pytest

from kaizen_client._transports import LocalEngineTransport

from .conftest import auth

ROWS = '[{"a": 1, "b": "x"}, {"a": 2, "b": "y"}, {"a": 3, "b": "z"}]'
CHAT = [{"role": "user", "content": f"data: {ROWS}"}]
CASES = [
    ("GET", "/", None),
    ("POST", "/v1/compress", {"data": {"rows": [{"a": 1}, {"a": 2}]}, "token_models": ["gpt-4o"]}),
    ("POST", "/v1/decompress", {"data": "a: 1\nb[2]: x,y", "metadata": {"m": 1}}),
    ("POST", "/v1/optimize", {"data": [1, 2, 3]}),
    ("POST", "/v1/optimize/request", {"prompt": {"messages": CHAT, "model": "m"}}),
    ("POST", "/v1/optimize/response", {"ktof": "[2]: 1,2"}),
    ("POST", "/v1/prompts/encode", {"prompt": CHAT}),
    ("POST", "/v1/prompts/decode", {"ktof": "k: v"}),
    ("POST", "/v1/prompts/decode", {"payload_id": "pl_unknown"}),
    ("POST", "/v1/decompress", {"data": "[3]: 1"}),
    ("POST", "/v1/compress", {"nothing": 1}),
    ("GET", "/v1/compress", None),
    ("GET", "/v9/nowhere", None),
]


@pytest.mark.parametrize(("method", "path", "body"), CASES)
async def test_server_and_local_mode_return_the_same_json(
    client: httpx.AsyncClient, method: str, path: str, body: object
) -> None:
    content = None if body is None else json.dumps(body).encode()
    headers = {**auth(), "x-request-id": "parity"}
    server = await client.request(method, path, content=content, headers=headers)
    async with httpx.AsyncClient(
        transport=LocalEngineTransport(), base_url="http://kaizen.local"
    ) as local_client:
        local = await local_client.request(method, path, content=content, headers=headers)
    assert server.status_code == local.status_code
    server_body, local_body = server.json(), local.json()
    if path == "/":
        assert (server_body.pop("mode"), local_body.pop("mode")) == ("server", "local")
    if path == "/v1/prompts/encode":
        assert server_body.pop("payload_id").startswith("pl_")
    assert server_body == local_body
