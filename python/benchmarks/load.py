#!/usr/bin/env python3
"""Load test (not a test): our ``KaizenClient`` vs raw ``httpx.AsyncClient`` on one live server.

    python python/benchmarks/load.py                      # 100 concurrent, 5 rounds each
    python python/benchmarks/load.py -c 10,100 -n 2000 --rounds 2
    python python/benchmarks/load.py --op health          # no engine work: client overhead
    python python/benchmarks/load.py --scale              # 1 worker / 2 workers / 2 + Redis

Starts ``python -m kaizen_client.server`` on a free loopback port in its own process (so the
server does not share this process's GIL), then for each concurrency level runs the same
``POST /v1/compress`` calls through both clients, alternating rounds (kaizen, httpx, httpx,
kaizen, ...) so machine noise hits both alike. Both use the same timeouts and pool limits (the
SDK's defaults: 100 connections, 20 keep-alive; see ``--keepalive``) and both parse the
JSON; ours also builds the request, validates the response model and handles retries,
which is the overhead being measured. Loopback only; every round is bounded in requests and seconds.
Prints requests/s, p50/p99 latency and the client process's CPU time per request for each
client, and the kaizen/httpx throughput ratio (target: >= 0.9 at 100 concurrent). On a
shared machine throughput swings from round to round; CPU per request is the steadier
measure of what our client adds.

``--scale`` measures the server instead (see :func:`scale`): 8 KB ``/v1/compress`` bodies at
100 concurrent through raw httpx against 1 worker, 2 workers (in-memory state, forced), 1
worker + Redis and 2 workers + Redis (a redis-server started on a free loopback port), the
rate limiter on in every case (a limit never reached) so its state is exercised. All four
servers run at once (idle ones cost nothing) and the rounds go round-robin over them, so
machine noise hits each alike. Plus the cost of each Redis call the server makes, timed one
at a time.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import socket
import statistics
import subprocess
import sys
import time
import uuid
from collections import Counter
from collections.abc import Awaitable, Callable, Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from pathlib import Path

import httpx

from kaizen_client import KaizenClient, KaizenClientConfig

KEY = "sk-load-benchmark-key-0123456789"
ROWS = [{"id": i, "name": f"user{i}", "active": i % 2 == 0, "score": i * 1.5} for i in range(8)]
PAYLOAD = {"data": ROWS}
Call = Callable[[], Awaitable[None]]


@dataclass
class Round:
    kind: str
    concurrency: int
    latencies: list[float]
    seconds: float
    cpu: float  # CPU seconds this (client) process used; the server is another process

    @property
    def rps(self) -> float:
        return len(self.latencies) / self.seconds if self.seconds else 0.0


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


@contextmanager
def server_process() -> Iterator[str]:
    """The real server in a child process on a free loopback port; yields its URL."""
    port = _free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith("KAIZEN_")}
    env["KAIZEN_API_KEYS"] = KEY
    cmd = [sys.executable, "-m", "kaizen_client.server", "--port", str(port)]
    process = subprocess.Popen([*cmd, "--log-level", "warning"], env=env)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                if httpx.get(url + "/", timeout=1).status_code == 200:
                    break
            except httpx.TransportError:
                if time.monotonic() > deadline or process.poll() is not None:
                    raise RuntimeError("the server did not start") from None
                time.sleep(0.1)
        yield url
    finally:
        process.terminate()
        process.wait(timeout=15)


async def run_round(kind: str, call: Call, concurrency: int, total: int, limit: float) -> Round:
    """``total`` calls by ``concurrency`` workers, stopping early after ``limit`` seconds."""
    latencies: list[float] = []
    issued = 0
    deadline = time.perf_counter() + limit

    async def worker() -> None:
        nonlocal issued
        while issued < total and time.perf_counter() < deadline:
            issued += 1
            started = time.perf_counter()
            await call()
            latencies.append(time.perf_counter() - started)

    started, cpu = time.perf_counter(), time.process_time()
    await asyncio.gather(*(worker() for _ in range(concurrency)))
    elapsed = time.perf_counter() - started
    return Round(kind, concurrency, latencies, elapsed, time.process_time() - cpu)


async def bench(url: str, args: argparse.Namespace) -> list[Round]:
    config = KaizenClientConfig(base_url=url, api_key=KEY, max_retries=0)
    if args.keepalive is not None:
        config.max_keepalive_connections = args.keepalive
    kaizen = KaizenClient(config)
    raw = httpx.AsyncClient(
        base_url=url, timeout=config.httpx_timeout(), limits=config.httpx_limits()
    )
    body = json.dumps(PAYLOAD, separators=(",", ":")).encode()
    health = args.op == "health"

    async def call_kaizen() -> None:
        response = await (kaizen.health() if health else kaizen.compress(PAYLOAD))
        assert response.status == "ok"

    async def call_httpx() -> None:
        headers = {"accept": "application/json", "x-api-key": KEY, "x-request-id": uuid.uuid4().hex}
        if health:
            response = await raw.get("/", headers=headers)
        else:
            headers["content-type"] = "application/json"
            response = await raw.post("/v1/compress", content=body, headers=headers)
        response.raise_for_status()
        assert response.json()["status"] == "ok"

    calls: dict[str, Call] = {"kaizen": call_kaizen, "httpx": call_httpx}
    rounds: list[Round] = []
    try:
        for concurrency in args.concurrency:
            for kind, call in calls.items():  # warm-up: connections, caches
                await run_round(kind, call, concurrency, concurrency * 2, args.max_seconds)
            for number in range(args.rounds):
                order = list(calls.items())
                if number % 2:  # alternate who goes first, so neither always follows the other
                    order.reverse()
                for kind, call in order:
                    rounds.append(
                        await run_round(kind, call, concurrency, args.requests, args.max_seconds)
                    )
    finally:
        await kaizen.close()
        await raw.aclose()
    return rounds


def report(rounds: list[Round], op: str) -> None:
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    size = len(json.dumps(PAYLOAD))
    what = "GET / (health)" if op == "health" else f"POST /v1/compress ({size} B of JSON)"
    print(f"\n{what}, loopback, load avg {load:.2f}")
    header = (
        f"{'client':<8} {'conc':>5} {'requests':>9} {'req/s':>9} {'p50 ms':>8} {'p99 ms':>8}"
        f" {'client CPU us/req':>18}"
    )
    print(header)
    print("-" * len(header))
    by_level: dict[int, dict[str, list[Round]]] = {}
    for r in rounds:
        by_level.setdefault(r.concurrency, {}).setdefault(r.kind, []).append(r)
    for level, kinds in by_level.items():
        rps: dict[str, float] = {}
        for kind, runs in kinds.items():
            latencies = sorted(x for r in runs for x in r.latencies)
            count = len(latencies)
            rps[kind] = count / sum(r.seconds for r in runs)
            p50 = latencies[count // 2] * 1000
            p99 = latencies[min(count - 1, int(count * 0.99))] * 1000
            cpu_us = sum(r.cpu for r in runs) / count * 1e6
            print(
                f"{kind:<8} {level:>5} {count:>9} {rps[kind]:>9.0f} {p50:>8.1f} {p99:>8.1f}"
                f" {cpu_us:>18.0f}"
            )
        per_round = [
            k.rps / h.rps for k, h in zip(kinds["kaizen"], kinds["httpx"], strict=True) if h.rps
        ]
        spread = f" (per round {min(per_round):.2f}-{max(per_round):.2f})" if per_round else ""
        ratio = rps["kaizen"] / rps["httpx"]
        print(f"kaizen/httpx throughput at {level} concurrent: {ratio:.2f}{spread}")
        if len(per_round) > 1:
            print(f"  median per-round ratio {statistics.median(per_round):.2f}")


SERVER_GROUPS: dict[str, int] = {}  # server URL -> its process group, for CPU accounting

SCALE_ROWS = [
    {"id": i, "name": f"user{i:04d}", "email": f"user{i:04d}@example.com", "active": i % 3 == 0}
    for i in range(110)
]


@contextmanager
def redis_process() -> Iterator[str]:
    """A throwaway redis-server on a free loopback port (no persistence); yields its URL."""
    import shutil

    binary = shutil.which("redis-server")
    if binary is None:
        raise SystemExit("--scale needs redis-server (apt-get install redis-server)")
    port = _free_port()
    args = [binary, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"]
    process = subprocess.Popen(args, stdout=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 10
        while True:
            try:
                with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                    break
            except OSError:
                if time.monotonic() > deadline:
                    raise RuntimeError("redis-server did not start") from None
                time.sleep(0.05)
        yield f"redis://127.0.0.1:{port}/0"
    finally:
        process.kill()
        process.wait(10)


def group_cpu(pgid: int) -> float:
    """CPU seconds used so far by every live process in process group ``pgid`` (Linux /proc):
    the server and all its workers, which ``scaled_server`` starts in their own group."""
    total = 0
    ticks = os.sysconf("SC_CLK_TCK")
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[2]) == pgid:  # state ppid pgrp ...: pgrp is the third after the name
            total += int(fields[11]) + int(fields[12])  # utime + stime
    return total / ticks


@contextmanager
def scaled_server(
    workers: int, redis_url: str | None, extra: dict[str, str] | None = None
) -> Iterator[str]:
    """``kaizen serve --workers N`` (forced without Redis) on a free loopback port."""
    port = _free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith(("KAIZEN_", "PROMETHEUS_"))}
    env.update(KAIZEN_API_KEYS=KEY, KAIZEN_RATE_LIMIT="100000000/1", KAIZEN_MAX_CONCURRENCY="1000")
    if redis_url:
        env["KAIZEN_REDIS_URL"] = redis_url
    env.update(extra or {})
    cmd = [sys.executable, "-m", "kaizen_client.cli", "serve", "--port", str(port)]
    cmd += ["--workers", str(workers), "--log-level", "warning"]
    if workers > 1 and not redis_url:
        cmd.append("--force-workers")
    process = subprocess.Popen(cmd, env=env, start_new_session=True)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                if httpx.get(url + "/healthz", timeout=1).status_code == 200:
                    break
            except httpx.TransportError:
                if time.monotonic() > deadline or process.poll() is not None:
                    raise RuntimeError("the server did not start") from None
                time.sleep(0.1)
        time.sleep(1.0 if workers > 1 else 0.2)  # let every worker finish starting
        SERVER_GROUPS[url] = process.pid
        yield url
    finally:
        os.killpg(process.pid, 2)
        process.wait(timeout=30)


async def scale_rounds(
    urls: dict[str, str],
    args: argparse.Namespace,
    errors: dict[str, Counter[str]],
    server_cpu: dict[str, float],
) -> dict[str, list[Round]]:
    """Round-robin over the servers, round by round, so machine noise hits them all alike."""
    body = json.dumps({"data": SCALE_ROWS}, separators=(",", ":")).encode()
    limits = httpx.Limits(max_connections=100, max_keepalive_connections=100)
    headers = {"x-api-key": KEY, "content-type": "application/json"}
    rounds: dict[str, list[Round]] = {label: [] for label in urls}
    clients = {
        label: httpx.AsyncClient(base_url=url, limits=limits, timeout=60)
        for label, url in urls.items()
    }

    def caller(label: str) -> Call:
        client = clients[label]

        async def call() -> None:
            try:
                response = await client.post("/v1/compress", content=body, headers=headers)
            except httpx.TransportError as exc:
                errors[label][type(exc).__name__] += 1
                return
            if response.status_code != 200:
                errors[label][f"{response.status_code} {response.text[:80]}"] += 1

        return call

    try:
        for label in urls:  # warm-up
            await run_round(label, caller(label), 100, 300, args.max_seconds)
        for number in range(args.rounds):
            order = list(urls) if number % 2 == 0 else list(reversed(urls))
            for label in order:
                before = group_cpu(SERVER_GROUPS[urls[label]])
                result = await run_round(label, caller(label), 100, args.requests, args.max_seconds)
                server_cpu[label] += group_cpu(SERVER_GROUPS[urls[label]]) - before
                rounds[label].append(result)
    finally:
        for client in clients.values():
            await client.aclose()
    return rounds


async def redis_call_costs(redis_url: str, calls: int = 2000) -> dict[str, float]:
    """Microseconds per Redis operation the server makes, one at a time (no concurrency)."""
    from kaizen_client.server.redis_state import RedisPayloadStore, RedisRateLimiter, connect
    from kaizen_client.server.settings import RateLimit

    redis = connect(redis_url)
    limiter = RedisRateLimiter(redis, RateLimit(100_000_000, 1.0))
    store = RedisPayloadStore(redis, ttl=60)
    text = json.dumps(SCALE_ROWS)
    costs: dict[str, float] = {}
    await limiter.take("key:warmup")
    started = time.perf_counter()
    for _ in range(calls):
        await limiter.take("key:bench")
    costs["rate limit script (1 round trip)"] = (time.perf_counter() - started) / calls * 1e6
    started = time.perf_counter()
    for _ in range(calls):
        await limiter.take("ip:127.0.0.1", 0)
    costs["failed-auth peek (1 round trip)"] = (time.perf_counter() - started) / calls * 1e6
    auth_check = RedisRateLimiter(redis, RateLimit(10, 60.0), namespace="authfail")
    started = time.perf_counter()
    for _ in range(calls):
        await limiter.take_checked(auth_check, "ip:127.0.0.1", "key:bench")
    costs["both, pipelined (what a request pays)"] = (time.perf_counter() - started) / calls * 1e6
    ids = []
    started = time.perf_counter()
    for _ in range(calls // 4):
        ids.append(await store.put("key:bench", text))
    costs[f"payload put, {len(text)} B (MULTI/EXEC)"] = (
        (time.perf_counter() - started) / len(ids) * 1e6
    )
    started = time.perf_counter()
    for payload_id in ids:
        await store.get("key:bench", payload_id)
    costs["payload get (MGET)"] = (time.perf_counter() - started) / len(ids) * 1e6
    await redis.flushdb()
    await redis.aclose()
    return costs


def scale(args: argparse.Namespace) -> int:
    """1 worker vs 2 workers vs Redis: throughput and p99 of 8 KB bodies at 100 concurrent."""
    body_size = len(json.dumps({"data": SCALE_ROWS}, separators=(",", ":")))
    configs = [
        ("1 worker", 1, False),
        ("2 workers (forced)", 2, False),
        ("1 worker + Redis", 1, True),
        ("2 workers + Redis", 2, True),
    ]
    errors: dict[str, Counter[str]] = {label: Counter() for label, _, _ in configs}
    with redis_process() as redis_url, ExitStack() as servers:
        urls = {}
        for label, workers, redis in configs:
            print(f"starting: {label}", file=sys.stderr, flush=True)
            urls[label] = servers.enter_context(
                scaled_server(workers, redis_url if redis else None)
            )
        server_cpu = dict.fromkeys(urls, 0.0)
        by_label = asyncio.run(scale_rounds(urls, args, errors, server_cpu))
        costs = asyncio.run(redis_call_costs(redis_url))
    results = list(by_label.items())
    failures = [errors[label] for label, _ in results]
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    print(f"\nPOST /v1/compress, {body_size} B bodies, 100 concurrent, raw httpx, loopback,")
    print(f"{os.cpu_count()} CPUs shared by client, server and Redis; load avg {load:.2f}")
    header = (
        f"{'server':<22} {'requests':>9} {'req/s':>8} {'p50 ms':>8} {'p99 ms':>8} {'errors':>7}"
        f" {'server CPU ms/req':>18}"
    )
    print(header)
    print("-" * len(header))
    for (label, rounds), errors in zip(results, failures, strict=True):
        latencies = sorted(x for r in rounds for x in r.latencies)
        count = len(latencies)
        rps = count / sum(r.seconds for r in rounds)
        p50 = latencies[count // 2] * 1000
        p99 = latencies[min(count - 1, int(count * 0.99))] * 1000
        cpu_ms = server_cpu[label] / count * 1000  # all of that server's processes
        print(
            f"{label:<22} {count:>9} {rps:>8.0f} {p50:>8.1f} {p99:>8.1f}"
            f" {sum(errors.values()):>7} {cpu_ms:>18.2f}"
        )
        for what, times in errors.most_common(3):
            print(f"    {times} x {what}")
    print("\nRedis calls, one at a time (what each request adds):")
    for name, micros in costs.items():
        print(f"  {name:<40} {micros:>7.0f} us")
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "-c",
        "--concurrency",
        type=lambda s: [int(x) for x in s.split(",")],
        default=[100],
        help="comma-separated concurrency levels (default 100)",
    )
    parser.add_argument("-n", "--requests", type=int, default=1500, help="requests per round")
    parser.add_argument("--rounds", type=int, default=5, help="rounds per client and level")
    parser.add_argument(
        "--op",
        choices=("compress", "health"),
        default="compress",
        help="compress: a real operation; health: no engine work, so client overhead shows most",
    )
    parser.add_argument(
        "--keepalive",
        type=int,
        default=None,
        help="keep-alive connections of both pools (default: the SDK's 20); 100 avoids churn",
    )
    parser.add_argument("--max-seconds", type=float, default=30.0, help="cap per round")
    parser.add_argument(
        "--scale",
        action="store_true",
        help="server scale-out: 1 vs 2 workers, in memory vs Redis (8 KB bodies, 100 concurrent)",
    )
    args = parser.parse_args(argv)
    if args.scale:
        return scale(args)
    with server_process() as url:
        rounds = asyncio.run(bench(url, args))
    report(rounds, args.op)
    return 0


if __name__ == "__main__":
    sys.exit(main())
