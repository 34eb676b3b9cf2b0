"""Help texts are for the users of a command (issue 22, item 11).

The specs' `description`s reach every reader: the rendered reference, the Python docstrings, the
command line's help. Where a text came from (a table of the documents, what the walkthrough or
the official SDK does) is for maintainers, in `# doc:` comments or `x-source`. The command line
says what the spec says in its own words: a parameter is the option that sets it, an operation
the command that runs it, and nothing speaks Python.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import click
import pytest

from dataarts.cli import app
from dataarts.cli.table import every_service
from generator.load import load_spec
from tests.cli.conftest import dataarts
from tests.real_ir import real_api

ROOT = Path(__file__).resolve().parents[2]
SPECS = ("cdm", "dlf", "factory", "lakeformation")
# what only a maintainer writes: where a text came from, and what the sources say of each other
MAINTAINER = re.compile(
    r"\bchapter\b|\btables? \d|\bsections? \d|\(\d\.\d+(\.\d+)*[,;)]|walkthrough|"
    r"\bthe documents?\b|\bdocuments? (say|says|show|shows|list|lists|no)\b|\bthe example\b|"
    r"\bexamples? (show|shows|send|sends|return|returns)\b|\bSDK models?\b|official SDK|"
    r"\bTerraform\b|\bKestra\b|\blive service\b|\bseen live\b|\bwe\b|\bour\b|\bthe spec\b|"
    r"\bthis spec\b|(?-i:`x-[a-z])|\bx-source\b|printed as|\bEnglish pages?\b|\bChinese reference\b|"
    r"\b00[0-4](_[0-9a-f]+)?\b|\blines? \d",
    re.IGNORECASE,
)
# notes the specs' descriptions held before they were swept: the guard must catch each
TODAYS_NOTES = (
    "The chapter 4.1 walkthrough calls this URL with GET and an undocumented `X-Cluster-ID` header",
    "Details of a cluster (5.1.1, table 5-3).",
    "A job to create through the v2 API (SDK model JobInfoRequest)",
    "Send the whole configuration: the Terraform provider, which runs against the live service",
    "the older English page documents no body at all",
    "CDM's current default enclosing character is the double quote (printed as “” in the document)",
    "listed in `x-error-codes`",
    "The documents' examples show fractions such as 0.3, which no live answer has shown.",
    "Rate limit: 120 requests/min per user (table 2-1).",
)
PYTHON = re.compile(
    r"or a mapping|\bmapping with\b|`[A-Z]\w+(Request|Body)`|\bNone\b|\bkeyword argument|"
    r"`(cdm|dlf|factory|lakeformation)\.\w+\.\w+|\bdict\b|\blist\[|\bpydantic\b"
)


def descriptions(node: Any, path: str = "") -> Iterator[tuple[str, str]]:
    """Every description and summary of a spec, but examples' and x-source's (provenance)."""
    if isinstance(node, dict):
        for key, value in node.items():
            if key in ("description", "summary") and isinstance(value, str):
                yield f"{path}/{key}", value
            elif key not in ("example", "examples", "x-source"):
                yield from descriptions(value, f"{path}/{key}")
    elif isinstance(node, list):
        for i, value in enumerate(node):
            yield from descriptions(value, f"{path}/{i}")


@pytest.mark.parametrize("note", TODAYS_NOTES)
def test_the_guard_knows_a_maintainers_note(note: str) -> None:
    assert MAINTAINER.search(note), note


@pytest.mark.parametrize("name", SPECS)
def test_the_specs_descriptions_hold_no_maintainers_notes(name: str) -> None:
    spec = load_spec(ROOT / "spec" / f"{name}.yaml", ROOT)
    found = [f"{where}: {MAINTAINER.search(text)[0]!r} in {' '.join(text.split())[:160]}"  # type: ignore[index]
             for where, text in descriptions(spec.data) if MAINTAINER.search(text)]
    assert found == [], "\n".join(found)


def test_the_command_lines_help_names_options_and_commands_not_wire_names() -> None:
    """No command's help names one of its parameters by its wire name (`page_no`, `jobType`):
    it says `--page-no`, `--job-type`."""
    api = real_api()
    helps = {(s.name, r.name, c.name): c for s in api.cli_services for r in s.resources
             for c in r.commands}
    wrong = []
    for service in api.services:
        for resource in service.resources:
            for op in resource.operations:
                command = helps[service.name, resource.name.replace("_", "-"),
                                op.method_name.rstrip("_").replace("_", "-")]
                text = " ".join([command.help, command.body or "",
                                 *(o.help for o in command.options)])
                for arg in op.arguments:
                    if arg.location != "body" and f"`{arg.wire_name}`" in text:
                        wrong.append(f"{service.name} {command.name}: `{arg.wire_name}`")
                if re.search(r"\b(Show|List|Create|Delete|Update|Start|Run|Execute)[A-Z]\w+\b",
                             re.sub(r"`[^`]*`", "", text)) and any(
                        o.operation_id in text for o in service.operations):
                    wrong.append(f"{service.name} {command.name}: an operationId")
    assert wrong == []


def every_help() -> Iterator[tuple[str, str]]:
    """The help of every command, as click prints it."""
    for service in every_service():
        for resource in service.resources:
            names = [c.name for c in resource.commands] + (["wait"] if resource.waiters else [])
            group = app._resource_group(service, resource)
            for name in names:
                command = group.get_command(click.Context(group), name)
                assert command is not None
                with click.Context(command, info_name=name) as ctx:
                    yield f"{service.name} {resource.name} {name}", command.get_help(ctx)


def test_no_help_speaks_python() -> None:
    found = [f"{where}: {PYTHON.search(text)[0]!r}"  # type: ignore[index]
             for where, text in every_help() if PYTHON.search(text)]
    assert found == [], "\n".join(found)


def test_jobs_start_help_is_for_the_user() -> None:
    shown = dataarts("cdm", "jobs", "start", "--help")
    assert shown.returncode == 0
    text = " ".join(shown.stdout.split())
    assert "walkthrough" not in text and "chapter" not in text and "StartJobRequest" not in text
    assert "follow it with `dataarts cdm jobs get-status`" in text
    assert "JSON with the API's field names: `variables`" in text
    listed = " ".join(dataarts("cdm", "jobs", "get", "--help").stdout.split())
    assert "`--page-no`/`--page-" in listed and "`--job-type`" in listed and "jobType" not in listed
