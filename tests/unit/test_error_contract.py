"""The error contract: every bad input or environment failure gives ONE
Vietnamese line starting "Lỗi:" on stderr and exit status 2; never SQL, its
parameters, an English driver message or a traceback; nothing written to the
database. The details of an unexpected failure go to the log file."""

from __future__ import annotations

import errno
import gc
import io
import os
import shutil
import sqlite3
import subprocess
import time
import zipfile
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from openpyxl import Workbook

from tests.conftest import CliResult, run_cli

FORBIDDEN = ("SELECT", "INSERT", "UPDATE ", "sqlalchemy", "Traceback", "sqlite3", "[SQL")
HEADER = "number,type,date,line,payee,content,amount\n"


@pytest.fixture(autouse=True)
def _collect() -> Iterator[None]:
    """openpyxl's half-used write-only generators are finalised here, not later
    inside another module's import (where CPython 3.11 trips over them)."""
    yield
    gc.collect()


@pytest.fixture(scope="module")
def demo_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    db = tmp_path_factory.mktemp("demo") / "budget.db"
    result = run_cli("--db", str(db), "demo")
    assert result.code == 0, result.err
    con = sqlite3.connect(db)
    con.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    con.close()
    return db


@pytest.fixture
def db(demo_template: Path, tmp_path: Path) -> Path:
    target = tmp_path / "db" / "budget.db"
    target.parent.mkdir()
    shutil.copy(demo_template, target)
    return target


def snapshot(db: Path) -> tuple[object, ...]:
    con = sqlite3.connect(db)
    try:
        return tuple(
            con.execute(f"SELECT count(*), coalesce(max(id), 0) FROM {table}").fetchone()
            for table in ("vouchers", "audit_entries", "award_recipients", "estimate_lines")
        )
    finally:
        con.close()


# -- the cases: each returns the command line to run (after --db) ---------------------

Case = Callable[[Path, Path, pytest.MonkeyPatch], list[str]]


def disk_full_export(db: Path, tmp: Path, mp: pytest.MonkeyPatch) -> list[str]:
    def full(fd: int) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    mp.setattr(os, "fsync", full)
    return ["export", "summary", "--out", str(tmp / "tong-hop.xlsx")]


def disk_full_backup(db: Path, tmp: Path, mp: pytest.MonkeyPatch) -> list[str]:
    disk_full_export(db, tmp, mp)
    return ["backup", "--out", str(tmp / "copy.db")]


def missing_out_folder(db: Path, tmp: Path, mp: pytest.MonkeyPatch) -> list[str]:
    return ["export", "estimate", "--out", str(tmp / "no-such-folder" / "x.xlsx")]


def huge_limit(db: Path, tmp: Path, mp: pytest.MonkeyPatch) -> list[str]:
    return ["voucher", "list", "--limit", "1" + "0" * 25]


def twenty_digit_number(db: Path, tmp: Path, mp: pytest.MonkeyPatch) -> list[str]:
    return ["voucher", "reverse", "PC-" + "9" * 20, "--reason", "thử"]


def overlong_number_in_import(db: Path, tmp: Path, mp: pytest.MonkeyPatch) -> list[str]:
    path = tmp / "v.csv"
    path.write_text(HEADER + f"PC-{'1' * 60},phieu_chi,10/06/2024,I.1,A,B,1000\n")
    return ["import", "vouchers", str(path)]


def corrupted_zip(db: Path, tmp: Path, mp: pytest.MonkeyPatch) -> list[str]:
    wb = Workbook()
    wb.active.append(["number", "type", "date", "line", "payee", "content", "amount"])
    buffer = io.BytesIO()
    wb.save(buffer)
    data = buffer.getvalue()
    path = tmp / "broken.xlsx"
    path.write_bytes(data[: len(data) // 2])  # cut in the middle: central directory gone
    return ["import", "vouchers", str(path)]


def garbage_with_zip_magic(db: Path, tmp: Path, mp: pytest.MonkeyPatch) -> list[str]:
    path = tmp / "fake.xlsx"
    path.write_bytes(b"PK\x03\x04" + os.urandom(4000))
    return ["import", "vouchers", str(path)]


def zip_bomb(db: Path, tmp: Path, mp: pytest.MonkeyPatch) -> list[str]:
    path = tmp / "bomb.xlsx"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/worksheets/sheet1.xml", b"<" + b" " * (60 * 1024 * 1024))
    assert path.stat().st_size < 200_000
    return ["import", "vouchers", str(path)]


def norms_wrong_type(db: Path, tmp: Path, mp: pytest.MonkeyPatch) -> list[str]:
    path = tmp / "bad.toml"
    path.write_text("base_salary = 5\n")
    return ["--norms", str(path), "norms", "list"]


def norms_huge_coefficient(db: Path, tmp: Path, mp: pytest.MonkeyPatch) -> list[str]:
    path = tmp / "bad.toml"
    path.write_text(
        '[[reward_rate]]\nform = "giay_khen_ca_nhan"\ncoefficient = "1e999999"\n'
        'valid_from = 2024-01-01\nsource = "x"\n'
    )
    return ["--norms", str(path), "norms", "list"]


def norms_control_character(db: Path, tmp: Path, mp: pytest.MonkeyPatch) -> list[str]:
    path = tmp / "bad.toml"
    path.write_text(
        '[[rate]]\ncode = "x"\nname = "Nước\\u0007 uống"\nunit = "người"\namount = 40000\n'
        'valid_from = 2024-01-01\nsource = "x"\n'
    )
    return ["--norms", str(path), "norms", "list"]


def huge_recipient_cell(db: Path, tmp: Path, mp: pytest.MonkeyPatch) -> list[str]:
    path = tmp / "r.csv"
    path.write_text("name,title,form\n" + "A" * 200_000 + ",x,giay_khen_ca_nhan\n")
    return ["award", "add", "210/QĐ-UBND", "--csv", str(path)]


def huge_payee_cell(db: Path, tmp: Path, mp: pytest.MonkeyPatch) -> list[str]:
    path = tmp / "v.csv"
    path.write_text(HEADER + f",phieu_chi,10/06/2024,I.1,{'A' * 200_000},B,1000\n")
    return ["import", "vouchers", str(path)]


CASES: dict[str, Case] = {
    "disk-full-export": disk_full_export,
    "disk-full-backup": disk_full_backup,
    "missing-out-folder": missing_out_folder,
    "huge-limit": huge_limit,
    "twenty-digit-number": twenty_digit_number,
    "overlong-number-in-import": overlong_number_in_import,
    "corrupted-zip": corrupted_zip,
    "garbage-with-zip-magic": garbage_with_zip_magic,
    "zip-bomb": zip_bomb,
    "norms-wrong-type": norms_wrong_type,
    "norms-huge-coefficient": norms_huge_coefficient,
    "norms-control-character": norms_control_character,
    "huge-recipient-cell": huge_recipient_cell,
    "huge-payee-cell": huge_payee_cell,
}


def check_contract(result: CliResult) -> str:
    assert result.code == 2, (result.code, result.out, result.err)
    lines = result.err.strip().splitlines()
    assert len(lines) == 1, result.err
    assert lines[0].startswith("Lỗi:"), lines[0]
    assert len(lines[0]) <= 600
    for marker in FORBIDDEN:
        assert marker not in result.err + result.out, marker
    return lines[0]


@pytest.mark.parametrize("name", sorted(CASES))
def test_one_vietnamese_line_exit_2_nothing_written(
    name: str, db: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    before = snapshot(db)
    args = CASES[name](db, tmp_path, monkeypatch)
    if args[0] == "--norms":
        result = run_cli(args[0], args[1], "--db", str(db), *args[2:])
    else:
        result = run_cli("--db", str(db), *args)
    monkeypatch.undo()
    check_contract(result)
    assert snapshot(db) == before
    assert [p for p in tmp_path.iterdir() if p.name.endswith(".part")] == []


@pytest.fixture
def locked(db: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[sqlite3.Connection]:
    """Another writer holds the database's write lock."""
    monkeypatch.setenv("BUDGET_BUSY_TIMEOUT_MS", "1000")
    con = sqlite3.connect(db, isolation_level=None)
    con.execute("BEGIN IMMEDIATE")
    yield con
    con.execute("ROLLBACK")
    con.close()


def test_a_locked_database_says_how_long_it_waited(db: Path, locked: sqlite3.Connection) -> None:
    result = run_cli(
        "--db", str(db), "voucher", "add", "--line", "I.1", "--amount", "1000",
        "--date", "2024-06-10", "--payee", "A", "--content", "B",
    )  # fmt: skip
    line = check_contract(result)
    assert "Cơ sở dữ liệu đang bị khóa bởi một phiên khác (đã chờ 1 giây)" in line


def test_an_import_checks_its_file_before_taking_the_write_lock(
    db: Path, tmp_path: Path, locked: sqlite3.Connection
) -> None:
    path = tmp_path / "v.csv"
    path.write_text(
        HEADER + ",phieu_chi,10/06/2024,I.1,A,B,1000\n,phieu_chi,31/02/2024,I.1,A,B,1\n"
    )
    started = time.monotonic()
    line = check_contract(run_cli("--db", str(db), "import", "vouchers", str(path)))
    assert time.monotonic() - started < 0.9  # did not queue behind the lock (1 s)
    assert "dòng 3" in line and "khóa" not in line


def test_an_unexpected_failure_names_the_log_with_the_details(
    db: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from budget.cli.context import AppContext

    def boom(*args: object, **kwargs: object) -> None:
        raise RuntimeError("SELECT secret FROM vouchers WHERE x = 'tham số'")

    monkeypatch.setattr(AppContext, "reading", boom)
    result = run_cli("--db", str(db), "plan", "show")
    line = check_contract(result)
    assert "secret" not in line and "tham số" not in line
    from budget.failures import log_path

    assert str(log_path()) in line
    logged = log_path().read_text(encoding="utf-8")
    assert "RuntimeError" in logged and "Traceback" in logged


def test_hand_typed_numbers_import_verbatim(db: Path, tmp_path: Path) -> None:
    """ "PC-²" and 20 digits are hand-typed numbers (as with voucher add), not a crash."""
    path = tmp_path / "v.csv"
    path.write_text(
        HEADER + "PC-²,phieu_chi,10/06/2024,V.1,A,B,1000\n"
        f"PC-{'1' * 20},phieu_chi,10/06/2024,V.1,A,B,1000\n"
    )
    result = run_cli(
        "--db", str(db), "import", "vouchers", str(path), "--override-reason", "thử"
    )  # fmt: skip
    assert result.code == 0, result.err
    con = sqlite3.connect(db)
    rows = con.execute(
        "SELECT number, seq FROM vouchers WHERE number IN (?, ?) ORDER BY number",
        ("PC-²", "PC-" + "1" * 20),
    ).fetchall()
    con.close()
    assert rows == [("PC-" + "1" * 20, None), ("PC-²", None)]


def test_read_only_out_folder(db: Path, tmp_path: Path) -> None:
    folder = tmp_path / "ro"
    folder.mkdir()
    if os.geteuid() == 0:
        mounted = subprocess.run(
            ["mount", "-t", "tmpfs", "-o", "ro,size=64k", "tmpfs", str(folder)],
            capture_output=True,
        )
        if mounted.returncode != 0:
            pytest.skip("root without the right to mount a read-only folder")
    else:
        folder.chmod(0o500)
    try:
        before = snapshot(db)
        out = folder / "x.xlsx"
        check_contract(run_cli("--db", str(db), "export", "settlement", "--out", str(out)))
        assert snapshot(db) == before
    finally:
        if os.geteuid() == 0:
            subprocess.run(["umount", str(folder)], check=False)
        else:
            folder.chmod(0o700)


@pytest.mark.parametrize("taken_at", [2, 3])
def test_an_import_refuses_a_number_the_ledger_already_has(
    db: Path, tmp_path: Path, taken_at: int
) -> None:
    """The look-up of the batch's numbers finds one already posted (the demo's UNC-0001,
    a payment order) whichever row of the file it is on, and nothing is written."""
    con = sqlite3.connect(db)
    assert con.execute("SELECT count(*) FROM vouchers WHERE number = 'UNC-0001'").fetchone()[0]
    con.close()
    rows = [
        "PC-7001,phieu_chi,10/06/2024,II.4,A,B,1000",
        "PC-7002,phieu_chi,11/06/2024,II.4,A,B,1000",
    ]
    rows.insert(taken_at - 2, "UNC-0001,uy_nhiem_chi,12/06/2024,II.4,A,B,1000")
    path = tmp_path / "v.csv"
    path.write_text(HEADER + "\n".join(rows) + "\n")
    before = snapshot(db)
    line = check_contract(run_cli("--db", str(db), "import", "vouchers", str(path)))
    assert f"dòng {taken_at}" in line and "«UNC-0001» đã có trong năm 2024" in line, line
    assert snapshot(db) == before
