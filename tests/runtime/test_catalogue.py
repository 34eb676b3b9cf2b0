"""Typed name/value lists (templates/runtime/catalogue.py, connectors.py, nodes.py), on small
hand-made sections: building, checks, the lossless round trip, percent-decoding and redaction.
The generated modules are tested against the real catalogues in tests/catalogues."""

from __future__ import annotations

import copy
from typing import Annotated, Any, ClassVar, Literal

import pytest
from pydantic import Field, SecretStr

from templates.runtime.catalogue import (
    Parameter,
    ParameterError,
    condition_holds,
    typed_value,
    wire_text,
)
from templates.runtime.connectors import (
    DestinationConfig,
    LinkConfig,
    Section,
    SourceConfig,
    TaskSection,
    UndocumentedLinkConfig,
    check_names,
    job_body,
    link_body,
    read_config,
    updated_job_body,
    updated_link_body,
)
from templates.runtime.errors import DataArtsError
from templates.runtime.nodes import GenericNode, NodeProperties, read_node

SECRET = "s3cr3t-Pa55word"


class DemoLink(LinkConfig):
    SECTION: ClassVar[Section] = Section(
        "link-config-values", "demo", "9.9.1", "Demo link", connectors=("demo-connector",)
    )
    PARAMETERS: ClassVar[tuple[Parameter, ...]] = (
        Parameter("linkConfig.host", "host", required=True),
        Parameter("linkConfig.version", "version", required=True, enum=("V1", "V2")),
        Parameter("linkConfig.mode", "mode", enum=("Simple", "Kerberos")),
        Parameter("linkConfig.tuning", "tuning", required_when=(("linkConfig.version", ("V2",)),)),
        Parameter("linkConfig.password", "password", secret=True),
        Parameter("linkConfig.useTls", "use_tls", kind="boolean"),
        Parameter("linkConfig.retries", "retries", kind="integer"),
        Parameter("linkConfig.properties", "properties", kind="map"),
        Parameter("dialect.quote", "quote"),
    )

    host: Annotated[str, Field(alias="linkConfig.host")]
    version: Annotated[Literal["V1", "V2"] | str, Field(alias="linkConfig.version")]
    mode: Annotated[Literal["Simple", "Kerberos"] | str | None, Field(alias="linkConfig.mode")] = None
    tuning: Annotated[str | None, Field(alias="linkConfig.tuning")] = None
    password: Annotated[SecretStr | None, Field(alias="linkConfig.password")] = None
    use_tls: Annotated[bool | None, Field(alias="linkConfig.useTls")] = None
    retries: Annotated[int | None, Field(alias="linkConfig.retries")] = None
    properties: Annotated[dict[str, str] | str | None, Field(alias="linkConfig.properties")] = None
    quote: Annotated[str | None, Field(alias="dialect.quote")] = None


class OtherDemoLink(LinkConfig):
    """Another section of the same connector (as HBase and CloudTable share hbase-connector)."""

    SECTION: ClassVar[Section] = Section(
        "link-config-values", "other", "9.9.2", "Other link", connectors=("demo-connector",)
    )
    PARAMETERS: ClassVar[tuple[Parameter, ...]] = (
        Parameter("linkConfig.host", "host"),
        Parameter("linkConfig.zone", "zone"),
        Parameter("linkConfig.token", "token", secret=True),
    )

    host: Annotated[str | None, Field(alias="linkConfig.host")] = None
    zone: Annotated[str | None, Field(alias="linkConfig.zone")] = None
    token: Annotated[SecretStr | None, Field(alias="linkConfig.token")] = None


class DemoSource(SourceConfig):
    SECTION: ClassVar[Section] = Section(
        "from-config-values", "demo", "9.9.3", "Demo source", connectors=("demo-connector",)
    )
    PARAMETERS: ClassVar[tuple[Parameter, ...]] = (Parameter("fromJobConfig.table", "table"),)

    table: Annotated[str | None, Field(alias="fromJobConfig.table")] = None


class DemoDestination(DestinationConfig):
    SECTION: ClassVar[Section] = Section(
        "to-config-values", "demo", "9.9.4", "Demo destination", connectors=("demo-connector",)
    )
    PARAMETERS: ClassVar[tuple[Parameter, ...]] = (
        Parameter(
            "toJobConfig.prepare",
            "prepare",
            required_when=(
                ("from-connector-name", ("demo-connector",)),
                ("fromJobConfig.table", ("orders",)),
            ),
        ),
    )

    prepare: Annotated[str | None, Field(alias="toJobConfig.prepare")] = None


class DemoTask(TaskSection):
    SECTION: ClassVar[Section] = Section(
        "driver-config-values", "task", "9.9.5", "Task", example_only=("throttlingConfig.x",)
    )
    PARAMETERS: ClassVar[tuple[Parameter, ...]] = (
        Parameter("throttlingConfig.numExtractors", "num_extractors", kind="integer"),
    )

    num_extractors: Annotated[int | None, Field(alias="throttlingConfig.numExtractors")] = None


class DemoNode(NodeProperties):
    NODE_TYPE: ClassVar[str] = "Demo"
    PARAMETERS: ClassVar[tuple[Parameter, ...]] = (
        Parameter("scriptName", "script_name", required=True),
        Parameter("method", "method", enum=("GET", "POST")),
    )

    script_name: Annotated[str, Field(alias="scriptName")]
    method: Annotated[Literal["GET", "POST"] | str | None, Field(alias="method")] = None


def demo(**changes: Any) -> DemoLink:
    values: dict[str, Any] = {"host": "10.0.0.1", "version": "V1", **changes}
    return DemoLink(**values)


def problems(error: pytest.ExceptionInfo[ParameterError]) -> tuple[str, ...]:
    return error.value.problems


# -- building in Python ---------------------------------------------------------------------------


def test_inputs_are_grouped_by_prefix_in_catalogue_order_and_sent_as_strings() -> None:
    link = demo(quote="`", use_tls=True, retries=3, properties={"a": "1"},
                password=SecretStr(SECRET), mode="Kerberos")
    assert link.to_config_values() == {"configs": [
        {"name": "linkConfig", "inputs": [
            {"name": "linkConfig.host", "value": "10.0.0.1"},
            {"name": "linkConfig.version", "value": "V1"},
            {"name": "linkConfig.mode", "value": "Kerberos"},
            {"name": "linkConfig.password", "value": SECRET},
            {"name": "linkConfig.useTls", "value": "true"},
            {"name": "linkConfig.retries", "value": "3"},
            {"name": "linkConfig.properties", "value": '{"a":"1"}'},
        ]},
        {"name": "dialect", "inputs": [{"name": "dialect.quote", "value": "`"}]},
    ]}


def test_wire_names_work_as_keywords_too() -> None:
    link = DemoLink(**{"linkConfig.host": "h", "linkConfig.version": "V2", "linkConfig.tuning": "t"})
    assert (link.host, link.version, link.tuning) == ("h", "V2", "t")


def test_a_misspelled_name_fails_naming_the_nearest_documented_one() -> None:
    with pytest.raises(ParameterError) as error:
        demo(hots="x")
    assert problems(error) == ("unknown parameter 'hots'; did you mean 'host' (linkConfig.host)?",)
    with pytest.raises(ParameterError) as error:
        demo(**{"linkConfig.useTLS": "true"})
    assert problems(error) == (
        "unknown parameter 'linkConfig.useTLS'; did you mean 'linkConfig.useTls' (use_tls)?",)
    link = demo()
    with pytest.raises(ParameterError) as error:
        link.retires = 3
    assert problems(error) == (("unknown parameter 'retires'; did you mean 'retries' "
                               "(linkConfig.retries)?"),)
    assert isinstance(error.value, DataArtsError) and isinstance(error.value, ValueError)
    assert str(error.value).startswith("DemoLink (9.9.1 Demo link): unknown parameter 'retires'")


def test_a_value_outside_the_enum_fails_with_the_nearest_value() -> None:
    with pytest.raises(ParameterError) as error:
        demo(version="v20")
    assert problems(error) == (("linkConfig.version (version): 'v20' is not one of V1, V2; "
                               "did you mean 'V2'?"),)
    link = demo()
    with pytest.raises(ParameterError) as error:
        link.mode = "Kerbros"
    assert problems(error) == (("linkConfig.mode (mode): 'Kerbros' is not one of Simple, Kerberos; "
                               "did you mean 'Kerberos'?"),)
    assert link.mode is None  # the failed assignment changed nothing


def test_enums_compare_case_insensitively_as_tables_and_samples_disagree_on_case() -> None:
    assert demo(mode="KERBEROS").mode == "KERBEROS"


def test_a_missing_required_input_fails() -> None:
    with pytest.raises(ParameterError) as error:
        DemoLink(host="h")  # type: ignore[call-arg]
    assert problems(error) == ("missing linkConfig.version (version)",)


def test_a_conditionally_required_input_fails_only_when_its_condition_holds() -> None:
    assert demo(version="V1").tuning is None
    with pytest.raises(ParameterError) as error:
        demo(version="V2")
    assert problems(error) == ("missing linkConfig.tuning (tuning) when linkConfig.version is V2",)
    link = demo(version="V1")
    link.version = "V2"  # assignments are checked before sending, not one by one
    with pytest.raises(ParameterError, match="missing linkConfig.tuning"):
        link.to_config_values()
    link.tuning = "fast"
    assert {"name": "linkConfig.tuning", "value": "fast"} in link.to_config_values()["configs"][0]["inputs"]


def test_wrong_types_fail_without_showing_the_value() -> None:
    with pytest.raises(ParameterError) as error:
        demo(retries=SECRET)
    (problem,) = problems(error)
    assert problem.startswith("linkConfig.retries (retries): Input should be a valid integer")
    assert SECRET not in str(error.value)


# -- reading from the wire -------------------------------------------------------------------------

WIRE = {
    "configs": [
        {"inputs": [
            {"name": "linkConfig.host", "type": "STRING", "value": "10.0.0.2"},
            {"name": "linkConfig.retries", "type": "INTEGER", "value": 22},
            {"name": "linkConfig.version", "value": "V9"},
            {"name": "linkConfig.useTls", "value": "TRUE"},
            {"name": "linkConfig.properties", "value": "{\"k\": \"v\"}"},
            {"name": "linkConfig.password", "value": SECRET},
            {"name": "linkConfig.newerSetting", "value": "x%2Fy"},
            "not a pair",
            {"name": "linkConfig.host", "value": "repeated"},
        ], "name": "linkConfig"},
        {"inputs": [], "name": "emptyGroup"},
    ],
    "extended-configs": {"name": "ext", "value": "e"},
}


def test_values_read_from_the_wire_are_typed_where_they_fit_and_kept_where_not() -> None:
    link = DemoLink.from_config_values(WIRE)
    assert link.host == "10.0.0.2"
    assert link.retries == 22
    assert link.version == "V9"  # outside the enum: a server value reads fine
    assert link.use_tls is True
    assert link.properties == {"k": "v"}
    assert link.password == SecretStr(SECRET)
    assert link.undocumented == {"linkConfig.newerSetting": "x/y"}  # percent-decoded
    assert DemoLink.from_config_values(WIRE, decode=False).undocumented == {
        "linkConfig.newerSetting": "x%2Fy"}
    assert DemoLink.from_config_values({"configs": [{"name": "linkConfig", "inputs": [
        {"name": "linkConfig.retries", "value": "many"}]}]}).retries == "many"


def test_an_unchanged_read_goes_back_exactly_as_it_came() -> None:
    original = copy.deepcopy(WIRE)
    assert DemoLink.from_config_values(WIRE).to_config_values() == original
    assert WIRE == original  # reading did not touch the caller's data


def test_a_change_touches_only_its_input() -> None:
    link = DemoLink.from_config_values(WIRE)
    link.retries = 5
    link.use_tls = None  # removed
    link.mode = "Simple"  # new: appended to its group
    link.quote = '"'  # new group
    link.undocumented["linkConfig.extra"] = "e"
    del link.undocumented["linkConfig.newerSetting"]
    out = link.to_config_values()
    inputs = out["configs"][0]["inputs"]
    assert inputs == [
        {"name": "linkConfig.host", "type": "STRING", "value": "10.0.0.2"},
        {"name": "linkConfig.retries", "type": "INTEGER", "value": "5"},
        {"name": "linkConfig.version", "value": "V9"},
        {"name": "linkConfig.properties", "value": "{\"k\": \"v\"}"},
        {"name": "linkConfig.password", "value": SECRET},
        "not a pair",
        {"name": "linkConfig.host", "value": "repeated"},
        {"name": "linkConfig.mode", "value": "Simple"},
        {"name": "linkConfig.extra", "value": "e"},
    ]
    assert out["configs"][1:] == [WIRE["configs"][1], {"name": "dialect", "inputs": [
        {"name": "dialect.quote", "value": '"'}]}]
    assert out["extended-configs"] == WIRE["extended-configs"]


def test_pairs_without_a_value_survive_the_round_trip() -> None:
    wire = {"configs": [{"name": "linkConfig", "inputs": [
        {"name": "linkConfig.host", "value": None}, {"name": "linkConfig.later"}]}]}
    link = DemoLink.from_config_values(wire)
    assert (link.host, link.undocumented) == (None, {})
    assert link.to_config_values() == wire
    link.host = "h"
    assert link.to_config_values()["configs"][0]["inputs"][0] == {"name": "linkConfig.host",
                                                                 "value": "h"}


def test_mutating_a_read_map_in_place_is_a_change() -> None:
    link = DemoLink.from_config_values(WIRE)
    assert isinstance(link.properties, dict)
    link.properties["k2"] = "v2"
    sent = link.to_config_values()["configs"][0]["inputs"][4]
    assert sent == {"name": "linkConfig.properties", "value": '{"k":"v","k2":"v2"}'}


def test_percent_encoded_values_are_decoded_for_the_typed_view_and_kept_raw_when_unchanged() -> None:
    wire = {"configs": [{"name": "linkConfig", "inputs": [
        {"name": "linkConfig.host", "value": "%2Fin%2F"},
        {"name": "linkConfig.tuning", "value": "2026-01-01%2000%3A00%3A00"},
        {"name": "linkConfig.version", "value": "V2"},
    ]}]}
    link = DemoLink.from_config_values(wire)
    assert (link.host, link.tuning) == ("/in/", "2026-01-01 00:00:00")
    assert link.to_config_values() == wire  # as the service sent them
    link.host = "/out/"
    assert link.to_config_values()["configs"][0]["inputs"][0] == {"name": "linkConfig.host",
                                                                 "value": "/out/"}


def test_what_the_service_holds_never_blocks_sending_it_back() -> None:
    """Read without required inputs, the config goes back; what the caller changes is checked."""
    link = DemoLink.from_config_values({"configs": [{"name": "linkConfig", "inputs": [
        {"name": "linkConfig.version", "value": "V1"}]}]})
    assert link.host is None
    link.to_config_values()
    link.version = "V2"  # now the condition of linkConfig.tuning holds, and the caller made it so
    with pytest.raises(ParameterError) as error:
        link.to_config_values()
    assert problems(error) == ("missing linkConfig.tuning (tuning) when linkConfig.version is V2",)


# -- secrets --------------------------------------------------------------------------------------


def test_secrets_never_appear_in_reprs_or_messages() -> None:
    link = demo(password=SecretStr(SECRET))
    link.undocumented["linkConfig.apiToken"] = SECRET
    other = OtherDemoLink(token=SecretStr(SECRET))
    read = DemoLink.from_config_values(WIRE)
    for shown in (repr(link), str(link), repr(other), repr(read), f"{link!r}"):
        assert SECRET not in shown
    assert "password='<redacted>'" in repr(link)
    assert "'linkConfig.apiToken': '<redacted>'" in repr(link)
    with pytest.raises(ParameterError) as error:
        demo(password=123)
    assert SECRET not in str(error.value)


# -- sections, links and jobs ---------------------------------------------------------------------

REGISTRY: dict[str, type[LinkConfig]] = {"demo": DemoLink, "other": OtherDemoLink}


def link_with(connector: str, *names: str) -> dict[str, Any]:
    inputs = [{"name": name, "value": "v"} for name in names]
    return {"name": "l", "connector-name": connector,
            "link-config-values": {"configs": [{"name": "linkConfig", "inputs": inputs}]}}


def test_sections_sharing_a_connector_are_told_apart_by_their_inputs() -> None:
    read = read_config(REGISTRY, UndocumentedLinkConfig, link_with(
        "demo-connector", "linkConfig.host", "linkConfig.zone"), "link-config-values", decode=True)
    assert type(read) is OtherDemoLink
    read = read_config(REGISTRY, UndocumentedLinkConfig, link_with(
        "demo-connector", "linkConfig.host", "linkConfig.version"), "link-config-values", decode=True)
    assert type(read) is DemoLink


def test_an_undocumented_connector_reads_losslessly() -> None:
    link = link_with("new-connector", "linkConfig.anything")
    read = read_config(REGISTRY, UndocumentedLinkConfig, link, "link-config-values", decode=True)
    assert type(read) is UndocumentedLinkConfig
    assert read.undocumented == {"linkConfig.anything": "v"}
    assert read.to_config_values() == link["link-config-values"]


def test_link_bodies_name_the_sections_connector() -> None:
    body = link_body(demo(), name="demo_link", connector=None)
    assert body["connector-name"] == "demo-connector" and body["name"] == "demo_link"
    copied = link_body(DemoLink.from_config_values(WIRE), name="copy", connector=None)
    values = [i["value"] for i in copied["link-config-values"]["configs"][0]["inputs"]
              if isinstance(i, dict)]
    assert "22" in values and all(isinstance(v, str) for v in values)  # a new link sends strings
    with pytest.raises(ParameterError, match="documented for demo-connector, not 'x'"):
        link_body(demo(), name="l", connector="x")


def test_a_job_checks_conditions_across_its_configs_and_fields() -> None:
    def body(table: str) -> dict[str, Any]:
        return job_body(
            name="j", source=DemoSource(table=table), destination=DemoDestination(),
            task=DemoTask(num_extractors=2), from_link_name="a", to_link_name="b",
            from_connector=None, to_connector=None, job_type="NORMAL_JOB",
        )

    assert body("customers")["to-config-values"] == {"configs": []}
    with pytest.raises(ParameterError) as error:
        body("orders")
    assert problems(error) == (("DemoDestination (9.9.4 Demo destination): missing "
                               "toJobConfig.prepare (prepare) when from-connector-name is "
                               "demo-connector and fromJobConfig.table is orders"),)


def test_updates_replace_only_the_given_configs() -> None:
    job = {"name": "j", "from-connector-name": "demo-connector", "status": "NEW",
           "from-config-values": {"configs": [{"name": "fromJobConfig", "inputs": [
               {"name": "fromJobConfig.table", "value": "customers"}]}]},
           "to-config-values": {"configs": []}, "driver-config-values": {"configs": []}}
    out = updated_job_body(job, source=None, destination=None, task=DemoTask(num_extractors=4))
    assert out == {**job, "driver-config-values": {"configs": [{"name": "throttlingConfig",
        "inputs": [{"name": "throttlingConfig.numExtractors", "value": "4"}]}]}}
    with pytest.raises(ParameterError, match="missing toJobConfig.prepare"):
        updated_job_body(job, source=DemoSource(table="orders"), destination=DemoDestination(),
                         task=None)
    link = link_with("demo-connector", "linkConfig.host")
    assert updated_link_body(link, OtherDemoLink(zone="z"))["link-config-values"] == {
        "configs": [{"name": "linkConfig", "inputs": [{"name": "linkConfig.zone", "value": "z"}]}]}


def test_flat_names_are_checked_against_the_connectors_sections() -> None:
    registries = [REGISTRY, {"demo": DemoSource}, {"task": DemoTask}]
    check_names({"linkConfig.zone": 1, "fromJobConfig.table": "t", "throttlingConfig.x": 1},
                "demo-connector", registries)
    with pytest.raises(ParameterError) as error:
        check_names({"linkConfig.zome": 1, "fromJobConfig.table": "t"}, "other-connector",
                    registries)
    assert problems(error) == (
        ("'linkConfig.zome': no section of link-config-values documents the connector "
        "'other-connector'"),
        ("'fromJobConfig.table': no section of from-config-values documents the connector "
        "'other-connector'"),
    )
    with pytest.raises(ParameterError) as error:
        check_names({"linkConfig.zome": 1, "throttlingConfg.numExtractors": 1}, "demo-connector",
                    registries)
    assert problems(error) == (
        "unknown parameter 'linkConfig.zome'; did you mean 'linkConfig.zone' (zone)?",
        ("unknown parameter 'throttlingConfg.numExtractors'; did you mean "
        "'throttlingConfig.numExtractors' (num_extractors)?"),
    )


# -- nodes ----------------------------------------------------------------------------------------


def test_node_properties_round_trip_and_keep_what_is_undocumented() -> None:
    node = {"name": "n", "type": "Demo", "properties": [
        {"name": "scriptName", "value": "s"}, {"name": "future", "value": "f"}]}
    read = read_node({"Demo": DemoNode}, node)
    assert isinstance(read, DemoNode) and read.script_name == "s"
    assert read.undocumented == {"future": "f"}
    assert read.to_properties() == node["properties"]
    read.method = "POST"
    assert read.to_properties()[-1] == {"name": "method", "value": "POST"}
    with pytest.raises(ParameterError, match="'PUSH' is not one of GET, POST"):
        DemoNode(script_name="s", method="PUSH")


def test_an_undocumented_node_type_is_a_generic_node() -> None:
    node = {"type": "RESTAPI", "properties": [{"name": "url", "value": "https://x"},
                                              {"name": "retry", "value": "false"}]}
    read = read_node({"Demo": DemoNode}, node)
    assert type(read) is GenericNode and read.node_type == "RESTAPI"
    assert read.to_properties() == node["properties"]


# -- conversions ----------------------------------------------------------------------------------


@pytest.mark.parametrize(("kind", "text", "value"), [
    ("boolean", "false", False), ("boolean", "yes", "yes"), ("integer", "-3", -3),
    ("integer", "3.5", "3.5"), ("number", "3.5", 3.5), ("map", "[1]", "[1]"),
    ("array", '["a"]', ["a"]), ("string", "x", "x"),
])
def test_typed_values(kind: str, text: str, value: Any) -> None:
    assert typed_value(Parameter("g.n", "n", kind=kind), text) == value


def test_wire_text_refuses_values_it_cannot_send() -> None:
    assert wire_text(SecretStr("k")) == "k" and wire_text([1, "a"]) == '[1,"a"]'
    with pytest.raises(TypeError, match="cannot send a object"):
        wire_text(object())


def test_condition_semantics_are_and_across_keys_or_within_a_key() -> None:
    condition = {"type": ["DLISQL", "SparkSQL"], "mode": [True]}
    assert condition_holds(condition, {"type": "SparkSQL", "mode": True})
    assert not condition_holds(condition, {"type": "SparkSQL", "mode": False})
    assert not condition_holds(condition, {"type": "SparkSQL"})  # an absent key never holds
    assert not condition_holds(condition, {"type": "Shell", "mode": True})
