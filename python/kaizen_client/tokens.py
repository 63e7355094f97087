"""Offline, exact token counting for OpenAI models (and honest estimates for the rest).

Kaizen's whole point is "fewer prompt tokens", so counts must be real tokenizer counts, not
``len(text) / 4``, and they must work on a fresh machine with no network: ``tiktoken``
downloads its BPE files on first use, which fails offline. We count with ``bpe-openai``,
whose wheels embed ``o200k_base`` and ``cl100k_base`` and produce tiktoken's exact tokens.

Policy (see :func:`tokenizer_info`):

* ``o200k_base`` (exact): gpt-4o, gpt-4o-mini, chatgpt-4o, gpt-4.1*, gpt-4.5*, gpt-5*,
  o1*, o3*, o4*, gpt-oss* (its ``o200k_harmony`` differs only in special tokens).
* ``cl100k_base`` (exact): gpt-4 / gpt-4-*, gpt-3.5*, gpt-35*, text-embedding-3*,
  text-embedding-ada-002, davinci-002, babbage-002.
* Everything else (claude*, anthropic/*, gemini*, llama*, mistral*, unknown names):
  Anthropic and Google publish no offline tokenizer for their current models, and we bundle
  none for other vendors, so these counts are ``o200k_base`` *estimates*
  (``TokenizerInfo.exact`` is ``False``). Good for comparing formats, not for billing.

Provider prefixes (``openai/``, ``azure/``, ``openrouter/openai/`` as LiteLLM writes them) and
the ``ft:`` fine-tune prefix are ignored. Text is counted like tiktoken's
``encode_ordinary``: special-token text such as ``<|endoftext|>`` is ordinary text, so counting
never raises. Nothing is loaded at import time; the first count per encoding loads it
(about a second, once per process).
"""

from __future__ import annotations

import importlib
import re
import string
import threading
import warnings
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import Any, Final

__all__ = [
    "DEFAULT_MODEL",
    "TokenizerInfo",
    "boundary_at",
    "certain_boundary",
    "count_tokens",
    "count_tokens_batch",
    "count_tokens_upto",
    "encoding_for_model",
    "last_certain_boundary",
    "pretoken_floor",
    "pretoken_floors",
    "space_delta",
    "space_head",
    "tokenizer_info",
]

DEFAULT_MODEL: Final = "gpt-4o"

O200K: Final = "o200k_base"
CL100K: Final = "cl100k_base"

_Counter = Callable[[str], int]
_LimitedCounter = Callable[[str, int], int | None]


@dataclass(frozen=True)
class TokenizerInfo:
    """Which tokenizer counts for ``model`` and whether the count is exact or an estimate."""

    model: str
    """The model name as given."""
    encoding: str
    """The BPE encoding used to count (``"o200k_base"`` or ``"cl100k_base"``)."""
    exact: bool
    """``True`` when this is the model's own tokenizer; ``False`` for an estimate."""
    note: str
    """One line saying why, suitable for a report or a CLI footnote."""


# --- model routing -------------------------------------------------------------------------

# Exact names first, then prefixes; order matters ("gpt-4o" before "gpt-4-").
_EXACT_NAMES: Final[dict[str, str]] = {
    "gpt-4o": O200K,
    "gpt-4": CL100K,
    "gpt-3.5": CL100K,
    "gpt-3.5-turbo": CL100K,
    "gpt-35-turbo": CL100K,
    "o1": O200K,
    "o3": O200K,
    "o4-mini": O200K,
    "gpt-5": O200K,
    "gpt-4.1": O200K,
    "text-embedding-ada-002": CL100K,
    "davinci-002": CL100K,
    "babbage-002": CL100K,
}
_PREFIXES: Final[tuple[tuple[str, str], ...]] = (
    ("gpt-4o", O200K),
    ("chatgpt-4o", O200K),
    ("gpt-4.1", O200K),
    ("gpt-4.5", O200K),
    ("gpt-5", O200K),
    ("gpt-oss", O200K),
    ("o1-", O200K),
    ("o3-", O200K),
    ("o4-", O200K),
    ("gpt-4-", CL100K),
    ("gpt-3.5", CL100K),
    ("gpt-35", CL100K),
    ("text-embedding-3", CL100K),
)

# Substrings naming vendors whose tokenizers we cannot run offline, for an honest note.
_VENDOR_HINTS: Final[tuple[tuple[str, str], ...]] = (
    ("claude", "Anthropic publishes no offline tokenizer for Claude"),
    ("anthropic", "Anthropic publishes no offline tokenizer for Claude"),
    ("gemini", "Google publishes no offline tokenizer for Gemini"),
    ("google", "Google publishes no offline tokenizer for Gemini"),
    ("llama", "the Llama tokenizer is not bundled"),
    ("mistral", "the Mistral tokenizer is not bundled"),
    ("mixtral", "the Mistral tokenizer is not bundled"),
)


def _normalize(model: str) -> str:
    """Reduce a LiteLLM-style name (``azure/gpt-4o``, ``ft:gpt-4o:org::id``) to its base."""
    name = model.strip().lower()
    name = name.rsplit("/", 1)[-1]
    if name.startswith("ft:"):
        name = name[3:]
    return name


def _resolve(model: str) -> TokenizerInfo:
    """Apply the routing policy; the uncached, string-matching half of the lookup."""
    name = _normalize(model)
    encoding = _EXACT_NAMES.get(name)
    if encoding is None:
        for prefix, enc in _PREFIXES:
            if name.startswith(prefix):
                encoding = enc
                break
    if encoding is not None:
        return TokenizerInfo(model, encoding, True, f"OpenAI {encoding} tokenizer (exact)")
    full = model.lower()
    why = next(
        (hint for key, hint in _VENDOR_HINTS if key in full),
        "no tokenizer is known for this model",
    )
    return TokenizerInfo(model, O200K, False, f"estimate with {O200K}: {why}")


# Model name -> info / counter; bounded so arbitrary user-supplied names cannot grow memory.
_CACHE_LIMIT: Final = 1024
_INFO: dict[str, TokenizerInfo] = {}
_COUNTERS: dict[str, _Counter] = {}
_ENCODERS: dict[str, _Counter] = {}
_LIMITED: dict[str, _LimitedCounter] = {}
_LIMITED_ENCODERS: dict[str, _LimitedCounter] = {}
_LOAD_LOCK = threading.Lock()


def tokenizer_info(model: str = DEFAULT_MODEL) -> TokenizerInfo:
    """Say which encoding :func:`count_tokens` uses for ``model`` and whether it is exact."""
    info = _INFO.get(model)
    if info is None:
        info = _resolve(model)
        if len(_INFO) < _CACHE_LIMIT:
            _INFO[model] = info
    return info


def encoding_for_model(model: str = DEFAULT_MODEL) -> str:
    """Name of the encoding used to count ``model``'s tokens; never raises for unknown names."""
    return tokenizer_info(model).encoding


# --- encoders --------------------------------------------------------------------------------

# bpe-openai's public ``Encoding.encode_ordinary`` refuses texts of 1M+ characters or 200k+
# tokens; the fallback path splits longer texts into pieces no larger than this.
_FALLBACK_PIECE_CHARS: Final = 50_000
# Native tokenizer module inside bpe-openai (typed by its ``_bindings.pyi``); a variable so the
# fallback path can be tested.
_NATIVE_MODULE = "bpe_openai._bindings"


def _is_cut_point(text: str, i: int) -> bool:
    r"""True if index ``i`` (just after a ``"\n"``) starts a pre-token for both encodings.

    After the *last* newline of a whitespace run that is followed by content, neither the
    o200k nor the cl100k pre-token regex can match across the boundary (their newline
    alternatives end at the last ``\r``/``\n``; o200k's punctuation rule also swallows a
    ``"/"`` right after the newline, hence that exception), and the text before tokenizes the
    same with or without what follows.
    """
    j = i
    n = len(text)
    while j < n and text[j].isspace():
        if text[j] in "\r\n":
            return False
        j += 1
    return j < n and (j > i or text[i] != "/")


def _safe_split(text: str, limit: int) -> list[str]:
    """Split ``text`` into pieces of at most ``limit`` chars whose token counts add up.

    Cuts only at :func:`_is_cut_point` boundaries. If a window has none (e.g. a huge
    single-line minified JSON) it cuts hard, which can shift the total by a token per cut;
    only the public-API fallback path, and only texts over 50k characters, ever get here.
    """
    pieces: list[str] = []
    start = 0
    while len(text) - start > limit:
        end = start + limit
        cut = end
        newline = text.rfind("\n", start, end - 1)
        while newline != -1:
            if _is_cut_point(text, newline + 1):
                cut = newline + 1
                break
            newline = text.rfind("\n", start, newline)
        pieces.append(text[start:cut])
        start = cut
    pieces.append(text[start:])
    return pieces


def _load_encoder(encoding: str) -> _Counter:
    """Build a ``str -> int`` counter for ``encoding`` from bpe-openai's embedded data.

    Prefers the native tokenizer's ``count`` (no token list is built; about half the
    per-call cost of ``len(encode_ordinary(...))`` and no length limits). If a future
    bpe-openai drops that module, falls back to the public tiktoken-compatible API.
    """
    with warnings.catch_warnings():
        # bpe-openai 0.1.4 loads its data with the deprecated importlib.resources.open_binary;
        # that is its business, not something our users can act on.
        warnings.simplefilter("ignore", DeprecationWarning)
        bpe_openai: Any = importlib.import_module("bpe_openai")
    try:
        bindings: Any = importlib.import_module(_NATIVE_MODULE)
        native_count: _Counter = bindings.tokenizer_for_encoding(encoding).count
    except (ImportError, AttributeError):
        encode_ordinary: Callable[[str], list[int]] = bpe_openai.get_encoding(
            encoding
        ).encode_ordinary

        def public_count(text: str) -> int:
            if len(text) <= _FALLBACK_PIECE_CHARS:
                return len(encode_ordinary(text))
            pieces = _safe_split(text, _FALLBACK_PIECE_CHARS)
            return sum(len(encode_ordinary(piece)) for piece in pieces)

        return public_count
    return native_count


def _load_limited(encoding: str) -> _LimitedCounter:
    """Build a ``(str, limit) -> int | None`` counter that stops once ``limit`` is passed.

    The native tokenizer's ``count_till_limit`` walks the pre-tokens lazily and gives up as
    soon as the running count exceeds the limit, so its cost is proportional to the part of
    the text it had to read. Without the native module, the full count is compared instead.
    """
    counter = _encoder(encoding)
    try:
        bindings: Any = importlib.import_module(_NATIVE_MODULE)
        native: _LimitedCounter = bindings.tokenizer_for_encoding(encoding).count_till_limit
    except (ImportError, AttributeError):

        def full_then_compare(text: str, limit: int) -> int | None:
            n = counter(text)
            return n if n <= limit else None

        return full_then_compare
    return native


def _encoder(encoding: str) -> _Counter:
    """Load each encoding once per process, even when threads race for it."""
    counter = _ENCODERS.get(encoding)
    if counter is None:
        with _LOAD_LOCK:
            counter = _ENCODERS.get(encoding)
            if counter is None:
                counter = _load_encoder(encoding)
                _ENCODERS[encoding] = counter
    return counter


def _limited_encoder(encoding: str) -> _LimitedCounter:
    """Like :func:`_encoder`, for the limited counters (a race builds one twice, harmlessly)."""
    counter = _LIMITED_ENCODERS.get(encoding)
    if counter is None:
        counter = _LIMITED_ENCODERS[encoding] = _load_limited(encoding)
    return counter


def _limited_for(model: str) -> _LimitedCounter:
    """Slow path of :func:`count_tokens_upto`: route ``model`` and remember its counter."""
    counter = _limited_encoder(tokenizer_info(model).encoding)
    if len(_LIMITED) < _CACHE_LIMIT:
        _LIMITED[model] = counter
    return counter


def _counter_for(model: str) -> _Counter:
    """Slow path of :func:`count_tokens`: route ``model`` and remember its counter."""
    counter = _encoder(tokenizer_info(model).encoding)
    if len(_COUNTERS) < _CACHE_LIMIT:
        _COUNTERS[model] = counter
    return counter


def _scrub(text: str) -> str:
    """Replace lone surrogates with U+FFFD, exactly as tiktoken does before encoding."""
    return text.encode("utf-16", "surrogatepass").decode("utf-16", "replace")


# --- public counting -------------------------------------------------------------------------


def count_tokens(text: str, model: str = DEFAULT_MODEL) -> int:
    """Number of tokens ``model`` sees for ``text``; exact for OpenAI models, offline.

    Hot path (the codec's auto mode calls it on many small strings): one dict lookup, then
    the native counter. Special-token text counts as ordinary text; lone surrogates count
    as U+FFFD (as in tiktoken). See :func:`tokenizer_info` for which models are estimates.
    """
    if not text:
        return 0
    counter = _COUNTERS.get(model) or _counter_for(model)
    try:
        return counter(text)
    except UnicodeEncodeError:
        return counter(_scrub(text))


# A token is at least one UTF-8 byte, a character at most four (a lone surrogate, counted as
# U+FFFD, three): a text can never have more tokens than this many per character.
_MAX_TOKENS_PER_CHAR: Final = 4


def count_tokens_upto(text: str, limit: int, model: str = DEFAULT_MODEL) -> int | None:
    """``count_tokens(text, model)`` if that is at most ``limit``, else ``None``.

    For callers that only need to know whether a text beats a budget (the codec's auto mode
    comparing a candidate rendering with the best so far): the tokenizer stops as soon as
    the running count passes ``limit``, so a candidate that loses costs only the part of it
    that was read. The count, when returned, is exactly :func:`count_tokens`'s.
    """
    if limit < 0:
        return None
    if not text:
        return 0
    if limit >= _MAX_TOKENS_PER_CHAR * len(text):  # cannot be exceeded: plain count
        return count_tokens(text, model)
    counter = _LIMITED.get(model) or _limited_for(model)
    try:
        return counter(text, limit)
    except UnicodeEncodeError:
        return counter(_scrub(text), limit)


# A pre-token boundary is certain between an ASCII letter or digit and an ASCII punctuation
# character other than the apostrophe (which may open a contraction suffix such as "'s"):
# in both encodings' patterns a run of letters or of digits never takes punctuation after it.
# The class is string.punctuation without "'", as ranges; one regex search finds the first.
_BOUNDARY_RE: Final = re.compile(r"[A-Za-z0-9](?=[!-&(-/:-@\[-`{-~])")
_DIGITS: Final = frozenset(string.digits)


_BOUNDARY_LEFT: Final = frozenset(string.ascii_letters + string.digits)
_BOUNDARY_RIGHT: Final = frozenset(string.punctuation) - {"'"}


def boundary_at(text: str, i: int) -> bool:
    """Whether index ``i`` is a certain pre-token boundary of ``text`` (see
    :func:`certain_boundary`): ``text[i - 1]`` an ASCII letter or digit and ``text[i]`` ASCII
    punctuation other than ``'``. Then ``count(text) == count(text[:i]) + count(text[i:])``
    whatever surrounds ``text``.
    """
    return 0 < i < len(text) and text[i - 1] in _BOUNDARY_LEFT and text[i] in _BOUNDARY_RIGHT


def certain_boundary(text: str, start: int = 0) -> int:
    """The first index ``i`` (from ``start``) at which both encodings start a new pre-token
    whatever precedes ``text``, or -1: ``text[i - 1]`` an ASCII letter or digit and ``text[i]``
    ASCII punctuation other than ``'``. Counts then split there: ``count(p + text) ==
    count(p + text[:i]) + count(text[i:])`` for any prefix ``p``.
    """
    match = _BOUNDARY_RE.search(text, start)
    return -1 if match is None else match.end()


def last_certain_boundary(text: str, stop: int = 0) -> int:
    """The last index ``i > stop`` at which :func:`boundary_at` holds, or -1: where a text's
    last pre-tokens can be split off and counted apart (:func:`certain_boundary` from the
    other end)."""
    left, right = _BOUNDARY_LEFT, _BOUNDARY_RIGHT
    for i in range(len(text) - 1, max(stop, 0), -1):
        if text[i] in right and text[i - 1] in left:
            return i
    return -1


def _lane_table(members: str) -> bytes:
    """A ``bytes.translate`` table mapping each byte of ``members`` to 1, every other to 0."""
    chosen = members.encode("ascii")
    return bytes(1 if byte in chosen else 0 for byte in range(256))


# Character classes of pretoken_floor, one byte lane each: ASCII letters, digits, the space,
# the apostrophe, and the rest of printable ASCII. Everything else (controls, every byte of a
# non-ASCII character) is in no class, so no rule can fire next to it.
_LETTER_LANES: Final = _lane_table(string.ascii_letters)
_DIGIT_LANES: Final = _lane_table(string.digits)
_SPACE_LANES: Final = _lane_table(" ")
_APOSTROPHE_LANES: Final = _lane_table("'")
_PUNCT_LANES: Final = _lane_table(string.punctuation.replace("'", ""))


def pretoken_floor(text: str) -> int:
    """A lower bound of ``count_tokens(text)`` for both encodings, without tokenizing.

    Every token lies inside one pre-token, so ``text`` has at least as many tokens as
    pre-tokens, and at least ``1 + `` the number of positions where a pre-token must start
    (for a non-empty text). Those positions are found from the classes of neighbouring ASCII
    characters, by rules that hold in both encodings' patterns whatever surrounds them:

    * a digit run never takes a non-digit, and nothing takes a digit in front of it, so a
      pre-token starts between a digit and any other letter, space, apostrophe or punctuation
      (either way round);
    * a letter run ends before punctuation or a space (contractions start with ``'``, which
      is left out), and a punctuation run ends before a space;
    * in punctuation-or-space, punctuation, letter (`` "a``, ``{"a``) the letter's pre-token
      takes at most one character in front of it, so one of the two positions starts one;
    * a pre-token holds at most three digits, so a run of 4+ digits has a start inside it
      and one of 7+ two (``1700000000`` is ``170|000|000|0``); counted at the run's 4th and
      7th digit, where no other rule looks.

    Non-ASCII characters and controls fire no rule (their classes are not known here), so
    the bound stays sound for any text; it is exact-ish on JSON-like ASCII and loose on prose
    with long words. The classes are byte lanes of big integers, so the whole scan is a few
    C-level passes (a quarter of a count's time on a 50 KB JSON text).
    """
    if not text:
        return 0
    return 1 + _floor_starts(text.encode("utf-8", "surrogatepass")).bit_count()


_FLOOR_LOOKBACK: Final = 7
"""Bytes before a position that :func:`pretoken_floor`'s rules read (the 7-digit run)."""


def pretoken_floors(text: str, first: int, size: int) -> Iterator[tuple[int, int, int]]:
    """:func:`pretoken_floor` read in chunks of UTF-8 bytes (``first``, then ``size`` each):
    after each chunk, ``(bytes read, total bytes, floor so far)``.

    Every rule looks back only, at most :data:`_FLOOR_LOOKBACK` bytes, so a start found in
    the part read is a start of the whole text: each floor so far is itself a lower bound of
    the count, and the last one is ``pretoken_floor(text)``. A caller that only needs to
    know whether the floor passes a limit stops reading once it does, and one that finds
    the first chunk too loose to get there stops after it.
    """
    raw = text.encode("utf-8", "surrogatepass")
    total = len(raw)
    floor = 1
    start = 0
    end = min(first, total)
    while start < total:
        context = min(start, _FLOOR_LOOKBACK)
        floor += (_floor_starts(raw[start - context : end]) >> (8 * context)).bit_count()
        yield end, total, floor
        start = end
        end = min(end + size, total)


def _floor_starts(raw: bytes) -> int:
    """The positions of ``raw`` where :func:`pretoken_floor`'s rules put a pre-token start,
    as the low bit of one byte lane each (byte ``i`` is bits ``8i`` to ``8i + 7``)."""
    lanes = int.from_bytes
    letters = lanes(raw.translate(_LETTER_LANES), "little")
    digits = lanes(raw.translate(_DIGIT_LANES), "little")
    spaces = lanes(raw.translate(_SPACE_LANES), "little")
    quotes = lanes(raw.translate(_APOSTROPHE_LANES), "little")
    punct = lanes(raw.translate(_PUNCT_LANES), "little")
    not_digit = letters | spaces | quotes | punct
    before_letter = punct | spaces | quotes
    two = digits & (digits << 8)  # lanes ending a run of 2+ digits, and so on
    four = two & (two << 16)
    seven = four & (two << 32) & (digits << 48)
    starts = (
        (digits & (not_digit << 8))
        | ((digits << 8) & not_digit)
        | ((letters << 8) & (punct | spaces))
        | ((punct << 8) & spaces)
        | ((before_letter << 16) & (punct << 8) & letters)
        | (four & ~(digits << 32))
        | (seven & ~(digits << 56))
    )
    return starts


def space_head(text: str) -> str | None:
    """The start of ``text`` whose pre-tokens a leading space can change, or None if unknown.

    ``""`` before an ASCII digit (the space is then a pre-token of its own in both encodings:
    no pattern joins a space to digits); otherwise ``text`` up to :func:`certain_boundary`.
    None when ``text`` is empty, starts with whitespace, or has no certain boundary.
    """
    if not text:
        return None
    first = text[0]
    if first in _DIGITS:
        return ""
    if first.isspace():
        return None
    end = certain_boundary(text)
    return None if end < 0 else text[:end]


def space_delta(text: str, model: str = DEFAULT_MODEL) -> int | None:
    """``count_tokens(" " + text) - count_tokens(text)`` without counting ``text``, or None.

    A leading space changes only the pre-tokens of :func:`space_head`, so the difference is
    ``count(" " + head) - count(head)``. For the codec's auto mode, which must know what
    indenting a block of table rows costs when it has counted them unindented.
    """
    head = space_head(text)
    if head is None:
        return None
    return count_tokens(" " + head, model) - count_tokens(head, model)


def count_tokens_batch(texts: Iterable[str], model: str = DEFAULT_MODEL) -> list[int]:
    """Token counts for many texts, in order.

    A plain loop over the native counter: bpe-openai's ``encode_ordinary_batch`` hands each
    text to a thread pool and measured ~20x slower for small strings.
    """
    counter = _COUNTERS.get(model) or _counter_for(model)
    counts: list[int] = []
    append = counts.append
    for text in texts:
        if not text:
            append(0)
            continue
        try:
            append(counter(text))
        except UnicodeEncodeError:
            append(counter(_scrub(text)))
    return counts
