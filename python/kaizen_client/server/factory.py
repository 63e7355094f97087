"""``create_app(settings=None)``: the FastAPI application of the self-hosted Kaizen API.

Routes are plain Starlette routes (no FastAPI body parsing or validation: the engine does
that, as in local mode), one per operation in ``models.ROUTES`` plus a catch-all so that
unknown paths and wrong methods get the engine's structured 404/405 too. The OpenAPI
document is the repository's ``openapi.json`` (see :mod:`.spec`).

Operations routes outside the API contract: ``/healthz`` (the process is alive), ``/readyz``
(it can serve: Redis answers, when configured; else 503) and ``/metrics`` (Prometheus).
With ``KAIZEN_REDIS_URL`` the payload store, both limiters and the idempotency records live
in Redis (:mod:`.redis_state`); otherwise in this process's memory.
"""

from __future__ import annotations

import logging
import time
import uuid
from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, Any

from fastapi import FastAPI
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route, request_response
from starlette.types import Receive, Scope, Send

from .. import __version__
from ..models import ROUTES
from .gateway import Gateway
from .idempotency import IdempotencyStore, InMemoryIdempotencyStore
from .middleware import RequestContextMiddleware
from .ratelimit import RateLimiter, TokenBucketLimiter
from .responses import error_response, json_response
from .settings import ServerSettings
from .spec import load_spec
from .store import InMemoryPayloadStore, PayloadStore

if TYPE_CHECKING:
    from .metrics import Metrics

logger = logging.getLogger("kaizen_client.server")

FALLBACK_ROUTE = "fallback"


class EveryMethod:
    """ASGI endpoint for the catch-all route: Starlette gives any method to a non-function app,
    so the engine (not the router) answers unknown paths (404) and wrong methods (405)."""

    def __init__(self, handle: Callable[[Request], Awaitable[Response]]) -> None:
        self._app = request_response(handle)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        await self._app(scope, receive, send)


class KaizenAPI(FastAPI):
    """FastAPI whose OpenAPI document is the repository's spec, served as is."""

    def __init__(self, spec: dict[str, Any] | None, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.spec = spec

    def openapi(self) -> dict[str, Any]:
        return self.spec if self.spec is not None else super().openapi()


def create_app(
    settings: ServerSettings | None = None,
    *,
    store: PayloadStore | None = None,
    idempotency: IdempotencyStore | None = None,
    clock: Callable[[], float] = time.monotonic,
) -> KaizenAPI:
    """A ready app; ``settings`` default to the environment (``ServerSettings.from_env``).

    ``store`` replaces the in-memory payload store (e.g. a Redis one) and ``idempotency`` the
    in-memory ``Idempotency-Key`` store (both default on when ``payload_ttl > 0``, with that
    TTL and byte budget each); ``clock`` drives the rate limiter and the default stores, so
    tests can move time without sleeping.
    """
    settings = settings if settings is not None else ServerSettings.from_env()
    _warn_about(settings)
    redis: Any = None
    limiter: RateLimiter | None = None
    auth_failures: RateLimiter | None = None
    if settings.redis_url is not None:
        from . import redis_state  # imported only when configured

        redis = redis_state.connect(settings.redis_url)
        if store is None and settings.payload_ttl > 0:
            store = redis_state.RedisPayloadStore(redis, ttl=settings.payload_ttl)
        if idempotency is None and settings.payload_ttl > 0:
            idempotency = redis_state.RedisIdempotencyStore(redis, ttl=settings.payload_ttl)
        if settings.rate_limit is not None:
            limiter = redis_state.RedisRateLimiter(redis, settings.rate_limit)
        if settings.auth_failure_limit is not None:
            auth_failures = redis_state.RedisRateLimiter(
                redis, settings.auth_failure_limit, namespace="authfail"
            )
        logger.info("shared state in Redis at %s", redis_state.describe(redis))
    else:
        if store is None and settings.payload_ttl > 0:
            store = InMemoryPayloadStore(
                ttl=settings.payload_ttl,
                max_bytes=settings.payload_max_bytes,
                max_entries=settings.payload_max_entries,
                clock=clock,
            )
        if idempotency is None and settings.payload_ttl > 0:
            idempotency = InMemoryIdempotencyStore(
                ttl=settings.payload_ttl, max_bytes=settings.payload_max_bytes, clock=clock
            )
        if settings.rate_limit is not None:
            limiter = TokenBucketLimiter(settings.rate_limit, clock=clock)
        if settings.auth_failure_limit is not None:
            auth_failures = TokenBucketLimiter(settings.auth_failure_limit, clock=clock)
    metrics = _load_metrics()
    gateway = Gateway(
        settings,
        store=store,
        limiter=limiter,
        idempotency=idempotency,
        auth_failures=auth_failures,
        metrics=metrics,
    )

    spec = load_spec()
    info = spec["info"] if spec is not None else {"title": "Kaizen API", "version": __version__}
    app = KaizenAPI(
        spec,
        title=info["title"],
        version=info["version"],
        openapi_url="/openapi.json" if spec is not None else None,
        docs_url=None,
        redoc_url=None,
    )
    for op, (method, path) in ROUTES.items():
        app.add_route(path, gateway.handle, methods=[method], name=op, include_in_schema=False)
    operations = Operations(gateway, metrics, redis)
    for path, endpoint in (
        ("/healthz", operations.healthz),
        ("/readyz", operations.readyz),
        ("/metrics", operations.metrics),
    ):
        app.add_route(path, endpoint, methods=["GET"], include_in_schema=False)
    fallback = EveryMethod(gateway.handle)
    app.router.routes.append(
        Route("/{path:path}", fallback, name=FALLBACK_ROUTE, include_in_schema=False)
    )
    app.add_exception_handler(HTTPException, _http_exception)
    app.add_middleware(RequestContextMiddleware, metrics=metrics)
    app.state.gateway = gateway
    app.state.redis = redis
    app.state.settings = settings
    return app


class Operations:
    """``/healthz``, ``/readyz`` and ``/metrics``: for orchestrators and scrapers, no API key."""

    def __init__(self, gateway: Gateway, metrics: Metrics | None, redis: Any) -> None:
        self._gateway = gateway
        self._metrics = metrics
        self._redis = redis

    async def healthz(self, request: Request) -> Response:
        return json_response(200, {"status": "ok"}, _request_id(request))

    async def readyz(self, request: Request) -> Response:
        if self._redis is None:
            return json_response(200, {"status": "ready", "redis": None}, _request_id(request))
        from .redis_state import ping

        if await ping(self._redis):
            return json_response(200, {"status": "ready", "redis": "ok"}, _request_id(request))
        return error_response(
            503,
            "unavailable",
            "Redis is unreachable",
            _request_id(request),
            headers={"retry-after": "1"},
        )

    async def metrics(self, request: Request) -> Response:
        if self._metrics is None:
            message = "metrics need prometheus-client: pip install 'kaizen-client[server]'"
            return error_response(503, "unavailable", message, _request_id(request))
        store = self._gateway.store
        if isinstance(store, InMemoryPayloadStore):
            self._metrics.store_size(len(store))
        elif self._redis is not None and store is not None:
            from .redis_state import RedisPayloadStore, ping

            if isinstance(store, RedisPayloadStore) and await ping(self._redis):
                self._metrics.redis_payloads(await store.count())
        from .metrics import CONTENT_TYPE

        return Response(self._metrics.render(), media_type=CONTENT_TYPE)


def _load_metrics() -> Metrics | None:
    """The Prometheus metrics, or None (logged) where prometheus-client is not installed."""
    try:
        from .metrics import Metrics
    except ModuleNotFoundError as exc:
        if exc.name != "prometheus_client":
            raise
        logger.warning("prometheus-client is not installed: /metrics answers 503")
        return None
    return Metrics()


def _request_id(request: Request) -> str:
    return str(getattr(request.state, "request_id", None) or uuid.uuid4().hex)


async def _http_exception(request: Request, exc: Exception) -> Response:
    """Starlette's own HTTP errors (should the router raise one) in the API's error shape."""
    status = exc.status_code if isinstance(exc, HTTPException) else 500
    request_id = getattr(request.state, "request_id", None) or uuid.uuid4().hex
    headers = exc.headers if isinstance(exc, HTTPException) else None
    code = {404: "not_found", 405: "method_not_allowed"}.get(status, "http_error")
    message = str(getattr(exc, "detail", "error"))
    return error_response(status, code, message, request_id, headers=headers)


def _warn_about(settings: ServerSettings) -> None:
    if not settings.auth_enabled:
        logger.warning(
            "ANONYMOUS MODE (KAIZEN_ALLOW_ANONYMOUS=1): no API key is configured and this "
            "server accepts every request from anyone who can reach it"
        )
    if settings.fail_first:
        logger.warning(
            "KAIZEN_TEST_FAIL_FIRST is set (test only): first request to %s answers 503",
            ", ".join(sorted(settings.fail_first)),
        )
