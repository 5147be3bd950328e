"""Chứng từ: the register with filters, paged from the database; new voucher,
reverse, settle an advance."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.widgets import DataTable, Header, Input, Select, Static

from budget.vocabulary import REGISTER_STATUS_SHORT, REGISTER_TYPE_FILTER, SHORT_TYPE_LABELS
from tui.formatting import clip, count, day, headers, money
from tui.screens.base import DataScreen
from tui.widgets.keybar import KeyFooter
from tui.widgets.register_table import RegisterTable

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

PAGE = 200
STATUS = REGISTER_STATUS_SHORT
STATUS_STYLE = {"reversed": "strike dim", "reversal": "red", "open": "cyan", "settled": "dim"}


@dataclass(frozen=True)
class Filters:
    line: str | None = None
    vtype: str | None = None
    date_from: Any = None
    date_to: Any = None
    search: str | None = None


@dataclass(frozen=True)
class Page:
    rows: list[Any]
    total: int
    offset: int
    spent: int
    committed: int
    problem: str = ""  # why the filtered register is empty, when a filter is mistyped


SHORT_TYPES = SHORT_TYPE_LABELS


class VouchersScreen(DataScreen):
    AUTO_FOCUS = "#register"
    BINDINGS = [
        Binding("n", "new", "Chứng từ mới"),
        Binding("g", "goto", "Tới số"),  # before x/t: visible at 80 columns
        Binding("x", "reverse", "Hủy chứng từ"),
        Binding("t", "settle", "Thanh toán tạm ứng"),
        Binding("i", "import", "Nhập tệp"),
        Binding("slash", "search", "Tìm"),
        Binding("escape", "clear_filters", "Bỏ lọc", show=False),
        Binding("m", "more", "Tải thêm", show=False),
        Binding("home,ctrl+home", "first_page", "Trang đầu", show=False, priority=True),
        Binding("end,ctrl+end", "last_page", "Trang cuối", show=False, priority=True),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.filters = Filters()
        self.loaded = 0
        self.start = 0  # offset of the first row in the table (the window's start)
        self.total = 0
        self.rows: dict[str, Any] = {}
        self.problem = ""  # why the filtered register is empty, when a filter is mistyped
        self.narrow = False

    def compose(self) -> ComposeResult:
        yield Header()
        with Horizontal(id="filters"):
            yield Input(placeholder="Tìm số, người nhận, nội dung (không dấu được)", id="f-search")
            yield Input(placeholder="Dòng (II.3)", id="f-line")
            yield Select(REGISTER_TYPE_FILTER, prompt="Mọi loại", id="f-type")
            yield Input(placeholder="Từ ngày", id="f-from")
            yield Input(placeholder="Đến ngày", id="f-to")
        yield RegisterTable(id="register", cursor_type="row", zebra_stripes=True)
        yield Static("", id="register-status")
        yield KeyFooter()

    def on_mount(self) -> None:
        for widget in self.query("#filters Input, #filters Select"):
            widget.compact = True  # type: ignore[attr-defined]
        table = self.query_one("#register", DataTable)
        # Below 100 columns the type column goes, so the amount and status stay visible.
        self.narrow = self.app.size.width < 100
        columns = ["Số", "Loại", "Ngày", "Dòng", "Người nhận", "Nội dung", "Số tiền", "Trạng thái"]
        if self.narrow:
            columns.remove("Loại")
        table.add_columns(*headers(*columns))

    # -- filters ----------------------------------------------------------------------
    def filter_line(self, line: str) -> None:
        self.query_one("#f-line", Input).value = line
        self._apply_filters()

    @on(Input.Submitted, "#filters Input")
    @on(Select.Changed, "#f-type")
    def _apply_filters(self) -> None:
        from budget.dates import parse_date
        from budget.errors import BudgetError

        def date_of(widget_id: str) -> Any:
            text = self.query_one(widget_id, Input).value.strip()
            if not text:
                return None
            try:
                return parse_date(text)
            except BudgetError as exc:
                self.notify(exc.message, severity="error")
                return None

        vtype = self.query_one("#f-type", Select).value
        self.filters = Filters(
            line=self.query_one("#f-line", Input).value.strip() or None,
            vtype=vtype if isinstance(vtype, str) else None,
            date_from=date_of("#f-from"),
            date_to=date_of("#f-to"),
            search=self.query_one("#f-search", Input).value.strip() or None,
        )
        if self.budget_app.ready:
            self.reload()

    def action_search(self) -> None:
        self.query_one("#f-search", Input).focus()

    def action_clear_filters(self) -> None:
        for widget_id in ("#f-search", "#f-line", "#f-from", "#f-to"):
            self.query_one(widget_id, Input).value = ""
        self.query_one("#f-type", Select).clear()
        self.filters = Filters()
        self.query_one("#register", DataTable).focus()
        self.reload()

    # -- loading ----------------------------------------------------------------------
    def _core_filter(self) -> Any:
        from budget.reports.register import VoucherFilter

        f = self.filters
        return VoucherFilter(
            line=f.line, vtype=f.vtype, date_from=f.date_from, date_to=f.date_to, search=f.search
        )

    def fetch(self, session: Session) -> Page:
        return self._fetch_page(session, 0)

    def _fetch_page(self, session: Session, offset: int, *, last: bool = False) -> Page:
        from budget.reports.register import count_vouchers, list_vouchers

        campaign = self.budget_app.backend.campaign()
        flt = self._core_filter()
        if last:  # the last page read backwards (keyset on date, id): no long OFFSET scan
            total = count_vouchers(session, campaign, flt)
            rows = list_vouchers(session, campaign, flt, limit=PAGE, newest_first=True)[::-1]
            return Page(rows, total, max(0, total - len(rows)), 0, 0)
        rows = list_vouchers(session, campaign, flt, limit=PAGE, offset=offset)
        total = count_vouchers(session, campaign, flt) if offset == 0 else self.total
        problem = ""
        if offset == 0 and not rows and flt.line:
            from budget.reports.register import line_in_estimate

            if not line_in_estimate(session, campaign, flt.line):
                problem = f"Không có dòng «{flt.line}» trong dự toán đã phê duyệt."
        return Page(rows, total, offset, 0, 0, problem)

    def show(self, page: Page) -> None:
        table = self.query_one("#register", DataTable)
        if page.offset == 0 or page.offset != self.start + self.loaded:
            table.clear()
            self.rows.clear()
            self.loaded = 0
            self.start = page.offset
        self.total = page.total
        for v in page.rows:
            key = str(v.id)
            self.rows[key] = v
            table.add_row(*self._cells(v), key=key)
        self.loaded += len(page.rows)
        self.problem = page.problem
        self._show_status()

    def _cells(self, v: Any) -> list[Any]:
        """One register row as the table shows it."""
        # The text columns shrink first (cut with …) so amounts always fit.
        spare = self.app.size.width - (67 if self.narrow else 80)
        payee_width = max(6, min(18, spare * 2 // 5))
        content_width = max(8, min(30, spare - payee_width))
        style = STATUS_STYLE.get(v.status, "")
        # Text, not str: a str cell is parsed as markup at every paint, so a payee
        # "Cơ sở [in ấn]" lost its brackets' text and "[/x]" broke the table.
        cells: list[Any] = [
            Text(v.number, style=style),
            Text(SHORT_TYPES.get(v.type, v.type)),
            Text(day(v.entry_date)),
            Text(v.line_code),
            Text(clip(v.payee, payee_width)),
            Text(clip(v.content, content_width)),
            Text(
                money(-v.amount if v.status == "reversal" else v.amount),
                justify="right",
                style=style,
            ),
            Text(STATUS.get(v.status, v.status), style=style),
        ]
        if self.narrow:
            del cells[1]
        return cells

    def _show_status(self) -> None:
        more = " · m: tải thêm" if self.start + self.loaded < self.total else ""
        shown = (
            count(self.loaded)
            if self.start == 0
            else f"{count(self.start + 1)}–{count(self.start + self.loaded)}"
        )
        status = f"{shown} / {count(self.total)} chứng từ{more}"
        if self.problem:
            status += f" · {self.problem}"
        self.query_one("#register-status", Static).update(status)

    # -- a voucher the form just posted: shown without re-reading the page ---------------
    def read_posted(self, session: Session, posted: Any) -> tuple[Any | None, int]:
        """In the write's worker, after the commit: the posted voucher's row as this
        register's page would show it (None if the filter leaves it out) and the
        filtered count (which tells whether anything else changed meanwhile)."""
        from budget.reports.register import count_vouchers, register_row

        campaign = self.budget_app.backend.campaign()
        flt = self._core_filter()
        return register_row(session, campaign, posted.id, flt), count_vouchers(
            session, campaign, flt
        )

    def show_posted(self, posted: Any, seen: tuple[Any | None, int] | None) -> None:
        """Put the posted row into the table at its place in (date, id) order, as a
        fresh page read would, and keep the page. Anything unexpected (the read
        failed, another user wrote meanwhile, a load is under way) leaves the screen
        stale: it re-reads its page when it shows again."""
        loading = any(w.group in ("load", "more") and not w.is_finished for w in self.workers)
        if seen is None or loading:
            return
        row, total = seen
        if total != self.total + (row is not None):
            return  # someone else changed the register too: read it afresh
        self.total = total
        if row is not None:
            self._place(row)
        self.problem = ""
        self._show_status()
        self.stale = False

    def _place(self, row: Any) -> None:
        from bisect import bisect_left

        from tui.widgets.table_rows import insert_row

        table = self.query_one("#register", DataTable)
        keys = [r.key.value for r in table.ordered_rows]
        place = (row.entry_date, row.id)
        index = bisect_left(keys, place, key=lambda k: (self.rows[k or ""].entry_date, int(k or 0)))
        more_after = self.start + self.loaded < self.total - 1
        if index == 0 and self.start > 0:
            self.start += 1  # it lies before the rows on screen: they move down by one
            return
        if index == len(keys) and more_after:
            return  # it lies after the rows read so far: "m" reads it with the rest
        key = str(row.id)
        self.rows[key] = row
        insert_row(table, index, *self._cells(row), key=key)
        self.loaded += 1
        table.move_cursor(row=index)

    def action_more(self) -> None:
        if self.start + self.loaded < self.total:
            self._load_more(self.start + self.loaded)

    def action_first_page(self) -> None:
        table = self.query_one("#register", DataTable)
        if self.start == 0:
            table.move_cursor(row=0)
            return
        self._jump(False)

    def action_last_page(self) -> None:
        table = self.query_one("#register", DataTable)
        if self.start + self.loaded >= self.total:
            table.move_cursor(row=max(0, table.row_count - 1))
            return
        self._jump(True)

    @work(thread=True, exclusive=True, group="more", exit_on_error=False)
    def _jump(self, last: bool) -> None:
        def shown(page: Page) -> None:
            self.loaded = -1  # force a fresh window
            self.show(page)
            table = self.query_one("#register", DataTable)
            table.move_cursor(row=max(0, table.row_count - 1) if last else 0)

        self.run_read(lambda s: self._fetch_page(s, 0, last=last), shown)

    # -- go to a voucher number --------------------------------------------------------
    def action_goto(self) -> None:
        from tui.modals.simple import AskDialog

        def answered(number: Any) -> None:
            if isinstance(number, str) and number.strip():
                self.goto(number.strip())

        self.app.push_screen(
            AskDialog("TỚI CHỨNG TỪ SỐ", "Số chứng từ", placeholder="ví dụ PC-0017"), answered
        )

    @work(thread=True, exclusive=True, group="more", exit_on_error=False)
    def goto(self, number: str) -> None:
        """Read the page holding ``number`` by keyset (no OFFSET scan) and select it."""
        self.run_read(lambda s: self._fetch_around(s, number), self._show_found)

    def _fetch_around(self, session: Session, number: str) -> tuple[Page, int] | str:
        from budget.reports.register import count_vouchers, find_in_register, list_vouchers

        campaign = self.budget_app.backend.campaign()
        flt = self._core_filter()
        found = find_in_register(session, campaign, flt, number)
        if found is None:
            where = "trong các chứng từ đang lọc" if self.filters != Filters() else "trong sổ"
            return f"Không có chứng từ số «{number}» {where}."
        key, position = found
        above = position % PAGE  # the page is the one End/PgDn would reach: aligned to PAGE
        before = list_vouchers(session, campaign, flt, limit=above, newest_first=True, key=key)
        after = list_vouchers(session, campaign, flt, limit=PAGE - len(before), key=key)
        total = count_vouchers(session, campaign, flt)
        return Page(before[::-1] + after, total, position - len(before), 0, 0), len(before)

    def _show_found(self, found: tuple[Page, int] | str) -> None:
        if isinstance(found, str):
            self.notify(found, title="Không tìm thấy", severity="error")
            return
        page, row = found
        self.loaded = -1  # force a fresh window
        self.show(page)
        table = self.query_one("#register", DataTable)
        table.move_cursor(row=row)
        table.focus()

    @on(DataTable.RowHighlighted, "#register")
    def _near_end(self, event: DataTable.RowHighlighted) -> None:
        end = self.start + self.loaded
        if event.cursor_row >= self.loaded - 5 and end < self.total:
            self._load_more(end)

    @work(thread=True, exclusive=True, group="more", exit_on_error=False)
    def _load_more(self, offset: int) -> None:
        self.run_read(
            lambda s: self._fetch_page(s, offset), lambda page: self._append(page, offset)
        )

    def _append(self, page: Page, offset: int) -> None:
        if offset == self.start + self.loaded:  # ignore a page that arrives after a reload
            self.show(page)

    # -- actions ----------------------------------------------------------------------
    def _selected(self) -> Any | None:
        table = self.query_one("#register", DataTable)
        if table.row_count == 0:
            return None
        key = table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value
        return self.rows.get(key or "")

    def action_new(self) -> None:
        from budget.clock import today as clock_today
        from tui.modals.voucher_form import VoucherForm

        today = clock_today()
        self.app.push_screen(
            VoucherForm(
                line=self.filters.line, default_date=today.strftime("%d/%m/%Y"), register=self
            )
        )

    def action_import(self) -> None:
        if self.budget_app._refuse_read_only():
            return
        from tui.modals.import_vouchers import ImportDialog

        self.app.push_screen(ImportDialog())

    def action_reverse(self) -> None:
        from tui.modals.simple import FieldsDialog

        voucher = self._selected()
        if voucher is None:
            return
        if voucher.status in ("reversed", "reversal"):
            self.notify("Chứng từ này đã hủy hoặc là bút toán hủy.", severity="warning")
            return

        def build(values: dict[str, Any]) -> Any:
            from budget.services.vouchers import reverse_voucher

            backend = self.budget_app.backend
            return lambda s: reverse_voucher(
                s,
                backend.campaign(),
                voucher.number,
                vtype=voucher.type,
                reason=values["reason"],
                actor=backend.actor,
                entry_date=values["date"],
            )

        from budget.clock import today
        from budget.confirmations import reverse_question
        from budget.services.reversal_dates import default_reversal_date

        year = voucher.entry_date.year  # a voucher always lies in its campaign's year
        suggested = default_reversal_date(year, voucher.entry_date, today())
        self.app.push_screen(
            FieldsDialog(
                f"HỦY CHỨNG TỪ {voucher.number}",
                [
                    ("reason", "Lý do hủy", "text", ""),
                    ("date", "Ngày hủy", "date", day(suggested)),
                ],
                build,
                success=f"Đã hủy chứng từ {voucher.number}.",
                intro=f"{voucher.content} · {money(voucher.amount)} đồng · dòng {voucher.line_code}",
                confirm=lambda values: reverse_question(
                    voucher.number, voucher.amount, voucher.line_code
                ),
            )
        )

    def action_settle(self) -> None:
        from tui.modals.simple import FieldsDialog

        voucher = self._selected()
        if voucher is None or voucher.status != "open":
            self.notify("Chọn một giấy tạm ứng chưa thanh toán.", severity="warning")
            return

        def build(values: dict[str, Any]) -> Any:
            from budget.services.vouchers import settle_advance

            backend = self.budget_app.backend
            return lambda s: settle_advance(
                s,
                backend.campaign(),
                voucher.number,
                amount=values["amount"],
                entry_date=values["date"],
                actor=backend.actor,
                override_reason=values["reason"].strip() or None,
                norms=backend.norms,
            )

        self.app.push_screen(
            FieldsDialog(
                f"THANH TOÁN TẠM ỨNG {voucher.number}",
                [
                    ("amount", "Số đã chi thực tế", "money", money(voucher.amount)),
                    ("date", "Ngày thanh toán", "date", day(voucher.entry_date)),
                    ("reason", "Lý do chi vượt", "text", ""),
                ],
                build,
                success=f"Đã thanh toán tạm ứng {voucher.number}.",
                intro=f"Đã tạm ứng {money(voucher.amount)} đồng cho {voucher.payee}; "
                "phần không chi được hoàn lại. Chi quá số tạm ứng là khoản chi thêm của "
                "dòng: vượt dự toán hoặc quỹ thi đua thì ghi lý do.",
            )
        )
