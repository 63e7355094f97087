"""``KaizenCompressor``: a chain step that shrinks the JSON inside a prompt before the model.

``prompt | KaizenCompressor() | llm`` sends the model the same messages with their JSON
(tool results, embedded or fenced JSON, text parts) re-encoded as KTOF where that saves
tokens. It is a ``RunnableSerializable`` so it is a named step in traces, takes the run's
config like any other step, and can be saved with ``dumpd``/``dumps`` without its API key.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Literal, Union

from langchain_core.callbacks import AsyncCallbackManagerForChainRun, CallbackManagerForChainRun
from langchain_core.messages import BaseMessage
from langchain_core.prompt_values import PromptValue
from langchain_core.runnables import RunnableConfig, RunnableSerializable
from pydantic import ConfigDict, Field, PrivateAttr, SecretStr
from typing_extensions import override

from kaizen_client import KaizenClient, KaizenSyncClient
from kaizen_client.integrations import (
    IntegrationRuntime,
    Savings,
    SavingsTotals,
    SettingsFields,
)
from kaizen_client.models import (
    DEFAULT_MIN_PERCENT_SAVED,
    DEFAULT_MIN_TOKENS_SAVED,
    DEFAULT_MODEL,
)

from ._convert import unpack
from ._events import COMPRESSION_EVENT, ERROR_EVENT, error_event, logger

CompressorInput = Union[PromptValue, str, Sequence[Union[BaseMessage, dict[str, Any]]]]  # noqa: UP007
"""What the step takes and gives back (the same kind): a prompt value, messages or text."""

Event = tuple[str, dict[str, Any]]


class KaizenCompressor(SettingsFields, RunnableSerializable[CompressorInput, CompressorInput]):
    """Compress the JSON inside a prompt; roles, ids and all other text stay as they are.

    Runs the local engine unless given ``client=`` (a ``KaizenClient`` or
    ``KaizenSyncClient``), ``base_url=`` or ``api_key=``. If compression fails the input goes
    through unchanged, a warning is logged and ``failures`` counts it; ``on_error="raise"``
    raises ``KaizenCompressionError`` (the original error chained). Settings are fixed when
    the object is built (assigning one raises ``SettingsFrozenError``); use
    :meth:`with_settings` for a changed copy.
    """

    model: str = DEFAULT_MODEL
    """Tokenizer model used to decide whether a rewrite saves tokens."""
    min_tokens_saved: int = Field(default=DEFAULT_MIN_TOKENS_SAVED, ge=0)
    min_percent_saved: float = Field(default=DEFAULT_MIN_PERCENT_SAVED, ge=0, le=100)
    mode: Literal["auto", "toon"] = "auto"
    """``auto``: fewest tokens, lossless KTOF; ``toon``: plain TOON 4.0 only."""
    preserve_prefix: int = Field(default=0, ge=0)
    """Leave the first N messages alone (e.g. a provider-cached prefix)."""
    respect_cache_control: bool = True
    on_error: Literal["fallback", "raise"] = "fallback"
    base_url: str | None = None
    """Kaizen server URL for remote mode (``"local"`` or unset: the in-process engine)."""
    api_key: SecretStr | None = None
    """Kaizen API key; a LangChain secret (``KAIZEN_API_KEY``), never serialized."""
    client: KaizenClient | KaizenSyncClient | None = Field(default=None, exclude=True, repr=False)
    """A ready client for remote mode; its URL and key are what gets serialized."""

    model_config = ConfigDict(arbitrary_types_allowed=True)

    _kaizen: IntegrationRuntime[SavingsTotals] = PrivateAttr()

    def model_post_init(self, context: Any, /) -> None:
        super().model_post_init(context)
        self._kaizen = IntegrationRuntime(self.freeze_settings(), SavingsTotals, logger=logger)

    @property
    def savings(self) -> SavingsTotals:
        """Running totals over every call of this compressor (thread-safe)."""
        return self._kaizen.ledger.total

    @property
    def failures(self) -> int:
        """How many compressions failed and let the original input through."""
        return self.savings.failures

    # ------------------------------------------------------------------ serialization
    @classmethod
    def is_lc_serializable(cls) -> bool:
        return True

    @property
    def lc_secrets(self) -> dict[str, str]:
        return {"api_key": "KAIZEN_API_KEY"}

    # ------------------------------------------------------------------ the work
    def compress(self, value: Any, source: str = "KaizenCompressor") -> tuple[Any, Event]:
        """``value`` compressed (or unchanged on fallback) and the event to report."""
        messages, rebuild = unpack(value)
        backend = self._kaizen.backend
        done = self._kaizen.guard.run(lambda: backend.compress(messages), None, source)
        return self._outcome(value, messages, rebuild, done.value, done.error, source)

    async def acompress(self, value: Any, source: str = "KaizenCompressor") -> tuple[Any, Event]:
        """Async twin of :meth:`compress` (native async for a ``KaizenClient``)."""
        messages, rebuild = unpack(value)
        backend = self._kaizen.backend
        done = await self._kaizen.guard.arun(lambda: backend.acompress(messages), None, source)
        return self._outcome(value, messages, rebuild, done.value, done.error, source)

    def _outcome(
        self,
        value: Any,
        messages: list[Any],
        rebuild: Any,
        result: tuple[list[Any], Savings] | None,
        error: str | None,
        source: str,
    ) -> tuple[Any, Event]:
        if result is None:
            return value, (ERROR_EVENT, error_event(source, error or ""))
        compressed, savings = result
        changed = not _same(compressed, messages)
        self._kaizen.ledger.add(
            SavingsTotals.of_call(savings, items=len(messages), items_compressed=int(changed))
        )
        out = rebuild(compressed) if changed else value
        return out, (COMPRESSION_EVENT, {"source": source, **savings.to_dict()})

    def _invoke(self, value: Any, run_manager: CallbackManagerForChainRun) -> Any:
        out, (name, data) = self.compress(value, self.get_name())
        if run_manager.handlers:
            run_manager.get_child().on_custom_event(name, data, run_id=run_manager.run_id)
        return out

    async def _ainvoke(self, value: Any, run_manager: AsyncCallbackManagerForChainRun) -> Any:
        out, (name, data) = await self.acompress(value, self.get_name())
        if run_manager.handlers:
            await run_manager.get_child().on_custom_event(name, data, run_id=run_manager.run_id)
        return out

    @override
    def invoke(
        self, input: CompressorInput, config: RunnableConfig | None = None, **kwargs: Any
    ) -> CompressorInput:
        return self._call_with_config(self._invoke, input, config, run_type="chain")

    @override
    async def ainvoke(
        self, input: CompressorInput, config: RunnableConfig | None = None, **kwargs: Any
    ) -> CompressorInput:
        return await self._acall_with_config(self._ainvoke, input, config, run_type="chain")


def _same(new: list[Any], old: list[Any]) -> bool:
    """The engine returns the very same objects for messages it did not change."""
    return len(new) == len(old) and all(a is b for a, b in zip(new, old, strict=True))
