"""Restore without loss, and only from a sound backup (issue 14, item 4).

* While another process keeps posting, ``budget restore`` runs: every voucher the
  writer was told was committed is in the copy kept aside (posted before the
  restore took the write lock) or in the restored database (posted after), never
  both, never neither.
* Backups with guards dropped, an amount edited behind the chain's back, a
  hostile extra trigger or view, only a version table, a newer schema, a chain
  head that does not match its ``.head.json``, or no database at all are each
  refused with one Vietnamese line naming the reason, exit 2, and the live
  database is left exactly as it was.
* An older backup is migrated to the current schema on the way in.
"""

# ruff: noqa: F811 - demo_template is a fixture imported from test_faults
from __future__ import annotations

import hashlib
import json
import sqlite3
from collections.abc import Callable
from pathlib import Path

import pytest

from budget.migrations import HEAD_REVISION
from tests.e2e.test_faults import (  # noqa: F401 - demo_template is a fixture
    PY,
    Lines,
    Template,
    assert_clean,
    budget,
    copy_db,
    demo_template,
    file_state,
    ok,
    query,
    scalar,
    spawn,
)

# Posts one voucher per transaction through the service; prints "i number" once
# each is committed; stops when STOP exists.
WRITER = r"""
import os, sys
from datetime import date
from budget.db import open_database
from budget.services.campaigns import find_campaign
from budget.services.vouchers import post_voucher
url, tag, stop = sys.argv[1:4]
db = open_database(url)
i = 0
while not os.path.exists(stop):
    i += 1
    with db.write_session() as s, s.begin():
        info = find_campaign(s)
        p = post_voucher(s, info.id, line_code="IV.5", amount=1,
                         entry_date=date(2024, 11, 20), payee=f"{tag} {i}",
                         content=f"Chi thử {tag} số {i}", actor=tag)
    print(i, p.number, flush=True)
db.dispose()
"""


def rows_digest(db: Path) -> str:
    """sha256 over every row of every table (read-only)."""
    con = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    digest = hashlib.sha256()
    try:
        names = [
            r[0]
            for r in con.execute("SELECT name FROM sqlite_master WHERE type='table' ORDER BY name")
        ]
        for name in names:
            digest.update(name.encode())
            for row in con.execute(f'SELECT * FROM "{name}" ORDER BY rowid'):
                digest.update(repr(row).encode())
    finally:
        con.close()
    return digest.hexdigest()


def tagged(db: Path, tag: str) -> set[tuple[int, str]]:
    rows = query(db, "SELECT payee, number FROM vouchers WHERE payee LIKE ?", f"{tag} %")
    return {(int(payee.split()[-1]), number) for payee, number in rows}


def test_restore_while_another_process_posts_loses_nothing(
    tmp_path: Path, demo_template: Template
) -> None:
    live = copy_db(demo_template.path, tmp_path / "live" / "budget.db")
    saved = tmp_path / "saved.db"
    ok(budget("--db", live, "backup", "--out", saved))
    tag = "ghikhoiphuc"
    stop = tmp_path / "stop"
    writer = spawn([PY, "-c", WRITER, str(live), tag, str(stop)], tmp_path / "writer.err")
    posted = Lines(writer)
    try:
        posted.wait_for(5)
        assert writer.poll() is None, (tmp_path / "writer.err").read_text()
        before = len(posted.lines)
        res = ok(budget("--db", live, "restore", saved, "--yes"))
        at_restore = len(posted.lines)
        posted.wait_for(at_restore + 5)  # the writer kept posting into the restored file
    finally:
        stop.touch()
    lines = posted.finish()
    err = (tmp_path / "writer.err").read_text()
    assert writer.returncode == 0, err
    assert_clean(err)
    printed = {(int(i), number) for i, number in (line.split() for line in lines)}
    assert len(printed) == len(lines) >= before + 5

    asides = list((live.parent / "backups").glob("budget-before-restore-*.db"))
    assert len(asides) == 1, res.out
    assert str(asides[0]) in res.out
    kept_aside = tagged(asides[0], tag)
    restored = tagged(live, tag)
    # Nothing lost, nothing in both: the aside copy holds 1..k, the restored file k+1..n.
    assert kept_aside | restored == printed
    assert not kept_aside & restored
    k = len(kept_aside)
    assert {i for i, _ in kept_aside} == set(range(1, k + 1))
    assert {i for i, _ in restored} == set(range(k + 1, len(lines) + 1))
    assert before <= k <= at_restore
    assert len(restored) >= 5
    # The restored file is the backup plus the writer's later vouchers, its chain whole.
    base = scalar(saved, "SELECT count(*) FROM vouchers")
    assert scalar(live, "SELECT count(*) FROM vouchers") == base + len(restored)
    assert scalar(asides[0], "SELECT count(*) FROM vouchers") == demo_template.vouchers + k
    ok(budget("--db", live, "audit", "verify"))
    assert query(live, "PRAGMA integrity_check") == [("ok",)]


# --------------------------------------------------------------------------- bad backups


def _edit(path: Path, *sql: str) -> None:
    con = sqlite3.connect(path)
    with con:
        for statement in sql:
            con.execute(statement)
    con.close()


def _triggers_dropped(path: Path) -> None:
    names = [r[0] for r in query(path, "SELECT name FROM sqlite_master WHERE type='trigger'")]
    _edit(path, *(f"DROP TRIGGER {n}" for n in names if "vouchers" in n))


def _amount_edited(path: Path) -> None:
    """Guards dropped, one posted amount changed, the guards put back exactly."""
    triggers = query(
        path, "SELECT name, sql FROM sqlite_master WHERE type='trigger' AND tbl_name='vouchers'"
    )
    _edit(
        path,
        *(f"DROP TRIGGER {name}" for name, _ in triggers),
        "UPDATE vouchers SET amount = amount + 1000000 WHERE id = (SELECT max(id) FROM vouchers)",
        *(sql for _, sql in triggers),
    )


def _extra_trigger(path: Path) -> None:
    _edit(
        path,
        "CREATE TRIGGER trg_hostile AFTER INSERT ON vouchers BEGIN "
        "UPDATE budget_settings SET value = value; END",
    )


def _extra_view(path: Path) -> None:
    _edit(path, "CREATE VIEW v_hostile AS SELECT * FROM vouchers")


def _only_version_table(path: Path) -> None:
    path.unlink()
    _edit(path, "CREATE TABLE alembic_version (version_num VARCHAR(32) NOT NULL)",
          f"INSERT INTO alembic_version VALUES ('{HEAD_REVISION}')")  # fmt: skip


def _not_a_database(path: Path) -> None:
    path.write_bytes(b"Day khong phai co so du lieu\n" * 2000)


def _newer_schema(path: Path) -> None:
    _edit(path, "UPDATE alembic_version SET version_num = '0099'")


def _head_mismatch(path: Path) -> None:
    sidecar = path.with_name(path.name + ".head.json")
    data = json.loads(sidecar.read_text(encoding="utf-8"))
    data["audit_heads"][-1]["count"] += 3  # the live chain had three more entries
    sidecar.write_text(json.dumps(data), encoding="utf-8")


BAD: dict[str, tuple[Callable[[Path], None], str]] = {
    "triggers-dropped": (_triggers_dropped, "thiếu hoặc bị sửa cơ chế bảo vệ (trg_vouchers_"),
    "amount-edited": (_amount_edited, "chuỗi nhật ký không nguyên vẹn: Chứng từ"),
    "extra-trigger": (_extra_trigger, "có trigger lạ không do chương trình tạo (trg_hostile)"),
    "extra-view": (_extra_view, "có view lạ không do chương trình tạo (v_hostile)"),
    "only-version-table": (
        _only_version_table,
        "thiếu bảng audit_content, audit_coverage, audit_entries và ",
    ),
    "not-a-database": (_not_a_database, "tệp không phải cơ sở dữ liệu SQLite."),
    "newer-schema": (
        _newer_schema,
        "phiên bản mới hơn hoặc không rõ của chương trình (lược đồ 0099",
    ),
    "head-mismatch": (_head_mismatch, "không khớp đầu chuỗi ghi trong"),
}


@pytest.fixture(scope="module")
def good_backup(tmp_path_factory: pytest.TempPathFactory, demo_template: Template) -> Path:
    folder = tmp_path_factory.mktemp("good")
    source = copy_db(demo_template.path, folder / "src" / "budget.db")
    good = folder / "good.db"
    ok(budget("--db", source, "backup", "--out", good))
    return good


@pytest.mark.parametrize("name", list(BAD))
def test_a_bad_backup_is_refused_and_the_live_database_unchanged(
    name: str, tmp_path: Path, demo_template: Template, good_backup: Path
) -> None:
    live = copy_db(demo_template.path, tmp_path / "live" / "budget.db")
    ok(budget("--db", live, "voucher", "list"))  # the day's first open (daily copy) is made now
    rows, state = rows_digest(live), file_state(live)
    listing = sorted(p.name for p in live.parent.rglob("*"))
    bad = tmp_path / "bad.db"
    copy_db(good_backup, bad)
    sidecar = good_backup.with_name(good_backup.name + ".head.json")
    bad.with_name(bad.name + ".head.json").write_bytes(sidecar.read_bytes())
    spoil, reason = BAD[name]
    spoil(bad)
    res = budget("--db", live, "restore", bad, "--yes")
    assert res.code == 2, str(res)
    assert_clean(res.out, res.err)
    assert res.err.startswith(f"Lỗi: Không khôi phục từ {bad}: "), res.err
    assert len(res.err.strip().splitlines()) == 1, res.err
    assert reason in res.err, res.err
    assert rows_digest(live) == rows
    assert file_state(live) == state
    assert sorted(p.name for p in live.parent.rglob("*")) == listing


def test_the_untouched_backup_itself_restores(
    tmp_path: Path, demo_template: Template, good_backup: Path
) -> None:
    """The control for the table above: the same copy, unspoiled, is accepted."""
    live = copy_db(demo_template.path, tmp_path / "live" / "budget.db")
    ok(budget("--db", live, "voucher", "add", "--line", "IV.5", "--amount", "1.000",
              "--date", "20/11/2024", "--payee", "Sau sao lưu", "--content", "Chi sau sao lưu"))  # fmt: skip
    assert rows_digest(live) != rows_digest(good_backup)
    bad = copy_db(good_backup, tmp_path / "bad.db")
    sidecar = good_backup.with_name(good_backup.name + ".head.json")
    bad.with_name(bad.name + ".head.json").write_bytes(sidecar.read_bytes())
    res = ok(budget("--db", live, "restore", bad, "--yes"))
    assert f"Đã khôi phục từ {bad}." in res.out
    assert rows_digest(live) == rows_digest(good_backup)


def test_an_older_backup_is_migrated_on_the_way_in(tmp_path: Path, demo_template: Template) -> None:
    from alembic import command
    from alembic.config import Config

    from budget.db import MIGRATIONS_DIR, make_engine

    old = tmp_path / "old.db"
    engine = make_engine(f"sqlite:///{old}")
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    with engine.begin() as conn:
        config.attributes["connection"] = conn
        command.upgrade(config, "0004")
    engine.dispose()
    live = copy_db(demo_template.path, tmp_path / "live" / "budget.db")
    ok(budget("--db", live, "restore", old, "--yes"))
    assert query(live, "SELECT version_num FROM alembic_version") == [(HEAD_REVISION,)]
    assert scalar(live, "SELECT count(*) FROM vouchers") == 0
    assert query(old, "SELECT version_num FROM alembic_version") == [("0004",)]  # untouched
    ok(budget("--db", live, "audit", "verify"))


def test_a_restore_waits_for_the_write_lock_then_gives_up_with_one_line(
    tmp_path: Path, demo_template: Template, good_backup: Path
) -> None:
    """A session holding the write lock longer than the busy timeout: the restore
    says so in one line, exit 2, and neither the live file nor backups/ change."""
    from tests.e2e.test_faults import child_env

    live = copy_db(demo_template.path, tmp_path / "live" / "budget.db")
    ok(budget("--db", live, "voucher", "list"))
    rows, listing = rows_digest(live), sorted(p.name for p in live.parent.rglob("*"))
    holder = sqlite3.connect(live, isolation_level=None)
    try:
        holder.execute("BEGIN IMMEDIATE")
        res = budget(
            "--db", live, "restore", good_backup, "--yes",
            env=child_env(BUDGET_BUSY_TIMEOUT_MS="300"),
        )  # fmt: skip
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    assert res.code == 2, str(res)
    assert_clean(res.out, res.err)
    assert res.err.strip() == (
        "Lỗi: Cơ sở dữ liệu đang bị khóa bởi một phiên khác (đã chờ 1 giây); "
        "chưa khôi phục gì, hãy thử lại sau."
    )
    assert rows_digest(live) == rows
    assert sorted(p.name for p in live.parent.rglob("*")) == listing


# --------------------------------------------------------------------------- pre-migration copy


def _database_at(path: Path, revision: str) -> Path:
    from alembic import command
    from alembic.config import Config

    from budget.db import MIGRATIONS_DIR, make_engine

    engine = make_engine(f"sqlite:///{path}")
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    with engine.begin() as conn:
        config.attributes["connection"] = conn
        command.upgrade(config, revision)
    engine.dispose()
    return path


def test_the_pre_migration_copy_appears_only_whole(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import budget.safe_output as safe_output
    from budget.backup import looks_complete
    from budget.db import open_database

    db = _database_at(tmp_path / "old.db", "0006")
    seen: list[tuple[bool, bool]] = []
    real_publish = safe_output._publish

    def publish(temporary: Path, target: Path, force: bool) -> None:
        # At the moment of publishing: the final name is still free, the copy whole.
        seen.append((target.exists(), looks_complete(temporary)))
        real_publish(temporary, target, force)

    monkeypatch.setattr(safe_output, "_publish", publish)
    opened = open_database(db)
    opened.dispose()
    assert opened.backup is not None
    assert opened.backup.name.startswith(f"old.db.before-{HEAD_REVISION}-")
    assert seen == [(False, True)]
    assert query(opened.backup, "SELECT version_num FROM alembic_version") == [("0006",)]
    assert [p.name for p in tmp_path.iterdir() if p.name.endswith(".part")] == []


def test_a_pre_migration_copy_cut_short_leaves_no_file_and_no_migration(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import errno

    import budget.safe_output as safe_output
    from budget.db import open_database
    from budget.errors import BudgetError

    db = _database_at(tmp_path / "old.db", "0006")

    def full_disk(_path: Path) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(safe_output, "_fsync_path", full_disk)
    with pytest.raises(BudgetError) as caught:
        open_database(db)
    assert str(caught.value).startswith("Không ghi được tệp «")
    assert str(caught.value).endswith("»: ổ đĩa đã đầy.")
    assert sorted(p.name for p in tmp_path.iterdir() if not p.name.startswith("old.db-")) == [
        "old.db"
    ]
    assert query(db, "SELECT version_num FROM alembic_version") == [("0006",)]


def test_postgresql_restore_is_left_to_the_administrator(tmp_path: Path, good_backup: Path) -> None:
    url = "postgresql+psycopg://postgres@127.0.0.1:5432/restore_test"
    res = budget("--db", url, "restore", good_backup, "--yes")
    assert res.code == 2, str(res)
    assert res.out == ""
    assert res.err.strip() == (
        "Lỗi: Khôi phục một cơ sở dữ liệu PostgreSQL dùng chung do quản trị viên làm bằng "
        "pg_restore; lệnh này chỉ khôi phục tệp SQLite."
    )


def test_restore_over_a_file_that_is_no_database_keeps_its_bytes_aside(
    tmp_path: Path, good_backup: Path
) -> None:
    live = tmp_path / "live" / "budget.db"
    live.parent.mkdir()
    junk = b"hong hoan toan " * 1000
    live.write_bytes(junk)
    res = ok(budget("--db", live, "restore", good_backup, "--yes"))
    (aside,) = (live.parent / "backups").glob("budget-before-restore-*.db")
    assert str(aside) in res.out
    assert aside.read_bytes() == junk
    assert rows_digest(live) == rows_digest(good_backup)
    ok(budget("--db", live, "audit", "verify"))


def test_a_backup_with_another_page_size_is_written_at_the_live_page_size(
    tmp_path: Path, demo_template: Template, good_backup: Path
) -> None:
    big_pages = copy_db(good_backup, tmp_path / "big-pages.db")
    con = sqlite3.connect(big_pages, isolation_level=None)
    con.execute("PRAGMA journal_mode = DELETE")
    con.execute("PRAGMA page_size = 16384")
    con.execute("VACUUM")
    con.close()
    assert query(big_pages, "PRAGMA page_size") == [(16384,)]
    live = copy_db(demo_template.path, tmp_path / "live" / "budget.db")
    ok(budget("--db", live, "voucher", "list"))  # WAL from now on: its page size is fixed
    ok(budget("--db", live, "restore", big_pages, "--yes"))
    assert query(live, "PRAGMA page_size") == [(4096,)]
    assert rows_digest(live) == rows_digest(good_backup)
