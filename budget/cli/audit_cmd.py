"""``budget audit``: who did what, when and why."""

from __future__ import annotations

import click

from budget.cli.context import AppContext, emit_json, pass_app, print_table
from budget.errors import BudgetError
from budget.services.audit import first_broken_entry, list_entries


@click.group()
def audit() -> None:
    """Nhật ký thao tác (chỉ ghi thêm, không sửa xóa)."""


@audit.command("list")
@click.option("--limit", type=click.IntRange(min=1), default=50)
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table")
@pass_app
def list_(app: AppContext, limit: int, fmt: str) -> None:
    """Các thao tác gần nhất, mới nhất trước."""
    with app.reading() as session:
        rows = list_entries(session, limit=limit)
    if fmt == "json":
        emit_json(
            [
                {
                    "id": r.id,
                    "at": r.at.isoformat(),
                    "actor": r.actor,
                    "action": r.action,
                    "entity": r.entity,
                    "entity_id": r.entity_id,
                    "summary": r.summary,
                    "before": r.before,
                    "after": r.after,
                    "reason": r.reason,
                }
                for r in rows
            ]
        )
        return
    print_table(
        ["#", "Thời điểm (UTC)", "Người", "Việc", "Nội dung", "Lý do"],
        [
            [
                r.id,
                r.at.strftime("%d/%m/%Y %H:%M"),
                r.actor,
                r.action,
                r.summary[:70],
                r.reason[:40],
            ]
            for r in rows
        ],
    )


@audit.command("verify")
@pass_app
def verify(app: AppContext) -> None:
    """Kiểm tra chuỗi băm của nhật ký; báo mục đầu tiên bị sửa."""
    with app.reading() as session:
        broken = first_broken_entry(session)
    if broken is not None:
        raise BudgetError(f"Nhật ký bị thay đổi từ mục #{broken}.")
    click.echo("Nhật ký nguyên vẹn.")
