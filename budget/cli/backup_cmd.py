"""``budget backup`` and ``budget restore``."""

from __future__ import annotations

from pathlib import Path

import click

from budget.cli.context import AppContext, pass_app


@click.command()
@click.option(
    "--out",
    type=click.Path(path_type=Path),
    default=None,
    help="Tệp sao lưu (mặc định: thư mục backups/ cạnh cơ sở dữ liệu).",
)
@click.option("--force", is_flag=True, help="Ghi đè nếu tệp --out đã có.")
@pass_app
def backup(app: AppContext, out: Path | None, force: bool) -> None:
    """Sao lưu cơ sở dữ liệu (SQLite: sao chép trực tuyến; PostgreSQL: lệnh pg_dump)."""
    from budget.backup import backup as do_backup
    from budget.paths import resolve_database_url

    result = do_backup(resolve_database_url(app.db_option), out, force=force)
    if result.command:
        click.echo("Với PostgreSQL, chạy lệnh sau để sao lưu:")
        click.echo(result.command)
        return
    click.echo(f"Đã sao lưu: {result.path}")
    if result.path is not None:
        from budget.audit_anchor import describe_heads, read_heads

        for line in describe_heads(read_heads(result.path)):
            click.echo(line)


@click.command()
@click.argument("file", type=click.Path(path_type=Path))
@click.option("--yes", is_flag=True, help="Không hỏi lại.")
@pass_app
def restore(app: AppContext, file: Path, yes: bool) -> None:
    """Khôi phục từ bản sao lưu FILE (kiểm tra tệp trước; bản hiện tại được lưu lại)."""
    from budget.backup import _live_sqlite
    from budget.cli.confirm import confirm
    from budget.confirmations import restore_question
    from budget.paths import resolve_database_url
    from budget.restore import checked_backup, copy_into_live

    live = _live_sqlite(resolve_database_url(app.db_option))
    with checked_backup(file) as staged:  # refused here, before anything is touched
        confirm(restore_question(str(file)), yes=yes, always=True)
        aside = copy_into_live(staged, live)
    click.echo(f"Đã khôi phục từ {file}." + (f" Bản trước đó lưu tại {aside}." if aside else ""))
