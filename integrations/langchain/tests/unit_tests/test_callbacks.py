"""KaizenCallbackHandler and its async twin: per-run and total savings next to model usage."""

from __future__ import annotations

from langchain_core.messages import AIMessage, HumanMessage
from langchain_core.output_parsers import StrOutputParser

from langchain_kaizen import AsyncKaizenCallbackHandler, KaizenCallbackHandler, KaizenCompressor

from .fakes import RecordingChatModel, rows_json


def _reply(n: int) -> AIMessage:
    return AIMessage(
        f"answer {n}",
        usage_metadata={"input_tokens": 100 + n, "output_tokens": 7, "total_tokens": 107 + n},
    )


def test_per_run_and_total() -> None:
    handler = KaizenCallbackHandler()
    model = RecordingChatModel(messages=iter([_reply(1), _reply(2)]))
    chain = KaizenCompressor() | model | StrOutputParser()
    for k in range(2):
        chain.invoke([HumanMessage(rows_json(30, offset=k))], config={"callbacks": [handler]})

    assert len(handler.runs) == 2
    for run in handler.runs.values():
        assert run.compressions == 1 and run.model_calls == 1
        assert run.tokens_saved > 0 and run.tokens_after < run.tokens_before
        assert run.output_tokens == 7
    total = handler.total
    assert total.compressions == 2 and total.model_calls == 2
    assert total.input_tokens == 203 and total.total_tokens == 217
    assert total.tokens_saved == sum(r.tokens_saved for r in handler.runs.values())
    assert 0 < total.percent_saved < 100

    text = handler.summary()
    assert "2 run(s)" in text and f"saved {total.tokens_saved}" in text
    assert "203 input + 14 output" in text
    assert str(handler) == text


def test_batch_gives_one_run_per_input() -> None:
    handler = KaizenCallbackHandler()
    chain = KaizenCompressor()
    chain.batch([rows_json(20, offset=k) for k in range(3)], config={"callbacks": [handler]})
    assert len(handler.runs) == 3 and handler.total.compressions == 3


async def test_async_handler() -> None:
    handler = AsyncKaizenCallbackHandler()
    model = RecordingChatModel(messages=iter([_reply(5)]))
    chain = KaizenCompressor() | model
    await chain.ainvoke([HumanMessage(rows_json())], config={"callbacks": [handler]})
    assert handler.total.compressions == 1 and handler.total.input_tokens == 105
    assert len(handler.runs) == 1 and handler.total.tokens_saved > 0
    assert "1 run(s)" in handler.summary()


def test_failures_are_counted() -> None:
    import httpx

    from kaizen_client import KaizenClientConfig, KaizenSyncClient

    def refuse(request: httpx.Request) -> httpx.Response:
        raise httpx.ConnectError("down", request=request)

    client = KaizenSyncClient(
        KaizenClientConfig(base_url="http://127.0.0.1:9", max_retries=0),
        transport=httpx.MockTransport(refuse),
    )
    handler = KaizenCallbackHandler()
    KaizenCompressor(client=client).invoke("x " + rows_json(), config={"callbacks": [handler]})
    assert handler.total.failures == 1 and handler.total.compressions == 0
    assert "KaizenRequestError" in handler.total.errors[0]
    assert "1 failure(s)" in handler.summary()


async def test_sync_handler_in_an_async_run() -> None:
    handler = KaizenCallbackHandler()
    model = RecordingChatModel(messages=iter([_reply(1)]))
    await (KaizenCompressor() | model).ainvoke(
        [HumanMessage(rows_json())], config={"callbacks": [handler]}
    )
    assert handler.total.compressions == 1 and handler.total.model_calls == 1
    assert len(handler.runs) == 1
