"""Former Python names that keep working, with a DeprecationWarning: method and model keywords.

A spec may rename what Python calls a parameter or a field (`x-sdk-name`, or the wire spelling
replacing a documented one: spec/README.md). The generated code keeps the former names as
deprecated aliases: a method takes its former keywords through `renamed`, a model's constructor
through `Model`'s map of them (`renamed_keywords`), and a model's former attributes are
deprecated properties. Type checkers see only the new names.
"""

from __future__ import annotations

import functools
import inspect
import warnings
from collections.abc import Callable, Mapping
from typing import Any, TypeVar, cast

F = TypeVar("F", bound=Callable[..., Any])


def renamed_keywords(owner: str, given: dict[str, Any], names: Mapping[str, str]) -> dict[str, Any]:
    """`given` with each former keyword (a key of `names`) under its new name, warning once per
    keyword; `owner` names the callable in the messages. Both names at once are a TypeError."""
    out = dict(given)
    for old, new in names.items():
        if old not in out:
            continue
        if new in out:
            raise TypeError(
                f"{owner}() got both {old!r} and {new!r}; {old!r} is the former "
                f"name of {new!r}: pass only {new!r}"
            )
        warnings.warn(
            f"{owner}(): keyword {old!r} is deprecated, use {new!r}",
            DeprecationWarning,
            stacklevel=3,
        )
        out[new] = out.pop(old)
    return out


def renamed(owner: str, names: Mapping[str, str]) -> Callable[[F], F]:
    """A method decorator: the former keywords in `names` (old -> new) still work, deprecated.

    A keyword given under its new name and also its former one is a TypeError, not a guess.
    """

    def decorate(method: F) -> F:
        if inspect.iscoroutinefunction(method):

            @functools.wraps(method)
            async def async_wrapper(*args: Any, **kwargs: Any) -> Any:
                if not kwargs.keys().isdisjoint(names):
                    kwargs = renamed_keywords(owner, kwargs, names)
                return await method(*args, **kwargs)

            return cast(F, async_wrapper)

        @functools.wraps(method)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            if not kwargs.keys().isdisjoint(names):
                kwargs = renamed_keywords(owner, kwargs, names)
            return method(*args, **kwargs)

        return cast(F, wrapper)

    return decorate
