"""`to_config_values` / `from_config_values`: flat CDM inputs to and from the wire's config lists."""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Mapping
from pathlib import Path

import pytest

from templates.runtime import configs
from templates.runtime.catalogue import ParameterError
from templates.runtime.configs import add_name_check, from_config_values, to_config_values

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


def documents(*names: str) -> configs.NameCheck:
    """A catalogue's name check documenting `names` for every connector."""

    def check(values: Mapping[str, object], connector: str) -> None:
        unknown = [f"unknown parameter {name!r}" for name in values if name not in names]
        if unknown:
            raise ParameterError(f"config values for {connector}", unknown)

    return check


def test_names_are_checked_against_the_catalogues_passed_in(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(configs, "_name_checks", [])  # none loaded yet
    with pytest.raises(ParameterError, match="no connector catalogue is loaded"):
        to_config_values({"linkConfig.host": "h"}, connector="x-connector")
    add_name_check(documents("linkConfig.host"))
    add_name_check(documents("linkConfig.port"))
    assert to_config_values({"linkConfig.host": "h"}, connector="x-connector")
    assert to_config_values({"linkConfig.port": 1}, connector="x-connector")  # the second's
    with pytest.raises(ParameterError, match="unknown parameter 'linkConfig.hots'"):
        to_config_values({"linkConfig.hots": "h"}, connector="x-connector")
    assert to_config_values({"linkConfig.hots": "h"}) == {  # unchecked without a connector
        "configs": [{"name": "linkConfig", "inputs": [{"name": "linkConfig.hots", "value": "h"}]}]
    }


def test_the_package_checks_names_in_a_fresh_interpreter() -> None:
    """`dataarts.to_config_values(..., connector=)` works before anything else is imported: the
    package's function imports the connector catalogue when a check first needs it (the runtime
    imports no service), and only then."""
    code = (
        "import sys\n"
        "from dataarts import ParameterError, to_config_values\n"
        "print('catalogue loaded:', 'dataarts.cdm.connectors' in sys.modules)\n"
        "print(to_config_values({'linkConfig.hiveVersion': 'HIVE_3_X'})['configs'][0]['name'])\n"
        "print('catalogue loaded:', 'dataarts.cdm.connectors' in sys.modules)\n"
        "try:\n"
        "    to_config_values({'linkConfig.hiveVersoin': 'HIVE_3_X'}, connector='hive-connector')\n"
        "except ParameterError as error:\n"
        "    print(error.problems[0])\n"
        "print(to_config_values({'linkConfig.hiveVersion': 'HIVE_3_X'}, connector='hive-connector')"
        "['configs'][0]['inputs'])\n"
    )
    generated = Path(__file__).resolve().parents[2] / "generated"
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True,
        env={"PYTHONPATH": str(generated)},
    )
    lines = done.stdout.splitlines()
    assert lines[:3] == ["catalogue loaded: False", "linkConfig", "catalogue loaded: False"]
    assert lines[3].startswith(
        "unknown parameter 'linkConfig.hiveVersoin'; did you mean 'linkConfig.hiveVersion'"
    )
    assert lines[4] == "[{'name': 'linkConfig.hiveVersion', 'value': 'HIVE_3_X'}]"


def test_the_package_function_is_the_documented_one() -> None:
    import dataarts
    from dataarts._runtime import configs as package_configs

    assert dataarts.to_config_values.__doc__ == package_configs.to_config_values.__doc__
    assert dataarts.to_config_values.__name__ == "to_config_values"
