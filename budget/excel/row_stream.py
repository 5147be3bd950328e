"""Reading a CSV or XLSX table row by row, in memory that does not grow with
the file, within limits a user can raise (``--max-rows``, ``--max-cell``,
``--max-mb``).

An XLSX file is a zip: its declared sizes and compression ratios are checked
before anything is unpacked (a zip bomb is refused, not inflated), and the
sheet is read with openpyxl's read-only (streaming) mode.
"""

from __future__ import annotations

import csv
import io
import zipfile
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from xml.etree import ElementTree

from budget.errors import Phrase, Term, ValidationError, join_phrases, os_error_text
from budget.excel.table_reader import match_columns

HEADER_SCAN_ROWS = 60


@dataclass(frozen=True)
class ReadLimits:
    """How much of a file an import accepts; each can be raised on the command line."""

    max_rows: int = 2_000_000
    max_cell_chars: int = 10_000
    max_mb: int = 1024  # CSV size, or an XLSX's total unpacked size
    max_ratio: int = 1000  # unpacked / packed, per zip member larger than 1 MB

    @property
    def max_bytes(self) -> int:
        return self.max_mb * 1024 * 1024


@dataclass(frozen=True)
class Header:
    """Where a table's header is and which column holds each field."""

    source: str
    sheet: str | None
    header_row: int
    columns: dict[str, int]
    width: int

    def where(self, row: int, column: str | None = None) -> str:
        parts = [Phrase("Sheet «{sheet}»", sheet=self.sheet) if self.sheet else self.source]
        parts.append(Phrase("dòng {row}", row=row))
        if column:
            parts.append(Phrase("cột «{column}»", column=column))
        return join_phrases(", ", parts)


Rows = Iterator[tuple[int, list[Any]]]


def _stat(path: Path, limits: ReadLimits) -> int:
    try:
        if path.is_dir():
            raise ValidationError("«{path}» là một thư mục, không phải tệp.", path=path)
        if not path.is_file():
            raise ValidationError("«{path}» không phải tệp thường.", path=path)
        size = path.stat().st_size
    except FileNotFoundError:
        raise ValidationError("Không tìm thấy tệp {path}.", path=path) from None
    except OSError as exc:
        raise ValidationError(
            "Không đọc được tệp {path}: {reason}.", path=path, reason=os_error_text(exc)
        ) from None
    if size == 0:
        raise ValidationError("Tệp {name} trống.", name=path.name)
    return size


def _too_big(name: str, what: str, limits: ReadLimits) -> ValidationError:
    return ValidationError(
        "Tệp {name} quá lớn ({what} vượt {max_mb} MB); "
        "nếu đúng là tệp cần nhập, tăng giới hạn bằng --max-mb.",
        name=name,
        what=what,
        max_mb=limits.max_mb,
    )


def check_zip(path: Path, limits: ReadLimits) -> None:
    """Refuse a file that is not a zip, or whose declared unpacked size or
    compression ratio is beyond the limits (checked before unpacking)."""
    try:
        with zipfile.ZipFile(path) as archive:
            members = archive.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, EOFError, ValueError):
        raise ValidationError(
            "Tệp {name} không phải sổ Excel (.xlsx) đọc được.", name=path.name
        ) from None
    except OSError as exc:
        raise ValidationError(
            "Không đọc được tệp {path}: {reason}.", path=path, reason=os_error_text(exc)
        ) from None
    total = 0
    for member in members:
        total += member.file_size
        if member.file_size > 1024 * 1024 and (
            member.file_size > limits.max_ratio * max(member.compress_size, 1)
        ):
            raise ValidationError(
                "Tệp {name} bị nén bất thường ({filename}: "
                "{value} lần): "
                "có thể là «bom nén», không mở.",
                name=path.name,
                filename=member.filename,
                value=member.file_size // member.compress_size if member.compress_size else "∞",
            )
    if total > limits.max_bytes:
        raise _too_big(path.name, Term("dữ liệu sau khi giải nén"), limits)


def _check_cells(
    values: Sequence[Any], number: int, header: Header | None, name: str, limits: ReadLimits
) -> None:
    for index, value in enumerate(values):
        if isinstance(value, str) and len(value) > limits.max_cell_chars:
            where = (
                header.where(number)
                if header
                else Phrase("{name}, dòng {number}", name=name, number=number)
            )
            raise ValidationError(
                "{where}, cột {value}: ô dài {count} ký tự, quá giới hạn "
                "{max_cell_chars} (tăng bằng --max-cell nếu cần).",
                where=where,
                value=index + 1,
                count=len(value),
                max_cell_chars=limits.max_cell_chars,
            )


def _blank(values: Sequence[Any]) -> bool:
    return not any(v is not None and str(v).strip() for v in values)


class TableStream:
    """A table's header and an iterator over its non-blank rows below it."""

    def __init__(self, header: Header, rows: Rows, limits: ReadLimits) -> None:
        self.header = header
        self._rows = rows
        self._limits = limits

    def __iter__(self) -> Rows:
        count = 0
        for number, values in self._rows:
            if _blank(values):
                continue
            count += 1
            if count > self._limits.max_rows:
                raise ValidationError(
                    "Tệp {source} có hơn {max_rows} dòng dữ liệu; "
                    "tăng giới hạn bằng --max-rows nếu cần.",
                    source=self.header.source,
                    max_rows=self._limits.max_rows,
                )
            _check_cells(values, number, self.header, self.header.source, self._limits)
            yield number, values


def _find_header(
    rows: Rows,
    aliases: Mapping[str, Sequence[str]],
    required: Sequence[str],
    name: str,
    limits: ReadLimits,
    sheet: str | None,
) -> Header | None:
    for number, values in rows:
        if number > HEADER_SCAN_ROWS:
            return None
        _check_cells(values, number, None, name, limits)
        columns = match_columns(values, aliases)
        if all(key in columns for key in required):
            return Header(name, sheet, number, columns, len(values))
    return None


def _missing_header(name: str, required: Sequence[str], labels: dict[str, str]) -> ValidationError:
    names = ", ".join(labels[k] for k in required)
    return ValidationError(
        "Tệp {name}: không thấy dòng tiêu đề có các cột {names}.", name=name, names=names
    )


def _csv_rows(handle: io.TextIOBase, name: str, delimiter: str, header_width: list[int]) -> Rows:
    reader = csv.reader(handle, delimiter=delimiter)
    number = 0
    try:
        for row in reader:
            number += 1  # records, as a spreadsheet numbers them
            if (
                header_width
                and len(row) > header_width[0]
                and any(c.strip() for c in row[header_width[0] :])
            ):
                raise ValidationError(
                    "{name}, dòng {number}: có {count} ô nhưng tiêu đề chỉ có "
                    "{header_width} cột (số tiền «1,500,000» phải viết 1.500.000 "
                    "hoặc đặt trong ngoặc kép).",
                    name=name,
                    number=number,
                    count=len(row),
                    header_width=header_width[0],
                )
            yield number, row
    except csv.Error as exc:
        text = str(exc)
        if "field larger than field limit" in text:
            raise ValidationError(
                "{name}, sau dòng {number}: có ô quá dài (tăng giới hạn bằng --max-cell nếu cần).",
                name=name,
                number=number,
            ) from None
        if "NUL" in text:
            raise ValidationError(
                "Tệp {name} có ký tự NUL: không phải tệp CSV.", name=name
            ) from None
        raise ValidationError(
            "Tệp {name}, sau dòng {number}: không đọc được như CSV.", name=name, number=number
        ) from None
    except UnicodeDecodeError:
        raise ValidationError(
            "Tệp {name}, sau dòng {number}: không phải văn bản UTF-8.", name=name, number=number
        ) from None


@contextmanager
def open_csv(
    path: Path,
    aliases: Mapping[str, Sequence[str]],
    required: Sequence[str],
    labels: dict[str, str],
    limits: ReadLimits,
) -> Iterator[TableStream]:
    size = _stat(path, limits)
    if size > limits.max_bytes:
        raise _too_big(path.name, Term("kích thước tệp"), limits)
    csv.field_size_limit(limits.max_cell_chars + 1)
    try:
        handle = path.open("r", encoding="utf-8-sig", newline="")
    except OSError as exc:
        raise ValidationError(
            "Không đọc được tệp {path}: {reason}.", path=path, reason=os_error_text(exc)
        ) from None
    with handle:
        try:
            sample = handle.read(4096)
        except UnicodeDecodeError:
            raise ValidationError("Tệp {name} không phải văn bản UTF-8.", name=path.name) from None
        if "\x00" in sample:
            raise ValidationError("Tệp {name} có ký tự NUL: không phải tệp CSV.", name=path.name)
        delimiter = ";" if sample.count(";") > sample.count(",") else ","
        handle.seek(0)
        width: list[int] = []
        rows = _csv_rows(handle, path.name, delimiter, width)
        header = _find_header(rows, aliases, required, path.name, limits, None)
        if header is None:
            raise _missing_header(path.name, required, labels)
        width.append(header.width)
        yield TableStream(header, rows, limits)


def _rows_dropped(iterparse: Any) -> Any:
    """openpyxl's sheet parser clears each ``<row>`` after reading it but leaves the
    empty element in ``<sheetData>``: about 50 MB a million rows. This iterparse
    (around openpyxl's own, so its XML hardening stays) also takes the row out of
    its parent once the parser has moved on."""
    from openpyxl.worksheet._reader import ROW_TAG

    def parse(source: Any, *args: Any, **kwargs: Any) -> Iterator[tuple[str, Any]]:
        parents: list[Any] = []
        for event, element in iterparse(source, events=("start", "end")):
            if event == "start":
                parents.append(element)
                continue
            parents.pop()
            yield event, element
            if element.tag == ROW_TAG and parents:
                parents[-1].remove(element)

    parse.budget_drops_rows = True  # type: ignore[attr-defined]
    return parse


def _patch_openpyxl() -> None:
    from openpyxl.worksheet import _reader as reader_module

    # types-openpyxl leaves out the module's ``iterparse`` import.
    _reader: Any = reader_module
    if not getattr(_reader.iterparse, "budget_drops_rows", False):
        _reader.iterparse = _rows_dropped(_reader.iterparse)


def _xlsx_rows(ws: Any, name: str) -> Rows:
    try:
        for number, values in enumerate(ws.iter_rows(values_only=True), 1):
            yield number, list(values)
    except (
        ElementTree.ParseError,
        KeyError,
        TypeError,
        ValueError,
        zipfile.BadZipFile,
        EOFError,
        OSError,
    ):
        raise ValidationError("Tệp {name} có nội dung hỏng, không đọc được.", name=name) from None


@contextmanager
def open_xlsx(
    path: Path,
    aliases: Mapping[str, Sequence[str]],
    required: Sequence[str],
    labels: dict[str, str],
    limits: ReadLimits,
) -> Iterator[TableStream]:
    from openpyxl import load_workbook
    from openpyxl.utils.exceptions import InvalidFileException

    _stat(path, limits)
    check_zip(path, limits)
    _patch_openpyxl()
    try:
        workbook = load_workbook(path, read_only=True, data_only=False)
    except (
        InvalidFileException,
        zipfile.BadZipFile,
        KeyError,
        OSError,
        ValueError,
        TypeError,
        AttributeError,
        EOFError,
        ElementTree.ParseError,
    ):
        raise ValidationError(
            "Tệp {name} không phải sổ Excel (.xlsx) đọc được.", name=path.name
        ) from None
    try:
        for ws in workbook.worksheets:
            rows = _xlsx_rows(ws, path.name)
            header = _find_header(rows, aliases, required, path.name, limits, ws.title)
            if header is not None:
                yield TableStream(header, rows, limits)
                return
        names = ", ".join(labels[k] for k in required)
        raise ValidationError(
            "Tệp {name}: không sheet nào có dòng tiêu đề với các cột {names}.",
            name=path.name,
            names=names,
        )
    finally:
        workbook.close()


@contextmanager
def open_table(
    path: Path,
    aliases: Mapping[str, Sequence[str]],
    required: Sequence[str],
    labels: dict[str, str],
    limits: ReadLimits | None = None,
) -> Iterator[TableStream]:
    """The table in ``path`` (.csv or .xlsx), streamed; see the module's docstring."""
    limits = limits or ReadLimits()
    suffix = path.suffix.lower()
    if suffix == ".csv":
        opener = open_csv
    elif suffix in (".xlsx", ".xlsm"):
        opener = open_xlsx
    else:
        raise ValidationError("Chỉ nhận tệp .csv hoặc .xlsx: «{name}».", name=path.name)
    with opener(path, aliases, required, labels, limits) as table:
        yield table
