"""The province reviewer's terminal app on PostgreSQL, logged in as a real reviewer
role (budget admin reviewer): it starts on Tổng hợp tỉnh, sees its two communes
and not Cầu Giấy (another province, hidden by row-level security), and exports
the roll-up from the F8 dialog although every database write is refused.

The office and its figures are tests/tui/test_province_screen.py's.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url
from textual.widgets import Input, Select, Static

from tests.conftest import PG_ENV, pg_schema_url
from tests.tui.test_province_screen import province_screen, rows_of
from tests.tui.test_workflows import make, modal, plain, run, settle
from tests.unit.hostile_office import PG_OFFICE
from tests.unit.test_province_report import build_province

pytestmark = PG_OFFICE

REVIEWER = f"rev_tui_{uuid.uuid4().hex[:6]}"


@pytest.fixture(scope="module")
def reviewer_url(norms: Any) -> Iterator[str]:
    from budget.db import open_database
    from budget.services.admin import add_reviewer, setup_office

    with pg_schema_url(os.environ[PG_ENV]) as url:
        db = open_database(url)
        build_province(db, norms)
        with db.session() as s, s.begin():
            setup_office(s)
            add_reviewer(s, name=REVIEWER, province="ninh-binh", actor="admin")
        db.dispose()
        try:
            yield make_url(url).set(username=REVIEWER).render_as_string(hide_password=False)
        finally:
            admin = create_engine(os.environ[PG_ENV], isolation_level="AUTOCOMMIT")
            with admin.connect() as conn:
                conn.execute(text(f'DROP OWNED BY "{REVIEWER}"'))
                conn.execute(text(f'DROP ROLE IF EXISTS "{REVIEWER}"'))
            admin.dispose()


def test_the_reviewer_starts_on_its_province_and_exports_it(
    reviewer_url: str, tmp_path: Path
) -> None:
    from tui.modals.export import ExportDialog

    target = tmp_path / "tinh.xlsx"
    seen: dict[str, Any] = {}

    async def body() -> None:
        app = make(reviewer_url)
        async with app.run_test(size=(120, 36)) as pilot:
            screen = await province_screen(pilot)
            seen["rows"] = rows_of(screen)
            seen["reviewer"] = (app.backend.reviewer_provinces, app.backend.read_only)
            await pilot.press("f8")
            dialog = await modal(pilot, ExportDialog)
            seen["kind"] = dialog.query_one("#kind", Select).value
            path = dialog.query_one("#path", Input)
            seen["file"] = Path(path.value).name
            path.value = str(target)
            await pilot.press("ctrl+s")
            await settle(
                pilot,
                lambda: "Đã lưu" in plain(dialog.query_one("#form-error", Static)),
                "the export",
                timeout=20,
            )
            await app.workers.wait_for_complete()

    run(body)
    assert seen["reviewer"] == (("ninh-binh",), True)
    rows = seen["rows"]
    assert [k for k in rows if k.endswith("__total__")] == [
        "an-hoa/__total__",
        "binh-loi/__total__",
        "__total__",
    ]
    assert "Cầu Giấy" not in str(rows)
    assert rows["__total__"][2:] == [
        "10.200.000",
        "2.750.000",
        "300.000",
        "7.150.000",
        "11.500.000",
    ]
    assert rows["an-hoa/__total__"][6] == "11.500.000"
    assert (seen["kind"], seen["file"]) == ("province", "tong-hop-tinh.xlsx")
    sheet = load_workbook(target, data_only=True).active
    total = next(r for r in sheet.iter_rows() if r[0].value == "TỔNG CỘNG")
    assert [c.value for c in total[1:7]] == [
        "2 đơn vị",
        10_200_000,
        2_750_000,
        300_000,
        7_150_000,
        11_500_000,
    ]
