"""The simulator over HTTP on a socket (stdlib `http.server`, one thread per connection).

One server answers CDM, DLF and LakeFormation paths. Faults act on the socket itself: a dropped
connection is closed without a byte of answer, a truncated answer announces its full
`Content-Length` and sends half the body, a slow answer waits before the status line. A few
control paths under `/_simulator/` serve tools that cannot reach the `Simulator` object (the
standalone `python -m dataarts.testing serve`): `GET health`, `POST reset`, `POST faults` (a
fault as JSON, fields as `Fault`), `DELETE faults`, `POST clock/advance` (`{"seconds": n}`).
"""

from __future__ import annotations

import json
import logging
import socket
import threading
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import TYPE_CHECKING, Any, Self

import httpx

from .answers import Answer, json_answer
from .faults import Fault
from .incoming import SimRequest

if TYPE_CHECKING:
    from .simulator import Simulator

__all__ = ["SimulatorServer"]

logger = logging.getLogger("dataarts.testing")
CONTROL = "/_simulator/"
_REASONS = {status.value for status in HTTPStatus}


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    block_on_close = False
    allow_reuse_address = True

    def __init__(self, address: tuple[str, int], simulator: Simulator) -> None:
        self.simulator = simulator
        self.stopping = threading.Event()  # wakes slow answers when the server closes
        super().__init__(address, _Handler)


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server: _Server

    def setup(self) -> None:
        super().setup()
        # small answers go out at once, not after the client's delayed ACK (Nagle)
        self.connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)

    def _handle(self) -> None:
        body = self._read_body()
        raw_path, _, raw_query = self.path.partition("?")
        if raw_path.startswith(CONTROL):
            self._write(_control(self.server.simulator, self.command, raw_path, body))
            return
        headers = httpx.Headers(list(self.headers.items()))
        request = SimRequest(self.command, raw_path, raw_query, headers, body)
        answer = self.server.simulator.handle(request)
        if answer.delay and self.server.stopping.wait(answer.delay):
            answer.disconnect = True  # shutting down: give up on the slow answer
        if answer.disconnect:
            self._drop()
            return
        self._write(answer)

    do_GET = do_POST = do_PUT = do_DELETE = do_PATCH = do_HEAD = do_OPTIONS = _handle

    def _read_body(self) -> bytes:
        if "chunked" in self.headers.get("Transfer-Encoding", "").lower():
            chunks: list[bytes] = []
            while True:
                size = int(self.rfile.readline().split(b";")[0].strip() or b"0", 16)
                if size == 0:
                    self.rfile.readline()
                    return b"".join(chunks)
                chunks.append(self.rfile.read(size))
                self.rfile.readline()
        length = int(self.headers.get("Content-Length") or 0)
        return self.rfile.read(length) if length > 0 else b""

    def _write(self, answer: Answer) -> None:
        self.log_request(answer.status)
        reason = HTTPStatus(answer.status).phrase if answer.status in _REASONS else ""
        lines = [
            f"{self.protocol_version} {answer.status} {reason}",
            f"Server: {self.version_string()}",
            f"Date: {self.date_time_string()}",
            *(f"{name}: {value}" for name, value in answer.header_items()),
        ]
        body = b"" if self.command == "HEAD" else answer.body
        if answer.truncate:
            body = body[: len(body) // 2]
        # status line, headers and body in one write: no waiting on the client's delayed ACK
        self.wfile.write(("\r\n".join(lines) + "\r\n\r\n").encode("latin-1") + body)
        if answer.truncate:
            self._drop()

    def _drop(self) -> None:
        self.close_connection = True
        try:
            self.connection.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass

    def log_message(self, format: str, *args: Any) -> None:
        # method, path and status only: never headers (they carry credentials)
        logger.debug("simulator: " + format, *args)


class SimulatorServer:
    """A running HTTP server for a simulator; `base_url` is where clients point."""

    def __init__(self, simulator: Simulator, host: str = "127.0.0.1", port: int = 0) -> None:
        self.simulator = simulator
        self._server = _Server((host, port), simulator)
        address = self._server.server_address
        self.host = address[0] if isinstance(address[0], str) else address[0].decode()
        self.port = int(address[1])
        self._thread = threading.Thread(
            target=self._server.serve_forever,
            kwargs={"poll_interval": 0.05},  # how soon `close` takes effect
            name="dataarts-simulator",
            daemon=True,
        )
        self._thread.start()

    @property
    def base_url(self) -> str:
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"http://{host}:{self.port}"

    def close(self) -> None:
        """Stop serving; slow answers still pending give up."""
        self._server.stopping.set()
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(timeout=5)

    def serve_forever(self) -> None:
        """Block until interrupted (the command line's `serve`)."""
        self._thread.join()

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"SimulatorServer({self.base_url})"


def _control(simulator: Simulator, method: str, path: str, body: bytes) -> Answer:
    """The `/_simulator/` paths: health, reset, faults and the clock."""
    action = (method, path[len(CONTROL) :].strip("/"))
    try:
        data = json.loads(body) if body.strip() else {}
        if action == ("GET", "health"):
            return json_answer(200, {"status": "ok", "clock": simulator.clock.now()})
        if action == ("POST", "reset"):
            simulator.reset()
            return json_answer(200, {"status": "reset"})
        if action == ("POST", "faults"):
            fault = simulator.faults.add(Fault.from_mapping(data))
            return json_answer(201, fault.as_dict())
        if action == ("DELETE", "faults"):
            simulator.faults.clear()
            return json_answer(200, {"status": "cleared"})
        if action == ("POST", "clock/advance"):
            simulator.clock.advance(float(data.get("seconds", 0)))
            return json_answer(200, {"clock": simulator.clock.now()})
    except (ValueError, TypeError) as exc:
        return json_answer(400, {"error_code": "SIM.0400", "error_msg": str(exc)})
    return json_answer(404, {"error_code": "SIM.0404", "error_msg": f"no control {action}"})
