"""The interface language: Vietnamese unless the user asks for English, and the
documents the commune files always Vietnamese.

The English texts asserted here are the catalogue's (budget/locale/en/...), read
by hand from it; the Vietnamese ones are the source texts in the code."""

from __future__ import annotations

import gettext
import io
import json
import re
from pathlib import Path

import pytest
from openpyxl import load_workbook

from budget.cli import main
from budget.i18n import (
    choose_language,
    language,
    save_language,
    saved_language,
    set_language,
    tr,
)
from budget.i18n_catalog import compile_mo, read_po, update, write_po
from tests.conftest import run_cli

VIETNAMESE_LETTERS = re.compile(
    r"[ăâđêôơưàảãáạằẳẵắặầẩẫấậèẻẽéẹềểễếệìỉĩíịòỏõóọồổỗốộờởỡớợùủũúụừửữứựỳỷỹýỵ]"
)


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str]:
    with pytest.raises(SystemExit) as stop:
        main(list(argv))
    out = capsys.readouterr()
    code = stop.value.code
    return (code if isinstance(code, int) else 0), out.out + out.err


# -- the catalogue -------------------------------------------------------------------
def test_every_interface_text_has_an_english_translation_and_the_mo_is_fresh() -> None:
    """A new command, option, key or tr("...") text fails here until translated
    (python -m budget.i18n_catalog adds it to budget.po, a person translates it)."""
    assert update(check=True) == []


def test_po_and_mo_round_trip_through_the_standard_gettext(tmp_path: Path) -> None:
    entries = {"Lưu": "Save", 'Có "ngoặc"\nvà dòng mới': 'With "quotes"\nand a new line', "Bỏ": ""}
    po = tmp_path / "x.po"
    write_po(po, entries)
    assert read_po(po) == entries
    catalogue = gettext.GNUTranslations(io.BytesIO(compile_mo(entries)))
    assert catalogue.gettext("Lưu") == "Save"
    assert catalogue.gettext('Có "ngoặc"\nvà dòng mới') == 'With "quotes"\nand a new line'
    assert catalogue.gettext("Bỏ") == "Bỏ"  # untranslated: falls back to the source text
    assert catalogue.gettext("không có") == "không có"


def test_tr_falls_back_to_vietnamese() -> None:
    set_language("en")
    assert tr("Lưu") == "Save"
    assert tr("Một câu không có trong danh mục.") == "Một câu không có trong danh mục."
    set_language("vi")
    assert tr("Lưu") == "Lưu"


# -- choosing the language ----------------------------------------------------------
def test_flag_beats_environment_beats_saved_choice(monkeypatch: pytest.MonkeyPatch) -> None:
    assert choose_language() == "vi"  # nothing chosen anywhere
    save_language("en")
    assert saved_language() == "en"
    assert choose_language() == "en"
    monkeypatch.setenv("BUDGET_LANG", "vi_VN.UTF-8")
    assert choose_language() == "vi"
    assert choose_language("en") == "en"
    monkeypatch.setenv("BUDGET_LANG", "fr")  # a language the app does not have: ignored
    assert choose_language() == "en"  # the saved choice
    assert language() == "en"


def test_saved_choice_is_a_small_json_file_and_bad_codes_are_refused() -> None:
    from budget.errors import ValidationError
    from budget.i18n import preferences_path

    save_language("en")
    assert json.loads(preferences_path().read_text(encoding="utf-8")) == {"lang": "en"}
    with pytest.raises(ValidationError, match="Ngôn ngữ «klingon» không có"):
        save_language("klingon")
    assert saved_language() == "en"  # unchanged


def test_a_broken_preferences_file_means_vietnamese() -> None:
    from budget.i18n import preferences_path

    path = preferences_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("{not json", encoding="utf-8")
    assert choose_language() == "vi"


# -- the command line ------------------------------------------------------------------
def test_english_help_on_request(capsys: pytest.CaptureFixture[str]) -> None:
    code, text = run(capsys, "--lang", "en", "--help")
    assert code == 0
    assert text.startswith("Usage: budget [OPTIONS] COMMAND [ARGS]...")
    assert "Estimate, track and settle the funding of a commune's emulation movement." in text
    assert "\nOptions:\n" in text and "\nCommands:\n" in text
    assert "Show this message and exit." in text
    assert "tui      Open the terminal interface (accountant / chairman)." in text


def test_english_subcommand_help_with_the_flag_after_the_command(
    capsys: pytest.CaptureFixture[str],
) -> None:
    _, text = run(capsys, "voucher", "add", "--lang", "en", "--help")
    assert text.startswith("Usage: budget voucher add [OPTIONS]")
    assert "Post a voucher to an estimate line" in text
    assert "--line TEXT" in text and "Estimate line, e.g. II.3.  [required]" in text
    assert "Dòng dự toán" not in text


def test_every_help_page_is_english_in_english(capsys: pytest.CaptureFixture[str]) -> None:
    """No Vietnamese left in any command's help but names and examples."""
    from budget.cli import COMMANDS

    allowed = re.compile(
        r"«[^»]*»|\"[^\"]*\"|Phú Lý|Chính quyền thân thiện|linh, nghìn|lẻ, ngàn"
        r"|Họ và tên,Chức vụ/Đơn vị,Hình thức|Ninh Bình|ĐVQHNS|đồng|\(Chương\)|"
        r"\(loại–khoản\)|Chương|2,5|loại–khoản"
    )
    import importlib

    import click

    paths: list[list[str]] = []
    for name, (module, attribute) in COMMANDS.items():
        command = getattr(importlib.import_module(module), attribute)
        paths.append([name])
        if isinstance(command, click.Group):
            paths += [[name, sub] for sub in command.commands]
    assert len(paths) > 60  # every subcommand, not just the groups
    for path in paths:
        _, text = run(capsys, "--lang", "en", *path, "--help")
        assert text.startswith(f"Usage: budget {' '.join(path)}"), text
        stripped = allowed.sub("", " ".join(text.split()))  # help wraps lines anywhere
        assert VIETNAMESE_LETTERS.search(stripped) is None, (path, stripped)


def test_vietnamese_stays_the_default_after_an_english_run(
    capsys: pytest.CaptureFixture[str],
) -> None:
    run(capsys, "--lang", "en", "--help")
    _, text = run(capsys, "--help")
    assert text.startswith("Cách dùng: budget [TÙY_CHỌN] LỆNH [THAM_SỐ]...")
    assert "Usage:" not in text and "Estimate, track" not in text


def test_english_error_line(capsys: pytest.CaptureFixture[str]) -> None:
    code, text = run(capsys, "--lang", "en", "nosuch")
    assert code == 2
    assert text == "Error: No such command 'nosuch'. (see “budget --help”)\n"
    code, text = run(capsys, "nosuch")
    assert text == "Lỗi: Không có lệnh «nosuch». (xem «budget --help»)\n"


def test_environment_chooses_english(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("BUDGET_LANG", "en")
    _, text = run(capsys, "report", "--help")
    assert text.startswith("Usage: budget report [OPTIONS] COMMAND [ARGS]...")


def test_documents_stay_vietnamese_in_english(tmp_path: Path) -> None:
    db = tmp_path / "demo.db"
    assert run_cli("--db", str(db), "demo").code == 0
    out = tmp_path / "du-toan.xlsx"
    result = run_cli("--lang", "en", "--db", str(db), "export", "estimate", "--out", str(out))
    assert result.code == 0, result.err
    cells = [
        str(cell.value)
        for row in load_workbook(out, data_only=True).active.iter_rows()
        for cell in row
        if cell.value is not None
    ]
    text = "\n".join(cells)
    assert "ỦY BAN NHÂN DÂN" in text
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in text
    assert "Bằng chữ" in text
    assert "Total" not in text and "Estimate" not in text


def test_an_undo_speaks_english_and_logs_vietnamese() -> None:
    from budget.errors import Phrase
    from budget.i18n import set_language, tr
    from budget.services.draft_undo import Undo, _logged

    label = Phrase("thêm dòng {code} của dự toán phiên bản {version_no}", code="II.5", version_no=2)
    said = Phrase("Đã hoàn tác: {label}.", label=label)
    item = Undo(1, "estimate_line", "II.5", 7, (), (), label)
    set_language("en")
    try:
        assert tr(said) == "Undone: adding line II.5 to estimate version 2."
        assert _logged(item) == "Hoàn tác: thêm dòng II.5 của dự toán phiên bản 2"
    finally:
        set_language("vi")
    assert tr(said) == "Đã hoàn tác: thêm dòng II.5 của dự toán phiên bản 2."
