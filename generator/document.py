"""Reading an OpenAPI document: JSON pointers, local `$ref`s, JSON bodies and object properties."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from .problems import pointer, unescape

_MAX_REF_HOPS = 32  # a longer chain is a cycle
# The operation keys of an OpenAPI 3.0 path item, in the order operations are read.
HTTP_METHODS = ("get", "put", "post", "delete", "patch", "head", "options", "trace")


class Document:
    """Tolerant accessors over a loaded spec: a missing target reads as None, never raises."""

    def __init__(self, data: dict[str, Any]) -> None:
        self.data = data

    def resolve(self, ref: str) -> Any:
        """The node a local reference (`#/a/b` or `/a/b`) points to, or None."""
        node: Any = self.data
        for token in ref.lstrip("#").split("/")[1:]:
            token = unescape(token)
            if isinstance(node, dict) and token in node:
                node = node[token]
            elif isinstance(node, list) and token.isdigit() and int(token) < len(node):
                node = node[int(token)]
            else:
                return None
        return node

    def deref(self, node: Any) -> Any:
        """Follow `$ref`s until a node that is not a reference (None if one does not resolve)."""
        for _ in range(_MAX_REF_HOPS):
            if not (isinstance(node, dict) and isinstance(node.get("$ref"), str)):
                return node
            node = self.resolve(node["$ref"])
        return None

    def json_schema(self, holder: Any) -> dict[str, Any] | None:
        """The JSON media type's schema of a request body or response, if it has one."""
        holder = self.deref(holder) or {}
        for media, media_obj in (holder.get("content") or {}).items():
            if "json" in media:
                return (media_obj or {}).get("schema") or {}
        return None

    def success_body(self, op: dict[str, Any]) -> dict[str, Any] | str | None:
        """What an operation answers with: the JSON schema of its first 2xx response with
        content, "binary" when that content is not JSON, or None (no content)."""
        responses = op.get("responses")
        for code, response in sorted((responses if isinstance(responses, dict) else {}).items(),
                                     key=lambda kv: str(kv[0])):
            if not str(code).startswith("2"):
                continue
            content = (self.deref(response) or {}).get("content") or {}
            # a response that may also be a file (ExportJob: a zip, or JSON when asked to write
            # to OBS) is read as bytes, which keeps either answer whole
            if content and all("json" in media for media in content):
                media_obj = next(iter(content.values()))
                return (media_obj or {}).get("schema") or {}
            if content:
                return "binary"
        return None

    def success_alternative(self, op: dict[str, Any]) -> dict[str, Any] | None:
        """The JSON schema a file-answering operation may answer with instead (ExportJob: a zip,
        or JSON when asked to write to OBS): its first 2xx response's JSON media type, when that
        response also has a media type that is not JSON; else None."""
        responses = op.get("responses")
        for code, response in sorted((responses if isinstance(responses, dict) else {}).items(),
                                     key=lambda kv: str(kv[0])):
            content = (self.deref(response) or {}).get("content") or {}
            if not str(code).startswith("2") or not content:
                continue
            json_media = [m for media, m in content.items() if "json" in media]
            if json_media and len(json_media) < len(content):
                return (json_media[0] or {}).get("schema") or {}
            return None
        return None

    def parameters(self, path: str, op: dict[str, Any]) -> list[Any]:
        """An operation's parameters, dereferenced: the path item's first, then its own."""
        item = (self.data.get("paths") or {}).get(path) or {}
        return [self.deref(p) for p in [*(item.get("parameters") or []), *(op.get("parameters") or [])]]

    def schema_at(self, schema: Any, ptr: str) -> Any:
        """The schema of the value a JSON pointer reaches inside documents of `schema` (None: no
        such field). Array indices step into `items`; names step into `properties` (those of
        `allOf` parts too)."""
        node = self.deref(schema)
        for token in ptr.split("/")[1:]:
            if not isinstance(node, dict):
                return None
            token = unescape(token)
            if node.get("type") == "array" and token.isdigit():
                node = self.deref(node.get("items") or {})
            else:
                props = self.properties(node)
                if token not in props:
                    return None
                node = self.deref(props[token])
        return node

    def properties(self, schema: Any) -> dict[str, Any]:
        """An object schema's properties, those of its `allOf` parts included."""
        schema = self.deref(schema) or {}
        props = dict(schema.get("properties") or {})
        for part in schema.get("allOf") or []:
            props.update(self.properties(part))
        return props


def operations(data: dict[str, Any]) -> Iterator[tuple[str, str, str, dict[str, Any]]]:
    """(JSON pointer, path, method, operation object) of every operation under `paths`."""
    for path, item in (data.get("paths") or {}).items():
        if not isinstance(item, dict):
            continue
        for method in HTTP_METHODS:
            op = item.get(method)
            if isinstance(op, dict):
                yield pointer("paths", path, method), path, method, op
