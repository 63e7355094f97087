"""LangChain messages to the engine's OpenAI-style dicts and back, losing nothing.

Only ``role`` and ``content`` go to the engine (it never reads anything else), so ids,
``tool_call_id``, ``name``, ``additional_kwargs``, ``response_metadata`` and tool calls cannot
be changed or leak to a remote server. On the way back a message whose content did not change
is returned as the same object; one that changed is a shallow ``model_copy`` with the new
content, so every other field is kept as it was.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any

from langchain_core.messages import (
    AIMessage,
    BaseMessage,
    ChatMessage,
    FunctionMessage,
    HumanMessage,
    SystemMessage,
    ToolMessage,
)
from langchain_core.prompt_values import ChatPromptValue, StringPromptValue

# LangChain message class (chunks are subclasses) -> the role the engine understands. The
# engine leaves "assistant" alone (a model imitates its own turns), so AI messages keep
# their JSON.
_ROLES: tuple[tuple[type[BaseMessage], str], ...] = (
    (HumanMessage, "user"),
    (SystemMessage, "system"),
    (AIMessage, "assistant"),
    (ToolMessage, "tool"),
    (FunctionMessage, "function"),
)
# Marks a bare-string content part that was wrapped as a text part for the engine.
_BARE = "__kaizen_bare__"


def role_of(message: BaseMessage) -> str | None:
    """The engine role of ``message``, or None for a message class it should not touch."""
    if isinstance(message, ChatMessage):
        return message.role
    for cls, role in _ROLES:
        if isinstance(message, cls):
            return role
    return None


def to_engine(messages: Sequence[Any]) -> list[Any]:
    """Engine-shaped view of ``messages``: BaseMessages become ``{role, content}`` dicts.

    Dicts (already OpenAI-style) go as they are. Anything else, and messages of an unknown
    class, become ``None``: the engine skips what is not a mapping.
    """
    out: list[Any] = []
    for message in messages:
        if isinstance(message, BaseMessage):
            role = role_of(message)
            if role is None:
                out.append(None)
            else:
                out.append({"role": role, "content": _content_to_engine(message.content)})
        elif isinstance(message, Mapping):
            out.append(message)
        else:
            out.append(None)
    return out


def _content_to_engine(content: Any) -> Any:
    if not isinstance(content, list) or not any(isinstance(p, str) for p in content):
        return content
    # Bare strings in a content list are text parts to LangChain; the engine only reads
    # dict parts, so wrap them (and unwrap on the way back).
    return [{"type": "text", "text": p, _BARE: True} if isinstance(p, str) else p for p in content]


def from_engine(originals: Sequence[Any], compressed: Sequence[Any]) -> list[Any]:
    """``originals`` with the compressed content put back; unchanged messages are kept as is."""
    if len(compressed) != len(originals):
        raise ValueError(
            f"compression returned {len(compressed)} messages for {len(originals)}; not used"
        )
    out: list[Any] = []
    for original, new in zip(originals, compressed, strict=True):
        if not isinstance(original, BaseMessage):
            out.append(new if isinstance(original, Mapping) else original)
            continue
        if role_of(original) is None:
            out.append(original)
            continue
        if not isinstance(new, Mapping):
            raise ValueError("compression returned a message that is not an object; not used")
        content = _content_from_engine(new.get("content"))
        if content == original.content:
            out.append(original)
        else:
            out.append(original.model_copy(update={"content": content}))
    return out


def _content_from_engine(content: Any) -> Any:
    if not isinstance(content, list):
        return content
    return [p["text"] if isinstance(p, Mapping) and p.get(_BARE) is True else p for p in content]


def text_to_engine(text: str) -> list[dict[str, Any]]:
    """A plain string prompt as one user message."""
    return [{"role": "user", "content": text}]


def text_from_engine(compressed: Sequence[Any]) -> str:
    """The string back out of :func:`text_to_engine`'s message."""
    if len(compressed) != 1 or not isinstance(compressed[0], Mapping):
        raise ValueError("compression returned an unexpected shape for a string prompt")
    content = compressed[0].get("content")
    if not isinstance(content, str):
        raise ValueError("compression returned non-text content for a string prompt")
    return content


def unpack(value: Any) -> tuple[list[Any], Callable[[list[Any]], Any]]:
    """Engine messages for a runnable input, and how to build the same kind of output.

    Accepts a ``PromptValue`` (chat or string), a sequence of messages (LangChain messages
    or OpenAI-style dicts) or a plain string; anything else is a ``TypeError``.
    """
    if isinstance(value, str):
        return text_to_engine(value), text_from_engine
    if isinstance(value, StringPromptValue):
        return text_to_engine(value.text), lambda new: StringPromptValue(text=text_from_engine(new))
    if isinstance(value, ChatPromptValue):
        originals = value.messages
        return to_engine(originals), lambda new: ChatPromptValue(
            messages=from_engine(originals, new)
        )
    if isinstance(value, Sequence):
        items = list(value)
        return to_engine(items), lambda new: from_engine(items, new)
    raise TypeError(
        "KaizenCompressor takes a PromptValue, a list of messages or a string, "
        f"not {type(value).__name__}"
    )
