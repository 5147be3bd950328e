"""STT (số thứ tự) of an exported table: 1, 2, 3, … within a part (or a whole
list), with no gaps whatever the rows' codes are. A line removed by an
adjustment (II.2) leaves II.1 and II.3 numbered 1 and 2; a recipient removed
from a decision leaves no hole in the payout list. Every export numbers its
rows through this one function."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import TypeVar

T = TypeVar("T")


def numbered(rows: Iterable[T]) -> Iterator[tuple[int, T]]:
    """(STT, row) for the rows of one numbered block, counting from 1."""
    return enumerate(rows, 1)


__all__ = ["numbered"]
