"""The ``kaizen eval`` subcommand: arguments, the cost line, the guard, the outputs.

Keys are never arguments: LiteLLM reads the provider's own variable (``OPENAI_API_KEY``,
``ANTHROPIC_API_KEY``...), and ``--api-key-env NAME`` names a variable for an ``--api-base``.
"""

from __future__ import annotations

import argparse
import os
from pathlib import Path
from typing import Any, TextIO

from .data import load_datasets, sample_datasets
from .formats import FORMATS
from .questions import generate_questions, load_questions
from .report import table, write_all
from .runner import Call, CostLimitError, run


def add_parser(sub: Any) -> None:
    """Add ``eval`` to the ``kaizen`` command's subparsers."""
    ev = sub.add_parser(
        "eval",
        help="accuracy vs tokens per format on your data and model (docs/evaluation.md)",
    )
    ev.add_argument(
        "data", nargs="*", help="JSON / JSON-lines files or directories (default: samples)"
    )
    ev.add_argument(
        "--model", required=True, help="a LiteLLM model string, e.g. openai/gpt-4o-mini"
    )
    ev.add_argument("--api-base", help="an OpenAI-compatible endpoint (with an openai/ model)")
    ev.add_argument("--api-key-env", help="name of the variable holding the key for --api-base")
    ev.add_argument("--questions", help="your questions: JSON list or lines of {question, answer}")
    ev.add_argument("--per-kind", type=int, default=2, help="generated questions per kind (2)")
    ev.add_argument(
        "--sample-size", type=int, default=20, help="records per built-in sample dataset (20)"
    )
    ev.add_argument(
        "--formats", default=",".join(FORMATS), help=f"comma-separated ({','.join(FORMATS)})"
    )
    ev.add_argument("--concurrency", type=int, default=4, help="calls in flight at once (4)")
    ev.add_argument("--rpm", type=float, help="at most this many calls started per minute")
    ev.add_argument("--retries", type=int, default=2, help="provider retries per call (2)")
    ev.add_argument("--max-cost", type=float, help="refuse to start above this many dollars")
    ev.add_argument("--cache-dir", default=".kaizen-eval-cache", help="response cache directory")
    ev.add_argument("--no-cache", action="store_true", help="always call the model")
    ev.add_argument(
        "--out", default="kaizen-eval", help="directory for results.json, report.html, plot.png"
    )
    ev.add_argument("--no-progress", action="store_true", help="no progress bar")


def run_command(args: argparse.Namespace, stdout: TextIO, stderr: TextIO) -> int:
    """Run ``kaizen eval``; exit 0 done, 1 bad input, 4 refused by --max-cost."""
    try:
        datasets = (
            load_datasets(args.data) if args.data else sample_datasets(max(2, args.sample_size))
        )
        if args.questions:
            questions = load_questions(args.questions, datasets)
        else:
            questions = [q for d in datasets for q in generate_questions(d, args.per_kind)]
        if not questions:
            raise ValueError("no questions: the data has no list of objects to ask about")
        formats = [f.strip() for f in args.formats.split(",") if f.strip()]
    except (OSError, ValueError) as exc:
        stderr.write(f"kaizen eval: {exc}\n")
        return 1
    api_key = os.environ.get(args.api_key_env) if args.api_key_env else None
    if args.api_key_env and not api_key:
        stderr.write(f"kaizen eval: --api-key-env {args.api_key_env}: that variable is not set\n")
        return 1

    def announce(calls: list[Call], cost: float | None) -> None:
        price = f"${cost:.4f}" if cost is not None else "unknown (no price for this model)"
        stderr.write(
            f"kaizen eval: {len(questions)} questions x {len(formats)} formats = {len(calls)} "
            f"calls, {sum(c.prompt_tokens for c in calls):,} prompt tokens, "
            f"estimated cost {price}\n"
        )

    try:
        result = run(
            datasets,
            questions,
            args.model,
            formats=formats,
            api_base=args.api_base,
            api_key=api_key,
            concurrency=max(1, args.concurrency),
            rpm=args.rpm,
            retries=max(0, args.retries),
            cache_dir=None if args.no_cache else Path(args.cache_dir),
            max_cost=args.max_cost,
            progress=not args.no_progress and stderr.isatty(),
            stream=stderr,
            on_plan=announce,
        )
    except CostLimitError as exc:
        stderr.write(f"kaizen eval: {exc}\n")
        return 4
    except ValueError as exc:
        stderr.write(f"kaizen eval: {exc}\n")
        return 1
    stdout.write(table(result))
    written = write_all(result, Path(args.out))
    stderr.write("kaizen eval: wrote " + ", ".join(str(p) for p in written) + "\n")
    return 0
