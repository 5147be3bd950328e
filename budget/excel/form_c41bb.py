"""Phiếu chi, mẫu C41-BB: one payment voucher, filled from the voucher and the
organisation settings.

The form's code, title, legal basis and signers come from the dated template in
force on the voucher's date (templates/norms/voucher_forms.toml, budget.voucher_forms):
Thông tư 107/2017/TT-BTC ngày 10/10/2017, Phụ lục số 01, mẫu C41-BB, for vouchers
up to 31/12/2024; Thông tư 24/2024/TT-BTC ngày 17/4/2024 from 01/01/2025.

The layout follows the commonly printed form (unit and mã ĐVQHNS top left, the
form code and circular top right, title, Quyển số/Số/Nợ/Có, payee, address,
content, amount in figures and in words, attachments, five signatures, "Đã nhận
đủ số tiền"); it was not checked against the circular's own page (verify).
"""

from __future__ import annotations

from pathlib import Path

from budget.excel import styles as st
from budget.excel.estimate_export import ExportResult
from budget.excel.form_parts import codes_line, day_line, unit_heading
from budget.excel.sheet import Book, Cell, Number, Text, words_formula
from budget.models import Voucher
from budget.money import amount_in_words, format_vnd
from budget.services.organisation import OrgSettings
from budget.voucher_forms import form_for

WIDTHS = [13, 13, 13, 13, 13, 13]


def export_c41bb(
    voucher: Voucher, org: OrgSettings, out: Path, *, force: bool = False
) -> ExportResult:
    form = form_for("c41bb", voucher.entry_date)
    signers = form.signers
    book = Book()
    sheet = book.sheet("Phiếu chi", WIDTHS)
    unit_heading(sheet, org, form, split=3)
    sheet.append()
    sheet.wide(form.title, st.TITLE)
    day = voucher.entry_date
    sheet.wide(day_line(day), st.ITALIC_CENTER)
    sheet.wide(f"Quyển số: {day.year}        Số: {voucher.number}", st.TEXT_CENTER)
    sheet.wide(f"Nợ: {voucher.mlnsnn}        Có: 1111", st.TEXT_CENTER)
    sheet.append()
    fields = [
        ("Họ và tên người nhận tiền:", voucher.payee),
        ("Địa chỉ:", ""),
        ("Nội dung:", voucher.content),
        (
            "Mã ngân sách:",
            codes_line(org, voucher.mlnsnn, voucher.line_code),
        ),
    ]
    for label, value in fields:
        cells: list[Cell] = [
            Text(label, st.TEXT),
            None,
            Text(value, st.TEXT_WRAP),
            None,
            None,
            None,
        ]
        row = sheet.append(cells, spans={2: sum(WIDTHS[2:])})
        sheet.merge(row, 1, 2)
        sheet.merge(row, 3, 6)
    amount_row = sheet.append(
        [
            Text("Số tiền:", st.TEXT),
            None,
            Number(voucher.amount, st.MONEY_BOLD),
            Text("đồng", st.TEXT),
        ]
    )
    sheet.merge(amount_row, 1, 2)
    words = amount_in_words(voucher.amount, dialect=org.dialect)
    sheet.wide_cell(
        words_formula(f"C{amount_row}", voucher.amount, words, prefix="(Viết bằng chữ): ")
    )
    sheet.wide("Kèm theo: ........ chứng từ gốc.", st.TEXT)
    sheet.append()
    start = sheet.row
    names = (
        org.chairman_name,
        org.accountant_name,
        org.preparer_name,
        org.cashier_name,
        voucher.payee,
    )
    hints = ["(Ký, họ tên, đóng dấu)"] + ["(Ký, họ tên)"] * 4
    # Five signers over six columns: the last one (the payee) gets two.
    spans = [(1, 1), (2, 2), (3, 3), (4, 4), (5, 6)]
    for kind in ("title", "hint", "space", "space", "space", "space", "name"):
        cells = [None] * 6
        for i, (first, _last) in enumerate(spans):
            text = {"title": signers[i], "hint": hints[i], "name": names[i]}.get(kind)
            if text is not None:
                style = {"title": st.BOLD_CENTER, "hint": st.ITALIC_CENTER}.get(
                    kind, st.BOLD_CENTER
                )
                cells[first - 1] = Text(text, style)
        height = {"title": 3, "hint": 2, "name": 2}.get(kind, 1) * st.LINE_HEIGHT + 2
        row = sheet.append(cells, height=height)
        if kind != "space":
            sheet.merge(row, 5, 6)
    sheet.append()
    received = words_formula(
        f"C{amount_row}", voucher.amount, words, prefix="Đã nhận đủ số tiền (viết bằng chữ): "
    )
    sheet.wide_cell(received)
    sheet.keep_together(start, sheet.row - 1)
    sheet.wide(f"(Số tiền: {format_vnd(voucher.amount)} đồng)", st.ITALIC)
    sheet.protect()
    out = book.save(out, force=force)
    return ExportResult(out, 1, voucher.amount)


__all__ = ["export_c41bb"]
