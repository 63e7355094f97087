"""``KaizenHook``: a LiteLLM ``CustomLogger`` that compresses the JSON in chat requests.

One object serves every entry point because LiteLLM calls a different hook in each: the
SDK and the Router call ``async_pre_call_deployment_hook`` (async calls only), the Proxy
calls ``async_pre_call_hook`` (looked up on the registered class itself, so it is defined
here, not inherited), and sync callers use :meth:`KaizenHook.compress_request` through
:func:`kaizen_litellm.completion`. The reply hooks decode TOON answers when asked.
"""

from __future__ import annotations

import threading
from collections.abc import AsyncGenerator
from typing import Any, Literal

from litellm.integrations.custom_logger import CustomLogger

from kaizen_client import KaizenClient, KaizenSyncClient
from kaizen_client.engine import CompressionOptions
from kaizen_client.integrations import Savings, describe_error, make_backend
from kaizen_client.models import DEFAULT_MIN_PERCENT_SAVED, DEFAULT_MIN_TOKENS_SAVED, DEFAULT_MODEL

from . import _request as req
from ._errors import KaizenCompressionError, warn_fallback
from ._reply import adecode_stream, decode_response

OnError = Literal["fallback", "raise"]


class KaizenHook(CustomLogger):
    """Compress the JSON inside ``messages`` before LiteLLM sends them to the provider.

    Local engine by default; ``client=`` (a ``KaizenClient``/``KaizenSyncClient``),
    ``base_url=`` or ``api_key=`` select a Kaizen server. On failure the request goes out
    unchanged and ``failures`` counts it; ``on_error="raise"`` raises instead.
    ``decode_replies=True`` decodes every TOON reply (else only requests flagged with
    ``kaizen_decode_reply``).
    """

    def __init__(
        self,
        *,
        model: str = DEFAULT_MODEL,
        min_tokens_saved: int = DEFAULT_MIN_TOKENS_SAVED,
        min_percent_saved: float = DEFAULT_MIN_PERCENT_SAVED,
        mode: Literal["auto", "toon"] = "auto",
        preserve_prefix: int = 0,
        respect_cache_control: bool = True,
        on_error: OnError = "fallback",
        decode_replies: bool = False,
        client: KaizenClient | KaizenSyncClient | None = None,
        base_url: str | None = None,
        api_key: str | None = None,
    ) -> None:
        super().__init__()
        if on_error not in ("fallback", "raise"):
            raise ValueError("on_error must be 'fallback' or 'raise'")
        self.on_error: OnError = on_error
        self.decode_replies = decode_replies
        self.compressions = 0
        self.failures = 0
        self.tokens_before = 0
        self.tokens_after = 0
        self._lock = threading.Lock()
        options = CompressionOptions(
            min_tokens_saved=min_tokens_saved,
            min_percent_saved=min_percent_saved,
            mode=mode,
            preserve_prefix=preserve_prefix,
            respect_cache_control=respect_cache_control,
        )
        self._secrets = [api_key, client.config.api_key if client is not None else None]
        self._backend = make_backend(
            model, options, client=client, base_url=base_url, api_key=api_key
        )

    # --- counters ------------------------------------------------------------------------

    @property
    def tokens_saved(self) -> int:
        """Tokens saved over every compression this hook made."""
        return self.tokens_before - self.tokens_after

    @property
    def backend(self) -> str:
        return self._backend.name

    def stats(self) -> dict[str, int]:
        """The cumulative counters as a dict (for logs and dashboards)."""
        with self._lock:
            return {
                "compressions": self.compressions,
                "failures": self.failures,
                "tokens_before": self.tokens_before,
                "tokens_after": self.tokens_after,
                "tokens_saved": self.tokens_saved,
            }

    def __repr__(self) -> str:
        return (
            f"KaizenHook(backend={self.backend!r}, compressions={self.compressions}, "
            f"tokens_saved={self.tokens_saved}, failures={self.failures})"
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
        with self._lock:
            self.compressions += 1
            self.tokens_before += savings.tokens_before
            self.tokens_after += savings.tokens_after
        data["messages"] = out
        req.record(data, savings, out)
        return data

    def _failed(self, exc: Exception, where: str) -> None:
        with self._lock:
            self.failures += 1
        description = describe_error(exc, self._secrets)
        if self.on_error == "raise":
            raise KaizenCompressionError(f"Kaizen compression failed: {description}") from None
        warn_fallback(where, description)

    def compress_request(
        self, data: dict[str, Any], call_type: Any = "completion"
    ) -> dict[str, Any]:
        """Put compressed messages (a new list) into ``data``, record the savings; sync."""
        messages = self._prepare(data, call_type)
        if messages is None:
            return data
        try:
            out, savings = self._backend.compress(messages)
        except Exception as exc:
            self._failed(exc, "compress_request")
            return data
        return self._apply(data, out, savings)

    async def acompress_request(
        self, data: dict[str, Any], call_type: Any = "acompletion"
    ) -> dict[str, Any]:
        """Put compressed messages (a new list) into ``data``, record the savings; async."""
        messages = self._prepare(data, call_type)
        if messages is None:
            return data
        try:
            out, savings = await self._backend.acompress(messages)
        except Exception as exc:
            self._failed(exc, "acompress_request")
            return data
        return self._apply(data, out, savings)

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
