"""The lists and settlements as LibreOffice edits, recalculates and prints them.

A user's edits are made in LibreOffice itself (tests/e2e/lo_edit.py, run by
the Python that ships LibreOffice's ``uno`` module): a quantity typed over,
a row inserted inside a table; LibreOffice recalculates and saves, and the
totals and words are compared with figures worked out here. Each document is
also printed to PDF: its page count, and no page holding the signatures
without any row of the table.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import run_cli
from tests.e2e.test_libreoffice import soffice

EDITOR = Path(__file__).with_name("lo_edit.py")
WARNING = (
    "Tổng cộng đã thay đổi so với khi xuất — hãy nhập lại tệp vào phần mềm "
    "để có số tiền bằng chữ đúng."
)


def _uno_python() -> str | None:
    for candidate in ("/usr/bin/python3", shutil.which("python3")):
        if candidate and Path(candidate).exists():
            probe = subprocess.run(
                [candidate, "-c", "import uno"], capture_output=True, timeout=30, check=False
            )
            if probe.returncode == 0:
                return candidate
    return None


UNO_PYTHON = _uno_python() if shutil.which("soffice") else None

pytestmark = [
    pytest.mark.skipif(
        shutil.which("soffice") is None or UNO_PYTHON is None,
        reason="LibreOffice (soffice) with its Python bridge (uno) is not installed",
    ),
    pytest.mark.xdist_group("libreoffice"),
]

DOCUMENTS = {
    "meals": ("meals", "--part", "phat_dong"),
    "conference": ("part-settlement", "--part", "I"),
    "vouchers": ("vouchers",),
    "settlement": ("settlement",),
    "payout": ("payout", "--decision", "120/QĐ-UBND"),
}
#: Pages as printed (A4; each count seen on the rendered pages, docs/forms/).
PAGES = {"meals": 3, "conference": 2, "vouchers": 4, "settlement": 7, "payout": 2}


@dataclass
class Exported:
    work: Path
    files: dict[str, Path]
    pdfs: dict[str, Path]


@pytest.fixture(scope="module")
def exported(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Exported]:
    work = tmp_path_factory.mktemp("settle-lo")
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("HOME", str(work / "home"))
        for name in ("BUDGET_DATABASE_URL", "BUDGET_NORMS", "BUDGET_NOW"):
            mp.delenv(name, raising=False)
        mp.setenv("BUDGET_USER", "kiemthu")
        db = work / "budget.db"
        assert run_cli("--db", str(db), "demo").code == 0
        files: dict[str, Path] = {}
        for name, args in DOCUMENTS.items():
            out = work / f"{name}.xlsx"
            result = run_cli("--db", str(db), "export", *args, "--out", str(out))
            assert result.code == 0, result.err
            files[name] = out
        pdf_dir = work / "pdf"
        soffice(
            work / "profile",
            "--calc",
            "--convert-to",
            "pdf",
            "--outdir",
            str(pdf_dir),
            *(str(p) for p in files.values()),
        )
        yield Exported(work, files, {n: pdf_dir / f"{n}.pdf" for n in files})


def edited(exp: Exported, name: str, edits: list[dict[str, Any]]) -> Any:
    """The first sheet of ``name`` after LibreOffice applied ``edits`` and recalculated."""
    from openpyxl import load_workbook

    tag = f"{name}-{len(list(exp.work.glob(f'{name}-*.xlsx')))}"
    spec = exp.work / f"{tag}.json"
    spec.write_text(json.dumps(edits), encoding="utf-8")
    target = exp.work / f"{tag}.xlsx"
    assert UNO_PYTHON is not None
    subprocess.run(
        [
            UNO_PYTHON,
            str(EDITOR),
            str(exp.files[name]),
            str(target),
            str(spec),
            str(exp.work / "uno"),
        ],
        check=True,
        timeout=180,
        capture_output=True,
    )
    return load_workbook(target, data_only=True).worksheets[0]


def header_row(ws: Any) -> int:
    return next(c.row for c in ws["A"] if c.value == "STT")


def row_with(ws: Any, column: str, value: str) -> int:
    rows = [c.row for c in ws[column] if c.value == value]
    assert len(rows) == 1, (value, rows)
    return rows[0]


def words(ws: Any, prefix: str) -> str:
    found = [
        c.value
        for row in ws.iter_rows()
        for c in row
        if isinstance(c.value, str) and (c.value.startswith(prefix) or c.value == WARNING)
    ]
    assert len(found) == 1, found
    return str(found[0])


# --- edits ------------------------------------------------------------------------------


def test_meal_list_as_exported_recalculates_to_its_words(exported: Exported) -> None:
    ws = edited(exported, "meals", [])
    total = row_with(ws, "B", "Tổng cộng")
    assert ws[f"F{total}"].value == 4_300_000  # 43 × 100.000
    assert words(ws, "Bằng chữ:") == "Bằng chữ: Bốn triệu ba trăm nghìn đồng"


def test_meal_list_after_edits_counts_every_row(exported: Exported) -> None:
    """Delegate 2 came for half a day (0,5 × 100.000 = 50.000); delegate 4's row is
    used for a 1,15 × 1.350 case (1.552,5 rounds half up to 1.553, exactly); a
    delegate is added inside the list at 1 × 100.000.
    Total: 4.300.000 − 50.000 − 100.000 + 1.553 + 100.000 = 4.251.553."""
    first = 12  # the header is row 11 (heading 1-10)
    ws0 = edited(exported, "meals", [])
    assert header_row(ws0) == first - 1
    ws = edited(
        exported,
        "meals",
        [
            {"op": "set", "cell": f"D{first + 1}", "value": 0.5},
            {"op": "set", "cell": f"D{first + 3}", "value": 1.15},
            {"op": "set", "cell": f"E{first + 3}", "value": 1350},
            {"op": "insert", "row": first + 2},
            {"op": "set", "cell": f"D{first + 2}", "value": 1},
            {"op": "set", "cell": f"E{first + 2}", "value": 100000},
            {"op": "formula", "cell": f"F{first + 2}", "value": f"=D{first + 2}*E{first + 2}"},
        ],
    )
    assert ws[f"F{first + 1}"].value == 50_000
    assert ws[f"F{first + 4}"].value == 1_553  # the old row 15, moved down by the insert
    total = row_with(ws, "B", "Tổng cộng")
    assert ws[f"F{total}"].value == 4_251_553
    assert ws[f"D{total}"].value == pytest.approx(43 - 0.5 + 0.15 + 1)
    assert words(ws, "Bằng chữ:") == WARNING


def test_conference_settlement_after_edits_counts_every_row(exported: Exported) -> None:
    """Line I.1 paid 1.600.000 instead of 1.650.000, and a line (estimate 1.000.000,
    spent 400.000) inserted inside the table: estimate 11.920.000 + 1.000.000 =
    12.920.000; spent 11.600.000 − 50.000 + 400.000 = 11.950.000; the variance
    column (formulas only on the exported lines): 320.000 + 50.000 = 370.000."""
    ws0 = edited(exported, "conference", [])
    total0 = row_with(ws0, "B", "Tổng cộng")
    assert [ws0.cell(total0, c).value for c in (4, 5, 6, 7)] == [11_920_000, 11_600_000, 0, 320_000]
    assert words(ws0, "Tổng số đã chi bằng chữ:") == (
        "Tổng số đã chi bằng chữ: Mười một triệu sáu trăm nghìn đồng"
    )
    first = header_row(ws0) + 1
    ws = edited(
        exported,
        "conference",
        [
            {"op": "set", "cell": f"E{first}", "value": 1_600_000},
            {"op": "insert", "row": first + 2},
            {"op": "set", "cell": f"D{first + 2}", "value": 1_000_000},
            {"op": "set", "cell": f"E{first + 2}", "value": 400_000},
        ],
    )
    total = row_with(ws, "B", "Tổng cộng")
    assert total == total0 + 1
    assert [ws.cell(total, c).value for c in (4, 5, 6, 7)] == [
        12_920_000,
        11_950_000,
        0,
        370_000,
    ]
    assert words(ws, "Tổng số đã chi bằng chữ:") == WARNING
    # The vouchers' own total is theirs: 1.650.000 + 1.350.000 + 1.020.000 + 3.280.000
    # + 4.300.000.
    assert ws.cell(row_with(ws, "B", "Cộng"), 6).value == 11_600_000


# --- printing ---------------------------------------------------------------------------

AMOUNT = re.compile(r"\b\d{1,3}(?:\.\d{3})+\b")


def page_texts(pdf: Path) -> list[str]:
    count = int(
        re.search(
            r"Pages:\s+(\d+)",
            subprocess.run(
                ["pdfinfo", str(pdf)], check=True, capture_output=True, text=True, timeout=60
            ).stdout,
        ).group(1)  # type: ignore[union-attr]
    )
    pages = []
    for number in range(1, count + 1):
        out = subprocess.run(
            ["pdftotext", "-f", str(number), "-l", str(number), "-enc", "UTF-8", str(pdf), "-"],
            check=True,
            capture_output=True,
            timeout=60,
        ).stdout.decode("utf-8")
        pages.append(unicodedata.normalize("NFC", out))
    return pages


@pytest.mark.parametrize("name", list(DOCUMENTS))
def test_pages_and_signatures_with_their_table(exported: Exported, name: str) -> None:
    pages = page_texts(exported.pdfs[name])
    assert len(pages) == PAGES[name]
    signing = [i for i, text in enumerate(pages) if "NGƯỜI LẬP BIỂU" in text]
    assert signing, "no signature block printed"
    for index in signing:
        text = pages[index]
        # The table's last rows and its total print on the signatures' page: at least
        # a row's amount and the total's.
        assert "Tổng cộng" in text or "Cộng" in text, (name, index + 1)
        assert len(AMOUNT.findall(text.split("NGƯỜI LẬP BIỂU")[0])) >= 2, (name, index + 1)
