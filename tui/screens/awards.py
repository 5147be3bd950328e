"""Khen thưởng: decisions, their recipients with amounts from the norms, payment."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import DataTable, Header, Static

from tui.formatting import day, headers, money
from tui.screens.base import DataScreen
from tui.widgets.keybar import KeyFooter

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from budget.services.award_lines import LineChoice
    from budget.services.awards import AwardsView, DecisionView, RecipientView

KINDS = {"ca_nhan": "Cá nhân", "tap_the": "Tập thể", "ho_gia_dinh": "Hộ gia đình"}


class AwardsScreen(DataScreen["AwardsView"]):
    AUTO_FOCUS = "#decisions"
    BINDINGS = [
        Binding("n", "new", "Quyết định mới"),
        Binding("l", "lines", "Dòng chi"),
        Binding("a", "add", "Thêm người"),
        Binding("e", "edit", "Sửa người", show=False),  # listed in F1 help
        Binding("x", "remove", "Xóa người", show=False),
        Binding("p", "pay", "Chi thưởng"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.decisions: list[DecisionView] = []
        self.choices: dict[str, LineChoice] = {}  # line code -> what remains
        self.selected: str | None = None

    def compose(self) -> ComposeResult:
        yield Header()
        yield DataTable(id="decisions", cursor_type="row", zebra_stripes=True)
        yield Static("", id="decision-info")
        yield DataTable(id="recipients", cursor_type="row", zebra_stripes=True)
        yield KeyFooter()

    def on_mount(self) -> None:
        decisions = self.query_one("#decisions", DataTable)
        decisions.border_title = "Quyết định khen thưởng"
        decisions.add_columns(
            *headers("Số QĐ", "Ngày", "Người ký", "Số người", "Tổng tiền", "Đã chi")
        )
        recipients = self.query_one("#recipients", DataTable)
        recipients.border_title = "Danh sách được khen thưởng"
        recipients.add_columns(
            *headers(
                "STT",
                "Họ tên / Tập thể",
                "Chức vụ, đơn vị",
                "Đối tượng",
                "Số tiền",
                "Dòng",
                "Hình thức",
                "Cách tính",
            )
        )

    def fetch(self, session: Session) -> AwardsView:
        from budget.services.awards import awards_view

        backend = self.budget_app.backend
        return awards_view(session, backend.campaign(), backend.norms)

    def show(self, data: AwardsView) -> None:
        decisions = data.decisions
        self.choices = {c.code: c for c in data.choices}
        self.decisions = decisions
        table = self.query_one("#decisions", DataTable)
        table.clear()
        for d in decisions:
            paid = (
                Text(", ".join(d.vouchers), style="green")
                if d.paid
                else Text("chưa chi", style="yellow")
            )
            table.add_row(
                d.number,
                day(d.decision_date),
                d.signer,
                str(len(d.recipients)),
                Text(money(d.total), justify="right"),
                paid,
                key=d.number,
            )
        if decisions:
            keep = next((i for i, d in enumerate(decisions) if d.number == self.selected), None)
            table.move_cursor(row=keep if keep is not None else len(decisions) - 1)
            self._show_decision(decisions[table.cursor_row])
        else:
            self.query_one("#decision-info", Static).update(
                "Chưa có quyết định khen thưởng: n để tạo."
            )

    @on(DataTable.RowHighlighted, "#decisions")
    def _highlighted(self, event: DataTable.RowHighlighted) -> None:
        if 0 <= event.cursor_row < len(self.decisions):
            self._show_decision(self.decisions[event.cursor_row])

    def _show_decision(self, d: DecisionView) -> None:
        self.selected = d.number
        rounding = "làm tròn lên" if d.rounding == "up" else "làm tròn gần nhất"
        self.query_one("#decision-info", Static).update(
            Text.assemble(
                (f"QĐ {d.number} ngày {day(d.decision_date)}", "bold"),
                f" · {d.title} · ",
                f"mức thưởng = hệ số × lương cơ sở, {rounding} đến hàng chục nghìn đồng · ",
                self._lines_text(d),
                " · ",
                ("đã chi" if d.paid else "chưa chi", "green" if d.paid else "yellow"),
                *((f"\nHệ số {', '.join(d.unverified)}: chưa đối chiếu văn bản.", "yellow"),)
                if getattr(d, "unverified", ())
                else (),
            )
        )
        table = self.query_one("#recipients", DataTable)
        table.clear()
        for r in d.recipients:
            table.add_row(
                str(r.position),
                r.name[:30],
                r.title[:22],
                KINDS.get(r.kind, r.kind),
                Text(money(r.amount), justify="right"),
                r.line_code,
                r.form_name.removeprefix("Giấy khen của ")[:28],
                r.rule[:22],
            )

    def _lines_text(self, d: DecisionView) -> Text:
        if d.lines:
            return Text.assemble("dòng chi ", (", ".join(d.lines), "bold"))
        return Text("chưa chọn dòng chi (l để chọn)", style="yellow")

    def _by_line(self, d: DecisionView) -> dict[str, int]:
        totals: dict[str, int] = {}
        for r in d.recipients:
            totals[r.line_code] = totals.get(r.line_code, 0) + r.amount
        return totals

    def _current_recipient(self) -> RecipientView | None:
        decision = self._current()
        table = self.query_one("#recipients", DataTable)
        if decision is None or not 0 <= table.cursor_row < len(decision.recipients):
            return None
        return decision.recipients[table.cursor_row]

    def _current(self) -> DecisionView | None:
        return next((d for d in self.decisions if d.number == self.selected), None)

    def action_new(self) -> None:
        from budget.clock import today
        from tui.modals.award_lines import AwardLinesDialog

        def created(result: Any) -> None:
            if result is not None:
                self.selected = result.number

        self.app.push_screen(AwardLinesDialog(default_date=today().strftime("%d/%m/%Y")), created)

    def action_lines(self) -> None:
        decision = self._current()
        if decision is None:
            return
        if decision.paid:
            self.notify("Quyết định đã chi thưởng, không đổi dòng chi được.", severity="warning")
            return
        from tui.modals.award_lines import AwardLinesDialog

        self.app.push_screen(
            AwardLinesDialog(number=decision.number, title=decision.title, current=decision.lines)
        )

    def action_edit(self) -> None:
        decision, recipient = self._current(), self._current_recipient()
        if decision is None or recipient is None:
            return
        if decision.paid:
            self.notify("Quyết định đã chi thưởng, không sửa người nhận được.", severity="warning")
            return
        from tui.modals.recipients import RecipientEditDialog

        self.app.push_screen(RecipientEditDialog(decision.number, recipient))

    def action_remove(self) -> None:
        decision, recipient = self._current(), self._current_recipient()
        if decision is None or recipient is None:
            return
        if decision.paid:
            self.notify("Quyết định đã chi thưởng, không xóa người nhận được.", severity="warning")
            return
        from tui.modals.simple import ConfirmDialog

        backend = self.budget_app.backend
        number, position = decision.number, recipient.position

        def answered(yes: bool | None) -> None:
            if not yes:
                return
            from budget.services.award_edit import remove_recipient
            from budget.services.draft_undo import track_recipients

            def remove(s: Any) -> Any:
                campaign = backend.campaign()
                return track_recipients(
                    s,
                    campaign,
                    number,
                    lambda: remove_recipient(
                        s, campaign, number, position, backend.norms, actor=backend.actor
                    ),
                )

            self.budget_app.perform(
                remove,
                success=f"Đã xóa STT {position} «{recipient.name}» khỏi quyết định {number}.",
            )

        self.app.push_screen(
            ConfirmDialog(f"Xóa STT {position} «{recipient.name}» khỏi quyết định {number}?"),
            answered,
        )

    def action_add(self) -> None:
        decision = self._current()
        if decision is None:
            return
        if decision.paid:
            self.notify("Quyết định đã chi thưởng, không thêm người được.", severity="warning")
            return
        from tui.modals.recipients import RecipientsDialog

        self.app.push_screen(RecipientsDialog(decision.number))

    def action_pay(self) -> None:
        decision = self._current()
        if decision is None:
            return
        from budget.confirmations import pay_question
        from tui.modals.simple import FieldsDialog

        backend = self.budget_app.backend

        def build(values: dict[str, Any]) -> Any:
            from budget.services.awards import pay_decision

            return lambda s: pay_decision(
                s,
                backend.campaign(),
                decision.number,
                backend.norms,
                actor=backend.actor,
                entry_date=values["date"],
                override_reason=(values.get("reason") or "").strip() or None,
            )

        by_line = self._by_line(decision)
        parts, short = [], False
        for code, amount in by_line.items():
            choice = self.choices.get(code)
            rest = choice.remaining if choice is not None else 0
            short = short or amount > rest
            parts.append(f"dòng {code}: {money(amount)} (còn {money(rest)})")
        fields = [("date", "Ngày chi", "date", day(decision.decision_date))]
        if short:
            fields.append(("reason", "Lý do chi vượt", "text", ""))
        self.app.push_screen(
            FieldsDialog(
                f"CHI THƯỞNG THEO QĐ {decision.number}",
                fields,
                build,
                success=f"Đã chi thưởng theo quyết định {decision.number}.",
                intro=f"{len(decision.recipients)} người/tập thể, tổng {money(decision.total)} đồng; "
                f"mỗi dòng dự toán một phiếu chi — {'; '.join(parts)}."
                + (" Có dòng không đủ số còn lại: ghi lý do chi vượt." if short else ""),
                confirm=lambda values: pay_question(
                    decision.number, decision.total, len(decision.recipients)
                ),
            )
        )
