"""The error codes' data (issue 21): every row's meaning agrees with what its text says, the API
gateway's codes are catalogued alike in every spec, and the codes the live service answers for
missing things mean `not-found`."""

from __future__ import annotations

import re
from typing import Any

import pytest

from tests.spec import fixturelib as fl

SERVICES = ("cdm", "dlf", "factory", "lakeformation")

# What a row's English text says, and the meaning that text asks for (spec/README.md, "Error
# codes and their meaning").
SAYS = {
    "not-found": r"does not exist|doesn't exist|not exist|cannot be found|not found|no \w+ "
                 r"(?:connection )?has been created|no table name can be matched",
    "already-exists": r"already exists?|has been used by|already used by|duplicate files",
    "invalid-state": r"is running|is not running|not allowed in the current status|already in use"
                     r"|has been disabled|has been occupied|contains data|is not empty",
    "quota-exceeded": r"quota",
    "throttled": r"throttl",
}
# Rows whose meaning is not the one their words suggest (or that their words do not name), each
# with its reason: decided by reading the row.
EXCEPTIONS = {
    "Cdm.0307": "another transaction holds the link's lease: invalid-state",
    "Cdm.0940": "no table matches the name the request gives: not-found",
    "Cdm.1118": "the column family the request names is not in the table: not-found",
    "DLF.0136": "the job's kind (real-time) does not allow the call: invalid-state",
    "DLF.6271": "a user's one DLI connection exists already: already-exists",
    "DLF.30111": "the job has no schedule or trigger, which a backfill needs: invalid-state",
    "Cdm.0089": "a configuration item name the request spells wrong: invalid-request",
    "Cdm.0102": "connectors are the service's fixed types (generic-jdbc-connector), not resources",
    "Cdm.0932": "a field's maximum value found in the source data, at run time: operation-failed",
    "Cdm.0936": "the job's dirty-data limit reached while it runs (mentions no quota): "
                "operation-failed",
    "DLF.0802": "a parameter, not a resource: invalid-request",
    "Cdm.0243": "a file rename in a data source failed; the name may exist: operation-failed",
    "APIGW.0101": "no API at that host: wrong-endpoint, never a missing resource",
    "APIGW.0103": "the gateway's own backend configuration: server-error",
    "APIGW.0104": "the gateway's own plug-in configuration: server-error",
    "APIGW.0105": "the gateway's own backend configuration: server-error",
    "APIGW.0609": "the gateway's own VPC backend: server-error",
    "APIGW.0611": "the gateway's own backend port: server-error",
    "APIGW.0501": "quota-exceeded as it says; listed for its 405",
    "common.01000001": "one code for a request that cannot be read (400) and a missing resource "
                       "(404): each row says which",
}


def rows(service: str) -> list[tuple[str, dict[str, Any]]]:
    schemas = fl.load_spec(service)["components"]["schemas"]
    return [(name, r) for name, s in schemas.items() for r in s.get("x-error-codes") or ()]


@pytest.mark.parametrize("service", SERVICES)
def test_each_meaning_agrees_with_what_the_row_says(service: str) -> None:
    problems = []
    for _, r in rows(service):
        text = f"{r['summary']} {r['description']}".lower()
        said = [meaning for meaning, pattern in SAYS.items() if re.search(pattern, text)]
        if said and r["meaning"] not in said and r["code"] not in EXCEPTIONS:
            problems.append(f"{r['code']} ({r['status']}) says {said} but means {r['meaning']}")
        if r["meaning"] in SAYS and not said and r["code"] not in EXCEPTIONS:
            problems.append(f"{r['code']} means {r['meaning']}; its text should say so")
    assert not problems, "\n".join(problems)


def gateway_rows(service: str) -> list[dict[str, Any]]:
    return [r for _, r in rows(service) if r["code"].startswith("APIGW.")]


def test_every_spec_catalogues_the_same_gateway_codes() -> None:
    cdm = gateway_rows("cdm")
    assert len(cdm) >= 40
    for service in SERVICES[1:]:
        assert gateway_rows(service) == cdm, service
    # in cdm they have a schema of their own (CDM's body has another shape); elsewhere they
    # follow the service's rows in its table (same error_code/error_msg shape)
    assert {name for name, r in rows("cdm") if r["code"].startswith("APIGW.")} == {"GatewayError"}


def test_the_gateway_codes_users_meet_first() -> None:
    by_code: dict[str, list[dict[str, Any]]] = {}
    for r in gateway_rows("cdm"):
        by_code.setdefault(r["code"], []).append(r)
    (not_published,) = by_code["APIGW.0101"]
    assert (not_published["status"], not_published["meaning"]) == (404, "wrong-endpoint")
    assert "dayu.{region}" in not_published["action"] and "endpoint" in not_published["action"]
    assert [(r["status"], r["meaning"]) for r in by_code["APIGW.0308"]] == [(429, "throttled")]
    assert by_code["APIGW.0106"][0]["meaning"] == "invalid-request"
    expired = [r for r in by_code["APIGW.0301"] if r.get("message-contains") == "signature expired"]
    assert expired and "clock skew" in expired[0]["description"]
    assert "clock" in expired[0]["action"]
    assert {r["status"] for r in by_code["APIGW.0201"]} == {400, 413, 414, 494, 502, 504}


@pytest.mark.parametrize(("service", "code"), [
    ("cdm", "Cdm.0100"), ("cdm", "Cdm.0054"),  # a missing CDM job: HTTP 400 (live evidence C2)
    ("dlf", "DLF.0100"),  # a missing DLF job: HTTP 400 (D10)
    ("dlf", "DLF.6201"),  # a missing script, also array-wrapped (D12)
    ("dlf", "DLF.0819"), ("dlf", "DLF.20819"),  # an unknown workspace (D11)
    ("factory", "DLF.30137"),  # a missing v2 job instance (D13)
])
def test_codes_the_live_service_answers_for_missing_things_mean_not_found(
    service: str, code: str
) -> None:
    (found,) = [r for _, r in rows(service) if r["code"] == code]
    assert (found["status"], found["meaning"]) == (400, "not-found")


def test_generated_tables_carry_the_meanings() -> None:
    from dataarts.cdm.error_codes import ERROR_CODES as CDM
    from dataarts.dlf.error_codes import ERROR_CODES as DLF
    from dataarts.factory.error_codes import ERROR_CODES as FACTORY
    from dataarts.lakeformation.error_codes import ERROR_CODES as LAKEFORMATION

    assert DLF["DLF.0100"].meaning == "not-found"
    assert DLF["DLF.0100"].action == "Check whether the job exists."
    assert CDM["Cdm.0100"].meaning == FACTORY["DLF.0100"].meaning == "not-found"
    for table in (CDM, DLF, FACTORY, LAKEFORMATION):
        assert table["APIGW.0101"].meaning == "wrong-endpoint"
        assert [c.message_contains for c in table["APIGW.0301"].cases] == [
            "signature expired", "token expires"]
