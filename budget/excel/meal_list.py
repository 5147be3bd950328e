"""Danh sách nhận tiền hỗ trợ tiền ăn: the list the delegates of one conference
sign when they receive their meal support (Thông tư 40/2017/TT-BTC: delegates
not paid from the state budget).

The app keeps no delegates' names, so the list has one blank, unlocked row per
delegate to fill in by hand; their number, days and rate come from the
conference's meal-support line of the estimate in force, or from what the
vouchers charged to that line paid (when it is a whole number of delegates).

Each row's amount is ``ROUND(days × rate, 0)`` computed exactly (the estimate's
formula); the total is a ``SUM`` down to a thin spare row, so a delegate row
inserted anywhere in the list counts, and the words follow the total.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from budget.dates import format_date
from budget.errors import ValidationError
from budget.excel import styles as st
from budget.excel.estimate_export import ExportResult, amount_formula
from budget.excel.sheet import (
    Blank,
    Book,
    Cell,
    Formula,
    Number,
    Text,
    col,
    heading_block,
    org_heading,
    place_date_line,
    words_formula,
)
from budget.excel.signing import four_signatures
from budget.money import amount_in_words, format_vnd
from budget.quantities import line_amount, quantity_display
from budget.services.estimates import EstimateView, LineView, PartView
from budget.services.organisation import OrgSettings

HEADERS = [
    "STT",
    "Họ và tên",
    "Chức vụ, đơn vị",
    "Số ngày",
    "Mức/ngày (đồng)",
    "Số tiền (đồng)",
    "Ký nhận",
]
WIDTHS = [4, 18, 13, 6, 9, 11, 13]
DAYS, RATE, MONEY = 4, 5, 6
#: Budget code of meal support at a conference (MLNSNN 6658 "Chi bù tiền ăn").
MEAL_CODE = "6658"
#: Room to sign on each delegate's row, in points.
ROW_HEIGHT = 30.0


@dataclass(frozen=True)
class MealList:
    """What the list prints: the conference (a part of the estimate), its meal
    line, the number of delegates and where that number comes from."""

    part: PartView
    line: LineView
    delegates: int
    days: Decimal
    rate: int
    source: str  # "dự toán" or the vouchers' numbers

    @property
    def per_delegate(self) -> int:
        return line_amount(self.days, self.rate)

    @property
    def total(self) -> int:
        return self.delegates * self.per_delegate


def find_part(view: EstimateView, part: str | None) -> PartView:
    """The part named by its code ("III") or key ("so_ket")."""
    names = ", ".join(f"{p.code} ({p.key})" if p.key else p.code for p in view.parts)
    if not part:
        raise ValidationError("Cần chọn phần của dự toán (--part): {names}.", names=names)
    wanted = part.strip()
    for candidate in view.parts:
        if wanted in (candidate.code, candidate.key) or wanted.upper() == candidate.code:
            return candidate
    raise ValidationError(
        "Dự toán không có phần «{wanted}»: chọn một trong {names}.", wanted=wanted, names=names
    )


def is_meal_line(line: LineView) -> bool:
    return line.mlnsnn == MEAL_CODE or (line.norm_ref or "").startswith("an_")


def meal_list(view: EstimateView, part: str | None, paid: dict[str, tuple[int, str]]) -> MealList:
    """``paid``: line code -> (net amount paid, voucher numbers) of posted vouchers."""
    chosen = find_part(view, part)
    meals = [line for line in chosen.lines if is_meal_line(line)]
    if not meals:
        raise ValidationError(
            "Phần {code} «{title}» không có dòng hỗ trợ tiền ăn (tiểu mục {meal_code}).",
            code=chosen.code,
            title=chosen.title,
            meal_code=MEAL_CODE,
        )
    line = meals[0]
    quantity = Decimal(line.quantity)
    if quantity != quantity.to_integral_value() or quantity <= 0:
        raise ValidationError(
            "Dòng {code}: số người «{quantity_display}» không phải số nguyên.",
            code=line.code,
            quantity_display=quantity_display(line.quantity),
        )
    days = Decimal(line.multiplier) if line.multiplier else Decimal(1)
    result = MealList(chosen, line, int(quantity), days, line.unit_price, "dự toán")
    amount, numbers = paid.get(line.code, (0, ""))
    per = result.per_delegate
    if amount > 0 and per > 0 and amount % per == 0:
        result = MealList(chosen, line, amount // per, days, line.unit_price, numbers)
    return result


def export_meal_list(
    data: MealList,
    view: EstimateView,
    org: OrgSettings,
    out: Path,
    *,
    force: bool = False,
) -> ExportResult:
    book = Book()
    sheet = book.sheet("Danh sách nhận tiền ăn", WIDTHS)
    heading_block(
        sheet,
        org_lines=org_heading(org.commune_kind, org.commune_name, org.superior_body),
        place_date=place_date_line(org.place, None, view.campaign.year),
        split=2,
        number=None,
        superior=org.superior_body is not None,
    )
    sheet.wide("DANH SÁCH NHẬN TIỀN HỖ TRỢ TIỀN ĂN", st.TITLE)
    sheet.wide(f"Đại biểu không hưởng lương dự {data.part.title.lower()}", st.BOLD_CENTER)
    sheet.wide(view.campaign.title, st.ITALIC_CENTER)
    if view.decision_number:
        sheet.wide(
            f"(Dòng {data.line.code} của dự toán phê duyệt theo Quyết định số "
            f"{view.decision_number} ngày {format_date(view.decision_date)})",
            st.ITALIC_CENTER,
        )
    sheet.append()
    header = sheet.append([Text(h, st.HEADER) for h in HEADERS], height=54)
    first = sheet.row
    days_value = int(data.days) if data.days == data.days.to_integral_value() else data.days
    for stt in range(1, data.delegates + 1):
        r = sheet.row
        cells: list[Cell] = [
            Number(stt, st.CELL_CENTER),
            Blank(st.INPUT_TEXT),
            Blank(st.INPUT_TEXT),
            Number(days_value, st.INPUT_QTY),
            Number(data.rate, st.INPUT_MONEY),
            Formula(
                amount_formula(f"{col(DAYS)}{r}", f"{col(RATE)}{r}", None),
                st.CELL_MONEY,
                data.per_delegate,
            ),
            Blank(st.CELL_TEXT),
        ]
        sheet.append(cells, height=ROW_HEIGHT)
    spare = sheet.append(
        [Blank(st.CELL_CENTER)] + [Blank(st.INPUT_TEXT)] * 2 + [Blank(st.CELL_MONEY)] * 4,
        height=6,
    )
    money = col(MONEY)
    total_row = sheet.append(
        [
            Blank(st.TOTAL_TEXT),
            Text("Tổng cộng", st.TOTAL_TEXT),
            Blank(st.TOTAL_TEXT),
            Formula(f"SUM({col(DAYS)}{first}:{col(DAYS)}{spare})", st.TOTAL_TEXT, sum_days(data)),
            Blank(st.TOTAL_TEXT),
            Formula(f"SUM({money}{first}:{money}{spare})", st.TOTAL_MONEY, data.total),
            Blank(st.TOTAL_TEXT),
        ]
    )
    sheet.append()
    words = amount_in_words(data.total, dialect=org.dialect)
    sheet.wide_cell(words_formula(f"{money}{total_row}", data.total, words))
    source = (
        f"theo dự toán ({quantity_display(data.line.quantity)} người)"
        if data.source == "dự toán"
        else f"theo chứng từ {data.source}"
    )
    sheet.wide(
        f"Số đại biểu: {data.delegates} người, {source}; mức hỗ trợ "
        f"{format_vnd(data.rate)} đồng/người/ngày"
        + (f" ({data.line.note})" if data.line.note else "")
        + f"; chi từ dòng {data.line.code}, tiểu mục {data.line.mlnsnn}.",
        st.ITALIC,
    )
    four_signatures(sheet, org, keep_from=max(first, total_row - 3), split=(2, 4))
    sheet.repeat_rows(header, header)
    sheet.protect()
    out = book.save(out, force=force)
    return ExportResult(out, data.delegates, data.total)


def sum_days(data: MealList) -> int | Decimal:
    total = data.days * data.delegates
    return int(total) if total == total.to_integral_value() else total
