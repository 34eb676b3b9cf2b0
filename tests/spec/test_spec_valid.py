"""Each spec file is valid OpenAPI 3.0.3 on its own."""

from __future__ import annotations

import pytest
from openapi_spec_validator import validate

from tests.spec import fixturelib as fl


@pytest.mark.parametrize("service", fl.spec_services())
def test_spec_is_valid_openapi(service: str) -> None:
    spec = fl.load_spec(service)
    assert spec["openapi"] == "3.0.3"
    validate(spec)
