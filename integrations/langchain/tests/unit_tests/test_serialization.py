"""dumpd/dumps/loads round trip: settings survive, the API key never reaches the output."""

from __future__ import annotations

import json

import pytest
from langchain_core.load import dumpd, dumps, loads
from pydantic import SecretStr

from kaizen_client import KaizenClient, KaizenClientConfig
from langchain_kaizen import KaizenCompressor

KEY = "sk-kaizen-serialize-secret-77"


def test_local_compressor_round_trip() -> None:
    compressor = KaizenCompressor(min_tokens_saved=25, mode="toon", model="gpt-4")
    data = dumpd(compressor)
    assert data["id"] == ["langchain_kaizen", "compressor", "KaizenCompressor"]
    loaded = loads(
        dumps(compressor),
        valid_namespaces=["langchain_kaizen"],
        allowed_objects=[KaizenCompressor],
    )
    assert isinstance(loaded, KaizenCompressor)
    assert (loaded.min_tokens_saved, loaded.mode, loaded.model) == (25, "toon", "gpt-4")
    assert not loaded.is_remote


@pytest.mark.parametrize("how", ["api_key", "client"])
def test_remote_round_trip_without_the_key(how: str) -> None:
    if how == "api_key":
        compressor = KaizenCompressor(base_url="http://kaizen.test", api_key=SecretStr(KEY))
    else:
        client = KaizenClient(KaizenClientConfig(base_url="http://kaizen.test", api_key=KEY))
        compressor = KaizenCompressor(client=client)
    text = dumps(compressor)
    assert KEY not in text
    assert KEY not in json.dumps(dumpd(compressor))
    kwargs = dumpd(compressor)["kwargs"]
    assert kwargs["api_key"] == {"lc": 1, "type": "secret", "id": ["KAIZEN_API_KEY"]}
    assert "client" not in kwargs

    loaded = loads(
        text,
        secrets_map={"KAIZEN_API_KEY": KEY},
        valid_namespaces=["langchain_kaizen"],
        allowed_objects=[KaizenCompressor],
    )
    assert isinstance(loaded, KaizenCompressor) and loaded.is_remote
    assert loaded.base_url == "http://kaizen.test"
    assert loaded.api_key is not None and loaded.api_key.get_secret_value() == KEY
    assert KEY not in repr(loaded)


def test_chain_dump_and_model_dump_hide_the_key() -> None:
    from langchain_core.language_models.fake_chat_models import GenericFakeChatModel
    from langchain_core.prompts import ChatPromptTemplate

    compressor = KaizenCompressor(base_url="http://kaizen.test", api_key=SecretStr(KEY))
    chain = (
        ChatPromptTemplate.from_messages([("human", "{q}")])
        | compressor
        | GenericFakeChatModel(messages=iter(["x"]))
    )
    assert KEY not in dumps(chain)
    assert KEY not in compressor.model_dump_json()
    assert KEY not in str(compressor.model_dump(mode="json"))
    assert KEY not in repr(chain)
