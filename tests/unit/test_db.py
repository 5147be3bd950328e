"""Opening databases: pragmas, file mode, refusals, migrations, database-level guards."""

from __future__ import annotations

import sqlite3
import stat
from pathlib import Path

import pytest
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError

from budget.db import open_database
from budget.errors import DatabaseError
from budget.migrations import HEAD_REVISION
from tests.conftest import run_cli


def test_new_sqlite_file_is_private_and_configured(tmp_path: Path):
    path = tmp_path / "sub" / "budget.db"
    db = open_database(str(path))
    try:
        assert db.created
        assert stat.S_IMODE(path.stat().st_mode) == 0o600
        with db.engine.connect() as conn:
            assert conn.execute(text("PRAGMA foreign_keys")).scalar() == 1
            assert conn.execute(text("PRAGMA journal_mode")).scalar() == "wal"
            assert conn.execute(text("PRAGMA busy_timeout")).scalar() == 10_000
            version = conn.execute(text("SELECT version_num FROM alembic_version")).scalar()
        assert version == HEAD_REVISION
    finally:
        db.dispose()


def test_default_database_lives_in_the_user_data_dir(tmp_path: Path, monkeypatch):  # type: ignore[no-untyped-def]
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg"))
    db = open_database(None)
    try:
        assert db.path == tmp_path / "xdg" / "budget" / "budget.db"
    finally:
        db.dispose()


def test_environment_url_is_used(tmp_path: Path, monkeypatch):  # type: ignore[no-untyped-def]
    monkeypatch.setenv("BUDGET_DATABASE_URL", f"sqlite:///{tmp_path / 'env.db'}")
    db = open_database(None)
    db.dispose()
    assert (tmp_path / "env.db").exists()


def test_head_revision_constant_matches_the_scripts():
    from alembic.config import Config
    from alembic.script import ScriptDirectory

    from budget.db import MIGRATIONS_DIR, _known_revisions

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    assert ScriptDirectory.from_config(config).get_heads() == [HEAD_REVISION]
    assert HEAD_REVISION in _known_revisions()


def test_migrations_match_the_models(database):  # type: ignore[no-untyped-def]
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext

    from budget.models import Base

    with database.engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn), Base.metadata)
    assert diff == []


def _bytes(path: Path) -> bytes:
    return path.read_bytes()


def test_a_file_that_is_not_a_database_is_refused_untouched(tmp_path: Path):
    path = tmp_path / "notes.db"
    path.write_bytes(b"This is a shopping list, not a database.\n" * 10)
    before = _bytes(path)
    result = run_cli("--db", str(path), "org", "show")
    assert result.code == 2
    assert result.err.strip().count("\n") == 0 and "không phải là cơ sở dữ liệu" in result.err
    assert "Traceback" not in result.err
    assert _bytes(path) == before


def test_a_newer_schema_is_refused_untouched(tmp_path: Path):
    path = tmp_path / "newer.db"
    open_database(str(path)).dispose()
    with sqlite3.connect(path) as conn:
        conn.execute("UPDATE alembic_version SET version_num = '9999_future'")
    before = _bytes(path)
    result = run_cli("--db", str(path), "org", "show")
    assert result.code == 2 and "phiên bản mới hơn" in result.err
    assert _bytes(path) == before
    assert not list(tmp_path.glob("*.bak"))


def test_a_foreign_sqlite_database_is_refused(tmp_path: Path):
    path = tmp_path / "other.db"
    with sqlite3.connect(path) as conn:
        conn.execute("CREATE TABLE songs (title TEXT)")
    with pytest.raises(DatabaseError, match="chương trình khác"):
        open_database(str(path))
    with sqlite3.connect(path) as conn:
        tables = [r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")]
    assert tables == ["songs"]


def test_an_unreachable_server_is_one_clear_line():
    result = run_cli("--db", "postgresql+psycopg://postgres@127.0.0.1:1/test", "org", "show")
    assert result.code == 2
    assert result.err.startswith("Lỗi: Không kết nối được cơ sở dữ liệu")
    assert len(result.err.strip().splitlines()) == 1


def test_an_unknown_driver_is_refused():
    result = run_cli("--db", "oracle+nothing://x/y", "org", "show")
    assert result.code == 2 and "Không hỗ trợ" in result.err


def test_an_interrupted_first_migration_is_completed(tmp_path: Path):
    """An empty alembic_version (as a crash during the very first upgrade leaves
    it) is migrated from scratch on the next open."""
    path = tmp_path / "old.db"
    with sqlite3.connect(path) as conn:
        conn.execute("CREATE TABLE alembic_version (version_num VARCHAR(32) NOT NULL)")
    open_database(str(path)).dispose()
    with sqlite3.connect(path) as conn:
        assert (
            conn.execute("SELECT version_num FROM alembic_version").fetchone()[0] == HEAD_REVISION
        )
        assert conn.execute("SELECT COUNT(*) FROM organisations").fetchone()[0] == 0


def test_backup_copy_is_private_and_complete(tmp_path: Path):
    from budget.db import backup_sqlite_file

    path = tmp_path / "b.db"
    open_database(str(path)).dispose()
    copy = backup_sqlite_file(path, "test")
    assert stat.S_IMODE(copy.stat().st_mode) == 0o600
    with sqlite3.connect(copy) as conn:
        assert (
            conn.execute("SELECT version_num FROM alembic_version").fetchone()[0] == HEAD_REVISION
        )


# -- guards the database enforces by itself ------------------------------------------


def _draft_estimate(database, norms):  # type: ignore[no-untyped-def]
    """The template's estimate as a draft (version 1) of a new campaign."""
    from budget.services.campaigns import create_campaign
    from budget.services.organisation import create_organisation

    with database.session() as session, session.begin():
        create_organisation(session, code="x", actor="kiemthu", commune_name="Phú Lý")
        create_campaign(
            session, norms, year=2024, actor="kiemthu", template_key="chinh-quyen-than-thien"
        )


def _approved_demo(database, norms):  # type: ignore[no-untyped-def]
    _draft_estimate(database, norms)
    with database.engine.begin() as conn:
        conn.execute(
            text("UPDATE estimate_versions SET status = 'approved', decision_number = '1/QĐ-UBND'")
        )


@pytest.mark.parametrize(
    "statement",
    [
        "UPDATE estimate_lines SET amount = amount + 1",
        "DELETE FROM estimate_lines",
        "UPDATE estimate_parts SET title = 'x'",
        "DELETE FROM estimate_parts",
        "UPDATE estimate_versions SET status = 'draft'",
        "DELETE FROM estimate_versions",
        "INSERT INTO estimate_lines (version_id, part_id, position, code, content, unit, quantity,"
        " multiplier_unit, unit_price, amount, mlnsnn, note) SELECT version_id, id, 99, 'X.1', 'x',"
        " '', '1', '', 1, 1, '6599', '' FROM estimate_parts LIMIT 1",
    ],
)
def test_an_approved_version_is_frozen_by_the_database(database, norms, statement):  # type: ignore[no-untyped-def]
    _approved_demo(database, norms)
    with database.engine.connect() as conn:
        total = conn.execute(text("SELECT SUM(amount) FROM estimate_lines")).scalar()
    with pytest.raises(DBAPIError, match="frozen"), database.engine.begin() as conn:
        conn.execute(text(statement))
    with database.engine.connect() as conn:
        assert conn.execute(text("SELECT SUM(amount) FROM estimate_lines")).scalar() == total


def test_a_draft_can_still_be_edited(database, norms):  # type: ignore[no-untyped-def]
    _draft_estimate(database, norms)
    with database.engine.begin() as conn:
        changed = conn.execute(text("UPDATE estimate_lines SET note = 'x'")).rowcount
    assert changed == 30


@pytest.mark.parametrize(
    "statement", ["UPDATE audit_entries SET actor = 'ke gian'", "DELETE FROM audit_entries"]
)
def test_the_audit_log_is_append_only(database, norms, statement):  # type: ignore[no-untyped-def]
    _draft_estimate(database, norms)
    with pytest.raises(DBAPIError, match="append-only"), database.engine.begin() as conn:
        conn.execute(text(statement))


def test_postgres_url_with_schema_is_isolated(db_url):  # type: ignore[no-untyped-def]
    """Sanity check of the test harness itself: each test sees an empty database."""
    db = open_database(db_url)
    try:
        with db.engine.connect() as conn:
            assert conn.execute(text("SELECT COUNT(*) FROM organisations")).scalar() == 0
    finally:
        db.dispose()


def test_an_older_schema_is_copied_aside_then_migrated(tmp_path: Path):
    from alembic import command
    from alembic.config import Config

    from budget.db import MIGRATIONS_DIR, make_engine

    path = tmp_path / "v1.db"
    engine = make_engine(f"sqlite:///{path}")
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    with engine.begin() as conn:
        config.attributes["connection"] = conn
        command.upgrade(config, "0001")
        conn.execute(
            text(
                "INSERT INTO organisations (code, commune_kind, commune_name, province,"
                " place_name, chairman_name, chairman_title, accountant_name,"
                " preparer_name, dialect, rounding, collective_rule) VALUES ('a', 'xã',"
                " 'Phú Lý', '', '', '', 'CHỦ TỊCH', '', '', 'bac', 'up', 'coefficient')"
            )
        )
    engine.dispose()
    db = open_database(str(path))
    db.dispose()
    backups = list(tmp_path.glob("v1.db.before-*.bak"))
    assert len(backups) == 1 and db.backup == backups[0]
    assert stat.S_IMODE(backups[0].stat().st_mode) == 0o600
    with sqlite3.connect(backups[0]) as conn:
        assert conn.execute("SELECT version_num FROM alembic_version").fetchone()[0] == "0001"
        assert conn.execute("SELECT commune_name FROM organisations").fetchone()[0] == "Phú Lý"
    with sqlite3.connect(path) as conn:
        assert (
            conn.execute("SELECT version_num FROM alembic_version").fetchone()[0] == HEAD_REVISION
        )
        assert conn.execute("SELECT COUNT(*) FROM vouchers").fetchone()[0] == 0
        assert conn.execute("SELECT commune_name FROM organisations").fetchone()[0] == "Phú Lý"
