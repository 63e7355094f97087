"""The settings every integration accepts, checked and resolved once.

A LangChain step, a LlamaIndex postprocessor and a LiteLLM hook take the same knobs (the
tokenizer model, the engine's thresholds and mode, which messages to leave alone, what to do
on failure, where the engine runs). :class:`IntegrationSettings` holds them, frozen: an
integration builds its backend from them once, so changing a knob afterwards could only be
silently ignored, and is refused instead.
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields, replace
from typing import Any, Literal, TypeVar

from pydantic import SecretStr

from ..client import KaizenClient, KaizenSyncClient
from ..engine import CompressionOptions
from ..models import DEFAULT_MIN_PERCENT_SAVED, DEFAULT_MIN_TOKENS_SAVED, DEFAULT_MODEL
from .backend import Backend, client_settings, is_remote, make_backend, secret_value

OnError = Literal["fallback", "raise"]
"""``fallback``: send the original input on, log and count; ``raise``: raise
:class:`~kaizen_client.integrations.KaizenCompressionError`."""
Mode = Literal["auto", "toon"]
"""``auto``: fewest tokens, lossless KTOF; ``toon``: plain TOON 4.0 only."""


class SettingsFrozenError(AttributeError):
    """A setting was assigned after the integration was built (it would be ignored)."""

    def __init__(self, owner: str, name: str) -> None:
        super().__init__(
            f"{owner}.{name} cannot be changed after it is built: its backend was made from the "
            f"settings it was given, so the new value would be ignored. Build a new one instead "
            f"(for example {owner}.with_settings({name}=...))."
        )
        self.owner = owner
        self.name = name


@dataclass(frozen=True)
class IntegrationSettings:
    """What an integration was asked to do; validated when built, never changed after.

    Remote mode is chosen by the integration's own settings only (``client``, ``base_url``
    other than ``"local"``, or ``api_key``); environment variables are not read. Given a
    ``client``, the URL and key it leaves unset come from the client's config, so a saved
    integration describes the server it talked to.
    """

    model: str = DEFAULT_MODEL
    """Tokenizer model used to decide whether a rewrite saves tokens."""
    min_tokens_saved: int = DEFAULT_MIN_TOKENS_SAVED
    min_percent_saved: float = DEFAULT_MIN_PERCENT_SAVED
    mode: Mode = "auto"
    preserve_prefix: int = 0
    """Leave the first N messages alone (e.g. a provider-cached prefix)."""
    respect_cache_control: bool = True
    """Leave messages marked with ``cache_control`` alone."""
    jsonl: bool = True
    """Treat a text whose every non-blank line is a JSON object or array as one table
    (the engine's ``jsonl`` fragment kind). A Kaizen server always does (no wire option)."""
    on_error: OnError = "fallback"
    client: KaizenClient | KaizenSyncClient | None = field(default=None, repr=False, compare=False)
    base_url: str | None = None
    """Kaizen server URL (``"local"`` or unset: the in-process engine)."""
    api_key: SecretStr | None = field(default=None, repr=False)
    """Kaizen API key; a plain string is accepted and kept as a ``SecretStr``."""

    def __post_init__(self) -> None:
        if self.on_error not in ("fallback", "raise"):
            raise ValueError(f"on_error must be 'fallback' or 'raise', not {self.on_error!r}")
        if self.mode not in ("auto", "toon"):
            raise ValueError(f"mode must be 'auto' or 'toon', not {self.mode!r}")
        for name in ("min_tokens_saved", "preserve_prefix"):
            if int(getattr(self, name)) < 0:
                raise ValueError(f"{name} must be >= 0, not {getattr(self, name)!r}")
        if not 0 <= self.min_percent_saved <= 100:
            raise ValueError(
                f"min_percent_saved must be between 0 and 100, not {self.min_percent_saved!r}"
            )
        key = self.api_key
        if isinstance(key, str):
            key = SecretStr(key)
        url = self.base_url
        if self.client is not None:
            url, key = client_settings(self.client, url, key)
        object.__setattr__(self, "api_key", key)
        object.__setattr__(self, "base_url", url)

    @classmethod
    def names(cls) -> tuple[str, ...]:
        """Every setting's name (what an integration's own fields may mirror)."""
        return tuple(f.name for f in fields(cls))

    @classmethod
    def of(cls, source: Any, **overrides: Any) -> IntegrationSettings:
        """The settings read from ``source``'s attributes of the same names, then ``overrides``.

        For integrations that are pydantic models with their own fields (LangChain,
        LlamaIndex): one line instead of listing every field again.
        """
        values = {name: getattr(source, name) for name in cls.names() if hasattr(source, name)}
        return cls(**{**values, **overrides})

    def with_changes(self, **changes: Any) -> IntegrationSettings:
        """A copy with ``changes`` applied and checked (the way to "change" a setting)."""
        return replace(self, **changes)

    @property
    def options(self) -> CompressionOptions:
        """The engine options these settings stand for."""
        return CompressionOptions(
            min_tokens_saved=self.min_tokens_saved,
            min_percent_saved=self.min_percent_saved,
            preserve_prefix=self.preserve_prefix,
            respect_cache_control=self.respect_cache_control,
            mode=self.mode,
            jsonl=self.jsonl,
        )

    @property
    def is_remote(self) -> bool:
        """Whether calls go to a Kaizen server rather than the in-process engine."""
        return is_remote(self.client, self.base_url, self.api_key)

    @property
    def secrets(self) -> tuple[str, ...]:
        """The keys these settings know, to be masked wherever an error is described."""
        found = [secret_value(self.api_key)]
        if self.client is not None:
            found.append(self.client.config.api_key)
        return tuple(key for key in found if key)

    def backend(self, *, offload: bool = False) -> Backend:
        """The backend these settings ask for (see :func:`~.backend.make_backend`)."""
        return make_backend(
            self.model,
            self.options,
            client=self.client,
            base_url=self.base_url,
            api_key=self.api_key,
            offload=offload,
        )


_C = TypeVar("_C", bound="SettingsFields")


class SettingsFields:
    """Mixin for integrations that expose the settings as their own (pydantic) fields.

    LangChain and LlamaIndex components are pydantic models whose fields mirror
    :class:`IntegrationSettings` (so they validate, serialize and show in traces).
    :meth:`freeze_settings` reads them once, after validation; assigning one later raises
    :class:`SettingsFrozenError` (the backend is already built, the value would be
    ignored); :meth:`with_settings` builds a changed copy. The component keeps what it
    built from them as ``_kaizen`` (an ``IntegrationRuntime``, a pydantic private
    attribute), which :attr:`settings` and :attr:`is_remote` read.
    """

    @property
    def settings(self) -> IntegrationSettings:
        """The settings this component was built with (frozen)."""
        settings: IntegrationSettings = getattr(self, "_kaizen").settings  # noqa: B009
        return settings

    @property
    def is_remote(self) -> bool:
        """Whether calls go to a Kaizen server rather than the in-process engine."""
        return self.settings.is_remote

    def freeze_settings(self, **overrides: Any) -> IntegrationSettings:
        """The settings these fields stand for; a client's URL and key fill unset fields."""
        settings = IntegrationSettings.of(self, **overrides)
        given: set[str] = getattr(self, "__pydantic_fields_set__", set())
        for name in ("base_url", "api_key"):
            if getattr(self, name, None) is None and getattr(settings, name) is not None:
                object.__setattr__(self, name, getattr(settings, name))  # past the freeze
                given.add(name)  # so it is serialized too
        return settings

    def __setattr__(self, name: str, value: Any) -> None:
        if name in IntegrationSettings.names():
            raise SettingsFrozenError(type(self).__name__, name)
        super().__setattr__(name, value)

    def with_settings(self: _C, **changes: Any) -> _C:
        """A new one with ``changes`` applied; what was given to this one is kept."""
        given: set[str] = getattr(self, "model_fields_set", set())
        return type(self)(**{**{name: getattr(self, name) for name in given}, **changes})


__all__ = ["IntegrationSettings", "Mode", "OnError", "SettingsFields", "SettingsFrozenError"]
