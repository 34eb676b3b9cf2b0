"""`x-sdk-waiters` (root): `wait_until_<name>` methods that poll a GET until work is done.

A waiter polls an operation until a field of its response holds a success or failure value (or
the poll answers with a listed error), and names the operations after which `--wait` may follow
it, with OpenAPI runtime expressions for the polled operation's arguments (spec/README.md,
"Waiters"). Work that must first be seen under way has `under-way`; work told from earlier runs
by the server's time has `not-before` (a time field), which an `after` entry feeds from a header
of the followed call's answer (its Date). `read` checks all of it; `build` gives resources their
waiters and operations their `wait_link`.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from .. import naming
from ..context import OperationDecl, SpecContext
from ..draft import ServiceDraft
from ..ir import Doc, DocSection, Operation, Waiter, WaitLink, WaitRule
from ..problems import pointer
from . import client_options, enum_descriptions, error_codes, resources, service, variants
from .contract import Extension, MethodName

KEY = "x-sdk-waiters"
WAITER_KEYS = frozenset({
    "name", "summary", "operation", "state", "progress", "reason", "success", "failure", "retry",
    "errors", "under-way", "start-within", "not-before", "delay", "backoff", "max-delay", "timeout",
    "after",
})
REQUIRED_KEYS = (
    "name", "summary", "operation", "state", "success", "failure", "retry", "delay", "backoff",
    "max-delay", "timeout",
)
VALUE_LISTS = ("success", "failure", "retry")
OUTCOMES = ("success", "failure")
ERROR_KEYS = frozenset({"status", "code", "outcome", "when"})
UNDER_WAY_KEYS = frozenset({"field", "values"})
NOT_BEFORE_KEYS = frozenset({"field", "slack"})
AFTER_KEYS = frozenset({"operation", "parameters", "start-delay", "not-before"})
# the waiter method's arguments an `after` entry's `start-delay` and `not-before` fill
START_DELAY = "start_delay"
NOT_BEFORE = "not_before"
# what an `after` entry's `not-before` reads: a header of the followed call's answer (its Date)
RESPONSE_HEADER = re.compile(r"\$response\.header\.(?P<header>[A-Za-z0-9!#$%&'*+.^_`|~-]+)")
SCALAR_TYPES = frozenset({"string", "integer", "number", "boolean"})
# OpenAPI runtime expressions (3.0.3, "Runtime Expressions"), the subset a waiter needs
EXPRESSION = re.compile(
    r"\$request\.(?P<location>path|query|header)\.(?P<name>[^\s#]+)"
    r"|\$(?P<source>request|response)\.body#(?P<pointer>(/[^/]*)*)"
)


@dataclass(frozen=True)
class Target:
    """An operation a waiter can name: a plain one, or one variant of a shared path and method."""

    op: OperationDecl
    operation_id: str
    resource: str | None
    request_schema: Any  # JSON schema of the request body (None: no JSON body)
    response_schema: Any  # JSON schema of the first 2xx JSON response (None: none)
    variant: bool


@dataclass(frozen=True)
class Value:
    """What an `after` entry gives a parameter: a runtime expression, or a literal value."""

    expression: re.Match[str] | None
    literal: Any = None


@dataclass(frozen=True)
class Follows:
    """A checked `after` entry."""

    operation: str  # the id of the operation followed
    parameters: tuple[tuple[str, Value], ...]  # (polled parameter's wire name, its value)
    start_delay: Value | None = None
    not_before: str | None = None  # the followed call's answer header giving its time


@dataclass(frozen=True)
class Declared:
    """A checked waiter: every name, pointer and expression resolves."""

    name: str
    summary: str
    operation: str  # the polled operation's id
    rule: WaitRule
    after: tuple[Follows, ...]


def read(spec: SpecContext) -> tuple[Declared, ...]:
    if KEY not in spec.data:
        return ()
    waiters = spec.data[KEY]
    if not isinstance(waiters, list):
        spec.report(f"/{KEY}", f"{KEY} must be a list of waiters")
        return ()
    rules = _Rules(spec)
    found = []
    for i, waiter in enumerate(waiters):
        before = len(spec.problems)
        after = rules.check(pointer(KEY, i), waiter)
        if len(spec.problems) == before and after is not None:
            found.append(_declared(spec, waiter, rules.index[waiter["operation"]], after))
    return tuple(found)


def _declared(spec: SpecContext, raw: dict[str, Any], poll: Target, after: Any) -> Declared:
    errors = tuple((int(e["status"]), e.get("code"), e["outcome"], e.get("when"))
                   for e in raw.get("errors") or ())
    state_schema = spec.doc.schema_at(poll.response_schema, raw["state"])
    under_way = tuple((str(u["field"]), tuple(str(v) for v in u["values"]))
                      for u in raw.get("under-way") or ())
    rule = WaitRule(
        name=f"{service.of(spec).service}.{poll.resource}.wait_until_{raw['name']}",
        state=raw["state"],
        success=tuple(str(v) for v in raw["success"]),
        failure=tuple(str(v) for v in raw["failure"]),
        retry=tuple(str(v) for v in raw["retry"]),
        delay=float(raw["delay"]),
        backoff=float(raw["backoff"]),
        max_delay=float(raw["max-delay"]),
        timeout=float(raw["timeout"]),
        progress=raw.get("progress"),
        reason=raw.get("reason"),
        errors=errors,
        labels=enum_descriptions.of(spec).labels(state_schema),
        under_way=under_way,
        start_within=float(raw["start-within"]) if "start-within" in raw else None,
        not_before=((str(raw["not-before"]["field"]), float(raw["not-before"]["slack"]))
                    if "not-before" in raw else None),
    )
    return Declared(raw["name"], raw["summary"], raw["operation"], rule, after)


def methods(spec: SpecContext, _: tuple[Declared, ...]) -> Iterator[MethodName]:
    """`wait_until_<name>`, and the resource's command-line `wait` command, per waiter."""
    index = targets(spec)
    listed = spec.data.get(KEY)
    first: dict[str, str] = {}
    rank = 0
    for i, waiter in enumerate(listed if isinstance(listed, list) else []):
        target = index.get(str(waiter.get("operation"))) if isinstance(waiter, dict) else None
        name = waiter.get("name") if isinstance(waiter, dict) else None
        if target is None or not target.resource or not isinstance(name, str):
            continue
        where = pointer(KEY, i, "name")
        yield MethodName(target.resource, f"wait_until_{name}", where, False,
                         (len(spec.operations), rank))
        rank += 1
        first.setdefault(target.resource, where)
    for resource, where in first.items():
        yield MethodName(resource, "wait", where, False, (len(spec.operations), rank))
        rank += 1


def targets(spec: SpecContext) -> dict[str, Target]:
    """Every operation by operationId, and every variant by its operation-id."""
    index: dict[str, Target] = {}
    by_operation = variants.of(spec).by_operation
    for op in spec.operations:
        resource = resources.of(spec).resource(op.ptr)
        request = spec.doc.json_schema(op.data.get("requestBody"))
        response = _success_schema(spec, op)
        if op.operation_id:
            index[op.operation_id] = Target(op, op.operation_id, resource, request, response, False)
        for variant in by_operation.get(op.ptr, ()):
            index[variant.operation_id] = Target(
                op, variant.operation_id, resource, variant.request(),
                variant.response() or response, True)
    return index


class _Rules:
    def __init__(self, spec: SpecContext) -> None:
        self.spec = spec
        self.doc = spec.doc
        self.index = targets(spec)
        self.error_codes = error_codes.of(spec).codes
        self.triggers: dict[str, str] = {}  # operation id -> the waiter following it

    def add(self, ptr: str, message: str) -> None:
        self.spec.report(ptr, message)

    def check(self, ptr: str, waiter: Any) -> Any:
        """The parsed `after` of a waiter (None: it could not be read that far)."""
        if not self._mapping(ptr, waiter, WAITER_KEYS, "waiter"):
            return None
        missing = [key for key in REQUIRED_KEYS if key not in waiter]
        if missing:
            self.add(ptr, f"a waiter needs {', '.join(missing)}")
        name = waiter.get("name")
        if "name" in waiter and (not isinstance(name, str) or not naming.is_snake_identifier(name)):
            self.add(ptr + "/name", "a waiter's name must be a snake_case identifier")
        if "summary" in waiter and not (isinstance(waiter["summary"], str) and waiter["summary"]):
            self.add(ptr + "/summary", "summary must be a non-empty string")
        self._check_timing(ptr, waiter)
        poll = self._poll_operation(ptr, waiter)
        if poll is None:
            return None
        self._check_states(ptr, waiter, poll)
        self._check_errors(ptr, waiter, poll)
        self._check_under_way(ptr, waiter, poll)
        self._check_not_before(ptr, waiter, poll)
        return self._check_after(ptr, waiter, poll)

    def _mapping(self, ptr: str, node: Any, keys: frozenset[str], what: str) -> bool:
        """Whether `node` is a mapping (reported if not); its unknown keys are reported."""
        if not isinstance(node, dict):
            self.add(ptr, f"a{'n' if what[0] in 'aeiou' else ''} {what} must be a mapping")
            return False
        for key in sorted(set(node) - keys, key=str):
            self.add(f"{ptr}/{key}", f"unknown {what} key {key!r}")
        return True

    # -- what is polled ---------------------------------------------------------------------

    def _poll_operation(self, ptr: str, waiter: dict[str, Any]) -> Target | None:
        op_id = waiter.get("operation")
        if "operation" not in waiter:
            return None
        target = self.index.get(op_id) if isinstance(op_id, str) else None
        if target is None:
            self.add(ptr + "/operation", f"no operation has the operationId {op_id!r}")
            return None
        if target.variant or target.op.method != "get":
            self.add(ptr + "/operation",
                     f"a waiter polls a GET operation with its own operationId; {op_id} is not one")
            return None
        if target.response_schema is None:
            self.add(ptr + "/operation", f"{op_id} has no JSON success response to read a state from")
            return None
        return target

    def _field(self, ptr: str, waiter: dict[str, Any], key: str, poll: Target) -> Any:
        """The schema of the response field a pointer-valued key names (None: reported)."""
        value = waiter.get(key)
        if not isinstance(value, str) or not value.startswith("/"):
            self.add(f"{ptr}/{key}", f"{key} must be a JSON pointer into the response, e.g. /status")
            return None
        schema = self.doc.schema_at(poll.response_schema, value)
        if schema is None:
            self.add(f"{ptr}/{key}", f"the response of {poll.operation_id} has no field at {value}")
        return schema

    def _check_states(self, ptr: str, waiter: dict[str, Any], poll: Target) -> None:
        for key in ("progress", "reason"):
            if key in waiter:
                schema = self._field(ptr, waiter, key, poll)
                if key == "progress" and schema is not None and schema.get("type") not in (
                    "integer", "number"
                ):
                    self.add(f"{ptr}/{key}", "progress must name a number field")
        state = self._field(ptr, waiter, "state", poll) if "state" in waiter else None
        if state is not None and state.get("type") not in SCALAR_TYPES:
            self.add(ptr + "/state", "state must name a string, number or boolean field")
            state = None
        seen: dict[str, str] = {}
        for key in VALUE_LISTS:
            values = waiter.get(key, [])
            if not isinstance(values, list) or not all(
                isinstance(v, (str, int)) and not isinstance(v, bool) for v in values
            ):
                self.add(f"{ptr}/{key}", f"{key} must be a list of strings or integers")
                continue
            for i, value in enumerate(values):
                text = str(value)
                if text in seen:
                    self.add(f"{ptr}/{key}/{i}", f"{text!r} is already listed under {seen[text]}")
                seen.setdefault(text, key)
        success_errors = [e for e in waiter.get("errors") or []
                          if isinstance(e, dict) and e.get("outcome") == "success"]
        if "success" in waiter and not waiter.get("success") and not success_errors:
            self.add(ptr + "/success", "a waiter needs a success value or an error with outcome success")
        documented = [str(v) for v in (state or {}).get("enum") or []]
        if documented:
            for key in VALUE_LISTS:
                for i, value in enumerate(waiter.get(key) or []):
                    if str(value) not in documented:
                        self.add(f"{ptr}/{key}/{i}",
                                 f"{value!r} is not a documented value of {waiter['state']} "
                                 f"({', '.join(documented)})")
            unclassified = [v for v in documented if v not in seen]
            if unclassified and all(key in waiter for key in VALUE_LISTS):
                self.add(ptr, f"documented value(s) {', '.join(unclassified)} of {waiter['state']} "
                              "are in none of success, failure, retry")

    def _check_errors(self, ptr: str, waiter: dict[str, Any], poll: Target) -> None:
        errors = waiter.get("errors")
        if errors is None:
            return
        if not isinstance(errors, list):
            self.add(ptr + "/errors", "errors must be a list of {status, code, outcome}")
            return
        responses = {str(code) for code in poll.op.data.get("responses") or {}}
        for i, error in enumerate(errors):
            eptr = f"{ptr}/errors/{i}"
            if not self._mapping(eptr, error, ERROR_KEYS, "error matcher"):
                continue
            status = error.get("status")
            if not isinstance(status, int) or isinstance(status, bool) or not 400 <= status <= 599:
                self.add(eptr + "/status", "status must be an HTTP error status (400-599)")
            elif str(status) not in responses and "default" not in responses:
                self.add(eptr + "/status", f"{poll.operation_id} documents no {status} response")
            if error.get("outcome") not in OUTCOMES:
                self.add(eptr + "/outcome", "outcome must be 'success' or 'failure'")
            code = error.get("code")
            if code is not None and (
                not isinstance(code, str) or (self.error_codes and code not in self.error_codes)
            ):
                self.add(eptr + "/code", f"{code!r} is not a documented error code ({error_codes.KEY})")
            if "when" in error:
                field = self._field(eptr, error, "when", poll)
                if field is not None and field.get("type") != "boolean":
                    self.add(eptr + "/when", "when must name a boolean field of the response")

    def _check_under_way(self, ptr: str, waiter: dict[str, Any], poll: Target) -> None:
        marks = waiter.get("under-way")
        if marks is None:
            if "start-within" in waiter:
                self.add(ptr + "/start-within", "start-within needs under-way")
            return
        if not isinstance(marks, list) or not marks:
            self.add(ptr + "/under-way", "under-way must be a list of {field, values}")
            return
        for i, mark in enumerate(marks):
            mptr = f"{ptr}/under-way/{i}"
            if not self._mapping(mptr, mark, UNDER_WAY_KEYS, "under-way entry"):
                continue
            self._field(mptr, mark, "field", poll)
            values = mark.get("values")
            if not isinstance(values, list) or not values or not all(
                isinstance(v, (str, int)) and not isinstance(v, bool) for v in values
            ):
                self.add(mptr + "/values", "values must be a non-empty list of strings or integers")

    def _check_not_before(self, ptr: str, waiter: dict[str, Any], poll: Target) -> None:
        """`not-before`: {field: a time in epoch milliseconds, slack: seconds}."""
        rule = waiter.get("not-before")
        nptr = ptr + "/not-before"
        if rule is None or not self._mapping(nptr, rule, NOT_BEFORE_KEYS, "not-before rule"):
            return
        missing = [key for key in sorted(NOT_BEFORE_KEYS) if key not in rule]
        if missing:
            self.add(nptr, f"not-before needs {', '.join(missing)}")
        if "field" in rule:
            field = self._field(nptr, rule, "field", poll)
            if field is not None and field.get("type") != "integer":
                self.add(nptr + "/field", "field must name an integer field (a time in epoch "
                                          "milliseconds)")
        slack = rule.get("slack", 0)
        if not isinstance(slack, (int, float)) or isinstance(slack, bool) or not 0 <= slack <= 60:
            self.add(nptr + "/slack", "slack must be a number of seconds from 0 to 60")

    def _check_timing(self, ptr: str, waiter: dict[str, Any]) -> None:
        numbers: dict[str, float] = {}
        for key, least in (("delay", 0.0), ("backoff", 1.0), ("max-delay", 0.0), ("timeout", 0.0),
                           ("start-within", 0.0)):
            value = waiter.get(key)
            if key not in waiter:
                continue
            if not isinstance(value, (int, float)) or isinstance(value, bool) or value < least or (
                key != "backoff" and value <= 0
            ):
                rule = "at least 1" if key == "backoff" else "a positive number of seconds"
                self.add(f"{ptr}/{key}", f"{key} must be {rule}")
                continue
            numbers[key] = float(value)
        if "delay" in numbers and numbers.get("max-delay", numbers["delay"]) < numbers["delay"]:
            self.add(ptr + "/max-delay", "max-delay must not be shorter than delay")
        if "delay" in numbers and numbers.get("timeout", numbers["delay"]) < numbers["delay"]:
            self.add(ptr + "/timeout", "timeout must not be shorter than delay")

    # -- what it follows --------------------------------------------------------------------

    def _check_after(self, ptr: str, waiter: dict[str, Any], poll: Target) -> Any:
        after = waiter.get("after")
        if after is None:
            return ()
        if not isinstance(after, list):
            self.add(ptr + "/after", "after must be a list of {operation, parameters}")
            return None
        options = client_options.of(self.spec)
        poll_params = {p.name: p.data for p in self.spec.parameters(poll.op) if not options.is_option(p)}
        found = []
        for i, entry in enumerate(after):
            aptr = f"{ptr}/after/{i}"
            if not self._mapping(aptr, entry, AFTER_KEYS, "after entry"):
                continue
            op_id = entry.get("operation")
            trigger = self.index.get(op_id) if isinstance(op_id, str) else None
            if trigger is None:
                self.add(aptr + "/operation", f"no operation or variant has the id {op_id!r}")
                continue
            if op_id == poll.operation_id:
                self.add(aptr + "/operation", "a waiter cannot follow the operation it polls")
                continue
            if op_id in self.triggers:
                self.add(aptr + "/operation",
                         f"{op_id} is already followed by the waiter at {self.triggers[op_id]}")
            self.triggers.setdefault(op_id, ptr)
            mapped = self._check_mapping(aptr, entry.get("parameters"), trigger, poll, poll_params)
            delay = self._check_start_delay(aptr, waiter, entry, trigger)
            since = self._check_since(aptr, waiter, entry)
            found.append(Follows(op_id, tuple(mapped), delay, since))
        return tuple(found)

    def _check_start_delay(
        self, aptr: str, waiter: dict[str, Any], entry: dict[str, Any], trigger: Target
    ) -> Value | None:
        """The value of `start-delay`: a runtime expression reading a number of seconds."""
        if "start-delay" not in entry:
            return None
        eptr = aptr + "/start-delay"
        if "start-within" not in waiter:
            self.add(eptr, "start-delay adds to the waiter's start-within, which it has not")
            return None
        expression = entry["start-delay"]
        match = EXPRESSION.fullmatch(expression) if isinstance(expression, str) else None
        if match is None:
            self.add(eptr, f"{expression!r} is not a runtime expression this generator reads")
            return None
        params = {(p.location, p.name): p for p in self.spec.parameters(trigger.op)}
        source = self._expression_schema(eptr, match, trigger, params)
        if source is not None and source.get("type") not in ("integer", "number"):
            self.add(eptr, f"{expression} is a {source.get('type')}, not a number of seconds")
        return Value(match)

    def _check_since(self, aptr: str, waiter: dict[str, Any], entry: dict[str, Any]) -> str | None:
        """The header named by `not-before`: the followed call's answer tells its time."""
        if "not-before" not in entry:
            return None
        eptr = aptr + "/not-before"
        if "not-before" not in waiter:
            self.add(eptr, "not-before gives the time the waiter's not-before rule compares, "
                           "which it has not")
            return None
        expression = entry["not-before"]
        match = RESPONSE_HEADER.fullmatch(expression) if isinstance(expression, str) else None
        if match is None:
            self.add(eptr, f"{expression!r} is not $response.header.NAME (e.g. "
                           "$response.header.Date, the server's clock)")
            return None
        return match["header"]

    def _check_mapping(
        self, aptr: str, mapping: Any, trigger: Target, poll: Target, poll_params: dict[str, Any]
    ) -> list[tuple[str, Value]]:
        if not isinstance(mapping, dict):
            self.add(aptr + "/parameters",
                     "parameters must map the polled operation's parameters to runtime expressions")
            return []
        for wire, param in poll_params.items():
            if param.get("required") and wire not in mapping:
                self.add(aptr + "/parameters",
                         f"the required parameter {wire!r} of {poll.operation_id} is not mapped")
        trigger_params = {(p.location, p.name): p for p in self.spec.parameters(trigger.op)}
        found = []
        for wire, expression in mapping.items():
            eptr = f"{aptr}/parameters/{wire}"
            if wire not in poll_params:
                self.add(eptr, f"{poll.operation_id} has no parameter {wire!r} to map")
                continue
            target_type = self.doc.deref(poll_params[wire].get("schema") or {}).get("type")
            if not isinstance(expression, str):
                # a literal boolean or number, e.g. `preciseQuery: true` (a string must be an
                # expression: a literal one would hide a mistyped expression)
                if _json_type(expression) != target_type:
                    self.add(eptr, f"{expression!r} is not a {target_type}, the type of {wire!r}")
                    continue
                found.append((wire, Value(None, expression)))
                continue
            match = EXPRESSION.fullmatch(expression)
            if match is None:
                self.add(eptr, f"{expression!r} is not a runtime expression this generator reads "
                               "($request.path.NAME, $request.query.NAME, $request.header.NAME, "
                               "$request.body#/pointer, $response.body#/pointer), nor a boolean "
                               "or number")
                continue
            source = self._expression_schema(eptr, match, trigger, trigger_params)
            if source is not None and source.get("type") not in (None, target_type):
                self.add(eptr, f"{expression} is a {source.get('type')}, but {wire!r} is a {target_type}")
            found.append((wire, Value(match)))
        return found

    def _expression_schema(
        self, eptr: str, match: re.Match[str], trigger: Target, trigger_params: dict[Any, Any]
    ) -> Any:
        """The schema of the value a runtime expression reads (None: reported or unknown)."""
        if match["location"]:
            param = trigger_params.get((match["location"], match["name"]))
            if param is None or client_options.of(self.spec).is_option(param):
                self.add(eptr, f"the operation has no {match['location']} parameter "
                               f"{match['name']!r} of its own")
                return None
            return self.doc.deref(param.data.get("schema") or {})
        schema = trigger.request_schema if match["source"] == "request" else trigger.response_schema
        found = self.doc.schema_at(schema, match["pointer"]) if schema is not None else None
        if found is None:
            self.add(eptr, f"the {match['source']} body of the operation has no field at "
                           f"{match['pointer'] or '/'}")
        return found


def _json_type(value: Any) -> str | None:
    """The JSON schema type of a YAML scalar."""
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int):
        return "integer"
    if isinstance(value, float):
        return "number"
    return "string" if isinstance(value, str) else None


def _success_schema(spec: SpecContext, op: OperationDecl) -> Any:
    responses = op.data.get("responses")
    for code, response in sorted((responses if isinstance(responses, dict) else {}).items(),
                                 key=lambda kv: str(kv[0])):
        if str(code).startswith("2"):
            schema = spec.doc.json_schema(response)
            if schema is not None:
                return schema
    return None


# -- the IR -----------------------------------------------------------------------------------


def build(declared: tuple[Declared, ...], draft: ServiceDraft) -> None:
    """Each resource's waiters; the operations a waiter follows get their `wait_link`."""
    for waiter in declared:
        resource, _ = draft.where(waiter.operation)
        poll = draft.operation(waiter.operation)
        built = _waiter(waiter, resource, poll)
        draft.waiters.setdefault(resource, []).append(built)
        for follows in waiter.after:
            trigger = draft.operation(follows.operation)
            link = WaitLink(resource, built.method_name, _link_arguments(follows, trigger, poll))
            draft.update(follows.operation, wait_link=link)


def _waiter(waiter: Declared, resource: str, poll: Operation) -> Waiter:
    method = f"wait_until_{waiter.name}"
    # an error that ends the wait in success without a condition leaves no resource to return;
    # one with `when` returns the last resource polled (the one that said it would vanish)
    ends_without_result = any(
        outcome == "success" and when is None for _, _, outcome, when in waiter.rule.errors
    )
    return Waiter(
        name=waiter.name,
        method_name=method,
        constant=f"_{resource.upper()}_{method.upper()}",
        summary=" ".join(waiter.summary.split()),
        poll_method=poll.method_name,
        arguments=tuple(a for a in poll.arguments if a.location != "body"),
        result_type=poll.response_type,
        ends_without_result=ends_without_result,
        has_progress=waiter.rule.progress is not None,
        rule=waiter.rule,
        doc=_doc(waiter.rule, waiter.summary.strip(), poll, ends_without_result),
    )


def _link_arguments(
    follows: Follows, trigger: Operation, poll: Operation
) -> tuple[tuple[str, str, str], ...]:
    """(waiter argument, source, key) for each mapped parameter, in the polled operation's
    order, then the start delay; a literal's key is its JSON text."""
    targets = {a.wire_name: a.python_name for a in poll.arguments}
    out = [(targets[wire], *_source(value, trigger)) for wire, value in follows.parameters]
    order = [a.python_name for a in poll.arguments]
    out.sort(key=lambda item: order.index(item[0]))
    if follows.start_delay is not None:
        out.append((START_DELAY, *_source(follows.start_delay, trigger)))
    if follows.not_before is not None:
        out.append((NOT_BEFORE, "header", follows.not_before))
    return tuple(out)


def _source(value: Value, trigger: Operation) -> tuple[str, str]:
    match = value.expression
    if match is None:
        return "value", json.dumps(value.literal)
    if match["location"]:
        own = next(a for a in trigger.arguments
                   if a.wire_name == match["name"] and a.location == match["location"])
        return "argument", own.python_name
    return ("response" if match["source"] == "response" else "body"), match["pointer"]


def _doc(rule: WaitRule, summary: str, poll: Operation, ends_without_result: bool) -> Doc:
    delay = f"{rule.delay:g}"
    pace = f"every {delay} s"
    if rule.backoff > 1:
        pace = f"{pace} at first, {rule.backoff:g} times longer each time, at most {rule.max_delay:g} s"
    gone = [f"HTTP {status}" + (f" {code}" if code else "")
            for status, code, outcome, when in rule.errors if outcome == "success" and when is None]
    until = [f"`{rule.state}` is {_either(rule.success)}"] if rule.success else []
    until += [f"the poll answers {_either(gone)}"] if gone else []
    how = f"Polls `{poll.method_name}` {pace}, until {' or '.join(until)}."
    if rule.failure:
        how += f" `{rule.state}` {_either(rule.failure)} raises WaiterFailedError."
    notes = [how]
    for status, code, outcome, when in rule.errors:
        if when is not None and outcome == "success":
            notes.append(f"Once a poll has shown `{when}` true, the resource deletes itself: HTTP "
                         f"{status}{f' {code}' if code else ''} then ends the wait with the last "
                         "resource polled.")
    if rule.under_way:
        marks = " or ".join(f"`{ptr}` {_either(values)}" for ptr, values in rule.under_way)
        first = (f"once it has been seen under way ({marks}), or {rule.start_within:g} s after "
                 "the first poll (plus `start_delay`)" if rule.start_within is not None
                 else f"once it has been seen under way ({marks})")
        since = f"Without `{NOT_BEFORE}`, the" if rule.not_before is not None else "The"
        notes.append(f"{since} work counts as done only {first}, and never while it is under way.")
    if rule.not_before is not None:
        notes.append(f"Given `{NOT_BEFORE}` (when the call that began the work was answered, on the "
                     f"server's clock: its `Date` header), a finished state counts only when "
                     f"`{rule.not_before[0]}` is not before it (less {rule.not_before[1]:g} s), "
                     "whether or not the work was seen under way; an earlier run's end never "
                     "ends the wait.")
    args = [f"{a.python_name}: {a.doc or '(undocumented)'}"
            for a in poll.arguments if a.location != "body"]
    if rule.not_before is not None:
        args.append(f"{NOT_BEFORE}: The server's time of the answer that began the work (an HTTP "
                    "date such as its `Date` header, ISO 8601 with an offset, or an aware "
                    "datetime); None counts any run.")
    if rule.start_within is not None:
        args.append(f"{START_DELAY}: Seconds the work was asked to wait before it begins (e.g. a "
                    "delayed restart's); added to the time it has to show as under way.")
    args += [
        f"timeout: Seconds to wait at most (default {rule.timeout:g}).",
        f"delay: Seconds between the first polls (default {delay}).",
        f"max_delay: The longest interval between polls (default {rule.max_delay:g}).",
        "on_poll: Called with a `WaitProgress` after every poll.",
        "sleep: Sleeps between polls (default `time.sleep`; async: `asyncio.sleep`).",
        "clock: Reads the time in seconds (default `time.monotonic`).",
    ]
    returned = f"{poll.response_type}: the resource in its final state."
    if ends_without_result:
        returned = f"{poll.response_type} | None: None once the resource is gone."
    raises = []
    if rule.failure or any(outcome == "failure" for _, _, outcome, _ in rule.errors):
        raises.append("WaiterFailedError: the work ended in a failure state.")
    raises += [
        "WaiterTimeoutError: the deadline passed; it names the last state seen.",
        "APIStatusError: a poll answered with an error the waiter does not expect.",
    ]
    return Doc(summary, tuple(notes), (
        DocSection("Args", tuple(args)),
        DocSection("Returns", (returned,), wrapped=False),
        DocSection("Raises", tuple(raises), wrapped=False),
    ))


def _either(values: Any) -> str:
    words = [str(v) for v in values]
    return words[0] if len(words) == 1 else f"{', '.join(words[:-1])} or {words[-1]}"


EXTENSION = Extension("waiters", (KEY,), read, methods=methods, build=build)
