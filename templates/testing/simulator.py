"""`Simulator`: CDM, DLF and LakeFormation in one object, answering requests from their specs.

A request is routed by method and path to an operation of the shipped specs (unknown: the API
gateway's 404), authenticated (a token, or an AK/SK signature when credentials are configured),
possibly hit by an injected fault, checked against the operation's parameters and body schema
(the service's 400 when it does not fit), and answered by its service's handler over a backend
(`services.ROUTES`), or, for an operation without one, by a generic answer made from the spec.
Paths under `/_simulator/` are the control API (`control`), outside all of that. Every answer
is dated (`Date`) on the simulator's clock, as a real server dates its answers on its own.
"""

from __future__ import annotations

import difflib
import threading
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from http import HTTPStatus
from typing import TYPE_CHECKING, Any, cast

import httpx

from dataarts._runtime.waiters import CLOCK_SPEED_HEADER

from . import control
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
    http_date,
    json_answer,
    new_request_id,
)
from .auth_check import check_credentials
from .cdm.backend import CdmBackend
from .clock import Clock, FastClock
from .dlf.backend import DlfBackend
from .environment import Environment, Timings
from .faults import Fault, Faults, html_page
from .generic import generic_answer, success_media
from .incoming import SimRequest, read_call
from .lakeformation.backend import LakeFormationBackend
from .obs import ObjectStore
from .services import ROUTES, new_backends
from .spec import Api, Operation, ServiceSpec, load_api

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

    Each service's state and rules are a backend, callable from Python: `sim.cdm`, `sim.dlf`,
    `sim.lakeformation`; `sim.obs` holds the files operations read from OBS.
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
        self.check_responses = check_responses
        self.problems: list[str] = []
        self.calls: list[CallRecord] = []
        self.obs = ObjectStore()
        self._seed = seed
        self._env = Environment(self.clock, timings, seed)
        self._backends = new_backends(self._env, self.api, self.obs)
        self._lock = threading.RLock()

    def __repr__(self) -> str:
        auth = "AK/SK" if self.credentials is not None else "open"
        return f"Simulator(clock={self.clock!r}, auth={auth}, faults={len(self.faults.active)})"

    # -- the backends ------------------------------------------------------------------------

    @property
    def cdm(self) -> CdmBackend:
        """CDM's clusters, links, jobs and runs (`sim.cdm.create_cluster("p1", normal=True)`)."""
        return cast(CdmBackend, self._backends["cdm"])

    @property
    def dlf(self) -> DlfBackend:
        """DataArts Factory's workspaces (`sim.dlf.workspace("p1", "ws").create_job(...)`)."""
        return cast(DlfBackend, self._backends["dlf"])

    @property
    def lakeformation(self) -> LakeFormationBackend:
        """LakeFormation's jobs."""
        return cast(LakeFormationBackend, self._backends["lakeformation"])

    @property
    def timings(self) -> Timings:
        """How long things take (virtual seconds); set it to change what is planned from now."""
        return self._env.timings

    @timings.setter
    def timings(self, timings: Timings) -> None:
        self._env.timings = timings

    @property
    def lock(self) -> threading.RLock:
        """Held while a request is answered; hold it to change state while a server runs."""
        return self._lock

    def reset(self) -> None:
        """Forget every resource, OBS file, fault and recorded call (settings stay)."""
        with self._lock:
            self._env = Environment(self.clock, self._env.timings, self._seed)
            self._backends = new_backends(self._env, self.api, self.obs)
            self.obs.clear()
            self.faults.clear()
            self.calls.clear()
            self.problems.clear()

    def calls_to(self, operation: str) -> list[CallRecord]:
        """The recorded calls of one operation: `"cdm.CreateJob"`, or `"CreateJob"` for the
        operations of that id in every service. ValueError for a name no spec has."""
        service, _, name = operation.rpartition(".")
        if not self.api.find(name, service or None):
            labels = sorted({f"{op.service}.{op.operation_id}" for op in self.api.operations})
            ids = sorted({op.operation_id for op in self.api.operations})
            near = difflib.get_close_matches(operation, labels + ids, n=3)
            hint = f"; did you mean {', '.join(near)}?" if near else ""
            raise ValueError(f"no operation {operation!r} in the simulator's specs{hint}")
        with self._lock:
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
        # the answer's Date is the virtual clock's when the request came: work the request starts
        # (a job instance) is never dated before it, as waiters compare (not_before)
        date = http_date(self.clock.now())
        if request.raw_path.startswith(control.PREFIX):
            with self._lock:
                answer = control.answer(self, request)
            answer.headers.setdefault("Date", date)
            return answer
        with self._lock:
            routed = self.api.route(request.method, request.raw_path)
            op: Operation | None = None
            if routed is None:
                answer = gateway_answer(GatewayError(404, *GATEWAY_NOT_FOUND))
            else:
                op, values = routed
                answer = self._authenticated(self.api.services[op.service], op, values, request)
            answer.headers.setdefault(REQUEST_ID_HEADER, new_request_id())
            answer.headers.setdefault("Date", date)
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
        self,
        service: ServiceSpec,
        op: Operation,
        values: dict[str, str],
        request: SimRequest,
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
        self,
        service: ServiceSpec,
        op: Operation,
        values: dict[str, str],
        request: SimRequest,
    ) -> Answer:
        try:
            call = read_call(service, op, request, values)
            route = ROUTES.get(op.service)
            handler = route.handler(op.operation_id) if route is not None else None
            if route is None or handler is None:
                answer = generic_answer(service, op)
            else:
                answer = self._success(op, handler(self._backends[route.backend], call))
        except ApiError as error:
            answer = error_answer(service, _documented(op, error))
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


def _documented(op: Operation, error: ApiError) -> ApiError:
    """`error` at a status the operation documents: a backend's 404 (a missing CDM cluster)
    is answered 400 where the operation lists neither 404 nor a default response, as the
    documents answer every code of their error tables (CDM 7.4.1, DLF 7.4.2) with 400.
    """
    if str(error.status) in op.responses or "default" in op.responses:
        return error
    error.status = 400
    return error


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
