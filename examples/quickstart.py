"""Kaizen quickstart: how many prompt tokens KTOF saves, fully offline.

Runs the embedded KTOF codec on the benchmark datasets (no network, no API key), prints
JSON vs TOON vs KTOF token counts, shows what KTOF text looks like, and proves that it
decodes back to exactly the original data. Run it with ``python3 dev.py demo`` or
``python examples/quickstart.py [--model gpt-4o] [--sample nested_orders] [--full]``.
"""

from __future__ import annotations

import argparse
import json
import shutil
import sys
from pathlib import Path
from typing import Any

# The datasets live in python/benchmarks/ (one source of truth for the demo and the
# benchmark); putting python/ first also makes this work from a plain checkout.
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "python"))

HOW_TO_INSTALL = "Run `python3 dev.py demo`, or `pip install -e python` and try again."

try:
    from benchmarks.codec import render_table
    from benchmarks.datasets import DATASETS, GENERATORS, compact_json
    from kaizen_client.ktof import decode, encode
    from kaizen_client.tokens import count_tokens, tokenizer_info
except ImportError as exc:
    sys.exit(f"quickstart needs kaizen-client's dependencies ({exc}).\n{HOW_TO_INSTALL}")

SAMPLE_SIZE = 3
"""Rows/items of the dataset shown as KTOF text: enough to see the shape, short enough to read."""


def same(a: Any, b: Any) -> bool:
    """Equal *and* the same JSON types (``1`` vs ``1.0``, ``-0.0``, key order all matter)."""
    return bool(a == b) and json.dumps(a) == json.dumps(b)


def pct(saved: int, base: int) -> str:
    """Share of ``base`` saved; negative when KTOF is larger."""
    return f"{saved / base:.1%}" if base else "n/a"


def fit(lines: list[str], full: bool) -> list[str]:
    """Cut lines to the terminal width so the sample stays readable (never when piped)."""
    if full or not sys.stdout.isatty():
        return lines
    width = max(60, shutil.get_terminal_size().columns - 5)
    cut = [line if len(line) <= width else line[: width - 1] + "…" for line in lines]
    if cut != lines:
        cut.append("(… long lines cut to fit the terminal; --full shows them whole)")
    return cut


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Offline KTOF token-savings demo.")
    parser.add_argument("--model", default="gpt-4o", help="model whose tokenizer counts")
    parser.add_argument(
        "--sample", default="nested_orders", choices=sorted(GENERATORS), help="dataset shown"
    )
    parser.add_argument("--full", action="store_true", help="never cut long sample lines")
    args = parser.parse_args(argv)
    info = tokenizer_info(args.model)
    try:  # the tokenizer loads lazily; fail here with advice, not mid-table with a traceback
        count_tokens("probe", args.model)
    except ImportError as exc:
        print(f"quickstart needs kaizen-client's dependencies ({exc}).\n{HOW_TO_INSTALL}")
        return 1

    print("Kaizen quickstart: the same data as JSON, TOON and KTOF (offline, no API key)")
    print(f"tokens counted with {info.encoding} for {args.model} ({info.note})\n")

    rows: list[list[object]] = []
    totals = {"json": 0, "pretty": 0, "toon": 0, "ktof": 0}
    round_trips: list[tuple[str, bool]] = []
    failures: list[str] = []
    for name, factory in DATASETS.items():
        value = factory()
        json_tokens = count_tokens(compact_json(value), args.model)
        pretty_tokens = count_tokens(json.dumps(value, indent=2, ensure_ascii=False), args.model)
        try:
            toon_tokens = count_tokens(encode(value, mode="toon"), args.model)
            ktof_text = encode(value, model=args.model)
            ktof_tokens = count_tokens(ktof_text, args.model)
            round_trips.append((name, same(decode(ktof_text), value)))
        except Exception as exc:
            failures.append(f"{name}: {type(exc).__name__}: {exc}".rstrip(": "))
            rows.append([name, json_tokens, None, None, None])
            continue
        for key, n in (("json", json_tokens), ("pretty", pretty_tokens)):
            totals[key] += n
        totals["toon"] += toon_tokens
        totals["ktof"] += ktof_tokens
        rows.append(
            [
                name,
                f"{json_tokens:,}",
                f"{toon_tokens:,}",
                f"{ktof_tokens:,}",
                pct(json_tokens - ktof_tokens, json_tokens),
            ]
        )
    if failures:
        print(render_table(["dataset", "JSON tokens", "TOON tokens", "KTOF tokens", "saved"], rows))
        print("\nThe KTOF codec failed (is it built yet?):")
        print("\n".join(f"  {f}" for f in failures))
        return 1

    rows.append(
        [
            "TOTAL",
            f"{totals['json']:,}",
            f"{totals['toon']:,}",
            f"{totals['ktof']:,}",
            pct(totals["json"] - totals["ktof"], totals["json"]),
        ]
    )
    headers = ["dataset", "JSON tokens", "TOON tokens", "KTOF tokens", "saved vs JSON"]
    print(render_table(headers, rows))
    print(
        "\nJSON = compact json.dumps (no spaces), the strongest JSON baseline. Against the usual"
        f"\nindent=2 JSON, KTOF saves {pct(totals['pretty'] - totals['ktof'], totals['pretty'])};"
        f" against TOON, {pct(totals['toon'] - totals['ktof'], totals['toon'])}."
    )

    sample = GENERATORS[args.sample](SAMPLE_SIZE)
    text = encode(sample, model=args.model)
    print(
        f"\nKTOF for {SAMPLE_SIZE} items of {args.sample} ({count_tokens(text, args.model)} tokens;"
        f" {count_tokens(compact_json(sample), args.model)} as compact JSON):\n"
    )
    print("\n".join(f"    {line}" for line in fit(text.splitlines(), args.full)))

    back = decode(text)
    print(f"\ndecode(encode(sample)) == sample: {'yes' if same(back, sample) else 'NO'}")
    ok = sum(good for _, good in round_trips)
    print(f"round trip, type-exact, every dataset above: {ok}/{len(round_trips)} identical")
    for name, good in round_trips:
        if not good:
            print(f"  MISMATCH: {name}")
    return 0 if ok == len(round_trips) and same(back, sample) else 1


if __name__ == "__main__":
    sys.exit(main())
