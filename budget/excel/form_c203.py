"""Giấy đề nghị thanh toán tạm ứng (mẫu C2-03/NS): the unit asks the treasury to
turn an advance drawn from the estimate into a final payment.

Code, title and legal basis come from the dated template in force on the
settlement's date (templates/norms/voucher_forms.toml): Thông tư 77/2017/TT-BTC
ngày 28/7/2017, then Nghị định 11/2020/NĐ-CP ngày 20/01/2020, Phụ lục II, from
10/3/2020 (verify both).

Layout, as the form is commonly printed (not checked against the decree's page:
verify): the unit, its mã ĐVQHNS, account and treasury; "Căn cứ số dư tạm ứng
…, đề nghị Kho bạc Nhà nước … thanh toán"; one coded line per tiểu mục —
Nội dung / NDKT / Chương / ngành kinh tế (loại–khoản) / nguồn / niên độ / số dư
tạm ứng / số đề nghị thanh toán / số KBNN duyệt (left for the treasury); the
total of the request in words; the unit's signatures; the treasury's part.
Landscape: nine columns at a readable size.
"""

from __future__ import annotations

from pathlib import Path

from budget.excel import styles as st
from budget.excel.estimate_export import ExportResult
from budget.excel.sheet import Blank, Book, Formula, Number, Text, signature_block, words_formula
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
    "Số dư tạm ứng",
    "Số đề nghị thanh toán",
    "Số KBNN duyệt thanh toán",
]
WIDTHS = [34, 9, 9, 10, 9, 8, 15, 15, 15]


def export_c203(
    settlement: Voucher,
    advance: Voucher,
    org: OrgSettings,
    out: Path,
    *,
    force: bool = False,
) -> ExportResult:
    form = form_for("c203", settlement.entry_date)
    advanced = advance.amount
    requested = settlement.spent_delta
    book = Book()
    sheet = book.sheet("Thanh toán tạm ứng KBNN", WIDTHS, landscape=True)
    sheet.wide(form.form_code, st.BOLD_CENTER, first=7)
    sheet.wide(form.basis, st.ITALIC_CENTER, first=7)
    sheet.wide(form.title, st.TITLE)
    sheet.wide(f"Số: {settlement.number}        Niên độ: {settlement.year}", st.TEXT_CENTER)
    for line in (
        f"Tên đơn vị: UBND {org.commune_kind} {org.commune_name}",
        f"Mã ĐVQHNS: {org.unit_code}",
        f"Tài khoản: ..............................  Tại KBNN: {org.treasury_name} "
        f"(mã {org.treasury_code})",
        f"Căn cứ số dư tạm ứng đến ngày {settlement.entry_date:%d/%m/%Y} (giấy đề nghị tạm ứng "
        f"số {advance.number} ngày {advance.entry_date:%d/%m/%Y}), đề nghị "
        f"{org.treasury_name} thanh toán số tiền đã tạm ứng theo chi tiết sau:",
    ):
        sheet.wide(line, st.TEXT_WRAP)
    header = sheet.append([Text(h, st.HEADER) for h in HEADERS])
    row = sheet.append(
        [
            Text(advance.content, st.CELL_TEXT),
            Text(settlement.mlnsnn, st.CELL_CENTER),
            Text(org.chapter, st.CELL_CENTER),
            Text(org.sector_code, st.CELL_CENTER),
            Text(org.fund_code, st.CELL_CENTER),
            Text(str(settlement.year), st.CELL_CENTER),
            Number(advanced, st.CELL_MONEY),
            Number(requested, st.CELL_MONEY),
            Blank(st.INPUT_MONEY),
        ]
    )
    total = sheet.append(
        [Text("Tổng cộng", st.TOTAL_TEXT)]
        + [Text("", st.TOTAL_TEXT)] * 5
        + [
            Formula(f"SUM(G{row}:G{row})", st.TOTAL_MONEY, advanced),
            Formula(f"SUM(H{row}:H{row})", st.TOTAL_MONEY, requested),
            Formula(f"SUM(I{row}:I{row})", st.TOTAL_MONEY, 0),
        ]
    )
    sheet.merge(total, 1, 6)
    words = amount_in_words(requested, dialect=org.dialect)
    sheet.wide_cell(
        words_formula(
            f"H{total}", requested, words, prefix="Tổng số đề nghị thanh toán ghi bằng chữ: "
        )
    )
    kept_from = sheet.row - 3  # the table's last rows, as signature_block keeps them
    signature_block(
        sheet,
        [
            (1, 1, f"ĐƠN VỊ SỬ DỤNG NGÂN SÁCH\n{form.signers[0]}", org.accountant_name),
            (2, 9, f"\n{form.signers[1]}", org.chairman_name),
        ],
        keep_with=3,
    )
    # The treasury's part, kept on the page with the unit's signatures (a block
    # starting on the same row replaces the signature block's own).
    sheet.wide("PHẦN DO KHO BẠC NHÀ NƯỚC GHI  —  Ngày ..... tháng ..... năm ......", st.BOLD_CENTER)
    sheet.wide(
        "KBNN chấp nhận thanh toán tạm ứng số tiền: ..............................  "
        "Bằng chữ: ..........................................................",
        st.TEXT_WRAP,
    )
    sheet.wide(
        "Kế toán                              Kế toán trưởng                              "
        "Giám đốc KBNN",
        st.BOLD_CENTER,
    )
    sheet.keep_together(kept_from, sheet.row - 1)
    sheet.repeat_rows(header, header)
    sheet.protect()
    out = book.save(out, force=force)
    return ExportResult(out, 1, requested)


__all__ = ["export_c203"]
