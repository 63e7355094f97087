"""Prometheus metrics (``/metrics``), correct with one worker or several.

With ``PROMETHEUS_MULTIPROC_DIR`` set (``kaizen serve --workers N`` sets it to a fresh
directory when the operator has not), ``prometheus_client`` keeps every worker's values in
files there and ``/metrics`` sums them, so a scrape that lands on any worker sees the whole
server. Labels are bounded: ``route`` is an operation name (or ``other`` for unknown paths,
never the raw path) and ``status`` an HTTP status.

======================================  =========  =======================================
metric                                  type       labels
======================================  =========  =======================================
``kaizen_requests_total``               counter    ``route``, ``status``
``kaizen_request_duration_seconds``     histogram  ``route``
``kaizen_tokens_total``                 counter    ``stage`` (``before``/``after``)
``kaizen_rate_limited_total``           counter    ``kind`` (``request``/``auth``)
``kaizen_payload_store_entries``        gauge      (sum over live workers; memory store)
``kaizen_redis_payloads``               gauge      (at scrape time; Redis store)
======================================  =========  =======================================
"""

from __future__ import annotations

import os
from typing import Any

from prometheus_client import (
    CONTENT_TYPE_LATEST,
    REGISTRY,
    CollectorRegistry,
    Counter,
    Gauge,
    Histogram,
    generate_latest,
)
from prometheus_client.multiprocess import MultiProcessCollector

from ..models import ROUTES

_ROUTE_OF_PATH = {path: op for op, (_, path) in ROUTES.items()}
_BUCKETS = (0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0)

REQUESTS = Counter("kaizen_requests", "Requests answered", ["route", "status"])
LATENCY = Histogram(
    "kaizen_request_duration_seconds", "Time to answer a request", ["route"], buckets=_BUCKETS
)
TOKENS = Counter("kaizen_tokens", "Tokens of successful operations", ["stage"])
RATE_LIMITED = Counter("kaizen_rate_limited", "Requests refused by a limiter", ["kind"])
STORE_ENTRIES = Gauge(
    "kaizen_payload_store_entries", "Payloads in the in-memory store", multiprocess_mode="livesum"
)
REDIS_PAYLOADS = Gauge(
    "kaizen_redis_payloads", "Payloads in Redis (counted at scrape)", multiprocess_mode="max"
)

CONTENT_TYPE = CONTENT_TYPE_LATEST


def route_label(path: str) -> str:
    """The operation name of ``path``, or a fixed name, so label values stay few."""
    if path in ("/metrics", "/healthz", "/readyz"):
        return path.strip("/")
    return _ROUTE_OF_PATH.get("/" + path.strip("/"), "other")


class Metrics:
    """The server's handle on the process-wide metrics above."""

    def observe(self, path: str, status: int, seconds: float) -> None:
        route = route_label(path)
        REQUESTS.labels(route, str(status)).inc()
        LATENCY.labels(route).observe(seconds)

    def tokens(self, payload: dict[str, Any]) -> None:
        """Tokens of one answer: the message report's totals, else the first ``token_stats``
        model's counts (present when the caller asked for ``token_models``)."""
        report = payload.get("report")
        if isinstance(report, dict) and "tokens_before" in report:
            TOKENS.labels("before").inc(int(report["tokens_before"]))
            TOKENS.labels("after").inc(int(report.get("tokens_after", 0)))
            return
        stats = payload.get("token_stats")
        if isinstance(stats, dict) and stats:
            first = next(iter(stats.values()))
            if isinstance(first, dict):
                TOKENS.labels("before").inc(int(first.get("original", 0)))
                TOKENS.labels("after").inc(int(first.get("compressed", 0)))

    def rate_limited(self, kind: str) -> None:
        RATE_LIMITED.labels(kind).inc()

    def store_size(self, entries: int) -> None:
        STORE_ENTRIES.set(entries)

    def redis_payloads(self, entries: int) -> None:
        REDIS_PAYLOADS.set(entries)

    def render(self) -> bytes:
        """The exposition text: every worker's values when multiprocess mode is on."""
        if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
            registry = CollectorRegistry()
            MultiProcessCollector(registry)  # type: ignore[no-untyped-call]
            return generate_latest(registry)
        return generate_latest(REGISTRY)
