"""The contract of a spec extension: the keys it owns, and its part in each stage of the pipeline."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Generic, TypeVar

if TYPE_CHECKING:
    from ..context import SpecContext
    from ..draft import ServiceDraft
    from ..ir import Models

F = TypeVar("F")


@dataclass(frozen=True)
class MethodName:
    """A method an extension gives a resource, for the check that names are unique per resource."""

    resource: str  # "?" when the operation's resource is itself wrong (reported elsewhere)
    name: str
    ptr: str  # where the name was written (or derived from)
    derived: bool  # made from another name (`iter_list`): a clash is reported at the other one
    order: tuple[int, int]  # (operation index, rank within it): who came first


@dataclass(frozen=True)
class Extension(Generic[F]):
    """One spec extension. `read` is required; every other stage is optional (None: no part in it).

    - `read(spec) -> F`: find the keys in one spec, check them, and return typed facts; report each
      problem with `spec.report(pointer, message)` and leave what is wrong out of the facts. It
      may use the facts of extensions listed before it (`spec.facts(other.EXTENSION)`).
    - `across(specs)`: rules over all spec files at once (a name two services must not share).
    - `methods(spec, facts)`: the SDK methods it adds to resources (checked for clashes).
    - `build(facts, draft)`: add its IR to the service being built (`draft.ServiceDraft`):
      operation fields, waiters, or a module of its own rendered through its own template.
    - `models(facts, models) -> Models`: change what the models step makes (the document given to
      datamodel-code-generator, field aliases, or a rewrite of its source before it is split).
    """

    name: str
    keys: tuple[str, ...]  # the `x-` keys it owns: no other module of the pipeline reads them
    read: Callable[[SpecContext], F]
    across: Callable[[Sequence[SpecContext]], None] | None = None
    methods: Callable[[SpecContext, F], Iterable[MethodName]] | None = None
    build: Callable[[F, ServiceDraft], None] | None = None
    models: Callable[[F, Models], Models] | None = None
