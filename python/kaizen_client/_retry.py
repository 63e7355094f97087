"""When to retry and how long to wait: pure functions, so tests need no clock and no sleep.

The policy is openai-python's (``_base_client.py``: ``_parse_retry_after_header``,
``_calculate_retry_timeout``, ``_should_retry``), with one deliberate difference: a server
that asks for a wait longer than :data:`MAX_RETRY_AFTER_DELAY` is not retried at all (the
error is raised at once with its ``retry_after``), where openai-python falls back to its own
short backoff and hits the same limit again.

* ``retry-after-ms`` (milliseconds) wins over ``retry-after`` (seconds or an HTTP date);
* a hint is honoured only when ``0 < seconds <= 120``; zero, negative or unreadable hints
  fall back to the exponential backoff, which is never near zero;
* backoff is ``0.5 * 2**n`` seconds capped at 8, minus at most 25 % jitter;
* ``x-should-retry: true|false`` from the server overrides the status rules.

A POST is retried safely because the client sends one ``Idempotency-Key`` per logical call
and the server (and the local engine) answer a repeated key with the first result.
"""

from __future__ import annotations

import email.utils
import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Literal

import httpx

#: First backoff, in seconds (openai-python's ``INITIAL_RETRY_DELAY``).
INITIAL_RETRY_DELAY = 0.5
#: Longest backoff, in seconds (openai-python's ``MAX_RETRY_DELAY``).
MAX_RETRY_DELAY = 8.0
#: Longest server-requested wait that is honoured; a longer one is not retried at all.
MAX_RETRY_AFTER_DELAY = 2 * 60.0
#: At most this fraction of a backoff is taken off at random, so sleeps never approach zero.
MAX_JITTER = 0.25

#: Transport failures worth another try: the network or the server hiccuped.
RETRYABLE_EXCEPTIONS: tuple[type[Exception], ...] = (
    httpx.TimeoutException,
    httpx.NetworkError,
    httpx.RemoteProtocolError,
)


def is_retryable_status(status: int, headers: Mapping[str, str] | None = None) -> bool:
    """408, 409, 429 and every 5xx, unless the server says otherwise in ``x-should-retry``."""
    hint = headers.get("x-should-retry") if headers is not None else None
    if hint == "true":
        return True
    if hint == "false":
        return False
    return status in (408, 409, 429) or 500 <= status < 600


def is_retryable_exception(exc: BaseException) -> bool:
    return isinstance(exc, RETRYABLE_EXCEPTIONS)


def parse_retry_after(headers: Mapping[str, str] | None, now: float) -> float | None:
    """Seconds the server asked us to wait, from ``retry-after-ms`` or ``retry-after``, or None.

    ``retry-after`` may be delta-seconds (floats accepted) or an HTTP date, read against
    ``now`` (epoch seconds). The value is returned as given, negative included: deciding
    whether to honour it is :meth:`RetryPolicy.decide`'s job.
    """
    if headers is None:
        return None
    millis = _finite(headers.get("retry-after-ms"))
    if millis is not None:
        return millis / 1000.0
    raw = headers.get("retry-after")
    if raw is None:
        return None
    seconds = _finite(raw)
    if seconds is not None:
        return seconds
    parsed = email.utils.parsedate_tz(raw.strip())
    if parsed is None:
        return None
    try:
        return float(email.utils.mktime_tz(parsed)) - now
    except (OverflowError, ValueError):
        return None


def _finite(raw: str | None) -> float | None:
    if raw is None:
        return None
    try:
        value = float(raw.strip())
    except ValueError:
        return None
    return value if math.isfinite(value) else None


@dataclass(frozen=True, slots=True)
class Decision:
    """What to do after a retryable failure: ``retry`` after ``delay`` s, or ``give_up``."""

    action: Literal["retry", "give_up"]
    delay: float = 0.0


@dataclass(frozen=True, slots=True)
class RetryPolicy:
    """openai-python's backoff; a server's hint is followed when it is reasonable."""

    max_retries: int = 2
    initial_delay: float = INITIAL_RETRY_DELAY
    max_delay: float = MAX_RETRY_DELAY
    max_retry_after: float = MAX_RETRY_AFTER_DELAY

    def backoff(self, retry_number: int, random: Callable[[], float]) -> float:
        """``initial * 2**n`` s capped at ``max_delay``, minus up to 25 %; ``n`` counts from 0."""
        base = min(self.initial_delay * (2.0 ** min(retry_number, 1000)), self.max_delay)
        return base * (1.0 - MAX_JITTER * random())

    def decide(
        self, retry_number: int, retry_after: float | None, random: Callable[[], float]
    ) -> Decision:
        """Retry ``retry_number`` (0 for the first retry): how long to wait, or give up."""
        if retry_after is not None and retry_after > self.max_retry_after:
            return Decision("give_up")
        if retry_after is not None and retry_after > 0:
            return Decision("retry", retry_after)
        return Decision("retry", self.backoff(retry_number, random))


__all__ = [
    "INITIAL_RETRY_DELAY",
    "MAX_JITTER",
    "MAX_RETRY_AFTER_DELAY",
    "MAX_RETRY_DELAY",
    "Decision",
    "RetryPolicy",
    "is_retryable_exception",
    "is_retryable_status",
    "parse_retry_after",
]
