"""A local CDM + DLF + LakeFormation simulator, for demos, your own tests and fault injection.

    from dataarts import CdmClient
    from dataarts.testing import ManualClock, Simulator

    sim = Simulator(clock=ManualClock())
    http = httpx.Client(transport=sim.transport())
    cdm = CdmClient(project_id="p1", token="t", base_url="http://simulator", http_client=http)

or over HTTP: `with sim.serve() as server: CdmClient(base_url=server.base_url, ...)`, or from a
shell: `python -m dataarts.testing serve --port 8080`. Every operation of the package's specs
answers; CDM clusters, links and jobs, DLF scripts, resources, connections, jobs and instances,
and LakeFormation jobs keep state and move through their documented statuses on a virtual clock.

Layout: a backend per service holds its state and rules and is callable from Python
(`sim.cdm`, `sim.dlf`, `sim.lakeformation`: `cdm/backend.py`, ...); a thin response layer per
service turns a checked request into one backend call and a view (`cdm/responses.py`,
`cdm/views.py`); `services.py` says which backend and handlers answer which spec. The
spec-driven parts are shared: routing and request checks (`spec`, `incoming`), generic answers
(`generic`), faults (`faults`), the virtual clock (`clock`), AK/SK checks (`auth_check`). The
control API (`control`, described by `control_openapi`) and `RemoteSimulator` (`remote`) drive a
simulator running elsewhere.
"""

from __future__ import annotations

from .._runtime.lazy import public_dir
from .cdm.backend import CdmBackend
from .clock import Clock, FastClock, ManualClock
from .dlf.backend import DlfBackend, Workspace
from .environment import Timings
from .faults import Fault, Faults
from .lakeformation.backend import LakeFormationBackend
from .obs import ObjectStore
from .remote import RemoteSimulator, RemoteSimulatorError
from .server import SimulatorServer
from .simulator import CallRecord, Simulator

__all__ = [
    "CallRecord",
    "CdmBackend",
    "Clock",
    "DlfBackend",
    "FastClock",
    "Fault",
    "Faults",
    "LakeFormationBackend",
    "ManualClock",
    "ObjectStore",
    "RemoteSimulator",
    "RemoteSimulatorError",
    "Simulator",
    "SimulatorServer",
    "Timings",
    "Workspace",
]
__dir__ = public_dir(globals(), __all__)  # not the submodules imported above
