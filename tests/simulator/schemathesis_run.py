"""One schemathesis run over an operation of an OpenAPI document against a running server, as
the services' and the control API's contract tests make it: SIMULATOR_SCHEMATHESIS_EXAMPLES
examples (default 3) per operation and mode, derandomized so a run is reproducible."""

from __future__ import annotations

import os
from collections.abc import Iterable
from typing import Any

import hypothesis
import pytest
from hypothesis import HealthCheck, Phase, given, settings
from schemathesis import GenerationMode
from schemathesis.checks import (
    content_type_conformance,
    negative_data_rejection,
    not_a_server_error,
    response_schema_conformance,
    status_code_conformance,
)

EXAMPLES = int(os.environ.get("SIMULATOR_SCHEMATHESIS_EXAMPLES", "3"))
# no 5xx, every status documented, every body of the documented type and schema; and invalid
# requests rejected. Left out on purpose: `ignored_auth` (the simulator accepts any token, by
# design) and `positive_data_acceptance` (valid requests for things that do not exist get a 400).
CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance,
          response_schema_conformance]  # fmt: skip


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


def modes(operations: Iterable[Any]) -> list[Any]:
    """Test parameters: every operation valid, and invalid where it can be."""
    return [
        pytest.param(op, mode, id=f"{op.label} {mode.value}")
        for op in operations
        for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE)
        if mode is GenerationMode.POSITIVE or negatable(op)
    ]


def run_cases(
    operation: Any, mode: GenerationMode, base_url: str, headers: dict[str, str] | None = None
) -> int:
    """Run the operation's generated cases against `base_url`; how many were sent."""
    checks = CHECKS + ([negative_data_rejection] if mode is GenerationMode.NEGATIVE else [])
    sent = [0]

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
        sent[0] += 1
        response = case.call(base_url=base_url, headers=headers)
        case.validate_response(response, checks=checks)

    try:
        run()
    except hypothesis.errors.Unsatisfiable:
        pytest.skip("no invalid request of this operation can be generated")
    return sent[0]
