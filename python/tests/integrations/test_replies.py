"""Reply parsing: one set of fence, decoder and shape rules for every integration."""

from __future__ import annotations

import json

import pytest

from kaizen_client.integrations.replies import (
    ReplyShapeError,
    parse_partial_json,
    parse_partial_reply,
    parse_reply,
    payload,
    reply_as_json,
)
from kaizen_client.ktof import KTOFDecodeError, encode

DATA = {"items": [{"id": 1, "name": "Ada"}, {"id": 2, "name": "Bob"}], "total": 2}
TOON = encode(DATA, mode="toon")


@pytest.mark.parametrize(
    "reply",
    [
        TOON,
        encode(DATA),
        json.dumps(DATA),
        f"Here:\n```toon\n{TOON}\n```\nMore?",
        f"```TOON\n{TOON}\n```",
        f"```ktof\n{encode(DATA)}\n```",
        f"```json\n{json.dumps(DATA, indent=2)}\n```",
        f"```\n{TOON}\n```",
        f"```toon\n{TOON}",  # a fence not closed (yet): the body runs to the end
        f"```python\nx = 1\n```\nThe data:\n```toon\n{TOON}\n```",  # code is not data
    ],
)
def test_every_reply_form(reply: str) -> None:
    assert parse_reply(reply) == DATA
    assert json.loads(reply_as_json(reply) or "null") == DATA


@pytest.mark.parametrize("rows", [DATA["items"], DATA["items"] * 3])
def test_a_root_table_is_read_with_or_without_its_colon(rows: list[dict[str, object]]) -> None:
    """Auto mode writes a root table's header without the colon when that is cheaper
    (docs/ktof.md §3.5); a reply in either layout is KTOF, not JSON that failed to parse."""
    indented = encode(rows, mode="toon")
    assert indented.startswith(f"[{len(rows)}]{{id,name}}:\n")
    unindented = indented.replace("}:\n", "}\n", 1).replace("\n  ", "\n")
    for reply in (indented, unindented, f"```ktof\n{unindented}\n```"):
        assert parse_reply(reply, shape="array") == rows
        assert json.loads(reply_as_json(reply) or "null") == rows


def test_a_root_table_with_nested_field_lists_is_ktof() -> None:
    """Headers may nest braces (a field group, a nested table column: docs/ktof.md §3.7);
    before, a root header like `[N]{id,customer{name,city},...}` was mistaken for bad JSON."""
    rows = [
        {"id": i, "who": {"name": f"n{i}", "city": "Oslo"}, "lines": [{"sku": "A", "qty": j}]}
        for i, j in ((1, 2), (2, 3), (3, 1), (4, 5), (5, 2), (6, 7))
    ]
    text = encode(rows)
    assert text.startswith("[6]{id,who{name,city},lines[]")
    for reply in (text, f"```ktof\n{text}\n```"):
        assert parse_reply(reply, shape="array") == rows
    nested_table = "[2]{id,lines[]{sku,qty}}\n1,[2]\n  A,1\n  B,2\n2,[0]"
    assert parse_reply(nested_table, shape="array") == [
        {"id": 1, "lines": [{"sku": "A", "qty": 1}, {"sku": "B", "qty": 2}]},
        {"id": 2, "lines": []},
    ]
    assert parse_partial_reply("[2]{id,lines[]{sku,qty}}\n1,[2]\n  A,1\n  B,2\n2,") == [
        {"id": 1, "lines": [{"sku": "A", "qty": 1}, {"sku": "B", "qty": 2}]}
    ]
    assert parse_partial_reply("[2]{id,lines[]{sku") is None  # header still being written


@pytest.mark.parametrize(
    "prose",
    ["No orders are open.", "Sorry: I could not find any orders.", "", "```python\nx = 1\n```"],
)
def test_prose_is_not_data(prose: str) -> None:
    assert reply_as_json(prose) is None
    with pytest.raises((ReplyShapeError, KTOFDecodeError)):
        parse_reply(prose, shape="container")


def test_shapes() -> None:
    rows = encode([1, 2, 3])
    assert parse_reply(rows, shape="array") == [1, 2, 3]
    with pytest.raises(ReplyShapeError, match="an object, got list"):
        parse_reply(rows, shape="object")
    with pytest.raises(ReplyShapeError, match="an array, got dict"):
        parse_reply("a: 1", shape="array")
    assert parse_reply("No orders are open.", shape="any") == "No orders are open."
    assert parse_reply("count: 3", shape="object") == {"count": 3}  # not a sentence
    assert parse_reply("```toon\nnote: all good here\n```", shape="object") == {
        "note": "all good here"
    }
    assert parse_reply("[1, 2]") == [1, 2]  # JSON array, not a TOON header


def test_errors_name_the_decoder() -> None:
    with pytest.raises(json.JSONDecodeError):
        parse_reply('{"a": 1,')
    with pytest.raises(KTOFDecodeError):
        parse_reply('a: "unterminated')
    assert payload("x\n```json\n{}\n```") == "{}"


def test_streaming_partials() -> None:
    assert parse_partial_reply("```to") is None  # the fence line is not complete
    assert parse_partial_reply("[2]{a,b}:\n  1,2\n  3,") == [{"a": 1, "b": 2}]
    assert parse_partial_reply("[2]{a,b}:\n  1,2\n  3,4", finished=True) == [
        {"a": 1, "b": 2},
        {"a": 3, "b": 4},
    ]
    assert parse_partial_reply('{"a": [1, 2, {"b": "hel') == {"a": [1, 2, {"b": "hel"}]}
    assert parse_partial_reply("[1, 2") == [1, 2]
    assert parse_partial_reply("items") is None  # a scalar so far: not offered


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ('{"a": 1,', {"a": 1}),
        ('{"a', {}),
        ('"b', "b"),
        ('{"a": "x\\', {"a": "x"}),
        ('{"a": "line\nbreak', {"a": "line\nbreak"}),
        ("{]", None),
    ],
)
def test_partial_json(text: str, expected: object) -> None:
    assert parse_partial_json(text) == expected
