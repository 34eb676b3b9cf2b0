"""`python -m dataarts.testing demo`: a migration end to end, with the generated clients talking
to the simulator over HTTP on loopback. No account, no credentials, a few seconds.

CDM: a cluster, a MySQL link and an OBS link, a job between them, started, its progress printed
as it runs, then its history. DLF: a script executed, and a job started until its instance ends.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any, TextIO

from dataarts import CdmClient, DlfClient, to_config_values

from .clock import FastClock
from .simulator import Simulator

__all__ = ["run_demo"]

PROJECT = "0123456789abcdef0123456789abcdef"
POLL = 0.05  # real seconds between status queries
TIMEOUT = 30.0  # real seconds before the demo gives up waiting


def run_demo(out: TextIO, *, speed: float = 100.0) -> None:
    started = time.monotonic()
    sim = Simulator(clock=FastClock(speed))
    with sim.serve() as server:
        say = _printer(out)
        say(f"simulator at {server.base_url} (virtual time x{speed:g}); no credentials needed")
        options: dict[str, Any] = {"project_id": PROJECT, "base_url": server.base_url}
        with CdmClient(token="demo-token", language="en_us", **options) as cdm:
            _cdm(cdm, say)
        with DlfClient(token="demo-token", workspace="demo-workspace", **options) as dlf:
            _dlf(dlf, say)
    say(f"done in {time.monotonic() - started:.1f} s of real time")


def _printer(out: TextIO) -> Callable[[str], None]:
    def say(line: str) -> None:
        out.write(line + "\n")
        out.flush()

    return say


def _wait(what: str, check: Callable[[], bool]) -> None:
    deadline = time.monotonic() + TIMEOUT
    while not check():
        if time.monotonic() > deadline:
            raise TimeoutError(f"gave up waiting for {what}")
        time.sleep(POLL)


def _cdm(cdm: CdmClient, say: Callable[[str], None]) -> None:
    say("CDM")
    node = {
        "availability_zone": "ap-southeast-1a",
        "nics": [{"securityGroupId": "sg-demo", "net-id": "subnet-demo"}],
        "flavorRef": "a79fd5ae-1833-448a-88e8-3ea2b913e1f6",
        "type": "cdm",
    }
    created = cdm.clusters.create(
        body={"cluster": {"name": "cdm-demo", "instances": [node], "vpcId": "vpc-demo"}}
    )
    cluster_id = str(created.id)
    say(
        f"  cluster {created.name} ({cluster_id}): {cdm.clusters.get(cluster_id=cluster_id).status}"
    )
    _wait("the cluster", lambda: cdm.clusters.get(cluster_id=cluster_id).status == "200")
    say("  cluster status 200: normal")
    mysql = to_config_values(
        {
            "linkConfig.databaseType": "MYSQL",
            "linkConfig.host": "10.0.0.12",
            "linkConfig.port": 3306,
            "linkConfig.database": "sales",
            "linkConfig.username": "reader",
            "linkConfig.password": "not-a-real-password",
        }
    )
    obs = to_config_values(
        {
            "linkConfig.storageType": "OBS",
            "linkConfig.server": "obs.ap-southeast-1.myhuaweicloud.com",
            "linkConfig.port": 443,
            "linkConfig.accessKey": "DEMOACCESSKEY",
            "linkConfig.securityKey": "not-a-real-key",
        }
    )
    for name, connector, values in (
        ("mysql_link", "generic-jdbc-connector", mysql),
        ("obs_link", "obs-connector", obs),
    ):
        link = {"name": name, "connector-name": connector, "link-config-values": values}
        cdm.links.create(cluster_id=cluster_id, body={"links": [link]})
        say(f"  link {name} ({connector}) created")
    job = {
        "name": "mysql2obs",
        "job_type": "NORMAL_JOB",
        "from-connector-name": "generic-jdbc-connector",
        "from-link-name": "mysql_link",
        "to-connector-name": "obs-connector",
        "to-link-name": "obs_link",
        "from-config-values": to_config_values(
            {
                "fromJobConfig.useSql": False,
                "fromJobConfig.schemaName": "sales",
                "fromJobConfig.tableName": "orders",
            }
        ),
        "to-config-values": to_config_values(
            {
                "toJobConfig.bucketName": "demo-bucket",
                "toJobConfig.outputDirectory": "/orders/",
                "toJobConfig.outputFormat": "CSV_FILE",
            }
        ),
        "driver-config-values": to_config_values({"throttlingConfig.numExtractors": 2}),
    }
    cdm.jobs.create(cluster_id=cluster_id, body={"jobs": [job]})
    say("  job mysql2obs created (generic-jdbc-connector -> obs-connector)")
    started = cdm.jobs.start(cluster_id=cluster_id, job_name="mysql2obs")
    first = started.submissions[0] if started.submissions else None
    say(f"  started: submission {first.submission_id if first else '?'}")
    _follow(cdm, cluster_id, say)
    history = cdm.submissions.list(cluster_id=cluster_id, jname="mysql2obs")
    say(f"  history: {history.total} run(s)")
    for run in history.submissions or ():
        counter = (
            run.counters.org_apache_sqoop_submission_counter_sqoop_counters
            if run.counters
            else None
        )
        rows = (counter.rows_written if counter else None) or 0
        size = (counter.bytes_written if counter else None) or 0
        say(
            f"    submission {run.submission_id}: {run.status}, {rows:,} rows, {size:,} bytes written"
        )


def _follow(cdm: CdmClient, cluster_id: str, say: Callable[[str], None]) -> None:
    last = None
    deadline = time.monotonic() + TIMEOUT
    while True:
        status = cdm.jobs.get_status(cluster_id=cluster_id, job_name="mysql2obs")
        if not status.submissions:
            raise RuntimeError("the job has no run")
        run = status.submissions[0]
        line = f"    {run.status:<10} {run.progress or 0:5.1f}%  {run.write_rows or 0:>9,} rows"
        if line != last:
            say(line)
            last = line
        if run.status not in ("BOOTING", "RUNNING") or time.monotonic() > deadline:
            return
        time.sleep(POLL)


def _dlf(dlf: DlfClient, say: Callable[[str], None]) -> None:
    say("DLF")
    dlf.scripts.create(
        body={
            "name": "daily_orders",
            "type": "DLISQL",
            "content": "SELECT count(*) FROM orders;",
            "queueName": "default",
            "database": "sales",
        }
    )
    executed = dlf.scripts.execute(script_name="daily_orders", body={})
    instance_id = executed.instance_id
    say(f"  script daily_orders executed: instance {instance_id}")

    def script_done() -> bool:
        result = dlf.script_instances.get(script_name="daily_orders", instance_id=instance_id)
        return str(result.status) not in ("LAUNCHING", "RUNNING")

    _wait("the script", script_done)
    result = dlf.script_instances.get(script_name="daily_orders", instance_id=instance_id)
    say(f"  script instance {result.status}: {len(result.results or [])} result(s)")
    node = {
        "name": "count_orders",
        "type": "DLISQL",
        "location": {"x": 10, "y": 10},
        "properties": [{"name": "scriptName", "value": "daily_orders"}],
    }
    dlf.jobs.create(
        body={
            "name": "orders_job",
            "nodes": [node],
            "schedule": {"type": "EXECUTE_ONCE"},
            "processType": "BATCH",
        }
    )
    dlf.jobs.start(job_name="orders_job")
    say("  job orders_job created and started")

    def instance_status() -> str:
        page = dlf.job_instances.list(job_name="orders_job")
        return str(page.instances[0].status) if page.instances else "none"

    seen = None
    deadline = time.monotonic() + TIMEOUT
    while True:
        status = instance_status()
        if status != seen:
            say(f"    instance: {status}")
            seen = status
        if status in ("success", "fail", "manual-stop") or time.monotonic() > deadline:
            break
        time.sleep(POLL)
