"""What the contract tests share: the generator's IR, fixtures turned into calls, a mock server.

Everything about naming (which resource and method a fixture's operation is, which keyword
argument a wire parameter becomes, which value is a client option) is read from the IR that
`generator.build.build_api` produces, so these tests never re-implement the generator's rules.

Calls run in three flavors: the sync and the async client over an `httpx.MockTransport`, and the
async client on `dataarts.DefaultAioHttpClient` (the aiohttp transport) against a real HTTP
server on a loopback socket, which answers through the same recorder (`Loopback`).
"""

from __future__ import annotations

import asyncio
import functools
import importlib
import json
import operator
import re
import ssl
import threading
import typing
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from functools import cache
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, Literal
from urllib.parse import unquote

import httpx
from pydantic import BaseModel, TypeAdapter, ValidationError

from generator.ir import Api, Operation, Service
from tests.real_ir import real_api
from tests.spec import fixturelib as fl

TOKEN = "contract-test-token"
REGION = "ap-southeast-1"
ENDPOINT = "lakeformation.ap-southeast-1.myhuaweicloud.com"
SERVER_VARIABLES = {"region": REGION, "endpoint": ENDPOINT}
BINARY_CONTENT = b"PK\x03\x04contract-test archive bytes"

Flavor = Literal["sync", "async", "aiohttp"]
BodyKind = Literal["dict", "model", "nobody"]
FLAVORS: tuple[Flavor, ...] = ("sync", "async", "aiohttp")


# -- the IR ---------------------------------------------------------------------------------------


def api() -> Api:
    return real_api()


@dataclass(frozen=True)
class Target:
    """One generated method: `client.<resource>.<op.method_name>` of `service`."""

    service: Service
    resource: str
    op: Operation

    @property
    def key(self) -> str:
        return f"{self.service.name}/{self.op.operation_id}"


@cache
def targets() -> dict[str, Target]:
    """Every operation of the IR, keyed `service/OperationId`."""
    found = {}
    for service in api().services:
        for resource in service.resources:
            for op in resource.operations:
                target = Target(service, resource.name, op)
                assert target.key not in found, f"two IR operations named {target.key}"
                found[target.key] = target
    return found


def client_class(service: Service, flavor: Flavor) -> type[Any]:
    module = importlib.import_module(f"dataarts.{service.name}")
    prefix = "" if flavor == "sync" else "Async"
    return getattr(module, f"{prefix}{service.client_stem}Client")  # type: ignore[no-any-return]


def base_url(service: Service) -> str:
    url = service.server_url
    for variable in service.server_variables:
        url = url.replace("{" + variable.name + "}", SERVER_VARIABLES[variable.name])
    return url


def resolve_type(service: Service, annotation: str) -> Any:
    """The class (or union of classes) an IR annotation such as `A | B` names in `models`; a
    top-level JSON array (`list[A]`) gives `list[A]`."""
    if annotation.startswith("list[") and annotation.endswith("]"):
        return list[resolve_type(service, annotation[len("list[") : -1])]
    models = importlib.import_module(f"dataarts.{service.name}.models")
    names = [name.strip() for name in annotation.split("|")]
    assert all(n.isidentifier() for n in names), f"not a union of model names: {annotation!r}"
    classes = [getattr(models, name) for name in names]
    return functools.reduce(operator.or_, classes)


def is_instance(value: Any, declared: Any) -> bool:
    """isinstance, also for a declared `list[A]` (every item an A)."""
    if typing.get_origin(declared) is list:
        (item,) = typing.get_args(declared)
        return isinstance(value, list) and all(isinstance(v, item) for v in value)
    return isinstance(value, declared)


def request_body_type(target: Target) -> Any | None:
    """The request model of the body argument: the part of `X | Mapping[str, Any]` before Mapping."""
    arg = target.op.body_arg
    if arg is None:
        return None
    return resolve_type(target.service, arg.annotation.split(" | Mapping")[0])


def union_members(annotation: str) -> list[str]:
    """Top-level members of an annotation string: `Literal["a", "b"] | str | None` has three."""
    members, depth, current = [], 0, ""
    for char in annotation:
        depth += (char == "[") - (char == "]")
        if char == "|" and depth == 0:
            members.append(current.strip())
            current = ""
        else:
            current += char
    return [*members, current.strip()]


def python_value(annotation: str, text: str | list[str]) -> Any:
    """A wire string (or the strings of a repeated key) as the argument's annotation wants it."""
    members = [m.removeprefix("builtins.") for m in union_members(annotation) if m != "None"]
    if isinstance(text, list):
        item = next((m[len("list[") : -1] for m in members if m.startswith("list[")), "str")
        return [python_value(item, t) for t in text]
    if "str" in members or any(m.startswith('Literal["') for m in members):
        return text
    if "bool" in members:
        return {"true": True, "false": False}[text]
    if "int" in members:
        return int(text)
    if "float" in members:
        return float(text)
    return text


# -- fixtures as calls ----------------------------------------------------------------------------


@cache
def all_fixtures() -> tuple[fl.Fixture, ...]:
    return tuple(fx for service in fl.spec_services() for fx in fl.fixtures(service))


@cache
def allowlist(service: str) -> tuple[dict[str, str], ...]:
    return tuple(fl.allowlist(service))


def allowlist_entries(fx: fl.Fixture) -> list[dict[str, str]]:
    return [entry for entry in allowlist(fx.service) if entry["fixture"] == fx.name]


def allowlisted(fx: fl.Fixture, pointer: str) -> bool:
    """Does the fixture's allowlist cover `pointer` (or a parent of it)?"""
    return fl.allowed(fl.Problem(pointer, ""), fx.name, list(allowlist(fx.service))) is not None


def fixture_key(fx: fl.Fixture) -> str:
    return f"{fx.service}/{fx.name}"


def target_of(fx: fl.Fixture) -> Target | None:
    return targets().get(f"{fx.service}/{fx.data['operation']}")


def is_success(fx: fl.Fixture) -> bool:
    return 200 <= fx.data["response"]["status"] < 300


def request_id(fx: fl.Fixture) -> str:
    return f"req-{fx.service}-{fx.name}"


@dataclass(frozen=True)
class Case:
    """One fixture, called through the sync or async client, with the body as a dict or a model."""

    fx: fl.Fixture
    flavor: Flavor
    body: BodyKind

    @property
    def id(self) -> str:
        return f"{fixture_key(self.fx)}-{self.flavor}-{self.body}"

    @property
    def target(self) -> Target:
        target = target_of(self.fx)
        assert target is not None, f"no IR operation {self.fx.data['operation']!r} for {self.id}"
        return target


def cases() -> Iterator[Case]:
    for fx in all_fixtures():
        kinds: tuple[BodyKind, ...] = ("dict", "model") if "body" in fx.data["request"] else ("nobody",)
        for flavor in FLAVORS:
            for kind in kinds:
                yield Case(fx, flavor, kind)


@dataclass
class Call:
    """What to construct the client with and what to pass the method."""

    client: dict[str, Any] = field(default_factory=dict)
    arguments: dict[str, Any] = field(default_factory=dict)


def path_values(template: str, path: str) -> dict[str, str]:
    """`{wire name: decoded value}` of a concrete path matched against its template."""
    names = re.findall(r"\{([^}]+)\}", template)
    pattern = "".join(
        "([^/]+)" if part.startswith("{") else re.escape(part)
        for part in re.split(r"(\{[^}]+\})", template)
    )
    match = re.fullmatch(pattern, path)
    assert match, f"{path} does not match {template}"
    return {name: unquote(value) for name, value in zip(names, match.groups(), strict=True)}


def build_call(fx: fl.Fixture, target: Target, body: BodyKind) -> Call:
    """The client configuration and keyword arguments that should produce the fixture's request."""
    op = target.op
    request = fx.data["request"]
    call = Call(client={"token": TOKEN, "max_retries": 0})
    for variable in target.service.server_variables:
        call.client[variable.name] = SERVER_VARIABLES[variable.name]

    def place(location: str, wire: str, text: Any) -> None:
        same = (lambda a, b: a.lower() == b.lower()) if location == "header" else operator.eq
        option = next((p for p in op.client_params if p.location == location and same(p.wire_name, wire)), None)
        if option is not None:
            call.client[option.option] = text
            return
        arg = next((a for a in op.arguments if a.location == location and same(a.wire_name, wire)), None)
        assert arg is not None, f"{fixture_key(fx)}: no argument or client option for {location} {wire!r}"
        call.arguments[arg.python_name] = python_value(arg.annotation, text)

    for wire, text in path_values(op.path, request["path"]).items():
        place("path", wire, text)
    for wire, text in request.get("query", {}).items():
        place("query", wire, text)
    for wire, text in request.get("headers", {}).items():
        place("header", wire, text)
    if body != "nobody":
        arg = op.body_arg
        assert arg is not None, f"{fixture_key(fx)} has a body but {op.operation_id} takes none"
        value = request["body"]
        call.arguments[arg.python_name] = value if body == "dict" else body_model(fx, target, value)
    return call


def body_model(fx: fl.Fixture, target: Target, body: Any) -> Any:
    """The fixture's body validated into the generated request model.

    Where the fixture knowingly breaks the schema (its allowlist names `/request/body/...`
    pointers), validation must fail at exactly those places. The model then holds the values
    as sent (read by the runtime's lenient reader, as a caller holds a model read from such a
    response in a get, modify, update round trip), and must still go out on the wire
    unchanged, without serializer warnings.
    """
    body_type = request_body_type(target)
    assert body_type is not None
    try:
        return TypeAdapter(body_type).validate_python(body)
    except ValidationError as error:
        pointers = ["/request/body" + "".join(f"/{escape(e)}" for e in err["loc"]) for err in error.errors()]
        stray = [p for p in pointers if not allowlisted(fx, p)]
        assert not stray, f"the request model rejects places the allowlist does not name: {stray}"
    assert isinstance(body_type, type) and issubclass(body_type, BaseModel), body_type
    reader = importlib.import_module("dataarts._runtime.models")
    return reader.parse_body(body_type, json.dumps(body).encode())


# -- the mock server ------------------------------------------------------------------------------


@dataclass
class Server:
    """A MockTransport handler that records each request and answers with `reply(request)`.

    `origin` is where the client sent its requests when that is not the service's own host
    (the loopback server of the aiohttp flavor).
    """

    reply: Callable[[httpx.Request], httpx.Response]
    requests: list[httpx.Request] = field(default_factory=list)
    origin: str | None = None

    def __call__(self, request: httpx.Request) -> httpx.Response:
        request.read()
        self.requests.append(request)
        return self.reply(request)


def fixture_reply(fx: fl.Fixture, target: Target) -> Callable[[httpx.Request], httpx.Response]:
    """The fixture's response, with an X-Request-Id; made-up bytes for a binary success."""
    response = fx.data["response"]
    headers = {**response["headers"], "X-Request-Id": request_id(fx)}
    if "body" in response:
        content = json.dumps(response["body"], ensure_ascii=False).encode()
    elif target.op.response_kind == "binary" and is_success(fx):
        content = BINARY_CONTENT
    else:
        content = b""
    return lambda request: httpx.Response(response["status"], headers=headers, content=content)


def invoke(target: Target, flavor: Flavor, call: Call, server: Server, method: str | None = None) -> Any:
    """Construct the generated client and call the method: sync or async over a MockTransport,
    or async on `DefaultAioHttpClient` against the loopback server answering through `server`.

    An `iter_*` method's items are collected into a list while the client is open.
    """
    name = method or target.op.method_name
    if flavor == "aiohttp":
        return run_on_aiohttp(
            target, server, call.client, lambda client: getattr(getattr(client, target.resource), name)(**call.arguments)
        )
    transport = httpx.MockTransport(server)
    if flavor == "sync":
        with httpx.Client(transport=transport) as http:
            client = client_class(target.service, "sync")(http_client=http, **call.client)
            result = getattr(getattr(client, target.resource), name)(**call.arguments)
            return list(result) if name.startswith("iter_") else result

    async def run() -> Any:
        async with httpx.AsyncClient(transport=transport) as http:
            client = client_class(target.service, "async")(http_client=http, **call.client)
            result = getattr(getattr(client, target.resource), name)(**call.arguments)
            if name.startswith("iter_"):
                return [item async for item in result]
            return await result

    return asyncio.run(run())


# -- the loopback server of the aiohttp flavor -----------------------------------------------------


class _LoopbackHandler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server: _LoopbackHTTPServer

    def _handle(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else b""
        # a proxy's request names the whole URL (absolute form)
        url = self.path if self.path.startswith("http") else self.server.base_url + self.path
        request = httpx.Request(
            self.command,
            url,
            headers=list(self.headers.items()),
            content=body,
        )
        answer = self.server.current(request)
        content = b"".join(answer.stream)  # as encoded (a gzip body stays gzip)
        self.send_response(answer.status_code)
        for name, value in answer.headers.multi_items():
            if name not in ("content-length", "transfer-encoding"):
                self.send_header(name, value)
        self.send_header("Content-Length", str(len(content)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(content)

    do_GET = do_POST = do_PUT = do_DELETE = do_PATCH = do_HEAD = _handle

    def log_message(self, format: str, *args: Any) -> None:
        pass


class _LoopbackHTTPServer(ThreadingHTTPServer):
    daemon_threads = True
    base_url = ""
    current: Callable[[httpx.Request], httpx.Response]


@cache
def loopback() -> _LoopbackHTTPServer:
    """One HTTP server on 127.0.0.1 for the whole run, answering through `current`."""
    server = _LoopbackHTTPServer(("127.0.0.1", 0), _LoopbackHandler)
    server.base_url = f"http://127.0.0.1:{server.server_address[1]}"
    threading.Thread(target=server.serve_forever, name="contract-loopback", daemon=True).start()
    return server


@cache
def tls_context() -> ssl.SSLContext:
    """httpx's default TLS context, built once: loading the CA bundle costs ~80 ms a client."""
    return httpx.create_ssl_context()


def run_on_aiohttp(
    target: Target, server: Server, client_kwargs: dict[str, Any], call: Callable[[Any], Any]
) -> Any:
    """`call(client)` on the async client of `target`'s service built on `DefaultAioHttpClient`
    (sending to the loopback server, which answers through `server`); an async iterator's items
    are collected into a list while the client is open."""
    sdk = importlib.import_module("dataarts")
    where = loopback()
    where.current = server
    server.origin = where.base_url

    async def run() -> Any:
        async with sdk.DefaultAioHttpClient(verify=tls_context()) as http:
            client = client_class(target.service, "aiohttp")(
                http_client=http, **{**client_kwargs, "base_url": where.base_url}
            )
            result = call(client)
            if hasattr(result, "__aiter__"):
                return [item async for item in result]
            return await result

    return asyncio.run(run())


# -- comparing ------------------------------------------------------------------------------------


def escape(token: object) -> str:
    return str(token).replace("~", "~0").replace("/", "~1")


def json_mismatches(
    actual: Any, expected: Any, pointer: str = "", loose: Callable[[str], bool] = lambda p: False
) -> list[str]:
    """Where two JSON values differ; strict about types (1 is not "1", True is not 1).

    At pointers where `loose(pointer)` holds, the value may instead be the expected one after
    a documented coercion (see `coerced_equal`).
    """
    if loose(pointer):
        return [] if coerced_equal(actual, expected) else [f"{pointer or '/'}: {actual!r} != {expected!r}"]
    if isinstance(expected, dict) and isinstance(actual, dict):
        if actual.keys() != expected.keys():
            return [f"{pointer or '/'}: keys {sorted(actual)} != {sorted(expected)}"]
        return [
            m
            for key in expected
            for m in json_mismatches(actual[key], expected[key], f"{pointer}/{escape(key)}", loose)
        ]
    if isinstance(expected, list) and isinstance(actual, list):
        if len(actual) != len(expected):
            return [f"{pointer or '/'}: {len(actual)} items != {len(expected)}"]
        return [
            m
            for i, (a, e) in enumerate(zip(actual, expected, strict=True))
            for m in json_mismatches(a, e, f"{pointer}/{i}", loose)
        ]
    return [] if same_scalar(actual, expected) else [f"{pointer or '/'}: {actual!r} != {expected!r}"]


def same_scalar(a: Any, b: Any) -> bool:
    number = (int, float)
    if isinstance(a, number) and isinstance(b, number) and not isinstance(a, bool) and not isinstance(b, bool):
        return a == b  # 1 and 1.0 are the same JSON number
    return type(a) is type(b) and a == b


def coerced_equal(dumped: Any, sent: Any) -> bool:
    """The value as sent, or the documented coercion of it: "100" read as 100, 22 as "22"."""
    if not json_mismatches(dumped, sent):
        return True
    if isinstance(dumped, (dict, list)) or isinstance(sent, (dict, list)):
        return False
    if isinstance(dumped, bool) or isinstance(sent, bool) or dumped is None or sent is None:
        return False
    if str(dumped) == str(sent):
        return True
    try:
        return float(dumped) == float(sent)
    except (TypeError, ValueError):
        return False


def dump(value: Any, declared: Any) -> Any:
    """What a parsed value looks like on the wire: wire names, only the fields that were set."""
    if isinstance(value, BaseModel):
        return value.model_dump(mode="json", by_alias=True, exclude_unset=True)
    return TypeAdapter(declared).dump_python(value, mode="json", by_alias=True, exclude_unset=True)


def query_items(query: dict[str, str | list[str]]) -> list[tuple[str, str]]:
    """A fixture's query as sorted (key, value) pairs, a repeated key giving several pairs."""
    return sorted(
        (key, item) for key, value in query.items() for item in (value if isinstance(value, list) else [value])
    )


def request_mismatches(
    request: httpx.Request,
    fx: fl.Fixture,
    target: Target,
    origin: str | None = None,
    *,
    as_model: bool = False,
) -> list[str]:
    """How a sent request differs from the fixture's: method, URL, query, headers, JSON body;
    `origin` where the client was sent elsewhere than the service's host (`as_model`: the body
    went through its model, which sends a field the document spells otherwise under its wire
    spelling)."""
    want = dict(fx.data["request"])
    if as_model and "body" in want:
        want["body"] = fl.wire_bodies(fx)[0]
    problems = []
    if request.method != want["method"]:
        problems.append(f"method {request.method} != {want['method']}")
    sent_to = f"{request.url.scheme}://{request.url.netloc.decode()}"
    expected = origin or base_url(target.service)
    if sent_to != expected:
        problems.append(f"server {sent_to} != {expected}")
    if request.url.path != want["path"]:
        problems.append(f"path {request.url.path} != {want['path']}")
    if sorted(request.url.params.multi_items()) != query_items(want.get("query", {})):
        problems.append(f"query {request.url.params.multi_items()} != {want.get('query')}")
    for name, value in want.get("headers", {}).items():
        if request.headers.get(name) != value:
            problems.append(f"header {name}: {request.headers.get(name)!r} != {value!r}")
    if request.headers.get("X-Auth-Token") != TOKEN:
        problems.append("the token was not sent in X-Auth-Token")
    if "body" in want:
        if not request.headers.get("Content-Type", "").startswith("application/json"):
            problems.append(f"Content-Type {request.headers.get('Content-Type')!r} is not JSON")
        try:
            sent = json.loads(request.content)
        except ValueError:
            problems.append(f"body is not JSON: {request.content[:200]!r}")
        else:
            problems += [f"body {m}" for m in json_mismatches(sent, want["body"])]
    elif request.content:
        problems.append(f"a body was sent where the fixture has none: {request.content[:200]!r}")
    return problems
