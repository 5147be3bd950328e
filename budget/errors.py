"""Domain errors. Every message is Vietnamese and fit to show a user as is.

A message with data in it is written as a template and its values:
``ValidationError("Số tiền «{amount}» quá lớn.", amount=shown)``. The template
(Vietnamese, its own msgid) is looked up in the interface language's catalogue
when the message is read (:attr:`BudgetError.message`, ``str(exc)``), then the
values are filled in, so the English interface says the same thing in English
with the same numbers and names. A value that is itself an interface word (a
field's name, "Ngày hủy") is given as :class:`Term` and translated with it;
names, numbers and voucher numbers are data and stay as they are. A value that
is itself a piece of message with values (where in a file: "Sheet «Dự toán», dòng
14") is given as :class:`Phrase`, translated the same way; pieces joined into one
message are joined by :func:`join_phrases`, after translation.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any


class Term(str):
    """An interface word inside a message (a field's name): translated with it."""

    __slots__ = ()


def render(template: str, params: dict[str, Any]) -> str:
    """``template`` in the interface language, its values filled in."""
    from budget.i18n import tr

    text = tr(template)
    if not params:
        return text
    values = {k: tr(v) if isinstance(v, Term) else v for k, v in params.items()}
    try:
        return text.format(**values)
    except (KeyError, IndexError, ValueError):  # a translation that lost a field
        return template.format(**values)


class Phrase(str):
    """A piece of a message with values in it, translated when shown like a whole
    message (its template is in the catalogue too). As a ``str`` it is the
    Vietnamese text; ``str()`` and formatting give the interface language."""

    template: str
    params: dict[str, Any]

    def __new__(cls, template: str, /, **params: Any) -> Phrase:
        plain = {k: str.__str__(v) if isinstance(v, str) else v for k, v in params.items()}
        self = super().__new__(cls, template.format(**plain) if params else template)
        self.template = template
        self.params = params
        return self

    def __str__(self) -> str:
        return render(self.template, self.params)

    def __format__(self, spec: str) -> str:
        return format(str(self), spec)


def join_phrases(separator: str, parts: Sequence[str]) -> Phrase:
    """``separator.join(parts)``, each part (a :class:`Phrase` or :class:`Term`)
    translated when the whole is shown."""
    params = {f"part{i}": part for i, part in enumerate(parts)}
    escaped = separator.replace("{", "{{").replace("}", "}}")
    return Phrase(escaped.join("{" + name + "}" for name in params), **params)


class BudgetError(Exception):
    """Base of every error the user may see; ``str(exc)`` is the message."""

    def __init__(self, message: str, /, **params: Any) -> None:
        super().__init__(message)
        self.template = message
        self.params = params

    @property
    def message(self) -> str:
        """The message in the interface language, its values filled in."""
        return render(self.template, self.params)

    @property
    def phrase(self) -> Phrase:
        """The message as a piece of another one, translated when that is read."""
        return Phrase(self.template, **self.params)

    def __str__(self) -> str:
        return self.message


class AmountError(BudgetError):
    """An amount of money that cannot be read or is out of range."""


class NormError(BudgetError):
    """A norm (rate, coefficient, budget code) that is unknown or not in force."""


class DatabaseError(BudgetError):
    """The database cannot be opened, is not ours, or is from a newer version."""


class ValidationError(BudgetError):
    """Input that breaks a business rule."""


class NotFoundError(BudgetError):
    """A thing the user named does not exist."""


def os_error_text(exc: OSError) -> str:
    """A Vietnamese reason for a file-system error (never the system's English text);
    a :class:`Term`, so a message given it as a value says it in English too."""
    if isinstance(exc, FileNotFoundError):
        return Term("không tìm thấy tệp hoặc thư mục")
    if isinstance(exc, PermissionError):
        return Term("không có quyền truy cập")
    if isinstance(exc, IsADirectoryError):
        return Term("đây là thư mục, không phải tệp")
    if isinstance(exc, NotADirectoryError):
        return Term("đường dẫn không hợp lệ")
    if getattr(exc, "errno", None) == 28:
        return Term("ổ đĩa đã đầy")
    return f"lỗi hệ thống tệp (mã {getattr(exc, 'errno', '?')})"
