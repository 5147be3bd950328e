"""The advance and treasury forms as LibreOffice prints and computes them.

Each form of the demo's advance TU-0001 (2.280.000 đồng, settled by TT-0001 for
2.240.000, budget/demo.py) prints on one A4 page with its table and its
signatures; the Giấy thanh toán tạm ứng, edited the way an accountant would
(the amount spent raised to 2.300.000) and recalculated, shows the new
difference and a warning in place of words that no longer match.
"""

from __future__ import annotations

import shutil
import subprocess
import unicodedata
from pathlib import Path

import pytest
from openpyxl import load_workbook

from tests.conftest import run_cli
from tests.e2e.test_export_pdf import _pages
from tests.e2e.test_libreoffice import soffice

pytestmark = [
    pytest.mark.skipif(
        shutil.which("soffice") is None or shutil.which("pdftotext") is None,
        reason="LibreOffice (soffice) and poppler (pdftotext) are not installed; CI installs them",
    ),
    pytest.mark.xdist_group("libreoffice"),
]

#: form -> (voucher, what its one page must show: title, figures, the signers' names)
FORMS = {
    "c42": ("TU-0001", ["GIẤY ĐỀ NGHỊ TẠM ỨNG", "2.280.000", "Nguyễn Hữu Bình", "Lê Minh Tuấn"]),
    "c43bb": (
        "TT-0001",
        ["GIẤY THANH TOÁN TẠM ỨNG", "2.280.000", "2.240.000", "40.000", "Trần Thị Thu Hà"],
    ),
    "c203": (
        "TT-0001",
        ["GIẤY ĐỀ NGHỊ THANH TOÁN TẠM ỨNG", "2.240.000", "Nguyễn Hữu Bình", "Giám đốc KBNN"],
    ),
}


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    db = tmp_path_factory.mktemp("advance-pdf") / "budget.db"
    assert run_cli("--db", str(db), "demo").code == 0
    return db


def _text(pdf: Path) -> str:
    out = subprocess.run(
        ["pdftotext", "-enc", "UTF-8", "-layout", str(pdf), "-"],
        check=True,
        timeout=60,
        capture_output=True,
    ).stdout.decode("utf-8")
    return unicodedata.normalize("NFC", out)


@pytest.mark.parametrize("kind", sorted(FORMS))
def test_form_prints_on_one_page_with_its_signatures(demo: Path, tmp_path: Path, kind: str) -> None:
    voucher, expected = FORMS[kind]
    out = tmp_path / f"{kind}.xlsx"
    result = run_cli(
        "--db", str(demo), "export", kind, "--voucher", voucher, "--out", str(out), "--pdf"
    )
    assert result.code == 0, result.err
    pdf = out.with_suffix(".pdf")
    assert _pages(pdf.read_bytes()) == 1  # so no page holds the signatures alone
    text = _text(pdf)
    for item in expected:
        assert item in text, f"{item!r} not on the printed {kind}"


def test_settlement_form_recalculated_after_an_edit(demo: Path, tmp_path: Path) -> None:
    out = tmp_path / "tt.xlsx"
    result = run_cli(
        "--db", str(demo), "export", "c43bb", "--voucher", "TT-0001", "--out", str(out)
    )
    assert result.code == 0, result.err
    book = load_workbook(out)  # formulas; saving drops every cached value
    ws = book.active
    spent_row = next(c.row for c in ws["A"] if str(c.value).startswith("1. Thanh toán tạm ứng"))
    ws[f"G{spent_row}"] = 2_300_000
    edited = tmp_path / "edited" / "tt.xlsx"
    edited.parent.mkdir()
    book.save(edited)
    recalculated = tmp_path / "recalculated"
    soffice(
        tmp_path / "lo-profile",
        "--calc",
        "--convert-to",
        "xlsx",
        "--outdir",
        str(recalculated),
        str(edited),
    )
    rows = [
        [c.value for c in row]
        for row in load_workbook(recalculated / "tt.xlsx", data_only=True).active.iter_rows()
    ]
    table = {r[0]: r[6] for r in rows if isinstance(r[0], str)}
    assert table["I. Số tiền tạm ứng"] == 2_280_000
    assert table["II. Số tiền đã chi"] == 2_300_000
    assert table["1. Số tạm ứng chi không hết (I - II)"] == 0
    assert table["2. Chi quá số tạm ứng (II - I)"] == 20_000
    words = next(str(r[0]) for r in rows if str(r[0]).startswith(("Số tiền đã chi", "Tổng cộng")))
    assert words.startswith("Tổng cộng đã thay đổi"), words
