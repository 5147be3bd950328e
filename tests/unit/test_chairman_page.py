"""The chairman's page, everywhere alike: the core view, `budget report summary
--format json`, the Excel sheet as a non-calculating reader sees it
(``data_only=True``) and its PDF show the same hand-worked figures and alerts
(tests/chairman_scenario.py), as of the moment budget.clock gives."""

from __future__ import annotations

import json
import shutil
import subprocess
import time
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook
from sqlalchemy import create_engine, text

from tests import chairman_scenario as sc
from tests.conftest import run_cli
from tests.prepared import ScenarioStore


def _snapshot(url: str) -> Any:
    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            return conn.execute(
                text("SELECT COUNT(*), COALESCE(SUM(amount), 0) FROM vouchers")
            ).one()
    finally:
        engine.dispose()


@pytest.fixture(scope="session")
def scenarios(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ScenarioStore]:
    store = ScenarioStore(tmp_path_factory.mktemp("chairman"), lambda url: tuple(_snapshot(url)))
    yield store
    store.close()


@pytest.fixture
def utc(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.setenv("BUDGET_NOW", sc.NOW)
    monkeypatch.setenv("TZ", "UTC")
    time.tzset()
    yield
    monkeypatch.undo()
    time.tzset()


@pytest.fixture
def chair_url(scenarios: ScenarioStore, db_url: str, utc: None) -> str:
    url, _ = scenarios.checkout(db_url, sc.STEPS, writes=False)
    return url


def _cli(url: str, *args: str) -> str:
    result = run_cli("--db", url, *args)
    assert result.code == 0, result.err
    return result.out


def _figures(d: dict[str, Any]) -> tuple[Any, ...]:
    percent = None if d["percent"] is None else Decimal(str(d["percent"]))
    return (d["approved"], d["spent"], d["committed"], d["remaining"], percent)


# -- the JSON ------------------------------------------------------------------------
def test_json_has_the_hand_worked_figures_and_alerts(chair_url: str) -> None:
    data = json.loads(_cli(chair_url, "report", "summary", "--format", "json"))
    assert data["as_of"] == "2024-12-20T08:00:00+00:00"
    assert data["as_of_text"] == sc.AS_OF_LINE
    assert data["commune"] == "XÃ PHÚ LÝ"
    assert (data["version"], data["decision_number"]) == (1, "52/QĐ-UBND")
    assert _figures(data["total"]) == sc.TOTAL
    assert {p["code"]: _figures(p) for p in data["parts"]} == sc.PARTS
    assert [p["level"] for p in data["parts"]] == ["watch", "ok"]  # 92,9 % and 10,1 %
    assert {m["month"]: m["spent"] for m in data["by_month"] if m["spent"]} == sc.MONTHS
    assert [m["month"] for m in data["by_month"]] == list(range(1, 13))

    alerts = data["alerts"]
    assert list(alerts) == [
        "lines_over",
        "overspends",
        "open_advances",
        "unpaid_decisions",
        "lines_full",
        "lines_watch",
    ]
    assert {x["code"]: _figures(x) for x in alerts["lines_over"]} == sc.LINES_OVER
    assert {x["code"]: _figures(x) for x in alerts["lines_full"]} == sc.LINES_FULL
    assert {x["code"]: _figures(x) for x in alerts["lines_watch"]} == sc.LINES_WATCH
    assert [
        (o["number"], o["line"], o["amount"], o["reason"]) for o in alerts["overspends"]
    ] == sc.OVERSPENDS
    assert [
        (a["number"], a["line"], a["amount"], a["age_days"]) for a in alerts["open_advances"]
    ] == sc.ADVANCES
    assert [
        (u["number"], u["recipients"], u["total"]) for u in alerts["unpaid_decisions"]
    ] == sc.UNPAID
    # The earlier, flat keys say the same.
    assert [x["code"] for x in data["near_limit"]] == ["I.1", "I.2", "I.3"]
    assert data["overridden_lines"] == ["I.3"]
    assert data["open_advances"] == alerts["open_advances"]


def test_the_table_prints_the_as_of_moment_and_the_alerts(chair_url: str) -> None:
    out = _cli(chair_url, "report", "summary")
    assert sc.AS_OF_LINE in out.splitlines()[1]
    assert "CẦN CHÚ Ý (6)" in out  # 1 over + 1 overspend + 1 advance + 1 decision + 1 + 1
    assert "DÒNG VƯỢT DỰ TOÁN" in out and "-200.000" in out
    assert "Tăng số đại biểu" in out and "188" in out and "720.000" in out


def test_the_as_of_moment_is_the_clock_in_the_local_zone(
    scenarios: ScenarioStore, db_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """20/12/2024 20:00 UTC is 21/12/2024 03:00 in Hà Nội (UTC+7): the page says so,
    and the advance of 15/06 is then 189 days old."""
    url, _ = scenarios.checkout(db_url, sc.STEPS, writes=False)
    monkeypatch.setenv("BUDGET_NOW", "2024-12-20T20:00:00")
    monkeypatch.setenv("TZ", "Asia/Ho_Chi_Minh")
    time.tzset()
    try:
        data = json.loads(_cli(url, "report", "summary", "--format", "json"))
    finally:
        monkeypatch.setenv("TZ", "UTC")
        time.tzset()
    assert data["as_of"] == "2024-12-21T03:00:00+07:00"
    assert data["as_of_text"] == "Số liệu tính đến 03:00 ngày 21/12/2024"
    assert [a["age_days"] for a in data["alerts"]["open_advances"]] == [189]


# -- the Excel sheet -------------------------------------------------------------------
def _find(ws: Any, column: int, value: Any, start: int = 1) -> int:
    for r in range(start, ws.max_row + 1):
        if ws.cell(row=r, column=column).value == value:
            return r
    raise AssertionError(f"{value!r} not in column {column}")


def _row_figures(ws: Any, r: int) -> tuple[Any, ...]:
    c, d, e, f, g = (ws.cell(row=r, column=k).value for k in range(3, 8))
    return (c, d, e, f, Decimal(str(g)))


def test_excel_shows_the_same_figures_with_live_formulas(chair_url: str, tmp_path: Path) -> None:
    out = tmp_path / "tong-hop.xlsx"
    _cli(chair_url, "export", "summary", "--out", str(out))
    ws = load_workbook(out, data_only=True).active  # the cached values
    formulas = load_workbook(out).active
    values = [c.value for row in ws.iter_rows() for c in row if isinstance(c.value, str)]
    assert any(v.startswith(sc.AS_OF_LINE) for v in values)
    assert "Phú Lý, ngày 20 tháng 12 năm 2024" in values

    header = _find(ws, 1, "Phần")
    for code, figures in sc.PARTS.items():
        r = _find(ws, 1, code, header)
        assert _row_figures(ws, r) == figures, code
        assert formulas[f"F{r}"].value == f"=C{r}-D{r}-E{r}"
        assert formulas[f"G{r}"].value.startswith("=IF(C")
    total = _find(ws, 2, "Tổng cộng", header)
    assert _row_figures(ws, total) == sc.TOTAL
    assert formulas[f"C{total}"].value.startswith("=SUM(")

    # Months: 1-6 in D:E, 7-12 in F:G, the year's sum a formula.
    months_header = _find(ws, 4, "Tháng")
    months = {}
    for r in range(months_header + 1, months_header + 7):
        months[ws[f"D{r}"].value] = ws[f"E{r}"].value
        months[ws[f"F{r}"].value] = ws[f"G{r}"].value
    assert sorted(months) == list(range(1, 13))
    assert {m: v for m, v in months.items() if v} == sc.MONTHS
    year = months_header + 7
    assert ws[f"D{year}"].value == "Cộng" and ws[f"G{year}"].value == 3_560_000
    assert formulas[f"G{year}"].value.startswith("=SUM(")
    assert formulas._charts, "no month chart"

    # The alerts, in order, each group's title with its count.
    assert _find(ws, 1, "CẦN CHÚ Ý (6)") < _find(ws, 1, "1. Dòng vượt dự toán (1)")
    over = _find(ws, 1, "1. Dòng vượt dự toán (1)")
    assert ws.cell(row=over + 1, column=1).value == "I.3"
    assert _row_figures(ws, over + 1) == sc.LINES_OVER["I.3"]
    spend = _find(ws, 1, "2. Chứng từ chi vượt dự toán có lý do (1)", over)
    assert [ws.cell(row=spend + 1, column=k).value for k in (1, 2, 4, 5)] == [
        "PC-0002",
        "Lý do: Tăng số đại biểu",
        "I.3",
        1_200_000,
    ]
    advance = _find(ws, 1, "3. Tạm ứng chưa thanh toán (1)", spend)
    assert [ws.cell(row=advance + 1, column=k).value for k in (1, 4, 5, 6)] == [
        "TU-0001",
        "I.2",
        3_300_000,
        188,
    ]
    assert formulas.cell(row=advance + 1, column=6).value == f"=DATE(2024,12,20)-C{advance + 1}"
    unpaid = _find(ws, 1, "4. Quyết định khen thưởng chưa chi (1)", advance)
    assert [ws.cell(row=unpaid + 1, column=k).value for k in (2, 4, 5)] == [
        "31/QĐ-UBND",
        2,
        720_000,
    ]
    full = _find(ws, 1, "5. Dòng đã dùng hết dự toán (100 %) (1)", unpaid)
    assert ws.cell(row=full + 1, column=2).value == "I.1"
    watch = _find(ws, 1, "6. Dòng đã dùng từ 80 % đến dưới 100 % (1)", full)
    assert ws.cell(row=watch + 1, column=1).value == "I.2"
    assert _row_figures(ws, watch + 1) == sc.LINES_WATCH["I.2"]

    # One A4 page, portrait, at a readable scale.
    assert str(formulas.page_setup.paperSize) == "9"
    assert int(formulas.page_setup.scale) >= 65


@pytest.mark.skipif(
    not (shutil.which("soffice") and shutil.which("pdfinfo")), reason="LibreOffice/pdfinfo absent"
)
def test_pdf_is_one_page(chair_url: str, db_url: str, tmp_path: Path) -> None:
    if not db_url.startswith("sqlite"):
        pytest.skip("the PDF does not depend on the engine: once, on SQLite")
    out = tmp_path / "tong-hop.xlsx"
    _cli(chair_url, "export", "summary", "--out", str(out), "--pdf")
    info = subprocess.run(
        ["pdfinfo", str(out.with_suffix(".pdf"))], capture_output=True, text=True, check=True
    ).stdout
    assert "Pages:           1" in info, info
