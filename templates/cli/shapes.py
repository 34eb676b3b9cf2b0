"""What the spec says about an answer, for tables: which fields are times, which columns a list has.

Read from the service's OpenAPI document (`dataarts.<service>._openapi`), loaded for `-o table`
only. A field is a time when the spec says so: `format: date-time`, or an integer its
description documents as a time in (epoch) milliseconds, as the DataArts documents describe
theirs ("Creation time, in milliseconds", "13-digit timestamp in milliseconds"). Durations in
milliseconds ("Running time, in milliseconds: now minus the start time") are not times.
"""

from __future__ import annotations

import functools
import importlib
import json
import re
from datetime import UTC, datetime
from typing import Any, NamedTuple

_EPOCH_MS = re.compile(
    r"(?i)\b(?:epoch milliseconds|timestamp in milliseconds|(?:time|date)\b[^.;:]*,\s*in milliseconds)"
)
_DURATION = re.compile(r"(?i)\b(?:average|duration|elapsed|running time|how long)\b")


class Shape(NamedTuple):
    """A schema of a service's document (a `$ref`, or a schema holding them)."""

    document: dict[str, Any]
    schema: dict[str, Any]

    def localize(self, data: Any) -> Any:
        """`data` with its times as local ISO 8601 text (`2024-05-01T10:30:00+08:00`)."""
        return _localize(data, self.schema, self.document)

    def columns(self, data: Any) -> list[str]:
        """The documented fields of the items of `data` (a list, or a page holding one): the
        header of a table with no rows."""
        schema = _resolve(self.schema, self.document)
        if isinstance(data, dict):
            lists = [k for k, v in data.items() if isinstance(v, list)]
            if len(lists) != 1:
                return []
            schema = _resolve(_properties(schema, self.document).get(lists[0], {}), self.document)
        items = _resolve(schema.get("items", {}), self.document)
        return list(_properties(items, self.document))


def shape_of(service: str, schema_name: str, *, many: bool = False) -> Shape | None:
    """The shape of an answer whose model is `schema_name` (a list of them with `many`)."""
    document = _document(service)
    if schema_name not in document.get("components", {}).get("schemas", {}):
        return None
    ref: dict[str, Any] = {"$ref": f"#/components/schemas/{schema_name}"}
    return Shape(document, {"type": "array", "items": ref} if many else ref)


def is_time(schema: dict[str, Any]) -> bool:
    """Whether the spec documents this (resolved) schema as a point in time."""
    if schema.get("format") == "date-time":
        return True
    description = str(schema.get("description") or "")
    return (
        schema.get("type") == "integer"
        and _EPOCH_MS.search(description) is not None
        and _DURATION.search(description) is None
    )


def local_time(value: Any, schema: dict[str, Any]) -> Any:
    """A time value in local ISO 8601, or the value as it is when it is not one (a zero, a
    date-time without a zone, a value of another type)."""
    try:
        if isinstance(value, str) and schema.get("format") == "date-time":
            moment = datetime.fromisoformat(value)
            return moment.astimezone().isoformat() if moment.tzinfo else value
        if isinstance(value, int) and not isinstance(value, bool) and value > 0:
            moment = datetime.fromtimestamp(value / 1000, tz=UTC).astimezone()
            return moment.isoformat(timespec="milliseconds" if value % 1000 else "seconds")
    except (ValueError, OverflowError, OSError):
        pass
    return value


@functools.cache
def _document(service: str) -> dict[str, Any]:
    module = importlib.import_module(f"dataarts.{service}._openapi")
    document: dict[str, Any] = json.loads(module.DOCUMENT)
    return document


def _localize(data: Any, schema: dict[str, Any], document: dict[str, Any]) -> Any:
    schema = _resolve(schema, document)
    if is_time(schema):
        return local_time(data, schema)
    if isinstance(data, dict):
        fields = _properties(schema, document)
        extra = schema.get("additionalProperties")
        others = extra if isinstance(extra, dict) else {}
        return {k: _localize(v, fields.get(k, others), document) for k, v in data.items()}
    if isinstance(data, list):
        items = schema.get("items", {})
        return [_localize(item, items, document) for item in data]
    return data


def _resolve(schema: dict[str, Any], document: dict[str, Any]) -> dict[str, Any]:
    """A schema with its `$ref` followed (local references only)."""
    seen = 0
    while "$ref" in schema and seen < 32:
        node: Any = document
        for part in str(schema["$ref"]).removeprefix("#/").split("/"):
            node = node.get(part.replace("~1", "/").replace("~0", "~"), {})
        schema, seen = node, seen + 1
    return schema


def _properties(schema: dict[str, Any], document: dict[str, Any]) -> dict[str, Any]:
    """The properties of an object schema, those of its allOf/oneOf/anyOf parts included."""
    found = dict(schema.get("properties") or {})
    for key in ("allOf", "oneOf", "anyOf"):
        for part in schema.get(key) or ():
            for name, value in _properties(_resolve(part, document), document).items():
                found.setdefault(name, value)
    return found
