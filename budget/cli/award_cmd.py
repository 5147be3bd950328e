"""``budget award``: award decisions, recipients and payment."""

from __future__ import annotations

from pathlib import Path

import click

from budget.cli.context import AppContext, emit_json, pass_app, print_table
from budget.cli.options import campaign_option
from budget.dates import format_date, parse_date
from budget.money import amount_in_words, format_vnd
from budget.norms import RECIPIENT_KINDS
from budget.services.award_edit import remove_recipient, update_recipient
from budget.services.award_lines import line_choices, propose_lines
from budget.services.awards import (
    DecisionView,
    RecipientInput,
    add_recipients,
    create_decision,
    decision_view,
    list_decisions,
    pay_decision,
    read_recipients_csv,
    set_decision_lines,
)
from budget.services.campaigns import find_campaign
from budget.services.organisation import get_organisation
from budget.vocabulary import PAYMENT_TYPES

line_option = click.option(
    "--line",
    "lines",
    multiple=True,
    help="Dòng dự toán chi thưởng (lặp lại cho mỗi hình thức, ví dụ --line V.3 --line V.4).",
)


@click.group()
def award() -> None:
    """Quyết định khen thưởng, danh sách người nhận, chi thưởng."""


@award.command("new")
@campaign_option
@click.option("--number", required=True, help="Số quyết định, ví dụ 120/QĐ-UBND.")
@click.option("--date", "decision_date", required=True, help="Ngày quyết định.")
@click.option("--signer", default=None, help="Người ký (mặc định: Chủ tịch).")
@click.option("--title", default="", help="Trích yếu.")
@line_option
@pass_app
def new(
    app: AppContext,
    campaign: str | None,
    number: str,
    decision_date: str,
    signer: str | None,
    title: str,
    lines: tuple[str, ...],
) -> None:
    """Tạo quyết định khen thưởng."""
    day = parse_date(decision_date, "Ngày quyết định")
    with app.transaction() as session:
        info = find_campaign(session, campaign)
        view = create_decision(
            session,
            info.id,
            number=number,
            decision_date=day,
            actor=app.actor,
            signer=signer,
            title=title,
            lines=lines,
        )
        proposed = () if lines else propose_lines(session, info.id, title)
    click.echo(
        f"Đã tạo quyết định khen thưởng {view.number} ngày {format_date(view.decision_date)}"
        f" (làm tròn {'lên' if view.rounding == 'up' else 'gần nhất'})."
    )
    if view.lines:
        click.echo(f"Dòng chi: {', '.join(view.lines)}.")
    elif proposed:
        options = " ".join(f"--line {code}" for code in proposed)
        click.echo(
            f"Chưa chọn dòng chi; đề xuất theo trích yếu: {', '.join(proposed)}. "
            f"Chọn: budget award lines {view.number} {options}"
        )


@award.command("lines")
@campaign_option
@click.argument("number", required=False)
@line_option
@pass_app
def lines_(
    app: AppContext, campaign: str | None, number: str | None, lines: tuple[str, ...]
) -> None:
    """Chọn dòng chi cho quyết định NUMBER (--line, mỗi hình thức một dòng); không có
    NUMBER: liệt kê các dòng dự toán và số còn lại."""
    if number is None:
        with app.reading() as session:
            info = find_campaign(session, campaign)
            choices = line_choices(session, info.id)
        print_table(
            ["Dòng", "Nội dung", "Còn lại"],
            [[c.code, c.content, format_vnd(c.remaining)] for c in choices],
            right=[2],
        )
        return
    if not lines:
        raise click.UsageError("cần ít nhất một --line DÒNG")
    with app.transaction() as session:
        info = find_campaign(session, campaign)
        view = set_decision_lines(session, info.id, number, lines, app.norms, actor=app.actor)
    click.echo(f"Quyết định {view.number} chi từ dòng {', '.join(view.lines)}.")
    _echo_by_line(view)


def _echo_by_line(view: DecisionView) -> None:
    by_line: dict[str, int] = {}
    for r in view.recipients:
        by_line[r.line_code] = by_line.get(r.line_code, 0) + r.amount
    for code, amount in by_line.items():
        click.echo(f"  dòng {code}: {format_vnd(amount)} đồng")


duplicate_option = click.option(
    "--allow-duplicate",
    is_flag=True,
    help="Vẫn thêm khi trùng tên với người đã có trong quyết định (xác nhận là người khác).",
)


@award.command("add")
@campaign_option
@click.argument("number")
@click.option("--name", default=None, help="Họ tên cá nhân / tên tập thể / hộ.")
@click.option("--title", default="", help="Chức vụ hoặc đơn vị.")
@click.option("--form", default=None, help="Mã hình thức, ví dụ giay_khen_ca_nhan.")
@click.option(
    "--csv",
    "csv_file",
    type=click.Path(path_type=Path),
    default=None,
    help="Thêm từ tệp CSV (cột name,title,form hoặc Họ và tên,Chức vụ/Đơn vị,Hình thức).",
)
@duplicate_option
@pass_app
def add(
    app: AppContext,
    campaign: str | None,
    number: str,
    name: str | None,
    title: str,
    form: str | None,
    csv_file: Path | None,
    allow_duplicate: bool,
) -> None:
    """Thêm người/tập thể được khen vào quyết định NUMBER."""
    if csv_file is not None:
        recipients = read_recipients_csv(csv_file)
    elif name and form:
        recipients = [RecipientInput(name=name, form=form, title=title)]
    else:
        raise click.UsageError("cần --name và --form, hoặc --csv TỆP")
    with app.transaction() as session:
        info = find_campaign(session, campaign)
        view = add_recipients(
            session,
            info.id,
            number,
            recipients,
            app.norms,
            actor=app.actor,
            allow_duplicate=allow_duplicate,
        )
    click.echo(
        f"Quyết định {number}: {len(view.recipients)} người/tập thể, tổng "
        f"{format_vnd(view.total)} đồng."
    )


def _decision_json(view: DecisionView) -> dict[str, object]:
    return {
        "number": view.number,
        "date": view.decision_date.isoformat(),
        "signer": view.signer,
        "title": view.title,
        "rounding": view.rounding,
        "collective_rule": view.collective_rule,
        "household_rule": view.household_rule,
        "rules_note": view.rules_note,
        "total": view.total,
        "paid": view.paid,
        "vouchers": list(view.vouchers),
        "lines": list(view.lines),
        "recipients": [
            {
                "name": r.name,
                "title": r.title,
                "kind": r.kind,
                "form": r.form,
                "coefficient": r.coefficient,
                "base_salary": r.base_salary,
                "amount": r.amount,
                "line": r.line_code,
            }
            for r in view.recipients
        ],
    }


@award.command("list")
@campaign_option
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table")
@pass_app
def list_(app: AppContext, campaign: str | None, fmt: str) -> None:
    """Các quyết định khen thưởng của kế hoạch."""
    with app.reading() as session:
        info = find_campaign(session, campaign)
        views = list_decisions(session, info.id, app.norms)
    if fmt == "json":
        emit_json([_decision_json(v) for v in views])
        return
    print_table(
        ["Số QĐ", "Ngày", "Người ký", "Số người", "Tổng tiền", "Đã chi"],
        [
            [
                v.number,
                format_date(v.decision_date),
                v.signer,
                len(v.recipients),
                format_vnd(v.total),
                ", ".join(v.vouchers) or "chưa",
            ]
            for v in views
        ],
        right=[3, 4],
    )


@award.command("show")
@campaign_option
@click.argument("number")
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table")
@pass_app
def show(app: AppContext, campaign: str | None, number: str, fmt: str) -> None:
    """Danh sách nhận tiền thưởng theo quyết định NUMBER."""
    with app.reading() as session:
        info = find_campaign(session, campaign)
        view = decision_view(session, info.id, number, app.norms)
        org = get_organisation(session)
    if fmt == "json":
        emit_json(_decision_json(view))
        return
    click.echo(
        f"DANH SÁCH NHẬN TIỀN THƯỞNG — Quyết định số {view.number} ngày "
        f"{format_date(view.decision_date)}"
    )
    print_table(
        [
            "STT",
            "Họ tên / Tập thể",
            "Chức vụ / Đơn vị",
            "Đối tượng",
            "Hình thức",
            "Cách tính",
            "Số tiền",
            "Dòng",
        ],
        [
            [
                r.position,
                r.name,
                r.title,
                RECIPIENT_KINDS[r.kind],
                r.form_name,
                r.rule,
                format_vnd(r.amount),
                r.line_code,
            ]
            for r in view.recipients
        ],
        right=[6],
    )
    chosen = ", ".join(view.lines) if view.lines else "chưa chọn (theo dòng duy nhất của hình thức)"
    click.echo(f"Dòng chi đã chọn: {chosen}")
    _echo_by_line(view)
    rounding = "lên" if view.rounding == "up" else "gần nhất"
    click.echo(
        f"Tổng cộng: {format_vnd(view.total)} đồng — làm tròn {rounding} đến hàng chục nghìn đồng"
    )
    click.echo(view.rules_note)
    if view.unverified:
        click.echo(f"Hệ số {', '.join(view.unverified)}: chưa đối chiếu văn bản.")
    click.echo("Bằng chữ: " + amount_in_words(view.total, dialect=org.dialect))


@award.command("pay")
@campaign_option
@click.argument("number")
@click.option("--date", "entry_date", default=None, help="Ngày chi (mặc định: ngày quyết định).")
@click.option(
    "--type",
    "vtype",
    type=click.Choice(list(PAYMENT_TYPES)),
    default="phieu_chi",
)
@click.option("--override-reason", default=None, help="Lý do nếu chi vượt dòng dự toán.")
@line_option
@click.option("--yes", is_flag=True, help="Không hỏi lại (trên terminal lệnh hỏi xác nhận trước).")
@pass_app
def pay(
    app: AppContext,
    campaign: str | None,
    number: str,
    entry_date: str | None,
    vtype: str,
    override_reason: str | None,
    lines: tuple[str, ...],
    yes: bool,
) -> None:
    """Chi thưởng theo quyết định NUMBER: lập chứng từ vào dòng chi đã chọn
    (--line chọn lại dòng ngay trước khi chi)."""
    from budget.cli.confirm import confirm, interactive
    from budget.confirmations import pay_question

    day = parse_date(entry_date, "Ngày chi") if entry_date else None
    if not yes and interactive():  # asked before the write lock is taken
        with app.reading() as session:
            info = find_campaign(session, campaign)
            view = decision_view(session, info.id, number, app.norms)
        confirm(pay_question(view.number, view.total, len(view.recipients)), yes=yes)
    with app.transaction() as session:
        info = find_campaign(session, campaign)
        if lines:
            set_decision_lines(session, info.id, number, lines, app.norms, actor=app.actor)
        payout = pay_decision(
            session,
            info.id,
            number,
            app.norms,
            actor=app.actor,
            entry_date=day,
            vtype=vtype,
            override_reason=override_reason,
        )
    for voucher_no, line, amount in payout.vouchers:
        click.echo(f"Chứng từ {voucher_no}: {format_vnd(amount)} đồng, dòng {line}")
    click.echo(f"Đã chi thưởng theo quyết định {number}: {format_vnd(payout.total)} đồng.")


@award.command("edit")
@campaign_option
@click.argument("number")
@click.argument("position", type=int)
@click.option("--name", default=None, help="Họ tên / tên tập thể đúng.")
@click.option("--title", default=None, help="Chức vụ hoặc đơn vị đúng.")
@click.option("--form", default=None, help="Mã hình thức đúng (số tiền tính lại).")
@duplicate_option
@pass_app
def edit(
    app: AppContext,
    campaign: str | None,
    number: str,
    position: int,
    name: str | None,
    title: str | None,
    form: str | None,
    allow_duplicate: bool,
) -> None:
    """Sửa người nhận STT POSITION của quyết định NUMBER (trước khi chi)."""
    if name is None and title is None and form is None:
        raise click.UsageError("cần ít nhất một trong --name, --title, --form")
    with app.transaction() as session:
        info = find_campaign(session, campaign)
        view = update_recipient(
            session,
            info.id,
            number,
            position,
            app.norms,
            actor=app.actor,
            name=name,
            title=title,
            form=form,
            allow_duplicate=allow_duplicate,
        )
    r = next(r for r in view.recipients if r.position == position)
    click.echo(
        f"Đã sửa STT {position}: {r.name}, {r.form_name}, {format_vnd(r.amount)} đồng "
        f"(dòng {r.line_code}). Tổng quyết định: {format_vnd(view.total)} đồng."
    )


@award.command("remove")
@campaign_option
@click.argument("number")
@click.argument("position", type=int)
@click.option("--reason", default="", help="Lý do xóa (ghi vào nhật ký).")
@pass_app
def remove(app: AppContext, campaign: str | None, number: str, position: int, reason: str) -> None:
    """Xóa người nhận STT POSITION khỏi quyết định NUMBER (trước khi chi)."""
    with app.transaction() as session:
        info = find_campaign(session, campaign)
        view = remove_recipient(
            session, info.id, number, position, app.norms, actor=app.actor, reason=reason
        )
    click.echo(
        f"Đã xóa STT {position} khỏi quyết định {number}: còn {len(view.recipients)} "
        f"người/tập thể, tổng {format_vnd(view.total)} đồng."
    )
