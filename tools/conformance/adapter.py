"""The official SDK's network seam: a requests transport adapter answering from memory.

Runs in the official SDK's virtualenv (it needs `requests`), imported by
tools/conformance/official_side.py and bench/official_peer.py. Mounted on the SDK's
`requests.Session`, it replaces the network only: the SDK still builds, signs and sends every
request, and deserialises every answer.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping

import requests
from requests.adapters import BaseAdapter
from requests.structures import CaseInsensitiveDict

# what to answer a request with: (status, headers, body bytes)
Answer = Callable[[requests.PreparedRequest], tuple[int, Mapping[str, str], bytes]]


class CannedAdapter(BaseAdapter):
    """Answers each request with `answer(request)`; keeps the last request sent."""

    def __init__(self, answer: Answer) -> None:
        super().__init__()
        self.answer = answer
        self.last: requests.PreparedRequest | None = None

    def send(  # type: ignore[override]
        self, request: requests.PreparedRequest, stream: bool = False, **kwargs: object
    ) -> requests.Response:
        self.last = request
        status, headers, content = self.answer(request)
        response = requests.Response()
        response.status_code = status
        response.reason = "canned"
        response.headers = CaseInsensitiveDict(headers)
        response._content = content
        response.raw = _Raw(content)  # what an SdkStreamResponse (a download) reads
        response.encoding = "utf-8"
        response.url = request.url or ""
        response.request = request
        return response

    def close(self) -> None:
        pass


class _Raw:
    def __init__(self, content: bytes) -> None:
        self.content = content

    def read(self, *args: object, **kwargs: object) -> bytes:
        content, self.content = self.content, b""
        return content


def mount(session: requests.Session, adapter: CannedAdapter) -> None:
    session.mount("https://", adapter)
    session.mount("http://", adapter)
