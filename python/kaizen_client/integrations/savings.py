"""What compression saved: one call's :class:`Savings`, and running totals every integration keeps.

LangChain's usage counters, LlamaIndex's savings and the LiteLLM hook's counters are the same
arithmetic (calls, failures, tokens before and after), so it is written once here:
:class:`SavingsTotals` is an immutable, addable value; :class:`SavingsLedger` is the
thread-safe accumulator an integration object holds (one compressor may serve many threads).
"""

from __future__ import annotations

import threading
from collections.abc import Mapping
from dataclasses import dataclass, field, fields
from typing import Any, Generic, TypeVar

_T = TypeVar("_T", bound="SavingsTotals")


@dataclass(frozen=True, slots=True)
class Savings:
    """Token totals over the JSON fragments of one compression call, and its full report."""

    model: str
    tokens_before: int
    tokens_after: int
    fragments_compressed: int
    fragments: int
    backend: str
    report: Any = field(default=None, repr=False, compare=False)
    """The engine's ``CompressionReport`` (or the API's model of it), per-fragment decisions."""

    @property
    def tokens_saved(self) -> int:
        return self.tokens_before - self.tokens_after

    @classmethod
    def from_report(cls, report: Any, backend: str) -> Savings:
        """From the engine's dataclass report or the API's pydantic one (same attributes)."""
        return cls(
            model=str(report.model),
            tokens_before=int(report.tokens_before),
            tokens_after=int(report.tokens_after),
            fragments_compressed=int(report.fragments_compressed),
            fragments=len(report.fragments),
            backend=backend,
            report=report,
        )

    def to_dict(self) -> dict[str, Any]:
        """JSON-safe totals, for callback events, request metadata and logs."""
        return {
            "model": self.model,
            "backend": self.backend,
            "tokens_before": self.tokens_before,
            "tokens_after": self.tokens_after,
            "tokens_saved": self.tokens_saved,
            "fragments_compressed": self.fragments_compressed,
            "fragments": self.fragments,
        }


@dataclass(frozen=True, slots=True)
class SavingsTotals:
    """Counters over one call or many; ``a + b`` adds them field by field.

    ``calls`` counts every attempt, ``failures`` those that let the original input through
    (so ``compressions`` is the successful ones). ``items`` are what the integration handed
    over (messages, nodes), ``items_compressed`` those that changed. Token counts cover the
    JSON fragments only, with the integration's tokenizer model.
    """

    calls: int = 0
    failures: int = 0
    items: int = 0
    items_compressed: int = 0
    tokens_before: int = 0
    tokens_after: int = 0
    fragments_compressed: int = 0

    @property
    def compressions(self) -> int:
        """Calls that succeeded (whether or not they changed anything)."""
        return self.calls - self.failures

    @property
    def tokens_saved(self) -> int:
        return self.tokens_before - self.tokens_after

    @property
    def percent_saved(self) -> float:
        """Share of the JSON fragments' tokens saved (0 when there were none)."""
        return 100.0 * self.tokens_saved / self.tokens_before if self.tokens_before else 0.0

    @classmethod
    def of_call(
        cls: type[_T],
        savings: Savings | Mapping[str, Any],
        *,
        items: int = 0,
        items_compressed: int = 0,
    ) -> _T:
        """One successful call, from its :class:`Savings` or their ``to_dict()`` form."""
        data = savings.to_dict() if isinstance(savings, Savings) else savings
        return cls(
            calls=1,
            items=items,
            items_compressed=items_compressed,
            tokens_before=int(data.get("tokens_before", 0)),
            tokens_after=int(data.get("tokens_after", 0)),
            fragments_compressed=int(data.get("fragments_compressed", 0)),
        )

    @classmethod
    def of_failure(cls: type[_T], *, items: int = 0) -> _T:
        """One call that failed and let its input through."""
        return cls(calls=1, failures=1, items=items)

    def __add__(self: _T, other: SavingsTotals) -> _T:
        if not isinstance(other, SavingsTotals):
            return NotImplemented
        values = {f.name: getattr(self, f.name) + getattr(other, f.name) for f in fields(self)}
        return type(self)(**values)

    def to_dict(self) -> dict[str, Any]:
        """The counters and the derived savings, JSON-safe (for logs and dashboards)."""
        data: dict[str, Any] = {f.name: getattr(self, f.name) for f in fields(self)}
        data.update(
            compressions=self.compressions,
            tokens_saved=self.tokens_saved,
            percent_saved=round(self.percent_saved, 2),
        )
        return data

    def summary(self, items: str = "item") -> str:
        """One readable line; ``items`` names what was handed over (``"node"``, ``"message"``)."""
        line = (
            f"{self.tokens_before} -> {self.tokens_after} tokens of JSON "
            f"({self.tokens_saved} saved, {self.percent_saved:.1f}%)"
        )
        if self.items:
            line += f" in {self.items_compressed}/{self.items} {items}s"
        line += f" over {self.calls} call(s)"
        if self.failures:
            line += f", {self.failures} failure(s) sent uncompressed"
        return line


class SavingsLedger(Generic[_T]):
    """Thread-safe running totals (and the last call's) for one integration object.

    ``kind`` is the totals class kept (an integration may keep a subclass that names its
    items, such as LlamaIndex's nodes); totals start at ``kind()``.
    """

    def __init__(self, kind: type[_T]) -> None:
        self.kind = kind
        self._lock = threading.Lock()
        self._total = kind()
        self._last = kind()

    @property
    def total(self) -> _T:
        """Everything since construction (or the last :meth:`reset`)."""
        return self._total

    @property
    def last(self) -> _T:
        """The most recent call."""
        return self._last

    def add(self, call: _T) -> _T:
        """Count one call; returns it."""
        with self._lock:
            self._last = call
            self._total = self._total + call
        return call

    def reset(self) -> None:
        with self._lock:
            self._total = self.kind()
            self._last = self.kind()

    def __repr__(self) -> str:
        return f"SavingsLedger({self._total.summary()})"


__all__ = ["Savings", "SavingsLedger", "SavingsTotals"]
