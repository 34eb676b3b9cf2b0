"""The simulator over HTTP/1.1 on a socket: one asyncio event loop in a background thread.

One server answers every service's paths and the control API (`/_simulator/`). Connections
are served concurrently by the event loop, each request read (`http11`) and answered in the
callback that received its last byte, so hundreds of clients at once neither wait for a thread
each nor overflow the listen queue (1,024 pending connections, where Python's `socketserver`
keeps 5 and a refused connection is retried by TCP a second or more later). Keep-alive,
pipelining, chunked bodies and `Connection: close` work as HTTP/1.1 says.

Faults act on the socket itself: a dropped connection is closed without a byte of answer, a
truncated answer announces its full `Content-Length` and sends half the body, a slow answer
waits (without holding up other connections) before the status line.
"""

from __future__ import annotations

import asyncio
import logging
import socket
import threading
import time
from http import HTTPStatus
from typing import TYPE_CHECKING, Self

import httpx

from .answers import Answer, http_date, json_answer
from .http11 import BadRequest, Request, read_head, read_request
from .incoming import SimRequest

if TYPE_CHECKING:
    from .simulator import Simulator

__all__ = ["SimulatorServer"]

logger = logging.getLogger("dataarts.testing")
BACKLOG = 1024  # connections the kernel queues before the event loop accepts them
SERVER_HEADER = "dataarts-simulator"


def listening_socket(host: str, port: int, backlog: int = BACKLOG) -> socket.socket:
    """A socket bound to `host:port` and listening; OSError when that is not possible (the port
    is in use, the address is not this machine's, the name does not resolve)."""
    infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM, flags=socket.AI_PASSIVE)
    family, _, _, _, address = infos[0]
    sock = socket.socket(family, socket.SOCK_STREAM)
    try:
        if family == socket.AF_INET6:
            sock.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_V6ONLY, 1)
        sock.bind(address)
        sock.listen(backlog)
    except OSError:
        sock.close()
        raise
    sock.setblocking(False)
    return sock


class SimulatorServer:
    """A running HTTP server for a simulator; `base_url` is where clients point.

    Binding happens here, so a port in use raises OSError at once, in the caller's thread.
    """

    def __init__(self, simulator: Simulator, host: str = "127.0.0.1", port: int = 0) -> None:
        self.simulator = simulator
        self._socket = listening_socket(host, port)
        address = self._socket.getsockname()
        self.host = str(address[0])
        self.port = int(address[1])
        self._loop = asyncio.new_event_loop()
        self._started = threading.Event()
        self._stop: asyncio.Event | None = None
        self._connections: set[_Connection] = set()
        self._failed: BaseException | None = None
        self._thread = threading.Thread(target=self._run, name="dataarts-simulator", daemon=True)
        self._thread.start()
        self._started.wait()
        if self._failed is not None:
            self._socket.close()
            raise self._failed

    @property
    def base_url(self) -> str:
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"http://{host}:{self.port}"

    def close(self) -> None:
        """Stop serving; slow answers still pending give up, open connections are closed."""
        if self._thread.is_alive() and self._stop is not None:
            self._loop.call_soon_threadsafe(self._stop.set)
        self._thread.join(timeout=5)

    def serve_forever(self) -> None:
        """Block until the server is closed (the command line's `serve`)."""
        while self._thread.is_alive():
            self._thread.join(timeout=0.5)  # wakes for signals now and then

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"SimulatorServer({self.base_url})"

    # -- the event loop ----------------------------------------------------------------------

    def _run(self) -> None:
        asyncio.set_event_loop(self._loop)
        try:
            self._loop.run_until_complete(self._main())
        except BaseException as exc:  # noqa: BLE001 - __init__ reports it: no server started
            self._failed = exc
        finally:
            self._started.set()
            self._loop.close()

    async def _main(self) -> None:
        self._stop = asyncio.Event()
        server = await self._loop.create_server(
            lambda: _Connection(self.simulator, self._connections),
            sock=self._socket,
            backlog=BACKLOG,  # asyncio listens again, with its own default of 100 otherwise
        )
        self._started.set()
        async with server:
            await self._stop.wait()
            server.close()
            for connection in list(self._connections):
                connection.close()
            await asyncio.sleep(0)  # let the closed transports finish closing


class _Connection(asyncio.Protocol):
    """One client connection: each request answered once its last byte has arrived; a slow
    answer holds the requests after it on this connection (as HTTP/1.1 answers in order)."""

    def __init__(self, simulator: Simulator, open_connections: set[_Connection]) -> None:
        self.simulator = simulator
        self.open = open_connections
        self.buffer = bytearray()
        self.transport: asyncio.Transport | None = None
        self.waiting: asyncio.TimerHandle | None = None  # a slow answer on its way
        self.continued = False  # 100 Continue sent for the request being read

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        assert isinstance(transport, asyncio.Transport)
        self.transport = transport
        self.open.add(self)
        sock = transport.get_extra_info("socket")
        if sock is not None:  # small answers go out at once, not after a delayed ACK (Nagle)
            sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)

    def data_received(self, data: bytes) -> None:
        self.buffer += data
        self._answer_what_arrived()

    def connection_lost(self, exc: Exception | None) -> None:
        self.open.discard(self)
        if self.waiting is not None:
            self.waiting.cancel()
        self.transport = None

    def close(self) -> None:
        if self.transport is not None:
            self.transport.close()

    def _answer_what_arrived(self) -> None:
        while self.transport is not None and self.waiting is None:
            try:
                read = read_request(self.buffer)
            except BadRequest as exc:
                self._write("GET", json_answer(400, {"error_code": "APIGW.0201",
                                                     "error_msg": str(exc)}), close=True)  # fmt: skip
                return
            if read is None:
                self._continue_if_asked()
                return
            request, used = read
            del self.buffer[:used]
            self.continued = False
            answer = self._handle(request)
            if answer.delay:
                loop = asyncio.get_running_loop()
                self.waiting = loop.call_later(answer.delay, self._late, request, answer)
                return
            if not self._finish(request, answer):
                return

    def _late(self, request: Request, answer: Answer) -> None:
        self.waiting = None
        if self._finish(request, answer):
            self._answer_what_arrived()  # pipelined requests that came meanwhile

    def _finish(self, request: Request, answer: Answer) -> bool:
        """Send the answer (or drop the connection); whether the connection stays open."""
        if answer.disconnect:
            self.close()  # closed without a byte of answer
            return False
        keep = request.keep_alive and not answer.truncate
        self._write(request.method, answer, close=not keep)
        return keep

    def _handle(self, request: Request) -> Answer:
        raw_path, _, raw_query = request.target.partition("?")
        headers = httpx.Headers(request.headers)
        incoming = SimRequest(request.method, raw_path, raw_query, headers, request.body)
        try:
            return self.simulator.handle(incoming)
        except Exception as exc:  # a bug: answered, rather than a dropped connection
            logger.exception("simulator: %s %s failed", request.method, raw_path)
            error = {"error_code": "SIM.0500", "error_msg": f"simulator error: {exc!r}"}
            return json_answer(500, error)

    def _continue_if_asked(self) -> None:
        """`100 Continue` to a client that waits for it before sending the body."""
        if self.continued or self.transport is None:
            return
        try:
            head = read_head(self.buffer)
        except BadRequest:
            return
        if head is not None and head.expects_continue:
            self.transport.write(b"HTTP/1.1 100 Continue\r\n\r\n")
            self.continued = True

    def _write(self, method: str, answer: Answer, *, close: bool) -> None:
        """Status line, headers and body in one write: no waiting on a delayed ACK."""
        if self.transport is None:
            return
        lines = [
            f"HTTP/1.1 {answer.status} {_reason(answer.status)}",
            f"Server: {SERVER_HEADER}",
            # the simulator dates its answers on its clock; the server's own (a bad request) now
            *(() if "Date" in answer.headers else (f"Date: {http_date(time.time())}",)),
            *(f"{name}: {value}" for name, value in answer.header_items()),
        ]
        if close:
            lines.append("Connection: close")
        body = b"" if method == "HEAD" else answer.body
        if answer.truncate:
            body = body[: len(body) // 2]
        logger.debug("simulator: %s %s", method, answer.status)  # never headers: credentials
        self.transport.write(("\r\n".join(lines) + "\r\n\r\n").encode("latin-1") + body)
        if close:
            self.close()


def _reason(status: int) -> str:
    try:
        return HTTPStatus(status).phrase
    except ValueError:  # a status http.HTTPStatus does not name
        return ""
