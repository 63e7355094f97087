"""Where compression runs: the in-process engine, or a Kaizen server through the client.

Both take and return OpenAI-style message lists (LiteLLM's own shape) plus a
:class:`Savings`, so the hook does not care which one it has. No compression logic lives
here: the local backend calls ``compress_messages``, the remote one ``optimize_request``,
which runs the same engine on the server.
"""

from __future__ import annotations

import asyncio
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Protocol

from kaizen_client import KaizenClient, KaizenSyncClient
from kaizen_client.engine import CompressionOptions, compress_messages


@dataclass(frozen=True, slots=True)
class Savings:
    """Token totals over the JSON fragments of one compression call."""

    model: str
    tokens_before: int
    tokens_after: int
    fragments_compressed: int
    fragments: int
    backend: str

    @property
    def tokens_saved(self) -> int:
        return self.tokens_before - self.tokens_after

    @classmethod
    def from_report(cls, report: Any, backend: str) -> Savings:
        """From the engine's dataclass report or the API's pydantic one (same attributes)."""
        return cls(
            model=str(report.model),
            tokens_before=int(report.tokens_before),
            tokens_after=int(report.tokens_after),
            fragments_compressed=int(report.fragments_compressed),
            fragments=len(report.fragments),
            backend=backend,
        )

    def as_dict(self) -> dict[str, Any]:
        """The JSON-safe record written into the request metadata."""
        return {
            "model": self.model,
            "backend": self.backend,
            "tokens_before": self.tokens_before,
            "tokens_after": self.tokens_after,
            "tokens_saved": self.tokens_saved,
            "fragments_compressed": self.fragments_compressed,
            "fragments": self.fragments,
        }


class Backend(Protocol):
    """Compresses an OpenAI-style message list."""

    @property
    def name(self) -> str: ...

    def compress(self, messages: list[Any]) -> tuple[list[Any], Savings]: ...

    async def acompress(self, messages: list[Any]) -> tuple[list[Any], Savings]: ...


@dataclass(frozen=True)
class LocalBackend:
    """The in-process engine: deterministic, cached, no network."""

    model: str
    options: CompressionOptions
    name: str = "local"

    def compress(self, messages: list[Any]) -> tuple[list[Any], Savings]:
        out, report = compress_messages(messages, model=self.model, options=self.options)
        return out, Savings.from_report(report, self.name)

    async def acompress(self, messages: list[Any]) -> tuple[list[Any], Savings]:
        # Inline on the loop: a warm call is a cache hit of microseconds.
        return self.compress(messages)


class RemoteBackend:
    """A Kaizen server via ``optimize_request`` (the client retries transient failures).

    Sync calls need a sync client and async calls an async one; given only one kind, the
    other is derived from its config (async calls then run the sync client in a thread).
    """

    name = "remote"

    def __init__(
        self,
        options: Mapping[str, Any],
        *,
        sync_client: KaizenSyncClient | None = None,
        async_client: KaizenClient | None = None,
    ) -> None:
        if sync_client is None and async_client is None:
            raise ValueError("RemoteBackend needs a client")
        self._options = dict(options)
        self._async = async_client
        if sync_client is None:
            assert async_client is not None
            sync_client = KaizenSyncClient(async_client.config)
        self._sync = sync_client

    def _payload(self, messages: list[Any]) -> dict[str, Any]:
        return {"prompt": messages, "options": self._options}

    def compress(self, messages: list[Any]) -> tuple[list[Any], Savings]:
        response = self._sync.optimize_request(self._payload(messages))
        return _result(response), Savings.from_report(response.report, self.name)

    async def acompress(self, messages: list[Any]) -> tuple[list[Any], Savings]:
        if self._async is None:
            return await asyncio.to_thread(self.compress, messages)
        response = await self._async.optimize_request(self._payload(messages))
        return _result(response), Savings.from_report(response.report, self.name)


def _result(response: Any) -> list[Any]:
    result = response.result
    if not isinstance(result, list):
        raise ValueError("the Kaizen server returned a result that is not a message list")
    return result
