"""The register's documents tell their progress through budget.progress.OnProgress:
(0, rows in all) before any row, then every PROGRESS_ROWS and at the end; a
callback that raises Cancelled stops the export and nothing is written (neither
the target, nor a ".part" beside it, nor xlsxwriter's row files). The demo year
has 26 vouchers, 24 of them dated on or before 30/11/2024 (TU-0002 is of 10/12,
PC-0017 of 12/12)."""

from __future__ import annotations

import io
import sys
import tempfile
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from budget.documents import export_document
from budget.progress import Cancelled
from tests.conftest import run_cli


@pytest.fixture
def demo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Any:
    from sqlalchemy.orm import sessionmaker

    from budget.db import make_engine
    from budget.norms import load_norms
    from budget.services.campaigns import find_campaign

    path = tmp_path / "budget.db"
    assert run_cli("--db", str(path), "demo").code == 0
    factory = sessionmaker(make_engine(f"sqlite:///{path}"))
    with factory() as session:
        campaign = find_campaign(session, None).id
    return factory, load_norms(), campaign


def _export(demo: Any, kind: str, out: Path, progress: Any, **params: Any) -> Any:
    factory, norms, campaign = demo
    with factory() as session:
        return export_document(session, norms, campaign, kind, out, progress=progress, **params)


def test_settlement_and_voucher_list_report_their_rows(demo: Any, tmp_path: Path) -> None:
    for kind, params, rows in (
        ("settlement", {}, 26),
        ("settlement", {"as_of": date(2024, 11, 30)}, 24),
        ("vouchers", {}, 26),
    ):
        seen: list[tuple[int, int | None]] = []
        out = tmp_path / f"{kind}-{rows}.xlsx"
        result = _export(demo, kind, out, lambda d, t, seen=seen: seen.append((d, t)), **params)
        assert seen == [(0, rows), (rows, rows)], kind
        assert result.rows == rows and out.exists()


def test_a_document_without_a_register_reports_nothing(demo: Any, tmp_path: Path) -> None:
    seen: list[Any] = []
    _export(demo, "estimate", tmp_path / "e.xlsx", lambda d, t: seen.append((d, t)))
    assert seen == []


def test_cancel_leaves_no_file(demo: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    out = tmp_path / "out"
    out.mkdir()
    scratch = tmp_path / "scratch"
    scratch.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(scratch))

    def stop(done: int, total: int | None) -> None:
        if done == total:  # the rows are laid out, the file not yet saved
            assert any(scratch.iterdir())  # xlsxwriter's row file of the register
            raise Cancelled("dừng")

    for kind in ("settlement", "vouchers"):
        with pytest.raises(Cancelled, match="dừng"):
            _export(demo, kind, out / "x.xlsx", stop)
        assert list(out.iterdir()) == []
        assert list(scratch.iterdir()) == []


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_cli_export_shows_its_progress_line_on_a_terminal(
    demo: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`budget export settlement` on a terminal: the line is made with the 26 rows
    the document announced, redrawn in place and cleared at the end."""
    from budget.cli.export_cmd import ExportProgress

    terminal = _Terminal()
    monkeypatch.setattr(sys, "stderr", terminal)
    line = ExportProgress("Đang xuất qt.xlsx")
    _export(demo, "settlement", tmp_path / "qt.xlsx", line)
    shown = terminal.getvalue()
    assert shown.startswith("\rĐang xuất qt.xlsx: 0/26 dòng (0%) · ")
    line.close()
    assert terminal.getvalue().endswith("\r")
    assert line.line.total == 26
