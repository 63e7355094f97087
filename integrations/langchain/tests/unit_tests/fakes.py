"""Test doubles: a fake chat model that remembers what it was sent, and sample data."""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from langchain_core.language_models import LanguageModelInput
from langchain_core.language_models.fake_chat_models import GenericFakeChatModel
from langchain_core.messages import AIMessage, BaseMessage
from langchain_core.outputs import ChatResult
from langchain_core.runnables import Runnable
from pydantic import Field

from kaizen_client.testing import sample_rows


class RecordingChatModel(GenericFakeChatModel):
    """``GenericFakeChatModel`` that keeps every message list it received."""

    received: list[list[BaseMessage]] = Field(default_factory=list)

    def _generate(self, messages: list[BaseMessage], *args: Any, **kwargs: Any) -> ChatResult:
        self.received.append(list(messages))
        return super()._generate(messages, *args, **kwargs)

    def bind_tools(
        self, tools: Sequence[Any], *, tool_choice: Any = None, **kwargs: Any
    ) -> Runnable[LanguageModelInput, AIMessage]:
        return self  # the scripted replies already hold the tool calls


def rows(n: int = 40, offset: int = 0) -> list[dict[str, Any]]:
    """Uniform records (the core's test table): the shape KTOF tables compress best."""
    return sample_rows(n, offset)


def rows_json(n: int = 40, offset: int = 0) -> str:
    return json.dumps(rows(n, offset))
