"""Typed CDM configurations and DLF nodes used as an application would; `mypy --strict` must pass."""

from __future__ import annotations

from typing import Any

from pydantic import SecretStr

from dataarts import CdmClient, DlfClient, ParameterError, to_config_values
from dataarts.cdm import connectors
from dataarts.cdm.models import CreateJobRequest, CreateLinkRequest, Job, Link
from dataarts.dlf import nodes
from dataarts.dlf.models import JobNode


def links() -> list[Link]:
    hive = connectors.HiveLinkConfig(
        host="10.0.0.1", auth_type="KERBEROS", hive_version="HIVE_3_X", run_mode="EMBEDDED",
        obs_support=False,
    )
    mysql = connectors.RelationalDatabaseLinkConfig(
        database_type="MYSQL", host="10.0.0.2", port=3306, username="u",
        password=SecretStr("p"), use_agent=False, jdbc_properties={"useSSL": "false"},
    )
    mysql.fetch_size = 1000
    port: int | None = mysql.port
    print(port)
    return [connectors.new_link(hive, name="hive"), connectors.new_link(mysql, name="mysql")]


def job() -> Job:
    source = connectors.RelationalDatabaseSourceConfig(schema_name="s", table_name="t", use_sql=False)
    destination = connectors.HiveDestinationConfig(
        database="db", table="t", table_preparation="DO_NOTHING"
    )
    task: connectors.TaskConfig = connectors.TaskConfig(num_extractors=4, is_scheduler_job=False)
    wire: dict[str, Any] = task.to_config_values()
    print(wire["configs"])
    return connectors.new_job(
        name="mysql2hive", source=source, destination=destination, task=task,
        from_link_name="mysql", to_link_name="hive",
    )


def reread(cdm: CdmClient, cluster_id: str) -> None:
    (link,) = cdm.links.get(cluster_id=cluster_id, link_name="hive").links or []
    config: connectors.LinkConfig = connectors.link_config(link)
    if isinstance(config, connectors.HiveLinkConfig):
        config.run_mode = "STANDALONE"
        version: str | None = config.hive_version
        print(version, config.undocumented)
    cdm.links.update(cluster_id=cluster_id, link_name="hive",
                     body={"links": [connectors.updated_link(link, config)]})
    shown = cdm.jobs.get(cluster_id=cluster_id, job_name="mysql2hive").jobs or []
    for found in shown:
        task = connectors.task_config(found)
        extractors: int | None = task.num_extractors
        source: connectors.SourceConfig = connectors.from_config(found)
        destination: connectors.DestinationConfig = connectors.to_config(found)
        print(extractors, source, destination)
        cdm.jobs.update(cluster_id=cluster_id, job_name=found.name,
                        body={"jobs": [connectors.updated_job(found, task=task)]})
    registry: type[connectors.LinkConfig] = connectors.LINK_CONFIGS["hive"]
    print(registry.SECTION.number)


def node() -> JobNode:
    builder = nodes.CdmJobNode(cluster_name="cdm1", job_name="mysql2hive")
    properties: list[dict[str, Any]] = builder.to_properties()
    print(properties)
    read: nodes.NodeProperties = nodes.node_properties({"type": "RESTAPI", "properties": []})
    print(read.node_type, nodes.NODE_TYPES["Shell"].NODE_TYPE)
    fields: nodes.NodeFields = {"retry_times": 3, "pre_node_name": ["extract"]}
    print(nodes.new_node(builder, name="check", location={"x": 0, "y": 1}, **fields))
    return nodes.new_node(builder, name="migrate", location={"x": 0, "y": 0},
                          fail_policy="IGNORE", pre_node_name=["extract"])


def main(cdm: CdmClient, dlf: DlfClient) -> None:
    try:
        cdm.links.create(cluster_id="c", body=CreateLinkRequest(links=links()))
        cdm.jobs.create(cluster_id="c", body=CreateJobRequest(jobs=[job()]))
    except ParameterError as error:
        print(error.owner, error.problems)
    reread(cdm, "c")
    print(to_config_values({"linkConfig.host": "h"}, connector="hive-connector"), node())
    dlf.close()
