"""Anthropic SDK + Kaizen: ``wrap_anthropic(Anthropic())`` sends tool_result blocks as KTOF.

Runs offline by default against the loopback fake provider in
``kaizen_client.integrations.fake_providers`` (the real SDK over its real HTTP stack, no
network, no key). With ``ANTHROPIC_API_KEY`` set it calls the real API
(``ANTHROPIC_MODEL``, default claude-haiku-4-5). Needs ``pip install 'kaizen-client[anthropic]'``.

Shows a cached prefix left exactly as given (``cache_control``), the tool result after it
compressed, the estimated savings (Anthropic publishes no offline tokenizer), a streamed
reply through ``messages.stream``, and the kaizen-client 0.1.4 class running unchanged.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import sys
from typing import Any

try:
    from anthropic import Anthropic

    from kaizen_client import KaizenClient, KaizenClientConfig
    from kaizen_client.integrations.anthropic import (
        AnthropicKaizenWrapper,
        kaizen_call,
        kaizen_state,
        wrap_anthropic,
    )
    from kaizen_client.integrations.fake_providers import FakeProvider
except ImportError as exc:
    sys.exit(f"{exc}. Run `python3 dev.py setup` (or pip install -e 'python[anthropic]').")

CATALOG = [{"sku": f"SKU-{i:04d}", "name": f"Widget {i}", "price": 5 + i} for i in range(20)]
ORDERS = [{"id": i, "sku": f"SKU-{i % 20:04d}", "qty": i % 4 + 1} for i in range(25)]


def _result(tool_id: str, data: Any, **extra: Any) -> dict[str, Any]:
    block = {"type": "tool_result", "tool_use_id": tool_id, "content": json.dumps(data), **extra}
    return {"role": "user", "content": [block]}


def _use(tool_id: str, name: str) -> dict[str, Any]:
    return {
        "role": "assistant",
        "content": [{"type": "tool_use", "id": tool_id, "name": name, "input": {}}],
    }


MESSAGES: list[dict[str, Any]] = [
    {"role": "user", "content": "Which widgets sold best?"},
    _use("toolu_1", "catalog"),
    _result("toolu_1", CATALOG, cache_control={"type": "ephemeral"}),  # cached: left as is
    _use("toolu_2", "orders"),
    _result("toolu_2", ORDERS),  # after the breakpoint: compressed
]
REPLY = "```toon\nbest[2]{sku,qty}:\n  SKU-0003,8\n  SKU-0007,8\n```"


def main() -> None:
    real = bool(os.environ.get("ANTHROPIC_API_KEY"))
    model = os.environ.get("ANTHROPIC_MODEL", "claude-haiku-4-5")
    with contextlib.ExitStack() as stack:
        fake = None if real else stack.enter_context(FakeProvider(reply=REPLY))
        base_url = fake.url if fake else None
        key = "offline-no-key" if fake else None
        print(f"offline: fake provider at {fake.url}" if fake else f"real Anthropic API ({model})")
        client = wrap_anthropic(Anthropic(base_url=base_url, api_key=key), decode_replies=True)

        response = client.messages.create(model=model, max_tokens=256, messages=MESSAGES)
        call = kaizen_call(response)
        assert call is not None and call.savings is not None
        if fake is not None:
            sent = fake.last().json["messages"]
            cached = sent[2] == MESSAGES[2]
            print(f"cached prefix sent exactly as given: {cached}")
            tool = sent[4]["content"][0]["content"]
            print(
                f"tool result after it ({len(tool)} chars, was "
                f"{len(MESSAGES[4]['content'][0]['content'])} chars of JSON):"
            )
            print("\n".join(tool.splitlines()[:3]) + "\n  ...")
        kind = "exact" if call.exact else "estimated"
        print(f"this call: {call.tokens_saved} tokens saved ({kind} for {model})")
        print(f"TOON reply decoded to JSON: {json.dumps(call.decoded)}")

        with client.messages.stream(model=model, max_tokens=256, messages=MESSAGES) as stream:
            print(f"messages.stream final text: {stream.get_final_text()!r}")
        print(f"running total: {kaizen_state(client).summary()}")

        if fake is not None:  # 0.1.4 code, unchanged: it reads ANTHROPIC_API_KEY / _BASE_URL
            os.environ.update(ANTHROPIC_API_KEY=key or "", ANTHROPIC_BASE_URL=base_url or "")

        async def legacy() -> None:
            kaizen = KaizenClient(KaizenClientConfig(base_url="local"))
            result = await AnthropicKaizenWrapper(kaizen, model=model).chat(MESSAGES)
            print(
                f"0.1.4 AnthropicKaizenWrapper.chat -> keys {sorted(result)}, "
                f"decoded {json.dumps(result['decoded']['result'])}"
            )

        asyncio.run(legacy())
        if fake is not None:
            del os.environ["ANTHROPIC_API_KEY"], os.environ["ANTHROPIC_BASE_URL"]


if __name__ == "__main__":
    main()
