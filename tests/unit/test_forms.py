"""The accounting forms (TT 107/2017/TT-BTC), read back without recalculating:
every figure must be in the file as written (cached formula values)."""

from __future__ import annotations

from pathlib import Path

import pytest
from openpyxl import load_workbook

from tests.conftest import run_cli

#: The demo's PC-0001 (budget/demo.py): 1.650.000 đồng to Minh Phát, line I.1.
PC1_AMOUNT = 1_650_000
PC1_WORDS = "Một triệu sáu trăm năm mươi nghìn đồng"
PC1_PAYEE = "Cơ sở quảng cáo Minh Phát"


@pytest.fixture(scope="module")
def demo_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    db = tmp_path_factory.mktemp("forms") / "budget.db"
    result = run_cli("--db", str(db), "demo")
    assert result.code == 0, result.err
    return db


def _texts(path: Path) -> list[object]:
    ws = load_workbook(path, data_only=True).active
    return [c.value for row in ws.iter_rows() for c in row if c.value is not None]


def test_c41bb_carries_the_voucher_its_words_and_the_org_codes(
    demo_db: Path, tmp_path: Path
) -> None:
    out = tmp_path / "pc.xlsx"
    result = run_cli(
        "--db", str(demo_db), "export", "c41bb", "--voucher", "PC-0001", "--out", str(out)
    )
    assert result.code == 0, result.err
    values = _texts(out)
    assert "PHIẾU CHI" in values
    assert "Mẫu số C41-BB" in values
    assert "Số tiền:" in values
    assert values[values.index("Số tiền:") + 1] == PC1_AMOUNT
    assert f"(Viết bằng chữ): {PC1_WORDS}" in values
    assert f"Đã nhận đủ số tiền (viết bằng chữ): {PC1_WORDS}" in values
    assert values[values.index("Họ và tên người nhận tiền:") + 1] == PC1_PAYEE
    assert (
        values[values.index("Nội dung:") + 1] == "Trang trí khánh tiết hội nghị phát động thi đua"
    )
    assert "Mã QHNS: 1123456" in values
    assert "Ngày 05 tháng 06 năm 2024" in values
    codes = values[values.index("Mã ngân sách:") + 1]
    assert codes == "Chương 805, loại-khoản 340-341, tiểu mục 6657, nguồn 13, dòng dự toán I.1"
    assert PC1_PAYEE in values[values.index("NGƯỜI NHẬN TIỀN") :]
    assert "Phạm Thị Lan" in values  # the cashier


def test_c41bb_unknown_or_missing_voucher_is_one_line_and_writes_nothing(
    demo_db: Path, tmp_path: Path
) -> None:
    out = tmp_path / "pc.xlsx"
    for extra in (["--voucher", "PC-9999"], []):
        result = run_cli("--db", str(demo_db), "export", "c41bb", *extra, "--out", str(out))
        assert result.code != 0
        assert result.err.startswith("Lỗi:") and result.err.count("\n") == 1, result.err
        assert not out.exists()


def test_pdf_without_libreoffice_says_how_to_install_and_writes_nothing(
    demo_db: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PATH", str(tmp_path / "empty"))
    out = tmp_path / "pc.xlsx"
    result = run_cli(
        "--db", str(demo_db), "export", "c41bb", "--voucher", "PC-0001", "--out", str(out), "--pdf"
    )
    assert result.code == 2
    assert result.err.startswith("Lỗi:") and result.err.count("\n") == 1, result.err
    assert "apt install libreoffice" in result.err
    assert not out.exists()


def test_c202a_codes_the_payment_line_and_spells_the_total(demo_db: Path, tmp_path: Path) -> None:
    out = tmp_path / "grdt.xlsx"
    result = run_cli(
        "--db", str(demo_db), "export", "c202a", "--voucher", "PC-0001", "--out", str(out)
    )
    assert result.code == 0, result.err
    ws = load_workbook(out, data_only=True).active
    rows = [[c.value for c in row] for row in ws.iter_rows()]
    header = next(i for i, r in enumerate(rows) if r[0] == "Nội dung thanh toán")
    assert rows[header][1:7] == [
        "Mã NDKT",
        "Mã chương",
        "Mã ngành KT",
        "Mã nguồn NSNN",
        "Niên độ NS",
        "Số tiền",
    ]
    line = rows[header + 1]
    assert line[:7] == [
        "Trang trí khánh tiết hội nghị phát động thi đua",
        "6657",
        "805",
        "340-341",
        "13",
        "2024",
        PC1_AMOUNT,
    ]
    assert rows[header + 2][0] == "Tổng cộng" and rows[header + 2][6] == PC1_AMOUNT
    values = _texts(out)
    assert f"Tổng số tiền ghi bằng chữ: {PC1_WORDS}" in values
    assert "Mã ĐVQHNS: 1123456" in values
    assert f"Đơn vị nhận tiền: {PC1_PAYEE}" in values
    assert any("Kho bạc Nhà nước khu vực XVI (mã 2711)" in str(v) for v in values)


def _voucher_list(demo_db: Path, tmp_path: Path) -> list[list[object]]:
    out = tmp_path / "bk.xlsx"
    result = run_cli("--db", str(demo_db), "export", "vouchers", "--out", str(out))
    assert result.code == 0, result.err
    ws = load_workbook(out, data_only=True).active
    return [[c.value for c in row] for row in ws.iter_rows()]


def test_voucher_list_page_subtotals_sum_to_the_total(demo_db: Path, tmp_path: Path) -> None:
    rows = _voucher_list(demo_db, tmp_path)
    subtotals = [r[7] for r in rows if r[1] == "Cộng trang"]
    total = next(r[7] for r in rows if r[1] == "Tổng cộng")
    lines = [r for r in rows if isinstance(r[0], int)]
    assert len(lines) == 26  # the demo's 26 vouchers
    # Page 1 (A4 filled): PC-0001..0005, UNC-0001 and UNC-0002, from the demo's amounts.
    assert subtotals[0] == (
        1_650_000 + 1_350_000 + 1_020_000 + 3_280_000 + 4_300_000 + 3_700_000 + 1_395_000
    )
    assert len(subtotals) >= 2
    assert sum(subtotals) == total == sum(r[7] for r in lines)
    # The reversal PC-0012-H counts against PC-0012.
    by_number = {r[1]: r[7] for r in lines}
    assert by_number["PC-0012"] == 1_080_000 and by_number["PC-0012-H"] == -1_080_000


def test_voucher_list_has_real_dates_and_whole_texts(demo_db: Path, tmp_path: Path) -> None:
    from datetime import datetime

    rows = _voucher_list(demo_db, tmp_path)
    first = next(r for r in rows if r[0] == 1)
    assert first[1:8] == [
        "PC-0001",
        datetime(2024, 6, 5),
        PC1_PAYEE,
        "Trang trí khánh tiết hội nghị phát động thi đua",
        "I.1",
        "6657",
        PC1_AMOUNT,
    ]
