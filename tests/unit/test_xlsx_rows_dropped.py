"""Reading an XLSX keeps no trace of the rows already read (flat memory)."""

from __future__ import annotations

import io
from xml.etree import ElementTree

from budget.excel.row_stream import _rows_dropped

NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
SHEET = (
    f'<worksheet xmlns="{NS}"><sheetData>'
    + "".join(f'<row r="{i}"><c r="A{i}"><v>{i}</v></c></row>' for i in range(1, 4))
    + "</sheetData></worksheet>"
).encode()


def test_each_row_leaves_its_parent_once_the_parser_moves_on() -> None:
    parse = _rows_dropped(ElementTree.iterparse)
    seen, sheet_data = [], None
    for event, element in parse(io.BytesIO(SHEET)):
        assert event == "end"
        if element.tag == f"{{{NS}}}row":
            seen.append(element.get("r"))
        if element.tag == f"{{{NS}}}sheetData":
            sheet_data = element
    assert seen == ["1", "2", "3"]
    assert sheet_data is not None and len(sheet_data) == 0  # openpyxl alone keeps 3
