"""``KaizenClient`` (async) and ``KaizenSyncClient``: twins over one shared base.

Both accept a request model or a plain dict for every operation and return the typed response
model (which also reads like the 0.1.4 dicts: ``resp["result"]``, ``resp.get("stats")``).
They differ only in how they perform I/O: ``send`` and ``sleep`` with or without ``await``.
"""

from __future__ import annotations

import time
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator, Mapping
from typing import Any, cast

import anyio
import httpx

from ._base_client import BaseKaizenClient, DeadlineExceeded, Flow, Payload, ResponseT, Send, Sleep
from ._legacy import LegacyRequestClient, adopt
from .config import DEFAULT_BASE_URL, KaizenClientConfig
from .models import (
    DecodeRequest,
    EncodeRequest,
    HealthResponse,
    KaizenResponse,
    OptimizeRequestPayload,
    OptimizeRequestResponse,
    OptimizeResponsePayload,
    PromptDecodePayload,
    PromptEncodePayload,
    PromptsEncodeResponse,
)


class KaizenSyncClient(BaseKaizenClient[httpx.Client]):
    """Blocking client; use as ``with KaizenSyncClient(config) as kaizen: ...``."""

    def __init__(
        self,
        config: KaizenClientConfig | None = None,
        *,
        client: httpx.Client | LegacyRequestClient | None = None,
        transport: httpx.BaseTransport | None = None,
        sleep: Callable[[float], None] | None = None,
        random: Callable[[], float] | None = None,
        now: Callable[[], float] | None = None,
        clock: Callable[[], float] | None = None,
    ) -> None:
        super().__init__(
            config, random=random, now=now, clock=clock, client_supplied=client is not None
        )
        self._sleep = sleep if sleep is not None else time.sleep
        # A 0.1.4-style object with only ``request()`` becomes our transport (not closed by us).
        given, legacy = adopt(client, "Client")
        if legacy is not None:
            transport = legacy
        self._owns_client = given is None
        self._client = (
            given if given is not None else httpx.Client(**self._httpx_options(transport))
        )

    @classmethod
    def from_env(cls) -> KaizenSyncClient:
        return cls(KaizenClientConfig())

    def __enter__(self) -> KaizenSyncClient:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def close(self) -> None:
        """Close the underlying httpx client if this object created it."""
        if self._owns_client:
            self._client.close()

    def _run(self, flow: Flow[ResponseT]) -> ResponseT:
        try:
            step = next(flow)
            while True:
                if isinstance(step, Sleep):
                    self._sleep(step.seconds)
                    step = flow.send(None)
                    continue
                assert isinstance(step, Send)
                try:
                    response = self._send(step)
                except httpx.HTTPError as exc:
                    step = flow.throw(exc)
                else:
                    step = flow.send(response)
        except StopIteration as stop:
            return cast(ResponseT, stop.value)
        finally:
            flow.close()

    def _send(self, step: Send) -> httpx.Response:
        if step.deadline is None:
            return self._client.send(step.request)
        response = self._client.send(step.request, stream=True)
        try:
            inner = response.stream
            assert isinstance(inner, httpx.SyncByteStream)
            response.stream = _SyncDeadlineStream(inner, step.deadline, self._clock, step.request)
            response.read()
        finally:
            response.close()
        return response

    def _call(
        self,
        op: str,
        model: type[ResponseT],
        payload: Payload | None,
        request_id: str | None,
        idempotency_key: str | None = None,
        total_timeout: float | None = None,
    ) -> ResponseT:
        return self._run(self._flow(op, model, payload, request_id, idempotency_key, total_timeout))

    def compress(
        self,
        payload: EncodeRequest | Mapping[str, Any],
        *,
        request_id: str | None = None,
        idempotency_key: str | None = None,
        total_timeout: float | None = None,
    ) -> KaizenResponse:
        """JSON -> KTOF with size stats (``POST /v1/compress``)."""
        return self._call(
            "compress", KaizenResponse, payload, request_id, idempotency_key, total_timeout
        )

    def decompress(
        self,
        payload: DecodeRequest | Mapping[str, Any],
        *,
        request_id: str | None = None,
        idempotency_key: str | None = None,
        total_timeout: float | None = None,
    ) -> KaizenResponse:
        """KTOF -> JSON (``POST /v1/decompress``)."""
        return self._call(
            "decompress", KaizenResponse, payload, request_id, idempotency_key, total_timeout
        )

    def optimize(
        self,
        payload: EncodeRequest | Mapping[str, Any],
        *,
        request_id: str | None = None,
        idempotency_key: str | None = None,
        total_timeout: float | None = None,
    ) -> KaizenResponse:
        """Encode and count tokens (``POST /v1/optimize``)."""
        return self._call(
            "optimize", KaizenResponse, payload, request_id, idempotency_key, total_timeout
        )

    def optimize_request(
        self,
        payload: OptimizeRequestPayload | Mapping[str, Any],
        *,
        request_id: str | None = None,
        idempotency_key: str | None = None,
        total_timeout: float | None = None,
    ) -> OptimizeRequestResponse:
        """Compress an outbound provider request (``POST /v1/optimize/request``)."""
        return self._call(
            "optimize_request",
            OptimizeRequestResponse,
            payload,
            request_id,
            idempotency_key,
            total_timeout,
        )

    def optimize_response(
        self,
        payload: OptimizeResponsePayload | Mapping[str, Any],
        *,
        request_id: str | None = None,
        idempotency_key: str | None = None,
        total_timeout: float | None = None,
    ) -> KaizenResponse:
        """Expand KTOF in a provider response (``POST /v1/optimize/response``)."""
        return self._call(
            "optimize_response", KaizenResponse, payload, request_id, idempotency_key, total_timeout
        )

    def prompts_encode(
        self,
        payload: PromptEncodePayload | Mapping[str, Any],
        *,
        request_id: str | None = None,
        idempotency_key: str | None = None,
        total_timeout: float | None = None,
    ) -> PromptsEncodeResponse:
        """Find JSON inside a prompt and re-encode it as KTOF (``POST /v1/prompts/encode``)."""
        return self._call(
            "prompts_encode",
            PromptsEncodeResponse,
            payload,
            request_id,
            idempotency_key,
            total_timeout,
        )

    def prompts_decode(
        self,
        payload: PromptDecodePayload | Mapping[str, Any],
        *,
        request_id: str | None = None,
        idempotency_key: str | None = None,
        total_timeout: float | None = None,
    ) -> KaizenResponse:
        """Restore an encoded prompt (``POST /v1/prompts/decode``)."""
        return self._call(
            "prompts_decode", KaizenResponse, payload, request_id, idempotency_key, total_timeout
        )

    def health(
        self, *, request_id: str | None = None, total_timeout: float | None = None
    ) -> HealthResponse:
        """Liveness check (``GET /``)."""
        return self._call("health", HealthResponse, None, request_id, None, total_timeout)


class KaizenClient(BaseKaizenClient[httpx.AsyncClient]):
    """Async client; use as ``async with KaizenClient(config) as kaizen: ...``."""

    def __init__(
        self,
        config: KaizenClientConfig | None = None,
        *,
        client: httpx.AsyncClient | LegacyRequestClient | None = None,
        transport: httpx.AsyncBaseTransport | None = None,
        sleep: Callable[[float], Awaitable[None]] | None = None,
        random: Callable[[], float] | None = None,
        now: Callable[[], float] | None = None,
        clock: Callable[[], float] | None = None,
    ) -> None:
        super().__init__(
            config, random=random, now=now, clock=clock, client_supplied=client is not None
        )
        self._sleep = sleep if sleep is not None else anyio.sleep
        # A 0.1.4-style object with only ``request()`` becomes our transport (not closed by us).
        given, legacy = adopt(client, "AsyncClient")
        if legacy is not None:
            transport = legacy
        self._owns_client = given is None
        self._client = (
            given if given is not None else httpx.AsyncClient(**self._httpx_options(transport))
        )

    @classmethod
    def from_env(cls) -> KaizenClient:
        return cls(KaizenClientConfig())

    async def __aenter__(self) -> KaizenClient:
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self.close()

    async def close(self) -> None:
        """Close the underlying httpx client if this object created it."""
        if self._owns_client:
            await self._client.aclose()

    async def _run(self, flow: Flow[ResponseT]) -> ResponseT:
        try:
            step = next(flow)
            while True:
                if isinstance(step, Sleep):
                    await self._sleep(step.seconds)
                    step = flow.send(None)
                    continue
                assert isinstance(step, Send)
                try:
                    response = await self._send(step)
                except httpx.HTTPError as exc:
                    step = flow.throw(exc)
                else:
                    step = flow.send(response)
        except StopIteration as stop:
            return cast(ResponseT, stop.value)
        finally:
            flow.close()

    async def _send(self, step: Send) -> httpx.Response:
        if step.deadline is None:
            return await self._client.send(step.request)
        response = await self._client.send(step.request, stream=True)
        try:
            inner = response.stream
            assert isinstance(inner, httpx.AsyncByteStream)
            response.stream = _AsyncDeadlineStream(inner, step.deadline, self._clock, step.request)
            await response.aread()
        finally:
            await response.aclose()
        return response

    async def _call(
        self,
        op: str,
        model: type[ResponseT],
        payload: Payload | None,
        request_id: str | None,
        idempotency_key: str | None = None,
        total_timeout: float | None = None,
    ) -> ResponseT:
        return await self._run(
            self._flow(op, model, payload, request_id, idempotency_key, total_timeout)
        )

    async def compress(
        self,
        payload: EncodeRequest | Mapping[str, Any],
        *,
        request_id: str | None = None,
        idempotency_key: str | None = None,
        total_timeout: float | None = None,
    ) -> KaizenResponse:
        """JSON -> KTOF with size stats (``POST /v1/compress``)."""
        return await self._call(
            "compress", KaizenResponse, payload, request_id, idempotency_key, total_timeout
        )

    async def decompress(
        self,
        payload: DecodeRequest | Mapping[str, Any],
        *,
        request_id: str | None = None,
        idempotency_key: str | None = None,
        total_timeout: float | None = None,
    ) -> KaizenResponse:
        """KTOF -> JSON (``POST /v1/decompress``)."""
        return await self._call(
            "decompress", KaizenResponse, payload, request_id, idempotency_key, total_timeout
        )

    async def optimize(
        self,
        payload: EncodeRequest | Mapping[str, Any],
        *,
        request_id: str | None = None,
        idempotency_key: str | None = None,
        total_timeout: float | None = None,
    ) -> KaizenResponse:
        """Encode and count tokens (``POST /v1/optimize``)."""
        return await self._call(
            "optimize", KaizenResponse, payload, request_id, idempotency_key, total_timeout
        )

    async def optimize_request(
        self,
        payload: OptimizeRequestPayload | Mapping[str, Any],
        *,
        request_id: str | None = None,
        idempotency_key: str | None = None,
        total_timeout: float | None = None,
    ) -> OptimizeRequestResponse:
        """Compress an outbound provider request (``POST /v1/optimize/request``)."""
        return await self._call(
            "optimize_request",
            OptimizeRequestResponse,
            payload,
            request_id,
            idempotency_key,
            total_timeout,
        )

    async def optimize_response(
        self,
        payload: OptimizeResponsePayload | Mapping[str, Any],
        *,
        request_id: str | None = None,
        idempotency_key: str | None = None,
        total_timeout: float | None = None,
    ) -> KaizenResponse:
        """Expand KTOF in a provider response (``POST /v1/optimize/response``)."""
        return await self._call(
            "optimize_response", KaizenResponse, payload, request_id, idempotency_key, total_timeout
        )

    async def prompts_encode(
        self,
        payload: PromptEncodePayload | Mapping[str, Any],
        *,
        request_id: str | None = None,
        idempotency_key: str | None = None,
        total_timeout: float | None = None,
    ) -> PromptsEncodeResponse:
        """Find JSON inside a prompt and re-encode it as KTOF (``POST /v1/prompts/encode``)."""
        return await self._call(
            "prompts_encode",
            PromptsEncodeResponse,
            payload,
            request_id,
            idempotency_key,
            total_timeout,
        )

    async def prompts_decode(
        self,
        payload: PromptDecodePayload | Mapping[str, Any],
        *,
        request_id: str | None = None,
        idempotency_key: str | None = None,
        total_timeout: float | None = None,
    ) -> KaizenResponse:
        """Restore an encoded prompt (``POST /v1/prompts/decode``)."""
        return await self._call(
            "prompts_decode", KaizenResponse, payload, request_id, idempotency_key, total_timeout
        )

    async def health(
        self, *, request_id: str | None = None, total_timeout: float | None = None
    ) -> HealthResponse:
        """Liveness check (``GET /``)."""
        return await self._call("health", HealthResponse, None, request_id, None, total_timeout)


class _SyncDeadlineStream(httpx.SyncByteStream):
    """A response body that stops with :class:`DeadlineExceeded` once the deadline passed."""

    def __init__(
        self,
        inner: httpx.SyncByteStream,
        deadline: float,
        clock: Callable[[], float],
        request: httpx.Request,
    ) -> None:
        self._inner, self._deadline, self._clock, self._request = inner, deadline, clock, request

    def __iter__(self) -> Iterator[bytes]:
        if self._clock() >= self._deadline:
            raise DeadlineExceeded("total_timeout exceeded", request=self._request)
        for chunk in self._inner:
            if self._clock() >= self._deadline:
                raise DeadlineExceeded("total_timeout exceeded", request=self._request)
            yield chunk

    def close(self) -> None:
        self._inner.close()


class _AsyncDeadlineStream(httpx.AsyncByteStream):
    """The async twin of :class:`_SyncDeadlineStream`."""

    def __init__(
        self,
        inner: httpx.AsyncByteStream,
        deadline: float,
        clock: Callable[[], float],
        request: httpx.Request,
    ) -> None:
        self._inner, self._deadline, self._clock, self._request = inner, deadline, clock, request

    async def __aiter__(self) -> AsyncIterator[bytes]:
        if self._clock() >= self._deadline:
            raise DeadlineExceeded("total_timeout exceeded", request=self._request)
        async for chunk in self._inner:
            if self._clock() >= self._deadline:
                raise DeadlineExceeded("total_timeout exceeded", request=self._request)
            yield chunk

    async def aclose(self) -> None:
        await self._inner.aclose()


__all__ = ["DEFAULT_BASE_URL", "KaizenClient", "KaizenClientConfig", "KaizenSyncClient"]
