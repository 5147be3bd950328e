"""``budget serve``: the chairman's page (or the accountant's app) in a browser."""

from __future__ import annotations

import click

from budget.cli.context import AppContext, pass_app
from budget.errors import BudgetError


@click.command()
@click.option(
    "--host",
    default="127.0.0.1",
    show_default=True,
    help="Địa chỉ lắng nghe; 0.0.0.0 mở cho cả mạng nội bộ (có cảnh báo).",
)
@click.option(
    "--port", default=8470, show_default=True, type=click.IntRange(1, 65535), help="Cổng."
)
@click.option(
    "--app",
    "accountant",
    is_flag=True,
    help="Phục vụ toàn bộ ứng dụng cho kế toán (mặc định: trang của Chủ tịch, chỉ xem).",
)
@pass_app
def serve(app: AppContext, host: str, port: int, accountant: bool) -> None:
    """Mở trang tổng hợp của Chủ tịch (chỉ xem) trong trình duyệt."""
    from budget.db import open_database
    from budget.paths import resolve_database_url

    url = resolve_database_url(app.db_option)
    # Check now, in the foreground, that the database opens: a browser must not be
    # the first to hear that the file is wrong.
    open_database(url, read_only=not accountant).dispose()
    try:
        from tui.serve import ServeOptions, new_token
        from tui.serve import serve as run
    except ImportError as exc:  # pragma: no cover - a broken installation
        raise BudgetError(
            "Thiếu thư viện để phục vụ trình duyệt ({name}); hãy cài lại: pip install .",
            name=exc.name,
        ) from None
    options = ServeOptions(
        db=url,
        host=host,
        port=port,
        accountant=accountant,
        token=new_token(),
        norms_files=tuple(app.norms_files),
    )
    try:
        run(options, click.echo)
    except KeyboardInterrupt:  # Ctrl+C is how the chairman's page is closed
        click.echo("Đã dừng; đường dẫn và mã truy cập không còn dùng được.")
    except OSError as exc:
        from budget.errors import os_error_text

        reason = "cổng đang được dùng" if exc.errno == 98 else os_error_text(exc)
        raise BudgetError(
            "Không mở được cổng {host}:{port}: {reason}.", host=host, port=port, reason=reason
        ) from None
