"""Exceptions raised by the clients, and the normaliser that reads every documented error body.

DataArtsError
├── ConfigurationError          the client cannot be built (no credentials, no project id, ...)
└── APIError                    a request failed
    ├── APIConnectionError      no usable response (DNS, refused, reset, ...)
    │   └── APITimeoutError
    ├── ResponseValidationError a success response whose body is not what the spec says
    └── APIStatusError          an error status; carries status, error code, message, request id
        ├── BadRequestError          400, or a code meaning `invalid-request`
        ├── AuthenticationError      401, or a code meaning `unauthenticated`
        ├── PermissionDeniedError    403, or a code meaning `permission-denied`
        ├── NotFoundError            404, or a code meaning `not-found` (DLF.0100 is a 400)
        ├── RequestTimeoutError      408
        ├── ConflictError            409
        │   ├── AlreadyExistsError   a code meaning `already-exists`
        │   └── InvalidStateError    a code meaning `invalid-state`
        ├── RateLimitError           429, or a code meaning `throttled`
        ├── QuotaExceededError       a code meaning `quota-exceeded`
        ├── EndpointError            a code meaning `wrong-endpoint` (APIGW.0101: never a NotFoundError)
        └── InternalServerError      5xx, or a code meaning `server-error`

The class follows the HTTP status and the meaning the spec's error-code table gives the code
(`x-error-codes`, `meaning`; MEANING_CLASSES). The classes of 401, 403, 404, 409 and 429 claim
a meaning of their own, and a code meaning something else replaces them (a 404 APIGW.0101 is an
EndpointError, no NotFoundError). The others (400, 408, 5xx) only say where the error came from
and stay beside the code's class: a 400 DLF.0100 is a NotFoundError and a BadRequestError.
"""

from __future__ import annotations

import time
from collections.abc import Mapping
from dataclasses import dataclass
from typing import cast

import httpx

from .error_bodies import normalize_error_body
from .logs import redact_text
from .retry import parse_retry_after

REQUEST_ID_HEADER = "X-Request-Id"


class DataArtsError(Exception):
    """Base class of every exception this package raises."""


class ConfigurationError(DataArtsError):
    """The client is missing something it needs (credentials, project id, region, ...)."""


class APIError(DataArtsError):
    """A request to the service failed."""

    def __init__(self, message: str, *, request: httpx.Request | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.request = request


class APIConnectionError(APIError):
    """The service could not be reached, or the connection broke before a response arrived."""


class APITimeoutError(APIConnectionError):
    """The request timed out."""


class ResponseValidationError(APIError):
    """A success response without the documented body: empty, not JSON, or JSON of another kind
    (`null` or a string where an object is documented).

    Carries `status_code`, `request_id`, `excerpt` (the start of the body, one line, credentials
    masked; also in the message) and the raw `body` bytes.
    """

    def __init__(self, message: str, *, response: httpx.Response, excerpt: str = "") -> None:
        super().__init__(message, request=response.request)
        self.response = response
        self.status_code = response.status_code
        self.request_id = response.headers.get(REQUEST_ID_HEADER)
        self.excerpt = excerpt
        self.body = response.content


@dataclass(frozen=True)
class DocumentedError:
    """What the API reference's error-code table says about an error code (`x-error-codes`)."""

    code: str  # e.g. "Cdm.0100"
    status: int  # the HTTP status the table gives
    message: str  # the documented message, as printed (CDM's table is in Chinese)
    summary: str  # the message in English
    description: str  # what went wrong
    action: str  # what to do about it
    # what the code means, from a closed list (MEANING_CLASSES): "not-found", "already-exists",
    # "invalid-state", "throttled", ...; it decides the exception's class
    meaning: str = ""
    # a case of the code that applies when the error message contains this (case-insensitive)
    message_contains: str = ""
    # the code's other rows: another status (APIGW.0201 is a 400 and a 502), or a message
    # that narrows it (APIGW.0301 "signature expired")
    cases: tuple[DocumentedError, ...] = ()

    def case_for(self, status: int, message: str) -> DocumentedError:
        """The row of this code that fits an answer: its message's case, else its status's row."""
        rows = (self, *self.cases)
        text = message.casefold()
        narrowed = [r for r in rows if r.message_contains and r.message_contains.casefold() in text]
        for row in narrowed:
            if row.status == status:
                return row
        if narrowed:
            return narrowed[0]
        return next((r for r in rows if r.status == status and not r.message_contains), self)


class APIStatusError(APIError):
    """The service answered with an error status.

    `error_code` and `error_message` are read from whichever documented body shape came back
    (`error_code/error_msg`, `errCode/externalMessage`, `code/message`, an array of those, ...;
    credentials the request carried are masked in the message); `body` is the raw bytes and
    `json` the parsed body when it was JSON. `documented` is the error-code table's entry for
    the code, and `str(err)` gives its action on the same line.
    """

    status_code: int

    def __init__(
        self,
        response: httpx.Response,
        documented: Mapping[str, DocumentedError] | None = None,
        *,
        served_on: str = "",
    ) -> None:
        self.response = response
        self.status_code = response.status_code
        self.headers = response.headers
        self.request_id: str | None = response.headers.get(REQUEST_ID_HEADER)
        self.body: bytes = response.content
        code, message, self.json = normalize_error_body(
            self.body, response.headers.get("content-type", "")
        )
        self.error_code: str | None = code
        # as the service sent it, less any credential the request carried (the gateway echoes
        # an unknown AK)
        self.error_message: str | None = (
            redact_text(message, _credentials(response.request)) if message is not None else None
        )
        # seconds the service asked to wait (Retry-After), e.g. on 429 when it exceeded what
        # the client is willing to sleep
        self.retry_after: float | None = parse_retry_after(response.headers, time.time())
        # the error-code table's entry for `error_code`, when the service documents one
        self.documented: DocumentedError | None = (
            documented_entry(documented, code, self.status_code, message or "")
            if documented is not None and code is not None
            else None
        )
        self._served_on = served_on
        super().__init__(self._describe(), request=response.request)

    def _describe(self) -> str:
        head = f"HTTP {self.status_code}" + (f" {self.error_code}" if self.error_code else "")
        documented = self.documented
        text = _one_line(self.error_message or (documented.summary if documented else ""))
        text = f"{head}: {text or self.response.reason_phrase or 'error'}"
        if documented is not None and documented.action:
            text += " Action: " + _one_line(documented.action)
        if self._served_on and isinstance(self, EndpointError):
            text += (
                f" The request went to {self.response.request.url.host}; this client's API is"
                f" served on {self._served_on}."
            )
        if self.request_id:
            text += f" (request id {self.request_id})"
        return text


class BadRequestError(APIStatusError):
    """400: the request was rejected; `error_code` says why (e.g. `Cdm.0104`, `DLF.3051`)."""


class AuthenticationError(APIStatusError):
    """401, or a code meaning `unauthenticated`: the token or signature was not accepted."""


class PermissionDeniedError(APIStatusError):
    """403, or a code meaning `permission-denied`: the credentials lack permission."""


class NotFoundError(APIStatusError):
    """404, or a code meaning `not-found` at any status: a resource the request names does not
    exist (DLF.0100 and Cdm.0100 are 400s; they are also `BadRequestError`s)."""


class RequestTimeoutError(APIStatusError):
    """408: the service timed out waiting for the request."""


class ConflictError(APIStatusError):
    """409, or a code meaning the request conflicts with a resource: it already exists, or its
    state does not allow the operation."""


class AlreadyExistsError(ConflictError):
    """A code meaning `already-exists`: a resource with that name exists (Cdm.0104, DLF.0102)."""


class InvalidStateError(ConflictError):
    """A code meaning `invalid-state`: the resource's current state does not allow the operation
    (a job that is running, a cluster that is not stopped: Cdm.0052, CDM.5090)."""


class RateLimitError(APIStatusError):
    """429, or a code meaning `throttled`: the API gateway throttled the call (`APIGW.0308`)."""


class QuotaExceededError(APIStatusError):
    """A code meaning `quota-exceeded`: a quota is used up (DLF.0101 job quota)."""


class EndpointError(APIStatusError):
    """A code meaning `wrong-endpoint`: the API gateway at the host the request went to does not
    publish this API (`APIGW.0101`, HTTP 404), or the service is not offered in the region.

    The endpoint is wrong, not a resource missing: it is never a `NotFoundError`, and its
    message names the host the request went to and the one the client's API is served on.
    """


class InternalServerError(APIStatusError):
    """5xx: the service failed."""


# The meanings an `x-error-codes` row may give its code (spec/README.md), and the class of each;
# `operation-failed` (a data source or agent failed) has none of its own: the status's class.
MEANING_CLASSES: Mapping[str, type[APIStatusError]] = {
    "not-found": NotFoundError,
    "already-exists": AlreadyExistsError,
    "invalid-state": InvalidStateError,
    "throttled": RateLimitError,
    "quota-exceeded": QuotaExceededError,
    "unauthenticated": AuthenticationError,
    "permission-denied": PermissionDeniedError,
    "wrong-endpoint": EndpointError,
    "invalid-request": BadRequestError,
    "server-error": InternalServerError,
    "operation-failed": APIStatusError,
}

_BY_STATUS: dict[int, type[APIStatusError]] = {
    400: BadRequestError,
    401: AuthenticationError,
    403: PermissionDeniedError,
    404: NotFoundError,
    408: RequestTimeoutError,
    409: ConflictError,
    429: RateLimitError,
}
# Status classes that state a meaning of their own: a code with another meaning replaces them
# (a 404 APIGW.0101 is no NotFoundError). The others (400, 408, 5xx) say only where the error
# came from and stay beside the code's class.
_CLAIMING = frozenset(
    {AuthenticationError, PermissionDeniedError, NotFoundError, ConflictError, RateLimitError}
)
_COMBINED: dict[tuple[type[APIStatusError], type[APIStatusError]], type[APIStatusError]] = {}


def status_error(
    response: httpx.Response,
    documented: Mapping[str, DocumentedError] | None = None,
    *,
    served_on: str = "",
) -> APIStatusError:
    """The exception for an error response; reads the body, so the response must be loaded.

    `documented` is the service's error-code table: the exception's `documented` is its entry,
    whose meaning joins the status in choosing the class. `served_on` is the base URL the
    client's API is documented at, named when the code means a wrong endpoint.
    """
    status = response.status_code
    cls = _BY_STATUS.get(status) or (InternalServerError if status >= 500 else APIStatusError)
    code, message, _ = normalize_error_body(
        response.content, response.headers.get("content-type", "")
    )
    if documented is not None and code is not None:
        entry = documented_entry(documented, code, status, message or "")
        if entry is not None:  # an unknown meaning (a newer spec) leaves the status's class
            cls = error_class(cls, MEANING_CLASSES.get(entry.meaning))
    return cls(response, documented, served_on=served_on)


def error_class(
    status_class: type[APIStatusError], meaning_class: type[APIStatusError] | None
) -> type[APIStatusError]:
    """The class of an error with this status class and this meaning class (None: the code
    has no documented meaning): the module docstring gives the rule."""
    if meaning_class is None:
        return status_class
    if issubclass(meaning_class, status_class):  # 404 not-found; 409 already-exists; 405 quota
        return meaning_class
    if status_class in _CLAIMING:  # 404 wrong-endpoint: an EndpointError, no NotFoundError
        return meaning_class
    if issubclass(status_class, meaning_class):  # 400 operation-failed: a BadRequestError
        return status_class
    key = (meaning_class, status_class)
    combined = _COMBINED.get(key)
    if combined is None:
        namespace = {
            "__module__": meaning_class.__module__,
            "__qualname__": meaning_class.__qualname__,
            "__doc__": f"{meaning_class.__name__} answered with a {status_class.__name__} status.",
        }
        # named after the meaning, so tracebacks read `NotFoundError: HTTP 400 DLF.0100: ...`
        combined = cast(
            "type[APIStatusError]",
            type(meaning_class.__name__, (meaning_class, status_class), namespace),
        )
        _COMBINED[key] = combined
    return combined


def documented_entry(
    table: Mapping[str, DocumentedError], code: str, status: int, message: str
) -> DocumentedError | None:
    """The table's row for an answer's code (spelt as listed, or differing in case and dots:
    `DLF6201`, `CDM.5090`), narrowed to the case its status and message fit."""
    entry = table.get(code)
    if entry is None:
        wanted = _squeezed(code)
        entry = next((e for listed, e in table.items() if _squeezed(listed) == wanted), None)
    return entry.case_for(status, message) if entry is not None else None


def _squeezed(code: str) -> str:
    return "".join(c for c in code.casefold() if c.isalnum())


def _one_line(text: str) -> str:
    return " ".join(text.split())


def _credentials(request: httpx.Request) -> tuple[str, ...]:
    """The credentials a request carried, to mask wherever an answer echoes them (the gateway
    names an unknown AK in its message)."""
    headers = request.headers
    found = [headers.get("x-auth-token", ""), headers.get("x-security-token", "")]
    authorization = headers.get("authorization", "")
    for part in authorization.replace(",", " ").split():
        name, _, value = part.partition("=")
        if name in ("Access", "Signature") and value:
            found.append(value)
    return tuple(value for value in found if value)
