"""CompressionGuard: compress, or fall back (count, one redacted warning) or raise, the same way."""

from __future__ import annotations

import logging

import pytest

from kaizen_client.errors import KaizenError
from kaizen_client.integrations import (
    CompressionGuard,
    KaizenCompressionError,
    SavingsLedger,
    SavingsTotals,
    describe_error,
)

SECRET = "sk-guard-secret-31415"
log = logging.getLogger("kaizen_client.tests.guard")


def _boom() -> str:
    raise ConnectionError(f"refused with key {SECRET}")


def test_success_passes_the_value_through() -> None:
    guard = CompressionGuard(on_error="fallback", secrets=[SECRET], logger=log)
    outcome = guard.run(lambda: "compressed", "original", "here")
    assert outcome.value == "compressed" and not outcome.failed and outcome.error is None


def test_fallback_counts_logs_one_redacted_line(caplog: pytest.LogCaptureFixture) -> None:
    ledger = SavingsLedger(SavingsTotals)
    guard = CompressionGuard(
        on_error="fallback", secrets=[SECRET, None], logger=log, what="nodes", ledger=ledger
    )
    with caplog.at_level(logging.WARNING, logger=log.name):
        outcome = guard.run(_boom, "original", "MyStep", items=3)
    assert outcome.value == "original" and outcome.failed
    assert outcome.error == "ConnectionError: refused with key ***"
    assert ledger.total == SavingsTotals(calls=1, failures=1, items=3)
    (record,) = caplog.records
    assert record.getMessage() == (
        "Kaizen compression failed in MyStep (ConnectionError: refused with key ***); "
        "the original nodes were sent unchanged"
    )
    assert SECRET not in caplog.text


def test_raise_chains_the_original_and_still_counts() -> None:
    ledger = SavingsLedger(SavingsTotals)
    guard = CompressionGuard(on_error="raise", secrets=[SECRET], logger=log, ledger=ledger)
    with pytest.raises(KaizenCompressionError) as caught:
        guard.run(_boom, "original", "MyStep")
    error = caught.value
    assert (
        str(error) == "Kaizen compression failed in MyStep: ConnectionError: refused with key ***"
    )
    assert error.where == "MyStep" and isinstance(error.__cause__, ConnectionError)
    assert isinstance(error, KaizenError) and isinstance(error, RuntimeError)
    assert ledger.total.failures == 1


async def test_async_twin() -> None:
    guard = CompressionGuard(on_error="fallback", secrets=[], logger=log, what="input")

    async def works() -> int:
        return 1

    async def fails() -> int:
        raise ValueError("bad")

    assert (await guard.arun(works, 0, "x")).value == 1
    outcome = await guard.arun(fails, 0, "x")
    assert outcome.value == 0 and outcome.error == "ValueError: bad"


def test_describe_error_is_one_bounded_line() -> None:
    assert describe_error(ValueError("x" * 600), []).startswith("ValueError: xxx")
    assert len(describe_error(ValueError("x" * 600), [])) == 500
