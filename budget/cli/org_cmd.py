"""``budget org``: the commune, its signers and options."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import asdict
from typing import Any, TypeVar

import click

from budget.cli.context import AppContext, emit_json, pass_app
from budget.norms import COLLECTIVE_RULES, HOUSEHOLD_RULES, ROUNDING_MODES
from budget.services.organisation import FIELD_LABELS, get_organisation, update_settings

_OPTIONS = [
    ("--commune-kind", "commune_kind"),
    ("--commune-name", "commune_name"),
    ("--province", "province"),
    ("--superior-body", "superior_body"),
    ("--place", "place_name"),
    ("--chairman", "chairman_name"),
    ("--chairman-title", "chairman_title"),
    ("--accountant", "accountant_name"),
    ("--preparer", "preparer_name"),
    ("--unit-code", "unit_code"),
    ("--treasury", "treasury_name"),
    ("--treasury-code", "treasury_code"),
    ("--chapter", "chapter"),
    ("--sector", "sector_code"),
    ("--fund", "fund_code"),
    ("--cashier", "cashier_name"),
]


@click.group()
def org() -> None:
    """Thông tin đơn vị: tên xã, tỉnh, người ký, cách đọc số, cách làm tròn."""


@org.command("show")
@click.option("--json", "as_json", is_flag=True, help="In dạng JSON.")
@pass_app
def show(app: AppContext, as_json: bool) -> None:
    """Xem thiết lập đơn vị."""
    with app.reading() as session:
        settings = get_organisation(session)
    data = asdict(settings)
    if as_json:
        emit_json(data)
        return
    for key, label in FIELD_LABELS.items():
        click.echo(f"{label + ':':<32} {data[key] if data[key] is not None else ''}")


_F = TypeVar("_F", bound=Callable[..., Any])


def _set_options(func: _F) -> _F:
    for flag, dest in reversed(_OPTIONS):
        func = click.option(flag, dest, default=None, help=FIELD_LABELS[dest])(func)
    func = click.option(
        "--dialect",
        type=click.Choice(["bac", "nam"]),
        default=None,
        help="Đọc số: bac (linh, nghìn) hoặc nam (lẻ, ngàn).",
    )(func)
    func = click.option(
        "--rounding",
        type=click.Choice(ROUNDING_MODES),
        default=None,
        help="Làm tròn tiền thưởng: up (lên) hoặc nearest (gần nhất).",
    )(func)
    func = click.option(
        "--collective-rule",
        type=click.Choice(COLLECTIVE_RULES),
        default=None,
        help=FIELD_LABELS["collective_rule"],
    )(func)
    func = click.option(
        "--household-rule",
        type=click.Choice(HOUSEHOLD_RULES),
        default=None,
        help=FIELD_LABELS["household_rule"]
        + ": coefficient (hệ số làm tròn) hoặc multiple_rounded (1,5 × mức cá nhân đã làm tròn).",
    )(func)
    return click.option("--reason", default="", help="Lý do thay đổi (ghi nhật ký).")(func)


@org.command("set")
@_set_options
@pass_app
def set_(app: AppContext, /, reason: str, **changes: str | None) -> None:
    """Sửa thiết lập đơn vị (chỉ các tùy chọn được nhập)."""
    given = {k: v for k, v in changes.items() if v is not None}
    if not given:
        raise click.UsageError("chưa nhập thiết lập nào để sửa")
    with app.transaction() as session:
        settings = update_settings(session, given, actor=app.actor, reason=reason)
    click.echo(f"Đã lưu thiết lập của {settings.heading}.")
