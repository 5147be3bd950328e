"""The installed `budget tui` in a real terminal: tmux runs the console script,
the keys go in as a user types them, and the voucher lands in the database.

The demo commune's next phiếu chi is PC-0018; line II.4 (hộp thư góp ý) has
1.360.000 đồng left, so 350.000 needs no overspend reason.
"""

from __future__ import annotations

import os
import shlex
import shutil
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from datetime import date, datetime
from pathlib import Path

import pytest
from sqlalchemy import select

from tests.conftest import run_cli

pytestmark = [
    pytest.mark.skipif(
        shutil.which("tmux") is None, reason="tmux is not installed; CI installs it (see .ci/run)"
    ),
    # Under pytest-xdist (--dist loadgroup) these run one after another on one worker.
    pytest.mark.xdist_group("tmux"),
]

NOW = "2024-12-20T08:00:00"
USER = "kiemthu"
BUDGET = Path(sys.executable).parent / "budget"
KEY_PAUSE = 0.3  # the line select's overlay needs a moment to open and close
START_TIMEOUT = 20.0
TIMEOUT = 10.0


class Terminal:
    """A detached 120×36 tmux session on a server (socket) of its own."""

    def __init__(self, env: dict[str, str]) -> None:
        self.name = f"budget-e2e-{uuid.uuid4().hex[:10]}"
        self.env = env

    def tmux(self, *args: str) -> str:
        result = subprocess.run(
            ["tmux", "-L", self.name, "-f", os.devnull, *args],
            env=self.env,
            capture_output=True,
            text=True,
            timeout=10,
            check=True,
        )
        return result.stdout

    def start(self) -> None:
        self.tmux("new-session", "-d", "-s", self.name, "-x", "120", "-y", "36")

    def kill(self) -> None:
        # The last session gone, this socket's server exits too.
        subprocess.run(
            ["tmux", "-L", self.name, "kill-session", "-t", self.name],
            env=self.env,
            capture_output=True,
            timeout=10,
            check=False,
        )

    def run(self, command: str) -> None:
        self.tmux("send-keys", "-t", self.name, command, "Enter")

    def key(self, *keys: str) -> None:
        for key in keys:
            self.tmux("send-keys", "-t", self.name, key)
            time.sleep(KEY_PAUSE)

    def type(self, text: str) -> None:
        self.tmux("send-keys", "-t", self.name, "-l", text)
        time.sleep(KEY_PAUSE)

    def screen(self) -> str:
        return self.tmux("capture-pane", "-p", "-t", self.name)

    def wait_for(self, *texts: str, timeout: float = TIMEOUT) -> str:
        deadline = time.monotonic() + timeout
        while True:
            screen = self.screen()
            if all(text in screen for text in texts):
                return screen
            if time.monotonic() > deadline:
                raise AssertionError(f"{texts!r} not on the screen after {timeout} s:\n{screen}")
            time.sleep(0.2)


@pytest.fixture
def demo_db(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("BUDGET_NOW", NOW)
    monkeypatch.setenv("BUDGET_USER", USER)
    path = tmp_path / "budget.db"
    result = run_cli("--db", str(path), "demo")
    assert result.code == 0, result.err
    return path


@pytest.fixture
def terminal(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Terminal]:
    # The test's environment (HOME and XDG folders in tmp), outside any tmux we run
    # in, with the server's socket in a short temporary folder of its own.
    env = {k: v for k, v in os.environ.items() if k not in ("TMUX", "TMUX_PANE")}
    env["TMUX_TMPDIR"] = str(tmp_path_factory.mktemp("tmux"))
    term = Terminal(env)
    term.start()
    try:
        yield term
    finally:
        term.kill()


def test_new_voucher_typed_in_the_terminal_app(demo_db: Path, terminal: Terminal) -> None:
    assert BUDGET.exists(), f"the console script is not installed: {BUDGET}"
    command = (
        f"env BUDGET_NOW={NOW} BUDGET_USER={USER} "
        f"{shlex.quote(str(BUDGET))} --db {shlex.quote(str(demo_db))} tui"
    )
    terminal.run(command)
    terminal.wait_for("ỦY BAN NHÂN DÂN XÃ PHÚ LÝ", "71.817.500", timeout=START_TIMEOUT)

    terminal.key("F4")
    terminal.wait_for("26 / 26 chứng từ", "PC-0017")
    terminal.key("n")
    terminal.wait_for("GHI CHỨNG TỪ CHI", "Chọn dòng dự toán để xem số còn lại.")

    terminal.key("Enter")  # the line select (focused: the first empty required field), opened
    terminal.wait_for("II.4  Hộp thư góp ý")  # the overlay lists the lines with their balances
    terminal.type("II.4")
    terminal.key("Enter")
    terminal.wait_for("Dòng II.4: còn lại 1.360.000 đồng")
    terminal.key("Tab")  # the date: today (20/12/2024) already filled in
    terminal.key("Tab")
    terminal.type("350.000")
    terminal.key("Tab")
    terminal.type("Cơ sở mica Tân Hiệp")
    terminal.key("Tab")
    terminal.type("Hộp thư góp ý bổ sung cho ấp")
    terminal.wait_for("sau chứng từ: 1.010.000", "Hộp thư góp ý bổ sung cho ấp")
    terminal.key("C-s")

    screen = terminal.wait_for("PC-0018", "27 / 27 chứng từ")
    assert "GHI CHỨNG TỪ CHI" not in screen, screen
    row = next(line for line in screen.splitlines() if "PC-0018" in line)
    assert "350.000" in row, row
    assert "20/12/2024" in row and "II.4" in row and "Đã ghi" in row, row

    from budget.db import open_database
    from budget.models.voucher import Voucher

    db = open_database(str(demo_db))
    try:
        with db.session() as session:
            vouchers = (
                session.execute(
                    select(Voucher).where(Voucher.line_code == "II.4", Voucher.amount == 350_000)
                )
                .scalars()
                .all()
            )
            assert len(vouchers) == 1
            v = vouchers[0]
            assert v.number == "PC-0018"
            assert v.type == "phieu_chi"
            assert v.entry_date == date(2024, 12, 20)
            assert v.payee == "Cơ sở mica Tân Hiệp"
            assert v.content == "Hộp thư góp ý bổ sung cho ấp"
            assert v.entered_by == USER
            assert v.entered_at == datetime(2024, 12, 20, 8, 0)
    finally:
        db.dispose()

    terminal.key("C-q")


def test_cli_import_progress_bar_in_a_terminal(
    demo_db: Path, terminal: Terminal, tmp_path: Path
) -> None:
    """`budget import vouchers` on a large file, in a real terminal: the progress line
    shows the rows checked, then the rows written out of the total with rows per
    second and the time left, and is cleared for the result line. 40.000 rows of
    1.000 đồng on line II.4 (an overspend, with its reason)."""
    rows = 40_000
    path = tmp_path / "lon.csv"
    lines = ["number,type,date,line,payee,content,amount"]
    lines += [f",phieu_chi,10/06/2024,II.4,Người {i},Nước uống,1000" for i in range(rows)]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    command = (
        f"env BUDGET_NOW={NOW} BUDGET_USER={USER} {shlex.quote(str(BUDGET))} "
        f"--db {shlex.quote(str(demo_db))} import vouchers {shlex.quote(str(path))} "
        "--override-reason 'Nhập thử'"
    )
    terminal.run(command)
    checking = terminal.wait_for("Đang kiểm tra lon.csv: ", " dòng/giây", timeout=120)
    assert "/40.000" not in checking  # the rows are not known until the file is read
    writing = terminal.wait_for("Đang ghi lon.csv: ", "/40.000 dòng (", timeout=240)
    line = next(ln for ln in writing.splitlines() if "Đang ghi lon.csv" in ln)
    assert " dòng/giây · còn khoảng " in line, line
    done = terminal.wait_for("Đã nhập 40000 chứng từ: tổng 40.000.000 đồng.", timeout=240)
    assert "Đang ghi lon.csv" not in done  # the progress line was cleared
    assert "Dòng chi vượt dự toán (đã ghi lý do): II.4" in done
