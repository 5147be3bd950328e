"""``budget tui``: the terminal app (imported only when asked for)."""

from __future__ import annotations

import click

from budget.cli.context import AppContext, pass_app


@click.command()
@click.option("--summary", is_flag=True, help="Mở thẳng trang tổng hợp của Chủ tịch.")
@click.option(
    "--read-only",
    "read_only",
    is_flag=True,
    help="Chỉ xem: mở cơ sở dữ liệu ở chế độ chỉ đọc, mọi thao tác ghi đều bị từ chối.",
)
@pass_app
def tui(app: AppContext, summary: bool, read_only: bool) -> None:
    """Mở giao diện màn hình (kế toán / chủ tịch)."""
    from tui.app import make_app

    make_app(
        db=app.db_option, norms_files=app.norms_files, summary=summary, read_only=read_only
    ).run()
