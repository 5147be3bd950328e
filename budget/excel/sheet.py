"""A write-only sheet that appends rows of typed cells and remembers merges.

Every text that came from a user goes through :func:`Sheet.text`, which
stores it as a string even when it starts with "=" (no formula injection).
Only :func:`Sheet.formula` writes formulas, and only ones the code builds.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from types import MethodType
from typing import Any

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import Cell as OpenpyxlCell
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.properties import PageSetupProperties

from budget.excel import styles as st


@dataclass(frozen=True)
class Text:
    value: str
    style: str = st.TEXT


@dataclass(frozen=True)
class Number:
    value: int | Decimal | None
    style: str = st.CELL_MONEY


@dataclass(frozen=True)
class Formula:
    value: str  # without the leading "="
    style: str = st.CELL_MONEY


@dataclass(frozen=True)
class Blank:
    style: str | None = None


Cell = Text | Number | Formula | Blank | None


def _values_to_row(ws: Any, values: Sequence[Any], row_idx: int) -> Iterator[Any]:
    """openpyxl's write-only row conversion without its cost for cell objects: the
    original tries ``cell.value = <a Cell>`` first and catches the ValueError (with a
    repr) for every styled cell. openpyxl is pinned below 3.2."""
    for col_idx, value in enumerate(values, 1):
        if value is None:
            continue
        cell = value if isinstance(value, OpenpyxlCell) else WriteOnlyCell(ws, value)
        cell.column = col_idx
        cell.row = row_idx
        yield cell


def col(index: int) -> str:
    """1 -> "A"."""
    return get_column_letter(index)


class Sheet:
    """Rows are appended in order; ``row`` is the number of the next row."""

    def __init__(
        self, workbook: Workbook, title: str, widths: Sequence[float], *, landscape: bool = False
    ) -> None:
        self.ws = workbook.create_sheet(title=title)
        self.ws._values_to_row = MethodType(_values_to_row, self.ws)
        self.widths = list(widths)
        self.width = len(widths)
        for index, width in enumerate(widths, 1):
            self.ws.column_dimensions[col(index)].width = width
        # A write-only sheet writes its properties with the first row: set them now.
        self._setup_print(landscape=landscape)
        self._pool: dict[tuple[int, str], Any] = {}
        self.row = 1

    def _cell(self, item: Cell, column: int) -> Any:
        """The cell object for ``item`` in ``column``: one per (column, style), reused
        row after row (a write-only sheet serialises each row when it is appended),
        so openpyxl looks each named style up once, not once per cell."""
        if item is None or (isinstance(item, Blank) and item.style is None):
            return None
        style = item.style
        assert style is not None
        cell = self._pool.get((column, style))
        if cell is None:
            cell = WriteOnlyCell(self.ws)
            cell.style = style
            self._pool[(column, style)] = cell
        if isinstance(item, Blank):
            cell._value, cell.data_type = None, "n"
        elif isinstance(item, Text):
            cell._value, cell.data_type = item.value, "s"  # literal text, even "=1+1"
        elif isinstance(item, Formula):
            cell._value, cell.data_type = "=" + item.value, "f"
        else:
            cell._value, cell.data_type = item.value, "n"
        return cell

    def _fit_height(self, cells: Sequence[Cell], spans: dict[int, float]) -> float | None:
        """Row height for wrapped text (LibreOffice does not grow rows on load)."""
        lines = 1
        for index, item in enumerate(cells):
            if isinstance(item, Text) and item.style in st.WRAPPING and item.value:
                width = spans.get(index, self.widths[index] if index < self.width else 10)
                capacity = max(1, int(width * st.CHARS_PER_WIDTH))
                needed = sum(-(-len(part) // capacity) or 1 for part in item.value.split("\n"))
                lines = max(lines, needed)
        return None if lines == 1 else lines * st.LINE_HEIGHT + 2

    def append(
        self,
        cells: Sequence[Cell] = (),
        *,
        height: float | None = None,
        spans: dict[int, float] | None = None,
    ) -> int:
        """Write one row; returns its number. Wrapped text gets a row tall enough."""
        number = self.row
        if height is None:
            height = self._fit_height(cells, spans or {})
        if height is not None:
            self.ws.row_dimensions[number].height = height
        self.ws.append([self._cell(c, i) for i, c in enumerate(cells)])
        self.row += 1
        return number

    def merge(self, row: int, first: int, last: int) -> None:
        if last > first:
            self.ws.merged_cells.add(f"{col(first)}{row}:{col(last)}{row}")

    def wide(
        self,
        text: str,
        style: str,
        *,
        first: int = 1,
        last: int | None = None,
        height: float | None = None,
    ) -> int:
        """A line of text merged across columns ``first``..``last`` (default: all)."""
        last = last or self.width
        cells: list[Cell] = [None] * (first - 1) + [Text(text, style)]
        cells += [Blank(style)] * (last - first)
        span = {first - 1: sum(self.widths[first - 1 : last])}
        number = self.append(cells, height=height, spans=span)
        self.merge(number, first, last)
        return number

    def repeat_rows(self, first: int, last: int) -> None:
        """Rows printed at the top of every page (the table's header)."""
        self.ws.print_title_rows = f"{first}:{last}"

    def _setup_print(self, *, landscape: bool) -> None:
        """A4, fit to width, page numbers in the footer."""
        ws = self.ws
        ws.page_setup.paperSize = "9"  # A4
        ws.page_setup.orientation = "landscape" if landscape else "portrait"
        ws.page_setup.fitToWidth = 1
        ws.page_setup.fitToHeight = 0
        ws.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=True)
        ws.page_margins.left = ws.page_margins.right = 0.5
        ws.page_margins.top = ws.page_margins.bottom = 0.6
        ws.oddFooter.center.text = "Trang &P/&N"
        ws.oddFooter.center.font = st.FONT_NAME
        ws.oddFooter.center.size = 11
        ws.print_options.horizontalCentered = True


def new_workbook() -> Workbook:
    workbook = Workbook(write_only=True)
    _vietnamese_default_style(workbook)
    st.register_styles(workbook)
    return workbook


def _vietnamese_default_style(workbook: Workbook) -> None:
    """Make the workbook's default cell format (xf 0) Times New Roman 13 (with the
    money format for Excel), so cells written as plain values (the streamed voucher
    register) need no per-cell style: openpyxl hashes every styled cell's style,
    which would make a million-row register much slower to write. LibreOffice
    ignores xf 0's number format, so the register's amount cells keep a style."""
    from openpyxl.styles import Font
    from openpyxl.styles.cell_style import StyleArray
    from openpyxl.utils.indexed_list import IndexedList

    font = Font(name=st.FONT_NAME, size=st.FONT_SIZE)
    workbook._fonts = IndexedList([font])
    format_id = 164 + workbook._number_formats.add(st.MONEY_FORMAT)
    workbook._cell_styles = IndexedList([StyleArray([0, 0, 0, format_id, 0, 0, 0, 0, 0])])
    normal = workbook._named_styles["Normal"]
    normal.font = font


def heading_block(sheet: Sheet, *, org_lines: tuple[str, ...], place_date: str, split: int) -> None:
    """Left: the body ("ỦY BAN NHÂN DÂN" / "XÃ PHÚ LÝ"); right: the national motto;
    then the place-and-date line. Columns 1..split on the left, the rest on the right."""
    right = ("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc")
    rows = max(len(org_lines), 2)
    spans = {0: sum(sheet.widths[:split]), split: sum(sheet.widths[split:])}
    for i in range(rows):
        left_text = org_lines[i] if i < len(org_lines) else ""
        right_text = right[i] if i < len(right) else ""
        left_style = st.BOLD_CENTER if i == len(org_lines) - 1 else st.TEXT_CENTER
        cells: list[Cell] = [Text(left_text, left_style)] + [Blank(left_style)] * (split - 1)
        cells += [Text(right_text, st.BOLD_CENTER)]
        cells += [Blank(st.BOLD_CENTER)] * (sheet.width - split - 1)
        number = sheet.append(cells, spans=spans)
        sheet.merge(number, 1, split)
        sheet.merge(number, split + 1, sheet.width)
    cells = [None] * split + [Text(place_date, st.ITALIC_CENTER)]
    cells += [Blank(st.ITALIC_CENTER)] * (sheet.width - split - 1)
    number = sheet.append(cells, spans=spans)
    sheet.merge(number, split + 1, sheet.width)
    sheet.append()


def signature_block(sheet: Sheet, blocks: Sequence[tuple[int, int, str, str]]) -> None:
    """Signature columns: (first col, last col, title, name); "(Ký, ghi rõ họ tên)" under
    each title, room to sign, then the name."""
    sheet.append()
    for kind in ("title", "hint", "space", "space", "space", "name"):
        cells: list[Cell] = [None] * sheet.width
        for first, _last, title, name in blocks:
            if kind == "title":
                cells[first - 1] = Text(title, st.BOLD_CENTER)
            elif kind == "hint":
                cells[first - 1] = Text("(Ký, ghi rõ họ tên)", st.ITALIC_CENTER)
            elif kind == "name":
                cells[first - 1] = Text(name, st.BOLD_CENTER)
        spans = {first - 1: sum(sheet.widths[first - 1 : last]) for first, last, _, _ in blocks}
        number = sheet.append(cells, spans=spans)
        if kind != "space":
            for first, last, _, _ in blocks:
                sheet.merge(number, first, last)


def org_heading(commune_kind: str, commune_name: str, superior_body: str | None) -> tuple[str, ...]:
    lines = ("ỦY BAN NHÂN DÂN", f"{commune_kind} {commune_name}".upper())
    return ((superior_body.upper(),) + lines) if superior_body else lines


def place_date_line(place: str, day: date | None, year: int) -> str:
    from budget.dates import document_date_line

    if day is None:
        return f"{place}, ngày      tháng      năm {year}"
    return document_date_line(place, day)
