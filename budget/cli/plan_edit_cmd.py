"""``budget plan line|part|submit|return|approve|adjust|copy|use``: the estimate's life."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

import click

from budget.cli.context import AppContext, pass_app, print_table
from budget.cli.options import campaign_option
from budget.cli.plan_cmd import plan
from budget.dates import format_date, parse_date
from budget.money import format_vnd, parse_vnd
from budget.services import approval
from budget.services.campaigns import find_campaign, select_campaign
from budget.services.estimate_edit import (
    LineChange,
    add_line,
    add_part,
    remove_line,
    set_line,
)
from budget.services.reprice import copy_and_reprice


@plan.group("line")
def line() -> None:
    """Thêm, sửa, xóa dòng của dự toán dự thảo."""


_F = TypeVar("_F", bound=Callable[..., Any])


def _line_options(func: _F) -> _F:
    options = [
        click.option("--content", default=None, help="Nội dung chi."),
        click.option("--unit", default=None, help="Đơn vị tính."),
        click.option("--quantity", default=None, help="Số lượng (có thể có phần lẻ: 2,5)."),
        click.option(
            "--multiplier",
            default=None,
            help="Hệ số nhân thứ hai, ví dụ số ngày (người × ngày); rỗng để bỏ.",
        ),
        click.option("--multiplier-unit", default=None, help="Đơn vị của hệ số nhân (ngày)."),
        click.option("--unit-price", default=None, help="Đơn giá, ví dụ 1.500.000."),
        click.option(
            "--norm",
            default=None,
            help="Lấy đơn giá từ định mức: mã định mức, hoặc reward:MÃ cho tiền thưởng.",
        ),
        click.option(
            "--norm-on", default=None, help="Ngày áp dụng định mức (mặc định: ngày kế hoạch)."
        ),
        click.option("--mlnsnn", default=None, help="Tiểu mục (mục lục ngân sách), ví dụ 6658."),
        click.option("--note", default=None, help="Ghi chú."),
    ]
    for option in reversed(options):
        func = option(func)
    return func


def _change(
    content: str | None,
    unit: str | None,
    quantity: str | None,
    multiplier: str | None,
    multiplier_unit: str | None,
    unit_price: str | None,
    norm: str | None,
    norm_on: str | None,
    mlnsnn: str | None,
    note: str | None,
) -> LineChange:
    return LineChange(
        content=content,
        unit=unit,
        quantity=quantity,
        multiplier=multiplier,
        multiplier_unit=multiplier_unit,
        unit_price=parse_vnd(unit_price) if unit_price is not None else None,
        norm=norm,
        norm_on=parse_date(norm_on, "Ngày áp dụng định mức") if norm_on else None,
        mlnsnn=mlnsnn,
        note=note,
    )


@line.command("add")
@campaign_option
@click.option("--part", required=True, help="Phần (I, II, ... hoặc khóa như khen_thuong).")
@click.option("--code", default=None, help="Mã dòng (mặc định: số tiếp theo của phần).")
@_line_options
@pass_app
def line_add(
    app: AppContext, /, campaign: str | None, part: str, code: str | None, **fields: str | None
) -> None:
    """Thêm dòng vào dự toán dự thảo."""
    change = _change(**fields)
    with app.transaction() as session:
        info = find_campaign(session, campaign)
        result = add_line(
            session, app.norms, info.id, part=part, change=change, actor=app.actor, code=code
        )
    click.echo(
        f"Đã thêm dòng {result.code}: {format_vnd(result.amount)} đồng "
        f"(tổng dự toán {format_vnd(result.version_total)} đồng)."
    )
    click.echo(result.code)


@line.command("set")
@campaign_option
@click.argument("code")
@click.option("--reason", default="", help="Lý do sửa (ghi nhật ký).")
@_line_options
@pass_app
def line_set(
    app: AppContext, /, campaign: str | None, code: str, reason: str, **fields: str | None
) -> None:
    """Sửa dòng CODE của dự toán dự thảo (chỉ các tùy chọn được nhập)."""
    change = _change(**fields)
    if change == LineChange():
        raise click.UsageError("chưa nhập nội dung nào để sửa")
    with app.transaction() as session:
        info = find_campaign(session, campaign)
        result = set_line(
            session, app.norms, info.id, code, change=change, actor=app.actor, reason=reason
        )
    click.echo(
        f"Đã sửa dòng {result.code}: {format_vnd(result.amount)} đồng "
        f"(tổng dự toán {format_vnd(result.version_total)} đồng)."
    )


@line.command("source")
@campaign_option
@click.argument("code")
@click.argument("source")
@click.option("--name", default=None, help="Tên nguồn, để thêm SOURCE làm nguồn mới của đơn vị.")
@pass_app
def line_source(
    app: AppContext, campaign: str | None, code: str, source: str, name: str | None
) -> None:
    """Đặt nguồn kinh phí của dòng CODE: quy_tdkt, thuong_xuyen hoặc nguồn của đơn vị."""
    from budget.services import fund

    with app.transaction() as session:
        info = find_campaign(session, campaign)
        if name is not None:
            fund.add_source(session, info.organisation_id, source, name, actor=app.actor)
        fund.set_line_source(session, info.id, code, source, actor=app.actor)
        label = dict(fund.sources(session, info.organisation_id))[source.strip()]
    click.echo(f"Dòng {code.strip()}: nguồn kinh phí {label}.")


@line.command("remove")
@campaign_option
@click.argument("code")
@click.option("--reason", default="", help="Lý do xóa (ghi nhật ký).")
@pass_app
def line_remove(app: AppContext, campaign: str | None, code: str, reason: str) -> None:
    """Xóa dòng CODE khỏi dự toán dự thảo."""
    with app.transaction() as session:
        info = find_campaign(session, campaign)
        total = remove_line(session, info.id, code, actor=app.actor, reason=reason)
    click.echo(f"Đã xóa dòng {code} (tổng dự toán {format_vnd(total)} đồng).")


@plan.group("part")
def part() -> None:
    """Các phần của dự toán."""


@part.command("add")
@campaign_option
@click.option("--title", required=True, help="Tên phần.")
@click.option("--key", default=None, help="Khóa ổn định (không dấu), ví dụ tap_huan.")
@pass_app
def part_add(app: AppContext, campaign: str | None, title: str, key: str | None) -> None:
    """Thêm phần mới vào cuối dự toán dự thảo."""
    with app.transaction() as session:
        info = find_campaign(session, campaign)
        code = add_part(session, info.id, title=title, actor=app.actor, key=key)
    click.echo(f"Đã thêm phần {code}. {title}")
    click.echo(code)


@plan.command("submit")
@campaign_option
@pass_app
def submit(app: AppContext, campaign: str | None) -> None:
    """Trình duyệt dự toán dự thảo."""
    with app.transaction() as session:
        info = find_campaign(session, campaign)
        result = approval.submit(session, info.id, actor=app.actor)
    click.echo(
        f"Đã trình duyệt dự toán phiên bản {result.version_no}: {format_vnd(result.total)} đồng."
    )


@plan.command("return")
@campaign_option
@click.option("--reason", required=True, help="Lý do trả lại.")
@pass_app
def return_(app: AppContext, campaign: str | None, reason: str) -> None:
    """Trả dự toán đang trình về dự thảo để sửa."""
    with app.transaction() as session:
        info = find_campaign(session, campaign)
        result = approval.return_to_draft(session, info.id, actor=app.actor, reason=reason)
    click.echo(f"Đã trả dự toán phiên bản {result.version_no} về dự thảo.")


@plan.command("approve")
@campaign_option
@click.option("--decision", required=True, help="Số quyết định phê duyệt.")
@click.option("--date", "decision_date", required=True, help="Ngày quyết định.")
@click.option("--approver", default=None, help="Người phê duyệt (mặc định: Chủ tịch).")
@click.option(
    "--fund-override-reason",
    default=None,
    help="Lý do vẫn duyệt khi vượt quỹ thi đua, khen thưởng hoặc trần 20 % (ghi nhật ký).",
)
@click.option("--yes", is_flag=True, help="Không hỏi lại (trên terminal lệnh hỏi xác nhận trước).")
@pass_app
def approve(
    app: AppContext,
    campaign: str | None,
    decision: str,
    decision_date: str,
    approver: str | None,
    fund_override_reason: str | None,
    yes: bool,
) -> None:
    """Phê duyệt dự toán đã trình; bản phê duyệt không sửa được nữa."""
    from budget.cli.confirm import confirm, interactive
    from budget.confirmations import approve_question
    from budget.services import fund
    from budget.services.versions import latest_version

    day = parse_date(decision_date, "Ngày quyết định")
    if not yes and interactive():  # asked before the write lock is taken
        from budget.services.estimate_edit import version_total

        with app.reading() as session:
            info = find_campaign(session, campaign)
            version = latest_version(session, info.id)
            question = approve_question(version.version_no, version_total(session, version.id))
        confirm(question, yes=yes)
    with app.transaction() as session:
        info = find_campaign(session, campaign)
        version = latest_version(session, info.id)
        fund.check_estimate(
            session,
            app.norms,
            info.id,
            version.id,
            override_reason=fund_override_reason,
            actor=app.actor,
        )
        result = approval.approve(
            session,
            info.id,
            decision_number=decision,
            decision_date=day,
            actor=app.actor,
            approver=approver,
        )
    click.echo(
        f"Đã phê duyệt dự toán phiên bản {result.version_no} theo QĐ {decision} ngày "
        f"{format_date(day)}: {format_vnd(result.total)} đồng."
    )


@plan.command("adjust")
@campaign_option
@click.option("--reason", default="", help="Lý do điều chỉnh.")
@pass_app
def adjust(app: AppContext, campaign: str | None, reason: str) -> None:
    """Lập điều chỉnh: phiên bản dự thảo mới chép từ bản đã phê duyệt."""
    with app.transaction() as session:
        info = find_campaign(session, campaign)
        result = approval.adjust(session, info.id, actor=app.actor, reason=reason)
    click.echo(f"Đã lập dự toán điều chỉnh phiên bản {result.version_no} (dự thảo).")


@plan.command("copy")
@click.option("--from", "source", required=True, help="Mã kế hoạch năm trước.")
@click.option("--year", type=int, required=True)
@click.option("--number", default="")
@click.option("--date", "plan_date", default=None)
@click.option("--title", default=None)
@click.option("--code", default=None)
@pass_app
def copy(
    app: AppContext,
    source: str,
    year: int,
    number: str,
    plan_date: str | None,
    title: str | None,
    code: str | None,
) -> None:
    """Tạo kế hoạch mới bằng cách chép dự toán của kế hoạch năm trước."""
    day = parse_date(plan_date, "Ngày kế hoạch") if plan_date else None
    with app.transaction() as session:
        result = copy_and_reprice(
            session,
            app.norms,
            source,
            year=year,
            actor=app.actor,
            number=number,
            plan_date=day,
            title=title,
            code=code,
        )
    info = result.campaign
    click.echo(f"Đã tạo kế hoạch {info.code} từ {source}, áp lại định mức năm {year}.")
    if result.changes:
        print_table(
            ["Dòng", "Nội dung", "Ngày áp", "Đơn giá cũ", "Đơn giá mới", "Chênh lệch"],
            [
                [
                    c.code,
                    c.content,
                    format_date(c.on),
                    format_vnd(c.old_price),
                    format_vnd(c.new_price),
                    format_vnd(c.difference),
                ]
                for c in result.changes
            ],
            right=[3, 4, 5],
        )
    else:
        click.echo("Không dòng nào đổi đơn giá theo định mức.")
    if result.unresolved:
        click.echo(
            "Giữ nguyên đơn giá (không có định mức hiệu lực năm mới): "
            + ", ".join(result.unresolved)
        )
    click.echo(info.code)


@plan.command("use")
@click.argument("code")
@pass_app
def use(app: AppContext, code: str) -> None:
    """Chọn kế hoạch CODE làm kế hoạch mặc định cho các lệnh."""
    with app.transaction() as session:
        info = select_campaign(session, code, actor=app.actor)
    click.echo(f"Đang làm việc với kế hoạch {info.code}: {info.title}")
