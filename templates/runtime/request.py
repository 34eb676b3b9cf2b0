"""Request encoding: one call of an operation as the `httpx.Request` of one attempt.

Every request is built one way: the call's path, query, headers and body become text
(`RequestParts`: the encoded path and query, the header lines, the body bytes), merged with what
the `http_client` carries (its headers, params and cookies, as httpx's `build_request` would),
then an auth of this package completes them through its public `apply` (the AK/SK signature
included). The result is a `PreparedRequest`, whose `httpx.Request` is made when first asked for
(a transport taking the text, the aiohttp one, never asks). Any other `httpx.Auth` is returned
for `send` to run as an httpx auth flow.

Every request carries `Content-Type`: `application/json;charset=UTF-8` with a JSON body,
`application/json` without one (as the official SDK sends it; the API gateway refuses a
factory POST without the header), unless the call sets its own.
"""

from __future__ import annotations

import functools
import json
import sys
from collections.abc import Mapping
from typing import Any
from urllib.parse import quote, quote_from_bytes

import httpx

from .auth import HeaderLines, RequestAuth, RequestParts, applies_while_building
from .operation import Call, OperationSpec
from .types import Timeout
from .urls import encoded_url, encoded_url_text, origin_of

JSON_BODY = "application/json;charset=UTF-8"
NO_BODY = "application/json"
_BODY_METHODS = ("POST", "PUT", "PATCH")  # those httpx gives a Content-Length even when empty


class PreparedRequest:
    """One attempt's request as it goes on the wire, in text; its `httpx.Request` made once,
    when first asked for (`request`).

    `method`, `headers` (the header lines in order), `body` (the exact bytes) and `timeout`
    (httpx's timeout values, `httpx.Timeout.as_dict()`) as built; `wire()` gives the URL as
    text. A transport that sends these as they are (the aiohttp one) skips making an
    `httpx.Request` only to take it apart again.
    """

    __slots__ = (
        "_base",
        "_made",
        "_origin",
        "_path",
        "_query",
        "body",
        "headers",
        "method",
        "timeout",
    )
    sni_hostname: str | None = None  # TLS server name: the host's own, as httpx sends it

    def __init__(
        self,
        parts: RequestParts,
        base: httpx.URL,
        origin: str | None,
        timeout: dict[str, float | None],
    ) -> None:
        self.method = parts.method
        self.headers = parts.lines()
        self.body = parts.body
        self.timeout = timeout
        self._base = base
        self._origin = origin
        self._path = parts.path
        self._query = parts.query
        self._made: httpx.Request | None = None

    def wire(self) -> str:
        """The whole URL, percent-encoded as sent and signed (not to be quoted again), once the
        header lines are known to be what HTTP carries: a line that is not ASCII raises
        UnicodeEncodeError, as making the `httpx.Request` would, before anything is sent."""
        for name, value in self.headers:
            if not (name.isascii() and value.isascii()):
                name.encode("ascii")
                value.encode("ascii")
        return encoded_url_text(self._base, self._origin, self._path, self._query)

    @property
    def request(self) -> httpx.Request:
        """The `httpx.Request` of these parts (made on first use, then the same one)."""
        made = self._made
        if made is None:
            url = encoded_url(self._base, self._path, self._query)
            made = self._made = _request_of(self.method, url, self.headers, self.body, self.timeout)
        return made


def _request_of(
    method: str,
    url: httpx.URL,
    lines: list[tuple[str, str]],
    body: bytes,
    timeout: dict[str, float | None],
) -> httpx.Request:
    """The `httpx.Request` sending these parts, its body read (as httpx reads bytes content)."""
    request = httpx.Request(
        method,
        url,
        headers=[(k.encode("ascii"), v.encode("ascii")) for k, v in lines],
        stream=httpx.ByteStream(body),
        extensions={"timeout": timeout},
    )
    request.read()
    return request


class RequestEncoder:
    """Builds the requests of one client; keeps what it parsed or decided once per client."""

    def __init__(self) -> None:
        self._base: tuple[str, httpx.URL, str, str, str | None] | None = (
            None  # url, parsed, prefix, host, origin
        )
        self._timeout: tuple[object, dict[str, float | None]] | None = None
        self._auth: tuple[httpx.Auth, RequestAuth | None] | None = None  # auth, if applied here
        self._defaults: tuple[Mapping[str, str], dict[str, tuple[str, str]]] | None = None
        self._client: tuple[list[tuple[bytes, bytes]], list[tuple[str, str]]] | None = None

    def prepare(
        self,
        http: httpx.Client | httpx.AsyncClient,
        op: OperationSpec[Any],
        call: Call,
        *,
        base_url: str,
        project_id: str | None,
        options: Mapping[str, str | None],
        default_headers: Mapping[str, str],
        timeout: Timeout,
        auth: httpx.Auth,
    ) -> tuple[PreparedRequest, httpx.Auth | None]:
        """One attempt's request (its `httpx.Request` made when first asked for), and the auth
        `send` must still run on it (None: applied here)."""
        path, query, headers = _path_query_headers(
            op, call, project_id, options, self._header_lines(default_headers)
        )
        body = encode_body(call.body) if call.body is not None else b""
        if "content-type" not in headers:
            headers["content-type"] = ("Content-Type", JSON_BODY if body else NO_BODY)
        if body:
            headers["content-length"] = ("Content-Length", str(len(body)))
        base, prefix, host, origin = self._parsed_base(base_url)
        if http.params:
            query = _merge_params(http.params, query)
        lines = _merge_headers(self._client_headers(http.headers), headers, host, op.method)
        encoded = _encode_query(query) if query else ""
        parts = RequestParts(op.method, host, prefix + path, encoded, lines, body)
        if http.cookies:
            _add_cookie_header(http.cookies, parts, base)
        applied = self._applied_here(auth)
        if applied is not None:
            applied.apply(parts)
        prepared = PreparedRequest(parts, base, origin, self._timeout_dict(timeout))
        return prepared, (None if applied is not None else auth)

    def _parsed_base(self, base_url: str) -> tuple[httpx.URL, str, str, str | None]:
        """The base URL parsed, its path prefix (no trailing "/"), its Host header value and
        its origin (`urls.origin_of`)."""
        cached = self._base
        if cached is None or cached[0] is not base_url:
            base = httpx.URL(base_url)
            prefix = base.raw_path.partition(b"?")[0].rstrip(b"/").decode("ascii")
            host = base.netloc.decode("ascii")
            origin = origin_of(base)
            cached = self._base = (base_url, base, prefix, host, origin)
        return cached[1], cached[2], cached[3], cached[4]

    def _header_lines(self, default_headers: Mapping[str, str]) -> dict[str, tuple[str, str]]:
        """The client's default headers by lower-case name (a fresh dict to complete)."""
        cached = self._defaults
        if cached is None or cached[0] is not default_headers:
            lines = {name.lower(): (name, value) for name, value in default_headers.items()}
            cached = self._defaults = (default_headers, lines)
        return dict(cached[1])

    def _client_headers(self, headers: httpx.Headers) -> list[tuple[str, str]]:
        """The http_client's headers as `multi_items` gives them, decoded again only when they
        changed (they may, in place, at any time: compared as their raw lines)."""
        raw = headers.raw
        cached = self._client
        if cached is None or cached[0] != raw:
            cached = self._client = (raw, headers.multi_items())
        return cached[1]

    def _timeout_dict(self, timeout: Timeout) -> dict[str, float | None]:
        cached = self._timeout
        if cached is None or cached[0] is not timeout:
            cached = self._timeout = (timeout, httpx.Timeout(timeout).as_dict())
        return dict(cached[1])

    def _applied_here(self, auth: httpx.Auth) -> RequestAuth | None:
        """`auth` when it is applied while building (see `applies_while_building`), else None."""
        cached = self._auth
        if cached is None or cached[0] is not auth:
            here = auth if applies_while_building(auth) else None
            cached = self._auth = (auth, here)
        return cached[1]


def _path_query_headers(
    op: OperationSpec[Any],
    call: Call,
    project_id: str | None,
    options: Mapping[str, str | None],
    headers: dict[str, tuple[str, str]],
) -> tuple[str, list[tuple[str, str]], dict[str, tuple[str, str]]]:
    """The call's encoded path, its query pairs, and its headers (lower-case name -> line).

    `headers` (the client's default headers, completed in place) are overridden by later
    sources, whatever the case of a header name: the client's options, the call's header
    parameters, its extra headers.
    """
    path_values = dict(call.path) if call.path else {}
    query_values: dict[str, Any] = {}
    for location, wire, option, fallback in op.client_params:
        value = project_id if option == "project_id" else options.get(option)
        if value is None:
            value = fallback  # the documented value of a required parameter, or None
            if value is None:
                continue
        if location == "path":
            path_values[wire] = value
        elif location == "header":
            headers[wire.lower()] = (wire, value)
        else:
            query_values[wire] = value
    language = options.get("language")
    if language and "x-language" not in headers:  # a common header (table 7-1)
        headers["x-language"] = ("X-Language", language)
    if call.headers:
        for name, value in call.headers.items():
            if value is not None:
                headers[name.lower()] = (name, _text(value))
    if call.extra_headers:
        for name, value in call.extra_headers.items():
            headers[name.lower()] = (name, value)
    if call.query:
        query_values.update(call.query)
    if call.extra_query:
        query_values.update(call.extra_query)
    segments = {}
    for wire, value in path_values.items():
        if value is None or value == "":
            raise ValueError(f"path parameter {wire!r} of {op.operation_id} must not be empty")
        segments[wire] = _path_segment(value)
    pairs = _query_pairs(query_values) if query_values else []
    return op.path.format_map(segments), pairs, headers


def _merge_headers(
    client: list[tuple[str, str]], ours: dict[str, tuple[str, str]], host: str, method: str
) -> HeaderLines:
    """The headers sent: the http_client's (`multi_items`: names in lower case), ours replacing
    those of the same name (in their place, as httpx merges them), Host first unless given, and
    an empty body's Content-Length."""
    merged: HeaderLines = {}
    for name, value in client:
        found = merged.get(name)
        if found is not None:
            if name not in ours:  # a repeated name of the client's own
                found.append((name, value))
        else:
            merged[name] = [ours.get(name, (name, value))]
    for key, line in ours.items():
        if key not in merged:
            merged[key] = [line]
    if "host" not in merged:
        merged = {"host": [("Host", host)], **merged}
    if method in _BODY_METHODS and "content-length" not in merged:
        merged["content-length"] = [("Content-Length", "0")]
    return merged


def _merge_params(client: httpx.QueryParams, ours: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """The http_client's params with ours; a key of ours replaces all of the client's values."""
    values: dict[str, list[str]] = {key: client.get_list(key) for key in client}
    mine: dict[str, list[str]] = {}
    for key, value in ours:
        mine.setdefault(key, []).append(value)
    values.update(mine)
    return [(key, value) for key, found in values.items() for value in found]


def _add_cookie_header(cookies: httpx.Cookies, parts: RequestParts, base: httpx.URL) -> None:
    """The http_client's cookies for this URL, as httpx sends them (unless a Cookie is set)."""
    if parts.header("cookie") is not None:
        return
    probe = httpx.Request(parts.method, encoded_url(base, parts.path, ""))
    cookies.set_cookie_header(probe)
    value = probe.headers.get("cookie")
    if value is not None:
        parts.headers["cookie"] = [("Cookie", value)]


def encode_body(body: Any) -> bytes:
    """JSON bytes of a request body: a model (dumped by wire name, unset fields left out) or a mapping."""
    if _is_model(body):
        return body.model_dump_json(by_alias=True, exclude_unset=True).encode()  # type: ignore[no-any-return]
    return json.dumps(json_ready(body), ensure_ascii=False, separators=(",", ":")).encode()


def json_ready(value: Any) -> Any:
    """`value` with every model in it dumped to its wire form (plain dicts, lists, scalars)."""
    if _is_model(value):
        return value.model_dump(mode="json", by_alias=True, exclude_unset=True)
    if isinstance(value, Mapping):
        return {k: json_ready(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [json_ready(v) for v in value]
    return value


def _is_model(value: Any) -> bool:
    # A pydantic model can only exist once pydantic is imported: no need to import it here.
    pydantic_main = sys.modules.get("pydantic.main")
    return pydantic_main is not None and isinstance(value, pydantic_main.BaseModel)


def _query_pairs(values: Mapping[str, Any]) -> list[tuple[str, str]]:
    pairs: list[tuple[str, str]] = []
    for key, value in values.items():
        if value is None:
            continue
        for item in value if isinstance(value, (list, tuple)) else (value,):
            pairs.append((key, _text(item)))
    return pairs


def _encode_query(pairs: list[tuple[str, str]]) -> str:
    return "&".join([_encode(key) + "=" + _encode(value) for key, value in pairs])


def _encode(text: str) -> str:
    # RFC 3986: everything but A-Z a-z 0-9 - _ . ~ percent-encoded, as the signing rules want it
    return quote_from_bytes(text.encode("utf-8"), "")


@functools.lru_cache(maxsize=1024, typed=True)  # polling repeats the same names
def _path_segment(value: Any) -> str:
    segment = quote(str(value), safe="")
    # "." and ".." would be dot segments, which URL handling removes (a job named ".." must
    # not address its parent): percent-encoded, they stay a name.
    return segment.replace(".", "%2E") if not segment.strip(".") else segment


def _text(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)
