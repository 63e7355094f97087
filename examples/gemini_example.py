"""google-genai + Kaizen: ``wrap_gemini(genai.Client())`` sends function responses as KTOF.

Runs offline by default against the loopback fake provider in
``kaizen_client.integrations.fake_providers`` (the real SDK over its real HTTP stack,
``http_options=HttpOptions(base_url=...)``, no network, no key). With ``GEMINI_API_KEY`` (or
``GOOGLE_API_KEY``) set it calls the real API (``GEMINI_MODEL``, default gemini-2.5-flash).
Needs ``pip install 'kaizen-client[gemini]'``.

A structured ``function_response`` goes as ``{"output": "<KTOF>"}`` (the API's documented
output key), decoding to exactly the original object; the reply is decoded from TOON, whole,
streamed and under ``client.aio``; then the kaizen-client 0.1.4 class runs unchanged.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import sys
from typing import Any

try:
    from google import genai
    from google.genai import types

    from kaizen_client import KaizenClient, KaizenClientConfig
    from kaizen_client.integrations.fake_providers import FakeProvider
    from kaizen_client.integrations.gemini import (
        GeminiKaizenWrapper,
        kaizen_call,
        kaizen_state,
        wrap_gemini,
    )
    from kaizen_client.ktof import decode
except ImportError as exc:
    sys.exit(f"{exc}. Run `python3 dev.py setup` (or pip install -e 'python[gemini]').")

SENSORS = {
    "readings": [{"sensor": f"s{i}", "celsius": 20 + i % 7, "ok": i % 5 != 0} for i in range(25)]
}
CONTENTS: list[Any] = [
    {"role": "user", "parts": [{"text": "Which sensors are failing?"}]},
    {"role": "model", "parts": [{"function_call": {"name": "sensors", "args": {}}}]},
    {"role": "user", "parts": [{"function_response": {"name": "sensors", "response": SENSORS}}]},
]
REPLY = "```toon\nfailing[2]{sensor}:\n  s0\n  s5\n```"


def main() -> None:
    key = os.environ.get("GEMINI_API_KEY") or os.environ.get("GOOGLE_API_KEY")
    model = os.environ.get("GEMINI_MODEL", "gemini-2.5-flash")
    with contextlib.ExitStack() as stack:
        fake = None if key else stack.enter_context(FakeProvider(reply=REPLY))
        options = types.HttpOptions(base_url=fake.url) if fake else None
        print(f"offline: fake provider at {fake.url}" if fake else f"real Gemini API ({model})")
        client = wrap_gemini(
            genai.Client(api_key=key or "offline-no-key", http_options=options), decode_replies=True
        )

        response = client.models.generate_content(model=model, contents=CONTENTS)
        call = kaizen_call(response)
        assert call is not None
        if fake is not None:
            sent = fake.last().json["contents"][2]["parts"][0]["functionResponse"]["response"]
            print(
                f"function response as sent ({len(sent['output'])} chars of KTOF, was "
                f"{len(json.dumps(SENSORS))} chars of JSON); decodes to the original: "
                f"{decode(sent['output']) == SENSORS}"
            )
        kind = "exact" if call.exact else "estimated"
        print(f"this call: {call.tokens_saved} tokens saved ({kind} for {model})")
        print(f"TOON reply decoded to JSON: {json.dumps(call.decoded)}")

        stream = client.models.generate_content_stream(model=model, contents=CONTENTS)
        text = "".join(chunk.text or "" for chunk in stream)
        print(
            f"streamed {len(text)} chars, decoded at the end: {json.dumps(stream.kaizen.decoded)}"
        )

        async def aio() -> None:
            reply = await client.aio.models.generate_content(model=model, contents=CONTENTS)
            print(f"client.aio: decoded {json.dumps(kaizen_call(reply).decoded)}")  # type: ignore[union-attr]

        asyncio.run(aio())
        print(f"running total: {kaizen_state(client).summary()}")

        if fake is not None:  # 0.1.4 code, unchanged: the SDK reads these variables
            os.environ.update(GOOGLE_API_KEY="offline-no-key", GOOGLE_GEMINI_BASE_URL=fake.url)

        async def legacy() -> None:
            kaizen = KaizenClient(KaizenClientConfig(base_url="local"))
            prompt = {"messages": [{"role": "user", "content": "Sensors: " + json.dumps(SENSORS)}]}
            result = await GeminiKaizenWrapper(kaizen).invoke(prompt)
            print(
                f"0.1.4 GeminiKaizenWrapper.invoke -> keys {sorted(result)}, "
                f"decoded {json.dumps(result['decoded']['result'])}"
            )

        asyncio.run(legacy())
        if fake is not None:
            del os.environ["GOOGLE_API_KEY"], os.environ["GOOGLE_GEMINI_BASE_URL"]


if __name__ == "__main__":
    main()
