"""Bad input is refused cleanly: exit status 2, one Vietnamese line on stderr
("Lỗi: ..."), no traceback, and NOTHING changed in the database or in the
reconciliation report. Positive controls prove the refusals are not vacuous:
the same commands with valid input succeed and do change the snapshot.

Every case starts from the same scenario built through the command line: the
commune, the "Chính quyền thân thiện" 2024 estimate from its template, submitted
and approved, a few vouchers, an advance, a settled advance, a reversal, a paid
and an unpaid award decision. It is built without ``budget demo`` because the
demo now tells a whole year of its own (an adjustment, dozens of vouchers), and
the cases need numbers and balances they can name; a few refusals are also
checked on the demo database itself. Each test runs on SQLite and, when
BUDGET_TEST_DATABASE_URL is set, on PostgreSQL.

The scenarios are built once per session (tests/prepared.py): on SQLite each
case gets its own copy of the built file; on PostgreSQL the refusals, which must
change nothing, share one built schema that is rebuilt whenever a case did
change it, and the positive controls build their own.
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections.abc import Callable
from typing import Any

import pytest
from sqlalchemy import create_engine, text

from tests.conftest import CliResult, run_cli
from tests.prepared import ScenarioStore

Cli = Callable[..., CliResult]

# ---------------------------------------------------------------------------
# The scenario every case starts from.
#
#   PC-0001  phiếu chi 1.000.000 on I.1 (approved 1.650.000 -> 650.000 left)
#   TU-0001  tạm ứng 2.000.000 on II.1, not settled
#   TU-0002  tạm ứng 500.000 on II.3, settled with 400.000 (TT-...)
#   15/PC    phiếu chi 200.000 on I.3 with a hand-typed number
#   PC-0002  phiếu chi 300.000 on I.2, reversed by PC-0002-H
#   120/QĐ-UBND  award decision, one recipient, paid (PC-0003 on V.1)
#   121/QĐ-UBND  award decision, no recipients, not paid
# ---------------------------------------------------------------------------
SCENARIO: tuple[tuple[str, ...], ...] = (
    (
        "org",
        "set",
        "--commune-name",
        "Phú Lý",
        "--province",
        "Đồng Nai",
        "--place",
        "Phú Lý",
        "--chairman",
        "Nguyễn Hữu Bình",
    ),
    (
        "plan",
        "new",
        "--template",
        "chinh-quyen-than-thien",
        "--year",
        "2024",
        "--number",
        "45/KH-UBND",
        "--date",
        "20/05/2024",
        "--code",
        "cqtt-2024",
    ),
    ("plan", "submit"),
    ("plan", "approve", "--decision", "52/QĐ-UBND", "--date", "2024-05-27"),
    (
        "voucher",
        "add",
        "--line",
        "I.1",
        "--amount",
        "1.000.000",
        "--date",
        "2024-06-10",
        "--payee",
        "Công ty TNHH Quảng cáo Ánh Dương",
        "--content",
        "Trang trí hội trường",
    ),
    (
        "voucher",
        "add",
        "--type",
        "tam_ung",
        "--line",
        "II.1",
        "--amount",
        "2.000.000",
        "--date",
        "2024-06-11",
        "--payee",
        "Lê Văn Bình",
        "--content",
        "Tạm ứng làm pano",
    ),
    (
        "voucher",
        "add",
        "--type",
        "tam_ung",
        "--line",
        "II.3",
        "--amount",
        "500.000",
        "--date",
        "2024-06-12",
        "--payee",
        "Phạm Thị Cúc",
        "--content",
        "Tạm ứng băng rôn",
    ),
    ("voucher", "settle", "TU-0002", "--amount", "400.000", "--date", "2024-06-20"),
    (
        "voucher",
        "add",
        "--line",
        "I.3",
        "--amount",
        "200.000",
        "--date",
        "2024-06-13",
        "--payee",
        "Tiệm photo Minh Khoa",
        "--content",
        "In tài liệu",
        "--number",
        "15/PC",
    ),
    (
        "voucher",
        "add",
        "--line",
        "I.2",
        "--amount",
        "300.000",
        "--date",
        "2024-06-14",
        "--payee",
        "Hộ kinh doanh Tùng Lâm",
        "--content",
        "Thuê âm thanh",
    ),
    ("voucher", "reverse", "PC-0002", "--reason", "Ghi nhầm dòng", "--date", "2024-06-15"),
    ("award", "new", "--number", "120/QĐ-UBND", "--date", "2024-07-20", "--line", "V.1"),
    ("award", "add", "120/QĐ-UBND", "--name", "Nguyễn Văn An", "--form", "giay_khen_ca_nhan"),
    ("award", "pay", "120/QĐ-UBND"),
    ("award", "new", "--number", "121/QĐ-UBND", "--date", "2024-08-01", "--line", "V.1"),
)

ADJUST = (("plan", "adjust", "--reason", "Bổ sung nội dung"),)


# ---------------------------------------------------------------------------
# What "nothing changed" means.
# ---------------------------------------------------------------------------
_QUERIES: dict[str, str] = {
    "vouchers_totals": "SELECT COUNT(*), COALESCE(SUM(amount), 0), "
    "COALESCE(SUM(spent_delta), 0), COALESCE(SUM(committed_delta), 0) FROM vouchers",
    "vouchers_rows": "SELECT type, number, kind, amount, spent_delta, committed_delta, "
    "line_code, payee, entry_date FROM vouchers ORDER BY id",
    "audit_entries": "SELECT COUNT(*), MAX(id) FROM audit_entries",
    "audit_last_hash": "SELECT hash FROM audit_entries ORDER BY id DESC LIMIT 1",
    "estimate_lines": "SELECT COUNT(*), COALESCE(SUM(amount), 0) FROM estimate_lines",
    "estimate_lines_rows": "SELECT v.version_no, l.code, l.quantity, l.multiplier, "
    "l.unit_price, l.amount, l.mlnsnn, l.content FROM estimate_lines l "
    "JOIN estimate_versions v ON v.id = l.version_id ORDER BY v.version_no, l.code",
    "estimate_parts": "SELECT COUNT(*) FROM estimate_parts",
    "estimate_versions": "SELECT version_no, status, decision_number, decision_date "
    "FROM estimate_versions ORDER BY version_no",
    "award_decisions": "SELECT number, decision_date, paid_at IS NOT NULL "
    "FROM award_decisions ORDER BY id",
    "award_recipients": "SELECT COUNT(*), COALESCE(SUM(amount), 0) FROM award_recipients",
    "campaigns": "SELECT COUNT(*) FROM campaigns",
    "organisations": "SELECT code, current_campaign_id FROM organisations ORDER BY id",
}


def db_snapshot(db_url: str) -> dict[str, Any]:
    engine = create_engine(db_url)
    try:
        with engine.connect() as conn:
            return {
                name: [tuple(str(v) for v in row) for row in conn.execute(text(sql))]
                for name, sql in _QUERIES.items()
            }
    finally:
        engine.dispose()


def reconcile_json(cli: Cli) -> Any:
    result = cli("report", "reconcile", "--format", "json")
    assert result.code == 0, result.err
    return json.loads(result.out)


def full_snapshot(cli: Cli, db_url: str) -> dict[str, Any]:
    return {"db": db_snapshot(db_url), "reconcile": reconcile_json(cli)}


# ---------------------------------------------------------------------------
# What a clean refusal looks like.
# ---------------------------------------------------------------------------
_VIETNAMESE_LETTERS = re.compile(
    "[àáạảãâầấậẩẫăằắặẳẵèéẹẻẽêềếệểễìíịỉĩòóọỏõôồốộổỗơờớợởỡùúụủũưừứựửữỳýỵỷỹđ]"
)
_ENGLISH = re.compile(
    r"\b(invalid|error|missing|required|no such|not one of|is not|expected|got|usage|"
    r"traceback|exception|none|must|cannot|unexpected|value)\b",
    re.IGNORECASE,
)


def assert_clean_refusal(result: CliResult) -> None:
    shown = f"exit {result.code}\nstderr: {result.err!r}\nstdout: {result.out!r}"
    assert "Traceback" not in result.err + result.out, shown
    assert result.code == 2, shown
    lines = result.err.splitlines()
    assert len(lines) == 1, f"expected exactly one stderr line\n{shown}"
    line = lines[0]
    assert line.startswith("Lỗi: "), shown
    body = unicodedata.normalize("NFC", line[len("Lỗi: ") :])
    assert body.strip(), shown
    assert _VIETNAMESE_LETTERS.search(body.lower()), f"message is not Vietnamese\n{shown}"
    english = _ENGLISH.search(body)
    assert english is None, f"English in the message ({english[0]!r})\n{shown}"


# ---------------------------------------------------------------------------
# The refusals.
# ---------------------------------------------------------------------------
def voucher_add(**over: str) -> tuple[str, ...]:
    """``voucher add`` with valid defaults (300.000 on I.2), overridden by keyword."""
    opts = {
        "line": "I.2",
        "amount": "300.000",
        "date": "2024-06-18",
        "payee": "Nguyễn Thị Hoa",
        "content": "Chi thuê âm thanh",
    }
    opts.update(over)
    args: list[str] = ["voucher", "add"]
    for key, value in opts.items():
        args += [f"--{key.replace('_', '-')}", value]
    return tuple(args)


def line_add(**over: str) -> tuple[str, ...]:
    """``plan line add`` with valid defaults on part I, overridden by keyword."""
    opts = {
        "part": "I",
        "content": "Thuê máy chiếu",
        "quantity": "1",
        "unit_price": "500.000",
        "mlnsnn": "6657",
    }
    opts.update(over)
    args: list[str] = ["plan", "line", "add"]
    for key, value in opts.items():
        args += [f"--{key.replace('_', '-')}", value]
    return tuple(args)


def case(case_id: str, args: tuple[str, ...], pre: tuple[tuple[str, ...], ...] = ()) -> Any:
    return pytest.param(args, pre, id=case_id)


BAD_CASES = [
    # --- amounts ----------------------------------------------------------
    case("amount-zero", voucher_add(amount="0")),
    case("amount-zero-dotted", voucher_add(amount="000")),
    case("amount-negative", voucher_add(amount="-5000")),
    case("amount-decimal-dot", voucher_add(amount="1.5")),
    case("amount-decimal-comma", voucher_add(amount="1,5")),
    case("amount-1,5tr", voucher_add(amount="1,5tr")),
    case("amount-bad-groups", voucher_add(amount="12.34.56")),
    case("amount-exponent", voucher_add(amount="1e6")),
    case("amount-empty", voucher_add(amount="")),
    case("amount-letters", voucher_add(amount="abc")),
    case("amount-plus-sign", voucher_add(amount="+5000")),
    case("amount-too-large", voucher_add(amount="1.000.000.000.000.000")),
    case("amount-10^15-plain", voucher_add(amount="1000000000000000")),
    # --- lines, dates, numbers ---------------------------------------------
    case("unknown-line", voucher_add(line="IX.9")),
    case("date-other-year", voucher_add(date="2023-06-10")),
    case("date-next-year", voucher_add(date="15/01/2025")),
    case("date-impossible", voucher_add(date="31/02/2024")),
    case("date-garbage", voucher_add(date="hôm nay")),
    case("duplicate-hand-number", voucher_add(number="15/PC")),
    case("duplicate-auto-number", voucher_add(number="PC-0001")),
    case("duplicate-reversal-number", voucher_add(number="PC-0002-H")),
    case("overspend-no-reason", voucher_add(line="I.1", amount="700.000")),
    case("overspend-blank-reason", voucher_add(line="I.1", amount="700.000", override_reason="  ")),
    case("unknown-voucher-type", voucher_add(type="khong_co")),
    case("payee-control-char", voucher_add(payee="A\x07B")),
    case("payee-empty", voucher_add(payee="")),
    case("payee-blank", voucher_add(payee="   ")),
    case("payee-too-long", voucher_add(payee="A" * 301)),
    # Invisible-only or line-breaking text is as good as empty / multi-line.
    case("payee-zero-width-space-only", voucher_add(payee="\u200b")),
    case("payee-line-separator", voucher_add(payee="Nguyễn\u2028Văn An")),
    case("content-escape-sequence", voucher_add(content="\x1b[31mđỏ")),
    case("unknown-campaign", voucher_add(campaign="khong-co")),
    # --- reversals ---------------------------------------------------------
    case(
        "reverse-twice",
        ("voucher", "reverse", "PC-0002", "--reason", "Hủy lần nữa", "--date", "2024-06-20"),
    ),
    case(
        "reverse-a-reversal",
        ("voucher", "reverse", "PC-0002-H", "--reason", "Hủy bút toán hủy", "--date", "2024-06-20"),
    ),
    case(
        "reverse-unknown",
        ("voucher", "reverse", "PC-9999", "--reason", "Không có", "--date", "2024-06-20"),
    ),
    case(
        "reverse-before-voucher-date",
        ("voucher", "reverse", "PC-0001", "--reason", "Ghi nhầm", "--date", "2024-06-01"),
    ),
    case(
        "reverse-other-year",
        ("voucher", "reverse", "PC-0001", "--reason", "Ghi nhầm", "--date", "2025-01-05"),
    ),
    case("reverse-empty-reason", ("voucher", "reverse", "PC-0001", "--reason", "")),
    case(
        "reverse-settled-advance",
        ("voucher", "reverse", "TU-0002", "--reason", "Hủy", "--date", "2024-06-25"),
    ),
    # --- advances ----------------------------------------------------------
    case(  # spent above the advance is new spending: past the line's remaining, refused
        "settle-above-advance-past-the-line",
        ("voucher", "settle", "TU-0001", "--amount", "99.000.000", "--date", "2024-06-30"),
    ),
    case(
        "settle-non-advance",
        ("voucher", "settle", "PC-0001", "--amount", "100.000", "--date", "2024-06-30"),
    ),
    case(
        "settle-twice",
        ("voucher", "settle", "TU-0002", "--amount", "100.000", "--date", "2024-06-30"),
    ),
    case(
        "settle-before-advance",
        ("voucher", "settle", "TU-0001", "--amount", "1.000.000", "--date", "2024-06-01"),
    ),
    case(
        "settle-negative",
        ("voucher", "settle", "TU-0001", "--amount", "-1", "--date", "2024-06-30"),
    ),
    case(
        "settle-bad-amount",
        ("voucher", "settle", "TU-0001", "--amount", "1,5tr", "--date", "2024-06-30"),
    ),
    # --- awards ------------------------------------------------------------
    case("award-pay-twice", ("award", "pay", "120/QĐ-UBND")),
    case(
        "award-add-to-paid",
        ("award", "add", "120/QĐ-UBND", "--name", "Trần Thị Bích", "--form", "giay_khen_ca_nhan"),
    ),
    case(
        "award-unknown-form",
        ("award", "add", "121/QĐ-UBND", "--name", "Trần Thị Bích", "--form", "huy_chuong_vang"),
    ),
    case(
        "award-name-control-char",
        ("award", "add", "121/QĐ-UBND", "--name", "Trần\x00Bích", "--form", "giay_khen_ca_nhan"),
    ),
    case("award-csv-missing-file", ("award", "add", "121/QĐ-UBND", "--csv", "/khong/co/tep.csv")),
    case("award-pay-no-recipients", ("award", "pay", "121/QĐ-UBND")),
    case("award-pay-unknown", ("award", "pay", "999/QĐ-UBND")),
    case(
        "award-new-duplicate", ("award", "new", "--number", "120/QĐ-UBND", "--date", "2024-09-01")
    ),
    case(
        "award-new-other-year",
        ("award", "new", "--number", "130/QĐ-UBND", "--date", "2023-12-31"),
    ),
    case(
        "award-pay-before-decision",
        ("award", "pay", "121/QĐ-UBND", "--date", "2024-07-01"),
        pre=(
            ("award", "add", "121/QĐ-UBND", "--name", "Võ Thị Lan", "--form", "giay_khen_ca_nhan"),
        ),
    ),
    # --- the estimate's life -----------------------------------------------
    case("edit-approved-line", ("plan", "line", "set", "I.1", "--quantity", "2")),
    case("remove-approved-line", ("plan", "line", "remove", "I.1")),
    case("add-line-to-approved", line_add()),
    case("submit-nothing-draft", ("plan", "submit")),
    case(
        "approve-twice",
        ("plan", "approve", "--decision", "53/QĐ-UBND", "--date", "2024-05-28"),
    ),
    case("adjust-twice", ("plan", "adjust"), pre=ADJUST),
    case("draft-unknown-part", line_add(part="IX"), pre=ADJUST),
    case("draft-bad-budget-code", line_add(mlnsnn="9999"), pre=ADJUST),
    case("draft-quantity-letters", line_add(quantity="abc"), pre=ADJUST),
    case("draft-quantity-negative", line_add(quantity="-2"), pre=ADJUST),
    case("draft-unit-price-comma", line_add(unit_price="1,5"), pre=ADJUST),
    case("draft-duplicate-code", line_add(code="I.1"), pre=ADJUST),
    case(
        "draft-set-quantity-letters",
        ("plan", "line", "set", "I.1", "--quantity", "abc"),
        pre=ADJUST,
    ),
    case("draft-set-unknown-line", ("plan", "line", "set", "IX.9", "--quantity", "2"), pre=ADJUST),
    case("draft-remove-unknown-line", ("plan", "line", "remove", "IX.9"), pre=ADJUST),
    case(
        "approve-adjustment-before-original",
        ("plan", "approve", "--decision", "60/QĐ-UBND", "--date", "2024-05-01"),
        pre=ADJUST + (("plan", "submit"),),
    ),
]


def cli_on(db_url: str) -> Cli:
    def invoke(*args: str) -> CliResult:
        return run_cli("--db", db_url, *args)

    return invoke


@pytest.fixture(scope="session")
def scenarios(tmp_path_factory: pytest.TempPathFactory) -> Any:
    store = ScenarioStore(
        tmp_path_factory.mktemp("scenarios"), lambda url: full_snapshot(cli_on(url), url)
    )
    yield store
    store.close()


@pytest.mark.parametrize(("args", "pre"), BAD_CASES)
def test_bad_input_is_refused_and_changes_nothing(
    scenarios: ScenarioStore, db_url: str, args: tuple[str, ...], pre: tuple[tuple[str, ...], ...]
) -> None:
    db_url, before = scenarios.checkout(db_url, SCENARIO + pre, writes=False)
    cli = cli_on(db_url)

    result = cli(*args)

    after = full_snapshot(cli, db_url)
    shown = f"{args} -> exit {result.code}, stdout {result.out[-200:]!r}"
    assert after["db"] == before["db"], f"database changed by a refused command: {shown}"
    assert after["reconcile"] == before["reconcile"], f"reconcile changed: {shown}"
    assert_clean_refusal(result)


# ---------------------------------------------------------------------------
# Positive controls: the same commands with valid input succeed and change things.
# ---------------------------------------------------------------------------
GOOD_CASES = [
    case("voucher-within-remaining", voucher_add(line="I.1", amount="650.000")),
    case("voucher-dotted-amount-with-unit", voucher_add(amount="1.350.000 đồng")),
    case(
        "overspend-with-reason",
        voucher_add(line="I.1", amount="700.000", override_reason="Giá thuê tăng"),
    ),
    case("hand-number-new", voucher_add(number="16/PC")),
    case("same-number-other-type", voucher_add(number="15/PC", type="rut_du_toan")),
    case("date-vietnamese-format", voucher_add(date="28/06/2024")),
    case(
        "reverse-once",
        ("voucher", "reverse", "PC-0001", "--reason", "Ghi nhầm", "--date", "2024-06-20"),
    ),
    case(
        "settle-within-advance",
        ("voucher", "settle", "TU-0001", "--amount", "2.000.000", "--date", "2024-06-30"),
    ),
    case(
        "award-add-unpaid",
        ("award", "add", "121/QĐ-UBND", "--name", "Trần Thị Bích", "--form", "giay_khen_ca_nhan"),
    ),
    case(
        "award-pay-once",
        ("award", "pay", "121/QĐ-UBND"),
        pre=(
            ("award", "add", "121/QĐ-UBND", "--name", "Võ Thị Lan", "--form", "giay_khen_ca_nhan"),
        ),
    ),
    case("adjust-once", ("plan", "adjust")),
    case("draft-set-quantity", ("plan", "line", "set", "I.1", "--quantity", "2"), pre=ADJUST),
    case("draft-add-line", line_add(), pre=ADJUST),
    case("draft-remove-line", ("plan", "line", "remove", "I.1"), pre=ADJUST),
    case(
        "approve-adjustment",
        ("plan", "approve", "--decision", "60/QĐ-UBND", "--date", "2024-08-15"),
        pre=ADJUST + (("plan", "line", "set", "I.1", "--quantity", "2"), ("plan", "submit")),
    ),
]


@pytest.mark.parametrize(("args", "pre"), GOOD_CASES)
def test_valid_input_succeeds_and_changes_the_database(
    scenarios: ScenarioStore, db_url: str, args: tuple[str, ...], pre: tuple[tuple[str, ...], ...]
) -> None:
    db_url, before = scenarios.checkout(db_url, SCENARIO + pre, writes=True)
    cli = cli_on(db_url)

    result = cli(*args)

    assert result.code == 0, f"{args}: {result.err}{result.out}"
    assert result.err == ""
    after = full_snapshot(cli, db_url)
    assert after["db"] != before["db"]
    assert after["db"]["audit_entries"] != before["db"]["audit_entries"]


# ---------------------------------------------------------------------------
# A few refusals on the demo database itself (its year: estimate approved and
# adjusted, line I.1 fully spent, decision 120/QĐ-UBND paid).
# ---------------------------------------------------------------------------
DEMO_CASES = [
    case("demo-award-pay-twice", ("award", "pay", "120/QĐ-UBND")),
    case(
        "demo-award-add-to-paid",
        ("award", "add", "120/QĐ-UBND", "--name", "Lý Thị Mai", "--form", "giay_khen_ca_nhan"),
    ),
    case("demo-submit-nothing-draft", ("plan", "submit")),
    case(
        "demo-approve-again",
        ("plan", "approve", "--decision", "96/QĐ-UBND", "--date", "2024-09-11"),
    ),
    case("demo-edit-approved-line", ("plan", "line", "set", "I.1", "--quantity", "2")),
    case("demo-amount-zero", voucher_add(amount="0", date="2024-10-01")),
    case("demo-overspend-spent-line", voucher_add(line="I.1", amount="10.000", date="2024-10-01")),
]


@pytest.mark.parametrize(("args", "pre"), DEMO_CASES)
def test_refusals_on_the_demo_year(
    scenarios: ScenarioStore, db_url: str, args: tuple[str, ...], pre: tuple[tuple[str, ...], ...]
) -> None:
    db_url, before = scenarios.checkout(db_url, (("demo",), *pre), writes=False)
    cli = cli_on(db_url)

    result = cli(*args)

    after = full_snapshot(cli, db_url)
    shown = f"{args} -> exit {result.code}, stdout {result.out[-200:]!r}"
    assert after["db"] == before["db"], f"database changed by a refused command: {shown}"
    assert after["reconcile"] == before["reconcile"], f"reconcile changed: {shown}"
    assert_clean_refusal(result)
