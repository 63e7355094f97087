"""``KaizenHook``: a LiteLLM ``CustomLogger`` that compresses the JSON in chat requests.

One object serves every entry point because LiteLLM calls a different hook in each: the
SDK and the Router call ``async_pre_call_deployment_hook`` (async calls only), the Proxy
calls ``async_pre_call_hook`` (looked up on the registered class itself, so it is defined
here, not inherited), and sync callers use :meth:`KaizenHook.compress_request` through
:func:`kaizen_litellm.completion`. The reply hooks decode TOON answers when asked.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import AsyncGenerator
from typing import Any

from litellm.integrations.custom_logger import CustomLogger

from kaizen_client import KaizenClient, KaizenSyncClient
from kaizen_client.integrations import (
    IntegrationRuntime,
    IntegrationSettings,
    Mode,
    OnError,
    Savings,
    SavingsTotals,
    adecode_stream,
    decode_response,
)
from kaizen_client.models import DEFAULT_MIN_PERCENT_SAVED, DEFAULT_MIN_TOKENS_SAVED, DEFAULT_MODEL

from . import _request as req

logger = logging.getLogger("kaizen_litellm")


class KaizenHook(CustomLogger):
    """Compress the JSON inside ``messages`` before LiteLLM sends them to the provider.

    Local engine by default; ``client=`` (a ``KaizenClient``/``KaizenSyncClient``),
    ``base_url=`` or ``api_key=`` select a Kaizen server. On failure the request goes out
    unchanged and ``failures`` counts it; ``on_error="raise"`` raises
    ``KaizenCompressionError`` instead. ``decode_replies=True`` decodes every TOON reply
    (else only requests flagged with ``kaizen_decode_reply``). A plain ``litellm.completion``
    (sync) cannot be compressed by a hook: the first one seen logs a warning naming
    :func:`kaizen_litellm.completion`.
    """

    def __init__(
        self,
        *,
        model: str = DEFAULT_MODEL,
        min_tokens_saved: int = DEFAULT_MIN_TOKENS_SAVED,
        min_percent_saved: float = DEFAULT_MIN_PERCENT_SAVED,
        mode: Mode = "auto",
        preserve_prefix: int = 0,
        respect_cache_control: bool = True,
        on_error: OnError = "fallback",
        decode_replies: bool = False,
        client: KaizenClient | KaizenSyncClient | None = None,
        base_url: str | None = None,
        api_key: str | None = None,
    ) -> None:
        super().__init__()
        self.settings = IntegrationSettings(
            model=model,
            min_tokens_saved=min_tokens_saved,
            min_percent_saved=min_percent_saved,
            mode=mode,
            preserve_prefix=preserve_prefix,
            respect_cache_control=respect_cache_control,
            on_error=on_error,
            client=client,
            base_url=base_url,
            api_key=api_key,  # type: ignore[arg-type]  # a str is kept as a SecretStr
        )
        self.decode_replies = decode_replies
        self._kaizen = IntegrationRuntime(
            self.settings, SavingsTotals, logger=logger, what="messages"
        )
        self.ledger = self._kaizen.ledger
        self._sync_warning = threading.Lock()  # taken once, never released: one warning

    @property
    def on_error(self) -> OnError:
        return self.settings.on_error

    # --- counters ------------------------------------------------------------------------

    @property
    def compressions(self) -> int:
        """Requests compressed (whether or not the engine found JSON worth rewriting)."""
        return self.ledger.total.compressions

    @property
    def failures(self) -> int:
        """Requests whose compression failed (sent unchanged, or raised)."""
        return self.ledger.total.failures

    @property
    def tokens_before(self) -> int:
        return self.ledger.total.tokens_before

    @property
    def tokens_after(self) -> int:
        return self.ledger.total.tokens_after

    @property
    def tokens_saved(self) -> int:
        """Tokens saved over every compression this hook made."""
        return self.ledger.total.tokens_saved

    @property
    def backend(self) -> str:
        return self._kaizen.backend.name

    def stats(self) -> dict[str, int]:
        """The cumulative counters as a dict (for logs and dashboards)."""
        names = ("compressions", "failures", "tokens_before", "tokens_after", "tokens_saved")
        return {name: getattr(self.ledger.total, name) for name in names}

    def __repr__(self) -> str:
        total = self.ledger.total
        return (
            f"KaizenHook(backend={self.backend!r}, compressions={total.compressions}, "
            f"tokens_saved={total.tokens_saved}, failures={total.failures})"
        )

    # --- request side --------------------------------------------------------------------

    def _prepare(self, data: dict[str, Any], call_type: Any) -> list[Any] | None:
        """The messages to compress, or ``None`` to leave the request alone."""
        if req.call_type_name(call_type) not in req.MESSAGE_CALL_TYPES:
            return None
        req.take_decode_flag(data)
        messages = req.messages_of(data)
        if messages is None or req.already_compressed(data, messages):
            return None
        return messages

    def _apply(self, data: dict[str, Any], out: list[Any], savings: Savings) -> dict[str, Any]:
        self.ledger.add(SavingsTotals.of_call(savings, items=len(out)))
        data["messages"] = out
        req.record(data, savings, out)
        return data

    def compress_request(
        self, data: dict[str, Any], call_type: Any = "completion"
    ) -> dict[str, Any]:
        """Put compressed messages (a new list) into ``data``, record the savings; sync."""
        messages = self._prepare(data, call_type)
        if messages is None:
            return data
        backend = self._kaizen.backend
        done = self._kaizen.guard.run(lambda: backend.compress(messages), None, "compress_request")
        return data if done.value is None else self._apply(data, *done.value)

    async def acompress_request(
        self, data: dict[str, Any], call_type: Any = "acompletion"
    ) -> dict[str, Any]:
        """Put compressed messages (a new list) into ``data``, record the savings; async."""
        messages = self._prepare(data, call_type)
        if messages is None:
            return data
        backend = self._kaizen.backend
        done = await self._kaizen.guard.arun(
            lambda: backend.acompress(messages), None, "acompress_request"
        )
        return data if done.value is None else self._apply(data, *done.value)

    async def async_pre_call_deployment_hook(
        self, kwargs: dict[str, Any], call_type: Any
    ) -> dict[str, Any] | None:
        """SDK ``acompletion`` and ``Router.acompletion``: runs once per attempt."""
        return await self.acompress_request(kwargs, call_type)

    async def async_pre_call_hook(
        self, user_api_key_dict: Any, cache: Any, data: dict[str, Any], call_type: Any
    ) -> dict[str, Any]:
        """Proxy: every request, before routing (``/chat/completions`` is ``"acompletion"``)."""
        return await self.acompress_request(data, call_type)

    def log_pre_api_call(self, model: Any, messages: Any, kwargs: dict[str, Any]) -> None:
        """Sync calls: LiteLLM runs no pre-call hook for them, so say so once."""
        if not req.is_unhooked_sync_call(kwargs) or not self._sync_warning.acquire(blocking=False):
            return
        logger.warning(
            "KaizenHook cannot compress litellm.completion (sync): LiteLLM runs pre-call hooks "
            "for async calls only, so these messages were sent uncompressed. Call "
            "kaizen_litellm.completion(...) (same arguments) or litellm.acompletion instead."
        )

    # --- reply side ----------------------------------------------------------------------

    async def async_post_call_success_deployment_hook(
        self, request_data: dict[str, Any], response: Any, call_type: Any
    ) -> Any:
        """SDK and Router: decode a whole TOON reply when asked.

        Not called for streams (LiteLLM's streaming deployment hook sees only the final
        chunk): streamed replies are decoded by :func:`kaizen_litellm.acompletion`.
        """
        if req.wants_decoding(request_data, self.decode_replies):
            decode_response(response)
        return response

    async def async_post_call_success_hook(
        self, data: dict[str, Any], user_api_key_dict: Any, response: Any
    ) -> Any:
        """Proxy, non-streamed: decode a TOON reply when asked."""
        if req.wants_decoding(data, self.decode_replies):
            decode_response(response)
        return response

    async def async_post_call_streaming_iterator_hook(
        self, user_api_key_dict: Any, response: Any, request_data: dict[str, Any]
    ) -> AsyncGenerator[Any, None]:
        """Proxy, streamed: every chunk passes; the text is released decoded at the end."""
        if not req.wants_decoding(request_data, self.decode_replies):
            async for chunk in response:
                yield chunk
            return
        async for chunk in adecode_stream(response):
            yield chunk
