"""Shared cell styles: one XlsxWriter format per kind of cell, made once per workbook.

A style is named by a constant (``CELL_MONEY``...) and described by a dict of
XlsxWriter format properties; :func:`formats` turns the dicts into the
workbook's formats. Every style is locked (the sheet protection keeps a user
from typing over a total) except the ``INPUT`` ones: the cells of an estimate
line a user may change (content, quantity, price, note).
"""

from __future__ import annotations

from typing import Any

FONT_NAME = "Times New Roman"
FONT_SIZE = 13
#: Thousands grouped with dots: the [$-42A] (Vietnamese) locale tag makes LibreOffice
#: show "1.500.000" whatever its own locale; Excel shows the system's separators.
MONEY_FORMAT = "[$-42A]#,##0"
QUANTITY_FORMAT = "[$-42A]#,##0.####"
PERCENT_FORMAT = '[$-42A]0.0" %"'
DATE_FORMAT = "dd/mm/yyyy"

#: Rough capacity of a column for Times New Roman 13 (characters per width unit)
#: and the height of one line of it, in points: used to size wrapped rows.
CHARS_PER_WIDTH = 1.15
LINE_HEIGHT = 17

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
CELL_DATE = "vn_cell_date"
PART_TEXT = "vn_part_text"
PART_CENTER = "vn_part_center"
PART_MONEY = "vn_part_money"
TOTAL_TEXT = "vn_total_text"
TOTAL_MONEY = "vn_total_money"
#: Unlocked twins: what a user edits in an estimate line.
INPUT_TEXT = "vn_input_text"
INPUT_CENTER = "vn_input_center"
INPUT_QTY = "vn_input_qty"
INPUT_MONEY = "vn_input_money"
#: The short rule under the agency name and under the motto (NĐ 30/2020 Phụ lục I).
RULE = "vn_rule"
MONEY_BOLD = "vn_money_bold"  # an amount outside a table (forms)


def _style(
    *,
    bold: bool = False,
    italic: bool = False,
    size: int = FONT_SIZE,
    horizontal: str | None = None,
    wrap: bool = False,
    border: bool = False,
    number_format: str | None = None,
    vertical: str = "vcenter",
    locked: bool = True,
) -> dict[str, Any]:
    props: dict[str, Any] = {"font_name": FONT_NAME, "font_size": size, "valign": vertical}
    if bold:
        props["bold"] = True
    if italic:
        props["italic"] = True
    if horizontal:
        props["align"] = horizontal
    if wrap:
        props["text_wrap"] = True
    if border:
        props["border"] = 1
    if number_format:
        props["num_format"] = number_format
    if not locked:
        props["locked"] = False
    return props


STYLES: dict[str, dict[str, Any]] = {
    TEXT: _style(),
    TEXT_WRAP: _style(wrap=True, vertical="top"),
    TEXT_CENTER: _style(horizontal="center"),
    BOLD: _style(bold=True),
    BOLD_CENTER: _style(bold=True, horizontal="center", wrap=True),
    ITALIC_CENTER: _style(italic=True, horizontal="center", wrap=True),
    ITALIC: _style(italic=True, wrap=True, vertical="top"),
    TITLE: _style(bold=True, size=14, horizontal="center", wrap=True),
    HEADER: _style(bold=True, horizontal="center", wrap=True, border=True),
    CELL_TEXT: _style(wrap=True, border=True),
    CELL_PLAIN: _style(border=True),
    CELL_CENTER: _style(horizontal="center", border=True, wrap=True),
    CELL_MONEY: _style(border=True, number_format=MONEY_FORMAT),
    CELL_QTY: _style(border=True, horizontal="right", number_format=QUANTITY_FORMAT),
    CELL_PERCENT: _style(border=True, number_format=PERCENT_FORMAT),
    CELL_DATE: _style(border=True, horizontal="center", number_format=DATE_FORMAT),
    PART_TEXT: _style(bold=True, wrap=True, border=True),
    PART_CENTER: _style(bold=True, horizontal="center", border=True),
    PART_MONEY: _style(bold=True, border=True, number_format=MONEY_FORMAT),
    TOTAL_TEXT: _style(bold=True, horizontal="center", border=True),
    TOTAL_MONEY: _style(bold=True, border=True, number_format=MONEY_FORMAT),
    INPUT_TEXT: _style(wrap=True, border=True, locked=False),
    INPUT_CENTER: _style(horizontal="center", border=True, locked=False),
    INPUT_QTY: _style(border=True, horizontal="right", number_format=QUANTITY_FORMAT, locked=False),
    INPUT_MONEY: _style(border=True, number_format=MONEY_FORMAT, locked=False),
    RULE: {"top": 1},
    MONEY_BOLD: _style(bold=True, horizontal="left", number_format=MONEY_FORMAT),
}


def formats(workbook: Any) -> dict[str, Any]:
    """The workbook's format for each style name."""
    return {name: workbook.add_format(props) for name, props in STYLES.items()}


#: Styles that wrap text, whose rows need room for several lines.
WRAPPING = {
    TEXT_WRAP,
    BOLD_CENTER,
    ITALIC_CENTER,
    ITALIC,
    TITLE,
    HEADER,
    CELL_TEXT,
    CELL_CENTER,
    PART_TEXT,
    INPUT_TEXT,
}
