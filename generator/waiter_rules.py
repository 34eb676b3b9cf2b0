"""The validate step's rules for `x-sdk-waiters` (spec/README.md, "Waiters"), run by validate.py.

A waiter polls a GET operation until a field of its response holds a success or failure value (or
the poll answers with a listed error), and names the operations after which `--wait` may follow
it, with OpenAPI runtime expressions for the polled operation's arguments.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from . import naming
from .document import Document, operations
from .problems import pointer, unescape

WAITER_KEYS = (
    "name", "summary", "operation", "state", "progress", "reason", "success", "failure", "retry",
    "errors", "delay", "backoff", "max-delay", "timeout", "after",
)
REQUIRED_KEYS = (
    "name", "summary", "operation", "state", "success", "failure", "retry", "delay", "backoff",
    "max-delay", "timeout",
)
VALUE_LISTS = ("success", "failure", "retry")
OUTCOMES = ("success", "failure")
ERROR_KEYS = frozenset({"status", "code", "outcome"})
AFTER_KEYS = frozenset({"operation", "parameters"})
SCALAR_TYPES = frozenset({"string", "integer", "number", "boolean"})
# OpenAPI runtime expressions (3.0.3, "Runtime Expressions"), the subset a waiter needs
EXPRESSION = re.compile(
    r"\$request\.(?P<location>path|query|header)\.(?P<name>[^\s#]+)"
    r"|\$(?P<source>request|response)\.body#(?P<pointer>(/[^/]*)*)"
)


@dataclass(frozen=True)
class OperationRef:
    """An operation a waiter can name: a plain one, or one variant of a shared path and method."""

    ptr: str  # JSON pointer of the operation object
    op: dict[str, Any]
    method: str
    resource: str | None
    request_schema: Any  # JSON schema of the request body (None: no JSON body)
    response_schema: Any  # JSON schema of the first 2xx JSON response (None: none)
    variant: bool


def waiter_methods(data: dict[str, Any]) -> Iterator[tuple[str, str, str]]:
    """(resource, method name, pointer) of each generated `wait_until_*` method, for the clash check.

    A resource with waiters also gets the command-line command `wait`, registered here too.
    """
    index = operation_index(Document(data), data)
    resources: dict[str, str] = {}
    for i, waiter in enumerate(_waiters(data)):
        target = index.get(waiter.get("operation")) if isinstance(waiter, dict) else None
        name = waiter.get("name") if isinstance(waiter, dict) else None
        if target is None or not target.resource or not isinstance(name, str):
            continue
        where = pointer("x-sdk-waiters", i, "name")
        yield target.resource, f"wait_until_{name}", where
        resources.setdefault(target.resource, where)
    for resource, where in resources.items():
        yield resource, "wait", where


def check_waiters(data: dict[str, Any], add: Callable[[str, str], None]) -> None:
    """Report every problem of the spec's `x-sdk-waiters` through `add(pointer, message)`."""
    if "x-sdk-waiters" not in data:
        return
    waiters = data["x-sdk-waiters"]
    if not isinstance(waiters, list):
        add("/x-sdk-waiters", "x-sdk-waiters must be a list of waiters")
        return
    doc = Document(data)
    rules = _WaiterRules(doc, operation_index(doc, data), _error_codes(data), add)
    triggers: dict[str, str] = {}
    for i, waiter in enumerate(waiters):
        rules.check(pointer("x-sdk-waiters", i), waiter, triggers)


def operation_index(doc: Document, data: dict[str, Any]) -> dict[str, OperationRef]:
    """Every operation by operationId, and every variant by its operation-id."""
    index: dict[str, OperationRef] = {}
    for ptr, _, method, op in operations(data):
        resource = op.get("x-sdk-resource") if isinstance(op.get("x-sdk-resource"), str) else None
        request = doc.json_schema(op.get("requestBody"))
        response = _success_schema(doc, op)
        if isinstance(op.get("operationId"), str):
            index[op["operationId"]] = OperationRef(ptr, op, method, resource, request, response, False)
        for variant in op.get("x-sdk-variants") or []:
            if isinstance(variant, dict) and isinstance(variant.get("operation-id"), str):
                schema_ref = "#/components/schemas/"
                v_request = {"$ref": schema_ref + str(variant.get("request-schema"))}
                v_response = (
                    {"$ref": schema_ref + str(variant["response-schema"])}
                    if variant.get("response-schema") else response
                )
                index[variant["operation-id"]] = OperationRef(
                    ptr, op, method, resource, v_request, v_response, True
                )
    return index


def parameters_of(doc: Document, ref: OperationRef) -> dict[tuple[str, str], Any]:
    """(location, wire name) -> parameter object, path-level ones included."""
    params = doc.parameters(unescape(ref.ptr.split("/")[2]), ref.op)
    return {(p["in"], p["name"]): p for p in params if isinstance(p, dict) and "in" in p and "name" in p}


def schema_at(doc: Document, schema: Any, ptr: str) -> Any:
    """The schema of the value a JSON pointer reaches inside documents of `schema` (None: no such field).

    Array indices step into `items`; names step into `properties` (those of `allOf` parts too).
    """
    node = doc.deref(schema)
    for token in ptr.split("/")[1:]:
        if not isinstance(node, dict):
            return None
        token = unescape(token)
        if node.get("type") == "array" and token.isdigit():
            node = doc.deref(node.get("items") or {})
        else:
            props = doc.properties(node)
            if token not in props:
                return None
            node = doc.deref(props[token])
    return node


class _WaiterRules:
    def __init__(
        self,
        doc: Document,
        index: dict[str, OperationRef],
        error_codes: set[str],
        add: Callable[[str, str], None],
    ) -> None:
        self.doc = doc
        self.index = index
        self.error_codes = error_codes
        self.add = add

    def check(self, ptr: str, waiter: Any, triggers: dict[str, str]) -> None:
        if not self._mapping(ptr, waiter, frozenset(WAITER_KEYS), "waiter"):
            return
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
            return
        self._check_states(ptr, waiter, poll)
        self._check_errors(ptr, waiter, poll)
        self._check_after(ptr, waiter, poll, triggers)

    def _mapping(self, ptr: str, node: Any, keys: frozenset[str], what: str) -> bool:
        """Whether `node` is a mapping (reported if not); its unknown keys are reported."""
        if not isinstance(node, dict):
            self.add(ptr, f"a{'n' if what[0] in 'aeiou' else ''} {what} must be a mapping")
            return False
        for key in sorted(set(node) - keys, key=str):
            self.add(f"{ptr}/{key}", f"unknown {what} key {key!r}")
        return True

    # -- what is polled ---------------------------------------------------------------------

    def _poll_operation(self, ptr: str, waiter: dict[str, Any]) -> OperationRef | None:
        op_id = waiter.get("operation")
        if "operation" not in waiter:
            return None
        ref = self.index.get(op_id) if isinstance(op_id, str) else None
        if ref is None:
            self.add(ptr + "/operation", f"no operation has the operationId {op_id!r}")
            return None
        if ref.variant or ref.method != "get":
            self.add(ptr + "/operation",
                     f"a waiter polls a GET operation with its own operationId; {op_id} is not one")
            return None
        if ref.response_schema is None:
            self.add(ptr + "/operation", f"{op_id} has no JSON success response to read a state from")
            return None
        return ref

    def _field(self, ptr: str, waiter: dict[str, Any], key: str, poll: OperationRef) -> Any:
        """The schema of the response field a pointer-valued key names (None: reported)."""
        value = waiter.get(key)
        if not isinstance(value, str) or not value.startswith("/"):
            self.add(f"{ptr}/{key}", f"{key} must be a JSON pointer into the response, e.g. /status")
            return None
        schema = schema_at(self.doc, poll.response_schema, value)
        if schema is None:
            self.add(f"{ptr}/{key}",
                     f"the response of {poll.op.get('operationId')} has no field at {value}")
        return schema

    def _check_states(self, ptr: str, waiter: dict[str, Any], poll: OperationRef) -> None:
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
        success_errors = [
            e for e in waiter.get("errors") or [] if isinstance(e, dict) and e.get("outcome") == "success"
        ]
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

    def _check_errors(self, ptr: str, waiter: dict[str, Any], poll: OperationRef) -> None:
        errors = waiter.get("errors")
        if errors is None:
            return
        if not isinstance(errors, list):
            self.add(ptr + "/errors", "errors must be a list of {status, code, outcome}")
            return
        responses = {str(code) for code in poll.op.get("responses") or {}}
        for i, error in enumerate(errors):
            eptr = f"{ptr}/errors/{i}"
            if not self._mapping(eptr, error, ERROR_KEYS, "error matcher"):
                continue
            status = error.get("status")
            if not isinstance(status, int) or isinstance(status, bool) or not 400 <= status <= 599:
                self.add(eptr + "/status", "status must be an HTTP error status (400-599)")
            elif str(status) not in responses and "default" not in responses:
                self.add(eptr + "/status",
                         f"{poll.op.get('operationId')} documents no {status} response")
            if error.get("outcome") not in OUTCOMES:
                self.add(eptr + "/outcome", "outcome must be 'success' or 'failure'")
            code = error.get("code")
            if code is not None and (
                not isinstance(code, str) or (self.error_codes and code not in self.error_codes)
            ):
                self.add(eptr + "/code", f"{code!r} is not a documented error code (x-error-codes)")

    def _check_timing(self, ptr: str, waiter: dict[str, Any]) -> None:
        numbers: dict[str, float] = {}
        for key, least in (("delay", 0.0), ("backoff", 1.0), ("max-delay", 0.0), ("timeout", 0.0)):
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

    def _check_after(
        self, ptr: str, waiter: dict[str, Any], poll: OperationRef, triggers: dict[str, str]
    ) -> None:
        after = waiter.get("after")
        if after is None:
            return
        if not isinstance(after, list):
            self.add(ptr + "/after", "after must be a list of {operation, parameters}")
            return
        poll_params = {
            wire: p for (where, wire), p in parameters_of(self.doc, poll).items()
            if "x-sdk-client-option" not in p
        }
        for i, entry in enumerate(after):
            aptr = f"{ptr}/after/{i}"
            if not self._mapping(aptr, entry, AFTER_KEYS, "after entry"):
                continue
            op_id = entry.get("operation")
            trigger = self.index.get(op_id) if isinstance(op_id, str) else None
            if trigger is None:
                self.add(aptr + "/operation", f"no operation or variant has the id {op_id!r}")
                continue
            if op_id == poll.op.get("operationId"):
                self.add(aptr + "/operation", "a waiter cannot follow the operation it polls")
                continue
            if op_id in triggers:
                self.add(aptr + "/operation",
                         f"{op_id} is already followed by the waiter at {triggers[op_id]}")
            triggers.setdefault(op_id, ptr)
            self._check_mapping(aptr, entry.get("parameters"), trigger, poll, poll_params)

    def _check_mapping(
        self,
        aptr: str,
        mapping: Any,
        trigger: OperationRef,
        poll: OperationRef,
        poll_params: dict[str, Any],
    ) -> None:
        if not isinstance(mapping, dict):
            self.add(aptr + "/parameters",
                     "parameters must map the polled operation's parameters to runtime expressions")
            return
        for wire, param in poll_params.items():
            if param.get("required") and wire not in mapping:
                self.add(aptr + "/parameters",
                         f"the required parameter {wire!r} of {poll.op.get('operationId')} is not mapped")
        trigger_params = parameters_of(self.doc, trigger)
        for wire, expression in mapping.items():
            eptr = f"{aptr}/parameters/{wire}"
            if wire not in poll_params:
                self.add(eptr, f"{poll.op.get('operationId')} has no parameter {wire!r} to map")
                continue
            source = self._expression_schema(eptr, expression, trigger, trigger_params)
            target_type = self.doc.deref(poll_params[wire].get("schema") or {}).get("type")
            if source is not None and source.get("type") not in (None, target_type):
                self.add(eptr, f"{expression} is a {source.get('type')}, but {wire!r} is a {target_type}")

    def _expression_schema(
        self,
        eptr: str,
        expression: Any,
        trigger: OperationRef,
        trigger_params: dict[tuple[str, str], Any],
    ) -> Any:
        """The schema of the value a runtime expression reads (None: reported or unknown)."""
        match = EXPRESSION.fullmatch(expression) if isinstance(expression, str) else None
        if match is None:
            self.add(eptr, f"{expression!r} is not a runtime expression this generator reads "
                           "($request.path.NAME, $request.query.NAME, $request.header.NAME, "
                           "$request.body#/pointer, $response.body#/pointer)")
            return None
        if match["location"]:
            param = trigger_params.get((match["location"], match["name"]))
            if param is None or "x-sdk-client-option" in param:
                self.add(eptr, f"the operation has no {match['location']} parameter "
                               f"{match['name']!r} of its own")
                return None
            return self.doc.deref(param.get("schema") or {})
        schema = trigger.request_schema if match["source"] == "request" else trigger.response_schema
        found = schema_at(self.doc, schema, match["pointer"]) if schema is not None else None
        if found is None:
            self.add(eptr, f"the {match['source']} body of the operation has no field at "
                           f"{match['pointer'] or '/'}")
        return found


def _waiters(data: dict[str, Any]) -> list[Any]:
    waiters = data.get("x-sdk-waiters")
    return waiters if isinstance(waiters, list) else []


def _success_schema(doc: Document, op: dict[str, Any]) -> Any:
    for code, response in sorted((op.get("responses") or {}).items(), key=lambda kv: str(kv[0])):
        if str(code).startswith("2"):
            schema = doc.json_schema(response)
            if schema is not None:
                return schema
    return None


def _error_codes(data: dict[str, Any]) -> set[str]:
    schemas = (data.get("components") or {}).get("schemas") or {}
    return {
        row["code"]
        for schema in schemas.values() if isinstance(schema, dict)
        for row in schema.get("x-error-codes") or [] if isinstance(row, dict) and "code" in row
    }
