"""click's own texts in Vietnamese.

click marks its texts with ``from gettext import gettext as _`` in each of its
modules; :func:`install` points those module-level ``_`` at a catalogue of the
msgids the user can see (help headings, prompts, the version line).  Messages
that :mod:`budget.cli.usage_errors` reads to build its own Vietnamese line
("No such command", "is not one of", ...) are left as click wrote them, since
they never reach the user raw.  The usage line's metavars ("[OPTIONS]",
"COMMAND [ARGS]...") are not gettext texts, so a help formatter renames them.
"""

from __future__ import annotations

import importlib

import click
from click.formatting import HelpFormatter

from budget.i18n import is_vietnamese

#: click msgid -> Vietnamese.  The msgids are click 8.x's, copied verbatim.
MESSAGES: dict[str, str] = {
    "Usage:": "Cách dùng:",
    "Options": "Tùy chọn",
    "Commands": "Lệnh",
    "Positional arguments": "Tham số",
    "Show this message and exit.": "Hiện trợ giúp này rồi thoát.",
    "Show the version and exit.": "Hiện phiên bản rồi thoát.",
    "%(prog)s, version %(version)s": "%(prog)s, phiên bản %(version)s",
    "default: {default}": "mặc định: {default}",
    "env var: {var}": "biến môi trường: {var}",
    "required": "bắt buộc",
    "deprecated": "không dùng nữa",
    "(dynamic)": "(tùy lúc)",
    "Aborted!": "Đã hủy.",
    "Error: {message}": "Lỗi: {message}",
    "Try '{command} {option}' for help.": "Xem «{command} {option}» để được trợ giúp.",
    "Do you want to continue?": "Tiếp tục?",
    "Repeat for confirmation": "Nhập lại để xác nhận",
    "Error: invalid input": "Lỗi: giá trị không hợp lệ",
    "Error: The two entered values do not match.": "Lỗi: hai lần nhập không khớp nhau.",
    "Confirm the action without prompting.": "Xác nhận luôn, không hỏi lại.",
    "Press any key to continue...": "Nhấn phím bất kỳ để tiếp tục...",
    "Missing parameter": "Thiếu tham số",
    "Missing option": "Thiếu tùy chọn",
    "unknown error": "lỗi không rõ",
    "file": "tệp",
    "directory": "thư mục",
    "path": "đường dẫn",
}

#: Usage-line metavars click writes in English, and their Vietnamese.
METAVARS = (
    ("COMMAND1 [ARGS]... [COMMAND2 [ARGS]...]...", "LỆNH1 [THAM_SỐ]... [LỆNH2 [THAM_SỐ]...]..."),
    ("COMMAND [ARGS]...", "LỆNH [THAM_SỐ]..."),
    ("[OPTIONS]", "[TÙY_CHỌN]"),
)

#: click's type-name metavars (an option without its own metavar) in Vietnamese.
TYPE_METAVARS = {"TEXT": "CHỮ", "INTEGER": "SỐ_NGUYÊN", "BOOLEAN": "CÓ/KHÔNG", "FILENAME": "TỆP"}

_CLICK_MODULES = (
    "click.core",
    "click.decorators",
    "click.exceptions",
    "click.formatting",
    "click.parser",
    "click.termui",
    "click.types",
    "click.utils",
)


def translate(message: str) -> str:
    """click's English text in Vietnamese, unless the user asked for English."""
    if not is_vietnamese():
        return message
    return MESSAGES.get(message, message)


class VietnameseHelpFormatter(HelpFormatter):
    def write_usage(self, prog: str, args: str = "", prefix: str | None = None) -> None:
        if is_vietnamese():
            for english, vietnamese in METAVARS:
                args = args.replace(english, vietnamese)
        super().write_usage(prog, args, prefix)

    def write_dl(self, rows, col_max: int = 30, col_spacing: int = 2) -> None:  # type: ignore[no-untyped-def]
        if not is_vietnamese():
            super().write_dl(rows, col_max, col_spacing)
            return
        renamed = []
        for first, second in rows:
            words = [TYPE_METAVARS.get(word, word) for word in first.split(" ")]
            renamed.append((" ".join(words), second))
        super().write_dl(renamed, col_max, col_spacing)


def install() -> None:
    """Make click speak Vietnamese in this process (idempotent)."""
    for name in _CLICK_MODULES:
        module = importlib.import_module(name)
        if hasattr(module, "_"):
            module._ = translate  # type: ignore[attr-defined]
    click.Context.formatter_class = VietnameseHelpFormatter
