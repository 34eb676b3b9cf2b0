"""Module-level `__getattr__`/`__dir__`: a models module's classes created on first use, and a
module's public names listed once (not what it imported)."""

from __future__ import annotations

import importlib
from collections.abc import Callable, Iterable, Mapping, Sequence
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

    return __getattr__, public_dir(namespace, names)


def public_dir(namespace: Mapping[str, Any], *names: Iterable[str]) -> Callable[[], list[str]]:
    """`__dir__` for the module whose globals are `namespace`: its public `names` (its
    `__all__`, the submodules it imports on first use) and its dunders, each once; the names it
    imported for its own use (`Any`, `annotations`, ...) are not its to show."""
    public = frozenset(name for group in names for name in group)

    def __dir__() -> list[str]:
        return sorted(public.union(name for name in namespace if name.startswith("__")))

    return __dir__
