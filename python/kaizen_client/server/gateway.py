"""One request, start to finish: the server's checks around ``service.handle_request``.

The engine already routes, validates, runs and maps its failures to statuses (that is what
local mode runs too); the gateway adds only what a server owes a network caller, in order:

1. auth (every path but ``/``)            -> 401 ``unauthorized``
2. per-principal rate limit               -> 429 ``rate_limited`` + ``Retry-After``
3. body size cap, before reading it all   -> 413 ``payload_too_large``
4. test-only fault injection              -> 503 ``unavailable``
5. ``prompts.decode`` by ``payload_id``: the stored KTOF is put into the body as ``ktof``
   (expired -> 410 ``gone``; unknown ids go on to the engine, which answers 404)
6. the engine; then ``prompts.encode`` results are stored (``payload_id`` added) and
   ``health`` says ``mode: "server"``.

A POST with an ``Idempotency-Key`` runs steps 5-6 once per key and principal: a repeat gets
the first 200 answer (``Idempotent-Replayed: true``), see :mod:`.idempotency`.

Large bodies run the engine on a worker thread so one big encode does not stall the loop.
"""

from __future__ import annotations

import json
import uuid
from typing import Any

import anyio.to_thread
from pydantic import ValidationError
from starlette.requests import Request
from starlette.responses import Response

from .._transports import DEFAULT_THREAD_THRESHOLD
from ..idempotency import REPLAYED_HEADER, StoredResult, fingerprint, valid_key
from ..models import ROUTES, PromptDecodePayload
from ..service.routing import handle_request, normalize_path
from .auth import ANONYMOUS, Authenticator
from .body import BodyTooLarge, read_body
from .faults import FirstRequestFaults
from .idempotency import IdempotencyStore
from .ratelimit import TokenBucketLimiter
from .responses import JSON, error_response, json_response
from .settings import ServerSettings
from .store import PayloadStore

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
        limiter: TokenBucketLimiter | None,
        thread_threshold: int = DEFAULT_THREAD_THRESHOLD,
        idempotency: IdempotencyStore | None = None,
    ) -> None:
        self.settings = settings
        self.auth = Authenticator(settings.api_keys)
        self.limiter = limiter
        self.store = store
        self.faults = FirstRequestFaults(settings.fail_first)
        self.thread_threshold = thread_threshold
        self.idempotency = idempotency

    async def handle(self, request: Request) -> Response:
        """The endpoint of every route."""
        state = request.scope.setdefault("state", {})
        request_id: str = state.get("request_id") or uuid.uuid4().hex
        path = normalize_path(request.url.path)
        owner = ANONYMOUS
        if path != HEALTH_PATH:
            principal = self.auth.principal(request.headers)
            if principal is None:
                return error_response(
                    401,
                    "unauthorized",
                    "missing or invalid API key "
                    "(send it in the API key header or as a Bearer-scheme token)",
                    request_id,
                    headers={"www-authenticate": "Bearer"},
                )
            state["principal"] = owner = principal
            refused = self._rate_limited(request, principal, request_id)
            if refused is not None:
                return refused
        try:
            body = await read_body(request, self.settings.max_body_bytes)
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

    def _rate_limited(self, request: Request, principal: str, request_id: str) -> Response | None:
        if self.limiter is None:
            return None
        bucket = principal
        if principal == ANONYMOUS:  # open server: limit per client address instead
            bucket = "ip:" + (request.client.host if request.client else "?")
        wait = self.limiter.acquire(bucket)
        if not wait:
            return None
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
