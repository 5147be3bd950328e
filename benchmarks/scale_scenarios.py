"""Scenarios of the scale issue: streaming lists, plans without statistics, a province.

They are added to ``benchmarks.run.SCENARIOS`` by ``add_to(run_module)`` (run.py is
executed as ``__main__``, so this module takes its classes from there rather than
importing it a second time).
"""

from __future__ import annotations

import fcntl
import hashlib
import os
import pty
import sqlite3
import struct
import subprocess
import sys
import termios
import threading
import time
from pathlib import Path
from typing import Any

from benchmarks import data
from benchmarks.data import BUDGET, DATA, TMP, log

#: The pseudo-terminal the first-screen scenario prints to.
PTY_ROWS, PTY_COLS = 40, 160


def _pty_spawn(cmd: list[str]) -> tuple[float, float, int, str, int]:
    """Run ``cmd`` with its stdout on a pseudo-terminal of PTY_ROWS × PTY_COLS, drained
    by a thread; (wall s, peak MB, return code, stderr, bytes printed)."""
    master, slave = pty.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", PTY_ROWS, PTY_COLS, 0, 0))
    received = [0]

    def drain() -> None:
        while True:
            try:
                chunk = os.read(master, 65536)
            except OSError:
                return
            if not chunk:
                return
            received[0] += len(chunk)

    reader = threading.Thread(target=drain, daemon=True)
    reader.start()
    env = {k: v for k, v in data.CHILD_ENV.items() if k not in ("LINES", "COLUMNS")}
    err_path = TMP / f"stderr-pty-{os.getpid()}.txt"
    with err_path.open("w+b") as err:
        started = time.perf_counter()
        proc = subprocess.Popen(
            cmd, cwd=data.CHILD_CWD, stdin=subprocess.DEVNULL, stdout=slave, stderr=err, env=env
        )
        _pid, status, usage = os.wait4(proc.pid, 0)
        wall = time.perf_counter() - started
        os.close(slave)
        reader.join(timeout=5)
        os.close(master)
        err.seek(0)
        stderr = err.read().decode("utf-8", "replace")
    err_path.unlink(missing_ok=True)
    return wall, usage.ru_maxrss / 1024, os.waitstatus_to_exitcode(status), stderr, received[0]


def _file_spawn(cmd: list[str], out: Path) -> tuple[float, float, int, str]:
    """Run ``cmd`` with its stdout redirected to the file ``out``."""
    err_path = TMP / f"stderr-file-{os.getpid()}.txt"
    with out.open("wb") as sink, err_path.open("w+b") as err:
        started = time.perf_counter()
        proc = subprocess.Popen(
            cmd,
            cwd=data.CHILD_CWD,
            stdin=subprocess.DEVNULL,
            stdout=sink,
            stderr=err,
            env=data.CHILD_ENV,
        )
        _pid, status, usage = os.wait4(proc.pid, 0)
        wall = time.perf_counter() - started
        err.seek(0)
        stderr = err.read().decode("utf-8", "replace")
    err_path.unlink(missing_ok=True)
    return wall, usage.ru_maxrss / 1024, os.waitstatus_to_exitcode(status), stderr


def _digest(path: Path) -> dict[str, Any]:
    digest = hashlib.sha256()
    lines = 0
    with path.open("rb") as handle:
        while chunk := handle.read(1 << 20):
            digest.update(chunk)
            lines += chunk.count(b"\n")
    return {"lines": lines, "sha256": digest.hexdigest()[:16]}


def unanalysed_copy(source: Path) -> Path:
    """A copy of a big database without planner statistics (sqlite_stat1 dropped), cached."""
    target = DATA / f"unanalysed-{source.name}"
    if target.exists():
        return target
    for old in DATA.glob("unanalysed-*"):
        old.unlink()
    tmp = target.with_name(target.name + ".tmp")
    data.fresh_copy(source, tmp.name)
    (TMP / tmp.name).replace(tmp)
    conn = sqlite3.connect(tmp)
    try:
        for table in ("sqlite_stat1", "sqlite_stat4"):
            exists = conn.execute("SELECT 1 FROM sqlite_master WHERE name = ?", (table,)).fetchone()
            if exists:
                conn.execute(f"DROP TABLE {table}")
        conn.commit()
    finally:
        conn.close()
    tmp.rename(target)
    return target


def add_to(run: Any) -> None:
    """Append this module's scenarios to ``run.SCENARIOS``."""
    RunResult, RunError, Plan, Scenario, Target = (
        run.RunResult,
        run.RunError,
        run.Plan,
        run.Scenario,
        run.Target,
    )

    def pty_process(cmd: list[str]):  # type: ignore[no-untyped-def]
        def go(_index: int) -> Any:
            wall, peak, code, stderr, printed = _pty_spawn(cmd)
            if code != 0:
                raise RunError(f"{' '.join(cmd)} failed ({code}):\n{stderr[-3000:]}")
            return RunResult([wall], peak, None, {"bytes_printed": printed})

        return go

    def file_process(cmd: list[str], out: Path):  # type: ignore[no-untyped-def]
        def go(_index: int) -> Any:
            wall, peak, code, stderr = _file_spawn(cmd, out)
            if code != 0:
                raise RunError(f"{' '.join(cmd)} failed ({code}):\n{stderr[-3000:]}")
            check = _digest(out)
            size = out.stat().st_size
            out.unlink()
            return RunResult([wall], peak, check, {"csv_bytes": size})

        return go

    def first_screen(s: Any) -> Any:
        db = str(data.scale_db(s.vouchers))
        return Plan(
            pty_process([BUDGET, "--db", db, "voucher", "list"]),
            pty_process(
                [sys.executable, "-m", "benchmarks.rawlist", "first-screen", db, str(PTY_ROWS - 4)]
            ),
            warmup=True,
            info={"vouchers": s.vouchers, "terminal": f"{PTY_ROWS}x{PTY_COLS} pty"},
        )

    def csv_all(s: Any) -> Any:
        db = str(data.scale_db(s.vouchers))
        TMP.mkdir(parents=True, exist_ok=True)
        return Plan(
            file_process(
                [BUDGET, "--db", db, "voucher", "list", "--format", "csv"], TMP / "list-ours.csv"
            ),
            file_process(
                [sys.executable, "-m", "benchmarks.rawlist", "csv", db], TMP / "list-raw.csv"
            ),
            warmup=True,
            info={"vouchers": s.vouchers},
        )

    def summary_unanalysed(s: Any) -> Any:
        analysed = data.scale_db(s.vouchers)
        bare = unanalysed_copy(analysed)
        log(f"summary without statistics: {bare.name} (sqlite_stat1 dropped)")
        return Plan(
            run.worker("summary", "ours", lambda i: {"db": str(bare)}, "summary_unanalysed_1m"),
            run.worker("summary", "ours", lambda i: {"db": str(analysed)}, "summary_unanalysed_1m"),
            info={"vouchers": s.vouchers, "baseline": "build_summary on the analysed database"},
        )

    run.SCENARIOS.extend(
        [
            Scenario(
                "list_first_screen_1m",
                "`budget voucher list` on a terminal: spawn to exit (one page + rows left)",
                Target("seconds", 0.3),
                first_screen,
            ),
            Scenario(
                "list_csv_1m",
                "`budget voucher list --format csv > file` vs raw sqlite3 + csv to a file",
                Target("ratio", 2),
                csv_all,
                mem_limit_mb=100,
                max_repeat=3,
            ),
            Scenario(
                "summary_unanalysed_1m",
                "build_summary() without sqlite_stat1 vs the same on the analysed database",
                Target("ratio", 1.5),
                summary_unanalysed,
            ),
        ]
    )
