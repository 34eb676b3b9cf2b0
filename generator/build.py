"""Build the intermediate representation from validated specs; every naming and typing decision lives here."""

from __future__ import annotations

import dataclasses
import hashlib
import json
import re
import textwrap
from typing import Any

from . import naming
from .build_cli import cli_imports, cli_services, cli_settings
from .build_waiters import attach_waiters
from .document import Document, operations
from .ir import (
    Api,
    Argument,
    CallArg,
    ClientOption,
    ClientParam,
    ErrorCode,
    Operation,
    Pagination,
    Resource,
    ServerVariable,
    Service,
    Waiter,
)
from .literals import docstring_safe
from .load import SpecFile
from .openapi_json import openapi_json

# how the command line parses a parameter of each JSON type (anything else is read as JSON)
_CLI_KINDS = {"string": "str", "integer": "int", "number": "float", "boolean": "bool"}
IDEMPOTENT_METHODS = frozenset({"GET", "HEAD", "OPTIONS", "DELETE", "TRACE"})
DOC_WIDTH = 88
LOCATION_ORDER = {"path": 0, "body": 1, "query": 2, "header": 3}
# Per-service constructor options, keyed by x-sdk-client-option; project_id is common to all clients.
OPTION_DOCS = {
    "workspace": "DataArts Studio workspace ID, sent as the `workspace` header where documented.",
    "language": (
        "Language of messages, sent as `X-Language` (a common header, table 7-1), e.g. `en-us`; "
        "operations that require the header send their documented value when it is not set."
    ),
}


def build_api(specs: list[SpecFile]) -> Api:
    digest = hashlib.sha256()
    for spec in specs:
        digest.update(f"{spec.name}\0{spec.sha256}\n".encode())
    services = tuple(_ServiceBuilder(spec).build() for spec in specs)
    cli, settings = cli_services(services), cli_settings(services)
    return Api(services, digest.hexdigest(), cli, settings, cli_imports(cli, settings))


class _ServiceBuilder:
    def __init__(self, spec: SpecFile) -> None:
        self.spec = spec
        self.data = spec.data
        self.doc = Document(spec.data)
        self.schemas: dict[str, Any] = dict((self.data.get("components") or {}).get("schemas") or {})
        self.model_names: set[str] = set()
        self.type_aliases: dict[str, str] = {}  # union component name -> its members
        self.argument_aliases: dict[str, str] = {}  # alias name -> an argument's long type
        # per resource, the builtin names its methods shadow inside the generated class body
        self.shadowed = _shadowed_builtins(self.data)

    # -- helpers ----------------------------------------------------------------------------

    def deref(self, node: Any) -> Any:
        return self.doc.deref(node)

    def schema_name(self, schema: dict[str, Any]) -> str | None:
        ref = schema.get("$ref") if isinstance(schema, dict) else None
        prefix = "#/components/schemas/"
        return ref[len(prefix):] if isinstance(ref, str) and ref.startswith(prefix) else None

    def model_for(self, schema: dict[str, Any], fallback_name: str) -> str:
        """Python type of a body: its component's class (or union), or the inline schema lifted."""
        if "$ref" not in schema:
            name = fallback_name
            while name in self.schemas:
                name += "Body"
            self.schemas[name] = schema
            schema = {"$ref": f"#/components/schemas/{name}"}
        return self.type_expr(schema)

    def type_expr(self, schema: dict[str, Any]) -> str:
        """A Python type expression for a schema, naming the classes datamodel-codegen makes.

        Object components are classes. Other components (unions, lists) are collapsed by
        datamodel-codegen into the fields that use them, so they are spelled out here too.
        """
        name = self.schema_name(schema)
        if name is not None:
            target = self.schemas[name]
            if _is_object(target):
                self.model_names.add(name)
                return name
            if any(key in target for key in ("oneOf", "anyOf")):
                # datamodel-codegen inlines union components; the models module gets an alias,
                # and the client imports only the alias, not its members
                used = set(self.model_names)
                self.type_aliases[name] = self.type_expr(target)
                self.model_names = used | {name}
                return name
            return self.type_expr(target)
        for key in ("oneOf", "anyOf"):
            if key in schema:
                members = list(dict.fromkeys(self.type_expr(m) for m in schema[key]))
                return " | ".join(members)
        if schema.get("type") == "array":
            return f"list[{self.type_expr(schema.get('items') or {})}]"
        return self.annotation(schema)

    # -- service ----------------------------------------------------------------------------

    def build(self) -> Service:
        from .catalogues import catalogue_modules  # it reuses this module's text helpers

        info = self.data.get("info") or {}
        resources: dict[str, list[Operation]] = {}
        client_options: set[str] = set()
        for _, path, method, op in operations(self.data):
            for built in self.operations(path, method, op):
                resources.setdefault(op["x-sdk-resource"], []).append(built)
                client_options.update(p.option for p in built.client_params)
        server = (self.data.get("servers") or [{}])[0]
        variables = tuple(
            ServerVariable(name, str(v.get("default", "")), tuple(map(str, v.get("enum") or ())),
                           _one_line(v.get("description", "")))
            for name, v in (server.get("variables") or {}).items()
        )
        # language is a common header of every DataArts Studio API (003 table 7-1)
        options = tuple(
            ClientOption(name, "str | None", "None",
                         tuple(_wrap(OPTION_DOCS[name], DOC_WIDTH - 12)))
            for name in sorted((client_options | {"language"}) - {"project_id"})
        )
        service_name = self.data["x-sdk-service"]
        waiters = attach_waiters(self.data, service_name, resources)
        all_ops = [op for ops in resources.values() for op in ops]
        return Service(
            name=service_name,
            client_stem=self.data["x-sdk-client"],
            title=info.get("title", service_name),
            doc_lines=tuple(_wrap(info.get("description", ""), DOC_WIDTH - 4)),
            spec_file=self.spec.name,
            spec_sha256=self.spec.sha256,
            server_url=server.get("url", ""),
            server_variables=variables,
            options=options,
            resources=tuple(
                Resource(name, naming.pascal(name) + "Resource",
                         f"Operations on {name.replace('_', ' ')}.", tuple(ops),
                         waiters.get(name, ()))
                for name, ops in resources.items()
            ),
            model_imports=tuple(sorted(self.model_names)),
            models_document=self.models_document(info),
            field_aliases=self.field_aliases(),
            import_lines=_import_lines(all_ops, sorted(self.model_names), bool(self.argument_aliases),
                                       [w for found in waiters.values() for w in found]),
            argument_aliases=tuple(
                (alias, _alias_lines(alias, annotation))
                for alias, annotation in self.argument_aliases.items()
            ),
            type_aliases=tuple(sorted(self.type_aliases.items())),
            error_codes=self.error_codes(),
            openapi_json=openapi_json(self.data),
            catalogues=catalogue_modules(self.data),
        )

    def error_codes(self) -> tuple[ErrorCode, ...]:
        """Every schema's `x-error-codes` rows, in order (validation checked their fields)."""
        return tuple(
            ErrorCode(row["code"], ", ".join(repr(value) for value in row.values()))
            for schema in ((self.data.get("components") or {}).get("schemas") or {}).values()
            for row in schema.get("x-error-codes") or ()
        )

    # -- operations -------------------------------------------------------------------------

    def operations(
        self, path: str, method: str, op: dict[str, Any]
    ) -> list[Operation]:
        params = self.doc.parameters(path, op)
        shadowed = self.shadowed.get(op.get("x-sdk-resource"), frozenset())
        arguments = [
            _qualify(self.parameter_argument(p), shadowed)
            for p in params
            if "x-sdk-client-option" not in p
        ]
        client_params = tuple(
            ClientParam(p["name"], p["in"], p["x-sdk-client-option"], bool(p.get("required")),
                        _fallback(self.deref(p)) if p.get("required") else None)
            for p in params
            if "x-sdk-client-option" in p
        )
        success = sorted(int(c) for c in op["responses"] if str(c).startswith("2"))
        body = op.get("requestBody")
        variants = op.get("x-sdk-variants")
        if variants:
            built = []
            for v in variants:
                request_schema = {"$ref": f"#/components/schemas/{v['request-schema']}"}
                response_schema = (
                    {"$ref": f"#/components/schemas/{v['response-schema']}"}
                    if v.get("response-schema") else self.success_schema(op)
                )
                built.append(self.operation(
                    path, method, op, v["operation-id"], v["method"],
                    v.get("summary") or op["summary"], op.get("description", ""),
                    bool(v.get("deprecated", op.get("deprecated", False))),
                    arguments, client_params, success,
                    self.body_argument(request_schema, bool(self.deref(body or {}).get("required")),
                                       v["operation-id"]),
                    response_schema, None,
                ))
            return built
        body_arg = None
        if body is not None:
            body = self.deref(body)
            schema = self.doc.json_schema(body)
            if schema is not None:
                body_arg = self.body_argument(schema, bool(body.get("required")), op["operationId"])
        response_schema = self.success_schema(op)
        return [self.operation(
            path, method, op, op["operationId"], op["x-sdk-method"], op["summary"],
            op.get("description", ""), bool(op.get("deprecated", False)),
            arguments, client_params, success, body_arg, response_schema,
            op.get("x-sdk-pagination"),
        )]

    def success_schema(self, op: dict[str, Any]) -> dict[str, Any] | str | None:
        """The JSON schema of the first 2xx response with content, "binary", or None."""
        for code in sorted(str(c) for c in op["responses"]):
            if not code.startswith("2"):
                continue
            response = self.deref(op["responses"][code])
            content = response.get("content") or {}
            # a response that may also be a file (ExportJob: a zip, or JSON when asked to write
            # to OBS) is read as bytes, which keeps either answer whole
            if all("json" in media for media in content):
                for media_obj in content.values():
                    return media_obj.get("schema") or {}
            if content:
                return "binary"
        return None

    def operation(
        self, path: str, method: str, op: dict[str, Any], operation_id: str, method_name: str,
        summary: str, description: str, deprecated: bool, arguments: list[Argument],
        client_params: tuple[ClientParam, ...], success: list[int], body_arg: Argument | None,
        response_schema: dict[str, Any] | str | None, pagination: dict[str, Any] | None,
    ) -> Operation:
        args = sorted(
            [self.fit_on_a_line(a, operation_id) for a in [*arguments, *([body_arg] if body_arg else [])]],
            key=lambda a: (a.default is not None, LOCATION_ORDER[a.location]),
        )
        shadowed = self.shadowed.get(op.get("x-sdk-resource"), frozenset())
        if body_arg is not None:
            body_arg = _qualify(body_arg, shadowed)
        if response_schema is None:
            kind, rtype = "none", "None"
        elif response_schema == "binary":
            kind, rtype = "binary", "bytes"
        else:
            kind = "model"
            rtype = self.model_for(response_schema, operation_id + "Response")  # type: ignore[arg-type]
        http_method = method.upper()
        return Operation(
            operation_id=operation_id,
            constant="_" + naming.snake(operation_id).upper(),
            method_name=naming.method_name(method_name),
            http_method=http_method,
            path=path,
            summary=_one_line(summary),
            description="" if _one_line(description) == _one_line(summary) else _one_line(description),
            doc_lines=tuple(self.doc_lines(summary, description, deprecated, args, kind, rtype)),
            deprecated=deprecated,
            idempotent=http_method in IDEMPOTENT_METHODS,
            arguments=tuple(args),
            client_params=client_params,
            response_kind=kind,  # type: ignore[arg-type]
            response_type=rtype,
            success_statuses=tuple(success),
            pagination=self.pagination(pagination, rtype, op) if pagination else None,
            call_args=_call_args(args),
            wrap_constant=_too_long(f"_{naming.snake(operation_id).upper()}: "
                                    f"OperationSpec[{rtype}] = OperationSpec("),
            return_annotation=_unshadow(rtype, shadowed),
        )

    def fit_on_a_line(self, arg: Argument, operation_id: str) -> Argument:
        """An argument whose signature line would be too long gets its type from a named alias.

        Black would split such a line; naming the type keeps every signature on single lines.
        """
        default = f" = {arg.default}" if arg.default is not None else ""
        if SIGNATURE_INDENT + len(f"{arg.python_name}: {arg.annotation}{default},") <= LINE_LENGTH:
            return arg
        optional = arg.annotation.endswith(" | None")
        base = arg.annotation.removesuffix(" | None")
        alias = "_" + operation_id + naming.pascal(arg.python_name)
        self.argument_aliases[alias] = base
        return dataclasses.replace(arg, annotation=alias + (" | None" if optional else ""))

    def parameter_argument(self, param: dict[str, Any]) -> Argument:
        schema = self.deref(param.get("schema") or {})
        annotation = self.annotation(schema)
        required = bool(param.get("required"))
        multiple = schema.get("type") == "array"
        scalar = self.deref(schema.get("items") or {}) if multiple else schema
        kind = _CLI_KINDS.get(scalar.get("type") or "", "json")
        return Argument(
            python_name=naming.argument_name(param["name"]),
            wire_name=param["name"],
            location=param["in"],
            annotation=annotation if required else f"{annotation} | None",
            default=None if required else "None",
            doc=_one_line(param.get("description", "")),
            cli_kind=kind,
            multiple=multiple and kind != "json",
            choices=tuple(str(v) for v in scalar.get("enum") or ()),
        )

    def body_argument(self, schema: dict[str, Any], required: bool, operation_id: str) -> Argument:
        model = self.model_for(schema, operation_id + "Request")
        annotation = f"{model} | Mapping[str, Any]"
        return Argument(
            python_name="body",
            wire_name="",
            location="body",
            annotation=annotation if required else f"{annotation} | None",
            default=None if required else "None",
            doc=f"Request body: a `{model}` or a mapping with the wire field names.",
        )

    def annotation(self, schema: dict[str, Any]) -> str:
        schema = self.deref(schema)
        kind = schema.get("type")
        base = {"string": "str", "integer": "int", "number": "float", "boolean": "bool"}.get(kind or "")
        if kind == "array":
            base = f"list[{self.annotation(schema.get('items') or {})}]"
        elif base is None:
            base = "Any"
        if schema.get("enum") and base in ("str", "int"):
            values = ", ".join(json.dumps(v, ensure_ascii=False) for v in schema["enum"])
            return f"Literal[{values}] | {base}"  # open enum: new server values stay valid
        return base

    def pagination(self, pag: dict[str, Any], response_type: str, op: dict[str, Any]) -> Pagination:
        response = self.deref(self.schemas[response_type])
        props = self.doc.properties(response)
        items_schema = self.deref(props[pag["items"]])
        item_type = self.model_for(items_schema["items"], response_type + "Item")  # validated: a $ref
        total = pag.get("total")
        return Pagination(
            location=pag["in"],
            start_param=pag["start-param"],
            size_param=pag["size-param"],
            start_kind=pag["start-kind"],
            start_base=int(pag.get("start-base", 0)),
            items_attr=naming.field_name(pag["items"]),
            total_attr=naming.field_name(total) if total else None,
            item_type=item_type,
        )

    def doc_lines(
        self, summary: str, description: str, deprecated: bool, args: list[Argument],
        kind: str, rtype: str,
    ) -> list[str]:
        lines = [_one_line(summary).rstrip(".") + "."]
        if description and _one_line(description) != _one_line(summary):
            lines += ["", *_wrap(description, DOC_WIDTH - 8)]
        if deprecated:
            lines += ["", "Deprecated: the service documents this operation as being retired."]
        if args:
            lines += ["", "Args:"]
            for a in args:
                lines += _wrap(f"{a.python_name}: {a.doc or '(undocumented)'}", DOC_WIDTH - 12,
                               indent="    ", subsequent="        ")
        returns = {"none": "None: the operation answers without a body.",
                   "binary": "bytes: the file the operation returns."}.get(kind, f"{rtype}: the parsed response.")
        lines += ["", "Returns:", "    " + returns]
        lines += ["", "Raises:", "    APIStatusError: the service answered with an error status.",
                  "    APIConnectionError: the service could not be reached."]
        return lines

    # -- models -----------------------------------------------------------------------------

    def models_document(self, info: dict[str, Any]) -> dict[str, Any]:
        """The OpenAPI document handed to datamodel-code-generator: components only, enums opened."""
        schemas = {name: _open_enums(s) for name, s in self.schemas.items()}
        return {
            "openapi": "3.0.3",
            "info": {"title": info.get("title", ""), "version": str(info.get("version", ""))},
            "paths": {},
            "components": {"schemas": schemas},
        }

    def field_aliases(self) -> dict[str, str]:
        """wire name -> Python name for every property whose wire name is not a usable Python name."""
        aliases: dict[str, str] = {}
        for schema in self.schemas.values():
            for wire in _property_names(schema):
                py = naming.field_name(wire)
                if py != wire:
                    aliases[wire] = py
        return dict(sorted(aliases.items()))


SIGNATURE_INDENT = 8  # a method's parameters
CALL_INDENT = 12  # the keyword arguments of `self._client.request(` inside a method
LINE_LENGTH = 100  # black's, see format.py


def _too_long(line: str, indent: int = 0) -> bool:
    return indent + len(line) > LINE_LENGTH


def _alias_lines(alias: str, annotation: str) -> tuple[str, ...]:
    """`alias: TypeAlias = annotation` laid out as black lays out an over-long one."""
    head = f"{alias}: TypeAlias = "
    if not _too_long(head + annotation):
        return (head + annotation,)
    parts = annotation.split(" | ")
    lines = [head + "("]
    for i, part in enumerate(parts):
        prefix = "    " if i == 0 else "    | "
        if part.startswith("Literal[") and _too_long(prefix + part):
            values = part[len("Literal["):-1].split(", ")
            lines += [prefix + "Literal[", *(f"        {v}," for v in values), "    ]"]
        else:
            lines.append(prefix + part)
    return (*lines, ")")


def _call_args(args: list[Argument]) -> tuple[CallArg, ...]:
    """The path/query/headers mappings a method passes on, each on one line when it fits.

    Laying out here what black would lay out saves black its costly search for a split.
    """
    out = []
    for keyword, location in (("path", "path"), ("query", "query"), ("headers", "header")):
        entries = tuple((a.wire_name, a.python_name) for a in args if a.location == location)
        if entries:
            one_line = f"{keyword}={{" + ", ".join(f'"{w}": {p}' for w, p in entries) + "},"
            out.append(CallArg(keyword, entries, CALL_INDENT + len(one_line) <= LINE_LENGTH))
    return tuple(out)


def _fallback(param: dict[str, Any]) -> str | None:
    """What to send for a required, client-configured parameter nobody configured."""
    schema = param.get("schema") or {}
    value = schema.get("default", param.get("example", schema.get("example")))
    return None if value is None else str(value)


def _is_object(schema: dict[str, Any]) -> bool:
    return schema.get("type") == "object" or "properties" in schema or "allOf" in schema


_BUILTIN_TYPES = frozenset({"bool", "bytes", "dict", "float", "int", "list", "set", "str", "tuple"})


def _shadowed_builtins(data: dict[str, Any]) -> dict[str, frozenset[str]]:
    """Resource -> the builtin type names among its method names (`list`, `set`, ...).

    Inside the generated resource class a method named `list` hides the builtin from the type
    checker, so the annotations of that class spell it `builtins.list`.
    """
    methods: dict[str, set[str]] = {}
    for _, _, _, op in operations(data):
        variants = op.get("x-sdk-variants") or ()
        names = [v.get("method") for v in variants] or [op.get("x-sdk-method")]
        methods.setdefault(str(op.get("x-sdk-resource")), set()).update(
            naming.method_name(n) for n in names if isinstance(n, str)
        )
    shadowing = {resource: frozenset(names & _BUILTIN_TYPES) for resource, names in methods.items()}
    return {resource: names for resource, names in shadowing.items() if names}


def _unshadow(annotation: str, shadowed: frozenset[str]) -> str:
    for name in sorted(shadowed):
        annotation = re.sub(rf"(?<![\w.]){name}\b", f"builtins.{name}", annotation)
    return annotation


def _qualify(arg: Argument, shadowed: frozenset[str]) -> Argument:
    if not shadowed:
        return arg
    return dataclasses.replace(arg, annotation=_unshadow(arg.annotation, shadowed))


def _import_lines(
    operations: list[Operation], models: list[str], aliases: bool, waiters: list[Waiter]
) -> tuple[str, ...]:
    """The client module's imports: exactly the names its code uses, so linters stay quiet."""
    annotations = " ".join(a.annotation for op in operations for a in op.arguments)
    returns = " ".join(op.return_annotation for op in operations)
    qualified = "builtins." in annotations or "builtins." in returns
    paged = any(op.pagination for op in operations)
    binary = any(op.response_kind == "binary" for op in operations)
    abc = {"Mapping", *(("AsyncIterator", "Iterator") if paged else ())}
    typing_names = {"Self", "Unpack"}
    if binary or models:
        typing_names.add("TYPE_CHECKING")
    typing_names |= {name for name in ("Any", "Literal") if re.search(rf"\b{name}\b", annotations)}
    if binary:
        typing_names.add("IO")
    if aliases:
        typing_names.add("TypeAlias")
    lines = [
        *(["import builtins"] if qualified else []),
        f"from collections.abc import {', '.join(sorted(abc, key=naming.isort_key))}",
        f"from typing import {', '.join(sorted(typing_names, key=naming.isort_key))}",
        "",
        "import httpx",
        "",
        "from .._runtime.client import (",
        "    AsyncAPIClient,",
        "    AsyncResource,",
        "    OperationSpec,",
        "    ServiceSpec,",
        "    SyncAPIClient,",
        "    SyncResource,",
        ")",
    ]
    if paged:
        lines.append("from .._runtime.pagination import PageSpec")
    lines.append("from .._runtime.types import NOT_GIVEN, Headers, NotGiven, RequestOptions, Timeout")
    if waiters:
        names = {"AsyncSleep", "Clock", "OnPoll", "Sleep", "WaiterSpec"}
        if any(not w.ends_without_result for w in waiters):
            names |= {"async_wait", "wait"}
        if any(w.ends_without_result for w in waiters):
            names |= {"async_wait_or_none", "wait_or_none"}
        lines += ["from .._runtime.waiters import (",
                  *(f"    {n}," for n in sorted(names, key=naming.isort_key)), ")"]
    # Only the type checker reads the models here: at run time the client resolves response
    # types on first use, so importing a client does not import (and build) its models.
    if binary or models:
        lines += ["", "if TYPE_CHECKING:"]
    if binary:
        lines.append("    import os")
        if models:
            lines.append("")
    if models:
        lines += [
            "    from .models import (", *(f"        {m}," for m in sorted(models, key=naming.isort_key)),
            "    )",
        ]
    return tuple(lines)


def _property_names(node: Any) -> list[str]:
    names: list[str] = []
    if isinstance(node, dict):
        for key, value in node.items():
            if isinstance(key, str) and key.startswith("x-"):
                continue
            if key == "properties" and isinstance(value, dict):
                names.extend(str(k) for k in value)
                for sub in value.values():
                    names.extend(_property_names(sub))
            else:
                names.extend(_property_names(value))
    elif isinstance(node, list):
        for value in node:
            names.extend(_property_names(value))
    return names


# Not carried into the models: examples, and validation limits. The server is the authority on
# limits (and its responses break them: retryTimes 0 where the table says 1-100), while a model
# that rejects a response is worse than useless. The spec keeps them for readers.
_DROPPED_KEYS = frozenset({
    "example", "examples", "externalDocs", "xml", "minLength", "maxLength", "pattern", "minimum",
    "maximum", "exclusiveMinimum", "exclusiveMaximum", "minItems", "maxItems", "uniqueItems",
    "multipleOf", "minProperties", "maxProperties",
})
_DATA_KEYS = frozenset({"enum", "default", "required", "const"})  # values, not schemas


def _map_schema(node: Any, fn: Any) -> Any:
    """Apply `fn` to every schema object below `node`, leaving property names and data alone."""
    if isinstance(node, list):
        return [_map_schema(v, fn) for v in node]
    if not isinstance(node, dict):
        return node
    out: dict[str, Any] = {}
    for key, value in node.items():
        if key in _DROPPED_KEYS or str(key).startswith("x-"):
            continue
        if key == "properties" and isinstance(value, dict):
            out[key] = {name: _map_schema(sub, fn) for name, sub in value.items()}
        elif key in _DATA_KEYS:
            out[key] = value
        else:
            out[key] = _map_schema(value, fn)
    return fn(out)


def _open_enums(node: Any) -> Any:
    """`enum: [A, B]` becomes `anyOf: [{enum: [A, B]}, {type}]`, so unknown values still parse."""
    return _map_schema(node, _open_enum)


def _open_enum(schema: dict[str, Any]) -> dict[str, Any]:
    if "enum" not in schema or schema.get("type") not in ("string", "integer", "number"):
        return schema
    closed = {"type": schema["type"], "enum": schema.pop("enum")}
    open_ = {"type": schema.pop("type")}
    if "format" in schema:
        open_["format"] = schema.pop("format")
    schema["anyOf"] = [closed, open_]
    return schema


def _one_line(text: str) -> str:
    return " ".join(str(text).split())


def _wrap(text: str, width: int, indent: str = "", subsequent: str | None = None) -> list[str]:
    paragraphs = [p for p in str(text).replace("\r", "").split("\n\n") if p.strip()]
    lines: list[str] = []
    for i, para in enumerate(paragraphs):
        if i:
            lines.append("")
        lines += textwrap.wrap(
            _one_line(para), width, initial_indent=indent if not lines else subsequent or indent,
            subsequent_indent=subsequent if subsequent is not None else indent,
            break_long_words=False, break_on_hyphens=False,
        )
    return [docstring_safe(line) for line in lines]
