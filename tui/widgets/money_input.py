"""Inputs for đồng and dates: validate as you type with the core's strict parsers,
and say what is wrong with the core's own words (the CLI's messages)."""

from __future__ import annotations

from typing import Any

from textual.validation import ValidationResult, Validator
from textual.widgets import Input


def _first_failure(widget: Input) -> str | None:
    result = widget.validate(widget.value)
    if result is None or result.is_valid:
        return None
    return result.failure_descriptions[0] if result.failure_descriptions else None


class VndValidator(Validator):
    def __init__(self, *, allow_zero: bool = False, field: str = "Số tiền") -> None:
        super().__init__()
        self.allow_zero = allow_zero
        self.field = field

    def validate(self, value: str) -> ValidationResult:
        from budget.errors import BudgetError
        from budget.money import parse_vnd

        if not value.strip():
            return self.failure(f"Chưa nhập «{self.field}».")
        try:
            amount = parse_vnd(value)
        except BudgetError as exc:
            return self.failure(exc.message)
        if amount == 0 and not self.allow_zero:
            return self.failure(f"«{self.field}» phải lớn hơn 0.")
        return self.success()


class MoneyInput(Input):
    """Accepts "1.500.000", "1500000" or "1 500 000"; ``amount`` is the int or None,
    ``error`` what is wrong (the core's message) or None."""

    def __init__(
        self, value: str = "", *, allow_zero: bool = False, field: str = "Số tiền", **kwargs: Any
    ) -> None:
        super().__init__(
            value=value,
            placeholder="ví dụ 1.500.000",
            validators=[VndValidator(allow_zero=allow_zero, field=field)],
            **kwargs,
        )

    @property
    def amount(self) -> int | None:
        from budget.errors import BudgetError
        from budget.money import parse_vnd

        try:
            value = parse_vnd(self.value)
        except BudgetError:
            return None
        return value

    @property
    def error(self) -> str | None:
        return _first_failure(self)


class DateInput(Input):
    """dd/mm/yyyy (or yyyy-mm-dd); ``date`` is the date or None, ``error`` what is
    wrong ("«Ngày chứng từ» «31/02/2026» không phải ngày có thật.") or None."""

    def __init__(self, value: str = "", *, field: str = "Ngày", **kwargs: Any) -> None:
        super().__init__(
            value=value, placeholder="dd/mm/yyyy", validators=[DateValidator(field)], **kwargs
        )

    @property
    def date(self):  # type: ignore[no-untyped-def]
        from budget.dates import parse_date
        from budget.errors import BudgetError

        try:
            return parse_date(self.value)
        except BudgetError:
            return None

    @property
    def error(self) -> str | None:
        return _first_failure(self)


class DateValidator(Validator):
    def __init__(self, field: str = "Ngày") -> None:
        super().__init__()
        self.field = field

    def validate(self, value: str) -> ValidationResult:
        from budget.dates import parse_date
        from budget.errors import BudgetError

        if not value.strip():
            return self.failure(f"Chưa nhập «{self.field}».")
        try:
            parse_date(value, self.field)
        except BudgetError as exc:
            return self.failure(exc.message)
        return self.success()
