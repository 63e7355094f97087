"""Code written against the kaizen-client 0.1.4 README keeps working unchanged."""

from __future__ import annotations

import subprocess
import sys
import textwrap

import httpx
import pytest

# Verbatim from the 0.1.4 README ("Hello, Kaizen!").
README_SNIPPET = textwrap.dedent(
    """
    import asyncio
    import os

    from kaizen_client import KaizenClient, KaizenClientConfig

    async def main() -> None:
        config = KaizenClientConfig(
            api_key=os.environ["KAIZEN_API_KEY"],
            base_url=os.getenv("KAIZEN_BASE_URL", "https://api.getkaizen.io/"),
            timeout=float(os.getenv("KAIZEN_TIMEOUT", "30")),
        )
        async with KaizenClient(config) as client:
            encoded = await client.prompts_encode({
                "prompt": {
                    "messages": [
                        {"role": "system", "content": "You are concise."},
                        {"role": "user", "content": "List 3 Kaizen benefits."},
                    ]
                }
            })
            decoded = await client.prompts_decode({"ktof": encoded["result"]})
            print(decoded["result"])

    asyncio.run(main())
    """
)
PROMPT = {
    "messages": [
        {"role": "system", "content": "You are concise."},
        {"role": "user", "content": "List 3 Kaizen benefits."},
    ]
}


def test_readme_snippet_runs_locally_and_prints_the_prompt_back(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("KAIZEN_BASE_URL", "local")
    monkeypatch.setenv("KAIZEN_API_KEY", "any-key-at-all")
    monkeypatch.delenv("KAIZEN_TIMEOUT", raising=False)
    exec(compile(README_SNIPPET, "README-0.1.4.md", "exec"), {"__name__": "__main__"})
    assert capsys.readouterr().out == f"{PROMPT}\n"


def test_014_public_names_still_import() -> None:
    from kaizen_client import (  # noqa: F401
        DecodeOptions,
        DecodeRequest,
        EncodeOptions,
        EncodeRequest,
        KaizenAPIError,
        KaizenClient,
        KaizenClientConfig,
        KaizenError,
        KaizenRequestError,
        OptimizeRequestPayload,
        OptimizeResponsePayload,
        PromptDecodePayload,
        PromptEncodePayload,
        with_kaizen_client,
    )
    from kaizen_client.client import DEFAULT_BASE_URL
    from kaizen_client.client import KaizenClient as ClientFromModule
    from kaizen_client.decorators import with_kaizen_client as deco
    from kaizen_client.exceptions import KaizenAPIError as APIErrorFromModule
    from kaizen_client.exceptions import KaizenRequestError as RequestErrorFromModule

    assert ClientFromModule is KaizenClient and deco is with_kaizen_client
    assert APIErrorFromModule is KaizenAPIError and RequestErrorFromModule is KaizenRequestError
    assert DEFAULT_BASE_URL == "https://api.getkaizen.io/"
    import kaizen_client

    assert kaizen_client.__version__ == "0.2.0"
    for name in kaizen_client.__all__:
        assert getattr(kaizen_client, name) is not None


def test_014_exception_constructors_and_attributes() -> None:
    from kaizen_client import KaizenAPIError, KaizenError, KaizenRequestError

    err = KaizenAPIError(404, {"detail": "Not Found"}, {"content-type": "application/json"})
    assert isinstance(err, KaizenError)
    assert (err.status_code, err.payload, err.headers) == (
        404,
        {"detail": "Not Found"},
        {"content-type": "application/json"},
    )
    assert "404" in str(err) and "Not Found" in str(err)
    cause = OSError("dns")
    rerr = KaizenRequestError("Failed to reach Kaizen API", cause)
    assert rerr.message == "Failed to reach Kaizen API" and rerr.original is cause
    assert str(rerr) == "Failed to reach Kaizen API"


async def test_014_style_except_block_on_a_real_error(monkeypatch: pytest.MonkeyPatch) -> None:
    from kaizen_client import KaizenAPIError, KaizenClient, KaizenClientConfig

    monkeypatch.setenv("KAIZEN_BASE_URL", "local")
    async with KaizenClient(KaizenClientConfig()) as client:
        try:
            await client.decompress({"data": "a[3]: 1,2"})
        except KaizenAPIError as e:
            status, payload, headers = e.status_code, e.payload, e.headers
        else:  # pragma: no cover
            pytest.fail("expected KaizenAPIError")
    assert status == 400
    assert payload["error"]["code"] == "ktof_decode_error"
    assert headers["x-request-id"] == payload["error"]["request_id"]


async def test_014_response_dict_access() -> None:
    from kaizen_client import KaizenClient, KaizenClientConfig

    async with KaizenClient(KaizenClientConfig(base_url="local")) as client:
        resp = await client.compress({"data": {"a": [1, 2, 3]}, "token_models": ["gpt-4o-mini"]})
    assert isinstance(resp["result"], str)
    assert resp["stats"]["reduction_ratio"] > 0
    assert resp.get("stats") is not None and "token_stats" in resp
    assert resp["token_stats"]["gpt-4o-mini"]["original"] > 0


async def test_014_custom_httpx_client_and_from_env(monkeypatch: pytest.MonkeyPatch) -> None:
    from kaizen_client import KaizenClient, KaizenClientConfig

    seen: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(
            200,
            json={"status": "ok", "operation": "health", "version": "0.1.4", "mode": "remote"},
        )

    config = KaizenClientConfig(base_url="https://api.getkaizen.io/", api_key="k-0123456789")
    async with httpx.AsyncClient(transport=httpx.MockTransport(handler)) as raw:
        client = KaizenClient(config, client=raw)
        assert (await client.health())["status"] == "ok"
        await client.close()
    assert str(seen[0].url) == "https://api.getkaizen.io/"
    assert seen[0].headers["x-api-key"] == "k-0123456789"

    monkeypatch.setenv("KAIZEN_BASE_URL", "local")
    from_env = KaizenClient.from_env()
    assert from_env.mode == "local"
    await from_env.close()


def test_import_is_light_and_never_pulls_fastapi() -> None:
    code = (
        "import sys, kaizen_client\n"
        "assert 'httpx' not in sys.modules, 'bare import should not load httpx'\n"
        "from kaizen_client import KaizenSyncClient, KaizenClientConfig\n"
        "with KaizenSyncClient(KaizenClientConfig(base_url='local')) as c:\n"
        "    assert c.health()['status'] == 'ok'\n"
        "assert 'fastapi' not in sys.modules, 'fastapi imported'\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
