"""SavingsTotals and SavingsLedger: the arithmetic every integration's counters share."""

from __future__ import annotations

import threading

from kaizen_client.engine import CompressionOptions
from kaizen_client.integrations import LocalBackend, SavingsLedger, SavingsTotals

from .test_backend import CHAT


def test_of_call_from_savings_or_their_dict() -> None:
    _, savings = LocalBackend("gpt-4o", CompressionOptions()).compress(CHAT)
    call = SavingsTotals.of_call(savings, items=2, items_compressed=1)
    assert call == SavingsTotals.of_call(savings.to_dict(), items=2, items_compressed=1)
    assert (call.calls, call.failures, call.compressions) == (1, 0, 1)
    assert call.tokens_saved == savings.tokens_saved > 0
    assert call.fragments_compressed == 1 and 0 < call.percent_saved < 100


def test_addition_and_summary() -> None:
    a = SavingsTotals(calls=1, items=4, items_compressed=2, tokens_before=100, tokens_after=40)
    b = SavingsTotals.of_failure(items=4)
    total = a + b
    assert total == SavingsTotals(
        calls=2, failures=1, items=8, items_compressed=2, tokens_before=100, tokens_after=40
    )
    assert total.compressions == 1 and total.percent_saved == 60.0
    assert total.summary("node") == (
        "100 -> 40 tokens of JSON (60 saved, 60.0%) in 2/8 nodes over 2 call(s), "
        "1 failure(s) sent uncompressed"
    )
    assert SavingsTotals().percent_saved == 0.0
    assert total.to_dict()["tokens_saved"] == 60


def test_a_subclass_stays_itself_when_added() -> None:
    class Named(SavingsTotals):
        __slots__ = ()

    assert type(Named(calls=1) + SavingsTotals(calls=2)) is Named
    ledger = SavingsLedger(Named)
    ledger.add(Named.of_failure(items=1))
    assert type(ledger.total) is Named and ledger.last.failures == 1


def test_ledger_is_thread_safe() -> None:
    ledger = SavingsLedger(SavingsTotals)
    one = SavingsTotals(calls=1, tokens_before=3, tokens_after=1)

    def work() -> None:
        for _ in range(2000):
            ledger.add(one)

    threads = [threading.Thread(target=work) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert ledger.total.calls == 16_000 and ledger.total.tokens_saved == 32_000
    ledger.reset()
    assert ledger.total == SavingsTotals() and ledger.last == SavingsTotals()
