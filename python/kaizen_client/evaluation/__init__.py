"""``kaizen eval``: does the model still answer right when its data is sent as KTOF?

Questions are generated from the user's data with gold answers computed from it, asked once
per format (compact JSON, pretty JSON, TOON, KTOF) with prompts identical except for the data
block, and scored by normalised exact match with Wilson 95 % intervals and prompt tokens.
Model calls go through LiteLLM (any model string, any OpenAI-compatible ``api_base``), with a
disk cache and a cost guard. See docs/evaluation.md.
"""

from .data import Dataset, load_datasets, sample_datasets
from .formats import FORMATS, build_prompt, render
from .questions import Question, generate_questions, load_questions, normalise
from .runner import CostLimitError, RunResult, arun, run
from .scoring import FormatResult, score, wilson_interval

__all__ = [
    "FORMATS",
    "CostLimitError",
    "Dataset",
    "FormatResult",
    "Question",
    "RunResult",
    "arun",
    "build_prompt",
    "generate_questions",
    "load_datasets",
    "load_questions",
    "normalise",
    "render",
    "run",
    "sample_datasets",
    "score",
    "wilson_interval",
]
