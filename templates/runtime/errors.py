"""Exceptions raised by the clients, and the normaliser that reads every documented error body.

DataArtsError
├── ConfigurationError          the client cannot be built (no credentials, no project id, ...)
└── APIError                    a request failed
    ├── APIConnectionError      no usable response (DNS, refused, reset, ...)
    │   └── APITimeoutError
    ├── ResponseValidationError a success response whose body is not what the spec says
    └── APIStatusError          an error status; carries status, error code, message, request id
        ├── BadRequestError          400
        ├── AuthenticationError      401
        ├── PermissionDeniedError    403
        ├── NotFoundError            404
        ├── RequestTimeoutError      408
        ├── ConflictError            409
        ├── RateLimitError           429
        └── InternalServerError      5xx
"""

from __future__ import annotations

import json
import time
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import httpx

from .logs import regex
from .retry import parse_retry_after

REQUEST_ID_HEADER = "X-Request-Id"
_MESSAGE_LIMIT = 300
# Documented error-body shapes, most specific first: CDM (7.4.1), DLF and the gateway (3.3),
# and the shapes other Huawei services answer with.
_SHAPES = (
    ("errCode", "externalMessage"),
    ("error_code", "error_msg"),
    ("errorCode", "errorMsg"),
    ("errorCode", "errorMessage"),
    ("code", "message"),
    ("error_code", "message"),
)
_MESSAGE_KEYS = (
    "error_msg",
    "externalMessage",
    "errorMsg",
    "errorMessage",
    "message",
    "msg",
    "title",
)
_TITLE = r"(?is)<title[^>]*>(.*?)</title>"  # compiled on first use (logs.regex)
_TAG = r"<[^>]+>"


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
    """What the API reference's error-code table (7.4) says about an error code."""

    code: str  # e.g. "Cdm.0100"
    status: int  # the HTTP status the table gives
    message: str  # the documented message, as printed (CDM's table is in Chinese)
    summary: str  # the message in English
    description: str  # what went wrong
    action: str  # what to do about it


class APIStatusError(APIError):
    """The service answered with an error status.

    `error_code` and `error_message` are read from whichever documented body shape came back
    (`error_code/error_msg`, `errCode/externalMessage`, `code/message`, ...); `body` is the raw
    bytes and `json` the parsed body when it was JSON.
    """

    status_code: int

    def __init__(self, response: httpx.Response) -> None:
        self.response = response
        self.status_code = response.status_code
        self.headers = response.headers
        self.request_id: str | None = response.headers.get(REQUEST_ID_HEADER)
        self.body: bytes = response.content
        self.error_code, self.error_message, self.json = normalize_error_body(
            self.body, response.headers.get("content-type", "")
        )
        # seconds the service asked to wait (Retry-After), e.g. on 429 when it exceeded what
        # the client is willing to sleep
        self.retry_after: float | None = _retry_after(response.headers)
        # the error-code table's entry for `error_code`, when the service documents one
        self.documented: DocumentedError | None = None
        super().__init__(self._describe(), request=response.request)

    def _describe(self) -> str:
        parts = [f"HTTP {self.status_code}"]
        if self.error_code:
            parts.append(self.error_code)
        text = (
            " ".join(parts) + ": " + (self.error_message or self.response.reason_phrase or "error")
        )
        if self.request_id:
            text += f" (request id {self.request_id})"
        return text


class BadRequestError(APIStatusError):
    """400: the request was rejected; `error_code` says why (e.g. `Cdm.0104`, `DLF.0100`)."""


class AuthenticationError(APIStatusError):
    """401: the token or signature was not accepted."""


class PermissionDeniedError(APIStatusError):
    """403: the credentials lack permission."""


class NotFoundError(APIStatusError):
    """404: the resource does not exist."""


class RequestTimeoutError(APIStatusError):
    """408: the service timed out waiting for the request."""


class ConflictError(APIStatusError):
    """409: the request conflicts with the resource's state."""


class RateLimitError(APIStatusError):
    """429: throttled by the API gateway (`APIGW.0308`)."""


class InternalServerError(APIStatusError):
    """5xx: the service failed."""


_BY_STATUS: dict[int, type[APIStatusError]] = {
    400: BadRequestError,
    401: AuthenticationError,
    403: PermissionDeniedError,
    404: NotFoundError,
    408: RequestTimeoutError,
    409: ConflictError,
    429: RateLimitError,
}


def status_error(
    response: httpx.Response, documented: Mapping[str, DocumentedError] | None = None
) -> APIStatusError:
    """The exception for an error response; reads the body, so the response must be loaded.

    `documented` is the service's error-code table: the exception's `documented` is its entry.
    """
    cls = _BY_STATUS.get(response.status_code)
    if cls is None:
        cls = InternalServerError if response.status_code >= 500 else APIStatusError
    error = cls(response)
    if documented is not None and error.error_code is not None:
        error.documented = documented.get(error.error_code)
    return error


def normalize_error_body(body: bytes, content_type: str = "") -> tuple[str | None, str | None, Any]:
    """(error code, error message, parsed JSON or None) from any error body, never raising."""
    text = body.decode("utf-8", "replace").strip()
    if not text:
        return None, None, None
    try:
        data = json.loads(text)
    except ValueError:
        return None, _plain_message(text, content_type), None
    code, message = _from_json(data)
    return code, message, data


def _from_json(data: Any) -> tuple[str | None, str | None]:
    """Code and message from the first object, breadth first, that carries one.

    Breadth first, so a top-level `{"errCode", "externalMessage"}` wins over anything nested,
    while CDM's link failure `{"validation-result": [{"linkConfig": [{"message": ...}]}]}`
    still yields its message.
    """
    if isinstance(data, str):
        return None, _clip(data)
    queue: list[tuple[Any, int]] = [(data, 0)]
    while queue:
        node, depth = queue.pop(0)
        if isinstance(node, dict):
            found = _from_object(node)
            if found != (None, None):
                return found
            children = list(node.values())
        elif isinstance(node, list):
            children = node
        else:
            continue
        if depth < 5:
            queue.extend(
                (child, depth + 1) for child in children if isinstance(child, (dict, list))
            )
    if isinstance(data, (dict, list)):
        return None, None
    return None, _clip(json.dumps(data))


def _from_object(data: dict[str, Any]) -> tuple[str | None, str | None]:
    for code_key, message_key in _SHAPES:
        code, message = data.get(code_key), data.get(message_key)
        if code is not None or message is not None:
            if message is None:  # e.g. {"errCode": ..., "message": ...}
                message = next((data[k] for k in _MESSAGE_KEYS if data.get(k)), None)
            return _text(code), _clip(_text(message))
    message = next((data[k] for k in _MESSAGE_KEYS if data.get(k)), None)
    return None, _clip(_text(message))


def _retry_after(headers: httpx.Headers) -> float | None:
    return parse_retry_after(headers, time.time())


def _text(value: Any) -> str | None:
    if value is None:
        return None
    return value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)


def _plain_message(text: str, content_type: str) -> str:
    if "html" in content_type.lower() or text.lstrip().startswith("<"):
        title = regex(_TITLE).search(text)
        text = title.group(1) if title else regex(_TAG).sub(" ", text)
    return _clip(" ".join(text.split())) or "error"


def _clip(text: str | None) -> str | None:
    if text is None:
        return None
    return text if len(text) <= _MESSAGE_LIMIT else text[: _MESSAGE_LIMIT - 1] + "…"
