"""The import's progress line: rows, rows per second, time left; only on a terminal."""

from __future__ import annotations

import io
import os
import pty
import subprocess
import sys
from pathlib import Path

from budget.cli.progress import Progress


class Tty(io.StringIO):
    def isatty(self) -> bool:
        return True


class Clock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def test_the_line_says_rows_rate_and_time_left_and_is_cleared() -> None:
    out, clock = Tty(), Clock()
    progress = Progress("Đang ghi v.csv", 100_000, stream=out, clock=clock)
    clock.now = 104.0
    progress(20_000)  # 5.000 rows/s, 80.000 left: 16 s
    assert (
        out.getvalue()
        == "\rĐang ghi v.csv: 20.000/100.000 dòng (20%) · 5.000 dòng/giây · còn khoảng 16 giây"
    )
    clock.now = 104.1
    progress(21_000)  # within 0.2 s of the last line: not redrawn
    assert out.getvalue().count("\r") == 1
    clock.now = 140.0
    progress(30_000)  # 750 rows/s, 70.000 left: 93 s
    last = out.getvalue().split("\r")[-1]
    assert last.startswith("Đang ghi v.csv: 30.000/100.000 dòng (30%) · 750 dòng/giây")
    assert last.rstrip().endswith("còn khoảng 1 phút 33 giây")
    width = len(last)
    progress.close()
    assert out.getvalue().endswith("\r" + " " * width + "\r")


def test_without_a_total_only_rows_and_rate() -> None:
    out, clock = Tty(), Clock()
    progress = Progress("Đang kiểm tra v.csv", stream=out, clock=clock)
    clock.now = 102.0
    progress(5_000)
    assert out.getvalue() == "\rĐang kiểm tra v.csv: 5.000 dòng · 2.500 dòng/giây"


def test_nothing_when_the_stream_is_not_a_terminal() -> None:
    out, clock = io.StringIO(), Clock()
    progress = Progress("Đang ghi", 10, stream=out, clock=clock)
    clock.now = 101.0
    progress(5)
    progress.close()
    assert out.getvalue() == ""


def _csv(path: Path, rows: int) -> Path:
    lines = ["number,type,date,line,payee,content,amount"]
    lines += [f",phieu_chi,10/06/2024,II.4,Người {i},Nước uống,1000" for i in range(rows)]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def _run(args: list[str], *, tty: bool) -> tuple[int, str]:
    env = {**os.environ, "BUDGET_USER": "kiemthu"}
    cmd = [sys.executable, "-m", "budget", *args]
    if not tty:
        done = subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=300)
        return done.returncode, done.stderr
    master, slave = pty.openpty()
    proc = subprocess.Popen(cmd, env=env, stdout=subprocess.DEVNULL, stderr=slave)
    os.close(slave)
    chunks = []
    while True:
        try:
            chunk = os.read(master, 4096)
        except OSError:  # the child closed the terminal
            break
        if not chunk:
            break
        chunks.append(chunk)
    os.close(master)
    return proc.wait(timeout=300), b"".join(chunks).decode("utf-8", "replace")


def test_a_terminal_sees_both_phases_and_a_pipe_sees_nothing(tmp_path: Path) -> None:
    db = str(tmp_path / "b.db")
    assert _run(["--db", db, "demo"], tty=False)[0] == 0
    path = _csv(tmp_path / "v.csv", 12_000)
    code, err = _run(
        ["--db", db, "import", "vouchers", str(path), "--override-reason", "x"], tty=True
    )
    assert code == 0, err
    assert "\rĐang kiểm tra v.csv: 5.000 dòng · " in err
    assert "\rĐang ghi v.csv: 5.000/12.000 dòng (41%) · " in err
    assert " dòng/giây · còn khoảng " in err
    assert err.rstrip(" ").endswith("\r")  # the line is cleared at the end
    code, err = _run(
        [
            "--db",
            db,
            "import",
            "vouchers",
            str(_csv(tmp_path / "w.csv", 12_000)),
            "--override-reason",
            "x",
        ],
        tty=False,
    )
    assert code == 0 and err == ""
