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
