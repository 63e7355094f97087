"""Programs written against kaizen-client 0.1.4's provider wrappers run unchanged.

Each program below has the shape of 0.1.4's own ``examples/*_example.py``: a ``KaizenClient``
from ``KAIZEN_BASE_URL``, the wrapper class built with it and a model, ``await
wrapper.chat(messages)`` (``invoke(prompt)`` for Gemini), ``result["encoded"].get("stats")``
and ``result["decoded"]["result"]``, then ``await client.close()``. They run in a subprocess
whose environment points the providers' SDKs at the loopback fake (the SDKs read
``OPENAI_BASE_URL``, ``ANTHROPIC_BASE_URL`` and ``GOOGLE_GEMINI_BASE_URL``) and Kaizen at the
in-process engine (``KAIZEN_BASE_URL=local``).
"""

from __future__ import annotations

import importlib.util
import os
import subprocess
import sys
import textwrap

import pytest

from kaizen_client.integrations.fake_providers import FakeProvider

from .conftest import DUMMY_KEY

PROGRAMS = {
    "openai": """
        import asyncio, os
        from kaizen_client import KaizenClient, KaizenClientConfig
        from kaizen_client.integrations.openai import OpenAIKaizenWrapper

        async def main():
            client = KaizenClient(KaizenClientConfig(
                base_url=os.getenv("KAIZEN_BASE_URL", "https://api.getkaizen.io/"),
                api_key=os.getenv("KAIZEN_API_KEY"),
            ))
            wrapper = OpenAIKaizenWrapper(client, model="gpt-4o-mini")
            messages = [
                {"role": "system", "content": "You are concise."},
                {"role": "user", "content": "List 3 benefits."},
            ]
            result = await wrapper.chat(messages)
            print(result["encoded"].get("stats"))
            print(result["decoded"]["result"])
            await client.close()

        asyncio.run(main())
    """,
    "anthropic": """
        import asyncio, os
        from kaizen_client import KaizenClient, KaizenClientConfig
        from kaizen_client.integrations.anthropic import AnthropicKaizenWrapper

        async def main():
            if not os.getenv("ANTHROPIC_API_KEY"):
                raise RuntimeError("ANTHROPIC_API_KEY must be set")
            client = KaizenClient(KaizenClientConfig(base_url=os.getenv("KAIZEN_BASE_URL")))
            wrapper = AnthropicKaizenWrapper(client, model="claude-3-5-sonnet-20240620")
            result = await wrapper.chat([{"role": "user", "content": "Draft a release note."}])
            print(result["encoded"].get("stats"))
            print(result["decoded"]["result"])
            await client.close()

        asyncio.run(main())
    """,
    "google.genai": """
        import asyncio, os
        from kaizen_client import KaizenClient, KaizenClientConfig
        from kaizen_client.integrations.gemini import GeminiKaizenWrapper

        async def main():
            if not os.getenv("GOOGLE_API_KEY"):
                raise RuntimeError("GOOGLE_API_KEY must be set")
            client = KaizenClient(KaizenClientConfig(base_url=os.getenv("KAIZEN_BASE_URL")))
            wrapper = GeminiKaizenWrapper(client, model="models/gemini-2.5-flash")
            prompt = {"messages": [{"role": "user", "content": "Summarize the report."}]}
            result = await wrapper.invoke(prompt)
            print(result["encoded"].get("stats"))
            print(result["decoded"]["result"])
            await client.close()

        asyncio.run(main())
    """,
}
REPLY = "1. Fewer tokens\n2. Same data\n3. Lossless"


@pytest.mark.parametrize("sdk", list(PROGRAMS))
def test_014_program_runs_unchanged(sdk: str) -> None:
    if importlib.util.find_spec(sdk.split(".")[0]) is None or importlib.util.find_spec(sdk) is None:
        pytest.skip(f"{sdk} is not installed")
    with FakeProvider(reply=REPLY) as fake:
        env = {
            **os.environ,
            "KAIZEN_BASE_URL": "local",
            "OPENAI_API_KEY": DUMMY_KEY,
            "OPENAI_BASE_URL": fake.url + "/v1",
            "ANTHROPIC_API_KEY": DUMMY_KEY,
            "ANTHROPIC_BASE_URL": fake.url,
            "GOOGLE_API_KEY": DUMMY_KEY,
            "GOOGLE_GEMINI_BASE_URL": fake.url,
        }
        env.pop("GEMINI_API_KEY", None)
        env.pop("KAIZEN_API_KEY", None)
        done = subprocess.run(
            [sys.executable, "-c", textwrap.dedent(PROGRAMS[sdk])],
            capture_output=True,
            text=True,
            timeout=120,
            env=env,
            check=False,
        )
        assert done.returncode == 0, done.stderr
        assert len(fake.requests) == 1  # one call reached the (fake) provider
    lines = done.stdout.splitlines()
    assert lines[0].startswith("{") and "tokens_saved" in lines[0]  # encoded stats
    assert "\n".join(lines[1:]) == REPLY  # a prose reply comes back as its text
