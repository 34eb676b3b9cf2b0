"""The floor of `bench/simulator.py`: an asyncio server that answers every request with the same
bytes (ListClusters' empty answer) and does nothing else, so what it measures is the client and
the machine. Prints `... listening on URL` first.

    python bench/floor_peer.py
"""

from __future__ import annotations

import asyncio

BODY = b'{"clusters":[]}'
ANSWER = (
    b"HTTP/1.1 200 OK\r\nContent-Type: application/json;charset=UTF-8\r\n"
    b"Content-Length: %d\r\n\r\n%s" % (len(BODY), BODY)
)


class Canned(asyncio.Protocol):
    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        assert isinstance(transport, asyncio.Transport)
        self.transport = transport
        self.buffer = b""

    def data_received(self, data: bytes) -> None:
        self.buffer += data
        while b"\r\n\r\n" in self.buffer:  # GET requests: a head, no body
            _, _, self.buffer = self.buffer.partition(b"\r\n\r\n")
            self.transport.write(ANSWER)


async def main() -> None:
    server = await asyncio.get_running_loop().create_server(Canned, "127.0.0.1", 0, backlog=1024)
    port = server.sockets[0].getsockname()[1]
    print(f"floor peer listening on http://127.0.0.1:{port}", flush=True)
    await server.serve_forever()


if __name__ == "__main__":
    asyncio.run(main())
