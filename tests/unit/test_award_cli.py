"""``budget award`` on the demo year: the line is chosen with --line, recipients are
corrected and removed before payment, duplicates need --allow-duplicate.

Demo figures: V.3 "Giấy khen cá nhân (tổng kết)" 12 × 360.000 = 4.320.000, nothing
spent; individual 360.000, collective 710.000; the next phiếu chi is PC-0018."""

from __future__ import annotations

import json

import pytest

NUMBER = "300/QĐ-UBND"


@pytest.fixture
def demo(cli, monkeypatch):  # type: ignore[no-untyped-def]
    monkeypatch.setenv("BUDGET_NOW", "2024-12-20T08:00:00")
    assert cli("demo").code == 0
    return cli


def test_award_lines_edit_remove_and_pay_from_the_cli(demo) -> None:  # type: ignore[no-untyped-def]
    cli = demo
    new = cli(
        "award",
        "new",
        "--number",
        NUMBER,
        "--date",
        "20/12/2024",
        "--title",
        "Khen thưởng tổng kết bổ sung",
    )
    assert new.code == 0, new.err
    assert f"budget award lines {NUMBER} --line V.3 --line V.4 --line V.5" in new.out
    add = ("award", "add", NUMBER, "--form", "giay_khen_ca_nhan", "--name")
    refused = cli(*add, "Lê Văn Mới")
    assert refused.code == 2 and "(V.1, V.3)" in refused.err  # asked, not guessed
    chosen = cli("award", "lines", NUMBER, "--line", "V.3")
    assert chosen.code == 0 and f"Quyết định {NUMBER} chi từ dòng V.3." in chosen.out
    assert cli(*add, "Lê Văn Mới").code == 0
    assert cli(*add, "Trần Văn Hai", "--title", "Ấp 2").code == 0
    twice = cli(*add, "  lê văn  MỚI")
    assert twice.code == 2 and "«Lê Văn Mới» đã có ở STT 1" in twice.err
    assert "--allow-duplicate" in twice.err
    assert cli(*add, "lê văn mới", "--allow-duplicate").code == 0
    invisible = cli(*add, "\u0301\u0301")
    assert invisible.code == 2 and "không có chữ nào nhìn thấy được" in invisible.err

    edited = cli(
        "award", "edit", NUMBER, "2", "--name", "Ấp Phú Thạch", "--form", "giay_khen_tap_the"
    )
    assert edited.code == 0, edited.err
    assert "710.000 đồng (dòng V.3)" in edited.out  # one line chosen: everyone on it
    removed = cli("award", "remove", NUMBER, "3", "--reason", "Trùng với STT 1")
    assert removed.code == 0 and "tổng 1.070.000 đồng" in removed.out  # 360.000 + 710.000

    shown = json.loads(cli("award", "show", NUMBER, "--format", "json").out)
    assert shown["lines"] == ["V.3"]
    assert [(r["name"], r["line"], r["amount"]) for r in shown["recipients"]] == [
        ("Lê Văn Mới", "V.3", 360_000),
        ("Ấp Phú Thạch", "V.3", 710_000),
    ]
    table = cli("award", "show", NUMBER)
    assert "Dòng chi đã chọn: V.3" in table.out and "dòng V.3: 1.070.000 đồng" in table.out

    paid = cli("award", "pay", NUMBER)
    assert paid.code == 0, paid.err
    assert "Chứng từ PC-0018: 1.070.000 đồng, dòng V.3" in paid.out
    late = cli("award", "edit", NUMBER, "1", "--name", "Lê Văn Mới Sửa")
    assert late.code == 2 and "đã chi thưởng, không sửa người nhận được" in late.err
    late = cli("award", "remove", NUMBER, "1")
    assert late.code == 2 and "đã chi thưởng, không xóa người nhận được" in late.err


def test_pay_with_line_rechooses_before_paying(demo) -> None:  # type: ignore[no-untyped-def]
    cli = demo
    # 210/QĐ-UBND (demo): An, Bích on V.3, a collective on V.4, a household on V.5
    paid = cli("award", "pay", "210/QĐ-UBND", "--line", "V.3")
    assert paid.code == 0, paid.err
    # 360.000 × 2 + 710.000 + 360.000, all on the one line chosen
    assert "Chứng từ PC-0018: 1.790.000 đồng, dòng V.3" in paid.out
    assert paid.out.count("Chứng từ ") == 1


def test_the_payout_list_names_the_lines_it_is_paid_from(demo, tmp_path) -> None:  # type: ignore[no-untyped-def]
    from openpyxl import load_workbook

    out = tmp_path / "thuong.xlsx"
    result = demo("export", "payout", "--decision", "210/QĐ-UBND", "--out", str(out))
    assert result.code == 0, result.err
    cells = [c.value for row in load_workbook(out).active.iter_rows() for c in row]
    # An and Bích 2 × 360.000 on V.3, the collective 710.000 on V.4, the household on V.5
    assert (
        "Chi từ dự toán: dòng V.3 720.000 đồng; dòng V.4 710.000 đồng; dòng V.5 360.000 đồng."
        in cells
    )
