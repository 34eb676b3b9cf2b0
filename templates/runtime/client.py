"""The client core: configuration, request building, the sync and async send loops with retries."""

from __future__ import annotations

import copy
import dataclasses
import functools
import importlib
import json
import os
import re
import sys
import time
from collections.abc import AsyncIterator, Callable, Coroutine, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import (
    IO,
    Any,
    ClassVar,
    Generic,
    Literal,
    NamedTuple,
    ParamSpec,
    Self,
    TypeVar,
    overload,
)
from urllib.parse import quote, quote_from_bytes

import httpx

from . import pagination
from .auth import AkSkAuth, TokenAuth, canonical_query_string
from .errors import (
    REQUEST_ID_HEADER,
    APIConnectionError,
    APITimeoutError,
    ConfigurationError,
    ResponseValidationError,
    status_error,
)
from .logs import excerpt, logger, mask, redact_headers
from .retry import RetryPolicy
from .types import NOT_GIVEN, Headers, NotGiven, Query, Timeout
from .urls import with_encoded

T = TypeVar("T")
ItemT = TypeVar("ItemT")
P = ParamSpec("P")

VERSION = "0.1.0"
USER_AGENT = f"dataarts-python/{VERSION}"
DEFAULT_TIMEOUT = httpx.Timeout(60.0, connect=10.0)
ENV = {  # environment variables read when the matching argument is not given
    "ak": "CLOUD_SDK_AK",
    "sk": "CLOUD_SDK_SK",
    "security_token": "CLOUD_SDK_SECURITY_TOKEN",
    "token": "CLOUD_SDK_TOKEN",
    "project_id": "CLOUD_SDK_PROJECT_ID",
    "region": "CLOUD_SDK_REGION",
}


# The records the generated modules build at import (OperationSpec, ServiceSpec, and PageSpec and
# WaiterSpec elsewhere) and Call are NamedTuples: immutable like a frozen dataclass, and creating
# the class costs a fraction of one, paid by every interpreter that imports a client.


class OperationSpec(NamedTuple, Generic[T]):
    """What the runtime needs to know about one operation; one module-level constant each."""

    operation_id: str
    method: str
    path: str  # template with {wire_name} placeholders
    kind: Literal["model", "none", "binary"]
    # the response type: a type, or (as generated) a Python expression over the service's
    # models module ("Job", "A | B"), resolved on first use so that importing a client does
    # not import its models
    response: Any
    idempotent: bool
    # (location, wire name, client option, fallback): the option's value is sent; when the
    # client has none, the fallback is: the documented value of a required parameter (e.g.
    # X-Language "en_us"), or None to leave the parameter out.
    client_params: tuple[tuple[str, str, str, str | None], ...] = ()


class Call(NamedTuple):
    """The parameters of one call, as a generated method passes them to `request`/`download`.

    Built once per call and handed down the send path (every attempt rebuilds its request from
    it: a fresh X-Sdk-Date for each signature).
    """

    path: Mapping[str, Any] | None = None
    query: Query | None = None
    headers: Mapping[str, Any] | None = None
    body: Any = None
    timeout: Timeout | NotGiven = NOT_GIVEN
    extra_headers: Headers | None = None
    extra_query: Query | None = None
    max_retries: int | NotGiven = NOT_GIVEN
    retry_non_idempotent: bool | NotGiven = NOT_GIVEN


class ServiceSpec(NamedTuple):
    """The service a client talks to: its name and how its base URL is built."""

    name: str
    server_url: str  # e.g. https://cdm.{region}.myhuaweicloud.com
    variables: tuple[str, ...]  # the URL's variables, given as constructor arguments
    models: str = ""  # the module holding the service's models, e.g. "dataarts.cdm.models"
    error_codes: str = ""  # the module holding its documented ERROR_CODES, if it has any


@dataclass(frozen=True)
class RawResponse(Generic[T]):
    """A response with its parsed body: for status, headers and request id next to the result."""

    http_response: httpx.Response
    parsed: T

    @property
    def status_code(self) -> int:
        return self.http_response.status_code

    @property
    def headers(self) -> httpx.Headers:
        return self.http_response.headers

    @property
    def request_id(self) -> str | None:
        value: str | None = self.http_response.headers.get(REQUEST_ID_HEADER)
        return value

    @property
    def content(self) -> bytes:
        return self.http_response.content


class BaseAPIClient:
    """Everything that does no I/O: configuration, building requests, reading responses."""

    _owns_http = True
    _service: ClassVar[ServiceSpec]
    _resources: ClassVar[tuple[tuple[str, type[Any]], ...]] = ()
    _raw = False

    def _configure(
        self,
        *,
        base_url: str | None,
        server_variables: Mapping[str, str | None],
        project_id: str | None,
        options: Mapping[str, str | None],
        auth: httpx.Auth | None,
        token: str | None,
        ak: str | None,
        sk: str | None,
        security_token: str | None,
        timeout: Timeout | NotGiven,
        max_retries: int,
        retry_non_idempotent: bool,
        default_headers: Headers | None,
    ) -> None:
        self.project_id = project_id or os.environ.get(ENV["project_id"])
        if not self.project_id:
            raise ConfigurationError(
                f"project_id is required: pass project_id= or set {ENV['project_id']}"
            )
        self.base_url = (base_url or self._server_url(server_variables)).rstrip("/")
        self._parsed_base: tuple[str, httpx.URL, str] | None = None
        self._timeout_ext: tuple[object, dict[str, float | None]] | None = None
        self._options = dict(options)
        self._auth = auth or _auth_from(token, ak, sk, security_token, self.project_id)
        self.timeout = DEFAULT_TIMEOUT if isinstance(timeout, NotGiven) else timeout
        self.retry_policy = RetryPolicy(max_retries=max_retries)
        self.retry_non_idempotent = retry_non_idempotent
        self._headers = {
            "User-Agent": USER_AGENT,
            "Accept": "application/json",
            **(default_headers or {}),
        }

    def _server_url(self, variables: Mapping[str, str | None]) -> str:
        url = self._service.server_url
        for name in self._service.variables:
            value = variables.get(name) or (os.environ.get(ENV[name]) if name in ENV else None)
            if not value:
                env = f" or set {ENV[name]}" if name in ENV else ""
                raise ConfigurationError(f"{name} is required: pass {name}= or base_url={env}")
            url = url.replace("{" + name + "}", value)
        return url

    def __repr__(self) -> str:
        auth = type(self._auth).__name__
        return f"{type(self).__name__}(base_url={self.base_url!r}, project_id={mask(self.project_id or '', 6)!r}, auth={auth})"

    def _bind_resources(self) -> None:
        for name, resource in self._resources:
            setattr(self, name, resource(self))

    def _copy(self, changes: Mapping[str, Any]) -> Any:
        """A client sharing this one's connection pool, with some settings changed."""
        clone = copy.copy(self)
        clone._options = dict(self._options)
        for key, value in changes.items():
            if isinstance(value, NotGiven):
                continue
            if key == "max_retries":
                clone.retry_policy = dataclasses.replace(self.retry_policy, max_retries=value)
            elif key == "default_headers":
                clone._headers = {**self._headers, **(value or {})}
            elif key in ("project_id", "timeout", "retry_non_idempotent"):
                setattr(clone, key, value)
            else:
                clone._options[key] = value
        clone._owns_http = False  # the original owns (and closes) the connection pool
        clone.__dict__.pop("_raw_view", None)
        clone._bind_resources()
        return clone

    def _raw_twin(self) -> Any:
        view = self.__dict__.get("_raw_view")
        if view is None:
            view = copy.copy(self)
            view._raw = True
            view._owns_http = False
            self.__dict__["_raw_view"] = view
        return view

    # -- building requests ------------------------------------------------------------------

    def _build(
        self, http: httpx.Client | httpx.AsyncClient, op: OperationSpec[Any], call: Call
    ) -> tuple[httpx.Request, httpx.Auth | None]:
        """One attempt's request, and the auth `send` must still apply to it (None: done).

        The request is assembled here from text (headers, the encoded path and query), and an
        `AkSkAuth` or `TokenAuth` of this package is applied while doing so; httpx's own
        `build_request` (which parses the URL again and merges headers one by one) is used only
        when the `http_client` carries params or cookies of its own to merge.
        """
        path_values = dict(call.path) if call.path else {}
        # lower-case name -> (name, value): later sources override earlier ones whatever the case
        headers = {name.lower(): (name, value) for name, value in self._headers.items()}
        query_values: dict[str, Any] = {}
        for location, wire, option, fallback in op.client_params:
            value = self.project_id if option == "project_id" else self._options.get(option)
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
        language = self._options.get("language")
        if language and "x-language" not in headers:  # a common header (table 7-1)
            headers["x-language"] = ("X-Language", language)
        if call.headers:
            for name, value in call.headers.items():
                if value is not None:
                    headers[name.lower()] = (name, _header_text(value))
        if call.extra_headers:
            for name, value in call.extra_headers.items():
                headers[name.lower()] = (name, value)
        if call.query:
            query_values.update(call.query)
        if call.extra_query:
            query_values.update(call.extra_query)
        pairs = _query_params(query_values) if query_values else []
        segments = {}
        for wire, value in path_values.items():
            if value is None or value == "":
                raise ValueError(f"path parameter {wire!r} of {op.operation_id} must not be empty")
            segments[wire] = _path_segment(value)
        path = op.path.format_map(segments)
        content = b""
        if call.body is not None:
            content = encode_body(call.body)
            if "content-type" not in headers:
                headers["content-type"] = ("Content-Type", "application/json;charset=UTF-8")
        timeout = self.timeout if isinstance(call.timeout, NotGiven) else call.timeout
        return self._assemble(http, op, path, pairs, headers, content, call.body, timeout)

    def _assemble(
        self,
        http: httpx.Client | httpx.AsyncClient,
        op: OperationSpec[Any],
        path: str,
        pairs: list[tuple[str, str]],
        headers: dict[str, tuple[str, str]],
        content: bytes,
        body: Any,
        timeout: Timeout,
    ) -> tuple[httpx.Request, httpx.Auth | None]:
        """The `httpx.Request` of an encoded path, query pairs, headers and body bytes."""
        client_headers = http.headers.multi_items()
        if (
            http.params
            or http.cookies
            or len({n.lower() for n, _ in client_headers}) < len(client_headers)
        ):  # httpx merges these itself
            request = http.build_request(
                op.method,
                self.base_url + path,
                params=tuple(pairs) or None,
                headers=list(headers.values()),
                content=content if body is not None else None,
                timeout=timeout,
            )
            return request, self._auth

        auth: httpx.Auth | None = self._auth
        signer = auth if type(auth) is AkSkAuth else None
        if signer is not None:  # the gateway signs the sorted, percent-encoded query
            query = canonical_query_string(pairs)
        else:
            query = "&".join([_encode(key) + "=" + _encode(value) for key, value in pairs])
        url = self._url(path, query)
        host = url.netloc.decode("ascii")
        merged = {name.lower(): (name, value) for name, value in client_headers}
        merged.update(headers)
        if "host" not in merged:
            # where httpx puts it: first
            merged = {"host": ("Host", host), **merged}
        if content:
            merged["content-length"] = ("Content-Length", str(len(content)))
        elif op.method in ("POST", "PUT", "PATCH") and "content-length" not in merged:
            merged["content-length"] = ("Content-Length", "0")
        if signer is not None:
            signer.sign_fields(
                op.method, url.raw_path.partition(b"?")[0], query, merged, host, content
            )
            auth = None
        elif type(auth) is TokenAuth:
            merged["x-auth-token"] = ("X-Auth-Token", auth._token)
            auth = None
        request = httpx.Request(
            op.method,
            url,
            headers=list(merged.values()),
            stream=httpx.ByteStream(content),
            extensions={"timeout": self._timeout_dict(timeout)},
        )
        request.read()  # as httpx does for bytes content: `request.content` is available
        return request, auth

    def _url(self, path: str, query: str) -> httpx.URL:
        """The URL of `path` (already percent-encoded) and `query` under the base URL."""
        parsed = self._parsed_base
        if parsed is None or parsed[0] is not self.base_url:
            base = httpx.URL(self.base_url)
            prefix = base.raw_path.partition(b"?")[0].rstrip(b"/").decode("ascii")
            parsed = self._parsed_base = (self.base_url, base, prefix)
        _, base, prefix = parsed
        if _PLAIN_PATH.fullmatch(path):  # and a query of _encode'd pairs: nothing to parse
            return with_encoded(base, prefix + path, query)
        # The public way: httpx parses (and validates) the whole URL again.
        raw = (prefix + path + ("?" + query if query else "")).encode("ascii")
        return base.copy_with(raw_path=raw)

    def _timeout_dict(self, timeout: Timeout) -> dict[str, float | None]:
        cached = self._timeout_ext
        if cached is None or cached[0] is not timeout:
            cached = self._timeout_ext = (timeout, httpx.Timeout(timeout).as_dict())
        return dict(cached[1])

    def _replay_safe(self, op: OperationSpec[Any], retry_non_idempotent: bool | NotGiven) -> bool:
        if op.idempotent:
            return True
        return (
            self.retry_non_idempotent
            if isinstance(retry_non_idempotent, NotGiven)
            else retry_non_idempotent
        )

    def _policy(self, max_retries: int | NotGiven) -> RetryPolicy:
        if isinstance(max_retries, NotGiven):
            return self.retry_policy
        return dataclasses.replace(self.retry_policy, max_retries=max_retries)

    def _result(self, op: OperationSpec[T], response: httpx.Response) -> Any:
        if op.kind == "none":
            parsed: Any = None
        elif op.kind == "binary":
            parsed = response.content
        else:
            from .models import UnusableBody, parse_body  # pydantic: loaded on the first parse

            try:
                parsed = parse_body(_resolve(self._service.models, op.response), response.content)
            except UnusableBody as exc:  # lenient parsing needs JSON to work with
                raise self._unusable(op, response, str(exc)) from None
        return RawResponse(response, parsed) if self._raw else parsed

    def _unusable(
        self, op: OperationSpec[Any], response: httpx.Response, reason: str
    ) -> ResponseValidationError:
        """The error for a success response whose body has no JSON to read."""
        shown = excerpt(response.content, secrets=_secrets_of(self._auth))
        request_id = response.headers.get(REQUEST_ID_HEADER)
        where = f", request id {request_id}" if request_id else ""
        return ResponseValidationError(
            f"{op.operation_id}: HTTP {response.status_code}{where}: no usable JSON body, "
            f"{reason}; body: {shown or '(empty)'}",
            response=response,
            excerpt=shown,
        )

    def _retry_after_error(
        self,
        error: httpx.TransportError,
        request: httpx.Request,
        started: float,
        policy: RetryPolicy,
        attempt: int,
        replay_safe: bool,
    ) -> float:
        """Seconds to wait before the next attempt after a transport error; raises to give up."""
        self._log(request, None, started, attempt, error)
        delay = policy.after_error(error, attempt, replay_safe=replay_safe)
        if delay is None:
            raise _connection_error(error, request) from error
        _log_retry(request, attempt, delay, type(error).__name__)
        return delay

    def _retry_after_status(
        self,
        response: httpx.Response,
        request: httpx.Request,
        policy: RetryPolicy,
        attempt: int,
        replay_safe: bool,
    ) -> float:
        """Seconds to wait before the next attempt after an error status; raises to give up."""
        delay = policy.after_status(response, attempt, replay_safe=replay_safe)
        if delay is None:
            raise status_error(response, _error_codes(self._service.error_codes))
        _log_retry(request, attempt, delay, f"HTTP {response.status_code}")
        return delay

    def _log(
        self,
        request: httpx.Request,
        response: httpx.Response | None,
        started: float,
        attempt: int,
        error: Exception | None = None,
    ) -> None:
        elapsed = (time.monotonic() - started) * 1000
        if response is not None:
            logger.debug(
                "%s %s -> %d (%.0f ms, attempt %d, request id %s) headers=%s",
                request.method,
                request.url,
                response.status_code,
                elapsed,
                attempt + 1,
                response.headers.get(REQUEST_ID_HEADER),
                redact_headers(request.headers.multi_items()),
            )
        else:
            logger.debug(
                "%s %s -> %s (%.0f ms, attempt %d)",
                request.method,
                request.url,
                type(error).__name__,
                elapsed,
                attempt + 1,
            )


class SyncAPIClient(BaseAPIClient):
    """Base of the generated synchronous clients."""

    def _init_http(self, http_client: httpx.Client | None) -> None:
        self._owns_http = http_client is None
        self._http = http_client or _new_http(httpx.Client)
        self._bind_resources()

    def close(self) -> None:
        """Close the connection pool, unless it was passed in as `http_client`."""
        if self._owns_http:
            self._http.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def request(
        self,
        op: OperationSpec[T],
        *,
        path: Mapping[str, Any] | None = None,
        query: Query | None = None,
        headers: Mapping[str, Any] | None = None,
        body: Any = None,
        timeout: Timeout | NotGiven = NOT_GIVEN,
        extra_headers: Headers | None = None,
        extra_query: Query | None = None,
        max_retries: int | NotGiven = NOT_GIVEN,
        retry_non_idempotent: bool | NotGiven = NOT_GIVEN,
    ) -> T:
        """Send one operation (with retries) and return its parsed result."""
        call = Call(
            path,
            query,
            headers,
            body,
            timeout,
            extra_headers,
            extra_query,
            max_retries,
            retry_non_idempotent,
        )
        return self._result(op, self._send(op, call, stream=False))  # type: ignore[no-any-return]

    def _send(self, op: OperationSpec[Any], call: Call, *, stream: bool) -> httpx.Response:
        policy = self._policy(call.max_retries)
        replay_safe = self._replay_safe(op, call.retry_non_idempotent)
        attempt = 0
        while True:
            # Rebuilt each attempt: a fresh X-Sdk-Date for the signature.
            request, auth = self._build(self._http, op, call)
            started = time.monotonic()
            try:
                response = self._http.send(request, auth=auth or _NO_AUTH, stream=stream)
            except httpx.TransportError as exc:
                delay = self._retry_after_error(exc, request, started, policy, attempt, replay_safe)
            else:
                if logger.isEnabledFor(10):
                    self._log(request, response, started, attempt)
                if response.is_success:
                    return response
                if stream:  # the error's body is read before the response is let go
                    response.read()
                    response.close()
                delay = self._retry_after_status(response, request, policy, attempt, replay_safe)
            time.sleep(delay)
            attempt += 1

    def paginate(
        self, op: OperationSpec[Any], pages: pagination.PageSpec[ItemT], **kwargs: Any
    ) -> Iterator[ItemT]:
        """Every item of every page of a list operation."""
        fetch, start, size = _page_fetcher(self.request, op, pages, kwargs)
        return pagination.iterate(pages, fetch, start=start, size=size)

    def download(
        self, op: OperationSpec[bytes], file: str | os.PathLike[str] | IO[bytes], **kwargs: Any
    ) -> int:
        """Stream a binary response into `file` (a path or a binary file object); returns its size."""
        response = self._send(op, Call(**kwargs), stream=True)
        written = 0
        try:
            with _open_target(file) as target:
                for chunk in response.iter_bytes():
                    target.write(chunk)
                    written += len(chunk)
        finally:
            response.close()
        return written


class AsyncAPIClient(BaseAPIClient):
    """Base of the generated asyncio clients."""

    def _init_http(self, http_client: httpx.AsyncClient | None) -> None:
        self._owns_http = http_client is None
        self._http = http_client or _new_http(httpx.AsyncClient)
        self._bind_resources()

    async def close(self) -> None:
        """Close the connection pool, unless it was passed in as `http_client`."""
        if self._owns_http:
            await self._http.aclose()

    async def __aenter__(self) -> Self:
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.close()

    async def request(
        self,
        op: OperationSpec[T],
        *,
        path: Mapping[str, Any] | None = None,
        query: Query | None = None,
        headers: Mapping[str, Any] | None = None,
        body: Any = None,
        timeout: Timeout | NotGiven = NOT_GIVEN,
        extra_headers: Headers | None = None,
        extra_query: Query | None = None,
        max_retries: int | NotGiven = NOT_GIVEN,
        retry_non_idempotent: bool | NotGiven = NOT_GIVEN,
    ) -> T:
        """Send one operation (with retries) and return its parsed result."""
        call = Call(
            path,
            query,
            headers,
            body,
            timeout,
            extra_headers,
            extra_query,
            max_retries,
            retry_non_idempotent,
        )
        response = await self._send(op, call, stream=False)
        return self._result(op, response)  # type: ignore[no-any-return]

    async def _send(self, op: OperationSpec[Any], call: Call, *, stream: bool) -> httpx.Response:
        policy = self._policy(call.max_retries)
        replay_safe = self._replay_safe(op, call.retry_non_idempotent)
        attempt = 0
        while True:
            request, auth = self._build(self._http, op, call)
            started = time.monotonic()
            try:
                response = await self._http.send(request, auth=auth or _NO_AUTH, stream=stream)
            except httpx.TransportError as exc:
                delay = self._retry_after_error(exc, request, started, policy, attempt, replay_safe)
            else:
                if logger.isEnabledFor(10):
                    self._log(request, response, started, attempt)
                if response.is_success:
                    return response
                if stream:  # the error's body is read before the response is let go
                    await response.aread()
                    await response.aclose()
                delay = self._retry_after_status(response, request, policy, attempt, replay_safe)
            await _async_sleep(delay)
            attempt += 1

    def paginate(
        self, op: OperationSpec[Any], pages: pagination.PageSpec[ItemT], **kwargs: Any
    ) -> AsyncIterator[ItemT]:
        """Every item of every page of a list operation."""
        fetch, start, size = _page_fetcher(self.request, op, pages, kwargs)
        return pagination.aiterate(pages, fetch, start=start, size=size)

    async def download(
        self, op: OperationSpec[bytes], file: str | os.PathLike[str] | IO[bytes], **kwargs: Any
    ) -> int:
        """Stream a binary response into `file` (a path or a binary file object); returns its size."""
        response = await self._send(op, Call(**kwargs), stream=True)
        written = 0
        try:
            with _open_target(file) as target:
                async for chunk in response.aiter_bytes():
                    target.write(chunk)
                    written += len(chunk)
        finally:
            await response.aclose()
        return written


class SyncResource:
    """Base of generated sync resources: `client.<resource>`."""

    def __init__(self, client: SyncAPIClient) -> None:
        self._client = client


class AsyncResource:
    """Base of generated async resources: `client.<resource>`."""

    def __init__(self, client: AsyncAPIClient) -> None:
        self._client = client


@overload
def with_raw_response(  # type: ignore[overload-overlap]
    method: Callable[P, Coroutine[Any, Any, T]],
) -> Callable[P, Coroutine[Any, Any, RawResponse[T]]]: ...
@overload
def with_raw_response(method: Callable[P, T]) -> Callable[P, RawResponse[T]]: ...
def with_raw_response(method: Callable[P, Any]) -> Callable[P, Any]:
    """Call a client method and get a `RawResponse` (status, headers, request id, parsed body).

    raw = with_raw_response(client.jobs.get_status)(cluster_id=..., job_name=...)
    raw.request_id, raw.parsed.submissions
    """
    resource = getattr(method, "__self__", None)
    func = getattr(method, "__func__", None)
    if not isinstance(resource, (SyncResource, AsyncResource)) or func is None:
        raise TypeError(
            "with_raw_response takes a method of a client resource, e.g. client.jobs.get"
        )
    if func.__name__.startswith("iter_"):  # the generator's name for page-walking iterators
        raise TypeError(
            f"{func.__name__} reads many responses; call {func.__name__[len('iter_'):]} "
            "through with_raw_response for one page"
        )
    twin = type(resource)(resource._client._raw_twin())
    return functools.partial(func, twin)


# -- helpers -------------------------------------------------------------------------------------


_RESOLVED: dict[tuple[str, str], Any] = {}


def _resolve(module: str, expression: Any) -> Any:
    """The type a response expression names, evaluated once over the models module's names.

    The names are looked up as attributes, so that a models module creating its classes on
    first use (a module `__getattr__`) creates those the expression names, and only those.
    """
    if not isinstance(expression, str):
        return expression  # already a type
    key = (module, expression)
    found = _RESOLVED.get(key)
    if found is None:
        models = importlib.import_module(module)
        # the expression comes from the generated module, never from the network
        code = compile(expression, "<response type>", "eval")
        names: dict[str, Any] = {}
        for name in code.co_names:  # e.g. ("list", "JobDependency"); builtins are not there
            try:
                names[name] = getattr(models, name)
            except AttributeError:
                pass
        found = _RESOLVED[key] = eval(code, names)
    return found


def _error_codes(module: str) -> Any:
    """The service's documented error codes, imported on the first error (None: none documented)."""
    return importlib.import_module(module).ERROR_CODES if module else None


def encode_body(body: Any) -> bytes:
    """JSON bytes of a request body: a model (dumped by wire name, unset fields left out) or a mapping."""
    if _is_model(body):
        return body.model_dump_json(by_alias=True, exclude_unset=True).encode()  # type: ignore[no-any-return]
    return json.dumps(_plain(body), ensure_ascii=False, separators=(",", ":")).encode()


def _is_model(value: Any) -> bool:
    # A pydantic model can only exist once pydantic is imported: no need to import it here.
    pydantic_main = sys.modules.get("pydantic.main")
    return pydantic_main is not None and isinstance(value, pydantic_main.BaseModel)


def _plain(value: Any) -> Any:
    if _is_model(value):
        return value.model_dump(mode="json", by_alias=True, exclude_unset=True)
    if isinstance(value, Mapping):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    return value


def _query_params(values: Mapping[str, Any]) -> list[tuple[str, str]]:
    params: list[tuple[str, str]] = []
    for key, value in values.items():
        if value is None:
            continue
        for item in value if isinstance(value, (list, tuple)) else (value,):
            params.append((key, _header_text(item)))
    return params


def _encode(text: str) -> str:
    # RFC 3986: everything but A-Z a-z 0-9 - _ . ~ percent-encoded, as the signing rules want it
    return quote_from_bytes(text.encode("utf-8"), "")


def _path_segment(value: Any) -> str:
    segment = quote(str(value), safe="")
    # "." and ".." would be dot segments, which URL handling removes (a job named ".." must
    # not address its parent): percent-encoded, they stay a name.
    return segment.replace(".", "%2E") if not segment.strip(".") else segment


# A path httpx's URL parser leaves unchanged: unreserved characters, "/" and %XX escapes, no
# "." or ".." segment.
_PLAIN_PATH = re.compile(r"(?:/(?!\.\.?(?:/|$))(?:[A-Za-z0-9\-._~]|%[0-9A-F]{2})*)*")
_NO_AUTH = httpx.Auth()  # the request is authenticated already


async def _async_sleep(delay: float) -> None:
    import asyncio  # only the async clients need it; importing a client should not

    await asyncio.sleep(delay)


def _secrets_of(auth: httpx.Auth) -> tuple[str, ...]:
    """The credentials an auth holds, to scrub from anything shown (a body excerpt)."""
    found = [getattr(auth, "_token", None), getattr(auth, "_security_token", None)]
    key = getattr(auth, "_key", None)
    if isinstance(key, bytes):
        found.append(key.decode("utf-8", "replace"))
    return tuple(value for value in found if isinstance(value, str) and value)


def _header_text(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def _page_fetcher(
    request: Callable[..., Any],
    op: OperationSpec[Any],
    pages: pagination.PageSpec[Any],
    kwargs: dict[str, Any],
) -> tuple[Callable[[int], Any], int | None, int | None]:
    """A `fetch(start)` sending the same call with the start parameter set, and where to start."""
    if pages.location == "query":
        source: dict[str, Any] = dict(kwargs.get("query") or {})
    else:
        source = dict(_plain(kwargs.get("body") or {}))
    start = source.get(pages.start_param)
    size = source.get(pages.size_param)

    def fetch(position: int) -> Any:
        values = {**source, pages.start_param: position}
        call = {**kwargs, ("query" if pages.location == "query" else "body"): values}
        return request(op, **call)

    return (
        fetch,
        (int(start) if start is not None else None),
        (int(size) if size is not None else None),
    )


def _auth_from(
    token: str | None,
    ak: str | None,
    sk: str | None,
    security_token: str | None,
    project_id: str | None,
) -> httpx.Auth:
    token = token or None
    if token is None and not (ak and sk):
        ak = ak or os.environ.get(ENV["ak"])
        sk = sk or os.environ.get(ENV["sk"])
        security_token = security_token or os.environ.get(ENV["security_token"])
        if not (ak and sk):
            token = os.environ.get(ENV["token"])
    if token:
        return TokenAuth(token)
    if ak and sk:
        return AkSkAuth(ak, sk, project_id=project_id, security_token=security_token)
    raise ConfigurationError(
        "no credentials: pass auth=, token= or ak= and sk=, or set "
        f"{ENV['token']} or {ENV['ak']} and {ENV['sk']}"
    )


HttpT = TypeVar("HttpT", httpx.Client, httpx.AsyncClient)


def _new_http(cls: type[HttpT]) -> HttpT:
    http = cls(timeout=DEFAULT_TIMEOUT, follow_redirects=False)
    # Every header present is signed (AK/SK); a proxy may rewrite Connection, and HTTP/1.1 keeps
    # connections alive without it.
    del http.headers["Connection"]
    return http


def _connection_error(exc: httpx.TransportError, request: httpx.Request) -> APIConnectionError:
    where = f"{request.method} {request.url.copy_with(query=None)}"
    if isinstance(exc, httpx.TimeoutException):
        return APITimeoutError(f"{where} timed out ({type(exc).__name__})", request=request)
    return APIConnectionError(f"{where} failed: {type(exc).__name__}: {exc}", request=request)


def _log_retry(request: httpx.Request, attempt: int, delay: float, reason: str) -> None:
    logger.info(
        "retrying %s %s in %.2fs after %s (retry %d)",
        request.method,
        request.url.copy_with(query=None),
        delay,
        reason,
        attempt + 1,
    )


class _open_target:
    """Open a path for writing, or use an already open binary file object as is."""

    def __init__(self, file: str | os.PathLike[str] | IO[bytes]) -> None:
        self._file = file
        self._opened: IO[bytes] | None = None

    def __enter__(self) -> IO[bytes]:
        if isinstance(self._file, (str, os.PathLike)):
            self._opened = Path(self._file).open("wb")
            return self._opened
        return self._file

    def __exit__(self, *exc: object) -> None:
        if self._opened is not None:
            self._opened.close()
