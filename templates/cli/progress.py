"""What a wait shows while it polls: a one-line bar on a terminal, plain lines otherwise.

Both go to standard error, so standard output keeps only the result.
"""

from __future__ import annotations

import shutil
import sys
from typing import Any, Self, TextIO

BAR_WIDTH = 24
SPINNER = "|/-\\"


class WaitReporter:
    """The waiter's `on_poll` callback: shows each polled state (use it as a context manager)."""

    def __init__(self, label: str, has_progress: bool, stream: TextIO | None = None) -> None:
        self.label = label
        self.has_progress = has_progress
        self.stream = stream or sys.stderr
        self._last: tuple[Any, ...] | None = None
        self._drawn = 0  # width of the line drawn on the terminal (0: none yet)

    def __call__(self, seen: Any) -> None:
        if self.stream.isatty():
            self._draw(seen)
            return
        shown = (seen.state, seen.progress, seen.under_way, seen.error is not None)
        if shown != self._last:  # a line per change, not per poll
            self._last = shown
            self.stream.write(f"{self.label}: {describe(seen)} ({seen.elapsed:.0f} s)\n")
            self.stream.flush()

    def _draw(self, seen: Any) -> None:
        """Redraw the line in place: a bar where there is a progress figure, else a spinner."""
        if self.has_progress and seen.progress is not None:
            done = max(0.0, min(100.0, seen.progress))
            filled = round(BAR_WIDTH * done / 100)
            lead = f"[{'#' * filled}{'-' * (BAR_WIDTH - filled)}] {done:3.0f}%"
        else:
            lead = SPINNER[seen.attempt % len(SPINNER)]
        minutes, seconds = divmod(int(seen.elapsed), 60)
        line = f"{lead} {self.label}: {describe(seen)}  {minutes}:{seconds:02d}"
        line = line[: shutil.get_terminal_size().columns - 1]
        self.stream.write("\r" + line.ljust(self._drawn))
        self.stream.flush()
        self._drawn = len(line)

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: object) -> None:
        if self._drawn:  # keep the last state on the screen, and the cursor off its line
            self.stream.write("\n")
            self.stream.flush()


def describe(seen: Any) -> str:
    """A polled state in the documents' words (`creating`, `running 45%`, `normal, REBOOTING`),
    or the error answer's status and code."""
    if seen.error is not None:
        code = f" {seen.error.error_code}" if seen.error.error_code else ""
        return f"HTTP {seen.error.status_code}{code}"
    text = seen.shown if seen.shown is not None else "(no state yet)"
    marks = [mark for mark in seen.under_way if mark != seen.state]
    if marks:  # what shows the work under way, where the state does not say it
        text += ", " + ", ".join(marks)
    if seen.progress is not None:
        text += f" {seen.progress:g}%"
    return str(text)
