"""The official Huawei Cloud SDK side of bench/client.py, run in its own virtualenv.

    .bench/official/bin/python bench/official_peer.py     (started by bench/client.py)

Its `requests` transport adapter is replaced by `CannedAdapter`, which answers every request
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

import canned
import requests
from huaweicloudsdkcdm.v1 import (
    CdmClient,
    ShowJobsRequest,
    ShowJobStatusRequest,
)
from huaweicloudsdkcore.auth.credentials import BasicCredentials
from requests.adapters import BaseAdapter
from requests.structures import CaseInsensitiveDict

STATUS_BODY = canned.status_body()
JOBS_BODY = canned.jobs_body()


class CannedAdapter(BaseAdapter):
    """A requests transport adapter answering from memory, as httpx.MockTransport does for us."""

    def __init__(self) -> None:
        super().__init__()
        self.last: requests.PreparedRequest | None = None

    def send(  # type: ignore[override]
        self, request: requests.PreparedRequest, stream: bool = False, **kwargs: object
    ) -> requests.Response:
        self.last = request
        response = requests.Response()
        response.status_code = 200
        response.reason = "OK"
        response.headers = CaseInsensitiveDict(canned.JSON_HEADERS)
        response._content = canned.body_for(request.path_url.split("?")[0], STATUS_BODY, JOBS_BODY)
        response.encoding = "utf-8"
        response.url = request.url or ""
        response.request = request
        return response

    def close(self) -> None:
        pass


def build_client() -> tuple[CdmClient, CannedAdapter]:
    credentials = BasicCredentials(canned.AK, canned.SK, canned.PROJECT_ID)
    client = CdmClient.new_builder().with_credentials(credentials).with_endpoints(
        [canned.ENDPOINT]
    ).build()
    adapter = CannedAdapter()
    session = client.get_http_client()._session  # the seam: HttpClient's requests.Session
    session.mount("https://", adapter)
    session.mount("http://", adapter)
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
