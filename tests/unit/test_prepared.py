"""The shared-scenario store (tests/prepared.py) hands every test the scenario
as built: SQLite copies are independent, and a shared PostgreSQL schema that a
test changed is rebuilt before the next test gets it."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import create_engine, text

from tests.prepared import ScenarioStore

STEPS = (("org", "set", "--commune-name", "Phú Lý", "--province", "Đồng Nai"),)


def commune_names(url: str) -> list[str]:
    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            return list(
                conn.execute(text("SELECT commune_name FROM organisations ORDER BY id")).scalars()
            )
    finally:
        engine.dispose()


def rename(url: str, name: str) -> None:
    engine = create_engine(url)
    try:
        with engine.begin() as conn:
            conn.execute(text("UPDATE organisations SET commune_name = :n"), {"n": name})
    finally:
        engine.dispose()


def test_every_checkout_starts_from_the_scenario_as_built(
    db_url: str, tmp_path_factory: pytest.TempPathFactory
) -> None:
    store = ScenarioStore(tmp_path_factory.mktemp("store"), commune_names)
    try:
        first, snap = store.checkout(db_url, STEPS, writes=False)
        assert snap == ["Phú Lý"]
        rename(first, "Xã khác")

        second_own = (
            f"sqlite:///{Path(tmp_path_factory.mktemp('second')) / 'budget.db'}"
            if db_url.startswith("sqlite")
            else db_url
        )
        second, snap = store.checkout(second_own, STEPS, writes=False)

        assert snap == ["Phú Lý"]
        assert commune_names(second) == ["Phú Lý"]
        if db_url.startswith("sqlite"):
            # Built once; the first test's copy keeps its own change.
            assert store.builds == 1
            assert commune_names(first) == ["Xã khác"]
        else:
            # The shared schema was changed, so it was built again.
            assert store.builds == 2
    finally:
        store.close()
