"""Giấy đề nghị tạm ứng (mẫu C42-HD): the request behind one advance voucher,
filled from the voucher and the organisation settings.

Code, title, legal basis and signers come from the dated template in force on
the advance's date (templates/norms/voucher_forms.toml): Thông tư
107/2017/TT-BTC ngày 10/10/2017, Phụ lục số 01, up to 31/12/2024; Thông tư
24/2024/TT-BTC ngày 17/4/2024 from 01/01/2025 (its code carried over, verify).

Layout, as the form is commonly printed: unit and mã QHNS top left, the form
code and basis top right; title, date, number; "Kính gửi"; the requester, the
amount in figures and in words, the reason, the settlement deadline; the budget
codes; four signatures (not checked against the circular's own page: verify).
"""

from __future__ import annotations

from pathlib import Path

from budget.excel import styles as st
from budget.excel.estimate_export import ExportResult
from budget.excel.form_parts import codes_line, day_line, label_rows, unit_heading
from budget.excel.sheet import Book, Number, Text, signature_block, words_formula
from budget.models import Voucher
from budget.money import amount_in_words
from budget.services.organisation import OrgSettings
from budget.voucher_forms import form_for

#: Eight narrow columns: four signers get two each.
WIDTHS = [9.5] * 8


def export_c42(
    voucher: Voucher, org: OrgSettings, out: Path, *, force: bool = False
) -> ExportResult:
    form = form_for("c42", voucher.entry_date)
    book = Book()
    sheet = book.sheet("Đề nghị tạm ứng", WIDTHS)
    unit_heading(sheet, org, form, split=4)
    sheet.append()
    sheet.wide(form.title, st.TITLE)
    sheet.wide(day_line(voucher.entry_date), st.ITALIC_CENTER)
    sheet.wide(f"Số: {voucher.number}", st.TEXT_CENTER)
    sheet.append()
    title = org.chairman_title.capitalize() if org.chairman_title.isupper() else org.chairman_title
    addressee = f"{title} Ủy ban nhân dân {org.commune_kind} {org.commune_name}"
    sheet.wide(f"Kính gửi: {addressee}", st.TEXT_CENTER)
    sheet.append()
    label_rows(
        sheet,
        [("Tên tôi là:", voucher.payee), ("Bộ phận (hoặc địa chỉ):", "")],
        label_cols=3,
    )
    amount_row = sheet.append(
        [
            Text("Đề nghị cho tạm ứng số tiền:", st.TEXT),
            None,
            None,
            Number(voucher.amount, st.MONEY_BOLD),
            None,
            Text("đồng", st.TEXT),
        ]
    )
    sheet.merge(amount_row, 1, 3)
    sheet.merge(amount_row, 4, 5)
    words = amount_in_words(voucher.amount, dialect=org.dialect)
    sheet.wide_cell(
        words_formula(f"D{amount_row}", voucher.amount, words, prefix="(Viết bằng chữ): ")
    )
    label_rows(
        sheet,
        [
            ("Lý do tạm ứng:", voucher.content),
            ("Thời hạn thanh toán:", ""),
            ("Mã ngân sách:", codes_line(org, voucher.mlnsnn, voucher.line_code)),
        ],
        label_cols=3,
    )
    titles = form.signers
    names = (org.chairman_name, org.accountant_name, "", voucher.payee)
    spans = ((1, 2), (3, 4), (5, 6), (7, 8))
    signature_block(
        sheet,
        [(a, b, t, n) for (a, b), t, n in zip(spans, titles, names, strict=True)],
        keep_with=4,
        seal_last=False,
        title_lines=2,
    )
    sheet.protect()
    out = book.save(out, force=force)
    return ExportResult(out, 1, voucher.amount)


__all__ = ["export_c42"]
