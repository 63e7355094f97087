"""A retrieved node that shows its stored text everywhere except in the LLM's prompt.

Citation and "show sources" UIs read ``response.source_nodes[i].node.get_content()``; they
must show the JSON that was retrieved, not the KTOF the LLM was given. So a compressed node
keeps ``text`` and ``metadata`` as retrieved and carries the compressed forms beside them
(``llm_text``, ``llm_metadata``); only content read for the LLM (``MetadataMode.LLM``,
which is how response synthesizers build the prompt) uses them.
"""

from __future__ import annotations

from typing import Any

from llama_index.core.bridge.pydantic import Field
from llama_index.core.schema import BaseNode, MetadataMode, TextNode


class CompressedTextNode(TextNode):
    """A ``TextNode`` whose JSON reaches the LLM compressed; everything else sees the original."""

    llm_text: str | None = None
    """The text as the LLM gets it (``None``: the text itself)."""
    llm_metadata: dict[str, Any] = Field(default_factory=dict)
    """Metadata values as the LLM gets them, for the keys that were compressed."""

    @classmethod
    def class_name(cls) -> str:
        return "CompressedTextNode"

    def get_content(self, metadata_mode: MetadataMode = MetadataMode.NONE) -> str:
        if metadata_mode != MetadataMode.LLM:
            return super().get_content(metadata_mode)
        text = self.text if self.llm_text is None else self.llm_text
        metadata_str = self.get_metadata_str(mode=metadata_mode).strip()
        if not metadata_str:
            return text
        return self.text_template.format(content=text, metadata_str=metadata_str).strip()

    def get_metadata_str(self, mode: MetadataMode = MetadataMode.ALL) -> str:
        if mode != MetadataMode.LLM or not self.llm_metadata:
            return super().get_metadata_str(mode)
        shown = self.model_copy(update={"metadata": {**self.metadata, **self.llm_metadata}})
        return TextNode.get_metadata_str(shown, mode)


def llm_text(node: BaseNode) -> str:
    """The node's own text as the LLM gets it (compressed, if it was), without metadata."""
    if isinstance(node, CompressedTextNode) and node.llm_text is not None:
        return node.llm_text
    return node.get_content(metadata_mode=MetadataMode.NONE)


def compressed_copy(
    node: BaseNode, text: str | None, metadata: dict[str, Any], keep_original: bool = True
) -> BaseNode:
    """``node`` with its compressed text and metadata values for the LLM, originals kept.

    A plain ``TextNode`` (what retrievers return) becomes a :class:`CompressedTextNode`;
    other node classes (documents, image nodes, custom ones) cannot be re-typed without
    losing what they are, so their text and metadata are replaced in a copy instead, as
    they all are when ``keep_original`` is false.
    """
    if keep_original and type(node) in (TextNode, CompressedTextNode):
        values = {name: getattr(node, name) for name in TextNode.model_fields}
        previous = node.llm_metadata if isinstance(node, CompressedTextNode) else {}
        return CompressedTextNode(**values, llm_text=text, llm_metadata={**previous, **metadata})
    copy = node.model_copy()
    if metadata:
        copy.metadata = {**node.metadata, **metadata}
    if text is not None:
        copy.set_content(text)
    return copy
