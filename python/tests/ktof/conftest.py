"""Shared helpers for the KTOF codec tests.

* ``assert_same_json(a, b, exact_types=...)``: structural comparison that names the first
  mismatching path. ``exact_types=True`` is the KTOF auto-mode contract (identical Python
  types everywhere, ``-0.0`` keeps its sign, dict key order preserved); ``exact_types=False``
  is TOON's JSON-model equality (numbers by value, ``3.0 == 3``, ``-0.0 == 0``; dict key order
  ignored unless ``ordered=True``).
* ``count_tokens(text, model)``: ``kaizen_client.tokens.count_tokens`` when that module
  exists, else a local ``bpe_openai`` fallback with the same model -> encoding mapping.
* Fixture discovery for the TOON 4.0 reference suite (outside the repo, in ``../shared``)
  and for the project's own KTOF contract vectors (``shared/fixtures/ktof`` in the repo).
"""

from __future__ import annotations

import json
import math
import os
from fractions import Fraction
from functools import cache
from pathlib import Path
from typing import Any

# python/tests/ktof/conftest.py -> parents: ktof, tests, python, <repo root>
REPO_ROOT = Path(__file__).resolve().parents[3]
# The TOON reference spec and its fixtures live next to the repository (never copied in).
TOON_SPEC_DIR = Path(
    os.environ.get(
        "KAIZEN_TOON_SPEC_DIR",
        str(REPO_ROOT.parent / "shared" / "reference" / "toon-spec-4.0"),
    )
)
TOON_FIXTURES_DIR = TOON_SPEC_DIR / "tests" / "fixtures"
KTOF_VECTORS_DIR = REPO_ROOT / "shared" / "fixtures" / "ktof"

EXPECTED_TOON_FIXTURE_COUNT = 516


# --------------------------------------------------------------------------------------
# Fixture loading
# --------------------------------------------------------------------------------------


def toon_fixtures_available() -> bool:
    return (TOON_FIXTURES_DIR / "encode").is_dir() and (TOON_FIXTURES_DIR / "decode").is_dir()


TOON_FIXTURES_MISSING_REASON = (
    f"TOON 4.0 fixtures not found at {TOON_FIXTURES_DIR}; they live in ../shared outside the repo"
)


@cache
def _load_fixture_file(path: str) -> dict[str, Any]:
    with open(path, encoding="utf-8") as fh:
        data: dict[str, Any] = json.load(fh)
    return data


def load_toon_cases(category: str | None = None) -> list[tuple[str, str, dict[str, Any]]]:
    """All TOON fixture tests as ``(category, id, test)``; ``id`` = file stem + test name."""
    out: list[tuple[str, str, dict[str, Any]]] = []
    if not toon_fixtures_available():
        return out
    for cat in ("encode", "decode"):
        if category is not None and cat != category:
            continue
        for path in sorted((TOON_FIXTURES_DIR / cat).glob("*.json")):
            data = _load_fixture_file(str(path))
            file_cat = data.get("category", cat)
            for test in data["tests"]:
                out.append((file_cat, f"{cat}/{path.stem}::{test['name']}", test))
    return out


# --------------------------------------------------------------------------------------
# Token counting
# --------------------------------------------------------------------------------------

_MODEL_ENCODINGS = {
    "gpt-4o": "o200k_base",
    "gpt-4o-mini": "o200k_base",
    "gpt-4.1": "o200k_base",
    "o1": "o200k_base",
    "o3": "o200k_base",
    "gpt-4": "cl100k_base",
    "gpt-4-turbo": "cl100k_base",
    "gpt-3.5-turbo": "cl100k_base",
}


@cache
def _bpe_encoding(name: str) -> Any:
    import bpe_openai

    return bpe_openai.get_encoding(name)


def _fallback_count(text: str, model: str) -> int:
    return len(_bpe_encoding(_MODEL_ENCODINGS.get(model, "o200k_base")).encode_ordinary(text))


@cache
def _token_counter() -> Any:
    try:
        from kaizen_client.tokens import count_tokens as project_count
    except ImportError:
        return _fallback_count
    return project_count


def count_tokens(text: str, model: str = "gpt-4o") -> int:
    """Token count of ``text`` for ``model`` (project counter when available)."""
    return int(_token_counter()(text, model))


def compact_json(value: Any) -> str:
    return json.dumps(value, separators=(",", ":"), ensure_ascii=False)


# --------------------------------------------------------------------------------------
# Value comparison
# --------------------------------------------------------------------------------------


def to_json_model(value: Any) -> Any:
    """What a lossless codec must give back for ``value``: tuples become lists."""
    if isinstance(value, (list, tuple)):
        return [to_json_model(v) for v in value]
    if isinstance(value, dict):
        return {k: to_json_model(v) for k, v in value.items()}
    return value


def _is_number(x: Any) -> bool:
    return isinstance(x, (int, float)) and not isinstance(x, bool)


def _numbers_equal_json_model(a: int | float, b: int | float) -> bool:
    """TOON/JSON-model number equality: by mathematical value.

    Two ints must be exactly equal (Python ints are arbitrary precision, so a big int that
    comes back different lost digits).  When either side is a float, the float domain is the
    host's numeric domain: ``10**300`` (as toons writes 1e300) equals ``1e300``.
    """
    if isinstance(a, float) and math.isnan(a):
        return isinstance(b, float) and math.isnan(b)
    if isinstance(b, float) and math.isnan(b):
        return False
    if isinstance(a, int) and isinstance(b, int):
        return a == b
    if Fraction(a) == Fraction(b):
        return True
    try:
        return float(a) == float(b)
    except OverflowError:
        return False


def _fmt(x: Any) -> str:
    r = repr(x)
    if len(r) > 120:
        r = r[:117] + "..."
    return f"{r} ({type(x).__name__})"


def _path_join(path: str, key: Any) -> str:
    if isinstance(key, int):
        return f"{path}[{key}]"
    return f"{path}[{json.dumps(key, ensure_ascii=False)}]"


def _compare(a: Any, b: Any, path: str, exact_types: bool, ordered: bool) -> str | None:
    """Return a description of the first difference, or None when equal."""
    if exact_types:
        if type(a) is not type(b):
            return f"{path}: type differs: {_fmt(a)} != {_fmt(b)}"
        if isinstance(a, float):
            if math.isnan(a) and math.isnan(b):
                return None
            if a != b or math.copysign(1.0, a) != math.copysign(1.0, b):
                return f"{path}: float differs: {a!r} != {b!r}"
            return None
    else:
        if _is_number(a) and _is_number(b):
            if _numbers_equal_json_model(a, b):
                return None
            return f"{path}: number differs: {_fmt(a)} != {_fmt(b)}"
        kinds = (
            type(None),
            bool,
            str,
            (list, tuple),
            dict,
        )
        ka = next((i for i, k in enumerate(kinds) if isinstance(a, k)), None)
        kb = next((i for i, k in enumerate(kinds) if isinstance(b, k)), None)
        if ka is None or kb is None or ka != kb:
            return f"{path}: kind differs: {_fmt(a)} != {_fmt(b)}"
    if isinstance(a, dict):
        ka_list, kb_list = list(a.keys()), list(b.keys())
        if ordered:
            if ka_list != kb_list:
                return f"{path}: keys differ (ordered): {ka_list!r} != {kb_list!r}"
        elif set(ka_list) != set(kb_list) or len(ka_list) != len(kb_list):
            return f"{path}: key sets differ: {sorted(ka_list)!r} != {sorted(kb_list)!r}"
        for k in ka_list:
            diff = _compare(a[k], b[k], _path_join(path, k), exact_types, ordered)
            if diff:
                return diff
        return None
    if isinstance(a, (list, tuple)):
        if len(a) != len(b):
            return f"{path}: length differs: {len(a)} != {len(b)} ({_fmt(a)} vs {_fmt(b)})"
        for i, (x, y) in enumerate(zip(a, b, strict=True)):
            diff = _compare(x, y, _path_join(path, i), exact_types, ordered)
            if diff:
                return diff
        return None
    if a != b:
        return f"{path}: value differs: {_fmt(a)} != {_fmt(b)}"
    return None


def same_json(a: Any, b: Any, *, exact_types: bool, ordered: bool | None = None) -> bool:
    return _compare(a, b, "$", exact_types, exact_types if ordered is None else ordered) is None


def assert_same_json(
    a: Any, b: Any, *, exact_types: bool, ordered: bool | None = None, context: str = ""
) -> None:
    """Assert ``a`` and ``b`` are the same JSON value.

    ``exact_types=True``: identical Python types at every node (bool is not int, int is not
    float, list is not tuple), floats identical including the sign of zero, and dict key order
    identical.  ``exact_types=False``: JSON-model equality (numbers by value, -0.0 == 0,
    3.0 == 3, list == tuple); dict key order is ignored unless ``ordered=True``.
    """
    diff = _compare(a, b, "$", exact_types, exact_types if ordered is None else ordered)
    if diff is not None:
        msg = f"values differ at {diff}"
        if context:
            msg += f"\n{context}"
        raise AssertionError(msg)


def describe(value: Any, text: str | None = None) -> str:
    """Context for assertion messages: the input value and the text involved."""
    out = f"input: {value!r}"
    if text is not None:
        out += f"\ntext: {text!r}"
    return out
