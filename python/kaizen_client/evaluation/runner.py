"""The run: prompts for every (question, format), a cost estimate and guard, cached model calls
through LiteLLM with a concurrency limit, and the scores.

LiteLLM is imported only here and only when a run starts (``pip install kaizen-client[eval]``).
Its bundled price map is used (``LITELLM_LOCAL_MODEL_COST_MAP=True``), so the estimate needs no
network. A response cache on disk, keyed by model, endpoint and exact messages, makes a re-run
send nothing.
"""

from __future__ import annotations

import asyncio
import hashlib
import importlib
import json
import os
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TextIO

from .. import tokens
from .data import Dataset
from .formats import FORMATS, build_prompt, render
from .pacing import Pacer
from .questions import Question, normalise
from .scoring import FormatResult, score

ANSWER_TOKENS = 16
"""Completion tokens budgeted per call in the cost estimate (answers are short)."""


class CostLimitError(Exception):
    """The estimate is above ``--max-cost`` (or unknown while a limit is set): nothing sent."""


@dataclass(frozen=True)
class Call:
    """One prompt to send: a question in one format."""

    question: Question
    format: str
    prompt: str
    prompt_tokens: int


@dataclass
class RunResult:
    """Everything the report needs."""

    model: str
    tokens_exact: bool
    tokenizer_note: str
    estimated_cost: float | None
    formats: list[FormatResult]
    answers: list[dict[str, Any]] = field(default_factory=list)
    sent: int = 0
    cached: int = 0


def _litellm() -> Any:
    os.environ.setdefault("LITELLM_LOCAL_MODEL_COST_MAP", "True")
    try:
        return importlib.import_module("litellm")
    except ImportError:
        raise RuntimeError("kaizen eval needs LiteLLM: pip install 'kaizen-client[eval]'") from None


def plan(
    datasets: list[Dataset], questions: list[Question], model: str, formats: list[str]
) -> list[Call]:
    """Every call of the run, with its exact (or estimated, see ``tokens``) prompt tokens."""
    values = {d.name: d.value for d in datasets}
    blocks: dict[tuple[str, str], str] = {}
    calls = []
    for q in questions:
        for fmt in formats:
            if fmt not in FORMATS:
                raise ValueError(f"unknown format {fmt!r}: use one of {', '.join(FORMATS)}")
            block = blocks.get((q.dataset, fmt))
            if block is None:
                block = blocks[(q.dataset, fmt)] = render(values[q.dataset], fmt)
            prompt = build_prompt(block, q.text)
            calls.append(Call(q, fmt, prompt, tokens.count_tokens(prompt, model)))
    return calls


def estimate_cost(calls: list[Call], model: str) -> float | None:
    """Dollars for the whole run from LiteLLM's price map; None when the model has no price."""
    litellm = _litellm()
    prompt = sum(c.prompt_tokens for c in calls)
    try:
        cost_in, cost_out = litellm.cost_per_token(
            model=model, prompt_tokens=prompt, completion_tokens=ANSWER_TOKENS * len(calls)
        )
    except Exception:  # LiteLLM raises for a model absent from its map
        return None
    return float(cost_in) + float(cost_out)


class ResponseCache:
    """One JSON file per (model, endpoint, messages), so a re-run answers from disk."""

    def __init__(self, directory: Path | None) -> None:
        self.directory = directory

    def key(self, model: str, api_base: str | None, messages: list[dict[str, str]]) -> str:
        blob = json.dumps([model, api_base or "", messages], sort_keys=True)
        return hashlib.sha256(blob.encode()).hexdigest()

    def get(self, key: str) -> str | None:
        if self.directory is None:
            return None
        path = self.directory / f"{key}.json"
        if not path.is_file():
            return None
        return str(json.loads(path.read_text(encoding="utf-8"))["answer"])

    def put(self, key: str, answer: str) -> None:
        if self.directory is None:
            return
        self.directory.mkdir(parents=True, exist_ok=True)
        tmp = self.directory / f"{key}.tmp"
        tmp.write_text(json.dumps({"answer": answer}), encoding="utf-8")
        tmp.replace(self.directory / f"{key}.json")


class Progress:
    """A one-line progress bar on a terminal (nothing when not a TTY or disabled)."""

    def __init__(self, total: int, stream: TextIO, enabled: bool) -> None:
        self.total, self.done, self.stream, self.enabled = total, 0, stream, enabled

    def step(self) -> None:
        self.done += 1
        if self.enabled:
            filled = 30 * self.done // max(1, self.total)
            bar = "#" * filled + "-" * (30 - filled)
            self.stream.write(f"\r[{bar}] {self.done}/{self.total}")
            if self.done == self.total:
                self.stream.write("\n")
            self.stream.flush()


async def _ask_all(
    calls: list[Call],
    model: str,
    api_base: str | None,
    api_key: str | None,
    concurrency: int,
    retries: int,
    cache: ResponseCache,
    progress: Progress,
    rpm: float | None,
) -> tuple[list[str], int, int]:
    litellm = _litellm()
    gate = asyncio.Semaphore(concurrency)
    pacer = Pacer(rpm)
    counts = {"sent": 0, "cached": 0}

    async def ask(call: Call) -> str:
        messages = [{"role": "user", "content": call.prompt}]
        key = cache.key(model, api_base, messages)
        hit = cache.get(key)
        if hit is not None:
            counts["cached"] += 1
            progress.step()
            return hit
        async with gate:
            await pacer.wait()
            extra: dict[str, Any] = {}
            if api_base:
                extra["api_base"] = api_base
            if api_key:
                extra["api_key"] = api_key
            response = await litellm.acompletion(
                model=model,
                messages=messages,
                temperature=0,
                max_tokens=ANSWER_TOKENS * 4,
                num_retries=retries,
                **extra,
            )
        answer = str(response.choices[0].message.content or "")
        counts["sent"] += 1
        cache.put(key, answer)
        progress.step()
        return answer

    answers = await asyncio.gather(*(ask(c) for c in calls))
    return list(answers), counts["sent"], counts["cached"]


async def arun(
    datasets: list[Dataset],
    questions: list[Question],
    model: str,
    *,
    formats: list[str] | None = None,
    api_base: str | None = None,
    api_key: str | None = None,
    concurrency: int = 4,
    rpm: float | None = None,
    retries: int = 2,
    cache_dir: Path | None = None,
    max_cost: float | None = None,
    progress: bool = False,
    stream: TextIO | None = None,
    on_plan: Callable[[list[Call], float | None], None] | None = None,
) -> RunResult:
    """Plan, estimate, guard, ask (at most ``concurrency`` in flight, at most ``rpm`` started
    per minute) and score. Raises ``CostLimitError`` before sending anything
    when the estimate exceeds ``max_cost``."""
    formats = formats or list(FORMATS)
    calls = plan(datasets, questions, model, formats)
    cost = estimate_cost(calls, model)
    if on_plan is not None:
        on_plan(calls, cost)
    if max_cost is not None:
        if cost is None:
            raise CostLimitError(
                f"no price for model {model!r} in LiteLLM's map, so the cost of {len(calls)} "
                "calls cannot be checked against --max-cost; drop --max-cost to run anyway"
            )
        if cost > max_cost:
            raise CostLimitError(
                f"estimated cost ${cost:.4f} for {len(calls)} calls to {model} is above "
                f"--max-cost ${max_cost:.4f}; nothing was sent"
            )
    bar = Progress(len(calls), stream or sys.stderr, progress)
    answers, sent, cached = await _ask_all(
        calls,
        model,
        api_base,
        api_key,
        concurrency,
        retries,
        ResponseCache(cache_dir),
        bar,
        rpm,
    )
    rows: dict[str, list[tuple[str, bool, int]]] = {f: [] for f in formats}
    log = []
    for call, answer in zip(calls, answers, strict=True):
        ok = normalise(answer) == call.question.gold
        rows[call.format].append((call.question.kind, ok, call.prompt_tokens))
        log.append(
            {
                "id": call.question.id,
                "dataset": call.question.dataset,
                "kind": call.question.kind,
                "format": call.format,
                "question": call.question.text,
                "gold": call.question.gold,
                "answer": answer,
                "correct": ok,
                "prompt_tokens": call.prompt_tokens,
            }
        )
    info = tokens.tokenizer_info(model)
    return RunResult(
        model=model,
        tokens_exact=info.exact,
        tokenizer_note=info.note,
        estimated_cost=cost,
        formats=[score(f, rows[f]) for f in formats],
        answers=log,
        sent=sent,
        cached=cached,
    )


def run(*args: Any, **kwargs: Any) -> RunResult:
    """``arun`` from synchronous code (the CLI); inside an event loop, await ``arun``."""
    return asyncio.run(arun(*args, **kwargs))
