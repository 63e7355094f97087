"""``total_timeout``: one deadline for the whole call, retries and backoff sleeps included.

``timeout`` is per connect/read/write, so a server dripping its body a byte at a time never
trips it. The drip is a real loopback HTTP server, and both twins are tested against it.
"""

from __future__ import annotations

import inspect
import socket
import threading
import time
from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from kaizen_client import (
    KaizenClient,
    KaizenClientConfig,
    KaizenServerError,
    KaizenSyncClient,
    KaizenTimeoutError,
)

from .conftest import error_body

BODY = b'{"status": "ok", "operation": "compress", "result": "dripped"}'
DRIP = 0.05  # seconds between bytes: far below the per-read timeout


class DripServer:
    """Answers every request with ``BODY``, one byte every ``DRIP`` seconds."""

    def __init__(self) -> None:
        self.sock = socket.create_server(("127.0.0.1", 0))
        self.url = f"http://127.0.0.1:{self.sock.getsockname()[1]}"
        self.stopped = threading.Event()
        self.thread = threading.Thread(target=self._serve, daemon=True)
        self.thread.start()

    def _serve(self) -> None:
        self.sock.settimeout(0.1)
        while not self.stopped.is_set():
            try:
                conn, _ = self.sock.accept()
            except TimeoutError:
                continue
            threading.Thread(target=self._answer, args=(conn,), daemon=True).start()

    def _answer(self, conn: socket.socket) -> None:
        with conn:
            data = b""
            while b"\r\n\r\n" not in data:
                chunk = conn.recv(65536)
                if not chunk:
                    return
                data += chunk
            head, _, rest = data.partition(b"\r\n\r\n")
            length = 0
            for line in head.split(b"\r\n")[1:]:
                name, _, value = line.partition(b":")
                if name.strip().lower() == b"content-length":
                    length = int(value)
            while len(rest) < length:
                rest += conn.recv(65536)
            conn.sendall(
                b"HTTP/1.1 200 OK\r\ncontent-type: application/json\r\n"
                + f"content-length: {len(BODY)}\r\nconnection: close\r\n\r\n".encode()
            )
            try:
                for byte in BODY:
                    if self.stopped.is_set():
                        return
                    conn.sendall(bytes([byte]))
                    time.sleep(DRIP)
            except OSError:
                return  # the client gave up: that is the point

    def close(self) -> None:
        self.stopped.set()
        self.thread.join()
        self.sock.close()


@pytest.fixture(scope="module")
def drip() -> Iterator[DripServer]:
    server = DripServer()
    yield server
    server.close()


async def call(kind: str, config: KaizenClientConfig, **kwargs: Any) -> Any:
    if kind == "sync":
        with KaizenSyncClient(config) as client:
            return client.compress({"data": 1}, **kwargs)
    async with KaizenClient(config) as aclient:
        return await aclient.compress({"data": 1}, **kwargs)


async def test_drip_outlives_the_per_read_timeout(kind: str, drip: DripServer) -> None:
    """The control: without a deadline the call lasts as long as the server drips."""
    config = KaizenClientConfig(base_url=drip.url, api_key="sk-x-000", timeout=0.5)
    started = time.monotonic()
    resp = await call(kind, config)
    assert resp["result"] == "dripped"
    assert time.monotonic() - started >= len(BODY) * DRIP * 0.9 > 0.5 * 5


@pytest.mark.parametrize("where", ["config", "call"])
async def test_total_timeout_ends_a_dripping_call(kind: str, drip: DripServer, where: str) -> None:
    budget = 0.6
    options: dict[str, Any] = {"base_url": drip.url, "api_key": "sk-x-000", "timeout": 0.5}
    kwargs: dict[str, Any] = {}
    if where == "config":
        options["total_timeout"] = budget
    else:
        kwargs["total_timeout"] = budget
    started = time.monotonic()
    with pytest.raises(KaizenTimeoutError) as info:
        await call(kind, KaizenClientConfig(**options), **kwargs)
    elapsed = time.monotonic() - started
    assert budget <= elapsed < budget + 1.5  # was: len(BODY) * DRIP = 3+ s
    assert "total_timeout=0.6" in str(info.value)


class FakeTime:
    def __init__(self) -> None:
        self.now = 100.0
        self.sleeps: list[float] = []

    def clock(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.now += seconds


async def test_backoff_sleeps_count_against_the_deadline(kind: str) -> None:
    fake = FakeTime()
    transport = httpx.MockTransport(lambda r: httpx.Response(500, json=error_body(500)))
    config = KaizenClientConfig(
        base_url="https://api.test.example", api_key="sk-x-000", max_retries=6, total_timeout=2.0
    )
    client: Any
    if kind == "sync":
        client = KaizenSyncClient(
            config, transport=transport, sleep=fake.sleep, clock=fake.clock, random=lambda: 0.0
        )
    else:

        async def sleep(seconds: float) -> None:
            fake.sleep(seconds)

        client = KaizenClient(
            config, transport=transport, sleep=sleep, clock=fake.clock, random=lambda: 0.0
        )
    with pytest.raises(KaizenServerError):
        result = client.compress({"data": 1})
        if inspect.isawaitable(result):
            await result
    # 0.5 + 1.0 fit in 2 s; the next 2.0 s sleep would end past the deadline: stop there.
    assert fake.sleeps == [0.5, 1.0]
    closing = client.close()
    if inspect.isawaitable(closing):
        await closing


def test_total_timeout_must_be_positive() -> None:
    with pytest.raises(ValueError, match="total_timeout"):
        KaizenClientConfig(base_url="local", total_timeout=0)
