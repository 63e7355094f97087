"""Cassette scenarios, shared by the replay tests, the drift test and the re-record script.

A scenario is the server's settings plus a coroutine that drives a client and asserts what
it sees. The same coroutine runs in three places, so a cassette can only say what the real
server says:

* ``scripts/record_cassettes.py`` runs it against a real server (``record_mode="all"``);
* ``test_replay.py`` runs it from the cassette (``record_mode="none"``) with both twins;
* ``test_drift.py`` runs it against a fresh live server and compares with the cassette.

Recorded URLs are rewritten to ``http://kaizen.test`` (the loopback port changes every run);
``x-api-key`` and ``Authorization`` are replaced by ``<filtered>``, an ``api_key``/``key``/
``token`` query parameter is dropped and such a JSON body field masked, and the server's
``date``/``server`` headers are left out so a re-record only changes what really changed.
"""

from __future__ import annotations

import inspect
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
import vcr

from kaizen_client import (
    KaizenClient,
    KaizenClientConfig,
    KaizenNotFoundError,
    KaizenPayloadTooLargeError,
    KaizenRateLimitError,
    KaizenSyncClient,
    KaizenValidationError,
    testing,
)
from kaizen_client.errors import KaizenAuthError
from kaizen_client.server import RateLimit, ServerSettings

REPO = Path(__file__).resolve().parents[3]
CASSETTES = REPO / "shared" / "cassettes"
CANONICAL = testing.CANONICAL_URL
#: The key the recording server accepts; it must never appear in a cassette.
TEST_KEY = "sk-kaizen-cassette-test-4f1c9a7e2b"
WRONG_KEY = "sk-kaizen-cassette-wrong-0d3b8e61a5"
FILTERED = testing.FILTERED
#: Waits up to this long are really slept while recording (e.g. ``Retry-After: 1``); longer
#: ones would only wait out a limit the scenario expects to hit again.
REAL_SLEEP_MAX = 2.0


def cassette_vcr(library: Path = CASSETTES) -> vcr.VCR:
    """The one VCR configuration every recorder and replayer uses (``kaizen_client.testing``)."""
    vcr_config: vcr.VCR = testing.cassette_vcr(library, (TEST_KEY, WRONG_KEY))
    return vcr_config


@dataclass
class Api:
    """Builds clients of one kind (sync or async) for a scenario and records their sleeps."""

    kind: str
    base_url: str
    recording: bool = False
    sleeps: list[float] = field(default_factory=list)

    def client(self, **overrides: Any) -> KaizenClient | KaizenSyncClient:
        settings: dict[str, Any] = {"base_url": self.base_url, "api_key": TEST_KEY}
        settings.update(overrides)
        config = KaizenClientConfig(**settings)
        if self.kind == "sync":
            return KaizenSyncClient(config, sleep=self._sleep, random=lambda: 0.5)

        async def sleep(seconds: float) -> None:
            self._sleep(seconds)

        return KaizenClient(config, sleep=sleep, random=lambda: 0.5)

    def _sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        if self.recording and seconds <= REAL_SLEEP_MAX:
            time.sleep(seconds)

    def pause(self, seconds: float) -> None:
        """Let server-side time pass (only matters while recording)."""
        if self.recording:
            time.sleep(seconds)

    async def call(
        self, client: KaizenClient | KaizenSyncClient, op: str, *args: Any, **kwargs: Any
    ) -> Any:
        result = getattr(client, op)(*args, **kwargs)
        if inspect.isawaitable(result):
            result = await result
        return result

    async def close(self, client: KaizenClient | KaizenSyncClient) -> None:
        result = client.close()
        if inspect.isawaitable(result):
            await result


# --- the scenarios -----------------------------------------------------------------------

CHAT = [
    {"role": "system", "content": "Answer from the data."},
    {
        "role": "user",
        "content": "Orders:\n"
        + '[{"id": 1, "sku": "A-100", "qty": 2, "price": 9.5},'
        + ' {"id": 2, "sku": "B-200", "qty": 1, "price": 19.0},'
        + ' {"id": 3, "sku": "C-300", "qty": 5, "price": 4.25},'
        + ' {"id": 4, "sku": "D-400", "qty": 3, "price": 7.75}]',
    },
]
ROWS = [{"id": i, "name": f"user{i}", "active": i % 2 == 0} for i in range(1, 6)]


async def endpoints(api: Api) -> None:
    """Every operation once, plus a prompt stored by encode and decoded by its payload_id."""
    client = api.client()
    try:
        health = await api.call(client, "health", request_id="cassette-health")
        assert health.status == "ok" and health.mode == "server"
        compressed = await api.call(client, "compress", {"data": ROWS}, request_id="c-compress")
        assert compressed.operation == "compress" and isinstance(compressed.result, str)
        decompressed = await api.call(
            client, "decompress", {"data": compressed.result}, request_id="c-decompress"
        )
        assert decompressed.result == ROWS
        optimized = await api.call(
            client, "optimize", {"data": ROWS, "metadata": {"t": 1}}, request_id="c-optimize"
        )
        assert optimized.token_stats is not None and "gpt-4o" in optimized.token_stats
        assert optimized.metadata == {"t": 1}
        request = await api.call(
            client, "optimize_request", {"prompt": {"messages": CHAT}}, request_id="c-opt-req"
        )
        assert request.report.fragments_compressed == 1
        response = await api.call(
            client, "optimize_response", {"ktof": compressed.result}, request_id="c-opt-resp"
        )
        assert response.result == ROWS
        encoded = await api.call(client, "prompts_encode", {"prompt": CHAT}, request_id="c-p-enc")
        assert encoded.report.tokens_saved > 0
        payload_id = encoded["payload_id"]
        assert isinstance(payload_id, str) and payload_id.startswith("pl_")
        by_text = await api.call(
            client, "prompts_decode", {"ktof": encoded.result}, request_id="c-p-dec"
        )
        assert by_text.result == CHAT
        by_id = await api.call(
            client, "prompts_decode", {"payload_id": payload_id}, request_id="c-p-dec-id"
        )
        assert by_id.result == CHAT
    finally:
        await api.close(client)


async def errors(api: Api) -> None:
    """400, 401, 404, 410, 413 and 422, each as the typed exception with the server's body."""
    client = api.client(max_retries=0)
    intruder = api.client(api_key=WRONG_KEY, max_retries=0)
    try:
        with pytest.raises(KaizenValidationError) as bad_ktof:
            await api.call(client, "decompress", {"data": "[2]: 1"}, request_id="e-400")
        assert bad_ktof.value.status_code == 400 and bad_ktof.value.code == "ktof_decode_error"
        assert bad_ktof.value.detail["line"] == 1
        with pytest.raises(KaizenAuthError) as unauthorized:
            await api.call(intruder, "compress", {"data": 1}, request_id="e-401")
        assert unauthorized.value.status_code == 401
        assert unauthorized.value.code == "unauthorized"
        with pytest.raises(KaizenNotFoundError) as unknown:
            await api.call(
                client, "prompts_decode", {"payload_id": "pl_never_issued"}, request_id="e-404"
            )
        assert unknown.value.status_code == 404 and not unknown.value.expired
        encoded = await api.call(client, "prompts_encode", {"prompt": "hi"}, request_id="e-enc")
        api.pause(1.2)  # the recording server keeps payloads for 1 s
        with pytest.raises(KaizenNotFoundError) as gone:
            await api.call(
                client, "prompts_decode", {"payload_id": encoded["payload_id"]}, request_id="e-410"
            )
        assert gone.value.status_code == 410 and gone.value.expired and gone.value.code == "gone"
        with pytest.raises(KaizenPayloadTooLargeError) as too_large:
            await api.call(client, "compress", {"data": "x" * 5000}, request_id="e-413")
        assert too_large.value.code == "payload_too_large"
        assert too_large.value.detail == {"limit": 4096}
        with pytest.raises(KaizenValidationError) as invalid:
            await api.call(client, "compress", {"value": 1}, request_id="e-422")
        assert invalid.value.status_code == 422 and invalid.value.code == "validation_error"
        assert invalid.value.detail[0]["loc"] == ["data"]
    finally:
        await api.close(client)
        await api.close(intruder)


async def retry_503(api: Api) -> None:
    """The first request answers 503 (fault injection); the client backs off and succeeds."""
    client = api.client(max_retries=2)
    try:
        result = await api.call(client, "compress", {"data": ROWS}, request_id="r-503")
        assert result.operation == "compress"
        assert api.sleeps == [0.4375]  # 0.5 s backoff less 25 % x random() 0.5, no Retry-After
    finally:
        await api.close(client)


async def retry_429(api: Api) -> None:
    """One request per second: the second call gets 429 Retry-After: 1, waits, succeeds."""
    client = api.client(max_retries=2)
    try:
        await api.call(client, "compress", {"data": 1}, request_id="r-429-a")
        result = await api.call(client, "compress", {"data": 2}, request_id="r-429-b")
        assert result.result == "2"
        assert api.sleeps == [1.0]
    finally:
        await api.close(client)


async def rate_limited(api: Api) -> None:
    """One request per hour: a Retry-After over two minutes is not waited for; the 429 surfaces
    at once with its hint (openai-python's policy, without its pointless short retries)."""
    client = api.client(max_retries=1)
    try:
        await api.call(client, "compress", {"data": 1}, request_id="rl-a")
        with pytest.raises(KaizenRateLimitError) as limited:
            await api.call(client, "compress", {"data": 2}, request_id="rl-b")
        assert limited.value.retry_after == 3600.0
        assert limited.value.code == "rate_limited"
        assert api.sleeps == []
    finally:
        await api.close(client)


@dataclass(frozen=True)
class Scenario:
    name: str
    settings: ServerSettings
    run: Callable[[Api], Awaitable[None]]

    @property
    def cassette(self) -> str:
        return f"{self.name}.yaml"


KEYS = frozenset({TEST_KEY})
SCENARIOS = [
    Scenario("endpoints", ServerSettings(api_keys=KEYS), endpoints),
    Scenario("errors", ServerSettings(api_keys=KEYS, max_body_bytes=4096, payload_ttl=1.0), errors),
    Scenario(
        "retry_503",
        ServerSettings(api_keys=KEYS, fail_first=frozenset({"/v1/compress"})),
        retry_503,
    ),
    Scenario("retry_429", ServerSettings(api_keys=KEYS, rate_limit=RateLimit(1, 1.0)), retry_429),
    Scenario(
        "rate_limited", ServerSettings(api_keys=KEYS, rate_limit=RateLimit(1, 3600.0)), rate_limited
    ),
]


async def record(scenario: Scenario, library: Path = CASSETTES) -> Path:
    """Run ``scenario`` against a fresh real server and write its cassette into ``library``."""
    from kaizen_client.server import running_server

    path = library / scenario.cassette
    path.unlink(missing_ok=True)  # "all" mode would otherwise keep stale interactions
    with running_server(scenario.settings) as base_url:
        api = Api("async", base_url, recording=True)
        with cassette_vcr(library).use_cassette(scenario.cassette, record_mode="all"):
            await scenario.run(api)
    return path
