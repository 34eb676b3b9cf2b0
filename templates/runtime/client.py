"""The client core: configuration and the sync and async send loops with their retries.

Each attempt's request is built by `dataarts._runtime.request` (auth applied there, through the
auth classes' public `apply`), sent here, and its response read by `dataarts._runtime.response`
(the result, or the typed error). Generated clients subclass `SyncAPIClient`/`AsyncAPIClient`
and call `request`, `paginate` and `download` with an `OperationSpec` and the call's parameters.
"""

from __future__ import annotations

import copy
import dataclasses
import functools
import os
import time
from collections.abc import AsyncIterator, Callable, Coroutine, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any, ClassVar, Generic, ParamSpec, Self, TypeVar, overload

import httpx

from . import pagination
from .aiohttp_client import DefaultAioHttpClient
from .auth import AkSkAuth, TokenAuth
from .errors import REQUEST_ID_HEADER, APIConnectionError, APITimeoutError, ConfigurationError
from .logs import REDACTED, is_secret_name, logger, mask, redact_headers
from .operation import Call, OperationSpec, ServiceSpec
from .request import PreparedRequest, RequestEncoder
from .response import error_for_status, parse_result
from .retry import RetryPolicy
from .settings import (
    ENV,
    check_flag,
    check_headers,
    check_retries,
    check_text,
    check_timeout,
    resolve,
)
from .types import NOT_GIVEN, Headers, NotGiven, Query, Timeout

__all__ = [
    "DEFAULT_TIMEOUT",
    "ENV",
    "USER_AGENT",
    "VERSION",
    "AsyncAPIClient",
    "AsyncResource",
    "BaseAPIClient",
    "Call",
    "OperationSpec",
    "RawResponse",
    "ServiceSpec",
    "SyncAPIClient",
    "SyncResource",
    "with_raw_response",
]

T = TypeVar("T")
ItemT = TypeVar("ItemT")
P = ParamSpec("P")

VERSION = "0.1.0"
USER_AGENT = f"dataarts-python/{VERSION}"
DEFAULT_TIMEOUT = httpx.Timeout(60.0, connect=10.0)


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
    """Everything that does no I/O: configuration, and what the send loops decide."""

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
        profile: str | None = None,
    ) -> None:
        """Settings from the arguments, the environment and the profile, by the rule of
        `dataarts._runtime.settings`; anything unusable is a ConfigurationError, here."""
        self.timeout = DEFAULT_TIMEOUT if isinstance(timeout, NotGiven) else check_timeout(timeout)
        self.retry_policy = RetryPolicy(max_retries=check_retries(max_retries))
        self.retry_non_idempotent = check_flag(retry_non_idempotent, "retry_non_idempotent=")
        self._headers = {
            "User-Agent": USER_AGENT,
            "Accept": "application/json",
            **check_headers(default_headers, "default_headers="),
        }
        resolved = resolve(
            self._service.name,
            {"base_url": base_url, "project_id": project_id, **server_variables, **options},
            {"auth": auth, "token": token, "ak": ak, "sk": sk, "security_token": security_token},
            variables=self._service.variables,
            profile=profile,
        )
        values = resolved.values
        self.project_id: str = values["project_id"]
        self.base_url = (values["base_url"] or self._server_url(values)).rstrip("/")
        self._encoder = RequestEncoder()  # shared with copies: it holds only what it parsed
        self._options = {name: values[name] for name in options}
        self._auth = _auth_from(resolved.credentials, self.project_id)

    def _server_url(self, values: Mapping[str, str]) -> str:
        url = self._service.server_url
        for name in self._service.variables:
            url = url.replace("{" + name + "}", values[name])
        return url

    def __repr__(self) -> str:
        shown = [f"base_url={self.base_url!r}", f"project_id={mask(self.project_id, 6)!r}"]
        shown += [
            f"{name}={REDACTED if is_secret_name(name) else value!r}"
            for name, value in self._options.items()
            if value is not None
        ]
        return f"{type(self).__name__}({', '.join(shown)}, auth={type(self._auth).__name__})"

    def _bind_resources(self) -> None:
        for name, resource in self._resources:
            setattr(self, name, resource(self))

    def _copy(self, changes: Mapping[str, Any]) -> Any:
        """A client sharing this one's connection pool, with some settings changed (checked as
        the constructor checks them)."""
        clone = copy.copy(self)
        clone._options = dict(self._options)
        for key, value in changes.items():
            if isinstance(value, NotGiven):
                continue
            where = f"{key}="
            if key == "max_retries":
                clone.retry_policy = dataclasses.replace(
                    self.retry_policy, max_retries=check_retries(value, where)
                )
            elif key == "default_headers":
                clone._headers = {**self._headers, **check_headers(value, where)}
            elif key == "timeout":
                clone.timeout = check_timeout(value, where)
            elif key == "retry_non_idempotent":
                clone.retry_non_idempotent = check_flag(value, where)
            elif key == "project_id":
                if not value:
                    raise ConfigurationError(f"{where} must be a project ID, not {value!r}")
                clone.project_id = check_text(value, where)
            else:
                clone._options[key] = None if value in (None, "") else check_text(value, where)
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

    def _prepare(
        self, http: httpx.Client | httpx.AsyncClient, op: OperationSpec[Any], call: Call
    ) -> tuple[PreparedRequest, httpx.Auth | None]:
        """One attempt's request (its `httpx.Request` made when asked for), and the auth `send`
        must still run on it (None: applied)."""
        return self._encoder.prepare(
            http,
            op,
            call,
            base_url=self.base_url,
            project_id=self.project_id,
            options=self._options,
            default_headers=self._headers,
            timeout=self.timeout if isinstance(call.timeout, NotGiven) else call.timeout,
            auth=self._auth,
        )

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
        parsed = parse_result(op, response, models=self._service.models, auth=self._auth)
        return RawResponse(response, parsed) if self._raw else parsed

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
            raise error_for_status(response, self._service.error_codes)
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
        _check_call(call)
        policy = self._policy(call.max_retries)
        replay_safe = self._replay_safe(op, call.retry_non_idempotent)
        attempt = 0
        while True:
            # Rebuilt each attempt: a fresh X-Sdk-Date for the signature.
            prepared, auth = self._prepare(self._http, op, call)
            request = prepared.request
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
        fetch, start, size = pagination.page_fetcher(self.request, op, pages, kwargs)
        return pagination.iterate(pages, fetch, start=start, size=size)

    def download(
        self, op: OperationSpec[Any], file: str | os.PathLike[str] | IO[bytes], **kwargs: Any
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
        # Decided once: an aiohttp client takes a request as text (`send_prepared`).
        self._aio = self._http if isinstance(self._http, DefaultAioHttpClient) else None
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
        _check_call(call)
        policy = self._policy(call.max_retries)
        replay_safe = self._replay_safe(op, call.retry_non_idempotent)
        attempt = 0
        aio = None if stream else self._aio  # a download streams: httpx's way
        while True:
            # The request is made only when something asks for it (the aiohttp client takes
            # its text; an error, a log line, a retry's message take `prepared.request`).
            prepared, auth = self._prepare(self._http, op, call)
            started = time.monotonic()
            try:
                if aio is not None and auth is None:
                    response = await aio.send_prepared(prepared)
                else:
                    response = await self._http.send(
                        prepared.request, auth=auth or _NO_AUTH, stream=stream
                    )
            except httpx.TransportError as exc:
                delay = self._retry_after_error(
                    exc, prepared.request, started, policy, attempt, replay_safe
                )
            else:
                if logger.isEnabledFor(10):
                    self._log(prepared.request, response, started, attempt)
                if response.is_success:
                    return response
                if stream:  # the error's body is read before the response is let go
                    await response.aread()
                    await response.aclose()
                delay = self._retry_after_status(
                    response, prepared.request, policy, attempt, replay_safe
                )
            await _async_sleep(delay)
            attempt += 1

    def paginate(
        self, op: OperationSpec[Any], pages: pagination.PageSpec[ItemT], **kwargs: Any
    ) -> AsyncIterator[ItemT]:
        """Every item of every page of a list operation."""
        fetch, start, size = pagination.page_fetcher(self.request, op, pages, kwargs)
        return pagination.aiterate(pages, fetch, start=start, size=size)

    async def download(
        self, op: OperationSpec[Any], file: str | os.PathLike[str] | IO[bytes], **kwargs: Any
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


# Sent with a request authenticated while it was built: httpx would otherwise run the
# http_client's own auth, if it has one.
_NO_AUTH = httpx.Auth()


async def _async_sleep(delay: float) -> None:
    import asyncio  # only the async clients need it; importing a client should not

    await asyncio.sleep(delay)


def _auth_from(credentials: Mapping[str, Any], project_id: str) -> httpx.Auth:
    """The auth of a whole set of credentials (see `settings.resolve`)."""
    if "auth" in credentials:
        auth = credentials["auth"]
        if not isinstance(auth, httpx.Auth):
            raise ConfigurationError(
                f"auth= must be an httpx.Auth (TokenAuth, AkSkAuth, ...), not {type(auth).__name__}"
            )
        return auth
    if "token" in credentials:
        return TokenAuth(credentials["token"])
    return AkSkAuth(
        credentials["ak"],
        credentials["sk"],
        project_id=project_id,
        security_token=credentials.get("security_token"),
    )


def _check_call(call: Call) -> None:
    """A call's own options, checked as the client's are, before anything is sent."""
    if not isinstance(call.timeout, NotGiven):
        check_timeout(call.timeout)
    if not isinstance(call.max_retries, NotGiven):
        check_retries(call.max_retries)
    if not isinstance(call.retry_non_idempotent, NotGiven):
        check_flag(call.retry_non_idempotent, "retry_non_idempotent=")
    if call.extra_headers:
        check_headers(call.extra_headers, "extra_headers=")


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
