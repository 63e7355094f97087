"""Local mode as an httpx transport: requests are answered by the engine in this process.

Because local mode is only a transport, local and remote clients share every line of request
building, retrying, error mapping and response parsing, and so raise the same exceptions for
the same bad input.

Async and the event loop: the engine is synchronous, CPU-bound Python. Small bodies are
handled inline, because a thread hop (tens of microseconds plus GIL hand-offs) would cost more
than the work. Bodies above ``thread_threshold`` bytes go to a worker thread through
``anyio.to_thread`` (anyio already ships with httpx and works under asyncio and trio), so one
multi-megabyte encode does not stall every other coroutine on the loop.

Idempotency: like the reference server, the transport answers a POST whose
``Idempotency-Key`` it has already answered (same API key, same request) with the first
result, from a bounded, expiring :class:`~kaizen_client.idempotency.ResultCache`.
"""

from __future__ import annotations

import json
import uuid
from typing import Any

import anyio.to_thread
import httpx

from .idempotency import REPLAYED_HEADER, ResultCache, StoredResult, fingerprint, valid_key

#: Bodies larger than this are handled on a worker thread by the async transport.
DEFAULT_THREAD_THRESHOLD = 64 * 1024


def _engine_call(method: str, path: str, body: bytes | None, request_id: str) -> tuple[int, Any]:
    # Imported on first use so ``import kaizen_client`` stays light.
    from .service import handle_request

    return handle_request(method, path, body, request_id=request_id)


class LocalEngineTransport(httpx.BaseTransport, httpx.AsyncBaseTransport):
    """Serves both ``httpx.Client`` and ``httpx.AsyncClient`` from the in-process engine."""

    def __init__(
        self,
        *,
        thread_threshold: int = DEFAULT_THREAD_THRESHOLD,
        idempotency: ResultCache | None = None,
    ) -> None:
        self.thread_threshold = thread_threshold
        self.idempotency = idempotency if idempotency is not None else ResultCache()

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        body = request.read()
        scope, early = self._before(request, body)
        if early is not None:
            return early
        return self._finish(request, body, scope, self._call(request, body))

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        body = await request.aread()
        scope, early = self._before(request, body)
        if early is not None:
            return early
        if len(body) > self.thread_threshold:
            result = await anyio.to_thread.run_sync(self._call, request, body)
        else:
            result = self._call(request, body)
        return self._finish(request, body, scope, result)

    def _before(
        self, request: httpx.Request, body: bytes
    ) -> tuple[tuple[str, str] | None, httpx.Response | None]:
        """The ``(owner, key)`` scope of an idempotent POST (or None), and the answer when it
        comes without running the engine: a replay, a key conflict or a malformed key."""
        key = request.headers.get("idempotency-key") if request.method == "POST" else None
        if key is None:
            return None, None
        if not valid_key(key):
            message = "Idempotency-Key must be 1 to 255 visible ASCII characters"
            return None, self._respond(
                request, *_error(400, "invalid_idempotency_key", message, request)
            )
        scope = (request.headers.get("x-api-key", ""), key)
        stored = self.idempotency.get(*scope)
        if stored is None:
            return scope, None
        if stored.fingerprint != fingerprint(request.method, request.url.path, body):
            message = "Idempotency-Key was already used with a different request"
            return None, self._respond(
                request, *_error(422, "idempotency_key_reused", message, request)
            )
        return scope, self._send(request, stored.status, stored.payload, replayed=True)

    def _finish(
        self,
        request: httpx.Request,
        body: bytes,
        scope: tuple[str, str] | None,
        result: tuple[int, Any],
    ) -> httpx.Response:
        """The engine's answer as a response; a 200 to a key is kept, serialised once."""
        status, payload = result
        content = _dumps(payload)
        if scope is None or status != 200:
            return self._send(request, status, content)
        digest = fingerprint("POST", request.url.path, body)
        mine = StoredResult(status, content, digest, len(content))
        kept = self.idempotency.put_first(*scope, mine)
        return self._send(request, kept.status, kept.payload, replayed=kept is not mine)

    @staticmethod
    def _request_id(request: httpx.Request) -> str:
        return request.headers.get("x-request-id") or uuid.uuid4().hex

    def _call(self, request: httpx.Request, body: bytes) -> tuple[int, Any]:
        return _engine_call(
            request.method, request.url.path, body or None, self._request_id(request)
        )

    def _respond(self, request: httpx.Request, status: int, payload: Any) -> httpx.Response:
        return self._send(request, status, _dumps(payload))

    def _send(
        self, request: httpx.Request, status: int, content: bytes, *, replayed: bool = False
    ) -> httpx.Response:
        headers = {
            "content-type": "application/json",
            "x-request-id": self._request_id(request),
        }
        if replayed:
            headers[REPLAYED_HEADER.lower()] = "true"
        return httpx.Response(status, headers=headers, content=content, request=request)

    def __repr__(self) -> str:
        return f"LocalEngineTransport(thread_threshold={self.thread_threshold})"


def _dumps(payload: Any) -> bytes:
    return json.dumps(payload, ensure_ascii=False, separators=(",", ":")).encode()


def _error(status: int, code: str, message: str, request: httpx.Request) -> tuple[int, Any]:
    """An error the transport answers itself, in the server's (and engine's) error shape."""
    request_id = LocalEngineTransport._request_id(request)
    error = {"code": code, "message": message, "request_id": request_id, "detail": None}
    return status, {"error": error}


__all__ = ["DEFAULT_THREAD_THRESHOLD", "LocalEngineTransport"]
