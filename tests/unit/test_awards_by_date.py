"""Award amounts by decision date and by collective/household rule (issue #11).

Hand-worked from the decrees (rounded UP to the next 10.000 đ):
* 15/08/2018, NĐ 91/2017, base 1.390.000 (NĐ 72/2018): individual 0,15 × 1.390.000
  = 208.500 -> 210.000; collective 0,3 × 1.390.000 = 417.000 -> 420.000 = 2 × 210.000.
* 15/08/2019, base 1.490.000 (NĐ 38/2019): individual 223.500 -> 230.000;
  collective coefficient 447.000 -> 450.000, twice the rounded 460.000.
* 30/06/2025, NĐ 98/2023, base 2.340.000: individual 351.000 -> 360.000.
* 01/08/2025, NĐ 152/2025: individual 0,3 × 2.340.000 = 702.000 -> 710.000;
  collective 0,6 -> 1.404.000 -> 1.410.000, twice the rounded 1.420.000;
  household 0,45 -> 1.053.000 -> 1.060.000, 1,5 × 710.000 = 1.065.000.
* 15/07/2026, base 2.530.000 (NĐ 161/2026): individual 759.000 -> 760.000;
  collective twice 1.520.000; household 1,5 × 760.000 = 1.140.000 (coefficient:
  1.138.500 -> 1.140.000 too).
"""

from __future__ import annotations

from datetime import date

import pytest


@pytest.mark.parametrize(
    ("form", "on", "collective", "household", "expected"),
    [
        ("giay_khen_ca_nhan", date(2018, 8, 15), "coefficient", "coefficient", 210_000),
        ("giay_khen_tap_the", date(2018, 8, 15), "coefficient", "coefficient", 420_000),
        ("giay_khen_tap_the", date(2018, 8, 15), "twice_rounded", "coefficient", 420_000),
        ("giay_khen_ca_nhan", date(2019, 8, 15), "coefficient", "coefficient", 230_000),
        ("giay_khen_tap_the", date(2019, 8, 15), "coefficient", "coefficient", 450_000),
        ("giay_khen_tap_the", date(2019, 8, 15), "twice_rounded", "coefficient", 460_000),
        ("giay_khen_ca_nhan", date(2025, 6, 30), "coefficient", "coefficient", 360_000),
        ("giay_khen_ca_nhan", date(2025, 8, 1), "coefficient", "coefficient", 710_000),
        ("giay_khen_tap_the", date(2025, 8, 1), "coefficient", "coefficient", 1_410_000),
        ("giay_khen_tap_the", date(2025, 8, 1), "twice_rounded", "coefficient", 1_420_000),
        ("giay_khen_ho_gia_dinh", date(2025, 8, 1), "coefficient", "coefficient", 1_060_000),
        ("giay_khen_ho_gia_dinh", date(2025, 8, 1), "coefficient", "multiple_rounded", 1_065_000),
        ("giay_khen_ca_nhan", date(2026, 7, 15), "coefficient", "coefficient", 760_000),
        ("giay_khen_tap_the", date(2026, 7, 15), "twice_rounded", "coefficient", 1_520_000),
        ("giay_khen_ho_gia_dinh", date(2026, 7, 15), "coefficient", "multiple_rounded", 1_140_000),
        # Titles: 1,5 and 2,0 × 2.340.000 = 3.510.000 and 4.680.000 (already round).
        ("thon_van_hoa", date(2025, 8, 1), "coefficient", "coefficient", 3_510_000),
        ("xa_tieu_bieu", date(2025, 8, 1), "coefficient", "coefficient", 4_680_000),
        ("gia_dinh_van_hoa", date(2025, 8, 1), "coefficient", "coefficient", 0),
        # Lao động tiên tiến 0,3 × 1.490.000 = 447.000 -> 450.000 (NĐ 91/2017).
        ("lao_dong_tien_tien", date(2020, 12, 1), "coefficient", "coefficient", 450_000),
    ],
)
def test_award_amount_by_date_and_rule(norms, form, on, collective, household, expected):  # type: ignore[no-untyped-def]
    r = norms.reward_amount(form, on, collective_rule=collective, household_rule=household)
    assert r.amount == expected


def test_the_rule_and_verification_are_reported(norms):  # type: ignore[no-untyped-def]
    r = norms.reward_amount(
        "giay_khen_ho_gia_dinh", date(2025, 8, 1), household_rule="multiple_rounded"
    )
    assert r.rule == "1,5 × 710.000 (mức cá nhân đã làm tròn)"
    old = norms.reward_amount("giay_khen_ca_nhan", date(2020, 5, 1))
    assert old.verify and "91/2017" in old.source  # NĐ 91/2017 rows await checking
    assert not norms.is_verified("reward:giay_khen_ca_nhan", date(2020, 5, 1))
    assert "chưa đối chiếu văn bản" in norms.describe_ref(
        "reward:giay_khen_ca_nhan", date(2020, 5, 1)
    )
    certificate = norms.reward_amount("gia_dinh_van_hoa", date(2024, 5, 1))
    assert certificate.amount == 0 and "không kèm tiền thưởng" in certificate.rule


def test_a_bad_household_rule_is_refused(norms):  # type: ignore[no-untyped-def]
    from budget.errors import NormError

    with pytest.raises(NormError, match="hộ gia đình"):
        norms.reward_amount("giay_khen_ho_gia_dinh", date(2025, 8, 1), household_rule="x")
