"""Shared test data: a chat whose tool result is a JSON table worth compressing."""

from __future__ import annotations

import json
from typing import Any

UPSTREAM_KEY = "sk-upstream-test-7f3a91c2"


def rows(n: int = 30, offset: int = 0) -> list[dict[str, Any]]:
    return [
        {
            "id": i,
            "name": f"user{i}",
            "email": f"user{i}@example.test",
            "active": i % 2 == 0,
            "score": i * 1.5,
        }
        for i in range(offset, offset + n)
    ]


def chat(offset: int = 0) -> list[Any]:
    call = {"id": "call-1", "type": "function", "function": {"name": "users", "arguments": "{}"}}
    return [
        {"role": "system", "content": "Answer from the tool results."},
        {"role": "user", "content": "Which users are active?"},
        {"role": "assistant", "content": None, "tool_calls": [call]},
        {"role": "tool", "tool_call_id": "call-1", "content": json.dumps(rows(30, offset))},
    ]
