"""Request authentication: IAM token and AK/SK signing (SDK-HMAC-SHA256) of a request's parts.

`RequestAuth` is the interface this package's auth classes own: `apply(parts)` completes a request
given as `RequestParts` (method, host, encoded path and query, header lines, body bytes). The
clients call it while they build a request (`dataarts._runtime.request`), and the same `apply`
runs as an httpx auth flow on any other `httpx.Request`, so both ways sign with one code path.
Any other `httpx.Auth` (or a subclass that replaces the httpx flow) runs as httpx runs it.
"""

from __future__ import annotations

import hashlib
import hmac
import time
from collections.abc import AsyncGenerator, Callable, Generator, Iterable
from datetime import UTC, datetime
from typing import TypeGuard
from urllib.parse import quote_from_bytes, unquote_to_bytes

import httpx

from .urls import encoded_url

__all__ = [
    "ALGORITHM",
    "UNSIGNED_PAYLOAD",
    "AkSkAuth",
    "HeaderLines",
    "RequestAuth",
    "RequestParts",
    "TokenAuth",
    "applies_while_building",
    "authorization_header",
    "canonical_headers",
    "canonical_query_string",
    "canonical_query_string_from_raw",
    "canonical_request",
    "canonical_uri",
    "format_sdk_date",
    "payload_hash",
    "secrets_of",
    "signature",
    "string_to_sign",
]

ALGORITHM = "SDK-HMAC-SHA256"
UNSIGNED_PAYLOAD = "UNSIGNED-PAYLOAD"

_SDK_DATE_FORMAT = "%Y%m%dT%H%M%SZ"
_EMPTY_SHA256 = hashlib.sha256(b"").hexdigest()
_SIGNED_BODY_TYPES = ("application/json", "application/bson")
_UNRESERVED = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.~"
_UNRESERVED_OR_SLASH = _UNRESERVED + b"/"

# Never signed, as aksk-signing.md says: Content-Length (the official SDKs sign before their HTTP
# library adds it) and Authorization, the output of signing (a retried request still carries the
# previous attempt's). Every other header present is signed, hop-by-hop ones included; the
# clients of this package therefore send no Connection header, so no proxy can alter a signed one.
_UNSIGNED_HEADERS = frozenset({"authorization", "content-length"})

# A request's headers while it is built: lower-case name -> its lines (name as sent, value).
HeaderLines = dict[str, list[tuple[str, str]]]


def _encode(raw: bytes) -> str:
    # quote_from_bytes leaves exactly A-Z a-z 0-9 - _ . ~ unescaped with safe="", in upper hex.
    return quote_from_bytes(raw, "")


def _unquote_query_part(raw: bytes) -> bytes:
    # "+" is a space in a query: httpx writes spaces that way, and the gateway's own parser
    # (Go's url.ParseQuery in the reference signer) reads them that way.
    if b"+" in raw:
        raw = raw.replace(b"+", b" ")
    return unquote_to_bytes(raw) if b"%" in raw else raw


def format_sdk_date(moment: datetime) -> str:
    """Render ``moment`` as an ``X-Sdk-Date`` value; naive datetimes are taken to be UTC."""
    if moment.tzinfo is not None:
        moment = moment.astimezone(UTC)
    return moment.strftime(_SDK_DATE_FORMAT)


def canonical_uri(path: str | bytes) -> str:
    """Canonical URI of a (possibly percent-encoded) URL path, always ending in one ``/``."""
    raw = path.encode("utf-8") if isinstance(path, str) else path
    if not raw.translate(None, _UNRESERVED_OR_SLASH):
        uri = raw.decode("ascii")
    else:
        decoded = unquote_to_bytes(raw) if b"%" in raw else raw
        uri = "/".join([_encode(segment) for segment in decoded.split(b"/")])
    return uri if uri.endswith("/") else uri + "/"


def _canonical_query(pairs: list[tuple[bytes, bytes]]) -> str:
    # Byte order of UTF-8 is code-point order, so sorting the raw bytes sorts the raw strings.
    pairs.sort()
    return "&".join([_encode(key) + "=" + _encode(value) for key, value in pairs])


def canonical_query_string(params: Iterable[tuple[str, str | bool]]) -> str:
    """Canonical query of decoded ``(key, value)`` pairs; booleans become ``true``/``false``."""
    pairs: list[tuple[bytes, bytes]] = []
    for key, value in params:
        if isinstance(value, bool):
            value = "true" if value else "false"
        pairs.append((key.encode("utf-8"), value.encode("utf-8")))
    return _canonical_query(pairs)


def _parse_raw_query(query: bytes) -> list[tuple[bytes, bytes]]:
    pairs: list[tuple[bytes, bytes]] = []
    for part in query.split(b"&"):
        if part:
            key, _, value = part.partition(b"=")
            pairs.append((_unquote_query_part(key), _unquote_query_part(value)))
    return pairs


def canonical_query_string_from_raw(query: str | bytes) -> str:
    """Canonical query of a URL's encoded query string (``+`` and ``%20`` both mean space)."""
    raw = query.encode("utf-8") if isinstance(query, str) else query
    return _canonical_query(_parse_raw_query(raw))


def _signable(headers: Iterable[tuple[str, str]]) -> dict[str, list[str]]:
    values: dict[str, list[str]] = {}
    for name, value in headers:
        name = name.lower()
        if "_" in name or name in _UNSIGNED_HEADERS:
            continue
        existing = values.get(name)
        if existing is None:
            values[name] = [value.strip(" \t")]
        else:
            existing.append(value.strip(" \t"))
    return values


def _signable_lines(headers: HeaderLines) -> dict[str, list[str]]:
    """`_signable` of headers already keyed by lower-case name."""
    values: dict[str, list[str]] = {}
    for name, lines in headers.items():
        if "_" in name or name in _UNSIGNED_HEADERS:
            continue
        if len(lines) == 1:  # nearly always: no list comprehension to set up
            values[name] = [lines[0][1].strip(" \t")]
        else:
            values[name] = [value.strip(" \t") for _, value in lines]
    return values


def _render_headers(values: dict[str, list[str]]) -> tuple[str, str]:
    names = sorted(values)
    lines: list[str] = []
    for name in names:
        found = values[name]
        if len(found) == 1:
            lines.append(name + ":" + found[0] + "\n")
        else:
            lines.extend([name + ":" + value + "\n" for value in sorted(found)])
    return "".join(lines), ";".join(names)


def canonical_headers(headers: Iterable[tuple[str, str]]) -> tuple[str, str]:
    """Return ``(canonical header block, signed header names)`` for the signable headers.

    Names with an underscore and the names in ``_UNSIGNED_HEADERS`` are skipped. A name that
    occurs more than once gives one line per value, values sorted, as the reference signer does.
    """
    return _render_headers(_signable(headers))


def payload_hash(body: bytes) -> str:
    """Lower-case hex SHA-256 of the exact body bytes."""
    return hashlib.sha256(body).hexdigest() if body else _EMPTY_SHA256


def canonical_request(
    method: str,
    path: str | bytes,
    query: Iterable[tuple[str, str | bool]],
    headers: Iterable[tuple[str, str]],
    body_hash: str,
) -> str:
    """The six-line canonical request for already-decoded query pairs and final headers."""
    block, signed = canonical_headers(headers)
    return "\n".join(
        (
            method.upper(),
            canonical_uri(path),
            canonical_query_string(query),
            block,
            signed,
            body_hash,
        )
    )


def string_to_sign(sdk_date: str, canonical: str) -> str:
    """``SDK-HMAC-SHA256``, the date and the hex SHA-256 of the canonical request, one per line."""
    digest = hashlib.sha256(canonical.encode("utf-8")).hexdigest()
    return ALGORITHM + "\n" + sdk_date + "\n" + digest


def signature(sk: str | bytes, to_sign: str) -> str:
    """Lower-case hex HMAC-SHA256 of the string to sign, keyed with the SK's UTF-8 bytes."""
    key = sk.encode("utf-8") if isinstance(sk, str) else sk
    return hmac.digest(key, to_sign.encode("utf-8"), "sha256").hex()


def authorization_header(ak: str, signed_headers: str, sig: str) -> str:
    """The ``Authorization`` header value."""
    return f"{ALGORITHM} Access={ak}, SignedHeaders={signed_headers}, Signature={sig}"


def _mask_ak(ak: str) -> str:
    # Enough to tell two keys apart in a log, far too little to use.
    if len(ak) < 12:
        return "…"
    return ak[:4] + "…" + ak[-2:]


class RequestParts:
    """A request as text while it is built: what a `RequestAuth` reads and completes.

    `path` and `query` are percent-encoded as they go on the wire (`query` without "?", "" for
    none); `host` is the Host header's value (host[:port]); `headers` maps each lower-case name
    to its lines in order (a name may have several); `body` holds the exact bytes. An auth sets
    headers with `set_header`/`set_headers` and may replace `query` (or `path`) with an
    equivalent encoding.
    """

    __slots__ = ("_read", "body", "changed", "headers", "host", "method", "path", "query")

    def __init__(
        self, method: str, host: str, path: str, query: str, headers: HeaderLines, body: bytes
    ) -> None:
        self.method = method
        self.host = host
        self.path = path
        self.query = query
        self.headers = headers
        self.body = body
        self.changed: list[tuple[str, str]] = []  # the lines set since, in order
        self._read = (path, query)

    @classmethod
    def of(cls, request: httpx.Request) -> RequestParts:
        """The parts of an `httpx.Request` (its body read already)."""
        url = request.url
        raw_path, _, raw_query = url.raw_path.partition(b"?")
        try:
            body = request.content
        except httpx.RequestNotRead:  # a streamed body, unread: an auth needing it says so
            body = b""  # (`requires_request_body`, and httpx reads it first)
        headers: HeaderLines = {}
        for name, value in request.headers.multi_items():  # names in lower case
            found = headers.get(name)
            if found is None:
                headers[name] = [(name, value)]
            else:
                found.append((name, value))
        # netloc is host[:port] with the port only when the URL names a non-default one,
        # IDNA-encoded: exactly what httpx sends as Host.
        return cls(
            request.method,
            url.netloc.decode("ascii"),
            raw_path.decode("ascii"),
            raw_query.decode("ascii"),
            headers,
            body,
        )

    def header(self, name: str) -> str | None:
        """The value of the first line named `name` (any case), or None."""
        found = self.headers.get(name.lower())
        return found[0][1] if found else None

    def set_header(self, name: str, value: str) -> None:
        """Send `value` as the one line named `name`, replacing any line of that name."""
        self.headers[name.lower()] = [(name, value)]
        self.changed.append((name, value))

    def set_headers(self, lines: Iterable[tuple[str, str]]) -> None:
        """`set_header` for each line."""
        headers, changed = self.headers, self.changed
        for name, value in lines:
            headers[name.lower()] = [(name, value)]
            changed.append((name, value))

    def lines(self) -> list[tuple[str, str]]:
        """Every header line, in order."""
        return [line for found in self.headers.values() for line in found]

    def write_to(self, request: httpx.Request) -> None:
        """Carry what was changed over to `request`, the request these parts were read from."""
        for name, value in self.changed:
            request.headers[name] = value
        if (self.path, self.query) != self._read:
            request.url = encoded_url(request.url, self.path, self.query)


class RequestAuth(httpx.Auth):
    """Base of this package's auth classes: `apply` authenticates a request from its parts.

    Subclasses implement `apply` (and `secrets`). The clients call `apply` on the request they
    are building; as an `httpx.Auth`, the same `apply` runs on the parts of the request httpx
    sends. A subclass that replaces an httpx flow (`auth_flow`, `sync_auth_flow` or
    `async_auth_flow`) is run by httpx through that flow instead, by the clients too (see
    `applies_while_building`).
    """

    def apply(self, parts: RequestParts) -> None:
        """Complete `parts` in place: set the headers (and query form) this auth requires."""
        raise NotImplementedError

    def secrets(self) -> tuple[str, ...]:
        """The credentials this auth holds, to mask in anything shown (a body excerpt)."""
        return ()

    def apply_to(self, request: httpx.Request) -> None:
        """`apply` to an `httpx.Request` whose body has been read."""
        parts = RequestParts.of(request)
        self.apply(parts)
        parts.write_to(request)

    def auth_flow(self, request: httpx.Request) -> Generator[httpx.Request, httpx.Response, None]:
        self.apply_to(request)
        yield request

    # httpx's own versions wrap auth_flow in a second generator; one round trip needs one. A
    # subclass that wrote its own auth_flow gets httpx's, which run it.
    def sync_auth_flow(
        self, request: httpx.Request
    ) -> Generator[httpx.Request, httpx.Response, None]:
        if type(self).auth_flow is not RequestAuth.auth_flow:
            return super().sync_auth_flow(request)
        if self.requires_request_body:
            request.read()
        self.apply_to(request)
        return _once(request)

    def async_auth_flow(
        self, request: httpx.Request
    ) -> AsyncGenerator[httpx.Request, httpx.Response]:
        if type(self).auth_flow is not RequestAuth.auth_flow:
            return super().async_auth_flow(request)
        return self._async_once(request)

    async def _async_once(
        self, request: httpx.Request
    ) -> AsyncGenerator[httpx.Request, httpx.Response]:
        if self.requires_request_body:
            await request.aread()
        self.apply_to(request)
        yield request


def _once(request: httpx.Request) -> Generator[httpx.Request, httpx.Response, None]:
    yield request


_FLOWS = ("auth_flow", "sync_auth_flow", "async_auth_flow")


def applies_while_building(auth: httpx.Auth) -> TypeGuard[RequestAuth]:
    """Whether a client may call `auth.apply` on the request it builds instead of running `auth`
    as an httpx auth flow: a `RequestAuth` whose httpx flows are still `RequestAuth`'s own."""
    if not isinstance(auth, RequestAuth):
        return False
    cls = type(auth)
    return all(getattr(cls, flow) is getattr(RequestAuth, flow) for flow in _FLOWS)


def secrets_of(auth: httpx.Auth) -> tuple[str, ...]:
    """The credentials an auth holds (none known for an auth of another kind)."""
    return auth.secrets() if isinstance(auth, RequestAuth) else ()


class TokenAuth(RequestAuth):
    """Authenticate with a project-scoped IAM token in ``X-Auth-Token``."""

    __slots__ = ("_token",)

    def __init__(self, token: str) -> None:
        if not token:
            raise ValueError("token must be a non-empty string")
        self._token = token

    def apply(self, parts: RequestParts) -> None:
        parts.set_header("X-Auth-Token", self._token)

    def secrets(self) -> tuple[str, ...]:
        return (self._token,)

    def __repr__(self) -> str:
        return "TokenAuth(token=<redacted>)"

    __str__ = __repr__


class AkSkAuth(RequestAuth):
    """Sign every request with an access key / secret key pair (SDK-HMAC-SHA256).

    ``clock`` returns the signing time (naive values are read as UTC); it is only consulted when
    the request does not already carry an ``X-Sdk-Date``.

    ``apply`` signs a request's parts, which the clients of this package hand it while they
    build a request; as an ``httpx.Auth`` it signs any request through the same ``apply``.
    """

    requires_request_body = True

    __slots__ = (
        "_ak_masked",
        "_auth_prefix",
        "_clock",
        "_date",
        "_key",
        "_project_id",
        "_security_token",
    )

    def __init__(
        self,
        ak: str,
        sk: str,
        project_id: str | None = None,
        security_token: str | None = None,
        *,
        clock: Callable[[], datetime] | None = None,
    ) -> None:
        if not ak or not sk:
            raise ValueError("ak and sk must be non-empty strings")
        self._key = sk.encode("utf-8")
        self._ak_masked = _mask_ak(ak)
        self._auth_prefix = f"{ALGORITHM} Access={ak}, SignedHeaders="
        self._project_id = project_id or None
        self._security_token = security_token or None
        self._clock = clock
        self._date: tuple[int, str] = (-1, "")  # (whole second, its X-Sdk-Date text)

    def _sdk_date(self) -> str:
        if self._clock is not None:
            return format_sdk_date(self._clock())
        second = int(time.time())
        cached = self._date  # one tuple: read and written atomically across threads
        if cached[0] != second:
            cached = self._date = (second, time.strftime(_SDK_DATE_FORMAT, time.gmtime(second)))
        return cached[1]

    def _sign_values(
        self,
        method: str,
        raw_path: str,
        query: str,
        values: dict[str, list[str]],
        host: str,
        body: bytes,
    ) -> list[tuple[str, str]]:
        """The headers to set on a request whose signable headers are ``values``.

        ``values`` (lower-case name -> values, as ``_signable`` gives) is completed in place with
        the headers added; the last pair returned is ``Authorization``.
        """
        added: list[tuple[str, str]] = []
        found = values.get("x-sdk-date")
        if found is None:
            date = self._sdk_date()
            added.append(("X-Sdk-Date", date))
            values["x-sdk-date"] = [date]
        else:
            date = found[0]
        if "host" not in values:
            added.append(("Host", host))
            values["host"] = [host]
        if self._project_id is not None:
            added.append(("X-Project-Id", self._project_id))
            values["x-project-id"] = [self._project_id.strip(" \t")]
        if self._security_token is not None:
            added.append(("X-Security-Token", self._security_token))
            values["x-security-token"] = [self._security_token.strip(" \t")]
        found = values.get("x-sdk-content-sha256")
        if found is not None:
            # Set by the caller: the gateway takes the payload hash from this header too.
            body_hash = found[0]
        else:
            content_type = values.get("content-type")
            if content_type is not None and not content_type[0].startswith(_SIGNED_BODY_TYPES):
                added.append(("X-Sdk-Content-Sha256", UNSIGNED_PAYLOAD))
                values["x-sdk-content-sha256"] = [UNSIGNED_PAYLOAD]
                body_hash = UNSIGNED_PAYLOAD
            else:
                body_hash = hashlib.sha256(body).hexdigest() if body else _EMPTY_SHA256
        block, signed = _render_headers(values)
        canonical = "\n".join((method, canonical_uri(raw_path), query, block, signed, body_hash))
        digest = hashlib.sha256(canonical.encode("utf-8")).hexdigest()
        to_sign = ALGORITHM + "\n" + date + "\n" + digest
        sig = hmac.digest(self._key, to_sign.encode("utf-8"), "sha256").hex()
        added.append(("Authorization", self._auth_prefix + signed + ", Signature=" + sig))
        return added

    def apply(self, parts: RequestParts) -> None:
        """Sign ``parts``: the query takes its canonical form (the gateway recomputes the
        signature from the query it receives), the signing headers and ``Authorization`` are
        set."""
        query = canonical_query_string_from_raw(parts.query) if parts.query else ""
        parts.query = query
        values = _signable_lines(parts.headers)
        added = self._sign_values(parts.method, parts.path, query, values, parts.host, parts.body)
        parts.set_headers(added)

    def sign(self, request: httpx.Request) -> None:
        """Add the signing headers and ``Authorization`` to ``request`` (body already read)."""
        self.apply_to(request)

    def secrets(self) -> tuple[str, ...]:
        found = [self._key.decode("utf-8", "replace")]
        if self._security_token is not None:
            found.append(self._security_token)
        return tuple(found)

    def __repr__(self) -> str:
        parts = [f"ak='{self._ak_masked}'", "sk=<redacted>"]
        if self._project_id is not None:
            parts.append(f"project_id={self._project_id!r}")
        if self._security_token is not None:
            parts.append("security_token=<redacted>")
        return "AkSkAuth(" + ", ".join(parts) + ")"

    __str__ = __repr__
