"""Every field of the specs a document table row can describe, with the `# doc:` notes beside it.

A field is a schema property, an operation parameter, a CDM connector parameter (`x-cdm-parameters`)
or a DLF node property (`x-dlf-node-types`). Its notes are the `# doc:` comment lines directly
above its key (or list item) and those inside its block; they are where decisions are recorded.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from typing import Any

from generator.load import SpecFile, load_spec
from generator.problems import escape
from tests.spec import fixturelib as fl

REQUIRED_WHEN = "x-required-when"
_TABLE_CITATION = re.compile(
    r"\btables?\s+((?:\d+(?:-\d+)?)(?:\s*(?:,|/|and|or)\s*(?:\d+(?:-\d+)?))*)"
)


@dataclass(frozen=True)
class Field:
    spec: str  # "cdm", "dlf", "lakeformation"
    pointer: str
    kind: str  # "property", "parameter", "cdm-parameter", "node-property"
    names: tuple[str, ...]  # its wire name, and the spelling the table used (`documented-as`)
    required: bool
    condition: dict[str, list[Any]] | None  # x-required-when
    notes: str  # the text of its `# doc:` comments, joined
    lines: tuple[int, int] | None = None  # cdm-parameter: document lines of its section
    tables: tuple[str, ...] = ()  # node-property: the document tables of its node type

    def cites(self, anchor: str) -> bool:
        """Whether a note cites `anchor` ("table 6-3", "section 5.4.1.6")."""
        kind, _, number = anchor.partition(" ")
        if kind == "table":
            return any(number in re.findall(r"\d+(?:-\d+)?", m) for m in _TABLE_CITATION.findall(self.notes))
        return re.search(rf"(?<![\d.]){re.escape(number)}(?![\d.]*\d)", self.notes) is not None

    def __str__(self) -> str:
        return f"spec/{self.spec}.yaml#{self.pointer}"


@cache
def fields(service: str) -> tuple[Field, ...]:
    spec = load_spec(fl.SPEC_DIR / f"{service}.yaml")
    text = spec.path.read_text(encoding="utf-8").splitlines()
    return tuple(_Index(service, spec, text).fields())


class _Index:
    def __init__(self, service: str, spec: SpecFile, text: list[str]) -> None:
        self.service, self.spec, self.text = service, spec, text

    def notes(self, pointer: str) -> str:
        """`# doc:` lines above the node's first line and inside its block."""
        first = self.spec.lines[pointer] - 1  # 0-based
        indent = _indent(self.text[first])
        above = []
        i = first - 1
        while i >= 0 and self.text[i].lstrip().startswith("#"):
            above.insert(0, self.text[i])
            i -= 1
        inside = []
        i = first + 1
        while i < len(self.text) and (not self.text[i].strip() or _indent(self.text[i]) > indent):
            inside.append(self.text[i])
            i += 1
        notes = [line.strip()[len("# doc:"):].strip() for line in above + inside
                 if line.strip().startswith("# doc:")]
        return " ".join(notes)

    def field(self, pointer: str, kind: str, names: tuple[str, ...], required: bool,
              holder: dict[str, Any], **extra: Any) -> Field:
        condition = holder.get(REQUIRED_WHEN)
        return Field(self.service, pointer, kind, names, required, condition, self.notes(pointer),
                     **extra)

    def fields(self) -> Iterator[Field]:
        data = self.spec.data
        for pointer, node in _schemas(data, ""):
            required = node.get("required") or []
            for name, prop in node["properties"].items():
                if isinstance(prop, dict):
                    yield self.field(f"{pointer}/properties/{escape(name)}", "property", (name,),
                                     name in required, prop)
        for pointer, param in _parameters(data):
            yield self.field(pointer, "parameter", (param["name"],), bool(param.get("required")),
                             param)
        for name, schema in (data.get("components", {}).get("schemas") or {}).items():
            base = f"/components/schemas/{escape(name)}"
            for place, sections in (schema.get("x-cdm-parameters") or {}).items():
                for key, section in sections.items():
                    for i, param in enumerate(section.get("parameters") or []):
                        names = (param["name"], param.get("documented-as", param["name"]))
                        yield self.field(
                            f"{base}/x-cdm-parameters/{place}/{key}/parameters/{i}", "cdm-parameter",
                            names, bool(param.get("required")), param, lines=tuple(section["lines"]),
                        )
            for node_type, entry in (schema.get("x-dlf-node-types") or {}).items():
                tables = tuple(t for t in str(entry.get("property-table", "")).split("/") if t != "-")
                for i, prop in enumerate(entry.get("properties") or []):
                    names = (prop["name"], prop.get("documented-as", prop["name"]))
                    yield self.field(
                        f"{base}/x-dlf-node-types/{escape(node_type)}/properties/{i}", "node-property",
                        names, bool(prop.get("required")), prop, tables=tables,
                    )


def _indent(line: str) -> int:
    return len(line) - len(line.lstrip(" "))


def _schemas(node: Any, pointer: str) -> Iterator[tuple[str, dict[str, Any]]]:
    """Every object schema with properties, outside the vendor extensions."""
    if isinstance(node, dict):
        if isinstance(node.get("properties"), dict) and "in" not in node:
            yield pointer, node
        for key, value in node.items():
            if not str(key).startswith("x-"):
                yield from _schemas(value, f"{pointer}/{escape(str(key))}")
    elif isinstance(node, list):
        for i, value in enumerate(node):
            yield from _schemas(value, f"{pointer}/{i}")


def _parameters(data: dict[str, Any]) -> Iterator[tuple[str, dict[str, Any]]]:
    """Operation parameters where they are written (a `$ref` is reported at its component)."""
    for name, param in (data.get("components", {}).get("parameters") or {}).items():
        yield f"/components/parameters/{escape(name)}", param
    for path, item in (data.get("paths") or {}).items():
        lists = [(f"/paths/{escape(path)}/parameters", item.get("parameters") or [])]
        lists += [(f"/paths/{escape(path)}/{m}/parameters", op.get("parameters") or [])
                  for m, op in item.items() if isinstance(op, dict) and m in fl.HTTP_METHODS]
        for base, params in lists:
            for i, param in enumerate(params):
                if isinstance(param, dict) and "name" in param:
                    yield f"{base}/{i}", param
