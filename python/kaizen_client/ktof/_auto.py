"""KTOF auto mode: per subtree, the rendering with the fewest tokens that decodes exactly.

Every container is rendered in each form that can carry it (TOON block, TOON/KTOF table, keyed
table, inline compact JSON) and the cheapest wins. Costs are exact: a document's token count is the
sum of its lines' counts (tokenizer pre-tokens never span a newline), so each distinct line is
counted once and memoized. A final check against compact JSON makes "never more tokens than
JSON" hold by construction.
"""

from __future__ import annotations

import heapq
import json
import math
import re
from collections.abc import Callable
from typing import Any

from ..tokens import (
    boundary_at,
    certain_boundary,
    count_tokens,
    count_tokens_upto,
    last_certain_boundary,
    pretoken_floor,
    pretoken_floors,
    space_head,
)
from ._lexical import LITERALS, UNQUOTED_KEY_RE, int_text, is_number

_dumps = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"), allow_nan=False).encode
_dumps_document = json.JSONEncoder(
    ensure_ascii=False, separators=(",", ":"), allow_nan=False, check_circular=False
).encode
"""``_dumps`` for a whole document, which the encoder has normalized (``_normalize`` refuses
nesting deeper than ``MAX_DEPTH``, so no cycle gets here): without the C encoder's per-container
cycle bookkeeping, about a fifth of its time."""
_CONTROL_RE = re.compile(r"[\x00-\x1f\x7f]")
_NUMBER_START = frozenset("-0123456789")
_RISKY_FIRST = frozenset(' "')

# A table field: (name, subfields, column kind, optional); kinds as in the decoder:
# PLAIN cells are TOON values, JSON cells (``name[]``) compact JSON, FLOAT cells
# (``name(float)``) numbers that are all floats, so whole ones are written without ``.0``;
# TABLE cells (``name[]{...}``, subfields = the sub-table's fields) are ``[N]`` followed by N
# sub-rows one level below the row (docs/ktof.md §3.7).
KField = tuple[str, "list[KField] | None", int, bool]
PLAIN = 0
JSON = 1
FLOAT = 2
TABLE = 3
WHOLE_FLOAT_LIMIT = 1e16
"""Whole floats below this magnitude are written as their integer digits in a float column
(above it Python's repr, e.g. ``1e+16``, is the shorter text)."""


def jstr(text: str) -> str:
    """A quoted KTOF string is a JSON string literal (so quoting never costs more than JSON)."""
    return _dumps(text)


def _needs_quotes_base(text: str) -> bool:
    """Quoting every position needs: what the decoder would otherwise trim, type or split."""
    if not text:
        return True
    if text[0] in _RISKY_FIRST or text[-1] == " ":
        return True
    if text in LITERALS or text == "[]":
        return True
    if text[0] in _NUMBER_START and is_number(text):
        return True
    return _has_control(text)


def _has_control(text: str) -> bool:
    """Whether ``text`` holds a C0 control or DEL (``isprintable`` rules most text out in C)."""
    return not text.isprintable() and _CONTROL_RE.search(text) is not None


def field_value(text: str) -> str:
    """A string after ``key: ``: the whole rest of the line is the value (TOON §7.4)."""
    return jstr(text) if _needs_quotes_base(text) else text


def item_value(text: str) -> str:
    """A string after ``- `` (a colon or a leading ``[`` would make it an object or array)."""
    if _needs_quotes_base(text) or ":" in text or "[" in text:
        return jstr(text)
    return text


def root_value(text: str) -> str:
    if _needs_quotes_base(text) or ":" in text or "[" in text or text[0] in "{#":
        return jstr(text)
    return text


def cell_value(text: str, delimiter: str, first: bool, plain: bool) -> str:
    """A string in an inline array or table row, split on ``delimiter``.

    A row's first cell must not make the line a comment (``#``) and, in a plain TOON table,
    must not put a colon before the first delimiter (TOON §9.3 would end the rows there).
    """
    if _needs_quotes_base(text) or delimiter in text or '"' in text:
        return jstr(text)
    if first and (text[0] == "#" or (plain and (":" in text or text.startswith("- ")))):
        return jstr(text)
    return text


def field_key(key: str) -> str:
    """A key before ``: ``; the decoder takes everything before the first unquoted colon."""
    if UNQUOTED_KEY_RE.fullmatch(key) is not None:
        return key
    if (
        not key
        or key[0] in ' "#'
        or key[-1] == " "
        or ":" in key
        or '"' in key
        or "[" in key
        or _has_control(key)
    ):
        return jstr(key)
    return key


def header_key(key: str) -> str:
    """A key before ``[`` (headers follow TOON's stricter key grammar)."""
    return key if UNQUOTED_KEY_RE.fullmatch(key) is not None else jstr(key)


_FLOW_KEY_QUOTE_RE = re.compile(r'[,:\[\]{}"\\\x00-\x1f\x7f]')
_FLOW_QUOTE_RE = re.compile(r'[,\[\]{}"\\\x00-\x1f\x7f]')


def flow_key(key: str) -> str:
    """A key inside a flow value (docs/ktof.md §3.2): bare unless the parser would misread it."""
    if not key or key[0] == " " or key[-1] == " " or _FLOW_KEY_QUOTE_RE.search(key) is not None:
        return jstr(key)
    return key


def flow_string(text: str) -> str:
    """A string inside a flow value: bare unless it would read as punctuation, a literal or a
    number, or lose a space at either end (a colon is fine: the key ended at the first one)."""
    if not text or text[0] == " " or text[-1] == " " or _FLOW_QUOTE_RE.search(text) is not None:
        return jstr(text)
    if text in LITERALS or (text[0] in _NUMBER_START and is_number(text)):
        return jstr(text)
    return text


def flow(value: Any) -> str:
    """A container as a KTOF flow value: JSON with bare keys and strings where unambiguous
    (``{lib:[es2023],strict:true}``); scalars as in JSON."""
    kind = type(value)
    if kind is dict:
        return "{" + ",".join([flow_key(k) + ":" + flow(v) for k, v in value.items()]) + "}"
    if kind is list:
        return "[" + ",".join([flow(v) for v in value]) + "]"
    if kind is str:
        return flow_string(value)
    return flow_scalar(value)


def flow_scalar(value: Any) -> str:
    """A number or literal inside a flow value: its JSON text (without the JSON encoder's
    per-call cost, which dominated flows of number-heavy subtrees)."""
    if value is True:
        return "true"
    if value is False:
        return "false"
    if value is None:
        return "null"
    return number_text(value)


def number_text(value: int | float) -> str:
    """Numbers keep their Python type: ints as digits, floats always with ``.`` or ``e``."""
    if type(value) is int:
        return int_text(value)
    text = repr(value)
    if "e" in text:
        mantissa, _, exponent = text.partition("e")
        sign = "-" if exponent[0] == "-" else ""
        text = f"{mantissa}e{sign}{exponent.lstrip('+-').lstrip('0') or '0'}"
    return text


class _Table:
    """A candidate table layout for a list of objects (or the values of a keyed object)."""

    __slots__ = ("fields", "plain", "sparseness", "table", "table_cell")

    def __init__(
        self, fields: list[KField], plain: bool, sparseness: float = 0.0, table: int = -1
    ) -> None:
        self.fields = fields
        self.plain = plain  # no KTOF markers: the header is pure TOON
        self.sparseness = sparseness  # share of top-level cells that are empty (absent keys)
        self.table = table  # index of the nested table column (§3.7), or -1
        self.table_cell = _leaf_count(fields[:table]) if table >= 0 else -1  # its cell's index

    def with_json_column(self) -> _Table | None:
        """The same plan with its nested table column written as a JSON column instead, or
        None when it has none: the two are costed against each other."""
        if self.table < 0:
            return None
        fields = list(self.fields)
        name, _, _, optional = fields[self.table]
        fields[self.table] = (name, None, JSON, optional)
        return _Table(fields, False, self.sparseness)


def plan_table(
    objects: list[Any],
    allow_markers: bool,
    first_optional: bool = False,
    nested: bool = False,
    sub_first_optional: bool = False,
) -> _Table | None:
    """Choose columns for ``objects`` (all non-empty dicts) keeping each object's key order.

    Returns None when no table can carry them exactly: not all non-empty dicts, or key orders
    that no single header order can respect. ``first_optional`` allows an optional first
    column (a row may then start with the delimiter); callers pass False where a row starting
    with the delimiter would start with a tab, which the line reader takes for indentation.
    ``nested`` allows one column of lists of objects to become a nested table column (§3.7);
    ``sub_first_optional`` is ``first_optional`` for its sub-rows, which start their line after
    the indentation even in a keyed table (so never with a tab delimiter).
    """
    for obj in objects:
        if type(obj) is not dict or not obj:
            return None
    order = _column_order(objects)
    if order is None:
        return None
    if len(order) > 4 * min(len(obj) for obj in objects) + 8:
        return None  # so sparse that a table would be mostly empty cells
    count = len(objects)
    if not first_optional and any(order[0] not in obj for obj in objects):
        return None  # an absent first cell would start the row with a (tab) delimiter
    fields: list[KField] = []
    plain = True
    table = -1
    for key in order:
        present = [obj[key] for obj in objects if key in obj]
        optional = len(present) != count
        if optional and not allow_markers:
            return None
        kinds = {type(value) for value in present}
        if dict not in kinds and list not in kinds:
            kind = PLAIN
            if allow_markers and float in kinds and int not in kinds and _has_whole(present):
                kind = FLOAT
            fields.append((key, None, kind, optional))
            plain = plain and not optional and kind == PLAIN
            continue
        if kinds == {dict} and not optional:
            sub = plan_table(present, allow_markers=False)
            if sub is not None and _same_order(present):
                fields.append((key, sub.fields, PLAIN, False))
                continue
        if not allow_markers:
            return None
        if nested and table < 0 and kinds == {list}:
            sub = _sub_table(present, sub_first_optional)
            if sub is not None:
                table = len(fields)
                fields.append((key, sub.fields, TABLE, optional))
                plain = False
                continue
        fields.append((key, None, JSON, optional))
        plain = False
    present_cells = sum(len(obj) for obj in objects)
    sparseness = 1.0 - present_cells / (len(order) * count)
    return _Table(fields, plain, sparseness, table)


def _leaf_count(fields: list[KField]) -> int:
    """How many cells ``fields`` write per row (a field group writes one per leaf)."""
    return sum(
        1 if sub is None or kind == TABLE else _leaf_count(sub) for _, sub, kind, _ in fields
    )


def _sub_table(lists: list[list[Any]], first_optional: bool) -> _Table | None:
    """One table for the objects of every list in a column (a nested table column's rows), or
    None: each list must hold only non-empty objects, and at least one object in all."""
    rows = [item for items in lists for item in items]
    if not rows:
        return None
    return plan_table(rows, allow_markers=True, first_optional=first_optional)


def _has_whole(values: list[Any]) -> bool:
    """Whether a float column pays: at least two whole floats (``2.0``), each two tokens
    cheaper as ``2``, against the marker's cost once in the header."""
    whole = 0
    for value in values:
        if type(value) is float and value.is_integer() and abs(value) < WHOLE_FLOAT_LIMIT:
            whole += 1
            if whole >= 2:
                return True
    return False


def float_cell(value: float) -> str:
    """A float in a float column: whole values as digits (``2``, ``-0``), others as usual."""
    if value.is_integer() and abs(value) < WHOLE_FLOAT_LIMIT:
        if value == 0.0 and math.copysign(1.0, value) < 0.0:
            return "-0"
        return str(int(value))
    return number_text(value)


def _column_order(objects: list[dict[str, Any]]) -> list[str] | None:
    """One header order in which every object's keys appear in its own order, or None.

    A topological sort of "key a comes before key b" from every object, ties broken by first
    appearance, so a table of same-shaped objects keeps their order exactly.
    """
    first = list(objects[0])
    if all(len(obj) == len(first) and list(obj) == first for obj in objects):
        return first
    seen: dict[str, int] = {}
    after: dict[str, set[str]] = {}
    indegree: dict[str, int] = {}
    for obj in objects:
        previous: str | None = None
        for key in obj:
            if key not in seen:
                seen[key] = len(seen)
                after[key] = set()
                indegree[key] = 0
            if previous is not None and key not in after[previous]:
                after[previous].add(key)
                indegree[key] += 1
            previous = key
    ready = [(seen[key], key) for key, degree in indegree.items() if degree == 0]
    heapq.heapify(ready)
    order: list[str] = []
    while ready:
        _, key = heapq.heappop(ready)
        order.append(key)
        for nxt in after[key]:
            indegree[nxt] -= 1
            if indegree[nxt] == 0:
                heapq.heappush(ready, (seen[nxt], nxt))
    return order if len(order) == len(seen) else None


def _same_order(objects: list[dict[str, Any]]) -> bool:
    first = list(objects[0])
    return all(list(obj) == first for obj in objects)


Rendering = tuple[list[str], int]
"""Lines of one alternative and their exact token cost (each line counted with its newline)."""

Parts = tuple[str, list[str], list[str] | None]
"""A table before layout: header, rows, and rows for the unindented layout (None: not
considered); see :meth:`AutoWriter.table_layout`."""

JSON_ALTERNATIVE_MAX = 16384
"""Objects and tables longer than this as JSON are not also costed as inline JSON: at that size
the structured forms win, and counting every large subtree again would make encoding quadratic
in the nesting depth."""

SPARSE_TABLE = 0.25
"""A table with more than this share of empty (absent) cells is also costed as a list."""


class AutoWriter:
    """Renders one document; costs are exact token counts, memoized per distinct line."""

    __slots__ = (
        "cells",
        "delimiter",
        "field_texts",
        "float_texts",
        "floor_reached",
        "flow_keys",
        "flow_starts",
        "flow_strings",
        "flows",
        "indent",
        "item_texts",
        "key_starts",
        "key_texts",
        "memo",
        "model",
        "pad",
        "pad_growths",
        "root_table",
        "row_heads",
        "space_deltas",
    )

    def __init__(self, model: str, indent: int, delimiter: str) -> None:
        self.model = model
        self.indent = indent
        self.delimiter = delimiter
        self.memo: dict[str, int] = {}
        self.space_deltas: dict[str, int] = {}  # tokens a leading space adds, per row head
        self.row_heads: dict[str, str | None] = {}  # a row's first cell -> its head (row_head)
        self.pad_growths: dict[tuple[int, int], int] = {}  # (spaces, extra) -> tokens added
        self.flows: dict[int, str] = {}  # id(container) -> its flow text (the tree outlives us)
        self.flow_strings: dict[str, str] = {}  # a string value -> its text in a flow
        # id(container) -> pre-token starts found inside its flow text (see inline_within)
        self.flow_starts: dict[int, int] = {}
        self.floor_reached = 0  # the floor count_within last ruled a text out with
        self.root_table: _Table | None = None  # the plan of a root written as a table
        self.key_starts: dict[str, int] = {}  # pre-token starts of `"key":` in JSON
        self.cells: dict[str, str] = {}  # a string value -> its text as a cell (not a row's first)
        self.flow_keys: dict[str, str] = {}  # a key -> its text in a flow, with the colon
        # Written forms of recurring keys, strings and floats (see key(), number()).
        self.key_texts: dict[str, str] = {}
        self.field_texts: dict[str, str] = {}
        self.item_texts: dict[str, str] = {}
        self.float_texts: dict[float, str] = {}
        self.pad = [" " * (indent * depth) for depth in range(32)]

    def indentation(self, depth: int) -> str:
        pad = self.pad
        while depth >= len(pad):
            pad.append(" " * (self.indent * len(pad)))
        return pad[depth]

    def line(self, text: str) -> Rendering:
        """A one-line rendering; the count of a line is memoized (lines recur across forms)."""
        n = self.memo.get(text)
        if n is None:
            n = self.memo[text] = count_tokens(text + "\n", self.model)
        return [text], n

    def line_within(self, text: str, limit: int, read_all: bool = False) -> Rendering | None:
        """:meth:`line` if its cost is at most ``limit``, else None.

        For a candidate that only matters when it beats the best so far: the tokenizer stops
        once the count passes ``limit``, so a losing candidate costs only the part of it that
        was read. Exact counts are memoized as in :meth:`line`; "over the limit" is not.
        """
        n = self.memo.get(text)
        if n is None:
            if len(text) >= FLOOR_LINE_MIN:  # a large inline flow: worth the floor check
                counted = self.count_within(text + "\n", limit, read_all)
            else:
                counted = count_tokens_upto(text + "\n", limit, self.model)
            if counted is None:
                return None
            n = self.memo[text] = counted
        return ([text], n) if n <= limit else None

    def inline_within(
        self, head: str, value: Any, flow_text: str, limit: int, root_field: bool
    ) -> Rendering | None:
        """:meth:`line_within` of the inline candidate ``head + flow_text`` for ``value``.

        Where the pre-token floor rules a long one out, the starts it found inside
        ``flow_text`` (at least the floor reached less the head's floor) are kept in
        :attr:`flow_starts`: the root's JSON check then counts them instead of reading that
        part of the root's flow text again (:meth:`root_flow_exceeds`). A root field's floor
        is read to the end for that.
        """
        self.floor_reached = 0
        inline = self.line_within(head + flow_text, limit, read_all=root_field)
        if inline is None and self.floor_reached:
            self.flow_starts[id(value)] = self.floor_reached - pretoken_floor(head)
        return inline

    def count_within(self, text: str, limit: int, read_all: bool = False) -> int | None:
        """``count_tokens_upto(text, limit)``, answering None without tokenizing when
        :func:`~kaizen_client.tokens.pretoken_floor` (a sound lower bound, about a third of a
        count's time) already exceeds ``limit``. For the root JSON form, which loses to the
        KTOF text by more than the floor's slack on most structured data, and for inline
        candidates of :data:`FLOOR_LINE_MIN` characters or more; shorter inline candidates
        mostly win or lose by less than the slack (measured: the check cost more than it
        saved on them). Where the floor's first chunk says it would not decide, the rest is not
        read; a long text is then counted in halves (:meth:`count_halves_within`)."""
        verdict, floor = _floor_verdict(text, limit, read_all)
        if verdict == FLOOR_EXCEEDS:
            self.floor_reached = floor
            return None
        if verdict == FLOOR_SKIPPED and len(text) > 4 * FLOOR_SAMPLE:
            return self.count_halves_within(text, limit)
        return count_tokens_upto(text, limit, self.model)

    def count_halves_within(self, text: str, limit: int) -> int | None:
        """``count_tokens_upto(text, limit)`` for a long text whose floor as a whole is too
        loose to decide (prose-heavy JSON): split at a certain pre-token boundary near the
        middle, where counts add up exactly, the first half is counted only up to what the
        second half's floor leaves of ``limit``. A text that loses is then read about half
        way instead of up to ``limit`` (about 85% of it for the root JSON of github_api)."""
        model = self.model
        cut = certain_boundary(text, len(text) // 2)
        if cut < 0:
            return count_tokens_upto(text, limit, model)
        tail = text[cut:]
        head_cost = count_tokens_upto(text[:cut], limit - pretoken_floor(tail), model)
        if head_cost is None:
            return None
        tail_cost = count_tokens_upto(tail, limit - head_cost, model)
        return None if tail_cost is None else head_cost + tail_cost

    def lines_cost_within(self, lines: list[str], limit: int) -> int | None:
        """:meth:`lines_cost` if it is at most ``limit``, else None (counting stops there)."""
        return count_tokens_upto("\n".join(lines) + "\n", limit, self.model)

    def lines_cost(self, lines: list[str]) -> int:
        """One tokenizer call for many lines that will not recur (table rows)."""
        return count_tokens("\n".join(lines) + "\n", self.model)

    def flow(self, value: Any) -> str:
        """:func:`flow`, memoized per container: every level of a nested value offers its flow
        text, so without the memo deep documents would rebuild their subtrees once per level."""
        kind = type(value)
        # Scalars are written here rather than through scalar_text(): flows hold most of a
        # document's scalars, and the two calls that saves measured a few percent of nested
        # documents' encode time.
        if kind is str:  # strings recur across a document: each is quoted-or-not once
            text = self.flow_strings.get(value)
            if text is None:
                text = self.flow_strings[value] = flow_string(value)
            return text
        if kind is not dict and kind is not list:
            return flow_scalar(value)
        key = id(value)
        text = self.flows.get(key)
        if text is None:
            if kind is dict:
                parts = [self.flow_head(k) + self.flow(v) for k, v in value.items()]
                text = "{" + ",".join(parts) + "}"
            else:
                text = "[" + ",".join([self.flow(v) for v in value]) + "]"
            self.flows[key] = text
        return text

    def flow_head(self, key: str) -> str:
        """``key:`` inside a flow (:func:`flow_key`), memoized: keys recur in every object."""
        head = self.flow_keys.get(key)
        if head is None:
            head = self.flow_keys[key] = flow_key(key) + ":"
        return head

    # ------------------------------------------------------------------ scalars
    def scalar(self, value: Any, quote: Callable[[str], str]) -> str:
        kind = type(value)
        if kind is str:
            return quote(value)
        return self.literal(value)

    def literal(self, value: Any) -> str:
        """A non-string scalar, written as in a flow (:func:`flow_scalar`), floats memoized
        (:meth:`number`)."""
        if type(value) is float:
            return self.number(value)
        return flow_scalar(value)

    def number(self, value: int | float) -> str:
        """:func:`number_text`, floats memoized (``repr`` is the slow part; the same values
        recur across the forms of a subtree). Zeros are not: ``-0.0 == 0.0`` as dict keys."""
        if type(value) is not float:
            return number_text(value)
        text = self.float_texts.get(value)
        if text is None:
            text = number_text(value)
            if value:
                self.float_texts[value] = text
        return text

    def key(self, key: str) -> str:
        """:func:`field_key`, memoized per writer (keys recur in every item and form)."""
        text = self.key_texts.get(key)
        if text is None:
            text = self.key_texts[key] = field_key(key)
        return text

    def field_text(self, value: Any) -> str:
        """A scalar after ``key:`` (:func:`field_value` for strings)."""
        return self.scalar_text(value, self.field_texts, field_value)

    def item_text(self, value: Any) -> str:
        """A scalar after ``- `` (:func:`item_value` for strings)."""
        return self.scalar_text(value, self.item_texts, item_value)

    def scalar_text(self, value: Any, memo: dict[str, str], write: Callable[[str], str]) -> str:
        """A scalar, strings written by ``write`` and memoized in ``memo`` (they recur across
        items and forms); numbers and literals as :meth:`literal`."""
        if type(value) is not str:
            return self.literal(value)
        text = memo.get(value)
        if text is None:
            text = memo[value] = write(value)
        return text

    def cell(self, value: Any, delimiter: str, first: bool = False, plain: bool = True) -> str:
        if type(value) is str:
            if first or delimiter is not self.delimiter:
                return cell_value(value, delimiter, first, plain)
            # Column values recur (status words, units, hosts): each is quoted-or-not once.
            # (Not through scalar_text(): its writer would be a bound method made per cell.)
            text = self.cells.get(value)
            if text is None:
                text = self.cells[value] = cell_value(value, delimiter, False, plain)
            return text
        return self.literal(value)

    # ------------------------------------------------------------------ document
    def document(self, value: Any, compare_json: bool = True) -> tuple[str, int | None]:
        """The text and its exact token count (None where it was not needed to choose).

        ``compare_json=False`` skips the final comparison with the root JSON form: for callers
        that gate against a known budget anyway (the engine), it saves counting the whole value
        as JSON once more.
        """
        kind = type(value)
        if kind is dict:
            if not value:
                return "", 0
            lines, cost = self.best_object_root(value)
        elif kind is list:
            if not value:
                return "[]", None
            if compare_json and _mixed(value):
                return self.mixed_root(value)
            lines, cost = self.best_array(None, value, 0, "")
        else:
            return self.scalar(value, root_value), None
        text = "\n".join(lines)
        cost = self.exact_cost(lines, text, cost)
        if compare_json:
            # The JSON text's pre-token floor is at least its flow text's (quotes and a
            # float's "+" only add pre-token starts), and the flow is a join of texts already
            # built: where its floor rules JSON out, the JSON is never written out.
            if kind is dict and self.flows_ready(value) and self.root_flow_exceeds(value, cost - 1):
                return text, cost
            if self.root_table is not None and self.table_floor_exceeds(value, lines, cost - 1):
                return text, cost
            # The root JSON form wins only with fewer tokens than ``cost`` (ties keep the
            # TOON-compatible text), so it is counted only up to ``cost - 1``: a JSON text that
            # loses stops the tokenizer there instead of being read to its end.
            json_text = _dumps_document(value)
            if kind is list:
                json_cost = self.count_within(json_text, cost - 1)
                if json_cost is not None:
                    return json_text, json_cost
            else:
                delta = marked_object_delta(json_text, self.model)
                if delta is None:  # the opening run meets non-ASCII: count the form whole
                    root_cost = self.count_within(" " + json_text, cost - 1)
                else:
                    json_cost = self.count_within(json_text, cost - 1 - delta)
                    root_cost = None if json_cost is None else json_cost + delta
                if root_cost is not None:
                    return " " + json_text, root_cost
        return text, cost

    def table_floor_exceeds(self, value: Any, lines: list[str], limit: int) -> bool:
        """Whether the JSON text of a root written as a table (:attr:`root_table`, without a
        nested table column) certainly has a pre-token floor above ``limit``.

        Each row's cells are the row's values with at most the quotes JSON puts around
        strings, a float's ``.0`` or exponent ``+``, written after a delimiter, a space or at
        a line's start instead of after ``":``: none of that gives a cell a pre-token start
        its JSON value lacks (a delimiter or space before a cell, ``,`` or a newline after
        it, never fire a rule that ``":`` before and ``,`` or ``}`` after do not). So the
        JSON has at least the rows' starts (the header line has no JSON counterpart and is
        left out), plus those of each row's keys (``"key":``): every row has the required
        ones, and each optional one present has at least the fewest of the optional ones.
        """
        plan = self.root_table
        assert plan is not None
        if plan.table >= 0:
            return False  # a `[N]` cell stands for sub-rows, not for text JSON has
        rows = value if type(value) is list else list(value.values())
        required = 0
        required_starts = 0
        optional_starts = -1
        for name, _, _, optional in plan.fields:
            starts = self.key_starts.get(name)
            if starts is None:
                starts = self.key_starts[name] = pretoken_floor("," + jstr(name) + ":") - 1
            if not optional:
                required += 1
                required_starts += starts
            elif optional_starts < 0 or starts < optional_starts:
                optional_starts = starts
        known = required_starts * len(rows)
        if optional_starts > 0:
            known += optional_starts * (sum([len(row) for row in rows]) - required * len(rows))
        return _floor_verdict("\n".join(lines[1:]), limit - known)[0] == FLOOR_EXCEEDS

    def root_flow_exceeds(self, obj: dict[str, Any], limit: int) -> bool:
        """Whether the pre-token floor of ``obj``'s flow text certainly exceeds ``limit``.

        A value whose inline candidate's floor was already read (:meth:`inline_within`)
        contributes the starts found in it and is left out of the text read here: bracketed by
        punctuation on both sides, it shares no rule's context with the text around it, so the
        rest keeps exactly the starts it had.
        """
        found = self.flow_starts
        known = 0
        parts: list[str] = []
        for key, value in obj.items():
            head = self.flow_head(key)
            starts = found.get(id(value)) if type(value) is dict or type(value) is list else None
            if starts is None:
                parts.append(head + self.flow(value))
            else:
                known += starts
                parts.append(head)
        rest = "{" + ",".join(parts) + "}"
        return _floor_verdict(rest, limit - known)[0] == FLOOR_EXCEEDS

    def flows_ready(self, obj: dict[str, Any]) -> bool:
        """Whether every non-empty container value of ``obj`` already has its flow text (each
        field offers one as an inline candidate; a keyed table's entries do not)."""
        flows = self.flows
        for value in obj.values():
            kind = type(value)
            if (kind is dict or kind is list) and value and id(value) not in flows:
                return False
        return True

    def mixed_root(self, items: list[Any]) -> tuple[str, int]:
        """:meth:`document` of a root list mixing scalars, lists and objects, compared with
        compact JSON the other way round: JSON is counted first and the list items (the only
        form such a list has) only up to that count.

        A mixed list is written as ``- `` items, which often lose to JSON (a scalar item costs
        its indentation, dash and newline against JSON's one comma). Counted in this order, a
        list that loses stops being rendered once its lines pass the JSON's count, and a list
        that wins costs the part of the JSON that the usual order would not have read.
        """
        json_text = _dumps_document(items)
        json_cost = count_tokens(json_text, self.model)
        listed = self.root_listed_within(items, json_cost)
        if listed is None:
            return json_text, json_cost
        lines, cost = listed
        text = "\n".join(lines)
        cost = self.exact_cost(lines, text, cost)
        # Ties keep the TOON-compatible text, as in document().
        return (json_text, json_cost) if json_cost < cost else (text, cost)

    def root_listed_within(self, items: list[Any], limit: int) -> Rendering | None:
        """``listed("", items, 0, "")``, or None when the document it starts cannot cost at
        most ``limit`` (its exact count, the last line without its newline).

        Every item but the last is rendered with the running cost bounded by ``limit``, the
        last one unbounded: a bound passed before the last item has been reached by lines that
        all end in a newline, each counted as in the whole text (item lines are indented, so
        none starts with ``/`` and none is blank, the two ways a newline joins the next line:
        see :meth:`exact_cost`), and by the floors of items not yet rendered (also followed by
        a newline); the text's count is at least their sum.
        """
        lines, cost = self.line(_bracket(len(items), self.delimiter) + ":")
        if cost > limit:
            return None
        lines = list(lines)
        rest = self.items(items[:-1], 1, lines, limit - cost)
        if rest < 0:
            return None
        return lines, cost + rest + self.items(items[-1:], 1, lines)

    def exact_cost(self, lines: list[str], text: str, cost: int) -> int:
        """The exact count of ``text`` from the per-line ``cost`` (each line with its newline).

        The sum of the lines' counts is the text's count because pre-tokens never span a line
        break, with one exception: o200k lets a run of punctuation swallow the newlines *and
        slashes* after it (``[^\\s\\p{L}\\p{N}]+[\\r\\n/]*``), so ``]\\n/`` is one pre-token when a
        line starts with ``/``. Lines after the first start with indentation or a key; only a
        root field whose bare key starts with ``/`` can do that, and then the text is counted
        whole. The last line carries no newline, so its count is taken without one: only its
        stretch after its last certain pre-token boundary
        (:func:`~kaizen_client.tokens.boundary_at`) can count differently without the newline,
        so only that stretch is counted both ways. The last line is often a long inline flow
        (the last field of an API response), which this would otherwise count a second time.
        """
        model = self.model
        for line in lines[1:]:
            if line[:1] == "/":
                return count_tokens(text, model)
        last = lines[-1]
        start = last_certain_boundary(last, len(last) - 1 - TAIL_SEARCH)
        if start < 0:  # no boundary near the end: the line both ways
            return cost + count_tokens(last, model) - self.line(last)[1]
        tail = last[start:]
        return cost + count_tokens(tail, model) - count_tokens(tail + "\n", model)

    def best_object_root(self, obj: dict[str, Any]) -> Rendering:
        keyed = self.keyed_table(None, obj, 0, "")
        if keyed is not None and not keyed[1]:
            return keyed[0]
        block = self.object_block(obj, 0)
        return keyed[0] if keyed is not None and keyed[0][1] < block[1] else block

    def object_block(self, obj: dict[str, Any], depth: int) -> Rendering:
        lines: list[str] = []
        cost = 0
        pad = self.indentation(depth)
        # Below the root the one-line fields are counted together (:meth:`pend`); at column 0
        # a bare key may start a line with "/", which o200k joins to the line before.
        pending: dict[str, None] | None = {} if depth else None
        for key, value in obj.items():
            text = None if pending is None else self.simple_field(key, value, pad)
            if text is not None and pending is not None:
                lines.append(text)
                cost += self.pend(text, pending)
                continue
            field_lines, field_cost = self.field(key, value, depth, pad)
            lines += field_lines
            cost += field_cost
        return lines, cost + (self.flush(pending) if pending else 0)

    def pend(self, text: str, pending: dict[str, None]) -> int:
        """The count of the line ``text`` if it is known, else 0 with ``text`` queued in
        ``pending`` to be counted with the other queued lines in one tokenizer call
        (:meth:`flush`): for lines whose counts are only ever summed.

        A line queued a second time is counted alone instead (both occurrences), so lines
        that recur (``- null``) are memoized as :meth:`line` would have.
        """
        n = self.memo.get(text)
        if n is not None:
            return n
        if text in pending:
            del pending[text]
            return 2 * self.line(text)[1]
        pending[text] = None
        return 0

    def flush(self, pending: dict[str, None]) -> int:
        """The summed count of the lines queued by :meth:`pend`, which are then dropped.

        One call over the lines joined with newlines counts exactly their counts' sum (each
        with its newline): pre-tokens never span a line break unless the next line is blank
        or starts with ``/`` (:meth:`exact_cost`), and queued lines are indented list items
        and fields, so neither. A single line is counted (and memoized) by :meth:`line`.
        """
        if len(pending) == 1:
            n = self.line(next(iter(pending)))[1]
        else:
            n = self.lines_cost(list(pending))
        pending.clear()
        return n

    # ------------------------------------------------------------------ fields
    def simple_field(self, key: str, value: Any, lead: str) -> str | None:
        """The line of a field that has one form (a scalar or an empty container), or None."""
        kind = type(value)
        if kind is dict or kind is list:
            if value:
                return None
            return f"{lead}{self.key(key)}:" if kind is dict else f"{lead}{self.key(key)}: []"
        text = self.field_text(value)
        if kind is str:
            # No space before a digit either: the tokenizers never merge a space into digits.
            space = "" if text[0] in _DIGITS else " "
            return f"{lead}{self.key(key)}:{space}{text}"
        # No space before numbers and literals: "a:1" is a token cheaper than "a: 1" and every
        # TOON decoder trims it the same way (§12).
        return f"{lead}{self.key(key)}:{text}"

    def field(self, key: str, value: Any, depth: int, lead: str) -> Rendering:
        """One object field whose line starts with ``lead``; nested content at depth+1."""
        text = self.simple_field(key, value, lead)
        if text is not None:
            return self.line(text)
        if type(value) is dict:
            keyed = self.keyed_table(key, value, depth, lead)
            if keyed is not None and not keyed[1]:
                best = keyed[0]
            else:
                opener, opener_cost = self.line(f"{lead}{self.key(key)}:")
                body, body_cost = self.object_block(value, depth + 1)
                best = (opener + body, opener_cost + body_cost)
                if keyed is not None and keyed[0][1] < best[1]:
                    best = keyed[0]
            json_text = self.flow(value)
            if len(json_text) <= JSON_ALTERNATIVE_MAX:
                head = f"{lead}{header_key(key)}[]: "
                inline = self.inline_within(head, value, json_text, best[1] - 1, not lead)
                if inline is not None:
                    best = inline
            return best
        return self.best_array(key, value, depth, lead)

    # ------------------------------------------------------------------ arrays
    def best_array(self, key: str | None, items: list[Any], depth: int, lead: str) -> Rendering:
        name = "" if key is None else header_key(key)
        best: Rendering | None = None
        json_allowed = True
        if all(type(item) is not dict and type(item) is not list for item in items):
            best = self.inline(name, items, lead)
        elif all(type(item) is dict and item for item in items):
            first_optional = self.delimiter != "\t"
            plan = plan_table(
                items,
                allow_markers=True,
                first_optional=first_optional,
                nested=True,
                sub_first_optional=first_optional,
            )
            if plan is not None:
                best = self.best_table(name, items, plan, depth, lead)
                json_allowed = False
                if key is None and not lead and len(items) >= 4:  # the root is this table
                    self.root_table = plan
            # A table of 4 or more rows is not also costed as list items: on the external
            # corpus and the benchmark datasets the list never beat one (0 of 32 tables with
            # JSON or nested table columns or sparse cells; it does win on short lists), and
            # rendering it to find that out was about half of auto mode's time on nested data.
            if plan is None or len(items) < 4:
                if best is None:
                    best = self.listed(name, items, depth, lead)
                else:  # the list wins only with fewer tokens than the table
                    listed = self.listed_within(name, items, depth, lead, best[1] - 1)
                    if listed is not None:
                        best = listed
        else:
            best = self.listed(name, items, depth, lead)
        assert best is not None
        if key is not None:
            json_text = self.flow(items)
            if json_allowed or len(json_text) <= JSON_ALTERNATIVE_MAX:
                head = f"{lead}{name}[]: "
                inline = self.inline_within(head, items, json_text, best[1] - 1, not lead)
                if inline is not None:
                    best = inline
        return best

    def inline(self, name: str, items: list[Any], lead: str) -> Rendering:
        return self.line(self.inline_text(name, items, lead))

    def inline_text(self, name: str, items: list[Any], lead: str) -> str:
        """The one line of an array of primitives (``name[N]: a,b``)."""
        delimiter = self.delimiter
        cells = delimiter.join([self.cell(item, delimiter) for item in items])
        return f"{lead}{name}{_bracket(len(items), delimiter)}:{_space(cells)}{cells}"

    def listed(self, name: str, items: list[Any], depth: int, lead: str) -> Rendering:
        lines, cost = self.line(f"{lead}{name}{_bracket(len(items), self.delimiter)}:")
        lines = list(lines)
        cost += self.items(items, depth + 1, lines)
        return lines, cost

    def listed_within(
        self, name: str, items: list[Any], depth: int, lead: str, limit: int
    ) -> Rendering | None:
        """:meth:`listed` if it costs at most ``limit``, else None; items are rendered one by
        one and the rest skipped once the running cost passes ``limit``."""
        lines, cost = self.line(f"{lead}{name}{_bracket(len(items), self.delimiter)}:")
        if cost > limit:
            return None
        lines = list(lines)
        rest = self.items(items, depth + 1, lines, limit - cost)
        return None if rest < 0 else (lines, cost + rest)

    def items(self, items: list[Any], depth: int, lines: list[str], limit: int = -1) -> int:
        """Append list items at ``depth`` to ``lines``; return their cost.

        With ``limit`` >= 0, stop once the cost passes it and return -1 (the caller then
        drops ``lines``); costs are never negative, so -1 only ever means "over the limit".
        Lines with one form (scalar items and fields, empty containers, inline arrays) are
        counted together (:meth:`pend`).
        """
        pending: dict[str, None] = {}
        cost = self.items_into(items, depth, lines, limit, pending)
        if cost < 0:
            return -1
        if pending:
            cost += self.flush(pending)
        return -1 if 0 <= limit < cost else cost

    def items_into(
        self,
        items: list[Any],
        depth: int,
        lines: list[str],
        limit: int,
        pending: dict[str, None],
    ) -> int:
        """:meth:`items` without counting what it leaves in ``pending``: the cost counted so
        far, or -1 once that cost passes ``limit`` with what is surely still to come: a token
        per queued line and :func:`_item_floor` tokens per item not yet started."""
        pad = self.indentation(depth)
        delimiter = self.delimiter
        cost = 0
        bounded = limit >= 0
        floor = _item_floor(pad)
        room = limit - floor * len(items)  # the limit less the floors of the items to come
        for item in items:
            if bounded:
                cost = self.settle(cost, room, pending)
                if cost < 0:
                    return -1
                room += floor
            kind = type(item)
            if kind is dict:
                if not item:
                    text = f"{pad}-"
                    lines.append(text)
                    cost += self.pend(text, pending)
                    continue
                lead = f"{pad}- "
                for key, value in item.items():
                    if bounded:  # mid-item: large items stop early too
                        cost = self.settle(cost, room, pending)
                        if cost < 0:
                            return -1
                    simple = self.simple_field(key, value, lead)
                    if simple is not None:
                        lines.append(simple)
                        cost += self.pend(simple, pending)
                    else:
                        rendering = self.field(key, value, depth + 1, lead)
                        lines += rendering[0]
                        cost += rendering[1]
                    lead = self.indentation(depth + 1)
                continue
            if kind is not list:
                text = f"{pad}- {self.item_text(item)}"
            elif not item:
                text = f"{pad}- {_bracket(0, delimiter)}:"
            elif all(type(x) is not dict and type(x) is not list for x in item):
                text = self.inline_text("", item, f"{pad}- ")
            else:
                text = f"{pad}- {_bracket(len(item), delimiter)}:"
                lines.append(text)
                cost += self.pend(text, pending)
                cost += self.items_into(item, depth + 1, lines, -1, pending)
                continue
            lines.append(text)
            cost += self.pend(text, pending)
        return cost

    def settle(self, cost: int, limit: int, pending: dict[str, None]) -> int:
        """``cost`` with the lines in ``pending`` counted in once they might carry it past
        ``limit`` (at 8 tokens a line: a guess, which only decides how soon a bounded caller
        learns that it is over, never whether), or -1 once it is surely over: lines left
        queued cost at least a token each (a line with its newline), so ``cost +
        len(pending)`` is a sound lower bound."""
        if pending and cost + 8 * len(pending) > limit:
            cost += self.flush(pending)
        return -1 if cost + len(pending) > limit else cost

    # ------------------------------------------------------------------ tables
    def best_table(
        self, name: str, items: list[Any], plan: _Table, depth: int, lead: str
    ) -> Rendering:
        """The table of ``items`` under ``plan``; with a nested table column, the cheaper of it
        and the same table with that column as JSON (ties keep the JSON column)."""
        plain = plan.with_json_column()
        if plain is None:
            return self.parts_layout(self.table_parts(name, items, [plan], lead)[0], depth)
        nested_parts, json_parts = self.table_parts(name, items, [plan, plain], lead)
        return self.cheaper_variant(json_parts, nested_parts, depth)

    def table_parts(
        self, name: str, items: list[Any], plans: list[_Table], lead: str
    ) -> list[Parts]:
        """The table's header, rows, and rows for the unindented layout (None: not considered),
        under ``plans[0]`` and, if given, its JSON-column twin ``plans[1]`` (each row is
        written once for both: :meth:`row_variants`)."""
        delimiter = self.delimiter
        plan = plans[0]
        bracket = _bracket(len(items), delimiter)
        headers = [f"{lead}{name}{bracket}{_header(p.fields, delimiter)}" for p in plans]
        # One plan (no JSON-column twin): a table of leaves is written a column at a time.
        columns = (
            None if len(plans) > 1 else self.column_rows(items, plan.fields, delimiter, plan.plain)
        )
        written: list[tuple[str, ...]]
        if columns is not None:
            written = [(row,) for row in columns]
        else:
            written = [
                self.row_variants(item, plan, delimiter, quote_first=plan.plain) for item in items
            ]
        flat = None
        if not lead:
            # Unindented rows are counted. Under a root field they must still never look like
            # a `key: value` line to a reader (the document goes on after them), so a first
            # cell with a colon (or "- ") is quoted; rows of the root array run to the end of
            # the document and keep such a first cell bare.
            quote_first = bool(name)
            flat = written
            if quote_first != plan.plain:
                flat = [
                    self.row_variants(items[j], plan, delimiter, quote_first=quote_first)
                    if any(_first_cell_may_differ(row, delimiter, quote_first) for row in rows)
                    else rows
                    for j, rows in enumerate(written)
                ]
        return [
            (
                header,
                [rows[v] for rows in written],
                None if flat is None else [rows[v] for rows in flat],
            )
            for v, header in enumerate(headers)
        ]

    def table_layout(
        self, header: str, rows: list[str], depth: int, flat_rows: list[str] | None
    ) -> Rendering:
        """TOON layout (``header:``, rows one level deeper) or, for a header at column 0, the
        KTOF unindented layout (``header`` without ``:``, rows below it at column 0) when it
        costs fewer tokens (docs/ktof.md §3.5); ``flat_rows`` are its rows, None where that
        layout is not considered. Deeper down indentation costs one token whatever its width,
        so only column 0 can gain."""
        pad = self.indentation(depth + 1)
        indented = [pad + row.replace("\n", "\n" + pad) for row in rows]
        head, head_cost = self.line(header + ":")
        if flat_rows is None:
            return head + indented, head_cost + self.lines_cost(indented)
        return self.root_table_layout(header, rows, flat_rows, pad, indented, head, head_cost)

    def root_table_layout(
        self,
        header: str,
        rows: list[str],
        flat_rows: list[str],
        pad: str,
        indented: list[str],
        head: list[str],
        head_cost: int,
    ) -> Rendering:
        """:meth:`table_layout` for a header at column 0: the cheaper of both layouts."""
        flat_head, flat_head_cost = self.line(header)
        flat_rows_cost = self.lines_cost(flat_rows)
        indented_cost = self.indented_cost(pad, rows, flat_rows, flat_rows_cost)
        if indented_cost is None:
            indented_cost = self.lines_cost(indented)
        if flat_head_cost + flat_rows_cost < head_cost + indented_cost:  # ties stay TOON
            return flat_head + flat_rows, flat_head_cost + flat_rows_cost
        return head + indented, head_cost + indented_cost

    def indented_cost(
        self, pad: str, rows: list[str], flat_rows: list[str], flat_cost: int
    ) -> int | None:
        """``lines_cost([pad + row for row in rows])`` derived from ``flat_cost`` (the count
        of ``flat_rows`` at column 0), or None where it cannot be.

        Lines are counted independently (each with its newline), except that o200k joins a
        line ending in punctuation with a ``/`` opening the next one: rows starting with
        ``/`` are not derived. Before a row that starts with a non-space, a pad of spaces is
        a pre-token of all but its last space followed by the row's own pre-tokens with that
        last space in front, so each row costs ``count(pad[:-1])`` plus
        ``tokens.space_delta(row)`` more indented than flat; the delta depends only on the
        row's :func:`~kaizen_client.tokens.space_head`, memoized per head. Rows that differ
        from their flat twin (a first cell quoted in one layout only) are counted both ways.
        """
        model = self.model
        cost = flat_cost
        pad_cost = count_tokens(pad[:-1], model)
        deltas = self.space_deltas
        for j, row in enumerate(rows):
            flat = flat_rows[j]
            if row[:1] == "/" or flat[:1] == "/":
                return None
            if "\n" in row:  # a row with sub-rows (§3.7): its first line here, the rest below
                row, *subs = row.split("\n")
                flat = flat.split("\n", 1)[0]
                for sub in subs:
                    growth = self.pad_growth(sub, len(pad))
                    if growth is None:
                        return None
                    cost += growth
            head = self.row_head(row)
            if head is None:
                return None
            delta = deltas.get(head)
            if delta is None:
                delta = deltas[head] = count_tokens(" " + head, model) - count_tokens(head, model)
            cost += pad_cost + delta
            if row != flat:
                cost += count_tokens(row + "\n", model) - count_tokens(flat + "\n", model)
        return cost

    def row_head(self, row: str) -> str | None:
        """:func:`~kaizen_client.tokens.space_head` of a table row, memoized per first cell
        (rows repeat their first cells: categories, names, hosts).

        The first certain boundary found in a prefix of ``row`` is the row's own (it depends
        only on the two characters around it), so the prefix up to and including the first
        delimiter gives the row's head whenever it has a boundary; otherwise the whole row is
        searched. A row starting with a digit has the empty head without a search.
        """
        if row[:1] in _DIGITS:
            return ""
        cut = row.find(self.delimiter)
        if cut < 0:
            return space_head(row)
        prefix = row[: cut + 1]
        heads = self.row_heads
        if prefix in heads:
            head = heads[prefix]
        else:
            head = heads[prefix] = space_head(prefix)
        return space_head(row) if head is None else head

    def pad_growth(self, line: str, extra: int) -> int | None:
        """What ``extra`` more leading spaces cost on ``line`` (a sub-row, already indented by
        at least two spaces), or None where that cannot be derived.

        Before a non-space, a run of n >= 2 spaces is a pre-token of n - 1 spaces followed by
        the line's own pre-tokens with the last space in front (both encodings:
        ``\\s+(?!\\S)``), so only the run's count changes. Only an ASCII non-space after the
        run is taken: other characters may be whitespace to the tokenizer.
        """
        spaces = len(line) - len(line.lstrip(" "))
        if spaces < 2 or spaces == len(line):
            return None
        first = line[spaces]
        if not first.isascii() or first.isspace():
            return None
        key = (spaces, extra)
        growth = self.pad_growths.get(key)
        if growth is None:
            model = self.model
            wider = count_tokens(" " * (spaces + extra - 1), model)
            growth = self.pad_growths[key] = wider - count_tokens(" " * (spaces - 1), model)
        return growth

    def keyed_table(
        self, key: str | None, obj: dict[str, Any], depth: int, lead: str
    ) -> tuple[Rendering, bool] | None:
        """The keyed-table rendering and whether the nested block is also worth costing."""
        if len(obj) < 2:
            return None
        values = list(obj.values())
        if not all(type(v) is dict and v for v in values):
            return None
        plan = plan_table(
            values,
            allow_markers=True,
            first_optional=True,
            nested=True,
            sub_first_optional=self.delimiter != "\t",
        )
        if plan is None:
            return None
        plain = plan.with_json_column()
        if plain is None:
            best = self.parts_layout(self.keyed_parts(key, obj, [plan], lead)[0], depth)
        else:  # a nested table column: costed against the JSON column (ties keep JSON)
            nested_parts, json_parts = self.keyed_parts(key, obj, [plan, plain], lead)
            best = self.cheaper_variant(json_parts, nested_parts, depth)
        also_block = len(obj) < 4 or plan.sparseness > SPARSE_TABLE
        if key is None and not lead and not also_block:  # the root is this table
            self.root_table = plan
        return best, also_block

    def keyed_parts(
        self, key: str | None, obj: dict[str, Any], plans: list[_Table], lead: str
    ) -> list[Parts]:
        """A keyed table's header, entry rows, and rows for the unindented layout (or None),
        under ``plans[0]`` and, if given, its JSON-column twin (as :meth:`table_parts`)."""
        delimiter = self.delimiter
        name = "" if key is None else header_key(key)
        bracket = _bracket(len(obj), delimiter, keyed=True)
        headers = [f"{lead}{name}{bracket}{_header(p.fields, delimiter)}" for p in plans]
        rows: list[list[str]] = [[] for _ in plans]
        for entry_key, entry in obj.items():
            written_key = field_key(entry_key)
            for v, cells in enumerate(self.row_variants(entry, plans[0], delimiter, True)):
                rows[v].append(f"{written_key}:{_space(cells)}{cells}")
        # Entry rows (`key: cells`) unindented only as the whole document: under a root field
        # they would look like the fields that follow them.
        flat = key is None and not lead
        return [(headers[v], rows[v], rows[v] if flat else None) for v in range(len(plans))]

    def cheaper_variant(
        self,
        json_parts: Parts,
        nested_parts: Parts,
        depth: int,
    ) -> Rendering:
        """The cheaper of a table whose column is written as JSON cells and the same table with
        it as a nested table column (§3.7); ties keep the JSON column.

        Exactly what :meth:`table_layout` of each would decide, but the text is counted about
        once: the two variants' rows differ only around that one cell, and pre-tokens never
        span a line break, so each JSON-variant row is counted in pieces split at certain
        pre-token boundaries (:func:`~kaizen_client.tokens.boundary_at`) around the cell, and
        the nested variant's row costs that count with the cell's piece swapped; its sub-rows
        are counted once more.
        """
        header_j, rows_j, flat_j = json_parts
        header_t, rows_t, flat_t = nested_parts
        if any(row[:1] == "/" for row in rows_j + rows_t + (flat_j or []) + (flat_t or [])):
            return self.counted_variants(json_parts, nested_parts, depth)  # o200k joins "\n/"
        pad = self.indentation(depth + 1)
        subs = [line for row in rows_t for line in row.split("\n")[1:]]
        sub_growth = self.subs_growth(subs, len(pad))
        if sub_growth is None:
            return self.counted_variants(json_parts, nested_parts, depth)
        firsts_t = [row.split("\n", 1)[0] for row in rows_t]
        indented_j = [pad + row for row in rows_j]
        indented_t = [pad + row.replace("\n", "\n" + pad) for row in rows_t]
        head_j, head_j_cost = self.line(header_j + ":")
        head_t, head_t_cost = self.line(header_t + ":")
        if flat_j is None or flat_t is None:
            rows_cost_j, deltas, _ = self.paired_costs(indented_j, [pad + f for f in firsts_t])
            cost_j = head_j_cost + rows_cost_j
            base_t = head_t_cost + rows_cost_j + sum(deltas) + sub_growth
            sub_cost = self.subs_cost_within(subs, cost_j - base_t - 1)
            if sub_cost is None:
                return head_j + indented_j, cost_j
            return head_t + indented_t, base_t + sub_cost
        flat_firsts_t = [row.split("\n", 1)[0] for row in flat_t]
        flat_cost_j, flat_deltas, local = self.paired_costs(flat_j, flat_firsts_t)
        indented_cost_j = self.indented_cost(pad, rows_j, flat_j, flat_cost_j)
        if indented_cost_j is None:
            indented_cost_j = self.lines_cost(indented_j)
        indented_delta = 0
        for i, delta in enumerate(flat_deltas):
            if local[i] and rows_j[i] == flat_j[i] and firsts_t[i] == flat_firsts_t[i]:
                indented_delta += delta  # the pad is outside the stretch that differs
            elif rows_j[i] != firsts_t[i]:
                indented_delta += self.window_delta(pad + rows_j[i], pad + firsts_t[i])
        flat_head_j, flat_head_j_cost = self.line(header_j)
        flat_head_t, flat_head_t_cost = self.line(header_t)
        best_j: Rendering = (head_j + indented_j, head_j_cost + indented_cost_j)
        if flat_head_j_cost + flat_cost_j < best_j[1]:  # ties stay TOON, as in table_layout
            best_j = (flat_head_j + flat_j, flat_head_j_cost + flat_cost_j)
        indented_base_t = head_t_cost + indented_cost_j + indented_delta + sub_growth
        flat_base_t = flat_head_t_cost + flat_cost_j + sum(flat_deltas)
        # Both nested layouts carry the same sub-rows: they need counting only while the
        # cheaper layout can still beat the JSON variant (ties keep JSON).
        sub_cost = self.subs_cost_within(subs, best_j[1] - min(flat_base_t, indented_base_t) - 1)
        if sub_cost is None:
            return best_j
        if flat_base_t < indented_base_t:  # ties stay TOON, as in table_layout
            return flat_head_t + flat_t, flat_base_t + sub_cost
        return head_t + indented_t, indented_base_t + sub_cost

    def parts_layout(self, parts: Parts, depth: int) -> Rendering:
        header, rows, flat_rows = parts
        return self.table_layout(header, rows, depth, flat_rows)

    def counted_variants(
        self,
        json_parts: Parts,
        nested_parts: Parts,
        depth: int,
    ) -> Rendering:
        """:meth:`cheaper_variant` by counting both variants whole (where it cannot derive)."""
        best = self.parts_layout(json_parts, depth)
        nested = self.parts_layout(nested_parts, depth)
        return nested if nested[1] < best[1] else best

    def paired_costs(
        self, lines_a: list[str], lines_b: list[str]
    ) -> tuple[int, list[int], list[bool]]:
        """``lines_cost(lines_a)``; per line, ``count(b) - count(a)`` (each with its newline);
        and per line whether the stretch where they differ stays clear of the line's start.

        Of a line that differs, the stretch where it does (cut at certain pre-token
        boundaries, so counts add up around it) is counted in ``a`` and in ``b``; the rest of
        the line, its two outer pieces joined at such a boundary, goes with the equal lines
        into one call. Lines must not be blank (a blank line's newline joins the one before)
        or start with ``/`` (see :meth:`exact_cost`); table rows never are or do."""
        model = self.model
        cost = 0
        whole: list[str] = []  # lines counted together: equal ones, and differing ones' rest
        deltas: list[int] = []
        local: list[bool] = []
        for a, b in zip(lines_a, lines_b, strict=True):
            if a == b:
                whole.append(a)
                deltas.append(0)
                local.append(True)
                continue
            start, end_a, piece_a, piece_b = _differing_pieces(a, b)
            if end_a < 0:
                if start:
                    cost += count_tokens(a[:start], model)
            else:
                rest = a[:start] + a[end_a:]
                if rest[:1] == "/":  # o200k joins "\n/" to the line before: count it alone
                    cost += count_tokens(rest + "\n", model)
                else:
                    whole.append(rest)
            counted = count_tokens(piece_a, model)
            cost += counted
            deltas.append(count_tokens(piece_b, model) - counted)
            local.append(start > 0)
        if whole:
            cost += self.lines_cost(whole)
        return cost, deltas, local

    def window_delta(self, a: str, b: str) -> int:
        """``count(b + "\\n") - count(a + "\\n")``, counting only where they differ."""
        _, _, piece_a, piece_b = _differing_pieces(a, b)
        return count_tokens(piece_b, self.model) - count_tokens(piece_a, self.model)

    def subs_cost_within(self, subs: list[str], limit: int) -> int | None:
        """The count of a nested variant's sub-rows if it is at most ``limit``, else None."""
        if limit < 0:
            return None
        if not subs:
            return 0
        return self.lines_cost_within(subs, limit)

    def subs_growth(self, subs: list[str], extra: int) -> int | None:
        """What indenting every sub-row ``extra`` more spaces costs (:meth:`pad_growth`)."""
        total = 0
        for sub in subs:
            growth = self.pad_growth(sub, extra)
            if growth is None:
                return None
            total += growth
        return total

    def row_variants(
        self,
        obj: dict[str, Any],
        plan: _Table,
        delimiter: str,
        keyed: bool = False,
        quote_first: bool = False,
    ) -> tuple[str, ...]:
        """One row's cells (and a nested table column's sub-rows after them) under ``plan``;
        ``keyed`` rows follow ``key:``, and ``quote_first`` quotes a first cell holding a colon
        or starting with ``- `` (TOON §9.3 would end plain rows there). When ``plan`` has a
        nested table column, also the row under its JSON-column twin: the same cells but that
        one, written as a flow value, and no sub-rows."""
        cells: list[str] = []
        self.row_cells(obj, plan.fields, delimiter, cells, quote_first and not keyed, not keyed)
        row = delimiter.join(cells)
        if plan.table < 0:
            return (row,)
        name, sub, _, _ = plan.fields[plan.table]
        items = obj.get(name)
        if items is None:  # an absent optional column: an empty cell either way
            return row, row
        cells[plan.table_cell] = self.flow(items)
        if items:
            assert sub is not None
            row += self.sub_rows(items, sub, delimiter)
        return row, delimiter.join(cells)

    def column_rows(
        self, items: list[Any], fields: list[KField], delimiter: str, plain: bool
    ) -> list[str] | None:
        """The rows :meth:`row_variants` writes for a table's ``items`` (rows that start their
        line, first cell quoted as ``plain`` says), written a column at a time, or None when
        a column is not a leaf (a field group, a JSON or nested table column).

        The common table is all leaves: per column, the kind is looked at once and each cell
        is one type check and a memoized text, instead of a field walk per row.
        """
        for _, sub, kind, _ in fields:
            if sub is not None or (kind != PLAIN and kind != FLOAT):
                return None  # before any cell is written: the caller writes row by row
        columns: list[list[str]] = []
        first = True
        for name, _, kind, optional in fields:
            column: list[str] = []
            append = column.append
            for obj in items:
                if optional and name not in obj:
                    append("")  # an absent optional key: an empty cell
                    continue
                value = obj[name]
                if kind == FLOAT and type(value) is float:
                    append(float_cell(value))
                else:
                    append(self.cell(value, delimiter, first, plain))
            columns.append(column)
            first = False
        return [delimiter.join(cells) for cells in zip(*columns, strict=True)]

    def sub_rows(self, items: list[Any], fields: list[KField], delimiter: str) -> str:
        """A nested table column's rows (§3.7), each on its own line one level below the row;
        a first cell that would read as ``key: value`` is quoted, as in plain rows."""
        unit = "\n" + self.indentation(1)
        parts: list[str] = []
        for item in items:
            cells: list[str] = []
            self.row_cells(item, fields, delimiter, cells, True, True)
            parts.append(unit + delimiter.join(cells))
        return "".join(parts)

    def row_cells(
        self,
        obj: dict[str, Any],
        fields: list[KField],
        delimiter: str,
        cells: list[str],
        plain: bool,
        starts_line: bool,
    ) -> None:
        for name, sub, kind, optional in fields:
            if optional and name not in obj:
                cells.append("")
                continue
            value = obj[name]
            if kind == TABLE:
                cells.append(f"[{len(value)}]")  # its rows follow the row: see row_variants()
            elif sub is not None:
                self.row_cells(value, sub, delimiter, cells, plain, starts_line)
            elif kind == JSON:
                is_container = type(value) is dict or type(value) is list
                cells.append(self.flow(value) if is_container else _dumps(value))
            elif kind == FLOAT and type(value) is float:
                cells.append(float_cell(value))
            else:
                cells.append(self.cell(value, delimiter, starts_line and not cells, plain))


def _item_floor(pad: str) -> int:
    """Tokens that any list item at indentation ``pad`` costs at least: its first line starts
    with ``pad`` and ``-``, and before a non-space a run of two or more spaces is a pre-token
    of all but its last space (both encodings: ``\\s+(?!\\S)``), the dash with that space
    starting the next one, so two; one after a single space."""
    return 2 if len(pad) > 1 else 1


def _mixed(items: list[Any]) -> bool:
    """Whether a root list can only be written as ``- `` items: it holds a container (so it is
    not one inline line) and not only non-empty objects (so it is not a table)."""
    containers = 0
    objects = 0
    for item in items:
        kind = type(item)
        if kind is dict:
            containers += 1
            if item:
                objects += 1
        elif kind is list:
            containers += 1
    return containers > 0 and objects < len(items)


def _differing_stretch(a: str, b: str) -> tuple[int, int, int]:
    """Where ``a`` and ``b`` differ, widened to certain pre-token boundaries: ``(start, end_a,
    end_b)`` with ``a[:start] == b[:start]`` and ``a[end_a:] == b[end_b:]``, each cut a certain
    boundary (or the line's start), so ``count(a) == count(a[:start]) + count(a[start:end_a])
    + count(a[end_a:])`` and the same for ``b``; ends of -1 mean "to the end of the line"."""
    n_a = len(a)
    n_b = len(b)
    shorter = min(n_a, n_b)
    # Common prefix and suffix by bisection over slice comparisons (each one memcmp in C):
    # rows are long and differ in one cell, so a loop over characters would dominate.
    lo, hi = 0, shorter
    while lo < hi:
        mid = (lo + hi + 1) // 2
        if a[:mid] == b[:mid]:
            lo = mid
        else:
            hi = mid - 1
    p = lo
    lo, hi = 0, shorter - p
    while lo < hi:
        mid = (lo + hi + 1) // 2
        if a[n_a - mid :] == b[n_b - mid :]:
            lo = mid
        else:
            hi = mid - 1
    q = lo
    start = p
    while start > 0 and not (boundary_at(a, start) and (start < p or boundary_at(b, start))):
        start -= 1
    end = max(n_a - q + 1, start + 1)
    while end < n_a and not boundary_at(a, end):
        end += 1
    if end >= n_a:
        return start, -1, -1
    return start, end, end - n_a + n_b


def _differing_pieces(a: str, b: str) -> tuple[int, int, str, str]:
    """:func:`_differing_stretch` as ``(start, end_a, piece of a, piece of b)``; a stretch that
    runs to the end of the lines takes their newline with it."""
    start, end_a, end_b = _differing_stretch(a, b)
    if end_a < 0:
        return start, end_a, a[start:] + "\n", b[start:] + "\n"
    return start, end_a, a[start:end_a], b[start:end_b]


FLOOR_LINE_MIN = 4096
"""Inline candidates at least this long are floor-checked before they are counted: a flow of a
large subtree usually loses to its structured forms by more than the floor's slack."""

TAIL_SEARCH = 64
"""Characters from the end of a document's last line searched for a certain boundary."""

FLOOR_SAMPLE = 2048
"""Sets the size of the floor's first chunk (see :func:`_floor_verdict`)."""
FLOOR_CHUNK = 4096
"""Bytes of each later chunk of the floor: where it stops once the limit is passed."""


FLOOR_EXCEEDS = 1
"""The floor passed the limit: the text certainly costs more."""
FLOOR_BELOW = 0
"""The floor was read to the end and stayed within the limit."""
FLOOR_SKIPPED = -1
"""The floor was not read (to the end): its first chunk said it would not pass the limit."""


def _floor_verdict(text: str, limit: int, read_all: bool = False) -> tuple[int, int]:
    """Whether ``pretoken_floor(text)`` exceeds ``limit``, read in chunks
    (:func:`~kaizen_client.tokens.pretoken_floors`) that stop as soon as it does; with the
    floor of the part read (a lower bound of the count). ``read_all`` reads on to the end
    once the floor passes the limit, for a caller that reuses the whole floor.

    The first chunk, 3/8 of the text (at most 3 x :data:`FLOOR_SAMPLE` bytes), decides whether
    the rest is worth reading: scaled to the whole text, a floor that would stay within the
    limit is a third of a count spent for nothing (prose-heavy JSON, whose long words make
    the floor loose, or a JSON text that wins). A limit of half a token per character or more
    is taken as out of reach (JSON text floors at 0.2-0.35 per character); texts of up to
    1 KB are read whole.
    """
    n = len(text)
    if 2 * limit >= n:
        return FLOOR_SKIPPED, 0  # a floor of a token per two characters is rare (digit lists)
    first = n * 4 if n <= FLOOR_SAMPLE // 2 else min(3 * FLOOR_SAMPLE, 3 * n // 8)
    floor = 0
    for read, total, floor in pretoken_floors(text, first, FLOOR_CHUNK):
        if floor > limit and (read == total or not read_all):
            return FLOOR_EXCEEDS, floor
        if read == first and read < total and floor * total <= limit * read:
            return FLOOR_SKIPPED, floor
    return FLOOR_BELOW, floor


def _first_cell_may_differ(row: str, delimiter: str, quote_first: bool) -> bool:
    """Whether ``row``, written with the other ``quote_first``, might read differently.

    ``quote_first`` only adds quotes to a first cell that is a string holding a colon or
    starting with ``- `` (:func:`cell_value`). Written with it (``quote_first`` now False),
    a row whose first cell is unquoted has nothing to lose. Written without it, a first cell
    that is quoted already, or has no colon and no leading ``- ``, has nothing to gain (an
    unquoted cell holds no delimiter, so it ends at the first one).
    """
    if not quote_first:
        return row[:1] == '"'
    if row[:1] == '"':
        return False
    first = row.split(delimiter, 1)[0]
    return ":" in first or first.startswith("- ")


def _space(cells: str) -> str:
    """The space after a colon, dropped before a number or literal where it costs a token."""
    return "" if cells[:1] in _NO_SPACE_BEFORE else " "


_NO_SPACE_BEFORE = frozenset("-0123456789tfn")
_DIGITS = frozenset("0123456789")


def _bracket(length: int, delimiter: str, keyed: bool = False) -> str:
    marker = ":" if keyed else ""
    symbol = "" if delimiter == "," else delimiter
    return f"[{length}{marker}{symbol}]"


def _header(fields: list[KField], delimiter: str) -> str:
    parts = []
    for name, sub, kind, optional in fields:
        text = header_key(name)
        if kind == TABLE:
            assert sub is not None
            text += "[]" + _header(sub, delimiter)
        elif sub is not None:
            text += _header(sub, delimiter)
        if kind == JSON:
            text += "[]"
        elif kind == FLOAT:
            text += "(float)"
        if optional:
            text += "?"
        parts.append(text)
    return "{" + delimiter.join(parts) + "}"


def marked_object_cost(json_text: str, json_cost: int, model: str) -> int:
    """Exact token count of the root JSON object form ``" " + json_text`` (docs/ktof.md §3.1):
    ``json_cost`` plus :func:`marked_object_delta`, or the form counted whole when that delta
    cannot be derived.
    """
    delta = marked_object_delta(json_text, model)
    if delta is None:
        return count_tokens(" " + json_text, model)
    return json_cost + delta


def marked_object_delta(json_text: str, model: str) -> int | None:
    """How many tokens the root JSON object form's leading space adds to ``json_text``:
    ``count(" " + json_text) - count(json_text)``, or None when it cannot be derived.

    Only the first pre-token changes when the space is put in front: the run of punctuation
    that opens the object (``{"`` and any punctuation the first key starts with) becomes
    `` {"...``, and both tokenizers' patterns take a leading space into that run. So the
    delta is the count of that run with its space minus the run's count; the run is found
    with ASCII rules, and None is returned whenever it meets a non-ASCII character (where
    Python's and the tokenizer's character classes might differ).
    """
    end = 0
    n = len(json_text)
    while end < n:
        ch = json_text[end]
        if not ch.isascii():
            return None
        if ch.isalnum() or ch.isspace():
            break
        end += 1
    head = json_text[:end]
    return count_tokens(" " + head, model) - count_tokens(head, model)


def encode_auto(
    value: Any, *, model: str, indent: int, delimiter: str, compare_json: bool = True
) -> tuple[str, int | None]:
    return AutoWriter(model, indent, delimiter).document(value, compare_json)
