"""OpenAI SDK adapter: ``wrap_openai(OpenAI())`` sends the JSON in its messages compressed.

``chat.completions.create`` / ``.parse`` (and ``.stream``, which calls ``create``) and
``responses.create`` / ``.parse`` (and ``.stream``) of an ``OpenAI``, ``AsyncOpenAI``,
``AzureOpenAI`` or any OpenAI-compatible ``base_url`` client: tool results, user text and
content parts, ``function_call_output`` items and a string ``input`` go through the engine;
every other argument, and everything the provider answers, passes through untouched.
Provider exceptions reach the caller as the SDK raised them. The SDK is not imported here:
the adapter works on the client it is given (``OpenAIKaizenWrapper`` imports it).

Importing this module needs no SDK; :class:`OpenAIKaizenWrapper` (the kaizen-client 0.1.4
class) does, and names the extra to install when it is missing.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any, TypeVar

from ..client import KaizenClient, KaizenSyncClient
from ._provider import (
    Endpoint,
    KaizenCall,
    ProviderKaizen,
    Slot,
    bind_state,
    compat_result,
    is_async,
    kaizen_call,
    kaizen_state,
    keep,
    message_list_slots,
    method_wrapper,
    patch,
    patch_copies,
    provider_state,
    require,
)
from ._stream_helpers import helper_method
from .settings import IntegrationSettings

C = TypeVar("C")


# --- request shapes --------------------------------------------------------------------------


def _with_output(item: Mapping[str, Any]) -> Callable[[Any], Any]:
    def back(message: Any) -> Any:
        return {**item, "output": message["content"]}

    return back


def _input_item(item: Any) -> Slot:
    if not isinstance(item, Mapping):
        return keep(item)  # SDK objects passed back (earlier output items): left as they are
    if item.get("type") == "function_call_output" and isinstance(item.get("output"), (str, list)):
        return Slot(item, {"role": "tool", "content": item["output"]}, _with_output(item))
    if "role" in item:
        return Slot(item, item)
    return keep(item)


def _responses_slots(value: Any) -> tuple[list[Slot], Callable[[list[Any]], Any]]:
    """A string ``input`` is one user message; a list is items of several kinds."""
    if isinstance(value, str):
        slot = Slot(value, {"role": "user", "content": value}, lambda message: message["content"])
        return [slot], lambda items: items[0]
    if isinstance(value, Mapping):
        return [keep(value)], lambda items: items[0]
    return [_input_item(item) for item in value], list


# --- reply text ------------------------------------------------------------------------------


def _chat_text(response: Any) -> str | None:
    choices = getattr(response, "choices", None) or []
    content = getattr(getattr(choices[0], "message", None), "content", None) if choices else None
    return content if isinstance(content, str) else None


def _chunk_text(chunk: Any) -> str | None:
    for choice in getattr(chunk, "choices", None) or []:
        if int(getattr(choice, "index", 0) or 0) == 0:
            content = getattr(getattr(choice, "delta", None), "content", None)
            return content if isinstance(content, str) else None
    return None


def _response_text(response: Any) -> str | None:
    text = getattr(response, "output_text", None)
    return text if isinstance(text, str) else None


def _event_text(event: Any) -> str | None:
    if getattr(event, "type", None) == "response.output_text.delta":
        delta = getattr(event, "delta", None)
        return delta if isinstance(delta, str) else None
    return None


CHAT = "chat.completions"
RESPONSES = "responses"
_ENDPOINTS: dict[tuple[str, str], Endpoint] = {
    (CHAT, method): Endpoint(
        "openai", f"{CHAT}.{method}", "messages", message_list_slots, _chat_text, _chunk_text
    )
    for method in ("create", "parse")
} | {
    (RESPONSES, method): Endpoint(
        "openai", f"{RESPONSES}.{method}", "input", _responses_slots, _response_text, _event_text
    )
    for method in ("create", "parse")
}


# --- wrapping --------------------------------------------------------------------------------


def _attach(client: Any, state: ProviderKaizen) -> Any:
    state_for = bind_state(client, state)

    chat = getattr(client, "chat", None)
    resources = {
        CHAT: getattr(chat, "completions", None),
        RESPONSES: getattr(client, "responses", None),
    }
    for (where, method), endpoint in _ENDPOINTS.items():
        resource = resources[where]
        if resource is not None and callable(getattr(resource, method, None)):
            patch(resource, method, method_wrapper(endpoint, state_for))
    for resource in resources.values():  # the stream helpers call the patched ``create``
        if resource is not None and callable(getattr(resource, "stream", None)):
            patch(resource, "stream", helper_method(state_for, is_async(resource.create)))
    patch_copies(client, _attach)
    return client


def wrap_openai(
    client: C,
    /,
    *,
    settings: IntegrationSettings | None = None,
    decode_replies: bool = False,
    **options: Any,
) -> C:
    """``client`` (``OpenAI``, ``AsyncOpenAI``, ``AzureOpenAI``, …) sending compressed JSON.

    The client itself is returned, patched (so it is still an instance of its class, and
    ``with_options()`` copies are wrapped too). ``options`` are
    :class:`~kaizen_client.integrations.IntegrationSettings` fields (``min_tokens_saved``,
    ``on_error``, ``client=``/``kaizen=`` a Kaizen client, ``base_url``/``api_key`` of a
    Kaizen server, …); without ``model``, tokens are counted with each request's model.
    ``decode_replies=True`` (or ``kaizen_decode_reply=True`` per call) reads TOON/KTOF/JSON
    replies into :func:`kaizen_call`'s ``decoded`` (for the ``.stream()`` helpers,
    ``kaizen_call(stream)`` of the SDK's stream object, read when its ``with`` ends; see
    :mod:`._stream_helpers`). Wrapping again replaces the settings;
    it never compresses twice. Running totals: :func:`kaizen_state`.
    """
    state = provider_state("openai", settings, options, decode_replies=decode_replies)
    return _attach(client, state)  # type: ignore[no-any-return]


# --- kaizen-client 0.1.4 --------------------------------------------------------------------


class OpenAIKaizenWrapper:
    """The kaizen-client 0.1.4 class, kept for code written against it.

    ``await wrapper.chat(messages, **options)`` calls ``responses.create(model=...,
    input=messages, **options)`` on an ``AsyncOpenAI`` client (0.1.4 used a blocking
    ``OpenAI`` client inside ``async def``) and returns ``{"encoded", "openai_response",
    "decoded"}``. Unlike 0.1.4, which sent the whole prompt as one KTOF string, the
    messages are sent as messages with the JSON inside them compressed: ``encoded`` is
    ``{"result": <the messages sent>, "stats": <the savings>}`` and ``decoded`` is
    ``{"result": <the reply's data>}`` (the reply's text when it holds no data).
    ``kaizen`` decides where compression runs (its own mode: local engine or server).
    """

    def __init__(
        self,
        kaizen: KaizenClient | KaizenSyncClient | None = None,
        *,
        model: str = "gpt-4o-mini",
        client: Any = None,
    ) -> None:
        if client is None:
            client = require("openai", "openai").AsyncOpenAI()
        self._kaizen = kaizen
        self._model = model
        self._client = wrap_openai(client, kaizen=kaizen, decode_replies=True)

    async def chat(self, messages: list[dict[str, Any]], **options: Any) -> dict[str, Any]:
        response = await self._client.responses.create(model=self._model, input=messages, **options)
        return compat_result("openai_response", response)


__all__ = [
    "KaizenCall",
    "OpenAIKaizenWrapper",
    "kaizen_call",
    "kaizen_state",
    "wrap_openai",
]
