"""openapi.json and kaizen_client.models must describe the same API (see models' docstring).

The comparison is structural: for every schema, its property names, required list, and per
property the type (refs, unions, arrays, maps, enums, consts, numeric/length bounds) and
the default. The mutation tests prove the check fails on drift in either direction.
"""

from __future__ import annotations

import copy
import inspect
import json
from pathlib import Path
from typing import Any

import pytest
from pydantic import BaseModel

from kaizen_client import models

SPEC_PATH = Path(__file__).resolve().parents[2] / "openapi.json"
REF_TEMPLATE = "#/components/schemas/{model}"
_BOUNDS = ("minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum", "minLength", "maxLength")


def load_spec() -> dict[str, Any]:
    spec: dict[str, Any] = json.loads(SPEC_PATH.read_text(encoding="utf-8"))
    return spec


def wire_models() -> dict[str, type[BaseModel]]:
    """Every concrete pydantic model in ``kaizen_client.models``, by name."""
    found: dict[str, type[BaseModel]] = {}
    for name, obj in vars(models).items():
        if (
            inspect.isclass(obj)
            and issubclass(obj, BaseModel)
            and obj.__module__ == models.__name__
            and not name.startswith("_")
            and obj is not models.ResponseModel
            and obj.__name__ == name
        ):
            found[name] = obj
    return found


def signature(schema: Any) -> Any:
    """A hashable, order-insensitive summary of a JSON schema's type."""
    if not isinstance(schema, dict):
        return ("?", repr(schema))
    bounds = tuple((k, schema[k]) for k in _BOUNDS if k in schema)
    if "$ref" in schema:
        return ("ref", schema["$ref"].rsplit("/", 1)[-1])
    if "anyOf" in schema or "oneOf" in schema:
        members: set[Any] = set()
        for sub in schema.get("anyOf", []) + schema.get("oneOf", []):
            sig = signature(sub)
            members.update(sig[1] if sig[0] == "union" else {sig})
        return ("union", frozenset(members)) if len(members) > 1 else next(iter(members))
    if "enum" in schema:
        return ("enum", frozenset(schema["enum"]))
    if "const" in schema:
        return ("const", schema["const"])
    kind = schema.get("type")
    if isinstance(kind, list):
        return signature({"anyOf": [{**schema, "type": t} for t in kind]})
    if kind == "array":
        return ("array", signature(schema.get("items", {})), bounds)
    if kind == "object":
        extra = schema.get("additionalProperties")
        return ("object", signature(extra) if isinstance(extra, dict) else None)
    if kind is None:
        return ("any",)
    return (kind, bounds)


def compare(name: str, spec_schema: dict[str, Any], model_schema: dict[str, Any]) -> list[str]:
    """Human-readable differences between one spec schema and one model's schema."""
    problems: list[str] = []
    spec_props = spec_schema.get("properties", {})
    model_props = model_schema.get("properties", {})
    for prop in sorted(set(spec_props) - set(model_props)):
        problems.append(f"{name}.{prop}: in the spec, not in the model")
    for prop in sorted(set(model_props) - set(spec_props)):
        problems.append(f"{name}.{prop}: in the model, not in the spec")
    if set(spec_schema.get("required", [])) != set(model_schema.get("required", [])):
        problems.append(
            f"{name}: required differs: spec {sorted(spec_schema.get('required', []))}, "
            f"model {sorted(model_schema.get('required', []))}"
        )
    if spec_schema.get("additionalProperties") != model_schema.get("additionalProperties"):
        problems.append(f"{name}: additionalProperties differs")
    for prop in sorted(set(spec_props) & set(model_props)):
        a, b = spec_props[prop], model_props[prop]
        if signature(a) != signature(b):
            problems.append(f"{name}.{prop}: type differs: {signature(a)} != {signature(b)}")
        if ("default" in a) != ("default" in b) or a.get("default") != b.get("default"):
            problems.append(f"{name}.{prop}: default differs: {a.get('default')!r}")
    return problems


def drift(spec: dict[str, Any], wire: dict[str, type[BaseModel]]) -> list[str]:
    """Everything that differs between the spec's schemas and the models."""
    schemas: dict[str, Any] = spec["components"]["schemas"]
    problems = [f"{n}: schema in the spec, no model" for n in sorted(set(schemas) - set(wire))]
    problems += [f"{n}: model with no schema in the spec" for n in sorted(set(wire) - set(schemas))]
    for name in sorted(set(schemas) & set(wire)):
        model_schema = wire[name].model_json_schema(ref_template=REF_TEMPLATE)
        problems += compare(name, schemas[name], model_schema)
    return problems


# --- the contract ------------------------------------------------------------------------


def test_models_match_spec() -> None:
    assert drift(load_spec(), wire_models()) == []


def test_routes_match_spec_paths() -> None:
    spec = load_spec()
    assert set(spec["paths"]) == {path for _, path in models.ROUTES.values()}
    for op, (method, path) in models.ROUTES.items():
        item = spec["paths"][path]
        assert list(item) == [method.lower()], path
        operation = item[method.lower()]
        assert operation["operationId"] == op
        ok = operation["responses"]["200"]["content"]["application/json"]["schema"]["$ref"]
        assert ok.rsplit("/", 1)[-1] == models.RESPONSE_MODELS[op].__name__
        request_model = models.REQUEST_MODELS[op]
        if request_model is None:
            assert "requestBody" not in operation
        else:
            ref = operation["requestBody"]["content"]["application/json"]["schema"]["$ref"]
            assert ref.rsplit("/", 1)[-1] == request_model.__name__


def test_error_responses_and_security_documented() -> None:
    spec = load_spec()
    for op, (method, path) in models.ROUTES.items():
        responses = spec["paths"][path][method.lower()]["responses"]
        errors = {"404", "405", "500", "503"}
        if op != "health":
            errors |= {"400", "401", "408", "410", "413", "415", "422", "429"}
        assert set(responses) == {"200"} | errors, path
    for response in spec["components"]["responses"].values():
        schema = response["content"]["application/json"]["schema"]
        assert schema["$ref"].endswith("/ErrorResponse")
    schemes = spec["components"]["securitySchemes"]
    assert {"type": "apiKey", "in": "header", "name": "x-api-key"} in schemes.values()
    assert {"type": "http", "scheme": "bearer"} in schemes.values()
    assert spec["openapi"].startswith("3.1")


def test_operation_names_are_dotted() -> None:
    assert models.OPERATION_NAMES == {
        "health": "health",
        "compress": "compress",
        "decompress": "decompress",
        "optimize": "optimize",
        "optimize_request": "optimize.request",
        "optimize_response": "optimize.response",
        "prompts_encode": "prompts.encode",
        "prompts_decode": "prompts.decode",
    }


# --- the check fails on drift ------------------------------------------------------------


def test_drift_when_spec_gains_a_field() -> None:
    spec = copy.deepcopy(load_spec())
    spec["components"]["schemas"]["EncodeRequest"]["properties"]["priority"] = {"type": "integer"}
    assert drift(spec, wire_models()) == ["EncodeRequest.priority: in the spec, not in the model"]


def test_drift_when_model_gains_a_field() -> None:
    class EncodeRequest(models.EncodeRequest):
        priority: int = 0

    wire: dict[str, type[BaseModel]] = {**wire_models(), "EncodeRequest": EncodeRequest}
    assert drift(load_spec(), wire) == ["EncodeRequest.priority: in the model, not in the spec"]


@pytest.mark.parametrize(
    ("schema", "prop", "change"),
    [
        ("EncodeOptions", "mode", {"enum": ["auto", "toon", "json"], "type": "string"}),
        ("EncodeOptions", "min_tokens_saved", {"type": "number", "minimum": 0, "default": 10}),
        ("EncodeOptions", "min_tokens_saved", {"type": "integer", "minimum": 1, "default": 10}),
        ("EncodeOptions", "respect_cache_control", {"type": "boolean", "default": False}),
        ("Stats", "original_bytes", {"type": "string"}),
        ("KaizenResponse", "stats", {"$ref": "#/components/schemas/TokenStats"}),
    ],
)
def test_drift_when_a_type_enum_bound_or_default_changes(
    schema: str, prop: str, change: dict[str, Any]
) -> None:
    spec = copy.deepcopy(load_spec())
    spec["components"]["schemas"][schema]["properties"][prop] = change
    problems = drift(spec, wire_models())
    assert problems and all(p.startswith(f"{schema}.{prop}:") for p in problems)


def test_drift_when_required_changes() -> None:
    spec = copy.deepcopy(load_spec())
    spec["components"]["schemas"]["DecodeRequest"]["required"] = []
    assert drift(spec, wire_models()) == [
        "DecodeRequest: required differs: spec [], model ['data']"
    ]


def test_drift_when_a_schema_is_missing() -> None:
    spec = copy.deepcopy(load_spec())
    del spec["components"]["schemas"]["TokenStats"]
    assert "TokenStats: model with no schema in the spec" in drift(spec, wire_models())
