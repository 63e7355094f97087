"""JSON lines as one engine fragment (kind ``jsonl``), gated and verified like any other."""

from __future__ import annotations

import json
from typing import Any

from kaizen_client import ktof
from kaizen_client.engine import (
    CompressionOptions,
    compress_messages,
    compress_text,
    parse_jsonl,
    to_jsonl,
)
from kaizen_client.engine.fragments import find_fragments
from kaizen_client.tokens import count_tokens

from .samples import same, table


def lines(records: list[Any], end: str = "\n") -> str:
    return "\n".join(json.dumps(record) for record in records) + end


def events(n: int = 30) -> list[dict[str, Any]]:
    return [{"id": i, "event": "login", "user": f"u{i}", "ok": i % 2 == 0} for i in range(n)]


def report_of(text: str, **options: Any) -> tuple[str, list[tuple[str, str, str]]]:
    message = {"role": "tool", "tool_call_id": "t", "content": text}
    out, report = compress_messages([message], options=CompressionOptions(**options))
    return out[0]["content"], [(f.kind, f.action, f.reason) for f in report.fragments]


def test_json_lines_become_one_table_that_decodes_to_the_records() -> None:
    records = events()
    text = lines(records)
    new, items = report_of(text)
    assert items == [("jsonl", "compressed", "compressed")]
    decoded = ktof.decode(new)
    assert same(decoded, records)
    assert to_jsonl(decoded) == "\n".join(json.dumps(r, separators=(",", ":")) for r in records)


def test_the_gate_compares_with_the_json_lines_text_itself() -> None:
    text = lines(events(3))
    new, report = compress_text(text)
    [fragment] = report.fragments
    assert fragment.kind == "jsonl" and fragment.tokens_before == count_tokens(text, "gpt-4o")
    assert fragment.tokens_after == count_tokens(new, "gpt-4o") < fragment.tokens_before
    tiny = '{"a": 1}\n{"b": 2}\n'
    assert report_of(tiny) == (tiny, [("jsonl", "skipped", "no_saving")])


def test_blank_lines_crlf_and_arrays_are_json_lines() -> None:
    text = "\r\n".join(json.dumps([i, f"name {i}", i * 1.5]) for i in range(30)) + "\r\n\r\n"
    [fragment] = find_fragments(text)
    assert fragment.kind == "jsonl" and fragment.value == [
        [i, f"name {i}", i * 1.5] for i in range(30)
    ]
    spaced = lines(events(5)).replace("\n", "\n\n  ")
    assert [f.kind for f in find_fragments(spaced)] == ["jsonl"]


def test_a_line_separator_inside_a_string_does_not_split_a_line() -> None:
    records = [{"id": i, "note": f"a\u2028b {i}", "tags": ["x", "y"]} for i in range(20)]
    [fragment] = find_fragments(lines(records, end=""))
    assert fragment.kind == "jsonl" and fragment.value == records


def test_a_prose_line_means_not_json_lines() -> None:
    records = [{"id": i, "name": f"a long enough name {i}"} for i in range(3)]
    text = "Results:\n" + lines(records)
    kinds = [f.kind for f in find_fragments(text)]
    assert kinds == ["embedded"] * 3  # each line is found on its own, as before
    assert parse_jsonl(text) is None


def test_one_line_is_whole_json_not_json_lines() -> None:
    text = json.dumps(table(10))
    assert [f.kind for f in find_fragments(text)] == ["whole"]
    assert parse_jsonl(text) is None


def test_a_pretty_printed_object_is_not_json_lines() -> None:
    broken = json.dumps({"rows": table(3)}, indent=2).replace('"id": 1,', '"id": 1,,', 1)
    assert all(f.kind != "jsonl" for f in find_fragments(broken))


def test_problems_in_any_line_keep_the_text() -> None:
    records = events()
    dup = lines(records).replace('"ok": true}', '"ok": true, "ok": false}', 1)
    assert report_of(dup) == (dup, [("jsonl", "skipped", "duplicate_keys")])
    inexact = lines(records).replace('"id": 3,', '"id": 0.123456789012345678,', 1)
    assert report_of(inexact) == (inexact, [("jsonl", "skipped", "not_lossless")])
    assert parse_jsonl(dup) is None and parse_jsonl(inexact) is None


def test_json_lines_detection_can_be_turned_off() -> None:
    text = lines(events())
    new, items = report_of(text, jsonl=False)
    assert new == text and all(kind == "embedded" for kind, _, _ in items)
    assert [f.kind for f in find_fragments(text, jsonl=False)] != ["jsonl"]


def test_compress_text_reports_path_text_and_honours_bypass() -> None:
    text = lines(events())
    new, report = compress_text(text)
    assert [(f.message_index, f.path, f.kind) for f in report.fragments] == [(0, "text", "jsonl")]
    assert report.fragments_compressed == 1 and new != text
    same_text, bypassed = compress_text(text, options=CompressionOptions(bypass=True))
    assert same_text == text and bypassed.fragments[0].reason == "bypassed"
    assert compress_text("no json here") == ("no json here", compress_text("")[1])


def test_compress_text_matches_compress_messages() -> None:
    text = "Orders: " + json.dumps(table(20)) + " thanks"
    new, report = compress_text(text)
    out, messages_report = compress_messages([{"role": "user", "content": text}])
    assert new == out[0]["content"]
    assert report.tokens_saved == messages_report.tokens_saved > 0
