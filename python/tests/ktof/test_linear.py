"""Decoding is linear in the input for every input, scalar paths included (issue 12).

An LLM reply or a request body is untrusted: one text that makes the decoder quadratic freezes a
worker. Each case below was quadratic before (long quoted strings full of escapes, a row of many
quoted cells with a late colon, integer literals routed through ``Decimal``) or guards a path
that could become so. The check compares scaling, never absolute times: the time at 4x the size
must stay within 6x the time at 1x (a quadratic path gives ~16x). Timings take the minimum of
several runs with the garbage collector off, in this thread's CPU time (``time.thread_time``:
time other processes take from a shared machine is not counted); a case that misses the bound is
measured again (up to three times) before it fails, so a busy machine cannot make a linear decoder
fail while a quadratic one still cannot pass.

The int digit limit: decode reads what Python's ``int()`` reads under
``sys.get_int_max_str_digits()`` and rejects longer literals with ``KTOFDecodeError`` (in linear
time); encode refuses to write such ints (``KTOFEncodeError`` with the path).
"""

from __future__ import annotations

import contextlib
import gc
import sys
import time
from collections.abc import Callable

import pytest

from kaizen_client.ktof import KTOFDecodeError, KTOFEncodeError, decode, encode
from kaizen_client.ktof.encoder import encode_counted

GROWTH = 4
MAX_RATIO = 6.0
TARGET_SECONDS = 0.01  # the 1x input is grown until one decode takes at least this long...
MAX_GROWTH = 16  # ...or is 16x its starting size: a few MB at most, so that the 4x input does not
# leave the CPU caches for main memory (a step in speed a busy machine exaggerates, not a
# complexity class: the compiled decoder reached 7-9x at 6.4M -> 25.6M digits under load)
ATTEMPTS = 3


def _decode_quietly(text: str) -> None:
    # Some inputs are errors by design (too many digits): rejecting must be linear too.
    with contextlib.suppress(KTOFDecodeError):
        decode(text)


def _best_time(text: str, repeats: int) -> float:
    best = float("inf")
    for _ in range(repeats):
        start = time.thread_time()
        _decode_quietly(text)
        best = min(best, time.thread_time() - start)
    return best


def _calibrated_size(make: Callable[[int], str], start: int) -> int:
    """Smallest ``start * 2**k`` whose decode takes TARGET_SECONDS (so noise does not dominate)."""
    n = start
    while n < start * MAX_GROWTH and _best_time(make(n), 2) < TARGET_SECONDS:
        n *= 2
    return n


def _scaling_ratio(make: Callable[[int], str], n: int) -> float:
    small, large = make(n), make(GROWTH * n)
    gc_was_enabled = gc.isenabled()
    gc.disable()
    try:
        t_small = _best_time(small, 7)
        t_large = _best_time(large, 5)
    finally:
        if gc_was_enabled:
            gc.enable()
    return t_large / t_small


def _digits(n: int) -> str:
    return "7" * n


CASES: dict[str, tuple[Callable[[int], str], int]] = {
    # issue 12's reproductions
    "newline escapes": (lambda n: 'k: "' + "\\n" * n + '"', 20_000),
    "backslash escapes": (lambda n: 'k: "' + "\\\\" * n + '"', 20_000),
    "unicode escapes": (lambda n: 'k: "' + "\\u0041" * n + '"', 10_000),
    # an integer literal past the digit limit is rejected in linear time
    "integer literal": (lambda n: "k: " + _digits(n), 100_000),
    "integer cell": (lambda n: "k[2]: 1," + _digits(n), 100_000),
    "float literal": (lambda n: "k: 1." + _digits(n), 100_000),
    "float exponent": (lambda n: "k: 1e" + "0" * n + "1", 100_000),
    # the other places a quoted string is scanned
    "quoted key": (lambda n: '"' + "\\n" * n + '": 1', 20_000),
    "quoted header key": (lambda n: '"' + "\\n" * n + '"[1]: 1', 20_000),
    "list item": (lambda n: 'k[1]:\n  - "' + "\\n" * n + '"', 20_000),
    "root string": (lambda n: '"' + "\\u0041" * n + '"', 10_000),
    "inline cell": (lambda n: 'k[2]: "' + "\\n," * n + '",x', 20_000),
    "optional-column cell": (lambda n: 'k[1]{a,b?}:\n  "' + "\\n" * n + '",', 20_000),
    # a line of many quoted strings whose colon comes late (find_unquoted)
    "late colon": (lambda n: '"a"' * n + ": 1", 20_000),
    "table row of quoted cells": (lambda n: "k[1]{a,b}:\n  " + '"x" ' * n + ",1:2", 20_000),
    # JSON inside KTOF (the json module's scanner)
    "JSON field": (lambda n: 'k[]: ["' + "\\n" * n + '"]', 50_000),
    "root JSON number": (lambda n: "[1." + _digits(n) + "]", 100_000),
    # KTOF unindented tables and float columns (docs/ktof.md §3.5, §3.6)
    "unindented rows": (lambda n: f"k[{n}]{{a,b}}\n" + "1,x\n" * n + "z: 1", 5_000),
    "float-column cell": (lambda n: "[1]{a(float)}\n1." + _digits(n), 100_000),
    "float-column integer cell": (lambda n: "[1]{a(float)}\n" + _digits(n), 100_000),
    # KTOF flow values (docs/ktof.md §3.2): bare strings and keys, long bare tokens
    "flow bare strings": (lambda n: "k[]: [" + "ab c," * n + "x]", 20_000),
    "flow bare keys": (lambda n: "k[]: {" + ",".join(f"k{i}:v" for i in range(n)) + "}", 10_000),
    "flow long bare token": (lambda n: "k[]: [" + "a" * n + "]", 100_000),
    "flow cell": (lambda n: "t[1]{a,b[]}\n1,[" + "x," * n + "y]", 20_000),
    # KTOF nested table columns (docs/ktof.md §3.7): many sub-rows, many rows with sub-rows
    "sub-rows": (lambda n: f"[1]{{a,b[]{{c,d}}}}\n1,[{n}]\n" + "  x,2\n" * n, 5_000),
    "rows with sub-rows": (lambda n: f"t[{n}]{{a,b[]{{c}}}}\n" + "1,[1]\n  x\n" * n + "z:1", 3_000),
}


@pytest.mark.parametrize("case", list(CASES))
def test_decode_time_grows_linearly(case: str) -> None:
    make, start = CASES[case]
    n = _calibrated_size(make, start)
    ratios = []
    for _ in range(ATTEMPTS):
        ratios.append(_scaling_ratio(make, n))
        if ratios[-1] <= MAX_RATIO:
            return
    pytest.fail(
        f"{case}: decode time at {GROWTH}x the size (n={n}) grew {min(ratios):.1f}x "
        f"(bound {MAX_RATIO}x; ratios seen {[round(r, 1) for r in ratios]})"
    )


def _limit() -> int:
    return sys.get_int_max_str_digits() if hasattr(sys, "get_int_max_str_digits") else 4300


@pytest.mark.parametrize("sign", ["", "-"])
def test_integer_literals_up_to_the_digit_limit_decode_exactly(sign: str) -> None:
    limit = _limit() or 4300
    literal = sign + "9" * limit
    expected = int(literal)
    assert decode("a: " + literal) == {"a": expected}
    assert decode("a[2]: 1," + literal) == {"a": [1, expected]}
    assert decode("[1]{a}:\n  " + literal) == [{"a": expected}]
    assert decode(encode({"a": expected})) == {"a": expected}


@pytest.mark.parametrize(
    "template",
    ["a: {}", "a[2]: 1,{}", "[1]{{a}}:\n  {}", "x: 1\na[1]:\n  - {}", "{}", "[{}]", "a[]: [{}]"],
)
def test_integer_literals_past_the_digit_limit_are_a_decode_error(template: str) -> None:
    limit = _limit() or 4300
    text = template.format("9" * (limit + 1))
    with pytest.raises(KTOFDecodeError) as info:
        decode(text)
    assert info.value.line == text[: text.index("9")].count("\n") + 1


@pytest.mark.parametrize("mode", ["auto", "toon"])
@pytest.mark.parametrize(
    ("value", "path"),
    [
        ({"n": 10**5000}, "$.n"),
        ([1, [2, -(10**5000)]], "$[1][1]"),
        (10**5000, "$"),
        ([{"a": 1}, {"a": 10**5000}], "$[1].a"),
        ({"k": {"x y": [10**5000]}}, '$.k["x y"][0]'),
    ],
    ids=["field", "nested list", "root", "table cell", "quoted key"],
)
def test_encode_refuses_ints_that_decode_could_not_read(
    mode: str, value: object, path: str
) -> None:
    """issue 12: ``encode({"n": 10**5000})`` raised a plain ValueError from json.dumps."""
    with pytest.raises(KTOFEncodeError) as info:
        encode(value, mode=mode)
    assert info.value.path == path
    assert "digit" in info.value.msg
    if mode == "auto":
        for compare_json in (True, False):
            with pytest.raises(KTOFEncodeError):
                encode_counted(value, compare_json=compare_json)


def test_digit_limit_follows_python(monkeypatch: pytest.MonkeyPatch) -> None:
    """The limit is Python's own: raising it lets longer literals through, both ways."""
    if not hasattr(sys, "set_int_max_str_digits"):
        pytest.skip("this Python has no int digit limit API")
    old = sys.get_int_max_str_digits()
    try:
        sys.set_int_max_str_digits(6000)
        big = 10**5500
        assert decode(encode({"n": big})) == {"n": big}
        assert decode(encode({"n": big}, mode="toon")) == {"n": big}
        sys.set_int_max_str_digits(5000)
        with pytest.raises(KTOFDecodeError, match="5501 digits"):
            decode("n: 1" + "0" * 5500)
    finally:
        sys.set_int_max_str_digits(old)
