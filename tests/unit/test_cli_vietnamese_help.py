"""click's own texts (help headings, usage, errors) are shown in Vietnamese."""

from __future__ import annotations

import re

import pytest

from budget.cli import main

ENGLISH = re.compile(
    r"Usage:|Options:|Commands:|Show this message|Show the version|\[OPTIONS\]|"
    r"COMMAND \[ARGS\]|No such option|Missing argument|Missing option|Invalid value for|"
    r"\bTEXT\b|\brequired\b|\bdefault:"
)


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str]:
    with pytest.raises(SystemExit) as stop:
        main(list(argv))
    out = capsys.readouterr()
    code = stop.value.code
    return (code if isinstance(code, int) else 0), out.out + out.err


def test_top_level_help_is_vietnamese(capsys: pytest.CaptureFixture[str]) -> None:
    code, text = run(capsys, "--help")
    assert code == 0
    assert text.startswith("Cách dùng: budget [TÙY_CHỌN] LỆNH [THAM_SỐ]...")
    assert "\nTùy chọn:\n" in text and "\nLệnh:\n" in text
    assert "-h, --help      Hiện trợ giúp này rồi thoát." in text
    assert "--version       Hiện phiên bản rồi thoát." in text
    assert ENGLISH.search(text) is None, ENGLISH.search(text)


def test_group_and_command_help_is_vietnamese(capsys: pytest.CaptureFixture[str]) -> None:
    _, group = run(capsys, "voucher", "--help")
    assert group.startswith("Cách dùng: budget voucher [TÙY_CHỌN] LỆNH [THAM_SỐ]...")
    assert ENGLISH.search(group) is None, ENGLISH.search(group)
    _, command = run(capsys, "voucher", "add", "--help")
    assert command.startswith("Cách dùng: budget voucher add [TÙY_CHỌN]")
    assert "--line CHỮ" in command and "[bắt buộc]" in command
    assert ENGLISH.search(command) is None, ENGLISH.search(command)


@pytest.mark.parametrize(
    ("argv", "expected"),
    [
        (("voucher", "add", "--nope"), "Lỗi: Không có tùy chọn «--nope»."),
        (("voucher", "add"), "Lỗi: Thiếu --line."),
        (("nosuch",), "Lỗi: Không có lệnh «nosuch»."),
    ],
)
def test_usage_errors_are_one_vietnamese_line(
    capsys: pytest.CaptureFixture[str], argv: tuple[str, ...], expected: str
) -> None:
    code, text = run(capsys, *argv)
    assert code == 2
    assert text.startswith(expected)
    assert text.count("\n") == 1
    assert ENGLISH.search(text) is None


def test_every_subcommand_help_is_vietnamese(capsys: pytest.CaptureFixture[str]) -> None:
    from budget.cli import COMMANDS

    for name in COMMANDS:
        _, text = run(capsys, name, "--help")
        assert text.startswith(f"Cách dùng: budget {name} "), name
        assert ENGLISH.search(text) is None, (name, ENGLISH.search(text))
