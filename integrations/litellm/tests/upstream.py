"""A tiny OpenAI-compatible chat server on loopback that records what it was sent.

Threaded ``http.server`` so sync and async LiteLLM calls can both reach it; answers
``POST /v1/chat/completions`` with a scripted reply, streamed as SSE when asked.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any


@dataclass
class Upstream:
    base_url: str
    reply: str = "ok"
    requests: list[dict[str, Any]] = field(default_factory=list)
    headers: list[dict[str, str]] = field(default_factory=list)

    @property
    def last(self) -> dict[str, Any]:
        return self.requests[-1]


def _completion(reply: str, model: str) -> dict[str, Any]:
    return {
        "id": "chatcmpl-test",
        "object": "chat.completion",
        "created": 1700000000,
        "model": model,
        "choices": [
            {
                "index": 0,
                "message": {"role": "assistant", "content": reply},
                "finish_reason": "stop",
            }
        ],
        "usage": {"prompt_tokens": 10, "completion_tokens": 5, "total_tokens": 15},
    }


def _chunks(reply: str, model: str) -> Iterator[dict[str, Any]]:
    base = {"id": "chatcmpl-test", "object": "chat.completion.chunk", "created": 1700000000}
    yield {**base, "model": model, "choices": [{"index": 0, "delta": {"role": "assistant"}}]}
    for start in range(0, len(reply), 7):  # small pieces that split lines and cells
        piece = reply[start : start + 7]
        choice = {"index": 0, "delta": {"content": piece}, "finish_reason": None}
        yield {**base, "model": model, "choices": [choice]}
    yield {**base, "model": model, "choices": [{"index": 0, "delta": {}, "finish_reason": "stop"}]}


def _handler(state: Upstream) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, format: str, *args: Any) -> None:
            pass

        def do_POST(self) -> None:
            length = int(self.headers.get("content-length", "0"))
            body = json.loads(self.rfile.read(length) or b"{}")
            state.requests.append(body)
            state.headers.append({k.lower(): v for k, v in self.headers.items()})
            model = str(body.get("model", "test"))
            if body.get("stream"):
                payload = b"".join(
                    b"data: " + json.dumps(c).encode() + b"\n\n"
                    for c in _chunks(state.reply, model)
                )
                payload += b"data: [DONE]\n\n"
                content_type = "text/event-stream"
            else:
                payload = json.dumps(_completion(state.reply, model)).encode()
                content_type = "application/json"
            self.send_response(200)
            self.send_header("content-type", content_type)
            self.send_header("content-length", str(len(payload)))
            self.end_headers()
            self.wfile.write(payload)

    return Handler


@contextmanager
def running_upstream(reply: str = "ok") -> Iterator[Upstream]:
    """Start the server on 127.0.0.1 and a free port; stop it on exit."""
    state = Upstream(base_url="", reply=reply)
    server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(state))
    state.base_url = f"http://127.0.0.1:{server.server_address[1]}/v1"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield state
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)
