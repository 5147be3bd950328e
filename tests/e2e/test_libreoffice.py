"""The exported workbooks as LibreOffice computes and prints them.

openpyxl writes formulas without cached values, so the figures in an export
only exist once a spreadsheet program has calculated them. Here LibreOffice
recalculates the demo commune's four workbooks (one headless run), openpyxl
reads the values LibreOffice cached, and they are compared with what the CLI
reports in JSON and with figures worked out by hand. The estimate is also
printed to PDF and rasterised, as the accountant would print it for signing.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import struct
import subprocess
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import run_cli

pytestmark = [
    pytest.mark.skipif(
        shutil.which("soffice") is None,
        reason="LibreOffice (soffice) is not installed; CI installs it (see .ci/run)",
    ),
    # Under pytest-xdist (--dist loadgroup) these run one after another on one worker.
    pytest.mark.xdist_group("libreoffice"),
]

SOFFICE_TIMEOUT = 120
DECISION = "120/QĐ-UBND"
WORKBOOKS = {
    "estimate": ("export", "estimate"),
    "settlement": ("export", "settlement"),
    "payout": ("export", "payout", "--decision", DECISION),
    "summary": ("export", "summary"),
}

#: Worked out by hand from the demo (budget/demo.py and the plan template).
DEMO_TOTAL = 71_817_500
DEMO_TOTAL_IN_WORDS = "Bảy mươi mốt triệu tám trăm mười bảy nghìn năm trăm đồng"
#: Decision 120/QĐ-UBND: 8 individuals at 0,15 × 2.340.000 = 351.000 -> 360.000 (rounded
#: up to tens of thousands) and 2 collectives at 0,3 × 2.340.000 = 702.000 -> 710.000.
PAYOUT_AMOUNTS = [360_000] * 8 + [710_000] * 2
PAYOUT_TOTAL = 4_300_000
PAYOUT_TOTAL_IN_WORDS = "Bốn triệu ba trăm nghìn đồng"


@dataclass
class Exports:
    db: Path
    originals: dict[str, Path]  # as budget wrote them (formulas, no cached values)
    recalculated: dict[str, Path]  # after LibreOffice's recalculation
    plan: dict[str, Any]
    reconcile: dict[str, Any]
    profile: Path
    work: Path


def soffice(profile: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """Run LibreOffice headless on a private profile; kill its whole group on timeout."""
    cmd = [
        "soffice",
        f"-env:UserInstallation={profile.as_uri()}",
        "--headless",
        "--norestore",
        *args,
    ]
    proc = subprocess.Popen(
        cmd,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
    )
    try:
        out, err = proc.communicate(timeout=SOFFICE_TIMEOUT)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        out, err = proc.communicate()
        pytest.fail(f"soffice timed out after {SOFFICE_TIMEOUT} s: {cmd}\n{out}\n{err}")
    result = subprocess.CompletedProcess(cmd, proc.returncode, out, err)
    assert result.returncode == 0, f"soffice failed: {cmd}\n{out}\n{err}"
    return result


def cli_json(db: Path, *args: str) -> dict[str, Any]:
    result = run_cli("--db", str(db), *args, "--format", "json")
    assert result.code == 0, result.err
    return json.loads(result.out)


@pytest.fixture(scope="module")
def exports(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Exports]:
    """The demo database, its four workbooks, and LibreOffice's recalculated copies.

    Module-scoped (one demo, one LibreOffice run for all the checks), so the
    per-test isolation of conftest's ``_isolated_user`` is repeated here."""
    work = tmp_path_factory.mktemp("libreoffice")
    home = work / "home"
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("HOME", str(home))
        mp.setenv("XDG_DATA_HOME", str(home / "data"))
        mp.setenv("XDG_CONFIG_HOME", str(home / "config"))
        for name in ("BUDGET_DATABASE_URL", "BUDGET_NORMS", "BUDGET_NOW"):
            mp.delenv(name, raising=False)
        mp.setenv("BUDGET_USER", "kiemthu")

        db = work / "budget.db"
        demo = run_cli("--db", str(db), "demo")
        assert demo.code == 0, demo.err

        exported = work / "exported"
        exported.mkdir()
        originals: dict[str, Path] = {}
        for name, args in WORKBOOKS.items():
            out = exported / f"{name}.xlsx"
            result = run_cli("--db", str(db), *args, "--out", str(out))
            assert result.code == 0, f"{args}: {result.err}"
            assert out.is_file(), f"{args} wrote nothing"
            originals[name] = out

        profile = work / "lo-profile"
        recalc_dir = work / "recalculated"
        soffice(
            profile,
            "--calc",
            "--convert-to",
            "xlsx",
            "--outdir",
            str(recalc_dir),
            *(str(p) for p in originals.values()),
        )
        recalculated = {name: recalc_dir / f"{name}.xlsx" for name in originals}
        missing = [str(p) for p in recalculated.values() if not p.is_file()]
        assert not missing, f"LibreOffice did not write {missing}"

        yield Exports(
            db=db,
            originals=originals,
            recalculated=recalculated,
            plan=cli_json(db, "plan", "show"),
            reconcile=cli_json(db, "report", "reconcile"),
            profile=profile,
            work=work,
        )


# --- reading the recalculated sheets ---------------------------------------------------


def load(path: Path):  # type: ignore[no-untyped-def]
    from openpyxl import load_workbook

    return load_workbook(path, data_only=True)


def header_columns(ws, first: str) -> tuple[int, dict[str, int]]:  # type: ignore[no-untyped-def]
    """The table's header row (the row whose column A reads ``first``) and
    each header's column number."""
    for row in ws.iter_rows():
        if row[0].value == first:
            return row[0].row, {c.value: c.column for c in row if c.value is not None}
    raise AssertionError(f"{ws.title}: no header row starting with {first!r}")


def rows_where(ws, column: int, value: str) -> list[int]:  # type: ignore[no-untyped-def]
    return [
        row[0].row
        for row in ws.iter_rows()
        if len(row) >= column and row[column - 1].value == value
    ]


def one_row(ws, column: int, value: str) -> int:  # type: ignore[no-untyped-def]
    found = rows_where(ws, column, value)
    assert len(found) == 1, f"{ws.title}: {value!r} in column {column} on rows {found}"
    return found[0]


def values(ws, row: int, columns: list[int]) -> list[Any]:  # type: ignore[no-untyped-def]
    return [ws.cell(row=row, column=c).value for c in columns]


def text_starting(ws, prefix: str) -> str:  # type: ignore[no-untyped-def]
    found = [
        c.value
        for row in ws.iter_rows()
        for c in row
        if isinstance(c.value, str) and c.value.startswith(prefix)
    ]
    assert len(found) == 1, f"{ws.title}: cells starting {prefix!r}: {found}"
    return found[0]


FIGURES = ["original", "approved", "spent", "committed", "remaining"]


def figures(entry: dict[str, Any]) -> list[int]:
    """original, approved, spent, committed, remaining, variance (approved − spent)."""
    return [entry[k] for k in FIGURES] + [entry["approved"] - entry["spent"]]


# --- the tests -------------------------------------------------------------------------


def test_exports_carry_formulas_and_their_values(exports: Exports):
    """A reader that does not recalculate (a phone, a mail preview) still sees
    the amounts: every formula is saved with its value, and the formula stays
    live for Excel. The other tests check LibreOffice's own arithmetic."""
    ws = load(exports.originals["estimate"])["Dự toán"]
    _, cols = header_columns(ws, "STT")
    total_row = one_row(ws, cols["Nội dung"], "Tổng cộng")
    assert ws.cell(row=total_row, column=cols["Thành tiền"]).value == DEMO_TOTAL

    from openpyxl import load_workbook

    raw = load_workbook(exports.originals["estimate"])["Dự toán"]
    formula = raw.cell(row=total_row, column=cols["Thành tiền"]).value
    assert isinstance(formula, str) and formula.startswith("=SUBTOTAL(9,")


def test_estimate_totals_as_libreoffice_computes_them(exports: Exports):
    plan = exports.plan
    assert plan["total"] == DEMO_TOTAL  # 71.817.500, as the demo prints it
    ws = load(exports.recalculated["estimate"])["Dự toán"]
    _, cols = header_columns(ws, "STT")
    money = cols["Thành tiền"]

    total_row = one_row(ws, cols["Nội dung"], "Tổng cộng")
    assert ws.cell(row=total_row, column=money).value == plan["total"]

    part_rows = []
    for part in plan["parts"]:
        row = one_row(ws, cols["Nội dung"], part["title"])
        assert ws.cell(row=row, column=cols["STT"]).value == part["code"]
        assert ws.cell(row=row, column=money).value == part["total"], part["code"]
        part_rows.append(row)
    assert sum(ws.cell(row=r, column=money).value for r in part_rows) == plan["total"]

    # Every line's ROUND(quantity × price [× days]) between its part row and the next.
    line_rows = [
        r
        for r in range(part_rows[0] + 1, total_row)
        if r not in part_rows and ws.cell(row=r, column=cols["Nội dung"]).value
    ]
    assert len(line_rows) == len(plan["lines"])
    for row, line in zip(line_rows, plan["lines"], strict=True):
        assert ws.cell(row=row, column=cols["Nội dung"]).value == line["content"]
        assert ws.cell(row=row, column=money).value == line["amount"], line["code"]

    words = text_starting(ws, "Bằng chữ:")
    assert words == f"Bằng chữ: {DEMO_TOTAL_IN_WORDS}"


def test_settlement_as_libreoffice_computes_it(exports: Exports):
    rec = exports.reconcile
    total = rec["total"]
    wb = load(exports.recalculated["settlement"])

    ws = wb["Quyết toán"]
    _, cols = header_columns(ws, "STT")
    fig_cols = [
        cols[h]
        for h in (
            "Dự toán ban đầu",
            "Dự toán điều chỉnh",
            "Thực hiện (đã chi)",
            "Tạm ứng chưa thanh toán",
            "Còn lại",
            "Chênh lệch (dự toán - thực hiện)",
        )
    ]
    total_row = one_row(ws, cols["Nội dung"], "Tổng cộng")
    assert values(ws, total_row, fig_cols) == figures(total)
    for part in rec["parts"]:
        row = one_row(ws, cols["Nội dung"], part["title"])
        assert ws.cell(row=row, column=cols["STT"]).value == part["code"]
        assert values(ws, row, fig_cols) == figures(part), part["code"]

    ws = wb["Theo tiểu mục"]
    _, cols = header_columns(ws, "Tiểu mục")
    fig_cols = [
        cols[h]
        for h in (
            "Dự toán ban đầu",
            "Dự toán điều chỉnh",
            "Thực hiện (đã chi)",
            "Tạm ứng chưa thanh toán",
            "Còn lại",
            "Chênh lệch (dự toán - thực hiện)",
        )
    ]
    assert rec["codes"], "the demo spends under several budget codes"
    for code in rec["codes"]:
        row = one_row(ws, cols["Tiểu mục"], code["code"])
        assert ws.cell(row=row, column=cols["Tên"]).value == code["name"]
        assert values(ws, row, fig_cols) == figures(code), code["code"]
    total_row = one_row(ws, cols["Tên"], "Tổng cộng")
    assert values(ws, total_row, fig_cols) == figures(total)

    ws = wb["Sổ chứng từ"]
    _, cols = header_columns(ws, "STT")
    total_row = one_row(ws, cols["Nội dung"], "Tổng cộng")
    assert ws.cell(row=total_row, column=cols["Đã chi"]).value == total["spent"]
    # Advances paid out minus advances settled: what is still open.
    assert ws.cell(row=total_row, column=cols["Tạm ứng"]).value == total["committed"]


def test_payout_as_libreoffice_computes_it(exports: Exports):
    ws = load(exports.recalculated["payout"])["Danh sách nhận thưởng"]
    header, cols = header_columns(ws, "STT")
    amount = cols["Số tiền (đồng)"]
    total_row = one_row(ws, cols["Họ và tên / Tập thể"], "Tổng cộng")
    listed = [ws.cell(row=r, column=amount).value for r in range(header + 1, total_row)]
    assert sorted(listed) == PAYOUT_AMOUNTS
    assert sum(PAYOUT_AMOUNTS) == PAYOUT_TOTAL
    assert ws.cell(row=total_row, column=amount).value == PAYOUT_TOTAL
    assert text_starting(ws, "Bằng chữ:") == f"Bằng chữ: {PAYOUT_TOTAL_IN_WORDS}"


def test_payout_names_each_award_form_once(exports: Exports):
    """The reward form's name already says whom it is for ("Giấy khen của Chủ
    tịch UBND xã (cá nhân)"); the list must not say it a second time."""
    ws = load(exports.recalculated["payout"])["Danh sách nhận thưởng"]
    header, cols = header_columns(ws, "STT")
    form = cols["Hình thức khen thưởng"]
    total_row = one_row(ws, cols["Họ và tên / Tập thể"], "Tổng cộng")
    texts = [ws.cell(row=r, column=form).value for r in range(header + 1, total_row)]
    assert len(texts) == len(PAYOUT_AMOUNTS)
    doubled = [
        (r, t)
        for r, t in zip(range(header + 1, total_row), texts, strict=True)
        if any(t.count(f"({kind})") > 1 for kind in ("cá nhân", "tập thể", "hộ gia đình"))
    ]
    assert not doubled, f"kind repeated in the award form (row, text): {doubled}"


def test_summary_parts_as_libreoffice_computes_them(exports: Exports):
    rec = exports.reconcile
    ws = load(exports.recalculated["summary"])["Tổng hợp"]
    _, cols = header_columns(ws, "Phần")
    money = [cols[h] for h in ("Dự toán", "Đã chi", "Tạm ứng", "Còn lại")]
    for part in rec["parts"]:
        row = one_row(ws, cols["Nội dung"], part["title"])
        assert ws.cell(row=row, column=cols["Phần"]).value == part["code"]
        assert values(ws, row, money) == [
            part["approved"],
            part["spent"],
            part["committed"],
            part["remaining"],
        ], part["code"]
        assert ws.cell(row=row, column=cols["Tỷ lệ sử dụng"]).value == pytest.approx(
            part["percent"]
        ), part["code"]
    total = rec["total"]
    total_row = one_row(ws, cols["Nội dung"], "Tổng cộng")
    assert values(ws, total_row, money) == [
        total["approved"],
        total["spent"],
        total["committed"],
        total["remaining"],
    ]


def png_size(data: bytes) -> tuple[int, int]:
    assert data[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG signature"
    assert data[12:16] == b"IHDR", "PNG without an IHDR chunk first"
    width, height = struct.unpack(">II", data[16:24])
    return width, height


def test_estimate_prints_to_pdf_and_png(exports: Exports):
    pdf_dir = exports.work / "pdf"
    soffice(
        exports.profile,
        "--calc",
        "--convert-to",
        "pdf",
        "--outdir",
        str(pdf_dir),
        str(exports.originals["estimate"]),
    )
    pdf = pdf_dir / "estimate.pdf"
    assert pdf.is_file(), "LibreOffice wrote no PDF"
    assert pdf.read_bytes()[:5] == b"%PDF-"

    subprocess.run(
        ["pdftoppm", "-png", "-r", "60", str(pdf), str(pdf_dir / "page")],
        check=True,
        timeout=60,
        capture_output=True,
    )
    pages = sorted(pdf_dir.glob("page*.png"))
    assert pages, "pdftoppm rendered no page"
    for page in pages:
        data = page.read_bytes()
        width, height = png_size(data)
        # A4 landscape at 60 dpi (the estimate's nine columns at a readable size):
        # about 702 × 496 pixels.
        assert 600 < width < 800 and 400 < height < 600, (page.name, width, height)
    assert len(pages[0].read_bytes()) > 20_000, "the first page looks blank"

    text = subprocess.run(
        ["pdftotext", "-enc", "UTF-8", str(pdf), "-"],
        check=True,
        timeout=60,
        capture_output=True,
    ).stdout.decode("utf-8")
    text = unicodedata.normalize("NFC", text)
    for expected in ("DỰ TOÁN KINH PHÍ", "Tổng cộng", "71.817.500", "Nguyễn Hữu Bình"):
        assert expected in text, f"{expected!r} not in the printed estimate"
