"""Xuất Excel over a large register (issue 15): a progress bar with rows, rows per
second and the time left; Esc while the rows are laid out stops the export and
leaves no file at all (neither the target nor a partial ".part" beside it, nor
xlsxwriter's row files); Esc once the file is being saved is refused and the
file is written whole.

The database is the demo year plus 1.500 generated vouchers: 26 + 1.500 = 1.526
in the register. The register's sheet reports every 500 rows (PROGRESS_ROWS) and
at its end, after a first report of 0 before any row: 0, 500, 1.000, 1.500, 1.526."""

from __future__ import annotations

import tempfile
import threading
from pathlib import Path
from typing import Any

import pytest
from textual.widgets import Input, ProgressBar, Select, Static

from tests.conftest import run_cli
from tests.tui.test_workflows import NOW, SIZE, make, modal, opened, plain, run, settle

REGISTER = 26 + 1_500
LONG = 60.0


@pytest.fixture
def big_db(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    monkeypatch.setenv("BUDGET_NOW", NOW)
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    path = str(tmp_path / "big.db")
    result = run_cli("--db", path, "demo", "--vouchers", "1500")
    assert result.code == 0, result.err
    return path


def _gated(monkeypatch: pytest.MonkeyPatch, stop_at: int, gate: threading.Event) -> list[Any]:
    """Wrap the core's export so its progress callback waits for ``gate`` once it
    has reported ``stop_at`` rows; returns the (done, total) it reported."""
    import budget.documents as documents

    real = documents.export_document
    seen: list[Any] = []

    def wrapper(*args: Any, progress: Any = None, **kwargs: Any) -> Any:
        def tick(done: int, total: int | None) -> None:
            seen.append((done, total))
            progress(done, total)
            if done == stop_at:
                assert gate.wait(20), "the test never opened the gate"

        return real(*args, progress=tick, **kwargs)

    monkeypatch.setattr(documents, "export_document", wrapper)
    return seen


async def _start(pilot: Any, target: Path) -> Any:
    from tui.modals.export import ExportDialog

    await pilot.press("f8")
    dialog = await modal(pilot, ExportDialog)
    dialog.query_one("#kind", Select).value = "settlement"
    path = dialog.query_one("#path", Input)
    await settle(pilot, lambda: path.value.endswith("quyet-toan.xlsx"), "the file name")
    path.value = str(target)
    await pilot.pause()
    await pilot.press("ctrl+s")
    return dialog


def _error(dialog: Any) -> str:
    return plain(dialog.query_one("#form-error", Static))


def _rate(dialog: Any) -> str:
    return plain(dialog.query_one("#export-rate", Static))


def test_esc_while_the_rows_are_laid_out_leaves_no_file(
    big_db: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "out"
    out.mkdir()
    scratch = tmp_path / "scratch"  # xlsxwriter's row files go here
    scratch.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(scratch))
    target = out / "qt.xlsx"
    gate = threading.Event()
    seen = _gated(monkeypatch, 500, gate)

    async def body() -> None:
        app = make(big_db)
        async with app.run_test(size=SIZE) as pilot:
            await opened(pilot)
            dialog = await _start(pilot, target)
            bar = dialog.query_one("#bar", ProgressBar)
            await settle(
                pilot, lambda: (bar.total, bar.progress) == (REGISTER, 500), "500 rows", LONG
            )
            # 500 of 1.526: 500 * 100 // 1.526 = 32 %
            assert _rate(dialog).startswith("Đang xuất: 500/1.526 dòng (32%) · ")
            assert " dòng/giây · còn khoảng " in _rate(dialog)
            assert dialog.phase == "rows"
            assert any(scratch.iterdir())  # the register's rows are being laid out
            await pilot.press("escape")
            assert _error(dialog) == "Đang dừng…"
            gate.set()
            await settle(pilot, lambda: dialog.phase == "idle", "the export to stop", LONG)
            assert _error(dialog) == "Đã hủy xuất: không có tệp nào được ghi."
            assert app.screen is dialog  # still open: the user may start again
            assert not dialog.query_one("#bar").display

    run(body)
    assert seen == [(0, REGISTER), (500, REGISTER), (1_000, REGISTER)]  # stopped at the next
    assert list(out.iterdir()) == []  # no file, no ".qt.xlsx.*.part"
    assert list(scratch.iterdir()) == []  # xlsxwriter's row files removed too


def test_esc_while_saving_is_refused_and_the_file_is_written(
    big_db: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from tui.modals.export import CANNOT_CANCEL

    target = tmp_path / "qt.xlsx"
    gate = threading.Event()
    seen = _gated(monkeypatch, REGISTER, gate)

    async def body() -> None:
        app = make(big_db)
        async with app.run_test(size=SIZE) as pilot:
            await opened(pilot)
            dialog = await _start(pilot, target)
            bar = dialog.query_one("#bar", ProgressBar)
            await settle(
                pilot, lambda: (bar.total, bar.progress) == (REGISTER, REGISTER), "all rows", LONG
            )
            assert _rate(dialog).startswith("Đang xuất: 1.526/1.526 dòng (100%) · ")
            assert _rate(dialog).endswith(" · đang lưu tệp…")
            await pilot.press("escape")
            assert _error(dialog) == CANNOT_CANCEL
            assert not target.exists()
            gate.set()
            await settle(pilot, lambda: dialog.phase == "idle", "the export to end", LONG)
            assert _error(dialog) == f"Đã lưu: {target}"

    run(body)
    assert seen == [(0, REGISTER), (500, REGISTER), (1_000, REGISTER), (1_500, REGISTER)] + [
        (REGISTER, REGISTER)
    ]
    from openpyxl import load_workbook

    book = load_workbook(target, read_only=True)
    register = book["Sổ chứng từ"]
    numbered = [row[0] for row in register.iter_rows(values_only=True) if isinstance(row[0], int)]
    assert numbered[-1] == REGISTER  # the last voucher's STT: every row is there
