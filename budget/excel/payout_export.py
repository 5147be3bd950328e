"""Danh sách nhận tiền thưởng: the list each recipient signs."""

from __future__ import annotations

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
    Text,
    heading_block,
    org_heading,
    place_date_line,
    words_formula,
)
from budget.excel.signing import four_signatures
from budget.money import amount_in_words, format_vnd
from budget.norms import RECIPIENT_KINDS
from budget.services.awards import DecisionView
from budget.services.organisation import OrgSettings

HEADERS = [
    "STT",
    "Họ và tên / Tập thể",
    "Chức vụ, đơn vị",
    "Hình thức khen thưởng",
    "Số tiền (đồng)",
    "Ký nhận",
]
WIDTHS = [4, 18, 14, 14, 11, 10]


def _form_label(form_name: str, kind: str) -> str:
    """The form, with the kind of recipient unless the name already says it."""
    kind_name = RECIPIENT_KINDS[kind].lower()
    return form_name if kind_name in form_name.lower() else f"{form_name} ({kind_name})"


def export_payout(
    view: DecisionView,
    org: OrgSettings,
    out: Path,
    *,
    year: int,
    rule_note: str,
    force: bool = False,
) -> ExportResult:
    book = Book()
    sheet = book.sheet("Danh sách nhận thưởng", WIDTHS)
    heading_block(
        sheet,
        org_lines=org_heading(org.commune_kind, org.commune_name, org.superior_body),
        place_date=place_date_line(org.place, None, year),
        split=2,
        superior=org.superior_body is not None,
    )
    sheet.wide("DANH SÁCH NHẬN TIỀN THƯỞNG", st.TITLE)
    sheet.wide(
        f"(Kèm theo Quyết định số {view.number} ngày {format_date(view.decision_date)} "
        f"của {org.chairman_title.capitalize()} UBND {org.commune_kind} "
        f"{org.commune_name})",
        st.ITALIC_CENTER,
    )
    if view.title:
        sheet.wide(view.title, st.BOLD_CENTER)
    sheet.append()
    header = sheet.append([Text(h, st.HEADER) for h in HEADERS], height=36)
    first = sheet.row
    for stt, r in numbered(view.recipients):
        cells: list[Cell] = [
            Number(stt, st.CELL_CENTER),
            Text(r.name, st.CELL_TEXT),
            Text(r.title, st.CELL_TEXT),
            Text(_form_label(r.form_name, r.kind), st.CELL_TEXT),
            Number(r.amount, st.CELL_MONEY),
            Blank(st.CELL_TEXT),
        ]
        # Room to sign, and for long names: at least two lines.
        sheet.append(cells, height=max(36.0, sheet._fit_height(cells, {})))
    last = sheet.row - 1
    sheet.append(
        [
            Blank(st.TOTAL_TEXT),
            Text("Tổng cộng", st.TOTAL_TEXT),
            Blank(st.TOTAL_TEXT),
            Blank(st.TOTAL_TEXT),
            Formula(
                f"SUM(E{first}:E{last})" if view.recipients else "0", st.TOTAL_MONEY, view.total
            ),
            Blank(st.TOTAL_TEXT),
        ]
    )
    total_row = sheet.row - 1
    sheet.append()
    words = amount_in_words(view.total, dialect=org.dialect)
    sheet.wide_cell(words_formula(f"E{total_row}", view.total, words))
    sheet.wide(rule_note, st.ITALIC)
    by_line: dict[str, int] = {}
    for r in view.recipients:
        by_line[r.line_code] = by_line.get(r.line_code, 0) + r.amount
    if by_line:
        sheet.wide(
            "Chi từ dự toán: "
            + "; ".join(
                f"dòng {code} {format_vnd(amount)} đồng" for code, amount in by_line.items()
            )
            + ".",
            st.ITALIC,
        )
    four_signatures(sheet, org, keep_from=max(first, last - 1), split=(2, 3))
    sheet.repeat_rows(header, header)
    sheet.protect()
    out = book.save(out, force=force)
    return ExportResult(out, len(view.recipients), view.total)


def rounding_note(view: DecisionView, base_salary: int, base_source: str) -> str:
    how = (
        "làm tròn lên hàng chục nghìn đồng"
        if view.rounding == "up"
        else "làm tròn đến hàng chục nghìn đồng gần nhất"
    )
    note = (
        f"Mức thưởng = hệ số × mức lương cơ sở {format_vnd(base_salary)} đồng "
        f"({base_source}), {how}. {view.rules_note}"
    )
    if view.unverified:
        note += f" Hệ số {', '.join(view.unverified)}: chưa đối chiếu văn bản."
    return note
