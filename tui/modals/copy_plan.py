"""Copy a plan to a new year, re-priced at the norms in force in that year.

The dialog asks the new year, the plan's number and date; «Xem trước» runs the
copy itself in a savepoint that is rolled back (budget.services.reprice.preview_copy)
and shows every line whose price changes (old price, new price, legal basis).
Only when the user agrees is the copy written (copy_and_reprice, the same core
as ``budget plan copy``)."""

from __future__ import annotations

from datetime import date
from typing import Any

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.containers import Grid, Vertical
from textual.widgets import DataTable, Input, Label, Static

from budget.i18n import tr
from tui.formatting import clip, day, money
from tui.modals.base import FormDialog
from tui.widgets.money_input import DateInput

#: The width of the content column of the change list (the dialog is 116 wide).
CONTENT = 38


class CopyPlanDialog(FormDialog):
    """Dismisses with the CopyResult of the written copy, or None."""

    REQUIRED = ("year", "date")

    def __init__(self, source: str, title: str, year: int) -> None:
        super().__init__()
        self.source = source
        self.source_title = title
        self.source_year = year

    def compose(self) -> ComposeResult:
        new_year = self.source_year + 1
        with Vertical(classes="dialog narrow"):
            yield Static(tr("SAO CHÉP KẾ HOẠCH SANG NĂM MỚI"), classes="dialog-title")
            yield Static(
                f"Từ kế hoạch {self.source} ({self.source_year}): «{clip(self.source_title, 70)}». "
                "Đơn giá theo định mức được tính lại theo định mức có hiệu lực năm mới; "
                "xem các thay đổi trước khi ghi.",
                classes="form-status",
            )
            with Grid(classes="form-grid"):
                yield Label(tr("Năm"))
                yield Input(str(new_year), id="year")
                yield Label(tr("Số kế hoạch"))
                yield Input("", id="number", placeholder="ví dụ 05/KH-UBND")
                yield Label(tr("Ngày kế hoạch"))
                yield DateInput(f"01/01/{new_year}", id="date", field="Ngày kế hoạch")
            yield from self.compose_buttons("Xem trước", "Hủy")

    @on(Input.Submitted)
    def _submitted(self, event: Input.Submitted) -> None:
        if event.input.id == "date":
            self.action_save()
        else:
            self.focus_next()

    def typed(self) -> tuple[int, str, date] | str:
        text = self.query_one("#year", Input).value.strip()
        if not text.isdigit():
            return f"«Năm» phải là số, ví dụ {self.source_year + 1}."
        field = self.query_one("#date", DateInput)
        if field.date is None:
            return field.error or "«Ngày kế hoạch» không hợp lệ."
        return int(text), self.query_one("#number", Input).value.strip(), field.date

    def action_save(self) -> None:
        if self.busy:
            return
        typed = self.typed()
        if isinstance(typed, str):
            self.set_error(typed)
            return
        self.set_busy(True)
        self.set_error(tr("Đang tính lại đơn giá theo định mức năm mới…"))
        self._preview(*typed)

    def _copy(self, year: int, number: str, plan_date: date, *, keep: bool) -> Any:
        from budget.services.reprice import copy_and_reprice, preview_copy

        backend = self.budget_app.backend
        run = copy_and_reprice if keep else preview_copy
        return lambda s: run(
            s,
            backend.norms,
            self.source,
            year=year,
            actor=backend.actor,
            number=number,
            plan_date=plan_date,
        )

    @work(thread=True, exclusive=True, group="preview", exit_on_error=False)
    def _preview(self, year: int, number: str, plan_date: date) -> None:
        from tui.backend import error_text

        try:
            result = self.budget_app.backend.write(self._copy(year, number, plan_date, keep=False))
        except Exception as exc:  # noqa: BLE001 - shown in the dialog
            self.app.call_from_thread(self._preview_failed, error_text(exc))
            return
        self.app.call_from_thread(self._review, year, number, plan_date, result)

    def _preview_failed(self, message: str) -> None:
        self.set_busy(False)
        self.set_error(message)

    def _review(self, year: int, number: str, plan_date: date, result: Any) -> None:
        self.set_busy(False)
        self.set_error("")

        def answered(yes: Any) -> None:
            if yes:
                self.write(
                    self._copy(year, number, plan_date, keep=True),
                    success=f"Đã sao chép kế hoạch sang năm {year}, áp lại định mức.",
                )

        self.app.push_screen(RepriceReview(self.source, year, number, plan_date, result), answered)


class RepriceReview(FormDialog):
    """What the copy changes, line by line; Ghi bản sao writes it, Quay lại goes back."""

    #: wider than the house dialog (96): the change list needs every figure whole
    WIDTH = 116

    def __init__(self, source: str, year: int, number: str, plan_date: date, result: Any) -> None:
        super().__init__()
        self.source = source
        self.year = year
        self.number = number
        self.plan_date = plan_date
        self.result = result
        self.bases: list[str] = []
        for change in result.changes:
            if change.basis not in self.bases:
                self.bases.append(change.basis)

    def compose(self) -> ComposeResult:
        result = self.result
        info = result.campaign
        changes = result.changes
        total = sum(c.difference for c in changes)
        with Vertical(classes="dialog", id="reprice-review"):
            yield Static(
                f"ÁP LẠI ĐỊNH MỨC NĂM {self.year}: KIỂM TRA TRƯỚC KHI GHI", classes="dialog-title"
            )
            heading = Text.assemble(
                f"Kế hoạch mới {info.code}",
                f" · số {self.number}" if self.number else " · chưa có số",
                f" · ngày {day(self.plan_date)} · chép từ {self.source}",
            )
            if changes:
                heading.append(
                    f"\n{len(changes)} dòng đổi đơn giá theo định mức; dự toán "
                    f"{'tăng' if total >= 0 else 'giảm'} {money(abs(total))} đồng."
                )
            else:
                heading.append("\nKhông dòng nào đổi đơn giá theo định mức.")
            yield Static(heading, id="reprice-heading", classes="form-status")
            yield DataTable(id="reprice", cursor_type="row", zebra_stripes=True)
            notes = [f"[{i}] {basis}" for i, basis in enumerate(self.bases, 1)]
            if result.unresolved:
                notes.append(
                    "Giữ nguyên đơn giá (không có định mức hiệu lực năm mới): "
                    + ", ".join(result.unresolved)
                )
            yield Static("\n".join(notes), id="reprice-bases", classes="form-status")
            yield from self.compose_buttons("Ghi bản sao", "Quay lại")

    def on_mount(self) -> None:
        self.query_one("#reprice-review").styles.width = self.WIDTH
        table = self.query_one("#reprice", DataTable)
        table.styles.height = "auto"
        table.styles.max_height = 14
        table.add_column("Dòng")
        table.add_column("Nội dung", width=CONTENT)
        table.add_column("Ngày áp")
        for label in ("Đơn giá cũ", "Đơn giá mới", "Chênh lệch"):
            table.add_column(Text(label, justify="right"))
        table.add_column("Căn cứ")
        for change in self.result.changes:
            table.add_row(
                change.code,
                clip(change.content, CONTENT),
                day(change.on),
                *(Text(money(v), justify="right") for v in (change.old_price, change.new_price)),
                Text(f"{change.difference:+,}".replace(",", "."), justify="right"),
                f"[{self.bases.index(change.basis) + 1}]",
                key=change.code,
            )

    def action_save(self) -> None:
        self.dismiss(True)


__all__ = ["CopyPlanDialog", "RepriceReview"]
