"""Nhập tệp (i on the register): a progress bar fed by the core's callback; Esc while
the file is being checked stops it and writes nothing; Esc once the write began is
refused with the line saying why, and the import completes.

Each file has 12.000 rows of 1.000 đồng on line II.4 of the demo year (BATCH_ROWS is
5.000: the core reports after rows 5.000 and 10.000 of each step). The demo year
holds 26 vouchers (tests/tui/test_workflows.py DEMO_VOUCHERS)."""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Any

import pytest
from textual.widgets import Input, ProgressBar, Static

from tests.tui.test_workflows import (
    DEMO_VOUCHERS,
    SIZE,
    make,
    modal,
    opened,
    plain,
    run,
    settle,
    voucher_count,
    vouchers_screen,
)
from tests.tui.test_workflows import demo_url as demo_url  # the demo-year fixture

ROWS = 12_000
LONG = 90.0  # 12.000 rows read twice and written, on a loaded machine


def _csv(path: Path) -> Path:
    lines = ["number,type,date,line,payee,content,amount"]
    lines += [f",phieu_chi,10/06/2024,II.4,Người {i},Nước uống,1000" for i in range(ROWS)]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def _gated(monkeypatch: pytest.MonkeyPatch, name: str, gate: threading.Event) -> list[int]:
    """Wrap the core's ``name`` so its progress callback waits for ``gate`` after the
    first batch it reports; returns the counts the core reported."""
    from budget.services import voucher_import

    real = getattr(voucher_import, name)
    seen: list[int] = []

    def wrapper(*args: Any, progress: Any = None, **kwargs: Any) -> Any:
        def tick(done: int) -> None:
            seen.append(done)
            progress(done)
            if len(seen) == 1:
                assert gate.wait(20), "the test never opened the gate"

        return real(*args, progress=tick, **kwargs)

    monkeypatch.setattr(voucher_import, name, wrapper)
    return seen


async def _start(pilot: Any, path: Path) -> Any:
    from tui.modals.import_vouchers import ImportDialog

    await vouchers_screen(pilot)
    await pilot.press("i")
    dialog = await modal(pilot, ImportDialog)
    dialog.query_one("#path", Input).value = str(path)
    dialog.query_one("#reason", Input).value = "Nhập thử"
    await pilot.press("ctrl+s")
    return dialog


def _error(dialog: Any) -> str:
    return plain(dialog.query_one("#form-error", Static))


def _rate(dialog: Any) -> str:
    return plain(dialog.query_one("#import-rate", Static))


def test_esc_while_checking_writes_nothing(
    demo_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = _csv(tmp_path / "v.csv")
    gate = threading.Event()
    seen = _gated(monkeypatch, "check_file", gate)

    async def body() -> None:
        app = make(demo_url)
        async with app.run_test(size=SIZE) as pilot:
            await opened(pilot)
            dialog = await _start(pilot, path)
            bar = dialog.query_one("#bar", ProgressBar)
            await settle(
                pilot, lambda: bar.progress == 5_000, "the first batch checked", timeout=LONG
            )
            assert bar.total is None  # the rows are not known until the file is read
            assert _rate(dialog).startswith("Đang kiểm tra v.csv: 5.000 dòng · ")
            assert " dòng/giây" in _rate(dialog)
            await pilot.press("escape")
            assert _error(dialog) == "Đang dừng…"
            gate.set()
            await settle(pilot, lambda: dialog.phase == "idle", "the import to stop", timeout=LONG)
            assert _error(dialog) == "Đã hủy: chưa ghi gì vào sổ."
            assert app.screen is dialog  # still open: the user may start again

    run(body)
    assert seen == [5_000, 10_000]  # the next report stopped it: the end never came
    assert voucher_count(demo_url) == DEMO_VOUCHERS


def test_esc_while_writing_is_refused_and_the_import_completes(
    demo_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from budget.progress import CANNOT_CANCEL

    path = _csv(tmp_path / "w.csv")
    gate = threading.Event()
    seen = _gated(monkeypatch, "import_vouchers", gate)

    async def body() -> None:
        app = make(demo_url)
        async with app.run_test(size=SIZE) as pilot:
            await opened(pilot)
            dialog = await _start(pilot, path)
            bar = dialog.query_one("#bar", ProgressBar)
            await settle(
                pilot,
                lambda: (bar.total, bar.progress) == (ROWS, 5_000),
                "5.000 rows written",
                timeout=LONG,
            )
            assert _rate(dialog).startswith("Đang ghi w.csv: 5.000/12.000 dòng (41%) · ")
            assert " dòng/giây · còn khoảng " in _rate(dialog)
            await pilot.press("escape")
            assert _error(dialog) == CANNOT_CANCEL
            assert dialog.phase == "write"
            gate.set()
            await settle(
                pilot, lambda: dialog.phase == "idle", "the import to finish", timeout=LONG
            )
            assert (bar.total, bar.progress) == (ROWS, ROWS)
            assert _rate(dialog) == (  # II.4 had 1.360.000 left: overspent, with the reason
                "Đã nhập 12.000 chứng từ: tổng 12.000.000 đồng. "
                "Dòng chi vượt dự toán (đã ghi lý do): II.4"
            )
            assert _error(dialog) == ""

    run(body)
    assert seen == [5_000, 10_000, 12_000]
    assert voucher_count(demo_url) == DEMO_VOUCHERS + ROWS
