"""compress_texts: a batch of texts through one backend call, each with its own counts."""

from __future__ import annotations

import json

import pytest

from kaizen_client.engine import CompressionOptions
from kaizen_client.integrations import LocalBackend, acompress_texts, compress_texts
from kaizen_client.ktof import decode

ROWS = [{"id": i, "sku": f"SKU-{i:04d}", "qty": i % 7} for i in range(30)]
TEXTS = ["No JSON here, just prose.", json.dumps(ROWS, indent=2), "Tail: " + json.dumps(ROWS)]


def _check(results: list) -> None:  # type: ignore[type-arg]
    prose, table, tail = results
    assert prose.text == TEXTS[0] and prose.tokens_before == prose.tokens_after == 0
    assert decode(table.text) == ROWS and table.fragments_compressed == 1
    assert table.tokens_after < table.tokens_before
    assert tail.text.startswith("Tail: ") and tail.tokens_after < tail.tokens_before


def test_each_text_gets_its_own_result() -> None:
    _check(compress_texts(LocalBackend("gpt-4o", CompressionOptions()), TEXTS))


async def test_async_twin() -> None:
    backend = LocalBackend("gpt-4o", CompressionOptions(), offload=True)
    _check(await acompress_texts(backend, TEXTS))


def test_a_backend_that_loses_a_message_is_an_error() -> None:
    class Short:
        name = "broken"

        def compress(self, messages: list) -> tuple:  # type: ignore[type-arg]
            real = LocalBackend("gpt-4o", CompressionOptions())
            out, savings = real.compress(messages)
            return out[:-1], savings

    with pytest.raises(ValueError, match="returned 2 messages for 3 texts"):
        compress_texts(Short(), TEXTS)  # type: ignore[arg-type]
