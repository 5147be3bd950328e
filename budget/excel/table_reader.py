"""Reading a table from a CSV or XLSX file a person edited, with errors that
name the sheet, row and column."""

from __future__ import annotations

import csv
import io
import unicodedata
import zipfile
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from xml.etree import ElementTree

from budget.errors import Phrase, ValidationError, join_phrases, os_error_text
from budget.text import fold

MAX_FILE_BYTES = 200 * 1024 * 1024


@dataclass(frozen=True)
class Table:
    """Rows under a header row; ``rows`` holds (row number in the file, values)."""

    source: str
    sheet: str | None
    header_row: int
    columns: dict[str, int]
    rows: list[tuple[int, list[Any]]]

    def where(self, row: int, column: str | None = None) -> str:
        """ "Sheet «Dự toán», dòng 14, cột «Đơn giá»" for messages."""
        parts = [Phrase("Sheet «{sheet}»", sheet=self.sheet) if self.sheet else self.source]
        parts.append(Phrase("dòng {row}", row=row))
        if column:
            parts.append(Phrase("cột «{column}»", column=column))
        return join_phrases(", ", parts)


def norm_header(value: Any) -> str:
    if value is None:
        return ""
    text = unicodedata.normalize("NFC", str(value)).strip()
    return fold(" ".join(text.split()))


def match_columns(header: Sequence[Any], aliases: Mapping[str, Sequence[str]]) -> dict[str, int]:
    folded = [norm_header(h) for h in header]
    found: dict[str, int] = {}
    for key, names in aliases.items():
        wanted = {fold(n) for n in names}
        for index, cell in enumerate(folded):
            if cell in wanted and key not in found:
                found[key] = index
    return found


def _check_size(path: Path) -> None:
    try:
        size = path.stat().st_size
    except FileNotFoundError:
        raise ValidationError("Không tìm thấy tệp {path}.", path=path) from None
    except OSError as exc:
        raise ValidationError(
            "Không đọc được tệp {path}: {reason}.", path=path, reason=os_error_text(exc)
        ) from None
    if path.is_dir():
        raise ValidationError("«{path}» là một thư mục, không phải tệp.", path=path)
    if size == 0:
        raise ValidationError("Tệp {name} trống.", name=path.name)
    if size > MAX_FILE_BYTES:
        raise ValidationError("Tệp {name} quá lớn (tối đa 200 MB).", name=path.name)


def _find_header(
    rows: Iterable[tuple[int, Sequence[Any]]],
    aliases: Mapping[str, Sequence[str]],
    required: Sequence[str],
    scan: int,
) -> tuple[int, dict[str, int]] | None:
    for number, values in rows:
        if number > scan:
            return None
        columns = match_columns(values, aliases)
        if all(key in columns for key in required):
            return number, columns
    return None


def _until_marker(
    rows: list[tuple[int, list[Any]]], marker: str | None
) -> list[tuple[int, list[Any]]]:
    """The rows before the first one holding ``marker`` (e.g. "Tổng cộng")."""
    if marker is None:
        return rows
    wanted = fold(marker)
    for index, (_, values) in enumerate(rows):
        if any(norm_header(v) == wanted for v in values):
            return rows[:index]
    return rows


def read_csv(
    path: Path,
    aliases: Mapping[str, Sequence[str]],
    required: Sequence[str],
    labels: dict[str, str],
    *,
    end_marker: str | None = None,
) -> Table:
    _check_size(path)
    raw = path.read_bytes()
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ValidationError("Tệp {name} không phải văn bản UTF-8.", name=path.name) from None
    if "\x00" in text:
        raise ValidationError("Tệp {name} có ký tự NUL: không phải tệp CSV.", name=path.name)
    sample = text[:4096]
    delimiter = ";" if sample.count(";") > sample.count(",") else ","
    # Long cells reach clean_text, which refuses them with a message; not csv's limit.
    csv.field_size_limit(MAX_FILE_BYTES)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        all_rows = [(n, row) for n, row in enumerate(reader, 1)]
    except csv.Error as exc:
        raise ValidationError(
            "Tệp {name} không đọc được như CSV ({exc}).", name=path.name, exc=exc
        ) from None
    if not any(any(c.strip() for c in row) for _, row in all_rows):
        raise ValidationError("Tệp {name} không có dữ liệu.", name=path.name)
    found = _find_header(all_rows, aliases, required, scan=20)
    if found is None:
        names = ", ".join(labels[k] for k in required)
        raise ValidationError(
            "Tệp {name}: không thấy dòng tiêu đề có các cột {names}.", name=path.name, names=names
        )
    header_row, columns = found
    width = len(all_rows[header_row - 1][1])
    rows = [(n, list(row)) for n, row in all_rows if n > header_row and any(c.strip() for c in row)]
    for number, row in rows:
        if len(row) > width and any(cell.strip() for cell in row[width:]):
            raise ValidationError(
                "{name}, dòng {number}: có {count} ô nhưng tiêu đề chỉ có {width} cột "
                "(số tiền «1,500,000» phải viết 1.500.000 hoặc đặt trong ngoặc kép).",
                name=path.name,
                number=number,
                count=len(row),
                width=width,
            )
    return Table(path.name, None, header_row, columns, _until_marker(rows, end_marker))


def open_workbook(path: Path, *, read_only: bool):  # type: ignore[no-untyped-def]
    """An openpyxl workbook, or one clear line when the file is not one."""
    from openpyxl import load_workbook
    from openpyxl.utils.exceptions import InvalidFileException

    _check_size(path)
    if not zipfile.is_zipfile(path):
        raise ValidationError("Tệp {name} không phải sổ Excel (.xlsx).", name=path.name)
    try:
        return load_workbook(path, read_only=read_only, data_only=False)
    except (
        InvalidFileException,
        zipfile.BadZipFile,
        KeyError,
        OSError,
        ValueError,
        TypeError,
        AttributeError,
        ElementTree.ParseError,
    ):
        raise ValidationError(
            "Tệp {name} không phải sổ Excel (.xlsx) đọc được.", name=path.name
        ) from None


def read_xlsx(
    path: Path,
    aliases: Mapping[str, Sequence[str]],
    required: Sequence[str],
    labels: dict[str, str],
    *,
    prefer_sheet: str | None = None,
    refuse_merged: bool = True,
    end_marker: str | None = None,
) -> Table:
    workbook = open_workbook(path, read_only=not refuse_merged)
    try:
        sheets = list(workbook.worksheets)
        if prefer_sheet:
            sheets.sort(key=lambda ws: ws.title != prefer_sheet)
        for ws in sheets:
            rows = ((n, list(values)) for n, values in enumerate(ws.iter_rows(values_only=True), 1))
            found = _find_header(rows, aliases, required, scan=60)
            if found is None:
                continue
            header_row, columns = found
            body = [
                (n, list(values))
                for n, values in enumerate(
                    ws.iter_rows(min_row=header_row + 1, values_only=True), header_row + 1
                )
                if any(v is not None and str(v).strip() for v in values)
            ]
            body = _until_marker(body, end_marker)
            if refuse_merged:
                for merged in ws.merged_cells.ranges:
                    if merged.max_row > header_row and merged.min_row <= (
                        body[-1][0] if body else header_row
                    ):
                        raise ValidationError(
                            "Sheet «{title}», dòng {min_row}: ô gộp {coord} "
                            "nằm trong bảng; hãy bỏ gộp ô rồi nhập lại.",
                            title=ws.title,
                            min_row=merged.min_row,
                            coord=merged.coord,
                        )
            return Table(path.name, ws.title, header_row, columns, body)
    except (ElementTree.ParseError, KeyError, TypeError, ValueError, zipfile.BadZipFile):
        raise ValidationError(
            "Tệp {name} có nội dung hỏng, không đọc được.", name=path.name
        ) from None
    finally:
        if hasattr(workbook, "close"):
            workbook.close()
    names = ", ".join(labels[k] for k in required)
    raise ValidationError(
        "Tệp {name}: không sheet nào có dòng tiêu đề với các cột {names}.",
        name=path.name,
        names=names,
    )


def read_table(
    path: Path,
    aliases: Mapping[str, Sequence[str]],
    required: Sequence[str],
    labels: dict[str, str],
    **xlsx_options: Any,
) -> Table:
    suffix = path.suffix.lower()
    if suffix == ".csv":
        return read_csv(path, aliases, required, labels, end_marker=xlsx_options.get("end_marker"))
    if suffix in (".xlsx", ".xlsm"):
        return read_xlsx(path, aliases, required, labels, **xlsx_options)
    raise ValidationError("Chỉ nhận tệp .csv hoặc .xlsx: «{name}».", name=path.name)
