"""Robustness: the decoder only ever raises KTOFDecodeError, the encoder only KTOFEncodeError.

* random text and random line soups;
* mutations of valid documents (our TOON and KTOF output, and the official fixture inputs):
  insert/delete/replace characters, duplicate/drop/swap lines, re-indent, truncate, CRLF;
* pathological nesting (10_000 indentation levels, 100_000 nested brackets/braces/field
  groups) must fail with a depth error, never RecursionError;
* a ~1 MB tabular document decodes;
* encoder: 5000 nested lists/dicts, cycles and runaway ``default`` raise KTOFEncodeError;
  whatever nesting the encoder accepts, the decoder reads back.

Every KTOFDecodeError must carry an int ``line`` with 0 <= line <= number of lines.
"""

from __future__ import annotations

import re
from typing import Any

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from kaizen_client.ktof import KTOFDecodeError, KTOFEncodeError, decode, encode

from .conftest import assert_same_json, describe, load_toon_cases
from .strategies import HARD_STRINGS, documents, examples, line_soup

SLOW_OK = [HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.large_base_example]
DEPTH_MSG = re.compile(r"depth|deep|nest", re.IGNORECASE)


def _settings(n: int) -> settings:
    return settings(max_examples=examples(n), deadline=None, suppress_health_check=SLOW_OK)


def line_count(text: str) -> int:
    return text.count("\n") + 1


def check_decode(text: str, **opts: Any) -> Any:
    """Decode; allow only KTOFDecodeError, and check its line number. Returns value or error."""
    try:
        return decode(text, **opts)
    except KTOFDecodeError as exc:
        assert isinstance(exc.line, int) and not isinstance(exc.line, bool), (
            f"line is {exc.line!r}\ntext: {text!r}"
        )
        assert 0 <= exc.line <= line_count(text), (
            f"line {exc.line} outside 0..{line_count(text)}: {exc}\ntext: {text!r}"
        )
        assert str(exc), f"empty error message\ntext: {text!r}"
        return exc


def check_all_modes(text: str) -> None:
    for strict in (True, False):
        for indent in (2, 4):
            check_decode(text, strict=strict, indent=indent)


# ---------------------------------------------------------------------------------------
# Random text
# ---------------------------------------------------------------------------------------

STRUCTURAL = ' \n\t-:[]{},|"\\#a1u0.e\r'


@_settings(1500)
@given(
    st.one_of(
        st.text(alphabet=STRUCTURAL, max_size=80),
        st.text(max_size=40),
        line_soup(),
    )
)
@example("")
@example("\n\n")
@example("\r\n")
@example("a:\n  b:\n      c: 1")
@example("[1]:\n  - a:\n      b: 1\n   - c")
@example('"\\ud800"')
@example('"\\u12"')
@example("k[1]{" + "a{" * 300 + "x" + "}" * 300 + "}:\n  1")
def test_random_text(text: str) -> None:
    check_all_modes(text)


# ---------------------------------------------------------------------------------------
# Mutations of valid documents
# ---------------------------------------------------------------------------------------

INSERTABLE = [*STRUCTURAL, "  ", "- ", ": ", "[3]", "{x}", "\\u", "é", "\x00"]


@st.composite
def mutate(draw: st.DrawFn, text: str) -> str:
    for _ in range(draw(st.integers(1, 3))):
        lines = text.split("\n")
        op = draw(st.integers(0, 11))
        pos = draw(st.integers(0, max(0, len(text))))
        li = draw(st.integers(0, len(lines) - 1))
        if op == 0:  # insert a character or fragment
            text = text[:pos] + draw(st.sampled_from(INSERTABLE)) + text[pos:]
        elif op == 1 and text:  # delete a character
            pos = min(pos, len(text) - 1)
            text = text[:pos] + text[pos + 1 :]
        elif op == 2 and text:  # replace a character
            pos = min(pos, len(text) - 1)
            text = text[:pos] + draw(st.sampled_from(INSERTABLE)) + text[pos + 1 :]
        elif op == 3:  # duplicate a line
            lines.insert(li, lines[li])
            text = "\n".join(lines)
        elif op == 4 and len(lines) > 1:  # drop a line
            del lines[li]
            text = "\n".join(lines)
        elif op == 5 and len(lines) > 1:  # swap two lines
            lj = draw(st.integers(0, len(lines) - 1))
            lines[li], lines[lj] = lines[lj], lines[li]
            text = "\n".join(lines)
        elif op == 6:  # re-indent a line
            delta = draw(st.sampled_from([-4, -2, -1, 1, 2, 4]))
            line = lines[li]
            lead = len(line) - len(line.lstrip(" "))
            lines[li] = " " * max(0, lead + delta) + line.lstrip(" ")
            text = "\n".join(lines)
        elif op == 7:  # tab indentation
            lines[li] = "\t" + lines[li]
            text = "\n".join(lines)
        elif op == 8:  # truncate
            text = text[:pos]
        elif op == 9:  # blank line or comment line
            lines.insert(li, draw(st.sampled_from(["", "  ", "# x", "   # y"])))
            text = "\n".join(lines)
        elif op == 10:  # change a declared length
            text = re.sub(
                r"\[(\d+)",
                lambda m: "[" + str(int(m.group(1)) + draw(st.sampled_from([-1, 1, 7]))),
                text,
                count=1,
            )
        else:  # CRLF
            text = text.replace("\n", "\r\n")
    return text


@st.composite
def mutated_documents(draw: st.DrawFn, mode: str) -> tuple[str, str]:
    value = draw(documents)
    opts: dict[str, Any] = {"mode": mode}
    if mode == "toon":
        opts["delimiter"] = draw(st.sampled_from([",", "|", "\t"]))
    text = encode(value, **opts)
    return text, draw(mutate(text))


@_settings(600)
@given(mutated_documents("toon"))
def test_mutated_toon_documents(pair: tuple[str, str]) -> None:
    _, text = pair
    check_all_modes(text)


@_settings(500)
@given(mutated_documents("auto"))
def test_mutated_ktof_documents(pair: tuple[str, str]) -> None:
    _, text = pair
    check_all_modes(text)


FIXTURE_DOCS = [c["input"] for _, _, c in load_toon_cases("decode")]


@pytest.mark.skipif(not FIXTURE_DOCS, reason="TOON 4.0 fixtures not found in ../shared")
@_settings(800)
@given(st.data())
def test_mutated_fixture_documents(data: st.DataObject) -> None:
    base = data.draw(st.sampled_from(FIXTURE_DOCS or [""]))
    check_all_modes(data.draw(mutate(base)))


@pytest.mark.parametrize("s", HARD_STRINGS, ids=lambda s: ascii(s)[1:-1][:24])
def test_hard_strings_as_documents(s: str) -> None:
    """Every hard string taken verbatim as a document (and with a key) is handled."""
    check_all_modes(s)
    check_all_modes("k: " + s)
    check_all_modes("[1]: " + s)
    check_all_modes("[1]:\n  - " + s)


# ---------------------------------------------------------------------------------------
# Pathological nesting: depth errors, never RecursionError
# ---------------------------------------------------------------------------------------


def _assert_depth_error(text: str, **opts: Any) -> None:
    try:
        decode(text, **opts)
    except KTOFDecodeError as exc:
        assert DEPTH_MSG.search(str(exc)), f"not a depth message: {exc}"
        assert 0 <= exc.line <= line_count(text)
        return
    pytest.fail("nesting 10_000 levels deep was accepted")


@pytest.mark.parametrize("strict", [True, False])
def test_deep_indentation_objects(strict: bool) -> None:
    text = "\n".join(" " * (2 * i) + "a:" for i in range(10_000))
    _assert_depth_error(text, strict=strict)


@pytest.mark.parametrize("strict", [True, False])
def test_deep_indentation_list_items(strict: bool) -> None:
    text = "[1]:\n" + "\n".join(" " * (2 * i + 2) + "- [1]:" for i in range(10_000))
    _assert_depth_error(text, strict=strict)


@pytest.mark.parametrize("strict", [True, False])
def test_deep_list_item_objects(strict: bool) -> None:
    lines = ["[1]:"]
    for i in range(5_000):
        lines.append(" " * (4 * i + 2) + "- a[1]:")
    _assert_depth_error("\n".join(lines), strict=strict)


N_BRACKETS = 100_000
DEEP_BRACKET_DOCS = {
    "root open": "[" * N_BRACKETS,
    "root balanced": "[" * N_BRACKETS + "]" * N_BRACKETS,
    "root json array": "[" * N_BRACKETS + "1" + "]" * N_BRACKETS,
    "root json object": '{"a":' * N_BRACKETS + "1" + "}" * N_BRACKETS,
    "field value": "a: " + "[" * N_BRACKETS + "]" * N_BRACKETS,
    "field json object": 'a: {"a":' + '{"a":' * N_BRACKETS + "1" + "}" * (N_BRACKETS + 1),
    "inline cell": "a[1]: " + "[" * N_BRACKETS + "]" * N_BRACKETS,
    "list item": "[1]:\n  - " + "[" * N_BRACKETS + "]" * N_BRACKETS,
    "field groups": "k[1]{" + "a{" * N_BRACKETS + "x" + "}" * N_BRACKETS + "}:\n  1",
    "keyed field groups": "[2:]{" + "a{" * N_BRACKETS + "x" + "}" * N_BRACKETS + "}:\n  k: 1",
    "unclosed field groups": "k[1]{" + "a{" * N_BRACKETS + ":\n  1",
    "quoted key brackets": '"' + "[" * N_BRACKETS + '": 1',
    "hyphen chain": "[1]:\n  " + "- " * N_BRACKETS + "1",
}


# KTOF JSON positions (root JSON after one space, ``key[]:`` fields, ``name[]`` table columns):
# the content is JSON, so 100_000 levels must be a depth error.
DEEP_JSON_DOCS = {
    "root json array": " " + "[" * N_BRACKETS + "]" * N_BRACKETS,
    "root json object": " " + '{"a":' * N_BRACKETS + "1" + "}" * N_BRACKETS,
    "root json unclosed": " " + "[" * N_BRACKETS,
    "json field": "a[]: " + "[" * N_BRACKETS + "]" * N_BRACKETS,
    "json field object": "a[]: " + '{"a":' * N_BRACKETS + "1" + "}" * N_BRACKETS,
    "nested json field": "x:\n  y:\n    a[]: " + "[" * N_BRACKETS + "]" * N_BRACKETS,
    "json column": "[1]{a[]}:\n  " + "[" * N_BRACKETS + "]" * N_BRACKETS,
    "json column keyed": "[2:]{a[],b}:\n  k: " + "[" * N_BRACKETS + "]" * N_BRACKETS + ",1",
}


@pytest.mark.parametrize("strict", [True, False])
@pytest.mark.parametrize("name", list(DEEP_JSON_DOCS))
def test_deep_json_content(name: str, strict: bool) -> None:
    text = DEEP_JSON_DOCS[name]
    try:
        got = decode(text, strict=strict)
    except KTOFDecodeError as exc:
        assert DEPTH_MSG.search(str(exc)), f"not a depth message: {exc}"
        assert 0 <= exc.line <= line_count(text)
        return
    pytest.fail(f"{name}: 100_000 nested levels accepted: {str(got)[:60]}")


@pytest.mark.parametrize("name", list(DEEP_BRACKET_DOCS))
def test_deep_brackets(name: str) -> None:
    """100_000 nested brackets/braces: a KTOFDecodeError (or a plain string reading, where
    TOON reads the token as an unquoted string) — never RecursionError or another type."""
    text = DEEP_BRACKET_DOCS[name]
    for strict in (True, False):
        got = check_decode(text, strict=strict)
        if isinstance(got, KTOFDecodeError):
            continue
        # Accepted: it must be a flat reading (strings), not a partially built deep structure.
        depth = 0
        node = got
        while isinstance(node, (list, dict)) and node:
            node = node[0] if isinstance(node, list) else next(iter(node.values()))
            depth += 1
        assert depth < 10, f"{name}: decoded {depth} levels deep without a depth error"


# ---------------------------------------------------------------------------------------
# Large documents
# ---------------------------------------------------------------------------------------


def test_one_megabyte_tabular_document() -> None:
    rows = 20_000
    body = "\n".join(
        f'  {i},user-{i}@example.com,{i * 0.25},{"true" if i % 3 else "false"},"x, y {i}"'
        for i in range(rows)
    )
    text = f"rows[{rows}]{{id,email,score,active,note}}:\n{body}"
    assert len(text) > 1_000_000
    got = decode(text)
    assert len(got["rows"]) == rows
    assert got["rows"][0] == {
        "id": 0,
        "email": "user-0@example.com",
        "score": 0,
        "active": False,
        "note": "x, y 0",
    }
    assert got["rows"][-1]["id"] == rows - 1
    assert got["rows"][7]["score"] == 1.75


def test_large_value_round_trip_both_modes() -> None:
    value = {
        "orders": [
            {"id": i, "sku": f"SKU-{i % 97}", "qty": i % 5, "price": i / 8, "ok": i % 2 == 0}
            for i in range(5_000)
        ]
    }
    assert_same_json(decode(encode(value)), value, exact_types=True)
    assert_same_json(decode(encode(value, mode="toon")), value, exact_types=False)


# ---------------------------------------------------------------------------------------
# Encoder: deep values, cycles, runaway default
# ---------------------------------------------------------------------------------------


def _nested(kind: str, depth: int) -> Any:
    value: Any = 1
    for _ in range(depth):
        if kind == "list":
            value = [value]
        elif kind == "dict":
            value = {"a": value}
        elif kind == "tuple":
            value = (value,)
        elif kind == "list-of-dict":
            value = [{"a": value, "b": 1}]
        else:  # dict-of-list
            value = {"a": [value, 2]}
    return value


@pytest.mark.parametrize("mode", ["auto", "toon"])
@pytest.mark.parametrize("kind", ["list", "dict", "tuple", "list-of-dict", "dict-of-list"])
def test_encode_deep_nesting_raises_depth_error(kind: str, mode: str) -> None:
    value = _nested(kind, 5_000)
    with pytest.raises(KTOFEncodeError) as info:
        encode(value, mode=mode)
    assert DEPTH_MSG.search(str(info.value)), f"not a depth message: {info.value}"
    assert info.value.path.startswith("$")


@pytest.mark.parametrize("mode", ["auto", "toon"])
def test_encode_cycles_raise(mode: str) -> None:
    cyclic_list: list[Any] = [1]
    cyclic_list.append(cyclic_list)
    cyclic_dict: dict[str, Any] = {"a": 1}
    cyclic_dict["self"] = cyclic_dict
    for value in (cyclic_list, cyclic_dict, {"x": [cyclic_dict]}):
        with pytest.raises(KTOFEncodeError):
            encode(value, mode=mode)


@pytest.mark.parametrize("mode", ["auto", "toon"])
def test_encode_runaway_default_raises(mode: str) -> None:
    class Opaque:
        pass

    with pytest.raises(KTOFEncodeError):
        encode({"x": Opaque()}, mode=mode, default=lambda o: [o])
    with pytest.raises(KTOFEncodeError):
        encode({"x": Opaque()}, mode=mode, default=lambda o: o)


@pytest.mark.parametrize("mode", ["auto", "toon"])
@pytest.mark.parametrize("kind", ["list", "dict", "tuple", "list-of-dict", "dict-of-list"])
@pytest.mark.parametrize("depth", [50, 100, 199, 200, 201, 250])
def test_whatever_encodes_decodes(kind: str, mode: str, depth: int) -> None:
    """Near the nesting limit: if the encoder accepts a value, the decoder must read it back."""
    value = _nested(kind, depth)
    try:
        text = encode(value, mode=mode)
    except KTOFEncodeError as exc:
        assert DEPTH_MSG.search(str(exc)), str(exc)
        assert depth > 50, f"{kind} nested {depth} deep rejected: {exc}"
        return
    back = decode(text)
    expected = _nested(kind.replace("tuple", "list"), depth)
    assert_same_json(
        back, expected, exact_types=(mode == "auto"), context=describe(kind, text[:300])
    )
