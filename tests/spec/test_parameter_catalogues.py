"""The machine-readable parameter catalogues of the specs agree with the documents and fixtures.

`x-dlf-node-types` (dlf, on JobNode) lists each node type's `properties` names; `x-cdm-parameters`
(cdm, on Input) lists the `inputs` names of links, job sources, destinations and tasks (5.4).
Both are name/value lists on the wire, so these catalogues are the only typed record of them.
"""

from __future__ import annotations

import re
from functools import cache
from typing import Any

import pytest

from tests.spec import fixturelib as fl

DOC = fl.FIXTURE_DIR / "documents" / "003_b0b6b669bda851be.txt"
PROPERTY_KEYS = {"name", "documented-as", "type", "required", "enum", "default", "example",
                 "secret", "fields", "description", "x-required-when"}
TYPES = {"string", "boolean", "integer", "number", "map", "array", "file-content", "object"}


@cache
def doc_lines() -> list[str]:
    return DOC.read_text(encoding="utf-8").splitlines()


def squeezed(text: str) -> str:
    return re.sub(r"\s+", "", text)


def check_property(where: str, prop: dict[str, Any]) -> list[str]:
    problems = [f"{where}: unknown key {k!r}" for k in prop if k not in PROPERTY_KEYS]
    for key in ("name", "type", "required", "description"):
        if key not in prop:
            problems.append(f"{where}: no {key!r}")
    if prop.get("type") not in TYPES:
        problems.append(f"{where}: type {prop.get('type')!r} not in {sorted(TYPES)}")
    if not isinstance(prop.get("required"), bool):
        problems.append(f"{where}: required must be true or false")
    for key in ("default", "example"):
        if key in prop and not isinstance(prop[key], str):
            problems.append(f"{where}: {key} must be a string, as every value is on the wire")
    if prop.get("fields") is not None and prop.get("type") != "object":
        problems.append(f"{where}: only an object parameter has fields")
    for i, field in enumerate(prop.get("fields") or []):
        problems += check_property(f"{where}/fields/{i}", field)
    return problems


# -- DLF node types ---------------------------------------------------------------------------


def node_types() -> dict[str, Any]:
    job_node = fl.load_spec("dlf")["components"]["schemas"]["JobNode"]
    return job_node["x-dlf-node-types"]


def table_block(table: str) -> str:
    """The text of document table `table` ("6-60"): from its caption to the next caption."""
    lines = doc_lines()
    caption = re.compile(rf"^表 ?{re.escape(table)} ")
    start = next(i for i, line in enumerate(lines) if caption.match(line))
    end = next((i for i in range(start + 1, len(lines)) if lines[i].startswith("表")), len(lines))
    return "\n".join(lines[start:end])


def test_dlf_catalogue_covers_exactly_the_node_type_enum() -> None:
    enum = fl.load_spec("dlf")["components"]["schemas"]["JobNode"]["properties"]["type"]["enum"]
    assert sorted(node_types()) == sorted(enum)


@pytest.mark.parametrize("node_type", sorted(node_types()))
def test_dlf_node_type_properties_are_well_formed_and_in_their_tables(node_type: str) -> None:
    entry = node_types()[node_type]
    tables = [t for t in entry["property-table"].split("/") if t != "-"]  # "-": no such table
    if not tables:
        assert entry["properties"] == [], f"{node_type} has no property table, so no properties"
        return
    blocks = squeezed("".join(table_block(t) for t in tables))
    problems = []
    names = [p.get("name") for p in entry["properties"]]
    problems += [f"{node_type}: {n!r} listed twice" for n in set(names) if names.count(n) > 1]
    for i, prop in enumerate(entry["properties"]):
        where = f"{node_type}/properties/{i}"
        problems += check_property(where, prop)
        if squeezed(prop.get("documented-as", prop["name"])) not in blocks:
            problems.append(f"{where}: {prop['name']!r} is not in tables {entry['property-table']}")
        problems += [f"{where}: enum value {v!r} not in its tables"
                     for v in prop.get("enum", []) if squeezed(str(v)) not in blocks]
    assert not problems, "\n".join(problems)


def test_dlf_fixture_nodes_use_catalogued_property_names() -> None:
    types = node_types()
    problems = []
    for fx in fl.fixtures("dlf"):
        for part in ("request", "response"):
            body = fx.data[part].get("body")
            nodes = body.get("nodes") if isinstance(body, dict) else None
            for node in nodes if isinstance(nodes, list) else []:
                if node.get("type") not in types:
                    continue  # an undocumented type (the examples show `Dummy`): nothing to check
                known = {p["name"] for p in types[node["type"]]["properties"]}
                problems += [f"{fx.name} {part}: {node['type']} property {p['name']!r}"
                             for p in node.get("properties", []) if p["name"] not in known]
    assert not problems, "\n".join(problems)


# -- CDM connector parameters (5.4) -------------------------------------------------------------

CDM_GROUPS = {  # catalogue group -> (document section, name prefixes allowed in it)
    "link-config-values": ("5.4.1", ("linkConfig.", "dialect.")),
    "from-config-values": ("5.4.2", ("fromJobConfig.",)),
    "to-config-values": ("5.4.3", ("toJobConfig.",)),
    "driver-config-values": (
        "5.4.4", ("throttlingConfig.", "schedulerConfig.", "groupJobConfig.", "retryJobConfig.")
    ),
}
SECTION_KEYS = {"section", "title", "lines", "connectors", "description", "parameters",
                "example-only"}


def cdm_parameters() -> dict[str, dict[str, Any]]:
    return fl.load_spec("cdm")["components"]["schemas"]["Input"]["x-cdm-parameters"]


def cdm_sections() -> list[tuple[str, str, dict[str, Any]]]:
    return [(group, slug, section) for group, sections in cdm_parameters().items()
            for slug, section in sections.items()]


def connector_enums() -> dict[str, set[str]]:
    schemas = fl.load_spec("cdm")["components"]["schemas"]
    return {
        "link-config-values": set(schemas["Link"]["properties"]["connector-name"]["enum"]),
        "from-config-values": set(schemas["Job"]["properties"]["from-connector-name"]["enum"]),
        "to-config-values": set(schemas["Job"]["properties"]["to-connector-name"]["enum"]),
        "driver-config-values": set(),
    }


def test_cdm_catalogue_has_every_section_of_5_4() -> None:
    heading = re.compile(r"^(5\.4\.[1-3]\.[0-9]+|5\.4\.4) \S")
    documented = {m.group(1) for line in doc_lines()[9000:11585] if (m := heading.match(line))}
    catalogued = {section["section"] for _, _, section in cdm_sections()}
    assert catalogued == documented
    assert sorted(cdm_parameters()) == sorted(CDM_GROUPS)


@pytest.mark.parametrize(("group", "slug", "section"), cdm_sections(),
                         ids=[f"{g}/{s}" for g, s, _ in cdm_sections()])
def test_cdm_section_is_well_formed_and_in_its_document_lines(
    group: str, slug: str, section: dict[str, Any]
) -> None:
    number, prefixes = CDM_GROUPS[group]
    first, last = section["lines"]
    lines = doc_lines()[first - 1:last]
    text = squeezed("\n".join(lines))
    problems = [f"unknown key {k!r}" for k in section if k not in SECTION_KEYS]
    if not (section["section"].startswith(number) and lines[0].startswith(section["section"] + " ")):
        problems.append(f"lines {first}-{last} do not start at the heading of {section['section']}")
    unknown = set(section["connectors"]) - connector_enums()[group]
    problems += [f"connector {c!r} is not a documented connector name" for c in sorted(unknown)]
    names = [p.get("name") for p in section["parameters"]]
    problems += [f"{n!r} listed twice" for n in sorted(set(names)) if names.count(n) > 1]
    for i, prop in enumerate(section["parameters"]):
        where = f"parameters/{i} ({prop.get('name')})"
        problems += check_property(where, prop)
        if not prop["name"].startswith(prefixes):
            problems.append(f"{where}: name does not start with {prefixes}")
        if squeezed(prop.get("documented-as", prop["name"])) not in text:
            problems.append(f"{where}: not in document lines {first}-{last}")
        problems += [f"{where}: enum value {v!r} not in document lines {first}-{last}"
                     for v in prop.get("enum", []) if squeezed(str(v)) not in text]
    problems += [f"example-only {n!r} not in document lines {first}-{last}"
                 for n in section.get("example-only", []) if squeezed(n) not in text
                 and squeezed(n) not in squeezed("\n".join(doc_lines()[1000:9100]))]
    assert not problems, f"{group}/{slug}:\n" + "\n".join(problems)


def _catalogued(group: str, connector: str | None) -> set[str]:
    names: set[str] = set()
    for section in cdm_parameters()[group].values():
        if connector is None or connector in section["connectors"]:
            names |= {p["name"] for p in section["parameters"]}
            names |= set(section.get("example-only", []))
    return names


def _inputs(config_values: Any) -> list[str]:
    configs = config_values.get("configs", []) if isinstance(config_values, dict) else []
    return [i["name"] for c in configs for i in c.get("inputs", []) if "name" in i]


def test_cdm_fixtures_use_catalogued_input_names() -> None:
    """Every input a recorded link or job sends is catalogued for its connector."""
    problems = []
    for fx in fl.fixtures("cdm"):
        for part in ("request", "response"):
            body = fx.data[part].get("body")
            body = body if isinstance(body, dict) else {}
            for link in body.get("links", []):
                known = _catalogued("link-config-values", link.get("connector-name"))
                problems += [f"{fx.name} {part}: link input {n!r}" for n in
                             _inputs(link.get("link-config-values")) if n not in known]
            for job in body.get("jobs", []):
                for group, connector_key in (("from-config-values", "from-connector-name"),
                                             ("to-config-values", "to-connector-name"),
                                             ("driver-config-values", None)):
                    known = _catalogued(group, job.get(connector_key) if connector_key else None)
                    problems += [f"{fx.name} {part}: {group} input {n!r}"
                                 for n in _inputs(job.get(group)) if n not in known]
    assert not problems, "\n".join(problems)


# -- error codes (7.4) --------------------------------------------------------------------------

ERROR_TABLES = {  # spec -> (error schema, first and last document line of its code table)
    "cdm": ("CdmError", 17697, 17934),
    "dlf": ("DlfError", 17935, 17995),
    "factory": ("DlfError", 17935, 17995),  # the v2 /factory/ operations answer DLF's codes
}
ERROR_CODE_KEYS = ["code", "status", "meaning", "message", "summary", "description", "action"]


@pytest.mark.parametrize("service", sorted(ERROR_TABLES))
def test_error_code_table_is_transcribed_row_for_row(service: str) -> None:
    schema, first, last = ERROR_TABLES[service]
    rows = fl.load_spec(service)["components"]["schemas"][schema]["x-error-codes"]
    lines = doc_lines()[first - 1:last]
    table_rows = [ln for ln in lines if re.match(r"^\| *(Cdm\.|DLF\.|[45][0-9][0-9] *\|)", ln)]
    # the table's rows first, in its order; after them, codes the live service answers that the
    # table lacks (each with a `# doc:` source in the spec; issue 19), none of them the table's
    assert len(rows) >= len(table_rows)
    beyond = rows[len(table_rows):]
    problems = [f"{row['code']} is in the table, so in its place" for row in beyond
                if any(f" {row['code']} " in line for line in table_rows)]
    problems += [f"{row['code']}: keys {list(row)}" for row in beyond
                 if [k for k in row if k != "message-contains"] != ERROR_CODE_KEYS]
    for i, row in enumerate(rows[:len(table_rows)]):
        if list(row) != ERROR_CODE_KEYS or not isinstance(row["status"], int):
            problems.append(f"{i}: keys {list(row)}, status {row.get('status')!r}")
        # each row's code, status and message are on the document row of the same position
        cells = [c.strip() for c in table_rows[i].strip().strip("|").split("|")]
        if row["code"] not in cells or str(row["status"]) not in cells:
            problems.append(f"{i}: {row['code']} {row['status']} is not document row {cells[:2]}")
        if squeezed(row["message"]) not in squeezed(re.sub(r"<[^>]*>", "", table_rows[i])):
            problems.append(f"{i}: {row['code']} message differs from the document's")
        problems += [f"{i}: {row['code']} has an empty {k}" for k in ERROR_CODE_KEYS[2:]
                     if not str(row[k]).strip()]
    assert not problems, "\n".join(problems)
