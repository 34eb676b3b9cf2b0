"""Module-level `__getattr__`/`__dir__` that create a models module's classes on first use."""

from __future__ import annotations

import importlib
from collections.abc import Callable, Mapping, Sequence
from typing import Any


def lazy_names(
    namespace: dict[str, Any], modules: Mapping[str, str], names: Sequence[str]
) -> tuple[Callable[[str], Any], Callable[[], list[str]]]:
    """`__getattr__` and `__dir__` for the module whose globals are `namespace`.

    `modules` maps each public name to the private module of `<package>._models` defining it.
    Asking for a name imports that module and copies all it defines into `namespace`.
    """
    package = f"{namespace['__package__']}._models"
    public = namespace["__name__"]

    def __getattr__(name: str) -> Any:
        try:
            where = modules[name]
        except KeyError:
            raise AttributeError(f"module {public!r} has no attribute {name!r}") from None
        module = importlib.import_module(f"{package}.{where}")
        for key, value in vars(module).items():
            if isinstance(value, type) and value.__module__ == module.__name__:
                value.__module__ = public  # the classes' home, as pickle and repr show it
            if not key.startswith("__"):
                # what the classes' annotations name too: pydantic resolves them here, in
                # the module of `__module__`, when it builds a schema
                namespace.setdefault(key, value)
        return namespace[name]

    def __dir__() -> list[str]:
        return sorted({*namespace, *names})

    return __getattr__, __dir__
