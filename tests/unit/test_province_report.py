"""The province's roll-up (issue 13, item 5): every commune's campaigns, approved,
spent, remaining, and each commune's fund, on both engines.

The scenario (every figure worked out by hand):

Province ninh-binh (Ninh Bình)
  An Hòa, campaign cqtt-ah (approved 01/02/2024):
    I.1  Thuê hội trường     1 × 3.000.000 = 3.000.000  6657
    I.2  In tài liệu       100 × 12.000    = 1.200.000  6651
    II.1 Khen thưởng đột xuất 1 × 2.000.000 = 2.000.000  6249 (the fund's, by Mục 6200)
    PC-0001 I.1 1.000.000; TU-0001 I.2 300.000 (advance, open); PC-0002 II.1 500.000
    -> approved 6.200.000, spent 1.500.000, committed 300.000, remaining 4.400.000
  An Hòa, campaign du-phong: a draft, never approved -> zeros, marked not approved
  An Hòa's fund 2024: opening 10.000.000 + allocation 2.000.000 = 12.000.000;
    spent on fund lines 500.000 -> balance 11.500.000
  Bình Lợi, campaign cqtt-bl: I.1 1 × 5.000.000 approved, adjusted to 4.000.000
    PC-0001 I.1 1.250.000 -> original 5.000.000, approved 4.000.000, remaining 2.750.000
    no fund register -> fund 0
Province ha-nam: Cầu Giấy, campaign cqtt-cg, 1 × 9.000.000, PC 700.000 (never counted)

Province totals: original 11.200.000, approved 10.200.000, spent 2.750.000,
committed 300.000, remaining 7.150.000; fund balance 11.500.000.
"""

from __future__ import annotations

import json
from datetime import date

import pytest

from budget.errors import NotFoundError, ValidationError
from budget.reports.province import province_report
from budget.services import approval, campaigns, estimate_edit, fund, vouchers
from budget.services.admin import add_commune
from budget.services.estimate_edit import LineChange
from tests.conftest import run_cli

ACTOR = "kiemthu"


def _line(s, norms, cid, part, content, qty, mlnsnn, price):  # type: ignore[no-untyped-def]
    estimate_edit.add_line(
        s,
        norms,
        cid,
        part=part,
        change=LineChange(content=content, quantity=qty, unit_price=price, mlnsnn=mlnsnn),
        actor=ACTOR,
    )


def _pay(s, cid, line, amount, *, vtype="phieu_chi"):  # type: ignore[no-untyped-def]
    vouchers.post_voucher(
        s,
        cid,
        line_code=line,
        amount=amount,
        entry_date=date(2024, 5, 2),
        payee="Nguyễn Văn An",
        content=f"Chi dòng {line}",
        actor=ACTOR,
        vtype=vtype,
    )


def _campaign(s, norms, org, code, parts):  # type: ignore[no-untyped-def]
    cid = campaigns.create_campaign(s, norms, year=2024, actor=ACTOR, org_code=org, code=code).id
    for title, lines in parts:
        estimate_edit.add_part(s, cid, title=title, actor=ACTOR)
        for args in lines:
            _line(s, norms, cid, *args)
    return cid


def _approve(s, cid, number):  # type: ignore[no-untyped-def]
    approval.submit(s, cid, actor=ACTOR)
    approval.approve(s, cid, decision_number=number, decision_date=date(2024, 2, 1), actor=ACTOR)


def build_province(database, norms) -> None:  # type: ignore[no-untyped-def]
    with database.session() as s, s.begin():
        ah = add_commune(
            s,
            code="an-hoa",
            name="An Hòa",
            actor=ACTOR,
            province="Ninh Bình",
            province_code="ninh-binh",
        ).id
        add_commune(
            s,
            code="binh-loi",
            name="Bình Lợi",
            actor=ACTOR,
            province="Ninh Bình",
            province_code="ninh-binh",
        )
        add_commune(
            s,
            code="cau-giay",
            name="Cầu Giấy",
            actor=ACTOR,
            province="Hà Nam",
            province_code="ha-nam",
        )
        a = _campaign(
            s,
            norms,
            "an-hoa",
            "cqtt-ah",
            [
                (
                    "Hội nghị",
                    [
                        ("I", "Thuê hội trường", "1", "6657", 3_000_000),
                        ("I", "In tài liệu", "100", "6651", 12_000),
                    ],
                ),
                ("Khen thưởng", [("II", "Khen thưởng đột xuất", "1", "6249", 2_000_000)]),
            ],
        )
        _approve(s, a, "10/QĐ-UBND")
        _pay(s, a, "I.1", 1_000_000)
        _pay(s, a, "I.2", 300_000, vtype="tam_ung")
        _pay(s, a, "II.1", 500_000)
        _campaign(
            s, norms, "an-hoa", "du-phong", [("Dự phòng", [("I", "Dự phòng", "1", "6657", 1_000)])]
        )
        fund.open_fund(s, ah, 2024, 10_000_000, actor=ACTOR)
        fund.allocate(
            s,
            ah,
            2024,
            2_000_000,
            decision_number="5/QĐ-UBND",
            decision_date=date(2024, 3, 1),
            actor=ACTOR,
        )
        b = _campaign(
            s,
            norms,
            "binh-loi",
            "cqtt-bl",
            [("Hội nghị", [("I", "Thuê hội trường", "1", "6657", 5_000_000)])],
        )
        _approve(s, b, "11/QĐ-UBND")
        approval.adjust(s, b, actor=ACTOR, reason="Giảm quy mô")
        estimate_edit.set_line(
            s, norms, b, "I.1", change=LineChange(unit_price=4_000_000), actor=ACTOR
        )
        _approve(s, b, "12/QĐ-UBND")
        _pay(s, b, "I.1", 1_250_000)
        c = _campaign(
            s,
            norms,
            "cau-giay",
            "cqtt-cg",
            [("Hội nghị", [("I", "Thuê hội trường", "1", "6657", 9_000_000)])],
        )
        _approve(s, c, "1/QĐ-UBND")
        _pay(s, c, "I.1", 700_000)


@pytest.fixture
def province_db(database, norms):  # type: ignore[no-untyped-def]
    build_province(database, norms)
    return database


def _figures(f):  # type: ignore[no-untyped-def]
    return (f.original, f.approved, f.spent, f.committed, f.remaining)


def test_the_roll_up_has_every_commune_of_the_province_and_nothing_else(province_db):  # type: ignore[no-untyped-def]
    with province_db.session() as s:
        rep = province_report(s, "ninh-binh", 2024)
    assert (rep.province_code, rep.province_name, rep.year) == ("ninh-binh", "Ninh Bình", 2024)
    assert [c.name for c in rep.communes] == ["Xã An Hòa", "Xã Bình Lợi"]
    an_hoa, binh_loi = rep.communes
    assert [(k.code, k.approved) for k in an_hoa.campaigns] == [
        ("cqtt-ah", True),
        ("du-phong", False),
    ]
    assert _figures(an_hoa.campaigns[0].figures) == (
        6_200_000,
        6_200_000,
        1_500_000,
        300_000,
        4_400_000,
    )
    assert _figures(an_hoa.campaigns[1].figures) == (0, 0, 0, 0, 0)
    assert (an_hoa.fund.total, an_hoa.fund.spent, an_hoa.fund.balance) == (
        12_000_000,
        500_000,
        11_500_000,
    )
    assert _figures(binh_loi.total) == (5_000_000, 4_000_000, 1_250_000, 0, 2_750_000)
    assert (binh_loi.fund.total, binh_loi.fund.balance) == (0, 0)
    assert _figures(rep.total) == (11_200_000, 10_200_000, 2_750_000, 300_000, 7_150_000)
    assert rep.fund.balance == 11_500_000
    assert rep.campaign_count == 3


def test_the_roll_up_agrees_with_each_commune_s_own_reports(province_db, norms):  # type: ignore[no-untyped-def]
    """The set-based figures are those of reconcile() and fund_status() per commune."""
    from budget.reports.reconcile import reconcile
    from budget.services.campaigns import find_campaign
    from budget.services.fund import fund_status

    with province_db.session() as s:
        rep = province_report(s, "ninh-binh", 2024)
        an_hoa = rep.communes[0]
        rec = reconcile(s, find_campaign(s, "cqtt-ah", org_code="an-hoa").id)
        status = fund_status(s, norms, rec.campaign.organisation_id, 2024)
    assert an_hoa.campaigns[0].figures == rec.total
    assert (an_hoa.fund.total, an_hoa.fund.spent, an_hoa.fund.balance) == (
        status.total,
        status.spent,
        status.balance,
    )


def test_the_province_must_be_named_when_there_are_several(province_db):  # type: ignore[no-untyped-def]
    with province_db.session() as s:
        with pytest.raises(ValidationError, match="Có nhiều tỉnh \\(ha-nam, ninh-binh\\)"):
            province_report(s)
        with pytest.raises(NotFoundError, match="Không có đơn vị nào thuộc tỉnh «quang-tri»"):
            province_report(s, "quang-tri")
        assert province_report(s, "ha-nam").year == 2024  # the latest year with a campaign


def test_cli_report_province_json_and_csv(province_db):  # type: ignore[no-untyped-def]
    url = province_db.url
    out = run_cli("--db", url, "report", "province", "--province", "ninh-binh", "--format", "json")
    assert out.code == 0, out.err
    data = json.loads(out.out)
    assert [c["code"] for c in data["communes"]] == ["an-hoa", "binh-loi"]
    assert data["total"]["remaining"] == 7_150_000
    assert data["fund"]["balance"] == 11_500_000
    csv_out = run_cli(
        "--db", url, "report", "province", "--province", "ninh-binh", "--format", "csv"
    )
    assert csv_out.code == 0, csv_out.err
    lines = csv_out.out.splitlines()
    assert lines[0].startswith("commune_code,commune,campaign_code,campaign,approved,spent")
    assert lines[1] == (
        "an-hoa,Xã An Hòa,cqtt-ah,Kế hoạch năm 2024,6200000,1500000,300000,4400000,12000000,500000,11500000"
    )
    assert len(lines) == 4  # three campaigns
    table = run_cli("--db", url, "report", "province", "--province", "ninh-binh")
    assert table.code == 0, table.err
    assert "tỉnh Ninh Bình · năm 2024 · 2 đơn vị, 3 kế hoạch" in table.out
    total = next(line for line in table.out.splitlines() if line.startswith("TỔNG CỘNG"))
    assert total.split()[2:] == ["10.200.000", "2.750.000", "300.000", "7.150.000", "11.500.000"]
    bad = run_cli("--db", url, "report", "province")
    assert bad.code == 2
    assert bad.err.strip() == "Lỗi: Có nhiều tỉnh (ha-nam, ninh-binh): hãy chọn --province."


def test_the_excel_roll_up_carries_the_hand_computed_totals(province_db, tmp_path):  # type: ignore[no-untyped-def]
    from openpyxl import load_workbook

    out = tmp_path / "tinh.xlsx"
    done = run_cli(
        "--db", province_db.url, "report", "province", "--province", "ninh-binh", "--out", str(out)
    )
    assert done.code == 0, done.err
    assert done.out.strip() == f"Đã xuất tổng hợp cấp tỉnh năm 2024: {out}"
    values = load_workbook(out, data_only=True).active
    formulas = load_workbook(out).active
    rows = {
        r[0].value: [c.value for c in r[2:7]]
        for r in values.iter_rows()
        if isinstance(r[0].value, str) and r[0].value.startswith(("Cộng", "TỔNG CỘNG"))
    }
    assert rows == {
        "Cộng Xã An Hòa": [6_200_000, 1_500_000, 300_000, 4_400_000, 11_500_000],
        "Cộng Xã Bình Lợi": [4_000_000, 1_250_000, 0, 2_750_000, 0],
        "TỔNG CỘNG": [10_200_000, 2_750_000, 300_000, 7_150_000, 11_500_000],
    }
    total_row = next(r for r in formulas.iter_rows() if r[0].value == "TỔNG CỘNG")
    assert str(total_row[5].value).startswith("=F")  # a formula, its value cached
    again = run_cli(
        "--db", province_db.url, "report", "province", "--province", "ninh-binh", "--out", str(out)
    )
    assert again.code == 2 and "--force" in again.err


def test_the_registry_s_province_document_is_the_same_roll_up(province_db, tmp_path):  # type: ignore[no-untyped-def]
    """`budget export province` (the one registry, budget/documents.py) writes the
    workbook of `budget report province --out`, whatever campaign it is run from."""
    from openpyxl import load_workbook

    out = tmp_path / "tong-hop-tinh.xlsx"
    done = run_cli(
        "--db",
        province_db.url,
        "export",
        "province",
        "--province",
        "ninh-binh",
        "--year",
        "2024",
        "--out",
        str(out),
    )
    assert done.code == 0, done.err
    assert done.out.strip() == f"Đã xuất tổng hợp cấp tỉnh năm 2024: {out}"
    values = load_workbook(out, data_only=True).active
    rows = {
        r[0].value: [c.value for c in r[2:7]]
        for r in values.iter_rows()
        if isinstance(r[0].value, str) and r[0].value.startswith(("Cộng", "TỔNG CỘNG"))
    }
    assert rows == {
        "Cộng Xã An Hòa": [6_200_000, 1_500_000, 300_000, 4_400_000, 11_500_000],
        "Cộng Xã Bình Lợi": [4_000_000, 1_250_000, 0, 2_750_000, 0],
        "TỔNG CỘNG": [10_200_000, 2_750_000, 300_000, 7_150_000, 11_500_000],
    }
    # Without --province the office's two provinces are named, as by the report.
    bad = run_cli("--db", province_db.url, "export", "province", "--out", str(tmp_path / "x.xlsx"))
    assert bad.code == 2
    assert bad.err.strip() == "Lỗi: Có nhiều tỉnh (ha-nam, ninh-binh): hãy chọn --province."
    assert not (tmp_path / "x.xlsx").exists()
    assert "--province" in run_cli("export", "province", "--help").out
