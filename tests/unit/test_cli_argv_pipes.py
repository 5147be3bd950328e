"""``--db`` after the subcommand, and a closed stdout (issue 16, item 10)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from budget.cli.argv import hoist_global_options
from tests.conftest import run_cli


def test_db_is_moved_in_front() -> None:
    assert hoist_global_options(["demo", "--db", "x.db"]) == ["--db", "x.db", "demo"]
    assert hoist_global_options(["report", "summary", "--db=y"]) == ["--db=y", "report", "summary"]
    assert hoist_global_options(["voucher", "add", "--", "--db", "z"]) == [
        "voucher",
        "add",
        "--",
        "--db",
        "z",
    ]


def test_demo_and_report_with_db_after_the_command(tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setenv("BUDGET_NOW", "2024-12-20T08:00:00")
    db = str(tmp_path / "after.db")
    assert run_cli("demo", "--db", db).code == 0
    result = run_cli("report", "summary", "--db", db)
    assert result.code == 0, result.err
    # The demo's approved estimate, version 2 (QĐ 95/QĐ-UBND), totals 71.817.500.
    assert "Dự toán: 71.817.500" in result.out


def test_closed_stdout_after_a_write_keeps_the_data_quietly(tmp_path: Path) -> None:
    db = str(tmp_path / "pipe.db")
    env = {"BUDGET_NOW": "2024-12-20T08:00:00", "PATH": "/usr/bin:/bin", "HOME": str(tmp_path)}
    run = [sys.executable, "-c", "from budget.cli import main; main()"]
    assert subprocess.run([*run, "demo", "--db", db], env=env, capture_output=True).returncode == 0
    add = [*run, "voucher", "add", "--db", db, "--line", "II.4", "--amount", "30.000"]
    add += ["--date", "03/12/2024", "--payee", "A", "--content", "B"]
    proc = subprocess.Popen(add, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    assert proc.stdout is not None
    proc.stdout.close()  # the reader is gone before the command prints
    _, err = proc.communicate()
    assert proc.returncode in (0, 141)
    assert b"Traceback" not in err and err == b""
    listed = subprocess.run(
        [*run, "voucher", "list", "--db", db, "--line", "II.4"], env=env, capture_output=True
    )
    assert "30.000" in listed.stdout.decode()
