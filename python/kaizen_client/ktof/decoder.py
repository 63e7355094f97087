"""KTOF/TOON decoder: one pass over the lines, linear in the input size.

Reads every TOON 4.0 document (strict and non-strict, SPEC.md §4-§14) and the KTOF extensions
(docs/ktof.md), which are spelled so that plain TOON cannot contain them. Malformed input raises
only :class:`KTOFDecodeError`, carrying the 1-based line.
"""

from __future__ import annotations

import json
import math
import re
from bisect import bisect_right
from typing import Any, Final, NamedTuple

from ._lexical import (
    SURROGATE_RE,
    UNQUOTED_KEY_RE,
    find_unquoted,
    is_number,
    parse_int,
    parse_primitive,
    scan_quoted,
    split_delimited,
)
from .errors import KTOFDecodeError

MAX_DEPTH = 200
"""Deepest nesting the decoder accepts; deeper input is an error, never a RecursionError."""

_BRACKET_RE = re.compile(r"(0|[1-9][0-9]*)(:?)([\t|]?)", re.ASCII)
_COUNT_CELL_RE = re.compile(r"\[(0|[1-9][0-9]*)\]", re.ASCII)

# A header field: (name, nested field group, column kind, KTOF optional ``name?``)
Fields = list[tuple[str, "Fields | None", int, bool]]
PLAIN = 0  # TOON cells
JSON = 1  # KTOF ``name[]``: compact JSON cells
FLOAT = 2  # KTOF ``name(float)``: every number cell is a float (``2`` reads as 2.0)
TABLE = 3  # KTOF ``name[]{...}``: a ``[N]`` cell, then N sub-rows one level below the row
_FLOAT_MARK = "(float)"


def _no_constants(name: str) -> Any:
    raise ValueError(f"{name} is not JSON")


def _finite_float(text: str) -> float:
    number = float(text)
    if number - number != 0.0:
        raise ValueError(f"number {text} is out of range for a float")
    return number


def _unique_keys(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    obj = dict(pairs)
    if len(obj) != len(pairs):
        seen: set[str] = set()
        duplicate = next(key for key, _ in pairs if key in seen or seen.add(key))  # type: ignore[func-returns-value]
        raise ValueError(f"duplicate key {duplicate!r}")
    return obj


_LENIENT_JSON = json.JSONDecoder(parse_constant=_no_constants, parse_float=_finite_float)
_STRICT_JSON = json.JSONDecoder(
    parse_constant=_no_constants, parse_float=_finite_float, object_pairs_hook=_unique_keys
)
_SURROGATE_ESCAPE_RE = re.compile(r"\\u[dD][89a-fA-F]")


def parse_json(text: str, start: int, strict: bool, lineno: int) -> tuple[Any, int]:
    """Parse the JSON value at ``text[start:]`` for a KTOF construct; return it and its end.

    JSON content follows the same rules as the TOON around it: strict mode rejects duplicate
    keys (TOON §14.3) and, in every mode, lone surrogate escapes (TOON §7.1).
    Raises ValueError (with the JSON parser's message) or KTOFDecodeError for deep nesting.
    """
    decoder = _STRICT_JSON if strict else _LENIENT_JSON
    try:
        value, end = decoder.raw_decode(text, start)
    except RecursionError:
        raise KTOFDecodeError("nesting deeper than the decoder allows", lineno) from None
    if _SURROGATE_ESCAPE_RE.search(text, start, end) and _has_lone_surrogate(value):
        raise ValueError("lone surrogate escape in a JSON string")
    return value, end


def _has_lone_surrogate(value: Any) -> bool:
    if type(value) is str:
        return SURROGATE_RE.search(value) is not None
    if type(value) is list:
        return any(_has_lone_surrogate(item) for item in value)
    if type(value) is dict:
        return any(_has_lone_surrogate(k) or _has_lone_surrogate(v) for k, v in value.items())
    return False


_FLOW_BARE_END = re.compile(r"[,\]}]")
_FLOW_KEY_END = re.compile(r"[,:\[\]{}\"]")
_FLOW_BARE_BAD = re.compile(r'[\[{"]')
_FLOW_SPACE = " \t"


def parse_flow(text: str, start: int, strict: bool, lineno: int) -> tuple[Any, int]:
    """Parse the KTOF flow value (docs/ktof.md §3.2) at ``text[start]`` (a ``{`` or ``[``).

    Flow syntax is JSON's, except that a key or string needs no quotes when it has no
    ``, : [ ] { } "`` or backslash, no control character and no space at either end, and (for
    values) is not ``true``/``false``/``null`` or a number; bare tokens are typed like TOON
    values. Every JSON text is a flow value with the same meaning. One left-to-right pass.
    Syntax errors raise ValueError; nesting past MAX_DEPTH and over-long integers raise
    KTOFDecodeError.
    """
    return _FlowParser(text, strict, lineno).value(start, 0)


class _FlowParser:
    __slots__ = ("lineno", "n", "strict", "text")

    def __init__(self, text: str, strict: bool, lineno: int) -> None:
        self.text = text
        self.n = len(text)
        self.strict = strict
        self.lineno = lineno

    def skip(self, pos: int) -> int:
        text = self.text
        n = self.n
        while pos < n and text[pos] in _FLOW_SPACE:
            pos += 1
        return pos

    def value(self, pos: int, depth: int) -> tuple[Any, int]:
        pos = self.skip(pos)
        if pos >= self.n:
            raise ValueError(f"expected a value at column {pos + 1}")
        ch = self.text[pos]
        if ch == "{" or ch == "[":
            if depth >= MAX_DEPTH:
                raise KTOFDecodeError("nesting deeper than the decoder allows", self.lineno)
            if ch == "{":
                return self.obj(pos + 1, depth + 1)
            return self.array(pos + 1, depth + 1)
        if ch == '"':
            return scan_quoted(self.text, pos, self.lineno)
        match = _FLOW_BARE_END.search(self.text, pos)
        end = self.n if match is None else match.start()
        token = self.text[pos:end].rstrip(_FLOW_SPACE)
        if not token or _FLOW_BARE_BAD.search(token) is not None:
            raise ValueError(f"expected a value at column {pos + 1}")
        return parse_primitive(token, self.lineno), end

    def obj(self, pos: int, depth: int) -> tuple[dict[str, Any], int]:
        text = self.text
        result: dict[str, Any] = {}
        pos = self.skip(pos)
        if pos < self.n and text[pos] == "}":
            return result, pos + 1
        while True:
            pos = self.skip(pos)
            if pos < self.n and text[pos] == '"':
                key, pos = scan_quoted(text, pos, self.lineno)
            else:
                match = _FLOW_KEY_END.search(text, pos)
                end = self.n if match is None else match.start()
                key = text[pos:end].rstrip(_FLOW_SPACE)
                if not key:
                    raise ValueError(f"expected a key at column {pos + 1}")
                pos = end
            pos = self.skip(pos)
            if pos >= self.n or text[pos] != ":":
                raise ValueError(f"expected ':' after key {key!r}")
            value, pos = self.value(pos + 1, depth)
            if self.strict and key in result:
                raise ValueError(f"duplicate key {key!r}")
            result[key] = value
            pos = self.skip(pos)
            if pos < self.n and text[pos] == ",":
                pos += 1
                continue
            if pos < self.n and text[pos] == "}":
                return result, pos + 1
            raise ValueError(f"expected ',' or '}}' at column {pos + 1}")

    def array(self, pos: int, depth: int) -> tuple[list[Any], int]:
        text = self.text
        items: list[Any] = []
        pos = self.skip(pos)
        if pos < self.n and text[pos] == "]":
            return items, pos + 1
        while True:
            value, pos = self.value(pos, depth)
            items.append(value)
            pos = self.skip(pos)
            if pos < self.n and text[pos] == ",":
                pos += 1
                continue
            if pos < self.n and text[pos] == "]":
                return items, pos + 1
            raise ValueError(f"expected ',' or ']' at column {pos + 1}")


class Header(NamedTuple):
    key: str | None
    length: int  # -1 for a KTOF ``key[]: <JSON>`` field, whose decoded value is ``value``
    delimiter: str
    keyed: bool
    fields: Fields | None
    rest: str
    value: Any = None
    unindented: bool = False  # KTOF: no ':' after the field list, rows at the header's depth


_NOT_JSON = object()
# A value starting with none of these is a string as it stands (not quoted, number, literal, []).
_PLAIN_STRING_START = frozenset(
    "abcdeghijklmopqrsuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ_.,;!?/\\(){}]<>=+*&^%$@~`'|"
)


class _Lines:
    """The document after the lexical pre-pass: content lines with depth and source line number."""

    __slots__ = ("blank_at", "blank_index", "content", "depth", "lineno", "n")

    def __init__(self, text: str, indent: int, strict: bool) -> None:
        depth: list[int] = []
        content: list[str] = []
        lineno: list[int] = []
        blank_index: list[int] = []  # content index k such that a blank line precedes line k
        blank_at: list[int] = []  # the source line number of that blank line
        pending_blank = 0
        raw_lines = text.split("\n")
        if "\r" in text:
            raw_lines = [line[:-1] if line.endswith("\r") else line for line in raw_lines]
        number = 0
        for line in raw_lines:
            number += 1
            stripped = line.lstrip(" ")
            if not stripped:
                if not pending_blank:
                    pending_blank = number
                continue
            first = stripped[0]
            if first == "#":
                continue  # §5.1: comment lines vanish before anything else looks at the text
            spaces = len(line) - len(stripped)
            if first == "\t":
                if not stripped.strip(" \t"):
                    if not pending_blank:
                        pending_blank = number
                    continue
                if strict:
                    raise KTOFDecodeError("tab used for indentation", number)
                tabs = len(stripped) - len(stripped.lstrip("\t"))
                stripped = stripped[tabs:]
                spaces += tabs * indent
                if stripped[:1] == "#":
                    continue
            if spaces % indent and strict:
                raise KTOFDecodeError(
                    f"indentation of {spaces} spaces is not a multiple of {indent}", number
                )
            if pending_blank:
                blank_index.append(len(content))
                blank_at.append(pending_blank)
                pending_blank = 0
            depth.append(spaces // indent)
            content.append(stripped)
            lineno.append(number)
        self.depth = depth
        self.content = content
        self.lineno = lineno
        self.blank_index = blank_index
        self.blank_at = blank_at
        self.n = len(content)


class _Decoder:
    __slots__ = ("depth", "lines", "strict")

    def __init__(self, lines: _Lines, strict: bool) -> None:
        self.lines = lines
        self.strict = strict
        self.depth = 0

    # ------------------------------------------------------------------ root form (§5)
    def document(self) -> Any:
        lines = self.lines
        if lines.n == 0:
            return {}
        first = lines.content[0]
        if lines.depth[0] != 0 and self.strict:
            raise KTOFDecodeError("the first line must not be indented", lines.lineno[0])
        if first == "[]":
            self.check_trailing(1)
            return []
        header = self.header(first, lines.lineno[0])
        if header is not None and header.key is None:
            value, end = self.array_body(header, lines.depth[0], 1, lines.lineno[0])
            self.check_trailing(end)
            return value
        if lines.n == 1 and header is None and find_unquoted(first, ":") == -1:
            return parse_primitive(first.strip(" "), lines.lineno[0])
        value, end = self.object_fields(lines.depth[0], 0)
        if end < lines.n:
            raise KTOFDecodeError("unexpected indentation", lines.lineno[end])
        return value

    def check_trailing(self, end: int) -> None:
        if end < self.lines.n and self.strict:
            raise KTOFDecodeError(
                "unexpected content after the end of the root value", self.lines.lineno[end]
            )

    # ------------------------------------------------------------------ objects (§8)
    def object_fields(self, depth: int, index: int) -> tuple[dict[str, Any], int]:
        """Read the fields at exactly ``depth`` starting at line ``index``."""
        lines = self.lines
        depths = lines.depth
        contents = lines.content
        n = lines.n
        strict = self.strict
        plain = _PLAIN_STRING_START
        self.enter(index)
        result: dict[str, Any] = {}
        while index < n:
            line_depth = depths[index]
            if line_depth != depth:
                if line_depth < depth:
                    break
                raise KTOFDecodeError("unexpected indentation", lines.lineno[index])
            content = contents[index]
            colon = content.find(":")
            key = content[:colon]
            value: Any
            if colon > 0 and '"' not in key and "[" not in key:
                # Fast path: a bare key, so neither a header nor a quoted colon is involved.
                rest = content[colon + 1 :].strip(" ")
                if key[-1] == " ":
                    key = key.rstrip(" ")
                index += 1
                if not rest:
                    value, index = self.nested(depth, index)
                else:
                    if index < n and depths[index] > depth:
                        raise KTOFDecodeError("unexpected indentation", lines.lineno[index])
                    if rest[0] in plain:
                        value = rest
                    elif rest == "[]":
                        value = []
                    else:
                        value = parse_primitive(rest, lines.lineno[index - 1])
            else:
                key, value, index = self.field(content, depth, index)
            if strict and key in result:
                raise KTOFDecodeError(f"duplicate key {key!r}", lines.lineno[index - 1])
            result[key] = value
        self.depth -= 1
        return result, index

    def field(self, content: str, depth: int, index: int) -> tuple[str, Any, int]:
        """Parse one ``key: value`` / ``key[N]...:`` line whose nested content sits at depth+1."""
        lines = self.lines
        lineno = lines.lineno[index]
        header = self.header(content, lineno)
        if header is not None:
            if header.key is not None:
                value, end = self.array_body(header, depth, index + 1, lineno)
                return header.key, value, end
            if self.strict:
                raise KTOFDecodeError(
                    "an array header without a key is only valid at the root or after '- '", lineno
                )
        colon = find_unquoted(content, ":")
        if colon == -1:
            raise KTOFDecodeError(f"expected 'key: value', found {content!r}", lineno)
        key = self.key(content, colon, lineno)
        rest = content[colon + 1 :].strip(" ")
        index += 1
        if rest:
            if index < lines.n and lines.depth[index] > depth:
                raise KTOFDecodeError("unexpected indentation", lines.lineno[index])
            if rest == "[]":
                return key, [], index
            return key, parse_primitive(rest, lineno), index
        value, index = self.nested(depth, index)
        return key, value, index

    def nested(self, depth: int, index: int) -> tuple[Any, int]:
        """After ``key:`` with nothing behind the colon: an object at depth+1, or ``{}``."""
        lines = self.lines
        if index < lines.n and lines.depth[index] > depth:
            child_depth = lines.depth[index]
            if child_depth != depth + 1 and self.strict:
                raise KTOFDecodeError("indentation jumps more than one level", lines.lineno[index])
            return self.object_fields(child_depth, index)
        return {}, index

    def key(self, content: str, colon: int, lineno: int) -> str:
        if content[0] == '"':
            key, end = scan_quoted(content, 0, lineno)
            if content[end:colon].strip(" "):
                raise KTOFDecodeError("unexpected text between a quoted key and ':'", lineno)
            return key
        return content[:colon].strip(" ")

    # ------------------------------------------------------------------ headers (§6)
    def header(self, content: str, lineno: int) -> Header | None:
        """The array header on this line, or None when the line is not one (§5.2 fall-through)."""
        if content[0] == '"':
            if content.find("[") == -1:
                return None
            key, bracket = scan_quoted(content, 0, lineno)
            if bracket >= len(content) or content[bracket] != "[":
                return None
            key_or_none: str | None = key
        else:
            bracket = content.find("[")
            if bracket == -1:
                return None
            colon = content.find(":")
            if colon != -1 and colon < bracket:
                return None
            keytext = content[:bracket]
            if keytext:
                if UNQUOTED_KEY_RE.fullmatch(keytext) is None:
                    return None
                key_or_none = keytext
            else:
                key_or_none = None
        close = content.find("]", bracket)
        if close == -1:
            return self.malformed("unclosed '[' in array header", lineno)
        if close == bracket + 1 and key_or_none is not None:
            json_value = self.json_field(content, close + 1, lineno)
            if json_value is not None:
                return json_value._replace(key=key_or_none)
        match = _BRACKET_RE.fullmatch(content, bracket + 1, close)
        if match is None:
            inner = content[bracket + 1 : close]
            return self.malformed(f"invalid array length [{inner}]", lineno)
        length = parse_int(match.group(1), lineno)
        keyed = bool(match.group(2))
        delimiter = match.group(3) or ","
        pos = close + 1
        fields: Fields | None = None
        if pos < len(content) and content[pos] == "{":
            fields, pos = self.fields(content, pos, delimiter, lineno)
            if fields is None:
                return None
            problem = _table_columns_problem(fields)
            if problem:
                return self.malformed(problem, lineno)
        if pos == len(content) and fields is not None and length > 0:
            # KTOF unindented table (docs/ktof.md §3.5): the next `length` lines are its rows.
            return Header(key_or_none, length, delimiter, keyed, fields, "", None, True)
        if pos >= len(content) or content[pos] != ":":
            return self.malformed("expected ':' after the array header", lineno)
        rest = content[pos + 1 :]
        if fields is not None or keyed:
            if rest.strip(" "):
                return self.malformed("a header with fields carries no inline values", lineno)
            if fields is None:
                return self.malformed("a keyed header needs a field list", lineno)
        return Header(key_or_none, length, delimiter, keyed, fields, rest)

    def json_field(self, content: str, pos: int, lineno: int) -> Header | None:
        """KTOF ``key[]: <JSON>`` (docs/ktof.md §3.2); None when the line is not one."""
        if content[pos : pos + 1] != ":":
            return None
        rest = content[pos + 1 :].strip(" ")
        if not rest or rest[0] not in "{[":
            return None
        try:
            value, end = parse_flow(rest, 0, self.strict, lineno)
            if rest[end:].strip(" "):
                raise ValueError(f"unexpected text after the JSON value: {rest[end:]!r}")
        except KTOFDecodeError:
            raise
        except ValueError as exc:
            if self.strict:
                raise KTOFDecodeError(f"invalid JSON value after '[]:': {exc}", lineno) from None
            return None
        return Header(None, -1, ",", False, None, "", value)

    def malformed(self, message: str, lineno: int) -> Header | None:
        """A header syntax error: raised in strict mode; otherwise "not a header" (§6)."""
        if self.strict:
            raise KTOFDecodeError(message, lineno)
        return None

    def fields(
        self, content: str, start: int, delimiter: str, lineno: int
    ) -> tuple[Fields | None, int]:
        """Parse ``{a,b{c,d}}`` at ``start``; return the field tree and the index after ``}``."""
        if self.depth > MAX_DEPTH:
            raise KTOFDecodeError("field groups nest too deeply", lineno)
        fields: Fields = []
        seen: set[str] = set()
        pos = start + 1
        n = len(content)
        while True:
            if pos < n and content[pos] == '"':
                name, pos = scan_quoted(content, pos, lineno)
            else:
                end = pos
                while end < n and content[end] not in "{}[?(" and content[end] != delimiter:
                    end += 1
                name = content[pos:end]
                if UNQUOTED_KEY_RE.fullmatch(name) is None:
                    if not name and end < n and content[end] == "}" and not fields:
                        self.malformed("empty field list '{}'", lineno)
                        return None, pos
                    self.malformed(f"invalid field name {name!r} in header", lineno)
                    return None, pos
                pos = end
            sub: Fields | None = None
            if pos < n and content[pos] == "{":
                self.depth += 1
                sub, pos = self.fields(content, pos, delimiter, lineno)
                self.depth -= 1
                if sub is None:
                    return None, pos
            kind = PLAIN
            if sub is None and content.startswith("[]{", pos):
                kind = TABLE  # docs/ktof.md §3.7
                self.depth += 1
                sub, pos = self.fields(content, pos + 2, delimiter, lineno)
                self.depth -= 1
                if sub is None:
                    return None, pos
            elif sub is None and content.startswith("[]", pos):
                kind = JSON
                pos += 2
            elif sub is None and content.startswith(_FLOAT_MARK, pos):
                kind = FLOAT
                pos += len(_FLOAT_MARK)
            optional = pos < n and content[pos] == "?"
            if optional:
                pos += 1
            if name in seen and self.strict:
                raise KTOFDecodeError(f"duplicate field name {name!r} in header", lineno)
            seen.add(name)
            fields.append((name, sub, kind, optional))
            if pos >= n:
                self.malformed("unclosed '{' in header", lineno)
                return None, pos
            if content[pos] == "}":
                return fields, pos + 1
            if content[pos] != delimiter:
                self.malformed("field names must be separated by the header's delimiter", lineno)
                return None, pos
            pos += 1

    # ------------------------------------------------------------------ arrays (§9, §10)
    def array_body(self, header: Header, depth: int, index: int, lineno: int) -> tuple[Any, int]:
        """Decode the value a header introduces; its rows or items sit at depth+1."""
        if header.length < 0:
            self.no_children(depth, index)
            return header.value, index
        row_depth = depth if header.unindented else depth + 1
        if header.keyed:
            assert header.fields is not None
            return self.keyed_rows(header, row_depth, index, lineno)
        if header.fields is not None:
            return self.table_rows(header, row_depth, index, lineno)
        rest = header.rest.strip(" ")
        if rest:
            values = _primitives(split_delimited(rest, header.delimiter, lineno), lineno)
            self.check_count(len(values), header.length, "values", lineno)
            self.no_children(depth, index)
            return values, index
        lines = self.lines
        if index < lines.n and lines.depth[index] > depth:
            return self.list_items(header, lines.depth[index], index, lineno, depth)
        self.check_count(0, header.length, "items", lineno)
        return [], index

    def no_children(self, depth: int, index: int) -> None:
        lines = self.lines
        if index < lines.n and lines.depth[index] > depth:
            raise KTOFDecodeError("unexpected indentation", lines.lineno[index])

    def check_count(self, found: int, declared: int, what: str, lineno: int) -> None:
        if found != declared and self.strict:
            raise KTOFDecodeError(f"declared {declared} {what}, found {found}", lineno)

    def check_span(self, first: int, end: int) -> None:
        """§12: in strict mode no blank line may stand between an array's first and last line."""
        if not self.strict or end - first < 2:
            return
        blanks = self.lines.blank_index
        k = bisect_right(blanks, first)
        if k < len(blanks) and blanks[k] < end:
            raise KTOFDecodeError("blank line inside an array", self.lines.blank_at[k])

    def table_rows(self, header: Header, depth: int, index: int, lineno: int) -> tuple[Any, int]:
        lines = self.lines
        assert header.fields is not None
        reader = _RowReader(header.fields, header.delimiter, self.strict)
        delimiter = header.delimiter
        rows: list[Any] = []
        start = index
        n = lines.n
        unindented = header.unindented
        # Unindented: exactly `length` rows at the header's own depth, then the document goes on.
        last = header.length if unindented else -1
        while index < n and lines.depth[index] == depth and len(rows) != last:
            content = lines.content[index]
            if not reader.marked and not unindented:
                colon = find_unquoted(content, ":")
                if colon != -1:
                    cut = find_unquoted(content, delimiter)
                    if cut == -1 or colon < cut:
                        break  # §9.3: a key-value line ends the rows
            rows.append(reader.read(content, lines.lineno[index]))
            index += 1
            if reader.pending is not None:
                index = self.sub_rows(reader, depth + 1, index)
        self.check_span(start, index)
        self.check_count(len(rows), header.length, "rows", lineno)
        if not unindented:
            self.no_children(depth - 1 if not rows else depth, index)
        elif index < lines.n and lines.depth[index] > depth:
            raise KTOFDecodeError("unexpected indentation", lines.lineno[index])
        return rows, index

    def keyed_rows(self, header: Header, depth: int, index: int, lineno: int) -> tuple[Any, int]:
        lines = self.lines
        assert header.fields is not None
        reader = _RowReader(header.fields, header.delimiter, self.strict)
        result: dict[str, Any] = {}
        start = index
        count = 0
        n = lines.n
        # Unindented: exactly `length` entry rows at the header's own depth.
        last = header.length if header.unindented else -1
        unindented = header.unindented
        while index < n and lines.depth[index] == depth and count != last:
            content = lines.content[index]
            row_line = lines.lineno[index]
            colon = find_unquoted(content, ":")
            if colon == -1:
                if self.strict:
                    raise KTOFDecodeError("an entry row needs 'key: values'", row_line)
                index += 1
                continue
            key = self.key(content, colon, row_line)
            if self.strict and key in result:
                raise KTOFDecodeError(f"duplicate key {key!r}", row_line)
            result[key] = reader.read(content[colon + 1 :].strip(" "), row_line)
            count += 1
            index += 1
            if reader.pending is not None:
                index = self.sub_rows(reader, depth + 1, index)
        self.check_span(start, index)
        self.check_count(count, header.length, "entries", lineno)
        if not unindented:
            self.no_children(depth - 1 if not count else depth, index)
        elif index < lines.n and lines.depth[index] > depth:
            raise KTOFDecodeError("unexpected indentation", lines.lineno[index])
        return result, index

    def sub_rows(self, reader: _RowReader, depth: int, index: int) -> int:
        """The sub-rows a row's ``[N]`` cell announces (docs/ktof.md §3.7): the next N lines,
        one level below the row, read with the column's own field list into that cell's list."""
        pending = reader.pending
        assert pending is not None and reader.sub is not None
        reader.pending = None
        rows, count, row_line = pending
        sub = reader.sub
        lines = self.lines
        n = lines.n
        while len(rows) < count and index < n and lines.depth[index] == depth:
            rows.append(sub.read(lines.content[index], lines.lineno[index]))
            index += 1
        if len(rows) != count:
            raise KTOFDecodeError(f"declared {count} rows, found {len(rows)}", row_line)
        return index

    def list_items(
        self, header: Header, depth: int, index: int, lineno: int, parent_depth: int
    ) -> tuple[Any, int]:
        lines = self.lines
        if depth != parent_depth + 1 and self.strict:
            raise KTOFDecodeError("indentation jumps more than one level", lines.lineno[index])
        self.enter(index)
        items: list[Any] = []
        start = index
        while index < lines.n and lines.depth[index] == depth:
            content = lines.content[index]
            if content == "-":
                items.append({})
                index += 1
                continue
            if not content.startswith("- "):
                raise KTOFDecodeError(
                    f"expected a list item '- ...', found {content!r}", lines.lineno[index]
                )
            value, index = self.list_item(content[2:].lstrip(" "), depth, index)
            items.append(value)
        self.depth -= 1
        self.check_span(start, index)
        self.check_count(len(items), header.length, "items", lineno)
        return items, index

    def list_item(self, rest: str, depth: int, index: int) -> tuple[Any, int]:
        """One ``- ...`` item at ``depth``; an object item's fields sit at depth+1 (§10)."""
        lines = self.lines
        lineno = lines.lineno[index]
        if rest == "[]":
            self.no_children(depth, index + 1)
            return [], index + 1
        if not rest:
            return {}, index + 1
        header = self.header(rest, lineno)
        if header is not None and header.key is None:
            if header.fields is not None or header.keyed:
                if self.strict:
                    raise KTOFDecodeError(
                        "a list item cannot carry a tabular header without a key", lineno
                    )
            else:
                return self.array_body(header, depth, index + 1, lineno)
        if header is None and find_unquoted(rest, ":") == -1:
            self.no_children(depth, index + 1)
            return parse_primitive(rest.strip(" "), lineno), index + 1
        key, value, end = self.field(rest, depth + 1, index)
        result: dict[str, Any] = {key: value}
        if end < lines.n and lines.depth[end] == depth + 1:
            more, end = self.object_fields(depth + 1, end)
            for more_key, more_value in more.items():
                if self.strict and more_key in result:
                    raise KTOFDecodeError(f"duplicate key {more_key!r}", lineno)
                result[more_key] = more_value
        return result, end

    def enter(self, index: int) -> None:
        self.depth += 1
        if self.depth > MAX_DEPTH:
            lineno = self.lines.lineno[min(index, self.lines.n - 1)] if self.lines.n else 0
            raise KTOFDecodeError(f"nesting deeper than {MAX_DEPTH} levels", lineno)


_ABSENT = object()


def _primitives(tokens: list[str], lineno: int) -> list[Any]:
    """Type each token; plain strings and plain non-negative ints skip the full check."""
    plain = _PLAIN_STRING_START
    cells: list[Any] = []
    for token in tokens:
        if token and token[0] in plain:
            cells.append(token)
        elif token.isdigit() and token.isascii() and (token[0] != "0" or len(token) == 1):
            cells.append(parse_int(token, lineno))
        else:
            cells.append(parse_primitive(token, lineno))
    return cells


class _RowReader:
    """Turns one table row (or the cells of a keyed entry row) into an object.

    Plain TOON headers split on the delimiter; headers with KTOF markers (JSON columns
    ``name[]``, optional columns ``name?``) are scanned cell by cell, since a JSON cell may
    contain the delimiter.
    """

    __slots__ = (
        "delimiter",
        "fields",
        "flat",
        "json_leaves",
        "marked",
        "names",
        "pending",
        "strict",
        "sub",
        "width",
    )

    def __init__(self, fields: Fields, delimiter: str, strict: bool) -> None:
        self.fields = fields
        self.delimiter = delimiter
        self.strict = strict
        self.json_leaves = _json_leaves(fields)
        self.width = len(self.json_leaves)
        self.marked = _has_markers(fields)
        self.flat = not self.marked and all(f[1] is None for f in fields)
        self.names = [f[0] for f in fields]
        # A nested table column (§3.7): its rows' reader, and after reading a row that holds
        # one, (the list to fill, its declared count, the row's line) until the caller fills it.
        table = next((f[1] for f in fields if f[2] == TABLE), None)
        self.sub = None if table is None else _RowReader(table, delimiter, strict)
        self.pending: tuple[list[Any], int, int] | None = None

    def read(self, content: str, lineno: int) -> dict[str, Any]:
        if self.marked:
            return self.read_marked(content, lineno)
        tokens = split_delimited(content, self.delimiter, lineno) if content else []
        cells = _primitives(tokens, lineno)
        width = self.width
        if len(cells) != width:
            if self.strict:
                raise KTOFDecodeError(
                    f"row has {len(cells)} values, header declares {width}", lineno
                )
            cells = (cells + [None] * width)[:width]
        if self.flat:
            return dict(zip(self.names, cells, strict=False))  # equal lengths: checked above
        return _build(self.fields, iter(cells))

    def read_marked(self, line: str, lineno: int) -> dict[str, Any]:
        delimiter = self.delimiter
        n = len(line)
        pos = 0
        cells: list[Any] = []
        for i, kind in enumerate(self.json_leaves):
            if i:
                if pos >= n or line[pos] != delimiter:
                    raise KTOFDecodeError(
                        f"row has {i} values, header declares {self.width}", lineno
                    )
                pos += 1
            while pos < n and line[pos] == " ":
                pos += 1
            if kind == JSON and pos < n and line[pos] != delimiter:
                try:
                    if line[pos] == "{" or line[pos] == "[":
                        value, pos = parse_flow(line, pos, self.strict, lineno)
                    else:
                        value, pos = parse_json(line, pos, self.strict, lineno)
                except ValueError as exc:
                    raise KTOFDecodeError(
                        f"invalid JSON in column {i + 1}: {exc}", lineno
                    ) from None
                cells.append(value)
                while pos < n and line[pos] == " ":
                    pos += 1
                continue
            cut = find_unquoted(line, delimiter, pos)
            if cut == -1:
                cut = n
            token = line[pos:cut].strip(" ")
            pos = cut
            if not token:
                cells.append(_ABSENT)
            elif kind == FLOAT:
                cells.append(_float_cell(token, lineno))
            elif kind == TABLE:
                cells.append(self.table_cell(token, lineno))
            else:
                cells.append(parse_primitive(token, lineno))
        if pos != n:
            raise KTOFDecodeError(
                f"row has more values than the {self.width} the header declares", lineno
            )
        row = _build_marked(self.fields, iter(cells), lineno)
        return {} if row is _ABSENT else row  # every cell empty and optional: no keys

    def table_cell(self, token: str, lineno: int) -> list[Any]:
        """A nested table column's ``[N]`` cell: an empty list the caller fills with N rows."""
        match = _COUNT_CELL_RE.fullmatch(token)
        if match is None:
            raise KTOFDecodeError(
                f"expected a row count '[N]' in a table column, found {token!r}", lineno
            )
        rows: list[Any] = []
        self.pending = (rows, parse_int(match.group(1), lineno), lineno)
        return rows


def _table_columns_problem(fields: Fields) -> str:
    """Why a header's nested table columns (§3.7) are malformed, or "": at most one per header,
    at its top level (not inside a field group), and no table column inside one."""
    tables = [sub for _, sub, kind, _ in fields if kind == TABLE]
    if len(tables) > 1:
        return "a header holds at most one table column 'name[]{...}'"
    groups = [sub for _, sub, kind, _ in fields if sub is not None and kind != TABLE]
    if any(_holds_table(sub) for sub in tables + groups if sub is not None):
        return "a table column 'name[]{...}' must be a top-level field of its header"
    return ""


def _holds_table(fields: Fields) -> bool:
    return any(
        kind == TABLE or (sub is not None and _holds_table(sub)) for _, sub, kind, _ in fields
    )


def _float_cell(token: str, lineno: int) -> Any:
    """A cell of a ``name(float)`` column: number tokens are floats (``2`` is 2.0, ``-0`` is
    -0.0); other tokens (null, strings, booleans) read as anywhere else."""
    if token[0] in "-0123456789" and is_number(token):
        number = float(token)
        if number - number != 0.0:
            raise KTOFDecodeError(f"number {token} is out of range for a float", lineno)
        return number
    return parse_primitive(token, lineno)


def _json_leaves(fields: Fields) -> list[int]:
    """The column kind of each leaf cell, in row order."""
    out: list[int] = []
    for _, sub, kind, _ in fields:
        if sub is None or kind == TABLE:
            out.append(kind)
        else:
            out.extend(_json_leaves(sub))
    return out


def _has_markers(fields: Fields) -> bool:
    return any(
        kind != PLAIN or optional or (sub is not None and _has_markers(sub))
        for _, sub, kind, optional in fields
    )


def _build(fields: Fields, cells: Any) -> dict[str, Any]:
    result: dict[str, Any] = {}
    for name, sub, _, _ in fields:
        result[name] = next(cells) if sub is None else _build(sub, cells)
    return result


def _build_marked(fields: Fields, cells: Any, lineno: int) -> Any:
    """Build an object from cells where ``_ABSENT`` marks an empty cell."""
    result: dict[str, Any] = {}
    for name, sub, kind, optional in fields:
        value = next(cells) if sub is None or kind == TABLE else _build_marked(sub, cells, lineno)
        if value is _ABSENT:
            if optional:
                continue
            value = ""  # TOON §9.1: an empty token is the empty string
        result[name] = value
    return result if result or not fields else _ABSENT


def decode(text: str | bytes | bytearray, *, strict: bool = True, indent: int = 2) -> Any:
    """Decode TOON 4.0 or KTOF text to a Python value.

    ``text`` is a ``str``, or UTF-8 ``bytes``/``bytearray`` (a leading UTF-8 byte order mark is
    skipped, as ``json.loads`` does). ``strict`` enforces counts, indentation and the other
    checks of TOON §14; ``indent`` is the number of spaces per level. Everything it rejects,
    bad UTF-8 and an ``indent`` below 1 included, raises :class:`KTOFDecodeError` (a
    ``ValueError``) with the line (0 when no line is to blame); an argument of the wrong type
    is a ``TypeError``.
    """
    if not isinstance(text, str):
        text = _text_of(text)
    if not isinstance(indent, int):  # the compiled build rejects it at the call already
        raise TypeError(f"decode() option indent must be an int, not {type(indent).__name__}")
    if indent < 1:
        raise KTOFDecodeError(f"option indent must be at least 1, not {indent!r}")
    if text[:2] == " {" or text.lstrip(" \t\r\n")[:1] == "[":
        value = _root_json(text, strict)
        if value is not _NOT_JSON:
            return value
        if strict:
            table = _FlatTable.of(text)
            if table is not None:
                rows = table.rows()
                if rows is not None:
                    return rows
    lines = _Lines(text, indent, strict)
    return _Decoder(lines, strict).document()


class _FlatTable:
    """Fast path for the engine's typical output: an unindented root table (docs/ktof.md
    §3.5) whose columns are all plain or ``(float)`` leaves, optional (``name?``) or not.

    The general decoder goes through the line pre-pass, a per-line depth check and, for a
    marked column, a cell-by-cell scan; here each row is one ``str.split`` (quoted rows:
    ``split_delimited``, the general splitter) and one typing dispatch per cell. It only ever
    answers for documents it reads exactly as the general decoder does (strict mode):
    anything unusual (a comment, blank or indented lines, a ``\r``, a row of the wrong
    width, a cell that does not type) makes :meth:`of` or :meth:`rows` return None and the
    general decoder runs, so values, errors and their line numbers stay the general
    decoder's. Field tuples are read by index, so fields that gain entries later still work
    (an unknown kind falls back).
    """

    __slots__ = ("delimiter", "kinds", "lines", "names", "optional", "width")

    def __init__(
        self,
        lines: list[str],
        names: list[str],
        kinds: list[int],
        delimiter: str,
        optional: list[bool] | None = None,
    ) -> None:
        self.lines = lines
        self.names = names
        self.kinds = kinds
        self.delimiter = delimiter
        self.width = len(names)
        self.optional = optional  # None: no optional column (the plain TOON reading)

    @staticmethod
    def of(text: str) -> _FlatTable | None:
        """The table ``text`` is, or None when it is anything else (or might be)."""
        if text[:1] != "[" or "\r" in text:
            return None
        lines = text.split("\n")
        if len(lines) > 1 and not lines[-1]:
            lines.pop()  # one final newline: a trailing blank line the pre-pass ignores
        try:
            header = _Decoder(_Lines("", 2, True), True).header(lines[0], 1)
        except KTOFDecodeError:
            return None  # the general decoder raises it (after any earlier-checked error)
        if (
            header is None
            or header.key is not None
            or not header.unindented
            or header.keyed
            or header.fields is None
            or header.length != len(lines) - 1
        ):
            return None
        names: list[str] = []
        kinds: list[int] = []
        optional: list[bool] = []
        for field in header.fields:
            kind = field[2]
            if field[1] is not None or (kind != PLAIN and kind != FLOAT):
                return None
            names.append(field[0])
            kinds.append(kind)
            optional.append(bool(field[3]))
        marks = optional if any(optional) else None
        return _FlatTable(lines, names, kinds, header.delimiter, marks)

    def tokens(self, index: int, trim: bool = True) -> list[str] | None:
        """The cell tokens of row ``index`` (line ``index + 1``), trimmed unless ``trim`` is
        false and the row has no quote, or None when the row is not a plain one: blank,
        indented, a comment, a quote left open, or of the wrong width."""
        line = self.lines[index]
        if not _plain_row(line):
            return None  # the general decoder decides what such a line means
        if '"' in line:
            # The general splitter (trims); an unterminated quote ends in the last token,
            # which then fails to type, so the general decoder reports it.
            tokens = split_delimited(line, self.delimiter, index + 1)
        else:
            tokens = line.split(self.delimiter)
            if trim and " " in line:
                tokens = [token.strip(" ") for token in tokens]
        return tokens if len(tokens) == self.width else None

    def rows(self) -> list[Any] | None:
        """Every row as an object, or None when some row needs the general decoder."""
        names = self.names
        kinds = self.kinds
        width = self.width
        optional = self.optional
        rows: list[Any] = []
        try:
            for index in range(1, len(self.lines)):
                tokens = self.tokens(index)
                if tokens is None:
                    return None
                lineno = index + 1
                row: dict[str, Any] = {}
                for j in range(width):
                    token = tokens[j]
                    if not token and optional is not None and optional[j]:
                        continue  # an empty optional cell: the key is absent
                    row[names[j]] = _cell(token, kinds[j], lineno)
                rows.append(row)
        except KTOFDecodeError:
            return None  # the general decoder raises it, with the same line
        return rows

    def matches(self, expected: Any) -> bool:
        """Whether the rows are type-exactly ``expected`` (same JSON text), checked token by
        token while reading, stopping at the first difference. False also means "not sure"
        (an unusual row or value): the caller then decodes and compares in full."""
        lines = self.lines
        if type(expected) is not list or len(expected) != len(lines) - 1:
            return False
        names = self.names
        kinds = self.kinds
        width = self.width
        optional = self.optional
        try:
            for index in range(1, len(lines)):
                row = expected[index - 1]
                if type(row) is not dict:
                    return False
                tokens = self.tokens(index, trim=False)  # _reads_as trims where it matters
                if tokens is None:
                    return False
                if optional is None:
                    if len(row) != width:
                        return False
                    j = -1
                    for key, value in row.items():
                        j += 1
                        if key != names[j] or not _reads_as(tokens[j], kinds[j], value, index + 1):
                            return False
                elif not self.matches_optional(tokens, row, index + 1):
                    return False
        except KTOFDecodeError:
            return False
        return True

    def matches_optional(self, tokens: list[str], row: dict[str, Any], lineno: int) -> bool:
        """:meth:`matches` for one row of a table with optional columns: an empty optional
        cell is a key ``row`` lacks; every other cell is ``row``'s next key, in order."""
        names = self.names
        kinds = self.kinds
        optional = self.optional
        assert optional is not None
        items = iter(row.items())
        found = 0
        for j in range(self.width):
            token = tokens[j]
            if optional[j] and not token.strip(" "):
                continue
            entry = next(items, None)
            if entry is None or entry[0] != names[j]:
                return False
            if not _reads_as(token, kinds[j], entry[1], lineno):
                return False
            found += 1
        return found == len(row)


def _plain_row(line: str) -> bool:
    """Whether a row line is one the fast path reads: not blank, indented or a comment."""
    return bool(line) and line[0] not in " \t#"


def _cell(token: str, kind: int, lineno: int) -> Any:
    """What a cell of a plain or ``(float)`` column reads as (``read``/``read_marked``)."""
    if not token:
        return ""  # TOON §9.1: an empty cell is the empty string
    if kind == FLOAT:
        return _float_cell(token, lineno)
    if token[0] in _PLAIN_START:
        return token
    return parse_primitive(token, lineno)


_PLAIN_START: Final = _PLAIN_STRING_START
_INT_FAST_LIMIT: Final = 10**18
"""Integers below this in magnitude are far below any int/str digit limit."""


def _reads_as(raw: str, kind: int, value: Any, lineno: int) -> bool:
    """Whether the untrimmed cell ``raw`` reads as exactly ``value`` (same type and JSON text).

    The common cases are decided on the text, each by a fact about the decoder: a token
    starting with a plain-string character reads as itself (trimmed of spaces, so it must
    not end with one); the decimal text of an int reads as that int in a plain column; the
    ``repr`` of a finite float is a JSON number containing ``.`` or ``e``, which reads back
    as that very float (``repr`` round-trips); a whole, non-zero float below 1e15 in a
    ``(float)`` column reads back from its integer text; ``true``/``false``/``null`` read as
    themselves. Anything else is trimmed, read with :func:`_cell` and compared with
    :func:`_same_leaf`.
    """
    kind_of_value = type(value)
    if kind_of_value is str:
        if raw == value and raw and raw[0] in _PLAIN_START and raw[-1] != " ":
            return True
    elif kind_of_value is int:
        integer: int = value
        if kind == PLAIN and -_INT_FAST_LIMIT < integer < _INT_FAST_LIMIT and raw == str(integer):
            return True
    elif kind_of_value is float:
        number: float = value
        if number - number == 0.0:  # finite: repr(inf) would read as a string
            if raw == repr(number):
                return True
            whole = kind == FLOAT and number != 0.0 and number.is_integer()
            if whole and abs(number) < 1e15 and raw == str(int(number)):
                return True
    elif kind_of_value is bool:
        return raw == ("true" if value else "false")
    elif value is None:
        return raw == "null"
    return _same_leaf(_cell(raw.strip(" "), kind, lineno), value)


def _same_leaf(cell: Any, value: Any) -> bool:
    """Whether two JSON leaves write the same JSON text: same exact type and value, and for
    floats the same sign (``0.0 == -0.0``); NaN never matches (the caller then decides)."""
    kind = type(cell)
    if kind is not type(value) or cell != value:
        return False
    if kind is float:
        return math.copysign(1.0, cell) == math.copysign(1.0, value)
    return kind is str or kind is int or kind is bool or cell is None


def decodes_to(text: str, expected: Any) -> bool:
    """Whether strict :func:`decode` of ``text`` is certainly type-exactly ``expected``.

    True only for a flat root table (:class:`_FlatTable`) whose every cell matched; False
    means "not certain": the caller decodes and compares in full, so a False here never
    rejects anything by itself.
    """
    if text[:1] != "[":
        return False
    table = _FlatTable.of(text)
    return table is not None and table.matches(expected)


def _text_of(data: Any) -> str:
    """``bytes``/``bytearray`` as UTF-8 text; invalid UTF-8 is a KTOFDecodeError with its line."""
    if not isinstance(data, (bytes, bytearray)):
        raise TypeError(f"decode() needs str or UTF-8 bytes, not {type(data).__name__}")
    raw = bytes(data)
    start = 3 if raw[:3] == b"\xef\xbb\xbf" else 0
    try:
        return raw[start:].decode("utf-8")
    except UnicodeDecodeError as exc:
        where = start + exc.start
        line = raw.count(b"\n", 0, where) + 1
        raise KTOFDecodeError(f"invalid UTF-8 at byte {where}: {exc.reason}", line) from None


def _root_json(text: str, strict: bool) -> Any:
    """KTOF root JSON (docs/ktof.md, "Root JSON"): a JSON array, or one space and a JSON object.

    Neither is TOON: a line opening with ``[`` that is not an array header is malformed, and a
    first line indented by one space breaks TOON's indentation rule.
    """
    is_object = text[:2] == " {"
    start = len(text) - len(text.lstrip(" \t\r\n"))
    try:
        value, end = parse_json(text, start, strict, 1)
    except KTOFDecodeError:
        raise
    except json.JSONDecodeError as exc:
        if is_object and strict:
            raise KTOFDecodeError(f"invalid JSON object: {exc.msg}", exc.lineno) from None
        return _NOT_JSON
    except ValueError as exc:  # well-formed JSON that breaks a KTOF rule (duplicate key, ...)
        raise KTOFDecodeError(str(exc), 1) from None
    if text[end:].strip(" \t\r\n") or type(value) is not (dict if is_object else list):
        if is_object and strict:
            raise KTOFDecodeError("a document starting with ' {' must be one JSON object", 1)
        return _NOT_JSON
    return value


__all__ = ["MAX_DEPTH", "decode", "decodes_to"]
