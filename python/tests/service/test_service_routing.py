"""handle_request: every status it answers, and that it never raises."""

from __future__ import annotations

import json
from typing import Any

import pytest

from kaizen_client import ktof
from kaizen_client.models import ErrorResponse
from kaizen_client.service import handle_request, operations


def error_of(status: int, answer: dict[str, Any], code: str, request_id: str = "r") -> Any:
    """Assert an error answer's shape; return its ``detail``."""
    ErrorResponse.model_validate(answer)
    error = answer["error"]
    assert (error["code"], error["request_id"]) == (code, request_id), answer
    assert isinstance(error["message"], str) and error["message"]
    json.dumps(answer)
    return error["detail"]


def post(path: str, body: bytes | None) -> tuple[int, dict[str, Any]]:
    return handle_request("POST", path, body, request_id="r")


def test_ok_and_path_normalisation() -> None:
    for path in ("/v1/compress", "v1/compress/", "/v1/compress?x=1"):
        status, answer = post(path, b'{"data": [1, 2]}')
        assert status == 200 and answer["operation"] == "compress"
    assert handle_request("get", "", None, request_id="r")[0] == 200


def test_unknown_path_is_404() -> None:
    status, answer = post("/v2/compress", b"{}")
    assert status == 404
    error_of(status, answer, "not_found")


def test_unknown_payload_id_is_404() -> None:
    status, answer = post("/v1/prompts/decode", b'{"payload_id": "p-123"}')
    assert status == 404
    assert error_of(status, answer, "not_found") == {"payload_id": "p-123"}


def test_wrong_method_is_405() -> None:
    status, answer = handle_request("GET", "/v1/compress", None, request_id="r")
    assert status == 405
    assert error_of(status, answer, "method_not_allowed") == {"allowed": ["POST"]}
    status, _ = handle_request("POST", "/", b"{}", request_id="r")
    assert status == 405


@pytest.mark.parametrize("body", [None, b"", b"{", b"\xff\xfe", b"[" * 100_000])
def test_invalid_json_is_400(body: bytes | None) -> None:
    status, answer = post("/v1/compress", body)
    assert status == 400
    error_of(status, answer, "invalid_json")


@pytest.mark.parametrize(
    ("path", "body"),
    [
        ("/v1/compress", {}),
        ("/v1/compress", []),
        ("/v1/compress", {"data": 1, "options": {"mode": "fast"}}),
        ("/v1/decompress", {"data": 5}),
        ("/v1/prompts/decode", {}),
        ("/v1/optimize/response", {"ktof": None}),
        # An unbounded indent once turned a 129-byte request into a 32 MB answer.
        ("/v1/compress", {"data": {"a": {"b": 1}}, "options": {"indent": 6402373705728001}}),
        ("/v1/decompress", {"data": "a: 1", "options": {"indent": 17}}),
    ],
)
def test_validation_error_is_422(path: str, body: Any) -> None:
    status, answer = post(path, json.dumps(body).encode())
    assert status == 422
    detail = error_of(status, answer, "validation_error")
    assert isinstance(detail, list) and detail and {"loc", "msg", "type"} <= set(detail[0])


def test_ktof_decode_error_is_400() -> None:
    body = json.dumps({"data": 'key: "never closed'}).encode()
    status, answer = post("/v1/decompress", body)
    assert status == 400
    detail = error_of(status, answer, "ktof_decode_error")
    assert detail["line"] == 1 and detail["message"]


def test_ktof_encode_error_is_400(monkeypatch: pytest.MonkeyPatch) -> None:
    # JSON bodies are always encodable, so simulate the codec refusing one.
    def refuse(value: Any, **kwargs: Any) -> str:
        raise ktof.KTOFEncodeError("cannot encode this", "$.rows[3]")

    monkeypatch.setattr(ktof, "encode", refuse)
    status, answer = post("/v1/compress", b'{"data": {"rows": [1, 2, 3, 4]}}')
    assert status == 400
    assert error_of(status, answer, "ktof_encode_error") == {
        "path": "$.rows[3]",
        "message": "cannot encode this",
    }


def test_unexpected_failure_is_500_without_traceback(monkeypatch: pytest.MonkeyPatch) -> None:
    def explode(*args: Any, **kwargs: Any) -> dict[str, Any]:
        raise RuntimeError("secret internals at /srv/app.py line 12")

    monkeypatch.setitem(operations.OPERATIONS, "compress", explode)
    status, answer = post("/v1/compress", b'{"data": 1}')
    assert status == 500
    assert error_of(status, answer, "internal_error") is None
    assert "secret" not in json.dumps(answer) and "Traceback" not in json.dumps(answer)


def test_broken_health_is_500_not_raised(monkeypatch: pytest.MonkeyPatch) -> None:
    def explode(**kwargs: Any) -> dict[str, Any]:
        raise MemoryError

    monkeypatch.setattr(operations, "health", explode)
    status, answer = handle_request("GET", "/", None, request_id="r")
    assert status == 500
    error_of(status, answer, "internal_error")
