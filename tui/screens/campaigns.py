"""Các kế hoạch: every campaign of the commune's year with its figures, and the
emulation-reward fund they share; Enter works on the chosen campaign (for this
user's app only: the commune's current campaign in the database is left alone)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.widgets import DataTable, Footer, Header, Static

from tui.formatting import headers, money
from tui.screens.base import DataScreen

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

COLUMNS = ("Mã", "Kế hoạch", "Đã duyệt", "Đã chi", "Tạm ứng", "Còn lại")


class CampaignsScreen(DataScreen):
    AUTO_FOCUS = "#campaigns"
    BINDINGS = [("enter", "choose", "Làm việc với kế hoạch này")]

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static("", id="campaigns-heading")
        yield DataTable(id="campaigns", cursor_type="row", zebra_stripes=True)
        yield Static("", id="campaigns-fund")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#campaigns", DataTable).add_columns(*headers(*COLUMNS))

    def fetch(self, session: Session) -> Any:
        from budget.models import Campaign
        from budget.reports.campaigns import campaigns_page

        backend = self.budget_app.backend
        campaign = session.get(Campaign, backend.campaign())
        assert campaign is not None
        page = campaigns_page(session, backend.norms, campaign.organisation_id, campaign.year)
        return page, campaign.code

    def show(self, data: Any) -> None:
        page, current = data
        self.query_one("#campaigns-heading", Static).update(
            Text.assemble(
                (f"Các kế hoạch năm {page.year}", "bold"),
                f" · đang làm việc: {current} · Enter để chọn kế hoạch khác",
            )
        )
        table = self.query_one("#campaigns", DataTable)
        table.clear()
        for r in page.rows:
            title = r.title if r.approved else f"{r.title} (chưa duyệt)"
            mark = "▶ " if r.code == current else ""
            table.add_row(*self._cells(mark + r.code, title, r.figures), key=r.code)
        table.add_row(*self._cells("", "TỔNG CỘNG", page.total), key="__total__")
        self.query_one("#campaigns-fund", Static).update(fund_text(page.fund))

    @staticmethod
    def _cells(code: str, title: str, f: Any) -> list[Any]:
        return [
            code,
            title,
            *(
                Text(money(v), justify="right")
                for v in (f.approved, f.spent, f.committed, f.remaining)
            ),
        ]

    @on(DataTable.RowSelected, "#campaigns")
    def _selected(self, event: DataTable.RowSelected) -> None:
        self._choose(event.row_key.value)

    def action_choose(self) -> None:
        table = self.query_one("#campaigns", DataTable)
        if table.row_count:
            self._choose(table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value)

    def _choose(self, code: str | None) -> None:
        if not code or code == "__total__":
            return
        self.budget_app.choose_campaign(code)


def fund_text(f: Any) -> Text:
    text = Text.assemble(
        ("Quỹ thi đua, khen thưởng năm ", "bold"),
        (str(f.year), "bold"),
        f": đầu năm {money(f.opening)} · trích lập {money(f.allocated)} · "
        f"đã chi {money(f.spent)} · tạm ứng {money(f.committed)} · số dư ",
        (money(f.balance), "bold"),
    )
    if f.cap_limit is not None:
        over = f.emulation_charged > f.cap_limit or f.over_cap
        text.append(
            f"\nCông tác thi đua: đã chi {money(f.emulation_charged)}, dự toán "
            f"{money(f.emulation_approved)} / trần {f.cap_percent} % = {money(f.cap_limit)} "
            f"({f.cap_source})",
            style="bold red" if over else "",
        )
    return text
