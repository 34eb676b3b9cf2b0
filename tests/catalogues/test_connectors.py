"""`dataarts.cdm.connectors`, generated from `x-cdm-parameters`: one typed class per section and
place, fixture config lists round-tripping, failures before sending, use with the client."""

from __future__ import annotations

import json
import logging
import types
import typing
from typing import Any, Literal, get_args, get_origin

import httpx
import pytest
from pydantic import SecretStr

from dataarts import CdmClient, ParameterError, to_config_values
from dataarts.cdm import connectors as c
from dataarts.cdm.models import CreateJobRequest, CreateLinkRequest
from tests.catalogues.support import (
    CLUSTER,
    PROJECT,
    MockService,
    cdm_catalogue,
    fixture_config_lists,
    pairs,
)
from tests.spec import fixturelib as fl

REGISTRIES: dict[str, dict[str, Any]] = {
    "link-config-values": dict(c.LINK_CONFIGS),
    "from-config-values": dict(c.SOURCE_CONFIGS),
    "to-config-values": dict(c.DESTINATION_CONFIGS),
    "driver-config-values": dict(c.TASK_CONFIGS),
}
READERS = {"link-config-values": c.link_config, "from-config-values": c.from_config,
           "to-config-values": c.to_config, "driver-config-values": c.task_config}
SECRET = "Add password here"  # the fixtures' placeholder password


def sections() -> list[tuple[str, str, dict[str, Any]]]:
    return [(place, key, section) for place, found in cdm_catalogue().items()
            for key, section in found.items()]


def members(annotation: Any) -> list[Any]:
    """The members of a (possibly nested, possibly Literal) union annotation."""
    if isinstance(annotation, types.UnionType) or get_origin(annotation) is typing.Union:
        return [m for arg in get_args(annotation) for m in members(arg)]
    return [annotation]


# -- generated from the catalogue ----------------------------------------------------------------


def test_one_class_per_documented_section_and_place() -> None:
    assert {place: sorted(found) for place, found in REGISTRIES.items()} == {
        place: sorted(found) for place, found in cdm_catalogue().items()}
    assert [len(found) for found in REGISTRIES.values()] == [14, 12, 9, 1]
    assert c.TASK_CONFIGS == {"job-task": c.TaskConfig}
    assert all(issubclass(cls, c.LinkConfig) for cls in c.LINK_CONFIGS.values())
    assert all(issubclass(cls, c.SourceConfig) for cls in c.SOURCE_CONFIGS.values())
    assert all(issubclass(cls, c.DestinationConfig) for cls in c.DESTINATION_CONFIGS.values())


@pytest.mark.parametrize(("place", "key", "section"), sections(),
                         ids=[f"{p}/{k}" for p, k, _ in sections()])
def test_each_parameter_is_a_typed_field(place: str, key: str, section: dict[str, Any]) -> None:
    cls = REGISTRIES[place][key]
    assert (cls.SECTION.place, cls.SECTION.number) == (place, section["section"])
    assert cls.SECTION.connectors == tuple(section["connectors"])
    assert section["title"] in (cls.__doc__ or "")
    by_alias = {info.alias: info for info in cls.model_fields.values() if info.alias}
    assert list(by_alias) == [p["name"] for p in section["parameters"]]
    for param in section["parameters"]:
        info = by_alias[param["name"]]
        kinds = members(info.annotation)
        if param.get("secret") or param["type"] == "file-content":
            assert SecretStr in kinds
        elif param.get("enum"):
            (literal,) = [k for k in kinds if get_origin(k) is Literal]
            assert list(get_args(literal)) == param["enum"] and str in kinds  # open enum
        else:
            expected = {"boolean": bool, "integer": int, "map": dict[str, str]}.get(param["type"], str)
            assert expected in kinds, (param["name"], kinds)
        unconditional = param["required"] and "x-required-when" not in param
        assert info.is_required() == (unconditional and "default" not in param), param["name"]
        if not unconditional:
            assert type(None) in kinds and info.default is None
        words = " ".join(param["description"].split())[:40]
        assert info.description is not None and words in " ".join(info.description.split())


def test_a_required_parameter_with_a_documented_default_needs_no_argument() -> None:
    """OBS destination: toJobConfig.appendMode is required, default `false` (table 5.4.3.3)."""
    field = c.HdfsDestinationConfig.model_fields["append_mode"]
    assert (field.is_required(), field.default) == (False, False)


# -- reading, losslessly --------------------------------------------------------------------------


@pytest.mark.parametrize(("where", "place", "item"), list(fixture_config_lists()),
                         ids=[w for w, _, _ in fixture_config_lists()])
def test_every_fixture_config_list_round_trips(where: str, place: str, item: dict[str, Any]) -> None:
    typed = READERS[place](item)
    assert not isinstance(typed, (c.UndocumentedLinkConfig, c.UndocumentedSourceConfig,
                                  c.UndocumentedDestinationConfig)), where
    sent = typed.to_config_values()
    assert sent == item[place]
    assert pairs(sent) == pairs(item[place])


def test_fixture_values_read_typed() -> None:
    show = fl.fixtures("cdm")
    link = next(f for f in show if f.name == "ShowLink.200").data["response"]["body"]["links"][0]
    sftp = c.link_config(link)
    assert isinstance(sftp, c.FtpSftpLinkConfig)
    assert (sftp.server, sftp.port, sftp.username) == ("100.94.8.163", "22", "root")
    assert sftp.password == SecretStr(SECRET)
    job = next(f for f in show if f.name == "ShowJobs.200").data["response"]["body"]["jobs"][0]
    task = c.task_config(job)
    assert (task.num_extractors, task.record_dirty_data, task.retry_job_type) == (1, False, "NONE")
    assert task.undocumented == {"throttlingConfig.submitToCluster": "false"}  # example-only


def link_of(connector: str, **inputs: str) -> dict[str, Any]:
    return {"name": "l", "connector-name": connector, "link-config-values": {"configs": [
        {"name": "linkConfig", "inputs": [{"name": n, "value": v} for n, v in inputs.items()]}]}}


def test_hbase_and_cloudtable_links_are_told_apart_by_their_inputs() -> None:
    cloudtable = link_of("hbase-connector", **{
        "linkConfig.hbaseType": "CloudTable", "linkConfig.zookeeperQuorum": "zk:2181",
        "linkConfig.iamAuth": "true", "linkConfig.runMode": "EMBEDDED",
        "linkConfig.cloudtableUser": "u", "linkConfig.accessKey": "AK",
        "linkConfig.securityKey": "SK"})
    hbase = link_of("hbase-connector", **{
        "linkConfig.hbaseType": "MRS", "linkConfig.host": "10.0.0.1",
        "linkConfig.hBaseVersion": "HBASE_2_X", "linkConfig.authType": "KERBEROS"})
    assert isinstance(c.link_config(cloudtable), c.CloudtableLinkConfig)
    assert isinstance(c.link_config(hbase), c.HbaseLinkConfig)
    assert c.link_config(link_of("http-connector", a="b")).undocumented == {"a": "b"}


def test_ftp_and_sftp_share_a_section_and_a_new_link_names_its_connector() -> None:
    sftp = c.FtpSftpLinkConfig(server="10.0.0.9", port="22", username="u", password=SecretStr("p"))
    with pytest.raises(ParameterError, match="serves ftp-connector, sftp-connector"):
        c.new_link(sftp, name="sftp_link")
    link = c.new_link(sftp, name="sftp_link", connector="sftp-connector")
    assert link.connector_name == "sftp-connector"
    with pytest.raises(ParameterError, match="documented for ftp-connector, sftp-connector"):
        c.new_link(sftp, name="x", connector="obs-connector")


def test_live_values_are_percent_decoded_and_sent_back_as_they_came() -> None:
    """The service returns values percent-encoded (see the Terraform provider)."""
    job = {
        "name": "obs2obs", "from-connector-name": "obs-connector", "to-connector-name": "obs-connector",
        "from-config-values": {"configs": [{"name": "fromJobConfig", "inputs": [
            {"name": "fromJobConfig.bucketName", "value": "in-bucket"},
            {"name": "fromJobConfig.inputDirectory", "value": "%2Fin%2F"},
            {"name": "fromJobConfig.listTextFile", "value": "false"}]}]},
        "driver-config-values": {"configs": [{"name": "schedulerConfig", "inputs": [
            {"name": "schedulerConfig.startDate", "value": "2026-01-01%2000%3A00%3A00"}]}]},
    }
    source, task = c.from_config(job), c.task_config(job)
    assert isinstance(source, c.ObsSourceConfig)
    assert source.input_directory == "/in/" and task.start_date == "2026-01-01 00:00:00"
    assert source.undocumented == {"fromJobConfig.listTextFile": "false"}  # beyond the documents
    assert source.to_config_values() == job["from-config-values"]
    assert c.from_config(job, decode=False).input_directory == "%2Fin%2F"
    source.input_directory = "/archive/"
    assert pairs(source.to_config_values())[1] == ("fromJobConfig.inputDirectory", "/archive/")


def test_a_server_value_outside_an_enum_reads_but_a_typo_built_in_python_fails() -> None:
    read = c.link_config(link_of("hive-connector", **{"linkConfig.hiveVersion": "HIVE_4_X"}))
    assert isinstance(read, c.HiveLinkConfig) and read.hive_version == "HIVE_4_X"
    with pytest.raises(ParameterError) as error:
        read.hive_version = "HIVE3"
    assert error.value.problems == (
        ("linkConfig.hiveVersion (hive_version): 'HIVE3' is not one of HIVE_1_X, HIVE_3_X; "
        "did you mean 'HIVE_3_X'?"),)


# -- failing before sending ------------------------------------------------------------------------


def hive(**changes: Any) -> c.HiveLinkConfig:
    values: dict[str, Any] = {"host": "10.1.1.1", "auth_type": "SIMPLE", "hive_version": "HIVE_1_X",
                              "obs_support": False, **changes}
    return c.HiveLinkConfig(**values)


def test_a_hive_1_link_needs_no_run_mode_and_a_hive_3_link_does() -> None:
    assert hive().run_mode is None
    with pytest.raises(ParameterError) as error:
        hive(hive_version="HIVE_3_X")
    assert error.value.problems == (
        "missing linkConfig.runMode (run_mode) when linkConfig.hiveVersion is HIVE_3_X",)
    assert str(error.value).startswith("HiveLinkConfig (5.4.1.6 Hive link): ")
    assert hive(hive_version="HIVE_3_X", run_mode="EMBEDDED").run_mode == "EMBEDDED"
    with pytest.raises(ParameterError, match="missing linkConfig.accessKey .* when linkConfig.obsSupport is true"):
        hive(obs_support=True, security_key=SecretStr("sk"))


def test_misspelled_names_and_missing_inputs_fail_naming_the_documented_ones() -> None:
    with pytest.raises(ParameterError) as error:
        c.RelationalDatabaseSourceConfig(schema_name="s", table_name="t", use_sql=False,
                                         colum_list="a&b")  # type: ignore[call-arg]
    assert error.value.problems[0] == (
        "unknown parameter 'colum_list'; did you mean 'column_list' (fromJobConfig.columnList)?")
    with pytest.raises(ParameterError) as error:
        c.ObsLinkConfig(storage_type="OBS", server="obs.example.com", port="443")  # type: ignore[call-arg]
    assert error.value.problems == ("missing linkConfig.accessKey (access_key)",
                                    "missing linkConfig.securityKey (security_key)")


def test_a_relational_destination_needs_table_preparation_only_between_databases() -> None:
    source = c.RelationalDatabaseSourceConfig(schema_name="s", table_name="t", use_sql=False)
    destination = c.RelationalDatabaseDestinationConfig(schema_name="s", table_name="t")
    with pytest.raises(ParameterError) as error:
        c.new_job(name="db2db", source=source, destination=destination, from_link_name="a",
                  to_link_name="b")
    assert error.value.problems == (
        ("RelationalDatabaseDestinationConfig (5.4.3.1 Relational database destination): missing "
        "toJobConfig.tablePreparation (table_preparation) when from-connector-name is "
        "generic-jdbc-connector and to-connector-name is generic-jdbc-connector"),)
    obs = c.ObsSourceConfig(bucket_name="b", input_directory="/in/", input_format="CSV_FILE")
    job = c.new_job(name="obs2db", source=obs, destination=destination, from_link_name="a",
                    to_link_name="b")
    assert job.to_connector_name == "generic-jdbc-connector"


def test_flat_config_values_are_checked_for_the_connector_they_name() -> None:
    assert to_config_values({"linkConfig.hiveVersion": "HIVE_3_X"}, connector="hive-connector")
    with pytest.raises(ParameterError) as error:
        to_config_values({"linkConfig.hiveVersoin": "HIVE_3_X", "schedulerConfig.cycleTpye": "day"},
                         connector="hive-connector")
    assert error.value.problems == (
        ("unknown parameter 'linkConfig.hiveVersoin'; did you mean 'linkConfig.hiveVersion' "
        "(hive_version)?"),
        ("unknown parameter 'schedulerConfig.cycleTpye'; did you mean 'schedulerConfig.cycleType' "
        "(cycle_type)?"),
    )
    with pytest.raises(ParameterError, match="'linkConfig.bucketName': unknown parameter|unknown "
                                             "parameter 'linkConfig.bucketName'"):
        to_config_values({"linkConfig.bucketName": "b"}, connector="hive-connector")
    assert to_config_values({"linkConfig.anything": "x"}) == {"configs": [  # unchecked
        {"name": "linkConfig", "inputs": [{"name": "linkConfig.anything", "value": "x"}]}]}


# -- in use with the client -----------------------------------------------------------------------


def client(service: MockService) -> CdmClient:
    return CdmClient(base_url="http://cdm.test", project_id=PROJECT, token="t0ken",
                     http_client=httpx.Client(transport=service.transport()), max_retries=0)


def schema_of(operation: str) -> str:
    op = fl.operations("cdm")[operation].operation
    return op["requestBody"]["content"]["application/json"]["schema"]["$ref"].lstrip("#")


def test_typed_bodies_are_accepted_by_create_and_update() -> None:
    service = MockService()
    service.on("POST", r".*/cdm/link", {"name": "mysql"})
    service.on("PUT", r".*/cdm/link/mysql", {"validation-result": [{}]})
    service.on("POST", r".*/cdm/job", {"name": "j"})
    service.on("PUT", r".*/cdm/job/j", {"validation-result": [{}]})
    mysql = c.RelationalDatabaseLinkConfig(
        database_type="MYSQL", host="10.0.0.1", port="3306", username="root",
        password=SecretStr("pw"), use_agent=False)
    source = c.RelationalDatabaseSourceConfig(schema_name="db", table_name="t", use_sql=False)
    destination = c.ObsDestinationConfig(bucket_name="b", output_directory="/o/",
                                         output_format="CSV_FILE")
    link = c.new_link(mysql, name="mysql")
    job = c.new_job(name="j", source=source, destination=destination, from_link_name="mysql",
                    to_link_name="obs", task=c.TaskConfig(num_extractors=2))
    with client(service) as cdm:
        cdm.links.create(cluster_id=CLUSTER, body=CreateLinkRequest(links=[link]))
        cdm.links.update(cluster_id=CLUSTER, link_name="mysql",
                         body={"links": [c.updated_link(link, mysql)]})
        cdm.jobs.create(cluster_id=CLUSTER, body=CreateJobRequest(jobs=[job]))
        cdm.jobs.update(cluster_id=CLUSTER, job_name="j",
                        body={"jobs": [c.updated_job(job, task=c.TaskConfig(num_extractors=4))]})
    (create_link, update_link), (create_job, update_job) = service.sent("POST")[:1] + service.sent(
        "PUT")[:1], service.sent("POST")[1:] + service.sent("PUT")[1:]
    for operation, body in (("CreateLink", create_link), ("UpdateLink", update_link),
                            ("CreateJob", create_job), ("UpdateJob", update_job)):
        assert fl.schema_errors("cdm", schema_of(operation), body) == [], operation
    assert ("linkConfig.password", "pw") in pairs(create_link["links"][0]["link-config-values"])
    assert pairs(update_job["jobs"][0]["driver-config-values"]) == [
        ("throttlingConfig.numExtractors", "4")]
    assert update_job["jobs"][0]["from-config-values"] == create_job["jobs"][0]["from-config-values"]


def test_get_change_one_field_update_keeps_everything_else_identical() -> None:
    shown = next(f for f in fl.fixtures("cdm") if f.name == "ShowLink.200").data["response"]["body"]
    service = MockService()
    service.on("GET", r".*/cdm/link/sftp_link", shown)
    service.on("PUT", r".*/cdm/link/sftp_link", {"validation-result": [{}]})
    with client(service) as cdm:
        link = cdm.links.get(cluster_id=CLUSTER, link_name="sftp_link").links[0]
        config = c.link_config(link)
        assert isinstance(config, c.FtpSftpLinkConfig)
        config.server = "100.94.8.200"
        cdm.links.update(cluster_id=CLUSTER, link_name="sftp_link",
                         body={"links": [c.updated_link(link, config)]})
    (sent,) = service.sent("PUT")
    expected = json.loads(json.dumps(shown))
    expected["links"][0]["link-config-values"]["configs"][0]["inputs"][0]["value"] = "100.94.8.200"
    assert json.dumps(sent, sort_keys=True) == json.dumps(expected, sort_keys=True)
    assert sent["links"][0]["link-config-values"]["configs"][0]["inputs"][1]["value"] == 22  # as sent


# -- secrets --------------------------------------------------------------------------------------


def test_secrets_stay_out_of_reprs_logs_and_errors(caplog: pytest.LogCaptureFixture) -> None:
    secret = "Zq9-very-secret-pw"
    mysql = c.RelationalDatabaseLinkConfig(
        database_type="MYSQL", host="h", port="3306", username="u", password=SecretStr(secret),
        use_agent=False)
    obs = c.ObsLinkConfig(storage_type="OBS", server="s", port="443", access_key="AKVALUE123",
                          security_key=SecretStr(secret))
    read = c.link_config(c.new_link(mysql, name="m"))
    service = MockService()
    service.on("POST", r".*/cdm/link", {"name": "m"})
    with caplog.at_level(logging.DEBUG, logger="dataarts"):
        logging.getLogger("dataarts").info("configs: %s %r %s", mysql, obs, read)
        with client(service) as cdm:
            cdm.links.create(cluster_id=CLUSTER, body=CreateLinkRequest(links=[
                c.new_link(mysql, name="m")]))
    shown = [repr(mysql), str(mysql), repr(obs), repr(read), caplog.text]
    with pytest.raises(ParameterError) as error:
        c.ObsLinkConfig(storage_type="OBS", server="s", port=secret, access_key="AK",
                        security_key=SecretStr(secret), stroage_type=secret)  # type: ignore[call-arg]
    shown.append(str(error.value))
    with pytest.raises(ParameterError) as error:
        mysql.password = 12345  # type: ignore[assignment]
    shown.append(str(error.value))
    assert not [text for text in shown if secret in text or "AKVALUE123" in text]
    assert "password='<redacted>'" in repr(mysql)
