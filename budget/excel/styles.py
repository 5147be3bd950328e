"""Shared named styles: one style object per kind of cell, registered once per
workbook, so openpyxl does not hash a fresh style for every cell."""

from __future__ import annotations

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, NamedStyle, Side

FONT_NAME = "Times New Roman"
FONT_SIZE = 13
#: Thousands grouped with dots: the [$-42A] (Vietnamese) locale tag makes LibreOffice
#: show "1.500.000" whatever its own locale; Excel shows the system's separators.
MONEY_FORMAT = "[$-42A]#,##0"
QUANTITY_FORMAT = "General"
PERCENT_FORMAT = '[$-42A]0.0" %"'

#: Rough capacity of a column for Times New Roman 13 (characters per width unit)
#: and the height of one line of it, in points: used to size wrapped rows.
CHARS_PER_WIDTH = 1.15
LINE_HEIGHT = 17

THIN = Side(style="thin")
BOX = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)

TEXT = "vn_text"
TEXT_WRAP = "vn_text_wrap"
TEXT_CENTER = "vn_text_center"
BOLD = "vn_bold"
BOLD_CENTER = "vn_bold_center"
ITALIC_CENTER = "vn_italic_center"
ITALIC = "vn_italic"
TITLE = "vn_title"
HEADER = "vn_header"
CELL_TEXT = "vn_cell_text"
CELL_PLAIN = "vn_cell_plain"
CELL_CENTER = "vn_cell_center"
CELL_MONEY = "vn_cell_money"
CELL_QTY = "vn_cell_qty"
CELL_PERCENT = "vn_cell_percent"
PART_TEXT = "vn_part_text"
PART_CENTER = "vn_part_center"
PART_MONEY = "vn_part_money"
TOTAL_TEXT = "vn_total_text"
TOTAL_MONEY = "vn_total_money"


def _style(
    name: str,
    *,
    bold: bool = False,
    italic: bool = False,
    size: int = FONT_SIZE,
    horizontal: str | None = None,
    wrap: bool = False,
    border: bool = False,
    number_format: str | None = None,
    vertical: str = "center",
) -> NamedStyle:
    style = NamedStyle(name=name)
    style.font = Font(name=FONT_NAME, size=size, bold=bold, italic=italic)
    style.alignment = Alignment(horizontal=horizontal, vertical=vertical, wrap_text=wrap)
    if border:
        style.border = BOX
    if number_format:
        style.number_format = number_format
    return style


def _make_styles() -> list[NamedStyle]:
    return [
        _style(TEXT),
        _style(TEXT_WRAP, wrap=True, vertical="top"),
        _style(TEXT_CENTER, horizontal="center"),
        _style(BOLD, bold=True),
        _style(BOLD_CENTER, bold=True, horizontal="center", wrap=True),
        _style(ITALIC_CENTER, italic=True, horizontal="center", wrap=True),
        _style(ITALIC, italic=True, wrap=True, vertical="top"),
        _style(TITLE, bold=True, size=14, horizontal="center", wrap=True),
        _style(HEADER, bold=True, horizontal="center", wrap=True, border=True),
        _style(CELL_TEXT, wrap=True, border=True),
        _style(CELL_PLAIN, border=True),
        _style(CELL_CENTER, horizontal="center", border=True),
        _style(CELL_MONEY, border=True, number_format=MONEY_FORMAT),
        _style(CELL_QTY, border=True, horizontal="right", number_format=QUANTITY_FORMAT),
        _style(CELL_PERCENT, border=True, number_format=PERCENT_FORMAT),
        _style(PART_TEXT, bold=True, wrap=True, border=True),
        _style(PART_CENTER, bold=True, horizontal="center", border=True),
        _style(PART_MONEY, bold=True, border=True, number_format=MONEY_FORMAT),
        _style(TOTAL_TEXT, bold=True, horizontal="center", border=True),
        _style(TOTAL_MONEY, bold=True, border=True, number_format=MONEY_FORMAT),
    ]


def register_styles(workbook: Workbook) -> None:
    """Fresh named styles for ``workbook`` (a NamedStyle binds to one workbook)."""
    for style in _make_styles():
        if style.name not in workbook.named_styles:
            workbook.add_named_style(style)


#: Styles that wrap text, whose rows need room for several lines.
WRAPPING = {TEXT_WRAP, BOLD_CENTER, ITALIC_CENTER, ITALIC, TITLE, HEADER, CELL_TEXT, PART_TEXT}
