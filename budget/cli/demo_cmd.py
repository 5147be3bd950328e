"""``budget demo``: a ready database for UBND xã Phú Lý."""

from __future__ import annotations

import click

from budget.cli.context import AppContext, pass_app
from budget.db import sqlite_path
from budget.demo import build_demo, has_data
from budget.errors import DatabaseError
from budget.money import format_vnd


@click.command()
@click.option("--reset", is_flag=True, help="Xóa tệp SQLite đã có và tạo lại dữ liệu mẫu từ đầu.")
@click.option(
    "--vouchers",
    type=click.IntRange(min=1, max=20_000_000),
    default=None,
    help="Thêm N chứng từ (dữ liệu lớn để đo hiệu năng).",
)
@pass_app
def demo(app: AppContext, reset: bool, vouchers: int | None) -> None:
    """Tạo cơ sở dữ liệu mẫu: UBND xã Phú Lý, kế hoạch "Chính quyền thân thiện" 2024."""
    if reset:
        _remove_sqlite(app)
    with app.transaction() as session:
        if has_data(session):
            click.echo(f"Cơ sở dữ liệu đã có dữ liệu: {_where(app)}")
            click.echo("Giữ nguyên. Dùng «budget demo --reset» để tạo lại dữ liệu mẫu.")
            _next_steps(app)
            return
        if vouchers:
            from budget.scale import build_scale_demo

            scale = build_scale_demo(session, app.norms, vouchers=vouchers, actor=app.actor)
            click.echo(
                f"Đã tạo dữ liệu lớn tại {_where(app)}: {scale.vouchers} chứng từ trên "
                f"{scale.lines} dòng dự toán."
            )
            _next_steps(app)
            return
        result = build_demo(session, app.norms, actor=app.actor)
    click.echo(f"Đã tạo dữ liệu mẫu tại: {_where(app)}")
    click.echo(f"Kế hoạch {result.campaign.code}: {result.campaign.title}")
    click.echo(
        f"Dự toán đã duyệt (có điều chỉnh): {result.lines} dòng, tổng "
        f"{format_vnd(result.total)} đồng; {result.vouchers} chứng từ trong năm."
    )
    _next_steps(app)


def _where(app: AppContext) -> str:
    path = app.database.path
    return str(path) if path else app.database.url


def _next_steps(app: AppContext) -> None:
    db = f" --db {app.db_option}" if app.db_option else ""
    click.echo("Tiếp theo:")
    click.echo(f"  budget{db} plan show        # xem dự toán")
    click.echo(f"  budget{db} report summary   # trang tổng hợp của Chủ tịch")
    click.echo(f"  budget{db} voucher list     # sổ chứng từ")
    click.echo(f"  budget{db} norms list       # định mức và căn cứ pháp lý")
    click.echo(f"  budget{db} tui              # mở giao diện màn hình")


def _remove_sqlite(app: AppContext) -> None:
    from budget.paths import resolve_database_url

    path = sqlite_path(resolve_database_url(app.db_option))
    if path is None:
        raise DatabaseError("--reset chỉ dùng cho tệp SQLite; với PostgreSQL hãy tạo CSDL mới.")
    for suffix in ("", "-wal", "-shm"):
        candidate = path.with_name(path.name + suffix)
        if candidate.exists():
            candidate.unlink()
