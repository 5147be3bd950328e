"""Click's usage errors, said in Vietnamese (click's own texts are English)."""

from __future__ import annotations

import re

import click

_PATTERNS = [
    (re.compile(r"'(.*)' is not one of (.*)\.", re.S), "«{0}» không hợp lệ; chọn một trong: {1}"),
    (re.compile(r"'(.*)' is not a valid integer( range)?\.", re.S), "«{0}» không phải số nguyên"),
    (re.compile(r"(.*) is not in the range (.*)\.", re.S), "{0} nằm ngoài khoảng cho phép ({1})"),
    (re.compile(r"(?:File|Path|Directory) '(.*)' does not exist\.", re.S), "không tìm thấy «{0}»"),
]


def _param(exc: click.UsageError) -> str:
    param = getattr(exc, "param", None)
    if param is not None:
        if getattr(param, "param_type_name", "") == "argument":
            return f"tham số {str(param.name).upper()}"
        names = getattr(param, "opts", None) or [param.name]
        return "/".join(names)
    hint = getattr(exc, "param_hint", None)
    if isinstance(hint, str):
        return hint.strip("'\"")
    return ""


def vietnamese_usage_error(exc: click.UsageError) -> str:
    """One Vietnamese sentence for a bad command line."""
    message = exc.format_message() if hasattr(exc, "format_message") else str(exc)
    if isinstance(exc, click.NoSuchOption):
        return f"Không có tùy chọn «{exc.option_name}»."
    if isinstance(exc, click.MissingParameter):
        return f"Thiếu {_param(exc) or 'tham số'}."
    if isinstance(exc, click.BadParameter):
        detail = exc.message
        for pattern, template in _PATTERNS:
            match = pattern.search(detail)
            if match:
                detail = template.format(*(g or "" for g in match.groups()))
                detail = detail.replace("'", "")
                break
        else:
            detail = "giá trị không hợp lệ"
        return f"Giá trị của {_param(exc)} không hợp lệ: {detail}."
    command = re.match(r"No such command '(.*)'\.", message)
    if command:
        return f"Không có lệnh «{command[1]}»."
    extra = re.match(r"Got unexpected extra arguments? \((.*)\)", message)
    if extra:
        return f"Thừa tham số: {extra[1]}."
    if message.startswith("Missing argument"):
        name = re.search(r"'(.*)'", message)
        return f"Thiếu tham số {name[1] if name else ''}.".replace("  ", " ")
    if message.startswith("Missing command"):
        return "Thiếu lệnh con."
    if re.search(r"[A-Za-z]{4,} [a-z]{3,}", message) and not re.search(r"[à-ỹÀ-Ỹđ]", message):
        return "Lệnh không hợp lệ."
    return message
