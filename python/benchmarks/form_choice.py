"""What auto mode's exact choice between an object's block and its inline flow costs and buys.

Run ``python python/benchmarks/form_choice.py`` with the pure-Python codec (it swaps one
method of the writer, which a compiled build does not allow; it refuses to run on one).

Auto mode writes each object field both ways, as a block (``key:`` and indented fields) and as
an inline flow (``key[]: {...}``), counts both and keeps the cheaper one: that is most of its
tokenizer time on nested documents (``benchmarks/auto_cost.py``). This prints, for the nested
shapes of the external corpus (``benchmarks/external``: data nobody here wrote), what the
two one-form rules that skip that counting would give instead:

* ``exact``: auto mode as shipped;
* ``block only``: no inline flow for an object field (its flow is never written or counted);
* ``flow first``: an object field whose flow fits (``JSON_ALTERNATIVE_MAX``) is written as a
  flow without its block being written or counted.

Per shape and rule: total tokens (``encode_counted``, with the compact-JSON fallback) against
compact JSON, the documents where the rule costs more tokens than exact, and the median
encode time (``compare_json=False``, as the engine calls it; documents of 4-16 KB, fastest of
``--repeats``) against exact's. Every output is checked to decode back type-exactly.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from functools import partial
from pathlib import Path
from typing import Any

if __package__ in (None, ""):  # run as a script: make ``benchmarks`` importable from python/
    sys.path.append(str(Path(__file__).resolve().parents[1]))

from benchmarks.auto_cost import _timed
from kaizen_client.ktof import _auto

RULES = ("exact", "block only", "flow first")
SHAPES = ("nested_api", "config_spec")


def _block_only(
    writer: _auto.AutoWriter, head: str, value: Any, flow_text: str, limit: int, root: bool
) -> None:
    return None  # the inline candidate never wins, and is never counted


def _flow_first(exact: Callable[..., Any]) -> Callable[..., Any]:
    def field(writer: _auto.AutoWriter, key: str, value: Any, depth: int, lead: str) -> Any:
        if type(value) is dict and value:
            flow_text = writer.flow(value)
            if len(flow_text) <= _auto.JSON_ALTERNATIVE_MAX:
                head = f"{lead}{_auto.header_key(key)}[]: "
                inline = writer.inline_within(head, value, flow_text, sys.maxsize, not lead)
                if inline is not None:
                    return inline
        return exact(writer, key, value, depth, lead)

    return field


@contextmanager
def rule(name: str) -> Iterator[None]:
    """Auto mode with ``name``'s rule for object fields while active (``exact``: unchanged)."""
    writer = _auto.AutoWriter
    saved = writer.field, writer.inline_within
    if name == "block only":
        writer.inline_within = _block_only  # type: ignore[assignment,method-assign]
    elif name == "flow first":
        writer.field = _flow_first(saved[0])  # type: ignore[method-assign]
    elif name != "exact":
        raise ValueError(f"unknown rule {name!r}; one of {RULES}")
    try:
        yield
    finally:
        writer.field, writer.inline_within = saved  # type: ignore[method-assign]


def measure(
    values: list[Any], model: str, repeats: int, timed: list[bool]
) -> dict[str, list[tuple[int, float | None]]]:
    """Per rule, per value: (tokens, encode ns or None when the value is not ``timed``)."""
    from kaizen_client.ktof import decode
    from kaizen_client.ktof._equal import same_json
    from kaizen_client.ktof.encoder import encode_counted

    clock = time.thread_time_ns
    results: dict[str, list[tuple[int, float | None]]] = {}
    for name in RULES:
        with rule(name):
            rows: list[tuple[int, float | None]] = []
            for value, time_it in zip(values, timed, strict=True):
                text, tokens = encode_counted(value, model=model)
                if not same_json(decode(text), value):
                    raise AssertionError(f"{name}: output does not decode back")
                best: float | None = None
                if time_it:
                    run = partial(encode_counted, value, model=model, compare_json=False)
                    best = min(_timed(run, clock) for _ in range(repeats))
                rows.append((int(tokens or 0), best))
            results[name] = rows
    return results


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--model", default="gpt-4o")
    args = parser.parse_args(argv)
    from kaizen_client import tokens
    from kaizen_client.ktof import decoder

    if not decoder.__file__.endswith(".py"):
        print("form_choice.py needs the pure-Python codec (no compiled build on PYTHONPATH)")
        return 2
    from benchmarks.external.corpus import load_corpus

    print("auto mode's object-field rule on external documents; pure-Python codec, CPU clock")
    header = f"{'shape':12} {'rule':11} {'tokens':>8} {'/ JSON':>7} {'worse':>7} {'encode':>8}"
    print(header)
    print("-" * len(header))
    for shape in SHAPES:
        docs = load_corpus(shapes=[shape])
        texts = [json.dumps(doc.value, ensure_ascii=False, separators=(",", ":")) for doc in docs]
        json_tokens = sum(tokens.count_tokens(text, args.model) for text in texts)
        timed = [4000 <= len(json.dumps(doc.value, ensure_ascii=False)) <= 16000 for doc in docs]
        results = measure([doc.value for doc in docs], args.model, args.repeats, timed)
        exact = results["exact"]
        for name in RULES:
            rows = results[name]
            total = sum(n for n, _ in rows)
            worse = sum(n > e for (n, _), (e, _) in zip(rows, exact, strict=True))
            ratios = [t / e for (_, t), (_, e) in zip(rows, exact, strict=True) if t and e]
            print(
                f"{shape:12} {name:11} {total:8} {total / json_tokens:7.3f} "
                f"{worse:3}/{len(rows):<3} {statistics.median(ratios):7.2f}x"
            )
    return 0


if __name__ == "__main__":
    sys.exit(main())
