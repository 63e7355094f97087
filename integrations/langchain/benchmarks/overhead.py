#!/usr/bin/env python3
"""What ``KaizenCompressor`` adds to a chain invoke, with an 8 KB JSON tool result.

    python integrations/langchain/benchmarks/overhead.py [--rounds 2000] [--kb 8]

Both chains run in the same process on the same input: ``model | parser`` (baseline) and
``KaizenCompressor() | model | parser``; the model is a fake (no network), so the difference
is the compressor step alone (conversion, engine, callback plumbing). Rounds alternate
between the two chains so drift in machine load hits both alike. Two cases:

* warm: the same tool result every call (an agent loop re-sending its history): the
  engine's cache answers;
* cold: a different tool result every call (fresh data): the engine compresses each time.

The overhead row is p50(with) - p50(without) (likewise p99 and mean). The engine-alone row
times ``compress_messages`` on the same messages already in the engine's dict shape, to show
how much of the overhead is the core engine and how much is this integration.
"""

from __future__ import annotations

import argparse
import gc
import itertools
import json
import statistics
import time
from collections.abc import Callable
from typing import Any

from langchain_core.language_models.fake_chat_models import GenericFakeChatModel
from langchain_core.messages import AIMessage, BaseMessage, HumanMessage, SystemMessage, ToolMessage
from langchain_core.output_parsers import StrOutputParser

from kaizen_client.engine import clear_cache, compress_messages
from langchain_kaizen import KaizenCompressor
from langchain_kaizen._convert import to_engine


def tool_result(kb: int, seed: int) -> str:
    """A JSON array of uniform records of about ``kb`` KB (values vary with ``seed``)."""
    rows: list[dict[str, Any]] = []
    while len(json.dumps(rows)) < kb * 1024:
        i = len(rows)
        rows.append(
            {
                "id": seed * 100_000 + i,
                "sku": f"SKU-{seed}-{i:04d}",
                "qty": (i * 7 + seed) % 13,
                "price": round(1.5 + (i * 3 + seed) % 97 * 0.25, 2),
                "status": ["open", "paid", "shipped"][i % 3],
            }
        )
    return json.dumps(rows)


def conversation(kb: int, seed: int) -> list[BaseMessage]:
    return [
        SystemMessage("Answer from the tool results."),
        HumanMessage("What is the total of the open orders?"),
        AIMessage("", tool_calls=[{"name": "orders", "args": {}, "id": "call-1"}]),
        ToolMessage(tool_result(kb, seed), tool_call_id="call-1"),
    ]


def percentile(samples: list[float], q: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def measure(
    chains: dict[str, tuple[Callable[[Any], Any], Callable[[int], Any]]], rounds: int
) -> dict[str, list[float]]:
    """Per-call wall time in ms for each (call, input of round k), alternating the order.

    The engine cache is cleared before each case, not inside it: the warm case relies on it.
    """
    times: dict[str, list[float]] = {name: [] for name in chains}
    names = list(chains)
    gc.collect()
    for k in range(rounds):
        order = names if k % 2 == 0 else names[::-1]
        for name in order:
            call, inputs = chains[name]
            value = inputs(k)
            started = time.perf_counter()
            call(value)
            times[name].append((time.perf_counter() - started) * 1000)
    return times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rounds", type=int, default=2000)
    parser.add_argument("--kb", type=int, default=8)
    args = parser.parse_args()

    model = GenericFakeChatModel(messages=itertools.repeat(AIMessage("ok")))
    compressor = KaizenCompressor()
    without = model | StrOutputParser()
    with_ = compressor | model | StrOutputParser()

    warm_input = conversation(args.kb, 0)
    size = len(str(warm_input[3].content))
    compressed = compressor.invoke(warm_input)
    assert isinstance(compressed, list)
    new_size = len(str(compressed[3].content))
    _, (_, event) = compressor.compress(warm_input)
    # Cold inputs are built before timing, so building them is not measured; each chain
    # gets its own seeds, so no chain finds another's content in the engine cache.
    cold = [[conversation(args.kb, 1 + 3 * k + j) for k in range(args.rounds)] for j in range(3)]
    warm_dicts = to_engine(warm_input)
    cold_dicts = [to_engine(m) for m in cold[2]]

    for _ in range(200):  # warm-up: imports, caches, first-call costs
        without.invoke(warm_input)
        with_.invoke(warm_input)

    print(
        f"tool result: {size} bytes of JSON -> {new_size} bytes of KTOF; "
        f"JSON fragment tokens {event['tokens_before']} -> {event['tokens_after']} "
        f"(saved {event['tokens_saved']}); {args.rounds} rounds per case"
    )
    print()
    header = f"{'case':<5} {'what':<40} {'p50 ms':>8} {'p99 ms':>8} {'mean ms':>8}"
    print(header)
    print("-" * len(header))
    Inputs = Callable[[int], Any]
    cases: dict[str, tuple[Inputs, Inputs, Inputs]] = {
        "warm": (lambda k: warm_input, lambda k: warm_input, lambda k: warm_dicts),
        "cold": (lambda k: cold[0][k], lambda k: cold[1][k], lambda k: cold_dicts[k]),
    }
    for case, (plain, compressed_in, dicts) in cases.items():
        clear_cache()
        chains: dict[str, tuple[Callable[[Any], Any], Inputs]] = {
            "model | parser": (without.invoke, plain),
            "KaizenCompressor() | model | parser": (with_.invoke, compressed_in),
            "engine alone (compress_messages)": (compress_messages, dicts),
        }
        times = measure(chains, args.rounds)
        stats = {
            name: (percentile(t, 0.5), percentile(t, 0.99), statistics.fmean(t))
            for name, t in times.items()
        }
        for name, (p50, p99, mean) in stats.items():
            print(f"{case:<5} {name:<40} {p50:8.3f} {p99:8.3f} {mean:8.3f}")
        base, full = stats["model | parser"], stats["KaizenCompressor() | model | parser"]
        p50, p99, mean = (b - a for a, b in zip(base, full, strict=True))
        label = "overhead (with - without)"
        print(f"{case:<5} {label:<40} {p50:8.3f} {p99:8.3f} {mean:8.3f}")


if __name__ == "__main__":
    main()
