"""Exported documents: the exact rounding formula and the quantity text importer."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

import pytest

from budget.excel.estimate_export import QUANTITY_SCALE
from budget.excel.estimate_import import _quantity


@pytest.mark.parametrize("text, expected", [("1.000", 1000), ("12.500", 12500), ("2,5", 2.5)])
def test_quantity_text_with_dot_groups_reads_thousands(text: str, expected: float) -> None:
    assert _quantity(text, "A1", "Số lượng") == Decimal(str(expected))


@pytest.mark.parametrize(
    "q, p", [("1.15", 1350), ("2.5", 333), ("0.0005", 1000), ("3.3333", 3), ("1.15", 1_350_000)]
)
def test_line_formula_rounds_half_up_exactly(q: str, p: int) -> None:
    exact = (Decimal(q) * p).quantize(Decimal(1), rounding=ROUND_HALF_UP)
    assert float(Decimal("1.15") * 1350) == 1552.5  # the exact value is a half
    assert round(1.15 * 1350) == 1552  # what binary ROUND(q*p, 0) gives
    # Python's round is half-even; the spreadsheet's ROUND is half-up: add the half case.
    scaled = round(float(Decimal(q)) * QUANTITY_SCALE)
    rest = scaled % QUANTITY_SCALE
    part = Decimal(rest * p) / QUANTITY_SCALE
    value = (scaled - rest) // QUANTITY_SCALE * p + int(part.quantize(Decimal(1), ROUND_HALF_UP))
    assert value == exact
