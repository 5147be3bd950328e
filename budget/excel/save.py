"""The one place an export's bytes reach the disk: every writer ends in
:func:`save_workbook`, so safe file output (temp file, rename, no symlink,
--force) is a change to this function alone."""

from __future__ import annotations

from pathlib import Path


def save_workbook(data: bytes, path: Path) -> Path:
    """Write a finished workbook's bytes to ``path``; returns ``path``."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    return path
