"""``KaizenClient`` (async) and ``KaizenSyncClient``: twins over one shared base.

Both accept a request model or a plain dict for every operation and return the typed response
model (which also reads like the 0.1.4 dicts: ``resp["result"]``, ``resp.get("stats")``).
They differ only in how they perform I/O: ``send`` and ``sleep`` with or without ``await``.
"""

from __future__ import annotations

import time
from collections.abc import Awaitable, Callable, Mapping
from typing import Any, cast

import anyio
import httpx

from ._base_client import BaseKaizenClient, Flow, Payload, ResponseT, Send, Sleep
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
        client: httpx.Client | None = None,
        transport: httpx.BaseTransport | None = None,
        sleep: Callable[[float], None] | None = None,
        random: Callable[[], float] | None = None,
        now: Callable[[], float] | None = None,
        clock: Callable[[], float] | None = None,
    ) -> None:
        super().__init__(config, random=random, now=now, clock=clock)
        self._sleep = sleep if sleep is not None else time.sleep
        self._owns_client = client is None
        self._client = (
            client if client is not None else httpx.Client(**self._httpx_options(transport))
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
                    response = self._client.send(step.request)
                except httpx.HTTPError as exc:
                    step = flow.throw(exc)
                else:
                    step = flow.send(response)
        except StopIteration as stop:
            return cast(ResponseT, stop.value)
        finally:
            flow.close()

    def _call(
        self, op: str, model: type[ResponseT], payload: Payload | None, request_id: str | None
    ) -> ResponseT:
        return self._run(self._flow(op, model, payload, request_id))

    def compress(
        self, payload: EncodeRequest | Mapping[str, Any], *, request_id: str | None = None
    ) -> KaizenResponse:
        """JSON -> KTOF with size stats (``POST /v1/compress``)."""
        return self._call("compress", KaizenResponse, payload, request_id)

    def decompress(
        self, payload: DecodeRequest | Mapping[str, Any], *, request_id: str | None = None
    ) -> KaizenResponse:
        """KTOF -> JSON (``POST /v1/decompress``)."""
        return self._call("decompress", KaizenResponse, payload, request_id)

    def optimize(
        self, payload: EncodeRequest | Mapping[str, Any], *, request_id: str | None = None
    ) -> KaizenResponse:
        """Encode and count tokens (``POST /v1/optimize``)."""
        return self._call("optimize", KaizenResponse, payload, request_id)

    def optimize_request(
        self, payload: OptimizeRequestPayload | Mapping[str, Any], *, request_id: str | None = None
    ) -> OptimizeRequestResponse:
        """Compress an outbound provider request (``POST /v1/optimize/request``)."""
        return self._call("optimize_request", OptimizeRequestResponse, payload, request_id)

    def optimize_response(
        self, payload: OptimizeResponsePayload | Mapping[str, Any], *, request_id: str | None = None
    ) -> KaizenResponse:
        """Expand KTOF in a provider response (``POST /v1/optimize/response``)."""
        return self._call("optimize_response", KaizenResponse, payload, request_id)

    def prompts_encode(
        self, payload: PromptEncodePayload | Mapping[str, Any], *, request_id: str | None = None
    ) -> PromptsEncodeResponse:
        """Find JSON inside a prompt and re-encode it as KTOF (``POST /v1/prompts/encode``)."""
        return self._call("prompts_encode", PromptsEncodeResponse, payload, request_id)

    def prompts_decode(
        self, payload: PromptDecodePayload | Mapping[str, Any], *, request_id: str | None = None
    ) -> KaizenResponse:
        """Restore an encoded prompt (``POST /v1/prompts/decode``)."""
        return self._call("prompts_decode", KaizenResponse, payload, request_id)

    def health(self, *, request_id: str | None = None) -> HealthResponse:
        """Liveness check (``GET /``)."""
        return self._call("health", HealthResponse, None, request_id)


class KaizenClient(BaseKaizenClient[httpx.AsyncClient]):
    """Async client; use as ``async with KaizenClient(config) as kaizen: ...``."""

    def __init__(
        self,
        config: KaizenClientConfig | None = None,
        *,
        client: httpx.AsyncClient | None = None,
        transport: httpx.AsyncBaseTransport | None = None,
        sleep: Callable[[float], Awaitable[None]] | None = None,
        random: Callable[[], float] | None = None,
        now: Callable[[], float] | None = None,
        clock: Callable[[], float] | None = None,
    ) -> None:
        super().__init__(config, random=random, now=now, clock=clock)
        self._sleep = sleep if sleep is not None else anyio.sleep
        self._owns_client = client is None
        self._client = (
            client if client is not None else httpx.AsyncClient(**self._httpx_options(transport))
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
                    response = await self._client.send(step.request)
                except httpx.HTTPError as exc:
                    step = flow.throw(exc)
                else:
                    step = flow.send(response)
        except StopIteration as stop:
            return cast(ResponseT, stop.value)
        finally:
            flow.close()

    async def _call(
        self, op: str, model: type[ResponseT], payload: Payload | None, request_id: str | None
    ) -> ResponseT:
        return await self._run(self._flow(op, model, payload, request_id))

    async def compress(
        self, payload: EncodeRequest | Mapping[str, Any], *, request_id: str | None = None
    ) -> KaizenResponse:
        """JSON -> KTOF with size stats (``POST /v1/compress``)."""
        return await self._call("compress", KaizenResponse, payload, request_id)

    async def decompress(
        self, payload: DecodeRequest | Mapping[str, Any], *, request_id: str | None = None
    ) -> KaizenResponse:
        """KTOF -> JSON (``POST /v1/decompress``)."""
        return await self._call("decompress", KaizenResponse, payload, request_id)

    async def optimize(
        self, payload: EncodeRequest | Mapping[str, Any], *, request_id: str | None = None
    ) -> KaizenResponse:
        """Encode and count tokens (``POST /v1/optimize``)."""
        return await self._call("optimize", KaizenResponse, payload, request_id)

    async def optimize_request(
        self, payload: OptimizeRequestPayload | Mapping[str, Any], *, request_id: str | None = None
    ) -> OptimizeRequestResponse:
        """Compress an outbound provider request (``POST /v1/optimize/request``)."""
        return await self._call("optimize_request", OptimizeRequestResponse, payload, request_id)

    async def optimize_response(
        self, payload: OptimizeResponsePayload | Mapping[str, Any], *, request_id: str | None = None
    ) -> KaizenResponse:
        """Expand KTOF in a provider response (``POST /v1/optimize/response``)."""
        return await self._call("optimize_response", KaizenResponse, payload, request_id)

    async def prompts_encode(
        self, payload: PromptEncodePayload | Mapping[str, Any], *, request_id: str | None = None
    ) -> PromptsEncodeResponse:
        """Find JSON inside a prompt and re-encode it as KTOF (``POST /v1/prompts/encode``)."""
        return await self._call("prompts_encode", PromptsEncodeResponse, payload, request_id)

    async def prompts_decode(
        self, payload: PromptDecodePayload | Mapping[str, Any], *, request_id: str | None = None
    ) -> KaizenResponse:
        """Restore an encoded prompt (``POST /v1/prompts/decode``)."""
        return await self._call("prompts_decode", KaizenResponse, payload, request_id)

    async def health(self, *, request_id: str | None = None) -> HealthResponse:
        """Liveness check (``GET /``)."""
        return await self._call("health", HealthResponse, None, request_id)


__all__ = ["DEFAULT_BASE_URL", "KaizenClient", "KaizenClientConfig", "KaizenSyncClient"]
