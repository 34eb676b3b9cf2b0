"""The issue's end-to-end test: the real `dataarts` command line, in subprocesses, against the
simulator over loopback HTTP (its FastClock makes a migration take a fraction of a second).

A cluster is created and waited for, links and a job are created from JSON files, the job is
started with --wait, its status read as JSON, and errors exit non-zero with the code on stderr.
"""

from __future__ import annotations

import email.utils
import json
import os
import pty
import re
import shlex
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from dataarts.testing import FastClock, ManualClock, Simulator, SimulatorServer, Timings
from tests.cli.conftest import BODIES, PROJECT, cli_env, dataarts, one_error_line
from tests.waiters.conftest import JOB, SCRIPT

POLL = ("--poll-interval", "0.02")  # real seconds; the waiters' own pace is for the real service


@pytest.fixture(scope="module")
def sim() -> Simulator:
    return Simulator(clock=FastClock(speed=1000))


@pytest.fixture(scope="module")
def server(sim: Simulator) -> Iterator[SimulatorServer]:
    with sim.serve() as running:
        yield running


@pytest.fixture(scope="module")
def cli(server: SimulatorServer) -> Any:
    def run(*args: str, stdin: str | None = None) -> Any:
        return dataarts("--base-url", server.base_url, "--project-id", PROJECT,
                        "--workspace", "ws", *args, stdin=stdin)
    return run


@pytest.fixture(scope="module")
def cluster_id(cli: Any) -> str:
    created = cli("cdm", "clusters", "create", "--body", "@cluster.json", "--wait", *POLL)
    assert created.returncode == 0, created.stderr
    cluster = json.loads(created.stdout)  # --wait prints the waited-for cluster
    assert cluster["status"] == "200" and cluster["statusDetail"]
    # the state, as the documents name it, as a plain line on stderr
    assert "cdm clusters create: normal" in created.stderr
    return str(cluster["id"])


@pytest.fixture(scope="module")
def job(cli: Any, cluster_id: str) -> str:
    mysql = cli("cdm", "links", "create", "--cluster-id", cluster_id, "--body", "@mysql_link.json")
    assert mysql.returncode == 0, mysql.stderr
    obs = cli("cdm", "links", "create", "--cluster-id", cluster_id, "--body", "-",
              stdin=(BODIES / "obs_link.json").read_text(encoding="utf-8"))
    assert obs.returncode == 0, obs.stderr
    created = cli("cdm", "jobs", "create", "--cluster-id", cluster_id, "--body", "@job.json")
    assert created.returncode == 0, created.stderr
    assert json.loads(created.stdout)["name"] == "mysql2obs"
    return "mysql2obs"


def test_start_wait_then_status_as_json(cli: Any, cluster_id: str, job: str) -> None:
    started = cli("cdm", "jobs", "start", "--cluster-id", cluster_id, "--job-name", job,
                  "--wait", *POLL)
    assert started.returncode == 0, started.stderr
    final = json.loads(started.stdout)["submissions"][0]
    assert (final["status"], final["progress"]) == ("SUCCEEDED", 100)
    assert "cdm jobs start: succeeded 100%" in started.stderr

    status = cli("cdm", "jobs", "get-status", "--cluster-id", cluster_id, "--job-name", job,
                 "-o", "json")
    assert status.returncode == 0, status.stderr
    run = json.loads(status.stdout)["submissions"][0]
    assert run["status"] == "SUCCEEDED"
    assert run["job-name"] == job and "creation-date" in run  # wire names, not Python names


def test_an_error_exits_non_zero_with_its_code_on_stderr(cli: Any, cluster_id: str) -> None:
    missing = cli("cdm", "jobs", "get-status", "--cluster-id", cluster_id, "--job-name", "nope")
    assert missing.returncode == 1 and missing.stdout == ""
    line = one_error_line(missing)
    assert "HTTP 400" in line and "Cdm.0100" in line and "nope" in line and "request id" in line


def test_a_failed_run_exits_3_naming_the_state(
    cli: Any, sim: Simulator, cluster_id: str, job: str
) -> None:
    sim.cdm.fail_next_run(job, "Disk full on the destination.")
    failed = cli("cdm", "jobs", "start", "--cluster-id", cluster_id, "--job-name", job,
                 "--wait", *POLL)
    assert failed.returncode == 3
    line = one_error_line(failed)
    assert "FAILED" in line and "Disk full on the destination." in line
    # the progress names the state as the documents do; CDM's -1 for a failed run is no progress
    assert "cdm jobs start: failed (" in failed.stderr and "-1%" not in failed.stderr


def test_a_wait_that_times_out_exits_4_naming_the_last_state() -> None:
    clock = ManualClock()  # time stands still on this server until the test moves it
    with Simulator(clock=clock).serve() as frozen:
        settings = ("--base-url", frozen.base_url, "--project-id", PROJECT)
        created = dataarts(*settings, "cdm", "clusters", "create", "--body", "@cluster.json")
        assert created.returncode == 0, created.stderr
        new_id = json.loads(created.stdout)["id"]
        waited = dataarts(*settings, "cdm", "clusters", "wait", "--cluster-id", new_id,
                          "--timeout", "0")
        assert waited.returncode == 4
        assert "last seen: state 100" in one_error_line(waited)
        clock.advance(60)  # the simulator's cluster creation time
        normal = dataarts(*settings, "cdm", "clusters", "wait", "--cluster-id", new_id,
                          "-o", "table")
    assert normal.returncode == 0, normal.stderr
    assert "status" in normal.stdout and "200" in normal.stdout  # one resource: field and value


def test_delete_wait_and_wait_until_deleted(cli: Any) -> None:
    created = cli("cdm", "clusters", "create", "--body", "@cluster.json", "--wait", *POLL)
    gone_id = json.loads(created.stdout)["id"]
    deleted = cli("cdm", "clusters", "delete", "--cluster-id", gone_id,
                  "--body", '{"keep_last_manual_backup": 0}', "--wait", *POLL)
    assert deleted.returncode == 0, deleted.stderr
    assert "jobId" in json.loads(deleted.stdout)  # nothing left to show: the delete's answer
    again = cli("cdm", "clusters", "wait", "--until", "deleted", "--cluster-id", gone_id)
    assert again.returncode == 0 and again.stdout == ""
    normal = cli("cdm", "clusters", "wait", "--cluster-id", gone_id)
    assert normal.returncode == 1 and "HTTP 404" in one_error_line(normal)


def test_dlf_run_and_execute_wait(cli: Any) -> None:
    job = {**JOB, "name": "cli_job"}
    assert cli("dlf", "jobs", "create", "--body", json.dumps(job)).returncode == 0
    ran = cli("dlf", "jobs", "run-immediately", "--job-name", "cli_job", "--wait", *POLL)
    assert ran.returncode == 0, ran.stderr
    instance = json.loads(ran.stdout)
    assert (instance["jobName"], instance["status"]) == ("cli_job", "success")

    assert cli("dlf", "scripts", "create", "--body", json.dumps(SCRIPT)).returncode == 0
    executed = cli("dlf", "scripts", "execute", "--script-name", SCRIPT["name"], "--body", "{}",
                   "--wait", *POLL)
    assert executed.returncode == 0, executed.stderr
    assert json.loads(executed.stdout)["status"] == "FINISHED"


def test_downloads_and_every_page(cli: Any, tmp_path: Path) -> None:
    for name in ("export_me", "page_two"):
        assert cli("dlf", "jobs", "create", "--body", json.dumps({**JOB, "name": name})).returncode == 0
    target = tmp_path / "job.zip"
    exported = cli("dlf", "jobs", "export", "--job-name", "export_me", "--out-file", str(target))
    assert exported.returncode == 0 and exported.stdout == ""
    assert target.read_bytes().startswith(b"PK")  # a zip
    listed = cli("dlf", "jobs", "list", "--all", "--limit", "1")  # one job a page
    assert listed.returncode == 0, listed.stderr
    names = [item["name"] for item in json.loads(listed.stdout)]
    assert {"export_me", "page_two"} <= set(names) and len(names) == len(set(names))


def test_dry_run_sends_nothing_and_hides_secrets(cli: Any, sim: Simulator, cluster_id: str) -> None:
    before = len(sim.calls)
    shown = cli("cdm", "links", "create", "--cluster-id", cluster_id, "--body", "@mysql_link.json",
                "--dry-run")
    assert shown.returncode == 0, shown.stderr
    assert len(sim.calls) == before
    request = json.loads(shown.stdout)
    assert request["method"] == "POST" and request["url"].endswith(f"/clusters/{cluster_id}/cdm/link")
    assert request["headers"]["X-Auth-Token"] == "<redacted>"
    inputs = request["body"]["links"][0]["link-config-values"]["configs"][0]["inputs"]
    assert {"name": "linkConfig.password", "value": "<redacted>"} in inputs
    assert "not-a-real-password" not in shown.stdout and "token" not in shown.stdout.replace(
        "X-Auth-Token", "")


def test_start_wait_shows_each_state_as_it_changes() -> None:
    """On a frozen clock the test moves the run along as the command polls: one plain line per
    state and progress change (standard error is not a terminal)."""
    with _frozen_normal_cluster() as (sim, clock, settings, cluster_id):
        for args in (("links", "create", "--body", "@mysql_link.json"),
                     ("links", "create", "--body", "@obs_link.json"),
                     ("jobs", "create", "--body", "@job.json")):
            assert dataarts(*settings, "cdm", *args, "--cluster-id", cluster_id).returncode == 0
        with _running(*settings, "cdm", "jobs", "start", "--cluster-id", cluster_id,
                      "--job-name", "mysql2obs", "--wait", *POLL) as running:
            for seconds in (0, 5, 30):  # booting; then running; half way
                wanted = len(sim.calls_to("ShowJobStatus")) + 2  # a poll before, one after
                clock.advance(seconds)
                _until(lambda wanted=wanted: len(sim.calls_to("ShowJobStatus")) >= wanted)
            clock.advance(30)  # done
            out, err = running.communicate(timeout=60)
    assert running.returncode == 0, err
    # a line per change, though it polled several times in each state
    assert _states(err) == ["starting 0%", "running 0%", "running 50%", "succeeded 100%"]
    assert json.loads(out)["submissions"][0]["status"] == "SUCCEEDED"


@contextmanager
def _frozen_normal_cluster() -> Iterator[tuple[Simulator, ManualClock, tuple[str, ...], str]]:
    """A simulator on a ManualClock, serving a normal cluster: (sim, clock, settings, its ID)."""
    clock = ManualClock()
    sim = Simulator(clock=clock)
    with sim.serve() as frozen:
        settings = ("--base-url", frozen.base_url, "--project-id", PROJECT)
        created = dataarts(*settings, "cdm", "clusters", "create", "--body", "@cluster.json")
        clock.advance(60)
        yield sim, clock, settings, json.loads(created.stdout)["id"]


@contextmanager
def _instant_dlf_job(name: str) -> Iterator[tuple[Simulator, ManualClock, tuple[str, ...]]]:
    """A simulator on a ManualClock whose job instances take no time, serving the DLF job
    `name`: (sim, clock, settings). An instance has ended before anyone can poll it."""
    clock = ManualClock()
    sim = Simulator(clock=clock, timings=Timings(instance_wait=0, instance_run=0))
    with sim.serve() as frozen:
        settings = ("--base-url", frozen.base_url, "--project-id", PROJECT, "--workspace", "ws")
        created = dataarts(*settings, "dlf", "jobs", "create", "--body",
                           json.dumps({**JOB, "name": name}))
        assert created.returncode == 0, created.stderr
        yield sim, clock, settings


def _running(*args: str) -> subprocess.Popen[str]:
    """`dataarts ARGS` started, its output piped, for the test to move the clock meanwhile."""
    return subprocess.Popen([sys.executable, "-m", "dataarts", *args], cwd=BODIES, text=True,
                            env=cli_env(CLOUD_SDK_TOKEN="t"), stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE)


def _states(err: str) -> list[str]:
    """The states of the plain progress lines (`cdm jobs start: running 45% (30 s)`)."""
    return [line.split(": ", 1)[1].rsplit(" (", 1)[0] for line in err.splitlines()]


def _until(condition: Callable[[], bool], timeout: float = 30) -> None:
    """Block until `condition()` holds (the command line polls in real time)."""
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "the command stopped polling"
        time.sleep(0.01)


def test_tables_for_people(server: SimulatorServer, cluster_id: str, job: str) -> None:
    """A list of one cluster is a row; flavors are named; times are local; JSON keeps the wire."""
    shanghai = cli_env(CLOUD_SDK_TOKEN="t", TZ="Asia/Shanghai")
    settings = ("--base-url", server.base_url, "--project-id", PROJECT)

    def table(*args: str) -> list[str]:
        result = dataarts(*settings, *args, "-o", "table", env=shanghai)
        assert result.returncode == 0, result.stderr
        return result.stdout.splitlines()

    clusters = table("cdm", "clusters", "list", "--query", "{clusters: clusters[?id=='"
                     + cluster_id + "']}")
    assert {"name", "status", "created"} <= set(clusters[0].split()) and len(clusters) == 3
    assert cluster_id in clusters[2]
    versions = table("cdm", "flavors", "list", "--datastore-id", "cdm")
    assert versions[0].split() == ["id", "name", "flavors"]
    assert versions[2].endswith("2: cdm.medium, cdm.large")
    wire = json.loads(dataarts(*settings, "cdm", "jobs", "get", "--cluster-id", cluster_id,
                               "--job-name", job).stdout)["jobs"][0]
    fields = dict(line.split(None, 1) for line in table(
        "cdm", "jobs", "get", "--cluster-id", cluster_id, "--job-name", job, "--query", "jobs[0]"
    )[2:] if " " in line)
    assert isinstance(wire["creation-date"], int)  # -o json: the wire's milliseconds
    local = datetime.fromtimestamp(wire["creation-date"] / 1000, ZoneInfo("Asia/Shanghai"))
    assert fields["creation-date"] == local.isoformat(timespec="milliseconds" if
                                                      wire["creation-date"] % 1000 else "seconds")
    assert fields["creation-date"].endswith("+08:00")
    assert fields["toJobConfig.outputDirectory"] == "/orders/"  # flat, decoded


def test_query_filters_the_output(cli: Any, cluster_id: str) -> None:
    names = cli("--query", "clusters[].id", "cdm", "clusters", "list")
    assert names.returncode == 0, names.stderr
    assert cluster_id in json.loads(names.stdout)


def test_debug_logs_each_request_with_secrets_redacted(server: SimulatorServer) -> None:
    result = dataarts("cdm", "clusters", "list", "--debug", "--base-url", server.base_url,
                      "--project-id", PROJECT, env=cli_env(CLOUD_SDK_TOKEN="secret-token-value"))
    assert result.returncode == 0, result.stderr
    (line,) = [line for line in result.stderr.splitlines() if line.startswith("dataarts: debug:")]
    assert re.search(
        rf"GET {re.escape(server.base_url)}/v1.1/{PROJECT}/clusters -> 200 \(\d+ ms, attempt 1, "
        r"request id [0-9a-f]{32}\)", line
    ), line
    assert "'x-auth-token': '<redacted>'" in line and "secret-token-value" not in result.stderr
    quiet = dataarts("cdm", "clusters", "list", "--base-url", server.base_url, "--project-id",
                     PROJECT)
    assert quiet.stderr == ""


def test_global_options_after_the_command(server: SimulatorServer) -> None:
    listed = dataarts("cdm", "clusters", "list", "--base-url", server.base_url, "--project-id",
                      PROJECT, "--query", "length(clusters)")
    assert listed.returncode == 0, listed.stderr
    assert isinstance(json.loads(listed.stdout), int)


def test_a_download_is_not_written_to_a_terminal(server: SimulatorServer, tmp_path: Path) -> None:
    settings = ("--base-url", server.base_url, "--project-id", PROJECT, "--workspace", "ws")
    assert dataarts(*settings, "dlf", "jobs", "create", "--body",
                    json.dumps({**JOB, "name": "to_a_tty"})).returncode == 0
    command = [sys.executable, "-m", "dataarts", *settings, "dlf", "jobs", "export",
               "--job-name", "to_a_tty"]
    main, terminal = pty.openpty()
    try:
        done = subprocess.run(command, stdout=terminal, stderr=subprocess.PIPE, text=True,
                              env=cli_env(CLOUD_SDK_TOKEN="t"), timeout=60, check=False)
    finally:
        os.close(terminal)
        os.close(main)
    assert done.returncode == 2
    assert "answers with a file, which a terminal cannot show: give --out-file FILE" in done.stderr
    target = tmp_path / "jobs.zip"
    saved = dataarts(*settings, "dlf", "jobs", "export", "--job-name", "to_a_tty", "--out-file",
                     str(target))
    assert saved.returncode == 0 and target.read_bytes().startswith(b"PK")


def test_ctrl_c_while_waiting_exits_130_and_says_how_to_resume() -> None:
    """A real SIGINT to the command while it polls a cluster that is still being created."""
    clock = ManualClock()
    sim = Simulator(clock=clock)
    with sim.serve() as frozen:
        settings = ["--base-url", frozen.base_url, "--project-id", PROJECT]
        command = [sys.executable, "-m", "dataarts", *settings, "cdm", "clusters", "create",
                   "--body", "@cluster.json", "--wait", *POLL]
        with _sigint_default(), subprocess.Popen(
            command, cwd=BODIES, env=cli_env(CLOUD_SDK_TOKEN="t"), text=True,
            stdout=subprocess.PIPE, stderr=subprocess.PIPE,
        ) as running:
            _until(lambda: len(sim.calls_to("ShowClusterDetail")) >= 2)  # waiting
            running.send_signal(signal.SIGINT)
            out, err = running.communicate(timeout=60)
        assert running.returncode == 130, err
        assert "Aborted!" not in err and "Traceback" not in err and out == ""
        assert "interrupted: stopped waiting; the work goes on in the service" in err
        resume = shlex.split(err.strip().splitlines()[-1])
        listed = dataarts(*settings, "--query", "clusters[].id", "cdm", "clusters", "list")
        (cluster_id,) = json.loads(listed.stdout)
        assert resume == ["dataarts", *settings, "cdm", "clusters", "wait", "--cluster-id",
                          cluster_id, *POLL]
        clock.advance(60)
        resumed = dataarts(*resume[1:])  # the line, pasted
    assert resumed.returncode == 0, resumed.stderr
    assert json.loads(resumed.stdout)["status"] == "200"


@contextmanager
def _sigint_default() -> Iterator[None]:
    """A child started now gets SIGINT's default disposition: Python turns the signal into
    KeyboardInterrupt unless it starts with it ignored, as a test runner's worker may have it
    (a handler set here is reset in the child; only an ignored signal is inherited)."""
    previous = signal.signal(signal.SIGINT, signal.default_int_handler)
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, previous)


def test_waiting_on_a_fast_simulator_takes_its_simulated_time_divided_by_its_speed() -> None:
    """`serve --speed 100`: a cluster is ready after 60 simulated seconds, 0.6 s. The waiter's
    own pace (every 20 s, the real service's) is divided by the speed the simulator reports, so
    the wait polls about every 0.2 s and ends soon after 0.6 s (it took 20 s before)."""
    command = [sys.executable, "-m", "dataarts.testing", "serve", "--speed", "100"]
    with subprocess.Popen(command, stdout=subprocess.PIPE, text=True, env=cli_env()) as server:
        try:
            assert server.stdout is not None
            base_url = server.stdout.readline().split()[-1]  # "... listening on URL"
            began = time.monotonic()
            created = dataarts("--base-url", base_url, "--project-id", PROJECT, "--debug",
                               "cdm", "clusters", "create", "--body", "@cluster.json", "--wait")
            took = time.monotonic() - began
        finally:
            server.terminate()
    assert created.returncode == 0, created.stderr
    cluster_id = json.loads(created.stdout)["id"]
    polls = [line for line in created.stderr.splitlines()
             if f"GET {base_url}/v1.1/{PROJECT}/clusters/{cluster_id} -> 200" in line]
    assert 3 <= len(polls) <= 10, polls  # 0, 0.2, 0.4, 0.6 s (+ a late one on a loaded machine)
    assert took < 10, took  # generous: 0.6 s and two interpreters starting; 20 s before


def test_a_job_that_deletes_itself_after_success_waits_as_a_success() -> None:
    """Its run takes 65 simulated seconds (0.65 s at speed 100), then the job is gone: the
    wait, which saw `isDeleteJob` true, ends as a success rather than on Cdm.0100."""
    with Simulator(clock=FastClock(speed=100)).serve() as server:
        settings = ("--base-url", server.base_url, "--project-id", PROJECT)
        created = dataarts(*settings, "cdm", "clusters", "create", "--body", "@cluster.json",
                           "--wait")
        cluster_id = json.loads(created.stdout)["id"]
        for link in ("@mysql_link.json", "@obs_link.json"):
            assert dataarts(*settings, "cdm", "links", "create", "--cluster-id", cluster_id,
                            "--body", link).returncode == 0
        body = json.loads((BODIES / "job.json").read_text(encoding="utf-8"))
        body["jobs"][0]["driver-config-values"]["configs"].append({
            "name": "schedulerConfig",
            "inputs": [{"name": "schedulerConfig.disposableType",
                        "value": "DELETE_AFTER_SUCCEED"}]})
        job = ("--cluster-id", cluster_id, "--job-name", "mysql2obs")
        assert dataarts(*settings, "cdm", "jobs", "create", "--cluster-id", cluster_id, "--body",
                        json.dumps(body)).returncode == 0
        started = dataarts(*settings, "cdm", "jobs", "start", *job, "--wait")
        gone = dataarts(*settings, "cdm", "jobs", "get-status", *job)
    assert started.returncode == 0, started.stderr
    assert json.loads(started.stdout)["submissions"][0]["isDeleteJob"] is True
    assert gone.returncode == 1 and "Cdm.0100" in one_error_line(gone)


@pytest.mark.parametrize("fails", [False, True], ids=["succeeds", "fails"])
def test_dlf_start_wait_follows_the_instance_the_start_created(fails: bool) -> None:
    """Deterministic: on a ManualClock whose instances take no time, the start's instance has
    ended before the first poll, so it is never seen under way; the start answer's Date (the
    server's clock) tells it from the earlier run all the same, at the first poll."""
    with _instant_dlf_job("started_job") as (sim, clock, settings):
        earlier = json.loads(dataarts(*settings, "dlf", "jobs", "run-immediately",
                                      "--job-name", "started_job").stdout)["instanceId"]
        clock.advance(600)
        if fails:
            sim.dlf.fail_next_run("started_job")
        # without the Date rule this waited out --wait-timeout (exit 4): no poll saw it under way
        started = dataarts(*settings, "dlf", "jobs", "start", "--job-name", "started_job",
                           "--wait", "--wait-timeout", "20", *POLL)
    assert started.returncode == (3 if fails else 0), started.stderr
    assert len(sim.calls_to("ListJobInstances")) == 1
    if fails:
        assert "failed in state fail (failed)" in started.stderr
        return
    (newest, *_) = json.loads(started.stdout)["instances"]
    assert (newest["jobName"], newest["status"]) == ("started_job", "success")
    assert newest["instancesId"] != earlier
    assert "dlf jobs start: succeeded" in started.stderr


def test_restart_wait_sees_the_restart_through_its_delay() -> None:
    """The cluster stays normal for the restart's delay: the command keeps waiting through
    that 200, through the restart (500, REBOOTING), and ends on the 200 after it."""
    restart = {"restart": {"restartDelayTime": 100, "restartLevel": "SERVICE", "type": "cdm",
                           "instance": "", "group": ""}}
    with _frozen_normal_cluster() as (sim, clock, settings, cluster_id), _running(
        *settings, "cdm", "clusters", "restart", "--cluster-id", cluster_id,
        "--body", json.dumps(restart), "--wait", *POLL,
    ) as running:
        for seconds in (0, 100):  # normal through the delay; then restarting
            wanted = len(sim.calls_to("ShowClusterDetail")) + 3
            clock.advance(seconds)
            _until(lambda wanted=wanted: len(sim.calls_to("ShowClusterDetail")) >= wanted)
            assert running.poll() is None  # still waiting
        clock.advance(20)  # restarted
        out, err = running.communicate(timeout=60)
    assert running.returncode == 0, err
    assert _states(err) == ["normal", "restarting, REBOOTING", "normal"]
    assert json.loads(out)["status"] == "200"


def test_dlf_wait_newest_finished_takes_the_starts_time() -> None:
    """`wait --until newest-finished --not-before DATE` later: the same rule as `start --wait`;
    a value that is no time, or a waiter without the rule, is a usage error (exit 2)."""
    with _instant_dlf_job("later_job") as (_, clock, settings):
        started = dataarts(*settings, "dlf", "jobs", "start", "--job-name", "later_job")
        assert started.returncode == 0, started.stderr
        date = email.utils.formatdate(clock.now(), usegmt=True)
        clock.advance(600)
        wait = (*settings, "dlf", "job-instances", "wait", "--job-name", "later_job",
                "--precise-query", "true", "--timeout", "20", *POLL)
        waited = dataarts(*wait, "--until", "newest-finished", "--not-before", date)
        bad = dataarts(*wait, "--until", "newest-finished", "--not-before", "yesterday")
        other = dataarts(*wait, "--until", "finished", "--instance-id", "1", "--not-before", date)
    assert waited.returncode == 0, waited.stderr
    assert json.loads(waited.stdout)["instances"][0]["status"] == "success"
    assert bad.returncode == 2 and "--not-before" in bad.stderr and "yesterday" in bad.stderr
    assert other.returncode == 2 and "takes no --not-before" in other.stderr
