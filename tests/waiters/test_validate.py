"""`x-sdk-waiters` validation (generator/waiter_rules.py): each rule accepts the valid waiter and
reports the broken one at its file, line and JSON pointer.

WAITER_SPEC is the generator tests' BASE_SPEC with a status on Widget and two waiters; a test
changes one thing, and `# @name` marks the line the problem must be reported at.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from generator.build import build_api
from generator.validate import project_problems
from tests.generator.conftest import BASE_SPEC, line_of, load_text, replace_once

WAITERS = """\
x-sdk-client: Widgets
x-sdk-waiters:
  - name: ready
    summary: Wait until the widget is ready.
    operation: ShowWidget
    state: /status
    progress: /progress
    reason: /why
    success: [READY]
    failure: [BROKEN]
    retry: [BUILDING]
    delay: 5
    backoff: 1.5
    max-delay: 30
    timeout: 600
    after:
      - operation: CreateWidget
        parameters:
          widget_id: $response.body#/name
  - name: gone
    summary: Wait until the widget is gone.
    operation: ShowWidget
    state: /status
    success: []
    failure: []
    retry: [BUILDING, READY, BROKEN]
    errors:
      - status: 404
        outcome: success
    delay: 1
    backoff: 1
    max-delay: 1
    timeout: 60
"""
STATUS = """\
        sizeInCm:
          type: integer
        status:
          type: string
          enum: [BUILDING, READY, BROKEN]
        progress:
          type: number
        why:
          type: string
"""
WAITER_SPEC = replace_once(
    replace_once(BASE_SPEC, "x-sdk-client: Widgets\n", WAITERS),
    "        sizeInCm:\n          type: integer\n", STATUS,
)
W0 = "/x-sdk-waiters/0"


def problems(tmp_path: Path, *pairs: tuple[str, str]) -> list[tuple[int, str, str]]:
    text = WAITER_SPEC
    for old, new in pairs:
        text = replace_once(text, old, new)
    spec = load_text(tmp_path, text)
    return sorted((p.line, p.pointer, p.message) for p in project_problems([spec]))


def at(tmp_path: Path, marker: str) -> int:
    return line_of((tmp_path / "spec" / "widgets.yaml").read_text(), marker)


def test_the_waiter_spec_is_valid_and_builds(tmp_path: Path) -> None:
    assert problems(tmp_path) == []
    (service,) = build_api([load_text(tmp_path, WAITER_SPEC)]).services
    (widgets,) = service.resources
    assert [w.method_name for w in widgets.waiters] == ["wait_until_ready", "wait_until_gone"]
    assert [w.return_type for w in widgets.waiters] == ["Widget", "Widget | None"]
    create = next(op for op in widgets.operations if op.method_name == "create")
    assert create.wait_link is not None
    assert create.wait_link.arguments == (("widget_id", "response", "/name"),)


@pytest.mark.parametrize(("old", "new", "pointer", "message"), [
    ("    operation: ShowWidget\n    state: /status\n    progress",
     "    operation: ShowWidgets  # @here\n    state: /status\n    progress",
     f"{W0}/operation", "no operation has the operationId 'ShowWidgets'"),
    ("    operation: ShowWidget\n    state: /status\n    progress",
     "    operation: CreateWidget  # @here\n    state: /status\n    progress",
     f"{W0}/operation", "a waiter polls a GET operation with its own operationId; CreateWidget is not one"),
    ("    state: /status\n    progress", "    state: /state  # @here\n    progress",
     f"{W0}/state", "the response of ShowWidget has no field at /state"),
    ("    state: /status\n    progress", "    state: status  # @here\n    progress",
     f"{W0}/state", "state must be a JSON pointer into the response, e.g. /status"),
    ("    progress: /progress", "    progress: /why  # @here",
     f"{W0}/progress", "progress must name a number field"),
    ("    success: [READY]", "    success: [DONE]  # @here",
     f"{W0}/success/0", "'DONE' is not a documented value of /status (BUILDING, READY, BROKEN)"),
    ("    failure: [BROKEN]\n    retry: [BUILDING]\n    delay: 5",
     "    failure: [BROKEN]\n    retry: [BUILDING, BROKEN]  # @here\n    delay: 5",
     f"{W0}/retry/1", "'BROKEN' is already listed under failure"),
    ("    delay: 5", "    delay: 0  # @here", f"{W0}/delay", "delay must be a positive number of seconds"),
    ("    backoff: 1.5", "    backoff: 0.5  # @here", f"{W0}/backoff", "backoff must be at least 1"),
    ("    max-delay: 30", "    max-delay: 2  # @here", f"{W0}/max-delay",
     "max-delay must not be shorter than delay"),
    ("  - name: ready", "  - name: Ready  # @here", f"{W0}/name",
     "a waiter's name must be a snake_case identifier"),
    ("    timeout: 600", "    timeout: 600\n    colour: red  # @here", f"{W0}/colour",
     "unknown waiter key 'colour'"),
    ("      - operation: CreateWidget", "      - operation: ShowWidget  # @here",
     f"{W0}/after/0/operation", "a waiter cannot follow the operation it polls"),
    ("          widget_id: $response.body#/name", "          widget_id: $response.body#/id  # @here",
     f"{W0}/after/0/parameters/widget_id", "the response body of the operation has no field at /id"),
    ("          widget_id: $response.body#/name", "          widget_id: $request.path.widget_id  # @here",
     f"{W0}/after/0/parameters/widget_id",
     "the operation has no path parameter 'widget_id' of its own"),
    ("          widget_id: $response.body#/name", "          widget_id: $response.body#/sizeInCm  # @here",
     f"{W0}/after/0/parameters/widget_id",
     "$response.body#/sizeInCm is a integer, but 'widget_id' is a string"),
    ("          widget_id: $response.body#/name", "          widget_id: response.name  # @here",
     f"{W0}/after/0/parameters/widget_id",
     ("'response.name' is not a runtime expression this generator reads ($request.path.NAME, "
      "$request.query.NAME, $request.header.NAME, $request.body#/pointer, $response.body#/pointer), "
      "nor a boolean or number")),
    ("          widget_id: $response.body#/name", "          colour: $response.body#/name  # @here",
     f"{W0}/after/0/parameters/colour", "ShowWidget has no parameter 'colour' to map"),
    ("      - status: 404", "      - status: 200  # @here", "/x-sdk-waiters/1/errors/0/status",
     "status must be an HTTP error status (400-599)"),
    ("        outcome: success", "        outcome: done  # @here",
     "/x-sdk-waiters/1/errors/0/outcome", "outcome must be 'success' or 'failure'"),
])
def test_a_broken_waiter_is_reported_where_it_breaks(
    tmp_path: Path, old: str, new: str, pointer: str, message: str
) -> None:
    found = problems(tmp_path, (old, new))
    assert (at(tmp_path, "# @here"), pointer, message) in found, found


def test_a_required_parameter_must_be_mapped(tmp_path: Path) -> None:
    found = problems(tmp_path, ("        parameters:\n          widget_id: $response.body#/name\n",
                                "        parameters: {}  # @here\n"))
    assert found == [(at(tmp_path, "# @here"), f"{W0}/after/0/parameters",
                      "the required parameter 'widget_id' of ShowWidget is not mapped")]


def test_every_documented_state_must_be_classified(tmp_path: Path) -> None:
    found = problems(tmp_path, ("    retry: [BUILDING]\n", "    retry: []\n"))
    assert found == [(at(tmp_path, "  - name: ready"), W0,
                      "documented value(s) BUILDING of /status are in none of success, failure, retry")]


def test_a_waiter_needs_a_way_to_succeed(tmp_path: Path) -> None:
    found = problems(tmp_path, ("      - status: 404\n        outcome: success\n",
                                "      - status: 404\n        outcome: failure\n"))
    assert (line_of(WAITER_SPEC, "    success: []"), "/x-sdk-waiters/1/success",
            "a waiter needs a success value or an error with outcome success") in found


def test_required_keys(tmp_path: Path) -> None:
    found = problems(tmp_path, ("    delay: 5\n    backoff: 1.5\n", ""))
    assert (at(tmp_path, "  - name: ready"), W0, "a waiter needs delay, backoff") in found


def test_an_operation_is_followed_by_one_waiter_only(tmp_path: Path) -> None:
    again = "    timeout: 60\n    after:\n      - operation: CreateWidget  # @here\n        parameters:\n          widget_id: $response.body#/name\n"
    found = problems(tmp_path, ("    timeout: 60\n", again))
    assert (at(tmp_path, "# @here"), "/x-sdk-waiters/1/after/0/operation",
            f"CreateWidget is already followed by the waiter at {W0}") in found


def test_waiter_methods_must_not_clash_with_operation_methods(tmp_path: Path) -> None:
    found = problems(tmp_path, ("  - name: gone", "  - name: ready  # @here"))
    assert (at(tmp_path, "# @here"), "/x-sdk-waiters/1/name",
            f"SDK method widgets.wait_until_ready collides with {W0}/name") in found


def test_x_sdk_waiters_must_be_a_list(tmp_path: Path) -> None:
    text = WAITER_SPEC[:WAITER_SPEC.index("x-sdk-waiters:")] + "x-sdk-waiters: {}  # @here\n" + \
        WAITER_SPEC[WAITER_SPEC.index("servers:"):]
    spec = load_text(tmp_path, text)
    assert [(p.line, p.pointer, p.message) for p in project_problems([spec])] == [
        (at(tmp_path, "# @here"), "/x-sdk-waiters", "x-sdk-waiters must be a list of waiters")]


def test_an_error_status_must_be_documented_by_the_polled_operation(tmp_path: Path) -> None:
    show_errors = '        default:\n          $ref: "#/components/responses/Error"\n'
    found = problems(
        tmp_path,
        (show_errors, '        "400":\n          $ref: "#/components/responses/Error"\n'),
        ("      - status: 404", "      - status: 404  # @here"),
    )
    assert found == [(at(tmp_path, "# @here"), "/x-sdk-waiters/1/errors/0/status",
                      "ShowWidget documents no 404 response")]


# -- issue 22: states in words, work seen under way, resources that delete themselves -----------

LABELS = """\
          enum: [BUILDING, READY, BROKEN]
          description: "Status: BUILDING being built, READY ready for use, BROKEN broken."
          x-enumDescriptions:
            BUILDING: being built
            READY: ready for use
            BROKEN: broken
"""
UNDER_WAY = """\
    under-way:
      - field: /status
        values: [BUILDING]
    start-within: 30
    delay: 5
"""
DELAYED = """\
        parameters:
          widget_id: $response.body#/name
        start-delay: $response.body#/sizeInCm
"""
SELF_DELETING = """\
      - status: 404
        outcome: success
        when: /done
"""


def built(tmp_path: Path, *pairs: tuple[str, str]) -> tuple[Any, ...]:
    text = WAITER_SPEC
    for old, new in pairs:
        text = replace_once(text, old, new)
    spec = load_text(tmp_path, text)
    assert project_problems([spec]) == []
    (service,) = build_api([spec]).services
    return tuple(service.resources[0].waiters) + tuple(service.resources[0].operations)


def test_labels_come_from_the_state_fields_enum_descriptions(tmp_path: Path) -> None:
    ready, *_ = built(tmp_path, ("          enum: [BUILDING, READY, BROKEN]\n", LABELS))
    assert ready.rule.labels == (
        ("BUILDING", "being built"), ("READY", "ready for use"), ("BROKEN", "broken"))


def test_under_way_and_a_start_delay_reach_the_rule_and_the_link(tmp_path: Path) -> None:
    ready, _, *operations = built(
        tmp_path, ("    retry: [BUILDING]\n    delay: 5\n", "    retry: [BUILDING]\n" + UNDER_WAY),
        ("        parameters:\n          widget_id: $response.body#/name\n", DELAYED))
    assert ready.rule.under_way == (("/status", ("BUILDING",)),)
    assert ready.rule.start_within == 30.0
    create = next(op for op in operations if op.method_name == "create")
    assert create.wait_link.arguments == (
        ("widget_id", "response", "/name"), ("start_delay", "response", "/sizeInCm"))


def test_an_error_with_when_returns_the_last_resource(tmp_path: Path) -> None:
    _, gone, *_ = built(
        tmp_path, ("      - status: 404\n        outcome: success\n", SELF_DELETING),
        ("        why:\n          type: string\n",
         "        why:\n          type: string\n        done:\n          type: boolean\n"))
    assert gone.rule.errors == ((404, None, "success", "/done"),)
    assert gone.return_type == "Widget"


@pytest.mark.parametrize(("pairs", "pointer", "message"), [
    ([("          enum: [BUILDING, READY, BROKEN]\n",
       LABELS.replace("            BROKEN: broken\n", "            BROKEN: broken\n            GONE: gone  # @here\n"))],
     "/components/schemas/Widget/properties/status/x-enumDescriptions/GONE",
     "'GONE' is not a value of the enum (BUILDING, READY, BROKEN)"),
    ([("          enum: [BUILDING, READY, BROKEN]\n",
       LABELS.replace("          x-enumDescriptions:", "          x-enumDescriptions:  # @here")
       .replace("            BROKEN: broken\n", ""))],
     "/components/schemas/Widget/properties/status/x-enumDescriptions",
     "value(s) BROKEN have no description (every value needs one)"),
    ([("          enum: [BUILDING, READY, BROKEN]\n",
       LABELS.replace("            READY: ready for use", "            READY: finished  # @here"))],
     "/components/schemas/Widget/properties/status/x-enumDescriptions/READY",
     "'finished' is not the meaning the description gives 'READY'"),
    ([("    retry: [BUILDING]\n    delay: 5\n",
       "    retry: [BUILDING]\n" + UNDER_WAY.replace("field: /status", "field: /state  # @here"))],
     f"{W0}/under-way/0/field", "the response of ShowWidget has no field at /state"),
    ([("    retry: [BUILDING]\n    delay: 5\n", "    retry: [BUILDING]\n    start-within: 30  # @here\n    delay: 5\n")],
     f"{W0}/start-within", "start-within needs under-way"),
    ([("        parameters:\n          widget_id: $response.body#/name\n",
       DELAYED.replace("sizeInCm", "sizeInCm  # @here"))],
     f"{W0}/after/0/start-delay", "start-delay adds to the waiter's start-within, which it has not"),
    ([("    retry: [BUILDING]\n    delay: 5\n", "    retry: [BUILDING]\n" + UNDER_WAY),
      ("        parameters:\n          widget_id: $response.body#/name\n",
       DELAYED.replace("$response.body#/sizeInCm", "$response.body#/name  # @here"))],
     f"{W0}/after/0/start-delay", "$response.body#/name is a string, not a number of seconds"),
    ([("      - status: 404\n        outcome: success\n",
       SELF_DELETING.replace("when: /done", "when: /why  # @here"))],
     "/x-sdk-waiters/1/errors/0/when", "when must name a boolean field of the response"),
    ([("          widget_id: $response.body#/name", "          widget_id: 7  # @here")],
     f"{W0}/after/0/parameters/widget_id", "7 is not a string, the type of 'widget_id'"),
])
def test_the_new_waiter_keys_are_checked(
    tmp_path: Path, pairs: list[tuple[str, str]], pointer: str, message: str
) -> None:
    found = problems(tmp_path, *pairs)
    assert (at(tmp_path, "# @here"), pointer, message) in found, found


# -- work told from earlier runs by the server's time (the DLF start) ---------------------------

NOT_BEFORE = """\
    not-before:
      field: /sizeInCm
      slack: 2
    delay: 5
"""
SINCE = """\
        parameters:
          widget_id: $response.body#/name
        not-before: $response.header.Date
"""
WITH_RULE = ("    retry: [BUILDING]\n    delay: 5\n", "    retry: [BUILDING]\n" + NOT_BEFORE)
WITH_SINCE = ("        parameters:\n          widget_id: $response.body#/name\n", SINCE)


def test_not_before_reaches_the_rule_and_the_link(tmp_path: Path) -> None:
    ready, _, *operations = built(tmp_path, WITH_RULE, WITH_SINCE)
    assert ready.rule.not_before == ("/sizeInCm", 2.0)
    assert any("not_before: The server's time" in line
               for section in ready.doc.sections for line in section.entries)
    create = next(op for op in operations if op.method_name == "create")
    assert create.wait_link.arguments == (
        ("widget_id", "response", "/name"), ("not_before", "header", "Date"))


@pytest.mark.parametrize(("pairs", "pointer", "message"), [
    ([(WITH_RULE[0], WITH_RULE[1].replace("field: /sizeInCm", "field: /why  # @here"))],
     f"{W0}/not-before/field", "field must name an integer field (a time in epoch milliseconds)"),
    ([(WITH_RULE[0], WITH_RULE[1].replace("field: /sizeInCm", "field: /when  # @here"))],
     f"{W0}/not-before/field", "the response of ShowWidget has no field at /when"),
    ([(WITH_RULE[0], WITH_RULE[1].replace("slack: 2", "slack: -1  # @here"))],
     f"{W0}/not-before/slack", "slack must be a number of seconds from 0 to 60"),
    ([(WITH_RULE[0], WITH_RULE[1].replace("slack: 2", "slack: yes  # @here"))],
     f"{W0}/not-before/slack", "slack must be a number of seconds from 0 to 60"),
    ([(WITH_RULE[0], WITH_RULE[1].replace("      slack: 2\n", "")
       .replace("    not-before:", "    not-before:  # @here"))],
     f"{W0}/not-before", "not-before needs slack"),
    ([(WITH_RULE[0], WITH_RULE[1].replace("slack: 2", "slack: 2\n      unit: ms  # @here"))],
     f"{W0}/not-before/unit", "unknown not-before rule key 'unit'"),
    ([(WITH_SINCE[0], WITH_SINCE[1].replace("header.Date", "header.Date  # @here"))],
     f"{W0}/after/0/not-before",
     "not-before gives the time the waiter's not-before rule compares, which it has not"),
    ([WITH_RULE, (WITH_SINCE[0], WITH_SINCE[1].replace(
        "$response.header.Date", "$response.body#/name  # @here"))],
     f"{W0}/after/0/not-before",
     ("'$response.body#/name' is not $response.header.NAME (e.g. $response.header.Date, the "
      "server's clock)")),
])
def test_not_before_is_checked(
    tmp_path: Path, pairs: list[tuple[str, str]], pointer: str, message: str
) -> None:
    found = problems(tmp_path, *pairs)
    assert (at(tmp_path, "# @here"), pointer, message) in found, found
