#!/usr/bin/env python3
"""What ``KaizenCompressor`` adds to a chain invoke, with an 8 KB JSON tool result.

    python integrations/langchain/benchmarks/overhead.py [--rounds 1000] [--kb 8] [--sample all]

Both chains run in the same process on the same input: ``model | parser`` (baseline) and
``KaizenCompressor() | model | parser``; the model is a fake (no network), so the difference
is the compressor step alone (conversion, engine, callback plumbing). Each round runs every
row once, in alternating order, so drift in machine load hits all rows alike. Two cases:

* warm (first sample only): the same tool result every call (an agent loop re-sending its
  history): the engine's cache answers;
* cold: a different tool result every call (fresh data): the engine compresses each time.

The overhead row is p50(with) - p50(without) (likewise p99 and mean). The other rows split
it into what any step would cost and what the work itself needs:

* ``RunnableLambda(identity)``: the same chain with a do-nothing step in the compressor's
  place: what a named step (callbacks, config, tracing context) costs in LangChain;
* engine alone: ``compress_messages`` on the same messages already in the engine's dict shape;
* tokenizer alone: exact counts of the JSON and of its KTOF text, which the savings report
  needs (one call each, as the engine makes them);
* verification alone: decoding the KTOF text and comparing it type-exactly with the parsed
  JSON, the check that makes every replacement lossless;
* one count_tokens: a single exact count of the tool result's text, the unit of the ratio
  lines (issue 16 reports the cold overhead as a multiple of it: an exact gate must count
  the original text once, so 1.0x is the floor).

"Cold" means no engine cache hit: every call brings a tool result the engine has not seen
(new values, so neither the string, nor the fragment's outcome, nor its token count is in
the engine's LRU cache); the process is warm (tokenizer loaded, modules imported).

``--clock cpu`` times each call with the thread's CPU time instead of the wall clock, so a
busy machine's preemption is not charged to whichever row was running.

Token density decides the cost, not bytes, so the cold case runs on three 8 KB samples:
order records as one line (``json.dumps(rows)``, the densest: about 4000 tokens), the same
records pretty-printed, and text-heavy issue records (titles, bodies, labels).
"""

from __future__ import annotations

import argparse
import functools
import gc
import itertools
import json
import random
import statistics
import time
from collections.abc import Callable
from typing import Any

from langchain_core.language_models.fake_chat_models import GenericFakeChatModel
from langchain_core.messages import AIMessage, BaseMessage, HumanMessage, SystemMessage, ToolMessage
from langchain_core.output_parsers import StrOutputParser
from langchain_core.runnables import RunnableLambda

from kaizen_client.engine import clear_cache, compress_messages
from kaizen_client.ktof import decode
from kaizen_client.ktof._equal import same_json
from kaizen_client.tokens import count_tokens
from langchain_kaizen import KaizenCompressor
from langchain_kaizen._convert import to_engine

_WORDS = [
    *("cache", "token", "latency", "retry", "service", "order", "payment", "queue", "worker"),
    *("timeout", "config", "deploy", "build", "release", "schema", "index", "query"),
    *("response", "upstream", "client", "server", "batch", "window", "limit"),
]


def _order(seed: int, i: int) -> dict[str, Any]:
    return {
        "id": 100_000 + (seed * 1_009 + i) % 900_000,  # same width for every seed
        "sku": f"SKU-{seed % 1_000:03d}-{i:04d}",
        "qty": (i * 7 + seed) % 13,
        "price": round(1.5 + (i * 3 + seed) % 97 * 0.25, 2),
        "status": ["open", "paid", "shipped"][i % 3],
    }


def _issue(seed: int, i: int) -> dict[str, Any]:
    rng = random.Random(seed * 1_000 + i)
    words = lambda n: " ".join(rng.choice(_WORDS) for _ in range(n))  # noqa: E731
    return {
        "number": 10_000 + (seed * 101 + i) % 90_000,
        "title": words(6).capitalize(),
        "state": rng.choice(["open", "closed"]),
        "author": f"user-{rng.randrange(500)}",
        "labels": rng.sample(["bug", "perf", "docs", "api", "ci"], rng.randrange(3)),
        "comments": rng.randrange(40),
        "body": words(24).capitalize() + ".",
    }


SAMPLES: dict[str, tuple[Callable[[int, int], dict[str, Any]], int | None]] = {
    "orders, one line": (_order, None),
    "orders, pretty": (_order, 2),
    "issues, one line": (_issue, None),
}
"""Sample name -> (record maker, json.dumps indent)."""


@functools.cache
def _rows_for(kb: int, sample: str) -> int:
    """How many records make ``kb`` KB of JSON for ``sample`` (measured once, on seed 1)."""
    record, indent = SAMPLES[sample]
    rows: list[dict[str, Any]] = []
    while len(json.dumps(rows, indent=indent)) < kb * 1024:
        rows.append(record(1, len(rows)))
    return len(rows)


def tool_result(kb: int, seed: int, sample: str = "orders, one line") -> str:
    """A JSON array of records of about ``kb`` KB (values vary with ``seed``)."""
    record, indent = SAMPLES[sample]
    return json.dumps([record(seed, i) for i in range(_rows_for(kb, sample))], indent=indent)


def conversation(kb: int, seed: int, sample: str = "orders, one line") -> list[BaseMessage]:
    return [
        SystemMessage("Answer from the tool results."),
        HumanMessage("What is the total of the open orders?"),
        AIMessage("", tool_calls=[{"name": "orders", "args": {}, "id": "call-1"}]),
        ToolMessage(tool_result(kb, seed, sample), tool_call_id="call-1"),
    ]


def percentile(samples: list[float], q: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


CLOCKS: dict[str, Callable[[], float]] = {"wall": time.perf_counter, "cpu": time.thread_time}
_clock: list[Callable[[], float]] = [time.perf_counter]
"""The clock ``measure`` uses (set from ``--clock``)."""


def measure(
    chains: dict[str, tuple[Callable[[Any], Any], Callable[[int], Any]]], rounds: int
) -> dict[str, list[float]]:
    """Per-call wall time in ms for each (call, input of round k), alternating the order.

    The engine cache is cleared before each case, not inside it: the warm case relies on it.
    """
    times: dict[str, list[float]] = {name: [] for name in chains}
    names = list(chains)
    clock = _clock[0]
    gc.collect()
    for k in range(rounds):
        order = names if k % 2 == 0 else names[::-1]
        for name in order:
            call, inputs = chains[name]
            value = inputs(k)
            started = clock()
            call(value)
            times[name].append((clock() - started) * 1000)
    return times


Inputs = Callable[[int], Any]
Row = tuple[Callable[[Any], Any], Inputs]


def report(case: str, rows: dict[str, Row], rounds: int) -> None:
    """Time ``rows`` interleaved, print one line per row and the overhead line."""
    times = measure(rows, rounds)
    stats = {
        name: (percentile(t, 0.5), percentile(t, 0.99), statistics.fmean(t))
        for name, t in times.items()
    }
    for name, (p50, p99, mean) in stats.items():
        print(f"{case:<5} {name:<44} {p50:8.3f} {p99:8.3f} {mean:8.3f}")
    base = stats[WITHOUT]
    overheads = {}
    for label, name in ((OVERHEAD, WITH), ("identity step overhead", IDENTITY)):
        p50, p99, mean = (b - a for a, b in zip(base, stats[name], strict=True))
        overheads[label] = (p50, p99, mean)
        print(f"{case:<5} {label:<44} {p50:8.3f} {p99:8.3f} {mean:8.3f}")
    unit = stats.get(COUNT)
    if unit is not None and unit[0] > 0:  # cold: the issue-16 ratios to one exact count
        for label, value in (
            (f"{OVERHEAD} / one count_tokens", overheads[OVERHEAD][0]),
            (f"{ENGINE} / one count_tokens", stats[ENGINE][0]),
        ):
            print(f"{case:<5} {label:<44} {value / unit[0]:7.2f}x (p50 / p50)")


WITHOUT = "model | parser"
IDENTITY = "RunnableLambda(identity) | model | parser"
WITH = "KaizenCompressor() | model | parser"
OVERHEAD = "overhead (with - without)"
ENGINE = "engine alone (compress_messages)"
COUNT = "one count_tokens (the tool result)"


def warm_rows(
    chains: dict[str, Callable[[Any], Any]], messages: list[BaseMessage]
) -> dict[str, Row]:
    """The same conversation every call: the engine's cache answers."""
    dicts = to_engine(messages)
    rows: dict[str, Row] = {name: (call, lambda k: messages) for name, call in chains.items()}
    rows[ENGINE] = (compress_messages, lambda k: dicts)
    return rows


def cold_rows(
    chains: dict[str, Callable[[Any], Any]],
    compressor: KaizenCompressor,
    sample: str,
    kb: int,
    rounds: int,
) -> dict[str, Row]:
    """New content every call, built before timing.

    Each row gets its own seeds, so no row finds another's content in the engine cache.
    """
    seeds = itertools.count(1)
    inputs = {
        name: [conversation(kb, next(seeds), sample) for _ in range(rounds)]
        for name in [*chains, "engine", "tokenizer", "verification", "count"]
    }
    rows: dict[str, Row] = {
        name: (call, lambda k, given=inputs[name]: given[k]) for name, call in chains.items()
    }
    dicts = [to_engine(messages) for messages in inputs["engine"]]
    rows[ENGINE] = (compress_messages, dicts.__getitem__)
    texts = [str(messages[3].content) for messages in inputs["tokenizer"]]
    ktof = [str(compressor.compress(messages)[0][3].content) for messages in inputs["tokenizer"]]
    rows["tokenizer alone (count JSON + KTOF)"] = (
        lambda k: count_tokens(texts[k]) + count_tokens(ktof[k]),
        lambda k: k,
    )
    values = [json.loads(str(messages[3].content)) for messages in inputs["verification"]]
    checked = [
        str(compressor.compress(messages)[0][3].content) for messages in inputs["verification"]
    ]
    rows["verification alone (decode + compare)"] = (
        lambda k: same_json(decode(checked[k]), values[k]),
        lambda k: k,
    )
    originals = [str(messages[3].content) for messages in inputs["count"]]
    rows[COUNT] = (lambda k: count_tokens(originals[k]), lambda k: k)
    clear_cache()
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rounds", type=int, default=1000)
    parser.add_argument("--kb", type=int, default=8)
    parser.add_argument("--sample", choices=["all", *SAMPLES], default="all")
    parser.add_argument(
        "--clock",
        choices=sorted(CLOCKS),
        default="wall",
        help="wall: perf_counter (default); cpu: this thread's CPU time (busy machines)",
    )
    args = parser.parse_args()
    _clock[0] = CLOCKS[args.clock]
    samples = list(SAMPLES) if args.sample == "all" else [args.sample]

    model = GenericFakeChatModel(messages=itertools.repeat(AIMessage("ok")))
    compressor = KaizenCompressor()
    without = model | StrOutputParser()
    identity = RunnableLambda(lambda messages: messages, name="identity") | without
    with_ = compressor | without
    chains = {WITHOUT: without.invoke, IDENTITY: identity.invoke, WITH: with_.invoke}

    warm_input = conversation(args.kb, 0, samples[0])
    for _ in range(200):  # warm-up: imports, caches, first-call costs
        for call in chains.values():
            call(warm_input)

    header = f"{'case':<5} {'what (ms)':<44} {'p50':>8} {'p99':>8} {'mean':>8}"
    for sample in samples:
        first = conversation(args.kb, 3 * args.rounds, sample)  # seeds like the cold rows
        _, (_, event) = compressor.compress(first)
        print(
            f"\n{sample}: {len(str(first[3].content))} bytes of JSON, "
            f"{event['tokens_before']} -> {event['tokens_after']} tokens; "
            f"{args.rounds} rounds per row"
        )
        print(header)
        print("-" * len(header))
        if sample == samples[0]:
            clear_cache()
            report("warm", warm_rows(chains, warm_input), args.rounds)
        report("cold", cold_rows(chains, compressor, sample, args.kb, args.rounds), args.rounds)


if __name__ == "__main__":
    main()
