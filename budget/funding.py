"""Funding sources (nguồn kinh phí) of an estimate line: built-in and by default."""

from __future__ import annotations

FUND = "quy_tdkt"
REGULAR = "thuong_xuyen"
BUILTIN_SOURCES = {
    FUND: "Quỹ thi đua, khen thưởng",
    REGULAR: "Chi thường xuyên",
}
#: Budget code groups (Mục) paid from the fund unless the line says otherwise.
FUND_GROUPS = ("6200",)


def default_source(mlnsnn: str) -> str:
    """Awards (Mục 6200: 6201, 6202, 6249...) come from the fund, the rest from regular spending."""
    return FUND if any(mlnsnn[:2] == g[:2] for g in FUND_GROUPS) else REGULAR


def effective_source(stored: str | None, mlnsnn: str) -> str:
    return stored or default_source(mlnsnn)
