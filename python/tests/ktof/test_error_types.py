"""One error type per side (issue 12): encode raises only KTOFEncodeError, decode only
KTOFDecodeError, whatever the value, text, bytes, mode or option.

Before: ``encode({"n": 10**5000})`` raised a plain ValueError from ``json.dumps``; bad options
raised plain ValueErrors; ``decode(b"...")`` raised TypeError. Now ``decode`` reads bytes as UTF-8
(invalid UTF-8 is a KTOFDecodeError with its line); an argument that is neither text nor bytes
is a TypeError, as ``json.loads`` does.
"""

from __future__ import annotations

import datetime as dt
import math
from typing import Any

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from kaizen_client.ktof import KTOFDecodeError, KTOFEncodeError, decode, encode
from kaizen_client.ktof.encoder import encode_counted

from .strategies import documents, examples, line_soup

SLOW_OK = [HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.large_base_example]


def _settings(n: int) -> settings:
    return settings(max_examples=examples(n), deadline=None, suppress_health_check=SLOW_OK)


# ---------------------------------------------------------------------------------------
# decode: bytes
# ---------------------------------------------------------------------------------------


def test_decode_reads_utf8_bytes() -> None:
    assert decode(b"a: 1\nb: \xc3\xa9") == {"a": 1, "b": "é"}
    assert decode(bytearray(b"[1,2]")) == [1, 2]
    assert decode(' {"k":"\u00e9"}'.encode()) == {"k": "é"}
    assert decode(b"\xef\xbb\xbfa: 1") == {"a": 1}  # a UTF-8 byte order mark, as json.loads


@pytest.mark.parametrize(
    ("data", "line"),
    [
        (b"a: \xff", 1),
        (b"a: 1\nb: \xc3", 2),
        (b"a: 1\n\nc: \xed\xa0\x80", 3),  # an encoded surrogate is not UTF-8
        (b"\xef\xbb\xbf\n\x80", 2),
    ],
)
def test_decode_invalid_utf8_is_a_decode_error_with_its_line(data: bytes, line: int) -> None:
    with pytest.raises(KTOFDecodeError, match="UTF-8") as info:
        decode(data)
    assert info.value.line == line


@pytest.mark.parametrize("bad", [None, 12, ["a: 1"], memoryview(b"a: 1")], ids=repr)
def test_decode_of_neither_text_nor_bytes_is_a_type_error(bad: Any) -> None:
    """As ``json.loads``: the wrong argument type is a TypeError (mypyc checks it at the call)."""
    with pytest.raises(TypeError):
        decode(bad)


@pytest.mark.parametrize("indent", [0, -2])
def test_decode_indent_below_one_is_a_decode_error(indent: int) -> None:
    with pytest.raises(KTOFDecodeError, match="indent"):
        decode("a: 1", indent=indent)


@pytest.mark.parametrize("indent", ["2", 2.0, None], ids=repr)
def test_decode_indent_of_the_wrong_type_is_a_type_error(indent: Any) -> None:
    with pytest.raises(TypeError):
        decode("a: 1", indent=indent)


# ---------------------------------------------------------------------------------------
# encode: options and values
# ---------------------------------------------------------------------------------------

BAD_OPTION_VALUES: list[dict[str, Any]] = [
    {"mode": "yaml"},
    {"delimiter": ";"},
    {"delimiter": "comma "},
    {"indent": 0},
    {"indent": -4},
]
BAD_OPTION_TYPES: list[dict[str, Any]] = [
    {"mode": None},
    {"delimiter": None},
    {"indent": "2"},
    {"indent": 2.0},
    {"model": None},
    {"model": 4},
]


@pytest.mark.parametrize("options", BAD_OPTION_VALUES, ids=repr)
def test_encode_bad_option_values_are_encode_errors(options: dict[str, Any]) -> None:
    name = next(iter(options))
    with pytest.raises(KTOFEncodeError, match=f"option {name}"):
        encode({"a": 1}, **options)
    with pytest.raises(KTOFEncodeError, match=f"option {name}"):
        encode_counted({"a": 1}, **options)


@pytest.mark.parametrize("options", BAD_OPTION_TYPES, ids=repr)
def test_encode_options_of_the_wrong_type_are_type_errors(options: dict[str, Any]) -> None:
    """As ``json.dumps(indent="x")``: a wrong argument type is a TypeError in both builds."""
    with pytest.raises(TypeError):
        encode({"a": 1}, **options)
    with pytest.raises(TypeError):
        encode_counted({"a": 1}, **options)


BAD_VALUES: dict[str, Any] = {
    "huge int (auto JSON alternative)": {"n": [10**5000, {"a": 1}]},
    "huge int field": {"n": 10**5000},
    "nan": {"x": math.nan},
    "set": {"s": {1, 2}},
    "datetime": [dt.datetime(2024, 1, 1)],
    "non-str key": {1: "a"},
    "lone surrogate": {"k": "\ud800"},
    "deep": [[[[[[[[[[[]]]]]]]]]]],
}


@pytest.mark.parametrize("mode", ["auto", "toon"])
@pytest.mark.parametrize("compare_json", [True, False])
@pytest.mark.parametrize("name", list(BAD_VALUES))
def test_encode_rejections_are_encode_errors(name: str, mode: str, compare_json: bool) -> None:
    value = BAD_VALUES[name]
    if name == "deep":
        for _ in range(300):
            value = [value]
    if name == "nan" and mode == "toon":
        assert decode(encode(value, mode="toon")) == {"x": None}  # TOON §3 writes null
        return
    with pytest.raises(KTOFEncodeError) as info:
        encode_counted(value, mode=mode, compare_json=compare_json)  # type: ignore[arg-type]
    assert info.value.path.startswith("$")
    with pytest.raises(KTOFEncodeError):
        encode(value, mode=mode)  # type: ignore[arg-type]


# ---------------------------------------------------------------------------------------
# Properties: garbage in, only the side's own error out
# ---------------------------------------------------------------------------------------


def _decode_only_decode_errors(data: str | bytes, **options: Any) -> None:
    try:
        decode(data, **options)
    except KTOFDecodeError as exc:
        assert isinstance(exc.line, int) and exc.line >= 0


@_settings(800)
@given(
    st.one_of(
        st.binary(max_size=120),
        st.text(max_size=80).map(lambda t: t.encode("utf-8", "surrogatepass")),
    ),
    st.booleans(),
    st.sampled_from([1, 2, 4]),
)
@example(b"a: \xff", True, 2)
@example(b"k: " + b"9" * 5000, True, 2)
@example(b"[" + b"9" * 5000 + b"]", True, 2)
@example(b"\xef\xbb\xbf", True, 2)
def test_garbage_bytes_raise_only_decode_errors(data: bytes, strict: bool, indent: int) -> None:
    _decode_only_decode_errors(data, strict=strict, indent=indent)


@_settings(800)
@given(
    st.one_of(st.text(max_size=120), line_soup()),
    st.booleans(),
    st.one_of(st.sampled_from([1, 2, 4]), st.integers(-3, 0)),
)
@example("k: " + "9" * 5000, True, 2)
@example('k: "' + "\\u00" + '"', False, 2)
@example("a: 1", True, 0)
def test_garbage_text_raises_only_decode_errors(text: str, strict: bool, indent: int) -> None:
    _decode_only_decode_errors(text, strict=strict, indent=indent)


_LEAVES = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.integers(4299, 5000).map(lambda digits: -(10**digits) if digits & 1 else 10**digits),
    st.floats(),
    st.text(max_size=8),
    st.sampled_from(["\ud800", "a\udfffb"]),
    st.sampled_from([{1, 2}, b"bytes", dt.date(2024, 1, 1), object(), 1j]),
)
_VALUES = st.recursive(
    _LEAVES,
    lambda inner: st.one_of(
        st.lists(inner, max_size=4),
        st.dictionaries(st.one_of(st.text(max_size=4), st.integers(0, 3)), inner, max_size=4),
        st.tuples(inner, inner),
    ),
    max_leaves=12,
)
_OPTIONS = st.fixed_dictionaries(
    {},
    optional={
        "mode": st.sampled_from(["auto", "toon", "json"]),
        "indent": st.sampled_from([1, 2, 4, 0]),
        "delimiter": st.sampled_from([",", "\t", "|", "pipe", ";"]),
        "model": st.sampled_from(["gpt-4o", "gpt-4", "claude-3-5-sonnet"]),
    },
)


@_settings(600)
@given(st.one_of(_VALUES, documents), _OPTIONS, st.booleans())
@example({"n": 10**5000}, {}, True)
@example([10**5000], {"mode": "toon"}, False)
@example({"a": [1, {"b": 10**4301}]}, {"model": "gpt-4"}, False)
def test_garbage_values_raise_only_encode_errors(
    value: Any, options: dict[str, Any], counted: bool
) -> None:
    try:
        if counted:
            text, tokens = encode_counted(value, **options)
            assert isinstance(tokens, int)
        else:
            text = encode(value, **options)
    except KTOFEncodeError as exc:
        assert exc.path.startswith("$")
        return
    assert isinstance(text, str)
    # whatever encodes, decodes (with the same indent)
    decode(text, indent=options.get("indent", 2))
