"""A Python client for a simulator running elsewhere, through its control API (httpx only).

    with RemoteSimulator("http://127.0.0.1:8080") as remote:
        remote.reset()
        cluster = remote.seed_cluster("p1", name="c1")          # normal at once
        remote.faults.throttle("ShowJobStatus", retry_after=2)  # as `sim.faults`
        remote.clock.advance(60)
        assert len(remote.calls_to("cdm.StartJob")) == 1

The faults take the same calls as a local `Simulator`'s; `remote.clock` is a `Clock`, so a waiter
can poll on the remote virtual time (`sleep=remote.clock.sleep, clock=remote.clock.now`).
A request the simulator refuses raises `RemoteSimulatorError` with its code and message.
"""

from __future__ import annotations

import time
from collections.abc import Iterable, Mapping
from typing import Any, Self

import httpx

from .faults import Fault, FaultMaker
from .simulator import CallRecord

__all__ = ["RemoteClock", "RemoteFaults", "RemoteSimulator", "RemoteSimulatorError"]

CONTROL = "/_simulator"


class RemoteSimulatorError(Exception):
    """The control API refused a request."""

    def __init__(self, status: int, code: str, message: str) -> None:
        super().__init__(f"HTTP {status} {code}: {message}")
        self.status = status
        self.code = code
        self.message = message


class RemoteSimulator:
    """A running simulator's control API; `base_url` is also where the services answer."""

    def __init__(
        self,
        base_url: str,
        *,
        http_client: httpx.Client | None = None,
        timeout: float = 10.0,
    ) -> None:
        self.base_url = base_url.rstrip("/")
        self._owned = http_client is None
        self._http = http_client or httpx.Client(timeout=timeout)
        self.faults = RemoteFaults(self)
        self.clock = RemoteClock(self)

    def __repr__(self) -> str:
        return f"RemoteSimulator({self.base_url!r})"

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        if self._owned:
            self._http.close()

    def request(
        self,
        method: str,
        path: str,
        *,
        json: Any = None,
        params: Mapping[str, str | int] | None = None,
        content: bytes | None = None,
    ) -> httpx.Response:
        """One control request (`path` under `/_simulator`); RemoteSimulatorError unless 2xx."""
        headers = {"Content-Type": "application/octet-stream"} if content is not None else None
        response = self._http.request(
            method,
            f"{self.base_url}{CONTROL}/{path.lstrip('/')}",
            json=json,
            params=params,
            content=content,
            headers=headers,
        )
        if response.is_success:
            return response
        try:
            error = response.json()
            code, message = str(error["error_code"]), str(error["error_msg"])
        except (ValueError, KeyError, TypeError):
            code, message = "", response.text[:200]
        raise RemoteSimulatorError(response.status_code, code, message)

    def _json(self, method: str, path: str, **kwargs: Any) -> Any:
        return self.request(method, path, **kwargs).json()

    # -- the simulator -----------------------------------------------------------------------

    def health(self) -> dict[str, Any]:
        return dict(self._json("GET", "health"))

    def openapi(self) -> dict[str, Any]:
        """The control API's OpenAPI document."""
        return dict(self._json("GET", "openapi.json"))

    def reset(self) -> None:
        """Forget every resource, OBS file, fault and recorded call."""
        self.request("POST", "reset")

    def timings(self) -> dict[str, float]:
        return dict(self._json("GET", "timings"))

    def set_timings(self, **seconds: float) -> dict[str, float]:
        """Change how long things take (`cluster_create=5`, ...), from now on."""
        return dict(self._json("PATCH", "timings", json=seconds))

    def set_credentials(self, credentials: Mapping[str, str] | None) -> None:
        """Check AK/SK signatures by these keys (AK -> SK); None: accept every request."""
        body = None if credentials is None else dict(credentials)
        self.request("PUT", "credentials", json={"credentials": body})

    def fail_next_run(self, service: str, job_name: str, error: str | None = None) -> None:
        """The next run of `job_name` fails: a CDM run half way, a DLF instance (`service`)."""
        body = {"service": service, "job_name": job_name}
        if error is not None:
            body["error"] = error
        self.request("POST", "failed-runs", json=body)

    # -- calls -------------------------------------------------------------------------------

    def calls(self, operation: str | None = None, *, limit: int = 1000) -> list[CallRecord]:
        """The latest `limit` recorded calls (of one operation when named), oldest first."""
        params: dict[str, str | int] = {"limit": limit}
        if operation is not None:
            params["operation"] = operation
        found = self._json("GET", "calls", params=params)["calls"]
        return [CallRecord(**call) for call in found]

    def calls_to(self, operation: str) -> list[CallRecord]:
        """As `Simulator.calls_to`: one operation's calls (the latest 100,000)."""
        return self.calls(operation, limit=100_000)

    def clear_calls(self) -> None:
        self.request("DELETE", "calls")

    # -- the simulated OBS -------------------------------------------------------------------

    def put_object(self, path: str, data: bytes) -> None:
        """Store a file at an OBS path (`obs://bucket/key`), e.g. a zip to import."""
        self.request("PUT", "obs/object", params={"path": path}, content=data)

    def get_object(self, path: str) -> bytes | None:
        try:
            return self.request("GET", "obs/object", params={"path": path}).content
        except RemoteSimulatorError as error:
            if error.status == 404:
                return None
            raise

    def objects(self) -> list[str]:
        return [str(path) for path in self._json("GET", "obs/objects")["paths"]]

    # -- seeding (through the service backends; answers as the services show them) -----------

    def seed_cluster(
        self,
        project_id: str,
        *,
        name: str | None = None,
        cluster: Mapping[str, Any] | None = None,
        normal: bool = True,
        links: Iterable[Mapping[str, Any]] = (),
        jobs: Iterable[Mapping[str, Any]] = (),
    ) -> dict[str, Any]:
        """A CDM cluster (normal at once unless `normal=False`) with links and jobs in it."""
        body: dict[str, Any] = {"project_id": project_id, "normal": normal}
        body.update(cluster=dict(cluster or {}), links=list(links), jobs=list(jobs))
        if name is not None:
            body["name"] = name
        return dict(self._json("POST", "cdm/clusters", json=body))

    def seed_link(self, project_id: str, cluster_id: str, link: Mapping[str, Any]) -> Any:
        body = {"project_id": project_id, "cluster_id": cluster_id, "link": dict(link)}
        return self._json("POST", "cdm/links", json=body)

    def seed_cdm_job(
        self,
        project_id: str,
        cluster_id: str,
        job: Mapping[str, Any],
        *,
        start: bool = False,
    ) -> Any:
        body = {"project_id": project_id, "cluster_id": cluster_id, "job": dict(job)}
        return self._json("POST", "cdm/jobs", json={**body, "start": start})

    def seed_script(
        self, project_id: str, script: Mapping[str, Any], *, workspace: str = ""
    ) -> Any:
        body = {
            "project_id": project_id,
            "workspace": workspace,
            "script": dict(script),
        }
        return self._json("POST", "dlf/scripts", json=body)

    def seed_resource(
        self, project_id: str, resource: Mapping[str, Any], *, workspace: str = ""
    ) -> Any:
        body = {
            "project_id": project_id,
            "workspace": workspace,
            "resource": dict(resource),
        }
        return self._json("POST", "dlf/resources", json=body)

    def seed_connection(
        self, project_id: str, connection: Mapping[str, Any], *, workspace: str = ""
    ) -> Any:
        body = {
            "project_id": project_id,
            "workspace": workspace,
            "connection": dict(connection),
        }
        return self._json("POST", "dlf/connections", json=body)

    def seed_dlf_job(
        self,
        project_id: str,
        job: Mapping[str, Any],
        *,
        workspace: str = "",
        start: bool = False,
    ) -> Any:
        body = {"project_id": project_id, "workspace": workspace, "job": dict(job)}
        return self._json("POST", "dlf/jobs", json={**body, "start": start})

    def seed_lakeformation_job(
        self, project_id: str, instance_id: str, job: Mapping[str, Any]
    ) -> Any:
        body = {"project_id": project_id, "instance_id": instance_id, "job": dict(job)}
        return self._json("POST", "lakeformation/jobs", json=body)


class RemoteFaults(FaultMaker):
    """`sim.faults` of a remote simulator: the same calls, sent to its control API."""

    def __init__(self, remote: RemoteSimulator) -> None:
        self._remote = remote

    def add(self, fault: Fault) -> Fault:
        added = self._remote._json("POST", "faults", json=fault.as_request())
        return _fault(added)

    def clear(self) -> None:
        self._remote.request("DELETE", "faults")

    @property
    def active(self) -> list[Fault]:
        return [_fault(f) for f in self._remote._json("GET", "faults")["active"]]

    @property
    def injected(self) -> list[tuple[str, str]]:
        hits = self._remote._json("GET", "faults")["injected"]
        return [(str(hit["operation_id"]), str(hit["kind"])) for hit in hits]


def _fault(data: Mapping[str, Any]) -> Fault:
    counts = {"seen": int(data.get("seen", 0)), "hits": int(data.get("hits", 0))}
    fault = Fault.from_mapping({k: v for k, v in data.items() if k not in counts})
    fault.seen, fault.hits = counts["seen"], counts["hits"]
    return fault


class RemoteClock:
    """The remote simulator's virtual clock, as a `Clock`."""

    def __init__(self, remote: RemoteSimulator) -> None:
        self._remote = remote

    def __repr__(self) -> str:
        return f"RemoteClock({self._remote.base_url!r})"

    def now(self) -> float:
        return float(self._remote._json("GET", "clock")["now"])

    @property
    def speed(self) -> float | None:
        """Virtual seconds per real second; None for a manual clock."""
        speed = self._remote._json("GET", "clock")["speed"]
        return None if speed is None else float(speed)

    def set_speed(self, speed: float) -> None:
        self._remote.request("PUT", "clock", json={"speed": speed})

    def advance(self, seconds: float) -> None:
        self._remote.request("POST", "clock/advance", json={"seconds": seconds})

    def sleep(self, seconds: float) -> None:
        """Let `seconds` of virtual time pass: wait the real fraction, or advance a manual
        clock at once."""
        if seconds <= 0:
            return
        speed = self.speed
        if speed is None:
            self.advance(seconds)
        else:
            time.sleep(seconds / speed)
