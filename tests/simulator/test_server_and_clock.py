"""The HTTP server (socket faults, control paths, the `serve` command), the clocks, the demo,
and the hand-written package's formatting."""

from __future__ import annotations

import io
import os
import signal
import socket
import subprocess
import sys
from pathlib import Path

import httpx
import pytest

from dataarts.testing import FastClock, ManualClock, Simulator
from dataarts.testing.demo import run_demo
from tests.simulator.conftest import PROJECT

ROOT = Path(__file__).resolve().parents[2]


def raw_exchange(base_url: str, request: bytes) -> bytes:
    host, port = base_url.removeprefix("http://").split(":")
    with socket.create_connection((host, int(port)), timeout=5) as conn:
        conn.sendall(request)
        chunks = []
        while chunk := conn.recv(65536):
            chunks.append(chunk)
    return b"".join(chunks)


def test_socket_level_faults() -> None:
    sim = Simulator(clock=ManualClock())
    with sim.serve() as server:
        request = f"GET /v1.1/{PROJECT}/clusters HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"
        sim.faults.drop("ListClusters")
        assert raw_exchange(server.base_url, request.encode()) == b""  # not a byte answered
        sim.faults.truncate("ListClusters")
        answer = raw_exchange(server.base_url, request.encode())
        head, _, body = answer.partition(b"\r\n\r\n")
        assert b"Content-Length: 15" in head and body == b'{"clust'  # 7 of 15 bytes
        head_request = request.replace("GET", "HEAD").encode()
        head, _, body = raw_exchange(server.base_url, head_request).partition(b"\r\n\r\n")
        assert head.startswith(b"HTTP/1.1 404") and body == b""  # no HEAD documented; no body


def test_chunked_request_bodies_are_read() -> None:
    sim = Simulator(clock=ManualClock())
    with sim.serve() as server, httpx.Client(base_url=server.base_url) as client:
        parts = iter([b'{"name": "s", "type": "Shell", ', b'"content": "ls", "connectionName": "host"}'])
        response = client.post(f"/v1/{PROJECT}/scripts", content=parts,
                               headers={"Content-Type": "application/json"})  # fmt: skip
        assert response.status_code == 204
        assert client.get(f"/v1/{PROJECT}/scripts").json()["total"] == 1


def test_control_paths_reach_the_simulator_over_http() -> None:
    sim = Simulator(clock=ManualClock())
    with sim.serve() as server, httpx.Client(base_url=server.base_url) as client:
        assert client.get("/_simulator/health").json()["status"] == "ok"
        fault = {"kind": "throttle", "operation": "ListClusters", "retry_after": 7}
        assert client.post("/_simulator/faults", json=fault).status_code == 201
        assert client.get(f"/v1.1/{PROJECT}/clusters").headers["Retry-After"] == "7"
        assert client.post("/_simulator/faults", json={"kind": "nope"}).status_code == 400
        before = sim.clock.now()
        client.post("/_simulator/clock/advance", json={"seconds": 60})
        assert sim.clock.now() == before + 60
        client.post("/_simulator/faults", json={"kind": "error", "times": None})
        assert client.delete("/_simulator/faults").status_code == 200
        assert client.get(f"/v1.1/{PROJECT}/clusters").status_code == 200
        client.post("/_simulator/reset")
        assert sim.calls == [] and client.get("/_simulator/unknown").status_code == 404


def test_the_serve_command_prints_its_url_and_answers() -> None:
    env = {**os.environ, "PYTHONPATH": str(ROOT / "generated")}
    process = subprocess.Popen(
        [sys.executable, "-m", "dataarts.testing", "serve", "--host", "127.0.0.1", "--port", "0"],
        stdout=subprocess.PIPE, text=True, env=env,
    )  # fmt: skip
    try:
        assert process.stdout is not None
        line = process.stdout.readline().strip()
        assert line.startswith("dataarts simulator listening on http://127.0.0.1:")
        url = line.rsplit(" ", 1)[1]
        assert httpx.get(f"{url}/v1.1/{PROJECT}/clusters").json() == {"clusters": []}
    finally:
        process.send_signal(signal.SIGTERM)
        assert process.wait(timeout=10) == 0


def test_manual_clock_moves_only_when_told() -> None:
    clock = ManualClock(start=100.0)
    assert clock.now() == clock.now() == 100.0
    clock.advance(5)
    clock.sleep(2.5)  # advances instead of waiting
    assert clock.now() == 107.5
    with pytest.raises(ValueError):
        clock.advance(-1)


def test_fast_clock_runs_ahead_of_real_time() -> None:
    clock = FastClock(speed=1000.0, start=0.0)
    first = clock.now()
    clock.sleep(50.0)  # 50 virtual seconds: 0.05 real ones
    assert clock.now() - first >= 50.0
    clock.advance(3600)
    assert clock.now() >= first + 3650
    assert clock.real_seconds(100) == pytest.approx(0.1)
    with pytest.raises(ValueError):
        FastClock(speed=0)


def test_the_demo_runs_a_migration_end_to_end() -> None:
    out = io.StringIO()
    run_demo(out, speed=1000.0)
    text = out.getvalue()
    for expected in ("cluster status 200: normal", "link mysql_link (generic-jdbc-connector)",
                     "link obs_link (obs-connector)", ", BOOTING", "SUCCEEDED  100.0%",
                     "history: 1 run(s)", "script instance FINISHED", "instance: success"):
        assert expected in text, text  # fmt: skip
    assert "not-a-real-password" not in text and "not-a-real-key" not in text
