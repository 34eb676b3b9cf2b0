"""Error codes classified by meaning (issue 21): the class follows the documented meaning of the
code as well as the status, `str(err)` gives the documented action, and the gateway's codes
(`APIGW.0101` a wrong endpoint, `APIGW.0301` "signature expired" clock skew) read as they mean."""

from __future__ import annotations

import json
from typing import Any

import httpx
import pytest

from generator.extensions.error_codes import MEANINGS
from templates.runtime.errors import (
    MEANING_CLASSES,
    AlreadyExistsError,
    APIStatusError,
    AuthenticationError,
    BadRequestError,
    ConflictError,
    DocumentedError,
    EndpointError,
    InternalServerError,
    InvalidStateError,
    NotFoundError,
    QuotaExceededError,
    RateLimitError,
    error_class,
    status_error,
)

URL = "https://dayu-dlf.ap-southeast-1.myhuaweicloud.com/v1/p/jobs/job_batch/start"
FACTORY = "https://dayu.{region}.myhuaweicloud.com"
TOKEN = "MIIToken-Sup3rSecret-Value-0123456789"


def row(code: str, status: int, meaning: str, **more: Any) -> DocumentedError:
    return DocumentedError(code, status, f"{code} message", f"{code} summary",
                           f"{code} description", f"{code} action.", meaning, **more)


SIGNATURE_EXPIRED = row(
    "APIGW.0301", 401, "unauthenticated", message_contains="signature expired")
TABLE = {
    "DLF.0100": DocumentedError(
        "DLF.0100", 400, "The job does not exist.", "The job does not exist.",
        "The job does not exist.", "Check whether the job exists.", "not-found"),
    "DLF.0102": row("DLF.0102", 400, "already-exists"),
    "Cdm.0052": row("Cdm.0052", 400, "invalid-state"),
    "DLF.0101": row("DLF.0101", 400, "quota-exceeded"),
    "Cdm.0000": row("Cdm.0000", 400, "server-error"),
    "Cdm.0950": row("Cdm.0950", 400, "operation-failed"),
    "X.0429": row("X.0429", 400, "throttled"),
    "DLF.6201": row("DLF.6201", 400, "not-found"),
    "CDM.5090": row("CDM.5090", 400, "invalid-state"),
    "APIGW.0101": DocumentedError(
        "APIGW.0101", 404, "The API does not exist or has not been published in the environment.",
        "The API does not exist or has not been published in the environment.",
        "No API at the host matches.", "Check the endpoint.", "wrong-endpoint"),
    "APIGW.0103": row("APIGW.0103", 404, "server-error"),
    "APIGW.0201": row("APIGW.0201", 400, "invalid-request",
                      cases=(row("APIGW.0201", 502, "server-error"),)),
    "APIGW.0301": DocumentedError(
        "APIGW.0301", 401, "Incorrect IAM authentication information.",
        "Incorrect IAM authentication information.", "Wrong credentials.",
        "Check the token or the AK/SK pair.", "unauthenticated",
        cases=(DocumentedError(
            "APIGW.0301", 401, "... signature expired", "The request signature has expired.",
            "The signing time is more than 15 minutes off: the likely cause is clock skew.",
            "Synchronise this computer's clock (NTP) and retry.", "unauthenticated",
            message_contains="signature expired"),)),
    "APIGW.0308": row("APIGW.0308", 429, "throttled"),
    "APIGW.0501": row("APIGW.0501", 405, "quota-exceeded"),
}


def answer(status: int, body: Any, *, headers: dict[str, str] | None = None,
           url: str = URL) -> httpx.Response:
    content = body if isinstance(body, bytes) else json.dumps(body).encode()
    return httpx.Response(status, content=content,
                          headers={"Content-Type": "application/json", **(headers or {})},
                          request=httpx.Request("POST", url, headers={"X-Auth-Token": TOKEN}))


def error(status: int, code: str, message: str = "m", **kwargs: Any) -> APIStatusError:
    return status_error(answer(status, {"error_code": code, "error_msg": message}), TABLE,
                        **kwargs)


# --- the class: meaning and status --------------------------------------------------------------


def test_a_400_does_not_exist_is_a_not_found_error_and_a_bad_request_error() -> None:
    exc = error(400, "DLF.0100", "The job does not exist.")
    assert isinstance(exc, NotFoundError) and isinstance(exc, BadRequestError)
    assert type(exc).__name__ == "NotFoundError"  # tracebacks name the meaning
    assert exc.documented is TABLE["DLF.0100"]
    with pytest.raises(NotFoundError):  # what the README's example catches
        raise exc


def test_the_cdm_shape_is_classified_too() -> None:
    body = {"errCode": "DLF.0100", "externalMessage": "Job[x] doesn't exist."}
    assert isinstance(status_error(answer(400, body), TABLE), NotFoundError)


@pytest.mark.parametrize(
    ("status", "code", "classes"),
    [
        (400, "DLF.0102", (AlreadyExistsError, ConflictError, BadRequestError)),
        (409, "DLF.0102", (AlreadyExistsError, ConflictError)),
        (400, "Cdm.0052", (InvalidStateError, ConflictError, BadRequestError)),
        (400, "CDM.5090", (InvalidStateError, BadRequestError)),
        (400, "DLF.0101", (QuotaExceededError, BadRequestError)),
        (400, "X.0429", (RateLimitError, BadRequestError)),
        (429, "APIGW.0308", (RateLimitError,)),
        (405, "APIGW.0501", (QuotaExceededError,)),
        (400, "Cdm.0000", (InternalServerError, BadRequestError)),
        (400, "Cdm.0950", (BadRequestError,)),  # operation-failed: the status's class alone
        (502, "APIGW.0201", (InternalServerError,)),
        (401, "APIGW.0301", (AuthenticationError,)),
    ],
)
def test_the_class_follows_the_meaning_and_the_status(
    status: int, code: str, classes: tuple[type[APIStatusError], ...]
) -> None:
    exc = error(status, code)
    assert all(isinstance(exc, cls) for cls in classes), type(exc).__mro__
    assert exc.status_code == status and exc.error_code == code


@pytest.mark.parametrize(("code", "cls"), [("APIGW.0101", EndpointError),
                                           ("APIGW.0103", InternalServerError)])
def test_a_404_whose_code_means_something_else_is_no_not_found_error(
    code: str, cls: type[APIStatusError]
) -> None:
    exc = error(404, code)
    assert isinstance(exc, cls) and not isinstance(exc, NotFoundError)


def test_a_404_without_a_documented_code_stays_a_not_found_error() -> None:
    assert type(error(404, "Cdm.9999")) is NotFoundError
    assert type(status_error(answer(404, b""), TABLE)) is NotFoundError


def test_an_unknown_meaning_leaves_the_status_class() -> None:
    exc = status_error(answer(400, {"error_code": "N.1"}), {"N.1": row("N.1", 400, "new-one")})
    assert type(exc) is BadRequestError


def test_combined_classes_are_made_once() -> None:
    assert error_class(BadRequestError, NotFoundError) is error_class(BadRequestError,
                                                                      NotFoundError)
    assert error_class(NotFoundError, EndpointError) is EndpointError


def test_the_runtime_knows_every_meaning_the_generator_accepts() -> None:
    assert list(MEANING_CLASSES) == list(MEANINGS)


# --- the documented entry: code spellings and cases ---------------------------------------------


@pytest.mark.parametrize("spelt", ["DLF6201", "dlf.6201", "Cdm.5090"])
def test_a_code_spelt_otherwise_finds_its_entry(spelt: str) -> None:
    exc = error(400, spelt)
    assert exc.documented is not None and exc.error_code == spelt
    assert exc.documented.code in ("DLF.6201", "CDM.5090")


def test_the_row_of_the_answers_status_is_chosen() -> None:
    assert error(400, "APIGW.0201").documented is TABLE["APIGW.0201"]
    unavailable = error(502, "APIGW.0201")
    assert unavailable.documented is TABLE["APIGW.0201"].cases[0]
    assert isinstance(unavailable, InternalServerError)


def test_signature_expired_names_clock_skew() -> None:
    message = ("Incorrect IAM authentication information: calc ak sk signature fail:Signature "
               "Expired, signature time:20230527T000431Z,server time:20230527T020608Z")
    exc = error(401, "APIGW.0301", message)
    assert isinstance(exc, AuthenticationError)
    assert exc.documented is TABLE["APIGW.0301"].cases[0]
    assert "clock" in str(exc) and "Synchronise this computer's clock" in str(exc)
    other = error(401, "APIGW.0301", "Incorrect IAM authentication information: decrypt token fail")
    assert other.documented is TABLE["APIGW.0301"] and "clock" not in str(other)


# --- str(err): the documented action, one line, no secret ---------------------------------------


def test_str_gives_the_documented_action() -> None:
    exc = status_error(answer(400, {"error_code": "DLF.0100", "error_msg": "The job does not exist."},
                              headers={"X-Request-Id": "r-1"}), TABLE)
    assert str(exc) == ("HTTP 400 DLF.0100: The job does not exist. Action: Check whether the "
                        "job exists. (request id r-1)")


def test_str_is_one_line_and_masks_the_credentials_the_request_carried() -> None:
    message = f"Incorrect IAM authentication information:\n token {TOKEN}\r\n not valid"
    exc = error(401, "APIGW.0301", message)
    assert "\n" not in str(exc) and "\r" not in str(exc)
    assert TOKEN not in str(exc) and TOKEN not in (exc.error_message or "")
    assert "Check the token or the AK/SK pair." in str(exc)


def test_an_echoed_access_key_is_masked() -> None:
    ak = "HPUAEXAMPLEAK0000001"
    request = httpx.Request("GET", URL, headers={
        "Authorization": f"SDK-HMAC-SHA256 Access={ak}, SignedHeaders=host;x-sdk-date, "
                         "Signature=9b04ecb353cfbfd71bc7d50befa3d04e"})
    response = httpx.Response(401, json={"error_code": "APIGW.0301", "error_msg":
                                         f"Incorrect IAM authentication information: ak {ak} not exist"},
                              request=request)
    exc = status_error(response, TABLE)
    assert ak not in str(exc) and "not exist" in str(exc)


def test_without_a_server_message_the_documented_summary_is_shown() -> None:
    exc = status_error(answer(400, {"error_code": "DLF.0102"}), TABLE)
    assert str(exc) == "HTTP 400 DLF.0102: DLF.0102 summary Action: DLF.0102 action."


def test_a_wrong_endpoint_names_the_host_used_and_the_one_documented() -> None:
    exc = status_error(answer(404, {"error_code": "APIGW.0101", "error_msg": (
        "The API does not exist or has not been published in the environment.")},
        url="https://dayu-dlf.ap-southeast-1.myhuaweicloud.com/v2/p/factory/supplement-data"),
        TABLE, served_on=FACTORY)
    assert isinstance(exc, EndpointError) and not isinstance(exc, NotFoundError)
    text = str(exc)
    assert "Action: Check the endpoint." in text
    assert "went to dayu-dlf.ap-southeast-1.myhuaweicloud.com" in text
    assert f"served on {FACTORY}" in text


# --- array-wrapped bodies -----------------------------------------------------------------------


@pytest.mark.parametrize("body", [
    {"errors": [{"error_code": "DLF.6201", "error_msg": "The script does not exist."}]},
    {"errors": [{"error_code": "DLF.6201", "error_msg": "The script does not exist."}],
     "message": "Bad Request"},
    {"request_id": "r", "errors": [{"error_code": "DLF.6201", "error_msg": "The script does not exist."}]},
])
def test_an_array_wrapped_body_reads_like_the_flat_shape(body: dict[str, Any]) -> None:
    exc = status_error(answer(400, body), TABLE)
    assert (exc.error_code, exc.error_message) == ("DLF.6201", "The script does not exist.")
    assert isinstance(exc, NotFoundError) and exc.documented is TABLE["DLF.6201"]


def test_a_wrapped_code_without_a_message_borrows_the_outer_one() -> None:
    exc = status_error(answer(400, {"message": "Script gone", "errors": [{"error_code": "DLF.6201"}]}),
                       TABLE)
    assert (exc.error_code, exc.error_message) == ("DLF.6201", "Script gone")
