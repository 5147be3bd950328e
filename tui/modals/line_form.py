"""Add or edit a line of the draft estimate: validates as you type, a norm picker
that fills the unit price and shows its legal source, the live amount in words."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.containers import Grid, Vertical
from textual.widgets import Input, Label, Select, Static

from budget.i18n import tr
from tui.formatting import money
from tui.modals.base import FormDialog
from tui.widgets.money_input import MoneyInput

PRICE_TYPED = "__typed__"
#: The Select value for "no source stored": the default for the budget code applies.
SOURCE_DEFAULT = "__default__"


def source_options(
    sources: list[tuple[str, str]] | None, current: str | None
) -> list[tuple[str, str]]:
    """(label, code) for the Nguồn kinh phí select: the default, then every source."""
    from budget.funding import BUILTIN_SOURCES

    known = list(sources or BUILTIN_SOURCES.items())
    if current and current not in {c for c, _ in known}:
        known.append((current, current))
    return [("Theo tiểu mục (Mục 62xx: quỹ thi đua)", SOURCE_DEFAULT)] + [
        (name, code) for code, name in known
    ]


def norm_options(norms: Any, on: date) -> list[tuple[str, str]]:
    """(label, ref) for every rate and reward form in force on ``on``."""
    options: list[tuple[str, str]] = [("Nhập đơn giá theo hóa đơn/báo giá", PRICE_TYPED)]
    seen: set[str] = set()
    for rate in norms.rates:
        if rate.code in seen:
            continue
        try:
            current = norms.rate_on(rate.code, on)
        except Exception:  # noqa: BLE001 - not in force on that date
            continue
        seen.add(rate.code)
        options.append((f"{current.name} — {money(current.amount)}/{current.unit}", rate.code))
    for form in norms.reward_forms:
        try:
            reward = norms.reward_amount(form.code, on)
        except Exception:  # noqa: BLE001
            continue
        options.append((f"{form.name} — {money(reward.amount)}", f"reward:{form.code}"))
    return options


def code_options(codes: list[tuple[str, str]], current: str | None) -> list[tuple[str, str]]:
    """(label, code) for the Tiểu mục select: the list the data is validated against,
    plus the line's own code when a norms file no longer lists it."""
    options = [(f"{c}  {n}", c) for c, n in codes]
    if current and current not in {c for c, _ in codes}:
        options.append((f"{current}  (không còn trong danh mục)", current))
    return options


class LineForm(FormDialog):
    """``line`` is a LineView to edit, or None to add; dismisses with the line code."""

    REQUIRED = ("content", "unit", "quantity", "price", "mlnsnn")

    def __init__(
        self,
        *,
        parts: list[tuple[str, str]],
        codes: list[tuple[str, str]],
        norm_date: date,
        line: Any | None = None,
        part: str | None = None,
        dialect: str = "bac",
        sources: list[tuple[str, str]] | None = None,
    ) -> None:
        super().__init__()
        self.dialect = dialect
        self.sources = sources
        self.parts = parts
        self.codes = codes
        self.norm_date = norm_date
        self.line = line
        self.part = part or (line.part if line else (parts[0][0] if parts else None))

    def compose(self) -> ComposeResult:
        line = self.line
        norms = self.budget_app.backend.norms
        ref = line.norm_ref if line is not None and line.norm_ref else PRICE_TYPED
        codes = code_options(self.codes, line.mlnsnn if line else None)
        self.code_values = {code for _, code in codes}
        with Vertical(classes="dialog"):
            yield Static(
                f"SỬA DÒNG {line.code}" if line else "THÊM DÒNG DỰ TOÁN", classes="dialog-title"
            )
            with Grid(classes="form-grid"):
                yield Label(tr("Phần"))
                yield Select(
                    [(f"{c}. {t}", c) for c, t in self.parts],
                    value=self.part,
                    allow_blank=False,
                    id="part",
                    disabled=line is not None,
                )
                yield Label(tr("Nội dung"))
                yield Input(line.content if line else "", id="content")
                yield Label(tr("Đơn vị tính"))
                yield Input(line.unit if line else "", id="unit")
                yield Label(tr("Số lượng"))
                yield Input(
                    (line.quantity.replace(".", ",") if line else ""),
                    id="quantity",
                    placeholder="ví dụ 45 hoặc 2,5",
                )
                yield Label(tr("Số ngày / hệ số"))
                yield Input(
                    (line.multiplier or "").replace(".", ",") if line else "",
                    id="multiplier",
                    placeholder="để trống nếu không có",
                )
                yield Label(tr("Định mức"))
                yield Select(
                    norm_options(norms, self.norm_date), value=ref, allow_blank=False, id="norm"
                )
                yield Label(tr("Đơn giá (đồng)"))
                yield MoneyInput(
                    money(line.unit_price) if line else "",
                    id="price",
                    allow_zero=True,
                    field="Đơn giá",
                )
                yield Label(tr("Tiểu mục"))
                yield Select(
                    codes,
                    value=line.mlnsnn if line else Select.NULL,
                    id="mlnsnn",
                    prompt="Chọn tiểu mục…",
                )
                yield Label(tr("Nguồn kinh phí"))
                self.source_choices = source_options(
                    self.sources, line.funding_source if line else None
                )
                yield Select(
                    self.source_choices,
                    value=line.funding_source if line else SOURCE_DEFAULT,
                    allow_blank=False,
                    id="source",
                )
                yield Label(tr("Ghi chú"))
                yield Input(line.note if line else "", id="note")
            yield Static("", id="live", classes="form-status")
            yield from self.compose_buttons("Lưu", "Hủy")

    def on_mount(self) -> None:
        self._recompute()

    @on(Input.Changed)
    @on(Select.Changed)
    def _changed(self, event: Any) -> None:
        if getattr(event, "select", None) is not None and event.select.id == "norm":
            self._norm_picked()
        self._recompute()

    def _norm_picked(self) -> None:
        ref = self.query_one("#norm", Select).value
        price = self.query_one("#price", MoneyInput)
        if isinstance(ref, str) and ref != PRICE_TYPED:
            norms = self.budget_app.backend.norms
            try:
                value = norms.unit_price(ref, self.norm_date)
            except Exception as exc:  # noqa: BLE001
                self.set_error(getattr(exc, "message", str(exc)))
                return
            price.value = money(value)
            price.disabled = True
            if not ref.startswith("reward:"):
                code = norms.rate_on(ref, self.norm_date).mlnsnn
                if code and code in self.code_values:
                    self.query_one("#mlnsnn", Select).value = code
        else:
            price.disabled = False

    def _quantities(self) -> tuple[Decimal, Decimal | None] | tuple[str, str]:
        """(quantity, multiplier), or (the core's message, the field it is about)."""
        from budget.errors import BudgetError
        from budget.quantities import parse_quantity

        try:
            quantity = parse_quantity(self.query_one("#quantity", Input).value)
        except BudgetError as exc:
            return exc.message, "quantity"
        text = self.query_one("#multiplier", Input).value.strip()
        try:
            multiplier = parse_quantity(text, "Số ngày") if text else None
        except BudgetError as exc:
            return exc.message, "multiplier"
        return quantity, multiplier

    def _problem(self) -> tuple[str, str] | None:
        """The first wrong field as (message, id): said once, in the error line."""
        quantity, other = self._quantities()
        if isinstance(quantity, str):
            assert isinstance(other, str)  # a problem comes as (message, field)
            return quantity, other
        price = self.query_one("#price", MoneyInput)
        if price.amount is None and not price.disabled:
            return price.error or "«Đơn giá» không hợp lệ.", "price"
        return None

    def field_error(self, widget: Any) -> str | None:
        if widget.id in ("quantity", "multiplier", "price"):
            problem = self._problem()
            if problem is None or problem[1] != widget.id or not widget.value.strip():
                return None
            return problem[0]
        return super().field_error(widget)

    def _recompute(self) -> None:
        from budget.money import amount_in_words
        from budget.quantities import line_amount

        live = self.query_one("#live", Static)
        problem = self._problem()
        if problem is not None:
            live.update("Thành tiền: —")
            widget = self.query_one(f"#{problem[1]}", Input)
            if widget.value.strip():  # an empty field is said on save, not while typing
                self.set_error(*problem[:1], field=problem[1])
            return
        if self.error_field in ("quantity", "multiplier", "price"):
            self.set_error("")  # fixed
        quantity, multiplier = self._quantities()
        # no problem: both were read
        assert not isinstance(quantity, str) and not isinstance(multiplier, str)
        price = self.query_one("#price", MoneyInput).amount or 0
        ref = self.query_one("#norm", Select).value
        source = ""
        if isinstance(ref, str) and ref != PRICE_TYPED:
            try:
                source = self.budget_app.backend.norms.describe_ref(ref, self.norm_date)
            except Exception:  # noqa: BLE001
                source = ""
        amount = line_amount(quantity, price, multiplier)
        text = Text.assemble(
            "Thành tiền: ",
            (money(amount), "bold"),
            " đồng — ",
            (amount_in_words(amount, dialect=self.dialect), "italic"),
        )
        if source:
            text.append(f"\nCăn cứ: {source}", style="dim")
        live.update(text)

    def action_save(self) -> None:
        from budget.services.estimate_edit import LineChange

        problem = self._problem()
        if problem is not None:
            self.set_error(problem[0], field=problem[1])
            return
        ref = self.query_one("#norm", Select).value
        price = self.query_one("#price", MoneyInput).amount
        code = self.query_one("#mlnsnn", Select).value
        if not isinstance(code, str):
            self.set_error(tr("Chưa chọn tiểu mục."))
            return
        norm = ref if isinstance(ref, str) and ref != PRICE_TYPED else None
        by_norm = norm is not None
        change = LineChange(
            content=self.query_one("#content", Input).value,
            unit=self.query_one("#unit", Input).value,
            quantity=self.query_one("#quantity", Input).value,
            multiplier=self.query_one("#multiplier", Input).value,
            multiplier_unit="ngày" if self.query_one("#multiplier", Input).value.strip() else "",
            unit_price=None if by_norm else price,
            norm=norm,
            norm_on=self.norm_date if by_norm else None,
            mlnsnn=code,
            note=self.query_one("#note", Input).value if not by_norm or self.line else None,
        )
        backend = self.budget_app.backend
        part = self.query_one("#part", Select).value
        line = self.line
        source = self.query_one("#source", Select).value
        # An existing line shows its effective source: only a change is stored.
        keep = source == SOURCE_DEFAULT or (line is not None and source == line.funding_source)

        def action(session: Any) -> Any:
            from budget.services.draft_undo import track_line

            return track_line(
                session,
                backend.campaign(),
                None if line is None else line.code,
                lambda: edit(session),
            )

        def edit(session: Any) -> str:
            from budget.services.estimate_edit import add_line, set_line
            from budget.services.fund import set_line_source

            if line is None:
                code = add_line(
                    session,
                    backend.norms,
                    backend.campaign(),
                    part=str(part),
                    change=change,
                    actor=backend.actor,
                ).code
            else:
                code = set_line(
                    session,
                    backend.norms,
                    backend.campaign(),
                    line.code,
                    change=change,
                    actor=backend.actor,
                ).code
            if not keep:
                set_line_source(session, backend.campaign(), code, str(source), actor=backend.actor)
            return code

        self.write(action, success="Đã lưu dòng dự toán.")
