"""Signatures of a list signed by four people on a portrait page: the preparer,
the cashier (thủ quỹ) and the accountant side by side, and the chairman's
"TM. ỦY BAN NHÂN DÂN / CHỦ TỊCH" under them on the right, with room for the
seal. Four columns side by side leave the chairman's title too narrow to print
on one line at 13 pt.

Both tiers print on one page together with the table's last rows: the rows from
``keep_from`` on (budget.excel.page keeps one block per first row, and both
tiers start the same block).
"""

from __future__ import annotations

from budget.excel.sheet import Sheet, chairman_title, signature_block
from budget.services.organisation import OrgSettings


def four_signatures(
    sheet: Sheet,
    org: OrgSettings,
    *,
    keep_from: int,
    split: tuple[int, int],
) -> None:
    """``split`` = (last column of the preparer, last column of the cashier); the
    accountant and the chairman take the columns after the cashier's."""
    a, b = split
    signature_block(
        sheet,
        [
            (1, a, "NGƯỜI LẬP BIỂU", org.preparer_name),
            (a + 1, b, "THỦ QUỸ", org.cashier_name),
            (b + 1, sheet.width, "KẾ TOÁN", org.accountant_name),
        ],
        keep_with=sheet.row - keep_from,
        seal_last=False,
    )
    signature_block(
        sheet,
        [(b + 1, sheet.width, chairman_title(org.chairman_title), org.chairman_name)],
        keep_with=sheet.row - keep_from,
    )
