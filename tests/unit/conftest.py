"""The PostgreSQL office the hostile-session tests attack (tests/unit/hostile_office.py)."""

from tests.unit.hostile_office import baseline, office, unchanged  # noqa: F401
