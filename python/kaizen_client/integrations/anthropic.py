"""Anthropic SDK adapter: ``wrap_anthropic(Anthropic())`` sends the JSON in messages compressed.

``messages.create`` (whole or ``stream=True``), ``messages.stream`` and ``messages.parse`` of
an ``Anthropic`` or ``AsyncAnthropic`` client: ``tool_result`` blocks (string or text-block
content), user text and text blocks go through the engine. Prompt caching is respected:
messages up to and including the last ``cache_control`` breakpoint (on a message or a block,
``tool_result`` blocks included) are sent exactly as given, and a request with a top-level
``cache_control`` (automatic caching of the whole prompt) is sent untouched. ``system``,
``tools``, ``tool_use`` inputs and assistant turns are never rewritten. Provider exceptions
reach the caller as the SDK raised them.

Importing this module needs no SDK; :class:`AnthropicKaizenWrapper` (the kaizen-client
0.1.4 class) does, and names the extra to install when it is missing.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from ..client import KaizenClient, KaizenSyncClient
from ._provider import (
    Endpoint,
    KaizenCall,
    ProviderKaizen,
    bind_state,
    compat_result,
    is_async,
    kaizen_call,
    kaizen_state,
    message_list_slots,
    method_wrapper,
    patch,
    patch_copies,
    provider_state,
    require,
)
from ._stream_helpers import manager_for
from .settings import IntegrationSettings

C = TypeVar("C")


def _cached_whole_prompt(kwargs: dict[str, Any]) -> bool:
    """A top-level ``cache_control`` caches the prompt through its last block: leave it be."""
    state = kwargs.get("cache_control")
    return isinstance(state, dict) and bool(state)


def _message_text(message: Any) -> str | None:
    parts = [
        block.text
        for block in getattr(message, "content", None) or []
        if getattr(block, "type", None) == "text" and isinstance(getattr(block, "text", None), str)
    ]
    return "".join(parts) if parts else None


def _event_text(event: Any) -> str | None:
    if getattr(event, "type", None) != "content_block_delta":
        return None
    delta = getattr(event, "delta", None)
    if getattr(delta, "type", None) == "text_delta":
        text = getattr(delta, "text", None)
        return text if isinstance(text, str) else None
    return None


def _final_text(stream: Any) -> str | None:
    """The text a ``messages.stream`` helper accumulated (``None`` before any event)."""
    try:
        snapshot = stream.current_message_snapshot
    except AssertionError:  # the SDK asserts that message_start arrived
        return None
    return _message_text(snapshot)


def _endpoints(async_client: bool) -> dict[str, Endpoint]:
    def endpoint(method: str, reply: Callable[[Any], str | None], **extra: Any) -> Endpoint:
        return Endpoint(
            "anthropic",
            f"messages.{method}",
            "messages",
            message_list_slots,
            reply,
            _event_text,
            skip=_cached_whole_prompt,
            **extra,
        )

    return {
        "create": endpoint("create", _message_text),
        "parse": endpoint("parse", _message_text),
        "stream": endpoint(
            "stream", _message_text, async_manager=async_client, manager=manager_for(_final_text)
        ),
    }


def _attach(client: Any, state: ProviderKaizen) -> Any:
    state_for = bind_state(client, state)

    resource = client.messages
    async_client = is_async(resource.create)
    for method, endpoint in _endpoints(async_client).items():
        if callable(getattr(resource, method, None)):
            patch(resource, method, method_wrapper(endpoint, state_for))
    patch_copies(client, _attach)
    return client


def wrap_anthropic(
    client: C,
    /,
    *,
    settings: IntegrationSettings | None = None,
    decode_replies: bool = False,
    **options: Any,
) -> C:
    """``client`` (``Anthropic`` or ``AsyncAnthropic``) sending compressed JSON.

    The same contract as :func:`~kaizen_client.integrations.openai.wrap_openai`: the client
    itself comes back patched; ``options`` are ``IntegrationSettings`` fields; tokens are
    counted with each request's model (an estimate for Claude: Anthropic publishes no offline
    tokenizer) unless ``model`` is given; ``decode_replies`` / ``kaizen_decode_reply=True``
    read a TOON/KTOF/JSON reply into :func:`kaizen_call`'s ``decoded`` (``create`` whole or
    streamed, ``parse``; for ``messages.stream``, ``kaizen_call(stream)`` of the helper's own
    stream object, read when its ``with`` block ends).
    """
    state = provider_state("anthropic", settings, options, decode_replies=decode_replies)
    return _attach(client, state)  # type: ignore[no-any-return]


class AnthropicKaizenWrapper:
    """The kaizen-client 0.1.4 class, kept for code written against it.

    ``await wrapper.chat(messages, **options)`` calls ``messages.create`` on an
    ``AsyncAnthropic`` client (0.1.4 blocked the event loop with a sync one) and returns
    ``{"encoded", "anthropic_response", "decoded"}``; the messages are sent as messages with
    their JSON compressed (0.1.4 sent one KTOF string of the whole prompt). ``max_tokens``
    defaults to 1024 when not given (the Messages API requires it), and ``system`` messages
    (OpenAI style) become the ``system`` parameter.
    """

    def __init__(
        self,
        kaizen: KaizenClient | KaizenSyncClient | None = None,
        *,
        model: str = "claude-3-5-sonnet-20240620",
        client: Any = None,
    ) -> None:
        if client is None:
            client = require("anthropic", "anthropic").AsyncAnthropic()
        self._kaizen = kaizen
        self._model = model
        self._client = wrap_anthropic(client, kaizen=kaizen, decode_replies=True)

    async def chat(self, messages: list[dict[str, Any]], **options: Any) -> dict[str, Any]:
        options.setdefault("max_tokens", 1024)
        system = [m["content"] for m in messages if m.get("role") == "system"]
        if system and "system" not in options:  # OpenAI-style system turns, as 0.1.4 took
            options["system"] = "\n\n".join(str(text) for text in system)
            messages = [m for m in messages if m.get("role") != "system"]
        response = await self._client.messages.create(
            model=self._model, messages=messages, **options
        )
        return compat_result("anthropic_response", response)


__all__ = [
    "AnthropicKaizenWrapper",
    "KaizenCall",
    "kaizen_call",
    "kaizen_state",
    "wrap_anthropic",
]
