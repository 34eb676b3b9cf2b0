"""The aiohttp transport behind `DefaultAioHttpClient`: httpx requests sent on an aiohttp pool.

Built on httpx-aiohttp's `AiohttpTransport` (TLS context from httpx's `verify`/`cert`, the
connection limits, the aiohttp session and its closing); this subclass replaces the per-request
method, for three reasons measured or found while wiring it in (README, "Faster concurrent
calls: aiohttp"):

- correctness: aiohttp's errors are mapped to the httpx errors that say what happened, because
  the retry policy decides on them. A connection the server dropped is `RemoteProtocolError` (the
  request may have run: a POST is not sent again), not httpx-aiohttp's `ConnectTimeout` (never
  sent: any method is sent again); only a failure to connect is `ConnectError`/`ConnectTimeout`.
- correctness: aiohttp silently sends a GET, PUT or DELETE a second time when the connection
  breaks before the answer. Every attempt is the client's to make (counted, logged, backed off,
  never for a PUT), so that hidden resend is turned off for each request (`_one_attempt`).
- speed: the percent-encoded URL is handed over as it is (re-quoting it could also change what
  was signed), timeouts are converted once per value, and `read` returns a response already
  read, which `DefaultAioHttpClient` uses to skip httpx's per-request machinery.
"""

from __future__ import annotations

import datetime
import time
import urllib.request
from collections.abc import AsyncIterator, Mapping
from typing import TYPE_CHECKING, Any, Protocol

import aiohttp
import httpx
import yarl
from httpx_aiohttp import AiohttpTransport

if TYPE_CHECKING:
    from .request import PreparedRequest

__all__ = ["AiohttpPool"]

_HTTP11 = {"http_version": b"HTTP/1.1"}
_CHUNK = 64 * 1024  # a download's chunks
_URLS_KEPT = 256  # parsed URLs kept for reuse (AiohttpPool._yarl_url)


class _NotResent(aiohttp.ClientError):
    """A broken connection, re-raised under a type aiohttp's own resend does not catch."""


async def _one_attempt(
    request: aiohttp.ClientRequest,
    handler: Any,
) -> aiohttp.ClientResponse:
    """Client middleware: a connection broken before the answer is not sent again by aiohttp."""
    try:
        response: aiohttp.ClientResponse = await handler(request)
    except aiohttp.ClientConnectorError:
        raise  # not connected: aiohttp does not resend these anyway
    except (aiohttp.ClientOSError, aiohttp.ServerDisconnectedError) as exc:
        raise _NotResent(str(exc)) from exc
    return response


_MIDDLEWARES = (_one_attempt,)


class AiohttpPool(AiohttpTransport):
    """httpx-aiohttp's transport with the per-request method of this package (module docstring).

    `trust_env` also reads the proxy environment variables (`HTTPS_PROXY`, `NO_PROXY`, ...), as
    httpx does; `proxy` (an `httpx.Proxy` or URL) sends every request through that proxy.
    """

    def __init__(
        self,
        *,
        verify: Any = True,
        cert: Any = None,
        trust_env: bool = True,
        limits: httpx.Limits,
        proxy: httpx.Proxy | str | None = None,
    ) -> None:
        if isinstance(proxy, str):
            proxy = httpx.Proxy(proxy)
        super().__init__(verify=verify, cert=cert, trust_env=trust_env, limits=limits, proxy=proxy)
        self._env_proxies = _environment_proxies() if trust_env and proxy is None else {}
        self._proxy_of: dict[tuple[str, str], tuple[str | None, Mapping[str, str] | None]] = {}
        self._timeouts: dict[tuple[float | None, ...], aiohttp.ClientTimeout] = {}
        self._urls: dict[str, yarl.URL] = {}

    def session(self) -> aiohttp.ClientSession:
        """The aiohttp session (created on first use, in the running event loop)."""
        client = self.client
        if isinstance(client, aiohttp.ClientSession):
            return client
        session = self.client = self.get_client()
        return session

    async def read(
        self, request: httpx.Request, cookies: httpx.Cookies | None = None
    ) -> httpx.Response:
        """Send `request` and return its response with the body read; a `Set-Cookie` in it is
        stored in `cookies`, as httpx's client does after every response."""
        return await self._read(_Built(request), cookies)

    async def read_prepared(
        self, prepared: PreparedRequest, cookies: httpx.Cookies | None = None
    ) -> httpx.Response:
        """`read` for a request still in text: its `httpx.Request` is made only if something
        asks for it (the response's `request`, an error, a cookie to store, a compressed body)."""
        return await self._read(prepared, cookies)

    async def _read(self, sent: _Outgoing, cookies: httpx.Cookies | None) -> httpx.Response:
        started = time.perf_counter()
        answer = await self._open(sent)
        try:
            body = await answer.read()
        except (aiohttp.ClientError, TimeoutError) as exc:
            answer.close()
            raise _mapped(exc, sent.request) from exc
        except BaseException:  # cancelled: the connection cannot be reused
            answer.close()
            raise
        answer.release()
        lines = answer.raw_headers
        coding = answer.headers.get("Content-Encoding")
        if coding is None or coding == "identity":
            response: httpx.Response = _Whole(
                answer.status, lines, body, sent, _extensions(answer.reason)
            )
        else:  # compressed: httpx's reading decodes it
            response = httpx.Response(
                answer.status,
                headers=lines,
                stream=httpx.ByteStream(body),
                request=sent.request,
                extensions=_extensions(answer.reason),
            )
            response.read()
        response.elapsed = datetime.timedelta(seconds=time.perf_counter() - started)
        if cookies is not None and "Set-Cookie" in answer.headers:  # aiohttp's lookup is cheap
            cookies.extract_cookies(response)
        return response

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        """The transport interface: a response whose body streams from the connection."""
        answer = await self._open(_Built(request))
        return httpx.Response(
            answer.status,
            headers=answer.raw_headers,
            stream=_Body(answer, request),
            request=request,
            extensions=_extensions(answer.reason),
        )

    async def _open(self, sent: _Outgoing) -> aiohttp.ClientResponse:
        """Send the request and read the status line and headers; its URL goes out
        percent-encoded (and signed) as it was built."""
        parsed = self._yarl_url(sent.wire())  # as encoded: no re-quoting
        proxy, proxy_headers = self._proxy_for(parsed)
        try:
            return await self.session().request(
                sent.method,
                parsed,
                headers=sent.headers,
                data=sent.body or None,
                allow_redirects=False,
                auto_decompress=False,  # httpx decodes, as it does for its own transports
                compress=False,
                timeout=self._timeout(sent.timeout),
                server_hostname=sent.sni_hostname,
                proxy=proxy,
                proxy_headers=proxy_headers,
                middlewares=_MIDDLEWARES,
            )
        except (aiohttp.ClientError, TimeoutError) as exc:
            raise _mapped(exc, sent.request) from exc

    def _yarl_url(self, url: str) -> yarl.URL:
        """`url` (percent-encoded) as aiohttp's URL, parsed once while it is asked for again
        (a client polling one status sends one URL over and over)."""
        found = self._urls.get(url)
        if found is None:
            if len(self._urls) >= _URLS_KEPT:
                self._urls.clear()
            found = self._urls[url] = yarl.URL(url, encoded=True)
        return found

    def _timeout(self, timeout: Mapping[str, float | None] | None) -> aiohttp.ClientTimeout:
        """httpx's timeouts as aiohttp's: connect, read, and pool as the wait for a connection
        (aiohttp has no write timeout)."""
        values = timeout or {}
        key = (values.get("connect"), values.get("read"), values.get("pool"))
        found = self._timeouts.get(key)
        if found is None:
            found = self._timeouts[key] = aiohttp.ClientTimeout(
                total=None, sock_connect=key[0], sock_read=key[1], connect=key[2]
            )
        return found

    def _proxy_for(self, url: yarl.URL) -> tuple[str | None, Mapping[str, str] | None]:
        proxy = self.proxy
        if proxy is not None:
            return str(proxy.url), proxy.headers
        if not self._env_proxies:
            return None, None
        key = (url.raw_host or "", url.scheme)
        found = self._proxy_of.get(key)
        if found is None:
            found = self._proxy_of[key] = _environment_proxy(
                self._env_proxies, url.host or "", url.scheme
            )
        return found


class _HasRequest(Protocol):
    """Where the `httpx.Request` of a response or an error comes from (made when asked for)."""

    @property
    def request(self) -> httpx.Request: ...


class _Outgoing(_HasRequest, Protocol):
    """A request as the pool sends it: a generated client's `PreparedRequest` (text), or an
    `httpx.Request` taken apart once (`_Built`)."""

    @property
    def method(self) -> str: ...

    @property
    def headers(self) -> list[tuple[str, str]]: ...

    @property
    def body(self) -> Any: ...  # bytes, or a stream aiohttp sends chunked

    @property
    def timeout(self) -> Mapping[str, float | None] | None: ...

    @property
    def sni_hostname(self) -> str | None: ...

    def wire(self) -> str: ...


class _Built:
    """An `httpx.Request` already made, as an `_Outgoing`."""

    __slots__ = ("body", "headers", "method", "request", "sni_hostname", "timeout")

    def __init__(self, request: httpx.Request) -> None:
        self.request = request
        self.method = request.method
        self.headers = [(k.decode("latin-1"), v.decode("latin-1")) for k, v in request.headers.raw]
        try:
            self.body: Any = request.content
        except httpx.RequestNotRead:  # a streamed body: aiohttp sends it chunked
            self.body = request.stream
        self.timeout: Mapping[str, float | None] | None = request.extensions.get("timeout")
        self.sni_hostname: str | None = request.extensions.get("sni_hostname")

    def wire(self) -> str:
        return str(self.request.url)


class _Body(httpx.AsyncByteStream):
    """A streamed response body, its errors mapped like those of the request."""

    def __init__(self, answer: aiohttp.ClientResponse, request: httpx.Request) -> None:
        self._answer = answer
        self._request = request

    async def __aiter__(self) -> AsyncIterator[bytes]:
        try:
            async for chunk in self._answer.content.iter_chunked(_CHUNK):
                yield chunk
        except (aiohttp.ClientError, TimeoutError) as exc:
            raise _mapped(exc, self._request) from exc

    async def aclose(self) -> None:
        self._answer.release()


class _Whole(httpx.Response):
    """A response whose body was read whole and needs no decoding: `content` is the body.

    httpx's own reading runs the bytes through its decoder and chunker pipeline, which costs
    more than the rest of handing over a small response; `iter_bytes` and the rest still work
    (the body stays available as the stream). `headers` are made from the raw lines when first
    read, and `request` from its source when first asked for: a parsed result needs neither.
    """

    def __init__(
        self,
        status: int,
        headers: Any,
        body: bytes,
        source: _HasRequest,
        extensions: dict[str, Any],
    ) -> None:
        super().__init__(status, stream=httpx.ByteStream(body), extensions=extensions)
        self._raw_lines = headers
        self._parsed_headers: httpx.Headers | None = None  # not the empty ones super() set
        self._body = body
        self._source = source
        self._made: httpx.Request | None = None

    @property
    def headers(self) -> httpx.Headers:
        found = self._parsed_headers
        if found is None:
            found = self._parsed_headers = httpx.Headers(self._raw_lines)
        return found

    @headers.setter
    def headers(self, value: httpx.Headers) -> None:
        self._parsed_headers = value

    @property
    def request(self) -> httpx.Request:
        made = self._made
        if made is None:
            made = self._made = self._source.request
            httpx.Response.request.fset(self, made)  # type: ignore[attr-defined]  # as httpx keeps it
        return made

    @request.setter
    def request(self, value: httpx.Request) -> None:
        self._made = value
        httpx.Response.request.fset(self, value)  # type: ignore[attr-defined]

    def raise_for_status(self) -> httpx.Response:
        self.request  # made now: httpx's check needs it  # noqa: B018
        return super().raise_for_status()

    @property
    def content(self) -> bytes:
        return self._body

    def read(self) -> bytes:
        return self._body

    async def aread(self) -> bytes:
        return self._body


_EXTENSIONS: dict[str | None, dict[str, Any]] = {}  # by reason phrase (httpx copies them)


def _extensions(reason: str | None) -> dict[str, Any]:
    found = _EXTENSIONS.get(reason)
    if found is None:
        found = dict(_HTTP11)
        if reason:
            found["reason_phrase"] = reason.encode("latin-1", "replace")
        if len(_EXTENSIONS) < 64:  # the reasons a server sends are few; anything else is not kept
            _EXTENSIONS[reason] = found
    return found


def _mapped(exc: Exception, request: httpx.Request) -> httpx.TransportError:
    """The httpx error for an aiohttp error or a timeout."""
    cause = exc.__cause__
    if isinstance(exc, _NotResent) and isinstance(cause, Exception):
        exc = cause
    kind: type[httpx.TransportError]
    if isinstance(exc, aiohttp.ConnectionTimeoutError):
        kind = httpx.ConnectTimeout  # connecting, or waiting for a pooled connection
    elif isinstance(exc, TimeoutError):
        kind = httpx.ReadTimeout  # aiohttp's SocketTimeoutError: no answer in time
    elif isinstance(exc, (aiohttp.ClientProxyConnectionError, aiohttp.ClientHttpProxyError)):
        kind = httpx.ProxyError
    elif isinstance(exc, aiohttp.ClientConnectorError):
        kind = httpx.ConnectError  # nothing was sent: refused, DNS, TLS
    elif isinstance(exc, (aiohttp.ServerDisconnectedError, aiohttp.ClientPayloadError)):
        kind = httpx.RemoteProtocolError  # dropped or cut short: the request may have run
    elif isinstance(exc, aiohttp.ClientResponseError):
        kind = httpx.RemoteProtocolError  # an answer that is not HTTP
    elif isinstance(exc, aiohttp.NonHttpUrlClientError):
        kind = httpx.UnsupportedProtocol
    else:
        kind = httpx.ReadError  # reset and the like
    return kind(
        f"{type(exc).__name__}: {exc}" if str(exc) else type(exc).__name__,
        request=request,
    )


def _environment_proxies() -> dict[str, str]:
    """The proxy environment variables (`HTTPS_PROXY`, `ALL_PROXY`, `NO_PROXY`, ...) by scheme."""
    found = urllib.request.getproxies_environment()
    return {k: v for k, v in found.items() if k in ("http", "https", "all", "no")}


def _environment_proxy(
    proxies: dict[str, str], host: str, scheme: str
) -> tuple[str | None, Mapping[str, str] | None]:
    """The proxy the environment names for `host` (None: go direct): `NO_PROXY` lists hosts and
    domains (a domain covers its subdomains; `*` every host) that go direct."""
    host = host.lower()
    for entry in proxies.get("no", "").split(","):
        name = entry.strip().lower().lstrip(".")
        if name == "*" or (name and (host == name or host.endswith("." + name))):
            return None, None
    found = proxies.get(scheme) or proxies.get("all")
    if not found:
        return None, None
    return (found if "://" in found else "http://" + found), None
