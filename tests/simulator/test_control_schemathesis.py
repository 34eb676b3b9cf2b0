"""schemathesis, a client other than ours, runs the control API's OpenAPI document against a
served simulator: valid and invalid requests for every control operation; no 5xx, every status
and body as documented, invalid requests rejected. Bounded like the services' run
(SIMULATOR_SCHEMATHESIS_EXAMPLES examples per operation and mode, default 3), derandomized.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pytest
import schemathesis
from schemathesis import GenerationMode

from dataarts.testing import FastClock, Simulator, SimulatorServer
from dataarts.testing.control_openapi import DOCUMENT
from tests.simulator.schemathesis_run import modes, run_cases

SCHEMA = schemathesis.openapi.from_dict(json.loads(json.dumps(DOCUMENT)))
OPERATIONS = [result.ok() for result in SCHEMA.get_all_operations()]


@pytest.fixture(scope="module")
def server() -> Iterator[SimulatorServer]:
    with Simulator(clock=FastClock()).serve() as running:
        yield running


@pytest.mark.parametrize(("operation", "mode"), modes(OPERATIONS))
def test_the_control_api_against_its_document(
    server: SimulatorServer, operation: Any, mode: GenerationMode
) -> None:
    assert run_cases(operation, mode, server.base_url) > 0
