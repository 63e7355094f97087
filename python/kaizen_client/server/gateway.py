"""One request, start to finish: the server's checks around ``service.handle_request``.

The engine already routes, validates, runs and maps its failures to statuses (that is what
local mode runs too); the gateway adds only what a server owes a network caller, in order:

0. more than ``max_concurrency`` requests in the app -> 503 ``overloaded`` + ``Retry-After``
1. auth (every path but ``/``)            -> 401 ``unauthorized``; a client address with too
   many failed attempts                   -> 429 ``too_many_auth_failures`` + ``Retry-After``
   (a locked-out address is refused even with the right key: a right guess looks wrong)
2. per-principal rate limit               -> 429 ``rate_limited`` + ``Retry-After``
3. a POST whose ``Content-Type`` is set and is not JSON -> 415 ``unsupported_media_type``
4. body size cap, before reading it all   -> 413 ``payload_too_large``; a body not finished
   within ``body_timeout``                -> 408 ``request_timeout`` (connection closed)
4b. test-only fault injection             -> 503 ``unavailable``
5. ``prompts.decode`` by ``payload_id``: the stored KTOF is put into the body as ``ktof``
   (expired -> 410 ``gone``; unknown ids go on to the engine, which answers 404)
6. the engine; then ``prompts.encode`` results are stored (``payload_id`` added) and
   ``health`` says ``mode: "server"``.

A POST with an ``Idempotency-Key`` runs steps 5-6 once per key and principal: a repeat gets
the first 200 answer (``Idempotent-Replayed: true``), see :mod:`.idempotency`.

Shared state that cannot be reached (Redis down) -> 503 ``unavailable`` + ``Retry-After``:
never a 500, and never a request let through unchecked.

Large bodies run the engine on a worker thread so one big encode does not stall the loop.
"""

from __future__ import annotations

import json
import logging
import time
import uuid
from typing import TYPE_CHECKING, Any

import anyio.to_thread
from pydantic import ValidationError
from starlette.requests import ClientDisconnect, Request
from starlette.responses import Response

from .._transports import DEFAULT_THREAD_THRESHOLD
from ..idempotency import REPLAYED_HEADER, StoredResult, fingerprint, valid_key
from ..models import ROUTES, PromptDecodePayload
from ..service.routing import handle_request, normalize_path
from .auth import ANONYMOUS, Authenticator
from .body import BodyTooLarge, read_body
from .faults import FirstRequestFaults
from .idempotency import IdempotencyStore
from .ratelimit import RateLimiter
from .responses import JSON, error_response, json_response
from .settings import ServerSettings
from .state import StateUnavailable
from .store import PayloadStore

if TYPE_CHECKING:
    from .metrics import Metrics

logger = logging.getLogger("kaizen_client.server")

_OPERATIONS = {path: op for op, (_, path) in ROUTES.items()}
HEALTH_PATH = ROUTES["health"][1]
PROMPTS_ENCODE = "prompts_encode"
PROMPTS_DECODE = "prompts_decode"


class Gateway:
    """Holds the per-process state (buckets, store, faults) and answers each request."""

    def __init__(
        self,
        settings: ServerSettings,
        *,
        store: PayloadStore | None,
        limiter: RateLimiter | None,
        thread_threshold: int = DEFAULT_THREAD_THRESHOLD,
        idempotency: IdempotencyStore | None = None,
        auth_failures: RateLimiter | None = None,
        metrics: Metrics | None = None,
    ) -> None:
        self.settings = settings
        self.auth = Authenticator(settings.api_keys)
        self.limiter = limiter
        self.auth_failures = auth_failures
        self.metrics = metrics
        self.in_flight = 0
        self._quiet_until = 0.0
        self.store = store
        self.faults = FirstRequestFaults(settings.fail_first)
        self.thread_threshold = thread_threshold
        self.idempotency = idempotency

    async def handle(self, request: Request) -> Response:
        """The endpoint of every route."""
        state = request.scope.setdefault("state", {})
        request_id: str = state.get("request_id") or uuid.uuid4().hex
        if self.in_flight >= self.settings.max_concurrency:
            return error_response(
                503,
                "overloaded",
                "the server is at its concurrency limit; retry shortly",
                request_id,
                {"max_concurrency": self.settings.max_concurrency},
                headers={"retry-after": "1"},
            )
        self.in_flight += 1
        try:
            return await self._handle(request, state, request_id)
        except StateUnavailable as exc:
            now = time.monotonic()
            if now >= self._quiet_until:  # at most one line per 5 s during an outage
                self._quiet_until = now + 5.0
                logger.warning(
                    "shared state unavailable (%s): %s: %s",
                    exc.what,
                    type(exc.__cause__).__name__,
                    exc.__cause__,
                )
            return error_response(
                503,
                "unavailable",
                f"shared state is unreachable ({exc.what}); retry shortly",
                request_id,
                headers={"retry-after": "1"},
            )
        finally:
            self.in_flight -= 1

    async def _handle(self, request: Request, state: dict[str, Any], request_id: str) -> Response:
        path = normalize_path(request.url.path)
        owner = ANONYMOUS
        if path != HEALTH_PATH:
            address = "ip:" + (request.client.host if request.client else "?")
            principal = self.auth.principal(request.headers)
            if principal is None:
                limited = await self._auth_limited(address, request_id, cost=1)
                if limited is not None:
                    return limited
                return error_response(
                    401,
                    "unauthorized",
                    "missing or invalid API key "
                    "(send it in the API key header or as a Bearer-scheme token)",
                    request_id,
                    headers={"www-authenticate": "Bearer"},
                )
            state["principal"] = owner = principal
            refused = await self._admit(address, principal, request_id)
            if refused is not None:
                return refused
        if request.method == "POST" and not _json_content_type(request):
            return error_response(
                415,
                "unsupported_media_type",
                "Content-Type must be application/json (or a +json type)",
                request_id,
                {"content_type": request.headers.get("content-type", "")[:100]},
            )
        try:
            with anyio.fail_after(self.settings.body_timeout):
                body = await read_body(request, self.settings.max_body_bytes)
        except ClientDisconnect:  # nobody is left to answer; no traceback for a normal event
            return Response(status_code=400)
        except TimeoutError:
            message = f"request body not received within {self.settings.body_timeout:g} s"
            return error_response(
                408, "request_timeout", message, request_id, headers={"connection": "close"}
            )
        except BodyTooLarge as exc:
            # No "Connection: close": closing a socket with unread input makes the kernel send a
            # reset, which can destroy the 413 before the client reads it. The ASGI server
            # frames the rest of the body and drops it as it arrives (never handed to us).
            detail = {"limit": exc.limit}
            return error_response(413, "payload_too_large", str(exc), request_id, detail)
        if self.faults.should_fail(path):
            return error_response(503, "unavailable", "injected fault (test only)", request_id)
        op = _OPERATIONS.get(path)
        key = request.headers.get("idempotency-key")
        if key is not None and self.idempotency is not None and request.method == "POST":
            return await self._idempotent(key, op, path, body, owner, request_id)
        answer = await self._answer(op, request.method, path, body, owner, request_id)
        if isinstance(answer, Response):
            return answer
        return json_response(*answer, request_id, _allow_header(*answer))

    async def _answer(
        self, op: str | None, method: str, path: str, body: bytes, owner: str, request_id: str
    ) -> Response | tuple[int, dict[str, Any]]:
        """Steps 5-6: the operation's status and JSON body (or a finished 410 response)."""
        if op == PROMPTS_DECODE:
            resolved = await self._resolve_payload(body, owner, request_id)
            if isinstance(resolved, Response):
                return resolved
            body = resolved
        status, payload = await self._engine(method, path, body, request_id)
        if status == 200:
            await self._finish(op, payload, owner)
            if self.metrics is not None:
                self.metrics.tokens(payload)
        return status, payload

    async def _idempotent(
        self, key: str, op: str | None, path: str, body: bytes, owner: str, request_id: str
    ) -> Response:
        """A POST with an ``Idempotency-Key``: the first 200 answer for it, or a new one."""
        assert self.idempotency is not None
        if not valid_key(key):
            message = "Idempotency-Key must be 1 to 255 visible ASCII characters"
            return error_response(400, "invalid_idempotency_key", message, request_id)
        digest = fingerprint("POST", path, body)
        claim = await self.idempotency.claim(owner, key, digest)
        if claim.state == "conflict":
            message = "Idempotency-Key was already used with a different request"
            return error_response(422, "idempotency_key_reused", message, request_id)
        if claim.state == "replay":
            assert claim.result is not None
            return _replay(claim.result, request_id)
        try:
            answer = await self._answer(op, "POST", path, body, owner, request_id)
        except BaseException:
            await self.idempotency.release(owner, key)
            raise
        if isinstance(answer, Response) or answer[0] != 200:
            await self.idempotency.release(owner, key)
            if isinstance(answer, Response):
                return answer
            return json_response(*answer, request_id, _allow_header(*answer))
        response = json_response(*answer, request_id)
        content = bytes(response.body)  # kept as sent: serialised once, replayed byte for byte
        mine = StoredResult(answer[0], content, digest, len(content))
        kept = await self.idempotency.complete(owner, key, mine)
        return response if kept is mine else _replay(kept, request_id)

    async def _admit(self, address: str, principal: str, request_id: str) -> Response | None:
        """A caller with a valid key: refused while its address is locked out by failed
        attempts (so a right guess looks like a wrong one), then its rate limit. With both
        limiters in Redis this is one round trip (``take_checked``), else one call each."""
        bucket = principal if principal != ANONYMOUS else address  # open: per address
        auth_check = None if self.auth.open else self.auth_failures
        take_checked = getattr(self.limiter, "take_checked", None)
        if (
            auth_check is not None
            and take_checked is not None
            and type(auth_check) is type(self.limiter)
        ):
            auth_wait, rate_wait = await take_checked(auth_check, address, bucket)
            if auth_wait:
                return self._auth_refusal(auth_wait, request_id)
            return self._rate_refusal(rate_wait, request_id)
        limited = await self._auth_limited(address, request_id, cost=0)
        if limited is not None:
            return limited
        if self.limiter is None:
            return None
        return self._rate_refusal(await self.limiter.take(bucket), request_id)

    async def _auth_limited(self, address: str, request_id: str, cost: int) -> Response | None:
        """429 when ``address`` has used up its failed attempts (``cost=1`` records one)."""
        if self.auth_failures is None or self.auth.open:
            return None
        return self._auth_refusal(await self.auth_failures.take(address, cost), request_id)

    def _auth_refusal(self, wait: float, request_id: str) -> Response | None:
        if not wait:
            return None
        if self.metrics is not None:
            self.metrics.rate_limited("auth")
        seconds = int(wait)
        return error_response(
            429,
            "too_many_auth_failures",
            f"too many failed authentication attempts; retry after {seconds} s",
            request_id,
            {"retry_after": seconds},
            headers={"retry-after": str(seconds)},
        )

    def _rate_refusal(self, wait: float, request_id: str) -> Response | None:
        if not wait:
            return None
        if self.metrics is not None:
            self.metrics.rate_limited("request")
        seconds = int(wait)
        return error_response(
            429,
            "rate_limited",
            f"rate limit exceeded; retry after {seconds} s",
            request_id,
            {"retry_after": seconds},
            headers={"retry-after": str(seconds)},
        )

    async def _resolve_payload(self, body: bytes, owner: str, request_id: str) -> bytes | Response:
        """``body`` with the stored KTOF filled in, a 410, or ``body`` unchanged for the engine.

        Anything the engine would refuse anyway (bad JSON, invalid fields) is left to it, so
        the errors are the engine's, identical in both modes.
        """
        if self.store is None:
            return body
        try:
            data = json.loads(body)
            request = PromptDecodePayload.model_validate(data)
        except (ValueError, UnicodeDecodeError, RecursionError, ValidationError):
            return body
        if request.ktof is not None or request.payload_id is None:
            return body
        lookup = await self.store.get(owner, request.payload_id)
        if lookup.state == "expired":
            return error_response(
                410,
                "gone",
                f"payload_id {request.payload_id!r} has expired",
                request_id,
                {"payload_id": request.payload_id},
            )
        if lookup.state == "unknown":
            return body
        data["ktof"] = lookup.text
        return json.dumps(data, ensure_ascii=False).encode()

    async def _engine(
        self, method: str, path: str, body: bytes, request_id: str
    ) -> tuple[int, dict[str, Any]]:
        if len(body) > self.thread_threshold:
            return await anyio.to_thread.run_sync(_call_engine, method, path, body, request_id)
        return _call_engine(method, path, body, request_id)

    async def _finish(self, op: str | None, payload: dict[str, Any], owner: str) -> None:
        if op == PROMPTS_ENCODE and self.store is not None:
            payload["payload_id"] = await self.store.put(owner, str(payload["result"]))
        elif op == "health":
            payload["mode"] = "server"


def _call_engine(
    method: str, path: str, body: bytes, request_id: str
) -> tuple[int, dict[str, Any]]:
    return handle_request(method, path, body or None, request_id=request_id)


def _json_content_type(request: Request) -> bool:
    """No ``Content-Type`` (taken as JSON), ``application/json`` or any ``+json`` type."""
    raw = request.headers.get("content-type")
    if raw is None:
        return True
    media = raw.split(";", 1)[0].strip().lower()
    return media == "application/json" or (
        media.startswith("application/") and media.endswith("+json")
    )


def _replay(result: StoredResult, request_id: str) -> Response:
    """The kept answer to a key, as first sent, marked as a replay."""
    headers = {"x-request-id": request_id, REPLAYED_HEADER.lower(): "true"}
    return Response(result.payload, status_code=result.status, headers=headers, media_type=JSON)


def _allow_header(status: int, payload: dict[str, Any]) -> dict[str, str] | None:
    """RFC 9110: a 405 lists the allowed methods (the engine puts them in the detail)."""
    if status != 405:
        return None
    detail = payload.get("error", {}).get("detail") or {}
    return {"allow": ", ".join(detail.get("allowed", []))}
