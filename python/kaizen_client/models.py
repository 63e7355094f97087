"""Typed request and response models of the Kaizen REST API (and of the local engine).

Keeping the models and the spec in sync: ``openapi.json`` at the repository root is the
single source of truth for the wire contract, and these models are written by hand so they
can stay readable, keep the 0.1.4 names and carry behaviour (dict-style access on responses).
``tests/test_openapi_contract.py`` compares every model here with the schema of the same name
in ``components/schemas`` (property names, required lists, types, enums and defaults) and
``ROUTES``/``REQUEST_MODELS``/``RESPONSE_MODELS`` with the spec's paths, and fails on any
drift; it also proves that it fails by mutating a copy of the spec and a subclass of a model.
Change both together.

Requests ignore unknown fields (so 0.1.4 dicts, and dicts from newer clients, validate);
responses keep unknown fields and behave like the plain ``dict`` 0.1.4 returned:
``resp["result"]``, ``resp.get("stats")``, ``"token_stats" in resp``, ``resp.keys()``.
"""

from __future__ import annotations

import functools
from collections.abc import Iterator, Mapping
from typing import Any, Literal, TypeVar

from pydantic import BaseModel, ConfigDict, Field, TypeAdapter, ValidationError, model_validator

# The engine owns its vocabulary and defaults; the wire schema re-exports them.
from .engine.defaults import (
    DEFAULT_MIN_PERCENT_SAVED,
    DEFAULT_MIN_TOKENS_SAVED,
    DEFAULT_MODEL,
    EncodeMode,
    FragmentAction,
    FragmentKind,
    FragmentReason,
)

Delimiter = Literal[",", "\t", "|"]
"""The three delimiters TOON 4.0 defines."""

MAX_INDENT = 16
"""Largest ``indent`` a request may ask for: deeper pads only amplify a small request into a
huge response (a 129-byte body once asked for 32 MB)."""

MAX_MIN_TOKENS_SAVED = 1_000_000_000
"""Bound of ``min_tokens_saved``: above any fragment a request body can hold."""

MAX_PRESERVE_PREFIX = 100_000
"""Bound of ``preserve_prefix`` (a message index): every numeric option has a bound."""


class _RequestModel(BaseModel):
    """Requests ignore unknown keys: old and new clients both validate."""

    model_config = ConfigDict(extra="ignore", populate_by_name=True)


# --- requests ----------------------------------------------------------------------------


class EncodeOptions(_RequestModel):
    """How to encode: codec knobs plus the gating knobs of message compression."""

    delimiter: Delimiter | None = None
    indent: int | None = Field(default=None, ge=1, le=MAX_INDENT)
    length_marker: bool | str | None = None
    mode: EncodeMode = "auto"
    model: str = DEFAULT_MODEL
    min_tokens_saved: int = Field(default=DEFAULT_MIN_TOKENS_SAVED, ge=0, le=MAX_MIN_TOKENS_SAVED)
    min_percent_saved: float = Field(default=DEFAULT_MIN_PERCENT_SAVED, ge=0, le=100)
    bypass: bool = False
    preserve_prefix: int = Field(default=0, ge=0, le=MAX_PRESERVE_PREFIX)
    respect_cache_control: bool = True


class DecodeOptions(_RequestModel):
    """How to read KTOF text."""

    indent: int | None = Field(default=None, ge=1, le=MAX_INDENT)
    strict: bool | None = True


class EncodeRequest(_RequestModel):
    """Body of ``compress`` and ``optimize``."""

    data: Any
    options: EncodeOptions | None = None
    token_models: list[str] | None = None
    metadata: dict[str, Any] | None = None


class DecodeRequest(_RequestModel):
    """Body of ``decompress``."""

    data: str
    options: DecodeOptions | None = None
    metadata: dict[str, Any] | None = None


class PromptEncodePayload(_RequestModel):
    """Body of ``prompts_encode``: a string, a message list or a dict with ``messages``."""

    prompt: Any
    options: EncodeOptions | None = None
    auto_detect_json: bool = True
    schemas: dict[str, Any] | None = None
    metadata: dict[str, Any] | None = None
    token_models: list[str] | None = None


class PromptDecodePayload(_RequestModel):
    """Body of ``prompts_decode``: the KTOF text, or the id of a stored payload."""

    ktof: str | None = None
    payload_id: str | None = None
    options: DecodeOptions | None = None
    replay_meta: dict[str, Any] | None = None
    metadata: dict[str, Any] | None = None

    @model_validator(mode="after")
    def _needs_a_source(self) -> PromptDecodePayload:
        if self.ktof is None and self.payload_id is None:
            raise ValueError("either 'ktof' or 'payload_id' is required")
        return self


class OptimizeRequestPayload(_RequestModel):
    """Body of ``optimize_request``: a provider request to compress."""

    prompt: Any
    options: EncodeOptions | None = None
    auto_detect_json: bool = True
    metadata: dict[str, Any] | None = None
    token_models: list[str] | None = None


class OptimizeResponsePayload(_RequestModel):
    """Body of ``optimize_response``: KTOF text from a provider response."""

    ktof: str
    options: DecodeOptions | None = None
    metadata: dict[str, Any] | None = None


# --- responses ---------------------------------------------------------------------------


class ResponseModel(BaseModel):
    """Response base: typed attributes plus the read-only ``dict`` API 0.1.4 callers use.

    Keys are the fields present in the JSON (fields set at validation or construction) and
    any extra fields a newer server sent; absent keys raise ``KeyError`` like a dict.
    """

    model_config = ConfigDict(extra="allow")

    def keys(self) -> list[str]:
        names = [name for name in type(self).model_fields if name in self.model_fields_set]
        if self.model_extra:
            names.extend(self.model_extra)
        return names

    def __getitem__(self, key: str) -> Any:
        if key in self.model_fields_set and key in type(self).model_fields:
            return getattr(self, key)
        extra = self.model_extra
        if extra is not None and key in extra:
            return extra[key]
        raise KeyError(key)

    def get(self, key: str, default: Any = None) -> Any:
        try:
            return self[key]
        except KeyError:
            return default

    def __contains__(self, key: object) -> bool:
        return isinstance(key, str) and key in self.keys()

    def __iter__(self) -> Iterator[str]:  # type: ignore[override]
        return iter(self.keys())

    def __len__(self) -> int:
        return len(self.keys())

    def values(self) -> list[Any]:
        return [self[key] for key in self.keys()]

    def items(self) -> list[tuple[str, Any]]:
        return [(key, self[key]) for key in self.keys()]

    def to_dict(self) -> dict[str, Any]:
        """The JSON object this response was read from (or would be sent as).

        ``warnings=False``: a leniently built model (see :func:`construct_lenient`) holds
        values as the server sent them, which is what should come back out, silently.
        """
        return self.model_dump(mode="json", exclude_unset=True, warnings=False)

    def __eq__(self, other: object) -> bool:
        if isinstance(other, ResponseModel):
            return self.to_dict() == other.to_dict()
        if isinstance(other, Mapping):
            return self.to_dict() == dict(other)
        return NotImplemented

    __hash__ = None  # type: ignore[assignment]


class Stats(ResponseModel):
    """Sizes in UTF-8 bytes; ``reduction_ratio`` is compressed/original, as in 0.1.4."""

    original_bytes: int
    compressed_bytes: int
    reduction_ratio: float


class TokenStats(ResponseModel):
    """Token counts of one model before and after."""

    original: int
    compressed: int


class FragmentDecision(ResponseModel):
    """What the engine did with one JSON fragment found in a chat message."""

    message_index: int
    path: str
    kind: FragmentKind
    action: FragmentAction
    reason: FragmentReason
    tokens_before: int
    tokens_after: int


class CompressionReport(ResponseModel):
    """Every fragment decision of one call; the totals are sums over ``fragments``."""

    model: str
    fragments: list[FragmentDecision]
    tokens_before: int
    tokens_after: int
    tokens_saved: int
    fragments_compressed: int


DecodeReport = CompressionReport
"""Alias kept for readers who look for the report under this name."""


class KaizenResponse(ResponseModel):
    """Body every successful operation returns (except ``health``)."""

    operation: str
    status: Literal["ok"]
    result: Any
    stats: Stats
    token_stats: dict[str, TokenStats] | None = None
    metadata: dict[str, Any] | None = None
    request_id: str | None = None


class PromptsEncodeResponse(KaizenResponse):
    """``prompts.encode``: also the compressed chat messages and the decision report."""

    messages: list[Any]
    report: CompressionReport
    payload_id: str | None = None
    """Set by the server when it stored ``result`` for ``prompts_decode``; never by the engine."""


class OptimizeRequestResponse(KaizenResponse):
    """``optimize.request``: ``result`` is the compressed request; plus the report."""

    report: CompressionReport


class HealthResponse(ResponseModel):
    """Liveness answer; ``mode`` is ``local`` for the in-process engine."""

    status: Literal["ok"]
    operation: Literal["health"]
    version: str
    mode: str
    request_id: str | None = None


class ErrorBody(ResponseModel):
    """The inside of an error response."""

    code: str
    message: str
    request_id: str | None = None
    detail: Any = None


class ErrorResponse(ResponseModel):
    """Body of every non-2xx answer: ``{"error": {...}}``."""

    error: ErrorBody


# --- lenient parsing ---------------------------------------------------------------------

ModelT = TypeVar("ModelT", bound=BaseModel)


@functools.lru_cache(maxsize=256)
def _field_adapter(model: type[BaseModel], name: str) -> TypeAdapter[Any]:
    annotation = model.model_fields[name].annotation
    return TypeAdapter(annotation if annotation is not None else Any)


def construct_lenient(model: type[ModelT], data: Mapping[str, Any]) -> ModelT:
    """``model`` built from ``data`` without rejecting it, as openai-python's ``construct``.

    Used when ``model_validate`` fails on a well-formed JSON object: each declared field that
    is present is validated on its own and kept as sent if that fails; absent fields take
    their default, or None when they have none; unknown keys are kept as extras. The result
    still compares equal to ``data`` and answers ``resp["key"]`` for exactly its keys.
    """
    values: dict[str, Any] = {}
    present: set[str] = set()
    declared: set[str] = set()
    for name, info in model.model_fields.items():
        key = info.alias or name
        declared.add(key)
        if key in data:
            present.add(name)
            try:
                values[name] = _field_adapter(model, name).validate_python(data[key])
            except ValidationError:
                values[name] = data[key]
        elif info.is_required():
            values[name] = None
        else:
            values[name] = info.get_default(call_default_factory=True)
    extras = {key: value for key, value in data.items() if key not in declared}
    return model.model_construct(_fields_set=present | set(extras), **values, **extras)


# --- operation tables --------------------------------------------------------------------

ROUTES: dict[str, tuple[str, str]] = {
    "health": ("GET", "/"),
    "compress": ("POST", "/v1/compress"),
    "decompress": ("POST", "/v1/decompress"),
    "optimize": ("POST", "/v1/optimize"),
    "optimize_request": ("POST", "/v1/optimize/request"),
    "optimize_response": ("POST", "/v1/optimize/response"),
    "prompts_encode": ("POST", "/v1/prompts/encode"),
    "prompts_decode": ("POST", "/v1/prompts/decode"),
}
"""Client method name -> (HTTP method, path)."""

OPERATION_NAMES: dict[str, str] = {
    name: "health" if name == "health" else name.replace("_", ".") for name in ROUTES
}
"""Client method name -> the dotted ``operation`` value of its responses."""

REQUEST_MODELS: dict[str, type[BaseModel] | None] = {
    "health": None,
    "compress": EncodeRequest,
    "decompress": DecodeRequest,
    "optimize": EncodeRequest,
    "optimize_request": OptimizeRequestPayload,
    "optimize_response": OptimizeResponsePayload,
    "prompts_encode": PromptEncodePayload,
    "prompts_decode": PromptDecodePayload,
}

RESPONSE_MODELS: dict[str, type[ResponseModel]] = {
    "health": HealthResponse,
    "compress": KaizenResponse,
    "decompress": KaizenResponse,
    "optimize": KaizenResponse,
    "optimize_request": OptimizeRequestResponse,
    "optimize_response": KaizenResponse,
    "prompts_encode": PromptsEncodeResponse,
    "prompts_decode": KaizenResponse,
}

__all__ = [
    "DEFAULT_MIN_PERCENT_SAVED",
    "DEFAULT_MIN_TOKENS_SAVED",
    "DEFAULT_MODEL",
    "OPERATION_NAMES",
    "REQUEST_MODELS",
    "RESPONSE_MODELS",
    "ROUTES",
    "CompressionReport",
    "DecodeOptions",
    "DecodeReport",
    "DecodeRequest",
    "EncodeMode",
    "EncodeOptions",
    "EncodeRequest",
    "ErrorBody",
    "ErrorResponse",
    "FragmentAction",
    "FragmentDecision",
    "FragmentKind",
    "FragmentReason",
    "HealthResponse",
    "KaizenResponse",
    "OptimizeRequestPayload",
    "OptimizeRequestResponse",
    "OptimizeResponsePayload",
    "PromptDecodePayload",
    "PromptEncodePayload",
    "PromptsEncodeResponse",
    "ResponseModel",
    "Stats",
    "TokenStats",
    "construct_lenient",
]
