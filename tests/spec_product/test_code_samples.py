"""The `x-codeSamples` of the bundled and rendered specs (generator/publish/samples.py) work:
every Python sample type-checks under `mypy --strict`, every CLI sample is accepted by the
`dataarts` command line (`--dry-run`, pointed at a loopback simulator) and sends a request the
simulator routes to the operation and accepts, and every curl sample, run by curl in a shell
against the same simulator, does too, with the CLI's path, query and body."""

from __future__ import annotations

import json
import os
import re
import shlex
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
import yaml
from click.testing import CliRunner

from dataarts.cli.app import cli
from dataarts.cli.table import load_service
from dataarts.testing import Simulator, SimulatorServer
from dataarts.testing.answers import ApiError
from dataarts.testing.incoming import SimRequest, read_call
from generator.document import HTTP_METHODS
from generator.load import load_spec
from generator.publish import samples
from tests.cli.conftest import NO_CONFIG, OWN_VARIABLES
from tests.conftest import MYPY_CACHE
from tests.spec_product.conftest import need

ROOT = Path(__file__).resolve().parents[2]
SPEC_DIR = ROOT / "spec"
PROJECT = "0123456789abcdef0123456789abcdef"
CURL = Path("/usr/bin/curl")
LABELS = [samples.PYTHON, samples.CLI, samples.CURL]
GATEWAY_NOT_FOUND = "APIGW.0101"  # the gateway's answer to a path no operation has

Key = tuple[str, str, str]  # spec stem, path, method


@pytest.fixture(scope="module")
def specs() -> dict[str, dict[str, Any]]:
    return {p.stem: load_spec(p).data for p in sorted(SPEC_DIR.glob("*.yaml"))}


@pytest.fixture(scope="module")
def found() -> dict[Key, dict[str, str]]:
    """Every operation's samples, by label."""
    loaded = samples.load_samples(sorted(SPEC_DIR.glob("*.yaml")))
    return {(stem, path, method): {s.label: s.source for s in entries}
            for stem, by_op in loaded.items() for (path, method), entries in by_op.items()}


@pytest.fixture(scope="module")
def server() -> Iterator[tuple[Simulator, SimulatorServer]]:
    sim = Simulator()
    with sim.serve() as running:
        yield sim, running


def operations(specs: dict[str, dict[str, Any]]) -> Iterator[tuple[Key, dict[str, Any]]]:
    for stem, data in specs.items():
        for path, item in data["paths"].items():
            for method, op in item.items():
                if method in HTTP_METHODS:
                    yield (stem, path, method), op


def commands(sample: str) -> list[str]:
    """The shell commands of a sample: one per SDK method, separated by a blank line."""
    return [re.sub(r"^#.*\n", "", block).strip() for block in sample.strip().split("\n\n")]


def test_every_operation_has_a_python_cli_and_curl_sample(specs: dict[str, dict[str, Any]],
                                                         found: dict[Key, dict[str, str]]) -> None:
    keys = [key for key, _ in operations(specs)]
    assert sorted(found) == sorted(keys)
    assert all(list(found[key]) == LABELS for key in keys)
    assert len(keys) >= 99


def test_with_code_samples_adds_them_to_every_operation_only(
        specs: dict[str, dict[str, Any]]) -> None:
    loaded = samples.load_samples(sorted(SPEC_DIR.glob("*.yaml")))
    for stem, data in specs.items():
        published = samples.with_code_samples(data, loaded[stem])
        for path, item in published["paths"].items():
            for method, op in item.items():
                if method in HTTP_METHODS:
                    assert [s["label"] for s in op[samples.KEY]] == LABELS, (stem, path, method)
        assert samples.KEY not in json.dumps(data)  # the spec itself is left alone
        assert samples.without_code_samples(published) == data


def test_samples_use_the_generated_names(found: dict[Key, dict[str, str]]) -> None:
    """The same names as the generated client and command line, e.g. CDM ShowJobStatus."""
    key = ("cdm", "/v1.1/{project_id}/clusters/{cluster_id}/cdm/job/{job_name}/status", "get")
    shown = found[key]
    assert 'cdm.jobs.get_status(cluster_id="CLUSTER_ID", job_name="JOB_NAME")' in shown["Python"]
    assert shown["CLI"] == "dataarts cdm jobs get-status --cluster-id CLUSTER_ID --job-name JOB_NAME\n"
    assert shown["curl"].startswith(
        'curl "https://cdm.ap-southeast-1.myhuaweicloud.com/v1.1/$CLOUD_SDK_PROJECT_ID/clusters/'
        'CLUSTER_ID/cdm/job/JOB_NAME/status"')
    assert '-H "X-Auth-Token: $CLOUD_SDK_TOKEN"' in shown["curl"]
    factory = next(v for (stem, _, _), v in found.items() if stem == "factory")
    assert '-H "workspace: WORKSPACE"' in factory["curl"] and 'workspace="WORKSPACE"' in factory["Python"]


def test_python_samples_pass_mypy_strict(found: dict[Key, dict[str, str]], tmp_path: Path) -> None:
    """All of them in one module, each as the body of a function of its own."""
    module = ["from __future__ import annotations", ""]
    for i, key in enumerate(sorted(found)):
        body = found[key][samples.PYTHON]
        module += ["", "", f"def sample_{i}() -> None:  # {' '.join(key)}"]
        module += [f"    {line}" if line else "" for line in body.splitlines()]
    program = tmp_path / "samples.py"
    program.write_text("\n".join(module) + "\n", encoding="utf-8")
    result = subprocess.run(
        [sys.executable, "-m", "mypy", "--strict", "--no-error-summary",
         "--cache-dir", str(MYPY_CACHE), str(program)],
        capture_output=True, text=True, env={**os.environ, "MYPYPATH": str(ROOT / "generated")},
        cwd=ROOT, check=False)
    assert result.returncode == 0, result.stdout + result.stderr
    assert len(module) > 10 * len(found)


def dry_run(command: str, base_url: str, tmp: Path) -> dict[str, Any]:
    """The request a CLI sample would send, from `dataarts ... --dry-run`, the settings (which
    the samples leave to the profile) given as options."""
    words = shlex.split(command)
    assert words[0] == "dataarts", command
    args = [*words[1:], "--base-url", base_url, "--project-id", PROJECT]
    if "workspace" in load_service(words[1]).settings:
        args += ["--workspace", "WORKSPACE"]
    cleared: dict[str, str | None] = {k: None for k in os.environ if k.startswith(OWN_VARIABLES)}
    runner = CliRunner(env={**cleared, "XDG_CONFIG_HOME": NO_CONFIG, "CLOUD_SDK_TOKEN": "t0ken"})
    old = Path.cwd()
    os.chdir(tmp)  # `--out-file` names a file here (a dry run writes none)
    try:
        result = runner.invoke(cli, [*args, "--dry-run"], prog_name="dataarts")
    finally:
        os.chdir(old)
    assert result.exit_code == 0, (command, result.output)
    shown: dict[str, Any] = json.loads(result.stdout)  # stderr may warn of a deprecated command
    return shown


@pytest.fixture(scope="module")
def cli_requests(specs: dict[str, dict[str, Any]], found: dict[Key, dict[str, str]],
                 server: tuple[Simulator, SimulatorServer], tmp_path_factory: pytest.TempPathFactory
                 ) -> list[tuple[Key, str, dict[str, Any]]]:
    """Every CLI sample's command and the request its dry run shows."""
    tmp = tmp_path_factory.mktemp("cli-samples")
    _, running = server
    return [(key, command, dry_run(command, running.base_url, tmp))
            for key, _ in operations(specs) for command in commands(found[key][samples.CLI])]


def refused(sim: Simulator, request: httpx.Request) -> ApiError | None:
    """The simulator's check of a request against its operation (the one it routes it to)."""
    sim_request = SimRequest.from_httpx(request, request.content)
    routed = sim.api.route(sim_request.method, sim_request.raw_path)
    assert routed is not None, f"no operation at {request.method} {request.url}"
    op, values = routed
    try:
        read_call(sim.api.services[op.service], op, sim_request, values)
    except ApiError as error:
        return error
    return None


def documented_slips(data: dict[str, Any], stem: str, path: str, method: str, body: Any) -> bool:
    """Whether `body` is a request example the spec records as contradicting its own schema (a
    document's slip kept as printed, listed in .redocly.lint-ignore.yaml)."""
    ignored = yaml.safe_load((ROOT / ".redocly.lint-ignore.yaml").read_text(encoding="utf-8"))
    pointers = ignored.get(f"spec/{stem}.yaml", {}).get("no-invalid-media-type-examples", [])
    escaped = path.replace("~", "~0").replace("/", "~1")
    content = data["paths"][path][method]["requestBody"]["content"]["application/json"]
    names = [name for name, example in content["examples"].items() if example["value"] == body]
    prefixes = [f"#/paths/{escaped}/{method}/requestBody/content/application~1json/examples/"
                f"{name}/value" for name in names]
    return any(p.startswith(prefix) for p in pointers for prefix in prefixes)


def routed_to(sim: Simulator, operation_id: str, response: httpx.Response, where: str) -> str:
    """The operation the last request reached, checked; the error code of the answer ("": none)."""
    call = sim.calls[-1]
    assert call.operation_id == operation_id, f"{where}: routed to {call.operation_id}"
    if response.status_code < 400 or not response.content:
        return ""
    body = response.json()
    code = str(body.get("error_code") or body.get("errCode") or "")
    assert code != GATEWAY_NOT_FOUND, f"{where}: {response.text}"
    return code


def as_sent(request: dict[str, Any]) -> httpx.Request:
    """A dry run's request, ready to send (the client sets the length and host again)."""
    headers = {k: v for k, v in request["headers"].items()
               if k.lower() not in ("host", "content-length")}
    body = b"" if request["body"] is None else json.dumps(request["body"]).encode()
    return httpx.Request(request["method"], request["url"], headers=headers, content=body)


def test_cli_samples_run_with_dry_run_and_the_simulator_accepts_them(
        specs: dict[str, dict[str, Any]], cli_requests: list[tuple[Key, str, dict[str, Any]]],
        server: tuple[Simulator, SimulatorServer]) -> None:
    """Each CLI sample's request reaches its operation on a loopback simulator, which accepts it
    (the samples' placeholder IDs name nothing, so a not-found answer is fine), except the
    bodies the spec records as its documents' slips (an example knowingly breaking its schema)."""
    sim, running = server
    slips = set()
    for (stem, path, method), command, shown in cli_requests:
        request = as_sent(shown)
        assert str(request.url).startswith(running.base_url), shown
        error = refused(sim, request)
        if error is not None:  # the body as the sample gives it (the dry run masks secrets)
            body = option_json(command, "--body")
            assert documented_slips(specs[stem], stem, path, method, body), (
                command, error.code, error.message)
            slips.add((stem, path, method))
        sim.reset()
        with httpx.Client() as http:
            response = http.send(request)
        routed_to(sim, specs[stem]["paths"][path][method]["operationId"], response, command)
    assert len(cli_requests) >= 101
    assert len(slips) <= 4  # DLF CreateJob and UpdateJob, factory ListReleasePackages, LakeFormation


def option_json(command: str, flag: str) -> Any:
    """The JSON value of an option of a shell command, as the shell would split it (None: none)."""
    words = shlex.split(command.replace("\\\n", " "))
    return json.loads(words[words.index(flag) + 1]) if flag in words else None


def test_curl_samples_send_what_the_cli_samples_send(
        specs: dict[str, dict[str, Any]], found: dict[Key, dict[str, str]],
        cli_requests: list[tuple[Key, str, dict[str, Any]]],
        server: tuple[Simulator, SimulatorServer], tmp_path: Path) -> None:
    """Each curl sample, run by curl in a shell with the documented host pointed at a loopback
    simulator, sends the URL and body of the operation's CLI sample and gets the same answer."""
    need(CURL, "browser-check")
    sim, running = server
    env = {"PATH": os.environ["PATH"], samples.PROJECT_VARIABLE: PROJECT,
           samples.TOKEN_VARIABLE: "t0ken"}
    curls = [(key, command) for key, _ in operations(specs)
             for command in commands(found[key][samples.CURL])]
    assert [key for key, _ in curls] == [key for key, _, _ in cli_requests]
    for (key, command), (_, cli_command, shown) in zip(curls, cli_requests, strict=True):
        stem, path, method = key
        operation_id = specs[stem]["paths"][path][method]["operationId"]
        url = next(w for w in shlex.split(command) if w.startswith("https://"))
        host = re.match(r"https://[^/]+", url)
        assert host is not None
        assert url.replace(host[0], running.base_url).replace(
            "$" + samples.PROJECT_VARIABLE, PROJECT) == shown["url"], (command, cli_command)
        assert option_json(command, "--data") == option_json(cli_command, "--body"), command
        sim.reset()
        with httpx.Client() as http:
            expected = http.send(as_sent(shown))
        expected_code = routed_to(sim, operation_id, expected, cli_command)
        sim.reset()
        words = shlex.split(command.replace("\\\n", " "))
        out = tmp_path / (words[words.index("-o") + 1] if "-o" in words else "response.json")
        out.unlink(missing_ok=True)
        local = command.replace(host[0], running.base_url, 1)
        if "-o" not in words:
            local += f" -o {out.name}"
        done = subprocess.run(["sh", "-c", local + " -sS -w '%{http_code}'"], capture_output=True,
                              text=True, env=env, cwd=tmp_path, timeout=30, check=False)
        assert done.returncode == 0, (command, done.stderr)
        response = httpx.Response(int(done.stdout), content=out.read_bytes())
        assert routed_to(sim, operation_id, response, command) == expected_code, command
        assert response.status_code == expected.status_code, (command, response.text)
