"""``budget plan``: campaigns and their estimates."""

from __future__ import annotations

import click

from budget.cli.context import AppContext, emit_json, pass_app, print_table
from budget.cli.options import campaign_option
from budget.dates import format_date, parse_date
from budget.money import amount_in_words, format_vnd
from budget.quantities import quantity_display
from budget.services.campaigns import create_campaign, find_campaign, list_campaigns
from budget.services.estimates import EstimateView, estimate_view
from budget.services.organisation import get_organisation
from budget.vocabulary import ESTIMATE_STATUS_LABELS as STATUS_LABELS

#: Short column labels for the built-in funding sources; a user source shows its code.
SOURCE_SHORT = {"quy_tdkt": "Quỹ TĐKT", "thuong_xuyen": "Thường xuyên"}


@click.group()
def plan() -> None:
    """Kế hoạch và dự toán kinh phí."""


@plan.command("new")
@click.option(
    "--template",
    "template",
    default=None,
    metavar="NAME",
    help="Mẫu kế hoạch, ví dụ chinh-quyen-than-thien (bỏ trống: dự toán rỗng).",
)
@click.option("--year", type=int, required=True, help="Năm của kế hoạch.")
@click.option("--number", default="", help="Số kế hoạch, ví dụ 45/KH-UBND.")
@click.option("--date", "plan_date", default=None, help="Ngày kế hoạch.")
@click.option("--title", default=None, help="Tên kế hoạch.")
@click.option("--code", default=None, help="Mã ngắn để chọn kế hoạch (--campaign).")
@pass_app
def new(
    app: AppContext,
    template: str | None,
    year: int,
    number: str,
    plan_date: str | None,
    title: str | None,
    code: str | None,
) -> None:
    """Tạo kế hoạch mới với dự toán dự thảo (phiên bản 1)."""
    day = parse_date(plan_date, "Ngày kế hoạch") if plan_date else None
    with app.transaction() as session:
        info = create_campaign(
            session,
            app.norms,
            year=year,
            actor=app.actor,
            template_key=template,
            number=number,
            plan_date=day,
            title=title,
            code=code,
        )
        view = estimate_view(session, info.id)
    click.echo(f"Đã tạo kế hoạch {info.code}: {info.title}")
    click.echo(f"Dự toán dự thảo: {len(view.lines)} dòng, tổng {format_vnd(view.total)} đồng.")
    click.echo(info.code)


@plan.command("list")
@pass_app
def list_(app: AppContext) -> None:
    """Liệt kê các kế hoạch của đơn vị."""
    with app.reading() as session:
        org = get_organisation(session)
        rows = list_campaigns(session)
    print_table(
        ["", "Mã", "Năm", "Số", "Tên kế hoạch"],
        [
            ["*" if c.id == org.current_campaign_id else "", c.code, c.year, c.number, c.title]
            for c in rows
        ],
    )


def _view_json(view: EstimateView) -> dict[str, object]:
    return {
        "campaign": view.campaign.code,
        "version": view.version_no,
        "status": view.status,
        "title": view.title,
        "decision_number": view.decision_number,
        "decision_date": view.decision_date.isoformat() if view.decision_date else None,
        "total": view.total,
        "legal_bases": list(view.legal_bases),
        "parts": [
            {"code": p.code, "key": p.key, "title": p.title, "total": p.total} for p in view.parts
        ],
        "lines": [
            {
                "code": ln.code,
                "part": ln.part,
                "content": ln.content,
                "unit": ln.unit,
                "quantity": ln.quantity,
                "multiplier": ln.multiplier,
                "unit_price": ln.unit_price,
                "amount": ln.amount,
                "mlnsnn": ln.mlnsnn,
                "norm": ln.norm_ref,
                "note": ln.note,
                "funding_source": ln.funding_source,
            }
            for ln in view.lines
        ],
    }


@plan.command("show")
@campaign_option
@click.option(
    "--version",
    "version_no",
    type=int,
    default=None,
    help="Phiên bản (mặc định: bản đã duyệt mới nhất, nếu chưa có thì bản mới nhất).",
)
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table")
@pass_app
def show(app: AppContext, campaign: str | None, version_no: int | None, fmt: str) -> None:
    """Xem dự toán."""
    with app.reading() as session:
        info = find_campaign(session, campaign)
        view = estimate_view(session, info.id, version_no)
        org = get_organisation(session)
    if fmt == "json":
        emit_json(_view_json(view))
        return
    status = STATUS_LABELS[view.status]
    click.echo(view.title)
    click.echo(
        f"Kế hoạch {info.code} · phiên bản {view.version_no} · {status}"
        + (
            f" · QĐ {view.decision_number} ngày {format_date(view.decision_date)}"
            if view.decision_number
            else ""
        )
    )
    for basis in view.legal_bases:
        click.echo(basis)
    rows: list[list[object]] = []
    for part in view.parts:
        rows.append([part.code, part.title.upper(), "", "", "", format_vnd(part.total), "", ""])
        for ln in part.lines:
            qty = quantity_display(ln.quantity)
            if ln.multiplier is not None:
                qty += f" × {quantity_display(ln.multiplier)} {ln.multiplier_unit}".rstrip()
            rows.append(
                [
                    ln.code,
                    ln.content,
                    ln.unit,
                    qty,
                    format_vnd(ln.unit_price),
                    format_vnd(ln.amount),
                    ln.mlnsnn,
                    SOURCE_SHORT.get(ln.funding_source, ln.funding_source),
                ]
            )
    rows.append(["", "TỔNG CỘNG", "", "", "", format_vnd(view.total), "", ""])
    print_table(
        ["STT", "Nội dung", "ĐVT", "Số lượng", "Đơn giá", "Thành tiền", "Tiểu mục", "Nguồn"],
        rows,
        right=[3, 4, 5],
    )
    click.echo("Bằng chữ: " + amount_in_words(view.total, dialect=org.dialect))
