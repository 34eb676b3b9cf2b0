"""What the command line prints: tables (-o table), JSON, --query, and the wait display on a
terminal and off one (dataarts.cli.output, dataarts.cli.shapes, dataarts.cli.progress)."""

from __future__ import annotations

import io
import json
import os
import time
from collections.abc import Iterator
from typing import Any

import pytest

from dataarts import WaitProgress
from dataarts.cdm.models import ShowJobStatusResponse
from dataarts.cli.output import emit, plain
from dataarts.cli.progress import WaitReporter
from dataarts.cli.shapes import is_time, local_time, shape_of


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def seen(attempt: int, state: str | None, progress: float | None = None) -> WaitProgress[None]:
    return WaitProgress("w", attempt, attempt * 5.0, state, progress, None)


def test_on_a_terminal_a_bar_is_redrawn_in_place_and_left_on_screen() -> None:
    screen = Terminal()
    with WaitReporter("cdm jobs start", has_progress=True, stream=screen) as report:
        report(seen(1, "BOOTING", 0))
        report(seen(2, "RUNNING", 50))
    drawn = screen.getvalue()
    assert drawn.count("\r") == 2 and drawn.endswith("\n")
    last = drawn.split("\r")[-1]
    assert last.startswith("[############------------]  50% cdm jobs start: RUNNING 50%  0:10")


def test_without_progress_a_spinner_turns() -> None:
    screen = Terminal()
    with WaitReporter("cdm clusters wait", has_progress=False, stream=screen) as report:
        report(seen(1, "100"))
        report(seen(2, "100"))
    frames = [frame[:1] for frame in screen.getvalue().split("\r")[1:]]
    assert frames == ["/", "-"]


def test_off_a_terminal_one_line_per_change() -> None:
    log = io.StringIO()
    with WaitReporter("cdm jobs start", has_progress=True, stream=log) as report:
        for attempt, (state, progress) in enumerate(
            [("BOOTING", 0), ("BOOTING", 0), ("RUNNING", 10), ("SUCCEEDED", 100)], 1
        ):
            report(seen(attempt, state, progress))
    assert log.getvalue().splitlines() == [
        "cdm jobs start: BOOTING 0% (5 s)",
        "cdm jobs start: RUNNING 10% (15 s)",
        "cdm jobs start: SUCCEEDED 100% (20 s)",
    ]


def test_json_uses_the_wire_names_and_keeps_unknown_fields(capsys: pytest.CaptureFixture[str]) -> None:
    run = {"job-name": "j", "creation-user": "cdm", "creation-date": 1, "progress": 50,
           "status": "RUNNING", "newField": 1}  # every field a run always carries, and one more
    model = ShowJobStatusResponse.model_validate({"submissions": [run]})
    emit(plain(model), "json")
    assert json.loads(capsys.readouterr().out) == {"submissions": [run]}


def test_json_redacts_secrets(capsys: pytest.CaptureFixture[str]) -> None:
    emit({"inputs": [{"name": "linkConfig.password", "value": "pw"}], "token": "x"}, "json")
    assert json.loads(capsys.readouterr().out) == {
        "inputs": [{"name": "linkConfig.password", "value": "<redacted>"}], "token": "<redacted>"
    }


def test_a_page_of_objects_is_a_table_of_rows(capsys: pytest.CaptureFixture[str]) -> None:
    page = {"total": 2, "clusters": [{"id": "a", "status": "200", "instances": []},
                                     {"id": "b", "status": "100", "name": "x" * 80}]}
    emit(page, "table")
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].split() == ["id", "status", "name"]  # scalar fields only
    assert set(lines[1]) <= {"-", " "}
    assert lines[2].split() == ["a", "200"] and lines[3].split()[:2] == ["b", "100"]
    assert lines[3].endswith("x" * 59 + "…")  # long cells are cut; JSON has everything


def test_a_list_of_one_item_is_still_a_row(capsys: pytest.CaptureFixture[str]) -> None:
    emit({"submissions": [{"status": "SUCCEEDED", "progress": 100, "counters": {"a": 1}}]}, "table")
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].split() == ["status", "progress", "counters"]
    assert lines[2].split() == ["SUCCEEDED", "100", "a=1"]  # a nested object, flat
    assert len(lines) == 3


def test_one_object_is_a_table_of_fields(capsys: pytest.CaptureFixture[str]) -> None:
    emit({"id": "c1", "datastore": {"type": "cdm", "version": "2.9"}, "tags": ["a", "b"],
          "instances": [{"name": "n1", "status": "200"}, {"name": "n2"}]}, "table")
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].split() == ["field", "value"]
    assert [line.split(None, 1) for line in lines[2:]] == [
        ["id", "c1"], ["datastore.type", "cdm"], ["datastore.version", "2.9"],
        ["tags", "a, b"], ["instances", "2: n1, n2"],
    ]


def test_an_empty_list_prints_its_documented_header(capsys: pytest.CaptureFixture[str]) -> None:
    emit({"total": 0, "jobs": []}, "table", shape=shape_of("cdm", "ShowJobsResponse"))
    header, rule = capsys.readouterr().out.splitlines()
    assert {"name", "status", "creation-date", "from-link-name"} <= set(header.split())
    assert set(rule) == {"-", " "}
    emit([], "table", shape=shape_of("dlf", "JobListItem", many=True))  # `--all` of no page
    assert "lastInstanceStatus" in capsys.readouterr().out.splitlines()[0].split()


def test_nested_lists_are_summarised_not_cut(capsys: pytest.CaptureFixture[str]) -> None:
    """`cdm flavors list`: one version, its flavors named in a cell with their count."""
    flavors = [{"cpu": 4, "name": "cdm.medium", "str_id": "x" * 36},
               {"cpu": 8, "name": "cdm.large", "str_id": "y" * 36}]
    emit({"id": "v", "dbname": "cdm", "versions": [{"id": "v1", "name": "2.9", "flavors": flavors}]},
         "table")
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].split() == ["id", "name", "flavors"]
    assert lines[2].endswith("2: cdm.medium, cdm.large")


def test_cdm_config_values_are_flat_decoded_and_redacted(capsys: pytest.CaptureFixture[str]) -> None:
    link = {"name": "obs", "link-config-values": {"configs": [{"name": "linkConfig", "inputs": [
        {"name": "linkConfig.host", "value": "10.0.0.1"},
        {"name": "linkConfig.path", "value": "%2Fin%2F"},  # as the service answers it
        {"name": "linkConfig.password", "value": "pw-secret"},
    ]}]}}
    emit({"links": [link]}, "table")
    row = capsys.readouterr().out.splitlines()[2]
    assert "linkConfig.host=10.0.0.1, linkConfig.path=/in/, linkConfig.…" in row  # cells are cut
    emit(link, "table")  # one object: a line per input, in full
    lines = [line.split() for line in capsys.readouterr().out.splitlines()[2:]]
    assert lines == [["name", "obs"], ["linkConfig.host", "10.0.0.1"], ["linkConfig.path", "/in/"],
                     ["linkConfig.password", "<redacted>"]]


@pytest.fixture
def shanghai() -> Iterator[None]:
    """Local time is UTC+8 (no summer time) for the test."""
    before = os.environ.get("TZ")
    os.environ["TZ"] = "Asia/Shanghai"
    time.tzset()
    yield
    if before is None:
        del os.environ["TZ"]
    else:
        os.environ["TZ"] = before
    time.tzset()


def test_table_times_are_local_iso_and_json_keeps_the_wire_value(
    capsys: pytest.CaptureFixture[str], shanghai: None
) -> None:
    page = {"total": 1, "jobs": [{"name": "j", "creation-date": 1714530600000, "update-date": 0,
                                  "execute_start_date": 1714530600123}]}
    emit(page, "table", shape=shape_of("cdm", "ShowJobsResponse"))
    row = capsys.readouterr().out.splitlines()[2].split()
    assert row == ["j", "2024-05-01T10:30:00+08:00", "0", "2024-05-01T10:30:00.123+08:00"]
    emit(page, "json", shape=shape_of("cdm", "ShowJobsResponse"))
    assert json.loads(capsys.readouterr().out) == page


def test_the_spec_says_which_fields_are_times() -> None:
    """Times are what the documents describe as such (format date-time, or milliseconds
    documented as a time); durations in milliseconds and undocumented integers are not."""
    def properties(service: str, schema: str) -> dict[str, Any]:
        shape = shape_of(service, schema)
        assert shape is not None
        found: dict[str, Any] = shape.document["components"]["schemas"][schema]["properties"]
        return found

    job = properties("cdm", "Job")
    assert is_time(job["creation-date"]) and is_time(job["update-date"])
    assert not is_time(job["files_read"])
    listed = properties("dlf", "JobListItem")
    assert is_time(listed["createTime"]) and is_time(listed["lastInstanceEndTime"])
    depend = properties("factory", "DependInstance")  # milliseconds that are durations
    assert not is_time(depend["running_time"]) and not is_time(depend["avg_execute_time_ms"])
    assert not is_time(properties("factory", "Baseline")["buffer"])  # a margin
    assert is_time({"type": "string", "format": "date-time"})


def test_a_date_time_with_a_zone_is_shown_local(shanghai: None) -> None:
    stamp = {"type": "string", "format": "date-time"}
    assert local_time("2024-05-01T02:30:00Z", stamp) == "2024-05-01T10:30:00+08:00"
    assert local_time("2024-05-01T02:30:00", stamp) == "2024-05-01T02:30:00"  # no zone: as sent
    assert local_time("soon", stamp) == "soon"


def test_query_selects_from_the_redacted_answer(capsys: pytest.CaptureFixture[str]) -> None:
    import jmespath

    data = {"clusters": [{"name": "a", "password": "pw"}, {"name": "b"}]}
    emit(data, "json", query=jmespath.compile("clusters[].name"))
    assert json.loads(capsys.readouterr().out) == ["a", "b"]
    emit(data, "table", query=jmespath.compile("clusters[].name"))
    assert capsys.readouterr().out.splitlines() == ["a", "b"]  # values: one a line
    emit(data, "json", query=jmespath.compile("clusters[0].password"))
    assert json.loads(capsys.readouterr().out) == "<redacted>"
