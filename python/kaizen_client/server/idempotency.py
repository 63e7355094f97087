"""The server's memory of ``Idempotency-Key``s: a small async interface plus an in-memory store.

A POST carrying a key the same principal already used is answered with the first successful
response instead of running the operation again, so a client retry after a lost response
stores one ``prompts.encode`` payload, not three. The key is reused with a *different*
request (method, path or body) -> 422 ``idempotency_key_reused``. Two identical requests
racing: the second waits for the first and gets its answer. Only 200 answers are kept; a
failed first try leaves the key free for the retry to do the work.

The interface is what a networked store needs (issue 13 adds Redis: ``SET owner:key
PENDING NX PX``, the answer written over it, waiters polling), so the gateway never sees
memory details. Entries expire with the payload TTL and are bounded in number and bytes.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Literal, Protocol

import anyio

from ..idempotency import DEFAULT_MAX_ENTRIES, ResultCache, StoredResult

ClaimState = Literal["acquired", "replay", "conflict"]


@dataclass(frozen=True, slots=True)
class Claim:
    """``acquired``: run the operation, then ``complete``/``release``; ``replay``: answer
    ``result``; ``conflict``: the key belongs to another request."""

    state: ClaimState
    result: StoredResult | None = None


class IdempotencyStore(Protocol):
    """What the gateway needs to answer repeated keys."""

    async def claim(self, owner: str, key: str, fingerprint: str) -> Claim:
        """Take ``key`` for this request, or learn the answer it already has (may wait)."""
        ...

    async def complete(self, owner: str, key: str, result: StoredResult) -> StoredResult:
        """Record the answer of an ``acquired`` claim, wake whoever waits for it, and return
        the answer kept (an earlier one, should two claims have raced past a timeout)."""
        ...

    async def release(self, owner: str, key: str) -> None:
        """Give up an ``acquired`` claim without an answer (the operation failed)."""
        ...


class InMemoryIdempotencyStore:
    """One process's keys: answers in a :class:`ResultCache`, requests in flight in a dict.

    A duplicate arriving while the first is running waits on the first's event (at most
    ``wait_timeout`` seconds, then it runs the operation itself rather than hang).
    """

    def __init__(
        self,
        *,
        ttl: float,
        max_bytes: int,
        max_entries: int = DEFAULT_MAX_ENTRIES * 10,
        wait_timeout: float = 120.0,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.results = ResultCache(
            ttl=ttl, max_entries=max_entries, max_bytes=max_bytes, clock=clock
        )
        self.wait_timeout = wait_timeout
        self._in_flight: dict[tuple[str, str], tuple[str, anyio.Event]] = {}

    async def claim(self, owner: str, key: str, fingerprint: str) -> Claim:
        while True:
            stored = self.results.get(owner, key)
            if stored is not None:
                if stored.fingerprint != fingerprint:
                    return Claim("conflict")
                return Claim("replay", stored)
            running = self._in_flight.get((owner, key))
            if running is None:
                self._in_flight[(owner, key)] = (fingerprint, anyio.Event())
                return Claim("acquired")
            if running[0] != fingerprint:
                return Claim("conflict")
            with anyio.move_on_after(self.wait_timeout) as scope:
                await running[1].wait()
            if scope.cancelled_caught:
                return Claim("acquired")  # the first is stuck: do the work rather than hang

    async def complete(self, owner: str, key: str, result: StoredResult) -> StoredResult:
        kept = self.results.put_first(owner, key, result)
        await self.release(owner, key)
        return kept

    async def release(self, owner: str, key: str) -> None:
        running = self._in_flight.pop((owner, key), None)
        if running is not None:
            running[1].set()

    def __len__(self) -> int:
        return len(self.results)

    def __repr__(self) -> str:
        return f"InMemoryIdempotencyStore({self.results!r}, in_flight={len(self._in_flight)})"


__all__ = ["Claim", "IdempotencyStore", "InMemoryIdempotencyStore"]
