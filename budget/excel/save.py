"""The one place an export's bytes reach the disk: every writer ends in
:func:`save_workbook`, which publishes through :mod:`budget.safe_output`
(temporary file beside the target, then rename; never through a symlink or
into a FIFO; an existing file only with ``--force``)."""

from __future__ import annotations

from pathlib import Path

from budget.safe_output import write_with


def save_workbook(data: bytes, path: Path, *, force: bool = False) -> Path:
    """Write a finished workbook's bytes to ``path``; returns the absolute path."""
    return write_with(path, lambda temporary: temporary.write_bytes(data), force=force)
