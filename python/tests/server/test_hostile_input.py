"""Bad input gets a 4xx with a JSON error body: never a 500, never invalid JSON (finding 2),
and no option lets a small request ask for a huge answer (finding 3)."""

from __future__ import annotations

import json
import math

import httpx
import pytest

from kaizen_client.models import ROUTES

from .conftest import auth

POST_PATHS = [path for _, (method, path) in ROUTES.items() if method == "POST"]
assert len(POST_PATHS) == 7


def strict_json(response: httpx.Response) -> object:
    """The body parsed as strict JSON: ``Infinity``/``NaN`` are errors, as in other languages."""

    def reject(name: str) -> object:
        raise AssertionError(f"non-JSON constant {name} in the response")

    return json.loads(response.content, parse_constant=reject)


async def test_a_4301_digit_integer_is_a_400_not_a_500(client: httpx.AsyncClient) -> None:
    body = json.dumps({"data": "k: " + "7" * 4301})
    response = await client.post("/v1/decompress", content=body, headers=auth())
    assert response.status_code == 400
    assert strict_json(response)


@pytest.mark.parametrize("path", POST_PATHS)
@pytest.mark.parametrize(
    "raw",
    [
        b'{"data": "a\\ud800b", "prompt": "a\\ud800b", "ktof": "a\\ud800b"}',
        b'{"data": 1, "prompt": "x", "ktof": "x: 1", "metadata": {"k": "\\udc00"}}',
        b'{"data": 1, "prompt": "x", "ktof": "x: 1", "metadata": {"\\ud800": 1}}',
    ],
)
async def test_lone_surrogates_are_a_400_on_every_post_route(
    client: httpx.AsyncClient, path: str, raw: bytes
) -> None:
    response = await client.post(path, content=raw, headers=auth())
    assert response.status_code == 400, response.text
    assert strict_json(response) == {
        "error": {
            "code": "invalid_json",
            "message": "request body is not valid JSON: lone surrogate escape",
            "request_id": response.headers["x-request-id"],
            "detail": None,
        }
    }


async def test_a_valid_surrogate_pair_still_works(client: httpx.AsyncClient) -> None:
    response = await client.post(
        "/v1/compress", content=b'{"data": ["\\ud83d\\ude00"]}', headers=auth()
    )
    assert response.status_code == 200
    assert "\U0001f600" in response.json()["result"]


@pytest.mark.parametrize("number", ["1e400", "-1e400", "1" * 400 + ".0", "1E+999"])
@pytest.mark.parametrize("path", ["/v1/optimize/request", "/v1/compress", "/v1/optimize"])
async def test_numbers_beyond_a_float_are_a_400_not_infinity(
    client: httpx.AsyncClient, path: str, number: str
) -> None:
    """``"temperature": 1e400`` answered 200 with ``Infinity`` in the body."""
    prompt = '{"messages": [{"role": "user", "content": "hi"}], "temperature": NUMBER}'
    raw = f'{{"prompt": {prompt}, "data": {{"temperature": NUMBER}}}}'
    raw_bytes = raw.replace("NUMBER", number).encode()
    response = await client.post(path, content=raw_bytes, headers=auth())
    assert response.status_code == 400, response.text
    assert strict_json(response)


async def test_large_but_finite_numbers_still_work(client: httpx.AsyncClient) -> None:
    response = await client.post(
        "/v1/compress", content=b'{"data": [1e300, 1e-400, 12345678901234567890]}', headers=auth()
    )
    assert response.status_code == 200
    assert math.isfinite(1e300)


MALFORMED: list[bytes] = [
    b"",
    b"{",
    b"null",
    b"[]",
    b'"x"',
    b"NaN",
    b'{"data": NaN}',
    b'{"data": Infinity}',
    b'{"data": -Infinity}',
    b"\xff\xfe",
    b'{"data": "\xff"}',
    b"[" * 100_000,
    b'{"data": 1}' * 2,
    b'{"options": {"indent": 1000000}, "data": [1], "prompt": "x", "ktof": "x: 1"}',
    b'{"options": {"indent": -1}, "data": [1], "prompt": "x", "ktof": "x: 1"}',
    b'{"options": {"min_tokens_saved": 1e400}, "data": [1], "prompt": "x", "ktof": "x"}',
    b'{"options": {"preserve_prefix": 99999999999}, "prompt": [], "data": 1, "ktof": "x"}',
    b'{"options": {"min_percent_saved": 1e308}, "prompt": [], "data": 1, "ktof": "x"}',
    b'{"options": "indent", "data": 1, "prompt": "x", "ktof": "x"}',
    b'{"data": 1, "token_models": [1, 2], "prompt": "x", "ktof": "x"}',
    b'{"payload_id": "\\ud800", "ktof": null}',
    b'{"payload_id": ["x"]}',
    b'{"data": "k: ' + b"9" * 5000 + b'", "ktof": "k: ' + b"9" * 5000 + b'"}',
    b'{"data": 1, "metadata": [1]}',
    b'{"\\u0000": "\\u0000", "data": "\\u0000", "prompt": "\\u0000", "ktof": "\\u0000"}',
]


@pytest.mark.parametrize("path", POST_PATHS)
async def test_malformed_bodies_never_500(client: httpx.AsyncClient, path: str) -> None:
    """Finding 2 found 18 x 500 from 33 malformed bodies x 7 routes; now every one is <500."""
    for raw in MALFORMED:
        response = await client.post(path, content=raw, headers=auth())
        assert response.status_code < 500, (raw[:60], response.status_code, response.text)
        strict_json(response)


@pytest.mark.parametrize(
    ("options", "field"),
    [
        ({"indent": 17}, "indent"),
        ({"min_tokens_saved": 1_000_000_001}, "min_tokens_saved"),
        ({"preserve_prefix": 100_001}, "preserve_prefix"),
        ({"min_percent_saved": 100.5}, "min_percent_saved"),
    ],
)
async def test_every_numeric_option_is_bounded(
    client: httpx.AsyncClient, options: dict[str, int], field: str
) -> None:
    """Finding 3: ``indent`` had no upper bound (129 bytes in, 32 MB out)."""
    body = {"prompt": [{"role": "user", "content": "[1, 2]"}], "options": options}
    response = await client.post("/v1/prompts/encode", json=body, headers=auth())
    assert response.status_code == 422
    assert response.json()["error"]["detail"][0]["loc"][-1] == field


def test_the_spec_bounds_every_numeric_request_option() -> None:
    from pathlib import Path

    spec = json.loads((Path(__file__).resolve().parents[3] / "openapi.json").read_text("utf-8"))
    schemas = spec["components"]["schemas"]
    for name in ("EncodeOptions", "DecodeOptions"):
        for prop, schema in schemas[name]["properties"].items():
            for variant in schema.get("anyOf", [schema]):
                if variant.get("type") in ("integer", "number"):
                    assert "minimum" in variant and "maximum" in variant, (name, prop)


async def test_the_biggest_indent_keeps_the_answer_small(client: httpx.AsyncClient) -> None:
    body = {"data": {"a": {"b": {"c": {"d": [1, 2, 3]}}}}, "options": {"indent": 16}}
    raw = json.dumps(body).encode()
    response = await client.post("/v1/compress", content=raw, headers=auth())
    assert response.status_code == 200
    assert len(response.content) < 100 * len(raw)
