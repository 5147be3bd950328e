"""Dự toán: parts and lines of a version, the draft's editor, submit, approve,
adjust, and the original against the adjusted side by side."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import DataTable, Header, Static

from budget.i18n import tr
from budget.vocabulary import ESTIMATE_STATUS_LABELS
from tui.formatting import day, headers, money
from tui.screens.base import DataScreen
from tui.widgets.keybar import KeyFooter

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from budget.services.estimate_compare import Comparison
    from budget.services.estimate_editor import EstimateEditorView as EstimateData
    from budget.services.estimates import LineView

STATUS = ESTIMATE_STATUS_LABELS


class EstimateScreen(DataScreen["EstimateData"]):
    AUTO_FOCUS = "#estimate"
    BINDINGS = [
        Binding("a", "add", "Thêm dòng"),
        Binding("e", "edit", "Sửa dòng"),
        Binding("delete", "remove", "Xóa dòng"),
        Binding("s", "submit", "Trình duyệt"),
        Binding("p", "approve", "Phê duyệt"),
        Binding("b", "return", "Trả lại", show=False),
        Binding("d", "adjust", "Điều chỉnh"),
        Binding("c", "compare", "So sánh"),
        Binding("v", "version", "Phiên bản"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.version_no: int | None = None
        self.compare = False
        self.data: EstimateData | None = None
        self.lines: dict[str, LineView] = {}

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(tr("Đang tải…"), id="estimate-heading")
        yield DataTable(id="estimate", cursor_type="row", zebra_stripes=True)
        yield Static("", id="estimate-total")
        yield KeyFooter()

    def fetch(self, session: Session) -> EstimateData:
        from budget.services.estimate_editor import estimate_editor_view

        backend = self.budget_app.backend
        return estimate_editor_view(session, backend.campaign(), backend.norms, self.version_no)

    def show(self, data: EstimateData) -> None:
        self.data = data
        view = data.view
        self.version_no = view.version_no
        heading = Text.assemble(
            (view.title, "bold"),
            "\n",
            f"Phiên bản {view.version_no}/{data.latest} · ",
            (STATUS[view.status], "bold " + ("green" if view.status == "approved" else "yellow")),
        )
        if view.decision_number:
            heading.append(f" · QĐ {view.decision_number} ngày {day(view.decision_date)}")
        if view.status == "draft":
            heading.append("  (a: thêm · e: sửa · Del: xóa · s: trình)", style="dim")
        elif view.status == "submitted":
            heading.append("  (p: phê duyệt · b: trả lại)", style="dim")
        else:
            heading.append("  (d: lập điều chỉnh · c: so sánh với bản đầu)", style="dim")
        self.query_one("#estimate-heading", Static).update(heading)
        table = self.query_one("#estimate", DataTable)
        cursor = table.cursor_row
        table.clear(columns=True)
        comparing = self.compare and data.comparison is not None
        columns = ["Mã", "Nội dung", "ĐVT", "Số lượng", "Đơn giá", "Thành tiền", "TM"]
        if comparing:
            columns[5:5] = ["Ban đầu"]
            columns.insert(7, "Chênh lệch")
        table.add_columns(*headers(*columns))
        self.lines.clear()
        if comparing and data.comparison is not None:
            self._show_comparison(table, data.comparison)
        for part in () if comparing else view.parts:
            table.add_row(
                Text(part.code, style="bold"),
                Text(part.title.upper()[: self._content_width()], style="bold"),
                "",
                "",
                "",
                Text(money(part.total), justify="right", style="bold"),
                "",
                key=f"part:{part.code}",
            )
            for line in part.lines:
                self.lines[line.code] = line
                qty = line.quantity.replace(".", ",")
                if line.multiplier:
                    qty += f"×{line.multiplier.replace('.', ',')}"
                table.add_row(
                    line.code,
                    line.content[: self._content_width()],
                    line.unit[:8],
                    Text(qty, justify="right"),
                    Text(money(line.unit_price), justify="right"),
                    Text(money(line.amount), justify="right"),
                    line.mlnsnn,
                    key=f"line:{line.code}",
                )
        if table.row_count:
            table.move_cursor(row=min(cursor, table.row_count - 1))
        total = Text.assemble(
            "TỔNG CỘNG: ", (money(view.total), "bold"), " đồng — ", (data.words, "italic")
        )
        self.query_one("#estimate-total", Static).update(total)

    def _show_comparison(self, table: DataTable[Any], comparison: Comparison) -> None:
        """Ban đầu | Thành tiền | Chênh lệch, removed lines included (0 adjusted)."""

        def amounts(original: int, adjusted: int, style: str = "") -> list[Text]:
            diff = adjusted - original
            colour = "green" if diff > 0 else "red" if diff < 0 else ""
            return [
                Text(money(original), justify="right", style=style),
                Text(money(adjusted), justify="right", style=style),
                Text(money(diff), justify="right", style=f"{style} {colour}".strip()),
            ]

        width = self._content_width()
        for part in comparison.parts:
            cells: list[Text | str] = [
                Text(part.code, style="bold"),
                Text(part.title.upper()[:width], style="bold"),
                "",
                "",
                "",
                *amounts(part.original, part.adjusted, "bold"),
                "",
            ]
            table.add_row(*cells, key=f"part:{part.code}")
            for item in part.lines:
                line = item.shown
                if item.line is not None:
                    self.lines[line.code] = line
                qty = line.quantity.replace(".", ",")
                if line.multiplier:
                    qty += f"×{line.multiplier.replace('.', ',')}"
                style = "dim strike" if item.removed else ""
                content = line.content[: width - 8] + " (đã bỏ)" if item.removed else line.content
                table.add_row(
                    Text(line.code, style=style) if item.removed else line.code,
                    Text(content[:width], style=style) if item.removed else content[:width],
                    line.unit[:8],
                    Text(qty, justify="right", style=style),
                    Text(money(line.unit_price), justify="right", style=style),
                    *amounts(item.original, item.adjusted),
                    line.mlnsnn,
                    key=f"{'removed' if item.removed else 'line'}:{line.code}",
                )

    # -- helpers -----------------------------------------------------------------------
    def _content_width(self) -> int:
        """The Nội dung column shrinks on narrow terminals so amounts stay visible."""
        other = 62 + (26 if self.compare else 0)
        return max(18, min(48, self.app.size.width - other))

    def _current_line(self) -> LineView | None:
        table = self.query_one("#estimate", DataTable)
        if not table.row_count:
            return None
        key = table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value or ""
        return self.lines.get(key.removeprefix("line:")) if key.startswith("line:") else None

    def _current_part(self) -> str | None:
        table = self.query_one("#estimate", DataTable)
        if not table.row_count:
            return None
        key = table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value or ""
        if key.startswith("part:"):
            return key.removeprefix("part:")
        line = self.lines.get(key.removeprefix("line:"))
        return line.part if line else None

    def _is(self, status: str, message: str) -> bool:
        if (
            self.data is None
            or self.data.view.status != status
            or self.data.view.version_no != self.data.latest
        ):
            self.notify(message, severity="warning")
            return False
        return True

    # -- actions ----------------------------------------------------------------------
    def action_add(self) -> None:
        if not self._is("draft", "Chỉ thêm dòng vào bản dự thảo (d: lập điều chỉnh)."):
            return
        from tui.modals.line_form import LineForm

        assert self.data is not None
        parts = [(p.code, p.title) for p in self.data.view.parts]
        self.app.push_screen(
            LineForm(
                parts=parts,
                codes=self.data.codes,
                norm_date=self.data.norm_date,
                part=self._current_part(),
                dialect=self.data.dialect,
                sources=self.data.sources,
            )
        )

    @on(DataTable.RowSelected, "#estimate")
    def _selected(self) -> None:
        self.action_edit()

    def action_edit(self) -> None:
        line = self._current_line()
        if line is None:
            return
        if not self._is("draft", "Bản này không sửa được; lập điều chỉnh (d) để sửa."):
            return
        from tui.modals.line_form import LineForm

        assert self.data is not None
        parts = [(p.code, p.title) for p in self.data.view.parts]
        self.app.push_screen(
            LineForm(
                parts=parts,
                codes=self.data.codes,
                norm_date=self.data.norm_date,
                line=line,
                dialect=self.data.dialect,
                sources=self.data.sources,
            )
        )

    def action_remove(self) -> None:
        line = self._current_line()
        if line is None or not self._is("draft", "Chỉ xóa dòng của bản dự thảo."):
            return
        from budget.services.draft_undo import track_line
        from budget.services.estimate_edit import remove_line

        backend = self.budget_app.backend

        def remove(s: Session, reason: str) -> object:
            campaign = backend.campaign()
            return track_line(
                s,
                campaign,
                line.code,
                lambda: (
                    remove_line(s, campaign, line.code, actor=backend.actor, reason=reason),
                    line.code,
                )[1],
            )

        self._ask_reason(
            f"XÓA DÒNG {line.code}",
            "Lý do (không bắt buộc)",
            remove,
            success=f"Đã xóa dòng {line.code}.",
            intro=line.content,
        )

    def _ask_reason(
        self,
        title: str,
        label: str,
        call: Callable[[Session, str], object],
        *,
        success: str,
        intro: str = "",
        then: Callable[[object], None] | None = None,
    ) -> None:
        """A dialog asking one reason, then ``call(session, reason)`` as one write."""
        from tui.modals.simple import FieldsDialog

        def build(values: dict[str, Any]) -> Callable[[Session], object]:
            return lambda s: call(s, values["reason"])

        dialog = FieldsDialog(
            title, [("reason", label, "text", "")], build, success=success, intro=intro
        )
        self.app.push_screen(dialog, then)

    def action_submit(self) -> None:
        if not self._is("draft", "Chỉ trình duyệt được bản dự thảo."):
            return
        from budget.services import approval

        backend = self.budget_app.backend
        self.budget_app.perform(
            lambda s: approval.submit(s, backend.campaign(), actor=backend.actor),
            success="Đã trình duyệt dự toán.",
        )

    def action_return(self) -> None:
        if not self._is("submitted", "Chỉ trả lại được bản đang trình."):
            return
        from budget.services import approval

        backend = self.budget_app.backend
        self._ask_reason(
            "TRẢ LẠI DỰ TOÁN",
            "Lý do",
            lambda s, reason: approval.return_to_draft(
                s, backend.campaign(), actor=backend.actor, reason=reason
            ),
            success="Đã trả dự toán về dự thảo.",
        )

    def action_approve(self) -> None:
        if not self._is("submitted", "Trình duyệt (s) trước khi phê duyệt."):
            return
        from budget.clock import today
        from tui.modals.simple import FieldsDialog

        backend = self.budget_app.backend

        def build(values: dict[str, Any]) -> Any:
            from budget.services import approval, fund
            from budget.services.versions import latest_version

            def approve(s: Session) -> Any:
                # As `budget plan approve`: the year's fund lines against the fund and
                # the emulation-work cap first (refused unless a reason is given).
                campaign = backend.campaign()
                fund.check_estimate(
                    s,
                    backend.norms,
                    campaign,
                    latest_version(s, campaign).id,
                    override_reason=values["reason"].strip() or None,
                    actor=backend.actor,
                )
                return approval.approve(
                    s,
                    campaign,
                    decision_number=values["decision"],
                    decision_date=values["date"],
                    actor=backend.actor,
                )

            return approve

        self.app.push_screen(
            FieldsDialog(
                "PHÊ DUYỆT DỰ TOÁN",
                [
                    ("decision", "Số quyết định", "text", ""),
                    ("date", "Ngày quyết định", "date", today().strftime("%d/%m/%Y")),
                    ("reason", "Lý do nếu vượt quỹ", "text", ""),
                ],
                build,
                success="Đã phê duyệt dự toán.",
                intro="Bản được phê duyệt sẽ không sửa được nữa; muốn thay đổi phải lập điều chỉnh.",
                confirm=lambda values: self._approve_question(),
            )
        )

    def _approve_question(self) -> str:
        from budget.confirmations import approve_question

        assert self.data is not None  # the dialog opens only on a loaded version
        return approve_question(self.data.view.version_no, self.data.view.total)

    def action_adjust(self) -> None:
        if not self._is("approved", "Chỉ lập điều chỉnh từ bản đã phê duyệt mới nhất."):
            return
        from budget.services import approval

        backend = self.budget_app.backend

        def opened(_: object) -> None:
            self.version_no = None

        self._ask_reason(
            "LẬP ĐIỀU CHỈNH, BỔ SUNG DỰ TOÁN",
            "Lý do điều chỉnh",
            lambda s, reason: approval.adjust(
                s, backend.campaign(), actor=backend.actor, reason=reason
            ),
            success="Đã lập dự toán điều chỉnh (dự thảo).",
            then=opened,
        )

    def action_compare(self) -> None:
        if not self.compare and self.data is not None and self.data.comparison is None:
            self.notify("Chưa có bản phê duyệt để so sánh.", severity="warning")
            return
        self.compare = not self.compare
        if self.data is not None:
            self.show(self.data)

    def action_version(self) -> None:
        if self.data is None:
            return
        numbers = [no for no, _ in self.data.versions]
        index = numbers.index(self.data.view.version_no)
        self.version_no = numbers[(index + 1) % len(numbers)]
        self.reload()
