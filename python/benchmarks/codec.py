"""KTOF codec benchmark: prompt tokens and encode/decode speed against JSON and TOON.

Run ``python python/benchmarks/codec.py [--model gpt-4o] [--quick]``. It prints tables, it is
not a test: numbers depend on the machine. It exists to check the codec's published targets
in one run, on one corpus (``benchmarks/datasets.py``):

* tokens: KTOF auto <= compact JSON on every dataset, and KTOF total >= 10% below TOON total;
* speed: KTOF encode and decode >= 3x the MB/s of ``toon-format`` (the reference TOON library);
  auto-mode encode (which must count tokens: its floor is the tokenizer) >= 1.0x on every
  dataset (issue 16), with a breakdown of where its time goes (:func:`auto_breakdown`);
* correctness: ``decode(encode(x))`` equals ``x`` type-exactly (1 vs 1.0, -0.0, key order).

Any library that fails on a dataset gets "err" in that cell; the run always completes, so a
half-finished codec still yields the rest of the picture.
"""

from __future__ import annotations

import argparse
import gc
import importlib
import importlib.metadata
import json
import os
import platform
import shlex
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import Any

if __package__ in (None, ""):  # run as a script: make ``benchmarks`` importable from python/
    # Appended, not prepended: a compiled kaizen_client on PYTHONPATH (dev.py bench) must win.
    sys.path.append(str(Path(__file__).resolve().parents[1]))

from benchmarks.datasets import compact_json, corpus, quick_corpus

__all__ = [
    "AutoRow",
    "Codec",
    "SpeedRow",
    "TokenRow",
    "auto_breakdown",
    "auto_table",
    "auto_verdict",
    "count_tokens",
    "error_notes",
    "main",
    "measure_speed",
    "measure_tokens",
    "render_table",
    "round_trip_ok",
    "speed_codecs",
    "speed_tables",
    "speed_verdicts",
    "token_counter_name",
    "token_table",
    "token_verdicts",
]

ERR = "err"

# --------------------------------------------------------------------------- token counting


def _fallback_counter() -> Callable[[str, str], int]:
    """Count with bpe-openai directly while ``kaizen_client.tokens`` does not exist yet."""
    bpe_openai: Any = importlib.import_module("bpe_openai")
    cache: dict[str, Any] = {}

    def count(text: str, model: str = "gpt-4o") -> int:
        enc = cache.get(model)
        if enc is None:
            try:
                name = bpe_openai.encoding_name_for_model(model)
            except KeyError:
                name = "o200k_base"
            enc = cache[model] = bpe_openai.get_encoding(name)
        return len(enc.encode_ordinary(text))

    return count


def _load_counter() -> tuple[Callable[[str, str], int], str]:
    try:
        from kaizen_client.tokens import count_tokens as project_count
    except ImportError:  # pragma: no cover - only before the tokens module lands
        return _fallback_counter(), "bpe_openai (local shim)"
    return project_count, "kaizen_client.tokens.count_tokens"


_count_tokens, _COUNTER_NAME = _load_counter()


def count_tokens(text: str, model: str = "gpt-4o") -> int:
    """Tokens of ``text`` for ``model``: the project counter, so tables match what users see."""
    return _count_tokens(text, model)


def token_counter_name(model: str) -> str:
    """Which counter and encoding produced the numbers, printed so tables are reproducible."""
    try:
        from kaizen_client.tokens import tokenizer_info

        info = tokenizer_info(model)
        return f"{_COUNTER_NAME} ({info.encoding}, {'exact' if info.exact else 'estimate'})"
    except ImportError:  # pragma: no cover
        return _COUNTER_NAME


# --------------------------------------------------------------------------- codecs


def _missing(what: str, exc: BaseException | None = None) -> Callable[..., Any]:
    """A stand-in that raises when used, so an absent library becomes "err" cells."""

    def fail(*_: Any, **__: Any) -> Any:
        raise ImportError(f"{what} is unavailable: {exc!r}")

    return fail


def _ktof() -> tuple[Callable[..., str], Callable[..., Any]]:
    """Import late so a broken codec module shows up as "err" cells, not a crash."""
    try:
        from kaizen_client.ktof import decode, encode
    except Exception as exc:  # mid-edit syntax error, missing module, ...
        return _missing("kaizen_client.ktof", exc), _missing("kaizen_client.ktof", exc)
    return encode, decode


def _optional(module: str) -> Any | None:
    try:
        return importlib.import_module(module)
    except ImportError:
        return None


@dataclass(frozen=True)
class Codec:
    """One text format: how to write a value and how to read the text back."""

    name: str
    encode: Callable[[Any], str]
    decode: Callable[[str], Any]


def speed_codecs(model: str = "gpt-4o") -> list[Codec]:
    """Every implementation timed, in table order; a missing library raises when used."""
    encode, decode = _ktof()
    tf = _optional("toon_format")
    ts = _optional("toons")
    missing = _missing
    return [
        Codec("json", compact_json, json.loads),
        Codec("ktof toon", lambda v: encode(v, mode="toon"), decode),
        Codec("ktof auto", lambda v: encode(v, model=model), decode),
        Codec(
            "toon-format",
            tf.encode if tf else missing("toon-format"),
            tf.decode if tf else missing("toon-format"),
        ),
        Codec(
            "toons",
            ts.dumps if ts else missing("toons"),
            ts.loads if ts else missing("toons"),
        ),
    ]


def _token_formats(model: str) -> list[tuple[str, Callable[[Any], str]]]:
    """The texts whose tokens are compared, in column order."""
    encode, _ = _ktof()
    tf = _optional("toon_format")
    return [
        ("json_pretty", lambda v: json.dumps(v, indent=2, ensure_ascii=False)),
        ("json_compact", compact_json),
        ("toon", lambda v: encode(v, mode="toon")),
        ("toon_format", tf.encode if tf else _missing("toon-format")),
        ("ktof", lambda v: encode(v, model=model)),
    ]


# --------------------------------------------------------------------------- measurements


def _describe(exc: BaseException) -> str:
    msg = str(exc).splitlines()[0][:100] if str(exc) else ""
    return f"{type(exc).__name__}: {msg}" if msg else type(exc).__name__


NOT_TYPE_EXACT = "equal but not type-exact (int/float, -0.0 or key order)"
"""Why a round trip shows "≈": TOON 4.0 itself writes 3.0 as 3, so toon mode may do this."""


def _round_trip(value: Any, mode: str, model: str) -> tuple[bool | None, str | None]:
    try:
        encode, decode = _ktof()
        back = decode(encode(value, mode=mode, model=model))
    except Exception as exc:
        return None, _describe(exc)
    if back != value:
        return False, "decoded value differs"
    if json.dumps(back) != json.dumps(value):
        return False, NOT_TYPE_EXACT
    return True, None


def round_trip_ok(value: Any, mode: str = "auto", model: str = "gpt-4o") -> bool | None:
    """``decode(encode(x)) == x`` and the same JSON text (catches 1 vs 1.0, -0.0, key order).

    ``None`` means the codec raised (not implemented, or a bug): reported as "err", distinct
    from a wrong value (``False``).
    """
    return _round_trip(value, mode, model)[0]


@dataclass
class TokenRow:
    """Token counts of one dataset in every format; ``None`` where the encoder failed."""

    name: str
    tokens: dict[str, int | None]
    round_trip: bool | None = None
    round_trip_toon: bool | None = None
    errors: dict[str, str] = field(default_factory=dict)
    """Why a cell is "err" or "✗", by column, for the notes under the table."""


def measure_tokens(name: str, value: Any, *, model: str = "gpt-4o", check: bool = True) -> TokenRow:
    """Count tokens of ``value`` as pretty/compact JSON, TOON (ours, toon-format) and KTOF."""
    row = TokenRow(name, {})
    for fmt, enc in _token_formats(model):
        try:
            row.tokens[fmt] = count_tokens(enc(value), model)
        except Exception as exc:
            row.tokens[fmt] = None
            row.errors[fmt] = _describe(exc)
    if check:
        for mode in ("auto", "toon"):
            ok, why = _round_trip(value, mode, model)
            setattr(row, "round_trip" if mode == "auto" else "round_trip_toon", ok)
            if why:
                row.errors[f"round trip {mode}"] = why
    return row


CLOCKS: dict[str, Callable[[], float]] = {"wall": time.perf_counter, "cpu": time.thread_time}
"""``--clock``: wall time, or this thread's CPU time, which a busy machine's preemption does
not inflate (every codec here is single-threaded, so on an idle machine the two agree)."""


def _best_time(
    fn: Callable[[], Any],
    repeats: int,
    min_time: float,
    clock: Callable[[], float] = time.perf_counter,
) -> float:
    """Best seconds per call over ``repeats`` samples, each looped to last >= ``min_time``.

    Best-of-N (as ``timeit`` recommends) filters scheduler noise; GC is paused while timing
    so one library is not charged for another's garbage.
    """
    fn()  # warm-up: imports, caches, lazy tokenizer loads
    number = 1
    if min_time > 0:
        while True:
            t0 = clock()
            for _ in range(number):
                fn()
            if clock() - t0 >= min_time or number >= 1 << 20:
                break
            number *= 2
    best = float("inf")
    gc_was_enabled = gc.isenabled()
    gc.disable()
    try:
        for _ in range(max(1, repeats)):
            t0 = clock()
            for _ in range(number):
                fn()
            best = min(best, (clock() - t0) / number)
    finally:
        if gc_was_enabled:
            gc.enable()
    return best


@dataclass
class SpeedRow:
    """Seconds per encode/decode of one dataset per codec; ``None`` where it failed."""

    name: str
    nbytes: int
    encode_s: dict[str, float | None] = field(default_factory=dict)
    decode_s: dict[str, float | None] = field(default_factory=dict)
    errors: dict[str, str] = field(default_factory=dict)

    def mbps(self, codec: str, which: str) -> float | None:
        """Throughput in MB/s of compact-JSON bytes, so every codec is measured on one scale."""
        s = (self.encode_s if which == "encode" else self.decode_s).get(codec)
        return None if s is None or s <= 0 else self.nbytes / s / 1e6


def measure_speed(
    name: str,
    value: Any,
    codecs: Sequence[Codec],
    *,
    repeats: int = 5,
    min_time: float = 0.05,
    clock: Callable[[], float] = time.perf_counter,
) -> SpeedRow:
    """Time every codec's encode of ``value`` and decode of its own output.

    Each decoder reads what its own encoder wrote (that is the real workload); a decoder
    whose encoder failed gets "err". Correctness is judged in the token table, not here.
    """
    row = SpeedRow(name, len(compact_json(value).encode()))
    for codec in codecs:
        try:
            text = codec.encode(value)
            row.encode_s[codec.name] = _best_time(
                partial(codec.encode, value), repeats, min_time, clock
            )
        except Exception as exc:
            row.encode_s[codec.name] = row.decode_s[codec.name] = None
            row.errors[f"{codec.name} encode"] = _describe(exc)
            continue
        try:
            row.decode_s[codec.name] = _best_time(
                partial(codec.decode, text), repeats, min_time, clock
            )
        except Exception as exc:
            row.decode_s[codec.name] = None
            row.errors[f"{codec.name} decode"] = _describe(exc)
    return row


# The modules whose tokenizer calls the auto breakdown records, and the names they call.
_COUNTING_MODULES = ("kaizen_client.ktof._auto", "kaizen_client.ktof.encoder")
_COUNTING_NAMES = ("count_tokens", "count_tokens_upto")


@dataclass
class AutoRow:
    """Where one auto-mode encode of a dataset spends its time (seconds; ``None``: failed)."""

    name: str
    nbytes: int
    auto_s: float | None = None
    toon_format_s: float | None = None
    calls: int = 0
    """Tokenizer calls made by one encode."""
    chars_counted: int = 0
    """Characters handed to the tokenizer by one encode (a limited count may read fewer)."""
    out_chars: int = 0
    tokenizer_s: float | None = None
    """Those same calls replayed alone: the encode's time inside the tokenizer."""
    count_out_s: float | None = None
    """One count of the output text: what any exact count of the result costs."""
    toon_s: float | None = None
    """``encode(mode="toon")``: writing one TOON form, no choosing, no counting."""
    json_check_s: float | None = None
    """The cheapest sound check from the JSON text itself that the output has fewer tokens
    than compact JSON (the "never above JSON" promise): the pre-token floor of the JSON text
    where it already exceeds the output's count, else counting the JSON up to that count.
    (Auto mode also has bounds from texts it already wrote, which can settle it sooner.)"""
    errors: dict[str, str] = field(default_factory=dict)


def _record_tokenizer_calls(fn: Callable[[], Any]) -> tuple[Any, list[tuple[Any, tuple[Any, ...]]]]:
    """Run ``fn`` once with the codec's tokenizer entry points wrapped; return its result and
    every ``(function, args)`` they were called with, so the calls can be replayed alone.

    Works for the compiled codec too: mypyc modules read imported names from their globals.
    """
    calls: list[tuple[Any, tuple[Any, ...]]] = []
    patched: list[tuple[Any, str, Any]] = []
    for module_name in _COUNTING_MODULES:
        module = _optional(module_name)
        for name in _COUNTING_NAMES:
            original = getattr(module, name, None) if module is not None else None
            if original is None:
                continue

            def recorder(*args: Any, _original: Any = original, **kwargs: Any) -> Any:
                calls.append((partial(_original, **kwargs), args))
                return _original(*args, **kwargs)

            setattr(module, name, recorder)
            patched.append((module, name, original))
    try:
        result = fn()
    finally:
        for module, name, original in patched:
            setattr(module, name, original)
    return result, calls


def auto_breakdown(
    name: str,
    value: Any,
    *,
    model: str = "gpt-4o",
    repeats: int = 5,
    min_time: float = 0.05,
    clock: Callable[[], float] = time.perf_counter,
) -> AutoRow:
    """Time one dataset's auto-mode encode and split it: the tokenizer calls it makes (replayed
    alone), the rest (rendering candidates, choosing), and two reference points: one count of
    the output and one TOON-mode encode, whose sum is what an encoder that already knew the
    cheapest form would still spend (the floor of an exact-count auto mode)."""
    row = AutoRow(name, len(compact_json(value).encode()))
    encode, _ = _ktof()
    tf = _optional("toon_format")
    try:
        out, calls = _record_tokenizer_calls(lambda: encode(value, model=model))
    except Exception as exc:
        row.errors["ktof auto"] = _describe(exc)
        return row
    row.calls = len(calls)
    row.chars_counted = sum(len(args[0]) for _, args in calls if args)
    row.out_chars = len(out)

    def replay() -> None:
        for fn, args in calls:
            fn(*args)

    def timed(fn: Callable[[], Any]) -> float:
        return _best_time(fn, repeats, min_time, clock)

    row.auto_s = timed(lambda: encode(value, model=model))
    row.tokenizer_s = timed(replay)
    row.count_out_s = timed(lambda: count_tokens(out, model))
    row.toon_s = timed(lambda: encode(value, mode="toon"))
    row.json_check_s = _json_check_time(value, out, model, timed)
    if tf is not None:
        row.toon_format_s = timed(lambda: tf.encode(value))
    else:
        row.errors["toon-format"] = "not installed"
    return row


def _json_check_time(
    value: Any, out: str, model: str, timed: Callable[[Callable[[], Any]], float]
) -> float | None:
    """:attr:`AutoRow.json_check_s` for ``value`` encoded as ``out`` (None without the
    project's tokenizer module)."""
    try:
        from kaizen_client.tokens import count_tokens_upto, pretoken_floor
    except ImportError:
        return None
    json_text = compact_json(value)
    limit = count_tokens(out, model) - 1
    if pretoken_floor(json_text) > limit:
        return timed(lambda: pretoken_floor(json_text))
    return timed(lambda: count_tokens_upto(json_text, limit, model))


def _ms(seconds: float | None) -> str | None:
    return None if seconds is None else f"{seconds * 1e3:.2f}"


def auto_table(rows: Sequence[AutoRow]) -> str:
    """The auto-mode breakdown: per dataset, milliseconds per encode and where they go."""
    headers = [
        "auto encode (ms)",
        "KB",
        "auto",
        "toon-format",
        "auto/tf",
        "calls",
        "counted/out",
        "tokenizer",
        "rest",
        "count(out)",
        "toon mode",
        "floor/tf",
        "json check",
        "guarded/tf",
    ]
    table: list[list[object]] = []
    for r in rows:
        rest = None
        if r.auto_s is not None and r.tokenizer_s is not None:
            rest = r.auto_s - r.tokenizer_s
        floor = guarded = None
        if r.count_out_s is not None and r.toon_s is not None:
            floor = r.count_out_s + r.toon_s
            if r.json_check_s is not None:
                guarded = floor + r.json_check_s
        table.append(
            [
                r.name,
                f"{r.nbytes / 1024:.1f}",
                _ms(r.auto_s),
                _ms(r.toon_format_s),
                _times(r.toon_format_s, r.auto_s),
                r.calls,
                f"{r.chars_counted / r.out_chars:.1f}" if r.out_chars else None,
                _ms(r.tokenizer_s),
                _ms(rest),
                _ms(r.count_out_s),
                _ms(r.toon_s),
                _times(r.toon_format_s, floor),
                _ms(r.json_check_s),
                _times(r.toon_format_s, guarded),
            ]
        )
    return render_table(headers, table)


def auto_verdict(rows: Sequence[AutoRow]) -> str:
    """Issue 16's auto-mode speed target: >= 1.0x toon-format's MB/s on every dataset."""
    slow = [
        f"{r.name} {r.toon_format_s / r.auto_s:.2f}x"
        for r in rows
        if r.auto_s and r.toon_format_s and r.toon_format_s < r.auto_s
    ]
    failed = [r.name for r in rows if r.auto_s is None or r.toon_format_s is None]
    if failed:
        return f"ktof auto encode >= 1.0x toon-format on every dataset: n/a ({', '.join(failed)})"
    verdict = "PASS" if not slow else f"FAIL ({', '.join(slow)})"
    return f"ktof auto encode >= 1.0x toon-format on every dataset: {verdict}"


# --------------------------------------------------------------------------- rendering


def render_table(
    headers: Sequence[str], rows: Sequence[Sequence[object]], *, align: str | None = None
) -> str:
    """Plain-text table with aligned columns (``align``: one of ``l``/``r`` per column).

    Defaults to left for the first column and right for the rest; ``None`` cells show "err".
    """
    cells = [[ERR if c is None else str(c) for c in r] for r in rows]
    heads = [str(h) for h in headers]
    widths = [max([len(h), *(len(r[i]) for r in cells)]) for i, h in enumerate(heads)]
    aligns = align or "l" + "r" * (len(heads) - 1)

    def line(values: Sequence[str]) -> str:
        parts = [
            v.ljust(w) if a == "l" else v.rjust(w)
            for v, w, a in zip(values, widths, aligns, strict=True)
        ]
        return "  ".join(parts).rstrip()

    rule = "  ".join("-" * w for w in widths)
    body = [line(r) if r[0] != "TOTAL" else rule + "\n" + line(r) for r in cells]
    return "\n".join([line(heads), rule, *body])


def _ratio(a: int | float | None, b: int | float | None, digits: int = 3) -> str | None:
    if a is None or b is None or b == 0:
        return None
    return f"{a / b:.{digits}f}"


def _mark(ok: bool | None, why: str | None = None) -> str:
    """✓ exact, ≈ equal but types changed (e.g. 3.0 -> 3), ✗ different, err raised."""
    if ok is None:
        return ERR
    return "✓" if ok else ("≈" if why == NOT_TYPE_EXACT else "✗")


_TOKEN_COLS = [
    ("json_pretty", "JSON pretty"),
    ("json_compact", "JSON compact"),
    ("toon", "TOON (ours)"),
    ("toon_format", "toon-format"),
    ("ktof", "KTOF auto"),
]


def _totals(rows: Sequence[TokenRow]) -> dict[str, int | None]:
    """Column sums; "err" if any dataset failed, since a partial sum would mislead."""
    out: dict[str, int | None] = {}
    for key, _ in _TOKEN_COLS:
        vals = [r.tokens.get(key) for r in rows]
        out[key] = None if any(v is None for v in vals) else sum(v for v in vals if v is not None)
    return out


def token_table(rows: Sequence[TokenRow]) -> str:
    """Tokens per dataset and format, KTOF ratios, round-trip marks, and a TOTAL row."""
    headers = ["dataset", *(h for _, h in _TOKEN_COLS), "KTOF/JSON", "KTOF/TOON", "rt", "rt toon"]
    table: list[list[object]] = []
    for r in [*rows, TokenRow("TOTAL", _totals(rows))]:
        t = r.tokens
        total = r.name == "TOTAL"
        table.append(
            [
                r.name,
                *(t.get(k) for k, _ in _TOKEN_COLS),
                _ratio(t.get("ktof"), t.get("json_compact")),
                _ratio(t.get("ktof"), t.get("toon")),
                "" if total else _mark(r.round_trip, r.errors.get("round trip auto")),
                "" if total else _mark(r.round_trip_toon, r.errors.get("round trip toon")),
            ]
        )
    return render_table(headers, table)


def token_verdicts(rows: Sequence[TokenRow]) -> list[str]:
    """The issue's token targets as PASS/FAIL lines, so a reader need not do arithmetic."""
    out: list[str] = []
    worse = [
        r.name
        for r in rows
        if r.tokens.get("ktof") is None
        or r.tokens.get("json_compact") is None
        or r.tokens["ktof"] > r.tokens["json_compact"]  # type: ignore[operator]
    ]
    out.append(
        "KTOF auto <= compact JSON on every dataset: "
        + ("PASS" if not worse else f"FAIL ({', '.join(worse)})")
    )
    tot = _totals(rows)
    if tot["ktof"] is None or tot["toon"] is None:
        out.append("KTOF total <= 0.90 x TOON total: n/a (a codec failed)")
    else:
        saved = 1 - tot["ktof"] / tot["toon"]
        verdict = "PASS" if saved >= 0.10 else "FAIL"
        out.append(f"KTOF total <= 0.90 x TOON total: {verdict} ({saved:.1%} fewer tokens)")
    bad = [r.name for r in rows if r.round_trip is not True]
    out.append(
        "decode(encode(x)) == x (auto, type-exact): "
        + ("PASS" if not bad else f"FAIL ({', '.join(bad)})")
    )
    return out


_SPEED_COLS = ["json", "ktof toon", "ktof auto", "toon-format", "toons"]


def _speed_total(rows: Sequence[SpeedRow], codec: str, which: str) -> float | None:
    """Corpus MB/s: total bytes over total time, "err" if the codec failed anywhere."""
    secs = [(r.encode_s if which == "encode" else r.decode_s).get(codec) for r in rows]
    if not secs or any(s is None for s in secs):
        return None
    total = sum(s for s in secs if s is not None)
    return sum(r.nbytes for r in rows) / total / 1e6 if total > 0 else None


def _fmt_mbps(v: float | None) -> str | None:
    if v is None:
        return None
    return f"{v:.1f}" if v >= 1 else f"{v:.2f}"


def speed_tables(rows: Sequence[SpeedRow]) -> str:
    """Encode and decode MB/s per dataset and codec, with ours vs toon-format ratios."""
    parts: list[str] = []
    for which in ("encode", "decode"):
        headers = [
            f"{which} MB/s",
            "KB",
            *_SPEED_COLS,
            "toon/tf",
            "auto/tf",
        ]
        table: list[list[object]] = []
        for r in rows:
            v = {c: r.mbps(c, which) for c in _SPEED_COLS}
            table.append(
                [
                    r.name,
                    f"{r.nbytes / 1024:.1f}",
                    *(_fmt_mbps(v[c]) for c in _SPEED_COLS),
                    _times(v["ktof toon"], v["toon-format"]),
                    _times(v["ktof auto"], v["toon-format"]),
                ]
            )
        tv = {c: _speed_total(rows, c, which) for c in _SPEED_COLS}
        table.append(
            [
                "TOTAL",
                f"{sum(r.nbytes for r in rows) / 1024:.1f}",
                *(_fmt_mbps(tv[c]) for c in _SPEED_COLS),
                _times(tv["ktof toon"], tv["toon-format"]),
                _times(tv["ktof auto"], tv["toon-format"]),
            ]
        )
        parts.append(render_table(headers, table))
    return "\n\n".join(parts)


def _times(a: float | None, b: float | None) -> str | None:
    r = _ratio(a, b, 2)
    return None if r is None else f"{r}x"


def speed_verdicts(rows: Sequence[SpeedRow]) -> list[str]:
    """The issue's speed target (>= 3x toon-format) as PASS/FAIL lines on corpus totals."""
    out = []
    for mode in ("ktof toon", "ktof auto"):
        for which in ("encode", "decode"):
            ours, ref = _speed_total(rows, mode, which), _speed_total(rows, "toon-format", which)
            if ours is None or ref is None:
                out.append(f"{mode} {which} >= 3x toon-format: n/a (a codec failed)")
            else:
                verdict = "PASS" if ours >= 3 * ref else "FAIL"
                out.append(f"{mode} {which} >= 3x toon-format: {verdict} ({ours / ref:.2f}x)")
    return out


def error_notes(rows: Sequence[TokenRow | SpeedRow | AutoRow], limit: int = 12) -> list[str]:
    """One line per distinct failure (column + reason) with the datasets it hit."""
    seen: dict[tuple[str, str], list[str]] = {}
    for r in rows:
        for col, why in r.errors.items():
            seen.setdefault((col, why), []).append(r.name)
    lines = [f"  {col}: {why} [{', '.join(names)}]" for (col, why), names in seen.items()]
    if len(lines) > limit:
        lines = [*lines[:limit], f"  ... and {len(lines) - limit} more"]
    return lines


# --------------------------------------------------------------------------- main


def _versions() -> str:
    found = []
    for dist in ("kaizen-client", "toon-format", "toons", "bpe-openai"):
        try:
            found.append(f"{dist} {importlib.metadata.version(dist)}")
        except importlib.metadata.PackageNotFoundError:
            found.append(f"{dist} missing")
    return ", ".join(found)


def _print_notes(rows: Sequence[TokenRow | SpeedRow | AutoRow]) -> None:
    notes = error_notes(rows)
    if notes:
        print("err / ✗ / ≈ cells:")
        print("\n".join(notes))


def _codec_build() -> str:
    """Whether the codec being measured is the mypyc-compiled one that wheels ship."""
    import kaizen_client.ktof.decoder as decoder_module

    compiled = not decoder_module.__file__.endswith(".py")
    return "compiled with mypyc (as shipped in wheels)" if compiled else "pure Python"


def _token_report(data: Sequence[tuple[str, Any]], model: str) -> None:
    """The token table, its round-trip notes and verdicts."""
    token_rows = [measure_tokens(name, value, model=model) for name, value in data]
    print(token_table(token_rows))
    print("rt = decode(encode(x)) vs x: ✓ type-exact, ≈ equal but types differ (3.0 -> 3), ✗ not")
    _print_notes(token_rows)
    print()
    for v in token_verdicts(token_rows):
        print(v)


def main(argv: Sequence[str] | None = None) -> int:
    """Print the command, the environment, the token table and the speed tables."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--model", default="gpt-4o", help="tokenizer/model (default gpt-4o)")
    parser.add_argument("--quick", action="store_true", help="small sizes, 1 repeat (smoke test)")
    parser.add_argument("--repeats", type=int, default=None, help="timing repeats (default 5)")
    parser.add_argument("--no-speed", action="store_true", help="skip the speed tables")
    parser.add_argument(
        "--auto-only",
        action="store_true",
        help="only the auto-mode breakdown (issue 16's table), skipping tokens and speed",
    )
    parser.add_argument(
        "--clock",
        choices=sorted(CLOCKS),
        default="wall",
        help="wall: perf_counter (default); cpu: this thread's CPU time (busy machines)",
    )
    args = parser.parse_args(argv)
    clock = CLOCKS[args.clock]
    repeats = args.repeats or (1 if args.quick else 5)
    min_time = 0.0 if args.quick else 0.05

    command = shlex.join(["python", *(sys.argv if argv is None else ["codec.py", *argv])])
    print(f"$ {command}")
    print(f"python {platform.python_version()} on {platform.platform()}; {_versions()}")
    print(f"kaizen codec build: {_codec_build()}")
    if hasattr(os, "getloadavg"):  # a busy machine explains noisy speed numbers
        print(f"load average {os.getloadavg()[0]:.2f} on {os.cpu_count()} CPUs")
    print(f"tokens: {token_counter_name(args.model)}, model {args.model}")
    data = quick_corpus() if args.quick else corpus()
    print()

    if not args.auto_only:
        _token_report(data, args.model)
    if not args.no_speed:
        print()
        print(
            f"speed: best of {repeats}, MB/s of compact JSON bytes; tf = toon-format; "
            f"{args.clock} clock"
        )
        if args.quick:
            print("(--quick: tiny inputs, single samples; speed figures are noise, not results)")
        if not args.auto_only:
            codecs = speed_codecs(args.model)
            speed_rows = [
                measure_speed(name, value, codecs, repeats=repeats, min_time=min_time, clock=clock)
                for name, value in data
            ]
            print(speed_tables(speed_rows))
            _print_notes(speed_rows)
            print()
            for v in speed_verdicts(speed_rows):
                print(v)
            print()
        print(
            "auto-mode encode, where the time goes: tokenizer = its tokenizer calls replayed "
            "alone, rest = auto - tokenizer;\ncounted/out = characters handed to the tokenizer "
            "per output character; floor = count(out) + toon mode (writing\none form and "
            "counting it once, what an encoder that knew the cheapest form would still spend);\n"
            "json check = the cheapest sound proof from the JSON text that the output beats "
            "compact JSON (its pre-token\nfloor when that exceeds the output's count, else "
            "counting the JSON up to it); "
            "guarded = floor + json check, the floor of\nan exact auto mode that keeps its "
            "never-above-JSON promise"
        )
        auto_rows = [
            auto_breakdown(
                name, value, model=args.model, repeats=repeats, min_time=min_time, clock=clock
            )
            for name, value in data
        ]
        print(auto_table(auto_rows))
        _print_notes(auto_rows)
        print(auto_verdict(auto_rows))
    return 0


if __name__ == "__main__":
    sys.exit(main())
