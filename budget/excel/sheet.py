"""Sheets written with XlsxWriter: rows of typed cells, buffered, paginated, then
written in order (constant memory), every formula with its cached value.

Why XlsxWriter and not openpyxl for writing: a formula cell must carry the value
it computes, so that a phone or mail preview (which never recalculates) shows
the amounts; openpyxl cannot store a cached value, XlsxWriter's
``write_formula(..., value=...)`` does. XlsxWriter's constant-memory mode also
streams a register of a million rows with flat memory, faster than openpyxl's
write-only mode. openpyxl stays the reader.

Every text that came from a user goes through :class:`Text`, written with
``write_string`` (literal even when it starts with "="). Only :class:`Formula`
writes formulas, and only ones the code builds.
"""

from __future__ import annotations

import contextlib
import io
import os
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import xlsxwriter
from xlsxwriter.utility import xl_col_to_name
from xlsxwriter.worksheet import Worksheet

from budget.excel import page
from budget.excel import styles as st
from budget.excel.save import save_workbook
from budget.progress import OnRows

#: A streamed sheet tells its progress once this many rows are written.
PROGRESS_ROWS = 500


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
    #: What the formula computes on the exported data (a number or a text).
    cached: int | str | Decimal | None = None


@dataclass(frozen=True)
class Day:
    value: date
    style: str = st.CELL_DATE


@dataclass(frozen=True)
class Blank:
    style: str | None = None


Cell = Text | Number | Formula | Day | Blank | None


def col(index: int) -> str:
    """1 -> "A"."""
    name: str = xl_col_to_name(index - 1)
    return name


#: Functions of the formulas the code builds: all in every Excel since 2007, none
#: needing xlsxwriter's "_xlfn." prefix.
_CLASSIC_FUNCTIONS = frozenset({"SUM", "SUBTOTAL", "ROUND", "MAX", "MIN", "MOD", "DATE", "IF"})
_FUNCTION = re.compile(r"([A-Z][A-Z0-9._]*)\(")


class _Worksheet(Worksheet):  # type: ignore[misc]  # xlsxwriter has no stubs: Worksheet is Any
    """A worksheet whose page header (the page number) is left off the first page."""

    def _prepare_formula(self, formula: str, expand_future_functions: bool = False) -> str:
        # xlsxwriter runs some thirty re.sub on every formula to prefix newer functions:
        # a third of a 10,000-line estimate's export. Ours use classic functions only.
        bare = formula[1:] if formula.startswith("=") else formula
        if "{" in bare or not _CLASSIC_FUNCTIONS.issuperset(_FUNCTION.findall(bare)):
            return str(super()._prepare_formula(formula, expand_future_functions))
        return bare

    def _write_header_footer(self) -> None:
        if not self.header_footer_changed:
            super()._write_header_footer()
            return None
        self._xml_start_tag(
            "headerFooter", [("differentFirst", 1), ("scaleWithDoc", 0), ("alignWithMargins", 0)]
        )
        if self.header:
            self._xml_data_element("oddHeader", self.header)
        if self.footer:
            self._xml_data_element("oddFooter", self.footer)
        self._xml_end_tag("headerFooter")
        return None


@dataclass
class _Row:
    cells: list[Cell]
    height: float
    merges: list[tuple[int, int]] = field(default_factory=list)


class Book:
    """One workbook in memory; :meth:`save` writes it through :func:`save_workbook`."""

    def __init__(self) -> None:
        self._buffer = io.BytesIO()
        self.wb = xlsxwriter.Workbook(
            self._buffer,
            {
                "constant_memory": True,
                "strings_to_numbers": False,
                "strings_to_formulas": False,
                "strings_to_urls": False,
                "default_format_properties": {"font_name": st.FONT_NAME, "font_size": st.FONT_SIZE},
            },
        )
        self.formats = st.formats(self.wb)
        self.sheets: list[Sheet] = []

    def sheet(self, title: str, widths: Sequence[float], *, landscape: bool = False) -> Sheet:
        sheet = Sheet(self, title, widths, landscape=landscape)
        self.sheets.append(sheet)
        return sheet

    def to_bytes(self) -> bytes:
        for sheet in self.sheets:
            sheet.flush()
        self.wb.close()
        return self._buffer.getvalue()

    def save(self, path: Path, *, force: bool = False) -> Path:
        return save_workbook(self.to_bytes(), path, force=force)

    def discard(self) -> None:
        """Drop an unfinished workbook (a cancelled or failed export): xlsxwriter's
        row files (constant memory mode: one temporary file per sheet) are closed
        and removed; nothing was written near the target."""
        for sheet in self.sheets:
            ws = sheet.ws
            handle = getattr(ws, "row_data_fh", None)
            if handle is not None and not handle.closed:
                handle.close()
            name = getattr(ws, "row_data_filename", None)
            if name:
                with contextlib.suppress(OSError):
                    os.unlink(name)
                ws.row_data_filename = None
            ws.row_data_fh_closed = True
        self.sheets = []


class Sheet:
    """Rows are appended in order; ``row`` is the number of the next row (1-based).
    Rows stay in memory until :meth:`flush`, which places the page breaks and
    writes them."""

    def __init__(
        self, book: Book, title: str, widths: Sequence[float], *, landscape: bool = False
    ) -> None:
        self.book = book
        self.ws: Worksheet = book.wb.add_worksheet(title, worksheet_class=_Worksheet)
        self.widths = list(widths)
        self.width = len(widths)
        self.landscape = landscape
        self.scale = page.fit_scale(self.widths, landscape)
        for index, width in enumerate(widths):
            self.ws.set_column(index, index, width)
        self._rows: list[_Row] = []
        self._written = 0
        self._repeat: tuple[int, int] | None = None
        self._blocks: list[tuple[int, int]] = []
        #: Page breaks a writer placed itself (rows starting a page); None: computed.
        self.fixed_breaks: list[int] | None = None
        self.row = 1
        self._setup_print()

    # --- building rows ------------------------------------------------------------

    def _fit_height(self, cells: Sequence[Cell], spans: dict[int, float]) -> float:
        """Row height for wrapped text (LibreOffice does not grow rows on load)."""
        lines = 1
        for index, item in enumerate(cells):
            if isinstance(item, Text) and item.style in st.WRAPPING and item.value:
                width = spans.get(index, self.widths[index] if index < self.width else 10)
                capacity = max(1, int(width * st.CHARS_PER_WIDTH))
                needed = sum(-(-len(part) // capacity) or 1 for part in item.value.split("\n"))
                lines = max(lines, needed)
        return lines * st.LINE_HEIGHT + (2 if lines > 1 else 0)

    def append(
        self,
        cells: Sequence[Cell] = (),
        *,
        height: float | None = None,
        spans: dict[int, float] | None = None,
    ) -> int:
        """Add one row; returns its number. Wrapped text gets a row tall enough."""
        number = self.row
        if height is None:
            height = self._fit_height(cells, spans or {})
        self._rows.append(_Row(list(cells), height))
        self.row += 1
        return number

    def merge(self, row: int, first: int, last: int) -> None:
        if last > first:
            self._rows[row - self._written - 1].merges.append((first, last))

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
        return self.wide_cell(Text(text, style), first=first, last=last, height=height)

    def wide_cell(
        self,
        item: Text | Formula,
        *,
        first: int = 1,
        last: int | None = None,
        height: float | None = None,
    ) -> int:
        last = last or self.width
        cells: list[Cell] = [None] * (first - 1)
        cells.append(item)
        cells += [Blank(item.style)] * (last - first)
        span = {first - 1: sum(self.widths[first - 1 : last])}
        if height is None and isinstance(item, Formula) and isinstance(item.cached, str):
            height = self._fit_height([Text(item.cached, item.style)], {0: span[first - 1]})
        number = self.append(cells, height=height, spans=span)
        self.merge(number, first, last)
        return number

    def repeat_rows(self, first: int, last: int) -> None:
        """Rows printed at the top of every page (the table's header)."""
        self._repeat = (first, last)
        self.ws.repeat_rows(first - 1, last - 1)

    def keep_together(self, first: int, last: int) -> None:
        """Rows ``first``..``last`` print on one page (when they fit on one)."""
        self._blocks.append((max(1, first), last))

    def fit_one_page(self) -> None:
        """Print every row appended so far on one page (a smaller scale if need be)."""
        self.scale = page.one_page_scale(self.widths, self.heights(), self.landscape)
        self.ws.set_print_scale(self.scale)

    def protect(self) -> None:
        """Lock the cells a user should not type into (no password): titles, totals,
        words. Row insertion and formatting stay allowed."""
        self.ws.protect(
            "",
            {
                "insert_rows": True,
                "delete_rows": True,
                "format_rows": True,
                "format_cells": True,
                "format_columns": True,
                "select_locked_cells": True,
                "select_unlocked_cells": True,
            },
        )

    # --- writing ------------------------------------------------------------------

    def _setup_print(self) -> None:
        """A4 with the margins of NĐ 30/2020, page numbers top centre from page 2."""
        ws = self.ws
        ws.set_paper(9)
        if self.landscape:
            ws.set_landscape()
        else:
            ws.set_portrait()
        inch = page.MM_PER_INCH
        ws.set_margins(
            left=page.MARGIN_LEFT_MM / inch,
            right=page.MARGIN_RIGHT_MM / inch,
            top=page.MARGIN_TOP_MM / inch,
            bottom=page.MARGIN_BOTTOM_MM / inch,
        )
        ws.set_header(f'&C&"{st.FONT_NAME}"&13&P', {"margin": page.HEADER_MM / inch})
        ws.center_horizontally()
        ws.set_print_scale(self.scale)

    def heights(self) -> list[float]:
        return [r.height for r in self._rows]

    def flush(self) -> None:
        """Place the page breaks (first flush only) and write the buffered rows."""
        if self._written == 0 and self._rows and self.fixed_breaks is not None:
            if self.fixed_breaks:
                self.ws.set_h_pagebreaks([b - 1 for b in self.fixed_breaks])
        elif self._written == 0 and self._rows:
            breaks = page.page_breaks(
                self.heights(),
                landscape=self.landscape,
                scale=self.scale,
                repeat=self._repeat,
                blocks=self._blocks,
            )
            if breaks:
                self.ws.set_h_pagebreaks([b - 1 for b in breaks])
        formats = self.book.formats
        for row in self._rows:
            index = self._written
            self.ws.set_row(index, row.height)
            merged = {first: last for first, last in row.merges}
            skip: set[int] = set()
            for first, last in row.merges:
                skip.update(range(first + 1, last + 1))
            for column, item in enumerate(row.cells, 1):
                if item is None or column in skip:
                    continue
                if column in merged:
                    fmt = formats[item.style] if item.style else None
                    self.ws.merge_range(index, column - 1, index, merged[column] - 1, "", fmt)
                self._write(index, column - 1, item)
            self._written += 1
        self._rows = []

    def _write(self, r: int, c: int, item: Cell) -> None:
        ws, formats = self.ws, self.book.formats
        if item is None:
            return
        fmt = formats[item.style] if item.style else None
        if isinstance(item, Blank):
            if fmt is not None:
                ws.write_blank(r, c, None, fmt)
        elif isinstance(item, Text):
            ws.write_string(r, c, item.value, fmt)
        elif isinstance(item, Formula):
            cached: Any = item.cached
            if isinstance(cached, Decimal):
                cached = float(cached)
            ws.write_formula(r, c, "=" + item.value, fmt, 0 if cached is None else cached)
        elif isinstance(item, Day):
            ws.write_datetime(r, c, item.value, fmt)
        elif item.value is None:
            ws.write_blank(r, c, None, fmt)
        else:
            value = item.value
            ws.write_number(r, c, float(value) if isinstance(value, Decimal) else value, fmt)

    def stream(
        self,
        rows: Iterable[Sequence[Any]],
        styles: Sequence[str | None],
        progress: OnRows | None = None,
    ) -> int:
        """Write plain rows straight to the file after the buffered ones (a register
        of any size): ``str`` as literal text, numbers as numbers, dates as dates.
        ``progress`` hears the rows written every :data:`PROGRESS_ROWS` and at the end
        (it may raise, e.g. budget.progress.Cancelled: the caller discards the book)."""
        self.flush()
        ws, formats = self.ws, self.book.formats
        fmts = [formats[s] if s else None for s in styles]
        index = self._written
        count = 0
        for values in rows:
            for c, value in enumerate(values):
                if value is None:
                    continue
                if isinstance(value, str):
                    ws.write_string(index, c, value, fmts[c])
                elif isinstance(value, date):
                    ws.write_datetime(index, c, value, fmts[c])
                else:
                    ws.write_number(index, c, value, fmts[c])
            index += 1
            count += 1
            if progress is not None and count % PROGRESS_ROWS == 0:
                progress(count)
        if progress is not None:
            progress(count)
        self._written = index
        self.row = index + 1
        return count


# --- the parts of an administrative document (NĐ 30/2020/NĐ-CP, Phụ lục I) ------------

MOTTO = ("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc")


def _rule_cells(sheet: Sheet, first: int, last: int, fraction: float) -> tuple[int, int]:
    """The columns under the middle ``fraction`` of columns first..last."""
    widths = sheet.widths[first - 1 : last]
    total = sum(widths)
    start, end = total * (1 - fraction) / 2, total * (1 + fraction) / 2
    pos, lo, hi = 0.0, first, first
    for i, w in enumerate(widths):
        centre = pos + w / 2
        if centre < start:
            lo = first + i + 1
        if centre <= end:
            hi = first + i
        pos += w
    return lo, max(lo, hi)


def heading_block(
    sheet: Sheet,
    *,
    org_lines: tuple[str, ...],
    place_date: str,
    split: int,
    number: str | None = "Số:        /",
    superior: bool = False,
) -> None:
    """Left: the issuing body, bold ("ỦY BAN NHÂN DÂN" / "XÃ PHÚ LÝ"; a superior body
    above it in regular type), a short rule under it; right: the national motto with
    a rule under it; then "Số: …" on the left and the place and date on the right."""
    rows = max(len(org_lines), 2)
    spans = {0: sum(sheet.widths[:split]), split: sum(sheet.widths[split:])}
    for i in range(rows):
        left_text = org_lines[i] if i < len(org_lines) else ""
        right_text = MOTTO[i] if i < len(MOTTO) else ""
        left_style = st.TEXT_CENTER if (superior and i == 0) else st.BOLD_CENTER
        cells: list[Cell] = [Text(left_text, left_style)] + [Blank(left_style)] * (split - 1)
        cells += [Text(right_text, st.BOLD_CENTER)]
        cells += [Blank(st.BOLD_CENTER)] * (sheet.width - split - 1)
        row = sheet.append(cells, spans=spans)
        sheet.merge(row, 1, split)
        sheet.merge(row, split + 1, sheet.width)
    rule: list[Cell] = [None] * sheet.width
    lo, hi = _rule_cells(sheet, 1, split, 0.4)
    for c in range(lo, hi + 1):
        rule[c - 1] = Blank(st.RULE)
    lo, hi = _rule_cells(sheet, split + 1, sheet.width, 0.75)
    for c in range(lo, hi + 1):
        rule[c - 1] = Blank(st.RULE)
    sheet.append(rule, height=8)
    cells = [Text(number, st.TEXT_CENTER) if number else None]
    cells += [Blank(st.TEXT_CENTER) if number else None] * (split - 1)
    cells += [Text(place_date, st.ITALIC_CENTER)]
    cells += [Blank(st.ITALIC_CENTER)] * (sheet.width - split - 1)
    row = sheet.append(cells, spans=spans)
    if number:
        sheet.merge(row, 1, split)
    sheet.merge(row, split + 1, sheet.width)
    sheet.append()


SIGN_HINT = "(Ký, ghi rõ họ tên)"
SEAL_HINT = "(Ký, ghi rõ họ tên, đóng dấu)"


def chairman_title(title: str) -> str:
    """ "TM. ỦY BAN NHÂN DÂN" above the signer's title (NĐ 30: signing for the body)."""
    return f"TM. ỦY BAN NHÂN DÂN\n{title.upper()}"


def signature_block(
    sheet: Sheet,
    blocks: Sequence[tuple[int, int, str, str]],
    *,
    keep_with: int = 3,
    recipients: Sequence[str] | None = None,
    seal_last: bool = True,
    title_lines: int = 1,
) -> None:
    """Signature columns: (first col, last col, title, name); the hint under each title,
    room to sign (and seal), then the name. The block prints on one page together
    with the ``keep_with`` rows before it (the table's last rows). ``recipients``
    fills a "Nơi nhận:" list in the left column (NĐ 30). ``title_lines``: the least
    height of a title row, in lines (bold capitals wrap sooner than the estimate)."""
    start = sheet.row - keep_with
    sheet.append()
    titles = [t.split("\n") for _, _, t, _ in blocks]
    lines = max(len(t) for t in titles)
    rows: list[tuple[str, int]] = [("title", i) for i in range(lines)]
    rows += [("hint", 0), ("space", 0), ("space", 0), ("space", 0), ("space", 0), ("name", 0)]
    for kind, line in rows:
        cells: list[Cell] = [None] * sheet.width
        for index, (first, _last, _title, name) in enumerate(blocks):
            if kind == "title" and line < len(titles[index]):
                cells[first - 1] = Text(titles[index][line], st.BOLD_CENTER)
            elif kind == "hint":
                last_one = index == len(blocks) - 1
                cells[first - 1] = Text(
                    SEAL_HINT if (seal_last and last_one) else SIGN_HINT, st.ITALIC_CENTER
                )
            elif kind == "name":
                cells[first - 1] = Text(name, st.BOLD_CENTER)
        spans = {first - 1: sum(sheet.widths[first - 1 : last]) for first, last, _, _ in blocks}
        height = None
        if kind == "title" and title_lines > 1:
            fitted = sheet._fit_height(cells, spans)
            height = max(fitted, title_lines * st.LINE_HEIGHT + 2)
        number = sheet.append(cells, spans=spans, height=height)
        if kind != "space":
            for first, last, _, _ in blocks:
                sheet.merge(number, first, last)
    if recipients is not None:
        first, last = 1, max(1, blocks[0][1] if blocks else 2)
        sheet.wide("Nơi nhận:", st.BOLD, first=first, last=last)
        for item in recipients:
            sheet.wide(f"- {item}", st.TEXT, first=first, last=last)
    sheet.keep_together(start, sheet.row - 1)


def org_heading(commune_kind: str, commune_name: str, superior_body: str | None) -> tuple[str, ...]:
    lines = ("ỦY BAN NHÂN DÂN", f"{commune_kind} {commune_name}".upper())
    return ((superior_body.upper(),) + lines) if superior_body else lines


def place_date_line(place: str, day: date | None, year: int) -> str:
    from budget.dates import document_date_line

    if day is None:
        return f"{place}, ngày      tháng      năm {year}"
    return document_date_line(place, day)


def words_formula(total_ref: str, total: int, words: str, *, prefix: str = "Bằng chữ: ") -> Formula:
    """The amount in words while ``total_ref`` still holds the exported ``total``;
    after an edit that changes it, a warning to re-import (a spreadsheet cannot
    spell Vietnamese numbers, the app can)."""
    text = prefix + words
    warning = (
        "Tổng cộng đã thay đổi so với khi xuất — hãy nhập lại tệp vào phần mềm "
        "để có số tiền bằng chữ đúng."
    )
    return Formula(f"IF({total_ref}={total},{_literal(text)},{_literal(warning)})", st.ITALIC, text)


def _literal(text: str) -> str:
    """A formula string constant; Excel caps one at 255 characters, so longer
    text is joined from pieces."""
    pieces = [text[i : i + 200] for i in range(0, len(text), 200)] or [""]
    return "&".join('"' + p.replace('"', '""') + '"' for p in pieces)
