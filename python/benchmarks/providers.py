"""Overhead of a wrapped provider SDK client over an unwrapped one, measured in the same run.

Run ``python python/benchmarks/providers.py [--iterations 200] [--providers openai,gemini]``
(default: all three). For each installed SDK, a wrapped and an unwrapped sync client call
the loopback fake provider (``kaizen_client.integrations.fake_providers``) in interleaved
rounds (unwrapped, wrapped, unwrapped, ...) with a chat whose tool result is about 8 KB of
one-line JSON. Every call carries fresh content (new values in every row), so the engine's
cache never answers: this is the cold cost a new tool result pays. The table prints p50/p90
per call for both clients and the median of the paired differences, which is what wrapping
adds (compressing the request, the savings bookkeeping) on top of the SDK's own work and a
loopback HTTP round trip; the ``bytes sent`` columns show what it buys.

Numbers depend on the machine (the header prints the load average); this is not a test.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import os
import platform
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

if __package__ in (None, ""):  # run as a script from anywhere
    sys.path.append(str(Path(__file__).resolve().parents[1]))

from kaizen_client.integrations.fake_providers import FakeProvider

TARGET_BYTES = 8 * 1024
KEY = "benchmark-no-key"


def tool_result(seed: int) -> str:
    """About 8 KB of one-line JSON rows; ``seed`` makes every value new."""
    rows: list[dict[str, Any]] = []
    text = "[]"
    while len(text) < TARGET_BYTES:
        i = len(rows)
        rows.append(
            {
                "id": seed * 1000 + i,
                "sku": f"SKU-{seed:05d}-{i:03d}",
                "qty": (seed + i) % 9,
                "price": round(1.25 * ((seed + i) % 40), 2),
                "status": ("shipped", "late", "open")[(seed + i) % 3],
            }
        )
        text = json.dumps(rows)
    return text


# Each provider: (SDK module, make a client for the fake, wrap it, one call with a tool result).
Call = Callable[[Any, str], Any]


def _openai() -> tuple[Callable[[str], Any], Callable[[Any], Any], Call]:
    from openai import OpenAI

    from kaizen_client.integrations.openai import wrap_openai

    def call(client: Any, text: str) -> Any:
        messages = [
            {"role": "user", "content": "Summarise the orders."},
            {
                "role": "assistant",
                "content": None,
                "tool_calls": [
                    {"id": "c1", "type": "function", "function": {"name": "o", "arguments": "{}"}}
                ],
            },
            {"role": "tool", "tool_call_id": "c1", "content": text},
        ]
        return client.chat.completions.create(model="gpt-4o", messages=messages)

    return (lambda url: OpenAI(base_url=url + "/v1", api_key=KEY, max_retries=0)), wrap_openai, call


def _anthropic() -> tuple[Callable[[str], Any], Callable[[Any], Any], Call]:
    from anthropic import Anthropic

    from kaizen_client.integrations.anthropic import wrap_anthropic

    def call(client: Any, text: str) -> Any:
        block = {"type": "tool_result", "tool_use_id": "t1", "content": text}
        use = {"type": "tool_use", "id": "t1", "name": "o", "input": {}}
        messages = [
            {"role": "user", "content": "Summarise the orders."},
            {"role": "assistant", "content": [use]},
            {"role": "user", "content": [block]},
        ]
        return client.messages.create(model="claude-haiku-4-5", max_tokens=64, messages=messages)

    def make(url: str) -> Any:
        return Anthropic(base_url=url, api_key=KEY, max_retries=0)

    return make, wrap_anthropic, call


def _gemini() -> tuple[Callable[[str], Any], Callable[[Any], Any], Call]:
    from google import genai
    from google.genai import types

    from kaizen_client.integrations.gemini import wrap_gemini

    def call(client: Any, text: str) -> Any:
        response = {"output": text}
        contents = [
            {"role": "user", "parts": [{"text": "Summarise the orders."}]},
            {"role": "model", "parts": [{"function_call": {"name": "o", "args": {}}}]},
            {"role": "user", "parts": [{"function_response": {"name": "o", "response": response}}]},
        ]
        return client.models.generate_content(model="gemini-2.5-flash", contents=contents)

    def make(url: str) -> Any:
        return genai.Client(api_key=KEY, http_options=types.HttpOptions(base_url=url))

    return make, wrap_gemini, call


PROVIDERS = {
    "openai": ("openai", _openai),
    "anthropic": ("anthropic", _anthropic),
    "gemini": ("google.genai", _gemini),
}


def _installed(module: str) -> bool:
    try:
        return importlib.util.find_spec(module) is not None
    except ModuleNotFoundError:
        return False


def _ms(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return 1000 * ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def measure(name: str, iterations: int, warmup: int = 10) -> dict[str, Any]:
    make, wrap, call = PROVIDERS[name][1]()
    with FakeProvider(reply="Done.") as fake:
        plain, wrapped = make(fake.url), wrap(make(fake.url))
        times: dict[str, list[float]] = {"plain": [], "wrapped": []}
        sizes: dict[str, list[int]] = {"plain": [], "wrapped": []}
        for i in range(warmup + iterations):
            text = tool_result(i)  # fresh content for every round, same for both clients
            for label, client in (("plain", plain), ("wrapped", wrapped)):
                start = time.perf_counter()
                call(client, text)
                elapsed = time.perf_counter() - start
                if i >= warmup:
                    times[label].append(elapsed)
                    sizes[label].append(len(fake.last().body))
        plain_ms = {q: _ms(times["plain"], q) for q in (0.5, 0.9)}
        wrapped_ms = {q: _ms(times["wrapped"], q) for q in (0.5, 0.9)}
        diffs = [w - p for w, p in zip(times["wrapped"], times["plain"], strict=True)]
        return {
            "provider": name,
            "plain_p50": plain_ms[0.5],
            "plain_p90": plain_ms[0.9],
            "wrapped_p50": wrapped_ms[0.5],
            "wrapped_p90": wrapped_ms[0.9],
            "overhead_p50": 1000 * statistics.median(diffs),
            "bytes_plain": statistics.mean(sizes["plain"]),
            "bytes_wrapped": statistics.mean(sizes["wrapped"]),
        }


def render(rows: list[dict[str, Any]]) -> str:
    head = (
        "| provider | unwrapped p50 ms | unwrapped p90 ms | wrapped p50 ms | wrapped p90 ms "
        "| overhead p50 ms (paired) | bytes sent unwrapped | bytes sent wrapped |"
    )
    lines = [head, "|---|---:|---:|---:|---:|---:|---:|---:|"]
    for r in rows:
        lines.append(
            f"| {r['provider']} | {r['plain_p50']:.2f} | {r['plain_p90']:.2f} "
            f"| {r['wrapped_p50']:.2f} | {r['wrapped_p90']:.2f} | {r['overhead_p50']:.2f} "
            f"| {r['bytes_plain']:.0f} | {r['bytes_wrapped']:.0f} |"
        )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--iterations", type=int, default=200)
    parser.add_argument("--providers", default="openai,anthropic,gemini")
    args = parser.parse_args(argv)
    load = os.getloadavg() if hasattr(os, "getloadavg") else (0.0, 0.0, 0.0)
    print(
        f"python {platform.python_version()} on {platform.machine()}, {os.cpu_count()} CPUs, "
        f"load {load[0]:.2f}; {args.iterations} calls per client, ~8 KB tool result, fresh "
        f"content each call"
    )
    rows = []
    for name in args.providers.split(","):
        module = PROVIDERS[name][0]
        if not _installed(module):
            print(f"{name}: {module} is not installed, skipped")
            continue
        rows.append(measure(name, args.iterations))
    print(render(rows))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
