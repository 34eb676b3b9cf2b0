"""Every operation of every client, called through a client built with only the minimum.

A new user writes `CdmClient(region=..., project_id=..., ak=..., sk=...)` and calls methods:
no `language`, no `workspace`, nothing the fixtures' headers would suggest. Each generated client
(CDM, DLF, LakeFormation; sync and async; AK/SK and token credentials) is built that way and
every method of every resource is called, with made-up required arguments, against a
MockTransport answering with a body valid for the operation (the recorded success fixture's,
else one made from the response schema).

The operations are discovered from the generated clients (every `OperationSpec` of
`dataarts.<service>._client`, every public method of every resource), and the arguments from
the generator's IR, so a new operation is covered without touching this file.
"""

from __future__ import annotations

import asyncio
import inspect
import io
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import httpx
import pytest
from pydantic import BaseModel, TypeAdapter

from tests.contract import support as s

AK = "HPUAMINIMALCLIENT001"
SK = "MinimalClientSecretKey000000000000000000"
PROJECT = "0123456789abcdef0123456789abcdef"
CREDENTIALS = {"aksk": {"ak": AK, "sk": SK}, "token": {"token": "minimal-client-token"}}


@dataclass(frozen=True)
class MethodCase:
    target: s.Target
    method: str  # the method called: the operation's, its iter_ walk or its _to_file download
    flavor: s.Flavor
    credentials: str

    @property
    def id(self) -> str:
        return f"{self.target.key}.{self.method}-{self.flavor}-{self.credentials}"


def generated_operations(service: s.Service) -> dict[str, Any]:
    """operation id -> OperationSpec, as the generated client module declares them."""
    module = __import__(f"dataarts.{service.name}._client", fromlist=["_client"])
    spec_type = module.OperationSpec
    return {
        value.operation_id: value for value in vars(module).values() if isinstance(value, spec_type)
    }


def methods_of(target: s.Target) -> list[str]:
    names = [target.op.method_name]
    if target.op.pagination is not None:
        names.append("iter_" + target.op.method_name)
    if target.op.response_kind == "binary":
        names.append(target.op.method_name + "_to_file")
    return names


def cases() -> Iterator[MethodCase]:
    for target in s.targets().values():
        for method in methods_of(target):
            for flavor in s.FLAVORS:
                for credentials in CREDENTIALS:
                    yield MethodCase(target, method, flavor, credentials)


# -- what to send and what to answer -----------------------------------------------------------


def argument_value(annotation: str) -> Any:
    """A plausible value for a required argument of this annotation."""
    members = [m for m in s.union_members(annotation) if m != "None"]
    first = members[0]
    literal = re.match(r'Literal\["([^"]*)"', first)
    if literal:
        return literal.group(1)
    if first.startswith("list["):
        return [argument_value(first[len("list[") : -1])]
    if first in ("int", "float"):
        return 1
    if first == "bool":
        return True
    return "x1"


def body_value(target: s.Target) -> Any:
    """The recorded request body of the operation, or an empty object (sent as a mapping)."""
    for fx in s.all_fixtures():
        if s.target_of(fx) == target and "body" in fx.data["request"]:
            return fx.data["request"]["body"]
    return {}


def success_body(target: s.Target) -> bytes:
    """A body for the operation: the recorded success body, else one made from the schema."""
    op = target.op
    if op.response_kind == "binary":
        return s.BINARY_CONTENT
    if op.response_kind == "none":
        return b""
    declared = s.resolve_type(target.service, op.response_type)
    for fx in s.all_fixtures():
        body = fx.data["response"].get("body")
        if s.target_of(fx) == target and s.is_success(fx) and body is not None:
            return json.dumps(body).encode()  # some slip from the schema: read leniently
    made = minimal_instance(TypeAdapter(declared).json_schema())
    TypeAdapter(declared).validate_python(made)
    return json.dumps(made).encode()


def minimal_instance(schema: dict[str, Any], defs: dict[str, Any] | None = None) -> Any:
    """The smallest JSON value a (pydantic) JSON schema accepts: required members only."""
    defs = defs if defs is not None else schema.get("$defs", {})
    if "$ref" in schema:
        return minimal_instance(defs[schema["$ref"].rsplit("/", 1)[-1]], defs)
    for key in ("anyOf", "oneOf", "allOf"):
        if key in schema:
            return minimal_instance(schema[key][0], defs)
    if "enum" in schema:
        return schema["enum"][0]
    if "const" in schema:
        return schema["const"]
    kind = schema.get("type")
    if kind == "object" or "properties" in schema:
        props = schema.get("properties", {})
        return {name: minimal_instance(props[name], defs) for name in schema.get("required", [])}
    return {"array": [], "string": "x", "integer": 0, "number": 0, "boolean": False}.get(
        str(kind)
    )


def client_kwargs(service: s.Service, credentials: str) -> dict[str, Any]:
    """The minimum: the server variables (region or endpoint), the project, credentials."""
    kwargs: dict[str, Any] = {"project_id": PROJECT, **CREDENTIALS[credentials]}
    for variable in service.server_variables:
        kwargs[variable.name] = s.SERVER_VARIABLES[variable.name]
    return kwargs


# -- the tests ------------------------------------------------------------------------------------


@pytest.mark.filterwarnings("error:Pydantic serializer warnings:UserWarning")
@pytest.mark.parametrize("case", [pytest.param(c, id=c.id) for c in cases()])
def test_every_method_works_on_a_minimal_client(case: MethodCase) -> None:
    target, op = case.target, case.target.op
    status = op.success_statuses[0]
    content = success_body(target)
    headers = {"X-Request-Id": "req-minimal"}
    if op.response_kind == "model":
        headers["Content-Type"] = "application/json"
    server = s.Server(lambda request: httpx.Response(status, headers=headers, content=content))
    arguments = {
        a.python_name: argument_value(a.annotation)
        for a in op.arguments
        if a.default is None and a.location != "body"
    }
    if op.body_arg is not None and op.body_arg.default is None:
        arguments[op.body_arg.python_name] = body_value(target)
    sink = io.BytesIO()
    positional = (sink,) if case.method.endswith("_to_file") else ()

    result = call(case, positional, arguments, server)

    assert server.requests, "no request was sent"
    sent = server.requests[0]
    assert sent.method == op.http_method
    for param in op.client_params:  # a documented value stands in for an unset client option
        if param.fallback is None or param.option == "project_id":
            continue
        where = sent.headers if param.location == "header" else sent.url.params
        assert where.get(param.wire_name) == param.fallback, f"{param.wire_name} not sent"
    assert PROJECT in sent.url.path
    if case.credentials == "aksk":
        assert sent.headers["Authorization"].startswith(f"SDK-HMAC-SHA256 Access={AK}, ")
        assert sent.headers["X-Project-Id"] == PROJECT
    else:
        assert sent.headers["X-Auth-Token"] == "minimal-client-token"

    if case.method.endswith("_to_file"):
        assert result == len(s.BINARY_CONTENT) and sink.getvalue() == s.BINARY_CONTENT
    elif case.method.startswith("iter_"):
        assert isinstance(result, list)
    elif op.response_kind == "binary":
        assert result == s.BINARY_CONTENT
    elif op.response_kind == "none":
        assert result is None
    else:
        declared = s.resolve_type(target.service, op.response_type)
        assert s.is_instance(result, declared)
        if isinstance(result, BaseModel):  # dumps back without serializer warnings
            result.model_dump_json(exclude_unset=True)


def call(case: MethodCase, positional: tuple[Any, ...], arguments: dict[str, Any],
         server: s.Server) -> Any:
    target = case.target
    kwargs = client_kwargs(target.service, case.credentials)
    if case.flavor == "aiohttp":
        return s.run_on_aiohttp(
            target,
            server,
            kwargs,
            lambda client: getattr(getattr(client, target.resource), case.method)(
                *positional, **arguments
            ),
        )
    transport = httpx.MockTransport(server)
    if case.flavor == "sync":
        with httpx.Client(transport=transport) as http:
            client = s.client_class(target.service, "sync")(http_client=http, **kwargs)
            result = getattr(getattr(client, target.resource), case.method)(*positional, **arguments)
            return list(result) if case.method.startswith("iter_") else result

    async def run() -> Any:
        async with httpx.AsyncClient(transport=transport) as http:
            client = s.client_class(target.service, "async")(http_client=http, **kwargs)
            result = getattr(getattr(client, target.resource), case.method)(*positional, **arguments)
            if case.method.startswith("iter_"):
                return [item async for item in result]
            return await result

    return asyncio.run(run())


@pytest.mark.parametrize("flavor", s.FLAVORS)
def test_the_cases_cover_every_generated_method_and_operation(flavor: s.Flavor) -> None:
    """Discovery is complete: every OperationSpec and every public resource method is called."""
    covered = {(c.target.service.name, c.target.resource, c.method) for c in cases()}
    covered_ops = {(c.target.service.name, c.target.op.operation_id) for c in cases()}
    for service in s.api().services:
        for operation_id in generated_operations(service):
            assert (service.name, operation_id) in covered_ops, f"{service.name}/{operation_id}"
        client = s.client_class(service, flavor)
        # A waiter only polls one of the operations called here; tests/waiters runs each one
        # against the simulator.
        waiters = {(r.name, w.method_name) for r in service.resources for w in r.waiters}
        for resource_name, resource_class in client._resources:
            for name, member in inspect.getmembers(resource_class, inspect.isfunction):
                if name.startswith("_") or (resource_name, name) in waiters:
                    continue
                assert (service.name, resource_name, name) in covered, (
                    f"{service.name}.{resource_name}.{name} is not called"
                )


def test_operations_with_a_documented_required_client_value_are_among_the_cases() -> None:
    """The defect of issue 9: CreateCluster and CreateAndStartRandomClusterJob need X-Language."""
    with_fallback = {
        c.target.op.operation_id
        for c in cases()
        if any(p.fallback is not None and p.option != "project_id" for p in c.target.op.client_params)
    }
    assert {"CreateCluster", "CreateAndStartRandomClusterJob"} <= with_fallback
