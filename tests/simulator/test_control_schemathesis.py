"""schemathesis, a client other than ours, runs the control API's OpenAPI document against a
served simulator: valid and invalid requests for every control operation; no 5xx, every status
and body as documented, invalid requests rejected. Bounded like the services' run
(SIMULATOR_SCHEMATHESIS_EXAMPLES examples per operation and mode, default 3), derandomized.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from typing import Any

import hypothesis
import pytest
import schemathesis
from hypothesis import HealthCheck, Phase, given, settings
from schemathesis import GenerationMode
from schemathesis.checks import (
    content_type_conformance,
    negative_data_rejection,
    not_a_server_error,
    response_schema_conformance,
    status_code_conformance,
)

from dataarts.testing import FastClock, Simulator, SimulatorServer
from dataarts.testing.control_openapi import DOCUMENT

EXAMPLES = int(os.environ.get("SIMULATOR_SCHEMATHESIS_EXAMPLES", "3"))
SCHEMA = schemathesis.openapi.from_dict(json.loads(json.dumps(DOCUMENT)))
OPERATIONS = [result.ok() for result in SCHEMA.get_all_operations()]
CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance,
          response_schema_conformance]  # fmt: skip


@pytest.fixture(scope="module")
def server() -> Iterator[SimulatorServer]:
    with Simulator(clock=FastClock()).serve() as running:
        yield running


def negatable(operation: Any) -> bool:
    """Whether an invalid request can be made at all (a control path has no parameters)."""
    return bool(operation.definition.raw.get("requestBody")) or any(
        param.location == "query" for param in operation.iter_parameters()
    )


MODES = [
    pytest.param(op, mode, id=f"{op.label} {mode.value}")
    for op in OPERATIONS
    for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE)
    if mode is GenerationMode.POSITIVE or negatable(op)
]


@pytest.mark.parametrize(("operation", "mode"), MODES)
def test_the_control_api_against_its_document(
    server: SimulatorServer, operation: Any, mode: GenerationMode
) -> None:
    checks = CHECKS + ([negative_data_rejection] if mode is GenerationMode.NEGATIVE else [])

    @settings(
        max_examples=EXAMPLES,
        deadline=None,
        derandomize=True,
        database=None,
        phases=[Phase.explicit, Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    @given(case=operation.as_strategy(generation_mode=mode))
    def run(case: Any) -> None:
        response = case.call(base_url=server.base_url)
        case.validate_response(response, checks=checks)

    try:
        run()
    except hypothesis.errors.Unsatisfiable:
        pytest.skip("no invalid request of this operation can be generated")
