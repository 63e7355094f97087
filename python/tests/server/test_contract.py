"""The server implements ``openapi.json``: same routes, the file itself served, schemathesis-clean.

schemathesis generates requests from the repository's spec (bounded: a few examples per
operation, derandomized, no deadline) and checks every response: no 5xx, documented status
codes and content types, bodies that match the response schemas.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import httpx
import pytest
from hypothesis import HealthCheck, settings
from starlette.routing import Route
from starlette.testclient import TestClient

from kaizen_client.models import ROUTES
from kaizen_client.server import ServerSettings, create_app
from kaizen_client.server.factory import FALLBACK_ROUTE

from .conftest import KEY

# schemathesis is a repository tool (the `dev` dependency group, which dev.py installs), not
# part of the published `test` extra: where it is not installed this module is skipped.
schemathesis = pytest.importorskip("schemathesis")
checks = pytest.importorskip("schemathesis.specs.openapi.checks")

# The request models validate in pydantic's lax mode (``0`` is a valid ``false``), which the
# spec's JSON Schema does not express; and schema-valid text that is not KTOF is a 400. So
# schemathesis' "negative data must be rejected" / "positive data must be accepted" checks are
# left out; every response is still checked (no 5xx, documented statuses, schemas, headers).
LENIENT_BY_DESIGN = [checks.negative_data_rejection, checks.positive_data_acceptance]
SPEC_PATH = Path(__file__).resolve().parents[3] / "openapi.json"
# schemathesis sends invalid credentials on purpose, many times: with the failed-auth limiter
# on, those would (rightly) become 429s, which its "ignored auth" check reads as a failure.
# The limiter has its own tests (test_auth.py); here it is off.
APP = create_app(ServerSettings(api_keys=frozenset({KEY}), auth_failure_limit=None))
SCHEMA = schemathesis.openapi.from_asgi("/openapi.json", APP)
SMALL_BODY_APP = create_app(
    ServerSettings(api_keys=frozenset({KEY}), auth_failure_limit=None, max_body_bytes=256)
)
CLIENT = TestClient(APP)
SMALL_CLIENT = TestClient(SMALL_BODY_APP)
NOT_JSON = ("text/plain", "application/x-www-form-urlencoded", "multipart/form-data; boundary=x")


def load_spec() -> dict[str, Any]:
    spec: dict[str, Any] = json.loads(SPEC_PATH.read_text(encoding="utf-8"))
    return spec


def test_app_routes_are_exactly_the_spec_operations() -> None:
    spec = load_spec()
    served = {
        (route.path, method, route.name)
        for route in APP.routes
        if isinstance(route, Route) and route.name in ROUTES
        for method in (route.methods or ())
        if method != "HEAD"
    }
    documented = {
        (path, method.upper(), operation["operationId"])
        for path, item in spec["paths"].items()
        for method, operation in item.items()
    }
    assert served == documented
    names = [getattr(route, "name", None) for route in APP.routes]
    assert names[-1] == FALLBACK_ROUTE  # only unknown paths / methods reach the catch-all


async def test_served_schema_is_the_repository_spec() -> None:
    transport = httpx.ASGITransport(app=APP)
    async with httpx.AsyncClient(transport=transport, base_url="http://t") as client:
        response = await client.get("/openapi.json")
    assert response.status_code == 200
    assert response.json() == load_spec()
    assert APP.openapi() == load_spec()


@SCHEMA.parametrize()
@settings(
    max_examples=12,
    deadline=None,
    derandomize=True,
    suppress_health_check=list(HealthCheck),
)
def test_api_conforms_to_spec(case: schemathesis.Case) -> None:
    case.call_and_validate(headers={"x-api-key": KEY}, excluded_checks=LENIENT_BY_DESIGN)


@SCHEMA.include(method="POST").parametrize()
@settings(
    max_examples=2,
    deadline=None,
    derandomize=True,
    suppress_health_check=list(HealthCheck),
)
def test_non_json_and_oversized_bodies_conform(case: schemathesis.Case) -> None:
    """Every generated body, sent as a non-JSON type (415) and padded past the size cap (413):
    documented statuses and error bodies, never a 5xx."""
    if case.method.upper() != "POST":  # schemathesis' wrong-method cases: covered above
        return
    body = json.dumps(case.body if case.body is not None else {}, default=str).encode()
    headers = {"x-api-key": KEY}
    for media_type in NOT_JSON:
        response = CLIENT.post(
            case.formatted_path, content=body, headers={**headers, "content-type": media_type}
        )
        assert response.status_code == 415, response.text
        assert response.json()["error"]["code"] == "unsupported_media_type"
        case.validate_response(response, excluded_checks=LENIENT_BY_DESIGN)
    oversized = body + b" " * 300  # trailing whitespace: still the same JSON, now too long
    response = SMALL_CLIENT.post(
        case.formatted_path,
        content=oversized,
        headers={**headers, "content-type": "application/json"},
    )
    assert response.status_code == 413, response.text
    case.validate_response(response, excluded_checks=LENIENT_BY_DESIGN)
