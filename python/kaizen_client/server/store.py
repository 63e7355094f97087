"""Where ``prompts.encode`` results wait for ``prompts.decode``: a tiny interface plus memory.

The interface is async so a networked store (Redis: ``SET id text EX ttl`` plus a longer-lived
tombstone key for 410) can implement it without blocking the event loop. Payloads belong to
the principal that stored them: another caller asking for the id is told it does not exist.

Every entry is charged its real footprint against the byte budget: the text's UTF-8 bytes
plus the id, the owner and a fixed per-entry overhead (:data:`ENTRY_OVERHEAD`, the Python
objects around them), so a flood of empty prompts is bounded too; ``max_entries`` caps the
count outright.

The in-memory store keeps entries in insertion order, which with one TTL is also expiry
order, so sweeping is O(1) per expired entry. Expired (or evicted) ids leave a tombstone so
they answer 410 rather than 404; tombstones are capped in number, the oldest forgotten first.
"""

from __future__ import annotations

import secrets
import time
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass
from typing import Literal, Protocol

LookupState = Literal["found", "expired", "unknown"]


@dataclass(frozen=True, slots=True)
class Lookup:
    """What a store knows about an id: the text when ``state == "found"``."""

    state: LookupState
    text: str | None = None


class PayloadStore(Protocol):
    """What the server needs from a payload store."""

    async def put(self, owner: str, text: str) -> str:
        """Store ``text`` for ``owner``; return a new unguessable id."""
        ...

    async def get(self, owner: str, payload_id: str) -> Lookup:
        """``found`` (with text), ``expired`` (it existed) or ``unknown``."""
        ...


ENTRY_OVERHEAD = 256
"""Bytes charged per entry beyond its strings: dict slot, entry object, str headers, float."""

DEFAULT_MAX_ENTRIES = 100_000


def footprint(payload_id: str, owner: str, text: str) -> int:
    """What one entry costs the budget: its strings plus :data:`ENTRY_OVERHEAD`."""
    return (
        len(text.encode("utf-8", "surrogatepass")) + len(payload_id) + len(owner) + ENTRY_OVERHEAD
    )


def new_payload_id() -> str:
    """128 random bits, URL-safe; the prefix makes ids recognisable in logs."""
    return "pl_" + secrets.token_urlsafe(16)


@dataclass(slots=True)
class _Entry:
    owner: str
    text: str
    expires_at: float
    size: int


class InMemoryPayloadStore:
    """A bounded, TTL'd dict: fine for one server process; lost on restart."""

    def __init__(
        self,
        *,
        ttl: float,
        max_bytes: int,
        max_entries: int = DEFAULT_MAX_ENTRIES,
        max_tombstones: int = 100_000,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.ttl = ttl
        self.max_bytes = max_bytes
        self.max_entries = max_entries
        self._max_tombstones = max_tombstones
        self._clock = clock
        self._entries: OrderedDict[str, _Entry] = OrderedDict()
        self._tombstones: OrderedDict[str, str] = OrderedDict()  # id -> owner
        self._bytes = 0

    @property
    def bytes_used(self) -> int:
        return self._bytes

    def __len__(self) -> int:
        return len(self._entries)

    async def put(self, owner: str, text: str) -> str:
        payload_id = new_payload_id()
        size = footprint(payload_id, owner, text)
        self._sweep(self._clock())
        if size > self.max_bytes or self.max_entries < 1:
            # Too big to keep at all: it is "gone" at once rather than evicting everything.
            self._bury(payload_id, owner)
            return payload_id
        while self._entries and (
            self._bytes + size > self.max_bytes or len(self._entries) >= self.max_entries
        ):
            self._evict_oldest()
        self._entries[payload_id] = _Entry(owner, text, self._clock() + self.ttl, size)
        self._bytes += size
        return payload_id

    async def get(self, owner: str, payload_id: str) -> Lookup:
        self._sweep(self._clock())
        entry = self._entries.get(payload_id)
        if entry is not None and entry.owner == owner:
            return Lookup("found", entry.text)
        if self._tombstones.get(payload_id) == owner:
            return Lookup("expired")
        return Lookup("unknown")

    def _sweep(self, now: float) -> None:
        while self._entries:
            entry = next(iter(self._entries.values()))
            if entry.expires_at > now:
                return
            self._evict_oldest()

    def _evict_oldest(self) -> None:
        payload_id, entry = self._entries.popitem(last=False)
        self._bytes -= entry.size
        self._bury(payload_id, entry.owner)

    def _bury(self, payload_id: str, owner: str) -> None:
        self._tombstones[payload_id] = owner
        while len(self._tombstones) > self._max_tombstones:
            self._tombstones.popitem(last=False)

    def __repr__(self) -> str:
        return (
            f"InMemoryPayloadStore(ttl={self.ttl}, entries={len(self._entries)}, "
            f"bytes={self._bytes}/{self.max_bytes})"
        )
