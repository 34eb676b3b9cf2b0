"""Golden case `binary`: a download (bytes and to a file), a 204 without a body, a DELETE with one."""

from __future__ import annotations

import io
import json
import os
from pathlib import Path

import httpx

import dataarts
from dataarts.files import FilesClient

assert dataarts.__file__.startswith(os.environ["GOLDEN_OUT"]), dataarts.__file__

CONTENT = bytes(range(256)) * 100
sent: list[httpx.Request] = []


def handler(request: httpx.Request) -> httpx.Response:
    sent.append(request)
    if request.method == "GET":
        return httpx.Response(200, content=CONTENT, headers={"Content-Type": "application/octet-stream"})
    return httpx.Response(204)


client = FilesClient(project_id="p", token="t", workspace="ws-1",
                     http_client=httpx.Client(transport=httpx.MockTransport(handler)))

assert client.files.download(name="a b.zip") == CONTENT
assert sent[0].url.raw_path == b"/v1/p/files/a%20b.zip"
assert sent[0].headers["workspace"] == "ws-1"  # the client option, where the spec has the header

target = Path(os.environ["GOLDEN_TMP"]) / "out.zip"
assert client.files.download_to_file(target, name="a.zip") == len(CONTENT)
assert target.read_bytes() == CONTENT
buffer = io.BytesIO()
assert client.files.download_to_file(buffer, name="a.zip") == len(CONTENT)
assert buffer.getvalue() == CONTENT

sent.clear()
assert client.files.touch(name="a.zip") is None
assert (sent[0].method, sent[0].content, "workspace" in sent[0].headers) == ("PUT", b"", False)

sent.clear()
assert client.files.delete(body={"names": ["a.zip", "b.zip"]}) is None
(request,) = sent
assert (request.method, request.url.path) == ("DELETE", "/v1/p/files")
assert json.loads(request.content) == {"names": ["a.zip", "b.zip"]}
assert request.headers["Content-Type"].startswith("application/json")
print("ok")
