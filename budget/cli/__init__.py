"""The command line: ``budget ...``. Every error a user can cause prints one
Vietnamese line on stderr and exits with status 2, changing nothing."""

from __future__ import annotations

import os
import sys
import traceback

import click

from budget.cli.context import AppContext, err
from budget.errors import BudgetError
from budget.paths import DATABASE_ENV


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.option(
    "--db",
    "db",
    metavar="PATH|URL",
    default=None,
    help=f"Tệp SQLite hoặc địa chỉ SQLAlchemy (mặc định: ${DATABASE_ENV} "
    "hoặc tệp trong thư mục dữ liệu người dùng).",
)
@click.option(
    "--norms",
    "norms_files",
    multiple=True,
    metavar="FILE",
    help="Tệp định mức riêng (TOML) bổ sung/thay thế định mức có sẵn.",
)
@click.option(
    "--user",
    "user",
    default=None,
    metavar="NAME",
    help="Tên người thao tác ghi vào nhật ký (mặc định: tài khoản hệ điều hành).",
)
@click.version_option(package_name="budget", message="budget %(version)s")
@click.pass_context
def cli(ctx: click.Context, db: str | None, norms_files: tuple[str, ...], user: str | None) -> None:
    """Dự toán, theo dõi và quyết toán kinh phí phong trào thi đua cấp xã."""
    if user:
        os.environ["BUDGET_USER"] = user
    app = AppContext(db_option=db, norms_files=norms_files)
    ctx.obj = app
    ctx.call_on_close(app.close)


def _register() -> None:
    from budget.cli import (
        audit_cmd,
        award_cmd,
        demo_cmd,
        export_cmd,
        import_cmd,
        norms_cmd,
        org_cmd,
        plan_cmd,
        plan_edit_cmd,  # noqa: F401  (adds commands to the plan group)
        report_cmd,
        tui_cmd,
        voucher_cmd,
    )

    cli.add_command(norms_cmd.norms)
    cli.add_command(org_cmd.org)
    cli.add_command(plan_cmd.plan)
    cli.add_command(voucher_cmd.voucher)
    cli.add_command(award_cmd.award)
    cli.add_command(report_cmd.report)
    cli.add_command(audit_cmd.audit)
    cli.add_command(export_cmd.export)
    cli.add_command(import_cmd.import_)
    cli.add_command(demo_cmd.demo)
    cli.add_command(tui_cmd.tui)


_register()


def main(argv: list[str] | None = None) -> None:
    """Console entry point: maps domain errors to one line and exit status 2."""
    try:
        code = cli.main(args=argv, prog_name="budget", standalone_mode=False)
    except BudgetError as exc:
        err(f"Lỗi: {exc.message}")
        sys.exit(2)
    except click.exceptions.Abort:
        err("Đã hủy.")
        sys.exit(1)
    except click.exceptions.Exit as exc:
        sys.exit(exc.exit_code)
    except click.UsageError as exc:
        from budget.cli.usage_errors import vietnamese_usage_error

        err(f"Lỗi: {vietnamese_usage_error(exc)} (xem «budget --help»)")
        sys.exit(2)
    except click.ClickException as exc:
        err(f"Lỗi: {exc.format_message()}")
        sys.exit(2)
    except KeyboardInterrupt:
        err("Đã dừng.")
        sys.exit(130)
    except Exception as exc:  # noqa: BLE001 - last resort: never a raw traceback
        if os.environ.get("BUDGET_DEBUG"):
            traceback.print_exc()
        err(f"Lỗi không mong đợi: {type(exc).__name__}: {exc} (đặt BUDGET_DEBUG=1 để xem chi tiết)")
        sys.exit(1)
    sys.exit(code if isinstance(code, int) else 0)
