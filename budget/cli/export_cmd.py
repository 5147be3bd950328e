"""``budget export``: the documents for signing, as Excel workbooks."""

from __future__ import annotations

from pathlib import Path

import click

from budget.cli.context import AppContext, pass_app
from budget.cli.plan_cmd import campaign_option
from budget.dates import parse_date


def _out_option(func):  # type: ignore[no-untyped-def]
    func = click.option(
        "--force", "force", is_flag=True, help="Ghi đè nếu tệp đã có (ghi an toàn, không nửa vời)."
    )(func)
    return click.option(
        "--out", "out", required=True, type=click.Path(path_type=Path), help="Tệp .xlsx sẽ ghi."
    )(func)


def _check_out(out: Path, force: bool) -> Path:
    """Refuse a bad target before any database work (see budget.safe_output)."""
    from budget.errors import ValidationError
    from budget.safe_output import check_target

    if out.suffix.lower() != ".xlsx":
        raise ValidationError(f"Tệp xuất phải có đuôi .xlsx: «{out}».")
    check_target(out, force=force)
    return out


@click.group()
def export() -> None:
    """Xuất Excel theo mẫu hành chính: dự toán, quyết toán, danh sách thưởng, tổng hợp."""


@export.command("estimate")
@campaign_option
@_out_option
@click.option(
    "--version",
    "version_no",
    type=int,
    default=None,
    help="Phiên bản (mặc định: bản đã duyệt hiện hành, nếu chưa có thì bản mới nhất).",
)
@click.option("--draft", is_flag=True, help="Xuất bản dự thảo mới nhất.")
@click.option("--date", "doc_date", default=None, help="Ngày ghi trên văn bản.")
@pass_app
def estimate(
    app: AppContext,
    campaign: str | None,
    out: Path,
    force: bool,
    version_no: int | None,
    draft: bool,
    doc_date: str | None,
) -> None:
    """Dự toán kinh phí."""
    from budget.excel.estimate_export import export_estimate
    from budget.services.campaigns import find_campaign
    from budget.services.estimates import estimate_view
    from budget.services.organisation import get_organisation
    from budget.services.versions import latest_version

    _check_out(out, force)
    day = parse_date(doc_date, "Ngày văn bản") if doc_date else None
    with app.reading() as session:
        info = find_campaign(session, campaign)
        if draft:
            version_no = latest_version(session, info.id).version_no
        view = estimate_view(session, info.id, version_no)
        org = get_organisation(session)
    result = export_estimate(view, org, out, doc_date=day, force=force)
    click.echo(f"Đã xuất dự toán phiên bản {view.version_no}: {result.path}")


@export.command("settlement")
@campaign_option
@_out_option
@click.option("--as-of", "as_of", default=None, help="Số liệu đến ngày.")
@click.option("--date", "doc_date", default=None, help="Ngày ghi trên văn bản.")
@pass_app
def settlement(
    app: AppContext,
    campaign: str | None,
    out: Path,
    force: bool,
    as_of: str | None,
    doc_date: str | None,
) -> None:
    """Báo cáo tình hình thực hiện / quyết toán: theo dòng, theo tiểu mục, sổ chứng từ."""
    from budget.excel.settlement_export import export_settlement
    from budget.reports.reconcile import reconcile
    from budget.reports.register import VoucherFilter, iter_vouchers
    from budget.services.campaigns import find_campaign
    from budget.services.organisation import get_organisation

    _check_out(out, force)
    day = parse_date(as_of, "Ngày số liệu") if as_of else None
    signed = parse_date(doc_date, "Ngày văn bản") if doc_date else None
    with app.reading() as session:
        info = find_campaign(session, campaign)
        rec = reconcile(session, info.id, as_of=day, norms=app.norms)
        org = get_organisation(session)
        vouchers = iter_vouchers(session, info.id, VoucherFilter(date_to=day))
        result = export_settlement(rec, vouchers, org, out, doc_date=signed, force=force)
    click.echo(f"Đã xuất báo cáo quyết toán ({result.rows} chứng từ): {result.path}")


@export.command("payout")
@campaign_option
@_out_option
@click.option(
    "--decision",
    "number",
    default=None,
    help="Số quyết định khen thưởng (mặc định: quyết định mới nhất).",
)
@pass_app
def payout(
    app: AppContext, campaign: str | None, out: Path, force: bool, number: str | None
) -> None:
    """Danh sách nhận tiền thưởng theo quyết định, có cột ký nhận."""
    from budget.errors import NotFoundError
    from budget.excel.payout_export import export_payout, rounding_note
    from budget.services.awards import decision_view, list_decisions
    from budget.services.campaigns import find_campaign
    from budget.services.organisation import get_organisation

    _check_out(out, force)
    with app.reading() as session:
        info = find_campaign(session, campaign)
        if number is None:
            decisions = list_decisions(session, info.id, app.norms)
            if not decisions:
                raise NotFoundError("Kế hoạch chưa có quyết định khen thưởng nào.")
            number = decisions[-1].number
        view = decision_view(session, info.id, number, app.norms)
        org = get_organisation(session)
    salary = app.norms.base_salary_on(view.decision_date)
    result = export_payout(
        view,
        org,
        out,
        year=info.year,
        rule_note=rounding_note(view, salary.amount, salary.source),
        force=force,
    )
    click.echo(
        f"Đã xuất danh sách nhận thưởng theo quyết định {view.number} "
        f"({result.rows} người/tập thể): {result.path}"
    )


@export.command("summary")
@campaign_option
@_out_option
@pass_app
def summary(app: AppContext, campaign: str | None, out: Path, force: bool) -> None:
    """Trang tổng hợp của Chủ tịch, có biểu đồ dự toán và đã chi theo phần."""
    from budget.excel.summary_export import export_summary
    from budget.reports.summary import build_summary
    from budget.services.campaigns import find_campaign
    from budget.services.organisation import get_organisation

    _check_out(out, force)
    with app.reading() as session:
        info = find_campaign(session, campaign)
        s = build_summary(session, info.id, app.norms)
        org = get_organisation(session)
    result = export_summary(s, org, out, force=force)
    click.echo(f"Đã xuất trang tổng hợp: {result.path}")
