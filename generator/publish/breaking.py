"""Breaking-change rules: what a spec change does to clients written against the released spec.

No maintained OpenAPI diff installs from PyPI or npm and classifies these cases right (see
spec/README.md), so the rules are ours, small and listed there. Breaking:
- an operation removed, or its operationId / x-sdk-resource / x-sdk-method / variant renamed
  (generated clients name their functions after them);
- a parameter removed, added as required, or made required; a request body added as required,
  made required or removed; a success response or a media type removed;
- a property removed (request or response); a type or format changed; an enum value removed
  from what a client may send; `nullable` dropped from a request or added to a response;
- a request property newly required; a response property no longer required, unless it took
  `x-required-when` at the same time (the documents' condition, not a new behaviour);
- the same rules over the parameter catalogues (`x-cdm-parameters`, `x-dlf-node-types`).
Everything else that differs is reported as non-breaking.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from ..document import Document, operations

REQUEST, RESPONSE = "request", "response"
_RENAMES = ("operationId", "x-sdk-resource", "x-sdk-method")
_CATALOGUES = ("x-cdm-parameters", "x-dlf-node-types")


@dataclass(frozen=True)
class Change:
    """One difference a client author may care about."""

    breaking: bool
    where: str  # an operation (`POST /v1.1/{project_id}/clusters`) or a schema path
    what: str

    def __str__(self) -> str:
        return f"{'BREAKING' if self.breaking else 'ok'}: {self.where}: {self.what}"


def compare(old: dict[str, Any], new: dict[str, Any]) -> list[Change]:
    """Every classified difference between a released spec and the current one, breaking first."""
    return sorted(set(_Comparison(old, new).run()), key=lambda c: (not c.breaking, c.where, c.what))


def _path_key(path: str) -> str:
    """Paths differing only in parameter names are the same endpoint on the wire."""
    return re.sub(r"\{[^}]*\}", "{}", path)


class _Comparison:
    def __init__(self, old: dict[str, Any], new: dict[str, Any]) -> None:
        self.old, self.new = Document(old), Document(new)
        self.changes: list[Change] = []
        self.seen: set[tuple[str, str, str]] = set()  # (old $ref, new $ref, direction)

    def add(self, breaking: bool, where: str, what: str) -> None:
        self.changes.append(Change(breaking, where, what))

    def run(self) -> list[Change]:
        old_ops, new_ops = self.operations(self.old), self.operations(self.new)
        for key, (label, op, params) in old_ops.items():
            if key not in new_ops:
                self.add(True, label, "operation removed")
                continue
            new_label, new_op, new_params = new_ops[key]
            self.operation(new_label, op, params, new_op, new_params)
        for key, (label, _, _) in new_ops.items():
            if key not in old_ops:
                self.add(False, label, "operation added")
        self.catalogues()
        return self.changes

    @staticmethod
    def operations(doc: Document) -> dict[tuple[str, str], tuple[str, dict[str, Any], list[Any]]]:
        return {
            (method, _path_key(path)): (f"{method.upper()} {path}", op, doc.parameters(path, op))
            for _, path, method, op in operations(doc.data)
        }

    # -- operations ---------------------------------------------------------------------------

    def operation(self, where: str, old: dict[str, Any], old_params: list[Any],
                  new: dict[str, Any], new_params: list[Any]) -> None:
        for key in _RENAMES:
            if old.get(key) != new.get(key) and key in old:
                self.add(True, where, f"{key} changed from {old.get(key)!r} to {new.get(key)!r}")
        if not old.get("deprecated") and new.get("deprecated"):
            self.add(False, where, "deprecated")
        self.variants(where, old.get("x-sdk-variants") or [], new.get("x-sdk-variants") or [])
        if old.get("x-sdk-pagination") and not new.get("x-sdk-pagination"):
            self.add(True, where, "x-sdk-pagination removed (the SDK's iter_ method goes away)")
        self.parameters(where, old_params, new_params)
        self.request_body(where, old.get("requestBody"), new.get("requestBody"))
        self.responses(where, old.get("responses") or {}, new.get("responses") or {})

    def variants(self, where: str, old: list[dict[str, Any]], new: list[dict[str, Any]]) -> None:
        new_by_id = {v.get("operation-id"): v for v in new}
        for variant in old:
            vid = variant.get("operation-id")
            if vid not in new_by_id:
                self.add(True, where, f"variant {vid} removed")
                continue
            other = new_by_id[vid]
            if variant.get("method") != other.get("method"):
                self.add(True, where, f"variant {vid} method changed from "
                                      f"{variant.get('method')!r} to {other.get('method')!r}")
            for field, direction in (("request-schema", REQUEST), ("response-schema", RESPONSE)):
                if variant.get(field) and other.get(field):
                    self.schema(f"{where} variant {vid} {direction}",
                                {"$ref": f"#/components/schemas/{variant[field]}"},
                                {"$ref": f"#/components/schemas/{other[field]}"}, direction)
        old_ids = {v.get("operation-id") for v in old}
        for vid in new_by_id:
            if vid not in old_ids:
                self.add(False, where, f"variant {vid} added")

    def parameters(self, where: str, old: list[Any], new: list[Any]) -> None:
        def by_key(doc: Document, params: list[Any]) -> dict[tuple[str, str], dict[str, Any]]:
            resolved = (doc.deref(p) or {} for p in params)
            return {(p.get("in", ""), p.get("name", "")): p for p in resolved}

        olds, news = by_key(self.old, old), by_key(self.new, new)
        respelt = {(place, spelling): wire for (place, wire), param in news.items()
                   for spelling in _documented(param)}
        for (place, name), param in olds.items():
            label = f"{where} {place} parameter {name}"
            if (place, name) not in news:
                renamed = respelt.get((place, name))
                self.add(True, label, "removed" if renamed is None else
                         f"renamed to {renamed} (the wire's spelling, x-documented-as)")
                continue
            other = news[(place, name)]
            if other.get("required") and not param.get("required"):
                self.add(True, label, "became required")
            elif param.get("required") and not other.get("required"):
                self.add(False, label, "became optional")
            self.schema(label, param.get("schema") or {}, other.get("schema") or {}, REQUEST)
        for (place, name), param in news.items():
            if (place, name) not in olds:
                required = bool(param.get("required"))
                self.add(required, f"{where} {place} parameter {name}",
                         "added as required" if required else "added (optional)")

    def request_body(self, where: str, old: Any, new: Any) -> None:
        old, new = self.old.deref(old), self.new.deref(new)
        label = f"{where} request body"
        if old is None and new is None:
            return
        if old is None:
            required = bool(new.get("required"))
            self.add(required, label, "added as required" if required else "added (optional)")
            return
        if new is None:
            self.add(True, label, "removed")
            return
        if new.get("required") and not old.get("required"):
            self.add(True, label, "became required")
        self.content(label, old.get("content") or {}, new.get("content") or {}, REQUEST)

    def responses(self, where: str, old: dict[str, Any], new: dict[str, Any]) -> None:
        for status, response in old.items():
            label = f"{where} response {status}"
            if status not in new:
                self.add(str(status).startswith("2"), label, "removed")
                continue
            old_r, new_r = self.old.deref(response) or {}, self.new.deref(new[status]) or {}
            self.content(label, old_r.get("content") or {}, new_r.get("content") or {}, RESPONSE)
        for status in new:
            if status not in old:
                self.add(False, f"{where} response {status}", "added")

    def content(self, where: str, old: dict[str, Any], new: dict[str, Any], direction: str) -> None:
        for media, media_obj in old.items():
            if media not in new:
                self.add(True, where, f"media type {media} removed")
                continue
            self.schema(f"{where} ({media})", (media_obj or {}).get("schema") or {},
                        (new[media] or {}).get("schema") or {}, direction)
        for media in new:
            if media not in old:
                self.add(False, where, f"media type {media} added")

    # -- schemas ------------------------------------------------------------------------------

    def schema(self, where: str, old: Any, new: Any, direction: str) -> None:
        """Compare two schemas as read in `direction`; a shared component is compared once."""
        self.condition(where, _condition(self.old, old), _condition(self.new, new))
        old_ref, new_ref = _ref(old), _ref(new)
        if old_ref or new_ref:
            key = (old_ref or "", new_ref or "", direction)
            if key in self.seen:
                return
            self.seen.add(key)
            if old_ref and old_ref == new_ref:
                where = f"schema {old_ref.rsplit('/', 1)[-1]} ({direction})"
        old, new = self.flat(self.old, old), self.flat(self.new, new)
        request = direction == REQUEST
        if old.get("type") != new.get("type"):
            self.add(True, where, f"type changed from {old.get('type')} to {new.get('type')}")
            return
        if old.get("format") != new.get("format"):
            self.add(True, where, f"format changed from {old.get('format')} to {new.get('format')}")
        if old.get("nullable") != new.get("nullable"):
            gained = bool(new.get("nullable"))
            self.add(gained != request, where, "became nullable" if gained else "no longer nullable")
        self.enum(where, old.get("enum"), new.get("enum"), request)
        self.properties(where, old, new, direction)
        if isinstance(old.get("items"), dict) and isinstance(new.get("items"), dict):
            self.schema(f"{where}[]", old["items"], new["items"], direction)
        if isinstance(old.get("additionalProperties"), dict) and isinstance(
                new.get("additionalProperties"), dict):
            self.schema(f"{where}{{*}}", old["additionalProperties"], new["additionalProperties"],
                        direction)
        for combiner in ("oneOf", "anyOf"):
            olds, news = old.get(combiner) or [], new.get(combiner) or []
            if len(olds) != len(news):
                self.add(True, where,
                         f"{combiner} alternatives changed from {len(olds)} to {len(news)}")
            for index, (a, b) in enumerate(zip(olds, news, strict=False)):
                self.schema(f"{where} {combiner}[{index}]", a, b, direction)

    @staticmethod
    def flat(doc: Document, schema: Any) -> dict[str, Any]:
        """A schema with its `$ref` followed and its `allOf` parts merged (properties, required)."""
        schema = doc.deref(schema) or {}
        if not schema.get("allOf"):
            return dict(schema)
        merged = {k: v for k, v in schema.items() if k != "allOf"}
        required = list(schema.get("required") or [])
        for part in schema["allOf"]:
            flat = _Comparison.flat(doc, part)
            for key, value in flat.items():
                merged.setdefault(key, value)
            required += flat.get("required") or []
        merged["properties"] = doc.properties(schema)
        merged["required"] = required
        return merged

    def enum(self, where: str, old: Any, new: Any, request: bool) -> None:
        if old is None and new is not None:
            self.add(request, where, "values restricted to an enum")
            return
        if old is None or new is None:
            if old is not None:
                self.add(False, where, "enum restriction removed")
            return
        removed = [v for v in old if v not in new]
        added = [v for v in new if v not in old]
        if removed:
            self.add(request, where, f"enum values removed: {_values(removed)}")
        if added:  # clients must treat response enums as open: the dataarts SDK does
            self.add(False, where, f"enum values added: {_values(added)}")

    def condition(self, where: str, old: Any, new: Any) -> None:
        """`x-required-when` documents a condition the service always had: never breaking."""
        if old != new:
            self.add(False, where, f"x-required-when {old or '(none)'} -> {new or '(none)'}")

    def properties(self, where: str, old: dict[str, Any], new: dict[str, Any],
                   direction: str) -> None:
        request = direction == REQUEST
        old_props, new_props = old.get("properties") or {}, new.get("properties") or {}
        old_req, new_req = set(old.get("required") or []), set(new.get("required") or [])
        respelt = {spelling: wire for wire, prop in new_props.items()
                   for spelling in _documented(prop)}
        for name, prop in old_props.items():
            label = f"{where}.{name}"
            if name not in new_props:
                if name in respelt:  # still read by clients of the spec, sent under the new key
                    self.add(True, label, f"property renamed to {respelt[name]} (the wire's "
                                          f"spelling; x-documented-as keeps {name} readable)")
                else:
                    self.add(True, label, "property removed")
                continue
            other = new_props[name]
            conditional = bool(_condition(self.new, other))
            if name in new_req and name not in old_req:
                self.add(request, label, "became required")
            elif name in old_req and name not in new_req:
                note = " (conditionally: x-required-when)" if conditional else ""
                self.add(not request and not conditional, label, "no longer required" + note)
            self.schema(label, prop, other, direction)
        for name in new_props:
            if name not in old_props:
                required = name in new_req
                self.add(request and required, f"{where}.{name}",
                         "property added as required" if required else "property added")

    # -- catalogues ---------------------------------------------------------------------------

    def catalogues(self) -> None:
        """`x-cdm-parameters` and `x-dlf-node-types`: the names a client may send, per section."""
        for name, old_schema in _schemas(self.old).items():
            new_schema = _schemas(self.new).get(name) or {}
            for key in _CATALOGUES:
                old_sections = dict(_catalogue_sections(key, old_schema.get(key)))
                new_sections = dict(_catalogue_sections(key, new_schema.get(key)))
                for section, params in old_sections.items():
                    where = f"{key} {section}"
                    if section not in new_sections:
                        self.add(True, where, "section removed")
                        continue
                    self.catalogue_params(where, params, new_sections[section])
                for section in new_sections:
                    if section not in old_sections:
                        self.add(False, f"{key} {section}", "section added")

    def catalogue_params(self, where: str, old: list[dict[str, Any]],
                         new: list[dict[str, Any]]) -> None:
        new_by_name = {p.get("name"): p for p in new}
        for param in old:
            name = param.get("name")
            label = f"{where} {name}"
            if name not in new_by_name:
                self.add(True, label, "parameter removed")
                continue
            other = new_by_name[name]
            if other.get("required") and not param.get("required"):
                self.add(True, label, "became required")
            elif param.get("required") and not other.get("required"):
                conditional = " (conditionally: x-required-when)" if other.get(
                    "x-required-when") else ""
                self.add(False, label, "no longer required" + conditional)
            if param.get("type") != other.get("type"):
                self.add(True, label, f"type changed from {param.get('type')} to "
                                      f"{other.get('type')}")
            self.enum(label, param.get("enum"), other.get("enum"), request=True)
            self.condition(label, param.get("x-required-when"), other.get("x-required-when"))
        old_names = {p.get("name") for p in old}
        for name, param in new_by_name.items():
            if name not in old_names:
                required = bool(param.get("required"))
                self.add(required, f"{where} {name}",
                         "parameter added as required" if required else "parameter added")


def _condition(doc: Document, prop: Any) -> Any:
    """A property's `x-required-when`, beside its `$ref` or in the schema it points to."""
    if isinstance(prop, dict) and prop.get("x-required-when"):
        return prop["x-required-when"]
    return (doc.deref(prop) or {}).get("x-required-when")


def _ref(schema: Any) -> str | None:
    return schema.get("$ref") if isinstance(schema, dict) else None


def _values(values: list[Any]) -> str:
    return ", ".join(repr(v) for v in values)


def _documented(prop: Any) -> list[str]:
    """The documented spellings a property is also read under (`x-documented-as`)."""
    spellings = prop.get("x-documented-as") if isinstance(prop, dict) else None
    return [spellings] if isinstance(spellings, str) else list(spellings or [])


def _schemas(doc: Document) -> dict[str, Any]:
    return (doc.data.get("components") or {}).get("schemas") or {}


def _catalogue_sections(key: str, catalogue: Any) -> list[tuple[str, list[dict[str, Any]]]]:
    """(section label, parameters) of a catalogue extension, in a shape-independent list."""
    if not isinstance(catalogue, dict):
        return []
    if key == "x-dlf-node-types":
        return [(name, node.get("properties") or []) for name, node in catalogue.items()]
    return [(f"{place}/{name}", section.get("parameters") or [])
            for place, sections in catalogue.items() for name, section in sections.items()]
