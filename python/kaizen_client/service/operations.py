"""The eight API operations over validated request models, returning the exact JSON bodies.

These are what ``POST /v1/...`` answers, both in-process (via :func:`.routing.handle_request`)
and from the server, so local and remote modes return the same JSON. They translate the
API's request models into engine calls (:func:`engine_options`) and the engine's results
into response bodies; the engine itself knows nothing of requests. Conventions:

* ``stats`` compares the UTF-8 size of the value as compact JSON (``original_bytes``) with
  the KTOF text (``compressed_bytes``); ``reduction_ratio`` is compressed/original rounded
  to 4 places, as in 0.1.4's sample. For ``optimize.request`` both sides are the request
  as sent to the provider (a string as itself, anything else as compact JSON).
* ``token_stats`` appears only when ``token_models`` is given, except ``optimize``, whose job
  is token stats: it defaults to ``[options.model]``. Counts use the same two texts.
* ``metadata`` is echoed when given; ``request_id`` is always present.
* ``options.length_marker`` is accepted for 0.1.4 compatibility and ignored (TOON 4.0 has no
  length marker). ``schemas`` and ``replay_meta`` are accepted and not used yet.
* ``auto_detect_json: false`` reports every fragment as ``bypassed`` and changes nothing.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from typing import Any

from .. import ktof
from .._version import __version__
from ..engine.messages import CompressionOptions, compress_messages
from ..engine.report import CompressionReport
from ..models import (
    DEFAULT_MODEL,
    DecodeOptions,
    DecodeRequest,
    EncodeOptions,
    EncodeRequest,
    OptimizeRequestPayload,
    OptimizeResponsePayload,
    PromptDecodePayload,
    PromptEncodePayload,
)
from ..tokens import count_tokens
from .errors import NotFoundError


def compact_json(value: Any) -> str:
    """The value as compact JSON: the baseline every saving is measured against."""
    return json.dumps(value, separators=(",", ":"), ensure_ascii=False)


def _stats(original: str, compressed: str) -> dict[str, Any]:
    original_bytes = len(original.encode("utf-8"))
    compressed_bytes = len(compressed.encode("utf-8"))
    ratio = round(compressed_bytes / original_bytes, 4) if original_bytes else 0.0
    return {
        "original_bytes": original_bytes,
        "compressed_bytes": compressed_bytes,
        "reduction_ratio": ratio,
    }


def _token_stats(models: Iterable[str], original: str, compressed: str) -> dict[str, Any]:
    return {
        model: {
            "original": count_tokens(original, model),
            "compressed": count_tokens(compressed, model),
        }
        for model in models
    }


def _response(
    operation: str,
    result: Any,
    original: str,
    compressed: str,
    *,
    request_id: str,
    token_models: list[str] | None = None,
    metadata: dict[str, Any] | None = None,
) -> dict[str, Any]:
    body: dict[str, Any] = {
        "operation": operation,
        "status": "ok",
        "result": result,
        "stats": _stats(original, compressed),
    }
    if token_models is not None:
        body["token_stats"] = _token_stats(token_models, original, compressed)
    if metadata is not None:
        body["metadata"] = metadata
    body["request_id"] = request_id
    return body


def _encode(value: Any, options: EncodeOptions | None) -> str:
    opts = options or EncodeOptions()
    kwargs: dict[str, Any] = {"mode": opts.mode, "model": opts.model}
    if opts.indent is not None:
        kwargs["indent"] = opts.indent
    if opts.delimiter is not None:
        kwargs["delimiter"] = opts.delimiter
    return ktof.encode(value, **kwargs)


def _decode(text: str, options: DecodeOptions | None) -> Any:
    opts = options or DecodeOptions()
    strict = True if opts.strict is None else opts.strict
    indent = 2 if opts.indent is None else opts.indent
    return ktof.decode(text, strict=strict, indent=indent)


def engine_options(options: EncodeOptions | None, *, bypass: bool = False) -> CompressionOptions:
    """The engine options an API request asks for (``bypass`` forces a bypass)."""
    if options is None:
        return CompressionOptions(bypass=bypass)
    return CompressionOptions(
        min_tokens_saved=options.min_tokens_saved,
        min_percent_saved=options.min_percent_saved,
        bypass=options.bypass or bypass,
        preserve_prefix=options.preserve_prefix,
        respect_cache_control=options.respect_cache_control,
        mode=options.mode,
        indent=options.indent,
        delimiter=options.delimiter,
    )


def _model_of(options: EncodeOptions | None) -> str:
    return options.model if options is not None else DEFAULT_MODEL


# --- the operations ----------------------------------------------------------------------


def health(*, request_id: str) -> dict[str, Any]:
    """Liveness; ``mode`` says the answer came from the in-process engine."""
    return {
        "status": "ok",
        "operation": "health",
        "version": __version__,
        "mode": "local",
        "request_id": request_id,
    }


def compress(req: EncodeRequest, *, request_id: str) -> dict[str, Any]:
    """``data`` as KTOF text."""
    result = _encode(req.data, req.options)
    return _response(
        "compress",
        result,
        compact_json(req.data),
        result,
        request_id=request_id,
        token_models=req.token_models,
        metadata=req.metadata,
    )


def decompress(req: DecodeRequest, *, request_id: str) -> dict[str, Any]:
    """The value of KTOF text ``data``."""
    value = _decode(req.data, req.options)
    return _response(
        "decompress",
        value,
        compact_json(value),
        req.data,
        request_id=request_id,
        metadata=req.metadata,
    )


def optimize(req: EncodeRequest, *, request_id: str) -> dict[str, Any]:
    """Like ``compress``, always with ``token_stats`` (default: the options' model)."""
    result = _encode(req.data, req.options)
    models = req.token_models if req.token_models is not None else [_model_of(req.options)]
    return _response(
        "optimize",
        result,
        compact_json(req.data),
        result,
        request_id=request_id,
        token_models=models,
        metadata=req.metadata,
    )


def split_prompt(prompt: Any) -> tuple[list[Any], Callable[[list[Any]], Any]]:
    """The chat messages of ``prompt`` and how to put compressed ones back in its shape.

    A string is one user message; a list is the messages; a dict's ``messages`` list is
    (other keys such as ``tools``/``model`` are kept). Anything else has no messages.
    """
    if isinstance(prompt, str):
        return [{"role": "user", "content": prompt}], lambda msgs: msgs[0]["content"]
    if isinstance(prompt, list):
        return prompt, lambda msgs: msgs
    if isinstance(prompt, dict) and isinstance(prompt.get("messages"), list):
        return prompt["messages"], lambda msgs: {**prompt, "messages": msgs}
    return [], lambda msgs: prompt


def _compress_prompt(
    prompt: Any, options: EncodeOptions | None, auto_detect_json: bool
) -> tuple[list[Any], CompressionReport, Callable[[list[Any]], Any]]:
    messages, rebuild = split_prompt(prompt)
    engine_opts = engine_options(options, bypass=not auto_detect_json)
    compressed, report = compress_messages(messages, model=_model_of(options), options=engine_opts)
    return compressed, report, rebuild


def _as_text(value: Any) -> str:
    return value if isinstance(value, str) else compact_json(value)


def optimize_request(req: OptimizeRequestPayload, *, request_id: str) -> dict[str, Any]:
    """The provider request with its JSON fragments compressed, in the shape it came in."""
    compressed, report, rebuild = _compress_prompt(req.prompt, req.options, req.auto_detect_json)
    result = rebuild(compressed)
    body = _response(
        "optimize.request",
        result,
        _as_text(req.prompt),
        _as_text(result),
        request_id=request_id,
        token_models=req.token_models,
        metadata=req.metadata,
    )
    body["report"] = report.to_dict()
    return body


def optimize_response(req: OptimizeResponsePayload, *, request_id: str) -> dict[str, Any]:
    """The value of the KTOF text in a provider response."""
    value = _decode(req.ktof, req.options)
    return _response(
        "optimize.response",
        value,
        compact_json(value),
        req.ktof,
        request_id=request_id,
        metadata=req.metadata,
    )


def prompts_encode(req: PromptEncodePayload, *, request_id: str) -> dict[str, Any]:
    """``result``: the whole prompt as KTOF; ``messages``: the compressed chat messages."""
    result = _encode(req.prompt, req.options)
    compressed, report, _ = _compress_prompt(req.prompt, req.options, req.auto_detect_json)
    body = _response(
        "prompts.encode",
        result,
        compact_json(req.prompt),
        result,
        request_id=request_id,
        token_models=req.token_models,
        metadata=req.metadata,
    )
    body["messages"] = compressed
    body["report"] = report.to_dict()
    return body


def prompts_decode(req: PromptDecodePayload, *, request_id: str) -> dict[str, Any]:
    """The prompt that ``prompts_encode`` encoded, from its KTOF text (or a stored id)."""
    if req.ktof is None:
        # The local engine stores nothing; the server resolves stored ids before calling this.
        detail = {"payload_id": req.payload_id}
        raise NotFoundError(f"unknown payload_id {req.payload_id!r}", detail)
    value = _decode(req.ktof, req.options)
    return _response(
        "prompts.decode",
        value,
        compact_json(value),
        req.ktof,
        request_id=request_id,
        metadata=req.metadata,
    )


OPERATIONS: dict[str, Callable[..., dict[str, Any]]] = {
    "compress": compress,
    "decompress": decompress,
    "optimize": optimize,
    "optimize_request": optimize_request,
    "optimize_response": optimize_response,
    "prompts_encode": prompts_encode,
    "prompts_decode": prompts_decode,
}
"""Client method name -> operation taking (validated request model, *, request_id)."""
