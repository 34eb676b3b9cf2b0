"""`--dry-run`: the request a command would send, captured before it leaves, secrets redacted."""

from __future__ import annotations

import json
from collections.abc import Callable
from contextlib import AbstractContextManager
from typing import Any

import httpx

from .._runtime.logs import redact_headers
from .._runtime.models import redact_plain


class _Captured(Exception):
    def __init__(self, request: httpx.Request) -> None:
        super().__init__("captured")
        self.request = request


def capture(
    client_for: Callable[..., AbstractContextManager[Any]],
    call: Callable[[Any], Any],
    *,
    signed: bool,
) -> dict[str, Any]:
    """What `call(client)` would send: method, URL, headers and body, as the client built them.

    The client is the real one (signing included), over a transport that stops at the first
    request. Without credentials (`signed=False`) the request is shown unsigned.
    """

    def stop(request: httpx.Request) -> httpx.Response:
        raise _Captured(request)

    http = httpx.Client(transport=httpx.MockTransport(stop))
    del http.headers["Connection"]  # as the clients' own connection pools do
    extra: dict[str, Any] = {"http_client": http}
    if not signed:
        extra["auth"] = httpx.Auth()  # sends the request as it is
    try:
        with extra["http_client"], client_for(**extra) as client:
            call(client)
    except _Captured as captured:
        return describe(captured.request)
    raise RuntimeError("the command sent no request")  # pragma: no cover - every command sends one


def describe(request: httpx.Request) -> dict[str, Any]:
    headers = redact_headers([(k.decode(), v.decode()) for k, v in request.headers.raw])
    body: Any = None
    if request.content:
        try:
            body = redact_plain(json.loads(request.content))
        except ValueError:
            body = f"<{len(request.content)} bytes>"
    return {"method": request.method, "url": str(request.url), "headers": headers, "body": body}
