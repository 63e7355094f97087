"""``/healthz``, ``/readyz`` and ``/metrics`` in one process (workers: see test_redis.py)."""

from __future__ import annotations

import re

import httpx

from kaizen_client.server import RateLimit

from .conftest import AppClient, auth


def _value(metrics: str, name: str, labels: str = "") -> float:
    pattern = re.escape(name + ("{" + labels + "}" if labels else "")) + r" ([0-9.e+]+)"
    match = re.search(pattern, metrics)
    return float(match.group(1)) if match else 0.0


async def test_health_and_readiness_need_no_key(client: httpx.AsyncClient) -> None:
    assert (await client.get("/healthz")).json() == {"status": "ok"}
    assert (await client.get("/readyz")).json() == {"status": "ready", "redis": None}


async def test_metrics_count_requests_tokens_limits_and_store(make_client: AppClient) -> None:
    client = make_client(rate_limit=RateLimit(3, 3600.0))
    before = (await client.get("/metrics")).text
    await client.get("/no/such/path/abc123", headers=auth())  # uses 1 of the 3 tokens
    rows = [{"id": i, "name": f"user{i}", "active": True} for i in range(20)]
    assert (
        await client.post(
            "/v1/compress", json={"data": rows, "token_models": ["gpt-4o"]}, headers=auth()
        )
    ).is_success
    prompt = [{"role": "user", "content": "[1, 2, 3]"}]
    assert (
        await client.post("/v1/prompts/encode", json={"prompt": prompt}, headers=auth())
    ).is_success
    limited = await client.post("/v1/compress", json={"data": 1}, headers=auth())
    assert limited.status_code == 429
    after = (await client.get("/metrics")).text

    def grew(name: str, labels: str = "") -> float:
        return _value(after, name, labels) - _value(before, name, labels)

    assert grew("kaizen_requests_total", 'route="compress",status="200"') == 1
    assert grew("kaizen_requests_total", 'route="compress",status="429"') == 1
    assert grew("kaizen_requests_total", 'route="prompts_encode",status="200"') == 1
    assert grew("kaizen_rate_limited_total", 'kind="request"') == 1
    assert grew("kaizen_request_duration_seconds_count", 'route="compress"') == 2
    assert (
        grew("kaizen_tokens_total", 'stage="before"')
        > grew("kaizen_tokens_total", 'stage="after"')
        > 0
    )
    assert _value(after, "kaizen_payload_store_entries") == 1
    assert "abc123" not in after  # unknown paths are counted as route="other", never raw
    assert grew("kaizen_requests_total", 'route="other",status="404"') == 1
