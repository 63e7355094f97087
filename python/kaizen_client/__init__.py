"""Kaizen: lossless prompt-token compression for structured data.

Public names are loaded on first use (PEP 562), so ``import kaizen_client.ktof`` on a hot
path does not pay for httpx, pydantic models or the API clients; the server stack
(FastAPI) is never imported from here.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from ._version import __version__

if TYPE_CHECKING:
    from .client import KaizenClient, KaizenSyncClient
    from .config import DEFAULT_BASE_URL, KaizenClientConfig
    from .decorators import with_kaizen_client
    from .errors import (
        KaizenAPIError,
        KaizenAuthError,
        KaizenError,
        KaizenNotFoundError,
        KaizenPayloadTooLargeError,
        KaizenRateLimitError,
        KaizenRequestError,
        KaizenServerError,
        KaizenTimeoutError,
        KaizenValidationError,
    )
    from .models import (
        DecodeOptions,
        DecodeRequest,
        EncodeOptions,
        EncodeRequest,
        OptimizeRequestPayload,
        OptimizeResponsePayload,
        PromptDecodePayload,
        PromptEncodePayload,
    )

_LAZY: dict[str, str] = {
    "KaizenClient": ".client",
    "KaizenSyncClient": ".client",
    "KaizenClientConfig": ".config",
    "DEFAULT_BASE_URL": ".config",
    "with_kaizen_client": ".decorators",
    "KaizenError": ".errors",
    "KaizenAPIError": ".errors",
    "KaizenRequestError": ".errors",
    "KaizenValidationError": ".errors",
    "KaizenAuthError": ".errors",
    "KaizenNotFoundError": ".errors",
    "KaizenPayloadTooLargeError": ".errors",
    "KaizenRateLimitError": ".errors",
    "KaizenServerError": ".errors",
    "KaizenTimeoutError": ".errors",
    "EncodeOptions": ".models",
    "DecodeOptions": ".models",
    "EncodeRequest": ".models",
    "DecodeRequest": ".models",
    "PromptEncodePayload": ".models",
    "PromptDecodePayload": ".models",
    "OptimizeRequestPayload": ".models",
    "OptimizeResponsePayload": ".models",
}


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'kaizen_client' has no attribute {name!r}")
    value = getattr(importlib.import_module(module, __name__), name)
    globals()[name] = value  # later look-ups skip this function
    return value


def __dir__() -> list[str]:
    return sorted([*globals(), *_LAZY])


__all__ = [
    "DEFAULT_BASE_URL",
    "DecodeOptions",
    "DecodeRequest",
    "EncodeOptions",
    "EncodeRequest",
    "KaizenAPIError",
    "KaizenAuthError",
    "KaizenClient",
    "KaizenClientConfig",
    "KaizenError",
    "KaizenNotFoundError",
    "KaizenPayloadTooLargeError",
    "KaizenRateLimitError",
    "KaizenRequestError",
    "KaizenServerError",
    "KaizenSyncClient",
    "KaizenTimeoutError",
    "KaizenValidationError",
    "OptimizeRequestPayload",
    "OptimizeResponsePayload",
    "PromptDecodePayload",
    "PromptEncodePayload",
    "__version__",
    "with_kaizen_client",
]
