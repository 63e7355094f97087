"""The public names, and that the core import does not need the optional ``langchain``."""

from __future__ import annotations

import subprocess
import sys

import langchain_kaizen

EXPECTED_ALL = [
    "COMPRESSION_EVENT",
    "ERROR_EVENT",
    "AsyncKaizenCallbackHandler",
    "KaizenCallbackHandler",
    "KaizenCompressor",
    "KaizenMiddleware",
    "KaizenOutputParser",
    "KaizenUsage",
    "SERIALIZABLE_MAPPING",
    "__version__",
    "load_options",
]


def test_all_imports() -> None:
    assert sorted(langchain_kaizen.__all__) == sorted(EXPECTED_ALL)
    for name in EXPECTED_ALL:
        assert getattr(langchain_kaizen, name) is not None


def test_importing_does_not_load_langchain_agents() -> None:
    code = (
        "import sys, langchain_kaizen; "
        "sys.exit(any(m == 'langchain' or m.startswith('langchain.') for m in sys.modules))"
    )
    assert subprocess.call([sys.executable, "-c", code]) == 0
