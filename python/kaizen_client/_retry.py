"""When to retry and how long to wait: pure functions, so tests need no clock and no sleep.

Every Kaizen operation is idempotent (same input, same output, no server-side effects that
double up), so a request may be repeated after any transient failure, including a write
timeout where the server may already have seen the body.
"""

from __future__ import annotations

import email.utils
import math
from collections.abc import Callable
from dataclasses import dataclass

import httpx

#: Transport failures worth another try: the network or the server hiccuped.
RETRYABLE_EXCEPTIONS: tuple[type[Exception], ...] = (
    httpx.TimeoutException,
    httpx.NetworkError,
    httpx.RemoteProtocolError,
)


def is_retryable_status(status: int) -> bool:
    """408, 429 and every 5xx; never another 4xx (the same request would fail again)."""
    return status in (408, 429) or 500 <= status < 600


def is_retryable_exception(exc: BaseException) -> bool:
    return isinstance(exc, RETRYABLE_EXCEPTIONS)


def parse_retry_after(value: str | None, now: float) -> float | None:
    """Seconds to wait from a ``Retry-After`` value (delta-seconds or HTTP-date), or None."""
    if value is None:
        return None
    value = value.strip()
    try:
        seconds = float(value)
    except ValueError:
        try:
            when = email.utils.parsedate_to_datetime(value)
        except (TypeError, ValueError, IndexError):
            return None
        seconds = when.timestamp() - now
    if math.isnan(seconds) or math.isinf(seconds):
        return None
    return max(0.0, seconds)


@dataclass(frozen=True, slots=True)
class RetryPolicy:
    """Exponential backoff with full jitter; a server's ``Retry-After`` wins, up to a cap."""

    max_retries: int = 2
    backoff_base: float = 0.5
    backoff_max: float = 8.0
    retry_after_max: float = 60.0

    def delay(
        self, retry_number: int, retry_after: float | None, random: Callable[[], float]
    ) -> float:
        """Seconds before retry ``retry_number`` (0 for the first retry)."""
        if retry_after is not None:
            return min(retry_after, self.retry_after_max)
        ceiling = min(self.backoff_max, self.backoff_base * (2.0**retry_number))
        return random() * ceiling


__all__ = ["RetryPolicy", "is_retryable_exception", "is_retryable_status", "parse_retry_after"]
