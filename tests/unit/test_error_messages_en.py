"""Domain errors built from data speak the interface language (issue 15): the
template is translated when the message is read, then the numbers and names are
filled in. Vietnamese is unchanged to the letter.

Figures from the demo year (budget demo): line II.4 (Hộp thư góp ý) has
1.360.000 đồng and nothing spent, so a voucher of 2.000.000 is over by 640.000;
the plan is of 2024. English texts are the catalogue's, read by hand from
budget/locale/en/LC_MESSAGES/budget.po."""

from __future__ import annotations

import re
import string
from datetime import date
from pathlib import Path

import pytest

from budget.errors import BudgetError, DatabaseError, Term, ValidationError
from budget.i18n import set_language
from budget.i18n_catalog import po_path, read_po
from tests.conftest import run_cli


@pytest.fixture(scope="module")
def demo_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("errors") / "budget.db"
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("BUDGET_USER", "kiemthu")
        mp.setenv("XDG_DATA_HOME", str(path.parent / "data"))
        assert run_cli("--db", str(path), "demo").code == 0
    return path


ADD = ("voucher", "add", "--line", "II.4", "--payee", "Cty A", "--content", "Hộp thư")
CASES = [
    (
        (*ADD, "--amount", "2.000.000", "--date", "10/06/2024"),
        "Vượt dự toán dòng II.4: còn lại 1.360.000 đồng, chứng từ 2.000.000 đồng. "
        "Điều chỉnh dự toán, hoặc ghi rõ lý do chi vượt (--override-reason).",
        "Over the estimate on line II.4: 1.360.000 đồng left, voucher 2.000.000 đồng. "
        "Adjust the estimate, or give the reason for overspending (--override-reason).",
    ),
    (
        (*ADD, "--amount", "1,5", "--date", "10/06/2024"),
        "Số tiền «1,5» có dấu phẩy: tiền tính bằng đồng, không có phần lẻ; nhóm hàng "
        "nghìn bằng dấu chấm, ví dụ 1.500.000.",
        "The amount «1,5» has a comma: money is in whole đồng, with no fraction; group "
        "thousands with dots, e.g. 1.500.000.",
    ),
    (
        (*ADD, "--amount", "1000", "--date", "10/06/2023"),
        "Ngày chứng từ 10/06/2023 không thuộc năm 2024 của kế hoạch.",
        "Voucher date 10/06/2023 is not in the plan's year 2024.",
    ),
    (
        (*ADD, "--amount", "1000", "--date", "31/02/2024"),
        "«Ngày chứng từ» «31/02/2024» không phải ngày có thật.",
        "«Voucher date» «31/02/2024» is not a real date.",
    ),
    (
        ("voucher", "reverse", "PC-9999", "--reason", "Nhầm"),
        "Không có chứng từ số «PC-9999».",
        "There is no voucher number «PC-9999».",
    ),
    (
        ("award", "pay", "999/QĐ-UBND"),
        "Không có quyết định khen thưởng số «999/QĐ-UBND».",
        "There is no award decision number «999/QĐ-UBND».",
    ),
]


@pytest.mark.parametrize("args, vietnamese, english", CASES)
def test_cli_errors_in_both_languages(
    demo_file: Path, args: tuple[str, ...], vietnamese: str, english: str
) -> None:
    vi = run_cli("--db", str(demo_file), *args)
    assert vi.code != 0
    assert vi.err.strip() == f"Lỗi: {vietnamese}"
    en = run_cli("--lang", "en", "--db", str(demo_file), *args)
    assert en.code != 0
    assert en.err.strip() == f"Error: {english}"


def test_a_message_is_translated_when_read_not_when_raised() -> None:
    error = ValidationError(
        "Ngày hủy {day:%d/%m/%Y} không được trước ngày chứng từ {voucher_day:%d/%m/%Y}.",
        day=date(2024, 3, 1),
        voucher_day=date(2024, 3, 5),
    )
    assert str(error) == "Ngày hủy 01/03/2024 không được trước ngày chứng từ 05/03/2024."
    set_language("en")
    assert str(error) == "Reversal date 01/03/2024 cannot be before the voucher date 05/03/2024."
    assert error.message == str(error)


def test_terms_inside_a_message_are_translated_with_it() -> None:
    error = ValidationError("Chưa nhập «{field}».", field=Term("Lý do hủy"))
    assert error.message == "Chưa nhập «Lý do hủy»."
    set_language("en")
    assert error.message == "«Reason for reversal» is empty."


def test_refused_writes_for_read_only_and_reviewer() -> None:
    from budget.db import READ_ONLY_MESSAGE, REVIEWER_MESSAGE

    read_only, reviewer = DatabaseError(READ_ONLY_MESSAGE), DatabaseError(REVIEWER_MESSAGE)
    assert read_only.message == "Đang ở chế độ chỉ xem: không thể thay đổi dữ liệu."
    set_language("en")
    assert read_only.message == "View-only mode: data cannot be changed."
    assert (
        reviewer.message == "A provincial reviewer account can only view: data cannot be changed."
    )


def test_a_message_without_a_translation_stays_vietnamese_with_its_values() -> None:
    set_language("en")
    error = ValidationError("Chưa có bản dịch cho {what}.", what="X-1")
    assert error.message == "Chưa có bản dịch cho X-1."


def _fields(text: str) -> list[str]:
    return sorted(name for _, name, _, _ in string.Formatter().parse(text) if name)


def test_every_translated_template_keeps_its_fields() -> None:
    """A translation that dropped or renamed a {field} would lose a number."""
    entries = read_po(po_path())
    templates = {k: v for k, v in entries.items() if v and re.search(r"\{\w+(:[^}]*)?\}", k)}
    assert len(templates) > 40  # the converted errors of vouchers, approval, awards...
    for vietnamese, english in templates.items():
        assert _fields(english) == _fields(vietnamese), vietnamese


# -- errors converted from f-strings (issue 15, second part) --------------------------
# Every English text below is read by hand from budget.po; the Vietnamese is what
# the messages said before, to the letter.


def test_where_in_a_file_is_translated_inside_the_message() -> None:
    from budget.excel.row_stream import Header
    from budget.excel.table_reader import Table
    from budget.services.voucher_import import _amount

    csv_place = Header("chi.csv", None, 1, {}, 5).where(7, "Số tiền")
    sheet_place = Table("dt.xlsx", "Dự toán", 1, {}, []).where(14, "Đơn giá")
    assert csv_place == "chi.csv, dòng 7, cột «Số tiền»"  # as a str: Vietnamese
    with pytest.raises(ValidationError) as refused:
        _amount(0, lambda: csv_place)
    assert refused.value.message == "chi.csv, dòng 7, cột «Số tiền»: số tiền phải lớn hơn 0."
    set_language("en")
    assert str(sheet_place) == "Sheet «Dự toán», row 14, column «Đơn giá»"
    assert (
        refused.value.message
        == "chi.csv, row 7, column «Số tiền»: the amount must be greater than 0."
    )
    with pytest.raises(ValidationError) as refused:
        _amount(1.5, lambda: csv_place)
    assert refused.value.message == (
        "chi.csv, row 7, column «Số tiền»: the amount 1.5 must be a whole number of đồng."
    )


def test_voucher_import_errors_in_both_languages(demo_file: Path, tmp_path: Path) -> None:
    rows = tmp_path / "c.csv"
    rows.write_text(
        "Ngày,Dòng,Số tiền,Người nhận,Nội dung\n10/06/2023,II.4,1000,Cty A,Hộp thư\n",
        encoding="utf-8",
    )
    args = ("--db", str(demo_file), "import", "vouchers", str(rows))
    vi, en = run_cli(*args), run_cli("--lang", "en", *args)
    assert vi.err.strip() == (
        "Lỗi: c.csv, dòng 2, cột «Ngày»: ngày 10/06/2023 không thuộc năm 2024 của kế hoạch."
    )
    assert en.err.strip() == (
        "Error: c.csv, row 2, column «Ngày»: date 10/06/2023 is not in the plan's year 2024."
    )


def test_table_reader_and_plan_errors(demo_file: Path) -> None:
    from budget.excel.table_reader import read_table

    with pytest.raises(ValidationError) as refused:
        read_table(Path("chi.txt"), {}, [], {})
    assert refused.value.message == "Chỉ nhận tệp .csv hoặc .xlsx: «chi.txt»."
    args = ("--db", str(demo_file), "plan", "show", "--campaign", "KHONG")
    assert run_cli(*args).err.strip() == "Lỗi: Không có kế hoạch «KHONG»."
    assert run_cli("--lang", "en", *args).err.strip() == "Error: There is no plan «KHONG»."
    set_language("en")
    assert refused.value.message == "Only .csv or .xlsx files are accepted: «chi.txt»."


def test_safe_output_refusals(tmp_path: Path) -> None:
    from budget.safe_output import check_target

    with pytest.raises(BudgetError) as folder:
        check_target(tmp_path)
    with pytest.raises(BudgetError) as missing:
        check_target(tmp_path / "none" / "dt.xlsx")
    assert folder.value.message == f"«{tmp_path}» là một thư mục."
    assert missing.value.message == (
        f"Thư mục «{tmp_path / 'none'}» không tồn tại; hãy tạo thư mục trước rồi xuất lại."
    )
    set_language("en")
    assert folder.value.message == f"«{tmp_path}» is a folder."
    assert missing.value.message == (
        f"Folder «{tmp_path / 'none'}» does not exist; create it first, then export again."
    )


def test_database_and_norms_file_errors(tmp_path: Path) -> None:
    from budget.db import open_database
    from budget.errors import NormError
    from budget.norms import load_norms

    text = tmp_path / "x.db"
    text.write_text("hello", encoding="utf-8")
    with pytest.raises(DatabaseError) as not_ours:
        open_database(f"sqlite:///{text}")
    with pytest.raises(NormError) as no_norms:
        load_norms([tmp_path / "none.toml"])
    assert not_ours.value.message == f"Tệp {text} không phải là cơ sở dữ liệu SQLite."
    assert no_norms.value.message == f"Không tìm thấy tệp định mức {tmp_path / 'none.toml'}."
    set_language("en")
    assert not_ours.value.message == f"File {text} is not an SQLite database."
    assert no_norms.value.message == f"Norms file {tmp_path / 'none.toml'} not found."


def test_joined_pieces_are_translated_each_then_joined() -> None:
    from budget.errors import Phrase, join_phrases
    from budget.services.adjustment_rules import WAY_OUT, Shortfall

    # II.4: 500.000 đồng left against 800.000 spent; I.1 removed with 1.650.000 spent.
    details = join_phrases(
        "; ",
        [
            Shortfall("II.4", 500_000, 800_000, 0).message(),
            Shortfall("I.1", None, 1_650_000, 0).message(),
        ],
    )
    error = ValidationError(
        "Không phê duyệt được: {details}. Muốn giảm hoặc bỏ dòng, {way_out}.",
        details=details,
        way_out=WAY_OUT,
    )
    assert error.message == (
        "Không phê duyệt được: dòng II.4 chỉ còn 500.000 đồng, thấp hơn số đã chi 800.000 đồng; "
        "dòng I.1 đã chi 1.650.000 đồng nhưng bị xóa khỏi bản điều chỉnh. Muốn giảm hoặc bỏ "
        "dòng, hãy lập chứng từ ghi giảm trước, hoặc giữ lại dòng."
    )
    set_language("en")
    assert error.message == (
        "Cannot approve: line II.4 has only 500.000 đồng left, below what is used: spent "
        "800.000 đồng; line I.1 spent 1.650.000 đồng but is removed from the adjustment. To "
        "reduce or remove a line, make a reduction voucher first, or keep the line."
    )
    assert str(Phrase("dòng {row}", row=3)) == "row 3"


def test_an_error_inside_a_message_is_translated_when_the_whole_is_read() -> None:
    from budget.excel.row_stream import Header
    from budget.services.voucher_import import _date

    place = Header("chi.csv", None, 1, {}, 5).where(3, "Ngày")
    with pytest.raises(ValidationError) as refused:
        _date("31/02/2024", lambda: place)  # raised in Vietnamese, read in both
    assert refused.value.message == (
        "chi.csv, dòng 3, cột «Ngày»: «Ngày» «31/02/2024» không phải ngày có thật."
    )
    set_language("en")
    assert refused.value.message == (
        "chi.csv, row 3, column «Ngày»: «Date» «31/02/2024» is not a real date."
    )


def test_restore_refusals_in_both_languages(demo_file: Path, tmp_path: Path) -> None:
    text = tmp_path / "x.db"
    text.write_text("hello", encoding="utf-8")
    missing = tmp_path / "none.db"
    for backup, vietnamese, english in [
        (missing, "không có tệp này", "there is no such file"),
        (text, "tệp không phải cơ sở dữ liệu SQLite", "the file is not an SQLite database"),
    ]:
        args = ("--db", str(demo_file), "restore", str(backup))
        assert run_cli(*args).err.strip() == f"Lỗi: Không khôi phục từ {backup}: {vietnamese}."
        assert (
            run_cli("--lang", "en", *args).err.strip()
            == f"Error: Not restoring from {backup}: {english}."
        )


def test_missing_guards_refusal_names_three_and_counts_the_rest() -> None:
    from budget.guard_check import refuse_writes_error

    error = refuse_writes_error(["g1", "g2", "g3", "g4", "g5"])
    assert error.message == (
        "Cơ sở dữ liệu thiếu cơ chế bảo vệ (g1, g2, g3 và 2 mục khác): chỉ được xem, không "
        "được ghi. Hãy khôi phục từ bản sao lưu hoặc báo quản trị."
    )
    set_language("en")
    assert error.message == (
        "The database is missing protections (g1, g2, g3 and 2 more): it can only be viewed, "
        "not written. Restore from a backup or tell the administrator."
    )
