"""The canned service both sides of bench/client.py talk to: the same bodies, the same names.

Standard library only: imported by bench/client.py (our package) and by bench/official_peer.py,
which runs in the official SDK's own virtualenv.
"""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "tests" / "fixtures" / "cdm"
REGION = "cn-north-4"
ENDPOINT = f"https://cdm.{REGION}.myhuaweicloud.com"
PROJECT_ID = "1551c7f6c808414d8e9f3c514a170f2e"
CLUSTER_ID = "6ec9a0a4-76be-4262-8697-e7af1fac7920"
JOB_NAME = "jdbc2hive"
AK = "HPUABENCHMARKAK0001"
SK = "benchmarkSecretKey0123456789abcdefghijkl"
LIST_JOBS = 5000
JSON_HEADERS = {"Content-Type": "application/json", "X-Request-Id": "0123456789abcdef"}


def fixture_body(name: str) -> Any:
    return json.loads((FIXTURES / name).read_text(encoding="utf-8"))["response"]["body"]


def status_body() -> bytes:
    return json.dumps(fixture_body("ShowJobStatus.200.json")).encode()


def jobs_body(count: int = LIST_JOBS) -> bytes:
    """The recorded ShowJobs job, `count` times with distinct names."""
    template = fixture_body("ShowJobs.200.json")
    job = template["jobs"][0]
    jobs = []
    for i in range(count):
        item = copy.deepcopy(job)
        item["name"] = f"{job['name']}_{i:05d}"
        jobs.append(item)
    return json.dumps({**template, "total": count, "jobs": jobs}).encode()


def body_for(path: str, status: bytes, jobs: bytes) -> bytes:
    """What the canned service answers for a request path: the same rule on both sides."""
    return status if path.endswith("/status") else jobs
