"""One way to run a compression inside an integration: compress, or fall back or raise.

Compression is an optimisation, so by default a failure must not cost the caller their
request: the original input goes on, the failure is counted and one warning line is logged,
with every known key masked. ``on_error="raise"`` raises :class:`KaizenCompressionError`
instead, the same exception from every integration, chained to the original failure.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable, Iterable
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from .._logging import redact_text
from ..errors import KaizenError
from .backend import Backend
from .savings import SavingsLedger, SavingsTotals
from .settings import IntegrationSettings, OnError

T = TypeVar("T")


class KaizenCompressionError(KaizenError, RuntimeError):
    """Compression failed and the integration was asked to raise (``on_error="raise"``).

    ``__cause__`` is the original exception. The message names where it happened and what
    went wrong with every key the integration knows masked; errors from the Kaizen clients
    are redacted where they are made, so the chained one holds no key either.
    """

    def __init__(self, where: str, description: str) -> None:
        super().__init__(f"Kaizen compression failed in {where}: {description}")
        self.where = where
        self.description = description


def describe_error(exc: BaseException, secrets: Iterable[str | None]) -> str:
    """One line naming a failure, safe for a log line or an event: every known secret masked."""
    return redact_text(f"{type(exc).__name__}: {exc}", secrets)[:500]


@dataclass(frozen=True, slots=True)
class Outcome(Generic[T]):
    """What a guarded call produced, or the fallback and why (``error``, already redacted)."""

    value: T
    error: str | None = None

    @property
    def failed(self) -> bool:
        return self.error is not None


class CompressionGuard:
    """Runs an integration's compression calls with its ``on_error`` policy.

    ``what`` names the input in the warning (``"input"``, ``"nodes"``, ``"messages"``);
    failures are added to ``ledger`` when one is given (``items`` per call), in both modes.
    """

    def __init__(
        self,
        *,
        on_error: OnError,
        secrets: Iterable[str | None],
        logger: logging.Logger,
        what: str = "input",
        ledger: SavingsLedger[Any] | None = None,
    ) -> None:
        self.on_error = on_error
        self.secrets = tuple(secret for secret in secrets if secret)
        self.logger = logger
        self.what = what
        self.ledger = ledger

    def failed(self, exc: BaseException, where: str, *, items: int = 0) -> str:
        """Count and report one failure; raises unless ``on_error="fallback"``.

        Returns the redacted one-line description (for events and counters).
        """
        description = describe_error(exc, self.secrets)
        if self.ledger is not None:
            self.ledger.add(self.ledger.kind.of_failure(items=items))
        if self.on_error == "raise":
            raise KaizenCompressionError(where, description) from exc
        verb = "were" if self.what.endswith("s") else "was"
        self.logger.warning(
            "Kaizen compression failed in %s (%s); the original %s %s sent unchanged",
            where,
            description,
            self.what,
            verb,
        )
        return description

    def run(self, call: Callable[[], T], fallback: T, where: str, *, items: int = 0) -> Outcome[T]:
        """``call()``, or ``fallback`` with the failure described (or raised)."""
        try:
            return Outcome(call())
        except Exception as exc:
            return Outcome(fallback, self.failed(exc, where, items=items))

    async def arun(
        self, call: Callable[[], Awaitable[T]], fallback: T, where: str, *, items: int = 0
    ) -> Outcome[T]:
        """Async :meth:`run`: awaits ``call()``."""
        try:
            return Outcome(await call())
        except Exception as exc:
            return Outcome(fallback, self.failed(exc, where, items=items))


S = TypeVar("S", bound=SavingsTotals)


class IntegrationRuntime(Generic[S]):
    """What an integration object holds: its settings, their backend, its savings and guard.

    Built once from frozen settings; ``savings`` is the totals class kept in the ledger
    (``SavingsTotals``, or a subclass that names the items, such as LlamaIndex's nodes),
    ``what`` and ``logger`` are the guard's, ``offload`` the local backend's.
    """

    def __init__(
        self,
        settings: IntegrationSettings,
        savings: type[S],
        *,
        logger: logging.Logger,
        what: str = "input",
        offload: bool = False,
    ) -> None:
        self.settings = settings
        self.backend: Backend = settings.backend(offload=offload)
        self.ledger: SavingsLedger[S] = SavingsLedger(savings)
        self.guard = CompressionGuard(
            on_error=settings.on_error,
            secrets=settings.secrets,
            logger=logger,
            what=what,
            ledger=self.ledger,
        )


__all__ = [
    "CompressionGuard",
    "IntegrationRuntime",
    "KaizenCompressionError",
    "Outcome",
    "describe_error",
]
