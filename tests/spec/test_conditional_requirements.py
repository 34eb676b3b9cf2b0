"""Conditionally required fields (issue 15): every conditional 是 row is decided, and the spec says so.

The audit reads every parameter table of the documents (tests/fixtures/documents) and keeps the
rows marked required (是 / Yes) whose description carries conditional wording (当…时, 仅, 才, 如果,
"only when", "supported by version", see `document_tables.CONDITIONAL`). Each must land on its spec
field: a connector parameter by the catalogue section's document lines, a node property by its
node type's tables, any other field by its name and a `# doc:` note citing the row's table. The
field must then either carry `x-required-when` (and not be required) or stay required, and in
both cases a `# doc:` note beside it records the decision, quoting the table's 是. A conditional
row added to a document, or a field whose decision note goes missing, fails the audit.
"""

from __future__ import annotations

import re
from typing import Any

import pytest

from tests.spec import document_tables as dt
from tests.spec import fixturelib as fl
from tests.spec.spec_fields import Field, fields

# Which specs a document describes (003: CDM in chapter 5, DLF in chapter 6).
DOCUMENT_SPECS = {
    "000_82b38612f356179b.txt": ("cdm",),
    "001_bfe439b253f1eb80.txt": ("cdm",),
    "003_b0b6b669bda851be.txt": ("cdm", "dlf", "factory"),
    "004_479049e578ed3cc4.txt": ("lakeformation",),
}
DECISION_MARK = re.compile(r"是|\brequired\b.*\(Yes\)|\bmarks? it (?:Yes|mandatory)\b")


def squeezed(text: str) -> str:
    return re.sub(r"\s+", "", text)


def targets(row: dt.Row) -> list[Field]:
    """The spec fields a table row describes."""
    found = []
    for service in DOCUMENT_SPECS[row.document]:
        for field in fields(service):
            if squeezed(row.name) not in {squeezed(n) for n in field.names}:
                continue
            if field.kind == "cdm-parameter":
                hit = row.document.startswith("003_") and field.lines is not None and (
                    field.lines[0] <= row.line <= field.lines[1])
            elif field.kind == "node-property":
                hit = row.anchor in {f"table {t}" for t in field.tables}
            else:
                hit = field.cites(row.anchor)
            if hit:
                found.append(field)
    return found


def audit(rows: list[dt.Row]) -> list[str]:
    """What is undecided or unrecorded among `rows`; empty when every row is handled."""
    problems = []
    for row in rows:
        where = f"{row} says {row.wording!r}"
        found = targets(row)
        if not found:
            problems.append(f"{where}: no spec field records a decision. Give the field "
                            f"x-required-when, or keep it required, with a `# doc:` note citing "
                            f"{row.anchor} and its 是")
        for field in found:
            if not DECISION_MARK.search(field.notes):
                problems.append(f"{where}: {field} has no `# doc:` note recording the decision "
                                "(quote the table's 是 and say why)")
            elif field.condition is None and not field.required:
                problems.append(f"{where}: {field} is optional without x-required-when; state "
                                "when it is required, or keep it required")
            elif field.condition is not None and field.required:
                problems.append(f"{where}: {field} carries x-required-when but is still required")
    return problems


def test_every_conditional_required_row_is_decided_in_the_spec() -> None:
    rows = dt.conditional_required_rows()
    assert set(DOCUMENT_SPECS) == {d.name for d in dt.documents()}, "say which spec a document describes"
    problems = audit(rows)
    assert not problems, f"{len(problems)} of {len(rows)} conditional rows:\n" + "\n".join(problems)


def test_the_audit_reads_the_tables_it_must() -> None:
    """The scan finds the rows issue 15 names (a parser regression would silently find none)."""
    found = {(r.anchor, r.name) for r in dt.conditional_required_rows()}
    assert {
        ("table 6-3", "queueName"), ("table 6-7", "queueName"),
        ("section 5.4.1.6", "linkConfig.runMode"), ("section 5.4.3.1", "toJobConfig.tablePreparation"),
        ("section 5.4.1.5", "linkConfig.iamAuth"), ("section 5.4.1.5", "linkConfig.runMode"),
        ("table 6-56", "eventType"), ("table 6-31", "location"),
    } <= found
    assert len(found) >= 35
    english = [r for d in dt.documents() if not d.name.startswith("003_") for r in dt.rows(d)]
    assert len(english) > 100 and {r.name for r in english} >= {"datasource_type", "jobs"}


def test_a_new_conditional_row_fails_the_audit() -> None:
    """A row the documents gain later (here: 6-3's `content` said to apply only to Shell scripts)
    is reported until the spec records a decision on it."""
    row = dt.Row("003_b0b6b669bda851be.txt", 11617, "table 6-3", "content", True,
                 "脚本内容，仅当type为Shell时有效。")
    assert row.wording == "仅"
    (problem,) = audit([row])
    assert "ScriptCreate/properties/content has no `# doc:` note recording the decision" in problem
    unknown = dt.Row("003_b0b6b669bda851be.txt", 11617, "table 6-3", "contents", True, "仅当…")
    assert "no spec field records a decision" in audit([unknown])[0]


@pytest.mark.parametrize("service", fl.spec_services())
def test_every_conditional_field_records_its_reason(service: str) -> None:
    """x-required-when never appears without a `# doc:` note quoting the table's mark."""
    problems = [f"{f}: {f.condition}" for f in fields(service)
                if f.condition is not None and not re.search(r"是|否|\b(?:Yes|No)\b", f.notes)]
    assert not problems, "x-required-when without a `# doc:` note:\n" + "\n".join(problems)


# -- permissive where the condition does not hold -----------------------------------------------


def holds(condition: dict[str, list[Any]], values: dict[str, Any]) -> bool:
    """The contract's semantics: every key holds one of its values; an absent key never holds."""
    return all(key in values and values[key] in allowed for key, allowed in condition.items())


def missing_inputs(section: dict[str, Any], inputs: dict[str, str], obj: dict[str, Any]) -> list[str]:
    """The catalogue's required inputs absent from `inputs` (a link's or job's, as wire strings)."""
    known = {**obj, **inputs}
    missing = []
    for param in section["parameters"]:
        condition = param.get("x-required-when")
        needed = param["required"] or (condition is not None and holds(condition, known))
        if needed and param["name"] not in inputs:
            missing.append(param["name"])
    return missing


def link_section(slug: str) -> dict[str, Any]:
    return fl.load_spec("cdm")["components"]["schemas"]["Input"]["x-cdm-parameters"][
        "link-config-values"][slug]


def hive_link(version: str) -> dict[str, Any]:
    inputs = {"linkConfig.host": "10.120.205.230", "linkConfig.authType": "KERBEROS",
              "linkConfig.hiveVersion": version, "linkConfig.obsSupport": "false"}
    return {"links": [{"name": "hive_link", "connector-name": "hive-connector",
                       "link-config-values": {"configs": [{"name": "linkConfig", "inputs": [
                           {"name": n, "value": v} for n, v in inputs.items()]}]}}]}


def create_links_schema() -> str:
    op = fl.operations("cdm")["CreateLink"].operation
    return op["requestBody"]["content"]["application/json"]["schema"]["$ref"].lstrip("#")


def test_a_hive_1_link_without_run_mode_is_valid_against_the_spec() -> None:
    body = hive_link("HIVE_1_X")
    assert fl.schema_errors("cdm", create_links_schema(), body) == []
    link = body["links"][0]
    inputs = {i["name"]: i["value"] for i in link["link-config-values"]["configs"][0]["inputs"]}
    assert missing_inputs(link_section("hive"), inputs, link) == []
    # the same link on Hive 3 lacks the run mode the table requires for HIVE_3_X
    inputs["linkConfig.hiveVersion"] = "HIVE_3_X"
    assert missing_inputs(link_section("hive"), inputs, link) == ["linkConfig.runMode"]


def test_a_shell_script_without_a_queue_is_valid_against_the_spec() -> None:
    shell = {"name": "shell_job", "type": "Shell", "content": "echo 123", "connectionName": "anyshell"}
    for schema in ("ScriptCreate", "ScriptUpdate"):
        assert fl.schema_errors("dlf", f"/components/schemas/{schema}", shell) == []
        without_content = {k: v for k, v in shell.items() if k != "content"}
        assert fl.schema_errors("dlf", f"/components/schemas/{schema}", without_content) != []
    from dataarts.dlf.models import ScriptCreate

    model = ScriptCreate(name="shell_job", type="Shell", content="echo 123")
    assert model.queue_name is None
    assert "queueName" not in model.model_dump(by_alias=True, exclude_none=True)


def test_the_relational_destination_needs_table_preparation_only_between_databases() -> None:
    section = fl.load_spec("cdm")["components"]["schemas"]["Input"]["x-cdm-parameters"][
        "to-config-values"]["relational-database"]
    inputs = {p["name"]: "x" for p in section["parameters"] if p["required"]}
    jdbc = {"from-connector-name": "generic-jdbc-connector", "to-connector-name": "generic-jdbc-connector"}
    from_obs = {**jdbc, "from-connector-name": "obs-connector"}
    assert missing_inputs(section, inputs, from_obs) == []
    assert missing_inputs(section, inputs, jdbc) == ["toJobConfig.tablePreparation"]
