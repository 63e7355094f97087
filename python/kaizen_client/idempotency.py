"""Idempotency keys: one per logical call, so a retried POST is answered, not redone.

The client sends ``Idempotency-Key: kaizen-python-retry-<uuid4>`` (openai-python sends
``stainless-python-retry-<uuid4>``) on every POST, built once per call and repeated on each
retry; a caller may pass its own per call. The reference server and the local engine keep the
first successful answer for a key, scoped to the API key that sent it, and give it back for
any repeat instead of running the operation again; ``prompts_encode`` retried stores one
payload, not three.

This module holds what both sides share: the header, key checks, the request fingerprint (a
key reused with a different request is an error, not a replay) and :class:`ResultCache`, the
bounded, expiring, thread-safe memory the local engine uses and the server's in-memory store
is built on.
"""

from __future__ import annotations

import hashlib
import threading
import time
import uuid
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

IDEMPOTENCY_HEADER = "Idempotency-Key"
#: Response header set when the answer is a replay of an earlier one.
REPLAYED_HEADER = "Idempotent-Replayed"
KEY_PREFIX = "kaizen-python-retry-"
#: Longest key accepted (Stripe's limit); longer keys are refused, not truncated.
MAX_KEY_LENGTH = 255
#: Defaults for the local engine's cache: an hour, a thousand answers, 32 MiB.
DEFAULT_TTL = 3600.0
DEFAULT_MAX_ENTRIES = 1000
DEFAULT_MAX_BYTES = 32 * 1024 * 1024


def new_idempotency_key() -> str:
    """A fresh key for one logical call."""
    return KEY_PREFIX + str(uuid.uuid4())


def valid_key(key: str) -> bool:
    """1..255 visible ASCII characters: anything else is refused with a 400."""
    # str methods, not a per-character loop: this runs on every POST.
    return 0 < len(key) <= MAX_KEY_LENGTH and key.isascii() and key.isprintable() and " " not in key


def fingerprint(method: str, path: str, body: bytes | None) -> str:
    """What must match for a repeated key to be a replay: method, path and body bytes."""
    digest = hashlib.sha256()
    digest.update(method.upper().encode())
    digest.update(b" ")
    digest.update(path.encode())
    digest.update(b"\n")
    digest.update(body or b"")
    return digest.hexdigest()


@dataclass(frozen=True, slots=True)
class StoredResult:
    """The first answer to a key: status, JSON body, and the request it answered."""

    status: int
    payload: Any
    fingerprint: str
    size: int


@dataclass(slots=True)
class _Entry:
    result: StoredResult
    expires_at: float


class ResultCache:
    """First answers by ``(owner, key)``: expiring after ``ttl``, at most ``max_entries`` and
    ``max_bytes`` (oldest forgotten first), safe to share between threads.

    Entries are kept in insertion order, which with one TTL is also expiry order, so each
    expired entry costs O(1) to sweep.
    """

    def __init__(
        self,
        *,
        ttl: float = DEFAULT_TTL,
        max_entries: int = DEFAULT_MAX_ENTRIES,
        max_bytes: int = DEFAULT_MAX_BYTES,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        if ttl <= 0 or max_entries <= 0 or max_bytes <= 0:
            raise ValueError("ResultCache needs ttl, max_entries and max_bytes > 0")
        self.ttl = ttl
        self.max_entries = max_entries
        self.max_bytes = max_bytes
        self._clock = clock
        self._entries: OrderedDict[tuple[str, str], _Entry] = OrderedDict()
        self._bytes = 0
        self._lock = threading.Lock()

    def __len__(self) -> int:
        return len(self._entries)

    @property
    def bytes_used(self) -> int:
        return self._bytes

    def get(self, owner: str, key: str) -> StoredResult | None:
        with self._lock:
            self._sweep(self._clock())
            entry = self._entries.get((owner, key))
            return entry.result if entry is not None else None

    def put_first(self, owner: str, key: str, result: StoredResult) -> StoredResult:
        """Keep ``result`` unless the key already has an answer; return the answer kept."""
        with self._lock:
            now = self._clock()
            self._sweep(now)
            existing = self._entries.get((owner, key))
            if existing is not None:
                return existing.result
            if result.size > self.max_bytes:
                return result  # too large to keep: answered, not remembered
            while self._entries and (
                len(self._entries) >= self.max_entries or self._bytes + result.size > self.max_bytes
            ):
                self._drop_oldest()
            self._entries[(owner, key)] = _Entry(result, now + self.ttl)
            self._bytes += result.size
            return result

    def _sweep(self, now: float) -> None:
        while self._entries:
            entry = next(iter(self._entries.values()))
            if entry.expires_at > now:
                return
            self._drop_oldest()

    def _drop_oldest(self) -> None:
        _, entry = self._entries.popitem(last=False)
        self._bytes -= entry.result.size

    def __repr__(self) -> str:
        return (
            f"ResultCache(ttl={self.ttl}, entries={len(self._entries)}/{self.max_entries}, "
            f"bytes={self._bytes}/{self.max_bytes})"
        )


__all__ = [
    "IDEMPOTENCY_HEADER",
    "KEY_PREFIX",
    "MAX_KEY_LENGTH",
    "REPLAYED_HEADER",
    "ResultCache",
    "StoredResult",
    "fingerprint",
    "new_idempotency_key",
    "valid_key",
]
