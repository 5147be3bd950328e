"""An Input for đồng: validates as you type with the core's strict parser."""

from __future__ import annotations

from textual.validation import ValidationResult, Validator
from textual.widgets import Input


class VndValidator(Validator):
    def __init__(self, *, allow_zero: bool = False) -> None:
        super().__init__()
        self.allow_zero = allow_zero

    def validate(self, value: str) -> ValidationResult:
        from budget.errors import BudgetError
        from budget.money import parse_vnd

        try:
            amount = parse_vnd(value)
        except BudgetError as exc:
            return self.failure(exc.message)
        if amount == 0 and not self.allow_zero:
            return self.failure("Số tiền phải lớn hơn 0.")
        return self.success()


class MoneyInput(Input):
    """Accepts "1.500.000", "1500000" or "1 500 000"; ``amount`` is the int or None."""

    def __init__(self, value: str = "", *, allow_zero: bool = False, **kwargs: object) -> None:
        super().__init__(
            value=value,
            placeholder="ví dụ 1.500.000",
            validators=[VndValidator(allow_zero=allow_zero)],
            **kwargs,
        )  # type: ignore[arg-type]

    @property
    def amount(self) -> int | None:
        from budget.errors import BudgetError
        from budget.money import parse_vnd

        try:
            value = parse_vnd(self.value)
        except BudgetError:
            return None
        return value


class DateInput(Input):
    """dd/mm/yyyy (or yyyy-mm-dd); ``date`` is the date or None."""

    def __init__(self, value: str = "", **kwargs: object) -> None:
        super().__init__(
            value=value, placeholder="dd/mm/yyyy", validators=[DateValidator()], **kwargs
        )  # type: ignore[arg-type]

    @property
    def date(self):  # type: ignore[no-untyped-def]
        from budget.dates import parse_date
        from budget.errors import BudgetError

        try:
            return parse_date(self.value)
        except BudgetError:
            return None


class DateValidator(Validator):
    def validate(self, value: str) -> ValidationResult:
        from budget.dates import parse_date
        from budget.errors import BudgetError

        try:
            parse_date(value)
        except BudgetError as exc:
            return self.failure(exc.message)
        return self.success()
