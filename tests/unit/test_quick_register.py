"""``budget voucher list``'s quick first page (budget/cli/quick_register.py): the same
page as the full path, from SQLite alone, and only when nothing else is due."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from budget.cli import quick_register
from budget.cli.listing import Window
from budget.reports.register_filter import VoucherFilter
from tests.conftest import run_cli

DEMO_VOUCHERS = 26  # the demo year's register (budget demo): 22 posted, 2 reversed, 2 settled


@pytest.fixture(scope="module")
def demo_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    db = tmp_path_factory.mktemp("quick") / "budget.db"
    assert run_cli("--db", str(db), "demo").code == 0
    assert run_cli("--db", str(db), "plan", "list").code == 0  # the day's backup: made
    return db


@pytest.fixture
def taken(monkeypatch: pytest.MonkeyPatch) -> list[bool]:
    """What each quick_first_page call answered."""
    answers: list[bool] = []
    real = quick_register.quick_first_page

    def spy(*args: Any) -> bool:
        answers.append(real(*args))
        return answers[-1]

    monkeypatch.setattr(quick_register, "quick_first_page", spy)
    return answers


def _full_path(monkeypatch: pytest.MonkeyPatch, db: Path, *args: str) -> str:
    with monkeypatch.context() as m:
        m.setattr(quick_register, "quick_first_page", lambda *_: False)
        result = run_cli("--db", str(db), "voucher", "list", *args)
    assert result.code == 0, result.err
    return result.out


FILTERS = [
    ("--limit", "5"),
    ("--limit", "5", "--offset", "20"),  # the last page: no "còn" line
    ("--limit", "30"),  # more than there are
    ("--limit", "3", "--line", "II.4"),
    ("--limit", "3", "--type", "tam_ung"),
    ("--limit", "4", "--from", "01/03/2024", "--to", "30/06/2024"),
    ("--limit", "4", "--search", "THI ĐUA"),
    ("--limit", "4", "--search", "hop thu"),
    ("--limit", "4", "--search", "100%"),  # LIKE's own characters are text here
    ("--limit", "4", "--search", "_"),
    ("--limit", "4", "--search", "\\"),
    ("--limit", "4", "--campaign", "cqtt-2024"),
]


@pytest.mark.parametrize("args", FILTERS, ids=" ".join)
def test_the_quick_page_is_the_full_paths_page(
    demo_db: Path, monkeypatch: pytest.MonkeyPatch, taken: list[bool], args: tuple[str, ...]
) -> None:
    quick = run_cli("--db", str(demo_db), "voucher", "list", *args)
    assert quick.code == 0, quick.err
    assert taken == [True]
    assert quick.out == _full_path(monkeypatch, demo_db, *args)


def test_a_page_of_the_demo_says_what_is_left(demo_db: Path, taken: list[bool]) -> None:
    out = run_cli("--db", str(demo_db), "voucher", "list", "--limit", "5", "--offset", "3").out
    lines = out.splitlines()
    assert taken == [True]
    assert len(lines) == 2 + 5 + 1  # header, rule, five rows, the hint
    assert lines[-1] == f"… còn {DEMO_VOUCHERS - 3 - 5} dòng (dùng --limit/--offset hoặc --all)"


def test_the_widths_are_the_schemas() -> None:
    from budget.cli.register_table import LINE_WIDTH, NUMBER_WIDTH, PAYEE_WIDTH
    from budget.models import Voucher

    columns = Voucher.__table__.c
    assert min(columns.number.type.length, 12) == NUMBER_WIDTH
    assert min(columns.line_code.type.length, 6) == LINE_WIDTH
    assert min(columns.payee.type.length, 30) == PAYEE_WIDTH


def test_listing_a_page_never_loads_sqlalchemy(demo_db: Path) -> None:
    probe = (
        "import sys\n"
        "from budget.cli import main\n"
        "try:\n"
        f"    main(['--db', {str(demo_db)!r}, 'voucher', 'list', '--limit', '2'])\n"
        "except SystemExit:\n"
        "    pass\n"
        "print('LOADED' if 'sqlalchemy' in sys.modules else 'LIGHT', file=sys.stderr)\n"
    )
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True)
    assert done.stderr.strip().splitlines()[-1] == "LIGHT"
    assert "còn 24 dòng" in done.stdout


def test_the_days_first_open_takes_the_full_path_and_makes_the_backup(
    tmp_path: Path, taken: list[bool]
) -> None:
    db = tmp_path / "budget.db"
    assert run_cli("--db", str(db), "demo").code == 0  # created now: no backup yet
    backups = db.parent / "backups"
    assert not list(backups.glob("budget-daily-*.db"))
    first = run_cli("--db", str(db), "voucher", "list", "--limit", "2")
    second = run_cli("--db", str(db), "voucher", "list", "--limit", "2")
    assert taken == [False, True]
    assert len(list(backups.glob("budget-daily-*.db"))) == 1
    assert first.out == second.out


def _page(
    db: str | None, flt: VoucherFilter = VoucherFilter(), campaign: str | None = None
) -> bool:
    return quick_register.quick_first_page(db, campaign, flt, Window(2, 0, True))


def test_what_the_quick_page_leaves_to_the_full_path(
    demo_db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert _page(str(demo_db)) is True
    capsys.readouterr()
    assert _page(str(demo_db), VoucherFilter(part="II")) is False  # the part needs the estimate
    assert _page(str(demo_db), campaign="khong-co") is False  # the full path says why
    assert _page("postgresql://x@127.0.0.1:1/none") is False
    assert _page(str(tmp_path / "missing.db")) is False
    (tmp_path / "not.db").write_text("not a database")
    assert _page(str(tmp_path / "not.db")) is False
    old = tmp_path / "old.db"
    old.write_bytes(demo_db.read_bytes())
    (old.parent / "backups").mkdir()
    for daily in (demo_db.parent / "backups").glob("budget-daily-*.db"):
        (old.parent / "backups" / daily.name.replace("budget", "old")).write_bytes(
            daily.read_bytes()
        )
    assert _page(str(old)) is True
    capsys.readouterr()
    with sqlite3.connect(old) as conn:
        conn.execute("UPDATE alembic_version SET version_num = '0010'")
    assert _page(str(old)) is False  # a migration is due
    assert capsys.readouterr().out == ""


def test_an_unknown_campaign_gets_the_full_paths_message(demo_db: Path) -> None:
    result = run_cli("--db", str(demo_db), "voucher", "list", "--campaign", "khong-co")
    assert result.code == 2
    assert result.err.strip() == "Lỗi: Không có kế hoạch «khong-co»."
