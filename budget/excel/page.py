"""Page geometry of NĐ 30/2020/NĐ-CP, Phụ lục I (A4), and the pagination model
that keeps a signature block with the last rows of its table.

LibreOffice and Excel cannot be told "keep these rows together"; the sheet
instead sets every row's height and places its own page breaks, with a
safety margin so that the program never needs to add one of its own.
"""

from __future__ import annotations

from collections.abc import Sequence

MM_PER_INCH = 25.4
PT_PER_MM = 72 / MM_PER_INCH
#: NĐ 30 Phụ lục I: top and bottom 20–25 mm, left 30–35 mm, right 15–20 mm.
MARGIN_TOP_MM = 20
MARGIN_BOTTOM_MM = 20
MARGIN_LEFT_MM = 30
MARGIN_RIGHT_MM = 15
HEADER_MM = 8
A4_MM = (210, 297)
#: Points per width unit of a column (Times New Roman 13 as the default font) as
#: LibreOffice prints it, and the padding XlsxWriter adds to each width; measured
#: on a rendered page (106,6 stored units printed 694 pt wide at 100 %).
PT_PER_WIDTH_UNIT = 6.55
WIDTH_PADDING = 0.71
#: The part of the printable height the model fills: LibreOffice's row heights
#: and its header area differ a little from the nominal ones.
SAFETY = 0.93


def printable_mm(landscape: bool) -> tuple[float, float]:
    """(width, height) in mm inside the margins."""
    short, long_ = A4_MM
    width, height = (long_, short) if landscape else (short, long_)
    return (
        width - MARGIN_LEFT_MM - MARGIN_RIGHT_MM,
        height - MARGIN_TOP_MM - MARGIN_BOTTOM_MM,
    )


def fit_scale(widths: Sequence[float], landscape: bool) -> int:
    """The print scale (percent) that fits the columns to the page's width."""
    needed = sum(w + WIDTH_PADDING for w in widths) * PT_PER_WIDTH_UNIT
    available = printable_mm(landscape)[0] * PT_PER_MM
    return max(10, min(100, int(100 * available / needed)))


def page_breaks(
    heights: Sequence[float],
    *,
    landscape: bool,
    scale: int,
    repeat: tuple[int, int] | None,
    blocks: Sequence[tuple[int, int]],
) -> list[int]:
    """Rows (1-based) that start a new page. ``repeat`` is the range of title rows
    printed again at the top of each later page; each of ``blocks`` (first, last)
    is kept on one page when it fits on one."""
    capacity = printable_mm(landscape)[1] * PT_PER_MM * SAFETY * 100 / scale
    repeated = 0.0
    if repeat is not None:
        repeated = sum(heights[repeat[0] - 1 : repeat[1]])
    starts = {first: last for first, last in blocks}
    breaks: list[int] = []
    used = 0.0
    row = 1
    while row <= len(heights):
        height = heights[row - 1]
        block_last = starts.get(row)
        if block_last is not None:
            block = sum(heights[row - 1 : block_last])
            if used + block > capacity and used > repeated and repeated + block <= capacity:
                breaks.append(row)
                used = repeated
        if used + height > capacity and used > repeated:
            breaks.append(row)
            used = repeated
        used += height
        row += 1
    return breaks


def one_page_scale(widths: Sequence[float], heights: Sequence[float], landscape: bool) -> int:
    """The print scale (percent) that fits the columns to the page's width and all
    the rows (``heights`` in points) on one page, with the model's safety margin."""
    scale = fit_scale(widths, landscape)
    capacity = printable_mm(landscape)[1] * PT_PER_MM * SAFETY
    needed = sum(heights)
    if needed * scale / 100 > capacity:
        scale = int(100 * capacity / needed)
    return max(10, scale)
