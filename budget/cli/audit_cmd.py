"""``budget audit``: who did what, when and why."""

from __future__ import annotations

import click

from budget.cli.context import AppContext, pass_app
from budget.errors import BudgetError
from budget.i18n import tr


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
@click.option("--expect-head", default=None, metavar="HEX", help="Mã đầu chuỗi đã ghi trên giấy.")
@click.option(
    "--expect-count", type=click.IntRange(min=0), default=None, help="Số bản ghi đã ghi trên giấy."
)
@pass_app
def verify(app: AppContext, expect_head: str | None, expect_count: int | None) -> None:
    """Kiểm tra chuỗi băm, đầu chuỗi và các khoản tiền nhật ký bảo chứng; báo rõ chỗ bị đổi."""
    from budget.services.audit_verify import verify as run_verify

    if expect_head is not None and not _is_hex(expect_head):
        raise BudgetError("Mã đầu chuỗi (--expect-head) phải gồm ít nhất 16 chữ số thập lục phân.")
    with app.reading() as session:
        report = run_verify(session, expect_head=expect_head, expect_count=expect_count)
    if not report.intact:
        for problem in report.problems[:-1]:
            click.echo(tr(problem))
        raise BudgetError(
            "{problem} (tổng cộng {count} vấn đề)",
            problem=report.problems[-1],
            count=len(report.problems),
        )
    click.echo("Nhật ký nguyên vẹn.")


def _is_hex(value: str) -> bool:
    value = value.strip()
    return len(value) >= 16 and all(c in "0123456789abcdefABCDEF" for c in value)


@audit.command("head")
@pass_app
def head(app: AppContext) -> None:
    """Số bản ghi và mã đầu chuỗi nhật ký, để chủ tịch ghi lên giấy."""
    from budget.services.audit_verify import chain_heads

    with app.reading() as session:
        heads = [h for h in chain_heads(session) if h.org_key != 0] or chain_heads(session)
    if not heads:
        click.echo("Số bản ghi nhật ký: 0 · Mã đầu chuỗi: (trống)")
        return
    for h in heads:
        prefix = f"{h.commune}: " if len(heads) > 1 else ""
        click.echo(f"{prefix}Số bản ghi nhật ký: {h.count} · Mã đầu chuỗi: {h.short}")
