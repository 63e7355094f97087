"""0.1.4's ``client=`` contract: any object with ``request(method, url, json=, headers=)``.

kaizen-client 0.1.4 called ``await client.request(method, url, json=..., headers=...)`` on
whatever it was given and read ``status_code``, ``headers``, ``json()`` and ``text`` from the
answer, so test doubles and thin wrappers written for it have only that method. Such an
object is wrapped here as an httpx transport: the clients keep a single code path (request
building, retries, deadlines, parsing) whether they were given an httpx client, a transport
or a 0.1.4-style object.
"""

from __future__ import annotations

import inspect
import json
from collections.abc import Mapping
from typing import Any, Protocol

import httpx

#: Headers httpx adds on its own; 0.1.4 never sent them to ``request()``.
_HTTPX_OWN = frozenset({"host", "content-length", "accept-encoding", "connection"})


class LegacyRequestClient(Protocol):
    """What 0.1.4 needed of ``client=``; ``request`` may be sync or async (awaited if so)."""

    def request(
        self, method: str, url: str, json: Any = None, headers: dict[str, str] | None = None
    ) -> Any: ...


def is_httpx_like(client: object) -> bool:
    """Whether ``client`` can be driven directly (``build_request`` and ``send``)."""
    return callable(getattr(client, "build_request", None)) and callable(
        getattr(client, "send", None)
    )


def is_legacy(client: object) -> bool:
    """Whether ``client`` is a 0.1.4-style object: ``request()`` but no ``build_request``."""
    return not is_httpx_like(client) and callable(getattr(client, "request", None))


class LegacyClientTransport(httpx.BaseTransport, httpx.AsyncBaseTransport):
    """Sends each request through ``legacy.request(...)`` and turns its answer into httpx's.

    The wrapped object is not closed when the transport is: like 0.1.4, a client the caller
    supplied stays the caller's.
    """

    def __init__(self, legacy: Any) -> None:
        self.legacy = legacy

    @staticmethod
    def _arguments(request: httpx.Request, body: bytes) -> tuple[tuple[str, str], dict[str, Any]]:
        headers = {
            name.decode("latin-1"): value.decode("latin-1")
            for name, value in request.headers.raw
            if name.decode("latin-1").lower() not in _HTTPX_OWN
        }
        payload = json.loads(body) if body else None
        return (request.method, str(request.url)), {"json": payload, "headers": headers}

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        args, kwargs = self._arguments(request, request.read())
        answer = self.legacy.request(*args, **kwargs)
        if inspect.isawaitable(answer):
            close = getattr(answer, "close", None)
            if callable(close):
                close()  # never awaited: silence "coroutine was never awaited"
            raise TypeError(
                f"{type(self.legacy).__name__}.request() is async; pass it to KaizenClient, "
                "not KaizenSyncClient"
            )
        return _to_httpx(answer, request)

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        args, kwargs = self._arguments(request, await request.aread())
        answer = self.legacy.request(*args, **kwargs)
        if inspect.isawaitable(answer):
            answer = await answer
        return _to_httpx(answer, request)

    def __repr__(self) -> str:
        return f"LegacyClientTransport({type(self.legacy).__name__})"


def _to_httpx(answer: Any, request: httpx.Request) -> httpx.Response:
    """An ``httpx.Response`` with the status, headers and body of a 0.1.4-style answer."""
    if isinstance(answer, httpx.Response):
        answer.read()
        return httpx.Response(
            answer.status_code,
            headers=[
                (k, v) for k, v in answer.headers.multi_items() if k.lower() != "content-encoding"
            ],
            content=answer.content,
            request=request,
        )
    status = int(answer.status_code)
    raw_headers = getattr(answer, "headers", None) or {}
    headers: list[tuple[str, str]] = [
        (str(k), str(v))
        for k, v in (raw_headers.items() if isinstance(raw_headers, Mapping) else raw_headers)
        if str(k).lower() not in ("content-length", "content-encoding")
    ]
    try:
        content = json.dumps(answer.json(), ensure_ascii=False).encode()
        if not any(k.lower() == "content-type" for k, _ in headers):
            headers.append(("content-type", "application/json"))
    except ValueError:
        content = str(getattr(answer, "text", "")).encode()
    return httpx.Response(status, headers=headers, content=content, request=request)


def adopt(client: Any, kind: str) -> tuple[Any, LegacyClientTransport | None]:
    """``(client, None)`` for an httpx-like client, ``(None, transport)`` for a 0.1.4 one.

    Anything else is refused here, naming what was passed, rather than failing on the first
    call with an AttributeError deep inside httpx.
    """
    if client is None or is_httpx_like(client):
        return client, None
    if is_legacy(client):
        return None, LegacyClientTransport(client)
    raise TypeError(
        f"client= must be an httpx.{kind} or an object with request(method, url, json=, "
        f"headers=) as in kaizen-client 0.1.4, not {type(client).__name__}"
    )


__all__ = ["LegacyClientTransport", "LegacyRequestClient", "adopt", "is_httpx_like", "is_legacy"]
