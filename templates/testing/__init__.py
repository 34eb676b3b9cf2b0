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
Faults are injected with `sim.faults` (see `dataarts.testing.faults`).
"""

from __future__ import annotations

from .._runtime.lazy import public_dir
from .clock import Clock, FastClock, ManualClock
from .faults import Fault, Faults
from .server import SimulatorServer
from .simulator import CallRecord, Simulator
from .world import Timings

__all__ = [
    "CallRecord",
    "Clock",
    "FastClock",
    "Fault",
    "Faults",
    "ManualClock",
    "Simulator",
    "SimulatorServer",
    "Timings",
]
__dir__ = public_dir(globals(), __all__)  # not the submodules imported above
