"""The results, three ways: a terminal table, a JSON file, and an HTML report with a PNG plot
(accuracy against prompt tokens per format) that can be attached to a decision."""

from __future__ import annotations

import html
import json
from pathlib import Path
from typing import Any

from .runner import RunResult
from .scoring import FormatResult, within

REFERENCE = "json-compact"
CANDIDATE = "ktof"


def _find(result: RunResult, name: str) -> FormatResult | None:
    return next((f for f in result.formats if f.format == name), None)


def verdict(result: RunResult) -> str:
    """The plain answer to: is KTOF's accuracy within the 95 % interval of JSON's?"""
    ref, cand = _find(result, REFERENCE), _find(result, CANDIDATE)
    if ref is None or cand is None:
        return f"Not answered: the run did not include both {REFERENCE} and {CANDIDATE}."
    low, high = ref.interval
    saved = 1 - cand.prompt_tokens / ref.prompt_tokens if ref.prompt_tokens else 0.0
    where = "within" if within(cand, ref) else "below"
    if cand.accuracy > high:
        where = "above"
    return (
        f"KTOF's accuracy {cand.accuracy:.1%} is {where} the 95 % interval of compact JSON's "
        f"({ref.accuracy:.1%}, interval {low:.1%}-{high:.1%}), with {saved:.1%} fewer prompt "
        f"tokens ({cand.total} questions)."
    )


def table(result: RunResult) -> str:
    """The terminal table, one row per format."""
    flag = "" if result.tokens_exact else " (estimated)"
    head = (
        f"{'format':<14}{'accuracy':>9}{'95% interval':>16}"
        f"{'prompt tokens' + flag:>26}{'acc/1k tok':>12}"
    )
    lines = [f"model {result.model}; tokens: {result.tokenizer_note}", head, "-" * len(head)]
    for f in result.formats:
        low, high = f.interval
        lines.append(
            f"{f.format:<14}{f.accuracy:>9.1%}{f'{low:.1%}-{high:.1%}':>16}"
            f"{f.prompt_tokens:>26,}{f.accuracy_per_1k_tokens:>12.2f}"
        )
    kinds = sorted({k for f in result.formats for k in f.by_kind})
    if kinds:  # one row per kind, one column per format: stays narrow however many kinds
        lines.append("")
        lines.append(f"{'by kind':<14}" + "".join(f"{f.format:>14}" for f in result.formats))
        for k in kinds:
            cells = []
            for f in result.formats:
                c, t = f.by_kind.get(k, [0, 0])
                cells.append(f"{f'{c}/{t}':>14}")
            lines.append(f"{k:<14}" + "".join(cells))
    lines.append("")
    lines.append(verdict(result))
    return "\n".join(lines) + "\n"


def to_json(result: RunResult) -> dict[str, Any]:
    """Everything in the run, for the results file."""
    return {
        "model": result.model,
        "tokens_exact": result.tokens_exact,
        "tokenizer": result.tokenizer_note,
        "estimated_cost_usd": result.estimated_cost,
        "calls_sent": result.sent,
        "calls_cached": result.cached,
        "verdict": verdict(result),
        "formats": [
            {
                "format": f.format,
                "correct": f.correct,
                "total": f.total,
                "accuracy": f.accuracy,
                "interval95": list(f.interval),
                "prompt_tokens": f.prompt_tokens,
                "accuracy_per_1k_tokens": f.accuracy_per_1k_tokens,
                "by_kind": {k: {"correct": c, "total": t} for k, (c, t) in f.by_kind.items()},
            }
            for f in result.formats
        ],
        "answers": result.answers,
    }


def write_png(result: RunResult, path: Path) -> None:
    """Accuracy (with its interval) against prompt tokens, one point per format."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(6, 4), dpi=100)
    for f in result.formats:
        low, high = f.interval
        ax.errorbar(
            [f.prompt_tokens],
            [100 * f.accuracy],
            # max(0, ...): at 100 % the upper bound can round a hair below the accuracy
            yerr=[[100 * max(0.0, f.accuracy - low)], [100 * max(0.0, high - f.accuracy)]],
            fmt="o",
            capsize=4,
            label=f.format,
        )
    ax.set_xlabel("prompt tokens (whole run)" + ("" if result.tokens_exact else ", estimated"))
    ax.set_ylabel("accuracy % (95 % Wilson interval)")
    ax.set_title(f"Accuracy vs tokens: {result.model}")
    ax.set_ylim(0, 105)
    ax.legend()
    fig.tight_layout()
    fig.savefig(path, metadata={"Software": None})
    plt.close(fig)


def write_html(result: RunResult, path: Path, png_name: str | None) -> None:
    """A self-contained page: the verdict, the table, the plot, every answer."""
    e = html.escape
    rows = "".join(
        f"<tr><td>{e(f.format)}</td><td>{f.accuracy:.1%}</td>"
        f"<td>{f.interval[0]:.1%}-{f.interval[1]:.1%}</td><td>{f.prompt_tokens:,}</td>"
        f"<td>{f.accuracy_per_1k_tokens:.2f}</td></tr>"
        for f in result.formats
    )
    answers = "".join(
        f"<tr><td>{e(a['id'])}</td><td>{e(a['kind'])}</td><td>{e(a['format'])}</td>"
        f"<td>{e(a['question'])}</td><td>{e(a['gold'])}</td><td>{e(a['answer'])}</td>"
        f"<td>{'yes' if a['correct'] else 'NO'}</td></tr>"
        for a in result.answers
    )
    img = f'<img src="{e(png_name)}" alt="accuracy vs prompt tokens">' if png_name else ""
    flag = "" if result.tokens_exact else " (estimated)"
    page = f"""<!doctype html>
<html><head><meta charset="utf-8"><title>kaizen eval: {e(result.model)}</title>
<style>body{{font-family:sans-serif;max-width:60em;margin:2em auto}}
table{{border-collapse:collapse}}td,th{{border:1px solid #ccc;padding:.2em .5em}}</style></head>
<body><h1>kaizen eval: {e(result.model)}</h1>
<p><strong>{e(verdict(result))}</strong></p>
<p>Tokens: {e(result.tokenizer_note)}. Calls sent: {result.sent}, from cache: {result.cached}.</p>
<table><tr><th>format</th><th>accuracy</th><th>95 % interval</th>
<th>prompt tokens{flag}</th><th>accuracy per 1k tokens</th></tr>{rows}</table>
{img}
<h2>Answers</h2>
<table><tr><th>id</th><th>kind</th><th>format</th><th>question</th><th>gold</th><th>answer</th>
<th>correct</th></tr>{answers}</table></body></html>
"""
    path.write_text(page, encoding="utf-8")


def write_all(result: RunResult, out_dir: Path, *, png: bool = True) -> list[Path]:
    """results.json, report.html and (when matplotlib is installed) plot.png in ``out_dir``."""
    out_dir.mkdir(parents=True, exist_ok=True)
    written = []
    results = out_dir / "results.json"
    results.write_text(json.dumps(to_json(result), indent=2) + "\n", encoding="utf-8")
    written.append(results)
    png_name = None
    if png:
        try:
            write_png(result, out_dir / "plot.png")
            png_name = "plot.png"
            written.append(out_dir / "plot.png")
        except ImportError:
            pass
    write_html(result, out_dir / "report.html", png_name)
    written.append(out_dir / "report.html")
    return written
