"""The command line's settings follow the clients' rule (`dataarts._runtime.settings`, one
implementation): credentials whole from one place, DATAARTS_ENDPOINT_URL[_SERVICE], and a
script and a command pointed at `python -m dataarts.testing serve` by one variable."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result

from dataarts._runtime import profiles
from dataarts.cli.app import cli
from tests.cli.conftest import OWN_VARIABLES, PROJECT, ROOT, cli_env, dataarts

SETTINGS_ARGS = ("--project-id", PROJECT, "--region", "ap-southeast-1")


def run(*args: str, xdg: Path | None = None, **env: str) -> Result:
    """`dataarts ARGS` in process, with only the variables given in `env`."""
    cleared: dict[str, str | None] = {k: None for k in os.environ if k.startswith(OWN_VARIABLES)}
    config = str(xdg) if xdg is not None else "/nonexistent/dataarts-test-config"
    runner = CliRunner(env={**cleared, "XDG_CONFIG_HOME": config, **env})
    return runner.invoke(cli, list(args), prog_name="dataarts")


def dry_run_url(*args: str, **env: str) -> str:
    result = run(*args, "cdm", "clusters", "list", "--dry-run", **env)
    assert result.exit_code == 0, result.output
    url: str = json.loads(result.output)["url"]
    return url


# --- item 10: the credential rule, on the command line too -----------------------------------------


def test_a_token_beside_ak_sk_in_the_environment_is_refused() -> None:
    result = run(*SETTINGS_ARGS, "cdm", "clusters", "list", "--dry-run",
                 CLOUD_SDK_TOKEN="t-secret", CLOUD_SDK_AK="AKEXAMPLE", CLOUD_SDK_SK="sk-secret")
    assert result.exit_code == 2
    assert result.output == (
        "dataarts: error: two kinds of credentials: CLOUD_SDK_TOKEN and CLOUD_SDK_AK/CLOUD_SDK_SK; "
        "keep one (a token, or an AK/SK pair)\n"
    )


def test_half_a_pair_in_the_environment_is_not_completed_from_the_profile(tmp_path: Path) -> None:
    xdg = tmp_path / "xdg"
    profiles.save("default", {"project_id": PROJECT, "region": "r1", "ak": "AKPROFILE",
                              "sk": "sk-profile"}, environ={"XDG_CONFIG_HOME": str(xdg)})
    result = run("cdm", "clusters", "list", "--dry-run", xdg=xdg, CLOUD_SDK_AK="AKENV")
    assert result.exit_code == 2
    assert result.output == (
        "dataarts: error: CLOUD_SDK_AK is set but CLOUD_SDK_SK is not: set both (or "
        "CLOUD_SDK_TOKEN)\n"
    )
    # without the half pair, the profile's keys sign the request
    signed = run("cdm", "clusters", "list", "--dry-run", xdg=xdg)
    assert signed.exit_code == 0, signed.output
    assert json.loads(signed.output)["headers"]["Authorization"] == "<redacted>"


# --- item 11: an endpoint from the environment ----------------------------------------------------


def test_the_endpoint_variables_move_the_base_url() -> None:
    token = {"CLOUD_SDK_TOKEN": "t", "CLOUD_SDK_PROJECT_ID": "p"}
    general = {**token, "DATAARTS_ENDPOINT_URL": "http://127.0.0.1:1"}
    # no region needed, and a region given does not win over the variable
    assert dry_run_url(**general) == "http://127.0.0.1:1/v1.1/p/clusters"
    assert dry_run_url("--region", "ap-southeast-1", **general) == (
        "http://127.0.0.1:1/v1.1/p/clusters"
    )
    own = {**general, "DATAARTS_ENDPOINT_URL_CDM": "http://127.0.0.1:2"}
    assert dry_run_url(**own) == "http://127.0.0.1:2/v1.1/p/clusters"
    assert dry_run_url("--base-url", "http://127.0.0.1:3", **own) == (
        "http://127.0.0.1:3/v1.1/p/clusters"
    )
    other = {**general, "DATAARTS_ENDPOINT_URL_DLF": "http://127.0.0.1:4"}
    assert dry_run_url(**other) == "http://127.0.0.1:1/v1.1/p/clusters"  # not CDM's


def test_a_bad_endpoint_variable_is_a_usage_error_naming_it() -> None:
    result = run("cdm", "clusters", "list", CLOUD_SDK_TOKEN="t", CLOUD_SDK_PROJECT_ID="p",
                 DATAARTS_ENDPOINT_URL_CDM="127.0.0.1:8080")
    assert result.exit_code == 2
    assert result.output == (
        "dataarts: error: DATAARTS_ENDPOINT_URL_CDM must start with http:// or https:// and a "
        "host (did you mean https://127.0.0.1:8080?)\n"
    )


@pytest.fixture(scope="module")
def served() -> Iterator[str]:
    """`python -m dataarts.testing serve` on a free loopback port, as a user starts it; its URL."""
    server = subprocess.Popen(
        [sys.executable, "-m", "dataarts.testing", "serve", "--host", "127.0.0.1", "--port", "0"],
        stdout=subprocess.PIPE, text=True, env=cli_env(),
    )
    try:
        assert server.stdout is not None
        first = server.stdout.readline()
        assert first.startswith("dataarts simulator listening on http://127.0.0.1:"), first
        yield first.split()[-1]
    finally:
        server.terminate()
        server.wait(timeout=30)


def test_one_variable_points_a_script_and_the_command_line_at_the_simulator(served: str) -> None:
    env = cli_env(DATAARTS_ENDPOINT_URL=served, CLOUD_SDK_TOKEN="any", CLOUD_SDK_PROJECT_ID=PROJECT)
    script = textwrap.dedent(
        """
        from dataarts import CdmClient, DlfClient

        with CdmClient() as cdm, DlfClient() as dlf:  # nothing but the environment
            cluster = cdm.clusters.create(body={"cluster": {"name": "from-a-script"}})
            print(cluster.id, cdm.base_url, len(dlf.jobs.list().jobs or []))
        """
    )
    made = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                          env=env, cwd=ROOT, timeout=60, check=False)
    assert made.returncode == 0, made.stderr
    cluster_id, base_url, jobs = made.stdout.split()
    assert base_url == served and jobs == "0"
    listed = dataarts("cdm", "clusters", "list", env=env)
    assert listed.returncode == 0, listed.stderr
    clusters: list[dict[str, Any]] = json.loads(listed.stdout)["clusters"]
    assert [(c["id"], c["name"]) for c in clusters] == [(cluster_id, "from-a-script")]


def test_a_credential_process_runs_once_per_command(tmp_path: Path) -> None:
    """The command line resolves the settings, then builds the client with what it found: the
    client's own resolution (the same rule) reads no credential again."""
    runs = tmp_path / "runs"
    script = tmp_path / "print_keys.py"
    script.write_text(
        "import json, pathlib\n"
        f"runs = pathlib.Path({str(runs)!r})\n"
        "runs.write_text(runs.read_text() + 'x' if runs.exists() else 'x')\n"
        "print(json.dumps({'Version': 1, 'AccessKeyId': 'AKPROCESS', 'SecretAccessKey': 's'}))\n"
    )
    xdg = tmp_path / "xdg"
    profiles.save("dev", {"project_id": PROJECT, "region": "r1",
                          "credential_process": f"{sys.executable} {script}"},
                  environ={"XDG_CONFIG_HOME": str(xdg)})
    result = run("--profile", "dev", "cdm", "clusters", "list", "--dry-run", xdg=xdg)
    assert result.exit_code == 0, result.output
    assert "Access=AKPROCESS" not in result.output  # the signature is redacted...
    assert json.loads(result.output)["headers"]["Authorization"] == "<redacted>"  # ...and there
    assert runs.read_text() == "x"
