"""Expensive scenarios, built once per test session and handed to each test.

A scenario is a sequence of ``budget`` command lines (the commune, an approved
estimate, vouchers, ...). Building one takes seconds; a suite that rebuilds it
for every case spends most of its time doing so.

* On SQLite the scenario is built once into a template file and every test gets
  its own copy of it (the online backup API: milliseconds), so tests stay as
  isolated as if each had built it.
* On PostgreSQL, where a schema cannot be copied cheaply, tests that only read
  (a refused command must change nothing) share one built schema. Before
  handing it out the store takes the caller's snapshot of it and compares it
  with the snapshot taken right after it was built: if a test changed the
  database, it is rebuilt, so every test starts from the scenario as built.
  Tests that write get a fresh schema of their own, built from scratch.

Each pytest-xdist worker has its own session, hence its own store.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

from tests.conftest import PG_ENV, CliResult, pg_schema_url, run_cli

Steps = tuple[tuple[str, ...], ...]
Snapshot = Callable[[str], Any]


def build(url: str, steps: Steps) -> None:
    """Run each command line of ``steps`` against ``url``; every one must succeed."""
    for args in steps:
        result: CliResult = run_cli("--db", url, *args)
        assert result.code == 0, (
            f"setup step {args} failed ({result.code}): {result.err}{result.out}"
        )


class ScenarioStore:
    """Scenario databases keyed by their steps; see the module docstring."""

    def __init__(self, folder: Path, snapshot: Snapshot) -> None:
        self._folder = folder
        self._snapshot = snapshot
        self._templates: dict[Steps, Path] = {}
        self._shared: dict[Steps, tuple[str, Any]] = {}
        self._schemas = contextlib.ExitStack()
        self.builds = 0

    def checkout(self, db_url: str, steps: Steps, *, writes: bool) -> tuple[str, Any]:
        """A database holding the scenario ``steps`` for one test, and its snapshot.

        ``db_url`` is the test's own (empty) database from the ``db_url`` fixture.
        """
        from budget.backup import copy_sqlite
        from budget.db import sqlite_path

        path = sqlite_path(db_url)
        if path is not None:
            template = self._templates.get(steps)
            if template is None:
                template = self._folder / f"scenario-{len(self._templates)}.db"
                self._build(f"sqlite:///{template}", steps)
                self._templates[steps] = template
            copy_sqlite(template, path)
            return db_url, self._snapshot(db_url)
        if writes:
            self._build(db_url, steps)
            return db_url, self._snapshot(db_url)
        shared = self._shared.get(steps)
        if shared is not None:
            url, pristine = shared
            now = self._snapshot(url)
            if now == pristine:
                return url, now
        url = self._schemas.enter_context(pg_schema_url(os.environ[PG_ENV]))
        self._build(url, steps)
        pristine = self._snapshot(url)
        self._shared[steps] = (url, pristine)
        return url, pristine

    def _build(self, url: str, steps: Steps) -> None:
        self.builds += 1
        build(url, steps)

    def close(self) -> None:
        self._schemas.close()
