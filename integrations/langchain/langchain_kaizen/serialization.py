"""Loading saved chains that contain Kaizen steps, with one argument.

``langchain_core.load`` only builds classes it is told about: its ``allowed_objects="core"``
and ``"all"`` cover the classes in its own mapping, so a dumped chain with a
:class:`~langchain_kaizen.KaizenCompressor` in it used to need every class of the chain
listed by hand. :func:`load_options` gives the keyword arguments that admit this package's
classes next to LangChain's own::

    from langchain_core.load import loads
    from langchain_kaizen import load_options

    chain = loads(text, allowed_objects="core", secrets_map={...}, **load_options())
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

NAMESPACE = "langchain_kaizen"

SERIALIZABLE_MAPPING: dict[tuple[str, ...], tuple[str, ...]] = {
    (NAMESPACE, "compressor", "KaizenCompressor"): (NAMESPACE, "compressor", "KaizenCompressor"),
}
"""Every serializable class of this package, as ``additional_import_mappings`` wants it
(serialized id -> import path). With ``allowed_objects="core"`` or ``"all"`` these paths
are admitted too."""


def load_options(
    *,
    valid_namespaces: Iterable[str] = (),
    additional_import_mappings: Mapping[tuple[str, ...], tuple[str, ...]] | None = None,
) -> dict[str, Any]:
    """Keyword arguments for ``langchain_core.load.load``/``loads`` that admit Kaizen's classes.

    ``valid_namespaces`` and ``additional_import_mappings`` of your own (other partner
    packages) are merged in, so this stays the one argument to pass.
    """
    return {
        "valid_namespaces": [NAMESPACE, *valid_namespaces],
        "additional_import_mappings": {
            **SERIALIZABLE_MAPPING,
            **(additional_import_mappings or {}),
        },
    }


__all__ = ["SERIALIZABLE_MAPPING", "load_options"]
