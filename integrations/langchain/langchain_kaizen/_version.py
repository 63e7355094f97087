"""The version of langchain-kaizen, in one place.

Hatch reads it at build time (``[tool.hatch.version]`` in pyproject.toml) and the package's
``__version__`` re-exports it, so the published metadata and the import cannot disagree.
"""

__version__ = "0.1.0"
