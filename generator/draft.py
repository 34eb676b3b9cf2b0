"""A service's IR while it is built: the core operations first, then what each extension adds."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from typing import Any

from .ir import ClientOption, Operation, ServiceModule, Waiter
from .schema_types import SchemaTypes


@dataclass
class ServiceDraft:
    """What an extension's `build` may read and change; `build.build_service` freezes it."""

    name: str  # the service's Python sub-package, e.g. "cdm"
    types: SchemaTypes  # typing schemas, and the models the client module names
    resources: dict[str, list[Operation]] = field(default_factory=dict)  # in the spec's order
    options: list[ClientOption] = field(default_factory=list)  # of the client's constructor
    waiters: dict[str, list[Waiter]] = field(default_factory=dict)  # by resource
    modules: list[ServiceModule] = field(default_factory=list)
    error_codes_module: str = ""

    def where(self, operation_id: str) -> tuple[str, int]:
        """(resource, index) of the method built for an operation (or variant) id."""
        for resource, ops in self.resources.items():
            for i, op in enumerate(ops):
                if op.operation_id == operation_id:
                    return resource, i
        raise KeyError(operation_id)

    def operation(self, operation_id: str) -> Operation:
        resource, index = self.where(operation_id)
        return self.resources[resource][index]

    def update(self, operation_id: str, **changes: Any) -> Operation:
        """Replace fields of an operation's method (e.g. `pagination=`); returns the new one."""
        resource, index = self.where(operation_id)
        changed = dataclasses.replace(self.resources[resource][index], **changes)
        self.resources[resource][index] = changed
        return changed
