"""The retry policy as pure functions: openai-python's numbers, no clock and no sleep."""

from __future__ import annotations

import email.utils

import httpx
import pytest

from kaizen_client._retry import (
    MAX_RETRY_AFTER_DELAY,
    RetryPolicy,
    is_retryable_status,
    parse_retry_after,
)

NOW = 1_700_000_000.0


@pytest.mark.parametrize("n", range(8))
@pytest.mark.parametrize("r", [0.0, 0.25, 0.5, 0.999999, 1.0])
def test_backoff_is_half_a_second_doubling_to_8_minus_at_most_a_quarter(n: int, r: float) -> None:
    base = min(0.5 * 2**n, 8.0)
    delay = RetryPolicy().backoff(n, lambda: r)
    assert 0.75 * base <= delay <= base
    assert delay >= 0.375  # was full jitter: random() * ceiling, 0.003 s seen


def test_huge_retry_numbers_do_not_overflow() -> None:
    assert RetryPolicy().backoff(10_000, lambda: 0.0) == 8.0


@pytest.mark.parametrize(
    ("headers", "expected"),
    [
        ({}, None),
        ({"retry-after": "3"}, 3.0),
        ({"retry-after": " 2.5 "}, 2.5),
        ({"retry-after-ms": "1500", "retry-after": "9"}, 1.5),
        ({"retry-after-ms": "bad", "retry-after": "9"}, 9.0),
        ({"retry-after": "-4"}, -4.0),
        ({"retry-after": "inf"}, None),
        ({"retry-after": "soon"}, None),
        ({"retry-after": email.utils.formatdate(NOW + 45, usegmt=True)}, 45.0),
    ],
)
def test_parse_retry_after(headers: dict[str, str], expected: float | None) -> None:
    assert parse_retry_after(httpx.Headers(headers), NOW) == expected


@pytest.mark.parametrize(
    ("hint", "action", "delay"),
    [
        (None, "retry", 0.5),
        (0.0, "retry", 0.5),
        (-1.0, "retry", 0.5),
        (0.01, "retry", 0.01),
        (MAX_RETRY_AFTER_DELAY, "retry", MAX_RETRY_AFTER_DELAY),
        (MAX_RETRY_AFTER_DELAY + 0.001, "give_up", 0.0),
        (3600.0, "give_up", 0.0),
    ],
)
def test_decide_follows_reasonable_hints_and_gives_up_on_long_ones(
    hint: float | None, action: str, delay: float
) -> None:
    decision = RetryPolicy().decide(0, hint, lambda: 0.0)
    assert (decision.action, decision.delay) == (action, delay)


@pytest.mark.parametrize(
    ("status", "retry"),
    [
        *[(status, True) for status in (408, 409, 429, 500, 503, 599)],
        *[(status, False) for status in (400, 401, 404, 413, 422)],
    ],
)
def test_retryable_statuses_are_openai_pythons(status: int, retry: bool) -> None:
    assert is_retryable_status(status, httpx.Headers()) is retry
    assert is_retryable_status(status, httpx.Headers({"x-should-retry": "false"})) is False
    assert is_retryable_status(status, httpx.Headers({"x-should-retry": "true"})) is True
