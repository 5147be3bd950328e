"""The collector's full pass waits for the keyboard to be still (tui/idle_gc.py)."""

from __future__ import annotations

import asyncio
import gc
import weakref
from pathlib import Path
from typing import Any

import pytest

from tests.tui.test_workflows import SIZE, make
from tui import idle_gc
from tui.idle_gc import FORCED_AFTER, IDLE_AFTER, IdleCollector


class Node:
    """An object in a reference cycle: only the cyclic collector frees it."""

    def __init__(self) -> None:
        self.me = self


def _old_cycle() -> weakref.ref[Node]:
    """A cycle that lived through a full pass (it sits in the oldest generation, where
    only a full pass looks), then became garbage."""
    node = Node()
    gc.collect()
    return weakref.ref(node)


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> list[float]:
    now = [1000.0]
    monkeypatch.setattr(idle_gc.time, "monotonic", lambda: now[0])
    return now


def test_start_takes_the_full_pass_off_the_schedule_and_stop_gives_it_back(
    clock: list[float],
) -> None:
    before = gc.get_threshold()
    collector = IdleCollector()
    collector.start()
    try:
        assert gc.get_threshold() == (before[0], before[1], FORCED_AFTER)
    finally:
        collector.stop()
    assert gc.get_threshold() == before


def test_the_full_pass_runs_only_once_the_keyboard_is_still(clock: list[float]) -> None:
    owed = gc.get_threshold()[2]  # generation-1 passes CPython waits for (10 by default)
    collector = IdleCollector()
    collector.start()
    try:
        garbage = _old_cycle()
        for _ in range(owed - 1):
            gc.collect(1)
        clock[0] += IDLE_AFTER * 2
        assert collector.tick() is False  # idle, but no more full passes than CPython's
        gc.collect(1)
        assert garbage() is not None  # the young passes do not reach it
        assert gc.get_count()[2] >= 1
        collector.touch()
        clock[0] += IDLE_AFTER / 2
        assert collector.tick() is False  # she typed a moment ago
        clock[0] += IDLE_AFTER / 2
        assert collector.tick() is True
        assert garbage() is None
        assert collector.passes == 1
        assert collector.tick() is False  # nothing owed now
    finally:
        collector.stop()


def test_the_app_gives_the_thresholds_back_when_it_closes(tmp_path: Path) -> None:
    before = gc.get_threshold()
    seen: dict[str, Any] = {}

    async def body() -> None:
        app = make(f"sqlite:///{tmp_path / 'b.db'}")
        async with app.run_test(size=SIZE) as pilot:
            await pilot.pause()
            seen["during"] = gc.get_threshold()

    asyncio.run(body())
    assert seen["during"] == (before[0], before[1], FORCED_AFTER)
    assert gc.get_threshold() == before
