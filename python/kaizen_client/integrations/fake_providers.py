"""A fake LLM provider on loopback that speaks OpenAI, Anthropic and Gemini wire formats.

The real SDKs talk to it over their real HTTP stacks (``base_url=fake.url + "/v1"``, a
dummy key), so a test sees exactly the bytes a provider would receive: every request is
recorded (path, headers, raw body). Replies are the configured ``reply`` text, whole or as
server-sent events cut into small pieces; ``fail(status, times)`` answers the next requests
with an error first (with ``retry-after-ms: 1``, so the SDKs' own retries are fast).

For the adapter tests, the examples (offline by default), the overhead benchmark and
users' own tests of code that calls a provider through a wrapped client.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import urlsplit

PIECE = 7
"""Characters of reply text per streamed event."""


@dataclass(frozen=True)
class Recorded:
    """One request as it arrived."""

    method: str
    path: str
    query: str
    headers: dict[str, str]
    body: bytes

    @property
    def json(self) -> Any:
        return json.loads(self.body)


def _pieces(text: str) -> list[str]:
    return [text[i : i + PIECE] for i in range(0, len(text), PIECE)] or [""]


def _sse(events: list[tuple[str | None, Any]]) -> bytes:
    out = []
    for name, data in events:
        line = data if isinstance(data, str) else json.dumps(data)
        out.append((f"event: {name}\n" if name else "") + f"data: {line}\n\n")
    return "".join(out).encode()


USAGE_OPENAI = {"prompt_tokens": 11, "completion_tokens": 7, "total_tokens": 18}


def openai_chat(body: Any, reply: str) -> tuple[str, bytes]:
    model = body.get("model", "gpt-4o")
    if not body.get("stream"):
        message = {"role": "assistant", "content": reply, "refusal": None}
        choice = {"index": 0, "message": message, "finish_reason": "stop", "logprobs": None}
        data = {
            "id": "chatcmpl-fake1",
            "object": "chat.completion",
            "created": 1700000000,
            "model": model,
            "choices": [choice],
            "usage": USAGE_OPENAI,
        }
        return "application/json", json.dumps(data).encode()

    def chunk(delta: dict[str, Any], finish: str | None) -> dict[str, Any]:
        return {
            "id": "chatcmpl-fake1",
            "object": "chat.completion.chunk",
            "created": 1700000000,
            "model": model,
            "choices": [{"index": 0, "delta": delta, "finish_reason": finish, "logprobs": None}],
        }

    events: list[tuple[str | None, Any]] = [
        (None, chunk({"role": "assistant", "content": ""}, None))
    ]
    events += [(None, chunk({"content": piece}, None)) for piece in _pieces(reply)]
    events += [(None, chunk({}, "stop")), (None, "[DONE]")]
    return "text/event-stream", _sse(events)


def _openai_response(body: Any, reply: str, status: str) -> dict[str, Any]:
    text = {"type": "output_text", "text": reply, "annotations": [], "logprobs": []}
    item = {
        "type": "message",
        "id": "msg_fake1",
        "status": "completed",
        "role": "assistant",
        "content": [text] if status == "completed" else [],
    }
    return {
        "id": "resp_fake1",
        "object": "response",
        "created_at": 1700000000,
        "model": body.get("model", "gpt-4o"),
        "status": status,
        "output": [item] if status == "completed" else [],
        "parallel_tool_calls": True,
        "tool_choice": "auto",
        "tools": [],
        "usage": {
            "input_tokens": 11,
            "output_tokens": 7,
            "total_tokens": 18,
            "input_tokens_details": {"cached_tokens": 0},
            "output_tokens_details": {"reasoning_tokens": 0},
        },
    }


def openai_responses(body: Any, reply: str) -> tuple[str, bytes]:
    if not body.get("stream"):
        return "application/json", json.dumps(_openai_response(body, reply, "completed")).encode()
    seq = iter(range(1000))
    part = {"type": "output_text", "text": "", "annotations": [], "logprobs": []}
    item = {"type": "message", "id": "msg_fake1", "status": "in_progress", "role": "assistant"}
    base = {"item_id": "msg_fake1", "output_index": 0, "content_index": 0}
    events: list[tuple[str | None, Any]] = []

    def add(kind: str, **data: Any) -> None:
        events.append((kind, {"type": kind, "sequence_number": next(seq), **data}))

    add("response.created", response=_openai_response(body, reply, "in_progress"))
    add("response.output_item.added", output_index=0, item={**item, "content": []})
    add("response.content_part.added", part=part, **base)
    for piece in _pieces(reply):
        add("response.output_text.delta", delta=piece, logprobs=[], **base)
    add("response.output_text.done", text=reply, logprobs=[], **base)
    add("response.content_part.done", part={**part, "text": reply}, **base)
    done = {**item, "status": "completed", "content": [{**part, "text": reply}]}
    add("response.output_item.done", output_index=0, item=done)
    add("response.completed", response=_openai_response(body, reply, "completed"))
    return "text/event-stream", _sse(events)


def anthropic_messages(body: Any, reply: str) -> tuple[str, bytes]:
    model = body.get("model", "claude-sonnet-4-5")
    usage = {"input_tokens": 11, "output_tokens": 7}
    message = {
        "id": "msg_fake1",
        "type": "message",
        "role": "assistant",
        "model": model,
        "content": [{"type": "text", "text": reply}],
        "stop_reason": "end_turn",
        "stop_sequence": None,
        "usage": usage,
    }
    if not body.get("stream"):
        return "application/json", json.dumps(message).encode()
    start = {**message, "content": [], "stop_reason": None}
    events: list[tuple[str | None, Any]] = [
        ("message_start", {"type": "message_start", "message": start}),
        (
            "content_block_start",
            {
                "type": "content_block_start",
                "index": 0,
                "content_block": {"type": "text", "text": ""},
            },
        ),
    ]
    for piece in _pieces(reply):
        delta = {"type": "text_delta", "text": piece}
        events.append(
            ("content_block_delta", {"type": "content_block_delta", "index": 0, "delta": delta})
        )
    events += [
        ("content_block_stop", {"type": "content_block_stop", "index": 0}),
        (
            "message_delta",
            {
                "type": "message_delta",
                "delta": {"stop_reason": "end_turn", "stop_sequence": None},
                "usage": {"output_tokens": 7},
            },
        ),
        ("message_stop", {"type": "message_stop"}),
    ]
    return "text/event-stream", _sse(events)


def _gemini_chunk(text: str, finish: str | None) -> dict[str, Any]:
    candidate: dict[str, Any] = {
        "content": {"role": "model", "parts": [{"text": text}]},
        "index": 0,
    }
    if finish:
        candidate["finishReason"] = finish
    return {
        "candidates": [candidate],
        "usageMetadata": {"promptTokenCount": 11, "candidatesTokenCount": 7, "totalTokenCount": 18},
        "modelVersion": "gemini-2.5-flash",
        "responseId": "fake1",
    }


def gemini(path: str, reply: str) -> tuple[str, bytes]:
    if path.endswith(":generateContent"):
        return "application/json", json.dumps(_gemini_chunk(reply, "STOP")).encode()
    pieces = _pieces(reply)
    events: list[tuple[str | None, Any]] = [
        (None, _gemini_chunk(piece, "STOP" if i == len(pieces) - 1 else None))
        for i, piece in enumerate(pieces)
    ]
    return "text/event-stream", _sse(events)


def _error(path: str, status: int) -> dict[str, Any]:
    if ":generateContent" in path or ":streamGenerateContent" in path:
        return {"error": {"code": status, "message": "fake failure", "status": "UNAVAILABLE"}}
    if path.endswith("/messages"):
        return {"type": "error", "error": {"type": "overloaded_error", "message": "fake failure"}}
    return {"error": {"message": "fake failure", "type": "server_error", "code": None}}


class FakeProvider:
    """The server; ``with FakeProvider() as fake:`` runs it on an ephemeral loopback port."""

    def __init__(self, reply: str = "Done.") -> None:
        self.reply = reply
        self.requests: list[Recorded] = []
        self._failures: list[int] = []
        self._lock = threading.Lock()
        fake = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"
            disable_nagle_algorithm = True  # no 40 ms delayed-ACK stalls in timings
            wbufsize = -1  # headers and body leave in one write

            def log_message(self, format: str, *args: Any) -> None:
                pass

            def do_POST(self) -> None:
                length = int(self.headers.get("content-length") or 0)
                body = self.rfile.read(length)
                parts = urlsplit(self.path)
                headers = {k.lower(): v for k, v in self.headers.items()}
                fake._record(Recorded("POST", parts.path, parts.query, headers, body))
                status, ctype, out, extra = fake._answer(parts.path, body)
                self.send_response(status)
                self.send_header("content-type", ctype)
                self.send_header("content-length", str(len(out)))
                for name, value in extra.items():
                    self.send_header(name, value)
                self.end_headers()
                self.wfile.write(out)

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._server.daemon_threads = True
        self._thread = threading.Thread(
            target=self._server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )

    @property
    def url(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host!s}:{port}"

    def fail(self, status: int, times: int = 1) -> None:
        """Answer the next ``times`` requests with ``status`` (an error body, retry-after-ms 1)."""
        with self._lock:
            self._failures.extend([status] * times)

    def _record(self, request: Recorded) -> None:
        with self._lock:
            self.requests.append(request)

    def _answer(self, path: str, body: bytes) -> tuple[int, str, bytes, dict[str, str]]:
        with self._lock:
            failure = self._failures.pop(0) if self._failures else None
        if failure is not None:
            data = json.dumps(_error(path, failure)).encode()
            return failure, "application/json", data, {"retry-after-ms": "1", "retry-after": "0"}
        try:
            request = json.loads(body) if body else {}
        except ValueError:
            request = {}
        if path.endswith("/chat/completions"):
            ctype, out = openai_chat(request, self.reply)
        elif path.endswith("/responses"):
            ctype, out = openai_responses(request, self.reply)
        elif path.endswith("/messages"):
            ctype, out = anthropic_messages(request, self.reply)
        elif ":generateContent" in path or ":streamGenerateContent" in path:
            ctype, out = gemini(path, self.reply)
        else:
            return 404, "application/json", b'{"error": {"message": "no such route"}}', {}
        return 200, ctype, out, {"x-request-id": "req_fake1"}

    def start(self) -> FakeProvider:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()

    def __enter__(self) -> FakeProvider:
        return self.start()

    def __exit__(self, *exc: Any) -> None:
        self.stop()

    def last(self) -> Recorded:
        return self.requests[-1]

    def reset(self) -> None:
        with self._lock:
            self.requests.clear()
            self._failures.clear()


def serve() -> Iterator[FakeProvider]:
    """A pytest-fixture-shaped generator: a started fake, stopped afterwards."""
    with FakeProvider() as fake:
        yield fake
