"""The export dialog's voucher field (issue 10, item 3): a document with a voucher
parameter offers the campaign's posted vouchers of the kinds it names, newest
first, and exports the one chosen.

The demo (budget/demo.py): advances TU-0001 (25/06/2024, 2.280.000, settled by
TT-0001 on 08/07/2024 for 2.240.000) and TU-0002 (10/12/2024, 1.500.000, open);
PC-0012 (14/08/2024) is reversed by PC-0012-H, so it is not offered.
"""

from __future__ import annotations

from pathlib import Path

from openpyxl import load_workbook
from textual.widgets import Input, Select, Static

from tests.tui.test_screens_defects import SIZE, demo_db, text_of  # noqa: F401 - fixture
from tests.tui.test_workflows import make, modal, opened, run, settle


def _options(select: Select[str]) -> list[str]:
    return [str(value) for _label, value in select._options if isinstance(value, str)]


def test_voucher_forms_offer_posted_vouchers_of_their_kind(demo_db: str, tmp_path: Path) -> None:  # noqa: F811
    from tui.modals.export import ExportDialog

    target = tmp_path / "tt.xlsx"
    seen: dict[str, list[str]] = {}

    async def body() -> None:
        app = make(demo_db)
        async with app.run_test(size=SIZE) as pilot:
            await opened(pilot)
            await pilot.press("f8")
            dialog = await modal(pilot, ExportDialog)
            voucher = dialog.query_one("#voucher", Select)
            assert not voucher.display  # the estimate takes no voucher
            assert not dialog.query_one("#decision").display
            dialog.query_one("#kind", Select).value = "payout"
            await settle(pilot, lambda: dialog.query_one("#decision").display, "decision field")
            for kind, first in (("c42", "TU-0002"), ("c41bb", "PC-0017"), ("c43bb", "TT-0001")):
                dialog.query_one("#kind", Select).value = kind
                await settle(
                    pilot,
                    lambda first=first: voucher.display and voucher.value == first,
                    f"the vouchers of {kind}",
                )
                seen[kind] = _options(voucher)
            path = dialog.query_one("#path", Input)
            await settle(
                pilot, lambda: path.value.endswith("giay-thanh-toan-tam-ung.xlsx"), "file name"
            )
            path.value = str(target)
            await pilot.press("ctrl+s")
            await settle(
                pilot,
                lambda: "Đã lưu" in text_of(dialog.query_one("#form-error", Static)),
                "the export",
                timeout=20,
            )
            await app.workers.wait_for_complete()

    run(body)
    assert seen["c42"] == ["TU-0002", "TU-0001"]
    assert seen["c43bb"] == ["TT-0001"]
    assert "PC-0012" not in seen["c41bb"] and "PC-0012-H" not in seen["c41bb"]
    assert "PC-0013" in seen["c41bb"] and "TU-0001" not in seen["c41bb"]
    values = [
        c.value
        for row in load_workbook(target, data_only=True).active.iter_rows()
        for c in row
        if c.value is not None
    ]
    assert "GIẤY THANH TOÁN TẠM ỨNG" in values and "Số: TT-0001" in values
