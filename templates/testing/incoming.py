"""Requests as the simulator sees them, and their check against the operation's spec.

Path, query and header values arrive as text and are read as their schema's type (`"10"` as 10
for an integer, `"true"` for a boolean) before the schema check; the JSON body is checked as it
is. A request that does not fit gets the service's 400 with a documented code.
"""

from __future__ import annotations

import json
import math
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qsl

import httpx

from .answers import BAD_REQUEST_CODES, ApiError
from .schema_check import Problem
from .spec import Operation, Parameter, ServiceSpec

__all__ = ["Call", "SimRequest", "read_call"]

_NO_VALUE = object()
_FALLBACK_CODES = ("APIGW.0201", "APIGW.0201")  # doc: APIG table: "API request error." (400)


@dataclass
class SimRequest:
    """One HTTP request, whichever way it came in (in-process transport or socket)."""

    method: str
    raw_path: str  # percent-encoded, without the query
    raw_query: str  # percent-encoded, without the `?`
    headers: httpx.Headers
    body: bytes = b""

    @classmethod
    def from_httpx(cls, request: httpx.Request, body: bytes) -> SimRequest:
        raw_path, _, raw_query = request.url.raw_path.decode("ascii").partition("?")
        return cls(request.method, raw_path, raw_query, httpx.Headers(request.headers), body)

    def query_pairs(self) -> list[tuple[str, str]]:
        return parse_qsl(self.raw_query, keep_blank_values=True)


@dataclass
class Call:
    """A checked request: typed parameter values and the JSON body, ready for a handler."""

    spec: ServiceSpec  # the document of the operation's service (views conform to its schemas)
    operation: Operation
    path: dict[str, Any]
    query: dict[str, Any]
    headers: dict[str, Any]
    body: Any

    @property
    def project_id(self) -> str:
        return str(self.path.get("project_id", ""))

    def text(self, name: str, default: str = "") -> str:
        """A path, then query, parameter as text (`default` when the request has neither)."""
        for values in (self.path, self.query):
            if name in values:
                return str(values[name])
        return default


def read_call(
    service: ServiceSpec,
    op: Operation,
    request: SimRequest,
    path_values: Mapping[str, str],
) -> Call:
    """Typed values of the request, or ApiError (400) naming every problem found."""
    problems: list[Problem] = []
    query_pairs = request.query_pairs()
    typed: dict[str, dict[str, Any]] = {"path": {}, "query": {}, "header": {}}
    for param in op.parameters:
        raw = _raw_value(param, path_values, query_pairs, request.headers)
        where = f"{param.location} parameter {param.name}"
        if raw is _NO_VALUE:
            if param.required:
                problems.append(Problem(where, "is required", missing=True))
            continue
        value, problem = _typed(param.schema, raw, service)
        if problem is not None:
            problems.append(Problem(where, problem))
            continue
        problems += service.validator.check(param.schema, value, where)
        typed.setdefault(param.location, {})[param.name] = value
    body = _body(service, op, request, problems)
    if problems:
        raise bad_request(service.name, problems)
    return Call(service, op, typed["path"], typed["query"], typed["header"], body)


def bad_request(service: str, problems: list[Problem]) -> ApiError:
    """`service`'s 400 for these problems: its "missing" code when all are absences."""
    missing_code, invalid_code = BAD_REQUEST_CODES.get(service, _FALLBACK_CODES)
    missing = all(p.missing for p in problems)
    code = missing_code if missing else invalid_code
    details = "; ".join(str(p) for p in problems[:5])
    if missing:
        names = ", ".join(p.where for p in problems[:5])
        return ApiError(code, names, message=f"{names} cannot be empty.")
    return ApiError(code, details, message=f"Invalid parameter: {details}")


def _raw_value(
    param: Parameter,
    path_values: Mapping[str, str],
    query_pairs: list[tuple[str, str]],
    headers: httpx.Headers,
) -> Any:
    if param.location == "path":
        return path_values.get(param.name, _NO_VALUE)
    if param.location == "query":
        found = [value for key, value in query_pairs if key == param.name]
        if not found:
            return _NO_VALUE
        return found if _schema_type(param.schema) == "array" else found[-1]
    if param.location == "header":
        values = headers.get_list(param.name)
        return values[-1] if values else _NO_VALUE
    return _NO_VALUE  # cookies: none documented


def _schema_type(schema: Mapping[str, Any]) -> str:
    return str(schema.get("type", ""))


def _typed(schema: Mapping[str, Any], raw: Any, service: ServiceSpec) -> tuple[Any, str | None]:
    """Read a text parameter value as its schema's type: (value, None) or (None, problem)."""
    schema = service.validator.resolve(schema)
    kind = _schema_type(schema)
    if kind == "array":
        items = raw if isinstance(raw, list) else str(raw).split(",")
        item_schema = service.validator.resolve(schema.get("items") or {})
        values = []
        for item in items:
            value, problem = _typed(item_schema, item, service)
            if problem is not None:
                return None, problem
            values.append(value)
        return values, None
    text = str(raw)
    if kind == "integer":
        try:
            return int(text), None
        except ValueError:
            return None, f"{text!r} is not an integer"
    if kind == "number":
        try:
            number = float(text)
        except ValueError:
            return None, f"{text!r} is not a number"
        if not math.isfinite(number):
            return None, f"{text!r} is not a finite number"
        return number, None
    if kind == "boolean":
        if text in ("true", "false"):
            return text == "true", None
        return None, f"{text!r} is not true or false"
    return text, None


def _body(service: ServiceSpec, op: Operation, request: SimRequest, problems: list[Problem]) -> Any:
    """The JSON body (None when there is none; the bytes of a body that is not JSON); its
    problems are added to `problems`."""
    if op.body_schema is None:
        return None
    if not request.body.strip():
        if op.body_required:
            problems.append(Problem("body", "is required", missing=True))
        return None
    if not str(op.body_media).endswith("json"):
        return request.body
    try:
        body = json.loads(request.body)
    except (ValueError, UnicodeDecodeError) as exc:
        problems.append(Problem("body", f"is not JSON ({type(exc).__name__})"))
        return None
    problems += service.validator.check(op.body_schema, body, "body")
    return body
