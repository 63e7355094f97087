"""The API key never leaves through an error or a log, even when the server echoes it back.

A real loopback HTTP server answers with the caller's ``x-api-key`` inside its body, its
error message, its ``detail`` and a response header, in every shape the client handles. For
each, the key must be absent from ``str``, ``repr``, the formatted traceback, the pickle,
every exception in the ``__cause__``/``__context__`` chain, and every DEBUG log record.
"""

from __future__ import annotations

import json
import logging
import pickle
import threading
import traceback
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest

from kaizen_client import KaizenClient, KaizenClientConfig, KaizenError, KaizenSyncClient

KEY = "sk-live-ECHOED-5f2b9c1d7e3a"


class Echo(BaseHTTPRequestHandler):
    """Puts the request's ``x-api-key`` wherever ``x-echo-mode`` says."""

    echoed = 0

    def do_POST(self) -> None:
        length = int(self.headers.get("content-length", 0))
        self.rfile.read(length)
        key = self.headers.get("x-api-key", "")
        mode = self.headers.get("x-echo-mode", "")
        status, body, extra = answer(mode, key)
        payload = body.encode() if isinstance(body, str) else json.dumps(body).encode()
        Echo.echoed += payload.count(key.encode()) if key else 0
        self.send_response(status)
        self.send_header("content-type", "application/json")
        self.send_header("content-length", str(len(payload)))
        self.send_header("x-echo", f"you sent {key}")
        for name, value in extra.items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(payload)

    def log_message(self, *args: Any) -> None:
        return None


def answer(mode: str, key: str) -> tuple[int, Any, dict[str, str]]:
    envelope = {
        "error": {
            "code": "invalid_request",
            "message": f"key {key} is not allowed",
            "request_id": None,
            "detail": [{"loc": ["x"], "input_value": key}],
        }
    }
    if mode == "error":
        return 400, envelope, {}
    if mode == "rate":
        return 429, envelope, {"retry-after": "3600"}
    if mode == "server":
        return 503, envelope, {}
    if mode == "not_object":
        return 200, [key, {"key": key}], {}
    if mode == "not_json":
        return 200, f"<html>oops {key}</html>", {}
    if mode == "shape":
        return 200, {"status": key, "stats": {"original_bytes": key}, "result": 1}, {}
    raise AssertionError(mode)


@pytest.fixture(scope="module")
def echo_url() -> Iterator[str]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), Echo)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


def chain(err: BaseException) -> Iterator[BaseException]:
    seen: set[int] = set()
    todo: list[BaseException | None] = [err]
    while todo:
        item = todo.pop()
        if item is None or id(item) in seen:
            continue
        seen.add(id(item))
        yield item
        todo.extend([item.__cause__, item.__context__, getattr(item, "original", None)])


def assert_no_key(err: BaseException, records: list[logging.LogRecord]) -> None:
    texts = ["".join(traceback.format_exception(err))]
    for item in chain(err):
        texts += [str(item), repr(item), repr(item.args), repr(vars(item))]
    texts.append(pickle.dumps(err).decode("latin-1"))
    texts += [r.getMessage() + repr(r.args) + repr(vars(r)) for r in records]
    leaks = [t for t in texts if KEY in t]
    assert not leaks, leaks[0][:300]


async def run(kind: str, url: str, mode: str) -> BaseException:
    config = KaizenClientConfig(
        base_url=url, api_key=KEY, max_retries=0, default_headers={"x-echo-mode": mode}
    )
    try:
        if kind == "sync":
            with KaizenSyncClient(config) as client:
                client.compress({"data": 1})
        else:
            async with KaizenClient(config) as aclient:
                await aclient.compress({"data": 1})
    except KaizenError as exc:
        return exc
    raise AssertionError(f"{mode}: no error raised")


@pytest.mark.parametrize("mode", ["error", "rate", "server", "not_object", "not_json"])
async def test_echoed_key_reaches_no_error_text_chain_pickle_or_log(
    kind: str, echo_url: str, mode: str, caplog: pytest.LogCaptureFixture
) -> None:
    before = Echo.echoed
    with caplog.at_level(logging.DEBUG):
        err = await run(kind, echo_url, mode)
    assert Echo.echoed > before  # the server really sent the key back
    assert_no_key(err, caplog.records)
    restored = pickle.loads(pickle.dumps(err))
    assert type(restored) is type(err) and str(restored) == str(err)


async def test_echoed_key_in_an_unexpected_shape_is_not_logged(
    kind: str, echo_url: str, caplog: pytest.LogCaptureFixture
) -> None:
    config = KaizenClientConfig(
        base_url=echo_url, api_key=KEY, max_retries=0, default_headers={"x-echo-mode": "shape"}
    )
    with caplog.at_level(logging.DEBUG):
        if kind == "sync":
            with KaizenSyncClient(config) as client:
                resp = client.compress({"data": 1})
        else:
            async with KaizenClient(config) as aclient:
                resp = await aclient.compress({"data": 1})
    assert resp["status"] == KEY  # the caller gets what the server sent...
    assert any("does not match" in r.getMessage() for r in caplog.records)
    assert not [r for r in caplog.records if KEY in r.getMessage() + repr(r.args)]  # ...logs don't
    assert KEY not in repr(client if kind == "sync" else aclient)
