"""Báo cáo tình hình thực hiện dự toán (quyết toán): by line, by budget code,
and the voucher register, streamed so that a register of any size keeps memory flat."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from datetime import date
from pathlib import Path

from budget.dates import format_date
from budget.excel import styles as st
from budget.excel.estimate_export import ExportResult
from budget.excel.numbering import numbered
from budget.excel.sheet import (
    Blank,
    Book,
    Cell,
    Formula,
    Number,
    Sheet,
    Text,
    chairman_title,
    col,
    heading_block,
    org_heading,
    place_date_line,
    signature_block,
    words_formula,
)
from budget.money import amount_in_words
from budget.progress import OnRows
from budget.reports.reconcile import Figures, LineRow, Reconciliation
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
LINE_WIDTHS = [5, 30, 7, 11, 11, 11, 10, 11, 11]
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
CODE_WIDTHS = [8, 30, 11, 11, 11, 10, 11, 11]
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
REGISTER_WIDTHS = [5, 9, 11, 10, 7, 7, 14, 22, 11, 11, 10, 11, 12, 9]


def _figure_cells(row: int, fig: Figures, style: str, first: int = 4) -> list[Cell]:
    """original, approved, spent, committed as numbers; remaining and variance as formulas."""
    o, a, s, c = (col(first + i) for i in range(4))
    return [
        Number(fig.original, style),
        Number(fig.approved, style),
        Number(fig.spent, style),
        Number(fig.committed, style),
        Formula(f"{a}{row}-{s}{row}-{c}{row}", style, fig.approved - fig.spent - fig.committed),
        Formula(f"{a}{row}-{s}{row}", style, fig.approved - fig.spent),
    ]


def _values(fig: Figures) -> list[int]:
    return [
        fig.original,
        fig.approved,
        fig.spent,
        fig.committed,
        fig.approved - fig.spent - fig.committed,
        fig.approved - fig.spent,
    ]


def _subtotals(first_row: int, last_row: int, fig: Figures, style: str, first: int) -> list[Cell]:
    """SUBTOTAL(9, ...) per figure column over first_row..last_row (SUBTOTAL skips the
    nested part subtotals, and a row inserted inside the range counts)."""
    return [
        Formula(f"SUBTOTAL(9,{col(first + i)}{first_row}:{col(first + i)}{last_row})", style, v)
        for i, v in enumerate(_values(fig))
    ]


def _by_line(sheet: Sheet, rec: Reconciliation) -> int:
    header = sheet.append([Text(h, st.HEADER) for h in LINE_HEADERS], height=54)
    sheet.repeat_rows(header, header)
    parts = {g.code: g for g in rec.parts}
    lines_by_part: dict[str, list[LineRow]] = {}
    for line in rec.lines:
        lines_by_part.setdefault(line.part, []).append(line)
    starts, row = [], sheet.row
    for lines in lines_by_part.values():
        starts.append(row)
        row += 1 + len(lines)
    spare = row
    for index, (part_code, lines) in enumerate(lines_by_part.items()):
        end = starts[index + 1] if index + 1 < len(starts) else spare
        here = sheet.row
        group = parts.get(part_code)
        fig = group.figures if group else Figures(0, 0, 0, 0)
        cells: list[Cell] = [
            Text(part_code, st.PART_CENTER),
            Text(group.title if group else "", st.PART_TEXT),
            Blank(st.PART_TEXT),
            *_subtotals(here + 1, end, fig, st.PART_MONEY, 4),
        ]
        sheet.append(cells)
        for stt, line in numbered(lines):
            row = sheet.row
            sheet.append(
                [
                    Text(str(stt), st.CELL_CENTER),
                    Text(line.content, st.CELL_TEXT),
                    Text(line.mlnsnn, st.CELL_CENTER),
                    *_figure_cells(row, line.figures, st.CELL_MONEY),
                ]
            )
    sheet.append([Blank(st.CELL_TEXT)] * 3 + [Blank(st.CELL_MONEY)] * 6, height=6)
    return sheet.append(
        [
            Blank(st.TOTAL_TEXT),
            Text("Tổng cộng", st.TOTAL_TEXT),
            Blank(st.TOTAL_TEXT),
            *_subtotals(header + 1, spare, rec.total, st.TOTAL_MONEY, 4),
        ]
    )


def _by_code(book: Book, rec: Reconciliation) -> None:
    sheet = book.sheet("Theo tiểu mục", CODE_WIDTHS, landscape=True)
    sheet.wide("TÌNH HÌNH THỰC HIỆN DỰ TOÁN THEO MỤC LỤC NGÂN SÁCH NHÀ NƯỚC", st.TITLE)
    sheet.wide(rec.campaign.title, st.BOLD_CENTER)
    sheet.append()
    header = sheet.append([Text(h, st.HEADER) for h in CODE_HEADERS], height=54)
    sheet.repeat_rows(header, header)
    for group in rec.codes:
        row = sheet.row
        sheet.append(
            [
                Text(group.code, st.CELL_CENTER),
                Text(group.title, st.CELL_TEXT),
                *_figure_cells(row, group.figures, st.CELL_MONEY, first=3),
            ]
        )
    spare = sheet.append([Blank(st.CELL_TEXT)] * 2 + [Blank(st.CELL_MONEY)] * 6, height=6)
    sheet.append(
        [
            Blank(st.TOTAL_TEXT),
            Text("Tổng cộng", st.TOTAL_TEXT),
            *_subtotals(header + 1, spare, rec.total, st.TOTAL_MONEY, 3),
        ]
    )
    sheet.protect()


def _register(book: Book, vouchers: Iterable[VoucherRow], progress: OnRows | None = None) -> int:
    """The register, streamed (any size, flat memory); its totals are formulas
    without a known value until the rows are counted, so they come with the sums."""
    sheet = book.sheet("Sổ chứng từ", REGISTER_WIDTHS, landscape=True)
    sheet.wide("SỔ CHỨNG TỪ CHI (kể cả bút toán hủy)", st.TITLE)
    header = sheet.append([Text(h, st.HEADER) for h in REGISTER_HEADERS], height=54)
    sheet.repeat_rows(header, header)
    totals = [0, 0]
    types = {code: name for code, (name, _) in ALL_TYPES.items()}

    def rows() -> Iterator[tuple[object, ...]]:
        for count, v in enumerate(vouchers, 1):
            totals[0] += v.spent_delta
            totals[1] += v.committed_delta
            yield (
                count,
                v.number,
                types[v.type],
                v.entry_date,
                v.line_code,
                v.mlnsnn,
                v.payee,
                v.content,
                v.amount,
                v.spent_delta,
                v.committed_delta,
                STATUS_LABELS[v.status],
                v.override_reason,
                v.entered_by,
            )

    count = sheet.stream(rows(), _REGISTER_STYLES, progress)
    first, last = header + 1, header + count
    total: list[Cell] = [Blank(st.TOTAL_TEXT)] * 7
    total += [Text("Tổng cộng", st.TOTAL_TEXT), Blank(st.TOTAL_TEXT)]
    total += [
        Formula(f"SUM({col(i)}{first}:{col(i)}{last})" if count else "0", st.TOTAL_MONEY, t)
        for i, t in zip((10, 11), totals, strict=True)
    ]
    sheet.append(total)
    return count


_REGISTER_STYLES = [
    st.CELL_CENTER,
    st.CELL_PLAIN,
    st.CELL_TEXT,
    st.CELL_DATE,
    st.CELL_CENTER,
    st.CELL_CENTER,
    st.CELL_TEXT,
    st.CELL_TEXT,
    st.CELL_MONEY,
    st.CELL_MONEY,
    st.CELL_MONEY,
    st.CELL_TEXT,
    st.CELL_TEXT,
    st.CELL_PLAIN,
]


def recipient_of(org: OrgSettings) -> str:
    """Whom the year-end report goes to: the superior body, else the province's finance office."""
    if org.superior_body:
        return org.superior_body
    return f"Sở Tài chính {org.province}" if org.province else "Cơ quan tài chính cấp trên"


def export_settlement(
    rec: Reconciliation,
    vouchers: Iterable[VoucherRow],
    org: OrgSettings,
    out: Path,
    *,
    doc_date: date | None = None,
    bases: Sequence[str] = (),
    force: bool = False,
    progress: OnRows | None = None,
) -> ExportResult:
    """``bases``: the "Căn cứ …" lines (the plan's, filled from the database, and
    the decisions approving the estimate and its adjustments). ``progress`` hears
    the register's rows as they are written; if it raises (a cancel) the workbook
    is dropped and no file is written."""
    book = Book()
    try:
        count = _settlement_book(book, rec, vouchers, org, doc_date, bases, progress)
    except BaseException:
        book.discard()
        raise
    out = book.save(out, force=force)
    return ExportResult(out, count, rec.total.spent)


def _settlement_book(
    book: Book,
    rec: Reconciliation,
    vouchers: Iterable[VoucherRow],
    org: OrgSettings,
    doc_date: date | None,
    bases: Sequence[str],
    progress: OnRows | None,
) -> int:
    """Lay the three sheets out; returns the register's rows."""
    sheet = book.sheet("Quyết toán", LINE_WIDTHS, landscape=True)
    heading_block(
        sheet,
        org_lines=org_heading(org.commune_kind, org.commune_name, org.superior_body),
        place_date=place_date_line(org.place, doc_date, rec.campaign.year),
        split=3,
        number="Số:        /BC-UBND",
        superior=org.superior_body is not None,
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
    sheet.wide(f"Kính gửi: {recipient_of(org)}", st.TEXT_CENTER)
    sheet.append()
    for basis in bases:
        sheet.wide(basis, st.ITALIC)
    sheet.wide(
        f"Ủy ban nhân dân {org.commune_kind} {org.commune_name} báo cáo tình hình thực hiện "
        "dự toán kinh phí như sau:",
        st.ITALIC,
    )
    sheet.wide("Đơn vị tính: đồng", st.ITALIC_CENTER)
    total_row = _by_line(sheet, rec)
    sheet.append()
    words = amount_in_words(rec.total.spent, dialect=org.dialect)
    sheet.wide_cell(
        words_formula(f"F{total_row}", rec.total.spent, words, prefix="Tổng số đã chi bằng chữ: ")
    )
    # The signatures print with the table's last two lines (keep_with counts
    # back from here: words, blank, total, spare row, two lines).
    signature_block(
        sheet,
        [
            (1, 2, "NGƯỜI LẬP BIỂU", org.preparer_name),
            (3, 6, "KẾ TOÁN", org.accountant_name),
            (7, 9, chairman_title(org.chairman_title), org.chairman_name),
        ],
        keep_with=sheet.row - max(1, total_row - 3),
        recipients=["Như trên;", "Lưu: VT, TC-KT."],
    )
    sheet.protect()
    _by_code(book, rec)
    return _register(book, vouchers, progress)
