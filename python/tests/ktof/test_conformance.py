"""TOON 4.0 conformance: every official fixture test, encode (byte for byte) and decode.

The fixtures are the reference suite from the TOON spec repository; they live outside this
repo in ``../shared/reference/toon-spec-4.0`` and are read in place (never copied).
"""

from __future__ import annotations

from typing import Any

import pytest

from kaizen_client.ktof import KTOFDecodeError, decode, encode

from .conftest import (
    EXPECTED_TOON_FIXTURE_COUNT,
    TOON_FIXTURES_DIR,
    TOON_FIXTURES_MISSING_REASON,
    assert_same_json,
    load_toon_cases,
    toon_fixtures_available,
)

if not toon_fixtures_available():
    pytest.skip(TOON_FIXTURES_MISSING_REASON, allow_module_level=True)

ENCODE_CASES = load_toon_cases("encode")
DECODE_CASES = load_toon_cases("decode")


def test_fixture_count() -> None:
    """A missing or renamed fixture file must be noticed, not silently skipped."""
    total = len(ENCODE_CASES) + len(DECODE_CASES)
    assert total == EXPECTED_TOON_FIXTURE_COUNT, (
        f"expected {EXPECTED_TOON_FIXTURE_COUNT} TOON fixture tests under {TOON_FIXTURES_DIR}, "
        f"found {total} ({len(ENCODE_CASES)} encode + {len(DECODE_CASES)} decode)"
    )
    assert all(cat == "encode" for cat, _, _ in ENCODE_CASES)
    assert all(cat == "decode" for cat, _, _ in DECODE_CASES)


@pytest.mark.parametrize(
    "case", [c for _, _, c in ENCODE_CASES], ids=[i for _, i, _ in ENCODE_CASES]
)
def test_encode_fixture(case: dict[str, Any]) -> None:
    options = case.get("options") or {}
    kwargs = {
        "mode": "toon",
        "delimiter": options.get("delimiter", ","),
        "indent": options.get("indentSize", 2),
    }
    if case.get("shouldError"):
        with pytest.raises(ValueError):
            encode(case["input"], **kwargs)
        return
    got = encode(case["input"], **kwargs)
    assert got == case["expected"], (
        f"input: {case['input']!r}\noptions: {options}\n"
        f"expected: {case['expected']!r}\ngot:      {got!r}"
    )


@pytest.mark.parametrize(
    "case", [c for _, _, c in DECODE_CASES], ids=[i for _, i, _ in DECODE_CASES]
)
def test_decode_fixture(case: dict[str, Any]) -> None:
    options = case.get("options") or {}
    kwargs = {"strict": options.get("strict", True), "indent": options.get("indentSize", 2)}
    text = case["input"]
    if case.get("shouldError"):
        # Only the codec's own error type may signal bad input (it is a ValueError);
        # anything else (IndexError, KeyError, ...) propagates and fails the test.
        try:
            got = decode(text, **kwargs)
        except KTOFDecodeError:
            return
        pytest.fail(f"expected KTOFDecodeError for {text!r} ({options}), got value {got!r}")
    got = decode(text, **kwargs)
    # JSON-model equality (1.0 == 1, -0.0 == 0); key order must follow the document.
    assert_same_json(
        got,
        case["expected"],
        exact_types=False,
        ordered=True,
        context=f"input: {text!r}\noptions: {options}\nexpected: {case['expected']!r}",
    )
