"""What a wait shows while it polls: a progress bar on a terminal, plain lines otherwise.

Both go to standard error, so standard output keeps only the result.
"""

from __future__ import annotations

import sys
from typing import Any, Self, TextIO


class WaitReporter:
    """The waiter's `on_poll` callback: shows each polled state (use it as a context manager)."""

    def __init__(self, label: str, has_progress: bool, stream: TextIO | None = None) -> None:
        self.label = label
        self.has_progress = has_progress
        self.stream = stream or sys.stderr
        self._last: tuple[Any, ...] | None = None
        self._bar: Any = None
        self._task: Any = None

    def __call__(self, seen: Any) -> None:
        if self.stream.isatty():
            self._draw(seen)
            return
        shown = (seen.state, seen.progress, seen.error is not None)
        if shown != self._last:  # a line per change, not per poll
            self._last = shown
            self.stream.write(f"{self.label}: {_describe(seen)} ({seen.elapsed:.0f} s)\n")
            self.stream.flush()

    def _draw(self, seen: Any) -> None:
        if self._bar is None:
            from rich.console import Console
            from rich.progress import (
                BarColumn,
                Progress,
                SpinnerColumn,
                TextColumn,
                TimeElapsedColumn,
            )

            columns: list[Any] = [SpinnerColumn(), TextColumn("{task.description}")]
            if self.has_progress:
                columns += [BarColumn(), TextColumn("{task.percentage:>3.0f}%")]
            columns.append(TimeElapsedColumn())
            self._bar = Progress(*columns, console=Console(file=self.stream), transient=False)
            self._bar.start()
            self._task = self._bar.add_task(self.label, total=100 if self.has_progress else None)
        completed = max(0.0, min(100.0, seen.progress)) if seen.progress is not None else None
        self._bar.update(
            self._task, description=f"{self.label}: {_describe(seen)}", completed=completed
        )

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: object) -> None:
        if self._bar is not None:  # leave the last state on the screen
            self._bar.stop()
            self._bar = None


def _describe(seen: Any) -> str:
    if seen.error is not None:
        return f"HTTP {seen.error.status_code}" + (
            f" {seen.error.error_code}" if seen.error.error_code else ""
        )
    text = seen.state if seen.state is not None else "(no state yet)"
    if seen.progress is not None:
        text += f" {seen.progress:g}%"
    return text
