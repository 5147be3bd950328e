"""On a terminal, approve, pay, reverse and restore ask first, in Vietnamese, naming
what becomes final: ``[c/K]``, c/có/y agree, Enter/k/không refuse (nothing written),
``--yes`` skips the question; a script (stdin not a terminal) is not asked, except
by restore, which needs ``--yes`` or an answer on stdin.

Demo year (budget/demo.py): PC-0001 is 1.650.000 đồng on line I.1; decision
210/QĐ-UBND (4 recipients, 1.790.000 đồng) is not paid; the approved version 2
totals 71.817.500 đồng, so its copy (version 3) has the same total."""

from __future__ import annotations

import io
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text

from tests.conftest import CliResult, run_cli

REVERSE_Q = (
    "Hủy chứng từ PC-0001 (1.650.000 đồng, dòng I.1): bút toán hủy ghi vào sổ, không xóa "
    "hay khôi phục được nữa. Hủy chứng từ? [c/K] "
)
PAY_Q = (
    "Chi thưởng theo quyết định 210/QĐ-UBND (1.790.000 đồng, 4 người/tập thể): sau khi "
    "chi, quyết định và danh sách người nhận không sửa được nữa. Chi thưởng? [c/K] "
)
APPROVE_Q = (
    "Phê duyệt dự toán phiên bản 3 (71.817.500 đồng): sau khi duyệt không sửa được nữa. "
    "Phê duyệt? [c/K] "
)
REFUSED = "Đã hủy: không có gì thay đổi."


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


Answer = Callable[..., CliResult]


@pytest.fixture
def answer(monkeypatch: pytest.MonkeyPatch) -> Answer:
    """``answer("c\\n", "voucher", ...)``: run the command with that typed on a terminal
    (``tty=False``: on a pipe), on the demo's day (20/12/2024)."""
    monkeypatch.setenv("BUDGET_NOW", "2024-12-20T08:00:00")

    def run(typed: str, *args: str, tty: bool = True) -> CliResult:
        monkeypatch.setattr(sys, "stdin", Terminal(typed) if tty else io.StringIO(typed))
        return run_cli(*args)

    return run


def _count(url: str, sql: str) -> int:
    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            return int(conn.execute(text(sql)).scalar_one())
    finally:
        engine.dispose()


@pytest.fixture
def demo(db_url: str, answer: Answer) -> str:
    assert run_cli("--db", db_url, "demo").code == 0
    return db_url


REVERSAL = "SELECT count(*) FROM vouchers WHERE number = 'PC-0001-H'"
PAID = "SELECT count(*) FROM award_decisions WHERE number = '210/QĐ-UBND' AND paid_at IS NOT NULL"


def test_reverse_asks_and_k_writes_nothing_c_reverses(demo: str, answer: Answer) -> None:
    args = ("--db", demo, "voucher", "reverse", "PC-0001", "--reason", "Ghi nhầm")
    refused = answer("k\n", *args)
    assert refused.code == 1
    assert refused.err == REVERSE_Q + REFUSED + "\n"
    assert _count(demo, REVERSAL) == 0
    empty = answer("\n", *args)  # Enter: the default is no
    assert empty.code == 1 and _count(demo, REVERSAL) == 0
    agreed = answer("Có\n", *args)
    assert agreed.code == 0, agreed.err
    assert agreed.err == REVERSE_Q
    assert agreed.out.startswith("Đã hủy chứng từ PC-0001 (bút toán PC-0001-H).")
    assert _count(demo, REVERSAL) == 1


def test_pay_asks_again_on_an_unknown_answer_and_y_pays(demo: str, answer: Answer) -> None:
    args = ("--db", demo, "award", "pay", "210/QĐ-UBND", "--override-reason", "Thử")
    done = answer("ok\ny\n", *args)
    assert done.code == 0, done.err
    assert done.err == PAY_Q + "Trả lời c (có) hoặc k (không).\n" + PAY_Q
    assert "Đã chi thưởng theo quyết định 210/QĐ-UBND: 1.790.000 đồng." in done.out
    assert _count(demo, PAID) == 1


def test_approve_names_the_version_and_total(demo: str, answer: Answer) -> None:
    assert run_cli("--db", demo, "plan", "adjust", "--reason", "Thử").code == 0
    assert run_cli("--db", demo, "plan", "submit").code == 0
    args = ("--db", demo, "plan", "approve", "--decision", "150/QĐ-UBND", "--date", "20/12/2024")
    refused = answer("không\n", *args)
    assert refused.code == 1 and refused.err == APPROVE_Q + REFUSED + "\n"
    approved = "SELECT count(*) FROM estimate_versions WHERE status = 'approved'"
    assert _count(demo, approved) == 2  # versions 1 and 2; 3 still submitted
    done = answer("c\n", *args)
    assert done.code == 0, done.err
    assert _count(demo, approved) == 3


def test_yes_skips_the_question_and_a_pipe_is_not_asked(demo: str, answer: Answer) -> None:
    args = ("--db", demo, "voucher", "reverse", "PC-0001", "--reason", "Ghi nhầm")
    skipped = answer("", *args, "--yes")
    assert skipped.code == 0 and skipped.err == ""
    assert _count(demo, REVERSAL) == 1
    piped = answer("", "--db", demo, "voucher", "reverse", "PC-0002", "--reason", "x", tty=False)
    assert piped.code == 0 and piped.err == ""


def test_restore_asks_even_on_a_pipe(tmp_path: Path, answer: Answer) -> None:
    db, saved = tmp_path / "b.db", tmp_path / "saved.db"
    url = f"sqlite:///{db}"
    assert run_cli("--db", str(db), "demo").code == 0
    assert run_cli("--db", str(db), "backup", "--out", str(saved)).code == 0
    assert run_cli("--db", str(db), "voucher", "reverse", "PC-0001", "--reason", "x").code == 0
    question = (
        f"Khôi phục từ {saved}: toàn bộ dữ liệu hiện tại được thay bằng bản sao lưu "
        "(bản hiện tại được cất sang thư mục backups/). Khôi phục? [c/K] "
    )
    refused = answer("n\n", "--db", str(db), "restore", str(saved), tty=False)
    assert refused.code == 1 and refused.err == question + REFUSED + "\n"
    assert _count(url, REVERSAL) == 1  # not restored
    done = answer("c\n", "--db", str(db), "restore", str(saved), tty=False)
    assert done.code == 0, done.err
    assert _count(url, REVERSAL) == 0  # the backup's state: PC-0001 not reversed
    assert run_cli("--db", str(db), "restore", str(saved), "--yes").code == 0
