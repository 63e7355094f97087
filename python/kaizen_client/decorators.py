"""``with_kaizen_client``: give a function a ready client and close it afterwards.

Works as in 0.1.4 (a ``kaizen`` keyword argument is injected unless the caller supplied one,
and a client the decorator created is closed when the function returns) and also on plain
``def`` functions, which get a ``KaizenSyncClient``. A caller may pass its own client by
keyword or, when the function declares a ``kaizen`` parameter, by position.
"""

from __future__ import annotations

import functools
import inspect
from collections.abc import Callable
from typing import Any, TypeVar

from .client import KaizenClient, KaizenSyncClient
from .config import KaizenClientConfig

F = TypeVar("F", bound=Callable[..., Any])


def _kaizen_position(func: Callable[..., Any]) -> tuple[int | None, bool]:
    """Index of a positional ``kaizen`` parameter (or None), and whether it is positional-only."""
    try:
        params = list(inspect.signature(func).parameters.values())
    except (TypeError, ValueError):
        return None, False
    positional = (inspect.Parameter.POSITIONAL_ONLY, inspect.Parameter.POSITIONAL_OR_KEYWORD)
    for index, param in enumerate(params):
        if param.kind not in positional:
            break
        if param.name == "kaizen":
            return index, param.kind is inspect.Parameter.POSITIONAL_ONLY
    return None, False


def _with_client(
    args: tuple[Any, ...],
    kwargs: dict[str, Any],
    client: Any,
    position: int | None,
    positional_only: bool,
) -> tuple[tuple[Any, ...], dict[str, Any]]:
    """Arguments with ``client`` put where the caller left ``kaizen`` missing or None."""
    if position is not None and len(args) > position:
        return (*args[:position], client, *args[position + 1 :]), kwargs
    if positional_only and position is not None and len(args) == position:
        return (*args, client), kwargs
    return args, {**kwargs, "kaizen": client}


def with_kaizen_client(config: KaizenClientConfig | None = None) -> Callable[[F], F]:
    """Decorate a function so it receives a ``kaizen`` client it does not have to manage.

    ``async def`` functions get a :class:`KaizenClient`, ``def`` functions a
    :class:`KaizenSyncClient`. A client supplied by the caller is used as is and not closed.
    """

    def decorator(func: F) -> F:
        position, positional_only = _kaizen_position(func)

        def supplied(args: tuple[Any, ...], kwargs: dict[str, Any]) -> bool:
            if kwargs.get("kaizen") is not None:
                return True
            return position is not None and len(args) > position and args[position] is not None

        if inspect.iscoroutinefunction(func):

            @functools.wraps(func)
            async def async_wrapper(*args: Any, **kwargs: Any) -> Any:
                if supplied(args, kwargs):
                    return await func(*args, **kwargs)
                # As 0.1.4: create, call, then ``close()`` - so a stand-in client (a test
                # double with only ``close``) works as well as the real one.
                kaizen = KaizenClient(config=config)
                try:
                    a, kw = _with_client(args, kwargs, kaizen, position, positional_only)
                    return await func(*a, **kw)
                finally:
                    closing = kaizen.close()
                    if inspect.isawaitable(closing):
                        await closing

            return async_wrapper  # type: ignore[return-value]

        @functools.wraps(func)
        def sync_wrapper(*args: Any, **kwargs: Any) -> Any:
            if supplied(args, kwargs):
                return func(*args, **kwargs)
            kaizen = KaizenSyncClient(config=config)
            try:
                a, kw = _with_client(args, kwargs, kaizen, position, positional_only)
                return func(*a, **kw)
            finally:
                kaizen.close()

        return sync_wrapper  # type: ignore[return-value]

    return decorator


__all__ = ["with_kaizen_client"]
