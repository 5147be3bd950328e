"""``budget import``: an estimate edited in Excel, vouchers from a spreadsheet."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import click

from budget.cli.context import AppContext, pass_app
from budget.cli.options import campaign_option
from budget.money import format_vnd


@click.group("import")
def import_() -> None:
    """Nhập dự toán (Excel) hoặc chứng từ (CSV/Excel); có lỗi thì không ghi gì."""


@import_.command("estimate")
@campaign_option
@click.argument("file", type=click.Path(path_type=Path))
@pass_app
def estimate(app: AppContext, campaign: str | None, file: Path) -> None:
    """Nhập dự toán từ FILE.xlsx thành bản dự thảo (điều chỉnh nếu đã phê duyệt)."""
    from budget.excel.estimate_import import read_estimate
    from budget.services.campaigns import find_campaign
    from budget.services.estimate_import import import_estimate

    imported = read_estimate(file, app.norms)
    with app.transaction() as session:
        info = find_campaign(session, campaign)
        result = import_estimate(session, info.id, imported, actor=app.actor)
    click.echo(
        f"Đã nhập {len(imported.lines)} dòng vào dự toán phiên bản {result.version_no} "
        f"(dự thảo): tổng {format_vnd(result.total)} đồng."
    )


_F = TypeVar("_F", bound=Callable[..., Any])


def _limit_options(func: _F) -> _F:
    """--max-rows/--max-cell/--max-mb: how much of a file an import accepts."""
    from budget.excel.row_stream import ReadLimits

    d = ReadLimits()
    for name, default, text in (
        ("--max-mb", d.max_mb, "Dung lượng tối đa (MB) của tệp CSV / dữ liệu giải nén của XLSX."),
        ("--max-cell", d.max_cell_chars, "Số ký tự tối đa của một ô."),
        ("--max-rows", d.max_rows, "Số dòng dữ liệu tối đa."),
    ):
        func = click.option(
            name, type=click.IntRange(1, 10**9), default=default, show_default=True, help=text
        )(func)
    return func


@import_.command("vouchers")
@campaign_option
@click.argument("file", type=click.Path(path_type=Path))
@click.option(
    "--override-reason",
    default=None,
    help="Lý do nếu có chứng từ vượt số còn lại của dòng dự toán.",
)
@_limit_options
@pass_app
def vouchers(
    app: AppContext,
    campaign: str | None,
    file: Path,
    override_reason: str | None,
    max_rows: int,
    max_cell: int,
    max_mb: int,
) -> None:
    """Nhập chứng từ từ FILE (.csv hoặc .xlsx; cột number,type,date,line,payee,content,amount)."""
    from budget.cli.progress import Progress
    from budget.excel.row_stream import ReadLimits
    from budget.services.campaigns import find_campaign
    from budget.services.voucher_import import check_file, import_vouchers

    limits = ReadLimits(max_rows=max_rows, max_cell_chars=max_cell, max_mb=max_mb)
    reading = Progress(f"Đang kiểm tra {file.name}")
    try:  # the whole file, before any write lock
        checked = check_file(file, limits, progress=reading)
    finally:
        reading.close()
    writing = Progress(f"Đang ghi {file.name}", checked.rows)
    try:
        with app.transaction() as session:
            info = find_campaign(session, campaign)
            result = import_vouchers(
                session,
                info.id,
                checked,
                actor=app.actor,
                override_reason=override_reason,
                progress=writing,
            )
    finally:
        writing.close()
    click.echo(f"Đã nhập {result.rows} chứng từ: tổng {format_vnd(result.total)} đồng.")
    if result.overspent_lines:
        click.echo("Dòng chi vượt dự toán (đã ghi lý do): " + ", ".join(result.overspent_lines))
