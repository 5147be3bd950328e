"""``budget report``: reconciliation and the chairman's summary."""

from __future__ import annotations

import csv
import sys
from pathlib import Path

import click

from budget.cli.context import AppContext, emit_json, pass_app, print_table
from budget.cli.options import campaign_option
from budget.dates import format_date, parse_date
from budget.money import format_vnd
from budget.reports.reconcile import Figures, reconcile, reconciliation_dict
from budget.services.campaigns import find_campaign
from budget.vocabulary import ALERT_TITLES


@click.group()
def report() -> None:
    """Báo cáo: đối chiếu dự toán - thực hiện, trang tổng hợp của Chủ tịch."""


def _percent(fig: Figures) -> str:
    return "" if fig.percent is None else f"{fig.percent}".replace(".", ",") + " %"


def _cells(fig: Figures) -> list[str]:
    return [
        format_vnd(fig.original),
        format_vnd(fig.approved),
        format_vnd(fig.difference),
        format_vnd(fig.spent),
        format_vnd(fig.committed),
        format_vnd(fig.remaining),
        _percent(fig),
        "VƯỢT" if fig.over else "",
    ]


FIG_HEADERS = [
    "Dự toán ban đầu",
    "Dự toán hiện hành",
    "Điều chỉnh",
    "Đã chi",
    "Tạm ứng",
    "Còn lại",
    "Tỷ lệ",
    "",
]
CSV_FIELDS = [
    "level",
    "code",
    "part",
    "content",
    "mlnsnn",
    "original",
    "approved",
    "difference",
    "committed",
    "spent",
    "remaining",
    "percent",
    "over",
]


@report.command("reconcile")
@campaign_option
@click.option("--as-of", "as_of", default=None, help="Tính đến ngày.")
@click.option("--format", "fmt", type=click.Choice(["table", "json", "csv"]), default="table")
@pass_app
def reconcile_(app: AppContext, campaign: str | None, as_of: str | None, fmt: str) -> None:
    """Đối chiếu dự toán với thực hiện theo dòng, phần, tiểu mục và tổng."""
    day = parse_date(as_of, "Ngày đối chiếu") if as_of else None
    with app.reading() as session:
        info = find_campaign(session, campaign)
        rec = reconcile(session, info.id, as_of=day, norms=app.norms)
    data = reconciliation_dict(rec)
    if fmt == "json":
        emit_json(data)
        return
    if fmt == "csv":
        writer = csv.DictWriter(
            sys.stdout, fieldnames=CSV_FIELDS, lineterminator="\n", extrasaction="ignore"
        )
        writer.writeheader()
        for level in ("lines", "parts", "codes"):
            for row in data[level]:  # type: ignore[attr-defined]
                writer.writerow(
                    {
                        "level": level[:-1],
                        "content": row.get("content") or row.get("title") or row.get("name"),
                        **row,
                    }
                )
        writer.writerow({"level": "total", **data["total"]})  # type: ignore[dict-item]
        return
    when = f" đến ngày {format_date(day)}" if day else ""
    click.echo(
        f"ĐỐI CHIẾU DỰ TOÁN - THỰC HIỆN{when} · kế hoạch {info.code} · dự toán phiên "
        f"bản {rec.version_no}" + (f" (QĐ {rec.decision_number})" if rec.decision_number else "")
    )
    right = list(range(2, 10))
    print_table(
        ["Mã", "Nội dung", *FIG_HEADERS],
        [[r.code, r.content[:45], *_cells(r.figures)] for r in rec.lines]
        + [["", "TỔNG CỘNG", *_cells(rec.total)]],
        right=right,
    )
    click.echo("\nTHEO PHẦN")
    print_table(
        ["Phần", "Tên", *FIG_HEADERS],
        [[g.code, g.title[:45], *_cells(g.figures)] for g in rec.parts],
        right=right,
    )
    click.echo("\nTHEO TIỂU MỤC")
    print_table(
        ["Tiểu mục", "Tên", *FIG_HEADERS],
        [[g.code, g.title[:45], *_cells(g.figures)] for g in rec.codes],
        right=right,
    )


@report.command("summary")
@campaign_option
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table")
@pass_app
def summary(app: AppContext, campaign: str | None, fmt: str) -> None:
    """Trang tổng hợp một màn hình cho Chủ tịch UBND xã."""
    from budget.reports.chairman import LineAlert, chairman_dict, chairman_view

    with app.reading() as session:
        info = find_campaign(session, campaign)
        v = chairman_view(session, info.id, app.norms)
    if fmt == "json":
        emit_json(chairman_dict(v))
        return
    t = v.total
    click.echo(f"TỔNG HỢP KINH PHÍ — {info.title}")
    click.echo(v.as_of_line)
    click.echo(
        f"Dự toán: {format_vnd(t.approved)} · Đã chi: {format_vnd(t.spent)} · "
        f"Tạm ứng: {format_vnd(t.committed)} · Còn lại: {format_vnd(t.remaining)} · "
        f"{_percent(t)}"
    )
    click.echo("\nTIẾN ĐỘ THEO PHẦN")
    print_table(
        ["Phần", "Tên", "Dự toán", "Đã dùng", "Tỷ lệ", ""],
        [
            [
                p.code,
                p.title[:45],
                format_vnd(p.figures.approved),
                format_vnd(p.figures.used),
                _percent(p.figures),
                _bar(p.figures),
            ]
            for p in v.parts
        ],
        right=[2, 3, 4],
    )
    click.echo("\nCHI THEO THÁNG")
    print_table(
        ["Tháng", "Đã chi"],
        [[f"{m.month:02d}", format_vnd(m.spent)] for m in v.by_month if m.spent],
        right=[1],
    )
    click.echo("\nCHỨNG TỪ LỚN NHẤT")
    print_table(
        ["Số", "Ngày", "Dòng", "Nội dung", "Số tiền"],
        [
            [x.number, format_date(x.entry_date), x.line_code, x.content[:45], format_vnd(x.amount)]
            for x in v.largest
        ],
        right=[4],
    )
    a = v.alerts
    click.echo(f"\nCẦN CHÚ Ý ({a.count})")

    def lines(key: str, rows: tuple[LineAlert, ...]) -> None:
        click.echo(f"\n{ALERT_TITLES[key].upper()}")
        print_table(
            ["Mã", "Nội dung", "Dự toán", "Đã dùng", "Còn lại", "Tỷ lệ"],
            [
                [
                    r.code,
                    r.content[:45],
                    format_vnd(r.figures.approved),
                    format_vnd(r.figures.used),
                    format_vnd(r.figures.remaining),
                    _percent(r.figures),
                ]
                for r in rows
            ],
            right=[2, 3, 4, 5],
        )

    lines("lines_over", a.over)
    click.echo(f"\n{ALERT_TITLES['overspends'].upper()}")
    print_table(
        ["Số", "Ngày", "Dòng", "Số tiền", "Lý do"],
        [
            [o.number, format_date(o.entry_date), o.line_code, format_vnd(o.amount), o.reason[:50]]
            for o in a.overspends
        ],
        right=[3],
    )
    click.echo(f"\n{ALERT_TITLES['open_advances'].upper()}")
    print_table(
        ["Số", "Ngày", "Người nhận", "Dòng", "Số tiền", "Số ngày"],
        [
            [
                x.number,
                format_date(x.entry_date),
                x.payee[:30],
                x.line_code,
                format_vnd(x.amount),
                x.age_days,
            ]
            for x in a.open_advances
        ],
        right=[4, 5],
    )
    click.echo(f"\n{ALERT_TITLES['unpaid_decisions'].upper()}")
    print_table(
        ["Số QĐ", "Ngày", "Số người", "Tổng tiền"],
        [
            [u.number, format_date(u.decision_date), u.recipients, format_vnd(u.total)]
            for u in a.unpaid_decisions
        ],
        right=[2, 3],
    )
    lines("lines_full", a.full)
    lines("lines_watch", a.watch)


def _bar(fig: Figures, width: int = 20) -> str:
    if fig.approved <= 0:
        return ""
    filled = min(width, fig.used * width // fig.approved)
    return "█" * filled + "░" * (width - filled)


@report.command("campaigns")
@click.option("--year", type=int, required=True, help="Năm của các kế hoạch.")
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table")
@click.option(
    "--out", type=click.Path(path_type=Path), default=None, help="Xuất ra tệp Excel (.xlsx)."
)
@click.option("--force", is_flag=True, help="Ghi đè tệp đã có.")
@pass_app
def campaigns_(app: AppContext, year: int, fmt: str, out: Path | None, force: bool) -> None:
    """Mọi kế hoạch của đơn vị trong năm: duyệt, đã chi, tạm ứng, còn lại, và quỹ."""
    from budget.reports.campaigns import campaigns_page
    from budget.services.organisation import get_organisation

    if out is not None:
        from budget.documents import check_output

        check_output(out, force)
    with app.reading() as session:
        org = get_organisation(session)
        page = campaigns_page(session, app.norms, org.id, year)
    if out is not None:
        from budget.excel.campaigns_export import export_campaigns

        result = export_campaigns(page, org, out, force=force)
        click.echo(f"Đã xuất tổng hợp các kế hoạch năm {year}: {result.path}")
        return
    f = page.fund
    if fmt == "json":
        emit_json(
            {
                "year": year,
                "campaigns": [
                    {
                        "code": r.code,
                        "title": r.title,
                        "approved": r.figures.approved,
                        "spent": r.figures.spent,
                        "committed": r.figures.committed,
                        "remaining": r.figures.remaining,
                        "is_approved": r.approved,
                    }
                    for r in page.rows
                ],
                "fund": {
                    "opening": f.opening,
                    "allocated": f.allocated,
                    "total": f.total,
                    "approved": f.approved,
                    "spent": f.spent,
                    "committed": f.committed,
                    "balance": f.balance,
                    "emulation_approved": f.emulation_approved,
                    "emulation_charged": f.emulation_charged,
                    "cap_limit": f.cap_limit,
                    "over_cap": f.over_cap,
                },
            }
        )
        return
    print_table(
        ["Mã", "Kế hoạch", "Đã duyệt", "Đã chi", "Tạm ứng", "Còn lại"],
        [
            [
                r.code,
                r.title if r.approved else r.title + " (chưa duyệt)",
                format_vnd(r.figures.approved),
                format_vnd(r.figures.spent),
                format_vnd(r.figures.committed),
                format_vnd(r.figures.remaining),
            ]
            for r in page.rows
        ]
        + [
            [
                "",
                "TỔNG CỘNG",
                format_vnd(page.total.approved),
                format_vnd(page.total.spent),
                format_vnd(page.total.committed),
                format_vnd(page.total.remaining),
            ]
        ],
        right=[2, 3, 4, 5],
    )
    click.echo(
        f"Quỹ thi đua, khen thưởng năm {year}: nguồn {format_vnd(f.total)}, duyệt chi "
        f"{format_vnd(f.approved)}, đã chi {format_vnd(f.spent)}, số dư {format_vnd(f.balance)} đồng"
    )
    if f.cap_limit is not None:
        click.echo(
            f"Công tác thi đua: dự toán {format_vnd(f.emulation_approved)}, đã chi và tạm ứng "
            f"{format_vnd(f.emulation_charged)} / trần "
            f"{format_vnd(f.cap_limit)} đồng ({f.cap_source})"
            + (" — VƯỢT TRẦN" if f.over_cap else "")
        )


@report.command("province")
@click.option("--province", "province", default=None, help="Mã tỉnh (mặc định: tỉnh duy nhất).")
@click.option("--year", type=int, default=None, help="Năm (mặc định: năm gần nhất có kế hoạch).")
@click.option("--format", "fmt", type=click.Choice(["table", "json", "csv"]), default="table")
@click.option(
    "--out", type=click.Path(path_type=Path), default=None, help="Xuất ra tệp Excel (.xlsx)."
)
@click.option("--force", is_flag=True, help="Ghi đè tệp đã có.")
@pass_app
def province_(
    app: AppContext,
    province: str | None,
    year: int | None,
    fmt: str,
    out: Path | None,
    force: bool,
) -> None:
    """Tổng hợp cấp tỉnh: mọi kế hoạch của mọi xã, đã duyệt, đã chi, còn lại, và quỹ."""
    from budget.reports.province import (
        CSV_FIELDS,
        province_csv_rows,
        province_dict,
        province_report,
    )

    if out is not None:
        from budget.documents import check_output

        check_output(out, force)
    with app.reading() as session:
        rep = province_report(session, province, year)
    if out is not None:
        from budget.excel.province_export import export_province

        result = export_province(rep, out, force=force)
        click.echo(f"Đã xuất tổng hợp cấp tỉnh năm {rep.year}: {result.path}")
        return
    if fmt == "json":
        emit_json(province_dict(rep))
        return
    if fmt == "csv":
        writer = csv.DictWriter(sys.stdout, fieldnames=CSV_FIELDS, lineterminator="\n")
        writer.writeheader()
        writer.writerows(province_csv_rows(rep))
        return
    click.echo(
        f"TỔNG HỢP KINH PHÍ CÁC XÃ, PHƯỜNG · tỉnh {rep.province_name} · năm {rep.year} · "
        f"{len(rep.communes)} đơn vị, {rep.campaign_count} kế hoạch"
    )
    rows: list[list[str]] = []
    for c in rep.communes:
        for k in c.campaigns:
            rows.append(
                [
                    c.name,
                    k.code if k.approved else f"{k.code} (chưa duyệt)",
                    format_vnd(k.figures.approved),
                    format_vnd(k.figures.spent),
                    format_vnd(k.figures.committed),
                    format_vnd(k.figures.remaining),
                    "",
                ]
            )
        rows.append(
            [
                f"Cộng {c.name}",
                "",
                format_vnd(c.total.approved),
                format_vnd(c.total.spent),
                format_vnd(c.total.committed),
                format_vnd(c.total.remaining),
                format_vnd(c.fund.balance),
            ]
        )
    t = rep.total
    rows.append(
        [
            "TỔNG CỘNG",
            "",
            format_vnd(t.approved),
            format_vnd(t.spent),
            format_vnd(t.committed),
            format_vnd(t.remaining),
            format_vnd(rep.fund.balance),
        ]
    )
    print_table(
        ["Đơn vị", "Kế hoạch", "Đã duyệt", "Đã chi", "Tạm ứng", "Còn lại", "Số dư quỹ"],
        rows,
        right=[2, 3, 4, 5, 6],
    )
