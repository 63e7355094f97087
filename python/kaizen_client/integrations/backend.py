"""Where an integration's compression runs: the in-process engine, or a Kaizen server.

Every integration (LangChain, LlamaIndex, LiteLLM, the provider adapters) needs the same two
backends over OpenAI-style message lists, so they live here once. Both return the compressed
messages and a :class:`Savings`; no compression logic lives here either: the local backend calls
``engine.compress_messages`` and the remote one ``optimize_request``, which runs the same
engine on the server.
"""

from __future__ import annotations

import asyncio
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Protocol

from pydantic import SecretStr

from ..client import KaizenClient, KaizenSyncClient
from ..config import KaizenClientConfig
from ..engine import CompressionOptions, compress_messages
from .savings import Savings


class Backend(Protocol):
    """Compresses an OpenAI-style message list."""

    @property
    def name(self) -> str: ...

    def compress(self, messages: list[Any]) -> tuple[list[Any], Savings]: ...

    async def acompress(self, messages: list[Any]) -> tuple[list[Any], Savings]: ...


@dataclass(frozen=True)
class LocalBackend:
    """The in-process engine: deterministic, cached, no network.

    ``offload`` runs async calls in a worker thread: worth it for batches (many retrieved
    nodes); for one chat a warm call is a cache hit of microseconds, cheaper than a thread hop.
    """

    model: str
    options: CompressionOptions
    offload: bool = False
    name: str = "local"

    def compress(self, messages: list[Any]) -> tuple[list[Any], Savings]:
        out, report = compress_messages(messages, model=self.model, options=self.options)
        return out, Savings.from_report(report, self.name)

    async def acompress(self, messages: list[Any]) -> tuple[list[Any], Savings]:
        if self.offload:
            return await asyncio.to_thread(self.compress, messages)
        return self.compress(messages)


class RemoteBackend:
    """A Kaizen server via ``optimize_request`` (the client retries transient failures).

    Sync calls need a sync client and async calls an async one. Given only one kind, sync
    calls use a ``KaizenSyncClient`` made from the same config and async calls run the sync
    client in a worker thread (an httpx async client made here could end up shared between
    event loops). A client derived from a custom-transport client does not inherit it.
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
        return _messages(response), Savings.from_report(response.report, self.name)

    async def acompress(self, messages: list[Any]) -> tuple[list[Any], Savings]:
        if self._async is None:
            return await asyncio.to_thread(self.compress, messages)
        response = await self._async.optimize_request(self._payload(messages))
        return _messages(response), Savings.from_report(response.report, self.name)


def _messages(response: Any) -> list[Any]:
    result = response.result
    if not isinstance(result, list):
        raise ValueError("the Kaizen server returned a result that is not a message list")
    return result


def secret_value(api_key: str | SecretStr | None) -> str | None:
    """The key as text, whether an integration holds it plainly or as a pydantic secret."""
    return api_key.get_secret_value() if isinstance(api_key, SecretStr) else api_key


def client_settings(
    client: KaizenClient | KaizenSyncClient,
    base_url: str | None,
    api_key: SecretStr | None,
) -> tuple[str | None, SecretStr | None]:
    """The URL and key an integration built with ``client=`` keeps (and serializes).

    Its own settings win; what it leaves unset comes from the client's config, so a saved
    component describes the server it talked to (the key stays a secret, never serialized).
    """
    config = client.config
    if api_key is None and config.api_key:
        api_key = SecretStr(config.api_key)
    return (config.base_url if base_url is None else base_url), api_key


def is_remote(
    client: KaizenClient | KaizenSyncClient | None,
    base_url: str | None,
    api_key: str | SecretStr | None,
) -> bool:
    """Whether an integration with these settings talks to a Kaizen server.

    A client decides by its own mode (a client in local mode runs the engine in-process
    anyway, so the integration calls the engine directly). Without one: a URL other than
    ``"local"``, or a key alone (the hosted API); environment variables are not consulted, so
    an integration is local unless its own settings say otherwise.
    """
    if client is not None:
        return client.config.mode == "remote"
    url = (base_url or "").strip().lower()
    return (bool(url) and url != "local") or (not url and api_key is not None)


def make_backend(
    model: str,
    options: CompressionOptions,
    *,
    client: KaizenClient | KaizenSyncClient | None = None,
    base_url: str | None = None,
    api_key: str | SecretStr | None = None,
    offload: bool = False,
) -> Backend:
    """The backend an integration's settings ask for; every integration builds it here.

    Local (the engine, ``offload`` as in :class:`LocalBackend`) unless :func:`is_remote`;
    remote uses ``client``, or a ``KaizenSyncClient`` made from ``base_url`` and ``api_key``
    (async calls then run it in a worker thread, never sharing an async client between event
    loops). The server gets the same options the local engine would use.
    """
    if not is_remote(client, base_url, api_key):
        return LocalBackend(model, options, offload=offload)
    wire = {
        "model": model,
        "min_tokens_saved": options.min_tokens_saved,
        "min_percent_saved": options.min_percent_saved,
        "mode": options.mode,
        "preserve_prefix": options.preserve_prefix,
        "respect_cache_control": options.respect_cache_control,
    }
    if client is None:
        config = KaizenClientConfig(base_url=base_url, api_key=secret_value(api_key))
        client = KaizenSyncClient(config)
    if isinstance(client, KaizenSyncClient):
        return RemoteBackend(wire, sync_client=client)
    return RemoteBackend(wire, async_client=client)


__all__ = [
    "Backend",
    "LocalBackend",
    "RemoteBackend",
    "client_settings",
    "is_remote",
    "make_backend",
    "secret_value",
]
