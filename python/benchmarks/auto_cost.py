"""Where auto mode's time goes on real documents: the tokenizer or the codec's own work.

Run ``PYTHONPATH=<compiled build> python python/benchmarks/auto_cost.py [--min 4000] [--max
16000]``. For every document of the external corpus (``benchmarks/external``: data nobody here
wrote) whose one-line JSON is within the size range, it times ``encode_counted(value,
compare_json=False)`` (auto mode as the engine calls it) against one ``count_tokens`` of that
JSON text, with the tokenizer's calls inside ``encode`` wrapped and timed
(:class:`TokenizerMeter`). Prints one row per shape, medians over its documents:

* ``encode``: encode time / one count of the JSON text;
* ``tokenizer`` and ``rest``: the part of it spent in the tokenizer, and the rest (the codec
  choosing and writing);
* ``calls`` and ``chars``: tokenizer calls per document, and characters handed to the
  tokenizer / characters of the JSON text (an upper bound of what it read: a count bounded by
  a limit, ``count_tokens_upto``, stops reading once the limit is passed, so ``tokenizer``
  is the measure of its work and ``chars`` only of what it was offered).

Issue 16's target for the engine is a cold ``compress_messages`` in at most 3 counts of the
tool result (``benchmarks/engine.py``); this shows why nested documents are far from it.

A second table prints the **floor** (:data:`FLOOR_STEPS`): what a cold engine call spends on
a document even if auto mode knew the cheapest form without counting anything, because the
engine's promises need those steps whatever the design: the JSON found and parsed with the
source-exactness checks (the engine's ``detect``), the original and the output each counted
once (the report's ``tokens_before``/``tokens_after``), the output written (timed as a
TOON-mode encode: readable text, no choices, no counts) and the round trip verified (the
gate's ``verify``). Where the floor is above 3 counts, no design of auto mode meets the 3x
target on that shape with this codec's writer, decoder and checks.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

if __package__ in (None, ""):  # run as a script: make ``benchmarks`` importable from python/
    sys.path.append(str(Path(__file__).resolve().parents[1]))


class TokenizerMeter:
    """Time, calls and characters of one model's tokenizer, while :meth:`wrapped` is active.

    Wraps the per-model counters that ``tokens.count_tokens`` and ``count_tokens_upto`` look
    up, so every count anything makes (auto mode's, the engine's) passes through the meter.
    ``tokens`` is the module (a second copy of the package can be measured too).
    """

    def __init__(
        self, tokens: Any, model: str, clock: Callable[[], int] = time.perf_counter_ns
    ) -> None:
        self.tokens = tokens
        self.model = model
        self.clock = clock
        self.reset()

    def reset(self) -> None:
        self.ns = 0
        self.calls = 0
        self.chars = 0

    @contextmanager
    def wrapped(self) -> Iterator[TokenizerMeter]:
        tokens, model, clock = self.tokens, self.model, self.clock
        tokens.count_tokens("warm", model)  # both counters exist before they are swapped
        tokens.count_tokens_upto("warm up", 1, model)
        plain, limited = tokens._COUNTERS[model], tokens._LIMITED[model]

        def timed_plain(text: str) -> int:
            start = clock()
            n = plain(text)
            self.ns += clock() - start
            self.calls += 1
            self.chars += len(text)
            return int(n)

        def timed_limited(text: str, limit: int) -> int | None:
            start = clock()
            n = limited(text, limit)
            self.ns += clock() - start
            self.calls += 1
            self.chars += len(text)
            return None if n is None else int(n)

        tokens._COUNTERS[model], tokens._LIMITED[model] = timed_plain, timed_limited
        try:
            yield self
        finally:
            tokens._COUNTERS[model], tokens._LIMITED[model] = plain, limited


FLOOR_STEPS = ("detect", "count", "write", "count-out", "verify")
"""The steps a cold engine call runs on a JSON tool result whatever auto mode's design:
``detect`` (the engine's fragment detection: the JSON parsed, with the checks that only a
source-exact fragment is rewritten), ``count`` (one count of it, the report's
``tokens_before``), ``write`` (a TOON-mode encode of the value: readable text written with no
choices and no counts, the cheapest writing this codec has), ``count-out`` (one count of the
auto output, ``tokens_after``) and ``verify`` (the gate's round-trip check of that output).
Their sum is the ``floor`` column of this script and of ``benchmarks/engine.py``: what any
design of auto mode would spend with this codec's plainest writer, its decoder and the
engine's checks, even one that made no choices. A bound, not an estimate: a real design also
chooses."""


def floor_steps(value: Any, model: str, repeats: int, clock: Callable[[], int]) -> dict[str, float]:
    """One document: microseconds of each of :data:`FLOOR_STEPS` (fastest of ``repeats``),
    and ``floor``, their sum."""
    from kaizen_client import tokens
    from kaizen_client.engine import gating
    from kaizen_client.engine.fragments import find_fragments
    from kaizen_client.ktof.encoder import encode, encode_counted

    text = json.dumps(value, ensure_ascii=False)
    output, _ = encode_counted(value, model=model, compare_json=False)
    settings = gating.GateSettings()
    calls: dict[str, Callable[[], object]] = {
        "detect": lambda: find_fragments(text),
        "count": lambda: tokens.count_tokens(text, model),
        "write": lambda: encode(value, mode="toon"),
        "count-out": lambda: tokens.count_tokens(output, model),
        "verify": lambda: gating._round_trips(value, output, settings),
    }
    assert tuple(calls) == FLOOR_STEPS and gating._round_trips(value, output, settings)
    steps = {
        name: min(_timed(fn, clock) for _ in range(repeats)) / 1000 for name, fn in calls.items()
    }
    steps["floor"] = sum(steps[name] for name in FLOOR_STEPS)
    return steps


def measure(value: Any, model: str, repeats: int, clock: Callable[[], int]) -> dict[str, float]:
    """One document: the fastest of ``repeats`` runs of each, as ratios to one count."""
    from kaizen_client import tokens
    from kaizen_client.ktof.encoder import encode_counted

    text = json.dumps(value, ensure_ascii=False)
    count = min(_timed(lambda: tokens.count_tokens(text, model), clock) for _ in range(repeats))
    meter = TokenizerMeter(tokens, model, clock)
    runs = []
    with meter.wrapped():
        for _ in range(repeats):
            meter.reset()
            total = _timed(lambda: encode_counted(value, model=model, compare_json=False), clock)
            runs.append((total, meter.ns, meter.calls, meter.chars))
    total, ns, calls, chars = min(runs)
    return {
        "encode": total / count,
        "tokenizer": ns / count,
        "rest": (total - ns) / count,
        "calls": calls,
        "chars": chars / len(text),
    }


def _timed(fn: Callable[[], object], clock: Callable[[], int]) -> int:
    start = clock()
    fn()
    return clock() - start


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument("--min", type=int, default=4000, help="smallest JSON text, characters")
    parser.add_argument("--max", type=int, default=16000, help="largest JSON text, characters")
    parser.add_argument("--repeats", type=int, default=7)
    parser.add_argument("--model", default="gpt-4o")
    args = parser.parse_args(argv)
    from benchmarks.external.corpus import load_corpus
    from kaizen_client.ktof import decoder

    build = "pure Python" if decoder.__file__.endswith(".py") else "compiled (mypyc)"
    clock = time.thread_time_ns
    shapes: dict[str, list[dict[str, float]]] = {}
    for doc in load_corpus():
        size = len(json.dumps(doc.value, ensure_ascii=False))
        if args.min <= size <= args.max:
            row = measure(doc.value, args.model, args.repeats, clock)
            steps = floor_steps(doc.value, args.model, args.repeats, clock)
            row |= {name: us / steps["count"] for name, us in steps.items() if name != "count"}
            shapes.setdefault(doc.shape, []).append(row)
    print(
        f"auto mode (compare_json=False) on external documents of {args.min}-{args.max} "
        f"characters, {build} codec, CPU clock; medians, / one count of the JSON text"
    )
    columns = ("encode", "tokenizer", "rest", "calls", "chars")
    header = f"{'shape':14} {'docs':>4} " + " ".join(f"{c:>9}" for c in columns)
    print(header)
    print("-" * len(header))
    for shape, rows in shapes.items():
        cells = [statistics.median(row[c] for row in rows) for c in columns]
        print(
            f"{shape:14} {len(rows):4} "
            + " ".join(f"{v:8.2f}x" for v in cells[:3])
            + f" {cells[3]:9.0f} {cells[4]:8.2f}x"
        )
    print()
    print(
        "floor: what a cold engine call spends whatever auto mode's design (detect, count the "
        "JSON, write, count the output, verify); medians, / one count"
    )
    columns = (*(s for s in FLOOR_STEPS if s != "count"), "floor", "encode")
    header = f"{'shape':14} {'docs':>4} " + " ".join(f"{c:>9}" for c in columns)
    print(header)
    print("-" * len(header))
    for shape, rows in shapes.items():
        cells = [statistics.median(row[c] for row in rows) for c in columns]
        print(f"{shape:14} {len(rows):4} " + " ".join(f"{v:8.2f}x" for v in cells))
    return 0


if __name__ == "__main__":
    sys.exit(main())
