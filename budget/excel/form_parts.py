"""Pieces the accounting vouchers share (Phiếu chi, Giấy đề nghị tạm ứng, Giấy
thanh toán tạm ứng): the unit block top left, the dated form code and its legal
basis top right, the date line and the budget-code line."""

from __future__ import annotations

from datetime import date

from budget.excel import styles as st
from budget.excel.sheet import Blank, Cell, Sheet, Text
from budget.services.organisation import OrgSettings
from budget.voucher_forms import VoucherForm


def unit_heading(sheet: Sheet, org: OrgSettings, form: VoucherForm, *, split: int) -> None:
    """ "Đơn vị: UBND xã …" / "Mã QHNS: …" on columns 1..split; "Mẫu số …" and the
    regime's basis on the rest."""
    spans = {0: sum(sheet.widths[:split]), split: sum(sheet.widths[split:])}
    lines = (
        (Text(f"Đơn vị: UBND {org.commune_kind} {org.commune_name}", st.BOLD), form.form_code),
        (Text(f"Mã QHNS: {org.unit_code}", st.TEXT), form.basis),
    )
    for index, (left, right) in enumerate(lines):
        style = st.BOLD_CENTER if index == 0 else st.ITALIC_CENTER
        cells: list[Cell] = [left] + [Blank(left.style)] * (split - 1)
        cells += [Text(right, style)] + [Blank(style)] * (sheet.width - split - 1)
        row = sheet.append(cells, spans=spans)
        sheet.merge(row, 1, split)
        sheet.merge(row, split + 1, sheet.width)


def day_line(day: date) -> str:
    """ "Ngày 05 tháng 06 năm 2024" under a voucher's title."""
    return f"Ngày {day.day:02d} tháng {day.month:02d} năm {day.year}"


def codes_line(org: OrgSettings, mlnsnn: str, line_code: str) -> str:
    """The budget codes a voucher is booked to: the organisation's Chương,
    loại–khoản and nguồn, the voucher's tiểu mục and estimate line."""
    return (
        f"Chương {org.chapter}, loại-khoản {org.sector_code}, "
        f"tiểu mục {mlnsnn}, nguồn {org.fund_code}, dòng dự toán {line_code}"
    )


def label_rows(sheet: Sheet, fields: list[tuple[str, str]], *, label_cols: int) -> None:
    """ "Label:" on the first ``label_cols`` columns, its value wrapped on the rest."""
    for label, value in fields:
        cells: list[Cell] = [Text(label, st.TEXT_WRAP)] + [None] * (label_cols - 1)
        cells += [Text(value, st.TEXT_WRAP)] + [None] * (sheet.width - label_cols - 1)
        spans = {0: sum(sheet.widths[:label_cols]), label_cols: sum(sheet.widths[label_cols:])}
        row = sheet.append(cells, spans=spans)
        sheet.merge(row, 1, label_cols)
        sheet.merge(row, label_cols + 1, sheet.width)


__all__ = ["codes_line", "day_line", "label_rows", "unit_heading"]
