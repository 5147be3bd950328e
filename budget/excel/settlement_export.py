"""Báo cáo tình hình thực hiện dự toán (quyết toán): by line, by budget code,
and the voucher register, streamed so that a register of any size keeps memory flat."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from pathlib import Path

from openpyxl.cell import WriteOnlyCell

from budget.dates import format_date
from budget.excel import styles as st
from budget.excel.estimate_export import ExportResult
from budget.excel.sheet import (
    Blank,
    Cell,
    Formula,
    Number,
    Sheet,
    Text,
    col,
    heading_block,
    new_workbook,
    org_heading,
    place_date_line,
    signature_block,
)
from budget.money import amount_in_words
from budget.reports.reconcile import Figures, Reconciliation
from budget.reports.register import STATUS_LABELS, VoucherRow
from budget.services.organisation import OrgSettings
from budget.vocabulary import ALL_TYPES

LINE_HEADERS = [
    "STT",
    "Nội dung",
    "Tiểu mục",
    "Dự toán ban đầu",
    "Dự toán điều chỉnh",
    "Thực hiện (đã chi)",
    "Tạm ứng chưa thanh toán",
    "Còn lại",
    "Chênh lệch (dự toán - thực hiện)",
]
LINE_WIDTHS = [7, 42, 9, 14, 14, 14, 13, 14, 14]
CODE_HEADERS = [
    "Tiểu mục",
    "Tên",
    "Dự toán ban đầu",
    "Dự toán điều chỉnh",
    "Thực hiện (đã chi)",
    "Tạm ứng chưa thanh toán",
    "Còn lại",
    "Chênh lệch (dự toán - thực hiện)",
]
CODE_WIDTHS = [10, 40, 15, 15, 15, 14, 15, 15]
REGISTER_HEADERS = [
    "STT",
    "Số chứng từ",
    "Loại",
    "Ngày",
    "Dòng dự toán",
    "Tiểu mục",
    "Người nhận",
    "Nội dung",
    "Số tiền chứng từ",
    "Đã chi",
    "Tạm ứng",
    "Trạng thái",
    "Lý do vượt dự toán",
    "Người nhập",
]
REGISTER_WIDTHS = [8, 13, 20, 11, 10, 9, 26, 40, 15, 15, 13, 18, 24, 14]


def _figure_cells(row: int, fig: Figures, style: str, first: int = 4) -> list[Cell]:
    """original, approved, spent, committed as numbers; remaining and variance as formulas."""
    o, a, s, c = (col(first + i) for i in range(4))
    return [
        Number(fig.original, style),
        Number(fig.approved, style),
        Number(fig.spent, style),
        Number(fig.committed, style),
        Formula(f"{a}{row}-{s}{row}-{c}{row}", style),
        Formula(f"{a}{row}-{s}{row}", style),
    ]


def _sum_cells(row: int, rows: list[int], style: str, first: int, count: int = 6) -> list[Cell]:
    cells: list[Cell] = []
    for i in range(count):
        letter = col(first + i)
        refs = ",".join(f"{letter}{r}" for r in rows)
        cells.append(Formula(f"SUM({refs})" if refs else "0", style))
    return cells


def _by_line(sheet: Sheet, rec: Reconciliation) -> int:
    header = sheet.append([Text(h, st.HEADER) for h in LINE_HEADERS])
    sheet.repeat_rows(header, header)
    part_rows: list[int] = []
    titles = {g.code: g.title for g in rec.parts}
    lines_by_part: dict[str, list] = {}
    for line in rec.lines:
        lines_by_part.setdefault(line.part, []).append(line)
    for part_code, lines in lines_by_part.items():
        row = sheet.row
        first, last = row + 1, row + len(lines)
        cells: list[Cell] = [
            Text(part_code, st.PART_CENTER),
            Text(titles.get(part_code, ""), st.PART_TEXT),
            Blank(st.PART_TEXT),
        ]
        cells += [
            Formula(f"SUM({col(4 + i)}{first}:{col(4 + i)}{last})", st.PART_MONEY) for i in range(6)
        ]
        part_rows.append(sheet.append(cells))
        for line in lines:
            row = sheet.row
            suffix = line.code.removeprefix(f"{line.part}.") if line.part else line.code
            sheet.append(
                [
                    Text(suffix, st.CELL_CENTER),
                    Text(line.content, st.CELL_TEXT),
                    Text(line.mlnsnn, st.CELL_CENTER),
                    *_figure_cells(row, line.figures, st.CELL_MONEY),
                ]
            )
    row = sheet.row
    return sheet.append(
        [
            Blank(st.TOTAL_TEXT),
            Text("Tổng cộng", st.TOTAL_TEXT),
            Blank(st.TOTAL_TEXT),
            *_sum_cells(row, part_rows, st.TOTAL_MONEY, 4),
        ]
    )


def _by_code(workbook, rec: Reconciliation) -> None:  # type: ignore[no-untyped-def]
    sheet = Sheet(workbook, "Theo tiểu mục", CODE_WIDTHS, landscape=True)
    sheet.wide("TÌNH HÌNH THỰC HIỆN DỰ TOÁN THEO MỤC LỤC NGÂN SÁCH NHÀ NƯỚC", st.TITLE)
    sheet.wide(rec.campaign.title, st.BOLD_CENTER)
    sheet.append()
    header = sheet.append([Text(h, st.HEADER) for h in CODE_HEADERS])
    sheet.repeat_rows(header, header)
    rows = []
    for group in rec.codes:
        row = sheet.row
        rows.append(
            sheet.append(
                [
                    Text(group.code, st.CELL_CENTER),
                    Text(group.title, st.CELL_TEXT),
                    *_figure_cells(row, group.figures, st.CELL_MONEY, first=3),
                ]
            )
        )
    row = sheet.row
    sheet.append(
        [
            Blank(st.TOTAL_TEXT),
            Text("Tổng cộng", st.TOTAL_TEXT),
            *_sum_cells(row, rows, st.TOTAL_MONEY, 3),
        ]
    )


def _register(workbook, vouchers: Iterable[VoucherRow]) -> int:  # type: ignore[no-untyped-def]
    sheet = Sheet(workbook, "Sổ chứng từ", REGISTER_WIDTHS, landscape=True)
    sheet.wide("SỔ CHỨNG TỪ CHI (kể cả bút toán hủy)", st.TITLE)
    header = sheet.append([Text(h, st.HEADER) for h in REGISTER_HEADERS])
    sheet.repeat_rows(header, header)
    count = _register_rows(sheet, vouchers)
    sheet.row += count
    first, last = header + 1, header + count
    total: list[Cell] = [Blank(st.TOTAL_TEXT)] * 7 + [
        Text("Tổng cộng", st.TOTAL_TEXT),
        Blank(st.TOTAL_TEXT),
    ]
    total += [
        Formula(f"SUM({col(i)}{first}:{col(i)}{last})" if count else "0", st.TOTAL_MONEY)
        for i in (10, 11)
    ]
    sheet.append(total)
    return count


def _register_rows(sheet: Sheet, vouchers: Iterable[VoucherRow]) -> int:
    """The register's rows, streamed. Text and counts are plain values (the workbook's
    default format is Times New Roman 13); only the three amount columns carry a
    style, through one cell object per column reused for every row (a write-only
    sheet serialises a row as it is appended). Text that looks like a formula gets a
    cell of its own, forced to text."""
    types = {code: name for code, (name, _) in ALL_TYPES.items()}
    money = [WriteOnlyCell(sheet.ws) for _ in range(3)]
    for cell in money:
        cell.style = st.CELL_MONEY
        cell.data_type = "n"
    append = sheet.ws.append
    count = 0
    for count, v in enumerate(vouchers, 1):  # noqa: B007 - count is used after the loop
        money[0]._value, money[1]._value, money[2]._value = (
            v.amount,
            v.spent_delta,
            v.committed_delta,
        )
        values = [
            count,
            v.number,
            types[v.type],
            format_date(v.entry_date),
            v.line_code,
            v.mlnsnn,
            v.payee,
            v.content,
            *money,
            STATUS_LABELS[v.status],
            v.override_reason,
            v.entered_by,
        ]
        for index in _TEXT_COLUMNS:
            value = values[index]
            if isinstance(value, str) and value[:1] == "=":
                values[index] = _literal_text(sheet, value)
        append(values)
    return count


#: Register columns holding user text (a leading "=" would make openpyxl write a formula).
_TEXT_COLUMNS = (1, 4, 6, 7, 12, 13)


def _literal_text(sheet: Sheet, value: str):  # type: ignore[no-untyped-def]
    cell = WriteOnlyCell(sheet.ws, value=value)
    cell.data_type = "s"
    return cell


def export_settlement(
    rec: Reconciliation,
    vouchers: Iterable[VoucherRow],
    org: OrgSettings,
    out: Path,
    *,
    doc_date: date | None = None,
) -> ExportResult:
    workbook = new_workbook()
    sheet = Sheet(workbook, "Quyết toán", LINE_WIDTHS, landscape=True)
    heading_block(
        sheet,
        org_lines=org_heading(org.commune_kind, org.commune_name, org.superior_body),
        place_date=place_date_line(org.place, doc_date, rec.campaign.year),
        split=3,
    )
    sheet.wide("BÁO CÁO TÌNH HÌNH THỰC HIỆN DỰ TOÁN KINH PHÍ", st.TITLE)
    sheet.wide(rec.campaign.title, st.BOLD_CENTER)
    when = f"đến ngày {format_date(rec.as_of)}" if rec.as_of else "cả năm"
    decision = (
        f" (dự toán điều chỉnh theo QĐ số {rec.decision_number} ngày "
        f"{format_date(rec.decision_date)})"
        if rec.version_no > rec.original_version_no
        else ""
    )
    sheet.wide(f"Số liệu {when}{decision}", st.ITALIC_CENTER)
    sheet.wide("Đơn vị tính: đồng", st.ITALIC_CENTER)
    _by_line(sheet, rec)
    sheet.append()
    sheet.wide(
        "Tổng số đã chi bằng chữ: " + amount_in_words(rec.total.spent, dialect=org.dialect),
        st.ITALIC,
    )
    signature_block(
        sheet,
        [
            (1, 2, "NGƯỜI LẬP BIỂU", org.preparer_name),
            (3, 6, "KẾ TOÁN", org.accountant_name),
            (7, 9, org.chairman_title.upper(), org.chairman_name),
        ],
    )
    _by_code(workbook, rec)
    count = _register(workbook, vouchers)
    out.parent.mkdir(parents=True, exist_ok=True)
    workbook.save(out)
    return ExportResult(out, count, rec.total.spent)
