"""Scores: accuracy with a Wilson 95 % interval, per format and per question kind."""

from __future__ import annotations

import math
from dataclasses import dataclass, field

Z95 = 1.959963984540054


def wilson_interval(correct: int, total: int, z: float = Z95) -> tuple[float, float]:
    """The Wilson score interval for ``correct`` of ``total``: unlike the normal
    approximation it stays inside [0, 1] and is honest at 0 % and 100 % with few questions."""
    if total <= 0:
        return (0.0, 1.0)
    p = correct / total
    denom = 1 + z * z / total
    centre = (p + z * z / (2 * total)) / denom
    half = z * math.sqrt(p * (1 - p) / total + z * z / (4 * total * total)) / denom
    low, high = max(0.0, centre - half), min(1.0, centre + half)
    # Exactly 0 / 1 at the edges, where the formula is exact but floating point is not
    # (10/10 would give 0.9999999999999999, a bound below the accuracy it is about).
    return (0.0 if correct <= 0 else low, 1.0 if correct >= total else high)


@dataclass
class FormatResult:
    """One format's score over all questions."""

    format: str
    correct: int = 0
    total: int = 0
    prompt_tokens: int = 0
    by_kind: dict[str, list[int]] = field(default_factory=dict)  # kind -> [correct, total]

    @property
    def accuracy(self) -> float:
        return self.correct / self.total if self.total else 0.0

    @property
    def interval(self) -> tuple[float, float]:
        return wilson_interval(self.correct, self.total)

    @property
    def accuracy_per_1k_tokens(self) -> float:
        """Accuracy (in %) per 1,000 prompt tokens, over the whole run."""
        return 100 * self.accuracy / (self.prompt_tokens / 1000) if self.prompt_tokens else 0.0


def score(fmt: str, rows: list[tuple[str, bool, int]]) -> FormatResult:
    """``rows`` of (kind, correct, prompt tokens) for one format."""
    result = FormatResult(fmt)
    for kind, ok, tokens in rows:
        result.total += 1
        result.correct += ok
        result.prompt_tokens += tokens
        slot = result.by_kind.setdefault(kind, [0, 0])
        slot[0] += ok
        slot[1] += 1
    return result


def within(candidate: FormatResult, reference: FormatResult) -> bool:
    """Is ``candidate``'s accuracy inside ``reference``'s 95 % interval (or above it)?"""
    return candidate.accuracy >= reference.interval[0]
