"""`budget export … --pdf`: the workbook printed to PDF by LibreOffice headless."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from tests.conftest import run_cli

pytestmark = [
    pytest.mark.skipif(
        shutil.which("soffice") is None,
        reason="LibreOffice (soffice) is not installed; CI installs it (see .ci/run)",
    ),
    pytest.mark.xdist_group("libreoffice"),
]


def _pages(pdf: bytes) -> int:
    """Page objects in the PDF (LibreOffice writes them uncompressed)."""
    return len(re.findall(rb"/Type\s*/Page[^s]", pdf))


def test_c41bb_pdf_is_one_page(tmp_path: Path) -> None:
    db = tmp_path / "budget.db"
    assert run_cli("--db", str(db), "demo").code == 0
    out = tmp_path / "phieu-chi.xlsx"
    result = run_cli(
        "--db", str(db), "export", "c41bb", "--voucher", "PC-0001", "--out", str(out), "--pdf"
    )
    assert result.code == 0, result.err
    pdf = (tmp_path / "phieu-chi.pdf").read_bytes()
    assert pdf[:5] == b"%PDF-"
    assert _pages(pdf) == 1
    assert f"Đã chuyển sang PDF: {tmp_path / 'phieu-chi.pdf'}" in result.out
    # A second run without --force keeps the PDF and says so.
    again = run_cli(
        "--db", str(db), "export", "c41bb", "--voucher", "PC-0001", "--out", str(out), "--pdf"
    )
    assert again.code != 0 and again.err.startswith("Lỗi:")


def test_voucher_list_prints_one_page_per_page_subtotal(tmp_path: Path) -> None:
    from openpyxl import load_workbook

    db = tmp_path / "budget.db"
    assert run_cli("--db", str(db), "demo").code == 0
    out = tmp_path / "bang-ke.xlsx"
    result = run_cli("--db", str(db), "export", "vouchers", "--out", str(out), "--pdf")
    assert result.code == 0, result.err
    ws = load_workbook(out, data_only=True).active
    subtotals = [r[1].value for r in ws.iter_rows() if r[1].value == "Cộng trang"]
    pdf = (tmp_path / "bang-ke.pdf").read_bytes()
    assert pdf[:5] == b"%PDF-"
    # Every printed page ends on its own "Cộng trang" (the signature rides on the last).
    assert _pages(pdf) == len(subtotals) >= 2
