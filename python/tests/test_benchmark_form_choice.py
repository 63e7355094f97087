"""The one-form rules that ``benchmarks/form_choice.py`` compares auto mode with: each changes
what it says for object fields only, and the writer is left as it was. Nothing is timed."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

_PYTHON_DIR = str(Path(__file__).resolve().parents[1])
if _PYTHON_DIR not in sys.path:  # ``benchmarks`` lives next to ``kaizen_client``, not in it
    sys.path.insert(0, _PYTHON_DIR)

from benchmarks.form_choice import RULES, measure, rule  # noqa: E402
from kaizen_client.ktof import _auto, decode, encode  # noqa: E402

if not _auto.__file__.endswith(".py"):
    pytest.skip("the rules swap writer methods: pure-Python codec only", allow_module_level=True)

USER = {"login": "octocat", "id": 1, "url": "https://api.github.com/users/octocat"}
EVENT = {"id": 6430295168, "actor": USER, "event": "locked", "issue": {"user": USER, "n": 7}}


def test_block_only_never_writes_an_object_as_a_flow() -> None:
    with rule("block only"):
        text = encode(EVENT)
    assert "[]: {" not in text and decode(text) == EVENT


def test_flow_first_writes_every_fitting_object_field_as_a_flow() -> None:
    doc = {"doc": {"title": "A long title with words", "body": "Some prose, here: and more."}}
    assert encode(doc).startswith("doc:\n")  # exact: the block is cheaper here
    with rule("flow first"):
        text = encode(doc)
    assert text.startswith("doc[]: {") and decode(text) == doc


def test_rules_restore_the_writer_and_reject_unknown_names() -> None:
    before = (_auto.AutoWriter.field, _auto.AutoWriter.inline_within)
    for name in RULES:
        with rule(name):
            pass
    assert (_auto.AutoWriter.field, _auto.AutoWriter.inline_within) == before
    with pytest.raises(ValueError, match="unknown rule"), rule("fastest"):
        pass


def test_exact_is_never_beaten_by_a_one_form_rule() -> None:
    values = [EVENT, {"a": {"b": {"c": 1, "d": [1, 2]}, "e": "x y z"}}, {"cfg": {"k": "v"}}]
    results = measure(values, "gpt-4o", 1, [True, False, False])
    for name in RULES:
        pairs = zip(results["exact"], results[name], strict=True)
        assert all(exact <= other for (exact, _), (other, _) in pairs)
    assert results["exact"][0][1] is not None and results["exact"][1][1] is None
