"""`x-sdk-service` and `x-sdk-client` (root): the service's Python package and client class stem."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from .. import naming
from ..context import SpecContext
from .contract import Extension

SERVICE = "x-sdk-service"
CLIENT = "x-sdk-client"


@dataclass(frozen=True)
class Names:
    service: str  # e.g. "cdm": dataarts.cdm, the client attribute, the CLI group
    client: str  # e.g. "Cdm": CdmClient and AsyncCdmClient


def read(spec: SpecContext) -> Names:
    service = spec.data.get(SERVICE)
    if not isinstance(service, str) or not naming.is_snake_identifier(service):
        spec.report(f"/{SERVICE}", f"{SERVICE} must be a snake_case Python identifier")
        service = ""
    client = spec.data.get(CLIENT)
    if not isinstance(client, str) or not naming.is_pascal_identifier(client):
        spec.report(f"/{CLIENT}", f"{CLIENT} must be a PascalCase identifier")
        client = ""
    return Names(service, client)


def across(specs: Sequence[SpecContext]) -> None:
    """Two spec files must not make the same package or client."""
    seen: dict[tuple[str, str], str] = {}
    for spec in specs:
        for key in (SERVICE, CLIENT):
            value = spec.data.get(key)
            if not isinstance(value, str):
                continue
            if (key, value) in seen:
                spec.report(f"/{key}", f"{key} {value!r} is also used by {seen[key, value]}")
            seen[key, value] = spec.spec.name


def of(spec: SpecContext) -> Names:
    return spec.facts(EXTENSION)


EXTENSION = Extension("service", (SERVICE, CLIENT), read, across=across)
