"""google-genai adapter: ``wrap_gemini(genai.Client())`` sends the JSON in its contents compressed.

``models.generate_content`` and ``models.generate_content_stream``, and the same under
``client.aio``: user text parts (a string, a list of strings, ``Content``/``Part`` objects or
their dicts) and ``function_response`` parts go through the engine; ``model`` turns, the
``config`` (system instruction, tools, schema) and every other part kind pass untouched.

A ``function_response`` is a JSON object on the wire, not text, so it is compressed the way
the Gemini API documents function output: a string ``output`` is compressed in place; a
response that is structured data (under ``output``, or the whole response when it has no
``output``/``error`` key, which the API then treats as the output) is sent as
``{"output": "<KTOF text>"}`` when that saves tokens, and the KTOF decodes to exactly the
original object. Responses with an ``error`` are left alone. Automatic function calling's
follow-up turns (made inside the SDK) are not compressed: only the call you make is.

Importing this module needs no SDK; :class:`GeminiKaizenWrapper` (the kaizen-client 0.1.4
class) does, and names the extra to install when it is missing.
"""

from __future__ import annotations

import json
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
    kaizen_call,
    kaizen_state,
    keep,
    method_wrapper,
    patch,
    provider_state,
    require,
    same,
)
from .settings import IntegrationSettings

C = TypeVar("C")
_Back = Callable[[Any], Any]


def _plain(value: Any) -> Any:
    """A ``Content``/``Part`` pydantic object as the dict the SDK would build from it."""
    dump = getattr(value, "model_dump", None)
    return dump(exclude_none=True) if callable(dump) else value


def _function_output(response: Mapping[str, Any]) -> tuple[str, Callable[[str], Any]] | None:
    """The text of a function response's output, and how to build the response back."""
    output = response.get("output")
    if isinstance(output, str):
        return output, lambda text: {**response, "output": text}
    if "error" in response:
        return None
    if "output" in response and set(response) != {"output"}:
        return None
    data = output if "output" in response else dict(response)
    try:
        text = json.dumps(data, ensure_ascii=False)
    except (TypeError, ValueError):
        return None
    return text, lambda new: {"output": new}


def _part(part: Any) -> tuple[Any, _Back | None]:
    """How the engine sees one part (an OpenAI-style content part) and how to put it back."""
    data = _plain(part)
    if not isinstance(data, Mapping):
        return {"type": "other"}, None
    text = data.get("text")
    if isinstance(text, str) and not data.get("thought"):
        return {"type": "text", "text": text}, lambda new: {**data, "text": new["text"]}
    call = data.get("function_response")
    response = call.get("response") if isinstance(call, Mapping) else None
    if isinstance(call, Mapping) and isinstance(response, Mapping):
        found = _function_output(response)
        if found is not None:
            output, build = found

            def back(new: Any) -> Any:
                return {**data, "function_response": {**call, "response": build(new["content"])}}

            return {"type": "tool_result", "content": output}, back
    return {"type": "other"}, None


def _parts_message(parts: list[Any]) -> tuple[dict[str, Any], Callable[[Any], list[Any]]]:
    views, backs = zip(*(_part(part) for part in parts), strict=True) if parts else ((), ())
    message = {"role": "user", "content": list(views)}

    def back(new: Any) -> list[Any]:
        out = []
        for part, view, rebuild, result in zip(parts, views, backs, new["content"], strict=True):
            out.append(part if same(result, view) or rebuild is None else rebuild(result))
        return out

    return message, back


def _content(item: Any) -> Slot:
    if isinstance(item, str):
        return Slot(item, {"role": "user", "content": item}, lambda new: new["content"])
    data = _plain(item)
    if not isinstance(data, Mapping):
        return keep(item)
    if "parts" not in data:  # a single Part in a list of parts
        message, back = _parts_message([item])
        return Slot(item, message, lambda new: back(new)[0])
    if data.get("role") == "model" or not isinstance(data.get("parts"), list):
        return keep(item)
    message, back = _parts_message(data["parts"])
    return Slot(item, message, lambda new: {**data, "parts": back(new)})


def _slots(value: Any) -> tuple[list[Slot], Callable[[list[Any]], Any]]:
    if isinstance(value, (str, Mapping)) or hasattr(value, "model_dump"):
        return [_content(value)], lambda items: items[0]
    return [_content(item) for item in value], list


def _text(response: Any) -> str | None:
    candidates = getattr(response, "candidates", None) or []
    content = getattr(candidates[0], "content", None) if candidates else None
    parts = [
        part.text
        for part in getattr(content, "parts", None) or []
        if isinstance(getattr(part, "text", None), str) and not getattr(part, "thought", None)
    ]
    return "".join(parts) if parts else None


_ENDPOINTS = {
    "generate_content": Endpoint(
        "gemini", "models.generate_content", "contents", _slots, _text, _text
    ),
    "generate_content_stream": Endpoint(
        "gemini",
        "models.generate_content_stream",
        "contents",
        _slots,
        _text,
        _text,
        streams=lambda kwargs: True,
    ),
}


def _attach(client: Any, state: ProviderKaizen) -> Any:
    state_for = bind_state(client, state)

    for models in (client.models, client.aio.models):
        for method, endpoint in _ENDPOINTS.items():
            patch(models, method, method_wrapper(endpoint, state_for))
    return client


def wrap_gemini(
    client: C,
    /,
    *,
    settings: IntegrationSettings | None = None,
    decode_replies: bool = False,
    **options: Any,
) -> C:
    """A ``google.genai.Client`` sending compressed JSON (``client.aio`` included).

    The same contract as :func:`~kaizen_client.integrations.openai.wrap_openai`; Gemini token
    counts are estimates (Google publishes no offline tokenizer).
    """
    state = provider_state("gemini", settings, options, decode_replies=decode_replies)
    return _attach(client, state)  # type: ignore[no-any-return]


class GeminiKaizenWrapper:
    """The kaizen-client 0.1.4 class, kept for code written against it.

    ``await wrapper.invoke(prompt)`` sends the prompt to ``client.aio.models.generate_content``
    (google-genai's async API; 0.1.4 used the retired ``google-generativeai`` SDK and blocked
    the event loop) and returns ``{"encoded", "gemini_response", "decoded"}``. A prompt with
    ``messages`` (OpenAI style) is sent as contents (system messages become the system
    instruction, assistant turns ``model`` turns); any other prompt is sent as one user text
    of its JSON, compressed. 0.1.4 sent one KTOF string of the whole prompt instead.
    """

    def __init__(
        self,
        kaizen: KaizenClient | KaizenSyncClient | None = None,
        *,
        model: str = "models/gemini-2.5-flash",
        client: Any = None,
    ) -> None:
        if client is None:
            client = require("google.genai", "gemini").Client()
        self._kaizen = kaizen
        self._model = model
        self._client = wrap_gemini(client, kaizen=kaizen, decode_replies=True)

    async def invoke(self, prompt: Any) -> dict[str, Any]:
        contents, system = _prompt_contents(prompt)
        config = {"system_instruction": system} if system else None
        response = await self._client.aio.models.generate_content(
            model=self._model, contents=contents, config=config
        )
        return compat_result("gemini_response", response)


def _prompt_contents(prompt: Any) -> tuple[Any, str | None]:
    if isinstance(prompt, str):
        return prompt, None
    messages = prompt.get("messages") if isinstance(prompt, Mapping) else None
    if not isinstance(messages, list):
        return json.dumps(prompt, ensure_ascii=False), None
    system = [str(m.get("content")) for m in messages if m.get("role") == "system"]
    contents = [
        {
            "role": "model" if m.get("role") == "assistant" else "user",
            "parts": [{"text": m.get("content") if isinstance(m.get("content"), str) else ""}],
        }
        for m in messages
        if m.get("role") != "system"
    ]
    return contents, ("\n\n".join(system) or None)


__all__ = [
    "GeminiKaizenWrapper",
    "KaizenCall",
    "kaizen_call",
    "kaizen_state",
    "wrap_gemini",
]
