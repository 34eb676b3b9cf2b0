"""Golden case `variants`: one path and method, two methods, each with its own body and result."""

from __future__ import annotations

import json
import os

import httpx

import dataarts
from dataarts.variants import VariantsClient
from dataarts.variants.models import Job, StartJobRequest, StartJobResponse, StopJobRequest

assert dataarts.__file__.startswith(os.environ["GOLDEN_OUT"]), dataarts.__file__

sent: list[httpx.Request] = []


def handler(request: httpx.Request) -> httpx.Response:
    sent.append(request)
    if "start" in json.loads(request.content):
        return httpx.Response(200, json={"submission-id": 7, "job": {"id": "j1", "status": "RUNNING"}})
    return httpx.Response(200, json={"id": "j1", "status": "STOPPED"})


client = VariantsClient(project_id="p", token="t",
                        http_client=httpx.Client(transport=httpx.MockTransport(handler)))
started = client.jobs.start(job_id="j1", body=StartJobRequest(start={"variables": {"a": "1"}}))
stopped = client.jobs.stop(job_id="j1", body=StopJobRequest(stop={"force": True}))

assert [(r.method, r.url.path) for r in sent] == [("POST", "/v1/p/jobs/j1/action")] * 2
assert json.loads(sent[0].content) == {"start": {"variables": {"a": "1"}}}
assert json.loads(sent[1].content) == {"stop": {"force": True}}
assert isinstance(started, StartJobResponse) and started.submission_id == 7
assert started.job is not None and started.job.status == "RUNNING"
assert isinstance(stopped, Job) and stopped.status == "STOPPED"
assert "Deprecated" in (type(client.jobs).stop.__doc__ or "")
assert "Deprecated" not in (type(client.jobs).start.__doc__ or "")
print("ok")
