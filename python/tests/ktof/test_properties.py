"""Property tests for the KTOF codec.

(a) auto mode is lossless and type-exact; (b) toon mode round-trips under JSON-model
equality; (c) auto output never costs more tokens than compact JSON; (d) encoding is
deterministic; (e) auto output decodes identically in strict and non-strict mode;
(f) toon mode round-trips with every delimiter and indent 2/4.  Plus exhaustive placement of
the hard strings in every syntactic position (deterministic, gives minimal repros).

Budget: ``KTOF_HYPOTHESIS_SCALE`` multiplies every ``max_examples`` (default 1).
"""

from __future__ import annotations

import collections
import copy
import enum
import math
from typing import Any

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from kaizen_client.ktof import decode, encode
from kaizen_client.ktof._auto import marked_object_cost
from kaizen_client.ktof.encoder import encode_counted

from .conftest import (
    assert_same_json,
    compact_json,
    count_tokens,
    describe,
    to_json_model,
)
from .strategies import (
    HARD_STRINGS,
    SPECIAL_FLOATS,
    SPECIAL_INTS,
    documents,
    examples,
    json_values,
    with_tuples,
)

SLOW_OK = [HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.large_base_example]


def _settings(n: int) -> settings:
    return settings(max_examples=examples(n), deadline=None, suppress_health_check=SLOW_OK)


def roundtrip_auto(value: Any, **opts: Any) -> tuple[str, Any]:
    text = encode(value, **opts)
    assert isinstance(text, str)
    dec_opts = {"indent": opts["indent"]} if "indent" in opts else {}
    return text, decode(text, **dec_opts)


# ---------------------------------------------------------------------------------------
# (a) auto mode: lossless, type-exact, order-preserving
# ---------------------------------------------------------------------------------------


@_settings(1500)
@given(documents)
@example(3.0)
@example(-0.0)
@example({"a": -0.0, "b": 3.0, "c": 1e300, "d": 5e-324, "e": 10**30 + 1})
@example([1, 1.0, True, "1", None, "true", "null"])
@example({"": {"": ""}})
@example([{"a": 1.0, "b": "x"}, {"a": 2, "b": "y"}])
@example([{"a": -0.0}, {"a": 0}])
@example({"k1": {"x": 1, "y": 2.0}, "k2": {"y": 3, "x": 4}})
@example([{"b": 1, "a": 2}, {"a": 3, "b": 4}])
def test_auto_roundtrip_exact(value: Any) -> None:
    text, back = roundtrip_auto(value)
    assert_same_json(back, value, exact_types=True, context=describe(value, text))


@_settings(200)
@given(st.data())
def test_auto_tuples_encode_as_lists(data: st.DataObject) -> None:
    value = data.draw(json_values(12))
    value = with_tuples(value, data.draw)
    text, back = roundtrip_auto(value)
    assert_same_json(back, to_json_model(value), exact_types=True, context=describe(value, text))


@pytest.mark.parametrize("num", SPECIAL_INTS + SPECIAL_FLOATS, ids=repr)
def test_auto_special_numbers_exact(num: float) -> None:
    for value in (num, [num], {"n": num}, [{"n": num, "s": "x"}, {"n": num, "s": "y"}]):
        text, back = roundtrip_auto(value)
        assert_same_json(back, value, exact_types=True, context=describe(value, text))
    back_num = decode(encode(num))
    if isinstance(num, float):
        assert math.copysign(1.0, back_num) == math.copysign(1.0, num)


# ---------------------------------------------------------------------------------------
# Hard strings in every syntactic position (deterministic minimal repros)
# ---------------------------------------------------------------------------------------


def _positions(s: str) -> dict[str, Any]:
    return {
        "root": s,
        "field value": {"k": s},
        "key": {s: 1},
        "nested key": {"o": {s: "v", "w": 2}},
        "inline array": ["a", s, "b"],
        "list item": [s, {"x": 1}, [1]],
        "tabular cell": [{"id": 1, "v": s}, {"id": 2, "v": "plain"}],
        "tabular field name": [{s: 1, "z": 2}, {s: 3, "z": 4}],
        "keyed entry key": {s: {"a": 1, "b": 2}, "other": {"a": 3, "b": 4}},
        "keyed cell": {"e1": {"a": s}, "e2": {"a": "t"}},
        "nested field group": [{"g": {s: s}}, {"g": {s: "q"}}],
        "list-item first field": [{s: [{"a": 1}, {"a": 2}], "y": s}, 7],
    }


POSITION_CASES = [
    pytest.param(pos, value, id=f"{pos}-{i}-{ascii(s)[1:-1][:24]}")
    for i, s in enumerate(HARD_STRINGS)
    for pos, value in _positions(s).items()
]


@pytest.mark.parametrize(("position", "value"), POSITION_CASES)
def test_hard_string_positions_auto(position: str, value: Any) -> None:
    text, back = roundtrip_auto(value)
    assert_same_json(back, value, exact_types=True, context=describe(value, text))


@pytest.mark.parametrize(("position", "value"), POSITION_CASES)
def test_hard_string_positions_toon(position: str, value: Any) -> None:
    text = encode(value, mode="toon")
    assert_same_json(
        decode(text), value, exact_types=False, ordered=False, context=describe(value, text)
    )


# ---------------------------------------------------------------------------------------
# (b) toon mode: JSON-model round trip; canonical output is a fixed point
# ---------------------------------------------------------------------------------------


@_settings(500)
@given(documents)
@example({"a": -0.0, "b": 3.0, "c": 1e300, "d": 5e-324, "e": 10**30 + 1})
def test_toon_roundtrip_json_model(value: Any) -> None:
    text = encode(value, mode="toon")
    back = decode(text)
    assert_same_json(back, value, exact_types=False, ordered=False, context=describe(value, text))


@_settings(200)
@given(documents)
def test_toon_canonical_fixed_point(value: Any) -> None:
    """encode(decode(t)) == t for t = encode(x, mode="toon"): TOON output is canonical."""
    text = encode(value, mode="toon")
    again = encode(decode(text), mode="toon")
    assert again == text, describe(value, text) + f"\nre-encoded: {again!r}"


# ---------------------------------------------------------------------------------------
# (c) token bound: auto never costs more than compact JSON
# ---------------------------------------------------------------------------------------


# Found by hypothesis (issue 12): the per-line cost model said 31, the text costs 32 in o200k
# (a line starting with "/" joins the previous line's punctuation pre-token); compact JSON 31.
ISSUE12_PROTO = {
    ":": [[]],
    "__proto__": [{}, {"": {"": None}}],
    "constructor": [{}, {"": {"": {"": None}}}],
    "/<\\": [],
}


def assert_token_bound(value: Any, text: str, model: str) -> None:
    """docs/ktof.md §4: never more tokens than compact JSON, except for a root object written in
    the root JSON form when its one-space marker costs a token (then: never more than that form).
    """
    ours = count_tokens(text, model)
    theirs = count_tokens(compact_json(value), model)
    if ours <= theirs:
        return
    marked = count_tokens(" " + compact_json(value), model)
    assert type(value) is dict and ours <= marked, (
        f"{model}: KTOF {ours} tokens > compact JSON {theirs}\n" + describe(value, text)
    )


@pytest.mark.parametrize("model", ["gpt-4o", "gpt-4"])
@_settings(300)
@given(value=documents)
@example(value=[1, 2, 3])
@example(value={"a": "b"})
@example(value="")
@example(value={"": ""})
@example(value=[[[]]])
@example(value=[{}, {}, {}])
@example(value=-0.0)
@example(value=ISSUE12_PROTO)
@example(value={"a": [1, [2]], "/b": [1, [2]]})
def test_auto_never_more_tokens_than_json(model: str, value: Any) -> None:
    text = encode(value, model=model)
    assert_same_json(decode(text), value, exact_types=True, context=describe(value, text))
    assert_token_bound(value, text, model)


@pytest.mark.parametrize("model", ["gpt-4o", "gpt-4"])
@pytest.mark.parametrize("compare_json", [True, False])
@_settings(150)
@given(value=documents)
@example(value=ISSUE12_PROTO)
@example(value={"x": "[", "/y": 1})
@example(value={"x": {"a": 1}, "//": {"b": [1]}})
def test_encode_counted_count_is_exact(model: str, compare_json: bool, value: Any) -> None:
    """``encode_counted`` returns ``encode``'s text and that text's exact count, in every mode."""
    text, tokens = encode_counted(value, model=model, compare_json=compare_json)
    assert tokens == count_tokens(text, model), describe(value, text)
    if compare_json:
        assert text == encode(value, model=model)
    assert_same_json(decode(text), value, exact_types=True, context=describe(value, text))


@pytest.mark.parametrize("model", ["gpt-4o", "gpt-4"])
def test_issue12_document_is_not_dearer_than_json(model: str) -> None:
    text, tokens = encode_counted(ISSUE12_PROTO, model=model)
    assert tokens == count_tokens(text, model)
    assert tokens <= count_tokens(compact_json(ISSUE12_PROTO), model), text


@pytest.mark.parametrize("value", [{";/": [[]]}, {";/": [[]], "b": {"c": [[]]}}], ids=repr)
def test_the_one_exception_costs_one_token_more_at_most(value: Any) -> None:
    """docs/ktof.md §4: in cl100k ` {";/"` does not merge like `{";/"`; where no KTOF form beats
    compact JSON either, the output is the root JSON form at exactly one token more."""
    text = encode(value, model="gpt-4")
    ours = count_tokens(text, "gpt-4")
    assert ours <= count_tokens(" " + compact_json(value), "gpt-4")
    assert ours <= count_tokens(compact_json(value), "gpt-4") + 1
    assert_same_json(decode(text), value, exact_types=True)
    assert count_tokens(encode(value), "gpt-4o") <= count_tokens(compact_json(value), "gpt-4o")


def test_marked_object_cost_matches_a_full_count() -> None:
    """The root JSON form's count derived from compact JSON's equals counting it whole."""
    keys = ["a", "", ";/", ":", "{", " a", "1", "é", "\\", "/<", '"', "é;", "-1", "__x"]
    for model in ("gpt-4o", "gpt-4"):
        for key in keys:
            for inner in (None, {"": None}, [[]], "x"):
                text = compact_json({key: inner, "b": 2})
                derived = marked_object_cost(text, count_tokens(text, model), model)
                assert derived == count_tokens(" " + text, model), (model, text)


# ---------------------------------------------------------------------------------------
# (d) determinism
# ---------------------------------------------------------------------------------------


@_settings(200)
@given(documents, st.sampled_from(["auto", "toon"]))
def test_encode_deterministic(value: Any, mode: str) -> None:
    first = encode(value, mode=mode)
    second = encode(value, mode=mode)
    third = encode(copy.deepcopy(value), mode=mode)
    assert first == second == third, describe(value, first)


# ---------------------------------------------------------------------------------------
# (e) auto output decodes identically in strict and non-strict mode
# ---------------------------------------------------------------------------------------


@_settings(300)
@given(documents)
def test_auto_strict_and_lenient_agree(value: Any) -> None:
    text = encode(value)
    strict = decode(text, strict=True)
    lenient = decode(text, strict=False)
    assert_same_json(lenient, strict, exact_types=True, context=describe(value, text))
    assert_same_json(strict, value, exact_types=True, context=describe(value, text))


# ---------------------------------------------------------------------------------------
# (f) every delimiter and indent: toon round trip (and auto stays exact with the options)
# ---------------------------------------------------------------------------------------

OPTION_COMBOS = [(d, i) for d in (",", "|", "\t") for i in (2, 4)]


@pytest.mark.parametrize(
    ("delimiter", "indent"), OPTION_COMBOS, ids=[f"{d!r}-indent{i}" for d, i in OPTION_COMBOS]
)
@_settings(100)
@given(value=documents)
def test_toon_roundtrip_all_options(delimiter: str, indent: int, value: Any) -> None:
    text = encode(value, mode="toon", delimiter=delimiter, indent=indent)
    back = decode(text, indent=indent)
    assert_same_json(back, value, exact_types=False, ordered=False, context=describe(value, text))
    assert not text.endswith("\n"), f"trailing newline: {text!r}"
    for line in text.split("\n"):
        lead = len(line) - len(line.lstrip(" "))
        assert lead % indent == 0, f"indentation {lead} not a multiple of {indent}: {text!r}"
        assert line[lead : lead + 1] != "\t", f"tab after indentation: {text!r}"
        assert line == line.rstrip(" "), f"trailing space: {text!r}"


@pytest.mark.parametrize(
    ("delimiter", "indent"), OPTION_COMBOS, ids=[f"{d!r}-indent{i}" for d, i in OPTION_COMBOS]
)
@_settings(60)
@given(value=documents)
def test_auto_roundtrip_all_options(delimiter: str, indent: int, value: Any) -> None:
    text, back = roundtrip_auto(value, delimiter=delimiter, indent=indent)
    assert_same_json(back, value, exact_types=True, context=describe(value, text))


class _Color(enum.IntEnum):
    RED = 1


class _Name(str):
    pass


class _Ratio(float):
    pass


class _Rows(list):  # type: ignore[type-arg]
    pass


class _Mapping(dict):  # type: ignore[type-arg]
    pass


# (value, what json.dumps makes of it)
SUBCLASS_CASES = {
    "IntEnum": ({"c": _Color.RED}, {"c": 1}),
    "str subclass": ({"n": _Name("ada"), _Name("k"): 1}, {"n": "ada", "k": 1}),
    "float subclass": ({"r": _Ratio(0.5)}, {"r": 0.5}),
    "list subclass": ({"rows": _Rows([1, 2])}, {"rows": [1, 2]}),
    "OrderedDict root": (collections.OrderedDict(a=1, b=[1]), {"a": 1, "b": [1]}),
    "OrderedDict field": ({"o": collections.OrderedDict(z=1, a=2)}, {"o": {"z": 1, "a": 2}}),
    "defaultdict field": ({"d": collections.defaultdict(int, {"z": 1})}, {"d": {"z": 1}}),
    "dict subclass in list": ([_Mapping(a=1), 2], [{"a": 1}, 2]),
    "dict subclass rows": (
        [_Mapping(a=1, b="x"), _Mapping(a=2, b="y")],
        [{"a": 1, "b": "x"}, {"a": 2, "b": "y"}],
    ),
}


@pytest.mark.parametrize("mode", ["auto", "toon"])
@pytest.mark.parametrize("case", list(SUBCLASS_CASES))
def test_subclasses_of_json_types(case: str, mode: str) -> None:
    """Subclasses of dict/list/str/int/float encode as their JSON base type, like json.dumps."""
    value, expected = SUBCLASS_CASES[case]
    text = encode(value, mode=mode)
    assert_same_json(decode(text), expected, exact_types=True, context=describe(value, text))


@pytest.mark.parametrize("mode", ["auto", "toon"])
def test_encode_reflects_in_place_mutation(mode: str) -> None:
    """No stale caching keyed on object identity: mutate, re-encode, the text changes."""
    value: Any = {"rows": [{"a": i, "b": "x"} for i in range(30)], "k": [1, 2]}
    first = encode(value, mode=mode)
    value["rows"][3]["b"] = "changed"
    value["rows"].append({"a": 99, "b": "y"})
    value["k"].append(3)
    second = encode(value, mode=mode)
    assert second != first
    assert_same_json(decode(second), value, exact_types=(mode == "auto"))
