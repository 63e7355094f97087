"""IntegrationSettings: checked once, frozen, and the one place backends are chosen from."""

from __future__ import annotations

import dataclasses
import logging
import subprocess
import sys

import pydantic
import pytest
from pydantic import SecretStr

from kaizen_client import KaizenClientConfig, KaizenSyncClient
from kaizen_client.engine import CompressionOptions
from kaizen_client.integrations import (
    IntegrationRuntime,
    IntegrationSettings,
    LocalBackend,
    RemoteBackend,
    SavingsTotals,
    SettingsFields,
    SettingsFrozenError,
)

LOG = logging.getLogger("kaizen_client.tests.settings")


def test_defaults_are_local_and_the_engines() -> None:
    settings = IntegrationSettings()
    assert not settings.is_remote and settings.secrets == ()
    assert settings.options == CompressionOptions(
        min_tokens_saved=settings.min_tokens_saved, min_percent_saved=settings.min_percent_saved
    )
    assert isinstance(settings.backend(), LocalBackend)
    assert settings.backend(offload=True) == LocalBackend(
        settings.model, settings.options, offload=True
    )


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"on_error": "ignore"}, "on_error must be 'fallback' or 'raise', not 'ignore'"),
        ({"mode": "json"}, "mode must be 'auto' or 'toon'"),
        ({"min_tokens_saved": -1}, "min_tokens_saved must be >= 0"),
        ({"preserve_prefix": -2}, "preserve_prefix must be >= 0"),
        ({"min_percent_saved": 101}, "min_percent_saved must be between 0 and 100"),
    ],
)
def test_bad_settings_name_what_is_wrong(change: dict[str, object], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        IntegrationSettings(**change)  # type: ignore[arg-type]


def test_frozen_and_changed_by_copy() -> None:
    settings = IntegrationSettings(min_tokens_saved=3)
    with pytest.raises(dataclasses.FrozenInstanceError):
        settings.min_tokens_saved = 4  # type: ignore[misc]
    changed = settings.with_changes(min_tokens_saved=4, mode="toon")
    assert (changed.min_tokens_saved, changed.mode, settings.min_tokens_saved) == (4, "toon", 3)
    with pytest.raises(ValueError, match="on_error"):
        settings.with_changes(on_error="maybe")


def test_a_plain_key_is_kept_secret_and_masked() -> None:
    settings = IntegrationSettings(api_key="sk-plain-key-12345")  # type: ignore[arg-type]
    assert isinstance(settings.api_key, SecretStr)
    assert settings.is_remote and settings.secrets == ("sk-plain-key-12345",)
    assert "sk-plain-key-12345" not in repr(settings)
    backend = settings.backend()
    assert isinstance(backend, RemoteBackend)


def test_a_client_fills_what_is_unset() -> None:
    config = KaizenClientConfig(base_url="http://kaizen.test", api_key="sk-client-key-678")
    client = KaizenSyncClient(config)
    settings = IntegrationSettings(client=client)
    assert settings.base_url == "http://kaizen.test" and settings.is_remote
    assert settings.api_key is not None
    assert settings.api_key.get_secret_value() == "sk-client-key-678"
    assert settings.secrets == ("sk-client-key-678", "sk-client-key-678")
    own = IntegrationSettings(client=client, base_url="http://own.test")
    assert own.base_url == "http://own.test"


def test_of_reads_an_objects_attributes() -> None:
    class Component:
        model = "gpt-4"
        min_tokens_saved = 9
        mode = "toon"
        unrelated = "ignored"

    settings = IntegrationSettings.of(Component(), respect_cache_control=False)
    assert (settings.model, settings.min_tokens_saved, settings.mode) == ("gpt-4", 9, "toon")
    assert settings.respect_cache_control is False
    assert "unrelated" not in IntegrationSettings.names()


def test_frozen_error_says_what_to_do() -> None:
    error = SettingsFrozenError("KaizenCompressor", "mode")
    assert isinstance(error, AttributeError)
    assert "KaizenCompressor.mode cannot be changed" in str(error)
    assert "with_settings(mode=...)" in str(error)


def test_the_integration_core_imports_no_framework_or_provider() -> None:
    """``kaizen_client.integrations`` is what framework packages build on: it needs none."""
    forbidden = ("langchain", "langchain_core", "llama_index", "litellm", "openai", "anthropic")
    code = (
        "import sys, kaizen_client.integrations; "
        f"bad = [m for m in sys.modules if m.split('.')[0] in {forbidden!r}]; "
        "print(bad); sys.exit(1 if bad else 0)"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr


class Component(SettingsFields, pydantic.BaseModel):
    """A pydantic component mirroring the settings, as LangChain and LlamaIndex ones do."""

    model_config = pydantic.ConfigDict(arbitrary_types_allowed=True)
    model: str = "gpt-4o"
    min_tokens_saved: int = 20
    base_url: str | None = None
    api_key: SecretStr | None = None
    client: KaizenSyncClient | None = None
    label: str = "mine"

    def model_post_init(self, context: object, /) -> None:
        self._runtime = IntegrationRuntime(self.freeze_settings(), SavingsTotals, logger=LOG)


def test_settings_fields_freeze_adopt_and_copy() -> None:
    client = KaizenSyncClient(KaizenClientConfig(base_url="http://kaizen.test", api_key="sk-c-99"))
    component = Component(client=client, min_tokens_saved=5)
    assert component.base_url == "http://kaizen.test"  # adopted from the client, serialized
    assert {"base_url", "api_key", "client", "min_tokens_saved"} <= component.model_fields_set
    assert component._runtime.settings.is_remote
    assert isinstance(component._runtime.backend, RemoteBackend)
    with pytest.raises(SettingsFrozenError, match=r"Component\.min_tokens_saved"):
        component.min_tokens_saved = 6
    component.label = "other"  # not a setting
    changed = component.with_settings(min_tokens_saved=7)
    assert changed.min_tokens_saved == 7 and changed.client is client
    assert changed._runtime.settings.min_tokens_saved == 7
    local = Component()
    assert not local._runtime.settings.is_remote and local.base_url is None
