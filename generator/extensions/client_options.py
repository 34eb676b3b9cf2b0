"""`x-sdk-client-option` (parameter): a value from client configuration, not a method argument."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from ..context import Parameter, SpecContext
from ..draft import ServiceDraft
from ..ir import ClientOption, ClientParam
from .contract import Extension

KEY = "x-sdk-client-option"
# option -> its constructor argument's documentation; project_id is common to all clients
OPTION_DOCS = {
    "project_id": "",
    "workspace": "DataArts Studio workspace ID, sent as the `workspace` header where documented.",
    "language": (
        "Language of messages, sent as `X-Language` (a common header, table 7-1), e.g. `en-us`; "
        "operations that require the header send their documented value when it is not set."
    ),
}
ALWAYS = ("language",)  # a common header of every DataArts Studio API (003 table 7-1)


@dataclass(frozen=True)
class Options:
    """Which parameters (by the pointer of their definition) clients fill, and from what option."""

    declared: dict[str, str | None] = field(default_factory=dict)  # None: an unknown option

    def is_option(self, param: Parameter) -> bool:
        """Whether the parameter is the client's to fill (no argument of any method)."""
        return param.ptr in self.declared

    def client_param(self, param: Parameter) -> ClientParam | None:
        option = self.declared.get(param.ptr)
        if option is None:
            return None
        required = bool(param.data.get("required"))
        return ClientParam(param.name, param.location, option, required,  # type: ignore[arg-type]
                           _fallback(param.data) if required else None)


def read(spec: SpecContext) -> Options:
    declared: dict[str, str | None] = {}
    for op in spec.operations:
        for param in spec.parameters(op):
            if KEY not in param.data or param.ptr in declared:
                continue
            option = param.data[KEY]
            if option not in OPTION_DOCS:
                # a shared parameter's mistake is reported once, where it is defined
                where = param.ptr + "/" + KEY if param.ptr.startswith("/components") else param.ptr
                spec.report(where, f"unknown {KEY} {option!r}; known: {', '.join(sorted(OPTION_DOCS))}")
                option = None
            declared[param.ptr] = option
    return Options(declared)


def build(options: Options, draft: ServiceDraft) -> None:
    """The constructor arguments of the options the service's operations use."""
    used = {option for option in options.declared.values() if option}
    draft.options = [
        ClientOption(name, "str | None", "None", OPTION_DOCS[name])
        for name in sorted((used | set(ALWAYS)) - {"project_id"})
    ]


def of(spec: SpecContext) -> Options:
    return spec.facts(EXTENSION)


def _fallback(param: dict[str, Any]) -> str | None:
    """What to send for a required, client-configured parameter nobody configured."""
    schema = param.get("schema") or {}
    value = schema.get("default", param.get("example", schema.get("example")))
    return None if value is None else str(value)


EXTENSION = Extension("client_options", (KEY,), read, build=build)
