"""The methods of a service: each operation (or variant) typed into arguments, body and response."""

from __future__ import annotations

import dataclasses
import json
import re
from typing import Any

from . import naming
from .context import OperationDecl, Parameter, SpecContext
from .draft import ServiceDraft
from .extensions import client_options, names, resources, variants
from .ir import Argument, ClientParam, Doc, DocSection, Operation, Overload
from .schema_types import SCALARS
from .text import one_line

IDEMPOTENT_METHODS = frozenset({"GET", "HEAD", "OPTIONS", "DELETE", "TRACE"})
LOCATION_ORDER = {"path": 0, "body": 1, "query": 2, "header": 3}


def add_operations(spec: SpecContext, draft: ServiceDraft) -> None:
    """Every operation's methods, by resource, in the order of the spec."""
    shadowed = resources.shadowed_builtins(spec)
    names = resources.of(spec)
    for op in spec.operations:
        resource = names.resource(op.ptr) or ""
        built = _Operations(spec, draft, op, shadowed.get(resource, frozenset())).build()
        draft.resources.setdefault(resource, []).extend(built)


class _Operations:
    """The methods of one operation object: one, or one per variant."""

    def __init__(
        self, spec: SpecContext, draft: ServiceDraft, op: OperationDecl, shadowed: frozenset[str]
    ) -> None:
        self.spec, self.draft, self.op, self.shadowed = spec, draft, op, shadowed
        self.defaults: dict[str, Any] | None = None  # the body sent when none is given
        self.types = draft.types
        self.data = op.data

    def build(self) -> list[Operation]:
        options = client_options.of(self.spec)
        params = self.spec.parameters(self.op)
        arguments = [_qualify(self.parameter_argument(p), self.shadowed)
                     for p in params if not options.is_option(p)]
        named = [names.of(self.spec).parameter(p.ptr) for p in params if not options.is_option(p)]
        self.renamed = tuple(pair for n in named if n is not None for pair in n.renamed)
        client_params = tuple(c for c in map(options.client_param, params) if c is not None)
        success = sorted(int(c) for c in self.data["responses"] if str(c).startswith("2"))
        body = self.data.get("requestBody")
        found = variants.of(self.spec).by_operation.get(self.op.ptr)
        if found:
            required = bool(self.spec.doc.deref(body or {}).get("required"))
            return [
                self.operation(
                    v.operation_id, v.method, v.summary or self.data["summary"],
                    bool(self.data.get("deprecated", False)) if v.deprecated is None
                    else v.deprecated, arguments, client_params, success,
                    self.body_argument(v.request(), required, v.operation_id),
                    v.response() or self.spec.doc.success_body(self.data),
                )
                for v in found
            ]
        body_arg = None
        if body is not None:
            body = self.spec.doc.deref(body)
            schema = self.spec.doc.json_schema(body)
            if schema is not None:
                body_arg = self.body_argument(schema, bool(body.get("required")), self.op.label)
        method = resources.of(self.spec).method(self.op.ptr) or ""
        return [self.operation(
            self.op.label, method, self.data["summary"], bool(self.data.get("deprecated", False)),
            arguments, client_params, success, body_arg, self.spec.doc.success_body(self.data),
        )]

    def operation(
        self, operation_id: str, method_name: str, summary: str, deprecated: bool,
        arguments: list[Argument], client_params: tuple[ClientParam, ...], success: list[int],
        body_arg: Argument | None, response_schema: dict[str, Any] | str | None,
    ) -> Operation:
        named = [dataclasses.replace(a, type_name="_" + operation_id + naming.pascal(a.python_name))
                 for a in [*arguments, *([body_arg] if body_arg else [])]]
        args = sorted(named, key=lambda a: (a.default is not None, LOCATION_ORDER[a.location]))
        alternative = ""
        if response_schema is None:
            kind, rtype = "none", "None"
        elif response_schema == "binary":
            kind, rtype = "binary", "bytes"
            json_answer = self.spec.doc.success_alternative(self.data)
            if json_answer is not None:
                alternative = self.types.model_for(json_answer, operation_id + "Result")
        else:
            kind = "model"
            rtype = self.types.model_for(response_schema, operation_id + "Response")  # type: ignore[arg-type]
        description = self.data.get("description", "")
        http_method = self.op.method.upper()
        return Operation(
            operation_id=operation_id,
            constant="_" + naming.snake(operation_id).upper(),
            method_name=naming.method_name(method_name),
            http_method=http_method,
            path=self.op.path,
            summary=one_line(summary),
            description="" if one_line(description) == one_line(summary) else one_line(description),
            doc=_doc(summary, description, deprecated, args, kind, rtype, alternative),
            deprecated=deprecated,
            idempotent=http_method in IDEMPOTENT_METHODS,
            arguments=tuple(args),
            client_params=client_params,
            response_kind=kind,  # type: ignore[arg-type]
            response_type=rtype,
            success_statuses=tuple(success),
            return_annotation=_unshadow(f"{alternative} | bytes" if alternative else rtype,
                                        self.shadowed),
            renamed=self.renamed,
            default_body=self.defaults,
            alternative=alternative,
            overloads=_overloads(tuple(args), alternative, self.shadowed),
        )

    def parameter_argument(self, param: Parameter) -> Argument:
        schema = self.spec.doc.deref(param.data.get("schema") or {})
        annotation = self.types.annotation(schema)
        required = bool(param.data.get("required"))
        multiple = schema.get("type") == "array"
        scalar = self.spec.doc.deref(schema.get("items") or {}) if multiple else schema
        kind = SCALARS.get(scalar.get("type") or "", "json")
        named = names.of(self.spec).parameter(param.ptr)
        return Argument(
            python_name=named.python if named else naming.argument_name(param.name),
            wire_name=param.name,
            location=param.location,  # type: ignore[arg-type]
            annotation=annotation if required else f"{annotation} | None",
            default=None if required else "None",
            doc=one_line(param.data.get("description", "")),
            cli_kind=kind,
            multiple=multiple and kind != "json",
            choices=tuple(str(v) for v in scalar.get("enum") or ()),
        )

    def body_argument(self, schema: dict[str, Any], required: bool, operation_id: str) -> Argument:
        model = self.types.model_for(schema, operation_id + "Request")
        annotation = f"{model} | Mapping[str, Any]"
        doc = f"Request body: a `{model}` or a mapping with the wire field names."
        defaults = self.default_body(schema) if required else None
        if defaults is not None:  # nothing to ask of the caller: the documented values go out
            self.defaults = defaults
            required = False
            shown = ", ".join(f"`{k}`: {json.dumps(v)}" for k, v in defaults.items())
            doc += f" Optional: without it, the documented defaults are sent ({shown})."
        return Argument(
            python_name="body",
            wire_name="",
            location="body",
            annotation=annotation if required else f"{annotation} | None",
            default=None if required else "None",
            doc=doc,
        )

    def default_body(self, schema: dict[str, Any]) -> dict[str, Any] | None:
        """A required body whose required fields all document a default: those defaults, the
        body sent when the caller gives none (CDM DeleteCluster's keep_last_manual_backup: 0)."""
        schema = self.spec.doc.deref(schema) or {}
        required = schema.get("required") or []
        props = self.spec.doc.properties(schema)
        found = {name: (self.spec.doc.deref(props.get(name)) or {}).get("default")
                 for name in required}
        if not required or any(value is None for value in found.values()):
            return None
        return found


def _overloads(
    args: tuple[Argument, ...], alternative: str, shadowed: frozenset[str]
) -> tuple[Overload, ...]:
    """A file-answering method that answers JSON when given a body: without a body it returns
    the bytes; with one, the model of the JSON answer, or the bytes should a file come anyway."""
    body = next((a for a in args if a.location == "body"), None)
    if not alternative or body is None or body.default is None:
        return ()
    without = dataclasses.replace(body, annotation="None")
    given = dataclasses.replace(body, annotation=body.annotation.removesuffix(" | None"),
                                default=None)
    return (
        Overload(tuple(without if a is body else a for a in args), "bytes"),
        Overload(tuple(sorted((given if a is body else a for a in args),
                              key=lambda a: (a.default is not None, LOCATION_ORDER[a.location]))),
                 _unshadow(f"{alternative} | bytes", shadowed)),
    )


def _doc(
    summary: str, description: str, deprecated: bool, args: list[Argument], kind: str, rtype: str,
    alternative: str = "",
) -> Doc:
    paragraphs = []
    if description and one_line(description) != one_line(summary):
        paragraphs.append(description)
    if deprecated:
        paragraphs.append("Deprecated: the service documents this operation as being retired.")
    sections = []
    if args:
        sections.append(DocSection(
            "Args", tuple(f"{a.python_name}: {a.doc or '(undocumented)'}" for a in args)))
    returns = {"none": "None: the operation answers without a body.",
               "binary": "bytes: the file the operation returns."}.get(kind, f"{rtype}: the parsed response.")
    if alternative:
        returns = (f"bytes: the file the operation returns; or {alternative}, its JSON answer "
                   "parsed, when it answers JSON instead (by the answer's Content-Type).")
    sections += [
        DocSection("Returns", (returns,), wrapped=False),
        DocSection("Raises", ("APIStatusError: the service answered with an error status.",
                              "APIConnectionError: the service could not be reached."), wrapped=False),
    ]
    return Doc(one_line(summary).rstrip(".") + ".", tuple(paragraphs), tuple(sections))


def _unshadow(annotation: str, shadowed: frozenset[str]) -> str:
    for name in sorted(shadowed):
        annotation = re.sub(rf"(?<![\w.]){name}\b", f"builtins.{name}", annotation)
    return annotation


def _qualify(arg: Argument, shadowed: frozenset[str]) -> Argument:
    if not shadowed:
        return arg
    return dataclasses.replace(arg, annotation=_unshadow(arg.annotation, shadowed))
