"""The instance a LiteLLM Proxy config names: ``callbacks: kaizen_litellm.proxy_handler_instance``.

Local engine, default settings. For other settings, write a module of your own next to
config.yaml with ``proxy_handler_instance = KaizenHook(...)`` and name that module.
"""

from __future__ import annotations

from .hook import KaizenHook

proxy_handler_instance = KaizenHook()
