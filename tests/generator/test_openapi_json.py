"""`dataarts/<service>/_openapi.py`: the spec shipped as JSON text for the simulator."""

from __future__ import annotations

import json

import pytest
import yaml

from generator.openapi_json import openapi_json
from tests.generator.conftest import BASE_SPEC, ROOT


def test_the_shipped_text_is_the_spec() -> None:
    namespace: dict[str, object] = {}
    for spec in sorted((ROOT / "spec").glob("*.yaml")):
        data = yaml.safe_load(spec.read_text(encoding="utf-8"))
        module = ROOT / "generated" / "dataarts" / data["x-sdk-service"] / "_openapi.py"
        exec(compile(module.read_text(encoding="utf-8"), str(module), "exec"), namespace)
        assert json.loads(str(namespace["DOCUMENT"])) == data, spec.name


def test_quotes_and_backslashes_survive_the_raw_string() -> None:
    data = {"a": 'say ""hi""', "b": "C:\\dir\\", "c": "'''", "d": "中文"}
    namespace: dict[str, object] = {}
    exec(f'DOCUMENT = r"""\n{openapi_json(data)}\n"""', namespace)
    assert json.loads(str(namespace["DOCUMENT"])) == data


def test_one_member_per_line_for_readable_diffs() -> None:
    text = openapi_json(yaml.safe_load(BASE_SPEC))
    assert text.splitlines()[1] == ' "openapi": "3.0.3",'


def test_values_json_cannot_carry_are_refused() -> None:
    with pytest.raises(TypeError):
        openapi_json({"when": object()})
