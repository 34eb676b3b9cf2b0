"""In-process httpx transports: a client talks to the simulator without a socket.

Faults act as they would on a socket, as httpx exceptions: a dropped connection raises
`httpx.RemoteProtocolError` before any answer, a truncated body raises it while the body is
read, and a slow answer waits (real time) or, when the request's read timeout is shorter,
raises `httpx.ReadTimeout` once that timeout has passed.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator, Iterator
from typing import TYPE_CHECKING

import httpx

from .answers import Answer
from .incoming import SimRequest

if TYPE_CHECKING:
    from .simulator import Simulator

__all__ = ["AsyncSimulatorTransport", "SimulatorTransport"]

_DROPPED = "Server disconnected without sending a response."
_CUT = "peer closed connection without sending complete message body (incomplete chunked read)"


def _read_timeout(request: httpx.Request) -> float | None:
    timeouts = request.extensions.get("timeout") or {}
    value = timeouts.get("read")
    return float(value) if value is not None else None


def _response(
    answer: Answer, request: httpx.Request, stream: httpx.SyncByteStream | httpx.AsyncByteStream
) -> httpx.Response:
    return httpx.Response(
        answer.status, headers=answer.header_items(), stream=stream, request=request
    )


class _CutStream(httpx.SyncByteStream, httpx.AsyncByteStream):
    """Half of the body, then the broken connection."""

    def __init__(self, body: bytes) -> None:
        self._part = body[: len(body) // 2]

    def __iter__(self) -> Iterator[bytes]:
        yield self._part
        raise httpx.RemoteProtocolError(_CUT)

    async def __aiter__(self) -> AsyncIterator[bytes]:
        yield self._part
        raise httpx.RemoteProtocolError(_CUT)


class SimulatorTransport(httpx.BaseTransport):
    """`httpx.Client(transport=sim.transport(), base_url="http://simulator")`."""

    def __init__(self, simulator: Simulator) -> None:
        self.simulator = simulator

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        answer = self.simulator.handle(SimRequest.from_httpx(request, request.read()))
        if answer.delay:
            timeout = _read_timeout(request)
            if timeout is not None and timeout < answer.delay:
                time.sleep(timeout)
                raise httpx.ReadTimeout("timed out", request=request)
            time.sleep(answer.delay)
        if answer.disconnect:
            raise httpx.RemoteProtocolError(_DROPPED, request=request)
        if answer.truncate:
            return _response(answer, request, _CutStream(answer.body))
        return _response(answer, request, httpx.ByteStream(answer.body))


class AsyncSimulatorTransport(httpx.AsyncBaseTransport):
    """`httpx.AsyncClient(transport=sim.async_transport(), base_url="http://simulator")`."""

    def __init__(self, simulator: Simulator) -> None:
        self.simulator = simulator

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        answer = self.simulator.handle(SimRequest.from_httpx(request, await request.aread()))
        if answer.delay:
            timeout = _read_timeout(request)
            if timeout is not None and timeout < answer.delay:
                await asyncio.sleep(timeout)
                raise httpx.ReadTimeout("timed out", request=request)
            await asyncio.sleep(answer.delay)
        if answer.disconnect:
            raise httpx.RemoteProtocolError(_DROPPED, request=request)
        if answer.truncate:
            return _response(answer, request, _CutStream(answer.body))
        return _response(answer, request, httpx.ByteStream(answer.body))
