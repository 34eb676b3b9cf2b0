"""A program using the clients the way an application developer would; `mypy --strict` must pass."""

from __future__ import annotations

import asyncio

import httpx

from dataarts import (
    AkSkAuth,
    AsyncCdmClient,
    AsyncDlfClient,
    CdmClient,
    DlfClient,
    DocumentedError,
    LakeFormationClient,
    NotFoundError,
    RawResponse,
    with_raw_response,
)
from dataarts.cdm.models import (
    ConfigValues,
    CreateJobRequest,
    CreateJobResponse,
    Job,
    ShowJobStatusResponse,
    StartJobRequest,
)
from dataarts.dlf.error_codes import ERROR_CODES
from dataarts.dlf.models import ConnectionList, ScriptDetail


def migrate(cdm: CdmClient, cluster_id: str) -> int:
    job = Job(
        job_type="NORMAL_JOB",
        name="jdbc2hive",
        from_connector_name="generic-jdbc-connector",
        to_connector_name="hive-connector",
        from_link_name="mysql",
        to_link_name="hive",
        from_config_values=ConfigValues(configs=[]),
        to_config_values=ConfigValues(configs=[]),
        driver_config_values=ConfigValues(configs=[]),
    )
    created: CreateJobResponse = cdm.jobs.create(cluster_id=cluster_id, body=CreateJobRequest(jobs=[job]))
    print(created.name)
    cdm.jobs.start(cluster_id=cluster_id, job_name="jdbc2hive", body=StartJobRequest(variables={}))
    status: ShowJobStatusResponse = cdm.jobs.get_status(
        cluster_id=cluster_id, job_name="jdbc2hive", timeout=5.0, max_retries=1
    )
    progress = [s.progress for s in status.submissions or []]
    names = [j.name for j in cdm.jobs.iter_get(cluster_id=cluster_id, job_name="all", page_size=50)]
    raw: RawResponse[ShowJobStatusResponse] = with_raw_response(cdm.jobs.get_status)(
        cluster_id=cluster_id, job_name="jdbc2hive"
    )
    print(raw.status_code, raw.request_id, raw.parsed.submissions, progress)
    return len(names)


def develop(dlf: DlfClient) -> None:
    script: ScriptDetail = dlf.scripts.get(script_name="dws_sql")
    print(script.name, script.type)
    listed: ConnectionList = dlf.connections.list(limit=10)
    print(listed.total)
    try:
        dlf.jobs.start(job_name="job_batch")
    except NotFoundError as err:
        print(err.status_code, err.error_code, err.error_message, err.request_id)
        if err.documented is not None:  # the 7.4 table's entry for the code
            print(err.documented.description, err.documented.action)
    entry: DocumentedError = ERROR_CODES["DLF.0100"]
    print(entry.summary)
    size: int = dlf.jobs.export_to_file("job.zip", job_name="job_batch")
    data: bytes = dlf.jobs.export(job_name="job_batch")
    print(size, len(data))
    scoped = dlf.with_options(workspace="d1cd7861478748a6925bc02f47c69279", timeout=30.0)
    scoped.scripts.delete(script_name="old")


async def watch(cluster_id: str) -> None:
    async with AsyncCdmClient(region="ap-southeast-1", project_id="p", token="t") as cdm:
        status = await cdm.jobs.get_status(cluster_id=cluster_id, job_name="jdbc2hive")
        print(status.submissions)
        async for job in cdm.jobs.iter_get(cluster_id=cluster_id, job_name="all"):
            print(job.name)
    async with AsyncDlfClient(region="ap-southeast-1", project_id="p", token="t") as dlf:
        raw = await with_raw_response(dlf.scripts.get)(script_name="dws_sql")
        print(raw.parsed.name)


def main() -> None:
    auth = AkSkAuth("ak", "sk", project_id="p")
    with CdmClient(region="ap-southeast-1", project_id="p", auth=auth,
                   http_client=httpx.Client()) as cdm:
        migrate(cdm, "6ec9a0a4-76be-4262-8697-e7af1fac7920")
    develop(DlfClient(region="ap-southeast-1", project_id="p", token="t", workspace="w"))
    LakeFormationClient(endpoint="lakeformation.example", project_id="p", token="t").close()
    asyncio.run(watch("6ec9a0a4-76be-4262-8697-e7af1fac7920"))
