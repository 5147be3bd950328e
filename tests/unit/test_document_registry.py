"""One registry of documents (budget.documents) drives `budget export`, the TUI's
export dialog and the README's table; export_document is the one core function."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import pytest
from openpyxl import load_workbook

from budget.documents import DOCUMENTS, document, export_document, markdown_table, parse_params
from budget.errors import ValidationError
from tests.conftest import run_cli

README = Path(__file__).resolve().parents[2] / "README.md"
KEYS = [
    "estimate",
    "settlement",
    "payout",
    "summary",
    "c41bb",
    "c202a",
    "vouchers",
    "c42",
    "c43bb",
    "c203",
]
KEYS += ["meals", "part-settlement", "province"]


@pytest.fixture(scope="module")
def demo_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    db = tmp_path_factory.mktemp("demo") / "budget.db"
    result = run_cli("--db", str(db), "demo")
    assert result.code == 0, result.err
    return db


def test_the_registry_lists_each_document_once() -> None:
    assert [d.key for d in DOCUMENTS] == KEYS
    assert [d.stem for d in DOCUMENTS] == [
        "du-toan",
        "quyet-toan",
        "danh-sach-thuong",
        "tong-hop",
        "phieu-chi",
        "giay-rut-du-toan",
        "bang-ke-chung-tu",
        "giay-de-nghi-tam-ung",
        "giay-thanh-toan-tam-ung",
        "giay-de-nghi-thanh-toan-tam-ung",
        "danh-sach-tien-an",
        "quyet-toan-hoi-nghi",
        "tong-hop-tinh",
    ]
    assert [p.option for p in document("estimate").params] == ["--version", "--draft", "--date"]
    assert [p.option for p in document("settlement").params] == ["--as-of", "--date"]
    assert [p.option for p in document("payout").params] == ["--decision"]
    assert document("summary").params == ()
    assert [p.option for p in document("c41bb").params] == ["--voucher"]
    # Voucher forms name the kinds of voucher the TUI offers for them.
    assert [document(k).params[0].vouchers for k in ("c41bb", "c202a", "c42", "c43bb", "c203")] == [
        ("payment",),
        ("payment",),
        ("advance",),
        ("settlement",),
        ("settlement",),
    ]
    assert [p.option for p in document("meals").params] == ["--part"]
    assert [p.option for p in document("part-settlement").params] == ["--part", "--as-of", "--date"]
    assert [p.option for p in document("province").params] == ["--province", "--year"]


def test_readme_table_lists_exactly_the_registry() -> None:
    text = README.read_text(encoding="utf-8")
    assert markdown_table() in text, "README: paste budget.documents.markdown_table() in «Excel»"
    listed = re.findall(r"^\| [^|]+ \| `budget export ([\w-]+)` \|", text, flags=re.M)
    assert listed == KEYS


def test_cli_has_one_subcommand_per_document_with_its_options() -> None:
    from budget.cli.export_cmd import export

    assert sorted(export.commands) == sorted(KEYS)
    for doc in DOCUMENTS:
        options = {o for p in export.commands[doc.key].params for o in getattr(p, "opts", ())}
        assert {"--campaign", "--out", "--force", "--pdf"} | {
            p.option for p in doc.params
        } == options


def test_tui_dialog_offers_the_registry() -> None:
    from tui.modals.export import FILE_NAMES, KINDS

    assert KINDS == [
        ("Dự toán kinh phí", "estimate"),
        ("Báo cáo quyết toán", "settlement"),
        ("Danh sách nhận tiền thưởng", "payout"),
        ("Tổng hợp cho Chủ tịch", "summary"),
        ("Phiếu chi (C41-BB)", "c41bb"),
        ("Giấy rút dự toán NSNN (C2-02a/NS)", "c202a"),
        ("Bảng kê chứng từ", "vouchers"),
        ("Giấy đề nghị tạm ứng (C42-HD)", "c42"),
        ("Giấy thanh toán tạm ứng (C43-BB)", "c43bb"),
        ("Giấy đề nghị thanh toán tạm ứng (C2-03/NS)", "c203"),
        ("Danh sách nhận tiền hỗ trợ tiền ăn", "meals"),
        ("Quyết toán kinh phí hội nghị", "part-settlement"),
        ("Tổng hợp kinh phí cấp tỉnh", "province"),
    ]
    assert FILE_NAMES["payout"] == "danh-sach-thuong"
    assert FILE_NAMES["province"] == "tong-hop-tinh"


def test_the_province_roll_up_is_offered_to_a_reviewer_only_and_first() -> None:
    from tui.modals.export import KINDS, offered

    assert offered(reviewer=False) == KINDS[:-1]
    assert offered(reviewer=True) == [KINDS[-1], *KINDS[:-1]]
    assert [d.key for d in DOCUMENTS if d.province_wide] == ["province"]


def test_parse_params_reads_dates_and_drops_empty_values() -> None:
    doc = document("settlement")
    assert parse_params(doc, {"as_of": "31/07/2024", "doc_date": ""}) == {
        "as_of": date(2024, 7, 31)
    }
    with pytest.raises(ValidationError, match="Ngày số liệu"):
        parse_params(doc, {"as_of": "31/02/2024"})


def _export(db: Path, kind: str, out: Path, **params: object):  # type: ignore[no-untyped-def]
    from budget.db import open_database
    from budget.norms import load_norms
    from budget.services.campaigns import find_campaign

    database = open_database(str(db))
    try:
        with database.session() as session:
            campaign = find_campaign(session).id
            return export_document(session, load_norms(), campaign, kind, out, **params)
    finally:
        database.dispose()


def test_core_settlement_as_of_counts_the_vouchers_to_that_day(
    demo_db: Path, tmp_path: Path
) -> None:
    # Up to 31/07/2024 the demo has PC-0001..0010, UNC-0001/2, TU-0001, TT-0001, PC-0014/15.
    result = _export(demo_db, "settlement", tmp_path / "qt.xlsx", as_of="31/07/2024")
    assert result.rows == 16
    assert result.message == f"Đã xuất báo cáo quyết toán (16 chứng từ): {result.path}"
    cli = run_cli(
        "--db", str(demo_db), "export", "settlement", "--as-of", "31/07/2024",
        "--out", str(tmp_path / "qt-cli.xlsx"),
    )  # fmt: skip
    assert cli.code == 0, cli.err
    assert (
        cli.out.strip() == f"Đã xuất báo cáo quyết toán (16 chứng từ): {tmp_path / 'qt-cli.xlsx'}"
    )


def test_core_payout_defaults_to_the_latest_decision(demo_db: Path, tmp_path: Path) -> None:
    result = _export(demo_db, "payout", tmp_path / "thuong.xlsx")
    assert "210/QĐ-UBND" in result.message and result.rows == 4
    assert "Quyết định số 210/QĐ-UBND" in " ".join(
        str(c.value) for row in load_workbook(result.path).active.iter_rows() for c in row
    )


def test_unknown_document_or_parameter_is_one_line_and_writes_nothing(
    demo_db: Path, tmp_path: Path
) -> None:
    out = tmp_path / "x.xlsx"
    with pytest.raises(ValidationError, match="Không có văn bản «budget»"):
        _export(demo_db, "budget", out)
    with pytest.raises(ValidationError, match="«decision»"):
        _export(demo_db, "summary", out, decision="120/QĐ-UBND")
    assert not out.exists()
