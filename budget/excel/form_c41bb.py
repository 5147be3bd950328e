"""Phiếu chi, mẫu C41-BB: one payment voucher, filled from the voucher and the
organisation settings.

Form: Thông tư 107/2017/TT-BTC ngày 10/10/2017 của Bộ Tài chính (chế độ kế toán
hành chính, sự nghiệp), Phụ lục số 01 — Danh mục và mẫu chứng từ kế toán, mẫu
C41-BB "Phiếu chi" (biểu bắt buộc). TT 107/2017 is the regime in force for the
demo's 2024 vouchers (TT 24/2024/TT-BTC, in force from 01/01/2025, applies to
administrative units' accounting for vouchers dated from 2025 — not yet a dated
template here: verify before using the form for 2025 vouchers).

The layout follows the commonly printed form (unit and mã ĐVQHNS top left, the
form code and circular top right, title, Quyển số/Số/Nợ/Có, payee, address,
content, amount in figures and in words, attachments, five signatures, "Đã nhận
đủ số tiền"); it was not checked against the circular's own page (verify).
"""

from __future__ import annotations

from pathlib import Path

from budget.excel import styles as st
from budget.excel.estimate_export import ExportResult
from budget.excel.sheet import Book, Cell, Number, Text, words_formula
from budget.models import Voucher
from budget.money import amount_in_words, format_vnd
from budget.services.organisation import OrgSettings

FORM_CODE = "Mẫu số C41-BB"
CIRCULAR = "(Ban hành kèm theo Thông tư số 107/2017/TT-BTC ngày 10/10/2017 của Bộ Tài chính)"
WIDTHS = [13, 13, 13, 13, 13, 13]
SIGNERS = ("THỦ TRƯỞNG ĐƠN VỊ", "KẾ TOÁN TRƯỞNG", "NGƯỜI LẬP", "THỦ QUỸ", "NGƯỜI NHẬN TIỀN")


def export_c41bb(
    voucher: Voucher, org: OrgSettings, out: Path, *, force: bool = False
) -> ExportResult:
    book = Book()
    sheet = book.sheet("Phiếu chi", WIDTHS)
    unit = f"Đơn vị: UBND {org.commune_kind} {org.commune_name}"
    sheet.wide_cell(Text(unit, st.BOLD), first=1, last=3)
    sheet._rows[-1].cells += [Text(FORM_CODE, st.BOLD_CENTER)] + [None] * 2
    sheet.merge(sheet.row - 1, 4, 6)
    sheet.wide_cell(Text(f"Mã QHNS: {org.unit_code}", st.TEXT), first=1, last=3)
    sheet._rows[-1].cells += [Text(CIRCULAR, st.ITALIC_CENTER)] + [None] * 2
    sheet._rows[-1].height = 3 * st.LINE_HEIGHT
    sheet.merge(sheet.row - 1, 4, 6)
    sheet.append()
    sheet.wide("PHIẾU CHI", st.TITLE)
    day = voucher.entry_date
    sheet.wide(f"Ngày {day.day:02d} tháng {day.month:02d} năm {day.year}", st.ITALIC_CENTER)
    sheet.wide(f"Quyển số: {day.year}        Số: {voucher.number}", st.TEXT_CENTER)
    sheet.wide(f"Nợ: {voucher.mlnsnn}        Có: 1111", st.TEXT_CENTER)
    sheet.append()
    fields = [
        ("Họ và tên người nhận tiền:", voucher.payee),
        ("Địa chỉ:", ""),
        ("Nội dung:", voucher.content),
        (
            "Mã ngân sách:",
            f"Chương {org.chapter}, loại-khoản {org.sector_code}, "
            f"tiểu mục {voucher.mlnsnn}, nguồn {org.fund_code}, dòng dự toán {voucher.line_code}",
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
            text = {"title": SIGNERS[i], "hint": hints[i], "name": names[i]}.get(kind)
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
