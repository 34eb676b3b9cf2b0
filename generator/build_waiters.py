"""IR facts of `x-sdk-waiters`: the `wait_until_<name>` methods, and `--wait` links of operations.

Validation (waiter_rules.py) has checked every reference, pointer and expression used here.
"""

from __future__ import annotations

import dataclasses
import textwrap
from typing import Any

from .ir import Operation, Waiter, WaitLink
from .literals import docstring_safe, py_literal
from .waiter_rules import EXPRESSION

DOC_WIDTH = 80  # docstring text inside a method (88 columns less its indent)


def attach_waiters(
    data: dict[str, Any], service: str, resources: dict[str, list[Operation]]
) -> dict[str, tuple[Waiter, ...]]:
    """Each resource's waiters; operations that a waiter follows get their `wait_link` in place."""
    where: dict[str, tuple[str, int]] = {}  # operation id -> (resource, index in its list)
    for resource, ops in resources.items():
        for i, op in enumerate(ops):
            where[op.operation_id] = (resource, i)
    waiters: dict[str, list[Waiter]] = {}
    for declared in data.get("x-sdk-waiters") or []:
        resource, index = where[declared["operation"]]
        poll = resources[resource][index]
        waiter = _waiter(declared, service, resource, poll)
        waiters.setdefault(resource, []).append(waiter)
        for entry in declared.get("after") or []:
            t_resource, t_index = where[entry["operation"]]
            trigger = resources[t_resource][t_index]
            link = WaitLink(resource, waiter.method_name, _link_arguments(entry, trigger, poll))
            resources[t_resource][t_index] = dataclasses.replace(trigger, wait_link=link)
    return {resource: tuple(found) for resource, found in waiters.items()}


def _waiter(declared: dict[str, Any], service: str, resource: str, poll: Operation) -> Waiter:
    method = f"wait_until_{declared['name']}"
    errors = tuple(
        (int(e["status"]), e.get("code"), e["outcome"]) for e in declared.get("errors") or ()
    )
    arguments = [
        py_literal(f"{service}.{resource}.{method}"),
        py_literal(declared["state"]),
        *(py_literal(tuple(str(v) for v in declared[key])) for key in ("success", "failure", "retry")),
        *(py_literal(float(declared[key])) for key in ("delay", "backoff", "max-delay", "timeout")),
    ]
    for key in ("progress", "reason"):
        if key in declared:
            arguments.append(f"{key}={py_literal(declared[key])}")
    if errors:
        arguments.append(f"errors={py_literal(errors)}")
    ends_without_result = any(outcome == "success" for _, _, outcome in errors)
    return Waiter(
        name=declared["name"],
        method_name=method,
        constant=f"_{resource.upper()}_{method.upper()}",
        summary=" ".join(declared["summary"].split()),
        poll_method=poll.method_name,
        arguments=tuple(a for a in poll.arguments if a.location != "body"),
        result_type=poll.response_type,
        ends_without_result=ends_without_result,
        has_progress="progress" in declared,
        spec_arguments=tuple(arguments),
        doc_lines=tuple(_doc_lines(declared, poll, ends_without_result)),
    )


def _link_arguments(
    entry: dict[str, Any], trigger: Operation, poll: Operation
) -> tuple[tuple[str, str, str], ...]:
    """(waiter argument, source, key) for each mapped parameter, in the polled operation's order."""
    targets = {a.wire_name: a.python_name for a in poll.arguments}
    out = []
    for wire, expression in entry["parameters"].items():
        match = EXPRESSION.fullmatch(expression)
        assert match is not None  # validated
        if match["location"]:
            own = next(
                a for a in trigger.arguments
                if a.wire_name == match["name"] and a.location == match["location"]
            )
            out.append((targets[wire], "argument", own.python_name))
        else:
            source = "response" if match["source"] == "response" else "body"
            out.append((targets[wire], source, match["pointer"]))
    order = [a.python_name for a in poll.arguments]
    return tuple(sorted(out, key=lambda item: order.index(item[0])))


def _doc_lines(declared: dict[str, Any], poll: Operation, ends_without_result: bool) -> list[str]:
    state = declared["state"]
    delay, backoff = _seconds(declared["delay"]), float(declared["backoff"])
    pace = f"every {delay} s"
    if backoff > 1:
        pace = f"{pace} at first, {backoff:g} times longer each time, at most {_seconds(declared['max-delay'])} s"
    gone = [
        f"HTTP {e['status']}" + (f" {e['code']}" if e.get("code") else "")
        for e in declared.get("errors") or () if e["outcome"] == "success"
    ]
    until = [f"`{state}` is {_either(declared['success'])}"] if declared["success"] else []
    until += [f"the poll answers {_either(gone)}"] if gone else []
    how = f"Polls `{poll.method_name}` {pace}, until {' or '.join(until)}."
    if declared["failure"]:
        how += f" `{state}` {_either(declared['failure'])} raises WaiterFailedError."
    lines = [declared["summary"].strip(), "", *textwrap.wrap(how, DOC_WIDTH), "", "Args:"]
    params = [(a.python_name, a.doc or "(undocumented)") for a in poll.arguments if a.location != "body"]
    params += [
        ("timeout", f"Seconds to wait at most (default {_seconds(declared['timeout'])})."),
        ("delay", f"Seconds between the first polls (default {delay})."),
        ("max_delay", f"The longest interval between polls (default {_seconds(declared['max-delay'])})."),
        ("on_poll", "Called with a `WaitProgress` after every poll."),
        ("sleep", "Sleeps between polls (default `time.sleep`; async: `asyncio.sleep`)."),
        ("clock", "Reads the time in seconds (default `time.monotonic`)."),
    ]
    for name, doc in params:
        lines += textwrap.wrap(f"{name}: {doc}", DOC_WIDTH - 4, initial_indent="    ",
                               subsequent_indent="        ", break_long_words=False)
    returned = f"{poll.response_type}: the resource in its final state."
    if ends_without_result:
        returned = f"{poll.response_type} | None: None once the resource is gone."
    lines += ["", "Returns:", "    " + returned, "", "Raises:"]
    if declared["failure"] or any(e["outcome"] == "failure" for e in declared.get("errors") or ()):
        lines.append("    WaiterFailedError: the work ended in a failure state.")
    lines += [
        "    WaiterTimeoutError: the deadline passed; it names the last state seen.",
        "    APIStatusError: a poll answered with an error the waiter does not expect.",
    ]
    return [docstring_safe(line) for line in lines]


def _either(values: Any) -> str:
    words = [str(v) for v in values]
    return words[0] if len(words) == 1 else f"{', '.join(words[:-1])} or {words[-1]}"


def _seconds(value: Any) -> str:
    return f"{float(value):g}"
