"""Đối chiếu: budget against actual per line, part and budget code, with bars and
colours for near the limit and over; Enter on a line opens its vouchers."""

from __future__ import annotations

from typing import TYPE_CHECKING, TypeVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.widgets import DataTable, Header, Static, TabbedContent, TabPane

from tui.formatting import bar, clip, headers, level, money, percent
from tui.messages import ShowVouchers
from tui.screens.base import DataScreen
from tui.widgets.keybar import KeyFooter

if TYPE_CHECKING:
    from collections.abc import Sequence

    from sqlalchemy.orm import Session

    from budget.reports.reconcile import Figures, Reconciliation

#: A cell of the reconciliation tables.
C = TypeVar("C")

STYLE = {"ok": "green", "near": "yellow", "over": "bold red"}
COLUMNS = ("Mã", "Nội dung", "Ban đầu", "Hiện hành", "Đã chi", "Tạm ứng", "Còn lại", "Tỷ lệ", "")


class ReconcileScreen(DataScreen["Reconciliation"]):
    AUTO_FOCUS = "#rec-lines"
    BINDINGS = [("enter", "open", "Xem chứng từ")]

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static("", id="reconcile-heading")
        with TabbedContent(id="reconcile-tabs"):
            with TabPane("Theo dòng", id="tab-lines"):
                yield DataTable(id="rec-lines", cursor_type="row", zebra_stripes=True)
            with TabPane("Theo phần", id="tab-parts"):
                yield DataTable(id="rec-parts", cursor_type="row", zebra_stripes=True)
            with TabPane("Theo tiểu mục", id="tab-codes"):
                yield DataTable(id="rec-codes", cursor_type="row", zebra_stripes=True)
        yield KeyFooter()

    #: columns left out below 110 terminal columns, so Còn lại always shows
    OPTIONAL = (2, 5, 8)  # Ban đầu, Tạm ứng, the bar

    def on_mount(self) -> None:
        self.narrow = self.app.size.width < 110
        columns = self._fit(list(COLUMNS))
        for table_id in ("#rec-lines", "#rec-parts", "#rec-codes"):
            self.query_one(table_id, DataTable).add_columns(*headers(*columns))

    def _fit(self, cells: Sequence[C]) -> list[C]:
        if getattr(self, "narrow", False):
            return [c for i, c in enumerate(cells) if i not in self.OPTIONAL]
        return list(cells)

    def fetch(self, session: Session) -> Reconciliation:
        from budget.reports.reconcile import reconcile

        backend = self.budget_app.backend
        return reconcile(session, backend.campaign(), norms=backend.norms)

    def _row(self, code: str, title: str, f: Figures) -> list[str | Text]:
        lvl = level(f.used, f.approved)
        width = max(10, min(32, self.app.size.width - 58)) if self.narrow else 32
        return self._fit(
            [
                code,
                clip(title, width),
                Text(money(f.original), justify="right"),
                Text(money(f.approved), justify="right"),
                Text(money(f.spent), justify="right"),
                Text(money(f.committed), justify="right"),
                Text(
                    money(f.remaining), justify="right", style=STYLE[lvl] if lvl == "over" else ""
                ),
                Text(percent(f.percent), justify="right", style=STYLE[lvl]),
                Text(bar(f.used, f.approved, 10), style=STYLE[lvl]),
            ]
        )

    def show(self, rec: Reconciliation) -> None:
        t = rec.total
        decision = f" (QĐ {rec.decision_number})" if rec.decision_number else ""
        self.query_one("#reconcile-heading", Static).update(
            Text.assemble(
                (f"Dự toán phiên bản {rec.version_no}{decision}", "bold"),
                f" · ban đầu {money(t.original)} · hiện hành {money(t.approved)} · "
                f"đã chi {money(t.spent)} · tạm ứng {money(t.committed)} · còn lại ",
                (money(t.remaining), "bold"),
                f" · {percent(t.percent)}",
            )
        )
        lines = self.query_one("#rec-lines", DataTable)
        lines.clear()
        for row in rec.lines:
            lines.add_row(*self._row(row.code, row.content, row.figures), key=row.code)
        lines.add_row(*self._row("", "TỔNG CỘNG", t), key="__total__")
        for table_id, groups in (("#rec-parts", rec.parts), ("#rec-codes", rec.codes)):
            table = self.query_one(table_id, DataTable)
            table.clear()
            for group in groups:
                table.add_row(*self._row(group.code, group.title, group.figures))
            table.add_row(*self._row("", "TỔNG CỘNG", t))

    @on(DataTable.RowSelected, "#rec-lines")
    def _selected(self, event: DataTable.RowSelected) -> None:
        code = event.row_key.value
        if code and code != "__total__":
            self.post_message(ShowVouchers(code))

    def action_open(self) -> None:
        table = self.query_one("#rec-lines", DataTable)
        if table.row_count:
            code = table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value
            if code and code != "__total__":
                self.post_message(ShowVouchers(code))
