"""A database opened read-only (the chairman's page, `budget tui --read-only`):
the figures read as usual, every write is refused by the application with one
Vietnamese line and, underneath, by the database engine itself."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError

from budget.db import READ_ONLY_MESSAGE, open_database
from budget.errors import DatabaseError
from tests.conftest import run_cli


@pytest.fixture
def demo_url(db_url: str, monkeypatch: pytest.MonkeyPatch) -> str:
    monkeypatch.setenv("BUDGET_NOW", "2024-12-20T08:00:00")
    result = run_cli("--db", db_url, "demo")
    assert result.code == 0, result.err
    return db_url


def _voucher_count(session) -> int:  # type: ignore[no-untyped-def]
    return int(session.execute(text("SELECT count(*) FROM vouchers")).scalar_one())


def test_read_only_reads_the_figures_and_refuses_writes(demo_url: str) -> None:
    db = open_database(demo_url, read_only=True)
    try:
        assert db.read_only
        with db.session() as session:
            assert _voucher_count(session) == 26  # the demo's 26 vouchers
        with pytest.raises(DatabaseError) as refused:
            db.write_session()
        assert refused.value.message == READ_ONLY_MESSAGE
        # Even a raw statement past the application (and past the guards, which
        # would refuse a DELETE of vouchers anyway) is refused by the engine.
        with pytest.raises(DBAPIError, match="(?i)read-?only"), db.engine.begin() as conn:
            conn.execute(text("CREATE TABLE ghi_trai_phep (x integer)"))
    finally:
        db.dispose()
    db = open_database(demo_url)
    try:
        with db.session() as session:
            assert _voucher_count(session) == 26
    finally:
        db.dispose()


def test_a_flush_through_a_reading_session_is_refused(demo_url: str) -> None:
    from budget.models.voucher import Voucher

    db = open_database(demo_url, read_only=True)
    try:
        with db.session() as session:
            voucher = session.query(Voucher).filter_by(number="PC-0017").one()
            voucher.content = "sửa trái phép"
            with pytest.raises(DatabaseError, match="chế độ chỉ xem"):
                session.flush()
    finally:
        db.dispose()


def test_read_only_never_creates_a_missing_file(tmp_path: Path) -> None:
    missing = tmp_path / "khong-co.db"
    with pytest.raises(DatabaseError, match="Không tìm thấy tệp cơ sở dữ liệu"):
        open_database(f"sqlite:///{missing}", read_only=True)
    assert not missing.exists()


def _files(folder: Path) -> dict[str, int]:
    """The folder's files but SQLite's own -wal/-shm, with their modification times."""
    return {
        p.name: p.stat().st_mtime_ns
        for p in folder.iterdir()
        if not p.name.endswith(("-wal", "-shm"))
    }


def test_read_only_leaves_the_sqlite_folder_as_it_was(tmp_path: Path) -> None:
    path = tmp_path / "budget.db"
    assert run_cli("--db", str(path), "demo").code == 0
    before = _files(tmp_path)
    main = path.read_bytes()
    db = open_database(str(path), read_only=True)
    try:
        with db.session() as session:
            assert _voucher_count(session) == 26
    finally:
        db.dispose()
    assert _files(tmp_path) == before  # no backup, no migration copy
    assert path.read_bytes() == main
    # A WAL reader may leave SQLite's empty journal files, never a page of data.
    wal = tmp_path / "budget.db-wal"
    assert not wal.exists() or wal.stat().st_size == 0


def test_a_file_with_spaces_and_marks_opens_read_only(tmp_path: Path) -> None:
    path = tmp_path / "dữ liệu #1" / "xã Phú Lý?.db"
    path.parent.mkdir()
    assert run_cli("--db", str(path), "demo").code == 0
    db = open_database(str(path), read_only=True)
    try:
        with db.session() as session:
            assert _voucher_count(session) == 26
    finally:
        db.dispose()


def test_an_old_schema_is_not_migrated_read_only(tmp_path: Path) -> None:
    path = tmp_path / "budget.db"
    assert run_cli("--db", str(path), "demo").code == 0
    db = open_database(str(path))
    with db.engine.begin() as conn:
        conn.execute(text("UPDATE alembic_version SET version_num = '0006'"))
    db.dispose()
    with pytest.raises(DatabaseError, match="cần được nâng cấp lược đồ; chế độ chỉ xem không tự"):
        open_database(str(path), read_only=True)
    assert not list(tmp_path.glob("*.bak"))
