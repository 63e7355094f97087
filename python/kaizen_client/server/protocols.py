"""uvicorn's HTTP protocols plus a request-header deadline, so slowloris connections are closed.

uvicorn times out idle keep-alive connections but not a client that opens a connection and
sends its headers one byte a minute (or never): thousands of those hold file descriptors
until the process runs out. Here every connection must finish a request's headers within
``header_timeout`` seconds of connecting (or of its previous response, plus the keep-alive
timeout), else it is closed. The body has its own deadline in the gateway (408).

The classes are module-level so ``kaizen serve --workers N`` can name them in worker
processes; the timeout comes from ``KAIZEN_HEADER_TIMEOUT`` there, or from
:func:`protocol_class` for an in-process server with explicit settings.
"""

from __future__ import annotations

import asyncio
import os
from typing import Any

from uvicorn.protocols.http.h11_impl import H11Protocol

from .settings import DEFAULT_HEADER_TIMEOUT


def _env_header_timeout() -> float:
    raw = os.environ.get("KAIZEN_HEADER_TIMEOUT", "").strip()
    return float(raw) if raw else DEFAULT_HEADER_TIMEOUT


class HeaderDeadlineH11Protocol(H11Protocol):
    """h11 protocol that closes connections whose request headers are not complete in time."""

    header_timeout: float | None = None  # None: KAIZEN_HEADER_TIMEOUT (read once per process)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if type(self).header_timeout is None:
            type(self).header_timeout = _env_header_timeout()
        self._header_deadline: asyncio.TimerHandle | None = None
        self._waiting_after: object = None  # the cycle whose successor's headers we wait for

    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        super().connection_made(transport)
        self._arm(0.0)

    def data_received(self, data: bytes) -> None:
        super().data_received(data)
        if self._header_deadline is not None and self.cycle is not self._waiting_after:
            self._disarm()  # a new request's headers are complete

    def on_response_complete(self) -> None:
        super().on_response_complete()
        if (
            not self.transport.is_closing()
            and self.cycle is not None
            and self.cycle.response_complete
            and self._header_deadline is None
        ):
            self._arm(float(self.timeout_keep_alive))
        if self._header_deadline is not None and self.cycle is not self._waiting_after:
            self._disarm()  # a pipelined request was already parsed

    def connection_lost(self, exc: Exception | None) -> None:
        self._disarm()
        super().connection_lost(exc)

    def _arm(self, extra: float) -> None:
        self._disarm()
        self._waiting_after = self.cycle
        timeout = (type(self).header_timeout or DEFAULT_HEADER_TIMEOUT) + extra
        self._header_deadline = self.loop.call_later(timeout, self._headers_too_slow)

    def _disarm(self) -> None:
        if self._header_deadline is not None:
            self._header_deadline.cancel()
            self._header_deadline = None

    def _headers_too_slow(self) -> None:
        self._header_deadline = None
        if self.cycle is self._waiting_after and not self.transport.is_closing():
            self.transport.close()


def protocol_class(header_timeout: float) -> type[HeaderDeadlineH11Protocol]:
    """A subclass with a fixed header deadline, for a server started in this process."""
    return type(
        "HeaderDeadlineH11Protocol",
        (HeaderDeadlineH11Protocol,),
        {"header_timeout": header_timeout},
    )
