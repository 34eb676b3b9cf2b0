"""`python -m dataarts.testing demo`: a migration end to end, with the generated clients talking
to the simulator over HTTP on loopback. No account, no credentials, a few seconds.

CDM: a cluster, a MySQL link and an OBS link, a job between them, started, its progress printed
as it runs, then its history. DLF: a script executed, and a job started until its instance ends.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any, TextIO

from pydantic import SecretStr

from dataarts import CdmClient, DlfClient, WaitProgress
from dataarts.cdm import connectors
from dataarts.dlf import nodes

from .clock import FastClock
from .simulator import Simulator

__all__ = ["run_demo"]

PROJECT = "0123456789abcdef0123456789abcdef"
TIMEOUT = 3600.0  # virtual seconds before a waiter gives up (a run takes about 65)


def run_demo(out: TextIO, *, speed: float = 100.0) -> None:
    started = time.monotonic()
    sim = Simulator(clock=FastClock(speed))
    with sim.serve() as server:
        say = _printer(out)
        say(f"simulator at {server.base_url} (virtual time x{speed:g}); no credentials needed")
        options: dict[str, Any] = {"project_id": PROJECT, "base_url": server.base_url}
        with CdmClient(token="demo-token", **options) as cdm:
            _cdm(cdm, sim, say)
        with DlfClient(token="demo-token", workspace="demo-workspace", **options) as dlf:
            _dlf(dlf, sim, say)
    say(f"done in {time.monotonic() - started:.1f} s of real time")


def _printer(out: TextIO) -> Callable[[str], None]:
    def say(line: str) -> None:
        out.write(line + "\n")
        out.flush()

    return say


def _cdm(cdm: CdmClient, sim: Simulator, say: Callable[[str], None]) -> None:
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
    say(f"  cluster {created.name} ({cluster_id})")
    cdm.clusters.wait_until_normal(
        cluster_id=cluster_id, on_poll=_states(say, "cluster:"), **_virtual(sim)
    )
    say("  cluster status 200: normal")
    # Typed connector configurations (dataarts.cdm.connectors): no parameter name as a string.
    mysql = connectors.RelationalDatabaseLinkConfig(
        database_type="MYSQL",
        host="10.0.0.12",
        port="3306",
        database="sales",
        username="reader",
        password=SecretStr("not-a-real-password"),
        use_agent=False,
    )
    obs = connectors.ObsLinkConfig(
        storage_type="OBS",
        server="obs.ap-southeast-1.myhuaweicloud.com",
        port="443",
        access_key="DEMOACCESSKEY",
        security_key=SecretStr("not-a-real-key"),
    )
    for name, config in (("mysql_link", mysql), ("obs_link", obs)):
        link = connectors.new_link(config, name=name)
        cdm.links.create(cluster_id=cluster_id, body={"links": [link]})
        say(f"  link {name} ({link.connector_name}) created")
    job = connectors.new_job(
        name="mysql2obs",
        source=connectors.RelationalDatabaseSourceConfig(
            schema_name="sales", table_name="orders", use_sql=False
        ),
        destination=connectors.ObsDestinationConfig(
            bucket_name="demo-bucket", output_directory="/orders/", output_format="CSV_FILE"
        ),
        task=connectors.TaskConfig(num_extractors=2),
        from_link_name="mysql_link",
        to_link_name="obs_link",
    )
    cdm.jobs.create(cluster_id=cluster_id, body={"jobs": [job]})
    say(f"  job mysql2obs created ({job.from_connector_name} -> {job.to_connector_name})")
    started = cdm.jobs.start(cluster_id=cluster_id, job_name="mysql2obs")
    first = started.submissions[0] if started.submissions else None
    if first is not None:
        say(f"  started: submission {first.submission_id}, {first.status}")
    cdm.jobs.wait_until_finished(
        cluster_id=cluster_id,
        job_name="mysql2obs",
        on_poll=_runs(say),
        delay=3.0,  # finer than the waiter's default pace, to show the progress
        max_delay=6.0,
        **_virtual(sim),
    )
    history = cdm.submissions.list(cluster_id=cluster_id, job_name="mysql2obs")
    say(f"  history: {history.total} run(s)")
    for run in history.submissions or ():
        counter = run.counters.sqoop_counters if run.counters else None
        rows = (counter.rows_written if counter else None) or 0
        size = (counter.bytes_written if counter else None) or 0
        say(
            f"    submission {run.submission_id}: {run.status}, {rows:,} rows, {size:,} bytes written"
        )


def _dlf(dlf: DlfClient, sim: Simulator, say: Callable[[str], None]) -> None:
    say("DLF")
    dlf.scripts.create(
        body={
            "name": "daily_orders",
            "type": "DLISQL",
            "content": "SELECT count(*) FROM orders;",
            "queueName": "default",
            "connectionName": "dli",
            "database": "sales",
        }
    )
    executed = dlf.scripts.execute(script_name="daily_orders", body={})
    instance_id = str(executed.instance_id)
    say(f"  script daily_orders executed: instance {instance_id}")
    result = dlf.script_instances.wait_until_done(
        script_name="daily_orders", instance_id=instance_id, **_virtual(sim)
    )
    say(f"  script instance {result.status}: {len(result.result or [])} result(s)")
    # A typed node builder (dataarts.dlf.nodes) for the job's one node.
    count = nodes.new_node(
        nodes.DlisqlNode(script_name="daily_orders"),
        name="count_orders",
        location={"x": 10, "y": 10},
    )
    dlf.jobs.create(
        body={
            "name": "orders_job",
            "nodes": [count],
            "schedule": {"type": "EXECUTE_ONCE"},
            "processType": "BATCH",
        }
    )
    dlf.jobs.start(job_name="orders_job")
    say("  job orders_job created and started")
    page = dlf.job_instances.list(job_name="orders_job")
    if not page.instances:
        raise RuntimeError("the started job has no instance")
    dlf.job_instances.wait_until_finished(
        job_name="orders_job",
        instance_id=int(page.instances[0].instance_id or 0),
        on_poll=_states(say, "instance:"),
        **_virtual(sim),
    )


def _virtual(sim: Simulator) -> dict[str, Any]:
    """Waiters pause on the simulator's clock: virtual seconds, a fraction of them real."""
    return {"sleep": sim.clock.sleep, "clock": sim.clock.now, "timeout": TIMEOUT}


def _states(say: Callable[[str], None], label: str) -> Callable[[WaitProgress[Any]], None]:
    """An `on_poll` callback printing each new state once."""
    seen: list[str | None] = []

    def on_poll(progress: WaitProgress[Any]) -> None:
        if not seen or seen[-1] != progress.state:
            seen.append(progress.state)
            say(f"    {label} {progress.state}")

    return on_poll


def _runs(say: Callable[[str], None]) -> Callable[[WaitProgress[Any]], None]:
    """An `on_poll` callback printing a job run's status, progress and rows as they change."""
    last: list[str] = []

    def on_poll(progress: WaitProgress[Any]) -> None:
        runs = progress.result.submissions if progress.result is not None else None
        rows = (runs[0].write_rows if runs else None) or 0
        line = f"    {progress.state or '?':<10} {progress.progress or 0:5.1f}%  {rows:>9,} rows"
        if not last or last[-1] != line:
            last.append(line)
            say(line)

    return on_poll
