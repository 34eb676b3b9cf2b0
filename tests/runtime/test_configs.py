"""`to_config_values` / `from_config_values`: flat CDM inputs to and from the wire's config lists."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from templates.runtime.configs import from_config_values, to_config_values

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "cdm"


def test_inputs_are_grouped_by_prefix_in_the_order_given_and_sent_as_strings() -> None:
    wire = to_config_values({
        "throttlingConfig.numExtractors": 1,
        "schedulerConfig.isSchedulerJob": False,
        "throttlingConfig.recordDirtyData": True,
        "throttlingConfig.maxErrorRecords": 2.5,
        "schedulerConfig.cycleType": "day",
        "groupJobConfig.groupName": None,  # left out
    })
    assert wire == {"configs": [
        {"name": "throttlingConfig", "inputs": [
            {"name": "throttlingConfig.numExtractors", "value": "1"},
            {"name": "throttlingConfig.recordDirtyData", "value": "true"},
            {"name": "throttlingConfig.maxErrorRecords", "value": "2.5"},
        ]},
        {"name": "schedulerConfig", "inputs": [
            {"name": "schedulerConfig.isSchedulerJob", "value": "false"},
            {"name": "schedulerConfig.cycleType", "value": "day"},
        ]},
    ]}


def test_structured_values_become_compact_json() -> None:
    wire = to_config_values({"fromJobConfig.formats": {"f_date": "yyyy-MM-dd"},
                             "fromJobConfig.columns": ["a", "ü"]})
    values = [i["value"] for i in wire["configs"][0]["inputs"]]
    assert values == ['{"f_date":"yyyy-MM-dd"}', '["a","ü"]']


@pytest.mark.parametrize("name", ["host", ".host", "linkConfig.", ""])
def test_a_name_without_group_and_parameter_is_refused(name: str) -> None:
    with pytest.raises(ValueError, match=r"names look like 'linkConfig\.host'"):
        to_config_values({name: "x"})


def test_an_unsendable_value_names_its_type_but_never_shows_it() -> None:
    secret = b"s3cr3t-bytes"
    with pytest.raises(TypeError) as err:
        to_config_values({"linkConfig.password": secret})
    assert "linkConfig.password" in str(err.value) and "bytes" in str(err.value)
    assert "s3cr3t" not in str(err.value)


def test_the_documented_link_round_trips() -> None:
    """5.3.1's link: flat mapping and back to exactly the documented config lists."""
    fixture = json.loads((FIXTURES / "CreateLink.200.json").read_text(encoding="utf-8"))
    config_values = fixture["request"]["body"]["links"][0]["link-config-values"]
    flat = from_config_values(config_values)
    assert flat["linkConfig.host"] == "100.94.8.163"
    assert next(iter(flat)) == "linkConfig.databaseType"
    assert to_config_values(flat) == {
        "configs": [{"name": c["name"], "inputs": c["inputs"]} for c in config_values["configs"]]
    }


def test_reading_a_parsed_model_and_a_partial_body() -> None:
    from dataarts.cdm.models import ConfigValues

    model = ConfigValues.model_validate(to_config_values({"linkConfig.port": 22}))
    assert from_config_values(model) == {"linkConfig.port": "22"}
    assert from_config_values({"configs": [{"name": "jarConfig", "inputs": []}]}) == {}
    assert from_config_values({}) == {}


def test_exported_from_the_package() -> None:
    import dataarts

    assert dataarts.to_config_values({"a.b": 1}) == {
        "configs": [{"name": "a", "inputs": [{"name": "a.b", "value": "1"}]}]
    }
    assert dataarts.from_config_values({"configs": [{"inputs": [{"name": "a.b", "value": "1"}]}]}) == {
        "a.b": "1"
    }
