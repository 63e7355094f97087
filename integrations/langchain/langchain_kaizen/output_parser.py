"""``KaizenOutputParser``: a model's TOON/KTOF (or JSON) reply as Python data or a model.

Pair it with its ``get_format_instructions()`` in the prompt to have the model answer in
TOON, which costs fewer output tokens than JSON for lists of records.
"""

from __future__ import annotations

import json
from collections.abc import AsyncIterator, Iterator
from typing import Annotated, Any, Literal

import pydantic
from langchain_core.exceptions import OutputParserException
from langchain_core.messages import BaseMessage, BaseMessageChunk
from langchain_core.output_parsers.transform import BaseCumulativeTransformOutputParser
from langchain_core.outputs import ChatGenerationChunk, Generation, GenerationChunk
from pydantic import SkipValidation
from typing_extensions import override

from kaizen_client.integrations import (
    ReplyShapeError,
    Shape,
    matches,
    parse_partial_reply,
    parse_reply,
)
from kaizen_client.ktof import KTOFDecodeError

from ._instructions import format_instructions


class KaizenOutputParser(BaseCumulativeTransformOutputParser[Any]):
    """Parse KTOF/TOON, JSON, or either inside a fenced block, into data.

    With ``pydantic_object`` the data is validated into that model. Streaming yields the data
    read so far each time it grows (a new row, a new key). A reply that does not parse, or is
    not the ``expected_shape`` (prose such as ``"No orders are open."`` or
    ``"Sorry: I could not find any orders."``), raises ``OutputParserException`` naming
    the problem, so retry and fixing parsers work. The fence and decoder rules are the
    core's (``kaizen_client.integrations.replies``).
    """

    pydantic_object: Annotated[type[pydantic.BaseModel] | None, SkipValidation()] = None
    strict: bool = False
    """Also enforce TOON's declared row/item counts (models sometimes miscount)."""
    expected_shape: Literal["object", "array", "any"] | None = None
    """What a reply must hold: ``"object"``, ``"array"`` or ``"any"`` value (scalars too).
    Unset: what ``pydantic_object`` implies (an array for a list root model, else an
    object), or without one an object or an array."""

    @property
    def shape(self) -> Shape:
        """The shape replies are held to (``expected_shape``, or its default)."""
        if self.expected_shape is not None:
            return self.expected_shape
        if self.pydantic_object is None:
            return "container"
        root = self.pydantic_object.model_json_schema().get("type")
        return "array" if root == "array" else "object"

    @classmethod
    def is_lc_serializable(cls) -> bool:
        return False  # a pydantic class cannot be serialized

    @property
    def _type(self) -> str:
        return "kaizen_toon_output_parser"

    @override
    def parse_result(self, result: list[Generation], *, partial: bool = False) -> Any:
        """``partial=True``: the text may still grow (only its complete lines are read)."""
        text = result[0].text
        if partial:
            return self._partial(text, finished=False)
        try:
            value = parse_reply(text, strict=self.strict, shape=self.shape)
        except ReplyShapeError as exc:
            raise OutputParserException(f"Invalid output: {exc}", llm_output=text) from exc
        except KTOFDecodeError as exc:
            where = f" at line {exc.line}" if exc.line else ""
            msg = f"Invalid TOON/KTOF output{where}: {exc.msg}"
            raise OutputParserException(msg, llm_output=text) from exc
        except json.JSONDecodeError as exc:
            msg = f"Invalid JSON output at line {exc.lineno}: {exc.msg}"
            raise OutputParserException(msg, llm_output=text) from exc
        return self._validated(value, text)

    def _partial(self, text: str, *, finished: bool) -> Any:
        value = parse_partial_reply(text, finished=finished)
        if value is None or not matches(value, self.shape):
            return None
        if self.pydantic_object is None:
            return value
        try:
            return self.pydantic_object.model_validate(value)
        except pydantic.ValidationError:
            return None

    def _validated(self, value: Any, text: str) -> Any:
        if self.pydantic_object is None:
            return value
        try:
            return self.pydantic_object.model_validate(value)
        except pydantic.ValidationError as exc:
            name = self.pydantic_object.__name__
            msg = f"Failed to parse {name} from the reply: {exc}"
            raise OutputParserException(msg, llm_output=text) from exc

    @override
    def parse(self, text: str) -> Any:
        return self.parse_result([Generation(text=text)])

    @override
    def get_format_instructions(self) -> str:
        schema = None
        if self.pydantic_object is not None:
            schema = self.pydantic_object.model_json_schema()
        return format_instructions(schema)

    # Streaming: the base class's cumulative loop, plus one last read of the whole reply
    # when the stream ends, so a final line without a newline is not left out.
    @override
    def _transform(self, input: Iterator[str | BaseMessage]) -> Iterator[Any]:
        prev: Any = None
        acc: GenerationChunk | ChatGenerationChunk | None = None
        for chunk in input:
            acc = _accumulate(acc, chunk)
            parsed = self._partial(acc.text, finished=False)
            if parsed is not None and parsed != prev:
                yield self._diff(prev, parsed) if self.diff else parsed
                prev = parsed
        if acc is not None:
            parsed = self._partial(acc.text, finished=True)
            if parsed is not None and parsed != prev:
                yield self._diff(prev, parsed) if self.diff else parsed

    @override
    async def _atransform(self, input: AsyncIterator[str | BaseMessage]) -> AsyncIterator[Any]:
        prev: Any = None
        acc: GenerationChunk | ChatGenerationChunk | None = None
        async for chunk in input:
            acc = _accumulate(acc, chunk)
            parsed = self._partial(acc.text, finished=False)
            if parsed is not None and parsed != prev:
                yield self._diff(prev, parsed) if self.diff else parsed
                prev = parsed
        if acc is not None:
            parsed = self._partial(acc.text, finished=True)
            if parsed is not None and parsed != prev:
                yield self._diff(prev, parsed) if self.diff else parsed

    @override
    def _diff(self, prev: Any | None, next: Any) -> Any:
        import jsonpatch

        return jsonpatch.make_patch(prev, next).patch


def _accumulate(
    acc: GenerationChunk | ChatGenerationChunk | None, chunk: str | BaseMessage
) -> GenerationChunk | ChatGenerationChunk:
    """Add one streamed chunk to the reply so far (as the base class does)."""
    new: GenerationChunk | ChatGenerationChunk
    if isinstance(chunk, BaseMessageChunk):
        new = ChatGenerationChunk(message=chunk)
    elif isinstance(chunk, BaseMessage):
        new = ChatGenerationChunk(message=BaseMessageChunk(**chunk.model_dump()))
    else:
        new = GenerationChunk(text=chunk)
    if acc is None:
        return new
    return acc + new  # type: ignore[operator]
