"""A fenced replacement's label skips the second (TOON) encoding only when it cannot match.

``_fence_label`` labels a fenced block ``toon`` exactly when the KTOF text equals plain TOON
encoding; ``surely_not_toon`` lets it answer ``ktof`` without encoding again for texts TOON
never writes. The label must be what the comparison would give.
"""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kaizen_client.engine.gating import GateSettings, _fence_label, surely_not_toon
from kaizen_client.ktof import KTOFEncodeError, encode

from .samples import table

VALUES: list[Any] = [
    table(20),
    [{"id": i, "price": float(i) + 0.5 * (i % 2)} for i in range(12)],
    [{"a": 1, "b": [1, 2]}, {"a": 2}],
    {"user": {"id": 1, "tags": ["x", "y"]}, "rows": table(4)},
    [1, 2, 3],
    ["[x", "y:z"],
    [[1, 2], [3, 4]],
    {"k": "v"},
    [],
    {},
]


@pytest.mark.parametrize("value", VALUES)
def test_label_is_what_the_comparison_gives(value: Any) -> None:
    encoded = encode(value, mode="auto")
    toon = encode(value, mode="toon")
    if surely_not_toon(encoded):
        assert toon != encoded
    expected = "toon" if toon == encoded else "ktof"
    assert _fence_label(value, encoded, "gpt-4o", GateSettings()) == expected


@pytest.mark.parametrize("value", VALUES)
def test_toon_output_is_never_surely_not_toon(value: Any) -> None:
    for delimiter in (",", "|", "\t"):
        assert not surely_not_toon(encode(value, mode="toon", delimiter=delimiter))


_TEXT = st.text(alphabet='[]{}:,-# ab1"', max_size=4)
_LEAVES = st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | _TEXT
json_values = st.recursive(
    _LEAVES,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(_TEXT, inner, max_size=4),
    max_leaves=15,
)


@settings(max_examples=400, deadline=None)
@given(json_values)
def test_no_toon_text_is_surely_not_toon(value: Any) -> None:
    try:
        toon = encode(value, mode="toon")
    except KTOFEncodeError:
        return
    assert not surely_not_toon(toon)
