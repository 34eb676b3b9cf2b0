"""Virtual time: every state machine of the simulator reads the clock, none reads the wall clock.

`FastClock` (the default) runs virtual time `speed` times faster than real time, so a migration
that takes a minute of virtual time finishes in well under a second. `ManualClock` only moves when
a test calls `advance` (or `sleep`, which advances instead of waiting), so tests step through
states without real waiting. Both count seconds since the Unix epoch, so timestamps in answers
look like real ones.
"""

from __future__ import annotations

import threading
import time
from typing import Protocol, runtime_checkable

__all__ = ["Clock", "FastClock", "ManualClock"]

# ManualClock's default start: 2024-04-29 00:00:00 UTC, the date of the API reference.
MANUAL_EPOCH = 1714348800.0


@runtime_checkable
class Clock(Protocol):
    """What the simulator needs from a clock (and what waiters may use as `sleep`/`clock`)."""

    def now(self) -> float:
        """Virtual seconds since the Unix epoch."""
        ...

    def advance(self, seconds: float) -> None:
        """Move virtual time forward by `seconds` at once."""
        ...

    def sleep(self, seconds: float) -> None:
        """Let `seconds` of virtual time pass (FastClock: waits the real fraction)."""
        ...


class FastClock:
    """Virtual time running `speed` times faster than real time, plus whatever `advance` adds."""

    def __init__(self, speed: float = 100.0, *, start: float | None = None) -> None:
        if speed <= 0:
            raise ValueError("speed must be positive")
        self.speed = speed
        self._lock = threading.Lock()
        self._origin_real = time.monotonic()
        self._origin_virtual = time.time() if start is None else start
        self._advanced = 0.0

    def now(self) -> float:
        with self._lock:
            elapsed = time.monotonic() - self._origin_real
            return self._origin_virtual + elapsed * self.speed + self._advanced

    def advance(self, seconds: float) -> None:
        if seconds < 0:
            raise ValueError("time only moves forward")
        with self._lock:
            self._advanced += seconds

    def set_speed(self, speed: float) -> None:
        """Run at `speed` from now on; virtual time goes on from where it is."""
        if speed <= 0:
            raise ValueError("speed must be positive")
        with self._lock:
            real = time.monotonic()
            elapsed = real - self._origin_real
            self._origin_virtual += elapsed * self.speed + self._advanced
            self._origin_real, self._advanced, self.speed = real, 0.0, speed

    def sleep(self, seconds: float) -> None:
        if seconds > 0:
            time.sleep(seconds / self.speed)

    def real_seconds(self, virtual: float) -> float:
        """How long `virtual` seconds last in real time."""
        return virtual / self.speed

    def __repr__(self) -> str:
        return f"FastClock(speed={self.speed:g})"


class ManualClock:
    """Virtual time that stands still until `advance` (or `sleep`) moves it."""

    def __init__(self, start: float = MANUAL_EPOCH) -> None:
        self._lock = threading.Lock()
        self._now = start

    def now(self) -> float:
        with self._lock:
            return self._now

    def advance(self, seconds: float) -> None:
        if seconds < 0:
            raise ValueError("time only moves forward")
        with self._lock:
            self._now += seconds

    def sleep(self, seconds: float) -> None:
        if seconds > 0:
            self.advance(seconds)

    def real_seconds(self, virtual: float) -> float:
        """Manual time never passes by itself: waiting is for the test to do."""
        return 0.0

    def __repr__(self) -> str:
        return f"ManualClock(now={self.now():.3f})"
