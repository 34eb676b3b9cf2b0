"""The vendor extensions readers need, written as Markdown for the rendered reference."""

from __future__ import annotations

import html
import json
import re
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

# Section 5.4 groups the CDM parameters by where they travel; each place becomes one page.
CDM_PLACES = {
    "link-config-values": ("Link parameters", "a link's `link-config-values`"),
    "from-config-values": ("Job source parameters", "a job's `from-config-values`"),
    "to-config-values": ("Job destination parameters", "a job's `to-config-values`"),
    "driver-config-values": ("Job task parameters", "a job's `driver-config-values`"),
}


def code(value: Any) -> str:
    """A value as inline code; non-strings as JSON (`true`, `3`), as the wire shows them."""
    text = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)
    fence = "``" if "`" in text else "`"
    return f"{fence}{text}{fence}" if text.strip() else '`""`'


def name(value: str) -> str:
    """A wire name in a table: inline code that the browser does not break across lines."""
    return f'<code style="white-space: nowrap">{html.escape(value)}</code>'


def cell(text: Any) -> str:
    """Text fit for one table cell: one line, pipes escaped."""
    return re.sub(r"\s+", " ", str(text)).strip().replace("|", "\\|")


def condition(when: Mapping[str, Sequence[Any]]) -> str:
    """An `x-required-when` mapping in words: every key must hold one of its values."""
    parts = []
    for key, values in when.items():
        shown = ", ".join(code(v) for v in values)
        verb = "is" if len(values) == 1 else "is one of"
        parts.append(f"{code(key)} {verb} {shown}")
    return " and ".join(parts)


def required_when_note(when: Mapping[str, Sequence[Any]]) -> str:
    """The sentence appended to a property's description in the rendered reference."""
    return f"**Required when** {condition(when)}."


def table(headers: Sequence[str], rows: Iterable[Sequence[Any]]) -> str:
    lines = ["| " + " | ".join(headers) + " |", "|" + " --- |" * len(headers)]
    lines += ["| " + " | ".join(cell(c) for c in row) + " |" for row in rows]
    return "\n".join(lines)


def required_cell(entry: Mapping[str, Any]) -> str:
    """`yes`, `no`, or the condition of `x-required-when` (catalogue entries and properties)."""
    when = entry.get("x-required-when")
    if when:
        return "when " + condition(when)
    return "yes" if entry.get("required") else "no"


def error_codes(tables: Sequence[tuple[str, Sequence[Mapping[str, Any]]]]) -> str:
    """The `x-error-codes` tables of a spec, one per schema (the service's, the gateway's): one
    row per documented code (and per further status or message case of it)."""
    rows = sum(len(codes) for _, codes in tables)
    intro = (f"The {rows} error codes documented for this API, as the error body's code field "
             "carries them (`x-error-codes` in the spec). *Meaning* classifies each code "
             "(`not-found`, `already-exists`, `invalid-state`, `throttled`, `wrong-endpoint`, ...; "
             "spec/README.md gives the rule) whatever its HTTP status. *Message* is the text as "
             "printed, with its English translation in parentheses where it differs; `%s` stands "
             "for a value the server fills in.")
    headers = ("Code", "HTTP status", "Meaning", "Message", "Description", "What to do")
    parts = [intro]
    for schema, codes in tables:
        if len(tables) > 1:
            parts.append(f"**{schema}**")
        parts.append(table(headers, [
            (name(c["code"]), c.get("status", ""), c.get("meaning", ""), _message(c),
             c.get("description", ""), c.get("action", "")) for c in codes]))
    return "\n\n".join(parts)


def _message(entry: Mapping[str, Any]) -> str:
    """The message as printed, with its English summary when the printed text differs, and the
    text that selects the row when it narrows its code (`message-contains`)."""
    message, summary = str(entry.get("message", "")), str(entry.get("summary", ""))
    text = message if summary in ("", message) else f"{message} ({summary})"
    contains = entry.get("message-contains")
    return f"{text} (when the message contains {code(contains)})" if contains else text


def parameter_rows(params: Sequence[Mapping[str, Any]], prefix: str = "") -> list[tuple[Any, ...]]:
    """Catalogue parameters (CDM inputs, DLF node properties) as table rows, nested fields after."""
    rows: list[tuple[Any, ...]] = []
    for p in params:
        full = prefix + p["name"]
        notes = [p.get("description", "")]
        if p.get("enum"):
            notes.append("One of " + ", ".join(code(v) for v in p["enum"]) + ".")
        if "default" in p:
            notes.append(f"Default: {code(p['default'])}.")
        if "example" in p:
            notes.append(f"Example: {code(p['example'])}.")
        if p.get("documented-as"):
            notes.append(f"Documented as {code(p['documented-as'])}.")
        if p.get("secret"):
            notes.append("*Secret: keep it out of logs.*")
        rows.append((name(full), p.get("type", ""), required_cell(p), " ".join(n for n in notes if n)))
        rows += parameter_rows(p.get("fields") or [], prefix=f"{full}[].")
    return rows


PARAMETER_HEADERS = ("Name", "Type", "Required", "Description")


def cdm_section(place: str, section: Mapping[str, Any]) -> str:
    """One section of `x-cdm-parameters` (a connector's link, source, destination or task names)."""
    _, where = CDM_PLACES.get(place, (place, f"`{place}`"))
    connectors = ", ".join(code(c) for c in section.get("connectors") or [])
    parts = [f"The parameter names {where} accepts"
             + (f" for connector {connectors}" if connectors else "")
             + f" (section {section.get('section', '?')} of the reference, `x-cdm-parameters` in "
             "the spec). On the wire each is one `inputs[]` entry `{name, value}` whose value is "
             "a string.",
             str(section.get("description", "")).strip(),
             table(PARAMETER_HEADERS, parameter_rows(section.get("parameters") or []))]
    if section.get("example-only"):
        names = ", ".join(code(n) for n in section["example-only"])
        parts.append(f"Sent by the reference's samples but in no table: {names}.")
    return "\n\n".join(p for p in parts if p)


def dlf_node_type(name: str, node: Mapping[str, Any]) -> str:
    """One entry of `x-dlf-node-types`: the names a node of that type accepts in `properties`."""
    tables = node.get("property-table")
    parts = [str(node.get("description", "")).strip(),
             f"A job node with `type: {name}` carries these names in its `properties` list of "
             "`{name, value}` pairs (`x-dlf-node-types` in the spec"
             + (f"; property tables {tables}: create/update/detail" if tables else "") + ").",
             table(PARAMETER_HEADERS, parameter_rows(node.get("properties") or []))
             if node.get("properties") else "No documented properties."]
    return "\n\n".join(p for p in parts if p)


def decision_note(record: Mapping[str, Any], ranks: Mapping[int, str]) -> str:
    """A recorded decision (`x-source.decisions`) as a paragraph under the node it decides."""
    rank = record.get("rank")
    evidence = "; ".join(f"{code(e.get('source', ''))}: {code(cell(e.get('quote', '')))}"
                         for e in record.get("evidence") or ())
    return (f"**Wire decision** (evidence rank {rank}, {ranks.get(rank, '?')}): "
            f"{_literal(record.get('summary', ''))} *Evidence:* {evidence}")


def documented_as_note(wire: str, documented: str | Sequence[str]) -> str:
    """The sentence under a field keyed by its wire spelling that the documents spell otherwise."""
    spellings = [documented] if isinstance(documented, str) else list(documented)
    shown = ", ".join(code(s) for s in spellings)
    return (f"**Documented as** {shown}: the wire spells it {code(wire)}, which is what is sent; "
            "a reader accepts both.")


def decisions_page(rows: Sequence[tuple[str, Mapping[str, Any]]], ranks: Mapping[int, str]) -> str:
    """Every decision of a spec: where it stands, what it says, its rank and its sources."""
    intro = (f"The {len(rows)} decisions this description takes on the evidence of the live service "
             "(issue 19), each shown also under the operation, parameter, schema or property it "
             "decides (`x-source.decisions` in the spec). Evidence ranks: "
             + "; ".join(f"{rank} {text}" for rank, text in sorted(ranks.items()))
             + ". Where a higher rank contradicts a lower one, the description follows the higher "
             "for what is sent, and a field the documents spell otherwise is read under both "
             "spellings (`x-documented-as`).")
    table_rows = [(where, record.get("summary", ""), record.get("rank", ""),
                   "; ".join(code(e.get("source", "")) for e in record.get("evidence") or ()))
                  for where, record in rows]
    return intro + "\n\n" + table(("Where", "Decision", "Rank", "Evidence"), table_rows)


def _literal(text: Any) -> str:
    return cell(text).replace("<", "&lt;")
