"""Local mode as an httpx transport: requests are answered by the engine in this process.

Because local mode is only a transport, local and remote clients share every line of request
building, retrying, error mapping and response parsing, and so raise the same exceptions for
the same bad input.

Async and the event loop: the engine is synchronous, CPU-bound Python. Small bodies are
handled inline, because a thread hop (tens of microseconds plus GIL hand-offs) would cost more
than the work. Bodies above ``thread_threshold`` bytes go to a worker thread through
``anyio.to_thread`` (anyio already ships with httpx and works under asyncio and trio), so one
multi-megabyte encode does not stall every other coroutine on the loop.
"""

from __future__ import annotations

import json
import uuid
from typing import Any

import anyio.to_thread
import httpx

#: Bodies larger than this are handled on a worker thread by the async transport.
DEFAULT_THREAD_THRESHOLD = 64 * 1024


def _engine_call(method: str, path: str, body: bytes | None, request_id: str) -> tuple[int, Any]:
    # Imported on first use so ``import kaizen_client`` stays light.
    from .service import handle_request

    return handle_request(method, path, body, request_id=request_id)


class LocalEngineTransport(httpx.BaseTransport, httpx.AsyncBaseTransport):
    """Serves both ``httpx.Client`` and ``httpx.AsyncClient`` from the in-process engine."""

    def __init__(self, *, thread_threshold: int = DEFAULT_THREAD_THRESHOLD) -> None:
        self.thread_threshold = thread_threshold

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        body = request.read()
        return self._respond(request, *self._call(request, body))

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        body = await request.aread()
        if len(body) > self.thread_threshold:
            result = await anyio.to_thread.run_sync(self._call, request, body)
        else:
            result = self._call(request, body)
        return self._respond(request, *result)

    @staticmethod
    def _request_id(request: httpx.Request) -> str:
        return request.headers.get("x-request-id") or uuid.uuid4().hex

    def _call(self, request: httpx.Request, body: bytes) -> tuple[int, Any]:
        return _engine_call(
            request.method, request.url.path, body or None, self._request_id(request)
        )

    def _respond(self, request: httpx.Request, status: int, payload: Any) -> httpx.Response:
        content = json.dumps(payload, ensure_ascii=False, separators=(",", ":")).encode()
        headers = {
            "content-type": "application/json",
            "x-request-id": self._request_id(request),
        }
        return httpx.Response(status, headers=headers, content=content, request=request)

    def __repr__(self) -> str:
        return f"LocalEngineTransport(thread_threshold={self.thread_threshold})"


__all__ = ["DEFAULT_THREAD_THRESHOLD", "LocalEngineTransport"]
