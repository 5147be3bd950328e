"""The audit chain's head written beside every backup: ``<backup>.head.json``.

Each commune's entry count and head hash, read from the copy itself, so a later
truncation of the live chain (or of a restored copy) shows against what the
backup said, and the chairman can compare the figures with his paper note.
"""

from __future__ import annotations

import json
import os
import sqlite3
from pathlib import Path
from urllib.parse import quote


def head_metadata_path(backup_file: Path) -> Path:
    return backup_file.with_name(backup_file.name + ".head.json")


def read_heads(db_file: Path) -> list[dict[str, object]]:
    """[{"commune", "count", "head"}] from a SQLite file (empty before migration 0005)."""
    conn = sqlite3.connect(f"file:{quote(str(db_file.absolute()))}?mode=ro", uri=True)
    try:
        rows = conn.execute(
            "SELECT h.org_key, coalesce(o.code, ''), h.entry_count, h.head_hash "
            "FROM audit_heads h LEFT JOIN organisations o ON o.id = h.org_key ORDER BY h.org_key"
        ).fetchall()
    except sqlite3.Error:
        return []
    finally:
        conn.close()
    return [{"org_key": k, "commune": c, "count": n, "head": h} for k, c, n, h in rows]


def write_head_metadata(backup_file: Path) -> Path:
    """Write the sidecar (mode 0600, atomically) and return its path."""
    target = head_metadata_path(backup_file)
    partial = target.with_name(target.name + ".part")
    payload = json.dumps({"audit_heads": read_heads(backup_file)}, ensure_ascii=False, indent=2)
    fd = os.open(partial, os.O_CREAT | os.O_TRUNC | os.O_WRONLY, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        handle.write(payload)
    os.replace(partial, target)
    return target


def describe_heads(heads: list[dict[str, object]]) -> list[str]:
    """The lines the chairman notes on paper."""
    shown = [h for h in heads if h["org_key"] != 0] or heads
    return [
        (f"{h['commune']}: " if len(shown) > 1 else "")
        + f"Số bản ghi nhật ký: {h['count']} · Mã đầu chuỗi: {str(h['head'])[:16]}"
        for h in shown
    ]
