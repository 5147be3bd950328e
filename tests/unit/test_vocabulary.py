"""One vocabulary (budget/vocabulary.py): importable without SQLAlchemy, and
every voucher type it lists is offered by every front end, so adding a type
touches that one file."""

from __future__ import annotations

import subprocess
import sys

import click
import pytest

from budget import vocabulary as v


def _loaded_after(statement: str) -> set[str]:
    script = f"import sys\n{statement}\nprint(','.join(sorted(sys.modules)))"
    proc = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, timeout=120, check=True
    )
    return {name.split(".")[0] for name in proc.stdout.strip().split(",")}


def test_the_vocabulary_loads_without_sqlalchemy() -> None:
    loaded = _loaded_after("import budget.vocabulary")
    assert "budget" in loaded
    assert "sqlalchemy" not in loaded


def test_the_tui_modules_that_use_it_stay_free_of_sqlalchemy() -> None:
    # Before its first frame the app must not pay for SQLAlchemy; the register
    # screen and the voucher form take their words from the vocabulary.
    loaded = _loaded_after("import tui.app, tui.screens.vouchers, tui.modals.voucher_form")
    assert "textual" in loaded
    assert "sqlalchemy" not in loaded


# The documents of Thông tư 77/2017/TT-BTC and the numbers the tool gives them.
EXPECTED = {
    "phieu_chi": ("Phiếu chi", "PC", "payment"),
    "rut_du_toan": ("Giấy rút dự toán (C2-02a/NS)", "RDT", "payment"),
    "uy_nhiem_chi": ("Ủy nhiệm chi", "UNC", "payment"),
    "tam_ung": ("Giấy đề nghị tạm ứng", "TU", "advance"),
    "thanh_toan_tam_ung": ("Giấy đề nghị thanh toán tạm ứng (C2-03/NS)", "TT", "settlement"),
}


def test_the_voucher_types_are_the_documents_of_the_law() -> None:
    got = {t.code: (t.label, t.prefix, t.kind) for t in v.VOUCHER_TYPE_LIST}
    assert got == EXPECTED


def _choices(command: click.Command, option: str) -> list[str]:
    for param in command.params:
        if isinstance(param, click.Option) and option in param.opts:
            assert isinstance(param.type, click.Choice)
            return list(param.type.choices)
    raise AssertionError(f"{command.name} has no {option}")


@pytest.mark.parametrize("vtype", v.VOUCHER_TYPE_LIST, ids=lambda t: t.code)
def test_every_type_is_named_numbered_and_offered_everywhere(vtype: v.VoucherType) -> None:
    from budget.cli.award_cmd import award
    from budget.cli.voucher_cmd import voucher
    from tui.modals.voucher_form import TYPES as FORM_TYPES
    from tui.screens.vouchers import SHORT_TYPES, VouchersScreen  # noqa: F401

    assert vtype.label.strip() and vtype.pick.strip() and vtype.short.strip()
    assert vtype.prefix.isalpha() and vtype.prefix.isupper()
    assert vtype.kind in v.KINDS
    assert [t.prefix for t in v.VOUCHER_TYPE_LIST].count(vtype.prefix) == 1
    # The register: its filter and its type column.
    assert vtype.code in [code for _, code in v.REGISTER_TYPE_FILTER]
    assert SHORT_TYPES[vtype.code] == vtype.short
    # The CLI: listing and reversing take every type; adding takes what a user records.
    assert vtype.code in _choices(voucher.commands["list"], "--type")
    assert vtype.code in _choices(voucher.commands["reverse"], "--type")
    entered = vtype.code in _choices(voucher.commands["add"], "--type")
    in_form = vtype.code in [code for _, code in FORM_TYPES]
    assert entered == in_form == (vtype.kind != v.SETTLEMENT)
    paid_with = vtype.code in _choices(award.commands["pay"], "--type")
    assert paid_with == (vtype.kind == v.PAYMENT)


def test_the_register_filter_lists_the_types_in_order() -> None:
    from tui.screens.vouchers import VouchersScreen  # noqa: F401 - the screen that shows it

    assert [code for _, code in v.REGISTER_TYPE_FILTER] == list(EXPECTED)


@pytest.mark.parametrize(
    ("used", "total", "level"),
    [
        (0, 1_000_000, "ok"),
        (899_999, 1_000_000, "ok"),
        (900_000, 1_000_000, "near"),  # exactly 90 %
        (1_000_000, 1_000_000, "near"),  # fully used is not over
        (1_000_001, 1_000_000, "over"),
        (0, 0, "ok"),
        (1, 0, "over"),
        # 8 of 9 is 88.9 %, 9 of 10 exactly 90 %: integers, no float at the edge
        (8, 9, "ok"),
        (9, 10, "near"),
    ],
)
def test_usage_levels(used: int, total: int, level: str) -> None:
    assert v.usage_level(used, total) == level
