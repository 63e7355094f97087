"""compress_messages: what it changes, what it never touches, and what it reports."""

from __future__ import annotations

import copy
import json
import threading
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kaizen_client import ktof
from kaizen_client.engine import (
    CompressionOptions,
    CompressionReport,
    clear_cache,
    compress_messages,
    configure_cache,
    gating,
)
from kaizen_client.engine.cache import DEFAULT_CACHE_SIZE, ENGINE_CACHE

from .samples import pretty, same, table

DATA = {"orders": table(25), "total": 25, "currency": "EUR"}
PRETTY = pretty(DATA)


def chat() -> list[dict[str, Any]]:
    """A conversation with JSON in every place the engine looks (and some it must not)."""
    return [
        {"role": "system", "content": "You are concise."},
        {"role": "user", "content": f"Summarise:\n```json\n{PRETTY}\n```\nThanks!", "name": "ann"},
        {
            "role": "assistant",
            "content": PRETTY,
            "tool_calls": [
                {
                    "id": "call_1",
                    "type": "function",
                    "function": {"name": "lookup", "arguments": PRETTY},
                }
            ],
        },
        {"role": "tool", "tool_call_id": "call_1", "content": PRETTY},
        {
            "role": "user",
            "content": [
                {"type": "text", "text": "plain words"},
                {"type": "text", "text": f"Data: {json.dumps(DATA)} -- what now?"},
                {"type": "image_url", "image_url": {"url": "https://example.invalid/a.png"}},
                {"type": "tool_result", "tool_use_id": "tu_1", "content": PRETTY},
                {
                    "type": "tool_result",
                    "tool_use_id": "tu_2",
                    "content": [{"type": "text", "text": PRETTY}],
                    "is_error": False,
                },
            ],
        },
    ]


def decisions(report: CompressionReport) -> list[tuple[int, str, str, str]]:
    return [(f.message_index, f.path, f.kind, f.reason) for f in report.fragments]


def test_every_place_is_found_and_compressed() -> None:
    out, report = compress_messages(chat())
    assert decisions(report) == [
        (1, "content", "fenced", "compressed"),
        (3, "content", "whole", "compressed"),
        (4, "content[1].text", "embedded", "compressed"),
        (4, "content[3].content", "whole", "compressed"),
        (4, "content[4].content[0].text", "whole", "compressed"),
    ]
    assert same(ktof.decode(out[3]["content"]), DATA)
    assert same(ktof.decode(out[4]["content"][3]["content"]), DATA)
    assert same(ktof.decode(out[4]["content"][4]["content"][0]["text"]), DATA)
    assert report.fragments_compressed == 5
    assert all(f.tokens_after < f.tokens_before for f in report.fragments)


def test_fenced_block_keeps_its_fence_and_surroundings() -> None:
    out, _ = compress_messages(chat())
    text = out[1]["content"]
    assert text.startswith("Summarise:\n```") and text.endswith("\n```\nThanks!")
    label, body = text[len("Summarise:\n```") : -len("\n```\nThanks!")].split("\n", 1)
    assert label in ("toon", "ktof")
    assert same(ktof.decode(body), DATA)
    if label == "toon":
        assert body == ktof.encode(DATA, mode="toon")


def test_embedded_fragment_round_trip_and_prose_untouched() -> None:
    out, _ = compress_messages(chat())
    text = out[4]["content"][1]["text"]
    assert text.startswith("Data: ") and text.endswith(" -- what now?")
    middle = text[len("Data: ") : -len(" -- what now?")]
    assert same(ktof.decode(middle.strip("\n")), DATA)


def test_untouched_roles_ids_order_and_other_keys() -> None:
    original = chat()
    out, _ = compress_messages(original)
    assert [m["role"] for m in out] == [m["role"] for m in original]
    assert out[0] is original[0]
    assert out[1]["name"] == "ann"
    assert out[2] is original[2]  # assistant: neither content nor tool_calls arguments
    assert out[3]["tool_call_id"] == "call_1"
    parts, before = out[4]["content"], original[4]["content"]
    assert parts[0] is before[0] and parts[2] is before[2]
    assert parts[3]["tool_use_id"] == "tu_1"
    assert parts[4]["tool_use_id"] == "tu_2" and parts[4]["is_error"] is False
    for new, old in zip(out, original, strict=True):
        assert set(new) == set(old)


def test_input_is_never_mutated() -> None:
    original = chat()
    snapshot = copy.deepcopy(original)
    compress_messages(original)
    assert original == snapshot


def test_deterministic_byte_identical_output() -> None:
    first, report1 = compress_messages(chat())
    clear_cache()
    second, report2 = compress_messages(chat())
    third, report3 = compress_messages(chat())  # warm: from the cache
    dumps = [json.dumps(x, ensure_ascii=False) for x in (first, second, third)]
    assert dumps[0] == dumps[1] == dumps[2]
    assert report1 == report2 == report3


def test_report_totals_equal_the_sums() -> None:
    _, report = compress_messages(chat(), options=CompressionOptions(min_percent_saved=0))
    fragments = report.fragments
    assert report.tokens_before == sum(f.tokens_before for f in fragments)
    assert report.tokens_after == sum(f.tokens_after for f in fragments)
    assert report.tokens_saved == report.tokens_before - report.tokens_after
    assert report.fragments_compressed == sum(f.action == "compressed" for f in fragments)
    assert report.model == "gpt-4o"
    wire = report.to_dict()
    assert wire["tokens_saved"] == report.tokens_saved
    assert len(wire["fragments"]) == len(fragments)


def test_gating_too_small_and_no_saving() -> None:
    messages = [
        {"role": "tool", "tool_call_id": "a", "content": '{"ok": true}'},
        {"role": "tool", "tool_call_id": "b", "content": PRETTY},
    ]
    out, report = compress_messages(messages, options=CompressionOptions(min_percent_saved=100))
    assert [f.reason for f in report.fragments] == ["too_small", "no_saving"]
    assert all(f.action == "skipped" for f in report.fragments)
    assert all(f.tokens_before == f.tokens_after for f in report.fragments)
    assert out == messages and out[1] is messages[1]
    _, report = compress_messages(messages, options=CompressionOptions(min_tokens_saved=10**6))
    assert [f.reason for f in report.fragments] == ["too_small", "too_small"]


def test_compact_json_rarely_pays_and_is_then_left_alone() -> None:
    # Auto mode never costs more than compact JSON, so compact input saves little or nothing.
    nested = {"a": {"b": {"c": [1, {"d": [2, {"e": "x"}]}]}}, "f": [[1, 2], {"g": None}]}
    message = {"role": "tool", "tool_call_id": "x", "content": json.dumps(nested)}
    out, report = compress_messages([message], options=CompressionOptions(min_percent_saved=50))
    assert report.fragments[0].reason in ("no_saving", "too_small")
    assert out[0] is message


def test_not_json_fence_is_reported_and_kept() -> None:
    text = "Look:\n```json\n{this is: not json}\n```"
    out, report = compress_messages([{"role": "user", "content": text}])
    assert out[0]["content"] == text
    [fragment] = report.fragments
    assert (fragment.kind, fragment.action, fragment.reason) == ("fenced", "skipped", "not_json")


def test_bypass_changes_nothing_and_reports_everything() -> None:
    original = chat()
    out, report = compress_messages(original, options=CompressionOptions(bypass=True))
    assert all(new is old for new, old in zip(out, original, strict=True))
    assert len(report.fragments) == 5
    assert {f.reason for f in report.fragments} == {"bypassed"}
    assert report.tokens_saved == 0 and report.fragments_compressed == 0


def test_preserve_prefix() -> None:
    original = chat()
    out, report = compress_messages(original, options=CompressionOptions(preserve_prefix=4))
    assert all(out[i] is original[i] for i in range(4))
    assert [f.reason for f in report.fragments if f.message_index < 4] == [
        "cache_prefix",
        "cache_prefix",
    ]
    assert {f.reason for f in report.fragments if f.message_index == 4} == {"compressed"}


def test_cache_control_breakpoint_protects_the_prefix() -> None:
    original = chat()
    original[3] = {**original[3], "cache_control": {"type": "ephemeral"}}
    out, report = compress_messages(original)
    assert all(out[i] is original[i] for i in range(4))
    assert {f.reason for f in report.fragments if f.message_index <= 3} == {"cache_prefix"}
    assert {f.reason for f in report.fragments if f.message_index == 4} == {"compressed"}

    # A breakpoint on a content block counts too.
    original = chat()
    original[4]["content"][0] = {**original[4]["content"][0], "cache_control": {"type": "x"}}
    out, report = compress_messages(original)
    assert all(new is old for new, old in zip(out, original, strict=True))

    # So does one on a block inside a tool_result.
    original = chat()
    inner = original[4]["content"][4]
    original[4]["content"][4] = {
        **inner,
        "content": [{**inner["content"][0], "cache_control": {"type": "ephemeral"}}],
    }
    out, _ = compress_messages(original)
    assert all(new is old for new, old in zip(out, original, strict=True))

    # And it can be switched off.
    out, report = compress_messages(
        original, options=CompressionOptions(respect_cache_control=False)
    )
    assert report.fragments_compressed == 5


def test_toon_mode_fences_are_labelled_toon() -> None:
    out, _ = compress_messages(chat()[:2], options=CompressionOptions(mode="toon"))
    assert "\n```toon\n" in out[1]["content"]


def test_non_dict_messages_and_odd_content_pass_through() -> None:
    odd: list[Any] = ["not a message", {"role": "user"}, {"role": "user", "content": 42}]
    out, report = compress_messages(odd)
    assert out == odd and report.fragments == ()


def test_cache_is_used_and_can_be_resized() -> None:
    compress_messages(chat())
    hits = ENGINE_CACHE.hits
    compress_messages(chat())
    assert ENGINE_CACHE.hits > hits
    try:
        configure_cache(0)
        clear_cache()
        out, _ = compress_messages(chat())
        assert len(ENGINE_CACHE) == 0
        assert ktof.decode(out[3]["content"]) == DATA
    finally:
        configure_cache(DEFAULT_CACHE_SIZE)


json_scalars = st.none() | st.booleans() | st.integers(-(10**6), 10**6) | st.text(max_size=12)
json_values = st.recursive(
    json_scalars | st.floats(allow_nan=False, allow_infinity=False),
    lambda inner: (
        st.lists(inner, max_size=6) | st.dictionaries(st.text(max_size=8), inner, max_size=6)
    ),
    max_leaves=40,
)


@settings(max_examples=80, deadline=None)
@given(
    value=st.lists(st.dictionaries(st.text(max_size=8), json_values, max_size=5), max_size=8),
    kind=st.sampled_from(["whole", "fenced", "embedded"]),
)
def test_property_round_trip_and_totals(value: Any, kind: str) -> None:
    data = json.dumps(value, indent=2, ensure_ascii=False)
    prefix, suffix = {
        "whole": ("", ""),
        "fenced": ("Look:\n```json\n", "\n```\nok"),
        "embedded": ("Look at this: ", " and answer."),
    }[kind]
    text = prefix + data + suffix
    messages = [{"role": "tool", "tool_call_id": "t", "content": text}]
    out, report = compress_messages(messages, options=CompressionOptions(min_tokens_saved=1))
    assert report.tokens_saved == sum(f.tokens_before - f.tokens_after for f in report.fragments)
    if not report.fragments_compressed:
        assert out[0] is messages[0]
        return
    [fragment] = report.fragments
    assert fragment.kind == kind
    new = out[0]["content"]
    assert new.startswith(prefix.split("```")[0]) and new.endswith(suffix.split("```")[-1])
    body = new[len(prefix) : len(new) - len(suffix)]
    if kind == "fenced":
        body = new[new.index("\n", len("Look:\n```")) + 1 : len(new) - len("\n```\nok")]
    assert same(ktof.decode(body.strip("\n")), json.loads(data))


def test_a_replacement_that_does_not_round_trip_is_not_used(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # Simulate a codec bug: the text decodes, but to a different value.
    monkeypatch.setattr(gating, "decode", lambda text, **kwargs: {"something": "else"})
    message = {"role": "tool", "tool_call_id": "t", "content": PRETTY}
    out, report = compress_messages([message])
    assert out[0] is message
    [fragment] = report.fragments
    assert (fragment.action, fragment.reason) == ("skipped", "error")
    assert fragment.tokens_after == fragment.tokens_before


def test_codec_failure_is_reported_not_raised(monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(value: Any, **kwargs: Any) -> str:
        raise RuntimeError("codec bug")

    monkeypatch.setattr(gating, "encode_counted", broken)  # what the engine calls
    message = {"role": "tool", "tool_call_id": "t", "content": PRETTY}
    out, report = compress_messages([message])
    assert out[0] is message and report.fragments[0].reason == "error"


def test_verification_can_be_switched_off(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(gating, "decode", lambda text, **kwargs: None)
    message = {"role": "tool", "tool_call_id": "t", "content": PRETTY}
    _, report = compress_messages([message], options=CompressionOptions(verify=False))
    assert report.fragments[0].reason == "compressed"


def test_threads_get_the_same_answer() -> None:
    expected = json.dumps(compress_messages(chat())[0])
    clear_cache()
    results: list[str] = []

    def work() -> None:
        for _ in range(5):
            results.append(json.dumps(compress_messages(chat())[0]))

    threads = [threading.Thread(target=work) for _ in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert results == [expected] * 30
