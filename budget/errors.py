"""Domain errors. Every message is Vietnamese and fit to show a user as is."""


class BudgetError(Exception):
    """Base of every error the user may see; ``str(exc)`` is the message."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message

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
    """A Vietnamese reason for a file-system error (never the system's English text)."""
    if isinstance(exc, FileNotFoundError):
        return "không tìm thấy tệp hoặc thư mục"
    if isinstance(exc, PermissionError):
        return "không có quyền truy cập"
    if isinstance(exc, IsADirectoryError):
        return "đây là thư mục, không phải tệp"
    if isinstance(exc, NotADirectoryError):
        return "đường dẫn không hợp lệ"
    if getattr(exc, "errno", None) == 28:
        return "ổ đĩa đã đầy"
    return f"lỗi hệ thống tệp (mã {getattr(exc, 'errno', '?')})"
