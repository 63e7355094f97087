"""LangChain + Kaizen, offline: ``prompt | KaizenCompressor() | llm | parser``.

Needs ``pip install -e python -e integrations/langchain`` (``python3 dev.py setup`` does it).
The model is LangChain's ``GenericFakeChatModel`` scripted to answer in TOON, so this runs
with no network and no API key; swap in any chat model (``ChatOpenAI(...)``) for real use.

It prints what the model was sent (the tool result as KTOF instead of JSON), the tokens the
compressor saved on the way in, and the parsed TOON answer coming back.
"""

from __future__ import annotations

import json
import sys
from typing import Any

try:
    from langchain_core.language_models.fake_chat_models import GenericFakeChatModel
    from langchain_core.messages import AIMessage, BaseMessage, ToolMessage
    from langchain_core.prompts import ChatPromptTemplate, MessagesPlaceholder
    from pydantic import Field

    from kaizen_client.ktof import decode
    from kaizen_client.tokens import count_tokens
    from langchain_kaizen import KaizenCallbackHandler, KaizenCompressor, KaizenOutputParser
except ImportError as exc:
    sys.exit(f"{exc}. Run `python3 dev.py setup` (or pip install -e the two packages).")


class _ShowingFakeModel(GenericFakeChatModel):
    """The fake model, also keeping what it was sent so the example can print it."""

    sent: list[list[BaseMessage]] = Field(default_factory=list)

    def _generate(self, messages: list[BaseMessage], *args: Any, **kwargs: Any) -> Any:
        self.sent.append(list(messages))
        return super()._generate(messages, *args, **kwargs)


def orders() -> list[dict[str, Any]]:
    """What an ``orders`` tool might return: 25 uniform records."""
    return [
        {
            "id": 1000 + i,
            "customer": f"customer-{i % 7}",
            "status": ["open", "paid", "shipped"][i % 3],
            "items": 1 + i % 4,
            "total": round(12.5 + i * 3.75, 2),
        }
        for i in range(25)
    ]


def main() -> int:
    parser = KaizenOutputParser()
    prompt = ChatPromptTemplate.from_messages(
        [
            ("system", "You analyse orders.\n{format_instructions}"),
            ("human", "{question}"),
            MessagesPlaceholder("history"),
        ]
    ).partial(format_instructions=parser.get_format_instructions())
    answer = "```toon\nopen[2]{id,total}:\n  1000,12.5\n  1003,23.75\ncount: 2\n```"
    llm = _ShowingFakeModel(messages=iter([AIMessage(answer)]))
    chain = prompt | KaizenCompressor() | llm | parser

    tool_json = json.dumps(orders(), indent=2)
    history = [
        AIMessage("", tool_calls=[{"name": "orders", "args": {}, "id": "call-1"}]),
        ToolMessage(tool_json, tool_call_id="call-1"),
    ]
    handler = KaizenCallbackHandler()
    result = chain.invoke(
        {"question": "Which orders are still open? (first two)", "history": history},
        config={"callbacks": [handler]},
    )

    sent_tool = llm.sent[0][-1]
    sent_text = str(sent_tool.content)
    print("The tool result as the model received it (first 6 lines):")
    print("\n".join("    " + line for line in sent_text.splitlines()[:6]))
    print("    ...")
    lossless = decode(sent_text) == orders()
    before, after = count_tokens(tool_json, "gpt-4o"), count_tokens(sent_text, "gpt-4o")
    print(
        f"\nTool result: {before} tokens as JSON -> {after} as KTOF (gpt-4o tokenizer), "
        f"{100 * (before - after) / before:.0f}% fewer; decodes back to the same data: {lossless}"
    )
    print(f"Callback handler: {handler.total.summary()}")
    print(f"\nParsed TOON answer: {result}")
    return 0 if lossless and handler.total.tokens_saved > 0 else 1


if __name__ == "__main__":
    sys.exit(main())
