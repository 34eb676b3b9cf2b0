"""`dataarts/<service>/_openapi.py`: the spec shipped as JSON text for the simulator."""

from __future__ import annotations

import ast
import importlib
import json

import pytest
import yaml

from generator.openapi_json import openapi_json
from tests.generator.conftest import BASE_SPEC, ROOT


def test_the_shipped_text_is_the_spec() -> None:
    for spec in sorted((ROOT / "spec").glob("*.yaml")):
        data = yaml.safe_load(spec.read_text(encoding="utf-8"))
        module = importlib.import_module(f"dataarts.{data['x-sdk-service']}._openapi")
        assert json.loads(module.DOCUMENT) == data, spec.name


def test_quotes_and_backslashes_survive_the_raw_string() -> None:
    data = {"a": 'say ""hi""', "b": "C:\\dir\\", "c": "'''", "d": "中文"}
    literal = ast.literal_eval(f'r"""\n{openapi_json(data)}\n"""')
    assert json.loads(literal) == data


def test_one_member_per_line_for_readable_diffs() -> None:
    text = openapi_json(yaml.safe_load(BASE_SPEC))
    assert text.splitlines()[1] == ' "openapi": "3.0.3",'


def test_values_json_cannot_carry_are_refused() -> None:
    with pytest.raises(TypeError):
        openapi_json({"when": object()})
