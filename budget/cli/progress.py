"""A progress line for long commands: rows done, rows per second and the time left,
rewritten in place with ``\\r`` on a terminal; nothing at all when stderr is not a
terminal (scripts, pipes, log files)."""

from __future__ import annotations

import sys
import time
from collections.abc import Callable
from typing import TextIO

from budget.progress import progress_text


class Progress:
    """Call with the number of rows done so far; ``close()`` clears the line."""

    def __init__(
        self,
        label: str,
        total: int | None = None,
        *,
        stream: TextIO | None = None,
        clock: Callable[[], float] = time.monotonic,
        every: float = 0.2,
    ) -> None:
        self.stream = stream if stream is not None else sys.stderr
        self.enabled = bool(getattr(self.stream, "isatty", lambda: False)())
        self.label = label
        self.total = total
        self.clock = clock
        self.every = every
        self.started = clock()
        self._shown_at: float | None = None
        self._width = 0

    def line(self, done: int, now: float) -> str:
        return f"{self.label}: {progress_text(done, self.total, now - self.started)}"

    def __call__(self, done: int) -> None:
        if not self.enabled:
            return
        now = self.clock()
        if self._shown_at is not None and now - self._shown_at < self.every:
            return
        self._shown_at = now
        text = self.line(done, now)
        pad = " " * max(0, self._width - len(text))
        self._width = len(text)
        self.stream.write(f"\r{text}{pad}")
        self.stream.flush()

    def close(self) -> None:
        if self.enabled and self._width:
            self.stream.write("\r" + " " * self._width + "\r")
            self.stream.flush()
            self._width = 0
