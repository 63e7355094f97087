"""``KaizenCallbackHandler``: what compression saved, per run and in total, next to usage.

Add it to a run's config (``config={"callbacks": [handler]}``). It listens for the
``kaizen_compression`` events that ``KaizenCompressor`` and ``KaizenMiddleware`` send and for
the chat model's reported ``usage_metadata``, and files both under the top-level run they
belong to, so one ``chain.invoke`` (or one agent run) is one row of ``handler.runs``.
"""

from __future__ import annotations

import threading
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any
from uuid import UUID

from langchain_core.callbacks import AsyncCallbackHandler, BaseCallbackHandler
from langchain_core.outputs import ChatGeneration, LLMResult

from kaizen_client.integrations import SavingsTotals

from ._events import COMPRESSION_EVENT, ERROR_EVENT


@dataclass(frozen=True, slots=True)
class KaizenUsage(SavingsTotals):
    """Counters for one top-level run, or for all of them (``a + b`` adds them).

    The core's :class:`~kaizen_client.integrations.SavingsTotals` for the compressions
    (``tokens_before``/``tokens_after`` count the JSON fragments the engine looked at; the
    rest of the prompt is not changed, so it saves nothing), plus what the model reported it
    was billed for, and the failures' redacted descriptions.
    """

    model_calls: int = 0
    input_tokens: int = 0
    output_tokens: int = 0
    total_tokens: int = 0
    errors: tuple[str, ...] = ()

    @classmethod
    def of_event(cls, name: str, data: dict[str, Any]) -> KaizenUsage:
        """One ``kaizen_compression`` (or ``_error``) event's counts."""
        if name == COMPRESSION_EVENT:
            return cls.of_call(data)
        return cls(calls=1, failures=1, errors=(str(data.get("error", "")),))

    @classmethod
    def of_usage(cls, usage: dict[str, Any]) -> KaizenUsage:
        """One model call's reported ``usage_metadata``."""
        return cls(
            model_calls=1,
            input_tokens=int(usage.get("input_tokens", 0)),
            output_tokens=int(usage.get("output_tokens", 0)),
            total_tokens=int(usage.get("total_tokens", 0)),
        )

    def summary(self, items: str = "message") -> str:
        """One readable line."""
        line = (
            f"{self.compressions} compression(s): JSON {self.tokens_before} -> "
            f"{self.tokens_after} tokens, saved {self.tokens_saved} "
            f"({self.percent_saved:.1f}%) in {self.fragments_compressed} fragment(s)"
        )
        if self.failures:
            line += f"; {self.failures} failure(s) sent uncompressed"
        if self.model_calls:
            line += (
                f"; model reported {self.input_tokens} input + {self.output_tokens} output "
                f"tokens over {self.model_calls} call(s)"
            )
        return line


class _Recorder:
    """What both handlers keep: the run tree, and per-run and total counters.

    ``runs`` maps each top-level run id to its :class:`KaizenUsage`; ``total`` is the sum.
    The hooks read ``run_id``/``parent_run_id`` from the keywords LangChain always passes.
    """

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._parent: dict[UUID, UUID | None] = {}
        self.runs: dict[UUID, KaizenUsage] = {}
        self.total = KaizenUsage()

    def summary(self) -> str:
        with self._lock:
            lines = [f"Kaizen: {len(self.runs)} run(s); total {self.total.summary()}"]
            lines += [f"  run {rid}: {usage.summary()}" for rid, usage in self.runs.items()]
        return "\n".join(lines)

    def __str__(self) -> str:
        return self.summary()

    def _started(self, kwargs: dict[str, Any]) -> None:
        with self._lock:
            self._parent[kwargs["run_id"]] = kwargs.get("parent_run_id")

    def _ended(self, kwargs: dict[str, Any]) -> None:
        run_id = kwargs["run_id"]
        if kwargs.get("parent_run_id") is not None:
            return
        with self._lock:  # a top-level run finished: forget its tree, keep its counters
            self._parent = {
                r: p for r, p in self._parent.items() if r != run_id and self._root(r) != run_id
            }

    def _root(self, run_id: UUID) -> UUID:
        seen = 0
        while (parent := self._parent.get(run_id)) is not None and seen < 10_000:
            run_id, seen = parent, seen + 1
        return run_id

    def _add(self, run_id: UUID, usage: KaizenUsage) -> None:
        with self._lock:
            root = self._root(run_id)
            self.runs[root] = self.runs.get(root, KaizenUsage()) + usage
            self.total = self.total + usage

    def _custom_event(self, name: str, data: Any, kwargs: dict[str, Any]) -> None:
        if name in (COMPRESSION_EVENT, ERROR_EVENT) and isinstance(data, dict):
            self._add(kwargs["run_id"], KaizenUsage.of_event(name, data))

    def _llm_end(self, response: LLMResult, kwargs: dict[str, Any]) -> None:
        parent = kwargs.get("parent_run_id")
        for usage in _usage_metadata(response):
            self._add(
                parent if parent is not None else kwargs["run_id"], KaizenUsage.of_usage(usage)
            )


def _usage_metadata(response: LLMResult) -> Iterable[dict[str, Any]]:
    for generations in response.generations:
        for generation in generations:
            if isinstance(generation, ChatGeneration):
                usage = getattr(generation.message, "usage_metadata", None)
                if usage:
                    yield dict(usage)


class KaizenCallbackHandler(_Recorder, BaseCallbackHandler):
    """Sync handler; ``runs`` (by top-level run id), ``total`` and ``summary()``."""

    def on_chain_start(self, *args: Any, **kwargs: Any) -> None:
        self._started(kwargs)

    def on_chat_model_start(self, *args: Any, **kwargs: Any) -> None:
        self._started(kwargs)

    def on_chain_end(self, *args: Any, **kwargs: Any) -> None:
        self._ended(kwargs)

    def on_chain_error(self, *args: Any, **kwargs: Any) -> None:
        self._ended(kwargs)

    def on_llm_end(self, response: LLMResult, **kwargs: Any) -> None:
        self._llm_end(response, kwargs)

    def on_custom_event(self, name: str, data: Any, **kwargs: Any) -> None:
        self._custom_event(name, data, kwargs)


class AsyncKaizenCallbackHandler(_Recorder, AsyncCallbackHandler):
    """Async twin of :class:`KaizenCallbackHandler` (same counters, ``async`` hooks)."""

    async def on_chain_start(self, *args: Any, **kwargs: Any) -> None:
        self._started(kwargs)

    async def on_chat_model_start(self, *args: Any, **kwargs: Any) -> None:
        self._started(kwargs)

    async def on_chain_end(self, *args: Any, **kwargs: Any) -> None:
        self._ended(kwargs)

    async def on_chain_error(self, *args: Any, **kwargs: Any) -> None:
        self._ended(kwargs)

    async def on_llm_end(self, response: LLMResult, **kwargs: Any) -> None:
        self._llm_end(response, kwargs)

    async def on_custom_event(self, name: str, data: Any, **kwargs: Any) -> None:
        self._custom_event(name, data, kwargs)
