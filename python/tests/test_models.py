"""Request models accept what 0.1.4 accepted; response models behave like 0.1.4's dicts."""

from __future__ import annotations

from typing import Any

import pytest
from pydantic import ValidationError

from kaizen_client.models import (
    REQUEST_MODELS,
    RESPONSE_MODELS,
    ROUTES,
    DecodeRequest,
    EncodeOptions,
    EncodeRequest,
    HealthResponse,
    KaizenResponse,
    OptimizeRequestPayload,
    OptimizeResponsePayload,
    PromptDecodePayload,
    PromptEncodePayload,
    PromptsEncodeResponse,
)

OPERATIONS = {
    "health",
    "compress",
    "decompress",
    "optimize",
    "optimize_request",
    "optimize_response",
    "prompts_encode",
    "prompts_decode",
}

RESPONSE: dict[str, Any] = {
    "operation": "compress",
    "status": "ok",
    "result": "a: 1",
    "stats": {"original_bytes": 7, "compressed_bytes": 4, "reduction_ratio": 0.5714},
    "request_id": "req-1",
}


def test_tables_cover_every_operation() -> None:
    assert set(REQUEST_MODELS) == set(RESPONSE_MODELS) == set(ROUTES) == OPERATIONS
    assert REQUEST_MODELS["health"] is None
    assert ROUTES["prompts_decode"] == ("POST", "/v1/prompts/decode")


@pytest.mark.parametrize(
    ("model", "payload"),
    [
        (EncodeRequest, {"data": {"a": [1, 2]}, "options": {"delimiter": ",", "indent": 2}}),
        (EncodeRequest, {"data": None, "options": {"length_marker": "#"}}),
        (DecodeRequest, {"data": "a: 1", "options": {"indent": 2, "strict": False}}),
        (
            PromptEncodePayload,
            {
                "prompt": {"messages": [{"role": "user", "content": "hi"}]},
                "auto_detect_json": True,
                "schemas": {"x": {}},
                "metadata": {"example": "full-lifecycle"},
                "token_models": ["gpt-4o-mini"],
            },
        ),
        (PromptDecodePayload, {"ktof": "a: 1", "replay_meta": {}, "metadata": {}}),
        (OptimizeRequestPayload, {"prompt": "hi", "auto_detect_json": False}),
        (OptimizeResponsePayload, {"ktof": "a: 1", "options": {"strict": True}}),
    ],
)
def test_0_1_4_payloads_validate(model: Any, payload: dict[str, Any]) -> None:
    assert model.model_validate(payload).model_dump(exclude_unset=True) == payload


def test_unknown_request_fields_are_ignored() -> None:
    request = EncodeRequest.model_validate({"data": 1, "from_the_future": True})
    assert "from_the_future" not in request.model_dump()


def test_encode_options_defaults() -> None:
    options = EncodeOptions()
    assert options.mode == "auto"
    assert options.model == "gpt-4o"
    assert (options.min_tokens_saved, options.min_percent_saved) == (10, 5.0)
    assert (options.bypass, options.preserve_prefix, options.respect_cache_control) == (
        False,
        0,
        True,
    )


@pytest.mark.parametrize(
    "options",
    [
        {"mode": "json"},
        {"delimiter": ";"},
        {"indent": 0},
        {"indent": 17},
        {"min_percent_saved": 101},
    ],
)
def test_bad_options_are_rejected(options: dict[str, Any]) -> None:
    with pytest.raises(ValidationError):
        EncodeOptions.model_validate(options)


def test_prompt_decode_needs_ktof_or_payload_id() -> None:
    with pytest.raises(ValidationError):
        PromptDecodePayload.model_validate({})
    assert PromptDecodePayload.model_validate({"payload_id": "p1"}).payload_id == "p1"


def test_response_dict_access() -> None:
    resp = KaizenResponse.model_validate(RESPONSE)
    assert resp["result"] == "a: 1"
    assert resp.get("stats") is resp.stats
    assert resp["stats"]["reduction_ratio"] == 0.5714
    assert "token_stats" not in resp
    assert resp.get("token_stats") is None
    assert resp.get("metadata", {}) == {}
    with pytest.raises(KeyError):
        resp["token_stats"]
    with pytest.raises(KeyError):
        resp["nope"]
    assert list(resp.keys()) == list(RESPONSE)
    assert list(resp) == list(RESPONSE)
    assert len(resp) == len(RESPONSE)
    assert dict(resp)["request_id"] == "req-1"
    assert resp == RESPONSE
    assert resp.to_dict() == RESPONSE
    assert resp.stats.original_bytes == 7


def test_present_keys_follow_the_json() -> None:
    body = {**RESPONSE, "result": None, "token_stats": {"gpt-4o": {"original": 5, "compressed": 3}}}
    resp = KaizenResponse.model_validate(body)
    assert "result" in resp and resp["result"] is None
    assert resp["token_stats"]["gpt-4o"]["compressed"] == 3
    assert resp.token_stats is not None and resp.token_stats["gpt-4o"].original == 5


def test_unknown_response_fields_are_kept() -> None:
    resp = KaizenResponse.model_validate({**RESPONSE, "served_by": "edge-1"})
    assert resp["served_by"] == "edge-1"
    assert "served_by" in list(resp.keys())
    assert resp.to_dict()["served_by"] == "edge-1"


def test_typed_subresponses() -> None:
    report = {
        "model": "gpt-4o",
        "fragments": [
            {
                "message_index": 1,
                "path": "content",
                "kind": "whole",
                "action": "compressed",
                "reason": "compressed",
                "tokens_before": 50,
                "tokens_after": 30,
            }
        ],
        "tokens_before": 50,
        "tokens_after": 30,
        "tokens_saved": 20,
        "fragments_compressed": 1,
    }
    body = {**RESPONSE, "operation": "prompts.encode", "messages": [], "report": report}
    resp = PromptsEncodeResponse.model_validate(body)
    assert resp["report"]["fragments"][0]["path"] == "content"
    assert resp.report.fragments[0].kind == "whole"
    health = HealthResponse.model_validate(
        {"status": "ok", "operation": "health", "version": "0.2.0", "mode": "local"}
    )
    assert health["mode"] == "local" and "request_id" not in health


def test_construct_lenient_keeps_every_key_and_types_what_fits() -> None:
    from kaizen_client.models import KaizenResponse, Stats, construct_lenient

    data = {
        "status": "later",
        "stats": {"original_bytes": 4, "compressed_bytes": 2, "reduction_ratio": 0.5},
        "token_stats": "not a mapping",
        "brand_new": [1, 2],
    }
    resp = construct_lenient(KaizenResponse, data)
    assert resp == data and resp.to_dict() == data and dict(resp.items()) == data
    assert isinstance(resp.stats, Stats) and resp.stats.compressed_bytes == 2
    assert resp.token_stats == "not a mapping" and resp["brand_new"] == [1, 2]
    assert resp.result is None and resp.operation is None and resp.metadata is None
    assert sorted(resp.keys()) == sorted(data) and "result" not in resp


def test_construct_lenient_of_an_empty_object_equals_it() -> None:
    from kaizen_client.models import PromptsEncodeResponse, construct_lenient

    resp = construct_lenient(PromptsEncodeResponse, {})
    assert resp == {} and len(resp) == 0 and resp.messages is None and resp.report is None
