"""The command tree and its options, in process (click's CliRunner): help, the table's agreement
with the clients, --body sources, documented values, --dry-run, completion and exit statuses."""

from __future__ import annotations

import inspect
import json
import os
from typing import Any

import pytest
from click.testing import CliRunner, Result

from dataarts._cli_commands import SETTINGS
from dataarts.cli.app import cli
from dataarts.cli.table import every_service
from tests.cli.conftest import BODIES, NO_CONFIG, OWN_VARIABLES, PROJECT

SERVICES = every_service()
SETTINGS_ARGS = ("--project-id", PROJECT, "--region", "ap-southeast-1")


def run(*args: str, stdin: str | None = None, **env: str) -> Result:
    """`dataarts ARGS` in process, with only the CLOUD_SDK_* variables given in `env`."""
    cleared: dict[str, str | None] = {k: None for k in os.environ if k.startswith(OWN_VARIABLES)}
    runner = CliRunner(env={**cleared, "XDG_CONFIG_HOME": NO_CONFIG, **env})
    return runner.invoke(cli, list(args), input=stdin, prog_name="dataarts")


def complete(words: str) -> list[str]:
    """What the shell's completion offers for the command line typed so far."""
    result = run(_DATAARTS_COMPLETE="bash_complete", COMP_WORDS=words,
                 COMP_CWORD=str(len(words.split()) - (0 if words.endswith(" ") else 1)))
    return [line.split(",", 1)[1] for line in result.output.splitlines() if "," in line]


def dry_run(*args: str, stdin: str | None = None) -> dict[str, Any]:
    result = run(*SETTINGS_ARGS, *args, "--dry-run", stdin=stdin, CLOUD_SDK_TOKEN="secret-token")
    assert result.exit_code == 0, result.output
    assert "secret-token" not in result.output
    shown: dict[str, Any] = json.loads(result.output)
    return shown


def test_help_lists_services_resources_commands_and_wait() -> None:
    top = run("--help")
    assert top.exit_code == 0
    assert all(f"  {s.name} " in top.output for s in SERVICES)
    assert all(s.flag in top.output for s in SETTINGS) and "CLOUD_SDK_AK" in top.output
    clusters = run("cdm", "clusters", "--help").output
    for command in ("list", "create", "get", "delete", "restart", "start", "stop", "wait"):
        assert f"  {command} " in clusters
    assert "Wait until normal, restarted or deleted." in clusters
    assert "get-status" in run("cdm", "jobs", "--help").output
    assert run("--version").output.strip().endswith("0.1.0")


def test_every_command_calls_a_method_that_takes_its_options() -> None:
    """The table agrees with the generated clients: methods, arguments, waiters."""
    import importlib

    for service in SERVICES:
        client = getattr(importlib.import_module(f"dataarts.{service.name}"), service.client)
        for resource in service.resources:
            methods = client.__annotations__[resource.attribute]
            methods = getattr(importlib.import_module(f"dataarts.{service.name}._client"), methods)
            for command in resource.commands:
                signature = inspect.signature(getattr(methods, command.method))
                wanted = {o.name for o in command.options} | ({"body"} if command.body else set())
                assert wanted <= set(signature.parameters), (service.name, command.name)
                if command.pages:
                    assert hasattr(methods, f"iter_{command.method}")
                if command.wait is not None:
                    waits_on = getattr(importlib.import_module(f"dataarts.{service.name}._client"),
                                       client.__annotations__[command.wait.resource])
                    takes = inspect.signature(getattr(waits_on, command.wait.method)).parameters
                    assert {target for target, _, _ in command.wait.arguments} <= set(takes)
            for waiter in resource.waiters:
                takes = inspect.signature(getattr(methods, waiter.method)).parameters
                assert {o.name for o in waiter.options} <= set(takes)


def test_commands_with_waiters_offer_wait() -> None:
    waits = {(s.name, r.name, c.name) for s in SERVICES for r in s.resources for c in r.commands
             if c.wait is not None}
    assert waits == {
        ("cdm", "clusters", "create"), ("cdm", "clusters", "start"), ("cdm", "clusters", "delete"),
        ("cdm", "clusters", "restart"), ("cdm", "jobs", "start"), ("dlf", "jobs", "start"),
        ("dlf", "scripts", "execute"),
        ("dlf", "jobs", "run-immediately"), ("dlf", "jobs", "import"),
        ("dlf", "connections", "import"),
    }
    assert "--wait" in run("dlf", "jobs", "run-immediately", "--help").output


@pytest.mark.parametrize("source", ["inline", "file", "stdin"])
def test_body_inline_from_a_file_or_from_stdin(source: str) -> None:
    text = (BODIES / "job.json").read_text(encoding="utf-8")
    value = {"inline": text, "file": f"@{BODIES / 'job.json'}", "stdin": "-"}[source]
    shown = dry_run("cdm", "jobs", "create", "--cluster-id", "c1", "--body", value,
                    stdin=text if source == "stdin" else None)
    assert shown["body"] == json.loads(text)
    assert shown["url"] == f"https://cdm.ap-southeast-1.myhuaweicloud.com/v1.1/{PROJECT}/clusters/c1/cdm/job"


def test_a_bad_body_is_a_usage_error() -> None:
    result = run(*SETTINGS_ARGS, "cdm", "jobs", "create", "--cluster-id", "c", "--body", "{nope",
                 CLOUD_SDK_TOKEN="t")
    assert result.exit_code == 2 and "not JSON" in result.output
    missing = run(*SETTINGS_ARGS, "cdm", "jobs", "create", "--cluster-id", "c", "--body",
                  "@/no/such/file.json", CLOUD_SDK_TOKEN="t")
    assert missing.exit_code == 2 and "cannot read" in missing.output


def test_documented_values_are_shown_and_others_still_sent() -> None:
    help_text = " ".join(run("dlf", "job-instances", "list", "--help").output.split())
    assert "Documented values: waiting, running, success, fail" in help_text
    shown = dry_run("dlf", "job-instances", "list", "--status", "frozen", "--limit", "5")
    assert "status=frozen" in shown["url"] and "limit=5" in shown["url"]


def test_dry_run_redacts_signatures_and_secrets_in_the_body() -> None:
    result = run(*SETTINGS_ARGS, "cdm", "links", "create", "--cluster-id", "c", "--body",
                 f"@{BODIES / 'obs_link.json'}", "--dry-run",
                 CLOUD_SDK_AK="AKEXAMPLE", CLOUD_SDK_SK="sk-secret")
    assert result.exit_code == 0, result.output
    shown = json.loads(result.output)
    assert shown["headers"]["Authorization"] == "<redacted>" and "X-Sdk-Date" in shown["headers"]
    assert "sk-secret" not in result.output and "not-a-real-key" not in result.output
    assert "Connection" not in shown["headers"]  # as the clients send it


def test_dry_run_without_credentials_shows_the_unsigned_request() -> None:
    result = run(*SETTINGS_ARGS, "cdm", "clusters", "list", "--dry-run")
    assert result.exit_code == 0, result.output
    assert json.loads(result.output)["method"] == "GET"


def test_configuration_errors_name_the_option_and_the_variable() -> None:
    no_project = run("cdm", "clusters", "list", CLOUD_SDK_TOKEN="t")
    assert no_project.exit_code == 2
    assert no_project.output.startswith(
        "dataarts: error: no project ID: give --project-id or CLOUD_SDK_PROJECT_ID"
    )
    no_region = run("--project-id", "p", "cdm", "clusters", "list", CLOUD_SDK_TOKEN="t")
    assert no_region.exit_code == 2 and "give --region or CLOUD_SDK_REGION" in no_region.output
    no_endpoint = run("--project-id", "p", "lakeformation", "jobs", "create", "--instance-id", "i",
                      "--body", "{}",
                      CLOUD_SDK_TOKEN="t")
    assert no_endpoint.exit_code == 2 and "no endpoint: give --endpoint" in no_endpoint.output


def test_an_ak_without_its_sk_says_the_sk_is_missing() -> None:
    result = run(*SETTINGS_ARGS, "cdm", "clusters", "list", CLOUD_SDK_AK="AKEXAMPLE0001")
    assert result.exit_code == 2
    assert result.output == (
        "dataarts: error: CLOUD_SDK_AK is set but CLOUD_SDK_SK is not: set both (or "
        "CLOUD_SDK_TOKEN)\n"
    )
    nothing = run(*SETTINGS_ARGS, "cdm", "clusters", "list")
    assert nothing.exit_code == 2
    assert "no credentials: set CLOUD_SDK_TOKEN, or CLOUD_SDK_AK and CLOUD_SDK_SK" in nothing.output


def test_a_base_url_without_a_scheme_is_a_usage_error_at_once() -> None:
    result = run("--base-url", "127.0.0.1:9", "--project-id", "p", "cdm", "clusters", "list",
                 CLOUD_SDK_TOKEN="t")
    assert result.exit_code == 2
    assert result.output == (
        "dataarts: error: --base-url must start with http:// or https:// and a host (did you "
        "mean https://127.0.0.1:9?)\n"
    )
    unreachable = run("--base-url", "http://127.0.0.1:9", "--project-id", "p", "cdm", "clusters",
                      "list", CLOUD_SDK_TOKEN="t")
    assert unreachable.exit_code == 1 and "ConnectError" in unreachable.output
    assert "Traceback" not in unreachable.output


def test_global_options_work_after_the_service_and_after_the_command() -> None:
    def url(*args: str) -> str:
        result = run(*args, "--dry-run", CLOUD_SDK_TOKEN="t")
        assert result.exit_code == 0, result.output
        shown: str = json.loads(result.output)["url"]
        return shown

    wanted = f"https://cdm.sa-brazil-1.myhuaweicloud.com/v1.1/{PROJECT}/clusters"
    assert url("cdm", "clusters", "list", "--project-id", PROJECT, "--region", "sa-brazil-1") == wanted
    assert url("cdm", "--region", "sa-brazil-1", "clusters", "--project-id", PROJECT, "list") == wanted
    # typed twice: the later one wins, as with any repeated option
    assert url("--region", "ap-southeast-1", "--project-id", PROJECT, "cdm", "clusters", "list",
               "--region", "sa-brazil-1") == wanted
    base = url("cdm", "clusters", "list", "--base-url", "http://127.0.0.1:9", "--project-id", "p")
    assert base == "http://127.0.0.1:9/v1.1/p/clusters"
    query = run(*SETTINGS_ARGS, "cdm", "clusters", "list", "--dry-run", "--query", "method")
    assert query.exit_code == 0 and json.loads(query.output) == "GET"


def test_a_misspelt_command_suggests_the_nearest() -> None:
    for typed, meant, usage in (
        ("cdm clusterz", "clusters", "dataarts cdm"),
        ("cmd", "cdm", "dataarts"),
        ("cdm clusters lst", "list", "dataarts cdm clusters"),
    ):
        result = run(*typed.split())
        assert result.exit_code == 2
        assert f"Usage: {usage} [OPTIONS]" in result.output
        assert f"No such command {typed.split()[-1]!r}. Did you mean {meant!r}?" in result.output


def test_a_bad_query_is_a_usage_error_before_any_request() -> None:
    result = run("--base-url", "http://127.0.0.1:9", "--project-id", "p", "--query", "clusters[",
                 "cdm", "clusters", "list", CLOUD_SDK_TOKEN="t")
    assert result.exit_code == 2
    assert "Invalid value for --query: not a JMESPath expression: Incomplete" in result.output
    assert "ConnectError" not in result.output  # nothing was sent


def test_body_from_an_empty_stdin_says_so() -> None:
    result = run(*SETTINGS_ARGS, "cdm", "jobs", "create", "--cluster-id", "c", "--body", "-",
                 stdin="", CLOUD_SDK_TOKEN="t")
    assert result.exit_code == 2
    assert "standard input is empty: pipe the JSON in (--body - < file.json)" in " ".join(
        result.output.split())


def test_wait_requires_the_chosen_waiters_arguments() -> None:
    result = run("cdm", "clusters", "wait", "--until", "sometime", "--cluster-id", "c")
    assert result.exit_code == 2 and "sometime" in result.output


def test_shell_completion_walks_the_table_and_offers_documented_values() -> None:
    assert complete("dataarts cd") == ["cdm"]
    assert "clusters" in complete("dataarts cdm ")
    assert "get-status" in complete("dataarts cdm jobs get")
    assert complete("dataarts dlf job-instances list --status ru") == ["running", "running-exception"]


def test_region_completes_the_documented_regions_at_every_level() -> None:
    assert complete("dataarts --region ap-southeast-") == [
        "ap-southeast-1", "ap-southeast-2", "ap-southeast-3"]
    assert complete("dataarts cdm clusters list --region sa") == ["sa-brazil-1"]
    assert "--region" in complete("dataarts --re")
