"""`python -m dataarts.testing serve` as a user meets it: mistakes in one line, readable help."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
from pathlib import Path

import pytest

from dataarts.testing.__main__ import main

ROOT = Path(__file__).resolve().parents[2]


def one_line_error(capsys: pytest.CaptureFixture[str]) -> str:
    out, err = capsys.readouterr()
    assert out == "" and "Traceback" not in err
    assert err.endswith("\n") and err.count("\n") == 1, err
    return err


@pytest.mark.parametrize(
    ("args", "says"),
    [
        (["--port", "70000"], "argument --port: '70000' is not a port number (0-65535)"),
        (["--port", "http"], "argument --port: 'http' is not a port number (0-65535)"),
        (["--speed", "0"], "argument --speed: '0' is not a positive number"),
        (["--speed", "-3"], "argument --speed: '-3' is not a positive number"),
        (["--speed", "nan"], "argument --speed: 'nan' is not a positive number"),
        (["--speed", "2", "--manual-clock"], "not allowed with argument --speed"),
        (["--colour"], "unrecognized arguments: --colour"),
    ],
)
def test_bad_usage_is_one_line_and_exit_2(
    capsys: pytest.CaptureFixture[str], args: list[str], says: str
) -> None:
    with pytest.raises(SystemExit) as exited:
        main(["serve", *args])
    assert exited.value.code == 2
    error = one_line_error(capsys)
    assert error.startswith("python -m dataarts.testing") and ": error: " in error
    assert says in error


def test_a_port_in_use_is_one_line_and_exit_1(capsys: pytest.CaptureFixture[str]) -> None:
    with socket.create_server(("127.0.0.1", 0)) as taken:
        port = taken.getsockname()[1]
        assert main(["serve", "--port", str(port)]) == 1
    error = one_line_error(capsys)
    assert error == (
        f"python -m dataarts.testing serve: error: cannot listen on 127.0.0.1:{port}: "
        "address already in use\n"
    )


def test_an_address_not_on_this_machine_is_one_line(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["serve", "--host", "192.0.2.1"]) == 1  # TEST-NET-1: never a local address
    assert "cannot listen on 192.0.2.1:0: " in one_line_error(capsys)


def test_the_command_in_a_shell_prints_no_traceback() -> None:
    env = {**os.environ, "PYTHONPATH": str(ROOT / "generated")}
    with socket.create_server(("127.0.0.1", 0)) as taken:
        port = str(taken.getsockname()[1])
        done = subprocess.run([sys.executable, "-m", "dataarts.testing", "serve", "--port", port],
                              check=False, capture_output=True, text=True, env=env,
                              timeout=60)  # fmt: skip
    assert done.returncode == 1 and done.stdout == ""
    assert done.stderr.count("\n") == 1 and "address already in use" in done.stderr


def test_help_is_written_for_users(capsys: pytest.CaptureFixture[str]) -> None:
    texts = []
    for args in ([], ["serve"], ["demo"]):
        with pytest.raises(SystemExit) as exited:
            main([*args, "--help"])
        assert exited.value.code == 0
        texts.append(" ".join(capsys.readouterr().out.split()))  # argparse wraps lines
    top, serve, demo = texts
    assert "CDM, DataArts Factory and LakeFormation" in top and "{serve,demo}" in top
    for option in ("--host", "--port", "--speed", "--manual-clock", "/_simulator/openapi.json"):
        assert option in serve
    assert "--speed" in demo
    for text in texts:
        # no maintainers' notes or Python: the module docstring, markup, internal names
        for internal in ("`", "__", "Simulator", "FastClock", "SimulatorServer", "serve|demo"):
            assert internal not in text, (internal, text)
