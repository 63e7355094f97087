"""Sample data shared by the engine tests."""

from __future__ import annotations

import json
from typing import Any


def table(rows: int = 20) -> list[dict[str, Any]]:
    """Uniform records: the shape KTOF compresses best."""
    return [
        {"id": i, "name": f"item {i}", "price": round(i * 1.25, 2), "active": i % 2 == 0}
        for i in range(rows)
    ]


def pretty(value: Any) -> str:
    """JSON as a tool or a person would paste it."""
    return json.dumps(value, indent=2)


def same(a: Any, b: Any) -> bool:
    """Equal *and* of the same types all the way down, dict key order included."""
    if type(a) is not type(b):
        return False
    if isinstance(a, dict):
        return list(a) == list(b) and all(same(a[k], b[k]) for k in a)
    if isinstance(a, list):
        return len(a) == len(b) and all(same(x, y) for x, y in zip(a, b, strict=True))
    if isinstance(a, float) and a == 0.0:
        return str(a) == str(b)
    return bool(a == b)
