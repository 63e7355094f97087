"""Everything the sync and async clients share, written once and free of I/O.

A call is a generator (``_flow``) that yields *steps* — "send this request", "sleep this
long" — and receives their results. The generator owns request building, headers, retries,
logging, error mapping and response parsing; ``KaizenSyncClient`` and ``KaizenClient`` only
drive it, one with blocking calls and one with ``await``. So the twins cannot drift apart.
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
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
    logger,
    redact_header_pairs,
    redact_headers,
    redact_text,
    redact_value,
    register_secret,
)
from ._retry import RetryPolicy, is_retryable_exception, is_retryable_status, parse_retry_after
from ._transports import LocalEngineTransport
from .config import DEFAULT_BASE_URL, LOCAL, KaizenClientConfig
from .errors import (
    KaizenAPIError,
    KaizenRateLimitError,
    KaizenRequestError,
    KaizenTimeoutError,
    api_error_class,
)
from .idempotency import IDEMPOTENCY_HEADER, new_idempotency_key
from .models import ROUTES, construct_lenient

ResponseT = TypeVar("ResponseT", bound=BaseModel)
HttpxClientT = TypeVar("HttpxClientT", httpx.Client, httpx.AsyncClient)

#: What every operation method accepts as its body.
Payload = BaseModel | Mapping[str, Any]


@dataclass(frozen=True, slots=True)
class Send:
    """Step: send ``request``; the flow receives the ``httpx.Response`` (or the exception).

    ``deadline`` (on the client's ``clock``) is when the whole call must be over: the driver
    reads the body chunk by chunk and stops with :class:`DeadlineExceeded` once it has passed,
    so a server dripping its body cannot outlive it.
    """

    request: httpx.Request
    deadline: float | None = None


class DeadlineExceeded(httpx.TimeoutException):
    """Raised by a driver when a call's ``total_timeout`` ran out in the middle of a response."""


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
        client_supplied: bool = False,
    ) -> None:
        if config is None:
            config = KaizenClientConfig()
            if client_supplied and config.mode == "local" and not _env_says_local():
                # As in 0.1.4, a client passed without a config talks to the hosted API: the
                # local engine would not go through the caller's client at all.
                config.base_url = DEFAULT_BASE_URL
        self._config = config
        cfg = self._config
        register_secret(cfg.api_key)
        # Local failures are deterministic (the same engine gives the same answer), so
        # retrying them would only add sleeps.
        self._policy = RetryPolicy(
            max_retries=cfg.max_retries if cfg.mode == "remote" else 0,
            initial_delay=cfg.backoff_base,
            max_delay=cfg.backoff_max,
            max_retry_after=cfg.retry_after_max,
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

    def _headers(
        self, request_id: str, *, has_body: bool, idempotency_key: str | None
    ) -> dict[str, str]:
        headers = {"Accept": "application/json", "User-Agent": self._user_agent}
        if has_body:
            headers["Content-Type"] = "application/json"
        for name, value in self._config.default_headers.items():
            if name.lower() not in ("x-request-id", "idempotency-key"):
                headers[name] = value
        if idempotency_key is not None:
            headers[IDEMPOTENCY_HEADER] = idempotency_key
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
        self,
        operation: str,
        payload: Payload | None,
        request_id: str,
        idempotency_key: str | None = None,
    ) -> httpx.Request:
        method, path = ROUTES[operation]
        body = self._body(operation, payload) if method != "GET" else None
        url = f"{self._config.endpoint}/{path.lstrip('/')}"
        key: str | None = None
        if method == "POST":
            # One key per logical call, built once here, so every retry repeats it.
            key = idempotency_key if idempotency_key else new_idempotency_key()
        headers = self._headers(request_id, has_body=body is not None, idempotency_key=key)
        return self._client.build_request(method, url, content=body, headers=headers)

    # ------------------------------------------------------------------ the call itself
    def _flow(
        self,
        operation: str,
        response_model: type[ResponseT],
        payload: Payload | None,
        request_id: str | None,
        idempotency_key: str | None = None,
        total_timeout: float | None = None,
    ) -> Flow[ResponseT]:
        """One API call: attempts, retries and parsing, with I/O left to the driver.

        ``total_timeout`` (or the config's) bounds the whole call, backoff sleeps included:
        no attempt starts, and no sleep is begun, that would end after the deadline.
        """
        rid = self._request_id(request_id)
        request = self._build_request(operation, payload, rid, idempotency_key)
        method, path, mode = request.method, request.url.path, self.mode
        budget = total_timeout if total_timeout is not None else self._config.total_timeout
        if budget is not None and not budget > 0:
            raise ValueError(f"total_timeout must be > 0 seconds, got {budget!r}")
        deadline = self._clock() + budget if budget is not None else None
        attempts = self._policy.max_retries + 1
        for attempt in range(attempts):
            if deadline is not None:
                self._cap_timeouts(request, deadline - self._clock())
            log_request(method=method, path=path, request_id=rid, mode=mode, attempt=attempt + 1)
            started = self._clock()
            try:
                response = yield Send(request, deadline)
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
                if deadline is not None and self._clock() >= deadline:
                    raise self._deadline_error(budget, rid, attempt + 1) from None
                if attempt + 1 < attempts and is_retryable_exception(exc):
                    delay = self._policy.backoff(attempt, self._random)
                    if self._fits(deadline, delay):
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
            if attempt + 1 < attempts and is_retryable_status(status, response.headers):
                hint = parse_retry_after(response.headers, self._now())
                decision = self._policy.decide(attempt, hint, self._random)
                if decision.action == "retry" and self._fits(deadline, decision.delay):
                    log_retry(
                        method=method,
                        path=path,
                        request_id=rid,
                        delay=decision.delay,
                        reason=f"HTTP {status}",
                    )
                    yield Sleep(decision.delay)
                    continue
            return self._parse_response(operation, response_model, response, rid)
        raise AssertionError("unreachable: the last attempt always returns or raises")

    def _fits(self, deadline: float | None, delay: float) -> bool:
        """Whether sleeping ``delay`` still leaves time before ``deadline`` for another try."""
        return deadline is None or self._clock() + delay < deadline

    def _cap_timeouts(self, request: httpx.Request, remaining: float) -> None:
        """No single connect/read/write/pool wait may outlast the call's deadline."""
        remaining = max(remaining, 0.001)
        current = request.extensions.get("timeout") or {}
        capped = {
            phase: remaining if current.get(phase) is None else min(current[phase], remaining)
            for phase in ("connect", "read", "write", "pool")
        }
        request.extensions = {**request.extensions, "timeout": capped}

    def _deadline_error(
        self, budget: float | None, request_id: str, attempts: int
    ) -> KaizenTimeoutError:
        tries = f" after {attempts} attempts" if attempts > 1 else ""
        return KaizenTimeoutError(
            f"Kaizen call did not finish within total_timeout={budget}s{tries}",
            DeadlineExceeded("total_timeout exceeded"),
            request_id=request_id,
        )

    # ------------------------------------------------------------------ responses and errors
    def _parse_response(
        self,
        operation: str,
        response_model: type[ResponseT],
        response: httpx.Response,
        request_id: str,
    ) -> ResponseT:
        rid = response.headers.get("x-request-id") or request_id
        data: Any = _NOT_JSON
        # Raised below, outside the except block: the decoder's error holds the whole body.
        with contextlib.suppress(ValueError):
            data = response.json()
        if data is _NOT_JSON:
            if not response.is_success:
                raise self._api_error(response, response.text, rid)
            raise self._malformed(response, rid)
        if not response.is_success:
            raise self._api_error(response, data, rid)
        if not isinstance(data, dict):
            raise self._scrubbed(
                KaizenAPIError(
                    response.status_code,
                    data,
                    response.headers,
                    code="invalid_response",
                    message=(
                        f"Kaizen API response to {operation} is JSON but not an object "
                        f"(a {type(data).__name__})"
                    ),
                    request_id=rid,
                )
            )
        try:
            model = response_model.model_validate(data)
        except ValidationError as exc:
            # As openai-python does: a well-formed object is never rejected for its shape (a
            # renamed field upstream must not break every call). Keep what the server sent,
            # typed where it fits, and say so at DEBUG - locations and messages only, never
            # the input values (a server may echo a key).
            model = construct_lenient(response_model, data)
            if logger.isEnabledFor(logging.DEBUG):
                logger.debug(
                    "kaizen response to %s does not match %s (%d error(s): %s); kept as sent "
                    "request_id=%s",
                    operation,
                    response_model.__name__,
                    exc.error_count(),
                    redact_text(_error_summary(exc), [self._config.api_key]),
                    rid,
                )
        _attach_request_id(model, rid)
        return model

    def _api_error(self, response: httpx.Response, payload: Any, request_id: str) -> KaizenAPIError:
        status = response.status_code
        cls = api_error_class(status)
        err: KaizenAPIError
        hint = parse_retry_after(response.headers, self._now())
        retry_after = max(0.0, hint) if hint is not None else None
        if cls is KaizenRateLimitError:
            err = KaizenRateLimitError(status, payload, response.headers, retry_after=retry_after)
        else:
            err = cls(status, payload, response.headers)
            err.retry_after = retry_after
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
        err.args = (err.status_code, err.payload)  # Exception.args is printed and pickled too
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
        # Timeouts get their own subclass: callers may catch them apart from refusals.
        cls = KaizenTimeoutError if isinstance(exc, httpx.TimeoutException) else KaizenRequestError
        return cls(f"Failed to reach {where}{tries} ({detail})", exc, request_id=request_id)


#: Marks a body that did not parse (``None`` is a valid JSON body).
_NOT_JSON: Any = object()


def _env_says_local() -> bool:
    return os.environ.get("KAIZEN_BASE_URL", "").strip().lower() == LOCAL


def _error_summary(exc: ValidationError, limit: int = 3) -> str:
    """``loc: msg`` of the first few errors; pydantic's own text would include input values."""
    parts = []
    for error in exc.errors(include_input=False, include_url=False)[:limit]:
        where = ".".join(str(p) for p in error["loc"]) or "(root)"
        parts.append(f"{where}: {error['msg']}")
    return "; ".join(parts)


def _attach_request_id(model: BaseModel, request_id: str) -> None:
    """Expose ``model.request_id`` whether or not the response model declares the field."""
    if "request_id" in type(model).model_fields:
        if getattr(model, "request_id", None) is None:
            object.__setattr__(model, "request_id", request_id)
        return
    # Not a field: store it beside the fields, where attribute access finds it but
    # model_dump / equality (which look only at declared fields) do not.
    object.__setattr__(model, "request_id", request_id)


__all__ = ["BaseKaizenClient", "DeadlineExceeded", "Flow", "Payload", "Send", "Sleep", "Step"]
