"""``budget norms``: the rates in force, and a reward worked out on a date."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import click

from budget.cli.context import AppContext, emit_json, pass_app, print_table
from budget.dates import format_date, parse_date
from budget.money import format_vnd
from budget.norms import COLLECTIVE_RULES, ROUNDING_MODES


def _dec(value: object) -> str:
    return str(value).replace(".", ",")


def _exact(value: Decimal) -> str:
    """An exact amount for display: "351.000", or "223.500,5" when it has a fraction."""
    whole, fraction = divmod(value, 1)
    text = format_vnd(int(whole))
    return text + ("," + format(fraction.normalize(), "f")[2:] if fraction else "")


@click.group()
def norms() -> None:
    """Định mức: lương cơ sở, hệ số tiền thưởng, định mức hội nghị, mục lục ngân sách."""


@norms.command("list")
@click.option("--json", "as_json", is_flag=True, help="In dạng JSON.")
@pass_app
def list_norms(app: AppContext, as_json: bool) -> None:
    """Liệt kê mọi định mức kèm căn cứ pháp lý."""
    n = app.norms
    if as_json:
        emit_json(
            {
                "base_salary": [
                    {
                        "effective_from": b.effective_from.isoformat(),
                        "amount": b.amount,
                        "source": b.source,
                        "verify": b.verify,
                    }
                    for b in n.base_salaries
                ],
                "reward_forms": [
                    {"code": f.code, "name": f.name, "recipient": f.recipient}
                    for f in n.reward_forms
                ],
                "reward_rates": [
                    {
                        "form": r.form,
                        "coefficient": str(r.coefficient),
                        "valid_from": r.valid_from.isoformat(),
                        "valid_to": r.valid_to.isoformat() if r.valid_to else None,
                        "twice_of": r.twice_of,
                        "source": r.source,
                        "verify": r.verify,
                    }
                    for r in n.reward_rates
                ],
                "rates": [
                    {
                        "code": r.code,
                        "name": r.name,
                        "unit": r.unit,
                        "amount": r.amount,
                        "valid_from": r.valid_from.isoformat(),
                        "valid_to": r.valid_to.isoformat() if r.valid_to else None,
                        "mlnsnn": r.mlnsnn,
                        "source": r.source,
                        "verify": r.verify,
                    }
                    for r in n.rates
                ],
                "budget_codes": [
                    {
                        "code": c.code,
                        "name": c.name,
                        "parent": c.parent,
                        "source": c.source,
                        "verify": c.verify,
                    }
                    for c in n.budget_codes
                ],
                "rounding": {
                    "step": n.rounding.step,
                    "mode": n.rounding.mode,
                    "source": n.rounding.source,
                },
            }
        )
        return
    mark = lambda flag: " (cần đối chiếu)" if flag else ""  # noqa: E731
    click.echo("MỨC LƯƠNG CƠ SỞ")
    print_table(
        ["Từ ngày", "Mức (đồng/tháng)", "Căn cứ"],
        [
            [format_date(b.effective_from), format_vnd(b.amount), b.source + mark(b.verify)]
            for b in n.base_salaries
        ],
        right=[1],
    )
    click.echo("\nHỆ SỐ TIỀN THƯỞNG (× mức lương cơ sở)")
    names = {f.code: f.name for f in n.reward_forms}
    print_table(
        ["Mã", "Hình thức", "Hệ số", "Hiệu lực", "Căn cứ"],
        [
            [
                r.form,
                names[r.form],
                _dec(r.coefficient),
                f"{format_date(r.valid_from)} – {format_date(r.valid_to) or '...'}",
                r.source + mark(r.verify),
            ]
            for r in n.reward_rates
        ],
        right=[2],
    )
    rounding = "lên" if n.rounding.mode == "up" else "gần nhất"
    click.echo(f"Làm tròn: {rounding} đến {format_vnd(n.rounding.step)} đồng — {n.rounding.source}")
    click.echo("\nĐỊNH MỨC CHI")
    print_table(
        ["Mã", "Nội dung", "Mức", "ĐVT", "Từ ngày", "Căn cứ"],
        [
            [
                r.code,
                r.name,
                format_vnd(r.amount),
                r.unit,
                format_date(r.valid_from),
                r.source + mark(r.verify),
            ]
            for r in n.rates
        ],
        right=[2],
    )
    click.echo("\nMỤC LỤC NGÂN SÁCH NHÀ NƯỚC")
    print_table(
        ["Mã", "Tên", "Thuộc mục", "Căn cứ"],
        [[c.code, c.name, c.parent or "", c.source + mark(c.verify)] for c in n.budget_codes],
    )


@norms.command("reward")
@click.argument("code")
@click.option(
    "--on",
    "on",
    required=True,
    metavar="DATE",
    help="Ngày ký quyết định khen thưởng (yyyy-mm-dd hoặc dd/mm/yyyy).",
)
@click.option(
    "--rounding",
    type=click.Choice(ROUNDING_MODES),
    default=None,
    help="Làm tròn lên (up) hay gần nhất (nearest); mặc định theo định mức.",
)
@click.option(
    "--collective-rule",
    type=click.Choice(COLLECTIVE_RULES),
    default="coefficient",
    help="Thưởng tập thể: theo hệ số rồi làm tròn, hay gấp đôi mức cá nhân đã làm tròn.",
)
@click.option("--json", "as_json", is_flag=True, help="In dạng JSON.")
@pass_app
def reward(
    app: AppContext, code: str, on: str, rounding: str | None, collective_rule: str, as_json: bool
) -> None:
    """Tiền thưởng cho một người/tập thể theo hình thức CODE vào ngày --on.

    Dòng cuối là số tiền (đồng), số nguyên.
    """
    day: date = parse_date(on, "Ngày")
    r = app.norms.reward_amount(code, day, rounding=rounding, collective_rule=collective_rule)
    if as_json:
        emit_json(
            {
                "code": r.form,
                "name": r.form_name,
                "on": r.on.isoformat(),
                "coefficient": str(r.coefficient),
                "base_salary": r.base_salary,
                "base_salary_source": r.base_salary_source,
                "unrounded": format(r.unrounded.normalize(), "f"),
                "amount": r.amount,
                "rounding": r.rounding,
                "step": r.step,
                "rule": r.rule,
                "source": r.source,
                "verify": r.verify,
            }
        )
        return
    how = "lên" if r.rounding == "up" else "gần nhất"
    click.echo(f"{r.form_name} — quyết định ngày {format_date(r.on)}")
    click.echo(
        f"Hệ số {_dec(r.coefficient)} × lương cơ sở {format_vnd(r.base_salary)} "
        f"({r.base_salary_source})"
    )
    click.echo(f"Chưa làm tròn: {_exact(r.unrounded)} đồng")
    click.echo(f"Cách tính: {r.rule}; làm tròn {how} đến {format_vnd(r.step)} đồng")
    click.echo(f"Căn cứ: {r.source}" + (" (cần đối chiếu văn bản gốc)" if r.verify else ""))
    click.echo(f"Thành tiền: {format_vnd(r.amount)} đồng")
    click.echo(str(r.amount))
