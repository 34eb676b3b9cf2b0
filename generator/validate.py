"""Check the specs: openapi-spec-validator for OpenAPI itself, then the project's own rules."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from . import naming
from .document import HTTP_METHODS, Document
from .load import SpecFile
from .problems import Problem, escape, pointer, unescape

CLIENT_OPTIONS = frozenset({"project_id", "workspace", "language"})
# x-error-codes keys, in the order of the runtime's DocumentedError fields
ERROR_CODE_FIELDS = ("code", "status", "message", "summary", "description", "action")
PAGINATION_KEYS = frozenset({"in", "start-param", "size-param", "start-kind", "start-base", "items", "total"})
VARIANT_KEYS = frozenset({"operation-id", "method", "summary", "request-schema", "response-schema", "deprecated"})


def openapi_problems(spec: SpecFile) -> list[Problem]:
    """What openapi-spec-validator finds wrong, each reported at its most specific location."""
    from openapi_spec_validator.validation import OpenAPIV30SpecValidator

    found: list[tuple[str, str]] = []
    try:
        for error in OpenAPIV30SpecValidator(spec.data).iter_errors():
            error = _most_specific(error)
            found.append((pointer(*error.absolute_path), _shorten(error.message)))
    except Exception as exc:  # noqa: BLE001 - the validator crashes on inputs it cannot walk
        found.append(("", f"openapi-spec-validator failed: {_shorten(str(exc))}"))
    located = [ptr for ptr, _ in found if ptr in spec.lines]
    return [
        spec.problem(ptr, message)
        for ptr, message in found
        # A schema's own errors also come back relative to the schema ("/type"); keep the
        # located twin ("/paths/.../schema/type") only.
        if ptr in spec.lines or not any(other.endswith(ptr) for other in located)
    ]


REF_MESSAGES = ("unresolved reference", "only local references")


def merge_problems(project: list[Problem], validator: list[Problem]) -> list[Problem]:
    """All problems, minus validator reports that repeat a project rule's, less precisely.

    Dropped: a validator report at a place a project rule already reported, and reports at the
    document root (e.g. "operation ID is not unique") when a project rule found that file wrong.
    """
    places = {(p.file, p.pointer) for p in project}
    files = {p.file for p in project}
    kept = [
        p for p in validator
        if (p.file, p.pointer) not in places and not (p.pointer == "" and p.file in files)
    ]
    return project + kept


def _most_specific(error: Any) -> Any:
    """oneOf/anyOf failures wrap the real cause; follow the deepest non-$ref branch."""
    while getattr(error, "context", None):
        branches = [c for c in error.context if "'$ref' is a required property" not in c.message]
        if not branches:
            break
        deeper = max(branches, key=lambda c: len(c.absolute_path))
        if len(deeper.absolute_path) < len(error.absolute_path):
            break
        error = deeper
    return error


def _shorten(message: str, limit: int = 200) -> str:
    message = " ".join(message.split())
    return message if len(message) <= limit else message[: limit - 1] + "…"


def project_problems(specs: list[SpecFile]) -> list[Problem]:
    """The project's own rules, over all spec files at once (services must not collide)."""
    problems: list[Problem] = []
    seen: dict[tuple[str, str], str] = {}
    for spec in specs:
        problems.extend(_SpecRules(spec).run())
        for key in ("x-sdk-service", "x-sdk-client"):
            value = spec.data.get(key)
            if not isinstance(value, str):
                continue
            if (key, value) in seen:
                problems.append(spec.problem(f"/{key}", f"{key} {value!r} is also used by {seen[key, value]}"))
            seen[key, value] = spec.name
    return problems


class _SpecRules:
    """Rules for one spec file; each `_check_*` method is one rule."""

    def __init__(self, spec: SpecFile) -> None:
        self.spec = spec
        self.data = spec.data
        self.doc = Document(spec.data)
        self.problems: list[Problem] = []

    def run(self) -> list[Problem]:
        self._check_refs()
        if self.problems:  # everything below follows $refs
            return self.problems
        self._check_root()
        self._check_operations()
        self._check_schemas()
        self._check_required_when()
        return self.problems

    def add(self, ptr: str, message: str) -> None:
        self.problems.append(self.spec.problem(ptr, message))

    # -- $ref -------------------------------------------------------------------------------

    def _check_refs(self) -> None:
        for ptr, node in _walk(self.data, ""):
            ref = node.get("$ref") if isinstance(node, dict) else None
            if ref is None:
                continue
            if not isinstance(ref, str) or not ref.startswith("#/"):
                self.add(ptr + "/$ref", f"only local references ('#/...') are supported, got {ref!r}")
            elif self.resolve_pointer(ref[1:]) is None:
                self.add(ptr + "/$ref", f"unresolved reference {ref!r}")

    def resolve_pointer(self, ptr: str) -> Any:
        return self.doc.resolve(ptr)

    def deref(self, node: Any) -> Any:
        return self.doc.deref(node)

    # -- root -------------------------------------------------------------------------------

    def _check_root(self) -> None:
        service = self.data.get("x-sdk-service")
        if not isinstance(service, str) or not naming.is_snake_identifier(service):
            self.add("/x-sdk-service", "x-sdk-service must be a snake_case Python identifier")
        client = self.data.get("x-sdk-client")
        if not isinstance(client, str) or not naming.is_pascal_identifier(client):
            self.add("/x-sdk-client", "x-sdk-client must be a PascalCase identifier")
        servers = self.data.get("servers")
        if not servers:
            self.add("/servers", "at least one server is required (the client builds its base URL from it)")

    # -- operations -------------------------------------------------------------------------

    def _operations(self) -> Iterator[tuple[str, str, str, dict[str, Any]]]:
        for path, item in (self.data.get("paths") or {}).items():
            if not isinstance(item, dict):
                continue
            for method in HTTP_METHODS:
                op = item.get(method)
                if isinstance(op, dict):
                    yield pointer("paths", path, method), path, method, op

    def _check_operations(self) -> None:
        operation_ids: dict[str, str] = {}
        constants: dict[str, tuple[str, str]] = {}
        pending: list[tuple[str, str, str, bool]] = []
        for ptr, path, method, op in self._operations():
            op_id = op.get("operationId")
            if not isinstance(op_id, str) or not op_id:
                self.add(ptr, "operation has no operationId")
                op_id = f"{method.upper()} {path}"
            elif not naming.is_pascal_identifier(op_id):
                self.add(ptr + "/operationId", f"operationId {op_id!r} must be PascalCase")
            ids = [(op_id, ptr + "/operationId")]
            for key in ("summary", "tags"):
                if not op.get(key):
                    self.add(ptr, f"operation {op_id} has no {key}")
            self._check_responses(ptr, op_id, op)
            params = self._check_parameters(ptr, path, op_id, op)
            variants = op.get("x-sdk-variants")
            resource = op.get("x-sdk-resource")
            if not isinstance(resource, str) or not naming.is_snake_identifier(resource):
                self.add(ptr, f"operation {op_id} needs x-sdk-resource, a snake_case identifier")
                resource = "?"
            methods: list[tuple[str, str, bool]] = []  # (name, where, derived from another)
            if variants is not None:
                ids = []
                for i, variant in enumerate(variants if isinstance(variants, list) else []):
                    vptr = f"{ptr}/x-sdk-variants/{i}"
                    methods.extend((*m, False) for m in self._check_variant(vptr, variant))
                    if isinstance(variant, dict) and isinstance(variant.get("operation-id"), str):
                        ids.append((variant["operation-id"], vptr + "/operation-id"))
                if not methods:
                    self.add(ptr + "/x-sdk-variants", "x-sdk-variants must be a non-empty list")
            elif not isinstance(op.get("x-sdk-method"), str):
                self.add(ptr, f"operation {op_id} needs x-sdk-method (or x-sdk-variants)")
            else:
                methods.append((op["x-sdk-method"], ptr + "/x-sdk-method", False))
                if self._returns_file(op):
                    methods.append((op["x-sdk-method"] + "_to_file", ptr + "/x-sdk-method", True))
                if "x-sdk-pagination" in op:
                    self._check_pagination(ptr, op, params)
                    methods.append(("iter_" + op["x-sdk-method"], ptr + "/x-sdk-pagination", True))
            pending.extend((resource, name, mptr, derived) for name, mptr, derived in methods)
            for oid, iptr in ids:
                if oid in operation_ids:
                    self.add(iptr, f"duplicate operationId {oid!r} (also at {operation_ids[oid]})")
                    continue
                operation_ids[oid] = iptr
                constant = naming.snake(oid).upper()  # each operation's module-level constant
                if constant in constants:
                    self.add(iptr, f"operationId {oid!r} and {constants[constant][0]!r} both become "
                                   f"the constant _{constant}")
                constants.setdefault(constant, (oid, iptr))
        self._check_method_names(pending)

    def _check_method_names(self, pending: list[tuple[str, str, str, bool]]) -> None:
        """Method names are identifiers and unique per resource. Derived names (iter_*, *_to_file)
        are registered first, so a clash is reported at the name someone wrote."""
        taken: dict[tuple[str, str], str] = {}
        for resource, name, where, _ in sorted(pending, key=lambda entry: not entry[3]):
            if not naming.is_snake_identifier(name):
                self.add(where, f"SDK method name {name!r} must be a snake_case identifier")
                continue
            key = (resource, naming.method_name(name))
            if key in taken:
                self.add(where, f"SDK method {resource}.{key[1]} collides with {taken[key]}")
            taken[key] = where

    def _returns_file(self, op: dict[str, Any]) -> bool:
        """Whether the first 2xx response with content is not JSON (a download)."""
        for code, response in sorted((op.get("responses") or {}).items(), key=lambda kv: str(kv[0])):
            content = (self.deref(response) or {}).get("content") or {}
            if str(code).startswith("2") and content:
                return not any("json" in media for media in content)
        return False

    def _check_responses(self, ptr: str, op_id: str, op: dict[str, Any]) -> None:
        responses = op.get("responses")
        if not isinstance(responses, dict) or not responses:
            self.add(ptr, f"operation {op_id} has no responses")
            return
        codes = [str(code) for code in responses]
        if not any(c.startswith("2") for c in codes):
            self.add(ptr + "/responses", f"operation {op_id} has no 2xx response")
        if not any(c[0] in "45" or c == "default" for c in codes):
            self.add(ptr + "/responses", f"operation {op_id} has no error response (4xx, 5xx or default)")
        for code in responses:
            if not isinstance(code, str):
                self.add(ptr + f"/responses/{code}", f"status code {code!r} must be a quoted string")

    def _check_parameters(
        self, ptr: str, path: str, op_id: str, op: dict[str, Any]
    ) -> dict[tuple[str, str], dict[str, Any]]:
        item = self.data["paths"][path]
        declared: dict[tuple[str, str], dict[str, Any]] = {}
        sources = [(pointer("paths", path, "parameters"), item.get("parameters") or []),
                   (ptr + "/parameters", op.get("parameters") or [])]
        python_names: dict[str, str] = {}
        for base, params in sources:
            for i, raw in enumerate(params):
                param = self.deref(raw)
                if not isinstance(param, dict) or "name" not in param or "in" not in param:
                    continue
                # a shared parameter's own mistakes are reported once, where it is defined
                pptr = raw["$ref"][1:] if isinstance(raw, dict) and "$ref" in raw else f"{base}/{i}"
                declared[(param["in"], param["name"])] = param
                option = param.get("x-sdk-client-option")
                if option is not None:
                    if option not in CLIENT_OPTIONS:
                        where = pptr + "/x-sdk-client-option" if pptr.startswith("/components") else pptr
                        self.add(where, f"unknown x-sdk-client-option {option!r}; "
                                       f"known: {', '.join(sorted(CLIENT_OPTIONS))}")
                    continue
                py = naming.argument_name(param["name"])
                if py in python_names:
                    self.add(pptr, f"parameter {param['name']!r} becomes Python argument {py!r}, "
                                   f"like {python_names[py]!r}")
                python_names[py] = param["name"]
        in_template = re.findall(r"\{([^}]+)\}", path)
        for name in in_template:
            if ("path", name) not in declared:
                self.add(ptr, f"path parameter {{{name}}} of {path} is not declared")
        for where, name in declared:
            if where == "path" and name not in in_template:
                self.add(ptr, f"path parameter {name!r} is declared but not in the path {path}")
        return declared

    def _check_variant(self, vptr: str, variant: Any) -> list[tuple[str, str]]:
        if not isinstance(variant, dict):
            self.add(vptr, "variant must be a mapping")
            return []
        for key in sorted(set(variant) - VARIANT_KEYS):
            self.add(f"{vptr}/{key}", f"unknown variant key {key!r}")
        for key in ("operation-id", "method", "request-schema"):
            if not isinstance(variant.get(key), str):
                self.add(vptr, f"variant needs {key}")
        schemas = (self.data.get("components") or {}).get("schemas") or {}
        for key in ("request-schema", "response-schema"):
            name = variant.get(key)
            if isinstance(name, str) and name not in schemas:
                self.add(f"{vptr}/{key}", f"no component schema named {name!r}")
        method = variant.get("method")
        return [(method, vptr + "/method")] if isinstance(method, str) else []

    def _check_pagination(
        self, ptr: str, op: dict[str, Any], params: dict[tuple[str, str], dict[str, Any]]
    ) -> None:
        pag = op["x-sdk-pagination"]
        pptr = ptr + "/x-sdk-pagination"
        if not isinstance(pag, dict):
            self.add(pptr, "x-sdk-pagination must be a mapping")
            return
        for key in sorted(set(pag) - PAGINATION_KEYS):
            self.add(f"{pptr}/{key}", f"unknown x-sdk-pagination key {key!r}")
        for key in ("in", "start-param", "size-param", "start-kind", "items"):
            if key not in pag:
                self.add(pptr, f"x-sdk-pagination needs {key!r}")
        if pag.get("start-kind") not in ("page", "record"):
            self.add(pptr + "/start-kind", "start-kind must be 'page' or 'record'")
        if not isinstance(pag.get("start-base", 0), int):
            self.add(pptr + "/start-base", "start-base must be an integer")
        where = pag.get("in")
        for key in ("start-param", "size-param"):
            name = pag.get(key)
            if where == "query" and ("query", name) not in params:
                self.add(f"{pptr}/{key}", f"{key} {name!r} is not a declared query parameter")
            elif where == "body":
                body_schema = self.doc.json_schema(op.get("requestBody"))
                if name not in self.doc.properties(body_schema):
                    self.add(f"{pptr}/{key}", f"{key} {name!r} is not a property of the request body")
            elif where not in ("query", "body"):
                self.add(pptr + "/in", "in must be 'query' or 'body'")
                break
        response = next((r for c, r in (op.get("responses") or {}).items() if str(c).startswith("2")), None)
        props = self.doc.properties(self.doc.json_schema(response))
        items = props.get(pag.get("items"))
        if items is None:
            self.add(pptr + "/items", f"the 2xx response has no property {pag.get('items')!r}")
        elif self.deref(items).get("type") != "array":
            self.add(pptr + "/items", f"response property {pag.get('items')!r} is not an array")
        elif not str((self.deref(items).get("items") or {}).get("$ref", "")).startswith(
            "#/components/schemas/"
        ):
            self.add(pptr + "/items", f"the items of {pag.get('items')!r} must $ref a component schema")
        if "total" in pag and pag["total"] not in props:
            self.add(pptr + "/total", f"the 2xx response has no property {pag['total']!r}")

    # -- schemas ----------------------------------------------------------------------------

    def _check_schemas(self) -> None:
        schemas = (self.data.get("components") or {}).get("schemas") or {}
        for name, schema in schemas.items():
            if not naming.is_pascal_identifier(name):
                self.add(pointer("components", "schemas", name),
                         f"component schema name {name!r} must be a PascalCase identifier")
            if isinstance(schema, dict) and "x-error-codes" in schema:
                self._check_error_codes(pointer("components", "schemas", name, "x-error-codes"),
                                        schema["x-error-codes"])
        for ptr, node in _walk(self.data, ""):
            if not isinstance(node, dict) or not isinstance(node.get("properties"), dict):
                continue
            self._check_required(ptr, node)
            seen: dict[str, str] = {}
            for wire in node["properties"]:
                if not isinstance(wire, str):  # YAML 1.1 reads on/off/yes/no/1 as non-strings
                    self.add(ptr + pointer("properties", wire),
                             f"property name {wire!r} was read as {type(wire).__name__}; quote it")
                    continue
                py = naming.field_name(str(wire))
                if py in seen:
                    self.add(ptr + pointer("properties", wire),
                             f"properties {seen[py]!r} and {wire!r} both become Python field {py!r}")
                seen[py] = str(wire)

    def _check_error_codes(self, ptr: str, rows: Any) -> None:
        """Rows of a documented error-code table: the fields the runtime's DocumentedError has."""
        if not isinstance(rows, list):
            self.add(ptr, "x-error-codes must be a list of rows")
            return
        first_row: dict[str, int] = {}
        for i, row in enumerate(rows):
            rptr = ptr + pointer(str(i))
            if not isinstance(row, dict) or list(row) != list(ERROR_CODE_FIELDS):
                self.add(rptr, f"an error-code row has the keys {', '.join(ERROR_CODE_FIELDS)}, "
                               "in this order")
            elif not isinstance(row["status"], int) or not all(
                isinstance(row[k], str) for k in ERROR_CODE_FIELDS if k != "status"
            ):
                self.add(rptr, "an error-code row's status is an integer and the rest are strings")
            elif row["code"] in first_row:
                self.add(rptr + "/code",
                         f"code {row['code']!r} is listed twice (first in row {first_row[row['code']]})")
            else:
                first_row[row["code"]] = i

    def _check_required(self, ptr: str, node: dict[str, Any]) -> None:
        """A required name must be a declared property: otherwise the model cannot require it.

        Composed schemas (and their branches) are left alone: a sibling may declare the name.
        """
        required = node.get("required")
        if not isinstance(required, list) or _COMPOSED.search(ptr) or any(
            key in node for key in ("allOf", "anyOf", "oneOf")
        ):
            return
        for i, name in enumerate(required):
            if name not in node["properties"]:
                self.add(ptr + pointer("required", str(i)),
                         f"required property {name!r} is not among the declared properties")


    # -- x-required-when ----------------------------------------------------------------------

    def _check_required_when(self) -> None:
        """`x-required-when` (see spec/README.md) only where it means something, and well formed."""
        for ptr, holder in _holders(self.data, "", REQUIRED_WHEN):
            where = ptr + "/" + REQUIRED_WHEN
            place = _CATALOGUE_PARAMETER.fullmatch(ptr)
            if place is not None:
                self._check_catalogue_condition(where, holder, place)
                continue
            parent_ptr, _, token = ptr.rpartition("/properties/")
            parent = self.resolve_pointer(parent_ptr) if token and "/" not in token else None
            if not isinstance(parent, dict) or not isinstance(parent.get("properties"), dict):
                self.add(where, f"{REQUIRED_WHEN} belongs on a schema property or a catalogue "
                                "parameter (x-cdm-parameters, x-dlf-node-types)")
                continue
            wire = unescape(token)
            if wire in (parent.get("required") or []):
                self.add(where, f"{wire!r} carries {REQUIRED_WHEN}, so it is not listed in `required`")
            siblings = self.doc.properties(parent)
            for key, values in self._condition_items(where, holder[REQUIRED_WHEN]):
                kptr = f"{where}/{escape(key)}"
                if key == wire or key not in siblings:
                    self.add(kptr, f"condition key {key!r} is not a sibling property of {wire!r}")
                    continue
                enum = (self.deref(siblings[key]) or {}).get("enum")
                self._check_enum_values(kptr, key, values, enum, as_text=False)

    def _check_catalogue_condition(
        self, where: str, param: dict[str, Any], place: re.Match[str]
    ) -> None:
        if param.get("required") is not False:
            self.add(where, f"a parameter with {REQUIRED_WHEN} has `required: false`")
        catalogue = self.resolve_pointer(place["catalogue"]) or {}
        own = param.get("name")
        if place["kind"] == "x-dlf-node-types":  # keys: the other properties of the node type
            known = _by_name(catalogue[place["group"]].get("properties") or [])
            fields: dict[str, Any] = {}
        else:  # keys: inputs of the same link or job (its own section first), or its fields
            job = place["group"] != "link-config-values"
            sections = [(g, s) for g in catalogue if (g != "link-config-values") == job
                        for s in catalogue[g].values() if isinstance(s, dict)]
            here = catalogue[place["group"]][place["section"]]
            sections.sort(key=lambda gs: (gs[1] is not here, not set(gs[1].get("connectors") or ())
                                          & set(here.get("connectors") or ())))
            known = {}
            for _, section in reversed(sections):  # the closest section's entry wins
                known.update({n: {} for n in section.get("example-only") or []})
                known.update(_by_name(section.get("parameters") or []))
            owner = self.deref({"$ref": "#/components/schemas/" + ("Job" if job else "Link")})
            fields = self.doc.properties(owner) or {
                key: {} for key in _OBJECT_FIELDS["job" if job else "link"]
            }
        whose = "link" if place["group"] == "link-config-values" else "job"
        peers = (f"another property of node type {place['group']}"
                 if place["kind"] == "x-dlf-node-types" else f"another input catalogued for the same {whose}")
        for key, values in self._condition_items(where, param[REQUIRED_WHEN]):
            kptr = f"{where}/{escape(key)}"
            if fields and "." not in key:  # a field of the link or job object itself
                if key not in fields:
                    self.add(kptr, f"condition key {key!r} is not a field of the {whose} "
                                   f"({', '.join(sorted(fields))})")
                    continue
            elif key == own or key not in known:
                self.add(kptr, f"condition key {key!r} is not {peers}")
                continue
            bad = [v for v in values if not isinstance(v, str)]
            if bad:
                self.add(kptr, f"catalogue values are compared as wire strings: quote {bad[0]!r}")
                continue
            target = (self.deref(fields[key]) or {}) if key in fields else known[key]
            enum = ["true", "false"] if target.get("type") == "boolean" else target.get("enum")
            self._check_enum_values(kptr, key, values, enum, as_text=True)

    def _condition_items(self, where: str, condition: Any) -> list[tuple[str, list[Any]]]:
        """The (key, allowed values) pairs of a well-formed condition; problems for the rest."""
        if not isinstance(condition, dict) or not condition:
            self.add(where, f"{REQUIRED_WHEN} must be a non-empty mapping of a key to the list of "
                            "values under which the field is required")
            return []
        items = []
        for key, values in condition.items():
            kptr = f"{where}/{escape(str(key))}"
            if not isinstance(key, str) or not key:
                self.add(kptr, f"condition key {key!r} must be a non-empty string")
            elif not isinstance(values, list) or not values:
                self.add(kptr, f"condition {key!r} needs a non-empty list of values")
            elif any(v is None or isinstance(v, (dict, list)) for v in values):
                self.add(kptr, f"condition {key!r}: values must be scalars (strings, numbers, "
                               "booleans)")
            else:
                items.append((key, values))
        return items

    def _check_enum_values(
        self, kptr: str, key: str, values: list[Any], enum: Any, *, as_text: bool
    ) -> None:
        if not isinstance(enum, list):
            return
        allowed = [str(v) if as_text else v for v in enum]
        for value in values:
            if value not in allowed:
                self.add(kptr, f"condition {key!r}: {value!r} is not one of its values "
                               f"({', '.join(map(str, allowed))})")


REQUIRED_WHEN = "x-required-when"
# .../x-cdm-parameters/<place>/<section>/parameters/<i>, .../x-dlf-node-types/<type>/properties/<i>
_CATALOGUE_PARAMETER = re.compile(
    r"(?P<catalogue>/components/schemas/[^/]+/(?P<kind>x-cdm-parameters|x-dlf-node-types))"
    r"/(?P<group>[^/]+)(?:/(?P<section>[^/]+)/parameters|/properties)/[0-9]+"
)
# fields of the link or job object a catalogue condition may name, when the spec has no such schema
_OBJECT_FIELDS = {"link": ("connector-name",), "job": ("from-connector-name", "to-connector-name")}
_COMPOSED = re.compile(r"/(allOf|anyOf|oneOf)/[0-9]+$")


def _by_name(parameters: list[Any]) -> dict[str, dict[str, Any]]:
    return {p["name"]: p for p in parameters if isinstance(p, dict) and isinstance(p.get("name"), str)}


def _holders(node: Any, ptr: str, key: str) -> Iterator[tuple[str, dict[str, Any]]]:
    """Every mapping that has `key`, vendor extensions included, with its pointer."""
    if isinstance(node, dict):
        if key in node:
            yield ptr, node
        for name, value in node.items():
            if name != key:
                yield from _holders(value, f"{ptr}/{escape(str(name))}", key)
    elif isinstance(node, list):
        for i, value in enumerate(node):
            yield from _holders(value, f"{ptr}/{i}", key)


def _walk(node: Any, ptr: str) -> Iterator[tuple[str, Any]]:
    yield ptr, node
    if isinstance(node, dict):
        for key, value in node.items():
            if isinstance(key, str) and key.startswith("x-") and key != "x-sdk-variants":
                continue  # vendor extensions hold data, not schemas
            yield from _walk(value, f"{ptr}/{escape(str(key))}")
    elif isinstance(node, list):
        for i, value in enumerate(node):
            yield from _walk(value, f"{ptr}/{i}")

