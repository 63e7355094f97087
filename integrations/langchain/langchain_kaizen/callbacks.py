"""``KaizenCallbackHandler``: what compression saved, per run and in total, next to usage.

Add it to a run's config (``config={"callbacks": [handler]}``). It listens for the
``kaizen_compression`` events that ``KaizenCompressor`` and ``KaizenMiddleware`` send and for
the chat model's reported ``usage_metadata``, and files both under the top-level run they
belong to, so one ``chain.invoke`` (or one agent run) is one row of ``handler.runs``.
"""

from __future__ import annotations

import threading
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any
from uuid import UUID

from langchain_core.callbacks import AsyncCallbackHandler, BaseCallbackHandler
from langchain_core.outputs import ChatGeneration, LLMResult

from kaizen_client.integrations import SavingsTotals

from ._events import COMPRESSION_EVENT, ERROR_EVENT


@dataclass
class KaizenUsage:
    """Counters for one top-level run, or for all of them.

    ``savings`` is the core's running total of the Kaizen compressions (``tokens_before`` /
    ``tokens_after`` count the JSON fragments the engine looked at; the rest of the prompt is
    not changed, so it saves nothing); ``input_tokens`` and ``output_tokens`` are what the
    model reported it was billed for.
    """

    savings: SavingsTotals = field(default_factory=SavingsTotals)
    model_calls: int = 0
    input_tokens: int = 0
    output_tokens: int = 0
    total_tokens: int = 0
    errors: list[str] = field(default_factory=list)

    @property
    def compressions(self) -> int:
        return self.savings.compressions

    @property
    def failures(self) -> int:
        return self.savings.failures

    @property
    def fragments_compressed(self) -> int:
        return self.savings.fragments_compressed

    @property
    def tokens_before(self) -> int:
        return self.savings.tokens_before

    @property
    def tokens_after(self) -> int:
        return self.savings.tokens_after

    @property
    def tokens_saved(self) -> int:
        return self.savings.tokens_saved

    @property
    def percent_saved(self) -> float:
        """Share of the JSON fragments' tokens saved (0 when there were none)."""
        return self.savings.percent_saved

    def add_compression(self, data: dict[str, Any]) -> None:
        self.savings += SavingsTotals.of_call(data)

    def add_failure(self, data: dict[str, Any]) -> None:
        self.savings += SavingsTotals.of_failure()
        self.errors.append(str(data.get("error", "")))

    def add_usage(self, usage: dict[str, Any]) -> None:
        self.model_calls += 1
        self.input_tokens += int(usage.get("input_tokens", 0))
        self.output_tokens += int(usage.get("output_tokens", 0))
        self.total_tokens += int(usage.get("total_tokens", 0))

    def summary(self) -> str:
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
    """The bookkeeping both handlers share: run tree, per-run and total counters."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._parent: dict[UUID, UUID | None] = {}
        self.runs: dict[UUID, KaizenUsage] = {}
        self.total = KaizenUsage()

    def started(self, run_id: UUID, parent_run_id: UUID | None) -> None:
        with self._lock:
            self._parent[run_id] = parent_run_id

    def ended(self, run_id: UUID, parent_run_id: UUID | None) -> None:
        if parent_run_id is not None:
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

    def custom_event(self, name: str, data: Any, run_id: UUID) -> None:
        if name not in (COMPRESSION_EVENT, ERROR_EVENT) or not isinstance(data, dict):
            return
        with self._lock:
            run = self.runs.setdefault(self._root(run_id), KaizenUsage())
            for usage in (run, self.total):
                if name == COMPRESSION_EVENT:
                    usage.add_compression(data)
                else:
                    usage.add_failure(data)

    def llm_end(self, response: LLMResult, run_id: UUID, parent_run_id: UUID | None) -> None:
        usages = list(_usage_metadata(response))
        if not usages:
            return
        with self._lock:
            root = self._root(parent_run_id) if parent_run_id is not None else run_id
            run = self.runs.setdefault(root, KaizenUsage())
            for usage in usages:
                run.add_usage(usage)
                self.total.add_usage(usage)

    def summary(self) -> str:
        with self._lock:
            lines = [f"Kaizen: {len(self.runs)} run(s); total {self.total.summary()}"]
            lines += [f"  run {rid}: {usage.summary()}" for rid, usage in self.runs.items()]
        return "\n".join(lines)


def _usage_metadata(response: LLMResult) -> Iterable[dict[str, Any]]:
    for generations in response.generations:
        for generation in generations:
            if isinstance(generation, ChatGeneration):
                usage = getattr(generation.message, "usage_metadata", None)
                if usage:
                    yield dict(usage)


class KaizenCallbackHandler(BaseCallbackHandler):
    """Sync handler; ``runs`` (by top-level run id), ``total`` and ``summary()``."""

    def __init__(self) -> None:
        self._recorder = _Recorder()

    @property
    def runs(self) -> dict[UUID, KaizenUsage]:
        return self._recorder.runs

    @property
    def total(self) -> KaizenUsage:
        return self._recorder.total

    def summary(self) -> str:
        return self._recorder.summary()

    def __str__(self) -> str:
        return self.summary()

    def on_chain_start(
        self,
        serialized: Any,
        inputs: Any,
        *,
        run_id: UUID,
        parent_run_id: UUID | None = None,
        **kwargs: Any,
    ) -> None:
        self._recorder.started(run_id, parent_run_id)

    def on_chain_end(
        self, outputs: Any, *, run_id: UUID, parent_run_id: UUID | None = None, **kwargs: Any
    ) -> None:
        self._recorder.ended(run_id, parent_run_id)

    def on_chain_error(
        self,
        error: BaseException,
        *,
        run_id: UUID,
        parent_run_id: UUID | None = None,
        **kwargs: Any,
    ) -> None:
        self._recorder.ended(run_id, parent_run_id)

    def on_chat_model_start(
        self,
        serialized: Any,
        messages: Any,
        *,
        run_id: UUID,
        parent_run_id: UUID | None = None,
        **kwargs: Any,
    ) -> None:
        self._recorder.started(run_id, parent_run_id)

    def on_llm_end(
        self,
        response: LLMResult,
        *,
        run_id: UUID,
        parent_run_id: UUID | None = None,
        **kwargs: Any,
    ) -> None:
        self._recorder.llm_end(response, run_id, parent_run_id)

    def on_custom_event(
        self,
        name: str,
        data: Any,
        *,
        run_id: UUID,
        tags: list[str] | None = None,
        metadata: dict[str, Any] | None = None,
        **kwargs: Any,
    ) -> None:
        self._recorder.custom_event(name, data, run_id)


class AsyncKaizenCallbackHandler(AsyncCallbackHandler):
    """Async twin of :class:`KaizenCallbackHandler` (same counters, ``async`` hooks)."""

    def __init__(self) -> None:
        self._recorder = _Recorder()

    @property
    def runs(self) -> dict[UUID, KaizenUsage]:
        return self._recorder.runs

    @property
    def total(self) -> KaizenUsage:
        return self._recorder.total

    def summary(self) -> str:
        return self._recorder.summary()

    def __str__(self) -> str:
        return self.summary()

    async def on_chain_start(
        self,
        serialized: Any,
        inputs: Any,
        *,
        run_id: UUID,
        parent_run_id: UUID | None = None,
        **kwargs: Any,
    ) -> None:
        self._recorder.started(run_id, parent_run_id)

    async def on_chain_end(
        self, outputs: Any, *, run_id: UUID, parent_run_id: UUID | None = None, **kwargs: Any
    ) -> None:
        self._recorder.ended(run_id, parent_run_id)

    async def on_chain_error(
        self,
        error: BaseException,
        *,
        run_id: UUID,
        parent_run_id: UUID | None = None,
        **kwargs: Any,
    ) -> None:
        self._recorder.ended(run_id, parent_run_id)

    async def on_chat_model_start(
        self,
        serialized: Any,
        messages: Any,
        *,
        run_id: UUID,
        parent_run_id: UUID | None = None,
        **kwargs: Any,
    ) -> None:
        self._recorder.started(run_id, parent_run_id)

    async def on_llm_end(
        self,
        response: LLMResult,
        *,
        run_id: UUID,
        parent_run_id: UUID | None = None,
        **kwargs: Any,
    ) -> None:
        self._recorder.llm_end(response, run_id, parent_run_id)

    async def on_custom_event(
        self,
        name: str,
        data: Any,
        *,
        run_id: UUID,
        tags: list[str] | None = None,
        metadata: dict[str, Any] | None = None,
        **kwargs: Any,
    ) -> None:
        self._recorder.custom_event(name, data, run_id)
