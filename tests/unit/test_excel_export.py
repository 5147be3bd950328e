"""The Excel exports, read back with openpyxl (no LibreOffice here).

Every workbook comes from ``budget export ...`` run against the demo year
(``budget demo``: UBND xã Phú Lý, "Chính quyền thân thiện" 2024). The figures
asserted below are worked out by hand from demo.py and the template's
quantities and prices, never read back from the program:

* estimate v2 (approved, QĐ 95/QĐ-UBND): 71.817.500 đ; by part
  I 11.920.000 · II 25.487.500 · III 7.220.000 · IV 13.750.000 · V 13.440.000
* estimate v1 (QĐ 52/QĐ-UBND): 68.967.500 đ (II.1 had 2 panos, IV.5 50 guests)
* spent over the year 48.287.500 đ; open advance 1.500.000 đ (TU for IV.1)
* 26 vouchers in the register, the reversal PC-0012-H included
* award decision 120/QĐ-UBND: 8 × 360.000 + 2 × 710.000 = 4.300.000 đ

The formulas the workbooks carry are evaluated by a tiny evaluator in this file
(ROUND, SUM, IF(x="",1,x), + - *), so a wrong cell reference shows up as a
wrong total, not just as a wrong-looking string.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path
from typing import Any

from openpyxl import load_workbook
from openpyxl.utils import column_index_from_string, get_column_letter
from openpyxl.worksheet.worksheet import Worksheet
from sqlalchemy import create_engine, text

from tests.conftest import CliResult

Cli = Callable[..., CliResult]

# -- hand figures ---------------------------------------------------------------

TOTAL_V2 = 71_817_500
TOTAL_V1 = 68_967_500
WORDS_V2 = "Bảy mươi mốt triệu tám trăm mười bảy nghìn năm trăm đồng"
WORDS_V1 = "Sáu mươi tám triệu chín trăm sáu mươi bảy nghìn năm trăm đồng"

# Approved (v2) part totals, summed by hand from quantity × [days ×] price:
#   I   1.650.000 + 1.350.000 + 85×12.000 + 85×1×40.000 + 45×1×100.000
#   II  3×1.850.000 + 3×465.000 + 8×285.000 + 2×680.000 + 45×9.500 + 3×2.450.000
#       + 3.290.000 + 2×845.000 + 1.180.000 + 965.000
#   III 1.250.000 + 60×9.500 + 60×1×40.000 + 30×1×100.000
#   IV  1.720.000 + 1.350.000 + 90×12.000 + 90×1×40.000 + 60×1×100.000
#   V   8×360.000 + 2×710.000 + 12×360.000 + 4×710.000 + 2×360.000 + 28×45.000
PARTS_V2 = {
    "I": 11_920_000,
    "II": 25_487_500,
    "III": 7_220_000,
    "IV": 13_750_000,
    "V": 13_440_000,
}
# Spent by part, from the vouchers in demo.py (reversal nets out, the settled
# advance counts at 2.240.000, the open advance TU-0002 is committed, not spent).
SPENT_BY_PART = {
    "I": 1_650_000 + 1_350_000 + 1_020_000 + 3_280_000 + 4_300_000,
    "II": 3_700_000
    + 1_850_000
    + 1_395_000
    + 2_240_000
    + 427_500
    + 7_350_000
    + 3_290_000
    + 1_690_000
    + 1_180_000
    + 1_045_000,
    "III": 1_250_000 + 570_000 + 2_320_000 + 3_000_000,
    "IV": 1_080_000,
    "V": 2_880_000 + 1_420_000,
}
COMMITTED_BY_PART = {"I": 0, "II": 0, "III": 0, "IV": 1_500_000, "V": 0}
SPENT = 48_287_500
COMMITTED = 1_500_000
WORDS_SPENT = "Bốn mươi tám triệu hai trăm tám mươi bảy nghìn năm trăm đồng"
VOUCHERS_IN_DEMO = 26  # 15 + TU + TT + wrong + reversal + corrected + 2 awards + 5 later

# Lines used at >= 90 % of the approved v2 estimate, by hand:
#   I.4 3.280/3.400 = 96,5 %, I.5 4.300/4.500 = 95,6 %, II.3 2.240/2.280 = 98,2 %,
#   III.3 2.320/2.400 = 96,7 %, II.10 1.045/965 = 108,3 % (over), the rest 100 %;
#   IV.1 (1.500/1.720 = 87,2 %) and the untouched lines stay out.
NEAR_LIMIT = {
    "I.1",
    "I.2",
    "I.3",
    "I.4",
    "I.5",
    "II.1",
    "II.2",
    "II.3",
    "II.5",
    "II.6",
    "II.7",
    "II.8",
    "II.9",
    "II.10",
    "III.1",
    "III.2",
    "III.3",
    "III.4",
    "IV.3",
    "V.1",
    "V.2",
}

INDIVIDUAL = 360_000  # 0,15 × 2.340.000 = 351.000 -> up to 360.000
COLLECTIVE = 710_000  # 0,3 × 2.340.000 = 702.000 -> up to 710.000
SO_KET_INDIVIDUALS = [
    "Nguyễn Văn An",
    "Trần Thị Bích",
    "Lê Hoàng Cường",
    "Phạm Thị Dung",
    "Võ Minh Đức",
    "Đặng Thị Hoa",
    "Bùi Văn Khánh",
    "Huỳnh Thị Lan",
]
SO_KET_COLLECTIVES = ["Bộ phận tiếp nhận và trả kết quả xã", "Ấp Bàu Phụng"]

HEADING = (
    "ỦY BAN NHÂN DÂN",
    "XÃ PHÚ LÝ",
    "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
    "Độc lập - Tự do - Hạnh phúc",
)
SIGNERS = ("Lê Minh Tuấn", "Trần Thị Thu Hà", "Nguyễn Hữu Bình")
ESTIMATE_HEADERS = [
    "STT",
    "Nội dung",
    "ĐVT",
    "Số lượng",
    "Số ngày",
    "Đơn giá",
    "Thành tiền",
    "Tiểu mục",
    "Ghi chú",
]

# -- helpers ---------------------------------------------------------------------


def ok(cli: Cli, *args: str) -> CliResult:
    result = cli(*args)
    assert result.code == 0, (args, result.code, result.out, result.err)
    return result


def demo(cli: Cli) -> None:
    ok(cli, "demo")


def export(cli: Cli, out: Path, kind: str, *extra: str) -> Any:
    ok(cli, "export", kind, "--out", str(out), *extra)
    assert out.is_file()
    wb = load_workbook(out)
    wb._cached_values = load_workbook(out, data_only=True)  # what a non-calculating reader sees
    return wb


def cells(ws: Worksheet) -> list[tuple[int, int, Any]]:
    return [
        (c.row, c.column, c.value) for row in ws.iter_rows() for c in row if c.value is not None
    ]


def texts(ws: Worksheet) -> list[str]:
    """Text cells, with a formula's stored value (the words) instead of its source."""
    cached = getattr(ws.parent, "_cached_values", None)
    if cached is not None:
        ws = cached[ws.title]
    return [v for _, _, v in cells(ws) if isinstance(v, str)]


def row_values(ws: Worksheet, row: int) -> list[Any]:
    return [ws.cell(row=row, column=c).value for c in range(1, ws.max_column + 1)]


def first_text(ws: Worksheet, row: int) -> str | None:
    for value in row_values(ws, row):
        if isinstance(value, str) and value.strip():
            return value
    return None


def find_row(ws: Worksheet, predicate: Callable[[list[Any]], bool], start: int = 1) -> int:
    for r in range(start, ws.max_row + 1):
        if predicate(row_values(ws, r)):
            return r
    raise AssertionError(f"no such row in sheet {ws.title!r}")


def header_row(ws: Worksheet, first: str, second: str) -> int:
    return find_row(ws, lambda v: v[0] == first and len(v) > 1 and v[1] == second)


def total_row(ws: Worksheet, start: int = 1) -> int:
    return find_row(ws, lambda v: "Tổng cộng" in v, start)


def check_heading_and_signers(ws: Worksheet) -> None:
    values = texts(ws)
    for line in HEADING:
        assert line in values, line
    for name in SIGNERS:
        assert name in values, name
    for title in ("NGƯỜI LẬP BIỂU", "KẾ TOÁN", "CHỦ TỊCH"):
        assert title in values, title


def count_rows(db_url: str, table: str) -> int:
    engine = create_engine(db_url)
    try:
        with engine.connect() as conn:
            return int(conn.execute(text(f"SELECT COUNT(*) FROM {table}")).scalar_one())
    finally:
        engine.dispose()


# -- a tiny formula evaluator -------------------------------------------------------

_TOKEN = re.compile(
    r"\s*(?:"
    r"(?P<range>\$?[A-Z]{1,3}\$?\d+:\$?[A-Z]{1,3}\$?\d+)"
    r"|(?P<ref>\$?[A-Z]{1,3}\$?\d+)"
    r"|(?P<num>\d+(?:\.\d+)?)"
    r'|(?P<str>"[^"]*")'
    r"|(?P<func>[A-Z]+)\("
    r"|(?P<op>[-+*/(),=])"
    r")"
)
_FUNCTIONS = {"ROUND", "SUM", "IF", "SUBTOTAL", "MOD"}


def _split_ref(ref: str) -> tuple[int, int]:
    match = re.fullmatch(r"\$?([A-Z]{1,3})\$?(\d+)", ref)
    assert match, ref
    return column_index_from_string(match[1]), int(match[2])


class Evaluator:
    """Evaluates the formula shapes the exports write: ROUND(a*b[*IF(c="",1,c)],0),
    SUM(range), SUM(a,b,c), A-B-C, 0. Anything else fails the test."""

    def __init__(self, ws: Worksheet) -> None:
        self.ws = ws
        self.cache: dict[tuple[int, int], Any] = {}

    def cell(self, column: int, row: int) -> Any:
        key = (column, row)
        if key not in self.cache:
            c = self.ws.cell(row=row, column=column)
            value = c.value
            if c.data_type == "f" or (isinstance(value, str) and value.startswith("=")):
                assert c.data_type == "f", (c.coordinate, value)
                result: Any = self.formula(value)
            elif value is None or isinstance(value, str):
                result = value
            elif isinstance(value, bool):
                raise AssertionError(f"boolean in {c.coordinate}")
            else:
                result = Decimal(str(value))
            self.cache[key] = result
        return self.cache[key]

    def at(self, coordinate: str) -> Any:
        column, row = _split_ref(coordinate)
        return self.cell(column, row)

    def formula(self, source: str) -> Any:
        assert source.startswith("="), source
        saved = getattr(self, "tokens", None), getattr(self, "pos", 0)  # cells nest
        self.tokens = self._tokenize(source[1:])
        self.pos = 0
        try:
            value = self._compare()
            assert self.pos == len(self.tokens), f"trailing tokens in {source}"
        finally:
            self.tokens, self.pos = saved  # type: ignore[assignment]
        return value

    @staticmethod
    def _tokenize(source: str) -> list[tuple[str, str]]:
        tokens, pos = [], 0
        while pos < len(source):
            match = _TOKEN.match(source, pos)
            assert match and match.end() > pos, f"cannot read {source[pos:]!r}"
            kind = match.lastgroup
            assert kind is not None
            tokens.append((kind, match[kind]))
            pos = match.end()
        return tokens

    def _peek(self) -> tuple[str, str] | None:
        return self.tokens[self.pos] if self.pos < len(self.tokens) else None

    def _take(self, value: str | None = None) -> tuple[str, str]:
        token = self._peek()
        assert token is not None, "formula ends too early"
        if value is not None:
            assert token == ("op", value), (token, value)
        self.pos += 1
        return token

    @staticmethod
    def _num(value: Any) -> Decimal:
        if value is None:
            return Decimal(0)
        assert isinstance(value, Decimal), f"not a number: {value!r}"
        return value

    def _compare(self) -> Any:
        left = self._add()
        if self._peek() == ("op", "="):
            self._take("=")
            right = self._add()
            norm = [("" if v is None else v) for v in (left, right)]
            return norm[0] == norm[1]
        return left

    def _add(self) -> Any:
        value = self._mul()
        while self._peek() in (("op", "+"), ("op", "-")):
            op = self._take()[1]
            right = self._num(self._mul())
            value = self._num(value) + right if op == "+" else self._num(value) - right
        return value

    def _mul(self) -> Any:
        value = self._unary()
        while self._peek() in (("op", "*"), ("op", "/")):
            op = self._take()[1]
            right = self._num(self._unary())
            value = self._num(value) * right if op == "*" else self._num(value) / right
        return value

    def _unary(self) -> Any:
        if self._peek() == ("op", "-"):
            self._take("-")
            return -self._num(self._unary())
        return self._primary()

    def _primary(self) -> Any:
        kind, value = self._take()
        if kind == "num":
            return Decimal(value)
        if kind == "str":
            return value[1:-1]
        if kind == "ref":
            return self.cell(*_split_ref(value))
        if kind == "range":
            first, last = value.split(":")
            c1, r1 = _split_ref(first)
            c2, r2 = _split_ref(last)
            # SUBTOTAL leaves out the cells that are SUBTOTALs themselves.
            return [
                self.cell(c, r)
                for r in range(min(r1, r2), max(r1, r2) + 1)
                for c in range(min(c1, c2), max(c1, c2) + 1)
                if not (
                    getattr(self, "in_subtotal", False)
                    and str(self.ws.cell(row=r, column=c).value).startswith("=SUBTOTAL(")
                )
            ]
        if kind == "func":
            assert value in _FUNCTIONS, f"unexpected function {value}"
            outer = getattr(self, "in_subtotal", False)
            self.in_subtotal = value == "SUBTOTAL"
            args = []
            if self._peek() != ("op", ")"):
                args.append(self._compare())
                while self._peek() == ("op", ","):
                    self._take(",")
                    args.append(self._compare())
            self._take(")")
            self.in_subtotal = outer
            return self._call(value, args)
        if (kind, value) == ("op", "("):
            inner = self._compare()
            self._take(")")
            return inner
        raise AssertionError(f"unexpected token {value!r}")

    def _call(self, name: str, args: list[Any]) -> Any:
        if name == "ROUND":
            assert len(args) == 2
            digits = int(self._num(args[1]))
            return self._num(args[0]).quantize(Decimal(1).scaleb(-digits), ROUND_HALF_UP)
        if name == "MOD":
            return self._num(args[0]) % self._num(args[1])
        if name == "SUBTOTAL":
            assert self._num(args[0]) == 9
            args = args[1:]
            name = "SUM"
        if name == "SUM":
            total = Decimal(0)
            for arg in args:
                for item in arg if isinstance(arg, list) else [arg]:
                    if isinstance(item, Decimal):
                        total += item
            return total
        assert name == "IF" and len(args) == 3
        return args[1] if args[0] else args[2]


def test_evaluator_reads_the_shapes_it_claims() -> None:
    """The evaluator itself, on a hand-made sheet (so a pass elsewhere means something)."""
    from openpyxl import Workbook

    ws = Workbook().active
    ws["A1"], ws["B1"], ws["C1"] = 3, 1250, None
    ws["D1"] = '=ROUND(A1*B1*IF(C1="",1,C1),0)'
    ws["A2"], ws["B2"], ws["C2"] = Decimal("2.5"), 333, 3
    ws["D2"] = '=ROUND(A2*B2*IF(C2="",1,C2),0)'  # 2,5 × 333 × 3 = 2.497,5 -> 2.498
    ws["D3"] = "=SUM(D1:D2)"
    ws["D4"] = "=SUM(D1,D2,D3)"
    ws["D5"] = "=D4-D1-D2"
    ev = Evaluator(ws)
    assert ev.at("D1") == 3750
    assert ev.at("D2") == 2498
    assert ev.at("D3") == 6248
    assert ev.at("D4") == 12496
    assert ev.at("D5") == 6248


# -- the estimate ------------------------------------------------------------------


def estimate_layout(ws: Worksheet) -> tuple[int, dict[str, int], dict[str, int], int]:
    """(header row, part code -> row, line code -> row, total row) of an exported estimate."""
    header = header_row(ws, "STT", "Nội dung")
    total = total_row(ws, header + 1)
    parts: dict[str, int] = {}
    lines: dict[str, int] = {}
    part = None
    for r in range(header + 1, total):
        stt = ws.cell(row=r, column=1).value
        if stt is None:  # the spare row above "Tổng cộng"
            continue
        if re.fullmatch(r"[IVX]+", str(stt)):
            part = str(stt)
            parts[part] = r
        else:
            assert part is not None
            lines[f"{part}.{stt}"] = r
    return header, parts, lines, total


def test_estimate_structure_words_and_signers(cli: Cli, tmp_path: Path) -> None:
    demo(cli)
    wb = export(cli, tmp_path / "du-toan.xlsx", "estimate")
    assert wb.sheetnames == ["Dự toán"]
    ws = wb["Dự toán"]
    check_heading_and_signers(ws)
    values = texts(ws)
    assert "DỰ TOÁN KINH PHÍ" in values
    assert any("Quyết định số 95/QĐ-UBND ngày 10/09/2024" in v for v in values)
    header, parts, lines, total = estimate_layout(ws)
    assert row_values(ws, header) == ESTIMATE_HEADERS
    assert first_text(ws, total) == "Tổng cộng"
    assert list(parts) == ["I", "II", "III", "IV", "V"]
    assert len(lines) == 30  # 5 + 10 + 4 + 5 + 6 lines in the demo's estimate
    assert "Bằng chữ: " + WORDS_V2 in values
    # The table sits between the heading block and the signatures.
    signer_row = find_row(ws, lambda v: "Nguyễn Hữu Bình" in v)
    assert find_row(ws, lambda v: "ỦY BAN NHÂN DÂN" in v) < header < total < signer_row


def test_estimate_formulas_evaluate_to_the_hand_total(cli: Cli, tmp_path: Path) -> None:
    demo(cli)
    ws = export(cli, tmp_path / "du-toan.xlsx", "estimate")["Dự toán"]
    header, parts, lines, total = estimate_layout(ws)
    col = {name: get_column_letter(i) for i, name in enumerate(ESTIMATE_HEADERS, 1)}
    q, d, p, m = col["Số lượng"], col["Số ngày"], col["Đơn giá"], col["Thành tiền"]
    # Each line: an exact half-up rounding of its own row's quantity × price × days.
    for code, r in lines.items():
        cell = ws[f"{m}{r}"]
        assert cell.data_type == "f", code
        refs = set(re.findall(r"[A-Z]+\d+", cell.value))
        assert refs == {f"{q}{r}", f"{p}{r}", f"{d}{r}"}, code
    # Each part: SUBTOTAL from the row below it down to the next part's row (or
    # the spare row above the total), so an inserted row counts.
    part_rows = sorted(parts.values())
    ends = [*part_rows[1:], total - 1]
    for (code, r), end in zip(sorted(parts.items(), key=lambda kv: kv[1]), ends, strict=True):
        assert ws[f"{m}{r}"].value == f"=SUBTOTAL(9,{m}{r + 1}:{m}{end})", code
    # The total: SUBTOTAL over the whole table (part rows are skipped by SUBTOTAL).
    assert ws[f"{m}{total}"].value == f"=SUBTOTAL(9,{m}{part_rows[0]}:{m}{total - 1})"

    ev = Evaluator(ws)
    assert ev.at(f"{m}{total}") == TOTAL_V2
    assert {code: ev.at(f"{m}{r}") for code, r in parts.items()} == PARTS_V2
    # A few lines by hand: days column on conference meals, the adjusted pano line.
    assert ev.at(f"{m}{lines['I.4']}") == 85 * 1 * 40_000
    assert ev.at(f"{m}{lines['II.1']}") == 3 * 1_850_000
    assert ev.at(f"{m}{lines['IV.5']}") == 60 * 1 * 100_000
    assert ev.at(f"{m}{lines['V.1']}") == 8 * INDIVIDUAL
    assert ev.at(f"{m}{lines['V.2']}") == 2 * COLLECTIVE


def test_estimate_version_one_has_its_own_total_and_words(cli: Cli, tmp_path: Path) -> None:
    demo(cli)
    ws = export(cli, tmp_path / "v1.xlsx", "estimate", "--version", "1")["Dự toán"]
    _, parts, lines, total = estimate_layout(ws)
    ev = Evaluator(ws)
    assert ev.at(f"G{total}") == TOTAL_V1
    assert ev.at(f"G{lines['II.1']}") == 2 * 1_850_000
    assert ev.at(f"G{lines['IV.5']}") == 50 * 100_000
    assert ev.at(f"G{parts['II']}") == PARTS_V2["II"] - 1_850_000
    assert ev.at(f"G{parts['IV']}") == PARTS_V2["IV"] - 1_000_000
    values = texts(ws)
    assert "Bằng chữ: " + WORDS_V1 in values
    assert any("Quyết định số 52/QĐ-UBND ngày 27/05/2024" in v for v in values)


# -- styles and print setup ---------------------------------------------------------


def check_print_setup(ws: Worksheet, header: int, *, titles: bool = True) -> None:
    assert str(ws.page_setup.paperSize) == "9", ws.title  # A4
    # NĐ 30/2020 Phụ lục I margins (inches): top/bottom 20–25 mm, left 30–35, right 15–20.
    mm = 25.4
    assert 20 / mm - 0.01 <= ws.page_margins.top <= 25 / mm + 0.01, ws.title
    assert 20 / mm - 0.01 <= ws.page_margins.bottom <= 25 / mm + 0.01, ws.title
    assert 30 / mm - 0.01 <= ws.page_margins.left <= 35 / mm + 0.01, ws.title
    assert 15 / mm - 0.01 <= ws.page_margins.right <= 20 / mm + 0.01, ws.title
    # Page numbers top centre, not on the first page; printed at a readable scale.
    assert "&P" in (ws.oddHeader.center.text or ""), ws.title
    assert ws.HeaderFooter.differentFirst, ws.title
    assert int(ws.page_setup.scale or 100) >= 65, ws.title
    if titles:
        check_title_rows(ws, header)


def check_title_rows(ws: Worksheet, header: int) -> None:
    """The table's header row is printed at the top of every page."""
    assert ws.print_title_rows is not None, f"no repeated title rows on {ws.title!r}"
    assert ws.print_title_rows.replace("$", "") == f"{header}:{header}", ws.title


def check_body_fonts(ws: Worksheet, first: int, last: int) -> None:
    for r in range(first, last + 1):
        for c in range(1, ws.max_column + 1):
            cell = ws.cell(row=r, column=c)
            if cell.value is None:
                continue
            assert cell.font.name == "Times New Roman", cell.coordinate
            assert float(cell.font.sz) == 13, cell.coordinate


def check_money_format(ws: Worksheet, coordinates: list[str]) -> None:
    for coordinate in coordinates:
        assert "#,##0" in ws[coordinate].number_format, (ws.title, coordinate)


def test_styles_and_print_setup_of_every_export(cli: Cli, tmp_path: Path) -> None:
    demo(cli)
    # Estimate.
    ws = export(cli, tmp_path / "e.xlsx", "estimate")["Dự toán"]
    header, parts, lines, total = estimate_layout(ws)
    check_print_setup(ws, header)
    check_body_fonts(ws, 1, 3)  # heading block (the title below it is 14 pt)
    check_body_fonts(ws, header, ws.max_row)  # table, words and signatures
    money = [f"G{r}" for r in (*parts.values(), *lines.values(), total)]
    check_money_format(ws, money + [f"F{r}" for r in lines.values()])

    # Settlement: all three sheets.
    wb = export(cli, tmp_path / "s.xlsx", "settlement")
    ws = wb["Quyết toán"]
    header = header_row(ws, "STT", "Nội dung")
    total = total_row(ws, header + 1)
    check_print_setup(ws, header)
    check_body_fonts(ws, header, total)
    check_money_format(ws, [f"{c}{r}" for r in range(header + 1, total + 1) for c in "DEFGHI"])
    ws = wb["Theo tiểu mục"]
    header = header_row(ws, "Tiểu mục", "Tên")
    total = total_row(ws, header + 1)
    check_print_setup(ws, header)
    check_body_fonts(ws, header, total)
    check_money_format(ws, [f"{c}{r}" for r in range(header + 1, total + 1) for c in "CDEFGH"])
    ws = wb["Sổ chứng từ"]
    header = header_row(ws, "STT", "Số chứng từ")
    total = total_row(ws, header + 1)
    check_print_setup(ws, header)
    check_body_fonts(ws, header, total)
    check_money_format(ws, [f"{c}{r}" for r in range(header + 1, total) for c in "IJK"])

    # Payout list.
    ws = export(cli, tmp_path / "p.xlsx", "payout", "--decision", "120/QĐ-UBND").active
    header = header_row(ws, "STT", "Họ và tên / Tập thể")
    total = total_row(ws, header + 1)
    check_print_setup(ws, header)
    check_body_fonts(ws, header, ws.max_row)
    check_money_format(ws, [f"E{r}" for r in range(header + 1, total + 1)])

    # Summary.
    ws = export(cli, tmp_path / "t.xlsx", "summary").active
    header = header_row(ws, "Phần", "Nội dung")
    total = total_row(ws, header + 1)
    check_body_fonts(ws, header, total)
    check_money_format(ws, [f"{c}{r}" for r in range(header + 1, total + 1) for c in "CDEF"])
    check_print_setup(ws, header, titles=False)  # title rows: the next test


def test_summary_repeats_its_table_header_on_every_page(cli: Cli, tmp_path: Path) -> None:
    """docs/DOMAIN.md: "titles repeated on every page". The summary is fitted to one A4
    page; its parts header is still marked to repeat should a reader print it larger."""
    demo(cli)
    ws = export(cli, tmp_path / "t.xlsx", "summary").active
    check_title_rows(ws, header_row(ws, "Phần", "Nội dung"))


# -- user text stays text -------------------------------------------------------------


def test_user_text_that_looks_like_a_formula_stays_text(cli: Cli, tmp_path: Path) -> None:
    demo(cli)
    payee = '=HYPERLINK("http://x","y")'
    content = "@SUM(A1)"
    ok(cli, "plan", "adjust", "--reason", "Thêm dòng thử")
    ok(
        cli,
        "plan", "line", "add", "--part", "I", "--content", "=1+1", "--unit", "gói",
        "--quantity", "1", "--unit-price", "100.000", "--mlnsnn", "6699",
        "--note", "=A1*2",
    )  # fmt: skip
    ok(cli, "plan", "submit")
    ok(cli, "plan", "approve", "--decision", "99/QĐ-UBND", "--date", "01/10/2024")
    ok(
        cli,
        "voucher", "add", "--line", "I.6", "--amount", "50.000", "--date", "02/10/2024",
        "--payee", payee, "--content", content,
    )  # fmt: skip

    def cells_with(wb: Any, value: str) -> list[Any]:
        return [c for ws in wb for row in ws.iter_rows() for c in row if c.value == value]

    estimate = export(cli, tmp_path / "e.xlsx", "estimate")
    found = cells_with(estimate, "=1+1") + cells_with(estimate, "=A1*2")
    assert len(found) == 2
    assert all(c.data_type == "s" for c in found), [(c.coordinate, c.data_type) for c in found]
    # The new line's amount is still a live formula and the total grew by 100.000.
    ws = estimate["Dự toán"]
    _, _, lines, total = estimate_layout(ws)
    assert Evaluator(ws).at(f"G{total}") == TOTAL_V2 + 100_000
    assert ws.cell(row=lines["I.6"], column=2).value == "=1+1"

    settlement = export(cli, tmp_path / "s.xlsx", "settlement")
    for value in ("=1+1", payee, content):
        found = cells_with(settlement, value)
        assert found, value
        assert all(c.data_type == "s" for c in found), value
    register = settlement["Sổ chứng từ"]
    assert [c.parent.title for c in cells_with(settlement, payee)] == ["Sổ chứng từ"]
    row = cells_with(settlement, payee)[0].row
    assert register.cell(row=row, column=8).value == content
    assert register.cell(row=row, column=8).data_type == "s"


# -- settlement ---------------------------------------------------------------------


def test_settlement_sheets_register_and_totals(cli: Cli, db_url: str, tmp_path: Path) -> None:
    demo(cli)
    wb = export(cli, tmp_path / "quyet-toan.xlsx", "settlement")
    assert wb.sheetnames == ["Quyết toán", "Theo tiểu mục", "Sổ chứng từ"]

    # By line.
    ws = wb["Quyết toán"]
    check_heading_and_signers(ws)
    values = texts(ws)
    assert "BÁO CÁO TÌNH HÌNH THỰC HIỆN DỰ TOÁN KINH PHÍ" in values
    assert any(v.endswith("bằng chữ: " + WORDS_SPENT) for v in values), values
    header = header_row(ws, "STT", "Nội dung")
    total = total_row(ws, header + 1)
    assert first_text(ws, total) == "Tổng cộng"
    ev = Evaluator(ws)
    # original, approved, spent, committed, remaining, approved - spent
    assert [ev.at(f"{c}{total}") for c in "DEFGHI"] == [
        TOTAL_V1,
        TOTAL_V2,
        SPENT,
        COMMITTED,
        TOTAL_V2 - SPENT - COMMITTED,
        TOTAL_V2 - SPENT,
    ]
    part_rows = {
        str(ws.cell(row=r, column=1).value): r
        for r in range(header + 1, total)
        if re.fullmatch(r"[IVX]+", str(ws.cell(row=r, column=1).value))
    }
    assert list(part_rows) == ["I", "II", "III", "IV", "V"]
    for code, r in part_rows.items():
        assert ev.at(f"E{r}") == PARTS_V2[code], code
        assert ev.at(f"F{r}") == SPENT_BY_PART[code], code
        assert ev.at(f"G{r}") == COMMITTED_BY_PART[code], code
    assert sum(SPENT_BY_PART.values()) == SPENT  # the hand figures agree with each other

    # By budget code.
    ws = wb["Theo tiểu mục"]
    header = header_row(ws, "Tiểu mục", "Tên")
    total = total_row(ws, header + 1)
    ev = Evaluator(ws)
    assert [ev.at(f"{c}{total}") for c in "CDEFGH"] == [
        TOTAL_V1,
        TOTAL_V2,
        SPENT,
        COMMITTED,
        TOTAL_V2 - SPENT - COMMITTED,
        TOTAL_V2 - SPENT,
    ]
    row_6600 = find_row(ws, lambda v: v[0] == "6600", header + 1)
    # 6600: II.1 + II.2 + II.3 + II.10 approved; spent 3.700+1.850 + 1.395 + 2.240 + 1.045.
    assert ev.at(f"D{row_6600}") == 5_550_000 + 1_395_000 + 2_280_000 + 965_000
    assert ev.at(f"E{row_6600}") == 5_550_000 + 1_395_000 + 2_240_000 + 1_045_000

    # The register: one row per voucher, reversal rows included.
    ws = wb["Sổ chứng từ"]
    header = header_row(ws, "STT", "Số chứng từ")
    total = total_row(ws, header + 1)
    assert row_values(ws, header)[9] == "Đã chi"
    rows = list(range(header + 1, total))
    in_db = count_rows(db_url, "vouchers")
    assert in_db == VOUCHERS_IN_DEMO
    assert len(rows) == in_db
    numbers = [ws.cell(row=r, column=2).value for r in rows]
    assert "PC-0012" in numbers and "PC-0012-H" in numbers
    assert [ws.cell(row=r, column=1).value for r in rows] == list(range(1, in_db + 1))
    spent_column = sum(int(ws.cell(row=r, column=10).value) for r in rows)
    committed_column = sum(int(ws.cell(row=r, column=11).value) for r in rows)
    reconciled = json.loads(ok(cli, "report", "reconcile", "--format", "json").out)["total"]
    assert spent_column == reconciled["spent"] == SPENT
    assert committed_column == reconciled["committed"] == COMMITTED
    ev = Evaluator(ws)
    assert ev.at(f"J{total}") == SPENT
    assert ev.at(f"K{total}") == COMMITTED
    reversal = rows[numbers.index("PC-0012-H")]
    assert ws.cell(row=reversal, column=10).value == -1_080_000


# -- payout -------------------------------------------------------------------------


def test_payout_list_for_the_so_ket_decision(cli: Cli, tmp_path: Path) -> None:
    demo(cli)
    ws = export(cli, tmp_path / "thuong.xlsx", "payout", "--decision", "120/QĐ-UBND").active
    check_heading_and_signers(ws)
    values = texts(ws)
    assert "DANH SÁCH NHẬN TIỀN THƯỞNG" in values
    assert any("Quyết định số 120/QĐ-UBND ngày 25/07/2024" in v for v in values)
    header = header_row(ws, "STT", "Họ và tên / Tập thể")
    headers = row_values(ws, header)
    assert "Ký nhận" in headers
    sign_col = headers.index("Ký nhận") + 1
    money_col = headers.index("Số tiền (đồng)") + 1
    total = total_row(ws, header + 1)
    assert first_text(ws, total) == "Tổng cộng"
    rows = list(range(header + 1, total))
    assert len(rows) == 10
    amounts = {ws.cell(row=r, column=2).value: ws.cell(row=r, column=money_col).value for r in rows}
    assert amounts == {
        **{name: INDIVIDUAL for name in SO_KET_INDIVIDUALS},
        **{name: COLLECTIVE for name in SO_KET_COLLECTIVES},
    }
    assert all(ws.cell(row=r, column=sign_col).value is None for r in rows)  # room to sign
    assert [ws.cell(row=r, column=1).value for r in rows] == list(range(1, 11))
    total_value = Evaluator(ws).at(f"{get_column_letter(money_col)}{total}")
    assert total_value == 8 * INDIVIDUAL + 2 * COLLECTIVE == 4_300_000
    assert "Bằng chữ: Bốn triệu ba trăm nghìn đồng" in values
    notes = [v for v in values if "làm tròn" in v]
    assert len(notes) == 1
    assert "làm tròn lên" in notes[0] and "2.340.000" in notes[0]


def test_payout_form_column_names_the_recipient_kind_once(cli: Cli, tmp_path: Path) -> None:
    """«Hình thức khen thưởng» should read e.g. "Giấy khen ... (cá nhân)", not the kind twice."""
    demo(cli)
    ws = export(cli, tmp_path / "thuong.xlsx", "payout", "--decision", "120/QĐ-UBND").active
    header = header_row(ws, "STT", "Họ và tên / Tập thể")
    form_col = row_values(ws, header).index("Hình thức khen thưởng") + 1
    total = total_row(ws, header + 1)
    forms = [ws.cell(row=r, column=form_col).value for r in range(header + 1, total)]
    for form in forms:
        for kind in ("cá nhân", "tập thể"):
            assert form.count(f"({kind})") <= 1, form


# -- summary ------------------------------------------------------------------------


def test_summary_parts_chart_and_lines_near_the_limit(cli: Cli, tmp_path: Path) -> None:
    demo(cli)
    wb = export(cli, tmp_path / "tong-hop.xlsx", "summary")
    ws, cached = wb.active, wb._cached_values.active
    values = texts(ws)
    for line in HEADING:
        assert line in values
    assert "TỔNG HỢP TÌNH HÌNH SỬ DỤNG KINH PHÍ" in values
    assert "Đã chi bằng chữ: " + WORDS_SPENT in texts(cached)
    assert ws._charts, "no chart"
    assert type(ws._charts[0]).__name__ == "BarChart"  # the months' column chart

    header = header_row(ws, "Phần", "Nội dung")
    total = total_row(ws, header + 1)
    ev = Evaluator(ws)
    parts = {ws.cell(row=r, column=1).value: r for r in range(header + 1, total)}
    assert list(parts) == ["I", "II", "III", "IV", "V"]
    # percent = 100 × (spent + committed) / approved, one decimal, half up, by hand
    percent = {"I": "97.3", "II": "94.8", "III": "98.9", "IV": "18.8", "V": "32.0"}
    for code, r in parts.items():
        approved, spent, committed = PARTS_V2[code], SPENT_BY_PART[code], COMMITTED_BY_PART[code]
        assert [ev.at(f"{c}{r}") for c in "CDEF"] == [
            approved,
            spent,
            committed,
            approved - spent - committed,
        ], code
        assert ws[f"G{r}"].data_type == "f", code
        assert Decimal(str(cached[f"G{r}"].value)) == Decimal(percent[code]), code
    assert [ev.at(f"{c}{total}") for c in "CDEF"] == [
        TOTAL_V2,
        SPENT,
        COMMITTED,
        TOTAL_V2 - SPENT - COMMITTED,
    ]
    # (48.287.500 + 1.500.000) / 71.817.500 = 69,32... %
    assert Decimal(str(cached[f"G{total}"].value)) == Decimal("69.3")

    def group(title: str) -> dict[str, int]:
        """The rows of the alert group whose title starts with ``title``."""
        start = find_row(ws, lambda v: str(v[0] or "").startswith(title), total)
        rows: dict[str, int] = {}
        for r in range(start + 1, ws.max_row + 1):
            code = ws.cell(row=r, column=1).value
            if not code or str(code)[0].isdigit():
                break
            rows[code] = r
        return rows

    # From 80 %: the 90 % lines above plus IV.1 (1.500/1.720 = 87,2 %), split into
    # over (II.10), used up exactly, and under 100 % (I.4, I.5, II.3, III.3, IV.1).
    over = group("1. Dòng vượt dự toán (1)")
    assert list(over) == ["II.10"]
    assert ev.at(f"F{over['II.10']}") == 965_000 - 1_045_000
    watch = group("6. Dòng đã dùng từ 80 % đến dưới 100 % (5)")
    assert list(watch) == ["I.4", "I.5", "II.3", "III.3", "IV.1"]
    assert Decimal(str(cached[f"G{watch['I.4']}"].value)) == Decimal("96.5")
    assert Decimal(str(cached[f"G{watch['IV.1']}"].value)) == Decimal("87.2")
    full_title = find_row(
        ws, lambda v: str(v[0] or "").startswith("5. Dòng đã dùng hết dự toán"), total
    )
    full = ws.cell(row=full_title + 1, column=2).value.split(", ")
    assert set(full) == NEAR_LIMIT - {"II.10", "I.4", "I.5", "II.3", "III.3"}


# -- bad input ------------------------------------------------------------------------


def test_out_must_be_an_xlsx_file(cli: Cli, tmp_path: Path) -> None:
    demo(cli)
    for kind in ("estimate", "settlement", "payout", "summary"):
        for name in ("bao-cao.txt", "bao-cao.xls", "bao-cao"):
            out = tmp_path / name
            result = cli("export", kind, "--out", str(out))
            assert result.code == 2, (kind, name, result.out, result.err)
            lines = result.err.strip().splitlines()
            assert len(lines) == 1 and lines[0].startswith("Lỗi:"), (kind, result.err)
            assert ".xlsx" in lines[0], lines[0]
            assert not out.exists()


def test_unknown_decision_number_is_refused(cli: Cli, tmp_path: Path) -> None:
    demo(cli)
    out = tmp_path / "thuong.xlsx"
    result = cli("export", "payout", "--decision", "999/QĐ-UBND", "--out", str(out))
    assert result.code == 2, (result.out, result.err)
    lines = result.err.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("Lỗi:") and "999/QĐ-UBND" in lines[0]
    assert not out.exists()


def test_estimate_stt_has_no_gaps_after_a_removed_line(cli: Cli, tmp_path: Path) -> None:
    # Issue 16: the draft removes II.2 (nothing spent on it); part II then numbers 1..9.
    demo(cli)
    ok(cli, "plan", "adjust", "--reason", "Bỏ biển khẩu hiệu")
    ok(cli, "plan", "line", "remove", "II.2")
    wb = export(cli, tmp_path / "du-toan.xlsx", "estimate", "--version", "3")
    _, parts, lines, _ = estimate_layout(wb["Dự toán"])
    assert [code for code in lines if code.startswith("II.")] == [f"II.{n}" for n in range(1, 10)]
