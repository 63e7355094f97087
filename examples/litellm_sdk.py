"""LiteLLM + Kaizen, offline: ``litellm.callbacks = [KaizenHook()]`` and an ``acompletion``.

Needs ``pip install -e python -e integrations/litellm`` (``python3 dev.py setup`` does it).
The provider is LiteLLM's ``mock_response``, so this runs with no network and no API key;
drop ``mock_response`` and set a real model and key for real use.

It prints the tool result as the provider received it (KTOF instead of JSON), the savings
LiteLLM logs with the request, the hook's running total, and a TOON reply decoded to JSON.
"""

from __future__ import annotations

import asyncio
import json
import os
import sys
from typing import Any

os.environ.setdefault("LITELLM_LOCAL_MODEL_COST_MAP", "True")  # no price-list download

try:
    import litellm
    from litellm.integrations.custom_logger import CustomLogger

    from kaizen_client.ktof import encode
    from kaizen_litellm import KaizenHook, completion
except ImportError as exc:
    sys.exit(
        f"{exc}. Run `python3 dev.py setup` (or pip install -e python -e integrations/litellm)."
    )

USERS = [
    {"id": i, "name": f"user{i}", "email": f"user{i}@example.test", "active": i % 3 != 0}
    for i in range(25)
]
CHAT: list[dict[str, Any]] = [
    {"role": "system", "content": "Answer from the tool results."},
    {"role": "user", "content": "Which users are active?"},
    {
        "role": "assistant",
        "content": None,
        "tool_calls": [
            {"id": "call-1", "type": "function", "function": {"name": "users", "arguments": "{}"}}
        ],
    },
    {"role": "tool", "tool_call_id": "call-1", "content": json.dumps(USERS)},
]


class ShowSent(CustomLogger):
    """Runs after KaizenHook: prints the tool message exactly as it goes to the provider."""

    async def async_pre_call_deployment_hook(self, kwargs: dict[str, Any], call_type: Any) -> None:
        tool = kwargs["messages"][-1]
        print(
            f"tool result sent to the provider ({len(tool['content'])} chars, was "
            f"{len(CHAT[-1]['content'])} chars of JSON):"
        )
        print("\n".join(tool["content"].splitlines()[:4]) + "\n  ...")
        saved = kwargs["metadata"]["kaizen"]  # the request's copy of the metadata: loggers see it
        print(
            f"\nrequest metadata['kaizen']: {saved['tokens_before']} -> {saved['tokens_after']} "
            f"tokens, {saved['tokens_saved']} saved"
        )


async def main() -> int:
    hook = KaizenHook()
    litellm.callbacks = [hook, ShowSent()]
    await litellm.acompletion(model="gpt-4o", messages=CHAT, mock_response="16 users are active.")

    # The sync entry point (LiteLLM runs no deployment hooks for litellm.completion), asking
    # for the TOON reply to come back as JSON text.
    toon_reply = encode({"active": [u for u in USERS if u["active"]][:3]}, mode="toon")
    reply = completion(
        "gpt-4o", CHAT, kaizen_decode_reply=True, mock_response=f"```toon\n{toon_reply}\n```"
    )
    print(f"\nTOON reply decoded to JSON: {reply.choices[0].message.content}")
    print(f"\nhook total over {hook.compressions} calls: {hook.tokens_saved} tokens saved")
    return 0 if hook.tokens_saved > 0 else 1


if __name__ == "__main__":
    sys.exit(asyncio.run(main()))
