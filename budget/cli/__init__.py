"""The command line: ``budget ...``. Every error a user can cause prints one
Vietnamese line on stderr and exits with status 2, changing nothing."""

from __future__ import annotations

import os
import sys
import traceback

import click

from budget.cli.click_vi import install as _speak_vietnamese
from budget.cli.context import AppContext, err
from budget.errors import BudgetError
from budget.i18n import LANGUAGE_ENV, LANGUAGES, choose_language, is_vietnamese, tr
from budget.paths import DATABASE_ENV
from budget.text import printable

_speak_vietnamese()

#: command name -> (module, attribute): a command's module is imported only when
#: it runs, so `budget tui` paints its first frame without loading SQLAlchemy.
COMMANDS = {
    "norms": ("budget.cli.norms_cmd", "norms"),
    "org": ("budget.cli.org_cmd", "org"),
    "plan": ("budget.cli.plan_edit_cmd", "plan"),
    "voucher": ("budget.cli.voucher_cmd", "voucher"),
    "award": ("budget.cli.award_cmd", "award"),
    "report": ("budget.cli.report_cmd", "report"),
    "audit": ("budget.cli.audit_cmd", "audit"),
    "export": ("budget.cli.export_cmd", "export"),
    "import": ("budget.cli.import_cmd", "import_"),
    "demo": ("budget.cli.demo_cmd", "demo"),
    "tui": ("budget.cli.tui_cmd", "tui"),
    "serve": ("budget.cli.serve_cmd", "serve"),
    "backup": ("budget.cli.backup_cmd", "backup"),
    "restore": ("budget.cli.backup_cmd", "restore"),
    "admin": ("budget.cli.admin_cmd", "admin"),
    "fund": ("budget.cli.fund_cmd", "fund"),
}


class LazyGroup(click.Group):
    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted(COMMANDS)

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name not in COMMANDS:
            return None
        import importlib

        from budget.cli.help_texts import localize

        module_name, attribute = COMMANDS[cmd_name]
        command: click.Command = getattr(importlib.import_module(module_name), attribute)
        localize(command)
        return command


@click.group(cls=LazyGroup, context_settings={"help_option_names": ["-h", "--help"]})
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
@click.option(
    "--lang",
    "lang",
    type=click.Choice(sorted(LANGUAGES)),
    default=None,
    help=f"Ngôn ngữ giao diện: vi (mặc định) hoặc en (mặc định: ${LANGUAGE_ENV} hoặc "
    "lựa chọn đã lưu). Văn bản xuất ra luôn bằng tiếng Việt.",
)
@click.version_option(package_name="budget", message="budget %(version)s")
@click.pass_context
def cli(
    ctx: click.Context,
    db: str | None,
    norms_files: tuple[str, ...],
    user: str | None,
    lang: str | None,
) -> None:
    """Dự toán, theo dõi và quyết toán kinh phí phong trào thi đua cấp xã."""
    if user is not None:
        from budget.text import clean_text

        os.environ["BUDGET_USER"] = clean_text(user, "Người thao tác (--user)", max_length=100)
    app = AppContext(db_option=db, norms_files=norms_files)
    ctx.obj = app
    ctx.call_on_close(app.close)


def main(argv: list[str] | None = None) -> None:
    """Console entry point: maps domain errors to one line and exit status 2."""
    from budget.cli.argv import hoist_global_options, language_flag
    from budget.cli.help_texts import localize

    argv = hoist_global_options(list(sys.argv[1:] if argv is None else argv))
    choose_language(language_flag(argv))  # before click, so --help is in it too
    localize(cli)
    try:
        code = cli.main(args=argv, prog_name="budget", standalone_mode=False)
    except BudgetError as exc:
        err(f"{tr('Lỗi:')} {printable(tr(exc.message), 500)}")
        sys.exit(2)
    except click.exceptions.Abort:
        err(tr("Đã hủy."))
        sys.exit(1)
    except click.exceptions.Exit as exc:
        sys.exit(exc.exit_code)
    except click.UsageError as exc:
        from budget.cli.usage_errors import vietnamese_usage_error

        said = vietnamese_usage_error(exc) if is_vietnamese() else exc.format_message()
        message = printable(said, 500)
        err(f"{tr('Lỗi:')} {message} {tr('(xem «budget --help»)')}")
        sys.exit(2)
    except click.ClickException as exc:
        err(f"{tr('Lỗi:')} {tr(exc.format_message())}")
        sys.exit(2)
    except KeyboardInterrupt:
        err(tr("Đã dừng."))
        sys.exit(130)
    except SystemExit as exc:
        from click.utils import PacifyFlushWrapper

        # click >= 8.2 serves this name through a module __getattr__ typed ``object``
        wrapper = PacifyFlushWrapper
        if isinstance(wrapper, type) and isinstance(sys.stdout, wrapper):  # EPIPE on stdout
            from budget.cli.pipes import quiet_broken_pipe

            quiet_broken_pipe()
        raise exc
    except BrokenPipeError:
        # The reader went away (``| head -1``): the work is done, stop quietly.
        from budget.cli.pipes import quiet_broken_pipe

        quiet_broken_pipe()
    except Exception as exc:  # noqa: BLE001 - last resort: one line, details in the log
        from budget.failures import debug_enabled, describe

        if debug_enabled():
            traceback.print_exc()
        message, _unexpected = describe(exc)
        err(f"{tr('Lỗi:')} {printable(tr(message), 500)}")
        sys.exit(2)
    sys.exit(code if isinstance(code, int) else 0)
