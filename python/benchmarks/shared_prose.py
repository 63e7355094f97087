"""How much of auto mode's JSON check a shared-prose design could save (issue 16, speed (a)).

Auto mode must show that its output has no more tokens than compact JSON. Where the JSON's
pre-token floor cannot show it (prose- and URL-heavy documents: chat_transcript, github_api),
the JSON is counted. But long strings appear in both texts with the same characters (a KTOF
quoted string is a JSON string literal; a bare one needs no escapes), and cut at certain
pre-token boundaries (``tokens.boundary_at``: ASCII letter or digit, then ASCII punctuation)
their middles add the same count to both texts. So only the rest of the JSON would need
counting, if the output's count were also taken with those middles apart.

This script measures that, without changing the codec: per dataset, the shared middles, a check
that the count difference is the same with and without them (the cut is exact), and the floor
of such a design (one count of the output, one count of the JSON without the middles, one
TOON-mode write) against toon-format's encode.

    PYTHONPATH=<compiled build> python python/benchmarks/shared_prose.py --clock cpu
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import Any

if __package__ in (None, ""):  # run as a script: make ``benchmarks`` importable from python/
    sys.path.append(str(Path(__file__).resolve().parents[1]))

from benchmarks.codec import CLOCKS, _best_time
from benchmarks.datasets import DATASETS, compact_json

MIDDLE_MIN = 16
"""Shorter middles are left in place (a cut costs the design a piece of bookkeeping)."""


def string_literals(value: Any, found: list[str]) -> list[str]:
    """The insides of the JSON string literals of ``value`` (keys left out: tables write each
    key once, so they are not shared)."""
    if isinstance(value, dict):
        for item in value.values():
            string_literals(item, found)
    elif isinstance(value, list):
        for item in value:
            string_literals(item, found)
    elif isinstance(value, str):
        found.append(json.dumps(value, ensure_ascii=False)[1:-1])
    return found


def middle(text: str) -> str | None:
    """``text`` from its first to its last certain pre-token boundary, or None if too short."""
    from kaizen_client.tokens import certain_boundary, last_certain_boundary

    first = certain_boundary(text, 0)
    last = last_certain_boundary(text, first)
    if first < 0 or last < 0:
        return None
    piece = text[first:last]
    return piece if len(piece) >= MIDDLE_MIN else None


def without_shared(output: str, json_text: str, value: Any) -> tuple[str, str, int]:
    """Both texts with every middle that occurs equally often in each removed, and how many
    characters of the output that removed. Each cut joins a letter or digit to punctuation,
    a certain boundary, so each text's count drops by the same amount per occurrence."""
    middles = {m for s in string_literals(value, []) if (m := middle(s)) is not None}
    shared = 0
    for piece in sorted(middles, key=len, reverse=True):
        times = output.count(piece)
        if times and times == json_text.count(piece):
            output = output.replace(piece, "")
            json_text = json_text.replace(piece, "")
            shared += times * len(piece)
    return output, json_text, shared


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--clock", choices=sorted(CLOCKS), default="wall")
    parser.add_argument("datasets", nargs="*", default=list(DATASETS))
    args = parser.parse_args(argv)
    import toon_format

    from kaizen_client.ktof import encode
    from kaizen_client.tokens import count_tokens

    clock = CLOCKS[args.clock]

    def timed(fn: Callable[[], Any]) -> float:
        return _best_time(fn, 5, 0.05, clock) * 1e3

    header = (
        f"{'dataset':16} {'out':>6} {'shared':>6} {'diff ok':>7} {'count(out)':>10} "
        f"{'count(json)':>11} {'json cut':>8} {'toon':>6} {'tf':>6} {'now/tf':>7} {'cut/tf':>7}"
    )
    print(
        f"milliseconds, {args.clock} clock; now = count(out) + count(json) + toon mode, "
        "cut = count(out) + json cut + toon mode"
    )
    print(header)
    print("-" * len(header))
    for name in args.datasets:
        value = DATASETS[name]()
        output = encode(value)
        json_text = compact_json(value)
        out_cut, json_cut, shared = without_shared(output, json_text, value)
        exact = count_tokens(json_text) - count_tokens(output)
        same = exact == count_tokens(json_cut) - count_tokens(out_cut)
        t_out = timed(partial(count_tokens, output))
        t_json = timed(partial(count_tokens, json_text))
        t_cut = timed(partial(count_tokens, json_cut))
        t_toon = timed(partial(encode, value, mode="toon"))
        t_tf = timed(partial(toon_format.encode, value))
        print(
            f"{name:16} {len(output):6} {shared:6} {'yes' if same else 'NO':>7} {t_out:10.2f} "
            f"{t_json:11.2f} {t_cut:8.2f} {t_toon:6.2f} {t_tf:6.2f} "
            f"{t_tf / (t_out + t_json + t_toon):6.2f}x {t_tf / (t_out + t_cut + t_toon):6.2f}x"
        )
        if not same:
            return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
