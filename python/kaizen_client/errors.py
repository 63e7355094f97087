"""Exceptions raised by the Kaizen clients, one class per thing a caller may want to catch.

``KaizenRequestError`` means the API was never heard from (DNS, TLS, timeouts, refused
connections); ``KaizenAPIError`` and its subclasses mean the API answered with an error, or
with something that is not the JSON it promised. Both keep the 0.1.4 constructor signatures
and attributes so code written against 0.1.4 keeps working.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any


class KaizenError(Exception):
    """Base class of every error the SDK raises on purpose."""


class KaizenRequestError(KaizenError):
    """The request failed before an HTTP response arrived; ``original`` is the cause."""

    def __init__(
        self,
        message: str,
        original: BaseException | None = None,
        *,
        request_id: str | None = None,
    ) -> None:
        super().__init__(message, original)
        self.message = message
        self.original = original
        self.request_id = request_id

    def __str__(self) -> str:
        return self.message

    def __repr__(self) -> str:
        # The original's type only: its text is ours to redact (in ``message``), not its own.
        original = type(self.original).__name__ if self.original is not None else None
        return (
            f"{type(self).__name__}(message={self.message!r}, original={original}, "
            f"request_id={self.request_id!r})"
        )

    def __reduce__(self) -> tuple[Any, ...]:
        return (_rebuild_request_error, (type(self), self.message, self.original, self.request_id))


class KaizenTimeoutError(KaizenRequestError):
    """No complete answer in time: a per-read timeout, or the call's overall ``total_timeout``
    (which includes every retry and every backoff sleep) ran out."""


class KaizenAPIError(KaizenError):
    """The API answered with an error status (or an unreadable body).

    ``payload`` is the parsed JSON body (or the raw text when it was not JSON), ``code`` and
    ``message`` come from the API's ``{"error": {...}}`` envelope when present.
    ``retry_after`` is the server's ``retry-after(-ms)`` hint in seconds, when it sent one.
    """

    retry_after: float | None = None

    def __init__(
        self,
        status_code: int,
        payload: Any = None,
        headers: Mapping[str, str] | None = None,
        *,
        code: str | None = None,
        message: str | None = None,
        request_id: str | None = None,
    ) -> None:
        super().__init__(status_code, payload)
        self.status_code = status_code
        self.payload = payload
        self.headers: Mapping[str, str] = headers if headers is not None else {}
        error = _error_envelope(payload)
        self.code = code if code is not None else _str_or_none(error.get("code"))
        self.message = message if message is not None else _default_message(payload, error)
        self.request_id = (
            request_id
            if request_id is not None
            else _str_or_none(error.get("request_id")) or _header(self.headers, "x-request-id")
        )

    @property
    def detail(self) -> Any:
        """The ``detail`` member of the error envelope (field errors, line numbers, ...)."""
        return _error_envelope(self.payload).get("detail")

    def __str__(self) -> str:
        code = f" {self.code}" if self.code else ""
        rid = f" [request_id={self.request_id}]" if self.request_id else ""
        return f"Kaizen API error ({self.status_code}{code}): {self.message}{rid}"

    def __repr__(self) -> str:
        # Headers are left out on purpose: they are the one place a secret could hide.
        return (
            f"{type(self).__name__}(status_code={self.status_code!r}, code={self.code!r}, "
            f"message={self.message!r}, request_id={self.request_id!r})"
        )

    def __reduce__(self) -> tuple[Any, ...]:
        return (_rebuild_api_error, (type(self), self.__dict__.copy()))


class KaizenValidationError(KaizenAPIError):
    """400 / 422: the request body was rejected; ``detail`` says which part."""


class KaizenAuthError(KaizenAPIError):
    """401 / 403: missing, wrong or insufficient API key."""


class KaizenNotFoundError(KaizenAPIError):
    """404 / 410: unknown route or payload id; ``expired`` is True for 410 (it existed once)."""

    @property
    def expired(self) -> bool:
        return self.status_code == 410


class KaizenPayloadTooLargeError(KaizenAPIError):
    """413: the body is over the server's size limit."""


class KaizenRateLimitError(KaizenAPIError):
    """429: slow down; ``retry_after`` is the server's hint in seconds, if it gave one."""

    def __init__(
        self,
        status_code: int,
        payload: Any = None,
        headers: Mapping[str, str] | None = None,
        *,
        code: str | None = None,
        message: str | None = None,
        request_id: str | None = None,
        retry_after: float | None = None,
    ) -> None:
        super().__init__(
            status_code, payload, headers, code=code, message=message, request_id=request_id
        )
        self.retry_after = retry_after


class KaizenServerError(KaizenAPIError):
    """5xx: the server failed; retried automatically before this is raised."""


def api_error_class(status_code: int) -> type[KaizenAPIError]:
    """The most specific ``KaizenAPIError`` subclass for an HTTP status."""
    if status_code in (400, 422):
        return KaizenValidationError
    if status_code in (401, 403):
        return KaizenAuthError
    if status_code in (404, 410):
        return KaizenNotFoundError
    if status_code == 413:
        return KaizenPayloadTooLargeError
    if status_code == 429:
        return KaizenRateLimitError
    if 500 <= status_code < 600:
        return KaizenServerError
    return KaizenAPIError


def _rebuild_request_error(
    cls: type[KaizenRequestError],
    message: str,
    original: BaseException | None,
    request_id: str | None,
) -> KaizenRequestError:
    return cls(message, original, request_id=request_id)


def _rebuild_api_error(cls: type[KaizenAPIError], state: dict[str, Any]) -> KaizenAPIError:
    err = cls.__new__(cls)
    Exception.__init__(err, state.get("status_code"), state.get("payload"))
    err.__dict__.update(state)
    return err


def _error_envelope(payload: Any) -> Mapping[str, Any]:
    if isinstance(payload, Mapping):
        error = payload.get("error")
        if isinstance(error, Mapping):
            return error
    return {}


def _default_message(payload: Any, error: Mapping[str, Any]) -> str:
    if isinstance(error.get("message"), str):
        return str(error["message"])
    if isinstance(payload, Mapping) and "detail" in payload:  # a bare FastAPI error body
        return str(payload["detail"])
    if isinstance(payload, str):
        return payload[:200] or "(empty body)"
    return repr(payload)


def _str_or_none(value: Any) -> str | None:
    return value if isinstance(value, str) and value else None


def _header(headers: Mapping[str, str], name: str) -> str | None:
    getter = getattr(headers, "get", None)
    if getter is None:
        return None
    value = getter(name)
    if value is None and not hasattr(headers, "multi_items"):  # plain dict: case-insensitive
        value = next((v for k, v in headers.items() if k.lower() == name), None)
    return value if isinstance(value, str) and value else None


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
    "api_error_class",
]
