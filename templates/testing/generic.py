"""The answer of an operation without a state machine, built from its spec alone.

The documented success status, with the first documented example that fits the response schema
(the documents' examples knowingly break it in places), else a value made from the schema: the
required properties, each from its `example`, `default` or first `enum` value, else the simplest
value of its type. A binary answer is an empty zip archive. The answer always fits the spec.
"""

from __future__ import annotations

import copy
from collections.abc import Mapping
from typing import Any

from .answers import Answer, json_answer
from .spec import Operation, ServiceSpec

__all__ = ["EMPTY_ZIP", "conform", "generic_answer", "sample", "success_media"]

# An empty zip archive: the end-of-central-directory record alone.
EMPTY_ZIP = b"PK\x05\x06" + b"\x00" * 18
_DEPTH_LIMIT = 12


def success_media(op: Operation) -> tuple[str | None, Mapping[str, Any] | None]:
    """(media type, media object) of the operation's success response; (None, None) if empty."""
    response = op.responses.get(str(op.success_status)) or {}
    content: Mapping[str, Any] = response.get("content") or {}
    for media_type, media in content.items():
        return media_type, media
    return None, None


def generic_answer(service: ServiceSpec, op: Operation) -> Answer:
    media_type, media = success_media(op)
    if media is None or media_type is None:
        return Answer(op.success_status)
    schema = media.get("schema") or {}
    if not media_type.endswith("json"):
        return Answer(op.success_status, EMPTY_ZIP, media_type)
    for example in (media.get("examples") or {}).values():
        value = service.validator.resolve(example).get("value")
        if value is not None and not service.validator.check(schema, value, "", "response"):
            return json_answer(op.success_status, copy.deepcopy(value))
    if "example" in media and not service.validator.check(schema, media["example"], "", "response"):
        return json_answer(op.success_status, copy.deepcopy(media["example"]))
    return json_answer(op.success_status, sample(service, schema))


def sample(service: ServiceSpec, schema: Mapping[str, Any], depth: int = 0) -> Any:
    """A small value fitting `schema` (made up only where the spec gives nothing better)."""
    schema = service.validator.resolve(schema)
    for key in ("example", "default"):
        if key in schema and not service.validator.check(schema, schema[key], "", "response"):
            return copy.deepcopy(schema[key])
    if schema.get("enum"):
        return copy.deepcopy(schema["enum"][0])
    if "allOf" in schema:
        merged: dict[str, Any] = {}
        for part in schema["allOf"]:
            value = sample(service, part, depth + 1)
            if isinstance(value, dict):
                merged.update(value)
        return merged
    for keyword in ("oneOf", "anyOf"):
        if schema.get(keyword):
            # the first alternative whose value fits the whole schema (oneOf: exactly one)
            values = [sample(service, option, depth + 1) for option in schema[keyword]]
            fitting = [v for v in values if not service.validator.check(schema, v, "", "response")]
            return (fitting or values)[0]
    kind = schema.get("type") or ("object" if "properties" in schema else None)
    if kind == "object":
        return _object(service, schema, depth)
    if kind == "array":
        count = int(schema.get("minItems", 0))
        if count == 0 or depth > _DEPTH_LIMIT:
            return []
        return [sample(service, schema.get("items") or {}, depth + 1) for _ in range(count)]
    if kind in ("integer", "number"):
        low = schema.get("minimum", 0)
        value = low + 1 if schema.get("exclusiveMinimum") is True else low
        if kind == "integer":
            return int(value)
        # a fraction, so that a number is never also an integer (oneOf: number | integer)
        half = float(value) + 0.5
        return half if half <= schema.get("maximum", half) else float(value)
    if kind == "boolean":
        return False
    if kind == "string":
        return _string(service, schema)
    return {}


def _object(service: ServiceSpec, schema: Mapping[str, Any], depth: int) -> dict[str, Any]:
    properties: Mapping[str, Any] = schema.get("properties") or {}
    out: dict[str, Any] = {}
    if depth > _DEPTH_LIMIT:
        return out
    for name in schema.get("required") or ():
        if name in properties:
            out[name] = sample(service, properties[name], depth + 1)
    return out


def _string(service: ServiceSpec, schema: Mapping[str, Any]) -> str:
    fmt = schema.get("format")
    if fmt == "date-time":
        return "2024-04-29T00:00:00Z"
    if fmt == "date":
        return "2024-04-29"
    length = max(int(schema.get("minLength", 1)), 1)
    for candidate in ("x" * length, "abcd" * length, "0" * length, "sample_" + "x" * length):
        if not service.validator.check(schema, candidate, "", "response"):
            return candidate
    return "x" * length


def conform(service: ServiceSpec, schema: Mapping[str, Any], value: Any) -> Any:
    """`value` as an answer: `writeOnly` properties and optional ones breaking the schema out.

    Request and response tables sometimes disagree (DLF's JobNode allows retryTimes up to 100,
    JobNodeDetail up to 5); an echoed value the answer's schema forbids is left out rather than
    answered against the spec.
    """
    schema = service.validator.resolve(schema)
    for part in schema.get("allOf") or ():
        value = conform(service, part, value)
    if isinstance(value, list) and isinstance(schema.get("items"), Mapping):
        return [conform(service, schema["items"], item) for item in value]
    if not isinstance(value, dict):
        return value
    properties: Mapping[str, Any] = schema.get("properties") or {}
    required = set(schema.get("required") or ())
    out: dict[str, Any] = {}
    for name, item in value.items():
        if name not in properties:
            out[name] = item
            continue
        if service.validator.resolve(properties[name]).get("writeOnly", False):
            continue  # accepted in requests, never answered (passwords, keys)
        fitted = conform(service, properties[name], item)
        fits = not service.validator.check(properties[name], fitted, name, "response")
        if fits or name in required:
            out[name] = fitted
    return out
