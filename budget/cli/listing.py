"""Listings that stream: rows go out as the database hands them over.

Nothing here holds a listing in memory. A table's column widths come from the
schema (the column's declared length, capped for the screen), never from a scan
of the rows, so the first line prints before the last row is read. On a
terminal a listing shows one page and says how many rows are left; piped or
with ``--format csv|json`` it writes everything.
"""

from __future__ import annotations

import csv
import json
import shutil
import sys
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from itertools import islice
from typing import Any, TextIO

from budget.money import format_vnd

#: Rows written between two flushes when the output is not a terminal.
FLUSH_EVERY = 2000


@dataclass(frozen=True)
class Column:
    header: str
    width: int
    right: bool = False
    #: Text longer than the width is cut with "…"; identifiers (False) overflow instead.
    truncate: bool = True


def schema_width(column: Any, cap: int, *, minimum: int = 0) -> int:
    """The width a column's schema allows (``String(n)``), capped for the screen."""
    length = getattr(column.type, "length", None) or cap
    return max(minimum, min(int(length), cap))


def stdout_is_terminal() -> bool:
    try:
        return sys.stdout.isatty()
    except (AttributeError, ValueError):
        return False


def page_rows() -> int:
    """Rows of one screen: the terminal's height less the header, rule and hint."""
    return max(10, shutil.get_terminal_size((100, 30)).lines - 4)


def more_hint(remaining: int) -> str:
    return f"… còn {format_vnd(remaining)} dòng (dùng --limit/--offset hoặc --all)"


@dataclass(frozen=True)
class Window:
    """Which rows a listing asks the database for, and whether it is one screen."""

    limit: int | None
    offset: int
    hint: bool  # a table: fetch one row more, to say how many are left

    @property
    def fetch(self) -> int | None:
        if self.limit is None:
            return None
        return self.limit + 1 if self.hint else self.limit


def window(fmt: str, limit: int | None, offset: int, show_all: bool) -> Window:
    """A terminal table without ``--limit``/``--all`` shows one page; the rest, everything asked."""
    if limit is None and not show_all and fmt == "table" and stdout_is_terminal():
        return Window(page_rows(), offset, True)
    return Window(limit, offset, fmt == "table" and limit is not None)


def _cell(text: str, column: Column) -> str:
    if column.truncate and len(text) > column.width:
        text = text[: max(0, column.width - 1)] + "…"
    return text.rjust(column.width) if column.right else text.ljust(column.width)


def _flusher(out: TextIO) -> Callable[[int], None]:
    interactive = out.isatty() if hasattr(out, "isatty") else False

    def flush(n: int) -> None:
        if interactive or n % FLUSH_EVERY == 0:
            out.flush()

    return flush


def write_table(
    columns: Sequence[Column],
    rows: Iterable[Sequence[str]],
    *,
    limit: int | None = None,
    out: TextIO | None = None,
) -> tuple[int, bool]:
    """Write a header, a rule and the rows; returns (rows written, more rows left).

    With ``limit`` it reads at most one row past it, to know whether more are left.
    """
    out = out or sys.stdout
    flush = _flusher(out)
    out.write("  ".join(_cell(c.header, c) for c in columns).rstrip() + "\n")
    out.write("  ".join("-" * c.width for c in columns) + "\n")
    flush(0)
    written = 0
    it: Iterator[Sequence[str]] = iter(rows)
    for row in it:
        if limit is not None and written >= limit:
            return written, True
        out.write("  ".join(_cell(v, c) for v, c in zip(row, columns, strict=True)).rstrip())
        out.write("\n")
        written += 1
        flush(written)
    out.flush()
    return written, False


def write_csv(
    fieldnames: Sequence[str], rows: Iterable[Sequence[Any]], out: TextIO | None = None
) -> int:
    """CSV with a header line, one row at a time (``rows`` in the order of ``fieldnames``)."""
    out = out or sys.stdout
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(fieldnames)
    rows_iter = iter(rows)
    n = 0
    while chunk := list(islice(rows_iter, FLUSH_EVERY)):
        writer.writerows(chunk)
        n += len(chunk)
    out.flush()
    return n


def write_json(records: Iterable[dict[str, Any]], out: TextIO | None = None) -> int:
    """A JSON array, written record by record: the same text as ``json.dumps(list, indent=2)``."""
    out = out or sys.stdout
    n = 0
    for record in records:
        text = json.dumps(record, ensure_ascii=False, indent=2, default=str)
        out.write(("[\n  " if n == 0 else ",\n  ") + text.replace("\n", "\n  "))
        n += 1
        if n % FLUSH_EVERY == 0:
            out.flush()
    out.write("\n]\n" if n else "[]\n")
    out.flush()
    return n
