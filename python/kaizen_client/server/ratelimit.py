"""Per-caller token buckets, so one runaway client cannot starve the others.

Each principal gets a bucket of ``requests`` tokens refilled at ``requests / per_seconds``
per second; a request takes one token, or is refused with the seconds until one is back
(the ``Retry-After`` value). The clock is injectable so tests need no sleeps. The server runs
one event loop and ``acquire`` never awaits, so no lock is needed. At most ``max_buckets``
buckets are kept (least recently used dropped first): a dropped bucket comes back full,
which only ever errs towards letting a request through.
"""

from __future__ import annotations

import math
import time
from collections import OrderedDict
from collections.abc import Callable
from typing import Protocol

from .settings import RateLimit


class RateLimiter(Protocol):
    """What the gateway needs from a limiter (in memory here, Redis in :mod:`.redis_state`)."""

    limit: RateLimit

    async def take(self, bucket: str, cost: int = 1) -> float:
        """Take ``cost`` tokens (0 = only look): 0.0 when allowed, else whole seconds to wait."""
        ...


DEFAULT_MAX_BUCKETS = 10_000


class TokenBucketLimiter:
    """``acquire(principal)`` -> 0.0 when allowed, else whole seconds to wait (>= 1)."""

    def __init__(
        self,
        limit: RateLimit,
        *,
        clock: Callable[[], float] = time.monotonic,
        max_buckets: int = DEFAULT_MAX_BUCKETS,
    ) -> None:
        self.limit = limit
        self._capacity = float(limit.requests)
        self._rate = limit.requests / limit.per_seconds  # tokens per second
        self._clock = clock
        self._max_buckets = max_buckets
        self._buckets: OrderedDict[str, tuple[float, float]] = OrderedDict()  # tokens, time

    async def take(self, bucket: str, cost: int = 1) -> float:
        return self.acquire(bucket, cost)

    def acquire(self, principal: str, cost: int = 1) -> float:
        now = self._clock()
        tokens, last = self._buckets.pop(principal, (self._capacity, now))
        tokens = min(self._capacity, tokens + (now - last) * self._rate)
        wait = 0.0
        if tokens >= 1.0:
            tokens -= cost
        else:
            wait = float(max(1, math.ceil((1.0 - tokens) / self._rate)))
        self._buckets[principal] = (tokens, now)
        while len(self._buckets) > self._max_buckets:
            self._buckets.popitem(last=False)
        return wait
