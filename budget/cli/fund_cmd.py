"""``budget fund show|open|allocate``: the emulation-reward fund of a year."""

from __future__ import annotations

import click

from budget.cli.context import AppContext, emit_json, pass_app
from budget.dates import parse_date
from budget.money import format_vnd, parse_vnd
from budget.services import fund as fund_service
from budget.services.organisation import get_organisation


@click.group()
def fund() -> None:
    """Quỹ thi đua, khen thưởng: số dư, trích lập, chi, trần chi công tác thi đua."""


@fund.command("open")
@click.option("--year", type=int, required=True)
@click.option("--opening", required=True, help="Số dư đầu năm (đồng).")
@pass_app
def open_(app: AppContext, year: int, opening: str) -> None:
    """Mở sổ quỹ năm --year với số dư đầu năm."""
    amount = parse_vnd(opening)
    with app.transaction() as session:
        org = get_organisation(session)
        fund_service.open_fund(session, org.id, year, amount, actor=app.actor)
    click.echo(f"Đã mở quỹ năm {year}: số dư đầu năm {format_vnd(amount)} đồng.")


@fund.command("allocate")
@click.option("--year", type=int, required=True)
@click.option("--amount", required=True, help="Số tiền (đồng).")
@click.option("--decision", required=True, help="Số quyết định trích lập/bổ sung.")
@click.option("--date", "decision_date", required=True, help="Ngày quyết định.")
@click.option("--note", default="")
@pass_app
def allocate(
    app: AppContext, year: int, amount: str, decision: str, decision_date: str, note: str
) -> None:
    """Ghi một khoản trích lập, bổ sung quỹ theo quyết định."""
    value = parse_vnd(amount)
    day = parse_date(decision_date, "Ngày quyết định")
    with app.transaction() as session:
        org = get_organisation(session)
        fund_service.allocate(
            session,
            org.id,
            year,
            value,
            decision_number=decision,
            decision_date=day,
            actor=app.actor,
            note=note,
        )
    click.echo(f"Đã bổ sung quỹ năm {year}: {format_vnd(value)} đồng (QĐ {decision}).")


@fund.command("show")
@click.option("--year", type=int, required=True)
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table")
@pass_app
def show(app: AppContext, year: int, fmt: str) -> None:
    """Quỹ năm --year: nguồn, đã duyệt chi, đã chi, số dư và trần chi công tác thi đua."""
    with app.reading() as session:
        org = get_organisation(session)
        st = fund_service.fund_status(session, app.norms, org.id, year)
    if fmt == "json":
        emit_json(
            {
                "year": year,
                "opening": st.opening,
                "allocated": st.allocated,
                "total": st.total,
                "approved": st.approved,
                "spent": st.spent,
                "balance": st.balance,
                "emulation_approved": st.emulation_approved,
                "cap_percent": st.cap_percent,
                "cap_limit": st.cap_limit,
                "cap_source": st.cap_source,
                "over_cap": st.over_cap,
            }
        )
        return
    click.echo(f"QUỸ THI ĐUA, KHEN THƯỞNG NĂM {year}")
    click.echo(f"Số dư đầu năm: {format_vnd(st.opening)} đồng")
    click.echo(f"Trích lập, bổ sung: {format_vnd(st.allocated)} đồng")
    click.echo(f"Tổng nguồn: {format_vnd(st.total)} đồng")
    click.echo(f"Dự toán đã duyệt chi từ quỹ (mọi kế hoạch): {format_vnd(st.approved)} đồng")
    click.echo(f"Đã chi: {format_vnd(st.spent)} đồng — số dư {format_vnd(st.balance)} đồng")
    if st.cap_limit is not None:
        click.echo(
            f"Chi công tác thi đua: {format_vnd(st.emulation_approved)} / trần "
            f"{st.cap_percent} % = {format_vnd(st.cap_limit)} đồng ({st.cap_source})"
            + (" — VƯỢT TRẦN" if st.over_cap else "")
        )
