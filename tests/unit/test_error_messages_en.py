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

from budget.errors import DatabaseError, Term, ValidationError
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
