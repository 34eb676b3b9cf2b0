"""What every backend shares: the virtual clock, how long things take, and reproducible ids."""

from __future__ import annotations

import random
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TypeVar

from .clock import Clock

__all__ = ["Environment", "Timings"]

T = TypeVar("T")


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


class Environment:
    """The clock, the timings and a seeded random source, one per simulator.

    `timings` may be replaced while the simulator runs; work already planned keeps its times.
    """

    def __init__(self, clock: Clock, timings: Timings | None = None, seed: int = 0) -> None:
        self.clock = clock
        self.timings = timings or Timings()
        self._rng = random.Random(seed)

    def now(self) -> float:
        """Virtual seconds since the Unix epoch."""
        return self.clock.now()

    def new_id(self) -> str:
        """A UUID, reproducible for a given seed."""
        return str(uuid.UUID(int=self._rng.getrandbits(128), version=4))

    def new_hex(self) -> str:
        """A 32-digit hex id, like CDM's task ids."""
        return uuid.UUID(int=self._rng.getrandbits(128), version=4).hex

    def choice(self, items: Sequence[T]) -> T:
        """One of `items`, reproducible for a given seed."""
        return self._rng.choice(items)
