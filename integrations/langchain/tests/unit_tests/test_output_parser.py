"""KaizenOutputParser: TOON/KTOF/JSON/fenced replies, pydantic, errors, streaming, retry."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from typing import Any

import pydantic
import pytest
from langchain_core.exceptions import OutputParserException
from langchain_core.language_models.fake_chat_models import GenericFakeChatModel
from langchain_core.messages import AIMessage, AIMessageChunk
from langchain_core.prompts import PromptTemplate
from pydantic import BaseModel

from kaizen_client.ktof import encode
from langchain_kaizen import KaizenOutputParser

DATA: dict[str, Any] = {
    "items": [
        {"id": 1, "name": "Ada", "price": 9.5},
        {"id": 2, "name": "Bob", "price": 3.25},
        {"id": 3, "name": "Cy", "price": 1.0},
    ],
    "total": 3,
}


class Item(BaseModel):
    id: int
    name: str
    price: float


class Basket(BaseModel):
    items: list[Item]
    total: int


@pytest.mark.parametrize(
    "reply",
    [
        encode(DATA, mode="toon"),
        encode(DATA),  # KTOF auto mode
        json.dumps(DATA),
        "Sure! Here it is:\n```toon\n" + encode(DATA, mode="toon") + "\n```\nAnything else?",
        "```ktof\n" + encode(DATA) + "\n```",
        "```json\n" + json.dumps(DATA, indent=2) + "\n```",
        "```\n" + encode(DATA, mode="toon") + "\n```",
    ],
    ids=["toon", "ktof", "json", "fenced-toon", "fenced-ktof", "fenced-json", "fenced-bare"],
)
def test_parses_every_reply_form(reply: str) -> None:
    assert KaizenOutputParser().parse(reply) == DATA


def test_pydantic_object() -> None:
    parser = KaizenOutputParser(pydantic_object=Basket)
    basket = parser.parse(encode(DATA, mode="toon"))
    assert isinstance(basket, Basket) and basket.items[1].name == "Bob"
    with pytest.raises(OutputParserException, match="Basket"):
        parser.parse("total: 3")


def test_bad_reply_names_the_line() -> None:
    reply = 'items[2]{id,name}:\n  1,Ada\n  2,Bob\nnote: "unterminated'
    with pytest.raises(OutputParserException) as caught:
        KaizenOutputParser().parse(reply)
    assert "line 4" in str(caught.value)
    assert "unterminated" in str(caught.value)
    assert caught.value.llm_output == reply
    with pytest.raises(OutputParserException, match="Invalid JSON output at line 1"):
        KaizenOutputParser().parse('{"a": 1,')


def test_strict_enforces_declared_counts() -> None:
    short = "items[3]{id,name}:\n  1,Ada\n  2,Bob"
    assert KaizenOutputParser().parse(short) == {
        "items": [{"id": 1, "name": "Ada"}, {"id": 2, "name": "Bob"}]
    }
    with pytest.raises(OutputParserException, match="line 1"):
        KaizenOutputParser(strict=True).parse(short)


def test_format_instructions_ask_for_toon() -> None:
    plain = KaizenOutputParser().get_format_instructions()
    assert "TOON" in plain and "```toon" in plain
    assert "items[2]{id,name,price}:" in plain
    with_schema = KaizenOutputParser(pydantic_object=Basket).get_format_instructions()
    assert '"items"' in with_schema and "JSON schema" in with_schema
    # the instructions go into a prompt template as a partial variable, braces and all
    prompt = PromptTemplate(
        template="{question}\n{format_instructions}",
        input_variables=["question"],
        partial_variables={"format_instructions": plain},
    )
    assert prompt.format(question="List items.") == "List items.\n" + plain


def _stream_of(reply: str) -> GenericFakeChatModel:
    return GenericFakeChatModel(messages=iter([AIMessage(reply)]))


def test_streaming_yields_rows_as_they_arrive() -> None:
    reply = "```toon\n" + encode(DATA, mode="toon") + "\n```"
    chain = _stream_of(reply) | KaizenOutputParser()
    chunks: list[Any] = list(chain.stream("go"))
    row_counts = [len(c.get("items", [])) for c in chunks if isinstance(c, dict)]
    assert row_counts[:1] == [0] or row_counts[0] >= 1
    assert {1, 2, 3} <= set(row_counts)
    assert row_counts == sorted(row_counts)
    assert chunks[-1] == DATA


async def test_async_streaming_and_pydantic_partials() -> None:
    reply = encode(DATA, mode="toon")
    chain = _stream_of(reply) | KaizenOutputParser(pydantic_object=Basket)
    chunks = [c async for c in chain.astream("go")]
    assert chunks and all(isinstance(c, Basket) for c in chunks)
    assert chunks[-1] == Basket.model_validate(DATA)


def test_streaming_json_reply() -> None:
    chain = _stream_of(json.dumps(DATA)) | KaizenOutputParser()
    chunks = list(chain.stream("go"))
    assert len(chunks) > 1 and chunks[-1] == DATA


def test_diff_mode() -> None:
    chain = _stream_of(encode(DATA, mode="toon")) | KaizenOutputParser(diff=True)
    patches = list(chain.stream("go"))
    assert patches and all(isinstance(p, list) for p in patches)


def test_with_retry_recovers_from_a_bad_reply() -> None:
    model = GenericFakeChatModel(
        messages=iter([AIMessage('a: "broken'), AIMessage(encode(DATA, mode="toon"))])
    )
    chain = (model | KaizenOutputParser()).with_retry(
        retry_if_exception_type=(OutputParserException,), stop_after_attempt=2
    )
    assert chain.invoke("go") == DATA


def _chunks(text: str, size: int) -> list[AIMessageChunk]:
    return [AIMessageChunk(content=text[i : i + size]) for i in range(0, len(text), size)]


@pytest.mark.parametrize("size", [1, 3, 7])
@pytest.mark.parametrize("fenced", [True, False])
def test_token_level_streaming_yields_whole_rows_only(size: int, fenced: bool) -> None:
    reply = encode(DATA, mode="toon")  # ends without a newline
    if fenced:
        reply = "```toon\n" + reply + "\n```"
    values = list(KaizenOutputParser().transform(iter(_chunks(reply, size))))
    assert values[-1] == DATA
    for value in values:
        for row in value.get("items", []):
            assert row in DATA["items"]  # never a half-written row or a guessed cell
    assert [len(v["items"]) for v in values[:4]] == [0, 1, 2, 3]


async def test_token_level_async_streaming_and_root_arrays() -> None:
    async def agen(text: str) -> AsyncIterator[AIMessageChunk]:
        for chunk in _chunks(text, 2):
            yield chunk

    parser = KaizenOutputParser()
    toon_rows = [v async for v in parser.atransform(agen("[2]{a,b}:\n  1,2\n  3,4"))]
    assert toon_rows == [[], [{"a": 1, "b": 2}], [{"a": 1, "b": 2}, {"a": 3, "b": 4}]]
    inline = [v async for v in parser.atransform(agen("[3]: 1,2,3"))]
    assert inline == [[1, 2, 3]]
    json_list = [v async for v in parser.atransform(agen("[1, 2, 3]"))]
    assert json_list[-1] == [1, 2, 3]


@pytest.mark.parametrize(
    "prose",
    [
        "No orders are open.",
        "Sorry: I could not find any orders.",
        "",
    ],
)
def test_prose_is_not_data(prose: str) -> None:
    """Prose raises, so ``with_retry`` on ``OutputParserException`` gets to ask again."""
    with pytest.raises(OutputParserException, match="expected the reply to hold") as caught:
        KaizenOutputParser().parse(prose)
    assert caught.value.llm_output == prose


def test_a_code_fence_is_not_data() -> None:
    """Only ```toon, ```ktof, ```json and bare fences hold data (the rule LiteLLM shares)."""
    with pytest.raises(OutputParserException, match="Invalid TOON/KTOF output at line 1"):
        KaizenOutputParser().parse("```python\nprint('not data')\n```")
    reply = "```python\nx = 1\n```\nand the data:\n```toon\na: 1\n```"
    assert KaizenOutputParser().parse(reply) == {"a": 1}


def test_with_retry_fires_on_prose() -> None:
    model = GenericFakeChatModel(
        messages=iter([AIMessage("Sorry: I could not find any orders."), AIMessage("[0]:")])
    )
    chain = (model | KaizenOutputParser()).with_retry(
        retry_if_exception_type=(OutputParserException,), stop_after_attempt=2
    )
    assert chain.invoke("go") == []


def test_expected_shape() -> None:
    rows = encode([{"id": 1}, {"id": 2}], mode="toon")
    assert KaizenOutputParser(expected_shape="array").parse(rows) == [{"id": 1}, {"id": 2}]
    with pytest.raises(OutputParserException, match="an array, got dict"):
        KaizenOutputParser(expected_shape="array").parse("a: 1")
    with pytest.raises(OutputParserException, match="an object, got list"):
        KaizenOutputParser(expected_shape="object").parse(rows)
    assert KaizenOutputParser(expected_shape="any").parse("No orders are open.") == (
        "No orders are open."
    )
    # fenced, a one-line ``key: value`` answer is data
    assert KaizenOutputParser().parse("```toon\nnote: all good here\n```") == {
        "note": "all good here"
    }


def test_shape_defaults_follow_the_pydantic_object() -> None:
    class Rows(pydantic.RootModel[list[Item]]):
        pass

    assert KaizenOutputParser().shape == "container"
    assert KaizenOutputParser(pydantic_object=Basket).shape == "object"
    assert KaizenOutputParser(pydantic_object=Rows).shape == "array"
    parsed = KaizenOutputParser(pydantic_object=Rows).parse(encode([DATA["items"][0]]))
    assert isinstance(parsed, Rows) and parsed.root[0].name == "Ada"
    with pytest.raises(OutputParserException, match="an array"):
        KaizenOutputParser(pydantic_object=Rows).parse(encode(DATA))


def test_streamed_partials_keep_the_shape() -> None:
    parser = KaizenOutputParser(expected_shape="object")
    values = list(parser.transform(iter(_chunks("[2]{a,b}:\n  1,2\n  3,4", 3))))
    assert values == []  # an array is never offered as a partial object
    with pytest.raises(OutputParserException):
        parser.parse("[2]{a,b}:\n  1,2\n  3,4")


@pytest.mark.parametrize(
    "text",
    [
        json.dumps(DATA, indent=2),
        '{"a": "line\nbreak", "b": "esc\\"aped", "c": [1, {"d": null}], "e": "\\\\"}',
    ],
)
def test_partial_json_reads_like_langchains(text: str) -> None:
    """The core's partial-JSON reader (the core cannot import LangChain) agrees with it."""
    from langchain_core.utils.json import parse_partial_json as langchains

    from kaizen_client.integrations import parse_partial_json

    for end in range(1, len(text) + 1):
        prefix = text[:end]
        try:
            expected = langchains(prefix)
        except json.JSONDecodeError:
            expected = None
        assert parse_partial_json(prefix) == expected, prefix
