"""``KaizenMiddleware``: compress every model call of a LangChain v1 agent.

``create_agent(model, tools, middleware=[KaizenMiddleware()])``: before each model call the
system message and the messages (tool results included) are compressed for that call only.
The request is replaced with ``request.override(...)``, so the agent's stored state keeps
the original messages and later turns and checkpoints see the real data. Needs the
``langchain`` package (``pip install 'langchain-kaizen[agents]'``).
"""

from __future__ import annotations

import contextlib
from collections.abc import Awaitable, Callable
from typing import Any

from langchain.agents.middleware.types import (
    AgentMiddleware,
    ModelCallResult,
    ModelRequest,
    ModelResponse,
)
from langchain_core.callbacks import adispatch_custom_event, dispatch_custom_event
from langchain_core.messages import SystemMessage

from .compressor import Event, KaizenCompressor


class KaizenMiddleware(AgentMiddleware):
    """Agent middleware around ``wrap_model_call``/``awrap_model_call``.

    Takes a configured :class:`KaizenCompressor` (``compressor=``), or builds one from the
    keyword arguments (``KaizenMiddleware(min_tokens_saved=20, on_error="raise")``).
    """

    def __init__(self, compressor: KaizenCompressor | None = None, **settings: Any) -> None:
        super().__init__()
        if compressor is not None and settings:
            raise TypeError("pass either a compressor or compressor settings, not both")
        self.compressor = compressor if compressor is not None else KaizenCompressor(**settings)

    def wrap_model_call(
        self,
        request: ModelRequest[Any],
        handler: Callable[[ModelRequest[Any]], ModelResponse[Any]],
    ) -> ModelCallResult[Any]:
        value = _prompt(request)
        out, event = self.compressor.compress(value, self.name)
        _dispatch(event)
        return handler(_rebuilt(request, value, out))

    async def awrap_model_call(
        self,
        request: ModelRequest[Any],
        handler: Callable[[ModelRequest[Any]], Awaitable[ModelResponse[Any]]],
    ) -> ModelCallResult[Any]:
        value = _prompt(request)
        out, event = await self.compressor.acompress(value, self.name)
        await _adispatch(event)
        return await handler(_rebuilt(request, value, out))


def _prompt(request: ModelRequest[Any]) -> list[Any]:
    """The system message (if any) followed by the messages, as one list to compress."""
    head: list[Any] = [request.system_message] if request.system_message is not None else []
    return [*head, *request.messages]


def _rebuilt(request: ModelRequest[Any], before: list[Any], after: Any) -> ModelRequest[Any]:
    if after is before:
        return request
    if request.system_message is None:
        return request.override(messages=list(after))
    system = after[0]
    assert isinstance(system, SystemMessage)
    return request.override(system_message=system, messages=list(after[1:]))


def _dispatch(event: Event) -> None:
    with contextlib.suppress(RuntimeError):  # outside a run (no parent run id): nobody to tell
        dispatch_custom_event(*event)


async def _adispatch(event: Event) -> None:
    with contextlib.suppress(RuntimeError):
        await adispatch_custom_event(*event)
