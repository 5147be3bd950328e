"""The foundation's command line: norms, organisation settings, demo, plan new/show."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import func, select

from budget.db import open_database
from budget.models import AuditEntry, Campaign
from tests.conftest import run_cli

# The demo estimate, worked out line by line from templates/plans (quantity ×
# [days ×] unit price; awards 0.15 × 2.340.000 -> 360.000, 0.3 × 2.340.000 -> 710.000).
PART_TOTALS = {
    "I": 1_650_000 + 1_350_000 + 85 * 12_000 + 85 * 40_000 + 45 * 100_000,
    "II": 2 * 1_850_000
    + 3 * 465_000
    + 8 * 285_000
    + 2 * 680_000
    + 45 * 9_500
    + 3 * 2_450_000
    + 3_290_000
    + 2 * 845_000
    + 1_180_000
    + 965_000,
    "III": 1_250_000 + 60 * 9_500 + 60 * 40_000 + 30 * 100_000,
    "IV": 1_720_000 + 1_350_000 + 90 * 12_000 + 90 * 40_000 + 50 * 100_000,
    "V": 8 * 360_000 + 2 * 710_000 + 12 * 360_000 + 4 * 710_000 + 2 * 360_000 + 28 * 45_000,
}


def test_reward_command_prints_the_amount_last():
    result = run_cli("norms", "reward", "giay_khen_ca_nhan", "--on", "2024-08-01")
    assert result.code == 0
    assert result.last_line == "360000"
    assert "0,15" in result.out and "2.340.000" in result.out


def test_reward_command_json_and_rounding():
    result = run_cli(
        "norms",
        "reward",
        "giay_khen_tap_the",
        "--on",
        "01/08/2024",
        "--rounding",
        "nearest",
        "--json",
    )
    data = json.loads(result.out)
    assert (data["amount"], data["coefficient"], data["unrounded"]) == (700_000, "0.3", "702000")


@pytest.mark.parametrize(
    ("args", "needle"),
    [
        (("norms", "reward", "giay_khen", "--on", "2024-08-01"), "giay_khen"),
        # NĐ 91/2017 covers 2017-2023 since issue #11; before 31/7/2017 nothing is in force.
        (("norms", "reward", "giay_khen_ca_nhan", "--on", "2017-01-01"), "01/01/2017"),
        (("norms", "reward", "giay_khen_ca_nhan", "--on", "31/02/2024"), "không phải ngày"),
        (("norms", "reward", "giay_khen_ca_nhan", "--on", "hôm qua"), "không hợp lệ"),
    ],
)
def test_bad_norm_queries_exit_2_with_one_line(args, needle):  # type: ignore[no-untyped-def]
    result = run_cli(*args)
    assert result.code == 2
    assert needle in result.err
    assert result.err.startswith("Lỗi: ") and len(result.err.strip().splitlines()) == 1


def test_norms_list_json_carries_sources():
    data = json.loads(run_cli("norms", "list", "--json").out)
    assert [b["amount"] for b in data["base_salary"]] == [
        1_390_000,  # Nghị định 72/2018/NĐ-CP from 01/7/2018 (issue #11)
        1_490_000,
        1_800_000,
        2_340_000,
        2_530_000,
    ]
    assert all(r["source"] for r in data["reward_rates"])
    assert {"7750", "7758", "6658"} <= {c["code"] for c in data["budget_codes"]}
    assert data["rounding"] == {"step": 10_000, "mode": "up", "source": data["rounding"]["source"]}


def test_norms_list_table_is_vietnamese():
    out = run_cli("norms", "list").out
    assert "MỨC LƯƠNG CƠ SỞ" in out and "Nghị định 73/2024/NĐ-CP" in out and "2.340.000" in out


def test_demo_builds_the_phu_ly_estimate(cli, db_url):  # type: ignore[no-untyped-def]
    first = cli("demo")
    assert first.code == 0, first.err
    plan = json.loads(cli("plan", "show", "--version", "1", "--format", "json").out)
    assert {p["code"]: p["total"] for p in plan["parts"]} == PART_TOTALS
    assert plan["total"] == sum(PART_TOTALS.values()) == 68_967_500
    assert (plan["status"], plan["version"], len(plan["lines"])) == ("approved", 1, 30)
    assert plan["decision_number"] == "52/QĐ-UBND"
    award = next(line for line in plan["lines"] if line["code"] == "V.1")
    assert (award["unit_price"], award["amount"], award["mlnsnn"]) == (360_000, 2_880_000, "6202")
    # The September adjustment: a third pano (+1.850.000) and 10 more guests fed at
    # tổng kết (+10 × 100.000); it is the current approved version.
    current = json.loads(cli("plan", "show", "--format", "json").out)
    assert (current["version"], current["status"]) == (2, "approved")
    assert current["total"] == 68_967_500 + 1_850_000 + 10 * 100_000 == 71_817_500
    org = json.loads(cli("org", "show", "--json").out)
    assert (org["commune_name"], org["chairman_name"]) == ("Phú Lý", "Nguyễn Hữu Bình")
    table = cli("plan", "show", "--version", "1").out
    assert "Bằng chữ: Sáu mươi tám triệu chín trăm sáu mươi bảy nghìn năm trăm đồng" in table


def test_demo_twice_keeps_the_data_and_reset_rebuilds(tmp_path: Path):
    db = str(tmp_path / "demo.db")
    assert run_cli("--db", db, "demo").code == 0
    assert run_cli("--db", db, "org", "set", "--chairman", "Người Khác").code == 0
    again = run_cli("--db", db, "demo")
    assert again.code == 0 and "Giữ nguyên" in again.out
    assert (
        json.loads(run_cli("--db", db, "org", "show", "--json").out)["chairman_name"]
        == "Người Khác"
    )
    assert run_cli("--db", db, "demo", "--reset").code == 0
    assert (
        json.loads(run_cli("--db", db, "org", "show", "--json").out)["chairman_name"]
        == "Nguyễn Hữu Bình"
    )


def test_org_set_is_validated_and_audited(cli, db_url):  # type: ignore[no-untyped-def]
    assert cli("org", "show").code == 2  # nothing yet: a clear message
    assert cli("org", "set", "--commune-name", "Tân An", "--province", "Đồng Nai").code == 0
    result = cli(
        "org",
        "set",
        "--dialect",
        "nam",
        "--rounding",
        "nearest",
        "--chairman",
        "  Lê Văn Tám ",
        "--reason",
        "Bầu chủ tịch mới",
    )
    assert result.code == 0, result.err
    data = json.loads(cli("org", "show", "--json").out)
    assert (data["dialect"], data["rounding"], data["chairman_name"]) == (
        "nam",
        "nearest",
        "Lê Văn Tám",
    )
    bad = cli("org", "set", "--commune-name", "Tân\x07An")
    assert bad.code == 2 and "ký tự điều khiển" in bad.err
    assert json.loads(cli("org", "show", "--json").out)["commune_name"] == "Tân An"
    db = open_database(db_url)
    with db.session() as session:
        entry = (
            session.execute(
                select(AuditEntry)
                .where(AuditEntry.action == "settings")
                .order_by(AuditEntry.id.desc())
            )
            .scalars()
            .first()
        )
    db.dispose()
    assert entry is not None and entry.reason == "Bầu chủ tịch mới" and entry.actor == "kiemthu"
    assert json.loads(entry.after_json) == {
        "dialect": "nam",
        "rounding": "nearest",
        "chairman_name": "Lê Văn Tám",
    }


def _campaign_count(db_url: str) -> int:
    db = open_database(db_url)
    with db.session() as session:
        count = session.execute(select(func.count()).select_from(Campaign)).scalar_one()
    db.dispose()
    return count


@pytest.mark.parametrize(
    ("args", "needle"),
    [
        (("--template", "khong-co", "--year", "2025"), "khong-co"),
        (("--year", "2025", "--date", "2024-12-31"), "không thuộc năm 2025"),
        (("--year", "1890"), "Năm 1890"),
        (("--year", "2025", "--code", "có dấu"), "Mã kế hoạch"),
    ],
)
def test_plan_new_refusals_write_nothing(cli, db_url, args, needle):  # type: ignore[no-untyped-def]
    cli("demo")
    result = cli("plan", "new", *args)
    assert result.code == 2 and needle in result.err
    assert _campaign_count(db_url) == 1


def test_plan_new_empty_and_from_template(cli, db_url):  # type: ignore[no-untyped-def]
    cli("demo")
    empty = cli("plan", "new", "--year", "2025", "--title", "Kế hoạch thử")
    assert empty.code == 0 and empty.last_line == "kh-2025"
    assert json.loads(cli("plan", "show", "--format", "json").out)["total"] == 0
    again = cli("plan", "new", "--template", "chinh-quyen-than-thien", "--year", "2026")
    assert again.last_line == "cqtt-2026"
    plan = json.loads(cli("plan", "show", "--format", "json").out)
    # 2026: awards at 15/07 and 15/12 use the 2.530.000 base salary and Nghị định 152:
    # individual 0.3 × 2.530.000 = 759.000 -> 760.000; collective 0.6 × ... = 1.518.000 -> 1.520.000
    v1 = next(line for line in plan["lines"] if line["code"] == "V.1")
    v2 = next(line for line in plan["lines"] if line["code"] == "V.2")
    assert (v1["unit_price"], v2["unit_price"]) == (760_000, 1_520_000)
    old = json.loads(
        cli("plan", "show", "--campaign", "cqtt-2024", "--version", "1", "--format", "json").out
    )
    assert old["total"] == 68_967_500


def test_console_script_exits_2_without_traceback(tmp_path: Path):
    garbage = tmp_path / "x.db"
    garbage.write_text("not a database")
    proc = subprocess.run(
        [sys.executable, "-m", "budget", "--db", str(garbage), "plan", "show"],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert proc.returncode == 2
    assert "Traceback" not in proc.stderr and proc.stderr.startswith("Lỗi: ")
