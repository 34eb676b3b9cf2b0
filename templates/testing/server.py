"""The simulator over HTTP/1.1 on a socket: one asyncio event loop in a background thread.

One server answers every service's paths and the control API (`/_simulator/`). Connections
are served concurrently by the event loop (keep-alive, pipelining and `Connection: close` as
h11, httpx's own HTTP/1.1 parser, reads them), so hundreds of clients at once neither wait for
a thread each nor overflow the listen queue (1024 pending connections, where Python's
`socketserver` keeps 5 and refused connections are retried by TCP a second or more later).
Answers are computed under the simulator's lock, each in well under a millisecond.

Faults act on the socket itself: a dropped connection is closed without a byte of answer, a
truncated answer announces its full `Content-Length` and sends half the body, a slow answer
waits (without holding up other connections) before the status line.
"""

from __future__ import annotations

import asyncio
import email.utils
import logging
import socket
import threading
from http import HTTPStatus
from typing import TYPE_CHECKING, Self

import h11
import httpx

from .answers import Answer, json_answer
from .incoming import SimRequest

if TYPE_CHECKING:
    from .simulator import Simulator

__all__ = ["SimulatorServer"]

logger = logging.getLogger("dataarts.testing")
BACKLOG = 1024  # connections the kernel queues before the event loop accepts them
SERVER_HEADER = b"dataarts-simulator"
_READ_SIZE = 65536


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
        self._connections: set[asyncio.Task[None]] = set()
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
        server = await asyncio.start_server(self._accepted, sock=self._socket, limit=_READ_SIZE)
        self._started.set()
        async with server:
            await self._stop.wait()
            server.close()
            for task in list(self._connections):
                task.cancel()
            await asyncio.gather(*self._connections, return_exceptions=True)
            await asyncio.sleep(0)  # let the closed transports finish closing

    async def _accepted(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        task = asyncio.current_task()
        assert task is not None
        self._connections.add(task)
        sock = writer.get_extra_info("socket")
        if sock is not None:  # small answers go out at once, not after a delayed ACK (Nagle)
            sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        try:
            await _Connection(self.simulator, reader, writer).serve()
        except (ConnectionError, asyncio.IncompleteReadError):
            pass
        finally:
            self._connections.discard(task)
            writer.close()


class _Connection:
    """One client connection: requests in, answers out, until either side closes."""

    def __init__(
        self,
        simulator: Simulator,
        reader: asyncio.StreamReader,
        writer: asyncio.StreamWriter,
    ) -> None:
        self.simulator = simulator
        self.reader = reader
        self.writer = writer
        self.h11 = h11.Connection(h11.SERVER)

    async def serve(self) -> None:
        while True:
            try:
                request = await self._request()
            except h11.RemoteProtocolError as exc:
                await self._refuse(exc)
                return
            if request is None:
                return
            try:
                answer = self.simulator.handle(request)
            except Exception as exc:  # a bug: answered, rather than a dropped connection
                logger.exception("simulator: %s %s failed", request.method, request.raw_path)
                error = {"error_code": "SIM.0500", "error_msg": f"simulator error: {exc!r}"}
                answer = json_answer(500, error)
            if answer.delay:
                await asyncio.sleep(answer.delay)
            if answer.disconnect:
                return  # closed without a byte of answer
            self._send(request.method, answer)
            await self.writer.drain()
            if answer.truncate or self.h11.our_state is not h11.DONE:
                return
            self.h11.start_next_cycle()

    async def _request(self) -> SimRequest | None:
        """The next request with its whole body; None once the client has closed."""
        head: h11.Request | None = None
        body: list[bytes] = []
        while True:
            event = self.h11.next_event()
            if event is h11.NEED_DATA:
                if self.h11.they_are_waiting_for_100_continue:
                    continue_ = h11.InformationalResponse(status_code=100, headers=[])
                    self.writer.write(self.h11.send(continue_) or b"")
                data = await self.reader.read(_READ_SIZE)
                self.h11.receive_data(data)
            elif isinstance(event, h11.Request):
                head = event
            elif isinstance(event, h11.Data):
                body.append(bytes(event.data))
            elif isinstance(event, h11.EndOfMessage):
                assert head is not None
                return _sim_request(head, b"".join(body))
            elif isinstance(event, h11.ConnectionClosed) or event is h11.PAUSED:
                return None

    def _send(self, method: str, answer: Answer) -> None:
        headers = [(b"Server", SERVER_HEADER), (b"Date", _date())]
        headers += [(name.encode("latin-1"), value.encode("latin-1")) for name, value in answer.header_items()]  # fmt: skip
        reason = _reason(answer.status)
        out = [
            self.h11.send(h11.Response(status_code=answer.status, headers=headers, reason=reason))
        ]
        body = b"" if method == "HEAD" else answer.body
        if answer.truncate:
            body = body[: len(body) // 2]
        if body:
            out.append(self.h11.send(h11.Data(data=body)) or b"")
        if not answer.truncate:
            out.append(self.h11.send(h11.EndOfMessage()) or b"")
        logger.debug("simulator: %s %s", method, answer.status)  # never headers: credentials
        # status line, headers and body in one write: no waiting on the client's delayed ACK
        self.writer.write(b"".join(part for part in out if part))

    async def _refuse(self, exc: h11.RemoteProtocolError) -> None:
        """400 to a request that is not HTTP/1.1 as h11 reads it, then close."""
        if self.h11.our_state not in (h11.IDLE, h11.SEND_RESPONSE):
            return
        answer = json_answer(400, {"error_code": "APIGW.0201", "error_msg": str(exc)})
        try:
            self._send("GET", answer)
            await self.writer.drain()
        except h11.LocalProtocolError:
            pass


def _sim_request(head: h11.Request, body: bytes) -> SimRequest:
    target = head.target.decode("ascii", "replace")
    raw_path, _, raw_query = target.partition("?")
    headers = httpx.Headers([(k.decode("latin-1"), v.decode("latin-1")) for k, v in head.headers])
    return SimRequest(head.method.decode("ascii"), raw_path, raw_query, headers, body)


def _reason(status: int) -> bytes:
    try:
        return HTTPStatus(status).phrase.encode("ascii")
    except ValueError:  # a status http.HTTPStatus does not name
        return b""


def _date() -> bytes:
    return email.utils.formatdate(usegmt=True).encode("ascii")
