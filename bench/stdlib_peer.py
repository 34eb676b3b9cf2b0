"""The peer of `bench/simulator.py`: the same simulator behind Python's standard
`http.server.ThreadingHTTPServer` (a thread per connection, `socketserver`'s listen queue of 5),
the server the simulator used before its asyncio one. Prints `... listening on URL` first.

    python bench/stdlib_peer.py
"""

from __future__ import annotations

from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import httpx

from dataarts.testing import Simulator
from dataarts.testing.incoming import SimRequest

SIMULATOR = Simulator()


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def do_GET(self) -> None:
        raw_path, _, raw_query = self.path.partition("?")
        headers = httpx.Headers(list(self.headers.items()))
        answer = SIMULATOR.handle(SimRequest("GET", raw_path, raw_query, headers, b""))
        self.send_response(answer.status, HTTPStatus(answer.status).phrase)
        for name, value in answer.header_items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(answer.body)

    def log_message(self, format: str, *args: Any) -> None:
        pass


def main() -> None:
    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    print(f"stdlib peer listening on http://127.0.0.1:{server.server_address[1]}", flush=True)
    server.serve_forever()


if __name__ == "__main__":
    main()
