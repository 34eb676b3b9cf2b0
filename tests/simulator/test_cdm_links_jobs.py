"""CDM links and jobs: references, unique names, secrets, percent-encoded values, runs."""

from __future__ import annotations

import pytest

from dataarts import BadRequestError, CdmClient, from_config_values
from dataarts.testing import Simulator
from tests.simulator.conftest import MYSQL_LINK, OBS_LINK, inputs, job_body, ready_cluster


def test_links_keep_secrets_and_answer_values_percent_encoded(
    sim: Simulator, cdm: CdmClient
) -> None:
    cluster_id = ready_cluster(sim, cdm)
    link = (cdm.links.get(cluster_id=cluster_id, link_name="obs_link").links or [])[0]
    values = from_config_values(link.link_config_values)
    assert "linkConfig.securityKey" not in values  # stored, never answered
    assert values["linkConfig.server"] == "obs.example.com"
    inputs_ = link.link_config_values.configs[0].inputs
    assert {i.name: i.type for i in inputs_}["linkConfig.port"] == "STRING"
    assert "Security-Key-Secret" not in str(sim.calls) and link.creation_user == "cdm"

    encoded = dict(MYSQL_LINK, name="spaced")
    encoded["link-config-values"] = inputs("linkConfig", {"linkConfig.host": "10.0.0.1",
                                                          "linkConfig.databaseType": "MYSQL",
                                                          "linkConfig.port": "3306",
                                                          "linkConfig.username": "a b/c:d",
                                                          "linkConfig.password": "x"})
    cdm.links.create(cluster_id=cluster_id, body={"links": [encoded]})
    shown = cdm.links.get(cluster_id=cluster_id, link_name="spaced").links[0]
    # doc: the live service answers config values percent-encoded (real-service-behaviour)
    assert from_config_values(shown.link_config_values)["linkConfig.username"] == "a%20b%2Fc%3Ad"


def test_link_names_are_unique_and_parameters_checked(sim: Simulator, cdm: CdmClient) -> None:
    cluster_id = ready_cluster(sim, cdm)
    with pytest.raises(BadRequestError) as info:
        cdm.links.create(cluster_id=cluster_id, body={"links": [MYSQL_LINK]})
    assert info.value.error_code == "Cdm.0315"
    assert info.value.documented is not None  # a code of the 7.4.1 table
    missing = dict(OBS_LINK, name="no_server")
    missing["link-config-values"] = inputs("linkConfig", {"linkConfig.storageType": "OBS"})
    with pytest.raises(BadRequestError) as info:
        cdm.links.create(cluster_id=cluster_id, body={"links": [missing]})
    assert info.value.error_code == "Cdm.0238" and "linkConfig.server" in str(info.value)
    bad_enum = dict(MYSQL_LINK, name="bad_enum")
    bad_enum["link-config-values"] = inputs(
        "linkConfig",
        {"linkConfig.databaseType": "NOSQL", "linkConfig.host": "h", "linkConfig.port": "1",
         "linkConfig.username": "u", "linkConfig.password": "p"},
    )
    with pytest.raises(BadRequestError) as info:
        cdm.links.create(cluster_id=cluster_id, body={"links": [bad_enum]})
    assert info.value.error_code == "Cdm.0014" and "NOSQL" in str(info.value)
    # validate=true checks without creating
    probe = dict(MYSQL_LINK, name="probe")
    cdm.links.create(cluster_id=cluster_id, body={"links": [probe]}, validate="true")
    with pytest.raises(BadRequestError) as info:
        cdm.links.get(cluster_id=cluster_id, link_name="probe")
    assert info.value.error_code == "Cdm.0101"


def test_updating_a_link_keeps_a_secret_left_out(sim: Simulator, cdm: CdmClient) -> None:
    cluster_id = ready_cluster(sim, cdm)
    shown = cdm.links.get(cluster_id=cluster_id, link_name="mysql_link").links[0]
    body = shown.model_dump(by_alias=True, exclude_none=True)
    cdm.links.update(cluster_id=cluster_id, link_name="mysql_link", body={"links": [body]})
    stored = sim.cdm.link("0123456789abcdef0123456789abcdef", cluster_id, "mysql_link")
    values = {i["name"]: i["value"] for c in stored.configs for i in c["inputs"]}
    assert values["linkConfig.password"] == "Pa55word-Secret"
    with pytest.raises(BadRequestError) as info:
        cdm.links.update(cluster_id=cluster_id, link_name="nope", body={"links": [body]})
    assert info.value.error_code == "Cdm.0316"


def test_jobs_reference_existing_links_of_their_connectors(
    sim: Simulator, cdm: CdmClient
) -> None:
    cluster_id = ready_cluster(sim, cdm)
    with pytest.raises(BadRequestError) as info:
        cdm.jobs.create(cluster_id=cluster_id, body={"jobs": [job_body(**{"to-link-name": "x"})]})
    assert info.value.error_code == "Cdm.0101"
    wrong = job_body(**{"to-connector-name": "hdfs-connector"})
    with pytest.raises(BadRequestError) as info:
        cdm.jobs.create(cluster_id=cluster_id, body={"jobs": [wrong]})
    assert info.value.error_code == "Cdm.0018"
    no_table = job_body(**{"from-config-values": inputs("fromJobConfig", {})})
    with pytest.raises(BadRequestError) as info:
        cdm.jobs.create(cluster_id=cluster_id, body={"jobs": [no_table]})
    assert info.value.error_code == "Cdm.0238"
    assert cdm.jobs.create(cluster_id=cluster_id, body={"jobs": [job_body()]}).name == "mysql2obs"
    with pytest.raises(BadRequestError) as info:
        cdm.jobs.create(cluster_id=cluster_id, body={"jobs": [job_body()]})
    assert info.value.error_code == "Cdm.0104"
    with pytest.raises(BadRequestError) as info:
        cdm.links.delete(cluster_id=cluster_id, link_name="mysql_link")
    assert info.value.error_code == "Cdm.0321"


def test_a_missing_job_answers_400_cdm_0100(sim: Simulator, cdm: CdmClient) -> None:
    cluster_id = ready_cluster(sim, cdm)
    calls = (
        lambda: cdm.jobs.get(cluster_id=cluster_id, job_name="ghost"),
        lambda: cdm.jobs.start(cluster_id=cluster_id, job_name="ghost"),
        lambda: cdm.jobs.get_status(cluster_id=cluster_id, job_name="ghost"),
        lambda: cdm.jobs.stop(cluster_id=cluster_id, job_name="ghost"),
        lambda: cdm.jobs.delete(cluster_id=cluster_id, job_name="ghost"),
        lambda: cdm.submissions.list(cluster_id=cluster_id, job_name="ghost"),
    )
    for call in calls:
        with pytest.raises(BadRequestError) as info:
            call()
        assert (info.value.status_code, info.value.error_code) == (400, "Cdm.0100")
        assert "ghost" in str(info.value.error_message)


def test_a_run_boots_runs_with_growing_counters_and_succeeds(
    sim: Simulator, cdm: CdmClient
) -> None:
    cluster_id = ready_cluster(sim, cdm)
    cdm.jobs.create(cluster_id=cluster_id, body={"jobs": [job_body()]})
    never = cdm.jobs.get_status(cluster_id=cluster_id, job_name="mysql2obs").submissions[0]
    assert never.status == "NEVER_EXECUTED"
    started = cdm.jobs.start(cluster_id=cluster_id, job_name="mysql2obs").submissions[0]
    assert (started.status, started.progress, started.submission_id) == ("BOOTING", 0, 1)
    timings = sim.timings
    seen = []
    for _ in range(6):
        run = cdm.jobs.get_status(cluster_id=cluster_id, job_name="mysql2obs").submissions[0]
        counter = run.counters.sqoop_counters if run.counters else None
        seen.append((run.status, run.progress, counter.rows_written if counter else None))
        sim.clock.advance(timings.job_boot if run.status == "BOOTING" else timings.job_run / 4)
    statuses = [s for s, _, _ in seen]
    assert statuses[0] == "BOOTING" and statuses[-1] == "SUCCEEDED" and "RUNNING" in statuses
    progress = [p for _, p, _ in seen]
    assert progress == sorted(progress) and progress[-1] == 100
    rows = [r for _, _, r in seen if r is not None]
    assert rows == sorted(rows) and rows[-1] > 0
    job = cdm.jobs.get(cluster_id=cluster_id, job_name="mysql2obs").jobs[0]
    assert job.status == "SUCCEEDED" and job.rows_written == rows[-1]
    # a second run; the history lists both, newest first
    cdm.jobs.start(cluster_id=cluster_id, job_name="mysql2obs")
    history = cdm.submissions.list(cluster_id=cluster_id, job_name="mysql2obs")
    assert history.total == 2
    assert [s.submission_id for s in history.submissions] == [2, 1]
    assert [s.status for s in history.submissions] == ["BOOTING", "SUCCEEDED"]


def test_stop_ends_a_run_and_a_running_job_cannot_change(sim: Simulator, cdm: CdmClient) -> None:
    cluster_id = ready_cluster(sim, cdm)
    cdm.jobs.create(cluster_id=cluster_id, body={"jobs": [job_body()]})
    refused = cdm.jobs.stop(cluster_id=cluster_id, job_name="mysql2obs")
    assert refused.validation_result and refused.validation_result[0].status == "ERROR"
    cdm.jobs.start(cluster_id=cluster_id, job_name="mysql2obs")
    for attempt in (
        lambda: cdm.jobs.start(cluster_id=cluster_id, job_name="mysql2obs"),
        lambda: cdm.jobs.update(cluster_id=cluster_id, job_name="mysql2obs",
                                body={"jobs": [job_body()]}),
        lambda: cdm.jobs.delete(cluster_id=cluster_id, job_name="mysql2obs"),
    ):
        with pytest.raises(BadRequestError) as info:
            attempt()
        assert info.value.error_code == "Cdm.0052"
    assert cdm.jobs.stop(cluster_id=cluster_id, job_name="mysql2obs").validation_result == []
    run = cdm.jobs.get_status(cluster_id=cluster_id, job_name="mysql2obs").submissions[0]
    assert (run.status, run.progress, run.error_summary) == ("FAILED", -1, "The job was stopped.")
    cdm.jobs.update(cluster_id=cluster_id, job_name="mysql2obs", body={"jobs": [job_body()]})
    cdm.jobs.delete(cluster_id=cluster_id, job_name="mysql2obs")
    assert cdm.jobs.get(cluster_id=cluster_id, job_name="all").total == 0


def test_a_failing_run_and_a_stopped_cluster(sim: Simulator, cdm: CdmClient) -> None:
    cluster_id = ready_cluster(sim, cdm)
    cdm.jobs.create(cluster_id=cluster_id, body={"jobs": [job_body()]})
    sim.cdm.fail_next_run("mysql2obs", "Table orders does not exist.")
    cdm.jobs.start(cluster_id=cluster_id, job_name="mysql2obs")
    sim.clock.advance(sim.timings.job_boot + sim.timings.job_run)
    run = cdm.jobs.get_status(cluster_id=cluster_id, job_name="mysql2obs").submissions[0]
    assert (run.status, run.error_summary) == ("FAILED", "Table orders does not exist.")
    cdm.clusters.stop(cluster_id=cluster_id, body={"stop": {"stopMode": "IMMEDIATELY"}})
    with pytest.raises(BadRequestError) as info:
        cdm.jobs.start(cluster_id=cluster_id, job_name="mysql2obs")
    assert info.value.error_code == "Cdm.0037"


def test_listing_filters_and_pages_jobs(sim: Simulator, cdm: CdmClient) -> None:
    cluster_id = ready_cluster(sim, cdm)
    bodies = [job_body(f"job_{i:02d}") for i in range(12)] + [job_body("other")]
    cdm.jobs.create(cluster_id=cluster_id, body={"jobs": bodies})
    first = cdm.jobs.get(cluster_id=cluster_id, job_name="all", filter="JOB_")
    assert first.total == 12 and len(first.jobs) == 10
    names = [job.name for job in cdm.jobs.iter_get(cluster_id=cluster_id, job_name="all")]
    assert len(names) == 13 and names[-1] == "other"
    batch = cdm.jobs.get(cluster_id=cluster_id, job_name="all", job_type="BATCH_JOB")
    assert batch.total == 0
    single = cdm.jobs.get(cluster_id=cluster_id, job_name="other")
    assert single.total == 0 and single.jobs[0].from_link_name == "mysql_link"
    values = from_config_values(single.jobs[0].to_config_values)
    assert values["toJobConfig.outputDirectory"] == "%2Fout%2Fdir%2F"


def test_create_and_start_in_a_random_running_cluster(sim: Simulator, cdm: CdmClient) -> None:
    cluster_id = ready_cluster(sim, cdm)
    body = {"jobs": [job_body("random_job")], "clusters": ["missing", cluster_id]}
    started = cdm.jobs.create_and_start_in_random_cluster(body=body)
    assert started.submissions[0].status == "BOOTING"
    assert cdm.jobs.get(cluster_id=cluster_id, job_name="random_job").jobs[0].status == "BOOTING"
    with pytest.raises(BadRequestError) as info:
        cdm.jobs.create_and_start_in_random_cluster(body={**body, "clusters": ["missing"]})
    assert info.value.error_code == "Cdm.0037"
