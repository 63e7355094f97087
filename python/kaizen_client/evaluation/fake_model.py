"""A loopback OpenAI-compatible model that really reads the data block, for offline tests.

It takes the fenced data block out of the prompt, decodes it (JSON, or TOON/KTOF with our
codec), reads the question (the generated kinds' wording) and answers from the decoded data.
So a format that loses or garbles data makes it answer wrong, and the whole path (questions,
prompts, LiteLLM, parsing, scoring, report) runs end to end. ``wrong=True`` (or a request
path under ``/wrong/``, so one server can play both) makes it answer every count, number and
list wrong on purpose, so a test can see scoring fail.
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
from .questions import DEPTH_RULE, LIST_TAIL, depth, in_range, join_list, on_date

_WHERE = r"the (?P<coll>\S+) record whose (?P<key>\S+) is (?P<value>.+)"
# A filter condition, as the range and date questions word it.
_COND = (
    r"(?P<field>\S+) (?:is )?(?:between (?P<low>\S+) and (?P<high>\S+) inclusive"
    r"|on a date (?P<direction>before|after) (?P<day>\d{4}-\d{2}-\d{2}))"
)
_PATTERNS = [
    ("depth", re.compile(rf"^What is the nesting depth of {_WHERE}, {DEPTH_RULE}\?$")),
    ("fields", re.compile(rf"^How many fields does {_WHERE} have\?$")),
    ("names", re.compile(rf"^Which fields does {_WHERE} have\? List their names{LIST_TAIL}$")),
    ("field", re.compile(rf"^What is the (?P<field>\S+) of {_WHERE}\?$")),
    ("length", re.compile(rf"^How many entries does the (?P<field>\S+) list of {_WHERE} have\?$")),
    ("count", re.compile(r"^How many (?P<coll>\S+) records are there\?$")),
    (
        "filter",
        re.compile(
            r"^How many (?P<coll>\S+) records have (?P<field>\S+) equal to (?P<value>.+)\?$"
        ),
    ),
    ("having", re.compile(r"^How many (?P<coll>\S+) records have a field named (?P<field>\S+)\?$")),
    ("where", re.compile(rf"^How many (?P<coll>\S+) records have {_COND}\?$")),
    (
        "list",
        re.compile(
            rf"^List the (?P<key>\S+) of every (?P<coll>\S+) record whose {_COND}{LIST_TAIL}$"
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


def _matches(row: dict[str, Any], g: dict[str, Any]) -> bool:
    """Does ``row`` meet the range or date condition parsed from a question?"""
    value = row.get(g["field"])
    if g["day"] is not None:
        return on_date(value, g["direction"], g["day"])
    return in_range(value, float(g["low"]), float(g["high"]))


def _reply(name: str, g: dict[str, Any], data: Any, wrong: bool) -> str:
    """The answer to one parsed question; ``wrong`` spoils every count, number and list."""
    rows = _records(data, g["coll"])
    row: dict[str, Any] = {}
    if "value" in g and name not in ("filter", "exists"):
        row = next(r for r in rows if _spell(r.get(g["key"])) == g["value"])
    if name == "field":
        value: Any = row
        for part in g["field"].split("."):
            value = value[part]
        return _spell(value)
    if name == "exists":
        return _spell(any(_spell(r.get(g["key"])) == g["value"] for r in rows))
    if name in ("names", "list"):
        items = list(row) if name == "names" else [r[g["key"]] for r in rows if _matches(r, g)]
        return join_list(items[:-1] if wrong else items)
    n: float
    if name == "depth":
        n = depth(row)
    elif name == "fields":
        n = len(row)
    elif name == "length":
        n = len(row[g["field"]])
    elif name == "count":
        n = len(rows)
    elif name == "filter":
        n = sum(_spell(r.get(g["field"])) == g["value"] for r in rows)
    elif name == "having":
        n = sum(g["field"] in r for r in rows)
    elif name == "where":
        n = sum(_matches(r, g) for r in rows)
    elif name == "sum":
        n = round(sum(r[g["field"]] for r in rows), 2)
    else:
        n = max(r[g["field"]] for r in rows)
    return _spell(n + 1 if wrong else n)


def answer(prompt: str, wrong: bool = False) -> str:
    """The reply to one prompt, computed from the data block it carries. The wrong fake
    (``wrong=True``) still looks values up right (lookup, multi-hop fields, existence) but
    is off by one on every count and number and drops the last item of every list."""
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
        if m is not None:
            return _reply(name, m.groupdict(), data, wrong)
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
                wrong = owner.wrong or self.path.startswith("/wrong/")
                reply = answer(str(body["messages"][-1]["content"]), wrong)
                content_type, data = openai_chat(body, reply)
                self.send_response(200)
                self.send_header("content-type", content_type)
                self.send_header("content-length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    @property
    def wrong_url(self) -> str:
        """The ``--api-base`` at which this server plays the wrong-on-purpose fake."""
        return self.url.removesuffix("/v1") + "/wrong/v1"

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
