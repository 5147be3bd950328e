"""The collector's full passes run while the accountant is not waiting.

CPython's cyclic collector walks every tracked object on a full (generation 2)
pass: with a register on screen that took 90-250 ms on this machine, and the
automatic passes fell where they fell, in the middle of a save's repaint (the
save-to-screen p95 of issue 13). The young generations stay automatic (a pass
costs 0.1-2 ms); the full pass is taken off the allocator's schedule and run
here instead, once the keyboard and the mouse have been still for ``IDLE_AFTER``
seconds. A user who never pauses still gets one every ``FORCED_AFTER`` young
passes, so memory stays bounded whatever she does.
"""

from __future__ import annotations

import gc
import time

#: Seconds without a key or mouse event before a full pass may run.
IDLE_AFTER = 0.5
#: How often the app looks whether one is due.
CHECK_EVERY = 0.25
#: Generation-1 passes after which the automatic full pass runs anyway (CPython's
#: default is 10).
FORCED_AFTER = 200


class IdleCollector:
    """``start()`` on mount, ``touch()`` on every input event, ``tick()`` every
    ``CHECK_EVERY`` seconds, ``stop()`` on unmount (the thresholds come back)."""

    def __init__(self) -> None:
        self._now = time.monotonic
        self.last_input = self._now()
        self._saved: tuple[int, int, int] | None = None
        self.passes = 0

    def start(self) -> None:
        if self._saved is not None:
            return
        self._saved = gc.get_threshold()
        young, middle, _full = self._saved
        gc.set_threshold(young, middle, FORCED_AFTER)

    def stop(self) -> None:
        if self._saved is not None:
            gc.set_threshold(*self._saved)
            self._saved = None

    def touch(self) -> None:
        self.last_input = self._now()

    def due(self) -> bool:
        """A full pass is owed (as many generation-1 passes ran since the last as
        CPython's own schedule waits for) and the user is idle: no more full passes
        than before, only at other moments."""
        if not gc.isenabled() or self._saved is None:
            return False
        if gc.get_count()[2] < max(1, self._saved[2]):
            return False
        return self._now() - self.last_input >= IDLE_AFTER

    def tick(self) -> bool:
        if not self.due():
            return False
        gc.collect()
        self.passes += 1
        return True
