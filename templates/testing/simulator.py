"""`Simulator`: CDM, DLF and LakeFormation in one object, answering requests from their specs.

A request is routed by method and path to an operation of the shipped specs (unknown: the API
gateway's 404), authenticated (a token, or an AK/SK signature when credentials are configured),
possibly hit by an injected fault, checked against the operation's parameters and body schema
(the service's 400 when it does not fit), and answered by the operation's state machine, or, for
an operation without one, by a generic answer made from the spec.
"""

from __future__ import annotations

import threading
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from http import HTTPStatus
from typing import TYPE_CHECKING, Any

import httpx

from dataarts._runtime.waiters import CLOCK_SPEED_HEADER

from .answers import (
    GATEWAY_NOT_FOUND,
    GATEWAY_THROTTLED,
    INTERNAL_ERROR_CODES,
    REQUEST_ID_HEADER,
    Answer,
    ApiError,
    GatewayError,
    error_answer,
    gateway_answer,
    json_answer,
    new_request_id,
)
from .auth_check import check_credentials
from .cdm_state import CdmState, cdm
from .clock import Clock, FastClock
from .dlf_state import DlfState, dlf
from .faults import Fault, Faults, html_page
from .generic import generic_answer, success_media
from .handlers import HANDLERS
from .incoming import SimRequest, read_call
from .spec import Api, Operation, ServiceSpec, load_api
from .world import Timings, World

if TYPE_CHECKING:
    from .server import SimulatorServer

__all__ = ["CallRecord", "Simulator"]

MAX_CALLS = 100_000  # calls kept in `Simulator.calls`: a long-running server forgets the oldest


@dataclass(frozen=True)
class CallRecord:
    """One request the simulator received, as tests want to count them."""

    method: str
    path: str
    operation_id: str | None  # None: no operation has this path and method
    service: str | None
    status: int  # 0 when the connection was dropped without an answer
    fault: str | None  # the injected fault's kind, if one hit the call


class Simulator:
    """The state of CDM, DLF and LakeFormation for any project id, and their API.

    `clock`: a `FastClock` (default) or `ManualClock`. `credentials`: a mapping AK -> SK; when
    given, every request needs an `X-Auth-Token` or a valid AK/SK signature. `faults`: a
    `Faults` (or a list of `Fault`) to start with; `sim.faults` adds more. `timings`: how long
    clusters, runs and instances take in virtual seconds. `check_responses`: check every answer
    against the spec and collect what does not fit in `problems` (tests turn it on).
    """

    def __init__(
        self,
        *,
        clock: Clock | None = None,
        credentials: Mapping[str, str] | None = None,
        faults: Faults | Iterable[Fault] | None = None,
        timings: Timings | None = None,
        seed: int = 0,
        check_responses: bool = False,
        api: Api | None = None,
    ) -> None:
        self.clock: Clock = clock if clock is not None else FastClock()
        self.credentials = dict(credentials) if credentials is not None else None
        self.faults = faults if isinstance(faults, Faults) else Faults(list(faults or ()))
        self.api = api if api is not None else load_api()
        self.world = World(self.api, self.clock, timings or Timings(), seed)
        self.check_responses = check_responses
        self.problems: list[str] = []
        self.calls: list[CallRecord] = []
        self._lock = threading.RLock()

    def __repr__(self) -> str:
        auth = "AK/SK" if self.credentials is not None else "open"
        return f"Simulator(clock={self.clock!r}, auth={auth}, faults={len(self.faults.active)})"

    # -- state helpers -----------------------------------------------------------------------

    @property
    def cdm(self) -> CdmState:
        """CDM's clusters, links and jobs (e.g. `sim.cdm.fail_next_run("job")`)."""
        return cdm(self.world)

    @property
    def dlf(self) -> DlfState:
        """DLF's scripts, resources, connections, jobs and instances."""
        return dlf(self.world)

    def reset(self) -> None:
        """Forget every resource, fault and recorded call."""
        with self._lock:
            self.world.services.clear()
            self.faults.clear()
            self.calls.clear()
            self.problems.clear()

    def calls_to(self, operation_id: str) -> list[CallRecord]:
        """The recorded calls of one operation (`"CreateJob"` or `"cdm.CreateJob"`)."""
        service, _, name = operation_id.rpartition(".")
        return [
            c for c in self.calls if c.operation_id == name and service in ("", c.service or "")
        ]

    # -- ways in -----------------------------------------------------------------------------

    def transport(self) -> httpx.BaseTransport:
        """An httpx transport answering in-process: `httpx.Client(transport=sim.transport())`."""
        from .transport import SimulatorTransport

        return SimulatorTransport(self)

    def async_transport(self) -> httpx.AsyncBaseTransport:
        """The same for `httpx.AsyncClient`."""
        from .transport import AsyncSimulatorTransport

        return AsyncSimulatorTransport(self)

    def serve(self, host: str = "127.0.0.1", port: int = 0) -> SimulatorServer:
        """Serve over HTTP in a background thread; use as `with sim.serve() as server:`."""
        from .server import SimulatorServer

        return SimulatorServer(self, host, port)

    # -- answering ---------------------------------------------------------------------------

    def handle(self, request: SimRequest) -> Answer:
        """The answer to one request (faults that act on the connection are marked on it)."""
        with self._lock:
            routed = self.api.route(request.method, request.raw_path)
            op: Operation | None = None
            if routed is None:
                answer = gateway_answer(GatewayError(404, *GATEWAY_NOT_FOUND))
            else:
                op, values = routed
                answer = self._authenticated(self.api.services[op.service], op, values, request)
            answer.headers.setdefault(REQUEST_ID_HEADER, new_request_id())
            speed = getattr(self.clock, "speed", None)  # a FastClock's; waiters pace by it
            if speed is not None:
                answer.headers[CLOCK_SPEED_HEADER] = f"{speed:g}"
            self.calls.append(
                CallRecord(
                    request.method,
                    request.raw_path,
                    op.operation_id if op else None,
                    op.service if op else None,
                    0 if answer.disconnect else answer.status,
                    answer.fault,
                )
            )
            if len(self.calls) > MAX_CALLS:
                del self.calls[: len(self.calls) - MAX_CALLS]
            return answer

    def _authenticated(
        self, service: ServiceSpec, op: Operation, values: dict[str, str], request: SimRequest
    ) -> Answer:
        try:
            check_credentials(request, self.credentials)
        except GatewayError as error:
            return gateway_answer(error)
        fault = self.faults.pick(op)
        if fault is None:
            return self._operation(service, op, values, request)
        if fault.kind in ("throttle", "html") or (
            fault.kind in ("error", "drop") and not fault.after
        ):
            answer = self._fault_answer(service, fault)
        else:
            answer = self._operation(service, op, values, request)
            if fault.kind == "error":
                answer = self._fault_answer(service, fault)
            answer.delay = fault.seconds if fault.kind == "slow" else 0.0
            answer.truncate = fault.kind == "truncate"
        answer.disconnect = fault.kind == "drop"
        answer.fault = fault.kind
        return answer

    def _fault_answer(self, service: ServiceSpec, fault: Fault) -> Answer:
        status = int(fault.status or 500)
        if fault.kind == "throttle":
            headers = {}
            if fault.retry_after is not None:
                headers["Retry-After"] = f"{fault.retry_after:g}"
            return gateway_answer(GatewayError(429, *GATEWAY_THROTTLED), headers)
        if fault.kind == "html":
            return Answer(status, html_page(status, _phrase(status)), "text/html")
        if fault.kind == "drop":
            return Answer(0)
        code, message = INTERNAL_ERROR_CODES.get(service.name, (str(status), ""))
        message = fault.message or message or _phrase(status)
        return error_answer(service, ApiError(fault.code or code, status=status, message=message))

    def _operation(
        self, service: ServiceSpec, op: Operation, values: dict[str, str], request: SimRequest
    ) -> Answer:
        try:
            call = read_call(service, op, request, values, self.clock.now())
            handler = HANDLERS.get((op.service, op.operation_id))
            if handler is None:
                answer = generic_answer(service, op)
            else:
                answer = self._success(op, handler(self.world, call))
        except ApiError as error:
            answer = error_answer(service, error)
        if self.check_responses:
            self.problems += response_problems(service, op, answer)
        return answer

    def _success(self, op: Operation, data: Any) -> Answer:
        if isinstance(data, Answer):
            return data
        media_type, _ = success_media(op)
        if media_type is None:
            return Answer(op.success_status)
        if isinstance(data, bytes):
            return Answer(op.success_status, data, media_type)
        return json_answer(op.success_status, data)


def _phrase(status: int) -> str:
    try:
        return HTTPStatus(status).phrase
    except ValueError:  # a status http.HTTPStatus does not name
        return ""


def response_problems(service: ServiceSpec, op: Operation, answer: Answer) -> list[str]:
    """What in `answer` the operation's spec does not allow (status, content, body schema)."""
    label = f"{op.service}.{op.operation_id} {answer.status}"
    response = op.responses.get(str(answer.status)) or op.responses.get("default")
    if response is None:
        return [f"{label}: status not documented"]
    content: Mapping[str, Any] = response.get("content") or {}
    if not content:
        return [] if not answer.body else [f"{label}: a body where none is documented"]
    answered = (answer.content_type or "").split(";")[0].strip()
    if answered in content and "json" not in answered:
        return []  # a documented file answer (ExportJob documents a zip and JSON)
    media = content.get("application/json")
    if media is None:
        media_type = next(iter(content))
        ok = (answer.content_type or "").startswith(media_type)
        return [] if ok else [f"{label}: content type {answer.content_type}, not {media_type}"]
    if answer.data is None:
        return [f"{label}: no JSON body"]
    problems = service.validator.check(media.get("schema") or {}, answer.data, "body", "response")
    return [f"{label}: {problem}" for problem in problems]
