"""``budget voucher``: post, reverse, settle and list vouchers."""

from __future__ import annotations

import click

from budget.cli.context import AppContext, pass_app
from budget.cli.options import campaign_option
from budget.dates import parse_date
from budget.money import format_vnd, parse_vnd
from budget.reports.register_filter import VoucherFilter
from budget.vocabulary import ALL_TYPES, VOUCHER_TYPES

# The services (SQLAlchemy, the models) load inside each command: `voucher list`
# prints its first page from SQLite before any of them (budget/cli/quick_register.py).


@click.group()
def voucher() -> None:
    """Chứng từ chi: phiếu chi, giấy rút dự toán, ủy nhiệm chi, tạm ứng."""


@voucher.command("add")
@campaign_option
@click.option("--line", "line_code", required=True, help="Dòng dự toán, ví dụ II.3.")
@click.option("--amount", required=True, help="Số tiền, ví dụ 1.500.000.")
@click.option("--date", "entry_date", required=True, help="Ngày chứng từ.")
@click.option("--payee", required=True, help="Người nhận / đơn vị nhận.")
@click.option("--content", required=True, help="Nội dung chi.")
@click.option(
    "--type",
    "vtype",
    type=click.Choice(list(VOUCHER_TYPES)),
    default="phieu_chi",
    help="Loại chứng từ (tam_ung: tạm ứng, tính là cam kết đến khi thanh toán).",
)
@click.option("--number", default=None, help="Số chứng từ (mặc định: số tự động, ví dụ PC-0001).")
@click.option(
    "--override-reason",
    default=None,
    help="Lý do chi vượt số còn lại của dòng, hoặc vượt quỹ thi đua, khen thưởng hay "
    "trần chi công tác thi đua (bắt buộc khi vượt; ghi nhật ký).",
)
@pass_app
def add(
    app: AppContext,
    campaign: str | None,
    line_code: str,
    amount: str,
    entry_date: str,
    payee: str,
    content: str,
    vtype: str,
    number: str | None,
    override_reason: str | None,
) -> None:
    """Ghi một chứng từ vào dòng dự toán; in số chứng từ ở dòng cuối."""
    from budget.services.campaigns import find_campaign
    from budget.services.vouchers import post_voucher

    value = parse_vnd(amount)
    day = parse_date(entry_date, "Ngày chứng từ")
    with app.transaction() as session:
        info = find_campaign(session, campaign)
        posted = post_voucher(
            session,
            info.id,
            line_code=line_code,
            amount=value,
            entry_date=day,
            payee=payee,
            content=content,
            actor=app.actor,
            vtype=vtype,
            number=number,
            override_reason=override_reason,
            norms=app.norms,
        )
    bal = posted.balance
    click.echo(
        f"Đã ghi {ALL_TYPES[posted.type][0].lower()} {posted.number}: "
        f"{format_vnd(posted.amount)} đồng vào dòng {posted.line_code}. "
        f"Dòng còn lại {format_vnd(bal.remaining)} đồng."
    )
    if posted.override_reason:
        click.echo(
            f"Chú ý: chứng từ ghi vượt dự toán dòng {posted.line_code} hoặc vượt quỹ thi đua, "
            f"khen thưởng (lý do: {posted.override_reason})."
        )
    click.echo(posted.number)


@voucher.command("reverse")
@campaign_option
@click.argument("number")
@click.option("--reason", required=True, help="Lý do hủy.")
@click.option("--type", "vtype", type=click.Choice(list(ALL_TYPES)), default=None)
@click.option(
    "--date",
    "entry_date",
    default=None,
    help="Ngày hủy (mặc định: ngày của chứng từ gốc khi năm kế hoạch chưa qua, "
    "nếu không thì hôm nay).",
)
@click.option("--yes", is_flag=True, help="Không hỏi lại (trên terminal lệnh hỏi xác nhận trước).")
@pass_app
def reverse(
    app: AppContext,
    campaign: str | None,
    number: str,
    reason: str,
    vtype: str | None,
    entry_date: str | None,
    yes: bool,
) -> None:
    """Hủy chứng từ NUMBER bằng bút toán hủy; cả hai vẫn hiện trong sổ."""
    from budget.cli.confirm import confirm, interactive
    from budget.confirmations import reverse_question
    from budget.services.campaigns import find_campaign
    from budget.services.vouchers import reverse_voucher

    day = parse_date(entry_date, "Ngày hủy") if entry_date else None
    if not yes and interactive():  # asked before the write lock is taken
        from budget.services.vouchers import find_voucher

        with app.reading() as session:
            info = find_campaign(session, campaign)
            original = find_voucher(session, info.id, number, vtype)
            question = reverse_question(original.number, original.amount, original.line_code)
        confirm(question, yes=yes)
    with app.transaction() as session:
        info = find_campaign(session, campaign)
        posted = reverse_voucher(
            session, info.id, number, reason=reason, actor=app.actor, vtype=vtype, entry_date=day
        )
    click.echo(
        f"Đã hủy chứng từ {number} (bút toán {posted.number}). Dòng {posted.line_code} "
        f"còn lại {format_vnd(posted.balance.remaining)} đồng."
    )


@voucher.command("settle")
@campaign_option
@click.argument("number")
@click.option("--amount", required=True, help="Số tiền đã chi thực tế theo hóa đơn.")
@click.option("--date", "entry_date", required=True, help="Ngày thanh toán tạm ứng.")
@click.option("--content", default=None)
@click.option("--settlement-number", default=None, help="Số giấy thanh toán tạm ứng.")
@click.option(
    "--override-reason",
    default=None,
    help="Lý do khi phần chi quá số tạm ứng vượt dự toán dòng hoặc quỹ thi đua, khen thưởng.",
)
@pass_app
def settle(
    app: AppContext,
    campaign: str | None,
    number: str,
    amount: str,
    entry_date: str,
    content: str | None,
    settlement_number: str | None,
    override_reason: str | None,
) -> None:
    """Thanh toán tạm ứng NUMBER: số --amount thành đã chi, phần còn lại hoàn trả;
    chi quá số tạm ứng là khoản chi thêm của dòng (kiểm tra dự toán và quỹ)."""
    from budget.services.campaigns import find_campaign
    from budget.services.vouchers import settle_advance

    value = parse_vnd(amount)
    day = parse_date(entry_date, "Ngày thanh toán")
    with app.transaction() as session:
        info = find_campaign(session, campaign)
        posted = settle_advance(
            session,
            info.id,
            number,
            amount=value,
            entry_date=day,
            actor=app.actor,
            content=content,
            settlement_number=settlement_number,
            override_reason=override_reason,
            norms=app.norms,
        )
    rest = (
        f"chi quá số tạm ứng {format_vnd(posted.paid_over)}"
        if posted.paid_over
        else f"hoàn lại {format_vnd(posted.returned)}"
    )
    click.echo(
        f"Đã thanh toán tạm ứng {number} ({posted.number}): chi {format_vnd(value)}, {rest} đồng."
    )
    click.echo(posted.number)


@voucher.command("list")
@campaign_option
@click.option("--line", default=None, help="Chỉ dòng dự toán này.")
@click.option("--part", default=None, help="Chỉ phần này (I, II, ...).")
@click.option("--type", "vtype", type=click.Choice(list(ALL_TYPES)), default=None)
@click.option("--from", "date_from", default=None, help="Từ ngày.")
@click.option("--to", "date_to", default=None, help="Đến ngày.")
@click.option(
    "--search", default=None, help="Tìm trong số, người nhận, nội dung (không dấu cũng được)."
)
@click.option("--limit", type=click.IntRange(min=1), default=None)
@click.option("--offset", type=click.IntRange(min=0), default=0)
@click.option("--all", "show_all", is_flag=True, help="In hết, không dừng ở một trang màn hình.")
@click.option("--format", "fmt", type=click.Choice(["table", "csv", "json"]), default="table")
@pass_app
def list_(
    app: AppContext,
    campaign: str | None,
    line: str | None,
    part: str | None,
    vtype: str | None,
    date_from: str | None,
    date_to: str | None,
    search: str | None,
    limit: int | None,
    offset: int,
    show_all: bool,
    fmt: str,
) -> None:
    """Sổ chứng từ, lọc theo dòng, phần, loại, ngày, từ khóa (in dần, không giữ cả sổ)."""
    from budget.cli.listing import window
    from budget.cli.quick_register import quick_first_page

    flt = VoucherFilter(
        line=line,
        part=part,
        vtype=vtype,
        date_from=parse_date(date_from, "Từ ngày") if date_from else None,
        date_to=parse_date(date_to, "Đến ngày") if date_to else None,
        search=search,
    )
    if fmt == "table" and quick_first_page(
        app.db_option, campaign, flt, window(fmt, limit, offset, show_all)
    ):
        return
    from budget.cli.voucher_listing import print_register
    from budget.services.campaigns import find_campaign

    with app.reading() as session:
        info = find_campaign(session, campaign)
        print_register(
            session, info.id, flt, fmt=fmt, limit=limit, offset=offset, show_all=show_all
        )
