"""What the provider adapters (OpenAI, Anthropic, Gemini) share, over the integration core.

A wrapped SDK client carries one :class:`ProviderKaizen`: its frozen
:class:`~kaizen_client.integrations.IntegrationSettings`, a backend per tokenizer model, one
thread-safe :class:`~kaizen_client.integrations.SavingsLedger` and the core's
:class:`~kaizen_client.integrations.CompressionGuard` (fail open, or raise
``KaizenCompressionError``). An adapter only knows its wire format: it turns a request into
the OpenAI-style message list the engine reads (:class:`Slot`), and puts the engine's output
back into the provider's own shapes.

Wrapping patches methods on the client's own resource objects (the convention of tracing
libraries), so the client is still an instance of its SDK class everywhere; the originals
are kept, so wrapping twice never compresses twice. Replies are never changed: what Kaizen
adds (savings, decoded data) is a :class:`KaizenCall` found with :func:`kaizen_call`.
"""

from __future__ import annotations

import functools
import importlib
import inspect
import logging
import threading
import weakref
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator, Mapping
from contextvars import ContextVar, Token
from dataclasses import dataclass, field
from typing import Any

from ..tokens import tokenizer_info
from ._prices import input_price
from .backend import Backend
from .replies import reply_data
from .run import CompressionGuard
from .savings import Savings, SavingsLedger, SavingsTotals
from .settings import IntegrationSettings

logger = logging.getLogger("kaizen_client.integrations")

#: Per-call keyword (popped before the SDK sees it) overriding ``decode_replies``.
DECODE_FLAG = "kaizen_decode_reply"
#: Attribute of a wrapped client (and of its patched methods) holding the adapter state.
STATE_ATTR = "_kaizen_state"
_ORIGINAL = "__kaizen_original__"
#: Resource attributes the SDKs build from the methods at first access; dropped when patching
#: so that ``with_raw_response.create`` is rebuilt from the patched ``create``.
_DERIVED = ("with_raw_response", "with_streaming_response")


def require(module: str, extra: str) -> Any:
    """Import a provider SDK, or raise an ImportError naming the extra that installs it."""
    try:
        return importlib.import_module(module)
    except ImportError as exc:
        raise ImportError(
            f"{module!r} is not installed; install it with: pip install 'kaizen-client[{extra}]'"
        ) from exc


@dataclass
class KaizenCall:
    """What Kaizen did for one provider call, kept beside the provider's response.

    ``savings`` is ``None`` when the call failed open (``error`` says why, redacted) or
    carried nothing to compress. ``exact`` tells whether the token counts are the
    provider's own tokenizer (OpenAI models) or an estimate (see the token-counting policy).
    ``decoded`` is the reply's data (TOON/KTOF/JSON, bare or fenced) when decoding was asked
    for and the reply holds an object or array; for a stream it is set once the stream ends.
    """

    provider: str
    endpoint: str
    model: str
    savings: Savings | None = None
    error: str | None = None
    decode: bool = False
    decoded: Any = None
    text: str | None = None
    """The reply's text (when decoding was asked for), from which ``decoded`` was read."""
    sent: Any = None
    """The request field as it was sent (the messages, compressed or not)."""

    @property
    def exact(self) -> bool:
        """Whether the token counts are exact for the model (else an estimate)."""
        return tokenizer_info(self.savings.model if self.savings else self.model).exact

    @property
    def tokens_saved(self) -> int:
        return self.savings.tokens_saved if self.savings else 0

    @property
    def dollars_saved(self) -> float | None:
        """``tokens_saved`` at the model's input price from LiteLLM's price map (see
        :mod:`._prices`), or ``None`` when LiteLLM is not installed or lists no price.
        As approximate as the token counts when ``exact`` is false."""
        price = input_price(self.model, _PRICE_PROVIDERS.get(self.provider))
        return None if price is None else price * self.tokens_saved

    def read_reply(self, text: str | None) -> None:
        """Record the reply text and, when it holds an object or array, its data."""
        self.text = text
        self.decoded = reply_data(text) if text else None


_PRICE_PROVIDERS = {"gemini": "gemini", "anthropic": "anthropic", "openai": "openai"}
_calls: dict[int, KaizenCall] = {}
_calls_lock = threading.Lock()


def remember(response: Any, call: KaizenCall) -> None:
    """Keep ``call`` beside ``response`` for as long as the response lives."""
    try:
        weakref.finalize(response, _forget, id(response))
    except TypeError:  # not weak-referenceable (a plain value): nothing to attach to
        return
    with _calls_lock:
        _calls[id(response)] = call


def _forget(key: int) -> None:
    with _calls_lock:
        _calls.pop(key, None)


def kaizen_call(response: Any) -> KaizenCall | None:
    """The :class:`KaizenCall` of a response (or stream) a wrapped client returned."""
    with _calls_lock:
        return _calls.get(id(response))


@dataclass(frozen=True)
class Slot:
    """One request item as the engine sees it, and how to put a rewritten one back.

    ``message`` is a JSON-like OpenAI-style message (or ``{"role": "assistant"}`` standing in
    for an item the engine must not touch); ``back`` turns the engine's rewritten message into
    the provider's item. An unchanged message (the same object from the local engine, an
    equal one from a Kaizen server) gives back the original item, never a rebuilt one.
    """

    item: Any
    message: Any
    back: Callable[[Any], Any] | None = None

    def unchanged(self, new: Any) -> bool:
        return new is self.message or new == self.message

    def result(self, new: Any) -> Any:
        if self.unchanged(new):
            return self.item
        return new if self.back is None else self.back(new)


def same(new: Any, old: Any) -> bool:
    """Whether the engine left ``old`` as it was (identical locally, equal from a server)."""
    return new is old or new == old


def keep(item: Any) -> Slot:
    """A slot the engine must not touch (it sees an assistant message)."""
    return Slot(item, {"role": "assistant"})


def message_slot(message: Any) -> Slot:
    """A message the engine reads as it is; SDK objects (earlier replies) are kept as they are."""
    return Slot(message, message) if isinstance(message, Mapping) else keep(message)


def message_list_slots(value: Any) -> tuple[list[Slot], Callable[[list[Any]], Any]]:
    """Slots of a chat-style message list (OpenAI chat, Anthropic messages), which the engine
    reads as they are, and how to rebuild the argument from the new items."""
    if isinstance(value, (str, Mapping)):  # not a message list: the SDK will say so
        return [keep(value)], lambda items: items[0]
    return [message_slot(message) for message in value], list


@dataclass
class Compressed:
    """A request's items after compression (the originals when it failed or changed nothing)."""

    items: list[Any]
    changed: bool
    call: KaizenCall


class ProviderKaizen:
    """The state a wrapped client carries: settings, backends, running totals, policy.

    ``model=None`` in the settings' sense (``count_with_request_model``) counts tokens with
    each request's own model, exact for OpenAI models and an estimate otherwise; a model
    given to ``wrap_*`` is used for every call.
    """

    def __init__(
        self,
        provider: str,
        settings: IntegrationSettings,
        *,
        count_with_request_model: bool,
        decode_replies: bool,
    ) -> None:
        self.provider = provider
        self.settings = settings
        self.count_with_request_model = count_with_request_model
        self.decode_replies = decode_replies
        self.ledger: SavingsLedger[SavingsTotals] = SavingsLedger(SavingsTotals)
        self.guard = CompressionGuard(
            on_error=settings.on_error,
            secrets=settings.secrets,
            logger=logger,
            what="messages",
            ledger=self.ledger,
        )
        self._backends: dict[str, Backend] = {}
        self._lock = threading.Lock()

    @property
    def totals(self) -> SavingsTotals:
        """Running totals of every call through this client (and its ``with_options`` copies)."""
        return self.ledger.total

    @property
    def last(self) -> SavingsTotals:
        return self.ledger.last

    def summary(self) -> str:
        return self.ledger.total.summary("message")

    def __repr__(self) -> str:
        return f"ProviderKaizen({self.provider}: {self.summary()})"

    def model_for(self, request_model: Any) -> str:
        if self.count_with_request_model and isinstance(request_model, str) and request_model:
            return request_model.rpartition("/")[2] if "/" in request_model else request_model
        return self.settings.model

    def backend(self, model: str) -> Backend:
        with self._lock:
            backend = self._backends.get(model)
            if backend is None:
                settings = self.settings
                if model != settings.model:
                    settings = settings.with_changes(model=model)
                backend = self._backends[model] = settings.backend()
            return backend

    def wants_decoding(self, kwargs: dict[str, Any]) -> bool:
        """Pop the per-call flag; the client's default when it was not given."""
        flag = kwargs.pop(DECODE_FLAG, None)
        return self.decode_replies if flag is None else bool(flag)

    def _finish(
        self, slots: list[Slot], out: list[Any], savings: Savings, call: KaizenCall
    ) -> Compressed:
        if len(out) != len(slots):
            raise ValueError(f"the engine returned {len(out)} messages for {len(slots)}")
        items = [slot.result(new) for slot, new in zip(slots, out, strict=True)]
        changed = sum(not slot.unchanged(new) for slot, new in zip(slots, out, strict=True))
        self.ledger.add(SavingsTotals.of_call(savings, items=len(slots), items_compressed=changed))
        call.savings = savings
        return Compressed(items, changed > 0, call)

    def compress(self, slots: list[Slot], call: KaizenCall) -> Compressed:
        """The items of ``slots`` compressed, or (fail open) as they were."""
        original = [slot.item for slot in slots]
        backend = self.backend(call.model)
        where = f"{self.provider} {call.endpoint}"

        def run() -> Compressed:
            out, savings = backend.compress([slot.message for slot in slots])
            return self._finish(slots, out, savings, call)

        outcome = self.guard.run(run, Compressed(original, False, call), where, items=len(slots))
        call.error = outcome.error
        return outcome.value

    async def acompress(self, slots: list[Slot], call: KaizenCall) -> Compressed:
        """Async :meth:`compress`."""
        original = [slot.item for slot in slots]
        backend = self.backend(call.model)
        where = f"{self.provider} {call.endpoint}"

        async def run() -> Compressed:
            out, savings = await backend.acompress([slot.message for slot in slots])
            return self._finish(slots, out, savings, call)

        outcome = await self.guard.arun(
            run, Compressed(original, False, call), where, items=len(slots)
        )
        call.error = outcome.error
        return outcome.value


# --- streams -----------------------------------------------------------------------------


@dataclass
class _Collector:
    """Gathers a streamed reply's text from events, and reads it when the stream ends."""

    call: KaizenCall
    text_of: Callable[[Any], str | None]
    parts: list[str] = field(default_factory=list)
    done: bool = False

    def see(self, event: Any) -> None:
        piece = self.text_of(event)
        if piece:
            self.parts.append(piece)

    def finish(self) -> None:
        if not self.done:
            self.done = True
            self.call.read_reply("".join(self.parts))


@dataclass
class HelperCall:
    """What one ``with`` of an SDK stream helper made: its call, and the reply collector.

    Active (in a context variable) while the helper's manager is entered, so the wrapped
    ``create`` the helper calls reports to it; ``decode`` overrides the client's default.
    """

    call: KaizenCall | None = None
    decode: bool | None = None
    collector: _Collector | None = None

    def activate(self) -> Token[HelperCall | None]:
        return _active_helper.set(self)

    def deactivate(self, token: Token[HelperCall | None]) -> None:
        _active_helper.reset(token)


_active_helper: ContextVar[HelperCall | None] = ContextVar("kaizen_stream_helper", default=None)


def run_helper(holder: HelperCall, enter: Callable[[], Any]) -> Any:
    """``enter()`` with ``holder`` active (a sync helper manager's ``__enter__``)."""
    token = holder.activate()
    try:
        return enter()
    finally:
        holder.deactivate(token)


class KaizenStream:
    """A provider's stream, passed through event by event, reading the reply at its end.

    Every event reaches the caller unchanged; everything else (``response``, ``close``,
    ``until_done``, …) is the SDK stream's own. When it is exhausted or closed,
    ``kaizen.decoded`` holds the reply's data (see :class:`KaizenCall`).
    """

    def __init__(self, stream: Any, call: KaizenCall, text_of: Callable[[Any], str | None]):
        self._stream = stream
        self._collector = _Collector(call, text_of)
        self.kaizen = call

    def __iter__(self) -> Iterator[Any]:
        try:
            for event in self._stream:
                self._collector.see(event)
                yield event
        finally:
            self._collector.finish()

    def __next__(self) -> Any:
        try:
            event = next(self._stream)
        except StopIteration:
            self._collector.finish()
            raise
        self._collector.see(event)
        return event

    def __enter__(self) -> KaizenStream:
        enter = getattr(self._stream, "__enter__", None)
        if enter is not None:
            enter()
        return self

    def __exit__(self, *exc: Any) -> Any:
        self._collector.finish()
        leave = getattr(self._stream, "__exit__", None)
        return leave(*exc) if leave is not None else None

    def close(self) -> None:
        self._collector.finish()
        close = getattr(self._stream, "close", None)
        if close is not None:
            close()

    def __getattr__(self, name: str) -> Any:
        return getattr(self._stream, name)


class AsyncKaizenStream:
    """Async :class:`KaizenStream`."""

    def __init__(self, stream: Any, call: KaizenCall, text_of: Callable[[Any], str | None]):
        self._stream = stream
        self._collector = _Collector(call, text_of)
        self.kaizen = call

    async def __aiter__(self) -> AsyncIterator[Any]:
        try:
            async for event in self._stream:
                self._collector.see(event)
                yield event
        finally:
            self._collector.finish()

    async def __anext__(self) -> Any:
        try:
            event = await self._stream.__anext__()
        except StopAsyncIteration:
            self._collector.finish()
            raise
        self._collector.see(event)
        return event

    async def __aenter__(self) -> AsyncKaizenStream:
        enter = getattr(self._stream, "__aenter__", None)
        if enter is not None:
            await enter()
        return self

    async def __aexit__(self, *exc: Any) -> Any:
        self._collector.finish()
        leave = getattr(self._stream, "__aexit__", None)
        return (await leave(*exc)) if leave is not None else None

    async def close(self) -> None:
        self._collector.finish()
        close = getattr(self._stream, "close", None)
        if close is not None:
            await close()

    def __getattr__(self, name: str) -> Any:
        return getattr(self._stream, name)


# --- methods ------------------------------------------------------------------------------

_PLAIN_HEADERS = ("x-stainless-raw-response", "x-stainless-helper-method")


def _sdk_helper_call(kwargs: dict[str, Any]) -> bool:
    """Whether the SDK itself made this call for a raw response or a streaming helper.

    Those return objects the SDK's own wrapper consumes, so they are passed back untouched
    (compression still applies; only reply reading is skipped), unless a stream helper's
    ``with`` wrapped by :mod:`._stream_helpers` is collecting the reply (``HelperCall``).
    """
    headers = kwargs.get("extra_headers")
    if not isinstance(headers, dict):
        return False
    return any(str(name).lower() in _PLAIN_HEADERS for name in headers)


@dataclass(frozen=True)
class Endpoint:
    """How one SDK method carries its messages, and where its reply's text is.

    ``slots`` turns the value of the request field ``field`` into slots and a function that
    rebuilds the field from the slots' items; ``reply_text`` reads a whole response,
    ``event_text`` one streamed event (``None`` when it carries no reply text);
    ``streams`` tells from the keywords whether the method returns a stream.
    """

    provider: str
    name: str
    field: str
    slots: Callable[[Any], tuple[list[Slot], Callable[[list[Any]], Any]]]
    reply_text: Callable[[Any], str | None]
    event_text: Callable[[Any], str | None]
    streams: Callable[[dict[str, Any]], bool] = lambda kwargs: kwargs.get("stream") is True
    async_manager: bool = False
    """The method is a plain function returning an async context manager (Anthropic's
    ``AsyncMessages.stream``): compression is deferred to ``async with``, off the caller's
    synchronous call, so a remote backend is awaited rather than blocking the event loop."""
    skip: Callable[[dict[str, Any]], bool] = lambda kwargs: False
    """Requests to send untouched (for example a top-level cache breakpoint covering all)."""
    manager: Callable[[Any, KaizenCall], Any] | None = None
    """Wraps the stream manager the method returns (a stream helper such as Anthropic's
    ``messages.stream``), so the reply is read when its ``with`` ends."""

    def begin(self, state: ProviderKaizen, kwargs: dict[str, Any]) -> tuple[KaizenCall, Any]:
        decode = state.wants_decoding(kwargs)
        call = KaizenCall(
            self.provider, self.name, state.model_for(kwargs.get("model")), decode=decode
        )
        value = kwargs.get(self.field)
        if self.skip(kwargs) or value is None or isinstance(value, (bytes, bytearray)):
            return call, None
        if not isinstance(value, (str, Mapping)) and not hasattr(value, "__iter__"):
            return call, None
        return call, value

    def end(self, response: Any, call: KaizenCall, kwargs: dict[str, Any]) -> Any:
        """The SDK's response, with the call remembered beside it (and its reply read)."""
        helper = _active_helper.get()
        if self.manager is not None:
            response = self.manager(response, call)
        elif helper is not None and helper.call is None and self.streams(kwargs):
            response = self._for_helper(response, call, helper)  # made inside a helper's with
        elif call.decode and not _sdk_helper_call(kwargs):
            if self.streams(kwargs):
                if hasattr(response, "__aiter__"):
                    response = AsyncKaizenStream(response, call, self.event_text)
                else:
                    response = KaizenStream(response, call, self.event_text)
            else:
                call.read_reply(self.reply_text(response))
        remember(response, call)
        return response

    def _for_helper(self, response: Any, call: KaizenCall, helper: HelperCall) -> Any:
        """A stream made for an SDK stream helper's ``with``: reported to it, text collected."""
        helper.call = call
        if helper.decode is not None:
            call.decode = helper.decode
        if not call.decode:
            return response
        stream: KaizenStream | AsyncKaizenStream
        if hasattr(response, "__aiter__"):
            stream = AsyncKaizenStream(response, call, self.event_text)
        else:
            stream = KaizenStream(response, call, self.event_text)
        helper.collector = stream._collector
        return stream


def method_wrapper(
    endpoint: Endpoint, state_for: Callable[[], ProviderKaizen | None]
) -> Callable[[Any], Callable[..., Any]]:
    """The ``make`` for :func:`patch`: compress the request field, call, remember the call."""

    def prepare(state: ProviderKaizen, kwargs: dict[str, Any]) -> tuple[KaizenCall, Any]:
        call, value = endpoint.begin(state, kwargs)
        return call, (None if value is None else endpoint.slots(value))

    def apply(
        call: KaizenCall,
        kwargs: dict[str, Any],
        value: Any,
        rebuild: Callable[[list[Any]], Any],
        done: Compressed,
    ) -> None:
        if done.changed or not isinstance(value, (str, list)):  # a consumed iterable too
            kwargs[endpoint.field] = rebuild(done.items)
        call.sent = kwargs[endpoint.field]

    def make(original: Any) -> Callable[..., Any]:
        async def compressed_async(state: ProviderKaizen, kwargs: dict[str, Any]) -> KaizenCall:
            value = kwargs.get(endpoint.field)
            call, prepared = prepare(state, kwargs)
            if prepared is not None:
                slots, rebuild = prepared
                apply(call, kwargs, value, rebuild, await state.acompress(slots, call))
            return call

        if is_async(original):

            async def acall(*args: Any, **kwargs: Any) -> Any:
                state = state_for()
                if state is None:
                    return await original(*args, **kwargs)
                call = await compressed_async(state, kwargs)
                return endpoint.end(await original(*args, **kwargs), call, kwargs)

            return acall

        async def deferred(state: ProviderKaizen, args: Any, kwargs: dict[str, Any]) -> Any:
            call = await compressed_async(state, kwargs)
            return endpoint.end(original(*args, **kwargs), call, kwargs)

        def call_(*args: Any, **kwargs: Any) -> Any:
            state = state_for()
            if state is None:
                return original(*args, **kwargs)
            if endpoint.async_manager:
                return DeferredAsyncManager(lambda: deferred(state, args, kwargs))
            value = kwargs.get(endpoint.field)
            call, prepared = prepare(state, kwargs)
            if prepared is not None:
                slots, rebuild = prepared
                apply(call, kwargs, value, rebuild, state.compress(slots, call))
            return endpoint.end(original(*args, **kwargs), call, kwargs)

        return call_

    return make


class DeferredAsyncManager:
    """An async context manager made only when entered, after an awaited compression."""

    def __init__(self, start: Callable[[], Awaitable[Any]]) -> None:
        self._start = start
        self._manager: Any = None

    async def __aenter__(self) -> Any:
        self._manager = await self._start()
        return await self._manager.__aenter__()

    async def __aexit__(self, *exc: Any) -> Any:
        return await self._manager.__aexit__(*exc)

    @property
    def kaizen(self) -> KaizenCall | None:
        """The call made when entered (``None`` before), as a stream helper's manager has."""
        return getattr(self._manager, "kaizen", None)


# --- patching ------------------------------------------------------------------------------


def original_of(method: Any) -> Any:
    """The SDK's own method behind a patched one (the method itself when not patched)."""
    return getattr(method, _ORIGINAL, method)


def patch(resource: Any, name: str, make: Callable[[Any], Callable[..., Any]]) -> None:
    """Replace ``resource.name`` (on the instance) by ``make(original)``.

    The original is always the SDK's own method, so patching again (wrapping twice, or
    with new settings) replaces the wrapper instead of stacking a second one.
    """
    original = original_of(getattr(resource, name))
    wrapper = functools.wraps(original)(make(original))
    setattr(wrapper, _ORIGINAL, original)
    setattr(resource, name, wrapper)
    for derived in _DERIVED:
        vars(resource).pop(derived, None)


def is_async(method: Any) -> bool:
    """Whether an SDK method is a coroutine function (seen through its decorators)."""
    return inspect.iscoroutinefunction(inspect.unwrap(original_of(method)))


def state_of(client: Any) -> ProviderKaizen | None:
    """The adapter state of a wrapped client (``None`` when it is not wrapped)."""
    state = vars(client).get(STATE_ATTR) if hasattr(client, "__dict__") else None
    return state if isinstance(state, ProviderKaizen) else None


def kaizen_state(client: Any) -> ProviderKaizen:
    """The Kaizen state of a wrapped client: ``settings``, ``totals``, ``last``, ``summary()``."""
    state = state_of(client)
    if state is None:
        raise ValueError(f"{type(client).__name__} is not wrapped by Kaizen (use wrap_*())")
    return state


def compat_result(key: str, response: Any) -> dict[str, Any]:
    """The kaizen-client 0.1.4 result dict (``encoded``, ``key``, ``decoded``) of a call.

    ``encoded``: what was sent (``result``) and the savings (``stats``, also as ``report``);
    ``decoded["result"]``: the reply's data when it holds TOON/KTOF/JSON, else its text.
    """
    call = kaizen_call(response)
    savings = call.savings.to_dict() if call and call.savings else None
    decoded = None
    if call is not None:
        decoded = call.decoded if call.decoded is not None else call.text
    return {
        "encoded": {"result": call.sent if call else None, "stats": savings, "report": savings},
        key: response,
        "decoded": {"result": decoded},
    }


def patch_copies(client: Any, attach: Callable[[Any, ProviderKaizen], Any]) -> None:
    """Make ``client.copy()`` / ``client.with_options()`` return wrapped clients too."""
    for name in ("copy", "with_options"):
        if not callable(getattr(client, name, None)):
            continue

        def make(original: Any) -> Callable[..., Any]:
            def copied(*args: Any, **kwargs: Any) -> Any:
                new = original(*args, **kwargs)
                state = state_of(client)
                return attach(new, state) if state is not None else new

            return copied

        patch(client, name, make)


def _build_settings(
    settings: IntegrationSettings | None, options: dict[str, Any]
) -> tuple[IntegrationSettings, bool]:
    """The adapter's settings and whether tokens are counted with each request's model.

    ``kaizen=`` is accepted for ``client=`` (the Kaizen client, not the provider's).
    """
    if "kaizen" in options:
        options["client"] = options.pop("kaizen")
    unknown = sorted(set(options) - set(IntegrationSettings.names()))
    if unknown:
        raise TypeError(f"unknown Kaizen setting(s): {', '.join(unknown)}")
    fixed_model = settings is not None or "model" in options
    if settings is None:
        settings = IntegrationSettings(**options)
    elif options:
        settings = settings.with_changes(**options)
    return settings, not fixed_model


def provider_state(
    provider: str,
    settings: IntegrationSettings | None,
    options: Mapping[str, Any],
    *,
    decode_replies: bool,
) -> ProviderKaizen:
    """The state ``wrap_<provider>(client, settings=..., decode_replies=..., **options)`` gives
    its client (see :func:`_build_settings` for how ``settings`` and ``options`` combine)."""
    built, per_request = _build_settings(settings, dict(options))
    return ProviderKaizen(
        provider, built, count_with_request_model=per_request, decode_replies=decode_replies
    )


def bind_state(client: Any, state: ProviderKaizen) -> Callable[[], ProviderKaizen | None]:
    """Store ``state`` on ``client`` and return how its patched methods find it: read at each
    call, so wrapping again replaces the settings of methods patched before."""
    vars(client)[STATE_ATTR] = state
    return lambda: state_of(client)


__all__ = [
    "DECODE_FLAG",
    "AsyncKaizenStream",
    "Compressed",
    "Endpoint",
    "HelperCall",
    "KaizenCall",
    "KaizenStream",
    "ProviderKaizen",
    "Slot",
    "bind_state",
    "compat_result",
    "is_async",
    "kaizen_call",
    "kaizen_state",
    "keep",
    "message_list_slots",
    "message_slot",
    "method_wrapper",
    "original_of",
    "patch",
    "patch_copies",
    "provider_state",
    "remember",
    "require",
    "run_helper",
    "same",
    "state_of",
]
