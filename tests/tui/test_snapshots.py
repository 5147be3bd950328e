"""What each screen of the terminal app looks like on the demo commune.

One SVG snapshot per screen's main state at 120×36, taken on a demo SQLite
database built with a frozen clock (BUDGET_NOW) and a fixed user, so the
figures, dates and audit timestamps never change between runs. Before each
screenshot the test waits for the app to open the database, for every worker
that fetches a screen's data to finish and for the screen to show a few texts
only the real data has (and to stop changing).

Update after an intended change of the layout:

    python -m pytest tests/tui/test_snapshots.py --snapshot-update
"""

from __future__ import annotations

import html
import re
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import run_cli

SIZE = (120, 36)
NOW = "2024-12-20T08:00:00"
TIMEOUT = 20.0
# What a screen shows before its data (or the database) has arrived.
PLACEHOLDERS = ("Đang tải", "Đang mở cơ sở dữ liệu")


@pytest.fixture
def demo_db(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    """A demo SQLite file; BUDGET_NOW stays set while the app runs."""
    monkeypatch.setenv("BUDGET_NOW", NOW)
    monkeypatch.setenv("BUDGET_USER", "kiemthu")
    # The audit log shows local time: pin the zone so the snapshot is the same anywhere.
    monkeypatch.setenv("TZ", "UTC")
    time.tzset()
    path = str(tmp_path / "budget.db")
    result = run_cli("--db", path, "demo")
    assert result.code == 0, result.err
    return path


async def settle(pilot: Any) -> None:
    """Wait until the database is open and no worker is still fetching data."""
    app = pilot.app
    deadline = time.monotonic() + TIMEOUT
    while not app.ready:
        assert time.monotonic() < deadline, "the app never opened the database"
        await pilot.pause(0.05)
    # A key press can start a load (screen resume) a moment after it is handled,
    # and a finished load can refresh another screen: wait until nothing runs.
    while True:
        await pilot.pause(0.05)
        await app.workers.wait_for_complete()
        await pilot.pause(0.05)
        if not any(worker.is_running for worker in app.workers):
            return
        assert time.monotonic() < deadline, "the app's workers never finished"


def screen_text(app: Any) -> str:
    """The characters on the terminal, row after row (from the SVG screenshot)."""
    svg = app.export_screenshot()
    return html.unescape(re.sub(r"<[^>]+>", "", svg)).replace("\xa0", " ")


def loaded(text: str, expect: Sequence[str]) -> bool:
    return all(wanted in text for wanted in expect) and not any(
        placeholder in text for placeholder in PLACEHOLDERS
    )


async def shown(pilot: Any, expect: Sequence[str], ready: Callable[[Any], bool]) -> str:
    """Wait until the screen shows its data (every text of ``expect``, and
    ``ready(screen)``) and two looks 0.1 s apart agree (tables laid out)."""
    deadline = time.monotonic() + TIMEOUT
    previous = None
    while True:
        text = screen_text(pilot.app)
        done = loaded(text, expect) and ready(pilot.app.screen)
        if (done and text == previous) or time.monotonic() > deadline:
            return text
        previous = text if done else None
        await pilot.pause(0.1)


def snapshot(
    snap_compare: Any,
    db: str,
    keys: Sequence[str] = (),
    *,
    expect: Sequence[str],
    ready: Callable[[Any], bool] = lambda screen: True,
    summary: bool = False,
    size: tuple[int, int] = SIZE,
) -> None:
    """Open the app on ``db``, wait for its data, press ``keys`` (waiting after
    each), wait for the screen to show ``expect`` and compare the snapshot."""
    from tui.app import make_app

    seen: dict[str, Any] = {}

    async def run_before(pilot: Any) -> None:
        await settle(pilot)
        for key in keys:
            await pilot.press(key)
            await settle(pilot)
        seen["text"] = await shown(pilot, expect, ready)
        seen["ready"] = ready(pilot.app.screen)
        # Tables size their columns on the frame after their rows arrive; under
        # load that frame can come after the capture. Render every table afresh.
        from textual.widgets import DataTable

        for table in pilot.app.screen.query(DataTable):
            table._clear_caches()
            table.refresh(layout=True)
        await pilot.pause(0.2)
        await settle(pilot)

    app = make_app(db=db, summary=summary)
    matched = snap_compare(app, press=[], terminal_size=size, run_before=run_before)
    text = seen.get("text", "")
    for placeholder in PLACEHOLDERS:
        assert placeholder not in text, f"still {placeholder!r}:\n{text}"
    for wanted in expect:
        assert wanted in text, f"{wanted!r} not on the screen:\n{text}"
    assert seen.get("ready"), f"the screen's data never arrived:\n{text}"
    assert matched, "the screen differs from the stored snapshot (see the snapshot report)"


def form_lines_loaded(screen: Any) -> bool:
    """The voucher form's line select was filled from the database."""
    return "II.4" in getattr(screen, "balances", {})


def test_dashboard(snap_compare: Any, demo_db: str) -> None:
    """F2: the commune, the estimate's status, the money, parts, alerts, latest vouchers."""
    snapshot(
        snap_compare, demo_db, ["f2"], expect=["ỦY BAN NHÂN DÂN XÃ PHÚ LÝ", "71.817.500", "PC-0017"]
    )


def test_estimate(snap_compare: Any, demo_db: str) -> None:
    """F3: the approved adjusted estimate (version 2) with its parts and lines."""
    snapshot(snap_compare, demo_db, ["f3"], expect=["Phiên bản 2/2", "TỔNG CỘNG: 71.817.500 đồng"])


def test_estimate_compare(snap_compare: Any, demo_db: str) -> None:
    """F3 then c: the original and the adjusted amounts side by side."""
    snapshot(snap_compare, demo_db, ["f3", "c"], expect=["Ban đầu", "Chênh lệch", "1.850.000"])


def test_vouchers(snap_compare: Any, demo_db: str) -> None:
    """F4: the voucher register."""
    snapshot(snap_compare, demo_db, ["f4"], expect=["PC-0012-H", "26 / 26 chứng từ"])


def test_new_voucher_form(snap_compare: Any, demo_db: str) -> None:
    """F4 then n: the new-voucher form with today's (frozen) date, lines loaded."""
    snapshot(
        snap_compare,
        demo_db,
        ["f4", "n"],
        expect=["GHI CHỨNG TỪ CHI", "20/12/2024"],
        ready=form_lines_loaded,
    )


def test_awards(snap_compare: Any, demo_db: str) -> None:
    """F5: the award decisions; the last one (210/QĐ-UBND, unpaid) is selected."""
    snapshot(snap_compare, demo_db, ["f5"], expect=["120/QĐ-UBND", "Hộ ông Nguyễn Văn Sáu"])


def test_reconcile(snap_compare: Any, demo_db: str) -> None:
    """F6: budget against actual, per line."""
    snapshot(snap_compare, demo_db, ["f6"], expect=["Theo tiểu mục", "-80.000", "108,3 %"])


def test_summary(snap_compare: Any, demo_db: str) -> None:
    """`budget tui --summary`: the chairman's one-page summary."""
    snapshot(
        snap_compare,
        demo_db,
        summary=True,
        expect=["Chi theo tháng", "17.122.500", "Đã dùng 69,3 %"],
    )


def test_audit(snap_compare: Any, demo_db: str) -> None:
    """F9: the audit log, newest first."""
    snapshot(
        snap_compare, demo_db, ["f9"], expect=["20/12/2024 08:00  kiemthu", "Thêm 4 người/tập thể"]
    )


def test_campaigns(snap_compare: Any, demo_db: str) -> None:
    """F12: the commune's campaigns of 2024, every figure whole at 120 columns, and the
    fund register the demo never opened said as such (not a negative balance)."""
    snapshot(
        snap_compare,
        demo_db,
        ["f12"],
        expect=["22.030.000", "Chưa mở sổ quỹ thi đua, khen thưởng năm 2024"],
    )


def test_help(snap_compare: Any, demo_db: str) -> None:
    """F1: the key list over the dashboard."""
    snapshot(snap_compare, demo_db, ["f1"], expect=["TRỢ GIÚP — PHÍM TẮT"])


# -- 80×24: every screen usable on a small terminal (amounts always visible) ----------------
SMALL = (80, 24)


def test_dashboard_80x24(snap_compare: Any, demo_db: str) -> None:
    snapshot(snap_compare, demo_db, ["f2"], expect=["ỦY BAN NHÂN DÂN XÃ PHÚ LÝ"], size=SMALL)


def test_vouchers_80x24(snap_compare: Any, demo_db: str) -> None:
    """The amount and status columns show; the payee and content are cut with …."""
    snapshot(snap_compare, demo_db, ["f4"], expect=["Số tiền", "1.650.000", "26 / 26"], size=SMALL)


def test_reconcile_80x24(snap_compare: Any, demo_db: str) -> None:
    """Còn lại and Tỷ lệ show; Ban đầu, Tạm ứng and the bar make room for them."""
    snapshot(snap_compare, demo_db, ["f6"], expect=["Còn lại", "Tỷ lệ", "96,5 %"], size=SMALL)


def test_summary_80x24(snap_compare: Any, demo_db: str) -> None:
    snapshot(snap_compare, demo_db, summary=True, expect=["Đã dùng 69,3 %"], size=SMALL)


# -- the province reviewer's roll-up (F11) ---------------------------------------------------
@pytest.fixture
def province_db(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, norms: Any) -> str:
    """tests/unit/test_province_report.py's office on SQLite, the app's login a
    reviewer of ninh-binh (on PostgreSQL: budget_reviewer_provinces())."""
    from budget.db import open_database
    from budget.workspace import Workspace
    from tests.unit.test_province_report import build_province

    monkeypatch.setenv("BUDGET_NOW", NOW)
    monkeypatch.setenv("BUDGET_USER", "kiemthu")
    monkeypatch.setattr(Workspace, "reviewer_provinces", property(lambda self: ("ninh-binh",)))
    path = str(tmp_path / "budget.db")
    database = open_database(path)
    build_province(database, norms)
    database.dispose()
    return path


def test_province(snap_compare: Any, province_db: str) -> None:
    """A reviewer starts on the roll-up: both communes, their totals and the fund."""
    snapshot(snap_compare, province_db, expect=["10.200.000", "11.500.000", "Cộng"])


def test_province_80x24(snap_compare: Any, province_db: str) -> None:
    """Tạm ứng gives way; every amount and commune name stays whole."""
    snapshot(
        snap_compare, province_db, expect=["7.150.000", "Xã Bình Lợi", "Số dư quỹ"], size=SMALL
    )
