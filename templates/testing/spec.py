"""The specs the package was generated from, read at run time: operations, routes, schemas.

Every service of the package ships its OpenAPI document (`dataarts.<service>._openapi`, listed in
`dataarts._meta.SERVICES`). The simulator routes a request by method and path to an operation of
one of them, so an operation added to a spec answers as soon as the package is regenerated.
"""

from __future__ import annotations

import importlib
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any
from urllib.parse import unquote

from .schema_check import Validator

__all__ = ["Api", "Operation", "Parameter", "ServiceSpec", "load_api"]

HTTP_METHODS = ("get", "put", "post", "delete", "patch", "head", "options")


@dataclass(frozen=True)
class Parameter:
    """A path, query or header parameter of an operation."""

    name: str
    location: str  # "path", "query" or "header"
    required: bool
    schema: Mapping[str, Any]


@dataclass(frozen=True)
class Operation:
    """One path and method of a spec, with what the simulator needs to check and answer it."""

    service: str
    operation_id: str
    method: str  # upper case
    path: str  # template, e.g. /v1.1/{project_id}/clusters/{cluster_id}
    parameters: tuple[Parameter, ...]
    body_schema: Mapping[str, Any] | None
    body_required: bool
    body_media: str | None  # the request body's media type (None: no body documented)
    responses: Mapping[str, Mapping[str, Any]]  # status (or "default") -> response object
    raw: Mapping[str, Any] = field(repr=False)  # the operation object itself

    @cached_property
    def segments(self) -> tuple[str | None, ...]:
        """The path split on `/`; None for a `{parameter}` segment."""
        return tuple(
            None if part.startswith("{") and part.endswith("}") else part
            for part in self.path.split("/")
        )

    @cached_property
    def success_status(self) -> int:
        """The first documented 2xx status (200 when none is)."""
        codes = sorted(int(code) for code in self.responses if code.isdigit())
        return next((code for code in codes if 200 <= code < 300), 200)

    def match(self, parts: list[str]) -> dict[str, str] | None:
        """Path parameter values when the decoded path segments fit this operation's path."""
        if len(parts) != len(self.segments):
            return None
        values: dict[str, str] = {}
        for part, segment, template in zip(parts, self.segments, self.path.split("/")):
            if segment is None:
                if not part:
                    return None
                values[template[1:-1]] = part
            elif part != segment:
                return None
        return values


@dataclass
class ServiceSpec:
    """One service's document, its operations and a validator over its schemas."""

    name: str
    document: Mapping[str, Any]
    operations: list[Operation]
    validator: Validator

    def schema(self, name: str) -> Mapping[str, Any]:
        """A component schema by name."""
        schemas: Mapping[str, Mapping[str, Any]] = self.document["components"]["schemas"]
        return schemas[name]

    @cached_property
    def error_codes(self) -> dict[str, Mapping[str, Any]]:
        """The service's documented error-code table (`x-error-codes`), by code."""
        found: dict[str, Mapping[str, Any]] = {}
        for schema in (self.document.get("components") or {}).get("schemas", {}).values():
            for row in schema.get("x-error-codes") or ():
                found[row["code"]] = row
        return found


@dataclass
class Api:
    """Every service's operations, and the routing of a request to one of them."""

    services: dict[str, ServiceSpec]
    # recent routes by (method, raw path): servers see the same few paths again and again
    _routed: dict[tuple[str, str], tuple[Operation, dict[str, str]] | None] = field(
        default_factory=dict, repr=False, compare=False
    )

    @cached_property
    def operations(self) -> list[Operation]:
        return [op for service in self.services.values() for op in service.operations]

    @cached_property
    def _by_shape(self) -> dict[tuple[str, int], list[Operation]]:
        """Operations by method and number of path segments: what a route can match."""
        index: dict[tuple[str, int], list[Operation]] = {}
        for op in self.operations:
            index.setdefault((op.method, len(op.segments)), []).append(op)
        return index

    def route(self, method: str, raw_path: str) -> tuple[Operation, dict[str, str]] | None:
        """The operation answering `method` on `raw_path` (percent-encoded), with its path values.

        Literal segments win over parameters, leftmost first, so `/jobs/check-file` reaches its
        own operation rather than a job named `check-file`. The path values are the caller's
        to read, not to change (answers are remembered for the paths seen last).
        """
        key = (method.upper(), raw_path)
        if key not in self._routed:
            if len(self._routed) >= 4096:
                self._routed.clear()
            self._routed[key] = self._route(*key)
        return self._routed[key]

    def _route(self, method: str, raw_path: str) -> tuple[Operation, dict[str, str]] | None:
        parts = [unquote(part) for part in raw_path.split("/")]
        best: tuple[tuple[bool, ...], Operation, dict[str, str]] | None = None
        for op in self._by_shape.get((method, len(parts)), ()):
            values = op.match(parts)
            if values is None:
                continue
            rank = tuple(segment is not None for segment in op.segments)
            if best is None or rank > best[0]:
                best = (rank, op, values)
        return None if best is None else (best[1], best[2])

    def find(self, operation_id: str, service: str | None = None) -> list[Operation]:
        """Operations with this id (`CreateJob`), optionally of one service."""
        return [
            op
            for op in self.operations
            if op.operation_id == operation_id and (service is None or op.service == service)
        ]


def load_api(services: Iterable[str] | None = None) -> Api:
    """The shipped specs of the package's services (all of them by default)."""
    if services is None:
        meta = importlib.import_module("dataarts._meta")
        services = list(getattr(meta, "SERVICES", {}))
    loaded: dict[str, ServiceSpec] = {}
    for name in services:
        module = importlib.import_module(f"dataarts.{name}._openapi")
        loaded[name] = service_from_document(name, json.loads(module.DOCUMENT))
    return Api(loaded)


def service_from_document(name: str, document: Mapping[str, Any]) -> ServiceSpec:
    """Read a service's operations out of its OpenAPI document."""
    validator = Validator(document)
    operations: list[Operation] = []
    for path, item in (document.get("paths") or {}).items():
        shared = list(item.get("parameters") or ())
        for method in HTTP_METHODS:
            raw = item.get(method)
            if raw is None:
                continue
            operations.append(_operation(name, path, method, raw, shared, validator))
    return ServiceSpec(name, document, operations, validator)


def _operation(
    service: str,
    path: str,
    method: str,
    raw: Mapping[str, Any],
    shared: list[Any],
    validator: Validator,
) -> Operation:
    params: dict[tuple[str, str], Parameter] = {}
    for node in [*shared, *(raw.get("parameters") or ())]:
        param = validator.resolve(node)
        key = (str(param["in"]), str(param["name"]))
        params[key] = Parameter(
            name=str(param["name"]),
            location=str(param["in"]),
            required=bool(param.get("required", False)),
            schema=param.get("schema") or {},
        )
    body_schema: Mapping[str, Any] | None = None
    body_required = False
    body_media: str | None = None
    if "requestBody" in raw:
        body = validator.resolve(raw["requestBody"])
        body_required = bool(body.get("required", False))
        content: Mapping[str, Any] = body.get("content") or {}
        body_media, media = next(iter(content.items()), ("application/json", {}))
        body_schema = dict(media).get("schema") or {}
    responses = {
        str(code): validator.resolve(response)
        for code, response in (raw.get("responses") or {}).items()
    }
    return Operation(
        service=service,
        operation_id=str(raw.get("operationId", f"{method.upper()} {path}")),
        method=method.upper(),
        path=path,
        parameters=tuple(params.values()),
        body_schema=body_schema,
        body_required=body_required,
        body_media=body_media,
        responses=responses,
        raw=raw,
    )
