"""Giấy rút dự toán ngân sách nhà nước, mẫu C2-02a/NS, for one payment voucher.

Form: mẫu C2-02a/NS of the treasury's payment procedures, its code and legal
basis taken from the dated template in force on the voucher's date
(templates/norms/voucher_forms.toml): Thông tư 77/2017/TT-BTC ngày 28/7/2017,
then Nghị định 11/2020/NĐ-CP ngày 20/01/2020 (thủ tục hành chính thuộc lĩnh vực
Kho bạc Nhà nước), Phụ lục II, from 10/3/2020. It is a treasury form, not one of
the accounting regime's own vouchers. The layout here (payer block, coded lines
Nội dung / NDKT / Chương / ngành kinh tế (loại–khoản) / nguồn / niên độ / số
tiền, total in words, payee block, the unit's and the treasury's signatures)
follows the commonly printed form; not checked against the decree's page
(verify), in particular the boxes for the treasury's own entries.
"""

from __future__ import annotations

from pathlib import Path

from budget.excel import styles as st
from budget.excel.estimate_export import ExportResult
from budget.excel.sheet import Book, Formula, Number, Text, signature_block, words_formula
from budget.models import Voucher
from budget.money import amount_in_words
from budget.services.organisation import OrgSettings
from budget.voucher_forms import form_for

HEADERS = [
    "Nội dung thanh toán",
    "Mã NDKT",
    "Mã chương",
    "Mã ngành KT",
    "Mã nguồn NSNN",
    "Niên độ NS",
    "Số tiền",
]
WIDTHS = [30, 9, 9, 10, 9, 8, 14]


def export_c202a(
    voucher: Voucher, org: OrgSettings, out: Path, *, force: bool = False
) -> ExportResult:
    form = form_for("c202a", voucher.entry_date)
    book = Book()
    sheet = book.sheet("Giấy rút dự toán", WIDTHS)
    sheet.wide(form.form_code, st.BOLD_CENTER, first=5)
    sheet.wide(form.basis, st.ITALIC_CENTER, first=5)
    sheet.append()
    sheet.wide(form.title, st.TITLE)
    sheet.wide(
        "Thực chi [X]      Tạm ứng [  ]      Chuyển khoản [X]      Tiền mặt [  ]", st.TEXT_CENTER
    )
    sheet.wide(f"Số: {voucher.number}", st.TEXT_CENTER)
    sheet.append()
    payer = [
        f"Đơn vị rút dự toán: UBND {org.commune_kind} {org.commune_name}",
        f"Mã ĐVQHNS: {org.unit_code}",
        f"Tài khoản: ..............................  Tại KBNN: {org.treasury_name} "
        f"(mã {org.treasury_code})",
        "Mã cấp NS: xã",
    ]
    for line in payer:
        sheet.wide(line, st.TEXT_WRAP)
    sheet.append()
    header = sheet.append([Text(h, st.HEADER) for h in HEADERS], height=36)
    row = sheet.append(
        [
            Text(voucher.content, st.CELL_TEXT),
            Text(voucher.mlnsnn, st.CELL_CENTER),
            Text(org.chapter, st.CELL_CENTER),
            Text(org.sector_code, st.CELL_CENTER),
            Text(org.fund_code, st.CELL_CENTER),
            Text(str(voucher.entry_date.year), st.CELL_CENTER),
            Number(voucher.amount, st.CELL_MONEY),
        ]
    )
    total = sheet.append(
        [Text("Tổng cộng", st.TOTAL_TEXT)]
        + [Text("", st.TOTAL_TEXT)] * 5
        + [Formula(f"SUM(G{row}:G{row})", st.TOTAL_MONEY, voucher.amount)]
    )
    sheet.merge(total, 1, 6)
    words = amount_in_words(voucher.amount, dialect=org.dialect)
    sheet.wide_cell(
        words_formula(f"G{total}", voucher.amount, words, prefix="Tổng số tiền ghi bằng chữ: ")
    )
    sheet.append()
    for line in (
        f"Đơn vị nhận tiền: {voucher.payee}",
        "Mã ĐVQHNS: ..........  Tài khoản: ..............................  "
        "Tại KBNN (NH): ..............................",
    ):
        sheet.wide(line, st.TEXT_WRAP)
    sheet.wide(
        f"Số chứng từ kế toán của đơn vị: {voucher.number} ngày "
        f"{voucher.entry_date:%d/%m/%Y}, dòng dự toán {voucher.line_code}.",
        st.ITALIC,
    )
    signature_block(
        sheet,
        [
            (1, 1, f"ĐƠN VỊ SỬ DỤNG NGÂN SÁCH\n{form.signers[0]}", org.accountant_name),
            (2, 7, f"\n{form.signers[1]}", org.chairman_name),
        ],
        keep_with=3,
    )
    sheet.append()
    sheet.wide("PHẦN KHO BẠC NHÀ NƯỚC GHI", st.BOLD_CENTER)
    sheet.wide(
        "Nợ TK: ..........   Có TK: ..........   Ngày ..... tháng ..... năm ......", st.TEXT_CENTER
    )
    sheet.wide(
        "Kế toán                    Kế toán trưởng                    Giám đốc KBNN", st.BOLD_CENTER
    )
    sheet.repeat_rows(header, header)
    sheet.protect()
    out = book.save(out, force=force)
    return ExportResult(out, 1, voucher.amount)
