"""Everything the sync and async clients share, written once and free of I/O.

A call is a generator (``_flow``) that yields *steps* — "send this request", "sleep this
long" — and receives their results. The generator owns request building, headers, retries,
logging, error mapping and response parsing; ``KaizenSyncClient`` and ``KaizenClient`` only
drive it, one with blocking calls and one with ``await``. So the twins cannot drift apart.
"""

from __future__ import annotations

import json
import random as _random
import sys
import time
import uuid
from collections.abc import Callable, Generator, Mapping
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

import httpx
from pydantic import BaseModel, ValidationError
from pydantic_core import to_jsonable_python

from ._logging import (
    log_request,
    log_response,
    log_retry,
    redact_header_pairs,
    redact_headers,
    redact_text,
    redact_value,
)
from ._retry import RetryPolicy, is_retryable_exception, is_retryable_status, parse_retry_after
from ._transports import LocalEngineTransport
from .config import KaizenClientConfig
from .errors import KaizenAPIError, KaizenRateLimitError, KaizenRequestError, api_error_class
from .models import ROUTES

ResponseT = TypeVar("ResponseT", bound=BaseModel)
HttpxClientT = TypeVar("HttpxClientT", httpx.Client, httpx.AsyncClient)

#: What every operation method accepts as its body.
Payload = BaseModel | Mapping[str, Any]


@dataclass(frozen=True, slots=True)
class Send:
    """Step: send ``request``; the flow receives the ``httpx.Response`` (or the exception)."""

    request: httpx.Request


@dataclass(frozen=True, slots=True)
class Sleep:
    """Step: wait ``seconds`` before the next attempt."""

    seconds: float


Step = Send | Sleep
Flow = Generator[Step, httpx.Response | None, ResponseT]


class BaseKaizenClient(Generic[HttpxClientT]):
    """Shared state and logic; subclasses add the httpx client and the I/O driver."""

    _client: HttpxClientT
    _owns_client: bool

    def __init__(
        self,
        config: KaizenClientConfig | None,
        *,
        random: Callable[[], float] | None = None,
        now: Callable[[], float] | None = None,
        clock: Callable[[], float] | None = None,
    ) -> None:
        self._config = config if config is not None else KaizenClientConfig()
        cfg = self._config
        # Local failures are deterministic (the same engine gives the same answer), so
        # retrying them would only add sleeps.
        self._policy = RetryPolicy(
            max_retries=cfg.max_retries if cfg.mode == "remote" else 0,
            backoff_base=cfg.backoff_base,
            backoff_max=cfg.backoff_max,
            retry_after_max=cfg.retry_after_max,
        )
        self._random = random if random is not None else _random.random
        self._now = now if now is not None else time.time
        self._clock = clock if clock is not None else time.perf_counter
        from . import __version__

        py = f"{sys.version_info.major}.{sys.version_info.minor}"
        self._user_agent = f"kaizen-client/{__version__} (python {py}; {cfg.mode})"

    # ------------------------------------------------------------------ public state
    @property
    def config(self) -> KaizenClientConfig:
        return self._config

    @property
    def mode(self) -> str:
        """``"local"`` (in-process engine) or ``"remote"`` (HTTP to ``config.base_url``)."""
        return self._config.mode

    def __repr__(self) -> str:
        key = "'***'" if self._config.api_key else "None"
        return (
            f"{type(self).__name__}(mode={self.mode!r}, base_url={self._config.base_url!r}, "
            f"api_key={key})"
        )

    # ------------------------------------------------------------------ httpx client setup
    def _httpx_options(self, transport: Any) -> dict[str, Any]:
        """Keyword arguments for the ``httpx.(Async)Client`` this SDK creates."""
        cfg = self._config
        options: dict[str, Any] = {
            "base_url": cfg.endpoint,
            "timeout": cfg.httpx_timeout(),
            "limits": cfg.httpx_limits(),
        }
        if transport is not None:
            options["transport"] = transport
        elif cfg.mode == "local":
            options["transport"] = LocalEngineTransport()
        else:
            options["verify"] = cfg.httpx_verify()
            if cfg.proxy:
                options["proxy"] = cfg.proxy
        return options

    # ------------------------------------------------------------------ request building
    def _request_id(self, explicit: str | None) -> str:
        if explicit:
            return explicit
        for name, value in self._config.default_headers.items():
            if name.lower() == "x-request-id" and value:
                return value
        return uuid.uuid4().hex

    def _headers(self, request_id: str, *, has_body: bool) -> dict[str, str]:
        headers = {"Accept": "application/json", "User-Agent": self._user_agent}
        if has_body:
            headers["Content-Type"] = "application/json"
        for name, value in self._config.default_headers.items():
            if name.lower() != "x-request-id":
                headers[name] = value
        if self._config.api_key:
            # One documented scheme, the one 0.1.4 used: ``x-api-key``. No Authorization
            # header is added; callers who need Bearer put it in default_headers (it is
            # redacted like the key).
            headers["x-api-key"] = self._config.api_key
        headers["X-Request-ID"] = request_id
        return headers

    @staticmethod
    def _body(operation: str, payload: Payload | None) -> bytes | None:
        """JSON bytes for ``payload``; dicts are sent as given and the server validates them.

        Validation is left to the server (or local engine) so that bad input fails the same
        way in both modes, with the server's field errors. Values JSON cannot hold (NaN,
        arbitrary objects) raise ``ValueError``/``TypeError`` here, before any I/O.
        """
        if payload is None:
            return None
        if isinstance(payload, BaseModel):
            data: Any = payload.model_dump(mode="json", by_alias=True, exclude_unset=True)
        elif isinstance(payload, Mapping):
            data = to_jsonable_python(dict(payload), by_alias=True)
        else:
            raise TypeError(
                f"{operation}() takes a request model or a mapping, not {type(payload).__name__}"
            )
        return json.dumps(data, ensure_ascii=False, allow_nan=False, separators=(",", ":")).encode()

    def _build_request(
        self, operation: str, payload: Payload | None, request_id: str
    ) -> httpx.Request:
        method, path = ROUTES[operation]
        body = self._body(operation, payload) if method != "GET" else None
        url = f"{self._config.endpoint}/{path.lstrip('/')}"
        headers = self._headers(request_id, has_body=body is not None)
        return self._client.build_request(method, url, content=body, headers=headers)

    # ------------------------------------------------------------------ the call itself
    def _flow(
        self,
        operation: str,
        response_model: type[ResponseT],
        payload: Payload | None,
        request_id: str | None,
    ) -> Flow[ResponseT]:
        """One API call: attempts, retries and parsing, with I/O left to the driver."""
        rid = self._request_id(request_id)
        request = self._build_request(operation, payload, rid)
        method, path, mode = request.method, request.url.path, self.mode
        attempts = self._policy.max_retries + 1
        for attempt in range(attempts):
            log_request(method=method, path=path, request_id=rid, mode=mode, attempt=attempt + 1)
            started = self._clock()
            try:
                response = yield Send(request)
            except httpx.HTTPError as exc:
                ms = (self._clock() - started) * 1000
                log_response(
                    method=method,
                    path=path,
                    status=type(exc).__name__,
                    ms=ms,
                    request_id=rid,
                    mode=mode,
                )
                if attempt + 1 < attempts and is_retryable_exception(exc):
                    delay = self._policy.delay(attempt, None, self._random)
                    log_retry(
                        method=method,
                        path=path,
                        request_id=rid,
                        delay=delay,
                        reason=type(exc).__name__,
                    )
                    yield Sleep(delay)
                    continue
                raise self._request_error(exc, rid, attempt + 1) from exc
            assert response is not None
            ms = (self._clock() - started) * 1000
            log_response(
                method=method,
                path=path,
                status=response.status_code,
                ms=ms,
                request_id=rid,
                mode=mode,
            )
            status = response.status_code
            if attempt + 1 < attempts and is_retryable_status(status):
                retry_after = parse_retry_after(response.headers.get("retry-after"), self._now())
                delay = self._policy.delay(attempt, retry_after, self._random)
                log_retry(
                    method=method, path=path, request_id=rid, delay=delay, reason=f"HTTP {status}"
                )
                yield Sleep(delay)
                continue
            return self._parse_response(operation, response_model, response, rid)
        raise AssertionError("unreachable: the last attempt always returns or raises")

    # ------------------------------------------------------------------ responses and errors
    def _parse_response(
        self,
        operation: str,
        response_model: type[ResponseT],
        response: httpx.Response,
        request_id: str,
    ) -> ResponseT:
        rid = response.headers.get("x-request-id") or request_id
        try:
            data: Any = response.json()
        except ValueError:
            if not response.is_success:
                raise self._api_error(response, response.text, rid) from None
            raise self._malformed(response, rid) from None
        if not response.is_success:
            raise self._api_error(response, data, rid)
        try:
            model = response_model.model_validate(data)
        except ValidationError as exc:
            errors = exc.errors()
            loc = errors[0]["loc"] if errors else ()
            what = errors[0]["msg"] if errors else "?"
            where = ".".join(str(p) for p in loc) or "(root)"
            raise self._scrubbed(
                KaizenAPIError(
                    response.status_code,
                    data,
                    response.headers,
                    code="invalid_response",
                    message=(
                        f"Kaizen API response to {operation} does not match the expected schema "
                        f"({exc.error_count()} error(s); first at {where}: {what})"
                    ),
                    request_id=rid,
                )
            ) from exc
        _attach_request_id(model, rid)
        return model

    def _api_error(self, response: httpx.Response, payload: Any, request_id: str) -> KaizenAPIError:
        status = response.status_code
        cls = api_error_class(status)
        err: KaizenAPIError
        if cls is KaizenRateLimitError:
            retry_after = parse_retry_after(response.headers.get("retry-after"), self._now())
            err = KaizenRateLimitError(status, payload, response.headers, retry_after=retry_after)
        else:
            err = cls(status, payload, response.headers)
        if err.request_id is None:
            err.request_id = request_id
        return self._scrubbed(err)

    def _malformed(self, response: httpx.Response, request_id: str) -> KaizenAPIError:
        snippet = response.text[:200]
        ctype = response.headers.get("content-type", "no content-type")
        return self._scrubbed(
            KaizenAPIError(
                response.status_code,
                response.text,
                response.headers,
                code="malformed_response",
                message=(
                    f"Kaizen API returned HTTP {response.status_code} with a body that is not "
                    f"valid JSON ({ctype}): {snippet!r}"
                ),
                request_id=request_id,
            )
        )

    def _scrubbed(self, err: KaizenAPIError) -> KaizenAPIError:
        """``err`` with the API key removed wherever a server might have echoed it."""
        secrets = [self._config.api_key]
        err.message = redact_text(err.message, secrets)
        err.payload = redact_value(err.payload, secrets)
        if isinstance(err.headers, httpx.Headers):  # keeps repeated headers apart
            err.headers = httpx.Headers(redact_header_pairs(err.headers.multi_items(), secrets))
        else:
            err.headers = redact_headers(err.headers, secrets)
        return err

    def _request_error(
        self, exc: httpx.HTTPError, request_id: str, attempts: int
    ) -> KaizenRequestError:
        tries = f" after {attempts} attempts" if attempts > 1 else ""
        detail = redact_text(f"{type(exc).__name__}: {exc}", [self._config.api_key])
        where = (
            "the local Kaizen engine"
            if self.mode == "local"
            else f"Kaizen API at {self._config.endpoint}"
        )
        return KaizenRequestError(
            f"Failed to reach {where}{tries} ({detail})", exc, request_id=request_id
        )


def _attach_request_id(model: BaseModel, request_id: str) -> None:
    """Expose ``model.request_id`` whether or not the response model declares the field."""
    if "request_id" in type(model).model_fields:
        if getattr(model, "request_id", None) is None:
            object.__setattr__(model, "request_id", request_id)
        return
    # Not a field: store it beside the fields, where attribute access finds it but
    # model_dump / equality (which look only at declared fields) do not.
    object.__setattr__(model, "request_id", request_id)


__all__ = ["BaseKaizenClient", "Flow", "Payload", "Send", "Sleep", "Step"]
