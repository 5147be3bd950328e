"""``budget audit``: who did what, when and why."""

from __future__ import annotations

import click

from budget.cli.context import AppContext, pass_app
from budget.errors import BudgetError
from budget.services.audit import first_broken_entry


@click.group()
def audit() -> None:
    """Nhật ký thao tác (chỉ ghi thêm, không sửa xóa)."""


@audit.command("list")
@click.option("--limit", type=click.IntRange(min=1), default=None)
@click.option("--offset", type=click.IntRange(min=0), default=0)
@click.option("--all", "show_all", is_flag=True, help="In hết, không dừng ở một trang màn hình.")
@click.option("--format", "fmt", type=click.Choice(["table", "csv", "json"]), default="table")
@pass_app
def list_(app: AppContext, limit: int | None, offset: int, show_all: bool, fmt: str) -> None:
    """Các thao tác, mới nhất trước (in dần; trên màn hình: một trang)."""
    from budget.cli.audit_listing import print_audit

    with app.reading() as session:
        print_audit(session, fmt=fmt, limit=limit, offset=offset, show_all=show_all)


@audit.command("verify")
@pass_app
def verify(app: AppContext) -> None:
    """Kiểm tra chuỗi băm của nhật ký; báo mục đầu tiên bị sửa."""
    with app.reading() as session:
        broken = first_broken_entry(session)
    if broken is not None:
        raise BudgetError(f"Nhật ký bị thay đổi từ mục #{broken}.")
    click.echo("Nhật ký nguyên vẹn.")
