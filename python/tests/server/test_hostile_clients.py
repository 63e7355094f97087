"""Slow and hostile clients (finding 6), over real sockets against a real uvicorn.

Each test uses short timeouts so it runs in seconds; the behaviour is the same at the
defaults (10 s headers, 30 s body, 15 s keep-alive, 20 s shutdown).
"""

from __future__ import annotations

import resource
import signal
import socket
import time
from collections.abc import Iterator

import httpx
import pytest

from kaizen_client.server import ServerSettings, running_server

from . import processes
from .conftest import KEY, auth

FAST = ServerSettings(
    api_keys=frozenset({KEY}),
    header_timeout=0.5,
    body_timeout=0.5,
    keep_alive_timeout=1.0,
    max_concurrency=2,
)


@pytest.fixture(scope="module")
def url() -> Iterator[str]:
    with running_server(FAST) as base:
        yield base


def _connect(url: str) -> socket.socket:
    host, port = url.removeprefix("http://").split(":")
    sock = socket.create_connection((host, int(port)), timeout=10)
    return sock


def _closed_within(sock: socket.socket, seconds: float) -> bool:
    """True when the server closes ``sock`` (EOF or reset) within ``seconds``."""
    sock.settimeout(seconds)
    try:
        while True:
            data = sock.recv(65536)
            if not data:
                return True
    except (ConnectionResetError, BrokenPipeError):
        return True
    except TimeoutError:
        return False


def test_slowloris_connections_are_closed_after_the_header_timeout(url: str) -> None:
    """Finding 6: connections sending headers slowly (or never) were held forever."""
    silent = [_connect(url) for _ in range(20)]
    dribbling = [_connect(url) for _ in range(20)]
    for sock in dribbling:
        sock.sendall(b"POST /v1/compress HTTP/1.1\r\nHost: x\r\n")
    started = time.monotonic()
    assert httpx.get(url + "/healthz").status_code == 200  # others are still served
    for sock in silent + dribbling:
        assert _closed_within(sock, 3.0)
        sock.close()
    assert time.monotonic() - started < 4.0


def test_an_idle_keep_alive_connection_that_starts_a_request_is_closed_too(url: str) -> None:
    sock = _connect(url)
    sock.sendall(b"GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n")
    assert b"200 OK" in sock.recv(65536)
    sock.sendall(b"GET /healthz HTTP/1.1\r\n")  # then never finishes the headers
    assert _closed_within(sock, 4.0)  # keep-alive (1 s) + header timeout (0.5 s)
    sock.close()


def test_a_normal_keep_alive_connection_is_not_cut(url: str) -> None:
    with httpx.Client(base_url=url) as client:
        for _ in range(5):
            assert client.get("/healthz").status_code == 200
            time.sleep(0.3)  # idle, but within the keep-alive timeout


def test_a_body_that_never_finishes_gets_a_408(url: str) -> None:
    sock = _connect(url)
    sock.sendall(
        b"POST /v1/compress HTTP/1.1\r\nHost: x\r\nx-api-key: " + KEY.encode() + b"\r\n"
        b'content-type: application/json\r\ncontent-length: 100\r\n\r\n{"data": '
    )
    sock.settimeout(5)
    answer = b""
    while chunk := sock.recv(65536):  # until the server closes the connection
        answer += chunk
    assert answer.startswith(b"HTTP/1.1 408"), answer
    assert b"request_timeout" in answer and b"connection: close" in answer
    sock.close()


def test_over_the_concurrency_limit_is_a_clean_503(url: str) -> None:
    stalled = []
    for _ in range(2):  # max_concurrency=2: two requests stuck reading their bodies
        sock = _connect(url)
        sock.sendall(
            b"POST /v1/compress HTTP/1.1\r\nHost: x\r\nx-api-key: " + KEY.encode() + b"\r\n"
            b"content-length: 50\r\n\r\n{"
        )
        stalled.append(sock)
    time.sleep(0.2)
    response = httpx.post(url + "/v1/compress", json={"data": 1}, headers=auth())
    assert response.status_code == 503
    assert response.json()["error"]["code"] == "overloaded"
    assert response.headers["retry-after"] == "1"
    for sock in stalled:
        assert _closed_within(sock, 3.0)  # they time out (408), and the slots come back
        sock.close()
    assert httpx.post(url + "/v1/compress", json={"data": 1}, headers=auth()).status_code == 200


def test_non_json_content_types_get_a_415(url: str) -> None:
    for content_type in ("text/plain", "application/x-www-form-urlencoded", "application/xml"):
        response = httpx.post(
            url + "/v1/compress",
            content=b'{"data": 1}',
            headers={**auth(), "content-type": content_type},
        )
        assert response.status_code == 415, content_type
        assert response.json()["error"]["code"] == "unsupported_media_type"
    for content_type in (
        "application/json",
        "application/json; charset=utf-8",
        "application/x+json",
    ):
        response = httpx.post(
            url + "/v1/compress",
            content=b'{"data": 1}',
            headers={**auth(), "content-type": content_type},
        )
        assert response.status_code == 200, content_type


def test_shutdown_does_not_wait_forever_for_an_unfinished_body() -> None:
    """Finding 6: one request whose body never finished blocked graceful shutdown forever."""
    port = processes.free_port()
    env = processes.clean_env(
        {"KAIZEN_API_KEYS": KEY, "KAIZEN_BODY_TIMEOUT": "600", "KAIZEN_SHUTDOWN_TIMEOUT": "1"}
    )
    process, url = processes.start(processes.serve_argv(port), env, port)
    sock = _connect(url)
    sock.sendall(
        b"POST /v1/compress HTTP/1.1\r\nHost: x\r\nx-api-key: " + KEY.encode() + b"\r\n"
        b"content-length: 100\r\n\r\n{"
    )
    time.sleep(0.3)
    started = time.monotonic()
    process.send_signal(signal.SIGTERM)
    try:
        process.wait(timeout=15)
    finally:
        output = processes.stop(process)
        sock.close()
    assert time.monotonic() - started < 8, output
    assert process.returncode is not None


def test_running_out_of_file_descriptors_logs_a_few_lines_not_a_flood() -> None:
    """Finding 6: under ``ulimit -n``, a connection flood wrote 688k accept tracebacks."""
    port = processes.free_port()
    env = processes.clean_env({"KAIZEN_API_KEYS": KEY, "KAIZEN_HEADER_TIMEOUT": "2"})

    def low_fd_limit() -> None:
        resource.setrlimit(resource.RLIMIT_NOFILE, (96, 96))

    process, url = processes.start(processes.serve_argv(port), env, port, preexec_fn=low_fd_limit)
    flood: list[socket.socket] = []
    try:
        for _ in range(200):
            try:
                flood.append(socket.create_connection(("127.0.0.1", port), timeout=2))
            except OSError:
                break
        time.sleep(3.0)  # the server keeps failing accept() while the flood lasts
        for sock in flood:
            sock.close()
        flood.clear()
        deadline = time.monotonic() + 10
        while True:  # and serves again once the flood is gone (header timeout closed them)
            try:
                if httpx.get(url + "/healthz", timeout=1).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            assert time.monotonic() < deadline, "the server did not recover"
            time.sleep(0.2)
    finally:
        for sock in flood:
            sock.close()
        output = processes.stop(process)
    accept_lines = [line for line in output.splitlines() if "logged at most every" in line]
    assert 1 <= len(accept_lines) <= 3, output[-3000:]
    assert "Traceback" not in output, output[-3000:]
    assert len(output) < 20_000, output[-3000:]
