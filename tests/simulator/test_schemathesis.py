"""schemathesis, a third-party contract tool, runs the project's specs against the simulator over
loopback HTTP: generated valid requests (and invalid ones, where a request can be invalid) for
every operation; no 5xx, every status documented, every body of the documented type and schema,
and invalid requests rejected. Bounded: SIMULATOR_SCHEMATHESIS_EXAMPLES examples per operation
and mode (default 3), derandomized so a run is reproducible.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import hypothesis
import pytest
import schemathesis
import yaml
from hypothesis import HealthCheck, Phase, given, settings
from schemathesis import GenerationMode
from schemathesis.checks import (
    content_type_conformance,
    negative_data_rejection,
    not_a_server_error,
    response_schema_conformance,
    status_code_conformance,
)

from dataarts.testing import Simulator, SimulatorServer

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = int(os.environ.get("SIMULATOR_SCHEMATHESIS_EXAMPLES", "3"))
CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance,
          response_schema_conformance]  # fmt: skip
# Left out on purpose: `ignored_auth` (the simulator accepts any token, by design) and
# `positive_data_acceptance` (valid requests for resources that do not exist get a 400).
# the C YAML loader and from_dict: a quarter of from_path's time at every collection
SCHEMAS = [
    schemathesis.openapi.from_dict(yaml.load(path.read_text(encoding="utf-8"), yaml.CSafeLoader))
    for path in sorted((ROOT / "spec").glob("*.yaml"))
]
OPERATIONS = [result.ok() for schema in SCHEMAS for result in schema.get_all_operations()]
HEADERS = {"X-Auth-Token": "schemathesis-token"}
RUNS = {"cases": 0}


@pytest.fixture(scope="module")
def server() -> Iterator[tuple[Simulator, SimulatorServer]]:
    sim = Simulator(check_responses=True)
    with sim.serve() as running:
        yield sim, running
    assert sim.problems == [], "\n".join(sim.problems)
    assert RUNS["cases"] >= len(OPERATIONS)
    print(f"\nschemathesis: {RUNS['cases']} requests over {len(MODES)} operation modes")


def negatable(operation: Any) -> bool:
    """Whether an invalid request can be made at all (a plain string path value cannot be)."""
    if operation.definition.raw.get("requestBody"):
        return True
    for param in operation.iter_parameters():
        schema = param.definition.get("schema") or {}
        plain = schema.get("type") == "string" and not (set(schema) - {"type", "example"})
        if param.location != "path" and param.is_required:
            return True
        if not plain:
            return True
    return False


MODES = [
    pytest.param(op, mode, id=f"{op.label} {mode.value}")
    for op in OPERATIONS
    for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE)
    if mode is GenerationMode.POSITIVE or negatable(op)
]


@pytest.mark.parametrize(("operation", "mode"), MODES)
def test_the_specs_against_the_simulator(
    server: tuple[Simulator, SimulatorServer], operation: Any, mode: GenerationMode
) -> None:
    _, running = server
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
        RUNS["cases"] += 1
        response = case.call(base_url=running.base_url, headers=HEADERS)
        case.validate_response(response, checks=checks)

    try:
        run()
    except hypothesis.errors.Unsatisfiable:
        pytest.skip("no invalid request of this operation can be generated")
