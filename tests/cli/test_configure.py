"""`dataarts configure` and profiles on the command line: prompts (secrets without echo), list,
get, set, and commands run with a profile's settings and keys against the simulator."""

from __future__ import annotations

import json
import os
import stat
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from dataarts._runtime import profiles
from dataarts.cli.app import cli
from dataarts.testing import Simulator, SimulatorServer
from tests.cli.conftest import OWN_VARIABLES, PROJECT, cli_env, dataarts

AK, SK = "AKCONFIGURE0001", "sk-configure-secret"


@pytest.fixture
def xdg(tmp_path: Path) -> Path:
    return tmp_path / "xdg"


def run(xdg: Path, *args: str, stdin: str | None = None, **env: str) -> Result:
    cleared: dict[str, str | None] = {k: None for k in os.environ if k.startswith(OWN_VARIABLES)}
    runner = CliRunner(env={**cleared, "XDG_CONFIG_HOME": str(xdg), **env})
    return runner.invoke(cli, list(args), input=stdin, prog_name="dataarts")


def test_configure_asks_for_each_value_and_never_echoes_a_secret(xdg: Path) -> None:
    answers = f"sa-brazil-1\n{PROJECT}\nws1\n\n{AK}\n{SK}\n"
    result = run(xdg, "configure", "--profile", "dev", stdin=answers)
    assert result.exit_code == 0, result.output
    assert "Region [none]:" in result.output and "Secret access key (SK) [none]:" in result.output
    assert SK not in result.output and AK not in result.output  # typed without echo
    config = (xdg / "dataarts" / "config").read_text()
    assert config == f"[profile dev]\nregion = sa-brazil-1\nproject_id = {PROJECT}\nworkspace = ws1\n"
    credentials = xdg / "dataarts" / "credentials"
    assert credentials.read_text() == f"[dev]\nak = {AK}\nsk = {SK}\n"
    assert stat.S_IMODE(credentials.stat().st_mode) == 0o600

    again = run(xdg, "--profile", "dev", "configure", stdin="\n\nws2\n\n\n\n")  # Enter keeps
    assert again.exit_code == 0, again.output
    assert "Secret access key (SK) [<redacted>]:" in again.output and "[AKCO…]" in again.output
    assert SK not in again.output
    assert profiles.load("dev", environ={"XDG_CONFIG_HOME": str(xdg)}).values == {
        "region": "sa-brazil-1", "project_id": PROJECT, "workspace": "ws2", "ak": AK, "sk": SK,
    }


def test_list_masks_get_refuses_credentials_and_set_writes_one_value(xdg: Path) -> None:
    profiles.save("default", {"region": "ap-southeast-1", "ak": AK, "sk": SK},
                  environ={"XDG_CONFIG_HOME": str(xdg)})
    listed = run(xdg, "configure", "list")
    assert listed.exit_code == 0 and SK not in listed.output and AK not in listed.output
    lines = [line.split() for line in listed.output.splitlines()]
    assert ["sk", "<redacted>", str(xdg / "dataarts" / "credentials")] in lines
    assert ["region", "ap-southeast-1", str(xdg / "dataarts" / "config")] in lines
    assert run(xdg, "configure", "get", "region").output == "ap-southeast-1\n"
    refused = run(xdg, "configure", "get", "sk")
    assert refused.exit_code == 2 and SK not in refused.output
    assert run(xdg, "configure", "get", "workspace").exit_code == 1  # not set

    assert run(xdg, "configure", "set", "workspace", "w9", "--profile", "dev").exit_code == 0
    assert run(xdg, "configure", "set", "sk", "--profile", "dev", stdin="sk-typed\n").exit_code == 0
    assert run(xdg, "configure", "list-profiles").output.split() == ["default", "dev"]
    dev = profiles.load("dev", environ={"XDG_CONFIG_HOME": str(xdg)})
    assert dev.values == {"workspace": "w9", "sk": "sk-typed"}
    bad = run(xdg, "configure", "set", "base_url", "localhost:8080")
    assert bad.exit_code == 2 and "must start with http:// or https://" in bad.output


def test_an_unknown_profile_is_a_usage_error(xdg: Path) -> None:
    result = run(xdg, "--profile", "nope", "cdm", "clusters", "list")
    assert result.exit_code == 2
    assert result.output.startswith("dataarts: error: no profile 'nope' in ")
    assert "dataarts configure" in result.output


@pytest.fixture(scope="module")
def signed_server() -> Iterator[SimulatorServer]:
    """A simulator that checks AK/SK signatures: a call succeeds only with these keys."""
    with Simulator(credentials={AK: SK}).serve() as server:
        yield server


def test_a_profile_supplies_settings_and_keys(xdg: Path, signed_server: SimulatorServer) -> None:
    env = {"XDG_CONFIG_HOME": str(xdg)}
    profiles.save("dev", {"base_url": signed_server.base_url, "project_id": PROJECT, "ak": AK,
                          "sk": SK}, environ=env)
    named = dataarts("--profile", "dev", "cdm", "clusters", "list", env=cli_env(**env))
    assert named.returncode == 0, named.stderr
    assert json.loads(named.stdout) == {"clusters": []}
    chosen = dataarts("cdm", "clusters", "list", env=cli_env(**env, DATAARTS_PROFILE="dev"))
    assert chosen.returncode == 0, chosen.stderr
    # the variables win over the profile it was not asked for by name...
    wrong = cli_env(**env, DATAARTS_PROFILE="dev", CLOUD_SDK_AK=AK, CLOUD_SDK_SK="sk-wrong")
    assert dataarts("cdm", "clusters", "list", env=wrong).returncode == 1  # 401: the env's SK
    # ...and a profile named with --profile wins over the variables, as in the AWS CLI
    assert dataarts("--profile", "dev", "cdm", "clusters", "list", env=wrong).returncode == 0


def test_a_profile_with_a_credential_process(
    xdg: Path, tmp_path: Path, signed_server: SimulatorServer
) -> None:
    script = tmp_path / "print_keys.py"
    script.write_text(
        "import json\n"
        f"print(json.dumps({{'Version': 1, 'AccessKeyId': {AK!r}, 'SecretAccessKey': {SK!r}}}))\n"
    )
    env = {"XDG_CONFIG_HOME": str(xdg)}
    profiles.save("default", {"base_url": signed_server.base_url, "project_id": PROJECT,
                              "credential_process": f"{sys.executable} {script}"}, environ=env)
    result = dataarts("cdm", "clusters", "list", "--debug", env=cli_env(**env))
    assert result.returncode == 0, result.stderr
    assert SK not in result.stderr and SK not in result.stdout
