"""The cassettes still say what the server says: re-record each scenario live and compare.

Each scenario runs against a fresh real server (uvicorn on a free loopback port) into a
temporary cassette; its interactions must equal the checked-in ones once the only
legitimately random part, payload ids, is masked. A server change that alters any status,
body or meaningful header fails here until the cassettes are re-recorded.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest
import yaml

from .harness import CASSETTES, SCENARIOS, Scenario, record

PAYLOAD_ID = re.compile(r"pl_[A-Za-z0-9_-]{22}")
KEPT_HEADERS = {"content-type", "retry-after", "allow", "www-authenticate", "x-request-id"}


def _mask(value: Any) -> Any:
    if isinstance(value, str):
        return PAYLOAD_ID.sub("<payload_id>", value)
    if isinstance(value, list):
        return [_mask(v) for v in value]
    if isinstance(value, dict):
        return {k: _mask(v) for k, v in value.items()}
    return value


def _body(raw: Any) -> Any:
    text = raw["string"] if isinstance(raw, dict) else raw
    if isinstance(text, bytes):
        text = text.decode("utf-8")
    try:
        return _mask(json.loads(text)) if text else None
    except ValueError:
        return _mask(text)


def normalized(path: Path) -> list[dict[str, Any]]:
    """What matters in each interaction of a cassette, payload ids masked."""
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    out = []
    for interaction in data["interactions"]:
        request, response = interaction["request"], interaction["response"]
        headers = {
            name.lower(): values
            for name, values in response["headers"].items()
            if name.lower() in KEPT_HEADERS
        }
        out.append(
            {
                "request": [request["method"], request["uri"], _body(request["body"])],
                "status": response["status"]["code"],
                "headers": headers,
                "body": _body(response["body"]),
            }
        )
    return out


@pytest.mark.parametrize("scenario", SCENARIOS, ids=[s.name for s in SCENARIOS])
async def test_live_server_matches_the_cassette(scenario: Scenario, tmp_path: Path) -> None:
    fresh = await record(scenario, tmp_path)
    assert normalized(fresh) == normalized(CASSETTES / scenario.cassette), (
        f"the server no longer answers as {scenario.cassette} says; if intended, re-record with "
        "python python/scripts/record_cassettes.py"
    )
