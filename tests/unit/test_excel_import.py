"""Imports: an estimate edited in Excel, a plain estimate table, vouchers from
CSV/XLSX. Every refusal writes nothing (rows counted with SQLAlchemy before and
after) and prints one "Lỗi:" line naming the sheet, row and column.

The demo year (``budget demo``) is the starting point; its figures, worked out
by hand in test_excel_export.py's docstring: approved v2 estimate 71.817.500 đ,
spent 48.287.500 đ, open advance 1.500.000 đ (IV.1, approved 1.720.000: 220.000
left), 26 vouchers, the last numbers PC-0017, TU-0002, UNC-0003, RDT-0002.
Lines with room: IV.2 1.350.000, IV.4 3.600.000, IV.5 6.000.000, V.3 4.320.000,
V.4 2.840.000, V.6 1.260.000 (nothing spent on them).
"""

from __future__ import annotations

import csv
import json
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
from openpyxl import Workbook, load_workbook
from sqlalchemy import create_engine, text

from tests.conftest import CliResult

Cli = Callable[..., CliResult]

TOTAL_V2 = 71_817_500
SPENT = 48_287_500
COMMITTED = 1_500_000
VOUCHERS_IN_DEMO = 26
LINE_KEYS = (
    "code",
    "part",
    "content",
    "unit",
    "quantity",
    "multiplier",
    "unit_price",
    "amount",
    "mlnsnn",
    "note",
)
PLAIN_HEADERS = ["Phần", "Mã", "Nội dung", "ĐVT", "Số lượng", "Đơn giá", "Tiểu mục", "Ghi chú"]

# -- helpers -----------------------------------------------------------------------


def ok(cli: Cli, *args: str) -> CliResult:
    result = cli(*args)
    assert result.code == 0, (args, result.code, result.out, result.err)
    return result


def as_json(cli: Cli, *args: str) -> Any:
    return json.loads(ok(cli, *args).out)


def refused(cli: Cli, *args: str) -> str:
    """Run a command that must be refused: exit 2, exactly one "Lỗi:" line."""
    result = cli(*args)
    assert result.code == 2, (args, result.code, result.out, result.err)
    lines = result.err.strip().splitlines()
    assert len(lines) == 1, result.err
    assert lines[0].startswith("Lỗi:"), result.err
    assert "Traceback" not in result.err
    return lines[0]


def counts(db_url: str) -> dict[str, int]:
    engine = create_engine(db_url)
    try:
        with engine.connect() as conn:
            return {
                table: int(conn.execute(text(f"SELECT COUNT(*) FROM {table}")).scalar_one())
                for table in (
                    "estimate_versions",
                    "estimate_parts",
                    "estimate_lines",
                    "vouchers",
                    "audit_entries",
                )
            }
    finally:
        engine.dispose()


def query(db_url: str, sql: str, **params: Any) -> list[Any]:
    engine = create_engine(db_url)
    try:
        with engine.connect() as conn:
            return list(conn.execute(text(sql), params))
    finally:
        engine.dispose()


def totals(cli: Cli) -> dict[str, Any]:
    return as_json(cli, "report", "reconcile", "--format", "json")["total"]


def export_demo_estimate(cli: Cli, tmp_path: Path) -> Path:
    ok(cli, "demo")
    out = tmp_path / "du-toan.xlsx"
    ok(cli, "export", "estimate", "--out", str(out))
    return out


def line_rows(ws: Any) -> tuple[int, dict[str, int]]:
    """(header row, line code -> row) of an exported estimate sheet."""
    header = next(r for r in range(1, ws.max_row + 1) if ws.cell(row=r, column=1).value == "STT")
    rows: dict[str, int] = {}
    part = None
    for r in range(header + 1, ws.max_row + 1):
        if ws.cell(row=r, column=2).value == "Tổng cộng":
            break
        stt = str(ws.cell(row=r, column=1).value)
        if stt.strip("IVX") == "":
            part = stt
        else:
            rows[f"{part}.{stt}"] = r
    return header, rows


def columns(ws: Any, header: int) -> dict[str, int]:
    return {
        ws.cell(row=header, column=c).value: c
        for c in range(1, ws.max_column + 1)
        if ws.cell(row=header, column=c).value
    }


def plain_workbook(path: Path, headers: list[str], rows: list[list[Any]]) -> Path:
    wb = Workbook()
    ws = wb.active
    ws.title = "Bảng"
    ws.append(headers)
    for row in rows:
        ws.append(row)
    wb.save(path)
    return path


def lines_of(view: dict[str, Any]) -> list[dict[str, Any]]:
    return [{k: line[k] for k in LINE_KEYS} for line in view["lines"]]


# -- estimate: round trip and edits -----------------------------------------------------


def test_round_trip_creates_a_draft_identical_to_the_approved_version(
    cli: Cli, tmp_path: Path
) -> None:
    path = export_demo_estimate(cli, tmp_path)
    result = ok(cli, "import", "estimate", str(path))
    assert "phiên bản 3" in result.out
    assert "71.817.500" in result.out
    v2 = as_json(cli, "plan", "show", "--version", "2", "--format", "json")
    v3 = as_json(cli, "plan", "show", "--version", "3", "--format", "json")
    assert v3["status"] == "draft"
    assert v2["status"] == "approved"
    assert v3["total"] == v2["total"] == TOTAL_V2
    assert len(v3["lines"]) == 30
    assert lines_of(v3) == lines_of(v2)
    assert [(p["code"], p["title"], p["total"]) for p in v3["parts"]] == [
        (p["code"], p["title"], p["total"]) for p in v2["parts"]
    ]
    # The approved figures did not move: the draft is not in force.
    assert totals(cli)["approved"] == TOTAL_V2


def test_edited_workbook_imports_the_new_quantities_and_prices(cli: Cli, tmp_path: Path) -> None:
    path = export_demo_estimate(cli, tmp_path)
    wb = load_workbook(path)
    ws = wb["Dự toán"]
    header, rows = line_rows(ws)
    col = columns(ws, header)
    qty, price = col["Số lượng"], col["Đơn giá"]
    ws.cell(row=rows["II.4"], column=qty).value = 5  # was 2 × 680.000
    ws.cell(row=rows["IV.2"], column=price).value = "1.900.000"  # was 1.350.000, typed as text
    ws.cell(row=rows["V.6"], column=qty).value = "30"  # was 28 × 45.000
    ws.cell(row=rows["V.6"], column=price).value = 50000
    ws.cell(row=rows["II.5"], column=qty).value = "47,5"  # was 45 × 9.500
    edited = tmp_path / "du-toan-sua.xlsx"
    wb.save(edited)

    ok(cli, "import", "estimate", str(edited))
    v3 = as_json(cli, "plan", "show", "--version", "3", "--format", "json")
    by_code = {line["code"]: line for line in v3["lines"]}
    assert by_code["II.4"]["amount"] == 5 * 680_000 == 3_400_000
    assert by_code["IV.2"]["amount"] == 1_900_000
    assert by_code["IV.2"]["unit_price"] == 1_900_000
    assert by_code["V.6"]["amount"] == 30 * 50_000 == 1_500_000
    assert by_code["II.5"]["amount"] == 451_250  # 47,5 × 9.500
    assert by_code["II.5"]["quantity"] == "47.5"
    assert by_code["I.4"]["amount"] == 85 * 40_000  # untouched
    expected = (
        TOTAL_V2
        + (3_400_000 - 1_360_000)
        + (1_900_000 - 1_350_000)
        + (1_500_000 - 1_260_000)
        + (451_250 - 427_500)
    )
    assert expected == 74_671_250
    assert v3["total"] == expected
    assert v3["status"] == "draft"


def test_plain_table_import(cli: Cli, tmp_path: Path) -> None:
    ok(cli, "demo")
    path = plain_workbook(
        tmp_path / "bang.xlsx",
        PLAIN_HEADERS,
        [
            ["I", "I.1", "Thuê hội trường", "buổi", 2, 1_500_000, "6655", "Theo hợp đồng"],
            ["I", "I.2", "Nước uống giữa giờ", "người", "50", "40.000", "6699", None],
            ["II", "II.1", "Giấy khen cá nhân", "người", 3, 360000, 6202, "NĐ 73/2024"],
        ],
    )
    result = ok(cli, "import", "estimate", str(path))
    assert "3 dòng" in result.out
    v3 = as_json(cli, "plan", "show", "--version", "3", "--format", "json")
    assert v3["status"] == "draft"
    assert [p["code"] for p in v3["parts"]] == ["I", "II"]
    got = {
        line["code"]: (
            line["part"],
            line["content"],
            line["unit"],
            line["quantity"],
            line["unit_price"],
            line["amount"],
            line["mlnsnn"],
            line["note"],
        )
        for line in v3["lines"]
    }
    assert got == {
        "I.1": ("I", "Thuê hội trường", "buổi", "2", 1_500_000, 3_000_000, "6655", "Theo hợp đồng"),
        "I.2": ("I", "Nước uống giữa giờ", "người", "50", 40_000, 2_000_000, "6699", ""),
        "II.1": ("II", "Giấy khen cá nhân", "người", "3", 360_000, 1_080_000, "6202", "NĐ 73/2024"),
    }
    assert v3["total"] == 3_000_000 + 2_000_000 + 1_080_000


# -- estimate: malformed workbooks ----------------------------------------------------

Builder = Callable[[Path, Path], tuple[Path, list[str]]]


def _edit(exported: Path, out: Path, change: Callable[[Any, dict[str, int], dict[str, int]], int]):  # type: ignore[no-untyped-def]
    """Open the exported estimate, apply ``change`` (returns the row it touched), save."""
    wb = load_workbook(exported)
    ws = wb["Dự toán"]
    header, rows = line_rows(ws)
    row = change(ws, rows, columns(ws, header))
    wb.save(out)
    return row


def case_missing_columns(tmp: Path, exported: Path) -> tuple[Path, list[str]]:
    path = plain_workbook(
        tmp / "thieu-cot.xlsx",
        ["Nội dung", "ĐVT", "Số lượng"],
        [["Thuê hội trường", "buổi", 2]],
    )
    return path, ["thieu-cot.xlsx", "Đơn giá", "Tiểu mục"]


def case_price_text(tmp: Path, exported: Path) -> tuple[Path, list[str]]:
    out = tmp / "gia-chu.xlsx"

    def change(ws, rows, col):  # type: ignore[no-untyped-def]
        ws.cell(row=rows["II.4"], column=col["Đơn giá"]).value = "abc"
        return rows["II.4"]

    row = _edit(exported, out, change)
    return out, [f"Sheet «Dự toán», dòng {row}, cột «Đơn giá»"]


def case_amount_text(tmp: Path, exported: Path) -> tuple[Path, list[str]]:
    out = tmp / "thanh-tien-chu.xlsx"

    def change(ws, rows, col):  # type: ignore[no-untyped-def]
        ws.cell(row=rows["II.4"], column=col["Thành tiền"]).value = "abc"
        return rows["II.4"]

    row = _edit(exported, out, change)
    return out, [f"Sheet «Dự toán», dòng {row}, cột «Thành tiền»"]


def case_quantity_formula(tmp: Path, exported: Path) -> tuple[Path, list[str]]:
    out = tmp / "cong-thuc.xlsx"

    def change(ws, rows, col):  # type: ignore[no-untyped-def]
        ws.cell(row=rows["III.2"], column=col["Số lượng"]).value = "=20*3"
        return rows["III.2"]

    row = _edit(exported, out, change)
    return out, [f"Sheet «Dự toán», dòng {row}, cột «Số lượng»", "công thức"]


def case_merged_cell(tmp: Path, exported: Path) -> tuple[Path, list[str]]:
    out = tmp / "gop-o.xlsx"

    def change(ws, rows, col):  # type: ignore[no-untyped-def]
        r = rows["II.7"]
        ws.merge_cells(start_row=r, start_column=2, end_row=r, end_column=3)
        return r

    row = _edit(exported, out, change)
    return out, [f"Sheet «Dự toán», dòng {row}", "gộp"]


def case_empty_file(tmp: Path, exported: Path) -> tuple[Path, list[str]]:
    path = tmp / "rong.xlsx"
    path.write_bytes(b"")
    return path, ["rong.xlsx", "trống"]


def case_text_file(tmp: Path, exported: Path) -> tuple[Path, list[str]]:
    path = tmp / "van-ban.xlsx"
    path.write_text("STT,Nội dung,Số lượng,Đơn giá,Tiểu mục\n1,Thuê hội trường,2,100000,6655\n")
    return path, ["van-ban.xlsx", "không phải sổ Excel"]


def case_unknown_budget_code(tmp: Path, exported: Path) -> tuple[Path, list[str]]:
    out = tmp / "tieu-muc.xlsx"

    def change(ws, rows, col):  # type: ignore[no-untyped-def]
        ws.cell(row=rows["IV.3"], column=col["Tiểu mục"]).value = "9999"
        return rows["IV.3"]

    row = _edit(exported, out, change)
    return out, [f"Sheet «Dự toán», dòng {row}, cột «Tiểu mục»", "9999"]


def case_duplicate_stt(tmp: Path, exported: Path) -> tuple[Path, list[str]]:
    out = tmp / "trung-stt.xlsx"

    def change(ws, rows, col):  # type: ignore[no-untyped-def]
        ws.cell(row=rows["II.2"], column=col["STT"]).value = "1"  # II.2 becomes a second II.1
        return rows["II.2"]

    row = _edit(exported, out, change)
    return out, [f"Sheet «Dự toán», dòng {row}, cột «STT»", "II.1", "lặp lại"]


def case_duplicate_code(tmp: Path, exported: Path) -> tuple[Path, list[str]]:
    path = plain_workbook(
        tmp / "trung-ma.xlsx",
        PLAIN_HEADERS,
        [
            ["I", "I.1", "Thuê hội trường", "buổi", 2, 1_500_000, "6655", ""],
            ["I", "I.2", "Nước uống", "người", 50, 40_000, "6699", ""],
            ["I", "I.1", "Trang trí", "gói", 1, 1_000_000, "6657", ""],
        ],
    )
    # The code came from the «Mã» column; the sheet has no «STT» column to point at.
    return path, ["Sheet «Bảng», dòng 4, cột «Mã»", "I.1", "lặp lại"]


def case_line_before_any_part(tmp: Path, exported: Path) -> tuple[Path, list[str]]:
    path = plain_workbook(
        tmp / "chua-co-phan.xlsx",
        ["STT", "Nội dung", "ĐVT", "Số lượng", "Đơn giá", "Tiểu mục"],
        [
            ["1", "Thuê hội trường", "buổi", 2, 1_500_000, "6655"],
            ["2", "Nước uống", "người", 50, 40_000, "6699"],
        ],
    )
    return path, ["Sheet «Bảng», dòng 2", "phần"]


MALFORMED: dict[str, Builder] = {
    "missing-columns": case_missing_columns,
    "price-text": case_price_text,
    "amount-text": case_amount_text,
    "quantity-formula": case_quantity_formula,
    "merged-cell": case_merged_cell,
    "empty-file": case_empty_file,
    "text-file": case_text_file,
    "unknown-budget-code": case_unknown_budget_code,
    "duplicate-stt": case_duplicate_stt,
    "duplicate-code": case_duplicate_code,
    "line-before-any-part": case_line_before_any_part,
}


@pytest.mark.parametrize("case", list(MALFORMED))
def test_malformed_workbook_is_refused_and_nothing_is_written(
    cli: Cli, db_url: str, tmp_path: Path, case: str
) -> None:
    exported = export_demo_estimate(cli, tmp_path)
    path, expected = MALFORMED[case](tmp_path, exported)
    before = counts(db_url)
    message = refused(cli, "import", "estimate", str(path))
    for fragment in expected:
        assert fragment in message, (fragment, message)
    assert counts(db_url) == before
    # Still no version 3; the approved version is the one in force.
    missing = cli("plan", "show", "--version", "3", "--format", "json")
    assert missing.code == 2
    assert as_json(cli, "plan", "show", "--format", "json")["version"] == 2


# -- vouchers ---------------------------------------------------------------------------


def write_csv(path: Path, rows: list[list[Any]], delimiter: str = ",") -> Path:
    with path.open("w", encoding="utf-8", newline="") as fh:
        csv.writer(fh, delimiter=delimiter).writerows(rows)
    return path


def numbers(db_url: str) -> set[str]:
    return {row[0] for row in query(db_url, "SELECT number FROM vouchers")}


def test_vouchers_from_csv_with_english_headers(cli: Cli, db_url: str, tmp_path: Path) -> None:
    ok(cli, "demo")
    path = write_csv(
        tmp_path / "vouchers.csv",
        [
            ["number", "type", "date", "line", "payee", "content", "amount"],
            ["", "phieu_chi", "15/12/2024", "IV.4", "Căn tin UBND xã", "Nước uống tổng kết", "1.200.000"],
            ["", "tam_ung", "16/12/2024", "IV.5", "Lê Minh Tuấn", "Tạm ứng tiền ăn, đại biểu", "2000000"],
            ["UNC-0010", "uy_nhiem_chi", "2024-12-17", "V.6", "Cơ sở in Tân Tiến", "In phôi giấy khen", "1 260 000"],
            ["", "phieu_chi", "18/12/2024", "IV.2", "Âm thanh Thành Đạt", "Thuê âm thanh", "1350000"],
        ],
    )  # fmt: skip
    before = numbers(db_url)
    result = ok(cli, "import", "vouchers", str(path))
    assert "4 chứng từ" in result.out and "5.810.000" in result.out
    added = numbers(db_url) - before
    # Auto numbering continues the demo's series (PC-0017, TU-0002).
    assert added == {"PC-0018", "TU-0003", "UNC-0010", "PC-0019"}
    got = totals(cli)
    assert got["spent"] == SPENT + 1_200_000 + 1_260_000 + 1_350_000
    assert got["committed"] == COMMITTED + 2_000_000
    listed = {v["number"]: v for v in as_json(cli, "voucher", "list", "--format", "json")}
    assert listed["TU-0003"]["type"] == "tam_ung"
    assert listed["TU-0003"]["content"] == "Tạm ứng tiền ăn, đại biểu"
    assert listed["UNC-0010"]["date"] == "2024-12-17"
    assert listed["UNC-0010"]["mlnsnn"] == "6599"

    # A second file keeps counting.
    again = write_csv(
        tmp_path / "more.csv",
        [
            ["number", "type", "date", "line", "payee", "content", "amount"],
            ["", "phieu_chi", "19/12/2024", "IV.4", "Căn tin UBND xã", "Nước uống", "100.000"],
            ["", "uy_nhiem_chi", "19/12/2024", "IV.4", "Căn tin UBND xã", "Nước uống", "100.000"],
        ],
    )
    ok(cli, "import", "vouchers", str(again))
    assert numbers(db_url) - before - added == {"PC-0020", "UNC-0011"}


def test_vouchers_from_csv_with_vietnamese_headers_and_type_names(
    cli: Cli, db_url: str, tmp_path: Path
) -> None:
    ok(cli, "demo")
    path = write_csv(
        tmp_path / "chung-tu.csv",
        [
            ["Số", "Loại", "Ngày", "Dòng", "Người nhận", "Nội dung", "Số tiền"],
            ["", "Phiếu chi", "10/12/2024", "IV.4", "Căn tin UBND xã", "Nước uống", "900.000"],
            ["", "Tạm ứng", "11/12/2024", "V.3", "Văn phòng UBND xã", "Tạm ứng tiền thưởng", "1.080.000"],
            ["", "phiếu chi", "12/12/2024", "V.6", "Tiệm photocopy Hồng Nhung", "In phôi", "540.000"],
        ],
        delimiter=";",
    )  # fmt: skip
    before = numbers(db_url)
    ok(cli, "import", "vouchers", str(path))
    assert numbers(db_url) - before == {"PC-0018", "TU-0003", "PC-0019"}
    listed = {v["number"]: v for v in as_json(cli, "voucher", "list", "--format", "json")}
    assert listed["PC-0018"]["type"] == "phieu_chi"
    assert listed["TU-0003"]["type"] == "tam_ung"
    assert listed["TU-0003"]["kind"] == "advance"
    got = totals(cli)
    assert got["spent"] == SPENT + 900_000 + 540_000
    assert got["committed"] == COMMITTED + 1_080_000


def test_vouchers_from_xlsx(cli: Cli, db_url: str, tmp_path: Path) -> None:
    ok(cli, "demo")
    wb = Workbook()
    ws = wb.active
    ws.title = "Chứng từ"
    ws.append(["SỔ CHỨNG TỪ THÁNG 12/2024"])  # a title row above the header
    ws.append([])
    ws.append(["Số", "Loại", "Ngày", "Dòng", "Người nhận", "Nội dung", "Số tiền"])
    ws.append(
        [None, "Phiếu chi", datetime(2024, 12, 20), "IV.4", "Căn tin", "Nước uống", 1_500_000]
    )
    ws.append(
        ["RDT-0005", "rut_du_toan", "21/12/2024", "V.4", "Kho bạc", "Rút dự toán", "1.420.000"]
    )
    ws.append([None, "Tạm ứng", datetime(2024, 12, 22), "IV.2", "Lê Minh Tuấn", "Tạm ứng", 700000])
    path = tmp_path / "chung-tu.xlsx"
    wb.save(path)
    before = numbers(db_url)
    result = ok(cli, "import", "vouchers", str(path))
    assert "3 chứng từ" in result.out
    assert numbers(db_url) - before == {"PC-0018", "RDT-0005", "TU-0003"}
    got = totals(cli)
    assert got["spent"] == SPENT + 1_500_000 + 1_420_000
    assert got["committed"] == COMMITTED + 700_000
    listed = {v["number"]: v for v in as_json(cli, "voucher", "list", "--format", "json")}
    assert listed["PC-0018"]["date"] == "2024-12-20"


HEADER = ["number", "type", "date", "line", "payee", "content", "amount"]
GOOD_ROWS = [
    ["", "phieu_chi", "15/12/2024", "IV.4", "Căn tin UBND xã", "Nước uống", "100.000"],
    ["PC-0100", "phieu_chi", "16/12/2024", "IV.5", "Ban tổ chức", "Tiền ăn đại biểu", "200.000"],
]
BAD_THIRD_ROW = {
    "unknown-line": (
        ["", "phieu_chi", "17/12/2024", "IX.9", "Căn tin", "Nước uống", "100.000"],
        "cột «Dòng»",
    ),
    "bad-date": (
        ["", "phieu_chi", "31/02/2024", "IV.4", "Căn tin", "Nước uống", "100.000"],
        "cột «Ngày»",
    ),
    "duplicate-number": (
        ["PC-0100", "phieu_chi", "17/12/2024", "IV.4", "Căn tin", "Nước uống", "100.000"],
        "cột «Số»",
    ),
    "overspend": (
        # IV.1: 1.720.000 approved, 1.500.000 advanced -> 220.000 left
        ["", "phieu_chi", "17/12/2024", "IV.1", "Cơ sở quảng cáo", "Trang trí", "300.000"],
        "cột «Số tiền»",
    ),
    "text-amount": (
        ["", "phieu_chi", "17/12/2024", "IV.4", "Căn tin", "Nước uống", "abc"],
        "cột «Số tiền»",
    ),
}


@pytest.mark.parametrize("case", list(BAD_THIRD_ROW))
def test_voucher_file_with_a_bad_third_row_writes_nothing(
    cli: Cli, db_url: str, tmp_path: Path, case: str
) -> None:
    ok(cli, "demo")
    bad, column = BAD_THIRD_ROW[case]
    path = write_csv(tmp_path / "vouchers.csv", [HEADER, *GOOD_ROWS, bad])
    before = counts(db_url)
    message = refused(cli, "import", "vouchers", str(path))
    assert f"vouchers.csv, dòng 4, {column}" in message, message  # header is row 1
    assert counts(db_url) == before
    assert counts(db_url)["vouchers"] == VOUCHERS_IN_DEMO
    got = totals(cli)
    assert (got["spent"], got["committed"]) == (SPENT, COMMITTED)


def test_overspending_voucher_file_is_accepted_with_a_logged_reason(
    cli: Cli, db_url: str, tmp_path: Path
) -> None:
    ok(cli, "demo")
    bad, _ = BAD_THIRD_ROW["overspend"]
    path = write_csv(tmp_path / "vouchers.csv", [HEADER, *GOOD_ROWS, bad])
    reason = "Giá trang trí tăng theo báo giá mới"
    result = ok(cli, "import", "vouchers", str(path), "--override-reason", reason)
    assert "IV.1" in result.out
    assert counts(db_url)["vouchers"] == VOUCHERS_IN_DEMO + 3
    audits = query(
        db_url,
        "SELECT entity_id, reason FROM audit_entries WHERE action = 'override' "
        "AND entity_id = 'IV.1'",
    )
    assert [(a[0], a[1]) for a in audits] == [("IV.1", reason)]
    overridden = query(
        db_url,
        "SELECT number, override_reason FROM vouchers WHERE override_reason IS NOT NULL "
        "AND line_code = 'IV.1'",
    )
    assert [r[1] for r in overridden] == [reason]
    # Only the overspending row carries the reason; the rows with room do not.
    plain = query(db_url, "SELECT override_reason FROM vouchers WHERE number = 'PC-0100'")
    assert plain[0][0] in (None, "")
    rec = as_json(cli, "report", "reconcile", "--format", "json")
    iv1 = next(line for line in rec["lines"] if line["code"] == "IV.1")
    assert (iv1["spent"], iv1["committed"], iv1["over"]) == (300_000, 1_500_000, True)
    assert rec["total"]["spent"] == SPENT + 100_000 + 200_000 + 300_000


def test_two_thousand_rows_import_and_the_totals_grow_by_their_sum(
    cli: Cli, db_url: str, tmp_path: Path
) -> None:
    ok(cli, "demo")
    before = totals(cli)
    lines = ["IV.4", "IV.5", "V.3", "V.4"]  # nothing spent on them; 500 rows each
    rows: list[list[Any]] = [HEADER]
    spent = committed = 0
    for i in range(2000):
        amount = 1_000 + (i % 10) * 100  # at most 1.900 đ a row
        advance = i % 10 == 0
        rows.append(
            [
                "",
                "tam_ung" if advance else "phieu_chi",
                f"{1 + i % 28:02d}/11/2024",
                lines[i % 4],
                f"Người nhận {i}",
                f"Chi thử số {i}",
                str(amount),
            ]
        )
        if advance:
            committed += amount
        else:
            spent += amount
    # Per line at most 500 × 1.900 = 950.000 đ, under the smallest room (V.4: 2.840.000).
    assert spent + committed == 2000 * 1_000 + 200 * (0 + 1 + 2 + 3 + 4 + 5 + 6 + 7 + 8 + 9) * 100
    path = write_csv(tmp_path / "nhieu.csv", rows)
    result = ok(cli, "import", "vouchers", str(path))
    assert "2000 chứng từ" in result.out.replace(".", "")
    after = totals(cli)
    assert after["spent"] - before["spent"] == spent
    assert after["committed"] - before["committed"] == committed
    assert after["spent"] == SPENT + spent
    assert counts(db_url)["vouchers"] == VOUCHERS_IN_DEMO + 2000
    got = numbers(db_url)
    # 1.800 phiếu chi after PC-0017, 200 advances after TU-0002.
    assert {"PC-0018", "PC-1817", "TU-0003", "TU-0202"} <= got
    assert "PC-1818" not in got and "TU-0203" not in got
