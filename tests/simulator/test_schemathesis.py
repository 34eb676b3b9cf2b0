"""schemathesis, a third-party contract tool, runs the project's specs against the simulator over
loopback HTTP: generated valid requests (and invalid ones, where a request can be invalid) for
every operation; no 5xx, every status documented, every body of the documented type and schema,
and invalid requests rejected. Bounded: SIMULATOR_SCHEMATHESIS_EXAMPLES examples per operation
and mode (default 3), derandomized so a run is reproducible.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import schemathesis
import yaml
from schemathesis import GenerationMode

from dataarts.testing import Simulator, SimulatorServer
from tests.simulator.schemathesis_run import modes, run_cases

ROOT = Path(__file__).resolve().parents[2]
# the C YAML loader and from_dict: a quarter of from_path's time at every collection
SCHEMAS = [
    schemathesis.openapi.from_dict(yaml.load(path.read_text(encoding="utf-8"), yaml.CSafeLoader))
    for path in sorted((ROOT / "spec").glob("*.yaml"))
]
OPERATIONS = [result.ok() for schema in SCHEMAS for result in schema.get_all_operations()]
MODES = modes(OPERATIONS)
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


@pytest.mark.parametrize(("operation", "mode"), MODES)
def test_the_specs_against_the_simulator(
    server: tuple[Simulator, SimulatorServer], operation: Any, mode: GenerationMode
) -> None:
    _, running = server
    RUNS["cases"] += run_cases(operation, mode, running.base_url, HEADERS)
