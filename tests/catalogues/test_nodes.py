"""`dataarts.dlf.nodes`, generated from `x-dlf-node-types`: a typed builder per node type, fixture
nodes round-tripping, undocumented types and properties kept, bodies the client accepts."""

from __future__ import annotations

from typing import Any, Literal, get_args, get_origin

import httpx
import pytest

from dataarts import DlfClient, ParameterError
from dataarts.dlf import nodes as n
from dataarts.dlf.models import Job, JobNode, JobSchedule
from tests.catalogues.support import PROJECT, MockService, fixture_nodes, node_catalogue
from tests.catalogues.test_connectors import members
from tests.spec import fixturelib as fl


def test_every_documented_node_type_has_a_builder() -> None:
    assert list(n.NODE_TYPES) == list(node_catalogue())
    assert len(n.NODE_TYPES) == 18
    assert all(cls.NODE_TYPE == node_type for node_type, cls in n.NODE_TYPES.items())


@pytest.mark.parametrize("node_type", list(node_catalogue()))
def test_each_property_is_a_typed_field(node_type: str) -> None:
    cls = n.NODE_TYPES[node_type]
    by_alias = {info.alias: info for info in cls.model_fields.values() if info.alias}
    properties = node_catalogue()[node_type]["properties"]
    assert list(by_alias) == [p["name"] for p in properties]
    for prop in properties:
        info = by_alias[prop["name"]]
        assert info.is_required() == prop["required"]
        if prop.get("enum"):
            (literal,) = [k for k in members(info.annotation) if get_origin(k) is Literal]
            assert list(get_args(literal)) == prop["enum"]


@pytest.mark.parametrize(("where", "node"), list(fixture_nodes()),
                         ids=[w for w, _ in fixture_nodes()])
def test_every_fixture_node_round_trips(where: str, node: dict[str, Any]) -> None:
    builder = n.node_properties(node)
    assert type(builder) is n.NODE_TYPES[node["type"]], where
    assert builder.to_properties() == node["properties"]


def test_a_fixture_node_reads_typed() -> None:
    (_, node), *_ = fixture_nodes()
    builder = n.node_properties(node)
    assert isinstance(builder, n.HiveSqlNode)
    assert (builder.script_name, builder.connection_name, builder.database) == (
        "test_hive_sql", "mrs_hive_test", "default")


def test_an_undocumented_node_type_keeps_everything() -> None:
    """The live service accepts `RESTAPI` nodes (see the Terraform provider's acceptance test)."""
    node = {"name": "rest", "type": "RESTAPI", "properties": [
        {"name": "url", "value": "https://example.com/api"}, {"name": "method", "value": "GET"},
        {"name": "retry", "value": "false"}, {"name": "requestMode", "value": "sync"},
        {"name": "securityAuthentication", "value": "NONE"}, {"name": "agentName", "value": "cdm1"}]}
    builder = n.node_properties(node)
    assert type(builder) is n.GenericNode and builder.node_type == "RESTAPI"
    assert builder.undocumented["requestMode"] == "sync"
    assert builder.to_properties() == node["properties"]
    rebuilt = n.new_node(builder, name="rest", location={"x": 1, "y": 2})
    assert rebuilt.type == "RESTAPI"
    with pytest.raises(ParameterError, match="needs node_type"):
        n.new_node(n.GenericNode(undocumented={"url": "u"}), name="x", location={"x": 0, "y": 0})


def test_unknown_properties_of_a_documented_type_are_kept() -> None:
    node = {"type": "Shell", "properties": [{"name": "scriptName", "value": "s"},
                                            {"name": "connectionName", "value": "c"},
                                            {"name": "shellTimeout", "value": "30"}]}
    builder = n.node_properties(node)
    assert isinstance(builder, n.ShellNode) and builder.undocumented == {"shellTimeout": "30"}
    builder.arguments = "-v"
    assert builder.to_properties() == [*node["properties"], {"name": "arguments", "value": "-v"}]


def test_building_fails_before_sending() -> None:
    with pytest.raises(ParameterError) as error:
        n.ShellNode(script_name="s")  # type: ignore[call-arg]
    assert error.value.problems == ("missing connectionName (connection_name)",)
    with pytest.raises(ParameterError) as error:
        n.ObsManagerNode(action="CREATE_PAHT", path="obs://b/p")
    assert error.value.problems == (("action (action): 'CREATE_PAHT' is not one of CREATE_PATH, "
                                    "DELETE_PATH; did you mean 'CREATE_PATH'?"),)
    with pytest.raises(ParameterError) as error:
        n.CdmJobNode(cluster_name="c", job_name="j", jobname="j")  # type: ignore[call-arg]
    assert error.value.problems == ("unknown parameter 'jobname'; did you mean 'jobName' (job_name)?",)


def test_a_node_built_in_python_is_accepted_by_create_job() -> None:
    cdm_node = n.new_node(n.CdmJobNode(cluster_name="cdm-cluster", job_name="mysql2obs"),
                          name="migrate", location={"x": 10, "y": 20}, fail_policy="FAIL_CHILD")
    job = Job(name="nightly", nodes=[cdm_node], schedule=JobSchedule(type="EXECUTE_ONCE"),
              process_type="BATCH")
    service = MockService()
    service.on("POST", r".*/jobs", {}, status=204)
    with DlfClient(base_url="http://dlf.test", project_id=PROJECT, token="t",
                   http_client=httpx.Client(transport=service.transport())) as dlf:
        dlf.jobs.create(body=job)
    (sent,) = service.sent("POST")
    op = fl.operations("dlf")["CreateJob"].operation
    schema = op["requestBody"]["content"]["application/json"]["schema"]["$ref"].lstrip("#")
    assert fl.schema_errors("dlf", schema, sent) == []
    assert sent["nodes"][0]["properties"] == [{"name": "clusterName", "value": "cdm-cluster"},
                                              {"name": "jobName", "value": "mysql2obs"}]
    assert sent["nodes"][0]["failPolicy"] == "FAIL_CHILD"


def test_a_misspelt_node_field_fails_naming_the_nearest_one() -> None:
    """Issue 21 item 6: `fail_polcy=` was kept as an unknown field and sent."""
    builder = n.CdmJobNode(cluster_name="c", job_name="j")
    with pytest.raises(ParameterError) as error:
        n.new_node(builder, name="m", location={"x": 0, "y": 0},
                   fail_polcy="IGNORE")  # type: ignore[call-arg]
    assert error.value.problems == (
        "unknown node field 'fail_polcy'; did you mean 'fail_policy' (failPolicy)?",)
    with pytest.raises(ParameterError, match="unknown node field 'type'"):  # new_node's own
        n.new_node(builder, name="m", location={"x": 0, "y": 0},
                   type="Shell")  # type: ignore[call-arg]


def test_node_fields_are_taken_by_python_or_wire_name() -> None:
    builder = n.CdmJobNode(cluster_name="c", job_name="j")
    node = n.new_node(builder, name="m", location={"x": 0, "y": 0}, retry_times=3,
                      pre_node_name=["a"], conditions=[{"preNodeName": "a", "expression": "#{1}"}],
                      failPolicy="IGNORE")  # type: ignore[call-arg]
    wire = node.model_dump(by_alias=True, exclude_unset=True)
    assert (wire["retryTimes"], wire["preNodeName"], wire["failPolicy"]) == (3, ["a"], "IGNORE")
    assert wire["conditions"] == [{"preNodeName": "a", "expression": "#{1}"}]
    assert set(n.NodeFields.__annotations__) == {
        name for name in JobNode.model_fields if name not in {"name", "type", "location",
                                                              "properties"}}
