"""A new voucher: the chosen line's remaining balance shows as you type, and an
overspend needs an explicit reason."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any, Protocol

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.containers import Grid, Vertical
from textual.widgets import Input, Label, Select, Static

from budget.i18n import tr
from budget.vocabulary import TYPE_CHOICES
from tui.formatting import money
from tui.modals.base import FormDialog
from tui.widgets.money_input import DateInput, MoneyInput

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from budget.services.vouchers import PostedVoucher

TYPES = TYPE_CHOICES
log = logging.getLogger(__name__)


class ShowsPosted(Protocol):
    """A screen that shows the voucher this form posted without re-reading its page."""

    def read_posted(self, session: Session, posted: PostedVoucher) -> Any:
        """In the write's worker, after the commit: what the screen needs to show it."""

    def show_posted(self, posted: PostedVoucher, seen: Any) -> None:
        """On the UI thread, just before the form closes (``seen`` is None when the
        read failed: the screen then re-reads itself)."""


class VoucherForm(FormDialog):
    """Dismisses with the new voucher's number, or None. ``register``, if given, is
    handed the posted voucher before the form closes, so the two happen in one frame."""

    REQUIRED = ("line", "date", "amount", "payee", "content")

    def __init__(
        self,
        *,
        line: str | None = None,
        default_date: str = "",
        register: ShowsPosted | None = None,
    ) -> None:
        super().__init__()
        self.preset_line = line
        self.default_date = default_date
        self.register = register
        self.balances: dict[str, tuple[str, int]] = {}  # code -> (content, remaining)

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Static(tr("GHI CHỨNG TỪ CHI"), classes="dialog-title")
            with Grid(classes="form-grid"):
                yield Label(tr("Loại chứng từ"))
                yield Select(TYPES, value="phieu_chi", allow_blank=False, id="vtype")
                yield Label(tr("Dòng dự toán"))
                yield Select([], prompt="Chọn dòng…", id="line")
                yield Label(tr("Ngày"))
                yield DateInput(self.default_date, id="date", field="Ngày chứng từ")
                yield Label(tr("Số tiền (đồng)"))
                yield MoneyInput(id="amount")
                yield Label(tr("Người nhận"))
                yield Input(id="payee", placeholder="Họ tên / đơn vị nhận tiền")
                yield Label(tr("Nội dung chi"))
                yield Input(id="content")
                yield Label(tr("Số chứng từ"))
                yield Input(id="number", placeholder="để trống: số tự động")
                yield Label(tr("Lý do chi vượt"))
                yield Input(id="reason", placeholder="chỉ khi vượt số còn lại", disabled=True)
            yield Static("", id="balance", classes="form-status")
            yield from self.compose_buttons("Ghi", "Hủy")

    def on_mount(self) -> None:
        self.load_lines()

    @work(thread=True, exclusive=True, group="voucher-lines", exit_on_error=False)
    def load_lines(self) -> None:
        from budget.reports.reconcile import reconcile

        backend = self.budget_app.backend
        try:
            rec = backend.read(lambda s: reconcile(s, backend.campaign()))
        except Exception as exc:  # noqa: BLE001
            from tui.backend import error_text

            self.app.call_from_thread(self.set_error, error_text(exc, "voucher-form"))
            return
        balances = {
            r.code: (r.content, r.figures.remaining) for r in rec.lines if r.figures.approved > 0
        }
        self.app.call_from_thread(self._lines_loaded, balances)

    def _lines_loaded(self, balances: dict[str, tuple[str, int]]) -> None:
        self.balances = balances
        select = self.query_one("#line", Select)
        select.set_options(
            [
                (f"{code}  {content[:50]}  (còn {money(rest)})", code)
                for code, (content, rest) in balances.items()
            ]
        )
        if self.preset_line in balances:
            select.value = self.preset_line
        self._update_balance()
        self.mark_clean()
        self.focus_first_field()

    @on(Select.Changed)
    @on(Input.Changed)
    def _changed(self) -> None:
        self._update_balance()

    def _update_balance(self) -> None:
        line = self.query_one("#line", Select).value
        amount = self.query_one("#amount", MoneyInput).amount
        status = self.query_one("#balance", Static)
        reason = self.query_one("#reason", Input)
        if not isinstance(line, str) or line not in self.balances:
            status.update("Chọn dòng dự toán để xem số còn lại.")
            reason.disabled = True
            return
        content, rest = self.balances[line]
        text = Text.assemble(f"Dòng {line}: còn lại ", (money(rest), "bold"), " đồng")
        over = amount is not None and amount > rest
        if amount is not None:
            after = rest - amount
            text.append(" · sau chứng từ: ")
            text.append(money(after), style="bold red" if over else "bold green")
            if over:
                text.append("  VƯỢT DỰ TOÁN: cần lý do", style="bold red")
        status.update(text)
        reason.disabled = not over

    @on(Input.Submitted)
    def _submitted(self, event: Input.Submitted) -> None:
        if event.input.id in ("content", "number", "reason"):
            self.action_save()
        else:
            self.focus_next()

    def action_save(self) -> None:
        values = self._values()
        if isinstance(values, tuple):
            self.set_error(values[0], field=values[1])
            return

        backend = self.budget_app.backend

        def action(session: Any) -> PostedVoucher:
            from budget.services.vouchers import post_voucher

            return post_voucher(
                session, backend.campaign(), actor=backend.actor, norms=backend.norms, **values
            )

        register = self.register
        self.confirm_future(
            [("Ngày chứng từ", values["entry_date"])],
            lambda: self.write(
                action,
                success="Đã ghi chứng từ.",
                then_read=register.read_posted if register is not None else None,
            ),
        )

    def saved(self, result: Any) -> None:
        if self.register is None:
            self.dismiss(result.number)
            return
        posted, seen = result
        try:
            self.register.show_posted(posted, seen)
        except Exception:  # noqa: BLE001 - saved; the register re-reads its page instead
            log.exception("showing the posted voucher %s", posted.number)
        self.dismiss(posted.number)

    def _values(self) -> dict[str, Any] | tuple[str, str | None]:
        """The service's arguments, or (message, the field it is about)."""
        line = self.query_one("#line", Select).value
        if not isinstance(line, str):
            return "Chưa chọn dòng dự toán.", "line"
        date_input = self.query_one("#date", DateInput)
        day = date_input.date
        if day is None:
            return date_input.error or "«Ngày chứng từ» không hợp lệ.", "date"
        amount_input = self.query_one("#amount", MoneyInput)
        amount = amount_input.amount
        if not amount:
            return amount_input.error or "«Số tiền» không hợp lệ.", "amount"
        reason_input = self.query_one("#reason", Input)
        reason = reason_input.value.strip() if not reason_input.disabled else ""
        if not reason_input.disabled and not reason:
            return "Số tiền vượt số còn lại của dòng: nhập lý do chi vượt.", "reason"
        return {
            "line_code": line,
            "amount": amount,
            "entry_date": day,
            "payee": self.query_one("#payee", Input).value,
            "content": self.query_one("#content", Input).value,
            "vtype": self.query_one("#vtype", Select).value,
            "number": self.query_one("#number", Input).value or None,
            "override_reason": reason or None,
        }
