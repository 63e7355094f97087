"""Sample data and a small real index: Documents, ``MockEmbedding`` and an echoing ``MockLLM``.

``MockLLM()`` (``max_tokens=None``) answers with the prompt it was given, so a query's
response text is exactly what the LLM received.
"""

from __future__ import annotations

import json
from typing import Any

from llama_index.core import Document, VectorStoreIndex
from llama_index.core.embeddings import MockEmbedding
from llama_index.core.llms import MockLLM
from llama_index.core.node_parser import SentenceSplitter

from kaizen_client.testing import sample_rows

PROSE = (
    "The quarterly review covered hiring, the office move and the new on-call rota. "
    "Nothing in this note is structured data; it should reach the model as written."
)


def rows(n: int = 20, offset: int = 0) -> list[dict[str, Any]]:
    """Uniform records (the core's test table): the shape KTOF tables compress best."""
    return sample_rows(n, offset)


def api_response() -> str:
    """A pretty-printed API response, as an HTTP reader would store it."""
    return json.dumps({"status": "ok", "users": rows(20)}, indent=2)


def jsonl(n: int = 20) -> str:
    return "\n".join(json.dumps(row) for row in rows(n, 100)) + "\n"


def documents() -> list[Document]:
    return [
        Document(text=api_response(), id_="api", metadata={"source": "users-api", "page": 1}),
        Document(text=PROSE, id_="prose", metadata={"source": "notes"}),
        Document(text=jsonl(), id_="export", metadata={"source": "users.jsonl"}),
    ]


def _node_id(position: int, document: Any) -> str:
    return f"{document.doc_id}-{position}"


def index() -> VectorStoreIndex:
    """Deterministic node ids: ``MockEmbedding`` ties every score, and ties go by node id,
    so with random ids the retrieval order (and a recorded request body) would vary."""
    splitter = SentenceSplitter(id_func=_node_id)
    return VectorStoreIndex.from_documents(
        documents(), embed_model=MockEmbedding(embed_dim=8), transformations=[splitter]
    )


def echo_llm() -> MockLLM:
    return MockLLM()
