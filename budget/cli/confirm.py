"""A yes/no question on the terminal, in Vietnamese: ``… [c/K]``; c, có or y says
yes, anything empty, k, không or n says no (nothing is done); ``--yes`` skips it.

A step that cannot be taken back (approve, pay, reverse) asks only when stdin is a
terminal: a script has chosen already by running the command. ``always`` (restore)
asks whatever stdin is, so a script must pass ``--yes`` (or answer on stdin)."""

from __future__ import annotations

import sys

import click

from budget.text import fold

YES = frozenset({"c", "co", "y", "yes"})
NO = frozenset({"", "k", "khong", "n", "no"})


def interactive() -> bool:
    return bool(getattr(sys.stdin, "isatty", lambda: False)())


def confirm(question: str, *, yes: bool, always: bool = False) -> None:
    """Return when the user agrees; otherwise print that nothing was done and stop
    (exit status 1)."""
    if yes or not (always or interactive()):
        return
    while True:
        answer = click.prompt(
            f"{question} [c/K]", default="", show_default=False, prompt_suffix=" ", err=True
        )
        key = fold(str(answer).strip()).lower()
        if key in YES:
            return
        if key in NO:
            click.echo("Đã hủy: không có gì thay đổi.", err=True)
            raise SystemExit(1)
        click.echo("Trả lời c (có) hoặc k (không).", err=True)
