"""Giấy thanh toán tạm ứng (mẫu C43-BB): how one advance was settled, filled
from the settlement voucher, the advance it settles and the organisation.

Code, title, legal basis and signers come from the dated template in force on
the settlement's date (templates/norms/voucher_forms.toml): Thông tư
107/2017/TT-BTC ngày 10/10/2017, Phụ lục số 01, up to 31/12/2024; Thông tư
24/2024/TT-BTC ngày 17/4/2024 from 01/01/2025 (its code carried over, verify).

The table, as the form is commonly printed (not checked against the circular's
page: verify): I. Số tiền tạm ứng (earlier advances not spent, this advance),
II. Số tiền đã chi, III. Chênh lệch (advance not spent I − II, spent over the
advance II − I). Every total is a formula over the rows above it (a row a user
inserts inside a section counts), written with its value.
"""

from __future__ import annotations

from pathlib import Path

from budget.excel import styles as st
from budget.excel.estimate_export import ExportResult
from budget.excel.form_parts import codes_line, day_line, label_rows, unit_heading
from budget.excel.sheet import (
    Book,
    Cell,
    Formula,
    Number,
    Sheet,
    Text,
    signature_block,
    words_formula,
)
from budget.models import Voucher
from budget.money import amount_in_words
from budget.services.organisation import OrgSettings
from budget.voucher_forms import form_for

#: Eight narrow columns (four signers get two each): the description on A–F,
#: the amount on G–H.
WIDTHS = [9.5] * 8
TEXT_LAST, MONEY_COL = 6, "G"


def _row(sheet: Sheet, text: Text, amount: Cell) -> int:
    cells: list[Cell] = [text] + [None] * (TEXT_LAST - 1) + [amount, None]
    row = sheet.append(cells, spans={0: sum(WIDTHS[:TEXT_LAST])})
    sheet.merge(row, 1, TEXT_LAST)
    sheet.merge(row, TEXT_LAST + 1, sheet.width)
    return row


def _sum(first: int, last: int, cached: int) -> Formula:
    return Formula(f"SUM({MONEY_COL}{first}:{MONEY_COL}{last})", st.PART_MONEY, cached)


def export_c43bb(
    settlement: Voucher,
    advance: Voucher,
    org: OrgSettings,
    out: Path,
    *,
    force: bool = False,
) -> ExportResult:
    form = form_for("c43bb", settlement.entry_date)
    advanced = advance.amount
    spent = settlement.spent_delta
    book = Book()
    sheet = book.sheet("Thanh toán tạm ứng", WIDTHS)
    unit_heading(sheet, org, form, split=4)
    sheet.append()
    sheet.wide(form.title, st.TITLE)
    sheet.wide(day_line(settlement.entry_date), st.ITALIC_CENTER)
    sheet.wide(f"Số: {settlement.number}", st.TEXT_CENTER)
    sheet.wide("Nợ: ..................        Có: ..................", st.TEXT_CENTER)
    sheet.append()
    label_rows(
        sheet,
        [
            ("Họ và tên người thanh toán:", advance.payee),
            ("Bộ phận (hoặc địa chỉ):", ""),
            ("Mã ngân sách:", codes_line(org, settlement.mlnsnn, settlement.line_code)),
        ],
        label_cols=3,
    )
    sheet.wide("Số tiền tạm ứng được thanh toán theo bảng dưới đây:", st.TEXT)
    header = _row(sheet, Text("Diễn giải", st.HEADER), Text("Số tiền", st.HEADER))
    letters = _row(sheet, Text("A", st.CELL_CENTER), Text("1", st.CELL_CENTER))

    # I. The advance: earlier advances not yet spent (none: each advance is
    # settled on its own) and this one.
    total_i = sheet.row
    _row(sheet, Text("I. Số tiền tạm ứng", st.PART_TEXT), _sum(total_i + 1, total_i + 2, advanced))
    _row(sheet, Text("1. Số tạm ứng các kỳ trước chưa chi hết", st.CELL_TEXT), Number(0))
    this_advance = (
        f"2. Số tạm ứng kỳ này: giấy đề nghị tạm ứng số {advance.number} "
        f"ngày {advance.entry_date:%d/%m/%Y}"
    )
    _row(sheet, Text(this_advance, st.CELL_TEXT), Number(advanced))
    # II. What was spent: the settlement's amount on one row.
    total_ii = sheet.row
    _row(sheet, Text("II. Số tiền đã chi", st.PART_TEXT), _sum(total_ii + 1, total_ii + 1, spent))
    _row(sheet, Text(f"1. {settlement.content}", st.CELL_TEXT), Number(spent))
    # III. The difference, from the two sections' totals.
    ref_i, ref_ii = f"{MONEY_COL}{total_i}", f"{MONEY_COL}{total_ii}"
    _row(sheet, Text("III. Chênh lệch", st.PART_TEXT), Text("", st.PART_TEXT))
    _row(
        sheet,
        Text("1. Số tạm ứng chi không hết (I - II)", st.CELL_TEXT),
        Formula(f"MAX({ref_i}-{ref_ii},0)", st.CELL_MONEY, max(advanced - spent, 0)),
    )
    _row(
        sheet,
        Text("2. Chi quá số tạm ứng (II - I)", st.CELL_TEXT),
        Formula(f"MAX({ref_ii}-{ref_i},0)", st.CELL_MONEY, max(spent - advanced, 0)),
    )
    words = amount_in_words(spent, dialect=org.dialect)
    sheet.wide_cell(words_formula(ref_ii, spent, words, prefix="Số tiền đã chi (viết bằng chữ): "))
    names = (org.chairman_name, org.accountant_name, org.preparer_name, advance.payee)
    spans = ((1, 2), (3, 4), (5, 6), (7, 8))
    signature_block(
        sheet,
        [(a, b, t, n) for (a, b), t, n in zip(spans, form.signers, names, strict=True)],
        keep_with=4,
        seal_last=False,
        title_lines=2,
    )
    sheet.repeat_rows(header, letters)
    sheet.protect()
    out = book.save(out, force=force)
    return ExportResult(out, 1, spent)


__all__ = ["export_c43bb"]
