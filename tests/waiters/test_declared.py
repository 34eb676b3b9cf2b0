"""The waiters the specs declare: the ones issue 12 asks for, with states traced to the documents.

Each waiter's success, failure and retry values are the documented values of its state field;
here they are also found on the line of the API reference (the copy in tests/fixtures) that
documents them.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any

import pytest

from generator.load import load_spec

ROOT = Path(__file__).resolve().parents[2]
REFERENCE = ROOT / "tests" / "fixtures" / "documents" / "003_b0b6b669bda851be.txt"
# (service, waiter, polled operation) -> the reference line listing the state values
DOCUMENTED_AT = {
    ("cdm", "normal", "ShowClusterDetail"): 3030,  # table 5-51, with 500 (restarting)
    ("cdm", "restarted", "ShowClusterDetail"): 3030,
    ("cdm", "deleted", "ShowClusterDetail"): 3030,
    ("cdm", "finished", "ShowJobStatus"): 6921,  # table 5-126
    ("dlf", "finished", "ShowJobInstance"): 15290,  # table 6-191
    ("dlf", "newest_finished", "ListJobInstances"): 15185,  # table 6-188
    ("dlf", "done", "ShowScriptInstance"): 12017,  # table 6-17
    ("dlf", "done", "ShowSystemTask"): 15425,  # table 6-195
}


@cache
def declared() -> list[tuple[str, dict[str, Any]]]:
    """The waiters the specs declare (read once: collection asks three times)."""
    found = []
    for name in ("cdm", "dlf"):
        spec = load_spec(ROOT / "spec" / f"{name}.yaml", ROOT)
        found += [(name, waiter) for waiter in spec.data["x-sdk-waiters"]]
    return found


def test_the_issue_s_waiters_are_declared() -> None:
    assert sorted((s, w["name"], w["operation"]) for s, w in declared()) == sorted(DOCUMENTED_AT)


@pytest.mark.parametrize(("service", "waiter"), declared(),
                         ids=[f"{s}-{w['operation']}-{w['name']}" for s, w in declared()])
def test_state_values_are_on_the_documenting_line(service: str, waiter: dict[str, Any]) -> None:
    line = REFERENCE.read_text(encoding="utf-8").splitlines()[
        DOCUMENTED_AT[service, waiter["name"], waiter["operation"]] - 1
    ]
    for key in ("success", "failure", "retry"):
        for value in waiter[key]:
            assert str(value) in line, (service, waiter["name"], value)


def test_the_cdm_job_waiter_fails_on_the_terminal_states_the_real_service_shows() -> None:
    # real-service notes (Terraform provider): FAILURE_ON_SUBMIT, FAILED and NEVER_EXECUTED fail
    (job,) = [w for s, w in declared() if (s, w["name"]) == ("cdm", "finished")]
    assert sorted(job["failure"]) == ["FAILED", "FAILURE_ON_SUBMIT", "NEVER_EXECUTED"]
    assert job["success"] == ["SUCCEEDED"] and job["progress"] == "/submissions/0/progress"


def test_deleted_counts_a_404_as_success() -> None:
    (gone,) = [w for s, w in declared() if (s, w["name"]) == ("cdm", "deleted")]
    assert gone["errors"] == [{"status": 404, "outcome": "success"}] and gone["success"] == []
