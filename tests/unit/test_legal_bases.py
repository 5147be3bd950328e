"""The "Căn cứ" lines follow the plan's dates (issue #11).

Worked from the catalogue by hand: a plan's dates are its own date and the
days its norms are read (awards on 15/7 and 15/12 in the shipped template).
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

from budget.norms import load_norms
from budget.plan_templates import load_template
from budget.services import campaigns, organisation
from budget.services.estimates import estimate_view
from budget.services.legal_bases import template_bases
from budget.services.reprice import copy_and_reprice

TEMPLATE = "chinh-quyen-than-thien"
ACTOR = "kiemthu"


def _cited(lines: list[str]) -> set[str]:
    numbers = set()
    for line in lines:
        for number in (
            "15/2003/QH11", "06/2022/QH15", "91/2017/NĐ-CP", "98/2023/NĐ-CP", "152/2025/NĐ-CP",
            "72/2018/NĐ-CP", "38/2019/NĐ-CP", "24/2023/NĐ-CP", "73/2024/NĐ-CP", "161/2026/NĐ-CP",
            "40/2017/TT-BTC", "12/2025/TT-BTC", "28/2025/TT-BTC", "77/2015/QH13", "65/2025/QH15",
            "72/2025/QH15",
        ):  # fmt: skip
            if f"số {number}" in line:
                numbers.add(number)
    return numbers


def _bases(norms, plan_day: date) -> list[str]:  # type: ignore[no-untyped-def]
    year = plan_day.year
    days = {plan_day, date(year, 7, 15), date(year, 12, 15)}
    return template_bases(load_template(TEMPLATE), norms, year=year, commune="Phú Lý", dates=days)


def test_a_2024_plan(norms):  # type: ignore[no-untyped-def]
    # 15/3/2024: base salary NĐ 24/2023 (1.800.000), from 01/7 NĐ 73/2024; awards NĐ 98/2023.
    assert _cited(_bases(norms, date(2024, 3, 15))) == {
        "06/2022/QH15", "77/2015/QH13", "98/2023/NĐ-CP", "24/2023/NĐ-CP", "73/2024/NĐ-CP",
        "40/2017/TT-BTC",
    }  # fmt: skip


def test_a_2025_plan_straddles_the_1_july_reform(norms):  # type: ignore[no-untyped-def]
    # 10/2/2025: NĐ 98/2023 and the 2015 law; from 01/7: NĐ 152/2025, TT 28/2025,
    # TT 12/2025, Luật 72/2025 (the 2025 law 65/2025 was in force from 01/3 only).
    assert _cited(_bases(norms, date(2025, 2, 10))) == {
        "06/2022/QH15", "77/2015/QH13", "72/2025/QH15", "98/2023/NĐ-CP", "152/2025/NĐ-CP",
        "73/2024/NĐ-CP", "28/2025/TT-BTC", "40/2017/TT-BTC", "12/2025/TT-BTC",
    }  # fmt: skip


def test_a_2026_plan_cites_the_new_base_salary_decree(norms):  # type: ignore[no-untyped-def]
    lines = _bases(norms, date(2026, 1, 15))
    assert _cited(lines) == {
        "06/2022/QH15", "72/2025/QH15", "152/2025/NĐ-CP", "73/2024/NĐ-CP", "161/2026/NĐ-CP",
        "28/2025/TT-BTC", "40/2017/TT-BTC", "12/2025/TT-BTC",
    }  # fmt: skip
    assert (
        "Căn cứ Nghị định số 73/2024/NĐ-CP ngày 30 tháng 6 năm 2024 của Chính phủ quy định "
        "mức lương cơ sở và chế độ tiền thưởng đối với cán bộ, công chức, viên chức và "
        "lực lượng vũ trang;"
    ) in lines
    # unconfirmed documents say so where they are used
    assert any("161/2026" in x and "(chưa đối chiếu văn bản)" in x for x in lines)
    # no province resolution entered: the placeholder for the accountant to fill
    assert any(x.startswith("Căn cứ Nghị quyết số .../NQ-HĐND") for x in lines)
    assert lines[-1].startswith("Căn cứ Kế hoạch số .../KH-UBND")


def test_a_2019_plan(norms):  # type: ignore[no-untyped-def]
    assert _cited(_bases(norms, date(2019, 3, 1))) == {
        "15/2003/QH11", "77/2015/QH13", "91/2017/NĐ-CP", "72/2018/NĐ-CP", "38/2019/NĐ-CP",
        "40/2017/TT-BTC",
    }  # fmt: skip


PROVINCE = """
[[legal_document]]
number = "12/2024/NQ-HĐND"
kind = "Nghị quyết"
date = 2024-07-10
issuer = "Hội đồng nhân dân tỉnh Ninh Bình"
title = "quy định chế độ công tác phí, chế độ chi hội nghị trên địa bàn tỉnh"
in_force_from = 2024-07-20
subjects = ["province_conference"]

[[rate]]
code = "an_hoi_nghi_xa"
name = "Hỗ trợ tiền ăn đại biểu không hưởng lương (hội nghị cấp xã)"
unit = "người/ngày"
amount = 80000
valid_from = 2024-07-20
document = "12/2024/NQ-HĐND"
article = "Điều 5"
mlnsnn = "6658"
"""


def test_a_province_resolution_and_its_rates(tmp_path: Path):
    path = tmp_path / "tinh.toml"
    path.write_text(PROVINCE, encoding="utf-8")
    norms = load_norms([path])
    rate = norms.rate_on("an_hoi_nghi_xa", date(2025, 1, 10))
    assert rate.amount == 80_000 and rate.source == "Nghị quyết 12/2024/NQ-HĐND"
    assert norms.describe_ref("an_hoi_nghi_xa", date(2025, 1, 10)) == (
        "Nghị quyết 12/2024/NQ-HĐND, Điều 5"
    )
    lines = _bases(norms, date(2025, 1, 10))
    assert (
        "Căn cứ Nghị quyết số 12/2024/NQ-HĐND ngày 10 tháng 7 năm 2024 của Hội đồng nhân dân "
        "tỉnh Ninh Bình quy định chế độ công tác phí, chế độ chi hội nghị trên địa bàn tỉnh;"
    ) in lines
    assert not any("NQ-HĐND ngày ..." in x for x in lines)


def test_an_estimate_and_its_copy_carry_their_own_bases(database, norms):  # type: ignore[no-untyped-def]
    with database.session() as s, s.begin():
        organisation.create_organisation(s, code="phu-ly", actor=ACTOR, commune_name="Phú Lý")
        info = campaigns.create_campaign(
            s, norms, year=2024, actor=ACTOR, template_key=TEMPLATE, plan_date=date(2024, 3, 15)
        )
        view = estimate_view(s, info.id)
        assert _cited(list(view.legal_bases)) >= {"98/2023/NĐ-CP", "73/2024/NĐ-CP"}
        result = copy_and_reprice(
            s, norms, info.code, year=2026, actor=ACTOR, plan_date=date(2026, 1, 15)
        )
        copied = estimate_view(s, result.campaign.id)
        cited = _cited(list(copied.legal_bases))
        assert "98/2023/NĐ-CP" not in cited and {"152/2025/NĐ-CP", "161/2026/NĐ-CP"} <= cited
        # Re-priced on 15/7/2026 and 15/12/2026 at 2.530.000: 0,3 -> 759.000 -> 760.000,
        # 0,6 -> 1.518.000 -> 1.520.000, household 0,45 -> 1.138.500 -> 1.140.000.
        prices = {ln.code: ln.unit_price for ln in copied.lines if ln.code.startswith("V.")}
        assert prices == {
            "V.1": 760_000, "V.2": 1_520_000, "V.3": 760_000, "V.4": 1_520_000,
            "V.5": 1_140_000, "V.6": 45_000,
        }  # fmt: skip
        changes = {c.code: (c.old_price, c.new_price) for c in result.changes}
        assert changes == {
            "V.1": (360_000, 760_000), "V.2": (710_000, 1_520_000), "V.3": (360_000, 760_000),
            "V.4": (710_000, 1_520_000), "V.5": (360_000, 1_140_000),
        }  # fmt: skip
        # 8 × (760.000 - 360.000) = 3.200.000 more on V.1
        assert next(c for c in result.changes if c.code == "V.1").difference == 3_200_000
        by_code = {ln.code: ln for ln in copied.lines}
        assert by_code["V.1"].funding_source == "quy_tdkt"  # Mục 6200 -> the fund
        assert by_code["I.1"].funding_source == "thuong_xuyen"


def test_the_2025_emulation_decree_as_its_official_text_reads(norms):  # type: ignore[no-untyped-def]
    """NĐ 152/2025/NĐ-CP was checked against its full text (vbpl.vn): signed 14/6/2025,
    in force 01/7/2025 (Điều 59); the Giấy khen rates of Điều 54. It no longer carries
    the unverified mark; NĐ 161/2026/NĐ-CP (text not found) still does."""
    lines = _bases(norms, date(2026, 1, 15))
    assert (
        "Căn cứ Nghị định số 152/2025/NĐ-CP ngày 14 tháng 6 năm 2025 của Chính phủ quy định "
        "về phân cấp, phân quyền trong lĩnh vực thi đua, khen thưởng; quy định chi tiết và "
        "hướng dẫn thi hành một số điều của Luật Thi đua, khen thưởng;"
    ) in lines
    assert norms.describe_ref("reward:giay_khen_ca_nhan", date(2026, 7, 15)) == (
        "0,3 × lương cơ sở; Nghị định 152/2025/NĐ-CP, Điều 54 khoản 1 điểm e "
        "(chưa đối chiếu văn bản)"  # the base salary of 01/7/2026 (NĐ 161/2026) is unverified
    )
    assert norms.describe_ref("reward:giay_khen_tap_the", date(2025, 8, 1)) == (
        "0,6 × lương cơ sở; Nghị định 152/2025/NĐ-CP (tập thể gấp 2 lần mức tiền thưởng "
        "cá nhân), Điều 54 khoản 2 điểm c"
    )


def test_the_catalogue_lists_only_what_awaits_checking(tmp_path: Path):
    """`budget norms laws --unverified`: the documents no official text confirms yet
    (verify = true in templates/norms/legal_documents.toml), NĐ 152/2025 not among them."""
    import json

    from tests.conftest import run_cli

    result = run_cli("--db", str(tmp_path / "x.db"), "norms", "laws", "--unverified", "--json")
    assert result.code == 0, result.err
    numbers = {d["number"] for d in json.loads(result.out)}
    assert {"161/2026/NĐ-CP", "28/2025/TT-BTC", "12/2025/TT-BTC", "72/2025/QH15"} <= numbers
    assert not numbers & {"152/2025/NĐ-CP", "98/2023/NĐ-CP", "73/2024/NĐ-CP", "06/2022/QH15"}
    assert all(d["verify"] for d in json.loads(result.out))
    listed = run_cli("--db", str(tmp_path / "x.db"), "norms", "laws", "--unverified")
    assert "161/2026/NĐ-CP (chưa đối chiếu văn bản)" in listed.out
    assert "152/2025/NĐ-CP" not in listed.out
