"""Every recorded fixture, replayed through the generated sync and async clients.

For each fixture the generated method is found through the generator's IR, called with
arguments built from the fixture's request (the body once as a plain dict, once as the
generated request model), and a MockTransport checks that exactly the fixture's request goes
out and answers with the fixture's response. Success responses must parse into the declared
type and dump back to the fixture's body; error responses must raise the matching
`APIStatusError` subclass carrying the error code, message and request id.
"""

from __future__ import annotations

import importlib
from typing import Any

import pytest

import dataarts
from tests.contract import support as s
from tests.spec import fixturelib as fl

# Fixtures whose contract cases reveal a bug in the generator, templates or runtime, each with
# the bug: every case of the fixture (sync and async, dict and model body) is a strict xfail.
# Empty now: the two bugs these tests found (the lenient response fallback crashing on a nested
# model's unresolved forward reference; no message read from CDM's link-validation body) were
# fixed in templates/runtime, and cdm/ShowClusterDetail.200, dlf/ShowJob.200,
# cdm/CreateLink.500 and cdm/UpdateLink.500 now guard against their return.
KNOWN_BUGS: dict[str, str] = {}


# Error bodies that mix documented shapes, and what a careful reader takes from each as
# (error code, error message).
MIXED_ERROR_BODIES: dict[str, tuple[str | None, str | None]] = {
    # CDM long form: `code` and `errCode` agree; the document misspells `externalMessage` as
    # `ternalMessage`, so the message is the long form's `message` (the same text).
    "cdm/CreateJob.400": ("Cdm.0104", "Job name already exist or created by other."),
    # `code` Cdm.0095 and `errCode` Cdm.00095 disagree. `errCode` is CDM's error-code field
    # (section 7.4.1; the spec's CdmError says `code` is "normally equal to errCode"), so it wins.
    "cdm/UpdateJob.400": ("Cdm.00095", "A job with the name obs-obs does not exist."),
    # API gateway answer: top-level `error_code`/`error_msg`, repeated in a nested `error`
    # object as `code`/`message` (whose own error_code/error_msg are null); both say the same.
    "lakeformation/CreateLakeFormationJob.403": ("403", "X-Auth-Token is invalid in the request"),
}

# Names in `dataarts`.
ERROR_CLASSES = {
    400: "BadRequestError",
    401: "AuthenticationError",
    403: "PermissionDeniedError",
    404: "NotFoundError",
    408: "RequestTimeoutError",
    409: "ConflictError",
    429: "RateLimitError",
}


# The class a documented code's meaning adds (spec/README.md, "Error codes and their meaning").
MEANING_CLASSES = {
    "not-found": "NotFoundError",
    "already-exists": "AlreadyExistsError",
    "invalid-state": "InvalidStateError",
    "throttled": "RateLimitError",
    "quota-exceeded": "QuotaExceededError",
    "unauthenticated": "AuthenticationError",
    "permission-denied": "PermissionDeniedError",
    "wrong-endpoint": "EndpointError",
    "invalid-request": "BadRequestError",
    "server-error": "InternalServerError",
    "operation-failed": "APIStatusError",
}
# Statuses whose class claims a meaning: a code meaning something else replaces it.
CLAIMING = {401, 403, 404, 409, 429}


def error_class_name(status: int) -> str:
    return ERROR_CLASSES.get(status, "InternalServerError" if status >= 500 else "APIStatusError")


def expected_classes(sdk: Any, status: int, meaning: str | None) -> tuple[list[type], list[type]]:
    """(classes the error must be an instance of, classes it must not be)."""
    by_status = getattr(sdk, error_class_name(status))
    if meaning is None:
        return [by_status], []
    by_meaning = getattr(sdk, MEANING_CLASSES[meaning])
    if status in CLAIMING and not issubclass(by_meaning, by_status):
        return [by_meaning], [by_status]
    return [by_meaning, by_status], []


def _params(success: bool) -> list[Any]:
    params = []
    for case in s.cases():
        if s.is_success(case.fx) != success:
            continue
        bug = KNOWN_BUGS.get(s.fixture_key(case.fx))
        marks = [pytest.mark.xfail(strict=True, reason=bug)] if bug else []
        params.append(pytest.param(case, id=case.id, marks=marks))
    return params


def _link_validation_message(body: dict[str, Any]) -> str:
    """The one message of a link-validation body: validation-result[].<config group>[].message."""
    messages = [
        entry["message"]
        for result in body["validation-result"]
        for group in result.values()
        for entry in group
        if entry.get("message")
    ]
    assert len(messages) == 1, messages
    return messages[0]  # type: ignore[no-any-return]


def expected_error(fx: s.fl.Fixture) -> tuple[str | None, str | None]:
    """The (error code, error message) a careful reader takes from the fixture's error body."""
    key = s.fixture_key(fx)
    body = fx.data["response"].get("body")
    if isinstance(body, dict) and set(body) == {"validation-result"}:
        # CDM link validation failure (tables 5-142/5-165, spec LinkValidationError): no error
        # code; the message is the one inside validation-result[].linkConfig[].
        return None, _link_validation_message(body)
    if key in MIXED_ERROR_BODIES:
        return MIXED_ERROR_BODIES[key]
    if body is None:
        return None, None
    if set(body) <= {"error_code", "error_msg"}:  # DLF and the API gateway (section 3.3)
        return body.get("error_code"), body.get("error_msg")
    if set(body) <= {"errCode", "externalMessage", "code", "message"}:  # CDM (7.4.1)
        if "code" in body:
            assert body["code"] == body["errCode"], f"{key}: add it to MIXED_ERROR_BODIES"
            assert body["message"] == body["externalMessage"], f"{key}: add it to MIXED_ERROR_BODIES"
        return body.get("errCode"), body.get("externalMessage")
    raise AssertionError(f"{key}: unclassified error body; add it to MIXED_ERROR_BODIES")


def _send(case: s.Case) -> tuple[s.Server, Any, BaseException | None]:
    target = case.target
    call = s.build_call(case.fx, target, case.body)
    server = s.Server(s.fixture_reply(case.fx, target))
    try:
        return server, s.invoke(target, case.flavor, call, server), None
    except Exception as exc:  # noqa: BLE001 - inspected by the caller
        return server, None, exc


def _assert_one_matching_request(server: s.Server, case: s.Case) -> None:
    assert len(server.requests) == 1, f"{len(server.requests)} requests sent"
    problems = s.request_mismatches(
        server.requests[0], case.fx, case.target, server.origin, as_model=case.body == "model"
    )
    assert not problems, "\n".join(problems)


@pytest.mark.filterwarnings("error:Pydantic serializer warnings:UserWarning")
@pytest.mark.parametrize("case", _params(success=True))
def test_success_fixture(case: s.Case) -> None:
    sdk = dataarts
    server, result, error = _send(case)
    _assert_one_matching_request(server, case)
    op = case.target.op
    if op.response_kind == "model" and "body" not in case.fx.data["response"]:
        # The document shows only the status (ExecuteScript.200): an empty body where JSON
        # is documented has nothing to read, so it raises (issue 9) instead of returning an
        # empty model.
        assert isinstance(error, sdk.ResponseValidationError), repr(error)
        assert error.request_id == s.request_id(case.fx)
        return
    if error is not None:
        raise error
    if op.response_kind == "none":
        assert result is None
        return
    if op.response_kind == "binary":
        assert result == s.BINARY_CONTENT
        return
    declared = s.resolve_type(case.target.service, op.response_type)
    assert s.is_instance(result, declared), f"{type(result).__name__} is not {op.response_type}"
    expected = fl.wire_bodies(case.fx)[1]  # a documented spelling is read into the wire's
    mismatches = s.json_mismatches(
        s.dump(result, declared),
        expected,
        loose=lambda pointer: s.allowlisted(case.fx, "/response/body" + pointer),
    )
    assert not mismatches, "\n".join(mismatches)


@pytest.mark.filterwarnings("error:Pydantic serializer warnings:UserWarning")
@pytest.mark.parametrize("case", _params(success=False))
def test_error_fixture(case: s.Case) -> None:
    sdk = dataarts
    server, _, error = _send(case)
    _assert_one_matching_request(server, case)
    status = case.fx.data["response"]["status"]
    assert isinstance(error, sdk.APIStatusError)
    assert error.status_code == status
    assert error.request_id == s.request_id(case.fx)
    assert (error.error_code, error.error_message) == expected_error(case.fx)
    # the service's error-code table (7.4) reaches the exception: the entry of its code (or
    # of the case of it that the answer's status fits)
    entry = _documented(case.target.service.name, error.error_code)
    rows = (entry, *entry.cases) if entry is not None else (None,)
    assert error.documented in rows
    # the class: the status's, and the code's documented meaning's
    meaning = error.documented.meaning if error.documented is not None else None
    must, must_not = expected_classes(sdk, status, meaning)
    assert all(isinstance(error, cls) for cls in must), f"raised {error!r}, expected {must}"
    assert not any(isinstance(error, cls) for cls in must_not), f"raised {error!r}"


def _documented(service: str, code: str | None) -> Any:
    """The table's entry for a code as the answer spells it: the documents' examples write
    `DLF0100` for `DLF.0100` (letters and digits compared, case ignored)."""
    def squeezed(text: str) -> str:
        return "".join(c for c in text.casefold() if c.isalnum())

    table = _documented_codes(service)
    return next((e for listed, e in table.items() if code and squeezed(listed) == squeezed(code)),
                None)


def _documented_codes(service: str) -> dict[str, Any]:
    try:
        return dict(importlib.import_module(f"dataarts.{service}.error_codes").ERROR_CODES)
    except ModuleNotFoundError:
        return {}


def test_some_recorded_errors_are_documented_codes() -> None:
    """The fixtures include errors with table codes (Cdm.0104, DLF.0100), so the check above bites."""
    found = {
        body.get("errCode") or body.get("error_code")
        for fx in s.all_fixtures()
        if isinstance(body := fx.data["response"].get("body"), dict)
    }
    documented = set(_documented_codes("cdm")) | set(_documented_codes("dlf"))
    assert len(found & documented) >= 3, sorted(found & documented)


@pytest.mark.parametrize("flavor", s.FLAVORS)
def test_every_operation_has_a_contract_case(flavor: str) -> None:
    covered = {c.target.key for c in s.cases() if c.flavor == flavor and s.target_of(c.fx)}
    missing = sorted(set(s.targets()) - covered)
    assert not missing, f"IR operations no fixture exercises ({flavor}): {missing}"


def test_every_fixture_names_an_ir_operation() -> None:
    unknown = [s.fixture_key(fx) for fx in s.all_fixtures() if s.target_of(fx) is None]
    assert not unknown, f"fixtures whose operation is not in the IR: {unknown}"
