"""OpenAI-style responses and chunk streams: TOON replies come back as JSON text."""

from __future__ import annotations

import json
from types import SimpleNamespace as NS
from typing import Any

from kaizen_client.integrations import adecode_stream, decode_response, decode_stream
from kaizen_client.ktof import encode

DATA = {"rows": [{"id": i, "ok": i % 2 == 0} for i in range(5)]}
REPLY = "```toon\n" + encode(DATA, mode="toon") + "\n```"


def _chunks(text: str, finish: bool = True) -> list[Any]:
    parts = [text[i : i + 7] for i in range(0, len(text), 7)]
    chunks = [NS(choices=[NS(index=0, delta=NS(content=p), finish_reason=None)]) for p in parts]
    chunks.append(NS(choices=[NS(index=0, delta=NS(content=None), finish_reason="stop")]))
    return chunks if finish else chunks[:-1]


def _text(chunks: list[Any]) -> str:
    return "".join(c.choices[0].delta.content or "" for c in chunks)


def test_whole_response() -> None:
    response = NS(choices=[NS(message=NS(content=REPLY)), NS(message=NS(content="Just prose."))])
    assert decode_response(response) is True
    assert json.loads(response.choices[0].message.content) == DATA
    assert response.choices[1].message.content == "Just prose."  # left as it came
    assert decode_response(NS(choices=[NS(message=NS(content="No data."))])) is False


def test_stream_releases_the_decoded_text_with_the_last_chunk() -> None:
    out = list(decode_stream(_chunks(REPLY)))
    assert len(out) == len(_chunks(REPLY))
    assert all(c.choices[0].delta.content is None for c in out[:-1])
    assert json.loads(_text(out)) == DATA


def test_stream_without_finish_reason_and_prose() -> None:
    assert json.loads(_text(list(decode_stream(_chunks(REPLY, finish=False))))) == DATA
    assert _text(list(decode_stream(_chunks("Nothing to decode here.")))) == (
        "Nothing to decode here."
    )


async def test_async_stream() -> None:
    async def source() -> Any:
        for chunk in _chunks(REPLY):
            yield chunk

    out = [chunk async for chunk in adecode_stream(source())]
    assert json.loads(_text(out)) == DATA
