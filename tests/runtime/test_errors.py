"""Tests for templates/runtime/errors.py: error-body normalisation and the exception classes."""

from __future__ import annotations

import json
from typing import Any

import httpx
import pytest

from templates.runtime.errors import (
    APIError,
    APIStatusError,
    AuthenticationError,
    BadRequestError,
    ConflictError,
    DataArtsError,
    DocumentedError,
    InternalServerError,
    NotFoundError,
    PermissionDeniedError,
    RateLimitError,
    RequestTimeoutError,
    normalize_error_body,
    status_error,
)

URL = "https://cdm.cn-north-4.myhuaweicloud.com/v1.1/p/clusters/c/cdm/link"
CDM_LONG = {
    "code": "Cdm.0315",
    "errCode": "Cdm.0315",
    "message": "Link name [ftp_link] already exist or created by other user.",
    "externalMessage": "Link name [ftp_link] already exist or created by other user.",
}
LINK_FAILURE = (
    "Can't connect to the database with given credentials: The authentication type 12 is not "
    "supported."
)


def make_response(status: int, body: bytes | str | Any = b"", *, content_type: str = "",
                  request_id: str | None = None) -> httpx.Response:
    if isinstance(body, (dict, list)):
        body = json.dumps(body).encode()
        content_type = content_type or "application/json"
    elif isinstance(body, str):
        body = body.encode()
    headers = {}
    if content_type:
        headers["Content-Type"] = content_type
    if request_id:
        headers["X-Request-Id"] = request_id
    return httpx.Response(status, content=body, headers=headers,
                          request=httpx.Request("POST", URL))


def norm(body: Any, content_type: str = "application/json") -> tuple[Any, Any]:
    raw = body if isinstance(body, bytes) else json.dumps(body).encode()
    code, message, _ = normalize_error_body(raw, content_type)
    return code, message


# --- normalisation of each documented shape -----------------------------------------------------


def test_dlf_and_gateway_shape() -> None:
    assert norm({"error_code": "DLF.0100", "error_msg": "The job does not exists."}) == (
        "DLF.0100", "The job does not exists.",
    )


def test_gateway_throttling_shape_with_request_id_in_body() -> None:
    body = {"error_code": "APIGW.0308", "error_msg": "The request is being throttled.",
            "request_id": "41b3e5c4"}
    assert norm(body) == ("APIGW.0308", "The request is being throttled.")


def test_cdm_short_shape() -> None:
    assert norm({"errCode": "Cdm.0100", "externalMessage": "Job[jdbc2hive] doesn't exist."}) == (
        "Cdm.0100", "Job[jdbc2hive] doesn't exist.",
    )


def test_cdm_long_shape_prefers_err_code_and_external_message() -> None:
    body = {"code": "Cdm.0095", "errCode": "Cdm.00095", "message": "internal text",
            "externalMessage": "A job with the name obs-obs does not exist."}
    assert norm(body) == ("Cdm.00095", "A job with the name obs-obs does not exist.")


def test_cdm_err_code_with_plain_message() -> None:
    assert norm({"errCode": "Cdm.0021", "message": "Cluster is busy."}) == (
        "Cdm.0021", "Cluster is busy.",
    )


def test_code_message_shape() -> None:
    assert norm({"code": "DLS.1000", "message": "Invalid parameter."}) == (
        "DLS.1000", "Invalid parameter.",
    )


def test_numeric_code_is_returned_as_text() -> None:
    assert norm({"code": 400, "message": "bad"}) == ("400", "bad")


def test_nested_error_object() -> None:
    body = {"error": {"code": "APIGW.0301", "message": "Incorrect IAM authentication information"}}
    assert norm(body) == ("APIGW.0301", "Incorrect IAM authentication information")


def test_nested_error_object_in_dlf_shape() -> None:
    body = {"error": {"error_code": "DLF.3051", "error_msg": "The request parameter is invalid."}}
    assert norm(body) == ("DLF.3051", "The request parameter is invalid.")


def test_cdm_validation_result_shape() -> None:
    body = {"validation-result": [{"linkConfig": [{"message": LINK_FAILURE, "status": "ERROR"}]}]}
    _, message = norm(body)
    assert message == LINK_FAILURE


def test_json_string_body() -> None:
    code, message, data = normalize_error_body(b'"Service temporarily unavailable"')
    assert (code, message, data) == (None, "Service temporarily unavailable",
                                     "Service temporarily unavailable")


def test_list_body_uses_first_element() -> None:
    assert norm([{"error_code": "DLF.1", "error_msg": "first"}, {"error_msg": "second"}]) == (
        "DLF.1", "first",
    )


@pytest.mark.parametrize("body", [b"", b"   \n  "])
def test_empty_body(body: bytes) -> None:
    assert normalize_error_body(body, "application/json") == (None, None, None)


def test_html_page_uses_its_title() -> None:
    page = (b"<!DOCTYPE html><html><head><title>\n  502 Bad   Gateway\n</title></head>"
            b"<body><h1>nginx</h1></body></html>")
    assert normalize_error_body(page, "text/html") == (None, "502 Bad Gateway", None)


def test_html_page_without_title_uses_its_text() -> None:
    page = b"<html><body><h1>Oops</h1><p>upstream   failed</p></body></html>"
    assert normalize_error_body(page, "text/html; charset=utf-8") == (None, "Oops upstream failed",
                                                                        None)


def test_html_is_recognised_without_content_type() -> None:
    page = b"<html><head><TITLE>Access Denied</TITLE></head></html>"
    assert normalize_error_body(page, "") == (None, "Access Denied", None)


def test_plain_text_whitespace_collapsed() -> None:
    body = b"upstream connect error\n   or disconnect/reset before headers"
    assert normalize_error_body(body, "text/plain") == (
        None, "upstream connect error or disconnect/reset before headers", None,
    )


def test_invalid_utf8_never_raises() -> None:
    code, message, data = normalize_error_body(b"\xff\xfe gateway failure", "text/plain")
    assert (code, data) == (None, None)
    assert message == "\ufffd\ufffd gateway failure"


def test_invalid_utf8_inside_json() -> None:
    code, message, data = normalize_error_body(b'{"error_code":"X.1","error_msg":"caf\xe9"}')
    assert (code, message) == ("X.1", "caf\ufffd")
    assert data == {"error_code": "X.1", "error_msg": "caf\ufffd"}


def test_long_json_message_is_clipped_to_300_characters() -> None:
    _, message = norm({"error_code": "X.1", "error_msg": "m" * 1000})
    assert message == "m" * 299 + "…"


def test_long_plain_text_is_clipped() -> None:
    _, message, _ = normalize_error_body(b"e" * 5000, "text/plain")
    assert message == "e" * 299 + "…"


def test_message_of_exactly_the_limit_is_kept_whole() -> None:
    _, message = norm({"error_code": "X.1", "error_msg": "k" * 300})
    assert message == "k" * 300


def test_parsed_json_is_returned_unclipped() -> None:
    body = {"error_code": "X.1", "error_msg": "m" * 1000}
    assert normalize_error_body(json.dumps(body).encode())[2] == body


# --- status_error and the exception -------------------------------------------------------------


@pytest.mark.parametrize(
    ("status", "cls"),
    [
        (400, BadRequestError),
        (401, AuthenticationError),
        (403, PermissionDeniedError),
        (404, NotFoundError),
        (408, RequestTimeoutError),
        (409, ConflictError),
        (429, RateLimitError),
        (500, InternalServerError),
        (502, InternalServerError),
        (503, InternalServerError),
        (504, InternalServerError),
    ],
)
def test_status_error_picks_the_subclass(status: int, cls: type[APIStatusError]) -> None:
    exc = status_error(make_response(status))
    assert type(exc) is cls
    assert exc.status_code == status


@pytest.mark.parametrize("status", [405, 412, 418, 422])
def test_other_4xx_is_a_plain_api_status_error(status: int) -> None:
    exc = status_error(make_response(status))
    assert type(exc) is APIStatusError
    assert exc.status_code == status


LINK_IN_USE = DocumentedError(
    "Cdm.0315", 400, "连接名已存在。", "The link name already exists.",
    "A link with this name exists.", "Choose another link name.",
)


def test_status_error_attaches_the_documented_entry_of_its_code() -> None:
    exc = status_error(make_response(400, CDM_LONG), {"Cdm.0315": LINK_IN_USE})
    assert exc.documented is LINK_IN_USE
    assert exc.documented.action == "Choose another link name."
    # the server's own message stays the exception's text
    assert "Link name [ftp_link] already exist" in str(exc)


@pytest.mark.parametrize(
    ("body", "table"),
    [
        ({"errCode": "Cdm.9999", "externalMessage": "x"}, {"Cdm.0315": LINK_IN_USE}),  # not listed
        (CDM_LONG, None),  # the service documents no codes
        (b"<html>bad gateway</html>", {"Cdm.0315": LINK_IN_USE}),  # no code at all
    ],
)
def test_no_documented_entry_without_a_listed_code(body: Any, table: Any) -> None:
    assert status_error(make_response(400, body), table).documented is None


def test_exception_hierarchy() -> None:
    exc = status_error(make_response(404))
    assert isinstance(exc, APIStatusError)
    assert isinstance(exc, APIError)
    assert isinstance(exc, DataArtsError)


def test_exception_carries_everything() -> None:
    raw = json.dumps(CDM_LONG).encode()
    response = make_response(400, CDM_LONG, request_id="7d1c0e5a-req")
    exc = status_error(response)
    assert exc.status_code == 400
    assert exc.error_code == "Cdm.0315"
    assert exc.error_message == CDM_LONG["externalMessage"]
    assert exc.request_id == "7d1c0e5a-req"
    assert exc.body == raw
    assert exc.json == CDM_LONG
    assert exc.response is response
    assert exc.request is response.request
    assert exc.headers["x-request-id"] == "7d1c0e5a-req"


def test_str_of_exception_is_readable() -> None:
    exc = status_error(make_response(400, CDM_LONG, request_id="7d1c"))
    assert str(exc) == (
        "HTTP 400 Cdm.0315: Link name [ftp_link] already exist or created by other user. "
        "(request id 7d1c)"
    )
    assert exc.message == str(exc)


def test_str_without_code_or_request_id() -> None:
    exc = status_error(make_response(502, b"<html><title>502 Bad Gateway</title></html>",
                                     content_type="text/html"))
    assert str(exc) == "HTTP 502: 502 Bad Gateway"
    assert (exc.error_code, exc.json, exc.request_id) == (None, None, None)


def test_str_of_empty_body_uses_reason_phrase() -> None:
    exc = status_error(make_response(503))
    assert str(exc) == "HTTP 503: Service Unavailable"
    assert (exc.error_code, exc.error_message, exc.json, exc.body) == (None, None, None, b"")


def test_str_of_unknown_status_without_body() -> None:
    exc = status_error(make_response(599))
    assert type(exc) is InternalServerError
    assert str(exc) == "HTTP 599: error"


def test_retry_after_is_on_the_exception() -> None:
    response = httpx.Response(429, headers={"Retry-After": "90"},
                              request=httpx.Request("GET", URL))
    assert status_error(response).retry_after == 90.0
    assert status_error(make_response(429)).retry_after is None


def test_gateway_error_through_status_error() -> None:
    body = {"error_code": "APIGW.0308", "error_msg": "The request is being throttled."}
    exc = status_error(make_response(429, body, request_id="r-1"))
    assert isinstance(exc, RateLimitError)
    assert str(exc) == "HTTP 429 APIGW.0308: The request is being throttled. (request id r-1)"
