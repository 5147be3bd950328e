"""The commune-wide report in Excel, and the fund's CLI doors (issue #11).

Figures as in tests/unit/test_fund_postings.py: two 2026 plans of 83.387.500
each; 4.500.000 + 5.000.000 spent from the fund of 50.000.000 (balance
40.500.000); emulation work 9.500.000 against a cap of 10.000.000."""

from __future__ import annotations

from typing import Any

from tests.conftest import run_cli
from tests.unit.test_fund_postings import build_year


def _year(db_url: str, norms: Any) -> None:
    from budget.db import open_database

    database = open_database(db_url)
    with database.session() as s, s.begin():
        build_year(s, norms)
    database.dispose()


def test_campaigns_xlsx_has_the_totals(db_url: str, norms: Any, tmp_path: Any) -> None:
    import openpyxl

    _year(db_url, norms)
    out = tmp_path / "ke-hoach-2026.xlsx"
    result = run_cli("--db", db_url, "report", "campaigns", "--year", "2026", "--out", str(out))
    assert result.code == 0, result.err
    ws = openpyxl.load_workbook(out, data_only=True).active
    cells = {
        str(ws.cell(r, 2).value): [ws.cell(r, c).value for c in range(3, 7)]
        for r in range(1, ws.max_row + 1)
        if ws.cell(r, 2).value
    }
    assert cells["Tổng cộng"] == [166_775_000, 9_500_000, 0, 157_275_000]
    assert cells["Tổng nguồn quỹ"][0] == 50_000_000
    assert cells["Số dư quỹ"][0] == 40_500_000
    assert cells["Trần chi công tác thi đua (20 % quỹ)"][0] == 10_000_000
    assert cells["Chi công tác thi đua: đã chi và tạm ứng"][0] == 9_500_000


def test_voucher_add_refused_over_the_cap_then_overridden(db_url: str, norms: Any) -> None:
    _year(db_url, norms)
    args = ("--db", db_url, "voucher", "add", "--campaign", "cqtt-b", "--line", "IV.1")
    args += ("--amount", "1.720.000", "--date", "20/11/2026", "--payee", "Nhà hàng")
    args += ("--content", "Tổng kết")
    refused = run_cli(*args)
    assert refused.code != 0
    assert "vượt trần 20 % quỹ (10.000.000 đồng" in refused.err
    passed = run_cli(*args, "--override-reason", "HĐND xã đồng ý")
    assert passed.code == 0, passed.err
    log = run_cli("--db", db_url, "audit", "list", "--format", "json")
    assert "HĐND xã đồng ý" in log.out


def test_plan_line_source_sets_and_defines_a_source(db_url: str, norms: Any) -> None:
    from datetime import date

    from budget.db import open_database
    from budget.services import campaigns, organisation

    database = open_database(db_url)
    with database.session() as s, s.begin():
        organisation.create_organisation(s, code="phu-ly", actor="kt", commune_name="Phú Lý")
        campaigns.create_campaign(
            s, norms, year=2026, actor="kt", template_key="chinh-quyen-than-thien",
            plan_date=date(2026, 1, 15), code="cqtt",
        )  # fmt: skip
    database.dispose()
    unknown = run_cli("--db", db_url, "plan", "line", "source", "I.5", "xa_hoi_hoa")
    assert unknown.code != 0 and "Không có nguồn kinh phí «xa_hoi_hoa»" in unknown.err
    ok = run_cli(
        "--db", db_url, "plan", "line", "source", "I.5", "xa_hoi_hoa", "--name", "Xã hội hóa"
    )  # fmt: skip
    assert ok.code == 0, ok.err
    assert "nguồn kinh phí Xã hội hóa" in ok.out
    shown = run_cli("--db", db_url, "plan", "show", "--format", "json")
    assert '"xa_hoi_hoa"' in shown.out
