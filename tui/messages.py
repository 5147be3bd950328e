"""Messages that go up to the app."""

from __future__ import annotations

from textual.message import Message


class DataChanged(Message):
    """Something was written: screens showing data reload when they next show."""


class ShowVouchers(Message):
    """Open the voucher register filtered to one estimate line."""

    def __init__(self, line: str) -> None:
        super().__init__()
        self.line = line
