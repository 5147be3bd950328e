"""Unit tests for budget.money: parse_vnd, format_vnd, amount_in_words.

Every expected value below was worked out by hand from the reading rules
(Vietnamese "Bằng chữ" conventions), not copied from the implementation.
"""

import unicodedata

import pytest

from budget.errors import AmountError, BudgetError
from budget.money import amount_in_words, format_vnd, parse_vnd

NAM = {"dialect": "nam"}
CHAN = {"chan": True}
BON = {"four": "bốn"}

TRILLION = 10**12  # "nghìn tỷ"


# ---------------------------------------------------------------------------
# amount_in_words
# ---------------------------------------------------------------------------

WORDS_CASES = [
    # --- zero and single digits -------------------------------------------
    (0, {}, "Không đồng"),
    (1, {}, "Một đồng"),
    (4, {}, "Bốn đồng"),  # bare 4 is never "tư"
    (5, {}, "Năm đồng"),  # bare 5 is never "lăm"
    # --- 10..19: "mười", 1 stays "một", 4 stays "bốn", 5 -> "lăm" --------
    (10, {}, "Mười đồng"),
    (11, {}, "Mười một đồng"),
    (12, {}, "Mười hai đồng"),
    (13, {}, "Mười ba đồng"),
    (14, {}, "Mười bốn đồng"),
    (15, {}, "Mười lăm đồng"),
    (16, {}, "Mười sáu đồng"),
    (17, {}, "Mười bảy đồng"),
    (18, {}, "Mười tám đồng"),
    (19, {}, "Mười chín đồng"),
    # --- every unit digit after "mươi" (1 -> mốt, 4 -> tư, 5 -> lăm) -----
    (20, {}, "Hai mươi đồng"),
    (21, {}, "Hai mươi mốt đồng"),
    (22, {}, "Hai mươi hai đồng"),
    (23, {}, "Hai mươi ba đồng"),
    (24, {}, "Hai mươi tư đồng"),
    (25, {}, "Hai mươi lăm đồng"),
    (26, {}, "Hai mươi sáu đồng"),
    (27, {}, "Hai mươi bảy đồng"),
    (28, {}, "Hai mươi tám đồng"),
    (29, {}, "Hai mươi chín đồng"),
    (30, {}, "Ba mươi đồng"),
    (41, {}, "Bốn mươi mốt đồng"),
    (54, {}, "Năm mươi tư đồng"),
    (55, {}, "Năm mươi lăm đồng"),
    (91, {}, "Chín mươi mốt đồng"),
    (99, {}, "Chín mươi chín đồng"),
    # --- hundreds and "linh" (never mốt/tư/lăm after linh) -----------------
    (100, {}, "Một trăm đồng"),
    (101, {}, "Một trăm linh một đồng"),
    (104, {}, "Một trăm linh bốn đồng"),
    (105, {}, "Một trăm linh năm đồng"),
    (110, {}, "Một trăm mười đồng"),
    (115, {}, "Một trăm mười lăm đồng"),
    (999, {}, "Chín trăm chín mươi chín đồng"),
    # --- thousands; inner group with zero hundreds reads "không trăm" -----
    (1000, {}, "Một nghìn đồng"),
    (1001, {}, "Một nghìn không trăm linh một đồng"),
    (1010, {}, "Một nghìn không trăm mười đồng"),
    (1051, {}, "Một nghìn không trăm năm mươi mốt đồng"),
    (1100, {}, "Một nghìn một trăm đồng"),
    (5055, {}, "Năm nghìn không trăm năm mươi lăm đồng"),
    (7000, {}, "Bảy nghìn đồng"),
    (10000, {}, "Mười nghìn đồng"),
    (21000, {}, "Hai mươi mốt nghìn đồng"),  # required example
    (24000, {}, "Hai mươi tư nghìn đồng"),
    (25000, {}, "Hai mươi lăm nghìn đồng"),
    (44444, {}, "Bốn mươi tư nghìn bốn trăm bốn mươi tư đồng"),
    (100000, {}, "Một trăm nghìn đồng"),
    (105000, {}, "Một trăm linh năm nghìn đồng"),  # required example
    (111111, {}, "Một trăm mười một nghìn một trăm mười một đồng"),
    (900090, {}, "Chín trăm nghìn không trăm chín mươi đồng"),
    # --- millions; all-zero groups are skipped entirely -------------------
    (1000000, {}, "Một triệu đồng"),
    (1000005, {}, "Một triệu không trăm linh năm đồng"),  # 000 group skipped
    (1000010, {}, "Một triệu không trăm mười đồng"),
    (1005000, {}, "Một triệu không trăm linh năm nghìn đồng"),  # required
    (1500500, {}, "Một triệu năm trăm nghìn năm trăm đồng"),
    (2000001, {}, "Hai triệu không trăm linh một đồng"),
    (2340000, {}, "Hai triệu ba trăm bốn mươi nghìn đồng"),  # required
    (3015000, {}, "Ba triệu không trăm mười lăm nghìn đồng"),
    (15000000, {}, "Mười lăm triệu đồng"),  # required example
    (20025000, {}, "Hai mươi triệu không trăm hai mươi lăm nghìn đồng"),
    # --- realistic commune amounts ----------------------------------------
    (351000, {}, "Ba trăm năm mươi mốt nghìn đồng"),
    (360000, {}, "Ba trăm sáu mươi nghìn đồng"),
    (702000, {}, "Bảy trăm linh hai nghìn đồng"),
    (710000, {}, "Bảy trăm mười nghìn đồng"),
    (1234000, {}, "Một triệu hai trăm ba mươi tư nghìn đồng"),
    (2530000, {}, "Hai triệu năm trăm ba mươi nghìn đồng"),
    (4500000, {}, "Bốn triệu năm trăm nghìn đồng"),
    (15500000, {}, "Mười lăm triệu năm trăm nghìn đồng"),
    (47850000, {}, "Bốn mươi bảy triệu tám trăm năm mươi nghìn đồng"),
    (85000000, {}, "Tám mươi lăm triệu đồng"),
    (250000000, {}, "Hai trăm năm mươi triệu đồng"),
    (
        123456789,
        {},
        "Một trăm hai mươi ba triệu bốn trăm năm mươi sáu nghìn bảy trăm tám mươi chín đồng",
    ),
    # --- tỷ, and the recursive reading above 10^9 --------------------------
    (10**9, {}, "Một tỷ đồng"),
    (1000000001, {}, "Một tỷ không trăm linh một đồng"),
    (1000005000, {}, "Một tỷ không trăm linh năm nghìn đồng"),  # required
    (1001000000, {}, "Một tỷ không trăm linh một triệu đồng"),
    (1050000000, {}, "Một tỷ không trăm năm mươi triệu đồng"),
    (1250000000, {}, "Một tỷ hai trăm năm mươi triệu đồng"),
    (2005000000, {}, "Hai tỷ không trăm linh năm triệu đồng"),
    (5000000005, {}, "Năm tỷ không trăm linh năm đồng"),
    (10**10, {}, "Mười tỷ đồng"),
    (12345000000, {}, "Mười hai tỷ ba trăm bốn mươi lăm triệu đồng"),
    (
        1234567890,
        {},
        "Một tỷ hai trăm ba mươi tư triệu năm trăm sáu mươi bảy nghìn tám trăm chín mươi đồng",
    ),
    (TRILLION, {}, "Một nghìn tỷ đồng"),  # a = 1000, b = 0
    # a = 1001 -> "một nghìn không trăm linh một", then "tỷ"
    (TRILLION + 10**9, {}, "Một nghìn không trăm linh một tỷ đồng"),
    # b = 5000: its thousands group 005 is a "later" group -> "không trăm"
    (TRILLION + 5000, {}, "Một nghìn tỷ không trăm linh năm nghìn đồng"),
    (10**15, {}, "Một triệu tỷ đồng"),
    (10**15 + 5, {}, "Một triệu tỷ không trăm linh năm đồng"),
    (2 * 10**15 + 21, {}, "Hai triệu tỷ không trăm hai mươi mốt đồng"),
    # a = 1.000.001 -> "một triệu không trăm linh một", then "tỷ"
    (1000001000000000, {}, "Một triệu không trăm linh một tỷ đồng"),
    (10**18, {}, "Một tỷ tỷ đồng"),  # the upper bound itself is allowed
    (
        10**18 - 1,  # a = b = 999.999.999
        {},
        "Chín trăm chín mươi chín triệu chín trăm chín mươi chín nghìn "
        "chín trăm chín mươi chín tỷ chín trăm chín mươi chín triệu "
        "chín trăm chín mươi chín nghìn chín trăm chín mươi chín đồng",
    ),
    # --- negatives: "Âm " + lower-case reading ----------------------------
    (-1, {}, "Âm một đồng"),
    (-21, {}, "Âm hai mươi mốt đồng"),
    (-5000, {}, "Âm năm nghìn đồng"),
    (-1005000, {}, "Âm một triệu không trăm linh năm nghìn đồng"),
    (-(10**18), {}, "Âm một tỷ tỷ đồng"),  # lower bound itself is allowed
    # --- dialect="nam": "lẻ" instead of "linh", "ngàn" instead of "nghìn" --
    (105, NAM, "Một trăm lẻ năm đồng"),
    (1000, NAM, "Một ngàn đồng"),
    (21000, NAM, "Hai mươi mốt ngàn đồng"),
    (101101, NAM, "Một trăm lẻ một ngàn một trăm lẻ một đồng"),
    (1005000, NAM, "Một triệu không trăm lẻ năm ngàn đồng"),
    (TRILLION, NAM, "Một ngàn tỷ đồng"),
    (15000005000, NAM, "Mười lăm tỷ không trăm lẻ năm ngàn đồng"),
    # --- chan=True: " chẵn" only when n != 0 and n % 1000 == 0 -------------
    (1000, CHAN, "Một nghìn đồng chẵn"),
    (351000, CHAN, "Ba trăm năm mươi mốt nghìn đồng chẵn"),
    (1500000, CHAN, "Một triệu năm trăm nghìn đồng chẵn"),
    (10**9, CHAN, "Một tỷ đồng chẵn"),
    (1500500, CHAN, "Một triệu năm trăm nghìn năm trăm đồng"),  # no effect
    (1001, CHAN, "Một nghìn không trăm linh một đồng"),  # no effect
    (999, CHAN, "Chín trăm chín mươi chín đồng"),  # no effect
    (0, CHAN, "Không đồng"),  # zero never gets "chẵn"
    # -5000 % 1000 == 0 in Python, so the rule applies to negatives too
    (-5000, CHAN, "Âm năm nghìn đồng chẵn"),
    # --- four="bốn": only the unit 4 after "mươi" changes --------------------
    (24, BON, "Hai mươi bốn đồng"),
    (14, BON, "Mười bốn đồng"),  # unchanged: after "mười" it is always bốn
    (104, BON, "Một trăm linh bốn đồng"),  # unchanged: after "linh"
    (2340000, BON, "Hai triệu ba trăm bốn mươi nghìn đồng"),  # 4 is a tens digit
    (44444, BON, "Bốn mươi bốn nghìn bốn trăm bốn mươi bốn đồng"),
    # --- options combined ---------------------------------------------------
    (24000, {"dialect": "nam", "four": "bốn", "chan": True}, "Hai mươi bốn ngàn đồng chẵn"),
    (104000, {"dialect": "nam", "chan": True}, "Một trăm lẻ bốn ngàn đồng chẵn"),
]


def _case_id(case):
    amount, kwargs, _ = case
    opts = ",".join(f"{k}={v}" for k, v in sorted(kwargs.items()))
    return f"{amount}" + (f"[{opts}]" if opts else "")


@pytest.mark.parametrize(
    "amount, kwargs, expected", WORDS_CASES, ids=[_case_id(c) for c in WORDS_CASES]
)
def test_amount_in_words(amount, kwargs, expected):
    assert amount_in_words(amount, **kwargs) == expected


def test_words_table_is_well_formed():
    # Guard against typos in the hand-written table itself.
    assert len(WORDS_CASES) >= 70
    for amount, _, expected in WORDS_CASES:
        assert unicodedata.is_normalized("NFC", expected), amount
        assert "  " not in expected, amount


@pytest.mark.parametrize("bad", [10**18 + 1, -(10**18) - 1, 10**19, 2 * 10**18])
def test_amount_in_words_out_of_range(bad):
    with pytest.raises(AmountError):
        amount_in_words(bad)


# A spread of values for shape checks that do not need a hand-worked string.
SHAPE_VALUES = (
    list(range(0, 1200))
    + [10**k + d for k in range(3, 19) for d in (0, 1, 4, 5, 15, 21, 105)]
    + [-1, -999, -1000, -(10**18)]
)


def test_amount_in_words_shape():
    for n in SHAPE_VALUES:
        if n > 10**18:
            continue
        for kwargs in ({}, NAM, BON):
            text = amount_in_words(n, **kwargs)
            words = text.split(" ")
            assert text == text.strip(), n
            assert all(words), (n, text)  # single spaces only
            assert text[0].isupper(), (n, text)
            assert text.endswith(" đồng") or text == "Không đồng", (n, text)
            # After linh/lẻ the unit digit is always read plainly.
            for linker in ("linh", "lẻ"):
                for i, w in enumerate(words[:-1]):
                    if w == linker:
                        assert words[i + 1] not in ("mốt", "tư", "lăm"), text
            # "mốt" only ever follows "mươi"; "mười mốt" is wrong.
            for i, w in enumerate(words):
                if w == "mốt":
                    assert words[i - 1] == "mươi", text


def test_amount_in_words_dialect_words_do_not_leak():
    for n in (105, 1005000, 101101, TRILLION + 5000):
        bac = amount_in_words(n)
        nam = amount_in_words(n, dialect="nam")
        assert "ngàn" not in bac and "lẻ" not in bac
        assert "nghìn" not in nam and "linh" not in nam


# ---------------------------------------------------------------------------
# parse_vnd
# ---------------------------------------------------------------------------

NBSP = "\u00a0"
NNBSP = "\u202f"

PARSE_OK = [
    ("0", 0),
    ("999", 999),
    ("1500000", 1500000),
    ("1.000", 1000),
    ("12.345", 12345),
    ("1.500.000", 1500000),
    ("123.456.789", 123456789),
    ("1 500 000", 1500000),
    (f"1{NBSP}500{NBSP}000", 1500000),  # non-breaking space
    (f"1{NNBSP}500{NNBSP}000", 1500000),  # narrow no-break space
    ("  1.500.000  ", 1500000),
    ("\t250000\n", 250000),
    # currency suffixes, with and without a space, any case
    ("1.500.000 đ", 1500000),
    ("1.500.000đ", 1500000),
    ("1.500.000 Đ", 1500000),
    ("1.500.000 ₫", 1500000),
    ("1.500.000₫", 1500000),
    ("1.500.000 đồng", 1500000),
    ("1.500.000đồng", 1500000),
    ("1.500.000 ĐỒNG", 1500000),
    ("1.500.000 VND", 1500000),
    ("1.500.000 vnd", 1500000),
    ("1.500.000VND", 1500000),
    ("1.500.000 VNĐ", 1500000),
    ("1.500.000 vnđ", 1500000),
    ("1 500 000 đ", 1500000),
    ("1500000 VND", 1500000),
    ("  351.000 đ  ", 351000),
    # largest accepted value, 10**15 - 1
    ("999.999.999.999.999", 999999999999999),
    ("999999999999999", 999999999999999),
]


@pytest.mark.parametrize("text, expected", PARSE_OK)
def test_parse_vnd_accepts(text, expected):
    result = parse_vnd(text)
    assert result == expected
    assert type(result) is int


PARSE_BAD = [
    "1.5",  # decimal point, not a thousands separator
    "1,5",
    "1,5tr",
    "12.34.56",  # groups after the first must have exactly 3 digits
    "1e6",
    "",
    "   ",
    "-",
    "-5",  # negative
    "-1.500.000",
    "abc",
    "1.500.00",  # short last group
    "1.5000.000",  # long inner group
    "1500.000",  # first group longer than 3 digits
    "1..500",
    ".500",
    "500.",
    "1,500,000",  # commas are never accepted
    "1.500 000",  # mixed separators
    "1 500.000",  # mixed separators
    "1 5",
    "đ",  # suffix with no number
    "1.500.000 USD",  # unknown currency
    "1000000000000000",  # 10**15, too large
    "1.000.000.000.000.000",  # 10**15, too large
]


@pytest.mark.parametrize("text", PARSE_BAD)
def test_parse_vnd_refuses(text):
    with pytest.raises(AmountError) as excinfo:
        parse_vnd(text)
    assert str(excinfo.value).strip()  # a non-empty (Vietnamese) message


@pytest.mark.parametrize("value", [None, 1500000, 1.5])
def test_parse_vnd_refuses_non_str(value):
    with pytest.raises((AmountError, TypeError)):
        parse_vnd(value)


def test_amount_error_is_budget_error():
    assert issubclass(AmountError, BudgetError)
    with pytest.raises(BudgetError):
        parse_vnd("abc")


# ---------------------------------------------------------------------------
# format_vnd
# ---------------------------------------------------------------------------

FORMAT_CASES = [
    (0, "0"),
    (7, "7"),
    (999, "999"),
    (1000, "1.000"),
    (12345, "12.345"),
    (100000, "100.000"),
    (1500000, "1.500.000"),
    (1234567890, "1.234.567.890"),
    (999999999999999, "999.999.999.999.999"),
    (-999, "-999"),
    (-1000, "-1.000"),
    (-1500000, "-1.500.000"),
]


@pytest.mark.parametrize("n, expected", FORMAT_CASES)
def test_format_vnd(n, expected):
    assert format_vnd(n) == expected


# ---------------------------------------------------------------------------
# round trip
# ---------------------------------------------------------------------------

ROUND_TRIP = [
    0,
    1,
    999,
    1000,
    1001,
    21000,
    105000,
    351000,
    702000,
    1005000,
    1500000,
    47850000,
    123456789,
    1000005000,
    TRILLION,
    999999999999999,
]


@pytest.mark.parametrize("n", ROUND_TRIP)
def test_round_trip(n):
    assert parse_vnd(format_vnd(n)) == n
    assert parse_vnd(format_vnd(n) + " đ") == n
