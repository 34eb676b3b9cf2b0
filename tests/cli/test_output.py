"""What the command line prints: tables (-o table), JSON, and the wait display on a terminal and
off one (dataarts.cli.output, dataarts.cli.progress)."""

from __future__ import annotations

import io
import json

import pytest

from dataarts import WaitProgress
from dataarts.cdm.models import ShowJobStatusResponse
from dataarts.cli.output import emit, plain
from dataarts.cli.progress import WaitReporter


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
    model = ShowJobStatusResponse.model_validate(
        {"submissions": [{"job-name": "j", "status": "RUNNING", "newField": 1}]}
    )
    emit(plain(model), "json")
    assert json.loads(capsys.readouterr().out) == {
        "submissions": [{"job-name": "j", "status": "RUNNING", "newField": 1}]
    }


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


def test_one_object_is_a_table_of_fields(capsys: pytest.CaptureFixture[str]) -> None:
    emit({"submissions": [{"status": "SUCCEEDED", "progress": 100, "counters": {"a": 1}}]}, "table")
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].split() == ["field", "value"]
    assert [line.split(None, 1) for line in lines[2:]] == [
        ["status", "SUCCEEDED"], ["progress", "100"], ["counters", '{"a": 1}']
    ]


def test_an_empty_list_prints_nothing_as_a_table(capsys: pytest.CaptureFixture[str]) -> None:
    emit({"total": 0, "jobs": []}, "table")
    assert capsys.readouterr().out == ""
