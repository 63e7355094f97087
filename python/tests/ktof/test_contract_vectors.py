"""The project's own KTOF contract vectors (``shared/fixtures/ktof/*.json`` in the repo).

Same layout as the TOON fixtures: ``{version, category: encode|decode, description,
tests: [{name, input, expected, options, shouldError, note}]}``.  Encode options: ``mode``
(``auto``, the default, or ``toon``), ``model``, ``delimiter``, ``indentSize``; decode options:
``strict``, ``indentSize``.  Decode vectors are compared with exact Python types and key order
(the JSON file is read with ``json.load``, so ``3.0``/``-0.0`` stay floats and big ints stay
exact).  Encode vectors are compared byte for byte; auto-mode outputs must also decode back to
exactly the input and cost no more tokens than compact JSON.

The test module is skipped only when the directory does not exist; an existing directory
without vectors fails.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from kaizen_client.ktof import KTOFDecodeError, decode, encode

from .conftest import KTOF_VECTORS_DIR, assert_same_json, compact_json, count_tokens

if not KTOF_VECTORS_DIR.is_dir():
    pytest.skip(
        f"KTOF contract vector directory {KTOF_VECTORS_DIR} does not exist",
        allow_module_level=True,
    )

ENCODE_OPTIONS = {"mode", "model", "delimiter", "indentSize"}
DECODE_OPTIONS = {"strict", "indentSize"}


def _load_vectors() -> tuple[list[Any], list[str]]:
    params: list[Any] = []
    problems: list[str] = []
    for path in sorted(Path(KTOF_VECTORS_DIR).glob("*.json")):
        try:
            with open(path, encoding="utf-8") as fh:
                data = json.load(fh)
            category = data["category"]
            tests = data["tests"]
        except (OSError, ValueError, KeyError, TypeError) as exc:
            problems.append(f"{path.name}: unreadable vector file: {exc!r}")
            continue
        if category not in ("encode", "decode"):
            problems.append(f"{path.name}: unknown category {category!r}")
            continue
        for test in tests:
            params.append(pytest.param(category, test, id=f"{path.stem}::{test.get('name')}"))
    return params, problems


VECTORS, LOAD_PROBLEMS = _load_vectors()


def test_vectors_present() -> None:
    assert not LOAD_PROBLEMS, "\n".join(LOAD_PROBLEMS)
    assert VECTORS, f"no KTOF contract vectors found in {KTOF_VECTORS_DIR}"


@pytest.mark.parametrize(("category", "case"), VECTORS)
def test_contract_vector(category: str, case: dict[str, Any]) -> None:
    options = case.get("options") or {}
    allowed = ENCODE_OPTIONS if category == "encode" else DECODE_OPTIONS
    unknown = set(options) - allowed
    assert not unknown, f"unknown {category} options {sorted(unknown)} (known: {sorted(allowed)})"
    assert "input" in case, "vector without input"
    if category == "encode":
        _check_encode(case, options)
    else:
        _check_decode(case, options)


def _check_encode(case: dict[str, Any], options: dict[str, Any]) -> None:
    mode = options.get("mode", "auto")
    model = options.get("model", "gpt-4o")
    kwargs = {
        "mode": mode,
        "model": model,
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
    back = decode(got, indent=kwargs["indent"])
    if mode == "auto":
        assert_same_json(back, case["input"], exact_types=True, context=f"text: {got!r}")
        ours, baseline = count_tokens(got, model), count_tokens(compact_json(case["input"]), model)
        assert ours <= baseline, f"{model}: {ours} tokens > compact JSON {baseline}: {got!r}"
    else:
        assert_same_json(back, case["input"], exact_types=False, context=f"text: {got!r}")


def _check_decode(case: dict[str, Any], options: dict[str, Any]) -> None:
    kwargs = {"strict": options.get("strict", True), "indent": options.get("indentSize", 2)}
    text = case["input"]
    assert isinstance(text, str), "decode vector input must be a string"
    if case.get("shouldError"):
        try:
            got = decode(text, **kwargs)
        except KTOFDecodeError:
            return
        pytest.fail(f"expected KTOFDecodeError for {text!r} ({options}), got {got!r}")
    got = decode(text, **kwargs)
    assert_same_json(
        got,
        case["expected"],
        exact_types=True,
        context=f"input: {text!r}\noptions: {options}\nexpected: {case['expected']!r}",
    )
