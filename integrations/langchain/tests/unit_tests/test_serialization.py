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


def _saved_chain() -> str:
    """A real chain: prompt -> compressor (remote, with a key) -> string parser."""
    from langchain_core.output_parsers import StrOutputParser
    from langchain_core.prompts import ChatPromptTemplate

    compressor = KaizenCompressor(
        base_url="http://kaizen.test", api_key=SecretStr(KEY), min_tokens_saved=7, mode="toon"
    )
    chain = (
        ChatPromptTemplate.from_messages([("system", "Be terse."), ("human", "{q}")])
        | compressor
        | StrOutputParser()
    )
    return dumps(chain)


def test_a_saved_chain_loads_with_one_argument() -> None:
    """``allowed_objects="core"`` plus ``load_options()``: no list of the chain's classes."""
    from langchain_core.prompts import ChatPromptTemplate
    from langchain_core.runnables import RunnableSequence

    from langchain_kaizen import SERIALIZABLE_MAPPING, load_options

    text = _saved_chain()
    assert KEY not in text
    loaded = loads(
        text, allowed_objects="core", secrets_map={"KAIZEN_API_KEY": KEY}, **load_options()
    )
    assert isinstance(loaded, RunnableSequence)
    assert isinstance(loaded.first, ChatPromptTemplate)
    compressor = loaded.middle[0]
    assert isinstance(compressor, KaizenCompressor) and compressor.is_remote
    assert (compressor.min_tokens_saved, compressor.mode) == (7, "toon")
    assert compressor.api_key is not None and compressor.api_key.get_secret_value() == KEY
    # "all" admits partner chat models too; the Kaizen classes come along the same way
    assert isinstance(
        loads(text, allowed_objects="all", secrets_map={"KAIZEN_API_KEY": KEY}, **load_options()),
        RunnableSequence,
    )
    assert set(SERIALIZABLE_MAPPING) == {tuple(dumpd(compressor)["id"])}


def test_without_the_options_the_chain_is_refused() -> None:
    """What the argument fixes: langchain-core's own allow-lists do not know this package."""
    text = _saved_chain()
    secrets = {"KAIZEN_API_KEY": KEY}
    for allowed in ("core", "all"):
        with pytest.raises(ValueError, match=r"not allowed|Invalid namespace"):
            loads(text, allowed_objects=allowed, secrets_map=secrets)
    with pytest.raises(ValueError, match="not allowed"):  # listing only Kaizen's class
        loads(
            text,
            allowed_objects=[KaizenCompressor],
            valid_namespaces=["langchain_kaizen"],
            secrets_map=secrets,
        )


def test_load_options_merge_other_partners() -> None:
    from langchain_kaizen import load_options

    other = {("acme", "x", "Y"): ("acme", "x", "Y")}
    options = load_options(valid_namespaces=["acme"], additional_import_mappings=other)
    assert options["valid_namespaces"] == ["langchain_kaizen", "acme"]
    assert ("acme", "x", "Y") in options["additional_import_mappings"]
    assert ("langchain_kaizen", "compressor", "KaizenCompressor") in options[
        "additional_import_mappings"
    ]
