"""Norms: the law's tables (docs/DOMAIN.md) worked out by hand, user overrides, bad files."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from budget.errors import NormError
from budget.norms import load_norms
from tests.conftest import run_cli

D = date.fromisoformat

# (form, decision date, rounding, expected đồng) — each worked out by hand:
# coefficient × base salary in force on the date, then to a multiple of 10.000.
REWARDS = [
    # Nghị định 98/2023 with base salary 1.800.000 (before 2024-07-01)
    ("giay_khen_ca_nhan", "2024-03-01", "up", 270_000),  # 0.15 × 1.8M = 270.000
    ("giay_khen_tap_the", "2024-03-01", "up", 540_000),  # 0.3 × 1.8M
    ("giay_khen_ho_gia_dinh", "2024-03-01", "up", 270_000),
    ("lao_dong_tien_tien", "2024-03-01", "up", 540_000),
    ("chien_si_thi_dua_co_so", "2024-03-01", "up", 1_800_000),
    ("tap_the_lao_dong_tien_tien", "2024-03-01", "up", 1_440_000),  # 0.8 × 1.8M
    ("tap_the_lao_dong_xuat_sac", "2024-03-01", "up", 2_700_000),  # 1.5 × 1.8M
    # Nghị định 98/2023 with base salary 2.340.000
    ("giay_khen_ca_nhan", "2024-08-01", "up", 360_000),  # 351.000 -> up 360.000
    ("giay_khen_ca_nhan", "2024-08-01", "nearest", 350_000),
    ("giay_khen_tap_the", "2024-08-01", "up", 710_000),  # 702.000 -> 710.000
    ("giay_khen_tap_the", "2024-08-01", "nearest", 700_000),
    ("giay_khen_ho_gia_dinh", "2024-08-01", "up", 360_000),
    ("lao_dong_tien_tien", "2024-08-01", "up", 710_000),
    ("chien_si_thi_dua_co_so", "2024-08-01", "up", 2_340_000),
    ("tap_the_lao_dong_tien_tien", "2024-08-01", "up", 1_880_000),  # 1.872.000
    ("tap_the_lao_dong_tien_tien", "2024-08-01", "nearest", 1_870_000),
    ("tap_the_lao_dong_xuat_sac", "2024-08-01", "up", 3_510_000),
    ("giay_khen_ca_nhan", "2024-07-01", "up", 360_000),  # new salary's first day
    ("giay_khen_ca_nhan", "2024-06-30", "up", 270_000),  # old salary's last day
    ("giay_khen_ca_nhan", "2025-06-30", "up", 360_000),  # last day of Nghị định 98
    # Nghị định 152/2025 from 2025-07-01
    ("giay_khen_ca_nhan", "2025-07-01", "up", 710_000),  # 0.3 × 2.34M = 702.000
    ("giay_khen_ca_nhan", "2025-07-01", "nearest", 700_000),
    ("giay_khen_tap_the", "2025-07-01", "up", 1_410_000),  # 0.6 × 2.34M = 1.404.000
    ("giay_khen_ho_gia_dinh", "2025-07-01", "up", 1_060_000),  # 0.45 × 2.34M = 1.053.000
    ("giay_khen_ho_gia_dinh", "2025-07-01", "nearest", 1_050_000),
    ("lao_dong_tien_tien", "2025-12-31", "up", 710_000),
    ("chien_si_thi_dua_co_so", "2025-12-31", "up", 2_340_000),
    ("tap_the_lao_dong_tien_tien", "2025-12-31", "up", 1_880_000),
    ("tap_the_lao_dong_xuat_sac", "2025-12-31", "up", 3_510_000),
    # base salary 2.530.000 from 2026-07-01
    ("giay_khen_ca_nhan", "2026-07-01", "up", 760_000),  # 759.000
    ("giay_khen_tap_the", "2026-07-01", "up", 1_520_000),  # 1.518.000
    ("giay_khen_ho_gia_dinh", "2026-07-01", "up", 1_140_000),  # 1.138.500
    ("giay_khen_ho_gia_dinh", "2026-07-01", "nearest", 1_140_000),  # 1.138.500 -> nearest 1.140.000
    ("chien_si_thi_dua_co_so", "2026-07-01", "up", 2_530_000),
    ("tap_the_lao_dong_tien_tien", "2026-07-01", "up", 2_030_000),  # 2.024.000
    ("tap_the_lao_dong_tien_tien", "2026-07-01", "nearest", 2_020_000),
    ("tap_the_lao_dong_xuat_sac", "2026-07-01", "up", 3_800_000),  # 3.795.000
    ("tap_the_lao_dong_xuat_sac", "2026-07-01", "nearest", 3_800_000),  # half up
    ("giay_khen_ca_nhan", "2026-06-30", "up", 710_000),
]


@pytest.mark.parametrize(("form", "on", "rounding", "expected"), REWARDS)
def test_reward_amounts_follow_the_law(norms, form, on, rounding, expected):  # type: ignore[no-untyped-def]
    assert norms.reward_amount(form, D(on), rounding=rounding).amount == expected


def test_collective_twice_the_rounded_individual_under_decree_98(norms):  # type: ignore[no-untyped-def]
    # 2 × 360.000 = 720.000 instead of 0.3 × 2.340.000 = 702.000 -> 710.000
    r = norms.reward_amount("giay_khen_tap_the", D("2024-08-01"), collective_rule="twice_rounded")
    assert r.amount == 720_000
    # The rule applies under Nghị định 152 too (issue #11): 2 × 710.000 = 1.420.000,
    # where the coefficient rule gives 0,6 × 2.340.000 = 1.404.000 -> 1.410.000.
    r152 = norms.reward_amount(
        "giay_khen_tap_the", D("2025-08-01"), collective_rule="twice_rounded"
    )
    assert r152.amount == 1_420_000


def test_reward_reports_its_inputs(norms):  # type: ignore[no-untyped-def]
    r = norms.reward_amount("giay_khen_ca_nhan", D("2024-08-01"))
    assert (str(r.coefficient), r.base_salary, r.unrounded, r.rounding) == (
        "0.15",
        2_340_000,
        351_000,
        "up",
    )
    assert "98/2023" in r.source and "73/2024" in r.base_salary_source


@pytest.mark.parametrize(
    ("on", "amount"),
    [
        ("2019-07-01", 1_490_000),
        ("2023-06-30", 1_490_000),
        ("2023-07-01", 1_800_000),
        ("2024-07-01", 2_340_000),
        ("2026-06-30", 2_340_000),
        ("2026-07-01", 2_530_000),
    ],
)
def test_base_salary_timeline(norms, on, amount):  # type: ignore[no-untyped-def]
    assert norms.base_salary_on(D(on)).amount == amount


def test_every_entry_names_its_legal_source(norms):  # type: ignore[no-untyped-def]
    entries = [*norms.base_salaries, *norms.reward_rates, *norms.rates, *norms.budget_codes]
    assert entries and all(e.source.strip() for e in entries)
    assert {f.code for f in norms.reward_forms} >= {
        "giay_khen_ca_nhan",
        "giay_khen_tap_the",
        "giay_khen_ho_gia_dinh",
        "lao_dong_tien_tien",
        "chien_si_thi_dua_co_so",
        "tap_the_lao_dong_tien_tien",
        "tap_the_lao_dong_xuat_sac",
    }


def test_conference_rates_and_budget_codes(norms):  # type: ignore[no-untyped-def]
    assert norms.rate_on("an_hoi_nghi_xa", D("2024-05-01")).amount == 100_000
    assert norms.rate_on("nuoc_uong_hoi_nghi", D("2024-05-01")).amount == 40_000
    assert norms.budget_code("7758").name == "Chi hỗ trợ khác"
    assert norms.budget_code("6658").parent == "6650"
    with pytest.raises(NormError, match="9999"):
        norms.budget_code("9999")


@pytest.mark.parametrize(
    ("call", "needle"),
    [
        (lambda n: n.reward_amount("khong_co", D("2024-08-01")), "khong_co"),
        # Nghị định 91/2017 rows now cover 2017-2023 (issue #11): before them, nothing.
        (lambda n: n.reward_amount("giay_khen_ca_nhan", D("2017-06-30")), "30/06/2017"),
        (lambda n: n.base_salary_on(D("2018-06-30")), "30/06/2018"),  # NĐ 72/2018 from 01/7/2018
        (lambda n: n.rate_on("an_hoi_nghi_xa", D("2016-01-01")), "01/01/2016"),
        (lambda n: n.rate_on("khong_co", D("2024-01-01")), "khong_co"),
        (lambda n: n.reward_amount("giay_khen_ca_nhan", D("2024-08-01"), rounding="down"), "down"),
    ],
)
def test_unknown_codes_and_dates_before_any_norm_are_refused(norms, call, needle):  # type: ignore[no-untyped-def]
    with pytest.raises(NormError, match=needle):
        call(norms)


PROVINCE = """
[[base_salary]]
effective_from = 2024-07-01
amount = 2000000
source = "Giả định kiểm thử"

[[rate]]
code = "an_hoi_nghi_xa"
name = "Tiền ăn hội nghị cấp xã (mức của tỉnh)"
unit = "người/ngày"
amount = 80000
valid_from = 2025-01-01
source = "Nghị quyết của HĐND tỉnh (kiểm thử)"

[[budget_code]]
code = "6606"
parent = "6600"
name = "Tuyên truyền"
source = "Thông tư 324/2016/TT-BTC"
"""


def test_user_norms_file_overrides_and_extends(tmp_path: Path):
    user = tmp_path / "tinh.toml"
    user.write_text(PROVINCE, encoding="utf-8")
    n = load_norms([user])
    # replaced: 0.15 × 2.000.000 = 300.000 (already a multiple of 10.000)
    assert n.reward_amount("giay_khen_ca_nhan", D("2024-08-01")).amount == 300_000
    # extended: the province's meal rate from 2025, the shipped one before
    assert n.rate_on("an_hoi_nghi_xa", D("2025-02-01")).amount == 80_000
    assert n.rate_on("an_hoi_nghi_xa", D("2024-12-31")).amount == 100_000
    assert n.budget_code("6606").name == "Tuyên truyền"
    assert n.budget_code("7758").name == "Chi hỗ trợ khác"  # shipped codes stay


def test_user_norms_from_environment_and_cli(tmp_path: Path, monkeypatch):  # type: ignore[no-untyped-def]
    user = tmp_path / "tinh.toml"
    user.write_text(PROVINCE, encoding="utf-8")
    result = run_cli(
        "--norms", str(user), "norms", "reward", "giay_khen_ca_nhan", "--on", "2024-08-01"
    )
    assert (result.code, result.last_line) == (0, "300000")
    monkeypatch.setenv("BUDGET_NORMS", str(user))
    result = run_cli("norms", "reward", "giay_khen_ca_nhan", "--on", "2024-08-01")
    assert result.last_line == "300000"


@pytest.mark.parametrize(
    ("content", "needle"),
    [
        ("[[base_salary]\n", "TOML"),
        (
            '[[reward_rate]]\nform = "giay_khen_ca_nhan"\ncoefficient = 0.15\nvalid_from = 2030-01-01\n'
            'source = "x"\n',
            "ngoặc kép",
        ),
        ('[[base_salary]]\neffective_from = 2030-01-01\nsource = "x"\n', "amount"),
        ('[[base_salary]]\neffective_from = 2030-01-01\namount = -5\nsource = "x"\n', "không âm"),
        (
            '[[reward_rate]]\nform = "khong_co"\ncoefficient = "1"\nvalid_from = 2030-01-01\n'
            'source = "x"\n',
            "khong_co",
        ),
        ('[rounding]\nmode = "sideways"\n', "sideways"),
    ],
)
def test_broken_user_norms_files_are_refused(tmp_path: Path, content: str, needle: str):
    user = tmp_path / "hong.toml"
    user.write_text(content, encoding="utf-8")
    with pytest.raises(NormError, match=needle):
        load_norms([user])


def test_missing_user_norms_file(tmp_path: Path):
    with pytest.raises(NormError, match="Không tìm thấy"):
        load_norms([tmp_path / "khong-co.toml"])
