"""Các kế hoạch: every campaign of the commune's year with its figures, and the
emulation-reward fund they share; Enter works on the chosen campaign (for this
user's app only: the commune's current campaign in the database is left alone).

From here a plan is started from the template (n), copied to a new year at that
year's norms (c, tui/modals/copy_plan.py), and the year's fund register is opened
(o) and topped up (b)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import DataTable, Header, Static

from budget.i18n import tr
from tui.formatting import clip, money
from tui.screens.base import DataScreen
from tui.widgets.keybar import KeyFooter

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

MONEY_COLUMNS = ("Đã duyệt", "Đã chi", "Tạm ứng", "Còn lại")
#: A column's padding on each side (DataTable.cell_padding) and the scrollbar.
PADDING = 1
SCROLLBAR = 2
UNAPPROVED = " (chưa duyệt)"


def fit_title(title: str, width: int) -> str:
    """``title`` cut to ``width`` with …, keeping the "(chưa duyệt)" mark whole."""
    if title.endswith(UNAPPROVED) and len(title) > width:
        return clip(title.removesuffix(UNAPPROVED), width - len(UNAPPROVED)) + UNAPPROVED
    return clip(title, width)


class CampaignsScreen(DataScreen):
    AUTO_FOCUS = "#campaigns"
    BINDINGS = [
        Binding("enter", "choose", "Làm việc với kế hoạch này"),
        Binding("n", "new_plan", "Kế hoạch mới"),
        Binding("c", "copy_plan", "Sao chép sang năm mới"),
        Binding("o", "open_fund", "Mở sổ quỹ"),
        Binding("b", "allocate", "Bổ sung quỹ"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.page: Any = None
        self.org_id: int | None = None
        self.current: str = ""

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(tr("Đang tải…"), id="campaigns-heading")
        yield DataTable(id="campaigns", cursor_type="row", zebra_stripes=True)
        yield Static("", id="campaigns-fund")
        yield KeyFooter()

    def fetch(self, session: Session) -> Any:
        from budget.models import Campaign
        from budget.reports.campaigns import campaigns_page

        backend = self.budget_app.backend
        campaign = session.get(Campaign, backend.campaign())
        assert campaign is not None
        page = campaigns_page(session, backend.norms, campaign.organisation_id, campaign.year)
        return page, campaign.code, campaign.organisation_id

    def show(self, data: Any) -> None:
        page, current, org_id = data
        self.page, self.current, self.org_id = page, current, org_id
        self.query_one("#campaigns-heading", Static).update(
            Text.assemble(
                (f"Các kế hoạch năm {page.year}", "bold"),
                f" · đang làm việc: {current} · Enter để chọn kế hoạch khác",
            )
        )
        table = self.query_one("#campaigns", DataTable)
        cursor = table.cursor_row
        rows = [
            (
                ("▶ " if r.code == current else "") + r.code,
                r.title if r.approved else f"{r.title}{UNAPPROVED}",
                r.figures,
                r.code,
            )
            for r in page.rows
        ]
        rows.append(("", "TỔNG CỘNG", page.total, "__total__"))
        code_width, title_width, money_width = self._widths(rows)
        table.clear(columns=True)
        table.add_column(tr("Mã"), width=code_width)
        table.add_column(tr("Kế hoạch"), width=title_width)
        for label in MONEY_COLUMNS:
            table.add_column(Text(tr(label), justify="right"), width=money_width)
        for code, title, figures, key in rows:
            table.add_row(*self._cells(code, fit_title(title, title_width), figures), key=key)
        if table.row_count:
            table.move_cursor(row=min(max(cursor, 0), table.row_count - 1))
        self.query_one("#campaigns-fund", Static).update(fund_text(page.fund))

    def _widths(self, rows: list[tuple[str, str, Any, str]]) -> tuple[int, int, int]:
        """Every figure whole: the money columns as wide as their widest amount, the
        code as its longest code, and the title takes what is left (cut with …)."""
        amounts = [
            money(v) for _, _, f, _ in rows for v in (f.approved, f.spent, f.committed, f.remaining)
        ]
        money_width = max(len(x) for x in [*MONEY_COLUMNS, *amounts])
        code_width = max(len(x) for x in ["Mã", *(code for code, _, _, _ in rows)])
        width = self.size.width or self.app.size.width
        columns = 2 + len(MONEY_COLUMNS)
        rest = width - SCROLLBAR - 2 * PADDING * columns - code_width - 4 * money_width
        longest = max(len(title) for _, title, _, _ in rows)
        return code_width, max(16, min(longest, rest)), money_width

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

    def _row_code(self) -> str | None:
        table = self.query_one("#campaigns", DataTable)
        if not table.row_count:
            return None
        code = table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value
        return None if code == "__total__" else code

    @on(DataTable.RowSelected, "#campaigns")
    def _selected(self, event: DataTable.RowSelected) -> None:
        self._choose(event.row_key.value)

    def action_choose(self) -> None:
        self._choose(self._row_code())

    def _choose(self, code: str | None) -> None:
        if not code or code == "__total__":
            return
        self.budget_app.choose_campaign(code)

    # -- plans ---------------------------------------------------------------------------
    def _writable(self) -> bool:
        return self.page is not None and not self.budget_app._refuse_read_only()

    def _switch_to(self, result: Any) -> None:
        code = getattr(result, "code", None) or getattr(
            getattr(result, "campaign", None), "code", None
        )
        if code:
            self.budget_app.choose_campaign(code)

    def action_new_plan(self) -> None:
        if not self._writable():
            return
        from tui.modals.setup import first_plan_dialog

        dialog = first_plan_dialog(
            self.budget_app.backend,
            title="KẾ HOẠCH MỚI TỪ MẪU",
            year=self.page.year,
        )
        self.app.push_screen(dialog, self._switch_to)

    def action_copy_plan(self) -> None:
        if not self._writable():
            return
        from tui.modals.copy_plan import CopyPlanDialog

        source = self._row_code() or self.current
        row = next((r for r in self.page.rows if r.code == source), None)
        if row is None:
            return
        self.app.push_screen(CopyPlanDialog(source, row.title, self.page.year), self._switch_to)

    # -- the fund ------------------------------------------------------------------------
    def action_open_fund(self) -> None:
        if not self._writable():
            return
        fund, org_id, year = self.page.fund, self.org_id, self.page.year
        if org_id is None:  # the page has not loaded its commune yet
            return
        if fund.opened:
            self.notify(f"Sổ quỹ thi đua, khen thưởng năm {year} đã mở.", severity="warning")
            return
        from tui.modals.simple import FieldsDialog

        backend = self.budget_app.backend

        def build(values: dict[str, Any]) -> Any:
            from budget.services.fund import open_fund

            opening = values["opening"]
            return lambda s: open_fund(s, org_id, year, opening, actor=backend.actor)

        self.app.push_screen(
            FieldsDialog(
                f"MỞ SỔ QUỸ THI ĐUA, KHEN THƯỞNG NĂM {year}",
                [("opening", "Số dư đầu năm", "money", "0")],
                build,
                success=f"Đã mở sổ quỹ thi đua, khen thưởng năm {year}.",
                intro="Số dư chuyển từ năm trước; trích lập trong năm ghi bằng phím b.",
            )
        )

    def action_allocate(self) -> None:
        if not self._writable():
            return
        from budget.clock import today
        from tui.modals.simple import FieldsDialog

        org_id, year = self.org_id, self.page.year
        if org_id is None:  # the page has not loaded its commune yet
            return
        if not self.page.fund.opened:
            self.notify(
                f"Chưa mở sổ quỹ thi đua, khen thưởng năm {year}: nhấn o để mở.",
                severity="warning",
            )
            return
        backend = self.budget_app.backend

        def build(values: dict[str, Any]) -> Any:
            from budget.services.fund import allocate

            return lambda s: allocate(
                s,
                org_id,
                year,
                values["amount"],
                decision_number=values["decision"],
                decision_date=values["date"],
                actor=backend.actor,
            )

        self.app.push_screen(
            FieldsDialog(
                f"BỔ SUNG QUỸ THI ĐUA, KHEN THƯỞNG NĂM {year}",
                [
                    ("amount", "Số tiền", "money", ""),
                    ("decision", "Số quyết định", "text", ""),
                    ("date", "Ngày quyết định", "date", today().strftime("%d/%m/%Y")),
                ],
                build,
                success=f"Đã bổ sung quỹ năm {year}.",
            )
        )


def fund_text(f: Any) -> Text:
    if not f.opened:
        text = Text.assemble(
            (f"Chưa mở sổ quỹ thi đua, khen thưởng năm {f.year}", "bold yellow"),
            " · nhấn o để mở sổ (số dư đầu năm), b để ghi trích lập.",
        )
        if f.approved or f.charged:
            text.append(
                f"\nCác dòng chi từ quỹ: dự toán {money(f.approved)} · đã chi {money(f.spent)}"
                f" · tạm ứng {money(f.committed)} (chưa đối chiếu với quỹ)"
            )
        return text
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
            f"· {f.cap_source}",
            style="bold red" if over else "",
        )
    return text
