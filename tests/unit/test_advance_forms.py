"""The advance forms (Giấy đề nghị tạm ứng, Giấy thanh toán tạm ứng C43-BB) and the
treasury's Giấy đề nghị thanh toán tạm ứng (C2-03/NS), read back without
recalculating, and the dated templates that choose a form's code and regime by
the voucher's date.

Figures from budget/demo.py, worked out by hand:

* TU-0001, 25/06/2024: 2.280.000 đồng advanced to Lê Minh Tuấn on line II.3
  (tiểu mục 6600), "Tạm ứng làm băng rôn tuyên truyền treo tại trụ sở và các ấp".
* TT-0001, 08/07/2024: its settlement, 2.240.000 spent, so 40.000 unspent.
* TU-0002, 10/12/2024: 1.500.000 on IV.1, still open.
* The organisation: mã QHNS 1123456, Chương 805, loại-khoản 340-341, nguồn 13.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from openpyxl import load_workbook

from budget.errors import ValidationError
from tests.conftest import run_cli

ADVANCE = 2_280_000
SPENT = 2_240_000
ADVANCE_WORDS = "Hai triệu hai trăm tám mươi nghìn đồng"
SPENT_WORDS = "Hai triệu hai trăm bốn mươi nghìn đồng"
CONTENT = "Tạm ứng làm băng rôn tuyên truyền treo tại trụ sở và các ấp"
CODES = "Chương 805, loại-khoản 340-341, tiểu mục 6600, nguồn 13, dòng dự toán II.3"
TT107 = "(Ban hành kèm theo Thông tư số 107/2017/TT-BTC ngày 10/10/2017 của Bộ Tài chính)"
TT24 = "(Ban hành kèm theo Thông tư số 24/2024/TT-BTC ngày 17/4/2024 của Bộ Tài chính)"

#: A 2025 campaign in the demo's commune: an advance settled, and a payment.
YEAR_2025 = (
    (
        "plan",
        "new",
        "--template",
        "chinh-quyen-than-thien",
        "--year",
        "2025",
        "--number",
        "12/KH-UBND",
        "--date",
        "15/01/2025",
        "--code",
        "cqtt-2025",
    ),
    ("plan", "submit", "--campaign", "cqtt-2025"),
    (
        "plan",
        "approve",
        "--campaign",
        "cqtt-2025",
        "--decision",
        "20/QĐ-UBND",
        "--date",
        "2025-01-20",
    ),
    (
        "voucher",
        "add",
        "--campaign",
        "cqtt-2025",
        "--type",
        "tam_ung",
        "--line",
        "II.3",
        "--amount",
        "1.000.000",
        "--date",
        "2025-02-10",
        "--payee",
        "Trần Văn An",
        "--content",
        "Tạm ứng làm băng rôn",
    ),
    (
        "voucher",
        "settle",
        "TU-0001",
        "--campaign",
        "cqtt-2025",
        "--amount",
        "950.000",
        "--date",
        "2025-02-20",
    ),
)


@pytest.fixture(scope="module")
def demo_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    db = tmp_path_factory.mktemp("advance-forms") / "budget.db"
    result = run_cli("--db", str(db), "demo")
    assert result.code == 0, result.err
    for args in YEAR_2025:
        step = run_cli("--db", str(db), *args)
        assert step.code == 0, (args, step.err)
    return db


def _export(
    db: Path, out: Path, kind: str, voucher: str, campaign: str = "cqtt-2024"
) -> list[list[object]]:
    """The workbook's rows; the 2024 demo unless ``campaign`` names another."""
    result = run_cli(
        "--db",
        str(db),
        "export",
        kind,
        "--voucher",
        voucher,
        "--campaign",
        campaign,
        "--out",
        str(out),
    )
    assert result.code == 0, result.err
    ws = load_workbook(out, data_only=True).active
    return [[c.value for c in row] for row in ws.iter_rows()]


def _values(rows: list[list[object]]) -> list[object]:
    return [v for row in rows for v in row if v is not None]


def _after(values: list[object], label: str) -> object:
    return values[values.index(label) + 1]


def test_advance_request_carries_the_advance_and_its_words(demo_db: Path, tmp_path: Path) -> None:
    values = _values(_export(demo_db, tmp_path / "tu.xlsx", "c42", "TU-0001"))
    assert "GIẤY ĐỀ NGHỊ TẠM ỨNG" in values
    assert "Mẫu số C42-HD" in values and TT107 in values
    assert "Ngày 25 tháng 06 năm 2024" in values and "Số: TU-0001" in values
    assert "Kính gửi: Chủ tịch Ủy ban nhân dân xã Phú Lý" in values
    assert _after(values, "Tên tôi là:") == "Lê Minh Tuấn"
    assert _after(values, "Đề nghị cho tạm ứng số tiền:") == ADVANCE
    assert f"(Viết bằng chữ): {ADVANCE_WORDS}" in values
    assert _after(values, "Lý do tạm ứng:") == CONTENT
    assert _after(values, "Mã ngân sách:") == CODES
    signers = values[values.index("THỦ TRƯỞNG ĐƠN VỊ") :]
    assert signers[:4] == [
        "THỦ TRƯỞNG ĐƠN VỊ",
        "KẾ TOÁN TRƯỞNG",
        "PHỤ TRÁCH BỘ PHẬN",
        "NGƯỜI ĐỀ NGHỊ TẠM ỨNG",
    ]
    assert signers[-4:] == ["Nguyễn Hữu Bình", "Trần Thị Thu Hà", "", "Lê Minh Tuấn"]


def test_settlement_form_adds_up_the_advance_the_spending_and_the_difference(
    demo_db: Path, tmp_path: Path
) -> None:
    rows = _export(demo_db, tmp_path / "tt.xlsx", "c43bb", "TT-0001")
    values = _values(rows)
    assert "GIẤY THANH TOÁN TẠM ỨNG" in values and "Mẫu số C43-BB" in values
    assert TT107 in values and "Ngày 08 tháng 07 năm 2024" in values
    assert _after(values, "Họ và tên người thanh toán:") == "Lê Minh Tuấn"
    assert _after(values, "Mã ngân sách:") == CODES
    table = {row[0]: row[6] for row in rows if isinstance(row[0], str)}
    assert table["I. Số tiền tạm ứng"] == ADVANCE
    assert table["1. Số tạm ứng các kỳ trước chưa chi hết"] == 0
    assert table["2. Số tạm ứng kỳ này: giấy đề nghị tạm ứng số TU-0001 ngày 25/06/2024"] == (
        ADVANCE
    )
    assert table["II. Số tiền đã chi"] == SPENT
    assert table[f"1. Thanh toán tạm ứng TU-0001: {CONTENT}"] == SPENT
    assert table["1. Số tạm ứng chi không hết (I - II)"] == 40_000
    assert table["2. Chi quá số tạm ứng (II - I)"] == 0
    assert f"Số tiền đã chi (viết bằng chữ): {SPENT_WORDS}" in values
    # Named by its advance, the same settlement is printed.
    again = _values(_export(demo_db, tmp_path / "tu.xlsx", "c43bb", "TU-0001"))
    assert again == values


def test_treasury_settlement_request_codes_the_line(demo_db: Path, tmp_path: Path) -> None:
    rows = _export(demo_db, tmp_path / "kb.xlsx", "c203", "TT-0001")
    values = _values(rows)
    assert "GIẤY ĐỀ NGHỊ THANH TOÁN TẠM ỨNG" in values and "Mẫu số C2-03/NS" in values
    assert "(Theo Nghị định số 11/2020/NĐ-CP ngày 20/01/2020 của Chính phủ)" in values
    assert "Mã ĐVQHNS: 1123456" in values
    header = next(i for i, r in enumerate(rows) if r[0] == "Nội dung thanh toán")
    assert rows[header][6:9] == [
        "Số dư tạm ứng",
        "Số đề nghị thanh toán",
        "Số KBNN duyệt thanh toán",
    ]
    assert rows[header + 1][:9] == [
        CONTENT,
        "6600",
        "805",
        "340-341",
        "13",
        "2024",
        ADVANCE,
        SPENT,
        None,
    ]
    total = rows[header + 2]
    assert total[0] == "Tổng cộng" and total[6:9] == [ADVANCE, SPENT, 0]
    assert f"Tổng số đề nghị thanh toán ghi bằng chữ: {SPENT_WORDS}" in values
    assert any("Kho bạc Nhà nước khu vực XVI thanh toán" in str(v) for v in values)


@pytest.mark.parametrize(
    ("kind", "voucher", "message"),
    [
        ("c42", "PC-0001", "không phải giấy tạm ứng"),
        ("c43bb", "TU-0002", "chưa được thanh toán"),
        ("c203", "PC-0001", "không phải chứng từ thanh toán tạm ứng"),
        ("c43bb", "TT-9999", "Không có chứng từ số «TT-9999»"),
    ],
)
def test_wrong_voucher_is_one_line_and_writes_nothing(
    demo_db: Path, tmp_path: Path, kind: str, voucher: str, message: str
) -> None:
    out = tmp_path / "x.xlsx"
    result = run_cli(
        "--db",
        str(demo_db),
        "export",
        kind,
        "--voucher",
        voucher,
        "--campaign",
        "cqtt-2024",
        "--out",
        str(out),
    )
    assert result.code != 0
    assert result.err.startswith("Lỗi:") and result.err.count("\n") == 1, result.err
    assert message in result.err
    assert not out.exists()


def test_a_2025_voucher_prints_under_the_2025_regime(demo_db: Path, tmp_path: Path) -> None:
    campaign = "cqtt-2025"
    advance = _values(_export(demo_db, tmp_path / "a.xlsx", "c42", "TU-0001", campaign))
    assert TT24 in advance and TT107 not in advance
    assert "Ngày 10 tháng 02 năm 2025" in advance
    assert _after(advance, "Đề nghị cho tạm ứng số tiền:") == 1_000_000
    settled = _export(demo_db, tmp_path / "s.xlsx", "c43bb", "TT-0001", campaign)
    assert TT24 in _values(settled)
    table = {row[0]: row[6] for row in settled if isinstance(row[0], str)}
    assert table["I. Số tiền tạm ứng"] == 1_000_000
    assert table["II. Số tiền đã chi"] == 950_000
    assert table["1. Số tạm ứng chi không hết (I - II)"] == 50_000
    # The 2024 demo's own vouchers keep TT 107/2017 (see the tests above).


def test_templates_are_chosen_by_date() -> None:
    from budget.voucher_forms import form_for

    assert form_for("c43bb", date(2024, 12, 31)).regime == "Thông tư 107/2017/TT-BTC"
    assert form_for("c43bb", date(2025, 1, 1)).regime == "Thông tư 24/2024/TT-BTC"
    assert form_for("c41bb", date(2025, 1, 1)).basis == TT24
    assert form_for("c202a", date(2020, 3, 9)).regime == "Thông tư 77/2017/TT-BTC"
    assert form_for("c202a", date(2020, 3, 10)).regime == "Nghị định 11/2020/NĐ-CP"
    assert form_for("c203", date(2025, 6, 1)).form_code == "Mẫu số C2-03/NS"
    with pytest.raises(ValidationError, match="01/06/2017"):
        form_for("c42", date(2017, 6, 1))


def test_a_user_norms_file_adds_a_regime(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from budget.voucher_forms import form_for

    extra = tmp_path / "mau-moi.toml"
    extra.write_text(
        """
[[voucher_form]]
document = "c43bb"
code = "C99-XX"
title = "GIẤY THANH TOÁN TẠM ỨNG (MẪU MỚI)"
regime = "Thông tư 99/2026/TT-BTC"
basis = "(Theo Thông tư số 99/2026/TT-BTC)"
valid_from = "2026-07-01"
signers = ["A", "B", "C", "D"]
""",
        encoding="utf-8",
    )
    monkeypatch.setenv("BUDGET_NORMS", str(extra))
    assert form_for("c43bb", date(2026, 6, 30)).regime == "Thông tư 24/2024/TT-BTC"
    latest = form_for("c43bb", date(2026, 7, 1))
    assert (latest.form_code, latest.signers) == ("Mẫu số C99-XX", ("A", "B", "C", "D"))


def test_registry_on_each_engine_picks_and_prints_the_settlement(
    db_url: str, tmp_path: Path
) -> None:
    """voucher_choices and the settlement look-up on SQLite and PostgreSQL: the
    demo's posted, unreversed advances newest first, its one settlement, and
    the C43-BB printed from the advance's number."""
    from budget.db import open_database
    from budget.documents import export_document, voucher_choices
    from budget.norms import load_norms
    from budget.services.campaigns import find_campaign

    assert run_cli("--db", db_url, "demo").code == 0
    database = open_database(db_url)
    try:
        with database.session() as session:
            campaign = find_campaign(session).id
            advances = voucher_choices(session, campaign, ("advance",))
            settlements = voucher_choices(session, campaign, ("settlement",))
            payments = [n for _, n in voucher_choices(session, campaign, ("payment",))]
            out = tmp_path / "tt.xlsx"
            export_document(session, load_norms(), campaign, "c43bb", out, voucher="TU-0001")
    finally:
        database.dispose()
    assert advances == [
        ("TU-0002 · 10/12/2024 · 1.500.000 · Lê Minh Tuấn", "TU-0002"),
        ("TU-0001 · 25/06/2024 · 2.280.000 · Lê Minh Tuấn", "TU-0001"),
    ]
    assert settlements == [("TT-0001 · 08/07/2024 · 2.240.000 · Lê Minh Tuấn", "TT-0001")]
    assert payments[0] == "PC-0017" and "PC-0012" not in payments
    # 26 vouchers − 2 advances − 1 settlement − PC-0012 (reversed) − PC-0012-H.
    assert "PC-0012-H" not in payments and len(payments) == 21
    rows = [[c.value for c in r] for r in load_workbook(out, data_only=True).active.iter_rows()]
    table = {r[0]: r[6] for r in rows if isinstance(r[0], str)}
    assert table["II. Số tiền đã chi"] == SPENT
