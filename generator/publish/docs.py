"""`make docs`: one HTML reference per spec (Redocly CLI `build-docs`) and a landing page."""

from __future__ import annotations

import copy
import html
import json
import re
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..document import HTTP_METHODS
from ..extensions import names, sources
from ..load import load_spec
from ..problems import unescape
from . import markdown, node

OPERATIONS_GROUP = "Operations"
REFERENCE_GROUP = "Reference"
# Stacked: the middle column takes the page's width, which the wide catalogue tables need;
# readers can switch to three panels with the renderer's own layout button.
RENDER_OPTIONS = ("--openapi.layout=stacked",)
_NOT_SCHEMAS = ("example", "examples", "x-cdm-parameters", "x-dlf-node-types", "x-error-codes",
                "x-source")


@dataclass(frozen=True)
class Reference:
    """One rendered spec, as the landing page lists it."""

    service: str  # the spec's file stem: cdm, dlf, lakeformation
    title: str
    version: str
    operations: int
    pages: tuple[ReaderPage, ...]  # the pages added for vendor extensions

    @property
    def file(self) -> str:
        return f"{self.service}.html"


def reader_spec(data: dict[str, Any]) -> dict[str, Any]:
    """A docs-only copy of a spec with the vendor extensions readers need written as Markdown.

    Only descriptions, tags and tag groups are added: each error-code table and catalogue
    section becomes a tag page (grouped after the operations), and so does the list of the
    decisions taken on the live evidence (`x-source.decisions`); `x-required-when`, each
    decision and each documented spelling (`x-documented-as`) become a paragraph in the
    description of the node they stand on. Operations, parameters and schemas keep their
    meaning; the copy only feeds the renderer and is never published as a spec.
    """
    doc = copy.deepcopy(data)
    for prop in _properties_with_condition(doc):
        _describe(prop, markdown.required_when_note(prop["x-required-when"]))
    for _, holder in names.holders(doc, ""):
        if holder.get(names.DOCUMENTED):
            wire = holder.get("name") if "in" in holder else _wire_of(doc, holder)
            _describe(holder, markdown.documented_as_note(str(wire), holder[names.DOCUMENTED]))
    for ptr, holder in sources.holders(doc):
        for record in holder[sources.KEY].get("decisions") or ():
            _describe(_described_node(doc, ptr, holder),
                      markdown.decision_note(record, sources.RANKS))
    pages = list(reader_pages(doc))
    if pages:
        groups: dict[str, list[str]] = {OPERATIONS_GROUP: [t["name"] for t in doc.get("tags") or []]}
        for page in pages:
            groups.setdefault(page.group, []).append(page.name)
        doc["tags"] = [*(doc.get("tags") or []),
                       *({"name": p.name, "x-displayName": p.title, "description": p.markdown}
                         for p in pages)]
        doc["x-tagGroups"] = [{"name": name, "tags": tags} for name, tags in groups.items()]
    return doc


@dataclass(frozen=True)
class ReaderPage:
    """A page of the rendered reference that shows a vendor extension."""

    group: str  # the sidebar group it is listed under
    name: str  # its tag name, made of [a-z0-9.-] so that the renderer's route is `#/<name>`
    title: str  # what the reader sees (the tag's `x-displayName`)
    markdown: str
    rows: int  # table rows the page must show (the browser check counts them)


def reader_pages(doc: dict[str, Any]) -> Iterator[ReaderPage]:
    """The error-code table, the decisions taken on the live evidence and every catalogue
    section of a spec, one page each."""
    schemas = (doc.get("components") or {}).get("schemas") or {}
    tables = [(name, schema["x-error-codes"]) for name, schema in schemas.items()
              if schema.get("x-error-codes")]
    if tables:  # one page: the service's codes, then the gateway's
        yield ReaderPage(REFERENCE_GROUP, "error-codes", "Error codes",
                         markdown.error_codes(tables), sum(len(codes) for _, codes in tables))
    for schema in schemas.values():
        for place, sections in (schema.get("x-cdm-parameters") or {}).items():
            group, _ = markdown.CDM_PLACES.get(place, (place, ""))
            for key, section in sections.items():
                title = f"{section.get('section', '')} {section.get('title', '')}".strip()
                rows = len(markdown.parameter_rows(section.get("parameters") or []))
                yield ReaderPage(group, _route_name(f"{place}-{key}"), title,
                                 markdown.cdm_section(place, section), rows)
        for type_name, node_type in (schema.get("x-dlf-node-types") or {}).items():
            rows = len(markdown.parameter_rows(node_type.get("properties") or []))
            yield ReaderPage("Node types", _route_name(f"node-type-{type_name}"), type_name,
                             markdown.dlf_node_type(type_name, node_type), rows)
    recorded = decisions(doc)
    if recorded:
        yield ReaderPage(REFERENCE_GROUP, "wire-decisions", "Wire decisions",
                         markdown.decisions_page(recorded, sources.RANKS), len(recorded))


def _describe(node: dict[str, Any], note: str) -> None:
    node["description"] = f"{node.get('description', '')}\n\n{note}".strip()


def _described_node(doc: dict[str, Any], ptr: str, node: dict[str, Any]) -> dict[str, Any]:
    """The node whose description shows a decision: the document's is its `info`'s."""
    return doc.setdefault("info", {}) if ptr == "" else node


def _wire_of(doc: dict[str, Any], prop: dict[str, Any]) -> str:
    """The property name under which `prop` (a property object of a schema) is keyed."""
    for schema in ((doc.get("components") or {}).get("schemas") or {}).values():
        for wire, candidate in (schema.get("properties") or {}).items():
            if candidate is prop:
                return str(wire)
    return "?"


def decisions(doc: dict[str, Any]) -> list[tuple[str, dict[str, Any]]]:
    """(where, decision) of every decision a spec records, in document order."""
    return [(_where(doc, ptr), record) for ptr, node in sources.holders(doc)
            for record in node[sources.KEY].get("decisions") or ()]


def _where(doc: dict[str, Any], ptr: str) -> str:
    """A node for a reader: an operation by method, path and id; a schema's property dotted."""
    tokens = [unescape(t) for t in ptr.split("/")[1:]]
    if not tokens:
        return "the whole description"
    if tokens[0] == "paths" and len(tokens) >= 3:
        op = ((doc.get("paths") or {}).get(tokens[1]) or {}).get(tokens[2]) or {}
        where = f"{tokens[2].upper()} {tokens[1]} ({op.get('operationId', '?')})"
        if len(tokens) >= 5 and tokens[3] == "parameters":
            param = (op.get("parameters") or [{}] * (int(tokens[4]) + 1))[int(tokens[4])]
            where += f", parameter {param.get('name', '?')}"
        return where
    if tokens[:2] == ["components", "schemas"]:
        return ".".join(t for t in tokens[2:] if t != "properties")
    if tokens[:2] == ["components", "parameters"] and len(tokens) >= 3:
        param = ((doc.get("components") or {}).get("parameters") or {}).get(tokens[2]) or {}
        return f"parameter {param.get('name', tokens[2])}"
    return "/".join(tokens)


def _route_name(text: str) -> str:
    return re.sub(r"[^a-z0-9.]+", "-", text.lower()).strip("-")


def _properties_with_condition(node: Any) -> Iterator[dict[str, Any]]:
    """Every schema property carrying `x-required-when`, anywhere in the document."""
    if isinstance(node, list):
        for item in node:
            yield from _properties_with_condition(item)
    elif isinstance(node, dict):
        props = node.get("properties")
        if isinstance(props, dict):
            yield from (p for p in props.values() if isinstance(p, dict) and p.get("x-required-when"))
        for key, value in node.items():
            if key not in _NOT_SCHEMAS:
                yield from _properties_with_condition(value)


def operation_count(data: dict[str, Any]) -> int:
    return sum(1 for item in (data.get("paths") or {}).values() for m in item if m in HTTP_METHODS)


def build(specs: list[Path], out_dir: Path) -> list[Reference]:
    """Render every spec into `out_dir/<service>.html` and write `out_dir/index.html`."""
    out_dir.mkdir(parents=True, exist_ok=True)
    redocly = node.require(node.REDOCLY, "docs")
    references = []
    with tempfile.TemporaryDirectory(prefix="reader-spec-") as tmp:
        for path in specs:
            data = load_spec(path).data
            reader = reader_spec(data)
            source = Path(tmp) / f"{path.stem}.json"
            source.write_text(json.dumps(reader, ensure_ascii=False), encoding="utf-8")
            info = data.get("info") or {}
            ref = Reference(path.stem, str(info.get("title", path.stem)),
                            str(info.get("version", "")), operation_count(data),
                            tuple(reader_pages(data)))
            node.run_checked([redocly, "build-docs", source, "--inlineBundle", *RENDER_OPTIONS,
                              "--title", f"{ref.title} {ref.version}", "-o", out_dir / ref.file])
            references.append(ref)
    redocly_version = node.run_checked([redocly, "--version"]).strip()
    (out_dir / "index.html").write_text(landing_page(references, redocly_version), encoding="utf-8")
    return references


def page_route(page: ReaderPage) -> str:
    """The hash route the renderer gives a reader page (its tag name is already route-safe)."""
    return f"#/{page.name}"


def landing_page(references: list[Reference], redocly_version: str) -> str:
    """A small static page linking every rendered reference and its reader pages."""
    items = []
    for ref in references:
        firsts: dict[str, list[ReaderPage]] = {}
        for page in ref.pages:
            firsts.setdefault(page.group, []).append(page)
        links = "".join(f'<li><a href="{ref.file}{page_route(pages[0])}">{_label(group, pages)}'
                        "</li>" for group, pages in firsts.items())
        items.append(
            f'<section class="spec" id="{ref.service}"><h2><a href="{ref.file}">'
            f"{html.escape(ref.title)}</a></h2><p>Version <code>{html.escape(ref.version)}</code>"
            f" &middot; {ref.operations} operation{'s' * (ref.operations != 1)} &middot; source "
            f"<code>spec/{ref.service}.yaml</code></p>"
            + (f"<ul>{links}</ul>" if links else "") + "</section>")
    return _LANDING.format(sections="\n".join(items), redocly=html.escape(redocly_version))


def _label(group: str, pages: list[ReaderPage]) -> str:
    """A landing-page entry: the page itself when a group has one, else the group."""
    if len(pages) == 1:
        return f"{html.escape(pages[0].title)}</a> ({_rows(pages[0].rows)})"
    return f"{html.escape(group)}</a> ({len(pages)} pages, {_rows(sum(p.rows for p in pages))})"


def _rows(count: int) -> str:
    return f"{count} row{'s' * (count != 1)}"


_LANDING = """<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>DataArts Studio API reference</title>
<style>
body {{ font: 16px/1.5 system-ui, sans-serif; max-width: 52rem; margin: 2rem auto;
        padding: 0 1rem; color: #1f2328; }}
h1 {{ font-size: 1.8rem; }} code {{ background: #f3f4f6; padding: 0 .25rem; }}
.spec {{ border: 1px solid #d0d7de; border-radius: 6px; padding: .25rem 1rem; margin: 1rem 0; }}
.spec h2 {{ font-size: 1.2rem; }} footer {{ color: #57606a; font-size: .9rem; }}
</style></head>
<body><main>
<h1>DataArts Studio API reference</h1>
<p>The OpenAPI 3.0.3 descriptions of Huawei Cloud DataArts Studio that the <code>dataarts</code>
Python SDK is generated from, rendered for people. Client authors in other languages can take
the single-file bundles (<code>make bundle</code>) or <code>spec/*.yaml</code> directly. Each
reference lists every operation; its <em>Reference</em> group shows the service's error codes
and, for CDM and DLF, the parameter catalogues.</p>
{sections}
</main>
<footer>Built by <code>make docs</code> with Redocly CLI {redocly}.</footer>
</body></html>
"""
