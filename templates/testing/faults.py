"""Fault injection: make chosen calls fail the ways real networks and gateways fail.

    sim.faults.throttle("StartJob", retry_after=2)      # 429 APIGW.0308 with Retry-After: 2
    sim.faults.error("CreateJob", status=503, after=True)  # the job is created, then a 503
    sim.faults.slow("ShowJobStatus", seconds=1.5)       # answers 1.5 s (real time) late
    sim.faults.drop("cdm.StartJob", on_call=2)          # the 2nd call: connection closed
    sim.faults.truncate("ShowJobs")                     # the body stops half way
    sim.faults.html(status=502)                         # an HTML error page, any operation

`operation` is an operationId (`"StartJob"`, either service's) or `"<service>.<operationId>"`
(`"cdm.StartJob"`); None matches every operation. A fault counts the matching calls from the
moment it is added: `on_call=N` hits the Nth of them (default: the first), and `times` says how
many calls in a row it hits from there (None: all of them). `after=True` (error, drop) lets the
operation take effect before the failure, the case that makes resending a POST dangerous.
"""

from __future__ import annotations

import threading
from collections.abc import Mapping
from dataclasses import dataclass, field, fields
from typing import Any, Literal

from .spec import Operation

__all__ = ["Fault", "FaultKind", "FaultMaker", "Faults", "html_page"]

FaultKind = Literal["throttle", "error", "slow", "drop", "truncate", "html"]
KINDS: tuple[str, ...] = ("throttle", "error", "slow", "drop", "truncate", "html")
# What each kind takes besides `operation`, `on_call` and `times`.
KIND_FIELDS: dict[str, tuple[str, ...]] = {
    "throttle": ("retry_after",),
    "error": ("status", "after", "code", "message"),
    "slow": ("seconds",),
    "drop": ("after",),
    "truncate": (),
    "html": ("status",),
}


@dataclass
class Fault:
    """One injected failure and which calls it hits."""

    kind: FaultKind
    operation: str | None = None
    on_call: int = 1
    times: int | None = 1
    status: int | None = None  # throttle: 429, error: 500, html: 502 unless given
    retry_after: float | None = 1.0  # throttle: the Retry-After seconds (None: no header)
    seconds: float = 0.0  # slow: real seconds before the answer
    after: bool = False  # error, drop: the operation runs before the failure
    code: str | None = None  # error: the error code (default: the service's system error)
    message: str | None = None  # error: the error message
    seen: int = field(default=0, compare=False)  # matching calls counted so far
    hits: int = field(default=0, compare=False)  # calls it has hit

    def __post_init__(self) -> None:
        if self.kind not in KINDS:
            raise ValueError(f"unknown fault kind {self.kind!r}; one of {', '.join(KINDS)}")
        if self.on_call < 1:
            raise ValueError("on_call counts from 1")
        if self.times is not None and self.times < 1:
            raise ValueError("times must be at least 1 (or None for every call)")
        if self.status is None:
            self.status = {"throttle": 429, "error": 500, "html": 502}.get(self.kind)
        if self.kind == "error" and not 500 <= (self.status or 0) <= 599:
            raise ValueError("an error fault answers a 5xx status")

    @classmethod
    def from_mapping(cls, data: Mapping[str, Any]) -> Fault:
        """A fault from JSON (the HTTP control endpoint): only the documented fields."""
        known = {f.name for f in fields(cls)} - {"seen", "hits"}
        unknown = sorted(set(data) - known)
        if unknown:
            raise ValueError(f"unknown fault field(s): {', '.join(unknown)}")
        return cls(**dict(data))

    def applies_to(self, op: Operation) -> bool:
        if self.operation is None:
            return True
        service, _, operation_id = self.operation.rpartition(".")
        return operation_id == op.operation_id and service in ("", op.service)

    def _count(self) -> bool:
        """Count one matching call; True when this call is hit."""
        self.seen += 1
        if self.seen < self.on_call:
            return False
        return self.times is None or self.seen < self.on_call + self.times

    def as_dict(self) -> dict[str, Any]:
        return {f.name: getattr(self, f.name) for f in fields(self)}

    def as_request(self) -> dict[str, Any]:
        """The fields that say what this fault is (its kind's), as the control API takes them."""
        names = ("kind", "operation", "on_call", "times", *KIND_FIELDS[self.kind])
        return {name: getattr(self, name) for name in names}


class FaultMaker:
    """The ways to describe a fault; `add` says where it goes (a simulator here, or a remote
    one: `dataarts.testing.remote`)."""

    def add(self, fault: Fault) -> Fault:
        raise NotImplementedError

    def throttle(
        self,
        operation: str | None = None,
        *,
        retry_after: float | None = 1.0,
        on_call: int = 1,
        times: int | None = 1,
    ) -> Fault:
        """429 from the gateway (`APIGW.0308`) with `Retry-After: retry_after`."""
        return self.add(Fault("throttle", operation, on_call, times, retry_after=retry_after))

    def error(
        self,
        operation: str | None = None,
        *,
        status: int = 500,
        after: bool = False,
        code: str | None = None,
        message: str | None = None,
        on_call: int = 1,
        times: int | None = 1,
    ) -> Fault:
        """A 5xx in the service's error shape; with `after`, once the operation took effect."""
        return self.add(
            Fault(
                "error", operation, on_call, times, status, after=after, code=code, message=message
            )
        )

    def slow(
        self,
        operation: str | None = None,
        *,
        seconds: float,
        on_call: int = 1,
        times: int | None = 1,
    ) -> Fault:
        """The answer comes `seconds` of real time late (a client timeout may fire first)."""
        return self.add(Fault("slow", operation, on_call, times, seconds=seconds))

    def drop(
        self,
        operation: str | None = None,
        *,
        after: bool = False,
        on_call: int = 1,
        times: int | None = 1,
    ) -> Fault:
        """The connection closes without an answer; with `after`, once the operation ran."""
        return self.add(Fault("drop", operation, on_call, times, after=after))

    def truncate(
        self, operation: str | None = None, *, on_call: int = 1, times: int | None = 1
    ) -> Fault:
        """The operation runs; its answer's body stops half way and the connection closes."""
        return self.add(Fault("truncate", operation, on_call, times))

    def html(
        self,
        operation: str | None = None,
        *,
        status: int = 502,
        on_call: int = 1,
        times: int | None = 1,
    ) -> Fault:
        """An HTML error page, as a proxy or load balancer in front of the gateway sends."""
        return self.add(Fault("html", operation, on_call, times, status))


class Faults(FaultMaker):
    """The faults of one simulator; thread-safe."""

    def __init__(self, faults: list[Fault] | None = None) -> None:
        self._lock = threading.Lock()
        self._faults: list[Fault] = list(faults or ())
        self.injected: list[tuple[str, str]] = []  # (operationId, kind), in the order hit

    def add(self, fault: Fault) -> Fault:
        with self._lock:
            self._faults.append(fault)
        return fault

    def clear(self) -> None:
        """Remove every fault (what was injected stays in `injected`)."""
        with self._lock:
            self._faults.clear()

    @property
    def active(self) -> list[Fault]:
        """The faults that may still hit a call."""
        with self._lock:
            return [f for f in self._faults if f.times is None or f.hits < f.times]

    def pick(self, op: Operation) -> Fault | None:
        """Count this call of `op` against every fault; the first one hitting it, if any."""
        chosen: Fault | None = None
        with self._lock:
            for fault in self._faults:
                if fault.applies_to(op) and fault._count() and chosen is None:
                    chosen = fault
            if chosen is not None:
                chosen.hits += 1
                self.injected.append((op.operation_id, chosen.kind))
        return chosen


def html_page(status: int, reason: str) -> bytes:
    """The kind of page a proxy answers with instead of JSON."""
    title = f"{status} {reason}"
    return (
        f"<html>\r\n<head><title>{title}</title></head>\r\n<body>\r\n"
        f"<center><h1>{title}</h1></center>\r\n<hr><center>nginx</center>\r\n"
        "</body>\r\n</html>\r\n"
    ).encode("ascii")
