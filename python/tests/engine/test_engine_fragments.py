"""Finding JSON inside strings: whole, fenced and embedded fragments."""

from __future__ import annotations

import json

from kaizen_client.engine.fragments import MIN_EMBEDDED_CHARS, find_fragments

from .samples import pretty, table


def test_whole_string_with_surrounding_whitespace() -> None:
    text = "\n  " + pretty(table(3)) + "\n"
    [fragment] = find_fragments(text)
    assert fragment.kind == "whole" and fragment.parsed
    assert (fragment.start, fragment.end) == (0, len(text))
    assert fragment.value == table(3)


def test_whole_looking_but_invalid_is_not_json() -> None:
    [fragment] = find_fragments('{"a": 1,}')
    assert fragment.kind == "whole" and not fragment.parsed


def test_plain_prose_has_no_fragments() -> None:
    assert find_fragments("") == []
    assert find_fragments("[Notice] the system restarts at noon [end]") == []
    assert find_fragments("{name} is a placeholder, so is {other}") == []
    assert find_fragments("See [1] and [note] {name} for details, or {braces} [x].") == []


def test_fenced_json_and_unlabelled_fence() -> None:
    body = pretty({"rows": table(2)})
    text = f"Intro\n```json\n{body}\n```\nmiddle\n```\n{body}\n```\nend"
    first, second = find_fragments(text)
    assert (first.kind, first.label, first.json_text) == ("fenced", "json", body)
    assert text[first.start : first.end] == f"```json\n{body}\n```"
    assert (second.kind, second.label) == ("fenced", "")
    assert text[second.end :] == "\nend"


def test_fences_of_other_languages_are_code() -> None:
    code = 'x = {"a": [1, 2, 3], "b": "a long enough string"}'
    assert find_fragments(f"```python\n{code}\n```") == []


def test_invalid_json_fence_is_reported_not_json() -> None:
    [fragment] = find_fragments("```json\n{oops: 1}\n```")
    assert fragment.kind == "fenced" and not fragment.parsed


def test_unclosed_fence_is_prose() -> None:
    data = json.dumps({"key": "value", "list": [1, 2, 3]})
    [fragment] = find_fragments(f"```json\n{data}\n")
    assert fragment.kind == "embedded" and fragment.value == json.loads(data)


def test_embedded_after_prose_outermost_and_in_order() -> None:
    a = json.dumps({"user": {"id": 7, "tags": ["x", "y"]}, "ok": True})
    b = json.dumps([{"k": 1}, {"k": 2}, {"k": 3}])
    text = f"Given {a}, and then {b}. Done."
    first, second = find_fragments(text)
    assert (first.kind, first.json_text, second.json_text) == ("embedded", a, b)
    assert text[first.start : first.end] == a


def test_embedded_tiny_are_ignored_and_nan_is_not_json() -> None:
    assert find_fragments('pick one of [1, 2] or {"a": 1} please, thanks a lot') == []
    assert find_fragments('short {"a": NaN} here, and that is all there is') == []
    not_json = '{"alpha": NaN, "beta": "long enough to be data"}'
    assert len(not_json) >= MIN_EMBEDDED_CHARS
    [fragment] = find_fragments(f"value is {not_json} here")
    assert (fragment.kind, fragment.json_text, fragment.problem) == (
        "embedded",
        not_json,
        "not_json",
    )
    assert not fragment.parsed and fragment.value is None


def test_json_inside_a_code_fence_is_not_embedded() -> None:
    data = json.dumps({"config": {"retries": 3, "timeout": 30}})
    assert find_fragments(f"Run:\n```js\nconst c = {data};\n```\n") == []


def test_adversarial_inputs_finish() -> None:
    # Linear scan with a work budget: these must simply return (no timing asserted here).
    for text in (
        "[" * 50_000,
        '{"a":' * 5_000,
        "x [" + "1," * 40_000,
        '{"k": "' + "v" * 100_000,
        ("[1, 2, " * 5_000) + "oops",
    ):
        # Each is JSON that never completes: kept as it is, nothing extracted from inside.
        assert all(not f.parsed for f in find_fragments(text))
