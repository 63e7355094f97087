"""The requests-per-minute pacer, on a fake clock (no real sleeping)."""

from __future__ import annotations

import asyncio

import pytest

from kaizen_client.evaluation.pacing import Pacer


def test_calls_start_60_over_rpm_apart() -> None:
    now = [100.0]
    starts: list[float] = []

    async def sleep(seconds: float) -> None:
        now[0] += seconds

    async def go() -> None:
        pacer = Pacer(120, clock=lambda: now[0], sleep=sleep)
        for _ in range(4):
            await pacer.wait()
            starts.append(now[0])

    asyncio.run(go())
    assert starts == [100.0, 100.5, 101.0, 101.5]


def test_no_rpm_never_sleeps() -> None:
    async def sleep(seconds: float) -> None:
        raise AssertionError("slept")

    async def go() -> None:
        pacer = Pacer(None, sleep=sleep)
        for _ in range(3):
            await pacer.wait()

    asyncio.run(go())


def test_non_positive_rpm_is_refused() -> None:
    with pytest.raises(ValueError, match="--rpm"):
        Pacer(0)


def test_progress_bar_counts_to_the_end() -> None:
    import io

    from kaizen_client.evaluation.runner import Progress

    out = io.StringIO()
    bar = Progress(3, out, enabled=True)
    for _ in range(3):
        bar.step()
    assert out.getvalue().endswith("] 3/3\n") and out.getvalue().count("\r") == 3
    quiet = io.StringIO()
    Progress(3, quiet, enabled=False).step()
    assert quiet.getvalue() == ""
