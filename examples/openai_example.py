"""OpenAI SDK + Kaizen: ``wrap_openai(OpenAI())`` sends tool results as KTOF, decodes TOON replies.

Runs offline by default: the OpenAI SDK talks, over its real HTTP stack, to the loopback fake
provider in ``kaizen_client.integrations.fake_providers`` (no network, no key). With
``OPENAI_API_KEY`` set it calls the real API instead (``OPENAI_MODEL``, default gpt-4o-mini).
Needs ``pip install 'kaizen-client[openai]'`` (``python3 dev.py setup`` installs it).

It prints what the provider received, the savings of each call and the running total, a
TOON reply decoded to JSON (whole and streamed), and the kaizen-client 0.1.4 class running
unchanged.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import sys
from typing import Any

try:
    from openai import OpenAI

    from kaizen_client import KaizenClient, KaizenClientConfig
    from kaizen_client.integrations.fake_providers import FakeProvider
    from kaizen_client.integrations.openai import (
        OpenAIKaizenWrapper,
        kaizen_call,
        kaizen_state,
        wrap_openai,
    )
except ImportError as exc:
    sys.exit(f"{exc}. Run `python3 dev.py setup` (or pip install -e 'python[openai]').")

ORDERS = [
    {"id": i, "sku": f"SKU-{i:04d}", "qty": i % 4 + 1, "status": "shipped" if i % 3 else "late"}
    for i in range(25)
]
CHAT: list[dict[str, Any]] = [
    {"role": "system", "content": "Answer from the tool results, as a ```toon block."},
    {"role": "user", "content": "Which orders are late?"},
    {
        "role": "assistant",
        "content": None,
        "tool_calls": [
            {"id": "call_1", "type": "function", "function": {"name": "orders", "arguments": "{}"}}
        ],
    },
    {"role": "tool", "tool_call_id": "call_1", "content": json.dumps(ORDERS)},
]
REPLY = "```toon\nlate[3]{id,sku}:\n  0,SKU-0000\n  3,SKU-0003\n  6,SKU-0006\n```"


def main() -> None:
    real = bool(os.environ.get("OPENAI_API_KEY"))
    model = os.environ.get("OPENAI_MODEL", "gpt-4o-mini")
    with contextlib.ExitStack() as stack:
        if real:
            base_url, key, fake = None, None, None
            print(f"calling the real OpenAI API ({model})")
        else:
            fake = stack.enter_context(FakeProvider(reply=REPLY))
            base_url, key = fake.url + "/v1", "offline-no-key"
            print(f"offline: the OpenAI SDK talks to a fake provider at {fake.url}")
        client = wrap_openai(OpenAI(base_url=base_url, api_key=key), decode_replies=True)

        response = client.chat.completions.create(model=model, messages=CHAT)
        call = kaizen_call(response)
        assert call is not None
        if fake is not None:
            sent = fake.last().json["messages"][-1]["content"]
            print(
                f"tool result as the provider received it ({len(sent)} chars, was "
                f"{len(CHAT[-1]['content'])} chars of JSON):"
            )
            print("\n".join(sent.splitlines()[:3]) + "\n  ...")
        if call.savings is not None:
            kind = "exact" if call.exact else "estimated"
            print(
                f"this call: {call.savings.tokens_before} -> {call.savings.tokens_after} "
                f"tokens of JSON, {call.tokens_saved} tokens saved ({kind} for {model})"
            )
        print(f"reply: {response.choices[0].message.content!r}")
        print(f"TOON reply decoded to JSON: {json.dumps(call.decoded)}")

        stream = client.chat.completions.create(model=model, messages=CHAT, stream=True)
        text = "".join(chunk.choices[0].delta.content or "" for chunk in stream if chunk.choices)
        print(
            f"streamed {len(text)} chars, decoded at the end: {json.dumps(stream.kaizen.decoded)}"
        )
        print(f"running total: {kaizen_state(client).summary()}")

        # kaizen-client 0.1.4 code, unchanged (it reads OPENAI_API_KEY / OPENAI_BASE_URL).
        if fake is not None:
            os.environ["OPENAI_API_KEY"], os.environ["OPENAI_BASE_URL"] = key or "", base_url or ""

        async def legacy() -> None:
            kaizen = KaizenClient(KaizenClientConfig(base_url="local"))
            result = await OpenAIKaizenWrapper(kaizen, model=model).chat(CHAT)
            print(
                f"0.1.4 OpenAIKaizenWrapper.chat -> keys {sorted(result)}, "
                f"decoded {json.dumps(result['decoded']['result'])}"
            )

        asyncio.run(legacy())
        if fake is not None:
            del os.environ["OPENAI_API_KEY"], os.environ["OPENAI_BASE_URL"]


if __name__ == "__main__":
    main()
