"""``KaizenOutputParser``: a model's TOON/KTOF (or JSON) reply as Python data or a model.

Pair it with its ``get_format_instructions()`` in the prompt to have the model answer in
TOON, which costs fewer output tokens than JSON for lists of records.
"""

from __future__ import annotations

import json
from typing import Annotated, Any

import pydantic
from langchain_core.exceptions import OutputParserException
from langchain_core.output_parsers.transform import BaseCumulativeTransformOutputParser
from langchain_core.outputs import Generation
from pydantic import SkipValidation
from typing_extensions import override

from kaizen_client.ktof import KTOFDecodeError

from . import _reply
from ._instructions import format_instructions


class KaizenOutputParser(BaseCumulativeTransformOutputParser[Any]):
    """Parse KTOF/TOON, JSON, or either inside a fenced block, into data.

    With ``pydantic_object`` the data is validated into that model. Streaming yields the data
    read so far each time it grows (a new row, a new key). A reply that does not parse raises
    ``OutputParserException`` naming the decoder's line, so retry and fixing parsers work.
    """

    pydantic_object: Annotated[type[pydantic.BaseModel] | None, SkipValidation()] = None
    strict: bool = False
    """Also enforce TOON's declared row/item counts (models sometimes miscount)."""

    @classmethod
    def is_lc_serializable(cls) -> bool:
        return False  # a pydantic class cannot be serialized

    @property
    def _type(self) -> str:
        return "kaizen_toon_output_parser"

    @override
    def parse_result(self, result: list[Generation], *, partial: bool = False) -> Any:
        text = result[0].text
        if partial:
            value = _reply.parse_partial(text)
            if value is None or self.pydantic_object is None:
                return value
            try:
                return self.pydantic_object.model_validate(value)
            except pydantic.ValidationError:
                return None
        try:
            value = _reply.parse(text, strict=self.strict)
        except KTOFDecodeError as exc:
            where = f" at line {exc.line}" if exc.line else ""
            msg = f"Invalid TOON/KTOF output{where}: {exc.msg}"
            raise OutputParserException(msg, llm_output=text) from exc
        except json.JSONDecodeError as exc:
            msg = f"Invalid JSON output at line {exc.lineno}: {exc.msg}"
            raise OutputParserException(msg, llm_output=text) from exc
        return self._validated(value, text)

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

    @override
    def _diff(self, prev: Any | None, next: Any) -> Any:
        import jsonpatch

        return jsonpatch.make_patch(prev, next).patch
