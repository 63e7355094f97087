"""The TOON 4.0 writer (``mode="toon"``): canonical output, byte-for-byte as the spec's fixtures.

Input is already in the JSON data model (see ``_normalize``). Lines are collected in a list and
joined once.
"""

from __future__ import annotations

from typing import Any

from ._lexical import encode_key, encode_string, toon_number
from ._normalize import MAX_DEPTH

Fields = list[tuple[str, "Fields | None"]]


class NotJSON(Exception):
    """Raised by the writer's fast path at a value that needs ``_normalize`` first."""


class TooDeep(NotJSON):
    """The text would nest deeper than the decoder accepts (``MAX_DEPTH``)."""


def table_fields(
    objects: list[Any] | Any, same_order: bool = False, depth: int = 0
) -> Fields | None:
    """§9.3 column classification: the header's field tree if ``objects`` are tabular, else None.

    ``same_order`` additionally requires every object to list its keys in the first one's order
    (KTOF auto mode uses it so that decoding restores key order exactly).
    """
    if depth >= MAX_DEPTH:
        raise TooDeep  # a cycle or absurd nesting: the normalizer reports it (no C stack overflow)
    first = objects[0]
    if type(first) is not dict or not first:
        return None
    keys = first.keys()
    if same_order:
        order = list(keys)
        for obj in objects:
            if type(obj) is not dict or len(obj) != len(order) or list(obj) != order:
                return None
    else:
        for obj in objects:
            if type(obj) is not dict or obj.keys() != keys:
                return None
    fields: Fields = []
    for key, sample in first.items():
        if type(sample) is dict:
            sub = table_fields([obj[key] for obj in objects], same_order, depth + 1)
            if sub is None:
                return None
            fields.append((key, sub))
            continue
        for obj in objects:
            kind = type(obj[key])
            if kind is dict or kind is list:
                return None
        fields.append((key, None))
    return fields


def keyed_fields(obj: dict[str, Any], same_order: bool = False) -> Fields | None:
    """§9.5: the field tree when ``obj`` (2+ entries of uniform objects) is keyed-tabular."""
    if len(obj) < 2:
        return None
    return table_fields(list(obj.values()), same_order)


def header_fields(fields: Fields, delimiter: str) -> str:
    parts = []
    for name, sub in fields:
        text = encode_key(name)
        if sub is not None:
            text += header_fields(sub, delimiter)
        parts.append(text)
    return "{" + delimiter.join(parts) + "}"


def leaf_values(obj: dict[str, Any], fields: Fields, out: list[Any]) -> None:
    for name, sub in fields:
        if sub is None:
            out.append(obj[name])
        else:
            leaf_values(obj[name], sub, out)


def bracket(length: int, delimiter: str, keyed: bool = False) -> str:
    marker = ":" if keyed else ""
    symbol = "" if delimiter == "," else delimiter
    return f"[{length}{marker}{symbol}]"


class ToonWriter:
    """Canonical TOON 4.0 emission with a document delimiter and indent size."""

    __slots__ = ("delimiter", "indent", "keys", "lines", "pad", "strings")

    def __init__(self, indent: int = 2, delimiter: str = ",") -> None:
        self.indent = indent
        self.delimiter = delimiter
        self.lines: list[str] = []
        self.keys: dict[str, str] = {}
        self.strings: dict[str, dict[str, str]] = {",": {}, "\t": {}, "|": {}}
        self.pad = [" " * (indent * depth) for depth in range(64)]

    def indentation(self, depth: int) -> str:
        pad = self.pad
        while depth >= len(pad):
            pad.append(" " * (self.indent * len(pad)))
        return pad[depth]

    def primitive(self, value: Any, delimiter: str) -> str:
        kind = type(value)
        if kind is str:
            memo = self.strings[delimiter]
            text = memo.get(value)
            if text is None:
                text = memo[value] = encode_string(value, delimiter)
            return text
        if value is True:
            return "true"
        if value is False:
            return "false"
        if value is None:
            return "null"
        if kind is int or (kind is float and value - value == 0.0):
            return toon_number(value)
        raise NotJSON  # a type the normalizer must see first (subclass, tuple, NaN, ...)

    def key(self, key: str) -> str:
        text = self.keys.get(key)
        if text is None:
            if type(key) is not str:
                raise NotJSON
            text = self.keys[key] = encode_key(key)
        return text

    def row(self, values: list[Any], delimiter: str) -> str:
        primitive = self.primitive
        return delimiter.join([primitive(value, delimiter) for value in values])

    # ------------------------------------------------------------------ document
    def document(self, value: Any) -> str:
        kind = type(value)
        if kind is dict:
            if value:
                fields = keyed_fields(value)
                if fields is not None:
                    self.keyed(None, value, fields, 0, "")
                else:
                    self.fields(value, 0)
        elif kind is list:
            if value:
                self.array(None, value, 0, "")
            else:
                self.lines.append("[]")
        else:
            self.lines.append(self.primitive(value, self.delimiter))
        return "\n".join(self.lines)

    def fields(self, obj: dict[str, Any], depth: int) -> None:
        if depth >= MAX_DEPTH:
            raise TooDeep
        for key, value in obj.items():
            self.field(self.key(key), value, depth, self.indentation(depth))

    def field(self, key: str, value: Any, depth: int, lead: str) -> None:
        """Emit ``key`` and its value; ``lead`` is the line's start (indent, maybe ``- ``).

        Nested content goes at depth+1, so a list item's first field passes depth = item+1.
        """
        kind = type(value)
        if kind is dict:
            if not value:
                self.lines.append(f"{lead}{key}:")
                return
            fields = keyed_fields(value)
            if fields is not None:
                self.keyed(key, value, fields, depth, lead)
                return
            self.lines.append(f"{lead}{key}:")
            self.fields(value, depth + 1)
        elif kind is list:
            if value:
                self.array(key, value, depth, lead)
            else:
                self.lines.append(f"{lead}{key}: []")
        else:
            self.lines.append(f"{lead}{key}: {self.primitive(value, self.delimiter)}")

    def keyed(
        self, key: str | None, obj: dict[str, Any], fields: Fields, depth: int, lead: str
    ) -> None:
        delimiter = self.delimiter
        head = f"{lead}{key or ''}{bracket(len(obj), delimiter, True)}"
        self.lines.append(f"{head}{header_fields(fields, delimiter)}:")
        pad = self.indentation(depth + 1)
        for entry_key, entry in obj.items():
            cells: list[Any] = []
            leaf_values(entry, fields, cells)
            self.lines.append(f"{pad}{self.key(entry_key)}: {self.row(cells, delimiter)}")

    def array(self, key: str | None, items: list[Any], depth: int, lead: str) -> None:
        delimiter = self.delimiter
        name = key or ""
        count = len(items)
        if all(type(item) is not dict and type(item) is not list for item in items):
            self.lines.append(
                f"{lead}{name}{bracket(count, delimiter)}: {self.row(items, delimiter)}"
            )
            return
        fields = table_fields(items)  # called keyless only for the root, where tables are allowed
        if fields is not None:
            self.table(name, items, fields, depth, lead)
            return
        self.lines.append(f"{lead}{name}{bracket(count, delimiter)}:")
        self.items(items, depth + 1)

    def table(self, name: str, items: list[Any], fields: Fields, depth: int, lead: str) -> None:
        delimiter = self.delimiter
        head = f"{lead}{name}{bracket(len(items), delimiter)}"
        self.lines.append(f"{head}{header_fields(fields, delimiter)}:")
        pad = self.indentation(depth + 1)
        flat = all(sub is None for _, sub in fields)
        names = [field for field, _ in fields]
        row = self.row
        for item in items:
            if flat:
                cells = [item[field] for field in names]
            else:
                cells = []
                leaf_values(item, fields, cells)
            self.lines.append(pad + row(cells, delimiter))

    def items(self, items: list[Any], depth: int) -> None:
        if depth >= MAX_DEPTH:
            raise TooDeep
        """§9.4 / §10: expanded list items at ``depth``."""
        pad = self.indentation(depth)
        delimiter = self.delimiter
        for item in items:
            kind = type(item)
            if kind is dict:
                if not item:
                    self.lines.append(f"{pad}-")
                    continue
                first = True
                for key, value in item.items():
                    if first:
                        self.field(self.key(key), value, depth + 1, f"{pad}- ")
                        first = False
                    else:
                        self.field(self.key(key), value, depth + 1, self.indentation(depth + 1))
            elif kind is list:
                if not item:
                    self.lines.append(f"{pad}- {bracket(0, delimiter)}:")
                elif all(type(x) is not dict and type(x) is not list for x in item):
                    self.lines.append(
                        f"{pad}- {bracket(len(item), delimiter)}: {self.row(item, delimiter)}"
                    )
                else:
                    self.lines.append(f"{pad}- {bracket(len(item), delimiter)}:")
                    self.items(item, depth + 1)
            else:
                self.lines.append(f"{pad}- {self.primitive(item, delimiter)}")
