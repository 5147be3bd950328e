"""``budget norms``: the rates in force, and a reward worked out on a date."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from datetime import date
from decimal import Decimal

import click

from budget.cli.context import AppContext, emit_json, pass_app, print_table
from budget.dates import format_date, parse_date
from budget.legal import LegalDocument
from budget.money import format_vnd
from budget.norms import (
    COLLECTIVE_RULES,
    HOUSEHOLD_RULES,
    ROUNDING_MODES,
    UNVERIFIED_MARK,
    cited,
)


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
@click.option(
    "--unverified",
    is_flag=True,
    help="Chỉ các dòng, văn bản chưa đối chiếu với văn bản chính thức (verify = true).",
)
@pass_app
def list_norms(app: AppContext, as_json: bool, unverified: bool) -> None:
    """Liệt kê mọi định mức kèm căn cứ pháp lý (điều khoản) và danh mục văn bản."""
    n = app.norms
    if unverified:
        n = replace(
            n,
            base_salaries=tuple(b for b in n.base_salaries if b.verify),
            reward_rates=tuple(r for r in n.reward_rates if r.verify),
            rates=tuple(r for r in n.rates if r.verify),
            budget_codes=tuple(c for c in n.budget_codes if c.verify),
            legal_documents=tuple(d for d in n.legal_documents if d.verify),
            fund_caps=tuple(c for c in n.fund_caps if c.verify),
        )
    if as_json:
        emit_json(
            {
                "base_salary": [
                    {
                        "effective_from": b.effective_from.isoformat(),
                        "amount": b.amount,
                        "source": b.source,
                        "article": b.article,
                        "document": b.document,
                        "verify": b.verify,
                    }
                    for b in n.base_salaries
                ],
                "reward_forms": [
                    {"code": f.code, "name": f.name, "recipient": f.recipient, "cash": f.cash}
                    for f in n.reward_forms
                ],
                "reward_rates": [
                    {
                        "form": r.form,
                        "coefficient": str(r.coefficient),
                        "valid_from": r.valid_from.isoformat(),
                        "valid_to": r.valid_to.isoformat() if r.valid_to else None,
                        "twice_of": r.twice_of,
                        "multiple": str(r.multiple) if r.twice_of else None,
                        "source": r.source,
                        "article": r.article,
                        "document": r.document,
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
                        "article": r.article,
                        "document": r.document,
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
                "legal_documents": [_document_json(d) for d in n.legal_documents],
                "fund_caps": [
                    {
                        "code": c.code,
                        "name": c.name,
                        "fund": c.fund,
                        "percent": str(c.percent),
                        "parts": list(c.parts),
                        "valid_from": c.valid_from.isoformat(),
                        "valid_to": c.valid_to.isoformat() if c.valid_to else None,
                        "source": c.source,
                        "article": c.article,
                        "verify": c.verify,
                    }
                    for c in n.fund_caps
                ],
                "rounding": {
                    "step": n.rounding.step,
                    "mode": n.rounding.mode,
                    "source": n.rounding.source,
                },
            }
        )
        return

    def mark(flag: bool) -> str:
        return f" ({UNVERIFIED_MARK})" if flag else ""

    click.echo("MỨC LƯƠNG CƠ SỞ")
    print_table(
        ["Từ ngày", "Mức (đồng/tháng)", "Căn cứ"],
        [
            [
                format_date(b.effective_from),
                format_vnd(b.amount),
                cited(b.source, b.article, b.verify),
            ]
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
                cited(r.source, r.article, r.verify),
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
                cited(r.source, r.article, r.verify),
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
    click.echo("\nVĂN BẢN PHÁP LUẬT")
    _documents_table(n.legal_documents)
    if n.fund_caps:
        click.echo("\nTRẦN CHI TỪ QUỸ")
        print_table(
            ["Mã", "Nội dung", "Tỷ lệ", "Phần dự toán", "Hiệu lực", "Căn cứ"],
            [
                [
                    c.code,
                    c.name,
                    f"{_dec(c.percent)} %",
                    ", ".join(c.parts),
                    f"{format_date(c.valid_from)} – {format_date(c.valid_to) or '...'}",
                    cited(c.source, c.article, c.verify),
                ]
                for c in n.fund_caps
            ],
        )


def _document_json(d: LegalDocument) -> dict[str, object]:
    return {
        "number": d.number,
        "kind": d.kind,
        "date": d.issued.isoformat() if d.issued else None,
        "issuer": d.issuer,
        "title": d.title,
        "in_force_from": d.in_force_from.isoformat(),
        "in_force_until": d.in_force_until.isoformat() if d.in_force_until else None,
        "replaces": list(d.replaces),
        "amends": list(d.amends),
        "subjects": list(d.subjects),
        "verify": d.verify,
        "citation": d.citation(),
    }


def _documents_table(documents: Sequence[LegalDocument]) -> None:
    print_table(
        ["Số", "Loại", "Ngày", "Hiệu lực", "Thay thế / sửa đổi", "Lĩnh vực"],
        [
            [
                d.number + (f" ({UNVERIFIED_MARK})" if d.verify else ""),
                d.kind,
                format_date(d.issued) if d.issued else "",
                f"{format_date(d.in_force_from)} – {format_date(d.in_force_until) or '...'}",
                ", ".join([*d.replaces, *(f"sđ {a}" for a in d.amends)]),
                ", ".join(d.subjects),
            ]
            for d in documents
        ],
    )


@norms.command("laws")
@click.option(
    "--on", "on", default=None, metavar="DATE", help="Chỉ văn bản có hiệu lực vào ngày này."
)
@click.option(
    "--unverified",
    is_flag=True,
    help="Chỉ văn bản chưa đối chiếu với văn bản chính thức (verify = true).",
)
@click.option("--json", "as_json", is_flag=True, help="In dạng JSON.")
@pass_app
def laws(app: AppContext, on: str | None, unverified: bool, as_json: bool) -> None:
    """Danh mục văn bản pháp luật (có hiệu lực vào ngày --on nếu có)."""
    docs = app.norms.legal_documents
    if unverified:
        docs = tuple(d for d in docs if d.verify)
    if on:
        day = parse_date(on, "Ngày")
        docs = tuple(d for d in docs if d.in_force(day))
    if as_json:
        emit_json([_document_json(d) for d in docs])
        return
    _documents_table(docs)


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
@click.option(
    "--household-rule",
    type=click.Choice(HOUSEHOLD_RULES),
    default="coefficient",
    help="Thưởng hộ gia đình: theo hệ số rồi làm tròn, hay 1,5 × mức cá nhân đã làm tròn.",
)
@click.option("--json", "as_json", is_flag=True, help="In dạng JSON.")
@pass_app
def reward(
    app: AppContext,
    code: str,
    on: str,
    rounding: str | None,
    collective_rule: str,
    household_rule: str,
    as_json: bool,
) -> None:
    """Tiền thưởng cho một người/tập thể theo hình thức CODE vào ngày --on.

    Dòng cuối là số tiền (đồng), số nguyên.
    """
    day: date = parse_date(on, "Ngày")
    r = app.norms.reward_amount(
        code,
        day,
        rounding=rounding,
        collective_rule=collective_rule,
        household_rule=household_rule,
    )
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
    click.echo(f"Căn cứ: {cited(r.source, r.article, r.verify)}")
    click.echo(f"Thành tiền: {format_vnd(r.amount)} đồng")
    click.echo(str(r.amount))
