"""LiteLLM's bundled price map, never a download (before LiteLLM is first imported)."""

import os

os.environ["LITELLM_LOCAL_MODEL_COST_MAP"] = "True"
