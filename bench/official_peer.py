"""The official Huawei Cloud SDK side of bench/client.py, run in its own virtualenv.

    .bench/official/bin/python bench/official_peer.py     (started by bench/client.py)

Its `requests` transport adapter is replaced by `CannedAdapter` (tools/conformance/adapter.py,
shared with the conformance judge), which answers every request
with the bodies our MockTransport serves (bench/canned.py): the SDK still builds, signs (AK/SK,
SDK-HMAC-SHA256) and sends each request through its requests.Session, and deserialises each
response into its models; only the network is gone. Commands, one per stdin line, each answered
by one stdout line:

    status N   N "query job status" calls; prints the seconds they took
    list       one 5,000-job ShowJobs call; prints its seconds
    check      one call of each; prints what was sent and parsed (a JSON object)
"""

from __future__ import annotations

import gc
import importlib.metadata
import json
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tools" / "conformance"))

import canned
import requests
from adapter import CannedAdapter, mount
from huaweicloudsdkcdm.v1 import (
    CdmClient,
    ShowJobsRequest,
    ShowJobStatusRequest,
)
from huaweicloudsdkcore.auth.credentials import BasicCredentials

STATUS_BODY = canned.status_body()
JOBS_BODY = canned.jobs_body()


def answer(request: requests.PreparedRequest) -> tuple[int, dict[str, str], bytes]:
    """The canned service's answer, as our MockTransport gives it (bench/canned.py)."""
    return (
        200,
        canned.JSON_HEADERS,
        canned.body_for(request.path_url.split("?")[0], STATUS_BODY, JOBS_BODY),
    )


def build_client() -> tuple[CdmClient, CannedAdapter]:
    credentials = BasicCredentials(canned.AK, canned.SK, canned.PROJECT_ID)
    client = (
        CdmClient.new_builder()
        .with_credentials(credentials)
        .with_endpoints([canned.ENDPOINT])
        .build()
    )
    adapter = CannedAdapter(answer)
    mount(client.get_http_client()._session, adapter)  # the seam: HttpClient's requests.Session
    return client, adapter


def main() -> None:
    client, adapter = build_client()

    def status() -> object:
        request = ShowJobStatusRequest(cluster_id=canned.CLUSTER_ID, job_name=canned.JOB_NAME)
        return client.show_job_status(request)

    def listing() -> object:
        return client.show_jobs(ShowJobsRequest(cluster_id=canned.CLUSTER_ID, job_name="all"))

    for line in sys.stdin:
        command, _, argument = line.strip().partition(" ")
        if command == "status":
            calls = int(argument)
            started = time.perf_counter()
            for _ in range(calls):
                status()
            print(time.perf_counter() - started, flush=True)
        elif command == "list":
            started = time.perf_counter()
            result = listing()
            elapsed = time.perf_counter() - started
            del result
            gc.collect()  # its garbage is freed outside the timed region, as on our side
            print(elapsed, flush=True)
        elif command == "check":
            parsed = status()
            sent = adapter.last
            jobs = listing().jobs
            report = {
                "status": parsed.submissions[0].status,
                "job_name": parsed.submissions[0].job_name,
                "authorization": (sent.headers.get("Authorization") or "")[:32] if sent else "",
                "jobs": len(jobs),
                "last_job": jobs[-1].name,
                "versions": {
                    name: importlib.metadata.version(name)
                    for name in ("huaweicloudsdkcore", "huaweicloudsdkcdm", "requests")
                },
            }
            print(json.dumps(report), flush=True)
        else:
            raise SystemExit(f"official_peer: unknown command {line!r}")


if __name__ == "__main__":
    main()
