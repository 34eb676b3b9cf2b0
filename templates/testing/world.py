"""The simulated world: every service's state, the clock, how long things take, a seeded RNG."""

from __future__ import annotations

import random
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, TypeVar

from .clock import Clock
from .incoming import Call
from .spec import Api

__all__ = ["Handler", "Timings", "World"]

S = TypeVar("S")


@dataclass(frozen=True)
class Timings:
    """Virtual seconds each long-running thing takes (FastClock(speed=100): a minute is 0.6 s)."""

    cluster_create: float = 60.0  # CDM cluster: 100 creating -> 200 normal
    cluster_action: float = 20.0  # start (920), stop (910), restart (500) -> the next state
    job_boot: float = 5.0  # CDM job run: BOOTING before RUNNING
    job_run: float = 60.0  # CDM job run: RUNNING, progress 0 -> 100
    script_run: float = 10.0  # DLF script instance: LAUNCHING/RUNNING -> FINISHED
    instance_wait: float = 2.0  # DLF job instance: waiting before running
    instance_run: float = 30.0  # DLF job instance: running -> success
    job_start: float = 5.0  # DLF real-time job: STARTING -> NORMAL, STOPPING -> STOPPED
    system_task: float = 10.0  # DLF system task (imports): RUNNING -> SUCCESSFUL


@dataclass
class World:
    """State shared by the state machines; the simulator holds one and locks around its use."""

    api: Api
    clock: Clock
    timings: Timings = field(default_factory=Timings)
    seed: int = 0
    services: dict[str, Any] = field(default_factory=dict)  # service name -> its state object

    def __post_init__(self) -> None:
        self.rng = random.Random(self.seed)

    def new_id(self) -> str:
        """A UUID, reproducible for a given seed."""
        return str(uuid.UUID(int=self.rng.getrandbits(128), version=4))

    def state(self, service: str, kind: type[S]) -> S:
        """The state object of `service`, created empty on first use (and after a reset)."""
        found = self.services.get(service)
        if not isinstance(found, kind):
            found = self.services[service] = kind()
        return found

    def new_hex(self) -> str:
        """A 32-digit hex id, like CDM's task ids."""
        return uuid.UUID(int=self.rng.getrandbits(128), version=4).hex


Handler = Callable[[World, Call], Any]
