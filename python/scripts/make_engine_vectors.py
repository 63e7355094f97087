"""Regenerate shared/fixtures/engine/vectors.json, the cross-language engine vectors.

Each vector is chat messages (or one text) in, and what Python's engine gives out: the
compressed messages and the report of every fragment decision. The TypeScript engine must
give the same (``js/test/engine/vectors.test.ts``) and Python must still give it
(``python/tests/engine/test_engine_vectors.py``), so a change on either side alone fails.
The inputs cover every fragment kind and reason, the gate's options, cache prefixes, skipped
roles and parts, and type-exact values (``1.0``, big integers, key order). Deterministic: run
``python python/scripts/make_engine_vectors.py`` after a deliberate engine change and review
the diff.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from kaizen_client.engine import CompressionOptions, compress_messages, compress_text

OUT = Path(__file__).resolve().parents[2] / "shared" / "fixtures" / "engine" / "vectors.json"

ROWS = [
    {"id": i, "name": f"item {i}", "price": round(i * 1.25, 2), "active": i % 2 == 0}
    for i in range(20)
]
ORDERS = [
    {"order": 1000 + i, "sku": f"SKU-{i % 5}", "qty": (i % 4) + 1, "total": 9.5 + i}
    for i in range(15)
]
NESTED = {
    "config": {"a": {"b": {"c": [1, {"d": [2, {"e": 3}]}]}}, "x": [[1, 2], [3, [4, 5]]]},
    "mixed": [1, "two", None, True, {"k": [1.5, 2.5]}],
}
EXACT = [
    {"k": i, "price": 3.0, "big": 12345678901234567890 + i, "neg": -0.0, "tiny": 1e-07}
    for i in range(12)
]
ORDER_KEYS = [{"b": i, "2": "two", "a": [i, i + 1], "10": None} for i in range(12)]


def pretty(value: Any, indent: int = 2) -> str:
    return json.dumps(value, indent=indent)


def jsonl(records: list[Any]) -> str:
    return "\n".join(json.dumps(r) for r in records)


MESSAGES: list[tuple[str, list[Any], dict[str, Any]]] = [
    (
        "whole, embedded, fenced and an assistant turn",
        [
            {"role": "system", "content": "Answer from the data."},
            {"role": "user", "content": pretty(ROWS)},
            {"role": "user", "content": f"Orders:\n{pretty(ORDERS)}\nWhich shipped?"},
            {"role": "user", "content": f"Inline {json.dumps(ORDERS)} then prose."},
            {"role": "assistant", "content": pretty(ROWS)},
            {
                "role": "user",
                "content": f"```json\n{pretty(ROWS)}\n```\nand\n```\n{pretty(ORDERS)}\n```",
            },
            {"role": "user", "content": f"```python\nrows = {json.dumps(ROWS)}\n```"},
        ],
        {},
    ),
    (
        "content parts and Anthropic tool results",
        [
            {
                "role": "user",
                "content": [
                    {"type": "text", "text": pretty(ROWS)},
                    {"type": "image_url", "image_url": {"url": "https://x/y.png"}},
                    {"type": "input_text", "text": f"see {json.dumps(ORDERS)}"},
                ],
            },
            {
                "role": "assistant",
                "content": [{"type": "tool_use", "id": "t1", "name": "q", "input": {"rows": ROWS}}],
            },
            {
                "role": "user",
                "content": [
                    {"type": "tool_result", "tool_use_id": "t1", "content": pretty(ORDERS)},
                    {
                        "type": "tool_result",
                        "tool_use_id": "t2",
                        "content": [{"type": "text", "text": json.dumps(ROWS)}],
                    },
                ],
            },
            {
                "role": "assistant",
                "content": None,
                "tool_calls": [
                    {"id": "c", "type": "function", "function": {"arguments": json.dumps(ROWS)}}
                ],
            },
            {"role": "tool", "tool_call_id": "c", "content": json.dumps(ORDERS)},
        ],
        {},
    ),
    (
        "source-exact problems are kept",
        [
            {"role": "user", "content": '{"a": 1, "a": 2, "pad": "xxxxxxxxxxxxxxxxxxxxxxxx"}'},
            {"role": "user", "content": "[0.123456789012345678, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10]"},
            {"role": "user", "content": "cut: " + pretty(ORDERS)[:300]},
            {"role": "user", "content": '{"v": NaN, "pad": "xxxxxxxxxxxxxxxxxxxxxxxxxxxxx"}'},
            {"role": "user", "content": "```json\n{oops: 1}\n```"},
            {"role": "user", "content": 'Small {"a": 1} and [see notes] and [1, 2, x].'},
        ],
        {},
    ),
    (
        "type-exact values: 1.0, -0.0, big integers, key order",
        [
            {"role": "user", "content": pretty(EXACT)},
            {"role": "user", "content": pretty(ORDER_KEYS)},
            {"role": "user", "content": pretty(NESTED)},
        ],
        {},
    ),
    (
        "JSON lines",
        [
            {"role": "user", "content": jsonl(ROWS)},
            {"role": "user", "content": jsonl(ORDERS) + "\n\n" + jsonl(ORDERS[:3])},
            {"role": "user", "content": "header\n" + jsonl(ORDERS)},
        ],
        {},
    ),
    (
        "cache prefix from cache_control, preserve_prefix",
        [
            {"role": "system", "content": pretty(ROWS)},
            {
                "role": "user",
                "content": [
                    {"type": "text", "text": pretty(ORDERS), "cache_control": {"type": "ephemeral"}}
                ],
            },
            {"role": "user", "content": pretty(ROWS)},
            {"role": "user", "content": pretty(ORDERS)},
        ],
        {"preserve_prefix": 3},
    ),
    ("bypass", [{"role": "user", "content": pretty(ROWS)}], {"bypass": True}),
    (
        "toon mode, tab delimiter, indent 4",
        [
            {"role": "user", "content": pretty(ROWS)},
            {"role": "user", "content": f"```json\n{pretty(EXACT)}\n```"},
        ],
        {"mode": "toon", "delimiter": "\t", "indent": 4},
    ),
    (
        "strict gate and cl100k",
        [
            {"role": "user", "content": pretty(ORDERS[:3])},
            {"role": "user", "content": pretty(ROWS)},
            {"role": "user", "content": 'small: {"a": [1, 2, 3, 4, 5, 6]}'},
        ],
        {"min_tokens_saved": 40, "min_percent_saved": 30.0, "model": "gpt-4"},
    ),
    (
        "ignore cache_control when told, JSON lines off",
        [
            {"role": "user", "content": jsonl(ROWS), "cache_control": {"type": "ephemeral"}},
            {
                "role": "user",
                "content": "Unicode: "
                + json.dumps(
                    [{"name": "Zoë", "city": "Kraków", "emoji": "🎉", "id": i} for i in range(10)],
                    ensure_ascii=False,
                ),
            },
        ],
        {"respect_cache_control": False, "jsonl": False},
    ),
]

TEXTS: list[tuple[str, str, dict[str, Any]]] = [
    ("text: a tool output", pretty(ORDERS), {}),
    ("text: JSON lines", jsonl(ROWS), {}),
    ("text: prose only", "Nothing to see [here] {really}.", {}),
]


def _options(spec: dict[str, Any]) -> tuple[str, CompressionOptions]:
    spec = dict(spec)
    model = spec.pop("model", "gpt-4o")
    return model, CompressionOptions(**spec)


def build() -> dict[str, Any]:
    vectors: list[dict[str, Any]] = []
    for name, messages, spec in MESSAGES:
        model, options = _options(spec)
        out, report = compress_messages(messages, model=model, options=options)
        vectors.append(
            {
                "name": name,
                "model": model,
                "options": spec,
                "messages": messages,
                "expected_messages": out,
                "expected_report": report.to_dict(),
            }
        )
    for name, text, spec in TEXTS:
        model, options = _options(spec)
        new, report = compress_text(text, model=model, options=options)
        vectors.append(
            {
                "name": name,
                "model": model,
                "options": spec,
                "text": text,
                "expected_text": new,
                "expected_report": report.to_dict(),
            }
        )
    return {
        "about": "compress_messages / compress_text vectors: messages in, Python's output out. "
        "Regenerate with python/scripts/make_engine_vectors.py.",
        "vectors": vectors,
    }


def render() -> str:
    return json.dumps(build(), indent=1, ensure_ascii=False) + "\n"


if __name__ == "__main__":
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_text(render(), encoding="utf-8")
    print(f"wrote {OUT}")
