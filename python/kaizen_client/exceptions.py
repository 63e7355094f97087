"""0.1.4 module name for the SDK's exceptions; they now live in :mod:`kaizen_client.errors`."""

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

__all__ = [
    "KaizenAPIError",
    "KaizenAuthError",
    "KaizenError",
    "KaizenNotFoundError",
    "KaizenPayloadTooLargeError",
    "KaizenRateLimitError",
    "KaizenRequestError",
    "KaizenServerError",
    "KaizenTimeoutError",
    "KaizenValidationError",
]
