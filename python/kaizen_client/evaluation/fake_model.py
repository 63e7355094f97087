"""A loopback OpenAI-compatible model that really reads the data block, for offline tests.

It takes the fenced data block out of the prompt, decodes it (JSON, or TOON/KTOF with our
codec), reads the question (the generated kinds' wording) and answers from the decoded data.
So a format that loses or garbles data makes it answer wrong, and the whole path (questions,
prompts, LiteLLM, parsing, scoring, report) runs end to end. ``wrong=True`` makes it
answer counts and aggregates off by one on purpose, so a test can see scoring fail.
Test tooling (like ``integrations.fake_providers``): nothing in the library imports it.
"""

from __future__ import annotations

import json
import re
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from .. import ktof
from ..integrations.fake_providers import openai_chat
from .formats import FENCE

_WHERE = r"the (?P<coll>\S+) record whose (?P<key>\S+) is (?P<value>.+)"
_PATTERNS = [
    ("field", re.compile(rf"^What is the (?P<field>\S+) of {_WHERE}\?$")),
    ("length", re.compile(rf"^How many entries does the (?P<field>\S+) list of {_WHERE} have\?$")),
    ("count", re.compile(r"^How many (?P<coll>\S+) records are there\?$")),
    (
        "filter",
        re.compile(
            r"^How many (?P<coll>\S+) records have (?P<field>\S+) equal to (?P<value>.+)\?$"
        ),
    ),
    ("sum", re.compile(r"^What is the sum of (?P<field>\S+) over all (?P<coll>\S+) records\?$")),
    ("max", re.compile(r"^What is the largest (?P<field>\S+) among the (?P<coll>\S+) records\?$")),
    (
        "exists",
        re.compile(r"^Is there any (?P<coll>\S+) record whose (?P<key>\S+) is (?P<value>.+)\?$"),
    ),
]


def _spell(v: Any) -> str:
    if isinstance(v, bool):
        return "true" if v else "false"
    return "null" if v is None else str(v)


def _records(data: Any, coll: str) -> list[dict[str, Any]]:
    if isinstance(data, dict) and isinstance(data.get(coll), list):
        return list(data[coll])
    if isinstance(data, dict) and all(isinstance(r, dict) for r in data.values()):
        return [{"key": k, **r} for k, r in data.items()]  # a keyed map: "whose key is K"
    return list(data) if isinstance(data, list) else []


def answer(prompt: str, wrong: bool = False) -> str:
    """The reply to one prompt, computed from the data block it carries."""
    start = prompt.index(FENCE + "\n") + len(FENCE) + 1
    end = prompt.index("\n" + FENCE, start)
    block = prompt[start:end]
    try:
        data: Any = json.loads(block)
    except json.JSONDecodeError:
        data = ktof.decode(block)
    question = prompt.rsplit("Question: ", 1)[1].strip()
    for name, pattern in _PATTERNS:
        m = pattern.match(question)
        if m is None:
            continue
        g = m.groupdict()
        rows = _records(data, g["coll"])
        if name == "field":
            row = next(r for r in rows if _spell(r.get(g["key"])) == g["value"])
            value: Any = row
            for part in g["field"].split("."):
                value = value[part]
            return _spell(value)
        if name == "length":
            row = next(r for r in rows if _spell(r.get(g["key"])) == g["value"])
            return _spell(len(row[g["field"]]) + (1 if wrong else 0))
        if name == "exists":
            return _spell(any(_spell(r.get(g["key"])) == g["value"] for r in rows))
        if name == "count":
            n: float = len(rows)
        elif name == "filter":
            n = sum(_spell(r.get(g["field"])) == g["value"] for r in rows)
        elif name == "sum":
            n = round(sum(r[g["field"]] for r in rows), 2)
        else:
            n = max(r[g["field"]] for r in rows)
        return _spell(n + 1 if wrong else n)
    return "I do not know"


class FakeModel:
    """``with FakeModel() as fake:``, then LiteLLM: ``openai/<any>``, ``api_base=fake.url``."""

    def __init__(self, *, wrong: bool = False) -> None:
        self.wrong = wrong
        self.requests: list[dict[str, Any]] = []
        owner = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: Any) -> None:  # keep test output clean
                pass

            def do_POST(self) -> None:
                body = json.loads(self.rfile.read(int(self.headers.get("content-length", 0))))
                owner.requests.append(body)
                reply = answer(str(body["messages"][-1]["content"]), owner.wrong)
                content_type, data = openai_chat(body, reply)
                self.send_response(200)
                self.send_header("content-type", content_type)
                self.send_header("content-length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host!s}:{port}/v1"

    def __enter__(self) -> FakeModel:
        self._thread.start()
        return self

    def __exit__(self, *exc: Any) -> None:
        self._server.shutdown()
        self._server.server_close()


def main() -> (
    None
):  # pragma: no cover - a manual tool: `python -m kaizen_client.evaluation.fake_model`
    """Serve the reading fake until interrupted, printing its ``--api-base``."""
    import sys
    import time

    with FakeModel(wrong="--wrong" in sys.argv[1:]) as fake:
        print(fake.url, flush=True)
        try:
            while True:
                time.sleep(3600)
        except KeyboardInterrupt:
            pass


if __name__ == "__main__":  # pragma: no cover
    main()
