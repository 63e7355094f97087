"""Reply decoding through the SDKs' own stream helpers, without changing their objects.

``chat.completions.stream``, ``responses.stream`` (OpenAI) and ``messages.stream``
(Anthropic) return a context manager whose ``with`` yields the SDK's own stream object, which
accumulates the reply itself. The manager is wrapped in a proxy (everything else delegated);
the stream object it yields is the SDK's, unchanged, with its :class:`KaizenCall` found by
``kaizen_call(stream)`` (or ``manager.kaizen``). The reply is read when the ``with`` block
ends (OpenAI: already when the stream is read to its end), from what arrived.

OpenAI's helpers call the wrapped ``create`` themselves when the ``with`` is entered; the
proxy hands that call a :class:`~._provider.HelperCall` through a context variable (the same
thread, or the same task for ``async with``), so the call made for this ``with`` is the one
reported, and nothing is sent differently. Anthropic's helper posts directly, so its request
is compressed by the patched ``messages.stream`` and the reply read from the helper's
``current_message_snapshot``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from ._provider import (
    DECODE_FLAG,
    HelperCall,
    KaizenCall,
    ProviderKaizen,
    remember,
    run_helper,
)

#: Reads the reply's text from the SDK's helper stream object when the ``with`` ends.
FinalText = Callable[[Any], "str | None"]


class _Manager:
    """What the sync and async proxies share: the holder, and reading the reply once."""

    def __init__(self, manager: Any, holder: HelperCall, final_text: FinalText | None) -> None:
        self._manager = manager
        self._holder = holder
        self._final_text = final_text
        self._stream: Any = None

    @property
    def kaizen(self) -> KaizenCall | None:
        """The call this ``with`` made (``None`` before it is entered)."""
        return self._holder.call

    def _entered(self, stream: Any) -> Any:
        self._stream = stream
        if self._holder.call is not None:
            remember(stream, self._holder.call)
        return stream

    def _finish(self) -> None:
        holder = self._holder
        call = holder.call
        if call is None or not call.decode:
            return
        if holder.collector is not None:
            holder.collector.finish()
        elif self._final_text is not None and self._stream is not None and call.text is None:
            call.read_reply(self._final_text(self._stream))

    def __getattr__(self, name: str) -> Any:
        return getattr(self._manager, name)


class StreamHelperManager(_Manager):
    """A sync stream helper's manager: the SDK's own ``with``, and the reply read at its end."""

    def __enter__(self) -> Any:
        return self._entered(run_helper(self._holder, self._manager.__enter__))

    def __exit__(self, *exc: Any) -> Any:
        try:
            return self._manager.__exit__(*exc)
        finally:
            self._finish()


class AsyncStreamHelperManager(_Manager):
    """Async :class:`StreamHelperManager` (``async with``)."""

    async def __aenter__(self) -> Any:
        token = self._holder.activate()
        try:
            stream = await self._manager.__aenter__()
        finally:
            self._holder.deactivate(token)
        return self._entered(stream)

    async def __aexit__(self, *exc: Any) -> Any:
        try:
            return await self._manager.__aexit__(*exc)
        finally:
            self._finish()


def helper_method(
    state_for: Callable[[], ProviderKaizen | None], async_client: bool
) -> Callable[[Any], Callable[..., Any]]:
    """The ``make`` for :func:`~._provider.patch` of an OpenAI ``stream`` helper method.

    Compression happens in the wrapped ``create`` the helper calls; this only takes the
    per-call decoding flag off (the helper would refuse an unknown keyword) and wraps the
    manager so the call is found and the reply read.
    """

    def make(original: Any) -> Callable[..., Any]:
        def stream(*args: Any, **kwargs: Any) -> Any:
            state = state_for()
            flag = kwargs.pop(DECODE_FLAG, None)
            if state is None:
                return original(*args, **kwargs)
            holder = HelperCall(decode=None if flag is None else bool(flag))
            manager = original(*args, **kwargs)
            if async_client:
                return AsyncStreamHelperManager(manager, holder, None)
            return StreamHelperManager(manager, holder, None)

        return stream

    return make


def manager_for(final_text: FinalText) -> Callable[[Any, KaizenCall], Any]:
    """Wrap the manager a patched ``stream`` method returned (the call is already made)."""

    def wrap(manager: Any, call: KaizenCall) -> Any:
        holder = HelperCall(call=call)
        if hasattr(manager, "__aenter__"):
            return AsyncStreamHelperManager(manager, holder, final_text)
        return StreamHelperManager(manager, holder, final_text)

    return wrap


__all__ = [
    "AsyncStreamHelperManager",
    "StreamHelperManager",
    "helper_method",
    "manager_for",
]
