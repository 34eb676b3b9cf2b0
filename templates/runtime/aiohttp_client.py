"""`DefaultAioHttpClient`: an `httpx.AsyncClient` on aiohttp's connection pool, for many calls at once.

    async with AsyncCdmClient(..., http_client=dataarts.DefaultAioHttpClient()) as cdm: ...

httpx's own async pool slows down as more requests share it; aiohttp's does not (README, "Faster
concurrent calls: aiohttp"). Needs the `aiohttp` extra (`pip install "dataarts[aiohttp]"`:
aiohttp and httpx-aiohttp); this module imports neither until a client is built, so `import
dataarts` and `from dataarts import *` work without them.

It is a whole `httpx.AsyncClient`: any httpx request works on it, through httpx's machinery. A
request that needs none of that machinery (a whole response, no auth flow left to run, no
redirects to follow, no event hooks: what the generated clients send) goes straight to the pool
(`AiohttpPool.read`), which is where the speed is. The generated clients go one step further
(`send_prepared`): their request goes to the pool as the text it was built as, and its
`httpx.Request` is made only when something asks for it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import httpx

if TYPE_CHECKING:
    from .aiohttp_transport import AiohttpPool
    from .request import PreparedRequest

__all__ = ["DefaultAioHttpClient"]

EXTRA_HINT = 'pip install "dataarts[aiohttp]"'
DEFAULT_TIMEOUT = httpx.Timeout(60.0, connect=10.0)  # as the clients' own default
DEFAULT_LIMITS = httpx.Limits(max_connections=100, max_keepalive_connections=20)
_NOTHING_TO_RUN = httpx.Auth()  # the auth of a request authenticated while it was built


class DefaultAioHttpClient(httpx.AsyncClient):
    """An `httpx.AsyncClient` whose requests go out on an aiohttp connection pool.

    Takes httpx's `AsyncClient` arguments, except `transport`, `mounts` and `http2` (the pool is
    the transport; HTTP/1.1 only). `proxy` (or, with `trust_env`, the proxy environment
    variables) is applied by the pool. Raises ImportError naming the extra when aiohttp or
    httpx-aiohttp is missing.
    """

    def __init__(
        self,
        *,
        timeout: Any = DEFAULT_TIMEOUT,
        limits: httpx.Limits = DEFAULT_LIMITS,
        verify: Any = True,
        cert: Any = None,
        trust_env: bool = True,
        proxy: httpx.Proxy | str | None = None,
        follow_redirects: bool = False,
        **kwargs: Any,
    ) -> None:
        refused = sorted({"transport", "mounts", "http2"} & set(kwargs))
        if refused:
            raise TypeError(
                f"DefaultAioHttpClient takes no {', '.join(refused)}: aiohttp is its transport"
            )
        try:
            from .aiohttp_transport import AiohttpPool
        except ImportError as exc:
            raise ImportError(
                f"DefaultAioHttpClient needs aiohttp and httpx-aiohttp: {EXTRA_HINT} " f"({exc})",
                name=exc.name,
            ) from exc
        self._pool: AiohttpPool = AiohttpPool(
            verify=verify, cert=cert, trust_env=trust_env, limits=limits, proxy=proxy
        )
        # The pool reads the proxy environment itself; httpx's would mount its own transports.
        super().__init__(
            transport=self._pool,
            timeout=timeout,
            follow_redirects=follow_redirects,
            trust_env=False,
            **kwargs,
        )
        self._default_encoding_set = kwargs.get("default_encoding", "utf-8")
        if self.headers.get("Connection") == "keep-alive":  # httpx's default, not the caller's
            del self.headers["Connection"]  # as the clients' own pool: every header is signed

    async def send(
        self,
        request: httpx.Request,
        *,
        stream: bool = False,
        auth: Any = httpx.USE_CLIENT_DEFAULT,
        follow_redirects: Any = httpx.USE_CLIENT_DEFAULT,
    ) -> httpx.Response:
        """httpx's `send`; a request needing none of its machinery goes straight to the pool."""
        if stream or not self._direct(auth, follow_redirects) or self.is_closed:
            return await super().send(
                request, stream=stream, auth=auth, follow_redirects=follow_redirects
            )
        if "timeout" not in request.extensions:
            request.extensions["timeout"] = self.timeout.as_dict()
        response = await self._pool.read(request, self.cookies)
        if self._default_encoding_set != "utf-8":  # as httpx sets it on every response
            response.default_encoding = self._default_encoding_set
        return response

    async def send_prepared(self, prepared: PreparedRequest) -> httpx.Response:
        """Send a generated client's request, authenticated while it was built, and return its
        response read whole: from its text straight to the pool (the `httpx.Request` made only
        if something asks for it) when `send` would skip httpx's machinery, else by `send`."""
        if self.is_closed or not self._direct(_NOTHING_TO_RUN, httpx.USE_CLIENT_DEFAULT):
            return await self.send(prepared.request, auth=_NOTHING_TO_RUN)
        response = await self._pool.read_prepared(prepared, self.cookies)
        if self._default_encoding_set != "utf-8":  # as httpx sets it on every response
            response.default_encoding = self._default_encoding_set
        return response

    def _direct(self, auth: Any, follow_redirects: Any) -> bool:
        """Whether httpx's send would do nothing but hand the request to the transport."""
        if isinstance(auth, httpx.Auth):
            if type(auth) is not httpx.Auth:  # httpx.Auth itself: nothing to run
                return False
        elif auth is httpx.USE_CLIENT_DEFAULT:
            if self.auth is not None:
                return False
        elif auth is not None:
            return False  # a tuple, a callable: httpx turns it into an auth flow
        if follow_redirects is True or (
            follow_redirects is httpx.USE_CLIENT_DEFAULT and self.follow_redirects
        ):
            return False
        hooks = self.event_hooks
        return not hooks["request"] and not hooks["response"]
