"""A small validator for the OpenAPI 3.0 schema subset the specs use (no third-party library).

Covers `$ref` (local), `type`, `nullable`, `enum`, `format` (int32/int64 ranges), numeric bounds
(OpenAPI 3.0's boolean `exclusiveMinimum`/`exclusiveMaximum`), string length and `pattern`, array
length and `uniqueItems`, `properties`, `required`, `additionalProperties`, `allOf`, `anyOf`,
`oneOf` (with `discriminator`), `not`, and the project's `x-required-when`. `readOnly` properties
are not required in requests, nor `writeOnly` ones in responses. Formats other than the integer
ranges are annotations, as JSON Schema says.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, Literal

# x-required-when's semantics: the typed configurations' own function, so the two cannot differ
from dataarts._runtime.catalogue import condition_holds

__all__ = ["Problem", "Validator"]

Direction = Literal["request", "response"]
_INT_RANGES = {"int32": (-(2**31), 2**31 - 1), "int64": (-(2**63), 2**63 - 1)}
_TYPES: dict[str, Callable[[Any], bool]] = {
    "object": lambda v: isinstance(v, dict),
    "array": lambda v: isinstance(v, list),
    "string": lambda v: isinstance(v, str),
    "boolean": lambda v: isinstance(v, bool),
    "integer": lambda v: (isinstance(v, int) and not isinstance(v, bool))
    or (isinstance(v, float) and v.is_integer()),
    "number": lambda v: isinstance(v, (int, float)) and not isinstance(v, bool),
}
_MAX_PROBLEMS = 20


@dataclass(frozen=True)
class Problem:
    """Why a value does not fit its schema: where (`body.jobs[0].name`) and what."""

    where: str
    message: str
    missing: bool = False  # a required value is absent (services answer that with its own code)

    def __str__(self) -> str:
        return f"{self.where}: {self.message}"


class Validator:
    """Checks values against the schemas of one OpenAPI document."""

    def __init__(self, document: Mapping[str, Any]) -> None:
        self.document = document
        self._patterns: dict[str, re.Pattern[str]] = {}

    def resolve(self, schema: Mapping[str, Any]) -> Mapping[str, Any]:
        """Follow `$ref`s (local JSON pointers) to the schema itself."""
        seen = 0
        while "$ref" in schema:
            ref = str(schema["$ref"])
            if not ref.startswith("#/"):
                raise ValueError(f"only local references are supported: {ref}")
            node: Any = self.document
            for part in ref[2:].split("/"):
                node = node[part.replace("~1", "/").replace("~0", "~")]
            schema = node
            seen += 1
            if seen > 64:
                raise ValueError(f"reference loop at {ref}")
        return schema

    def check(
        self, schema: Mapping[str, Any], value: Any, where: str, direction: Direction = "request"
    ) -> list[Problem]:
        """Every problem of `value` against `schema` (at most 20), none when it fits."""
        problems: list[Problem] = []
        self._check(schema, value, where, direction, problems)
        return problems[:_MAX_PROBLEMS]

    # -- the keywords ------------------------------------------------------------------------

    def _check(
        self,
        schema: Mapping[str, Any],
        value: Any,
        where: str,
        direction: Direction,
        out: list[Problem],
    ) -> None:
        if len(out) >= _MAX_PROBLEMS:
            return
        schema = self.resolve(schema)
        if value is None:
            typed = "type" in schema or "properties" in schema or "enum" in schema
            if typed and not schema.get("nullable", False) and not _allows_null(schema):
                out.append(Problem(where, "must not be null"))
            elif not typed and not schema.get("nullable", False):
                # a schema made only of alternatives allows null when they do
                self._combinators(schema, value, where, direction, out)
            return
        expected = schema.get("type")
        if isinstance(expected, str) and not _TYPES.get(expected, _anything)(value):
            out.append(Problem(where, f"must be of type {expected}, not {_json_type(value)}"))
            return
        if "enum" in schema and value not in schema["enum"]:
            choices = ", ".join(repr(v) for v in schema["enum"][:10])
            out.append(Problem(where, f"{_short(value)} is not one of {choices}"))
            return
        self._scalar_rules(schema, value, where, out)
        if isinstance(value, list):
            self._array_rules(schema, value, where, direction, out)
        if isinstance(value, dict):
            self._object_rules(schema, value, where, direction, out)
        self._combinators(schema, value, where, direction, out)

    def _scalar_rules(
        self, schema: Mapping[str, Any], value: Any, where: str, out: list[Problem]
    ) -> None:
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            bounds = _INT_RANGES.get(str(schema.get("format", "")))
            if bounds and schema.get("type") == "integer" and not bounds[0] <= value <= bounds[1]:
                out.append(Problem(where, f"{value} is outside the {schema['format']} range"))
            if "minimum" in schema:
                low = schema["minimum"]
                if value < low or (schema.get("exclusiveMinimum") is True and value == low):
                    out.append(Problem(where, f"{value} is less than the minimum {low}"))
            if "maximum" in schema:
                high = schema["maximum"]
                if value > high or (schema.get("exclusiveMaximum") is True and value == high):
                    out.append(Problem(where, f"{value} is greater than the maximum {high}"))
            step = schema.get("multipleOf")
            if step and (value / step) != int(value / step):
                out.append(Problem(where, f"{value} is not a multiple of {step}"))
        if isinstance(value, str):
            if "minLength" in schema and len(value) < schema["minLength"]:
                out.append(Problem(where, f"is shorter than {schema['minLength']} characters"))
            if "maxLength" in schema and len(value) > schema["maxLength"]:
                out.append(Problem(where, f"is longer than {schema['maxLength']} characters"))
            if "pattern" in schema and not self._pattern(schema["pattern"]).search(value):
                out.append(Problem(where, f"does not match {schema['pattern']}"))

    def _array_rules(
        self,
        schema: Mapping[str, Any],
        value: list[Any],
        where: str,
        direction: Direction,
        out: list[Problem],
    ) -> None:
        if "minItems" in schema and len(value) < schema["minItems"]:
            out.append(Problem(where, f"has fewer than {schema['minItems']} items"))
        if "maxItems" in schema and len(value) > schema["maxItems"]:
            out.append(Problem(where, f"has more than {schema['maxItems']} items"))
        if schema.get("uniqueItems") and len({_freeze(v) for v in value}) != len(value):
            out.append(Problem(where, "has duplicate items"))
        items = schema.get("items")
        if isinstance(items, Mapping):
            for index, item in enumerate(value):
                self._check(items, item, f"{where}[{index}]", direction, out)

    def _object_rules(
        self,
        schema: Mapping[str, Any],
        value: dict[str, Any],
        where: str,
        direction: Direction,
        out: list[Problem],
    ) -> None:
        properties: Mapping[str, Any] = schema.get("properties") or {}
        for name in schema.get("required") or ():
            if name in value:
                continue
            prop = self.resolve(properties.get(name) or {})
            skip = "readOnly" if direction == "request" else "writeOnly"
            if not prop.get(skip, False):
                out.append(Problem(f"{where}.{name}", "is required", missing=True))
        for name, prop in properties.items():
            condition = prop.get("x-required-when")
            if condition and name not in value and condition_holds(condition, value):
                keys = " and ".join(f"{k} is {value[k]!r}" for k in condition)
                out.append(Problem(f"{where}.{name}", f"is required when {keys}", missing=True))
        extra = schema.get("additionalProperties", True)
        for name, item in value.items():
            if name in properties:
                self._check(properties[name], item, f"{where}.{name}", direction, out)
            elif extra is False:
                out.append(Problem(f"{where}.{name}", "is not a documented property"))
            elif isinstance(extra, Mapping):
                self._check(extra, item, f"{where}.{name}", direction, out)
        if "minProperties" in schema and len(value) < schema["minProperties"]:
            out.append(Problem(where, f"has fewer than {schema['minProperties']} properties"))
        if "maxProperties" in schema and len(value) > schema["maxProperties"]:
            out.append(Problem(where, f"has more than {schema['maxProperties']} properties"))

    def _combinators(
        self,
        schema: Mapping[str, Any],
        value: Any,
        where: str,
        direction: Direction,
        out: list[Problem],
    ) -> None:
        for part in schema.get("allOf") or ():
            self._check(part, value, where, direction, out)
        any_of = schema.get("anyOf")
        if any_of and not any(self._fits(p, value, where, direction) for p in any_of):
            out.extend(self._closest(any_of, value, where, direction, "anyOf"))
        if "oneOf" in schema:
            self._one_of(schema, value, where, direction, out)
        if "not" in schema and self._fits(schema["not"], value, where, direction):
            out.append(Problem(where, "matches a schema it must not match"))

    def _one_of(
        self,
        schema: Mapping[str, Any],
        value: Any,
        where: str,
        direction: Direction,
        out: list[Problem],
    ) -> None:
        options: list[Mapping[str, Any]] = list(schema["oneOf"])
        discriminator = schema.get("discriminator")
        if isinstance(discriminator, Mapping) and isinstance(value, dict):
            prop = discriminator.get("propertyName", "")
            mapping: Mapping[str, str] = discriminator.get("mapping") or {}
            if prop not in value:
                out.append(Problem(f"{where}.{prop}", "is required", missing=True))
                return
            target = mapping.get(str(value[prop]))
            if target is None:
                chosen = [o for o in options if str(o.get("$ref", "")).endswith("/" + value[prop])]
            else:
                chosen = [{"$ref": target}]
            if not chosen:
                known = ", ".join(repr(k) for k in mapping)
                out.append(
                    Problem(f"{where}.{prop}", f"{_short(value[prop])} is not one of {known}")
                )
                return
            self._check(chosen[0], value, where, direction, out)
            return
        fitting = [o for o in options if self._fits(o, value, where, direction)]
        if not fitting:
            out.extend(self._closest(options, value, where, direction, "oneOf"))
        elif len(fitting) > 1:
            out.append(Problem(where, f"matches {len(fitting)} of the oneOf schemas, not one"))

    def _fits(
        self, schema: Mapping[str, Any], value: Any, where: str, direction: Direction
    ) -> bool:
        return not self.check(schema, value, where, direction)

    def _closest(
        self,
        options: list[Mapping[str, Any]],
        value: Any,
        where: str,
        direction: Direction,
        keyword: str,
    ) -> list[Problem]:
        # the alternative with the fewest problems explains the failure best
        found = [self.check(o, value, where, direction) for o in options]
        best = min(found, key=len) if found else []
        return best or [Problem(where, f"matches none of the {keyword} schemas")]

    def _pattern(self, pattern: str) -> re.Pattern[str]:
        compiled = self._patterns.get(pattern)
        if compiled is None:
            compiled = self._patterns[pattern] = re.compile(pattern)
        return compiled


def _allows_null(schema: Mapping[str, Any]) -> bool:
    return None in (schema.get("enum") or ())


def _anything(value: Any) -> bool:
    return True


def _json_type(value: Any) -> str:
    for name in ("boolean", "integer", "number", "string", "array", "object"):
        if _TYPES[name](value):
            return name
    return type(value).__name__


def _short(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


def _freeze(value: Any) -> Any:
    if isinstance(value, dict):
        return tuple(sorted((k, _freeze(v)) for k, v in value.items()))
    if isinstance(value, list):
        return tuple(_freeze(v) for v in value)
    return (type(value).__name__, value)
