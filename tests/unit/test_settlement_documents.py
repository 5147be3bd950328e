"""The lists and settlements (meal support, award payout, per-conference and
year-end settlement, voucher list) read back without recalculating: every
figure must be in the file as written (cached formula values). Figures are
worked out by hand from the demo (budget/demo.py and the plan template)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from openpyxl import load_workbook

from tests.conftest import ENGINES, _pg_base_url, pg_schema_url, run_cli


@pytest.fixture(scope="module", params=ENGINES)
def demo_db(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[str]:
    """The demo on each engine, built once per module."""
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("BUDGET_USER", "kiemthu")
        for name in ("BUDGET_DATABASE_URL", "BUDGET_NORMS", "BUDGET_NOW"):
            mp.delenv(name, raising=False)
        if request.param == "sqlite":
            url = f"sqlite:///{tmp_path_factory.mktemp('settle') / 'budget.db'}"
            assert run_cli("--db", url, "demo").code == 0
            yield url
            return
        base = _pg_base_url()
        if base is None:
            pytest.skip("PostgreSQL tests skipped")
        with pg_schema_url(base) as url:
            assert run_cli("--db", url, "demo").code == 0
            yield url


def export(db: str, tmp_path: Path, *args: str) -> list[list[object]]:
    out = tmp_path / "out.xlsx"
    result = run_cli("--db", db, "export", *args, "--out", str(out))
    assert result.code == 0, result.err
    ws = load_workbook(out, data_only=True).worksheets[0]
    return [[c.value for c in row] for row in ws.iter_rows()]


def texts(rows: list[list[object]]) -> list[str]:
    return [v for row in rows for v in row if isinstance(v, str)]


def row_of(rows: list[list[object]], column: int, value: object) -> list[object]:
    found = [r for r in rows if len(r) > column and r[column] == value]
    assert len(found) == 1, (value, found)
    return found[0]


# --- meal support -----------------------------------------------------------------------


def test_meal_list_has_a_row_per_delegate_paid(demo_db: str, tmp_path: Path) -> None:
    """Launch conference: PC-0005 paid 4.300.000 at 100.000 đồng a day for one day,
    so 43 delegates (the estimate planned 45)."""
    rows = export(demo_db, tmp_path, "meals", "--part", "phat_dong")
    header = next(i for i, r in enumerate(rows) if r[0] == "STT")
    assert rows[header] == [
        "STT",
        "Họ và tên",
        "Chức vụ, đơn vị",
        "Số ngày",
        "Mức/ngày (đồng)",
        "Số tiền (đồng)",
        "Ký nhận",
    ]
    lines = [r for r in rows[header + 1 :] if isinstance(r[0], int)]
    assert [r[0] for r in lines] == list(range(1, 44))
    # No delegates' names in the database: blank rows to fill in by hand.
    assert all(r[1] is None and r[2] is None and r[6] is None for r in lines)
    assert all(r[3:6] == [1, 100_000, 100_000] for r in lines)
    total = row_of(rows, 1, "Tổng cộng")
    assert total[3] == 43 and total[5] == 4_300_000
    assert "Bằng chữ: Bốn triệu ba trăm nghìn đồng" in texts(rows)
    assert any("theo chứng từ PC-0005" in t for t in texts(rows))
    signing = texts(rows)
    for expected in ("THỦ QUỸ", "Phạm Thị Lan", "TM. ỦY BAN NHÂN DÂN", "Nguyễn Hữu Bình"):
        assert expected in signing


def test_meal_list_without_a_payment_follows_the_estimate(demo_db: str, tmp_path: Path) -> None:
    """Tổng kết (part IV): nothing paid yet; the adjusted estimate has 60 delegates
    × 100.000 (line IV.5, 6.000.000)."""
    rows = export(demo_db, tmp_path, "meals", "--part", "IV")
    lines = [r for r in rows if isinstance(r[0], int)]
    assert len(lines) == 60
    assert row_of(rows, 1, "Tổng cộng")[5] == 6_000_000
    assert "Bằng chữ: Sáu triệu đồng" in texts(rows)
    assert any("theo dự toán (60 người)" in t for t in texts(rows))


@pytest.mark.parametrize(
    ("part", "message"),
    [
        ("II", "Lỗi: Phần II «Xây dựng mô hình “Chính quyền thân thiện”» không có dòng hỗ trợ"),
        ("IX", "Lỗi: Dự toán không có phần «IX»: chọn một trong I (phat_dong)"),
    ],
)
def test_meal_list_refuses_a_part_without_meals(
    demo_db: str, tmp_path: Path, part: str, message: str
) -> None:
    out = tmp_path / "x.xlsx"
    result = run_cli("--db", demo_db, "export", "meals", "--part", part, "--out", str(out))
    assert result.code != 0
    assert result.err.startswith(message), result.err
    assert not out.exists()


# --- award payout -----------------------------------------------------------------------


def test_payout_has_the_cashier_and_room_for_names(demo_db: str, tmp_path: Path) -> None:
    out = tmp_path / "p.xlsx"
    result = run_cli(
        "--db", demo_db, "export", "payout", "--decision", "120/QĐ-UBND", "--out", str(out)
    )
    assert result.code == 0, result.err
    ws = load_workbook(out).worksheets[0]
    values = [c.value for row in ws.iter_rows() for c in row if isinstance(c.value, str)]
    for expected in ("THỦ QUỸ", "Phạm Thị Lan", "KẾ TOÁN", "TM. ỦY BAN NHÂN DÂN"):
        assert expected in values
    name_rows = [c.row for c in ws["B"] if c.value == "Bộ phận tiếp nhận và trả kết quả xã"]
    assert name_rows
    cell = ws.cell(row=name_rows[0], column=2)
    assert cell.alignment.wrap_text
    # Two lines of 17 pt at least: room to sign and for a name over two lines.
    assert ws.row_dimensions[name_rows[0]].height >= 34


# --- per-conference settlement ----------------------------------------------------------


def test_part_settlement_of_the_launch(demo_db: str, tmp_path: Path) -> None:
    """Part I: estimate 1.650.000 + 1.350.000 + 1.020.000 + 3.400.000 + 4.500.000 =
    11.920.000; spent (PC-0001..0005) 1.650.000 + 1.350.000 + 1.020.000 + 3.280.000
    + 4.300.000 = 11.600.000; left 320.000."""
    rows = export(demo_db, tmp_path, "part-settlement", "--part", "I")
    lines = [r for r in rows if r[2] in ("6657", "6651", "6699", "6658")]
    assert [r[3:7] for r in lines] == [
        [1_650_000, 1_650_000, 0, 0],
        [1_350_000, 1_350_000, 0, 0],
        [1_020_000, 1_020_000, 0, 0],
        [3_400_000, 3_280_000, 0, 120_000],
        [4_500_000, 4_300_000, 0, 200_000],
    ]
    assert row_of(rows, 1, "Tổng cộng")[3:7] == [11_920_000, 11_600_000, 0, 320_000]
    assert "Tổng số đã chi bằng chữ: Mười một triệu sáu trăm nghìn đồng" in texts(rows)
    vouchers = [r for r in rows if isinstance(r[0], int)]
    assert [str(r[3]).split("\n")[0] for r in vouchers] == [
        "PC-0001",
        "PC-0002",
        "PC-0003",
        "PC-0004",
        "PC-0005",
    ]
    assert row_of(rows, 1, "Cộng")[5:7] == [11_600_000, 0]
    assert "I. Hội nghị phát động phong trào thi đua" in texts(rows)


# --- year-end settlement ----------------------------------------------------------------


def test_year_end_settlement_cites_the_plan_and_decisions(demo_db: str, tmp_path: Path) -> None:
    rows = export(demo_db, tmp_path, "settlement")
    values = texts(rows)
    assert "Số:        /BC-UBND" in values
    assert "Kính gửi: Sở Tài chính Đồng Nai" in values
    bases = [t for t in values if t.startswith("Căn cứ")]
    assert bases == [
        "Căn cứ Quyết định số .../QĐ-UBND ngày ... của Ủy ban nhân dân xã Phú Lý về việc "
        "giao dự toán thu, chi ngân sách xã năm 2024;",
        "Căn cứ Kế hoạch số 45/KH-UBND ngày 20/05/2024 của Ủy ban nhân dân xã Phú Lý về "
        "phát động thi đua thực hiện mô hình “Chính quyền thân thiện” trên địa bàn xã Phú Lý "
        "năm 2024;",
        "Căn cứ Quyết định số 52/QĐ-UBND ngày 27/05/2024 của Chủ tịch UBND xã Phú Lý về việc "
        "phê duyệt dự toán kinh phí thực hiện Kế hoạch số 45/KH-UBND ngày 20/05/2024;",
        "Căn cứ Quyết định số 95/QĐ-UBND ngày 10/09/2024 của Chủ tịch UBND xã Phú Lý về việc "
        "phê duyệt điều chỉnh, bổ sung dự toán kinh phí thực hiện Kế hoạch số 45/KH-UBND "
        "ngày 20/05/2024;",
    ]
    assert "TM. ỦY BAN NHÂN DÂN" in values and "CHỦ TỊCH" in values
    assert "Nơi nhận:" in values and "- Như trên;" in values


def test_settlement_before_the_adjustment_cites_one_decision(demo_db: str, tmp_path: Path) -> None:
    rows = export(demo_db, tmp_path, "settlement", "--as-of", "30/06/2024")
    decisions = [t for t in texts(rows) if t.startswith("Căn cứ Quyết định số 52")]
    assert len(decisions) == 1
    assert not [t for t in texts(rows) if "95/QĐ-UBND ngày 10/09/2024 của Chủ tịch" in t]


# --- the voucher list's pages -----------------------------------------------------------


def test_paginate_fills_pages_and_carries_rows_to_the_signatures() -> None:
    from budget.excel.voucher_list import paginate

    # Capacity 200 pt, foot rows 2 × 17 = 34: page 1 holds 100 pt already, so rows of
    # 30 pt: 100 + 2·30 + 34 = 194 fits, a third would make 224. Later pages start at
    # 40 (the header): 40 + 4·30 + 34 = 194.
    pages = paginate([30.0] * 10, first_used=100, header=40, capacity=200, trailer=0)
    assert pages == [[0, 1], [2, 3, 4, 5], [6, 7, 8, 9]]
    # A trailer of 60 pt does not fit under the last page's four rows (40 + 120 + 34
    # + 60 = 254): two rows go on with it (40 + 60 + 34 + 60 = 194).
    pages = paginate([30.0] * 10, first_used=100, header=40, capacity=200, trailer=60)
    assert pages == [[0, 1], [2, 3, 4, 5], [6, 7], [8, 9]]


def test_voucher_list_page_and_running_totals(demo_db: str, tmp_path: Path) -> None:
    rows = export(demo_db, tmp_path, "vouchers")
    lines = [r for r in rows if isinstance(r[0], int)]
    assert len(lines) == 26
    subtotals = [r[7] for r in rows if r[1] == "Cộng trang"]
    running = [r[7] for r in rows if r[1] == "Lũy kế"]
    # Page 1 (fuller than before): PC-0001..0005, UNC-0001 and UNC-0002.
    assert subtotals[0] == (
        1_650_000 + 1_350_000 + 1_020_000 + 3_280_000 + 4_300_000 + 3_700_000 + 1_395_000
    )
    assert len(running) == len(subtotals) >= 2
    assert running == [sum(subtotals[: i + 1]) for i in range(len(subtotals))]
    total = row_of(rows, 1, "Tổng cộng")[7]
    assert total == running[-1] == sum(r[7] for r in lines) == 52_067_500
