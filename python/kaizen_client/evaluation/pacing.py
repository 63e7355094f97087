"""Requests-per-minute pacing: calls start at least ``60 / rpm`` seconds apart, so a run stays
under a provider's rate limit instead of leaning on its 429 retries."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable


class Pacer:
    """``await pacer.wait()`` before each call; a no-op when ``rpm`` is None."""

    def __init__(
        self,
        rpm: float | None,
        *,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
    ) -> None:
        if rpm is not None and rpm <= 0:
            raise ValueError(f"--rpm must be positive, got {rpm}")
        self.interval = 60.0 / rpm if rpm else 0.0
        self._clock, self._sleep = clock, sleep
        self._next = 0.0
        self._lock = asyncio.Lock()

    async def wait(self) -> None:
        if not self.interval:
            return
        async with self._lock:
            now = self._clock()
            start = max(now, self._next)
            self._next = start + self.interval
        if start > now:
            await self._sleep(start - now)
