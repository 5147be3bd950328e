"""docs/DOMAIN.md, "A year in the tool", told end to end through the command line.

A fresh database on each engine: the commune is set up, the 2024 campaign is
started from the "Chính quyền thân thiện" template, a few quantities are filled,
a line is added, the estimate is submitted and approved; vouchers are recorded
from June to September (payments of three types, an advance settled for less,
an advance left open, a reversal, an overspend refused and then accepted with a
logged reason); the sơ kết award decision is made and paid; a mid-year
adjustment is approved. The reconciliation is then checked against figures
worked out by hand below (quantity × [multiplier ×] unit price from
templates/plans/chinh-quyen-than-thien.toml and templates/norms/), never
against values read back from the program.
"""

from __future__ import annotations

import csv
import io
import json
from decimal import ROUND_HALF_UP, Decimal

from tests.conftest import CliResult

CAMPAIGN = "cqtt-2024"  # "chinh-quyen-than-thien" -> initials, then the year
AMOUNTS = ("original", "approved", "difference", "committed", "spent", "remaining")

# Reward amounts by the law in force on the award decision date (after
# 2024-07-01: base salary 2.340.000, Nghị định 73/2024; coefficients of
# Nghị định 98/2023), rounded UP to the next 10.000 đ.
INDIVIDUAL = 360_000  # 0,15 × 2.340.000 = 351.000 -> 360.000
COLLECTIVE = 710_000  # 0,3 × 2.340.000 = 702.000 -> 710.000


# -- helpers ------------------------------------------------------------------


def ok(cli, *args: str) -> CliResult:  # type: ignore[no-untyped-def]
    """Run a command that must succeed."""
    result = cli(*args)
    assert result.code == 0, (args, result.code, result.out, result.err)
    return result


def as_json(cli, *args: str):  # type: ignore[no-untyped-def]
    return json.loads(ok(cli, *args).out)


def fig(
    original: int,
    approved: int,
    *,
    spent: int = 0,
    committed: int = 0,
    percent: float = 0.0,
    over: bool = False,
) -> dict[str, object]:
    """The figures one reconcile row should carry (percent written by hand)."""
    return {
        "original": original,
        "approved": approved,
        "difference": approved - original,
        "committed": committed,
        "spent": spent,
        "remaining": approved - spent - committed,
        "percent": percent,
        "over": over,
    }


def pct(used: int, approved: int) -> float:
    """100 × used / approved, one decimal, half up (the rule the reports promise)."""
    return float((Decimal(100 * used) / approved).quantize(Decimal("0.1"), ROUND_HALF_UP))


def figures_of(row: dict[str, object]) -> dict[str, object]:
    return {k: row[k] for k in (*AMOUNTS, "percent", "over")}


def by_code(rows: list[dict[str, object]]) -> dict[str, dict[str, object]]:
    return {str(r["code"]): r for r in rows}


def voucher(cli, line: str, amount: str, day: str, payee: str, content: str, *extra: str) -> str:  # type: ignore[no-untyped-def]
    """Post a voucher; return its number (printed on the last line)."""
    result = ok(
        cli,
        "voucher",
        "add",
        "--line",
        line,
        "--amount",
        amount,
        "--date",
        day,
        "--payee",
        payee,
        "--content",
        content,
        *extra,
    )
    return result.last_line.strip()


def assert_sums_agree(data: dict[str, object]) -> None:
    """Lines, parts and budget codes each add up to the grand total, field by field."""
    total = data["total"]
    for field in AMOUNTS:
        for level in ("lines", "parts", "codes"):
            assert sum(r[field] for r in data[level]) == total[field], (level, field)  # type: ignore[index,union-attr]


# -- the estimate, by hand ------------------------------------------------------

# Template amounts (plan date 20/05/2024; award lines read the norms on 15/07
# and 15/12/2024, both after 01/07/2024).
TEMPLATE = {
    "I.1": 1_650_000,  # 1 gói × 1.650.000
    "I.2": 1_350_000,  # 1 gói × 1.350.000
    "I.3": 85 * 12_000,  # 1.020.000
    "I.4": 85 * 1 * 40_000,  # nước uống: 85 người × 1 ngày × 40.000 = 3.400.000
    "I.5": 45 * 1 * 100_000,  # tiền ăn: 45 người × 1 ngày × 100.000 = 4.500.000
    "II.1": 2 * 1_850_000,  # 3.700.000
    "II.2": 3 * 465_000,  # 1.395.000
    "II.3": 8 * 285_000,  # 2.280.000
    "II.4": 2 * 680_000,  # 1.360.000
    "II.5": 45 * 9_500,  # 427.500
    "II.6": 3 * 2_450_000,  # 7.350.000
    "II.7": 3_290_000,
    "II.8": 2 * 845_000,  # 1.690.000
    "II.9": 1_180_000,
    "II.10": 965_000,
    "III.1": 1_250_000,
    "III.2": 60 * 9_500,  # 570.000
    "III.3": 60 * 1 * 40_000,  # 2.400.000
    "III.4": 30 * 1 * 100_000,  # 3.000.000
    "IV.1": 1_720_000,
    "IV.2": 1_350_000,
    "IV.3": 90 * 12_000,  # 1.080.000
    "IV.4": 90 * 1 * 40_000,  # 3.600.000
    "IV.5": 50 * 1 * 100_000,  # 5.000.000
    "V.1": 8 * INDIVIDUAL,  # 2.880.000
    "V.2": 2 * COLLECTIVE,  # 1.420.000
    "V.3": 12 * INDIVIDUAL,  # 4.320.000
    "V.4": 4 * COLLECTIVE,  # 2.840.000
    "V.5": 2 * INDIVIDUAL,  # hộ gia đình = mức cá nhân (NĐ 98/2023): 720.000
    "V.6": 28 * 45_000,  # 1.260.000
}

# Version 1 as approved (QĐ 52/QĐ-UBND, 31/05/2024): the template with
ORIGINAL = dict(TEMPLATE)
ORIGINAL["I.5"] = 50 * 1 * 100_000  # 5.000.000: 50 guests instead of 45
ORIGINAL["II.3"] = 10 * 285_000  # 2.850.000: 10 banners instead of 8
ORIGINAL["II.11"] = 12 * 2 * 100_000  # added: 12 người × 2 ngày × an_hoi_nghi_xa = 2.400.000

# Version 2, the mid-year adjustment (QĐ 98/QĐ-UBND, 15/08/2024):
ADJUSTED = dict(ORIGINAL)
ADJUSTED["II.7"] = 3_450_000  # the water dispenser at its real price
ADJUSTED["V.3"] = 10 * INDIVIDUAL  # 3.600.000: 10 individuals at tổng kết instead of 12

PART_ORIGINAL = {
    "I": 1_650_000 + 1_350_000 + 1_020_000 + 3_400_000 + 5_000_000,  # 12.420.000
    "II": 3_700_000
    + 1_395_000
    + 2_850_000
    + 1_360_000
    + 427_500
    + 7_350_000
    + 3_290_000
    + 1_690_000
    + 1_180_000
    + 965_000
    + 2_400_000,  # 26.607.500
    "III": 1_250_000 + 570_000 + 2_400_000 + 3_000_000,  # 7.220.000
    "IV": 1_720_000 + 1_350_000 + 1_080_000 + 3_600_000 + 5_000_000,  # 12.750.000
    "V": 2_880_000 + 1_420_000 + 4_320_000 + 2_840_000 + 720_000 + 1_260_000,  # 13.440.000
}
PART_ADJUSTED = {
    "I": 12_420_000,
    "II": 26_607_500 + 160_000,  # II.7 raised 3.290.000 -> 3.450.000
    "III": 7_220_000,
    "IV": 12_750_000,
    "V": 13_440_000 - 720_000,  # V.3 lowered by 2 × 360.000
}
TOTAL_ORIGINAL = 12_420_000 + 26_607_500 + 7_220_000 + 12_750_000 + 13_440_000  # 72.437.500
TOTAL_ADJUSTED = 72_437_500 + 160_000 - 720_000  # 71.877.500


# -- the story ------------------------------------------------------------------


def test_a_year_in_the_tool(cli):  # type: ignore[no-untyped-def]
    # Sanity of the hand figures themselves.
    assert sum(PART_ORIGINAL.values()) == TOTAL_ORIGINAL == sum(ORIGINAL.values())
    assert sum(PART_ADJUSTED.values()) == TOTAL_ADJUSTED == sum(ADJUSTED.values())
    assert PART_ORIGINAL["I"] == 11_920_000 + 500_000  # template part I, then I.5 raised

    # 0. The commune, on a fresh database.
    ok(
        cli,
        "org",
        "set",
        "--commune-name",
        "Phú Lý",
        "--province",
        "Hà Nam",
        "--chairman",
        "Nguyễn Hữu Bình",
        "--accountant",
        "Trần Thị Mai",
        "--preparer",
        "Trần Thị Mai",
    )

    # 1. The campaign from the template.
    created = ok(
        cli,
        "plan",
        "new",
        "--template",
        "chinh-quyen-than-thien",
        "--year",
        "2024",
        "--number",
        "45/KH-UBND",
        "--date",
        "2024-05-20",
    )
    assert created.last_line == CAMPAIGN
    draft = as_json(cli, "plan", "show", "--format", "json")
    assert draft["status"] == "draft"
    assert {ln["code"]: ln["amount"] for ln in draft["lines"]} == TEMPLATE
    # 11.920.000 + 23.637.500 + 7.220.000 + 12.750.000 + 13.440.000
    assert draft["total"] == sum(TEMPLATE.values()) == 68_967_500

    # 2. Fill quantities, add a line from a norm; submit; approve.
    ok(cli, "plan", "line", "set", "I.5", "--quantity", "50", "--reason", "Thêm khách mời các ấp")
    ok(cli, "plan", "line", "set", "II.3", "--quantity", "10")
    added = ok(
        cli,
        "plan",
        "line",
        "add",
        "--part",
        "II",
        "--content",
        "Hỗ trợ tiền ăn tổ khảo sát mức độ hài lòng của người dân (không hưởng lương)",
        "--unit",
        "người",
        "--quantity",
        "12",
        "--multiplier",
        "2",
        "--multiplier-unit",
        "ngày",
        "--norm",
        "an_hoi_nghi_xa",
        "--mlnsnn",
        "6658",
    )
    assert added.last_line == "II.11"
    ok(cli, "plan", "submit")
    ok(cli, "plan", "approve", "--decision", "52/QĐ-UBND", "--date", "2024-05-31")
    v1 = as_json(cli, "plan", "show", "--format", "json")
    assert (v1["version"], v1["status"], v1["total"]) == (1, "approved", TOTAL_ORIGINAL)

    # 3. June: the launch conference and the model.
    pc_decor = voucher(
        cli,
        "I.1",
        "1.650.000",
        "2024-06-05",
        "Cơ sở quảng cáo Hoàng Long",
        "Trang trí khánh tiết hội nghị phát động phong trào thi đua",
    )
    voucher(
        cli,
        "I.4",
        "3.200.000",  # 80 người × 40.000
        "2024-06-05",
        "Ông Lê Văn Tám - Văn phòng UBND xã",
        "Nước uống giải khát 80 đại biểu hội nghị phát động",
    )
    pc_meals = voucher(
        cli,
        "I.5",
        "4.800.000",  # 48 người × 100.000
        "2024-06-05",
        "Ông Lê Văn Tám - Văn phòng UBND xã",
        "Hỗ trợ tiền ăn 48 đại biểu không hưởng lương dự hội nghị phát động phong trào thi đua",
    )
    voucher(
        cli,
        "I.2",
        "1.350.000",
        "2024-06-05",
        "Công ty TNHH Âm thanh Ánh Dương",
        "Thuê âm thanh, ánh sáng hội nghị phát động",
        "--type",
        "rut_du_toan",
    )
    voucher(
        cli,
        "II.5",
        "427.500",  # 45 bản × 9.500
        "2024-06-05",
        "Tiệm photo Minh Châu",
        "In, ép plastic 45 bản cam kết “4 xin, 4 luôn, 5 không”",
    )
    advance_pano = voucher(
        cli,
        "II.1",
        "3.700.000",
        "2024-06-10",
        "Ông Trần Văn Nam - công chức Văn hóa - Xã hội",
        "Tạm ứng làm 02 pano tuyên truyền mô hình Chính quyền thân thiện",
        "--type",
        "tam_ung",
    )
    pc_boxes = voucher(
        cli,
        "II.4",
        "1.360.000",
        "2024-06-18",
        "Cửa hàng văn phòng phẩm Hồng Hà",
        "Mua 02 hộp thư góp ý mica",
    )
    voucher(
        cli,
        "II.6",
        "7.350.000",  # 3 bộ × 2.450.000
        "2024-06-20",
        "Công ty TNHH Nội thất Hòa Bình",
        "Mua 03 bộ ghế chờ băng 4 chỗ cho Bộ phận tiếp nhận và trả kết quả",
        "--type",
        "uy_nhiem_chi",
    )
    reversed_ = ok(
        cli,
        "voucher",
        "reverse",
        pc_boxes,
        "--reason",
        "Nhà cung cấp không giao hàng",
        "--date",
        "2024-06-25",
    )
    assert f"{pc_boxes}-H" in reversed_.out
    settled = ok(
        cli, "voucher", "settle", advance_pano, "--amount", "3.500.000", "--date", "2024-06-28"
    )
    assert "hoàn lại 200.000" in settled.out  # 3.700.000 advanced - 3.500.000 invoiced

    # 4. July: an overspend is refused without a reason, then accepted with one.
    vouchers_before = as_json(cli, "voucher", "list", "--format", "json")
    audit_before = as_json(cli, "audit", "list", "--limit", "1000", "--format", "json")
    overspend = (
        "II.7",
        "3.450.000",
        "2024-07-03",
        "Điện máy Xanh chi nhánh Phủ Lý",
        "Mua cây nước nóng lạnh cho khu vực chờ",
    )
    refused = cli(
        "voucher",
        "add",
        "--line",
        overspend[0],
        "--amount",
        overspend[1],
        "--date",
        overspend[2],
        "--payee",
        overspend[3],
        "--content",
        overspend[4],
    )
    assert refused.code == 2
    assert refused.err.startswith("Lỗi: ") and len(refused.err.strip().splitlines()) == 1
    assert "II.7" in refused.err and "--override-reason" in refused.err
    assert as_json(cli, "voucher", "list", "--format", "json") == vouchers_before
    assert as_json(cli, "audit", "list", "--limit", "1000", "--format", "json") == audit_before
    pc_water = voucher(
        cli,
        *overspend,
        "--override-reason",
        "Giá thị trường tăng, đã lấy báo giá của 03 đơn vị",
    )

    advance_docs = voucher(
        cli,
        "III.2",
        "570.000",
        "2024-07-08",
        "Bà Phạm Thị Hoa - Văn phòng - Thống kê",
        "Tạm ứng in tài liệu hội nghị sơ kết",
        "--type",
        "tam_ung",
    )
    pc_so_ket = voucher(
        cli,
        "III.1",
        "1.250.000",
        "2024-07-12",
        "Cơ sở quảng cáo Hoàng Long",
        "Trang trí khánh tiết hội nghị sơ kết phong trào thi đua",
    )
    voucher(
        cli,
        "III.3",
        "2.400.000",  # 60 người × 40.000
        "2024-07-12",
        "Ông Lê Văn Tám - Văn phòng UBND xã",
        "Nước uống giải khát hội nghị sơ kết",
        "--type",
        "rut_du_toan",
    )
    voucher(
        cli,
        "III.4",
        "2.800.000",  # 28 người × 100.000
        "2024-07-12",
        "Ông Lê Văn Tám - Văn phòng UBND xã",
        "Hỗ trợ tiền ăn 28 đại biểu không hưởng lương dự hội nghị sơ kết",
    )

    # Sơ kết awards: three individuals and one collective, decided 15/07/2024.
    ok(
        cli,
        "award",
        "new",
        "--number",
        "125/QĐ-UBND",
        "--date",
        "2024-07-15",
        "--title",
        "Khen thưởng sơ kết 6 tháng",
        # the sơ kết lines, chosen explicitly (issue 16.4: never guessed from room)
        "--line",
        "V.1",
        "--line",
        "V.2",
    )
    for name, title in [
        ("Nguyễn Văn An", "Công chức Tư pháp - Hộ tịch"),
        ("Lê Thị Bích", "Công chức Văn phòng - Thống kê"),
        ("Phạm Văn Cường", "Trưởng ấp Đông"),
    ]:
        ok(
            cli,
            "award",
            "add",
            "125/QĐ-UBND",
            "--name",
            name,
            "--title",
            title,
            "--form",
            "giay_khen_ca_nhan",
        )
    ok(
        cli,
        "award",
        "add",
        "125/QĐ-UBND",
        "--name",
        "Bộ phận tiếp nhận và trả kết quả",
        "--form",
        "giay_khen_tap_the",
    )
    decision = as_json(cli, "award", "show", "125/QĐ-UBND", "--format", "json")
    assert [r["amount"] for r in decision["recipients"]] == [360_000, 360_000, 360_000, 710_000]
    assert {r["base_salary"] for r in decision["recipients"]} == {2_340_000}
    assert [r["line"] for r in decision["recipients"]] == ["V.1", "V.1", "V.1", "V.2"]
    assert decision["rounding"] == "up"
    assert decision["total"] == 3 * 360_000 + 710_000  # 1.790.000
    paid = ok(cli, "award", "pay", "125/QĐ-UBND", "--date", "2024-07-16")
    assert "1.790.000" in paid.last_line

    # 5. August: the mid-year adjustment.
    ok(cli, "plan", "adjust", "--reason", "Điều chỉnh theo giá thực tế, giảm khen thưởng tổng kết")
    ok(cli, "plan", "line", "set", "II.7", "--unit-price", "3.450.000")
    ok(cli, "plan", "line", "set", "V.3", "--quantity", "10")
    ok(cli, "plan", "submit")
    ok(cli, "plan", "approve", "--decision", "98/QĐ-UBND", "--date", "2024-08-15")
    v2 = as_json(cli, "plan", "show", "--format", "json")
    assert (v2["version"], v2["status"], v2["total"]) == (2, "approved", TOTAL_ADJUSTED)

    # September: the rest of the model.
    voucher(
        cli,
        "II.8",
        "1.690.000",  # 2 cái × 845.000
        "2024-09-10",
        "Điện máy Xanh chi nhánh Phủ Lý",
        "Mua 02 quạt treo tường khu vực chờ",
        "--type",
        "uy_nhiem_chi",
    )
    pc_banners = voucher(
        cli,
        "II.3",
        "2.850.000",  # 10 cái × 285.000
        "2024-09-12",
        "Cơ sở quảng cáo Hoàng Long",
        "Làm 10 băng rôn tuyên truyền phong trào thi đua",
    )

    # 6. Year end: the reconciliation against the hand figures.
    rec = as_json(cli, "report", "reconcile", "--format", "json")
    assert {"campaign", "as_of", "lines", "parts", "codes", "total"} <= set(rec)
    assert rec["campaign"] == CAMPAIGN
    assert rec["as_of"] is None

    expected_lines = {
        "I.1": fig(1_650_000, 1_650_000, spent=1_650_000, percent=100.0),
        "I.2": fig(1_350_000, 1_350_000, spent=1_350_000, percent=100.0),
        "I.3": fig(85 * 12_000, 85 * 12_000),
        # 80 × 40.000 of 3.400.000: 94,117... %
        "I.4": fig(3_400_000, 3_400_000, spent=80 * 40_000, percent=94.1),
        # 48 × 100.000 of 50 × 100.000
        "I.5": fig(50 * 100_000, 50 * 100_000, spent=48 * 100_000, percent=96.0),
        # advance 3.700.000 settled for 3.500.000: 94,59... %
        "II.1": fig(3_700_000, 3_700_000, spent=3_500_000, percent=94.6),
        "II.2": fig(1_395_000, 1_395_000),
        "II.3": fig(10 * 285_000, 10 * 285_000, spent=10 * 285_000, percent=100.0),
        "II.4": fig(1_360_000, 1_360_000, spent=1_360_000 - 1_360_000),  # reversed
        "II.5": fig(427_500, 427_500, spent=427_500, percent=100.0),
        "II.6": fig(7_350_000, 7_350_000, spent=7_350_000, percent=100.0),
        # overspent by 160.000, then covered by the adjustment
        "II.7": fig(3_290_000, 3_450_000, spent=3_450_000, percent=100.0),
        "II.8": fig(1_690_000, 1_690_000, spent=1_690_000, percent=100.0),
        "II.9": fig(1_180_000, 1_180_000),
        "II.10": fig(965_000, 965_000),
        "II.11": fig(12 * 2 * 100_000, 12 * 2 * 100_000),
        "III.1": fig(1_250_000, 1_250_000, spent=1_250_000, percent=100.0),
        "III.2": fig(570_000, 570_000, committed=570_000, percent=100.0),  # open advance
        "III.3": fig(2_400_000, 2_400_000, spent=2_400_000, percent=100.0),
        # 28 × 100.000 of 30 × 100.000: 93,33... %
        "III.4": fig(3_000_000, 3_000_000, spent=2_800_000, percent=93.3),
        "IV.1": fig(1_720_000, 1_720_000),
        "IV.2": fig(1_350_000, 1_350_000),
        "IV.3": fig(1_080_000, 1_080_000),
        "IV.4": fig(3_600_000, 3_600_000),
        "IV.5": fig(5_000_000, 5_000_000),
        # 3 individuals × 360.000 of 8 × 360.000
        "V.1": fig(8 * 360_000, 8 * 360_000, spent=3 * 360_000, percent=37.5),
        # 1 collective × 710.000 of 2 × 710.000
        "V.2": fig(2 * 710_000, 2 * 710_000, spent=710_000, percent=50.0),
        "V.3": fig(12 * 360_000, 10 * 360_000),  # lowered by the adjustment
        "V.4": fig(4 * 710_000, 4 * 710_000),
        "V.5": fig(2 * 360_000, 2 * 360_000),
        "V.6": fig(28 * 45_000, 28 * 45_000),
    }
    lines = by_code(rec["lines"])
    assert list(lines) == list(expected_lines)  # estimate order, nothing extra
    for code, want in expected_lines.items():
        assert figures_of(lines[code]) == want, code
    assert lines["II.11"]["part"] == "II" and lines["II.11"]["mlnsnn"] == "6658"

    # Parts.
    spent_i = 1_650_000 + 1_350_000 + 3_200_000 + 4_800_000  # 11.000.000
    spent_ii = 3_500_000 + 2_850_000 + 427_500 + 7_350_000 + 3_450_000 + 1_690_000  # 19.267.500
    spent_iii = 1_250_000 + 2_400_000 + 2_800_000  # 6.450.000 (+ 570.000 advanced)
    spent_v = 3 * 360_000 + 710_000  # 1.790.000
    expected_parts = {
        "I": fig(12_420_000, 12_420_000, spent=spent_i, percent=88.6),  # 11,0 of 12,42 million
        "II": fig(26_607_500, 26_767_500, spent=spent_ii, percent=72.0),  # 71,98... %
        "III": fig(7_220_000, 7_220_000, spent=spent_iii, committed=570_000, percent=97.2),
        "IV": fig(12_750_000, 12_750_000),
        "V": fig(13_440_000, 12_720_000, spent=spent_v, percent=14.1),  # 14,07... %
    }
    for code, want in expected_parts.items():
        assert PART_ORIGINAL[code] == want["original"] and PART_ADJUSTED[code] == want["approved"]
    parts = by_code(rec["parts"])
    assert list(parts) == list(expected_parts)
    for code, want in expected_parts.items():
        assert figures_of(parts[code]) == want, code

    # Grand total: 38.507.500 spent + 570.000 advanced of 71.877.500: 54,37 %.
    spent_total = spent_i + spent_ii + spent_iii + spent_v
    assert spent_total == 38_507_500
    assert figures_of(rec["total"]) == fig(
        TOTAL_ORIGINAL, TOTAL_ADJUSTED, spent=38_507_500, committed=570_000, percent=54.4
    )
    assert rec["total"]["remaining"] == 71_877_500 - 38_507_500 - 570_000  # 32.800.000

    # Two budget codes by hand: 6202 (individual and collective awards) and
    # 6658 (meal support, including the added line).
    codes = by_code(rec["codes"])
    assert figures_of(codes["6202"]) == fig(
        2_880_000 + 1_420_000 + 4_320_000 + 2_840_000,  # 11.460.000
        2_880_000 + 1_420_000 + 3_600_000 + 2_840_000,  # 10.740.000
        spent=1_080_000 + 710_000,
        percent=pct(1_790_000, 10_740_000),
    )
    assert figures_of(codes["6658"]) == fig(
        5_000_000 + 2_400_000 + 3_000_000 + 5_000_000,  # I.5, II.11, III.4, IV.5
        5_000_000 + 2_400_000 + 3_000_000 + 5_000_000,
        spent=4_800_000 + 2_800_000,
        percent=pct(7_600_000, 15_400_000),
    )
    assert_sums_agree(rec)

    # 7. As of 01/08/2024 (before the adjustment): version 1, June and July only.
    before = as_json(cli, "report", "reconcile", "--as-of", "2024-08-01", "--format", "json")
    assert before["as_of"] == "2024-08-01"
    old = by_code(before["lines"])
    # II.7 overspent: 3.450.000 against 3.290.000, 104,86... %
    assert figures_of(old["II.7"]) == fig(
        3_290_000, 3_290_000, spent=3_450_000, percent=104.9, over=True
    )
    assert old["II.7"]["remaining"] == 3_290_000 - 3_450_000  # -160.000
    assert figures_of(old["V.3"]) == fig(12 * 360_000, 12 * 360_000)
    assert figures_of(old["II.3"]) == fig(2_850_000, 2_850_000)  # banners paid in September
    assert figures_of(old["II.8"]) == fig(1_690_000, 1_690_000)
    assert figures_of(old["III.2"]) == fig(570_000, 570_000, committed=570_000, percent=100.0)
    spent_ii_july = spent_ii - 2_850_000 - 1_690_000  # 14.727.500
    assert figures_of(by_code(before["parts"])["II"]) == fig(
        26_607_500, 26_607_500, spent=spent_ii_july, percent=pct(spent_ii_july, 26_607_500)
    )
    assert figures_of(by_code(before["parts"])["V"]) == fig(
        13_440_000, 13_440_000, spent=1_790_000, percent=pct(1_790_000, 13_440_000)
    )
    spent_july = 38_507_500 - 1_690_000 - 2_850_000  # 33.967.500
    assert figures_of(before["total"]) == fig(
        TOTAL_ORIGINAL,
        TOTAL_ORIGINAL,
        spent=spent_july,
        committed=570_000,
        percent=pct(spent_july + 570_000, TOTAL_ORIGINAL),
    )
    assert before["total"]["remaining"] == 72_437_500 - 33_967_500 - 570_000  # 37.900.000
    assert_sums_agree(before)

    # As of 20/06/2024: the pano advance is still open, the box purchase not yet reversed.
    june_rec = as_json(cli, "report", "reconcile", "--as-of", "20/06/2024", "--format", "json")
    june = by_code(june_rec["lines"])
    assert figures_of(june["II.1"]) == fig(3_700_000, 3_700_000, committed=3_700_000, percent=100.0)
    assert figures_of(june["II.4"]) == fig(1_360_000, 1_360_000, spent=1_360_000, percent=100.0)
    assert figures_of(june["II.7"]) == fig(3_290_000, 3_290_000)

    # 8. The chairman's summary.
    summary = as_json(cli, "report", "summary", "--format", "json")
    assert [(a["number"], a["line"], a["amount"]) for a in summary["open_advances"]] == [
        (advance_docs, "III.2", 570_000)
    ]
    assert summary["overridden_lines"] == ["II.7"]
    near = [r["code"] for r in summary["near_limit"]]
    assert near == [
        "I.1",
        "I.2",
        "I.4",  # 94,1 %
        "I.5",  # 96,0 %
        "II.1",  # 94,6 %
        "II.3",
        "II.5",
        "II.6",
        "II.7",
        "II.8",
        "III.1",
        "III.2",
        "III.3",
        "III.4",  # 93,3 %
    ]
    months = {m["month"]: m["spent"] for m in summary["by_month"]}
    assert months == {
        1: 0,
        2: 0,
        3: 0,
        4: 0,
        5: 0,
        # I.1 + I.4 + I.5 + I.2 + II.5 + II.4 - II.4 reversed + II.6 + II.1 settled
        6: (
            1_650_000
            + 3_200_000
            + 4_800_000
            + 1_350_000
            + 427_500
            + 1_360_000
            - 1_360_000
            + 7_350_000
            + 3_500_000
        ),
        # II.7 + III.1 + III.3 + III.4 + awards V.1 + V.2 (the III.2 advance is not spent)
        7: 3_450_000 + 1_250_000 + 2_400_000 + 2_800_000 + 1_080_000 + 710_000,
        8: 0,
        9: 1_690_000 + 2_850_000,  # II.8 + II.3
        10: 0,
        11: 0,
        12: 0,
    }
    assert sum(months.values()) == 38_507_500
    assert summary["unpaid_decisions"] == []
    assert figures_of(summary["total"]) == figures_of(rec["total"])

    # 9. The voucher register.
    listing = ok(cli, "voucher", "list", "--format", "csv").out
    rows = list(csv.reader(io.StringIO(listing)))
    assert rows[0][:8] == ["number", "type", "date", "line", "payee", "content", "amount", "status"]
    records = {r["number"]: r for r in csv.DictReader(io.StringIO(listing))}
    assert (
        records[pc_water]["override_reason"] == "Giá thị trường tăng, đã lấy báo giá của 03 đơn vị"
    )
    assert records[pc_boxes]["status"] == "reversed"
    assert records[advance_pano]["status"] == "settled"
    assert records[advance_docs]["status"] == "open"

    found = as_json(cli, "voucher", "list", "--search", "thi dua", "--format", "json")
    assert {v["number"] for v in found} == {pc_decor, pc_meals, pc_so_ket, pc_banners}
    assert all("thi đua" in v["content"] for v in found)
