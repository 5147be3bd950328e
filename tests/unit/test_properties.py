"""Property tests (hypothesis): the amount parser, the amount-in-words reader,
the reward norms and the reconcile arithmetic.

Every oracle here is written independently of the code under test: the words
are read back by a reader of our own, the base salary and coefficient are
picked from the norms' raw lists, and the reconcile figures are summed from
the generated vouchers themselves.
"""

from __future__ import annotations

import itertools
import re
import unicodedata
from datetime import date
from decimal import Decimal

import pytest
from hypothesis import HealthCheck, assume, example, given, settings
from hypothesis import strategies as st
from sqlalchemy import select

from budget.errors import AmountError
from budget.money import amount_in_words, format_vnd, parse_vnd
from budget.norms import load_norms

ACTOR = "kiemthu"
MAX_INPUT = 10**15
WORDS_MAX = 10**18
STEP = 10_000

FAST = settings(max_examples=300, deadline=None, database=None)
SLOW = settings(
    max_examples=60,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)

# ---------------------------------------------------------------------------
# parse_vnd / format_vnd
# ---------------------------------------------------------------------------


@FAST
@given(st.integers(min_value=0, max_value=MAX_INPUT - 1))
@example(0)
@example(999)
@example(1000)
@example(1_000_000)
@example(MAX_INPUT - 1)
def test_parse_reads_back_what_format_writes(n: int) -> None:
    text = format_vnd(n)
    assert re.fullmatch(r"\d{1,3}(\.\d{3})*", text), text
    assert parse_vnd(text) == n


# What a person may type around an amount: ASCII digits grouped by dots or by
# spaces (plain, no-break, narrow no-break), optional currency suffix. Around
# the whole thing, blanks: any Unicode space separator (Zs), tab, line ends.
# Other control characters (U+000B, U+000C, U+001C..U+001F, U+0085) are not blanks.
_ZS = "".join(chr(c) for c in range(0x3100) if unicodedata.category(chr(c)) == "Zs")
_BLANK = "\t\r\n" + _ZS
_ACCEPTABLE = re.compile(
    rf"[{_BLANK}]*"
    r"(?P<number>[0-9]+(?:[. \u00a0\u202f][0-9]+)*)"
    rf"[{_BLANK}]*"
    r"(?:(?i:đồng|đ|₫|vnđ|vnd)"
    rf"[{_BLANK}]*)?"
)

# Text that looks like amounts, so the parser's accepting paths are exercised too.
_amountish = st.builds(
    lambda lead, groups, sep, suffix, trail: lead + sep.join(groups) + suffix + trail,
    st.sampled_from(["", " ", "\t", "\x1c", "\u2003", "\n", "-", "+"]),
    st.lists(st.from_regex(r"[0-9]{1,4}", fullmatch=True), min_size=1, max_size=6),
    st.sampled_from([".", " ", "\u00a0", "\u202f", ",", "", ". ", "٫"]),
    st.sampled_from(["", " đ", "đ", " đồng", " VND", " vnđ", "₫", " Đ", " dong", " $"]),
    st.sampled_from(["", " ", "\x1f", "\u3000", "\n"]),
)
_any_text = st.one_of(
    st.text(),
    st.text(alphabet=st.characters(codec="utf-8"), max_size=30),
    st.text(alphabet="0123456789. ,đồngvnd₫\u00a0\u202f\t-٣", max_size=25),
    _amountish,
)


@FAST
@given(_any_text)
@example("1.500.000 đ")
@example("1 500 000")
def test_parse_vnd_only_raises_amount_error_and_returns_a_valid_int(text: str) -> None:
    try:
        value = parse_vnd(text)
    except AmountError:
        return
    assert type(value) is int
    assert 0 <= value < MAX_INPUT


@FAST
@given(_any_text)
@example("1.500.000 đồng")
@example("\u00a01\u202f500 VND\n")
def test_parse_vnd_accepts_only_digits_separators_and_a_suffix(text: str) -> None:
    try:
        value = parse_vnd(text)
    except AmountError:
        return
    match = _ACCEPTABLE.fullmatch(text)
    assert match is not None, f"parse_vnd({text!r}) returned {value} for text it should refuse"
    digits = re.sub(r"[^0-9]", "", match["number"])
    assert value == int(digits)


def test_parse_vnd_refuses_a_very_long_digit_string_with_amount_error() -> None:
    """5.000 digits: the user must see "quá lớn", not a ValueError from int()
    (Python refuses int() of more than 4.300 digits)."""
    with pytest.raises(AmountError):
        parse_vnd("1" * 5000)


@pytest.mark.parametrize(
    "text",
    ["\x1c15", "15\x1f", "\x1d1.500\x1e", "1500\x85", "\x0b1500 đ", "1500\x0cđ"],
    ids=["FS-before", "US-after", "GS-RS-around", "NEL-after", "VT-before", "FF-before-suffix"],
)
def test_parse_vnd_refuses_control_characters_around_the_digits(text: str) -> None:
    """Strict parsing: control characters (U+000B, U+000C, U+001C..U+001F, U+0085)
    are not "space separators", though str.strip() and \\s treat them as whitespace."""
    with pytest.raises(AmountError):
        parse_vnd(text)


# ---------------------------------------------------------------------------
# amount_in_words, read back by a reader written here
# ---------------------------------------------------------------------------

PLAIN_DIGITS = {
    "không": 0,
    "một": 1,
    "hai": 2,
    "ba": 3,
    "bốn": 4,
    "năm": 5,
    "sáu": 6,
    "bảy": 7,
    "tám": 8,
    "chín": 9,
}
# The unit after "mươi" / "mười" / "linh": some spoken variants too.
UNIT_AFTER_TENS = {**{w: d for w, d in PLAIN_DIGITS.items() if d}, "mốt": 1, "tư": 4, "lăm": 5}
UNIT_AFTER_LINH = {**{w: d for w, d in PLAIN_DIGITS.items() if d}, "tư": 4}
SCALES = {"nghìn": 10**3, "ngàn": 10**3, "triệu": 10**6, "tỷ": 10**9}


class Unreadable(ValueError):
    pass


def _read_group(words: list[str], i: int, *, first: bool) -> tuple[int, int]:
    """One group of up to three digits starting at words[i]; (value, next index).

    A group after a scale word must be read in full ("không trăm linh năm").
    """
    start = i
    value = 0
    hundreds = False
    if i + 1 < len(words) and words[i + 1] == "trăm" and words[i] in PLAIN_DIGITS:
        value = PLAIN_DIGITS[words[i]] * 100
        hundreds = True
        i += 2
    elif not first:
        raise Unreadable(f"group without hundreds after a scale word at {words[start:]}")
    if i < len(words):
        word = words[i]
        if word in ("linh", "lẻ"):
            if not hundreds or i + 1 >= len(words) or words[i + 1] not in UNIT_AFTER_LINH:
                raise Unreadable(f"bad 'linh' at {words[start:]}")
            value += UNIT_AFTER_LINH[words[i + 1]]
            i += 2
        elif word == "mười":
            value += 10
            i += 1
            if i < len(words) and words[i] in UNIT_AFTER_TENS and words[i] != "mốt":
                value += UNIT_AFTER_TENS[words[i]]
                i += 1
        elif (
            word in PLAIN_DIGITS
            and PLAIN_DIGITS[word] >= 2
            and i + 1 < len(words)
            and words[i + 1] == "mươi"
        ):
            value += PLAIN_DIGITS[word] * 10
            i += 2
            if i < len(words) and words[i] in UNIT_AFTER_TENS:
                value += UNIT_AFTER_TENS[words[i]]
                i += 1
        elif word in PLAIN_DIGITS and PLAIN_DIGITS[word] >= 1 and not hundreds:
            value += PLAIN_DIGITS[word]
            i += 1
    if i == start or value == 0:
        raise Unreadable(f"no group at {words[start:]}")
    return value, i


def _read_number(words: list[str]) -> int:
    """Groups joined by scale words; a scale applies to every smaller-scale term
    before it ("năm triệu không trăm linh ba nghìn tỷ" = 5.003.000 × 10^9,
    "một tỷ tỷ" = 10^18)."""
    terms: list[tuple[int, int]] = []  # (value, scale)
    i = 0
    first = True
    while i < len(words):
        group = 0
        if words[i] not in SCALES:
            group, i = _read_group(words, i, first=first)
            first = False
        if i == len(words):
            terms.append((group, 1))
            break
        if words[i] not in SCALES:
            raise Unreadable(f"expected a scale word at {words[i:]}")
        scale = SCALES[words[i]]
        i += 1
        popped = 0
        top = 1
        while terms and terms[-1][1] <= scale:
            value, term_scale = terms.pop()
            popped += value
            top = max(top, term_scale)
        if group == 0 and popped == 0:
            raise Unreadable("a scale word with nothing to multiply")
        terms.append(((popped + group) * scale, scale * top))
    return sum(value for value, _ in terms)


def read_vietnamese_amount(text: str) -> int:
    """Turn "Một triệu không trăm linh năm nghìn đồng chẵn" back into 1005000."""
    if not text or text != text.strip() or "  " in text:
        raise Unreadable(f"bad spacing in {text!r}")
    words = text.split(" ")
    words[0] = words[0][:1].lower() + words[0][1:]
    negative = words[0] == "âm"
    if negative:
        words = words[1:]
    if words and words[-1] == "chẵn":
        words = words[:-1]
    if not words or words[-1] != "đồng":
        raise Unreadable(f"no 'đồng' in {text!r}")
    words = words[:-1]
    if words == ["không"]:
        value = 0
    elif not words:
        raise Unreadable(f"no number in {text!r}")
    else:
        value = _read_number(words)
    return -value if negative else value


def test_the_reader_itself_on_hand_worked_examples() -> None:
    cases = {
        "Không đồng": 0,
        "Năm đồng": 5,
        "Mười lăm đồng": 15,
        "Hai mươi mốt đồng": 21,
        "Hai mươi tư đồng": 24,
        "Một trăm linh năm đồng": 105,
        "Một trăm lẻ tư đồng": 104,
        "Một nghìn không trăm linh năm đồng": 1005,
        "Một triệu năm trăm nghìn đồng chẵn": 1_500_000,
        "Âm hai tỷ không trăm mười nghìn đồng": -2_000_010_000,
        "Năm triệu không trăm linh ba nghìn tỷ đồng": 5_003_000 * 10**9,
        "Một tỷ tỷ đồng": 10**18,
        "Một trăm triệu tỷ không trăm linh một đồng": 10**17 + 1,
    }
    for text, value in cases.items():
        assert read_vietnamese_amount(text) == value, text
    for bad in (
        "Năm triệu ba nghìn tỷ đồng",
        "Một nghìn năm đồng",
        "Hai mươi",
        "Mười mốt đồng",
        "Một trăm năm đồng",
        "đồng",
    ):
        with pytest.raises(Unreadable):
            read_vietnamese_amount(bad)


_amounts = st.one_of(
    st.integers(min_value=-WORDS_MAX, max_value=WORDS_MAX),
    st.integers(min_value=-2_000_000, max_value=2_000_000),
    st.builds(
        lambda d, e: d * 10**e,
        st.integers(min_value=-999, max_value=999),
        st.integers(min_value=0, max_value=15),
    ),
    st.builds(
        lambda groups: int("".join(f"{g:03d}" for g in groups)),
        st.lists(
            st.sampled_from([0, 1, 4, 5, 10, 11, 14, 15, 21, 24, 25, 100, 105, 999]),
            min_size=1,
            max_size=6,
        ),
    ),
    st.sampled_from([0, 1, WORDS_MAX, -WORDS_MAX, 10**9, 10**12, 10**15, 10**18 - 1]),
)


@settings(max_examples=600, deadline=None, database=None)
@given(
    n=_amounts,
    dialect=st.sampled_from(["bac", "nam"]),
    four=st.sampled_from(["tư", "bốn"]),
    chan=st.booleans(),
)
@example(n=10**18, dialect="bac", four="tư", chan=True)
@example(n=-1_000_005_000, dialect="nam", four="bốn", chan=True)
def test_amount_in_words_reads_back(n: int, dialect: str, four: str, chan: bool) -> None:
    text = amount_in_words(n, dialect=dialect, four=four, chan=chan)
    assert unicodedata.is_normalized("NFC", text)
    assert read_vietnamese_amount(text) == n, text
    assert text[0].isupper() and text[0] == text[0].upper(), text
    assert text[1:] == text[1:].lower(), text
    if chan and n % 1000 == 0 and n != 0:
        assert text.endswith(" đồng chẵn"), text
    else:
        assert text.endswith("đồng") and not text.endswith("chẵn đồng"), text
    words = text.lower().split()
    if dialect == "bac":
        assert "lẻ" not in words and "ngàn" not in words, text
    else:
        assert "linh" not in words and "nghìn" not in words, text
    other_four = "bốn" if four == "tư" else "tư"
    for before, word in itertools.pairwise(words):
        if before == "mươi" and word in ("tư", "bốn"):
            assert word == four, text
    if four == "bốn":
        assert other_four not in words, text


# ---------------------------------------------------------------------------
# Reward norms
# ---------------------------------------------------------------------------

_NORMS = load_norms()
FORMS = sorted(f.code for f in _NORMS.reward_forms)


def _expected_base(on: date) -> int:
    best = None
    for entry in _NORMS.base_salaries:
        if entry.effective_from <= on and (
            best is None or entry.effective_from > best.effective_from
        ):
            best = entry
    assert best is not None
    return best.amount


def _expected_coefficient(code: str, on: date) -> Decimal:
    best = None
    for rate in _NORMS.reward_rates:
        if rate.form != code or rate.valid_from > on:
            continue
        if rate.valid_to is not None and on > rate.valid_to:
            continue
        if best is None or rate.valid_from > best.valid_from:
            best = rate
    assert best is not None, (code, on)
    return best.coefficient


@settings(max_examples=300, deadline=None, database=None)
@given(
    on=st.dates(min_value=date(2024, 1, 1), max_value=date(2027, 12, 31)),
    code=st.sampled_from(FORMS),
)
@example(on=date(2024, 6, 30), code="giay_khen_ca_nhan")
@example(on=date(2024, 7, 1), code="giay_khen_ca_nhan")
@example(on=date(2025, 6, 30), code="giay_khen_tap_the")
@example(on=date(2025, 7, 1), code="giay_khen_tap_the")
@example(on=date(2026, 7, 1), code="tap_the_lao_dong_xuat_sac")
def test_reward_amount_rounds_the_coefficient_times_the_base_salary(on: date, code: str) -> None:
    base = _expected_base(on)
    coefficient = _expected_coefficient(code, on)
    exact = coefficient * base

    up = _NORMS.reward_amount(code, on, rounding="up")
    assert up.base_salary == base
    assert up.coefficient == coefficient
    assert up.unrounded == exact
    assert isinstance(up.amount, int)
    assert up.amount % STEP == 0
    assert exact <= up.amount < exact + STEP

    nearest = _NORMS.reward_amount(code, on, rounding="nearest")
    assert nearest.base_salary == base
    assert nearest.amount % STEP == 0
    assert abs(nearest.amount - exact) <= STEP // 2

    default = _NORMS.reward_amount(code, on)
    assert default.amount == (up.amount if _NORMS.rounding.mode == "up" else nearest.amount)


# ---------------------------------------------------------------------------
# Reconcile arithmetic
# ---------------------------------------------------------------------------

TEMPLATE = "chinh-quyen-than-thien"
YEAR = 2024
ENTRY_DAY = date(2024, 6, 3)
_counter = itertools.count(1)


@pytest.fixture(scope="module")
def recon_db(tmp_path_factory: pytest.TempPathFactory):  # type: ignore[no-untyped-def]
    from budget.db import open_database
    from budget.services import organisation

    db = open_database(f"sqlite:///{tmp_path_factory.mktemp('recon') / 'budget.db'}")
    with db.session() as s, s.begin():
        organisation.create_organisation(
            s, code="phu-ly", actor=ACTOR, commune_name="Phú Lý", chairman_name="Nguyễn Hữu Bình"
        )
    yield db
    db.dispose()


_vouchers = st.lists(
    st.tuples(
        st.integers(min_value=0, max_value=10_000),  # line index (mod the number of lines)
        st.sampled_from(["payment", "advance"]),
        st.integers(min_value=1, max_value=5_000_000),
        st.booleans(),  # reversed?
        st.none() | st.floats(min_value=0, max_value=1),  # settle an advance for this share
    ),
    max_size=20,
)

FIELDS = ("original", "approved", "committed", "spent", "remaining", "difference")


def _fig(f, name: str) -> int:  # type: ignore[no-untyped-def]
    return int(getattr(f, name))


@SLOW
@given(vouchers=_vouchers)
def test_reconcile_sums_agree_and_match_the_vouchers(recon_db, vouchers) -> None:  # type: ignore[no-untyped-def]
    from budget.models import EstimateLine, EstimatePart
    from budget.reports.reconcile import reconcile
    from budget.services import approval, campaigns
    from budget.services import vouchers as voucher_service
    from budget.services.versions import current_approved

    norms = _NORMS
    k = next(_counter)
    with recon_db.session() as s, s.begin():
        cid = campaigns.create_campaign(
            s,
            norms,
            year=YEAR,
            actor=ACTOR,
            template_key=TEMPLATE,
            number=f"{k}/KH-UBND",
            plan_date=date(YEAR, 5, 20),
        ).id
        approval.submit(s, cid, actor=ACTOR)
        approval.approve(
            s, cid, decision_number=f"{k}/QĐ-UBND", decision_date=date(YEAR, 5, 27), actor=ACTOR
        )
        version = current_approved(s, cid)
        lines = [
            (line.code, part.code, line.mlnsnn, line.amount)
            for line, part in s.execute(
                select(EstimateLine, EstimatePart)
                .join(EstimatePart, EstimatePart.id == EstimateLine.part_id)
                .where(EstimateLine.version_id == version.id)
                .order_by(EstimatePart.position, EstimateLine.position)
            )
        ]
        assume(lines)
        spent = {code: 0 for code, *_ in lines}
        committed = {code: 0 for code, *_ in lines}
        for index, kind, amount, reverse, settle_share in vouchers:
            code = lines[index % len(lines)][0]
            vtype = "tam_ung" if kind == "advance" else "phieu_chi"
            posted = voucher_service.post_voucher(
                s,
                cid,
                line_code=code,
                amount=amount,
                entry_date=ENTRY_DAY,
                payee="Nguyễn Văn Bình",
                content=f"Chi dòng {code}",
                actor=ACTOR,
                vtype=vtype,
                override_reason="Kiểm thử: cho phép chi vượt",
            )
            if reverse:
                voucher_service.reverse_voucher(
                    s,
                    cid,
                    posted.number,
                    reason="Kiểm thử hủy",
                    actor=ACTOR,
                    vtype=vtype,
                    entry_date=ENTRY_DAY,
                )
            elif kind == "advance" and settle_share is not None:
                used = int(amount * settle_share)
                voucher_service.settle_advance(
                    s, cid, posted.number, amount=used, entry_date=ENTRY_DAY, actor=ACTOR
                )
                spent[code] += used
            elif kind == "advance":
                committed[code] += amount
            else:
                spent[code] += amount
        rec = reconcile(s, cid, norms=norms)

    # Lines: exactly the estimate's, in order, each with its own figures.
    assert [row.code for row in rec.lines] == [code for code, *_ in lines]
    by_code = {code: (part, mlnsnn, amount) for code, part, mlnsnn, amount in lines}
    for row in rec.lines:
        part, mlnsnn, amount = by_code[row.code]
        f = row.figures
        assert (row.part, row.mlnsnn) == (part, mlnsnn)
        assert f.original == amount and f.approved == amount
        assert f.spent == spent[row.code], row.code
        assert f.committed == committed[row.code], row.code
        assert f.remaining == f.approved - f.spent - f.committed
        assert f.difference == 0

    # Every amount field: lines == parts == codes == total.
    for name in FIELDS:
        over_lines = sum(_fig(r.figures, name) for r in rec.lines)
        over_parts = sum(_fig(g.figures, name) for g in rec.parts)
        over_codes = sum(_fig(g.figures, name) for g in rec.codes)
        assert over_lines == over_parts == over_codes == _fig(rec.total, name), name

    # Each group is the sum of its own lines.
    for group in rec.parts:
        mine = [r for r in rec.lines if r.part == group.code]
        for name in FIELDS:
            assert _fig(group.figures, name) == sum(_fig(r.figures, name) for r in mine)
    for group in rec.codes:
        mine = [r for r in rec.lines if r.mlnsnn == group.code]
        for name in FIELDS:
            assert _fig(group.figures, name) == sum(_fig(r.figures, name) for r in mine)

    assert rec.total.spent == sum(spent.values())
    assert rec.total.committed == sum(committed.values())
    assert rec.total.approved == sum(amount for *_, amount in lines)
