"""Shared state in Redis (``KAIZEN_REDIS_URL``): what lets several workers and machines agree.

With one process, the in-memory payload store, limiters and idempotency records are right.
With several, each process would see a different store (a ``payload_id`` encoded through one
worker is unknown to the next) and allow the rate limit once per process. Here the same
interfaces are backed by one Redis:

* payloads: ``SET kaizen:pl:<id> <owner>\\n<text> EX ttl`` plus a tombstone key that outlives
  it (``kaizen:plt:<id>``, one more day), so an expired id still answers 410, not 404;
* rate limits (requests and failed authentications): a token bucket per key in a hash,
  updated by one Lua script that reads Redis's own clock, so the limit holds exactly however
  many processes ask at once;
* ``Idempotency-Key`` records: ``SET NX`` claims a key (``P`` + request digest, expiring
  after the wait timeout), a Lua script turns it into the answer (``D``) unless one is there.

Every Redis error (refused, timed out, pool exhausted) becomes :class:`StateUnavailable`, so a
Redis outage gives 503s and the server recovers by itself when Redis comes back. The client is
``redis.asyncio`` on a blocking connection pool (bounded; waits briefly for a free connection).
"""

from __future__ import annotations

import time
from collections.abc import Awaitable, Callable
from typing import Any, TypeVar

import anyio
from redis.asyncio import BlockingConnectionPool, Redis
from redis.backoff import ExponentialBackoff
from redis.exceptions import NoScriptError, RedisError
from redis.retry import Retry

from ..idempotency import StoredResult
from .idempotency import Claim
from .settings import RateLimit
from .state import StateUnavailable
from .store import Lookup, new_payload_id

T = TypeVar("T")

PREFIX = "kaizen:"
TOMBSTONE_GRACE = 86_400  # seconds an expired payload id keeps answering 410
POOL_SIZE = 64

_TOKEN_BUCKET = """
local capacity = tonumber(ARGV[1])
local rate = tonumber(ARGV[2])
local cost = tonumber(ARGV[3])
local t = redis.call('TIME')
local now = tonumber(t[1]) + tonumber(t[2]) / 1000000
local state = redis.call('HMGET', KEYS[1], 't', 'ts')
local tokens = tonumber(state[1]) or capacity
local last = tonumber(state[2]) or now
tokens = math.min(capacity, tokens + math.max(0, now - last) * rate)
local wait = 0
if tokens >= 1 then
  tokens = tokens - cost
else
  wait = math.max(1, math.ceil((1 - tokens) / rate))
end
redis.call('HSET', KEYS[1], 't', string.format('%.17g', tokens), 'ts', string.format('%.17g', now))
redis.call('PEXPIRE', KEYS[1], math.ceil(capacity / rate * 1000) + 1000)
return wait
"""

_COMPLETE = """
local current = redis.call('GET', KEYS[1])
if current and string.sub(current, 1, 1) == 'D' then
  return current
end
redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
return ARGV[1]
"""

_RELEASE = """
local current = redis.call('GET', KEYS[1])
if current and string.sub(current, 1, 1) == 'P' then
  redis.call('DEL', KEYS[1])
end
return 0
"""


def connect(url: str, *, pool_size: int = POOL_SIZE) -> Redis:
    """A ``redis.asyncio`` client on a bounded pool; dead servers fail fast (refused/reset)."""
    pool = BlockingConnectionPool.from_url(
        url,
        max_connections=pool_size,
        # Generous read timeouts: a busy event loop reads a prompt reply late, and a timeout
        # taken for an outage would turn load into 503s. A dead Redis is seen at once anyway
        # (refused or reset connections); only a hung one waits this long.
        timeout=10.0,  # wait for a free pooled connection at most this long
        socket_timeout=10.0,
        socket_connect_timeout=2.0,
        retry=Retry(ExponentialBackoff(cap=0.05, base=0.01), 1),
    )
    return Redis(connection_pool=pool)


async def guarded(what: str, call: Callable[[], Awaitable[T]]) -> T:
    """``call()``, with any Redis failure turned into :class:`StateUnavailable`."""
    try:
        return await call()
    except (RedisError, OSError) as exc:
        raise StateUnavailable(what) from exc


class RedisPayloadStore:
    """The payload store of every worker at once (see the module docstring for the keys)."""

    def __init__(self, redis: Redis, *, ttl: float) -> None:
        self._redis = redis
        self.ttl = ttl

    async def put(self, owner: str, text: str) -> str:
        payload_id = new_payload_id()
        ttl_ms = max(1, int(self.ttl * 1000))

        async def write() -> None:
            async with self._redis.pipeline(transaction=True) as pipe:
                pipe.set(f"{PREFIX}pl:{payload_id}", f"{owner}\n{text}".encode(), px=ttl_ms)
                pipe.set(f"{PREFIX}plt:{payload_id}", owner, px=ttl_ms + TOMBSTONE_GRACE * 1000)
                await pipe.execute()

        await guarded("payload store", write)
        return payload_id

    async def get(self, owner: str, payload_id: str) -> Lookup:
        keys = (f"{PREFIX}pl:{payload_id}", f"{PREFIX}plt:{payload_id}")
        value, tombstone = await guarded("payload store", lambda: self._redis.mget(keys))
        if value is not None:
            stored_owner, _, text = _bytes(value).partition(b"\n")
            if stored_owner.decode() == owner:
                return Lookup("found", text.decode("utf-8"))
        if tombstone is not None and _bytes(tombstone).decode() == owner:
            return Lookup("expired")
        return Lookup("unknown")

    async def count(self) -> int:
        """Stored payloads (a SCAN: for metrics and tests, not the request path)."""
        found = 0
        async for _ in self._redis.scan_iter(match=f"{PREFIX}pl:*", count=1000):
            found += 1
        return found


class RedisRateLimiter:
    """Token buckets in Redis, one atomic script call per request (see ``_TOKEN_BUCKET``)."""

    def __init__(self, redis: Redis, limit: RateLimit, *, namespace: str = "rl") -> None:
        self._redis = redis
        self.limit = limit
        self._namespace = namespace
        self._script = redis.register_script(_TOKEN_BUCKET)
        self._rate = limit.requests / limit.per_seconds

    def _call(self, bucket: str, cost: int) -> tuple[str, tuple[int, str, int]]:
        return f"{PREFIX}{self._namespace}:{bucket}", (self.limit.requests, repr(self._rate), cost)

    async def take(self, bucket: str, cost: int = 1) -> float:
        key, args = self._call(bucket, cost)
        wait = await guarded("rate limiter", lambda: self._script(keys=[key], args=args))
        return float(wait)

    async def take_checked(
        self, check: RedisRateLimiter, check_bucket: str, bucket: str
    ) -> tuple[float, float]:
        """Look at ``check``'s bucket (failed auth: cost 0) and take a token from this one, in
        one round trip (a pipeline of two script calls, each on one key, so it also works
        where keys live on different cluster nodes). Returns both waits."""
        calls = (check._call(check_bucket, 0), self._call(bucket, 1))

        async def run() -> list[Any]:
            for _ in range(2):
                async with self._redis.pipeline(transaction=False) as pipe:
                    for key, args in calls:
                        pipe.evalsha(self._script.sha, 1, key, *args)
                    results: list[Any] = await pipe.execute(raise_on_error=False)
                if not any(isinstance(r, NoScriptError) for r in results):
                    break
                await self._redis.script_load(_TOKEN_BUCKET)  # Redis restarted: load again
            for result in results:
                if isinstance(result, Exception):
                    raise result
            return results

        auth_wait, rate_wait = await guarded("rate limiter", run)
        return float(auth_wait), float(rate_wait)


class RedisIdempotencyStore:
    """``Idempotency-Key`` records shared by every worker (``P``ending claim or ``D``one)."""

    def __init__(
        self, redis: Redis, *, ttl: float, wait_timeout: float = 120.0, poll: float = 0.05
    ) -> None:
        self._redis = redis
        self.ttl = ttl
        self.wait_timeout = wait_timeout
        self.poll = poll
        self._complete = redis.register_script(_COMPLETE)
        self._release = redis.register_script(_RELEASE)

    @staticmethod
    def _key(owner: str, key: str) -> str:
        return f"{PREFIX}idem:{owner}:{key}"

    async def claim(self, owner: str, key: str, fingerprint: str) -> Claim:
        name = self._key(owner, key)
        pending = b"P" + fingerprint.encode()
        deadline = time.monotonic() + self.wait_timeout
        while True:
            taken = await guarded(
                "idempotency store",
                lambda: self._redis.set(name, pending, nx=True, px=int(self.wait_timeout * 1000)),
            )
            if taken:
                return Claim("acquired")
            current = await guarded("idempotency store", lambda: self._redis.get(name))
            if current is None:
                continue  # released or expired between the two calls: try again
            state, digest, result = _parse(_bytes(current))
            if digest != fingerprint:
                return Claim("conflict")
            if state == "done":
                return Claim("replay", result)
            if time.monotonic() > deadline:
                return Claim("acquired")  # the first is stuck: do the work rather than hang
            await anyio.sleep(self.poll)

    async def complete(self, owner: str, key: str, result: StoredResult) -> StoredResult:
        mine = _done(result)
        ttl_ms = max(1, int(self.ttl * 1000))
        kept = await guarded(
            "idempotency store",
            lambda: self._complete(keys=[self._key(owner, key)], args=[mine, ttl_ms]),
        )
        if bytes(kept) == mine:
            return result
        _, _, earlier = _parse(bytes(kept))
        return earlier if earlier is not None else result

    async def release(self, owner: str, key: str) -> None:
        await guarded(
            "idempotency store", lambda: self._release(keys=[self._key(owner, key)], args=[])
        )


def _bytes(value: bytes | str) -> bytes:
    """A reply as bytes (the client is not in ``decode_responses`` mode, but typing allows str)."""
    return value.encode() if isinstance(value, str) else bytes(value)


def _done(result: StoredResult) -> bytes:
    payload = result.payload if isinstance(result.payload, bytes) else bytes(result.payload)
    return b"D%s\n%d\n%s" % (result.fingerprint.encode(), result.status, payload)


def _parse(value: bytes) -> tuple[str, str, StoredResult | None]:
    """``("pending"|"done", request digest, the kept answer when done)``."""
    if value[:1] == b"P":
        return "pending", value[1:].decode(), None
    digest, status, payload = value[1:].split(b"\n", 2)
    fingerprint = digest.decode()
    return "done", fingerprint, StoredResult(int(status), payload, fingerprint, len(payload))


async def ping(redis: Redis) -> bool:
    """True when Redis answers within a second (``/readyz``)."""
    try:
        with anyio.fail_after(1.0):
            return bool(await redis.ping())
    except (RedisError, OSError, TimeoutError):
        return False


def describe(redis: Redis) -> dict[str, Any]:
    """Where this client points, without the password (for logs)."""
    kwargs = redis.connection_pool.connection_kwargs
    return {"host": kwargs.get("host"), "port": kwargs.get("port"), "db": kwargs.get("db", 0)}
