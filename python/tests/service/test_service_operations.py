"""The eight service operations as the API answers them (called through handle_request)."""

from __future__ import annotations

import json
from typing import Any

import pytest
from engine.samples import pretty, table

from kaizen_client import ktof
from kaizen_client.models import RESPONSE_MODELS, ROUTES
from kaizen_client.service import handle_request
from kaizen_client.service.operations import compact_json
from kaizen_client.tokens import count_tokens

README_PROMPT = {
    "messages": [
        {"role": "system", "content": "You are concise."},
        {"role": "user", "content": "List 3 Kaizen benefits."},
    ]
}


def call(op: str, body: Any = None, request_id: str = "req-test") -> dict[str, Any]:
    """Run ``op`` like the client does; assert success and the response schema."""
    method, path = ROUTES[op]
    raw = None if body is None else json.dumps(body).encode()
    status, answer = handle_request(method, path, raw, request_id=request_id)
    assert status == 200, answer
    json.dumps(answer)  # the body is plain JSON
    RESPONSE_MODELS[op].model_validate(answer)
    assert answer["request_id"] == request_id
    return answer


def test_readme_flow_round_trips_the_prompt() -> None:
    encoded = call("prompts_encode", {"prompt": README_PROMPT})
    assert encoded["operation"] == "prompts.encode" and encoded["status"] == "ok"
    assert isinstance(encoded["result"], str)
    decoded = call("prompts_decode", {"ktof": encoded["result"]})
    assert decoded["operation"] == "prompts.decode"
    assert decoded["result"] == README_PROMPT
    assert "token_stats" not in encoded and "metadata" not in encoded


def test_health() -> None:
    answer = call("health", request_id="h1")
    assert answer["status"] == "ok" and answer["operation"] == "health"
    assert answer["mode"] == "local" and answer["version"]


def test_compress_then_decompress() -> None:
    data = {"rows": table(10), "note": "ünïcode"}
    compressed = call("compress", {"data": data, "metadata": {"run": 1}})
    assert compressed["operation"] == "compress"
    assert compressed["metadata"] == {"run": 1}
    text = compressed["result"]
    assert ktof.decode(text) == data
    stats = compressed["stats"]
    assert stats["original_bytes"] == len(compact_json(data).encode())
    assert stats["compressed_bytes"] == len(text.encode())
    assert stats["reduction_ratio"] == round(stats["compressed_bytes"] / stats["original_bytes"], 4)
    decompressed = call("decompress", {"data": text})
    assert decompressed["operation"] == "decompress" and decompressed["result"] == data


def test_compress_options_are_passed_to_the_codec() -> None:
    data = {"rows": table(3)}
    answer = call("compress", {"data": data, "options": {"mode": "toon", "delimiter": "|"}})
    assert answer["result"] == ktof.encode(data, mode="toon", delimiter="|")
    answer = call("compress", {"data": data, "options": {"indent": 4, "length_marker": True}})
    assert ktof.decode(answer["result"], indent=4) == data


def test_decompress_null_result_is_present() -> None:
    text = call("compress", {"data": None})["result"]
    answer = call("decompress", {"data": text})
    assert "result" in answer and answer["result"] is None


def test_token_stats_only_when_asked_except_optimize() -> None:
    data = {"rows": table(10)}
    answer = call("compress", {"data": data, "token_models": ["gpt-4o", "gpt-4"]})
    assert set(answer["token_stats"]) == {"gpt-4o", "gpt-4"}
    assert answer["token_stats"]["gpt-4"] == {
        "original": count_tokens(compact_json(data), "gpt-4"),
        "compressed": count_tokens(answer["result"], "gpt-4"),
    }
    optimized = call("optimize", {"data": data})
    assert optimized["operation"] == "optimize"
    assert list(optimized["token_stats"]) == ["gpt-4o"]
    optimized = call("optimize", {"data": data, "options": {"model": "gpt-4o-mini"}})
    assert list(optimized["token_stats"]) == ["gpt-4o-mini"]
    counts = optimized["token_stats"]["gpt-4o-mini"]
    assert counts["compressed"] <= counts["original"]


def test_prompts_encode_messages_and_report() -> None:
    prompt = {
        "model": "gpt-4o",
        "tools": [{"type": "function", "function": {"name": "f"}}],
        "messages": [
            {"role": "user", "content": "hi"},
            {"role": "tool", "tool_call_id": "c", "content": pretty(table(20))},
        ],
    }
    answer = call("prompts_encode", {"prompt": prompt, "token_models": ["gpt-4o"]})
    messages = answer["messages"]
    assert messages[0] == prompt["messages"][0]
    assert ktof.decode(messages[1]["content"]) == table(20)
    report = answer["report"]
    assert report["fragments_compressed"] == 1
    assert report["fragments"][0]["path"] == "content"
    assert call("prompts_decode", {"ktof": answer["result"]})["result"] == prompt


@pytest.mark.parametrize("shape", ["string", "list", "dict"])
def test_prompts_encode_and_optimize_request_accept_every_prompt_shape(shape: str) -> None:
    content = pretty(table(15))
    prompt: Any
    if shape == "string":
        prompt = content
    elif shape == "list":
        prompt = [{"role": "user", "content": content}]
    else:
        prompt = {"messages": [{"role": "user", "content": content}], "temperature": 0}
    encoded = call("prompts_encode", {"prompt": prompt})
    assert call("prompts_decode", {"ktof": encoded["result"]})["result"] == prompt
    assert ktof.decode(encoded["messages"][0]["content"]) == table(15)

    optimized = call("optimize_request", {"prompt": prompt, "metadata": {"k": "v"}})
    assert optimized["operation"] == "optimize.request" and optimized["metadata"] == {"k": "v"}
    result = optimized["result"]
    if shape == "string":
        assert ktof.decode(result) == table(15)
    elif shape == "list":
        assert result == encoded["messages"]
    else:
        assert result == {"messages": encoded["messages"], "temperature": 0}
    assert optimized["report"] == encoded["report"]
    assert optimized["stats"]["compressed_bytes"] < optimized["stats"]["original_bytes"]


def test_auto_detect_json_false_bypasses() -> None:
    prompt = [{"role": "user", "content": pretty(table(15))}]
    answer = call("optimize_request", {"prompt": prompt, "auto_detect_json": False})
    assert answer["result"] == prompt
    assert [f["reason"] for f in answer["report"]["fragments"]] == ["bypassed"]


def test_gating_options_travel_through_the_api() -> None:
    prompt = [{"role": "user", "content": pretty(table(15))}]
    body = {"prompt": prompt, "options": {"min_percent_saved": 100}}
    answer = call("optimize_request", body)
    assert answer["result"] == prompt
    assert answer["report"]["fragments"][0]["reason"] == "no_saving"
    body = {"prompt": prompt, "options": {"preserve_prefix": 1}}
    assert call("optimize_request", body)["report"]["fragments"][0]["reason"] == "cache_prefix"


def test_optimize_response_decodes() -> None:
    text = ktof.encode({"answer": table(5)})
    answer = call("optimize_response", {"ktof": text, "options": {"strict": True}})
    assert answer["operation"] == "optimize.response"
    assert answer["result"] == {"answer": table(5)}


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        (
            '{"status":"partial","status":"complete","rows":' + json.dumps(table(20)) + "}",
            "duplicate_keys",
        ),
        (
            pretty(table(20)).replace('"price": 0.0', '"price": 0.123456789012345678', 1),
            "not_lossless",
        ),
        (pretty(table(60))[:2000], "malformed"),
    ],
)
def test_source_exact_reasons_reach_the_wire(content: str, reason: str) -> None:
    prompt = {"messages": [{"role": "user", "content": content}]}
    answer = call("optimize_request", {"prompt": prompt})
    [fragment] = answer["report"]["fragments"]
    assert (fragment["action"], fragment["reason"]) == ("skipped", reason)
    assert answer["result"] == prompt  # kept exactly as sent


def test_json_lines_are_one_fragment_on_the_wire() -> None:
    records = [{"id": i, "event": "login", "user": f"u{i}"} for i in range(30)]
    text = "\n".join(json.dumps(r) for r in records)
    answer = call("optimize_request", {"prompt": text})
    [fragment] = answer["report"]["fragments"]
    assert (fragment["kind"], fragment["reason"]) == ("jsonl", "compressed")
    assert ktof.decode(answer["result"]) == records
