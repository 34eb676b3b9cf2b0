"""The server's HTTP/1.1 over a raw socket: keep-alive, pipelining, chunked and 100-continue
bodies, HTTP/1.0, and a 400 for what is not HTTP/1.1; the request reader directly."""

from __future__ import annotations

import socket
from collections.abc import Iterator

import pytest

from dataarts.testing import ManualClock, Simulator, SimulatorServer
from dataarts.testing.http11 import BadRequest, read_request
from tests.simulator.conftest import PROJECT

LIST = f"GET /v1.1/{PROJECT}/clusters HTTP/1.1\r\nHost: x\r\n\r\n".encode()


@pytest.fixture
def served() -> Iterator[SimulatorServer]:
    with Simulator(clock=ManualClock()).serve() as server:
        yield server


def exchange(server: SimulatorServer, data: bytes, *, answers: int = 1) -> list[bytes]:
    """Send `data` at once, read `answers` answers (each framed by Content-Length)."""
    with socket.create_connection((server.host, server.port), timeout=5) as conn:
        conn.sendall(data)
        received = b""
        out = []
        while len(out) < answers:
            head_end = received.find(b"\r\n\r\n")
            if head_end >= 0:
                head = received[:head_end].decode("latin-1")
                length = int(next(line.split(":")[1] for line in head.split("\r\n")
                                  if line.lower().startswith("content-length")))  # fmt: skip
                if len(received) >= head_end + 4 + length:
                    out.append(received[: head_end + 4 + length])
                    received = received[head_end + 4 + length :]
                    continue
            chunk = conn.recv(65536)
            if not chunk:
                break
            received += chunk
    return out


def test_pipelined_requests_are_answered_in_order(served: SimulatorServer) -> None:
    script = b'{"name": "s", "type": "Shell", "content": "ls", "connectionName": "h"}'
    create = (f"POST /v1/{PROJECT}/scripts HTTP/1.1\r\nHost: x\r\nContent-Type: application/json"
              f"\r\nContent-Length: {len(script)}\r\n\r\n").encode() + script  # fmt: skip
    count = f"GET /v1/{PROJECT}/scripts HTTP/1.1\r\nHost: x\r\n\r\n".encode()
    answers = exchange(served, LIST + create + count, answers=3)
    assert [a.split(b" ")[1] for a in answers] == [b"200", b"204", b"200"]
    assert answers[2].split(b"\r\n\r\n")[1].startswith(b'{"total":1,')


def test_chunked_and_continued_bodies(served: SimulatorServer) -> None:
    script = b'{"name": "c", "type": "Shell", "content": "ls", "connectionName": "h"}'
    chunked = (f"POST /v1/{PROJECT}/scripts HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked"
               "\r\nContent-Type: application/json\r\n\r\n").encode()  # fmt: skip
    chunked += b"%x;ext=1\r\n%s\r\n%x\r\n%s\r\n0\r\nX-Trailer: t\r\n\r\n" % (
        10, script[:10], len(script) - 10, script[10:]
    )
    assert exchange(served, chunked)[0].startswith(b"HTTP/1.1 204 ")
    with socket.create_connection((served.host, served.port), timeout=5) as conn:
        conn.sendall((f"POST /v1/{PROJECT}/scripts HTTP/1.1\r\nHost: x\r\nExpect: 100-continue"
                      f"\r\nContent-Length: {len(script)}\r\n\r\n").encode())  # fmt: skip
        assert conn.recv(100) == b"HTTP/1.1 100 Continue\r\n\r\n"
        conn.sendall(script.replace(b'"c"', b'"d"'))
        assert conn.recv(1000).startswith(b"HTTP/1.1 204 ")


def test_connection_close_and_http_1_0_end_the_connection(served: SimulatorServer) -> None:
    for request in (LIST.replace(b"Host: x", b"Host: x\r\nConnection: close"),
                    LIST.replace(b"HTTP/1.1", b"HTTP/1.0")):  # fmt: skip
        with socket.create_connection((served.host, served.port), timeout=5) as conn:
            conn.sendall(request)
            received = b""
            while chunk := conn.recv(65536):  # ends: the server closed
                received += chunk
        assert received.startswith(b"HTTP/1.1 200 ") and b"Connection: close\r\n" in received


@pytest.mark.parametrize(
    "request_bytes",
    [
        b"PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n",  # an HTTP/2 preface
        b"GET /x HTTP/1.1\r\n folded: header\r\n\r\n",
        b"GET /x HTTP/1.1\r\nContent-Length: 2\r\nTransfer-Encoding: chunked\r\n\r\n",
        b"GET /x HTTP/1.1\r\nContent-Length: -1\r\n\r\n",
    ],
)
def test_what_is_not_http_1_1_gets_400(served: SimulatorServer, request_bytes: bytes) -> None:
    (answer,) = exchange(served, request_bytes)
    assert answer.startswith(b"HTTP/1.1 400 ") and b"Connection: close" in answer


def test_the_reader_waits_for_whole_requests() -> None:
    body = b"0123456789"
    whole = b"PUT /a?b=1 HTTP/1.1\r\nContent-Length: 10\r\n\r\n" + body + LIST
    for cut in range(len(whole) - len(LIST)):
        assert read_request(whole[:cut]) is None
    read = read_request(whole)
    assert read is not None
    request, used = read
    assert (request.method, request.target, request.body) == ("PUT", "/a?b=1", body)
    assert whole[used:] == LIST and request.keep_alive
    with pytest.raises(BadRequest):
        read_request(b"x" * 70000)  # a head that never ends
