"""What the simulator answers: success bodies, the services' error bodies and the gateway's.

Each service has its own documented error shape: CDM `{"errCode", "externalMessage"}` (7.4.1),
DLF `{"error_code", "error_msg"}` (3.3, 7.4.2), LakeFormation `{"error_code", "error_msg"}` with
`common.*` codes (004). The API gateway in front of all of them answers in the 3.3 shape with
`APIGW.*` codes (401 bad credentials, 404 unknown API, 429 throttled).
"""

from __future__ import annotations

import email.utils
import json
import uuid
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from .spec import ServiceSpec

__all__ = [
    "Answer",
    "ApiError",
    "GatewayError",
    "error_answer",
    "gateway_answer",
    "http_date",
    "json_answer",
]

REQUEST_ID_HEADER = "X-Request-Id"
JSON_TYPE = "application/json;charset=UTF-8"
_dates: dict[int, str] = {}  # the last second formatted: answers come many to a second

# doc: the API gateway's codes are the APIG error-code table of Huawei Cloud API Gateway, which
# 003 7.4 points to for codes starting with APIGW: APIGW.0101 "The API does not exist or has not
# been published in the environment." (404), APIGW.0301 "Incorrect IAM authentication
# information" (401), APIGW.0308 "The throttling threshold has been reached." (429).
GATEWAY_NOT_FOUND = (
    "APIGW.0101",
    "The API does not exist or has not been published in the environment.",
)
GATEWAY_UNAUTHORIZED = "APIGW.0301"
GATEWAY_THROTTLED = ("APIGW.0308", "The throttling threshold has been reached.")

# How each service says "bad request": (code for a missing value, code for an invalid value).
# doc: CDM 7.4.1: Cdm.0238 "%s cannot be empty.", Cdm.0014 "Invalid parameter.".
# doc: DLF: 7.4.2's DLF.0802 "The specified parameter is not configured." for a missing value;
# the chapter 6 examples answer DLF.3051 "The request parameter is invalid." to invalid ones
# (ListJobs, ListScripts, BatchExportJobs, ...), a code table 7-4 does not list.
# doc: LakeFormation (004) documents only common.01000001 for 400.
# The DataArts Factory v2 family (`factory`, served on its own host) speaks DLF's codes.
BAD_REQUEST_CODES = {
    "cdm": ("Cdm.0238", "Cdm.0014"),
    "dlf": ("DLF.0802", "DLF.3051"),
    "factory": ("DLF.0802", "DLF.3051"),
    "lakeformation": ("common.01000001", "common.01000001"),
    "simulator": ("SIM.0400", "SIM.0400"),  # the control API (`control`)
}
BAD_REQUEST_MESSAGES = {
    "DLF.3051": "The request parameter is invalid.",
    "common.01000001": "failed to read http request, please check your input, code: 400",
}
# "The service failed" (a 5xx fault) in the service's own words, where it documents them.
# doc: CDM 7.4.1 Cdm.0000 "System error."; LakeFormation 004 common.00000500 "internal error".
INTERNAL_ERROR_CODES = {
    "cdm": ("Cdm.0000", "System error."),
    "lakeformation": ("common.00000500", "internal error"),
}
# Services answering errors as {"errCode", "externalMessage"}: those whose error schema says so.
_CDM_STYLE = ("errCode", "externalMessage")
_COMMON_STYLE = ("error_code", "error_msg")


@dataclass
class Answer:
    """A response before it meets the wire."""

    status: int
    body: bytes = b""
    content_type: str | None = None
    headers: dict[str, str] = field(default_factory=dict)
    # the JSON value of `body`, for the response check; None when there is no JSON body
    data: Any = None
    # True when the gateway (auth, routing, a throttling fault) answered, not the operation
    from_gateway: bool = False
    # what the connection does, from an injected fault: wait first (real seconds), close
    # without answering, or send only part of the body
    delay: float = 0.0
    disconnect: bool = False
    truncate: bool = False
    fault: str | None = None  # the injected fault's kind, when one shaped this answer

    def header_items(self) -> list[tuple[str, str]]:
        items = list(self.headers.items())
        if self.content_type:
            items.append(("Content-Type", self.content_type))
        items.append(("Content-Length", str(len(self.body))))
        return items


class ApiError(Exception):
    """Raised by a state machine to answer with the service's error shape.

    `code` is a documented error code; the message is the table's English summary with `args`
    filled into its `%s` places, unless `message` is given.
    """

    def __init__(
        self, code: str, *args: object, status: int = 400, message: str | None = None
    ) -> None:
        super().__init__(code)
        self.code = code
        self.args_ = args
        self.status = status
        self.message = message


class GatewayError(Exception):
    """Raised to answer as the API gateway (`{"error_code": "APIGW...", "error_msg": ...}`)."""

    def __init__(self, status: int, code: str, message: str) -> None:
        super().__init__(code)
        self.status = status
        self.code = code
        self.message = message


def new_request_id() -> str:
    return uuid.uuid4().hex


def json_answer(status: int, data: Any, headers: Mapping[str, str] | None = None) -> Answer:
    body = json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    return Answer(status, body, JSON_TYPE, dict(headers or {}), data)


def gateway_answer(error: GatewayError, headers: Mapping[str, str] | None = None) -> Answer:
    data = {"error_code": error.code, "error_msg": error.message}
    answer = json_answer(error.status, data, headers)
    answer.from_gateway = True
    return answer


def error_answer(service: ServiceSpec | None, error: ApiError) -> Answer:
    """`error` in `service`'s documented error shape (the gateway's for an unknown service)."""
    message = error.message if error.message is not None else describe(service, error)
    keys = _error_keys(service)
    return json_answer(error.status, {keys[0]: error.code, keys[1]: message})


def describe(service: ServiceSpec | None, error: ApiError) -> str:
    """The documented English summary of `error.code` with its arguments filled in."""
    row = service.error_codes.get(error.code) if service is not None else None
    text = str(row.get("summary") or row.get("message")) if row else ""
    if not text:
        text = BAD_REQUEST_MESSAGES.get(error.code, error.code)
    for arg in error.args_:
        if "%s" not in text:
            text += f" ({arg})"
            continue
        text = text.replace("%s", str(arg), 1)
    return text.replace("%s", "").replace("[ ]", "").strip()


def _error_keys(service: ServiceSpec | None) -> tuple[str, str]:
    if service is None:
        return _COMMON_STYLE
    for schema in (service.document.get("components") or {}).get("schemas", {}).values():
        if schema.get("x-error-codes") and "errCode" in (schema.get("properties") or {}):
            return _CDM_STYLE
    return _COMMON_STYLE


def http_date(moment: float) -> str:
    """A `Date` header's value: `moment` (epoch seconds) to the whole second, in GMT."""
    second = int(moment)
    text = _dates.get(second)
    if text is None:
        _dates.clear()
        text = _dates[second] = email.utils.formatdate(second, usegmt=True)
    return text
