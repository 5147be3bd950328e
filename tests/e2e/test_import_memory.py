"""An import's peak memory does not grow with the file: 200,000 rows peak at most
40 MB above 20,000 rows (whole process, peak RSS from the kernel)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow

GROWTH_LIMIT_MB = 40


def _csv(path: Path, rows: int) -> Path:
    with path.open("w", encoding="utf-8", newline="") as fh:
        fh.write("number,type,date,line,payee,content,amount\n")
        for i in range(rows):
            vtype = "tam_ung" if i % 10 == 0 else "phieu_chi"
            day = 1 + i % 28
            fh.write(
                f",{vtype},{day:02d}/{1 + i % 12:02d}/2024,II.4,Người nhận số {i},"
                f"Chi hội nghị lần {i},{1000 * (1 + i % 50)}\n"
            )
    return path


def _peak_mb(cwd: Path, *args: str) -> int:
    env = {**os.environ, "BUDGET_USER": "kiemthu", "BUDGET_BACKUP_KEEP": "0"}
    proc = subprocess.Popen(
        [sys.executable, "-m", "budget", *args],
        env=env,
        cwd=cwd,  # not the checkout: PYTHONPATH decides which code runs
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    assert proc.stderr is not None
    err = proc.stderr.read()
    _, status, usage = os.wait4(proc.pid, 0)
    assert os.waitstatus_to_exitcode(status) == 0, err.decode()
    return usage.ru_maxrss // 1024


def test_peak_memory_of_an_import_does_not_grow_with_the_file(tmp_path: Path) -> None:
    demo = tmp_path / "demo.db"
    assert (
        subprocess.run(
            [sys.executable, "-m", "budget", "--db", str(demo), "demo"],
            env={**os.environ, "BUDGET_USER": "kiemthu"},
            capture_output=True,
        ).returncode
        == 0
    )
    peaks = {}
    for rows in (20_000, 200_000):
        db = tmp_path / f"db-{rows}.db"
        shutil.copyfile(demo, db)
        path = _csv(tmp_path / f"v-{rows}.csv", rows)
        peaks[rows] = _peak_mb(
            tmp_path,
            "--db",
            str(db),
            "import",
            "vouchers",
            str(path),
            "--override-reason",
            "đo bộ nhớ",
        )
    assert peaks[200_000] - peaks[20_000] < GROWTH_LIMIT_MB, peaks
