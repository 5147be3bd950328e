"""One measured run of one side of one scenario, in a process of its own.

    python -m benchmarks.worker SCENARIO SIDE PARAMS_JSON OUT_JSON

The parent (``benchmarks.run``) starts one worker per repetition and reads the
peak RSS of the whole process from ``os.wait4``. Setting up (opening the
database, copying it, building an in-memory estimate) happens before the clock
starts; only the work the scenario names is timed. Each side writes
``{"times": [...], "check": ..., "extra": {...}}`` to OUT_JSON; ``check`` is a
small digest of the result that the parent compares between the two sides, so
that a baseline that computes something else is caught.
"""

from __future__ import annotations

import csv
import json
import os
import sqlite3
import sys
import time
from collections.abc import Callable
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

PROFILE: str | None = None  # a path: the timed region runs under cProfile, stats go there


def timed(fn: Callable[[], Any], *, inner: int = 1, warmup: int = 0) -> tuple[list[float], Any]:
    """Run ``fn`` ``warmup`` times untimed, then ``inner`` times timed."""
    result = None
    for _ in range(warmup):
        result = fn()
    times = []
    for _ in range(inner):
        if PROFILE:
            import cProfile

            profiler = cProfile.Profile()
            started = time.perf_counter()
            profiler.enable()
            result = fn()
            profiler.disable()
            times.append(time.perf_counter() - started)
            profiler.dump_stats(PROFILE)
        else:
            started = time.perf_counter()
            result = fn()
            times.append(time.perf_counter() - started)
    return times, result


# -- shared helpers -------------------------------------------------------------------------


def _open(db: str):  # type: ignore[no-untyped-def]
    from budget.db import open_database

    return open_database(db)


def _campaign_id(database) -> int:  # type: ignore[no-untyped-def]
    from budget.services.campaigns import find_campaign

    with database.session() as session:
        return find_campaign(session).id


def _write_session(database):  # type: ignore[no-untyped-def]
    """The session the CLI and the TUI use for one action that writes
    (BEGIN IMMEDIATE on SQLite); older versions only had ``session()``."""
    make = getattr(database, "write_session", None) or database.session
    return make()


def _is_pg(db: str) -> bool:
    return db.startswith("postgresql")


def _raw_connect(db: str, *, app_pragmas: bool = False):  # type: ignore[no-untyped-def]
    """A DB-API connection without SQLAlchemy. ``app_pragmas``: the same per-connection
    settings budget.db gives SQLite (foreign keys, WAL, synchronous=NORMAL, busy timeout),
    so that a write comparison measures code, not configuration."""
    if _is_pg(db):
        import psycopg

        return psycopg.connect(db.replace("postgresql+psycopg://", "postgresql://"))
    conn = sqlite3.connect(db, isolation_level=None)
    if app_pragmas:
        conn.execute("PRAGMA busy_timeout = 10000")
        conn.execute("PRAGMA foreign_keys = ON")
        conn.execute("PRAGMA journal_mode = WAL")
        conn.execute("PRAGMA synchronous = NORMAL")
    return conn


def _sql(db: str, text: str) -> str:
    """The raw queries are written with :name parameters; psycopg wants %(name)s."""
    if not _is_pg(db):
        return text
    import re

    return re.sub(r":([a-z_]+)", r"%(\1)s", text)


def _raw_campaign(conn) -> int:  # type: ignore[no-untyped-def]
    cur = conn.execute("SELECT current_campaign_id FROM organisations ORDER BY id LIMIT 1")
    return int(cur.fetchone()[0])


# -- raw SQL --------------------------------------------------------------------------------

CURRENT_VERSION = """
    SELECT id FROM estimate_versions
    WHERE campaign_id = :c AND status = 'approved'
    ORDER BY version_no DESC LIMIT 1
"""
ORIGINAL_VERSION = """
    SELECT id FROM estimate_versions
    WHERE campaign_id = :c AND status = 'approved'
    ORDER BY version_no LIMIT 1
"""
# Scenario 1: per line, approved (current version) against spent and committed.
RECONCILE_SQL = f"""
    WITH cur AS ({CURRENT_VERSION}),
    sums AS (
        SELECT line_code, SUM(spent_delta) AS spent, SUM(committed_delta) AS committed
        FROM vouchers WHERE campaign_id = :c GROUP BY line_code)
    SELECT l.code, l.content, l.mlnsnn, l.amount,
           COALESCE(s.spent, 0), COALESCE(s.committed, 0)
    FROM estimate_lines l
    JOIN cur ON l.version_id = cur.id
    JOIN estimate_parts p ON p.id = l.part_id
    LEFT JOIN sums s ON s.line_code = l.code
    ORDER BY p.position, l.position
"""
ORIGINAL_SQL = f"""
    SELECT code, amount FROM estimate_lines WHERE version_id = ({ORIGINAL_VERSION})
"""
# Scenario 2, the chairman's page, written by hand. The three per-voucher lists come in
# two forms: plain, and NOT INDEXED (read the table once). Without an index made for them
# SQLite's planner takes an index on "campaign_id = ?" (every row of the only campaign)
# and looks the table up row by row, 5-10x slower than a scan; with such indexes (schema
# 0004) the plain form is the fast one. The baseline times both during its warm-up and
# keeps the faster: the best a raw-SQL author would do on the schema under test.
OVERRIDDEN_SQL = """
    SELECT DISTINCT v.line_code FROM vouchers AS v NOT INDEXED
    WHERE v.campaign_id = :c AND v.override_reason IS NOT NULL
      AND NOT EXISTS (SELECT 1 FROM vouchers r WHERE r.reverses_id = v.id)
    ORDER BY v.line_code
"""
BY_MONTH_SQL = """
    SELECT CAST(substr(entry_date, 6, 2) AS INTEGER) AS month, SUM(spent_delta)
    FROM vouchers WHERE campaign_id = :c GROUP BY month
"""
LARGEST_SQL = """
    SELECT v.number, v.entry_date, v.payee, v.content, v.line_code, v.spent_delta
    FROM vouchers AS v NOT INDEXED
    WHERE v.campaign_id = :c AND v.kind IN ('payment', 'settlement')
      AND NOT EXISTS (SELECT 1 FROM vouchers r WHERE r.reverses_id = v.id)
    ORDER BY v.spent_delta DESC, v.id LIMIT 5
"""
OPEN_ADVANCES_SQL = """
    SELECT v.number, v.entry_date, v.payee, v.content, v.line_code, v.amount
    FROM vouchers AS v NOT INDEXED
    WHERE v.campaign_id = :c AND v.kind = 'advance'
      AND NOT EXISTS (SELECT 1 FROM vouchers r WHERE r.reverses_id = v.id)
      AND NOT EXISTS (
          SELECT 1 FROM vouchers s WHERE s.settles_id = v.id
            AND NOT EXISTS (SELECT 1 FROM vouchers sr WHERE sr.reverses_id = s.id))
    ORDER BY v.entry_date, v.id
"""
UNPAID_SQL = """
    SELECT d.number, d.decision_date, COUNT(r.id), COALESCE(SUM(r.amount), 0)
    FROM award_decisions d LEFT JOIN award_recipients r ON r.decision_id = d.id
    WHERE d.campaign_id = :c
      AND NOT EXISTS (
          SELECT 1 FROM vouchers p
          WHERE p.award_decision_id = d.id AND p.kind <> 'reversal'
            AND NOT EXISTS (SELECT 1 FROM vouchers pr WHERE pr.reverses_id = p.id))
    GROUP BY d.id, d.number, d.decision_date ORDER BY d.decision_date
"""
# The voucher register with each row's status, as budget.reports.register computes it.
REGISTER_SQL = """
    SELECT v.id, v.number, v.type, v.kind, v.entry_date, v.line_code, v.mlnsnn, v.payee,
           v.content,
           CASE WHEN v.kind = 'settlement' THEN v.spent_delta ELSE v.amount END,
           v.spent_delta, v.committed_delta,
           CASE
             WHEN v.kind = 'reversal' THEN 'reversal'
             WHEN EXISTS (SELECT 1 FROM vouchers r WHERE r.reverses_id = v.id) THEN 'reversed'
             WHEN v.kind = 'advance' AND EXISTS (
                 SELECT 1 FROM vouchers s
                 WHERE s.settles_id = v.id AND s.kind = 'settlement'
                   AND NOT EXISTS (SELECT 1 FROM vouchers sr WHERE sr.reverses_id = s.id))
               THEN 'settled'
             WHEN v.kind = 'advance' THEN 'open'
             ELSE 'posted'
           END,
           v.override_reason, v.entered_by
    FROM vouchers v WHERE v.campaign_id = :c
    ORDER BY v.entry_date, v.id
"""
COUNT_SQL = "SELECT COUNT(*) FROM vouchers WHERE campaign_id = :c"
VOUCHER_COLUMNS = [
    "organisation_id",
    "campaign_id",
    "kind",
    "type",
    "year",
    "number",
    "seq",
    "entry_date",
    "payee",
    "content",
    "amount",
    "spent_delta",
    "committed_delta",
    "line_code",
    "mlnsnn",
    "override_reason",
    "reverses_id",
    "settles_id",
    "award_decision_id",
    "reason",
    "entered_by",
    "entered_at",
    "search_key",
]
INSERT_SQL = (
    f"INSERT INTO vouchers ({', '.join(VOUCHER_COLUMNS)}) "
    f"VALUES ({', '.join('?' for _ in VOUCHER_COLUMNS)})"
)


def _rec_check(rows: list[tuple[str, int, int, int]]) -> list[list[Any]]:
    """code, approved, spent, committed of the lines with an approved amount."""
    return sorted(
        [code, approved, spent, committed] for code, approved, spent, committed in rows if approved
    )


# -- 1. reconcile ---------------------------------------------------------------------------


def reconcile_ours(p: dict[str, Any]) -> dict[str, Any]:
    from budget.reports.reconcile import reconcile

    database = _open(p["db"])
    cid = _campaign_id(database)

    def run():  # type: ignore[no-untyped-def]
        with database.session() as session:
            return reconcile(session, cid)

    times, rec = timed(run, inner=p.get("inner", 3), warmup=1)
    check = _rec_check(
        [(r.code, r.figures.approved, r.figures.spent, r.figures.committed) for r in rec.lines]
    )
    return {"times": times, "check": check}


def reconcile_raw(p: dict[str, Any]) -> dict[str, Any]:
    db = p["db"]
    conn = _raw_connect(db)
    cid = _raw_campaign(conn)
    query = _sql(db, RECONCILE_SQL)

    def run():  # type: ignore[no-untyped-def]
        return conn.execute(query, {"c": cid}).fetchall()

    times, rows = timed(run, inner=p.get("inner", 3), warmup=1)
    conn.close()
    check = _rec_check(
        [
            (code, int(amount), int(spent), int(committed))
            for code, _content, _mlnsnn, amount, spent, committed in rows
        ]
    )
    return {"times": times, "check": check}


# -- 2. summary -----------------------------------------------------------------------------


def _summary_check(
    spent: int,
    months: list[tuple[int, int]],
    largest: list[str],
    advances: list[str],
    unpaid: list[str],
    overridden: list[str],
) -> dict[str, Any]:
    return {
        "spent": spent,
        "months": [list(m) for m in months],
        "largest": largest,
        "open_advances": len(advances),
        "first_advances": advances[:5],
        "unpaid": unpaid,
        "overridden": overridden,
    }


def summary_ours(p: dict[str, Any]) -> dict[str, Any]:
    from budget.reports.summary import build_summary

    database = _open(p["db"])
    cid = _campaign_id(database)

    def run():  # type: ignore[no-untyped-def]
        with database.session() as session:
            return build_summary(session, cid)

    times, s = timed(run, inner=1, warmup=1)
    check = _summary_check(
        s.reconciliation.total.spent,
        [m for m in s.by_month],
        [v.number for v in s.largest],
        [v.number for v in s.open_advances],
        [u.number for u in s.unpaid_decisions],
        list(s.overridden),
    )
    return {"times": times, "check": check}


def summary_raw(p: dict[str, Any]) -> dict[str, Any]:
    conn = _raw_connect(p["db"])
    cid = _raw_campaign(conn)
    args = {"c": cid}

    chosen: dict[str, str] = {}
    forms: dict[str, str] = {}
    for name, scan_sql in (
        ("overridden", OVERRIDDEN_SQL),
        ("largest", LARGEST_SQL),
        ("open_advances", OPEN_ADVANCES_SQL),
    ):
        best = None
        for form, sql in (
            ("plain", scan_sql.replace(" NOT INDEXED", "")),
            ("table scan", scan_sql),
        ):
            started = time.perf_counter()
            conn.execute(sql, args).fetchall()
            elapsed = time.perf_counter() - started
            if best is None or elapsed < best:
                best, chosen[name], forms[name] = elapsed, sql, form

    def run():  # type: ignore[no-untyped-def]
        lines = conn.execute(RECONCILE_SQL, args).fetchall()
        original = dict(conn.execute(ORIGINAL_SQL, args).fetchall())
        overridden = [r[0] for r in conn.execute(chosen["overridden"], args)]
        months = dict(conn.execute(BY_MONTH_SQL, args).fetchall())
        largest = conn.execute(chosen["largest"], args).fetchall()
        advances = conn.execute(chosen["open_advances"], args).fetchall()
        unpaid = conn.execute(UNPAID_SQL, args).fetchall()
        return lines, original, overridden, months, largest, advances, unpaid

    times, result = timed(run, inner=1, warmup=1)
    lines, _original, overridden, months, largest, advances, unpaid = result
    conn.close()
    spent_on_lines = sum(int(r[4]) for r in lines)
    check = _summary_check(
        spent_on_lines,
        [(m, int(months.get(m, 0) or 0)) for m in range(1, 13)],
        [r[0] for r in largest],
        [r[0] for r in advances],
        [r[0] for r in unpaid],
        overridden,
    )
    return {"times": times, "check": check, "extra": {"forms": forms}}


# -- 3. Excel exports -----------------------------------------------------------------------


def export_settlement_ours(p: dict[str, Any]) -> dict[str, Any]:
    from budget.excel.settlement_export import export_settlement
    from budget.reports.reconcile import reconcile
    from budget.reports.register import iter_vouchers
    from budget.services.organisation import get_organisation

    database = _open(p["db"])
    cid = _campaign_id(database)
    out = Path(p["out"])

    def run():  # type: ignore[no-untyped-def]
        # What ``budget export settlement`` does inside its one read session.
        with database.session() as session:
            rec = reconcile(session, cid)
            org = get_organisation(session)
            return export_settlement(rec, iter_vouchers(session, cid), org, out)

    times, result = timed(run)
    size = out.stat().st_size
    out.unlink()
    return {"times": times, "check": {"rows": result.rows}, "extra": {"xlsx_bytes": size}}


def export_settlement_raw(p: dict[str, Any]) -> dict[str, Any]:
    from openpyxl import Workbook

    from budget.excel.settlement_export import LINE_HEADERS, REGISTER_HEADERS
    from budget.models.voucher import ALL_TYPES
    from budget.reports.register import STATUS_LABELS

    type_names = {code: name for code, (name, _prefix) in ALL_TYPES.items()}
    conn = _raw_connect(p["db"])
    cid = _raw_campaign(conn)
    out = Path(p["out"])

    def run():  # type: ignore[no-untyped-def]
        workbook = Workbook(write_only=True)
        lines = workbook.create_sheet("Quyết toán")
        lines.append(["BÁO CÁO TÌNH HÌNH THỰC HIỆN DỰ TOÁN KINH PHÍ"])
        lines.append(LINE_HEADERS)
        for n, (code, content, mlnsnn, amount, spent, committed) in enumerate(
            conn.execute(RECONCILE_SQL, {"c": cid}), 3
        ):
            lines.append(
                [
                    code,
                    content,
                    mlnsnn,
                    amount,
                    amount,
                    spent,
                    committed,
                    f"=E{n}-F{n}-G{n}",
                    f"=E{n}-F{n}",
                ]
            )
        register = workbook.create_sheet("Sổ chứng từ")
        register.append(["SỔ CHỨNG TỪ CHI (kể cả bút toán hủy)"])
        register.append(REGISTER_HEADERS)
        append = register.append
        count = 0
        for count, row in enumerate(conn.execute(REGISTER_SQL, {"c": cid}), 1):
            (
                _id,
                number,
                vtype,
                _kind,
                day,
                line,
                mlnsnn,
                payee,
                content,
                amount,
                spent,
                committed,
                status,
                override,
                entered_by,
            ) = row
            append(
                [
                    count,
                    number,
                    type_names[vtype],
                    f"{day[8:10]}/{day[5:7]}/{day[:4]}",
                    line,
                    mlnsnn,
                    payee,
                    content,
                    amount,
                    spent,
                    committed,
                    STATUS_LABELS[status],
                    override or "",
                    entered_by,
                ]
            )
        last = 2 + count
        append([None] * 7 + ["Tổng cộng", None, f"=SUM(J3:J{last})", f"=SUM(K3:K{last})"])
        workbook.save(out)
        return count

    times, rows = timed(run)
    size = out.stat().st_size
    out.unlink()
    conn.close()
    return {"times": times, "check": {"rows": rows}, "extra": {"xlsx_bytes": size}}


def big_estimate(lines: int):  # type: ignore[no-untyped-def]
    """An EstimateView of ``lines`` lines in five parts, built in memory."""
    from budget.services.campaigns import CampaignInfo
    from budget.services.estimates import EstimateView, LineView, PartView

    campaign = CampaignInfo(
        id=1,
        organisation_id=1,
        code="cqtt-2024",
        year=2024,
        number="52/KH-UBND",
        plan_date=date(2024, 2, 1),
        title="Kế hoạch tổ chức phong trào thi đua “Chính quyền thân thiện” năm 2024",
        legal_bases=(
            "Căn cứ Luật Thi đua, khen thưởng ngày 15 tháng 6 năm 2022;",
            "Căn cứ Nghị định số 98/2023/NĐ-CP ngày 31 tháng 12 năm 2023;",
        ),
        template="chinh-quyen-than-thien",
    )
    contents = [
        "Hội nghị phát động phong trào thi đua tại hội trường UBND xã",
        "In băng rôn, khẩu hiệu tuyên truyền",
        "Nước uống đại biểu",
        "Bồi dưỡng báo cáo viên hội nghị chuyên đề về cải cách hành chính "
        "và xây dựng chính quyền thân thiện, gần dân",
        "Văn phòng phẩm",
        "Thuê xe đưa đón đại biểu",
    ]
    parts = []
    per_part = lines // 5
    for index, (code, title) in enumerate(
        [
            ("I", "Hội nghị phát động"),
            ("II", "Xây dựng mô hình"),
            ("III", "Sơ kết"),
            ("IV", "Tổng kết"),
            ("V", "Khen thưởng"),
        ]
    ):
        count = per_part if index < 4 else lines - 4 * per_part
        part_lines = []
        for n in range(1, count + 1):
            quantity = str(n % 40 + 1) if n % 7 else f"{n % 40 + 1}.5"
            multiplier = "2" if n % 5 == 0 else None
            price = 10_000 * (n % 97 + 1)
            amount = int(Decimal(quantity) * price * (2 if multiplier else 1))
            part_lines.append(
                LineView(
                    code=f"{code}.{n}",
                    part=code,
                    content=f"{contents[n % len(contents)]} ({n})",
                    unit="người" if n % 2 else "buổi",
                    quantity=quantity,
                    multiplier=multiplier,
                    multiplier_unit="ngày" if multiplier else "",
                    unit_price=price,
                    norm_ref=None,
                    amount=amount,
                    mlnsnn=("6651", "6655", "6699", "7758")[n % 4],
                    note="Theo định mức" if n % 11 == 0 else "",
                )
            )
        parts.append(
            PartView(
                code=code,
                key=code.lower(),
                title=title,
                total=sum(line.amount for line in part_lines),
                lines=tuple(part_lines),
            )
        )
    return EstimateView(
        campaign=campaign,
        version_id=1,
        version_no=1,
        status="approved",
        title=campaign.title,
        decision_number="52/QĐ-UBND",
        decision_date=date(2024, 2, 20),
        approver="Nguyễn Hữu Bình",
        parts=tuple(parts),
        total=sum(p.total for p in parts),
    )


def _org():  # type: ignore[no-untyped-def]
    from budget.services.organisation import OrgSettings

    return OrgSettings(
        id=1,
        code="phu-ly",
        commune_kind="Xã",
        commune_name="Phú Lý",
        province="Đồng Nai",
        superior_body=None,
        place_name="",
        chairman_name="Nguyễn Hữu Bình",
        chairman_title="Chủ tịch",
        accountant_name="Trần Thị Thu Hà",
        preparer_name="Lê Minh Tuấn",
        dialect="bac",
        rounding="up",
        collective_rule="coefficient",
        current_campaign_id=1,
    )


def export_estimate_ours(p: dict[str, Any]) -> dict[str, Any]:
    from budget.excel.estimate_export import export_estimate

    view = big_estimate(p["lines"])
    org = _org()
    out = Path(p["out"])
    times, result = timed(lambda: export_estimate(view, org, out, doc_date=date(2024, 2, 20)))
    size = out.stat().st_size
    out.unlink()
    return {
        "times": times,
        "check": {"lines": len(view.lines), "total": result.total},
        "extra": {"xlsx_bytes": size},
    }


def export_estimate_raw(p: dict[str, Any]) -> dict[str, Any]:
    from openpyxl import Workbook

    from budget.excel.estimate_export import HEADERS
    from budget.money import amount_in_words

    view = big_estimate(p["lines"])
    org = _org()
    words = "Bằng chữ: " + amount_in_words(view.total, dialect=org.dialect)
    out = Path(p["out"])

    def number(text: str | None):  # type: ignore[no-untyped-def]
        if text is None:
            return None
        value = Decimal(text)
        return int(value) if value == value.to_integral_value() else value

    def run():  # type: ignore[no-untyped-def]
        workbook = Workbook(write_only=True)
        ws = workbook.create_sheet("Dự toán")
        ws.append(["ỦY BAN NHÂN DÂN", None, None, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"])
        ws.append(["XÃ PHÚ LÝ", None, None, "Độc lập - Tự do - Hạnh phúc"])
        ws.append([None, None, None, "Phú Lý, ngày 20 tháng 02 năm 2024"])
        ws.append([])
        ws.append(["DỰ TOÁN KINH PHÍ"])
        ws.append([view.title])
        ws.append(
            [
                f"(Kèm theo Quyết định số {view.decision_number} ngày 20/02/2024 "
                "của Chủ tịch UBND Xã Phú Lý)"
            ]
        )
        ws.append([])
        for basis in view.campaign.legal_bases:
            ws.append([basis])
        ws.append([])
        ws.append(HEADERS)
        row = 13
        totals = []
        for part in view.parts:
            first, last = row + 1, row + len(part.lines)
            ws.append(
                [
                    part.code,
                    part.title,
                    None,
                    None,
                    None,
                    None,
                    f"=SUM(G{first}:G{last})",
                    None,
                    None,
                ]
            )
            totals.append(f"G{row}")
            row += 1
            for line in part.lines:
                stt = line.code.removeprefix(f"{line.part}.")
                ws.append(
                    [
                        stt,
                        line.content,
                        line.unit,
                        number(line.quantity),
                        number(line.multiplier),
                        line.unit_price,
                        f'=ROUND(D{row}*F{row}*IF(E{row}="",1,E{row}),0)',
                        line.mlnsnn,
                        line.note,
                    ]
                )
                row += 1
        ws.append([None, "Tổng cộng", None, None, None, None, f"=SUM({','.join(totals)})"])
        ws.append([])
        ws.append([words])
        ws.append([])
        ws.append(["NGƯỜI LẬP BIỂU", None, "KẾ TOÁN", None, None, None, None, "CHỦ TỊCH"])
        ws.append(
            [
                "(Ký, ghi rõ họ tên)",
                None,
                "(Ký, ghi rõ họ tên)",
                None,
                None,
                None,
                None,
                "(Ký, ghi rõ họ tên)",
            ]
        )
        for _ in range(3):
            ws.append([])
        ws.append(
            [
                org.preparer_name,
                None,
                org.accountant_name,
                None,
                None,
                None,
                None,
                org.chairman_name,
            ]
        )
        workbook.save(out)

    times, _ = timed(run)
    size = out.stat().st_size
    out.unlink()
    return {
        "times": times,
        "check": {"lines": len(view.lines), "total": view.total},
        "extra": {"xlsx_bytes": size},
    }


# -- 4. import ------------------------------------------------------------------------------


def _voucher_totals(db: str) -> list[int]:
    conn = sqlite3.connect(db)
    try:
        count, amount = conn.execute("SELECT COUNT(*), SUM(amount) FROM vouchers").fetchone()
    finally:
        conn.close()
    return [int(count), int(amount)]


def import_ours(p: dict[str, Any]) -> dict[str, Any]:
    from budget.services.voucher_import import import_vouchers

    database = _open(p["db"])  # a fresh copy made by the parent
    cid = _campaign_id(database)
    before = _voucher_totals(p["db"])

    def run():  # type: ignore[no-untyped-def]
        with _write_session(database) as session, session.begin():
            return import_vouchers(session, cid, Path(p["csv"]), actor="benchmark")

    times, result = timed(run)
    database.dispose()
    after = _voucher_totals(p["db"])
    return {
        "times": times,
        "check": {"added": after[0] - before[0], "amount": after[1] - before[1]},
        "extra": {"rows": result.rows},
    }


def import_raw(p: dict[str, Any]) -> dict[str, Any]:
    """Read the CSV with the csv module and executemany the rows (numbers from MAX(seq),
    search key lower-cased rather than accent-folded), one transaction."""
    db = p["db"]
    conn = _raw_connect(db, app_pragmas=True)
    before = _voucher_totals(db)
    prefixes = {"phieu_chi": "PC", "rut_du_toan": "RDT", "uy_nhiem_chi": "UNC", "tam_ung": "TU"}

    def run():  # type: ignore[no-untyped-def]
        org_id, cid, year = conn.execute(
            "SELECT c.organisation_id, c.id, c.year FROM campaigns c "
            "JOIN organisations o ON o.current_campaign_id = c.id"
        ).fetchone()
        seqs = dict(
            conn.execute(
                "SELECT type, MAX(seq) FROM vouchers WHERE organisation_id = ? AND year = ? "
                "GROUP BY type",
                (org_id, year),
            ).fetchall()
        )
        mlnsnn = dict(
            conn.execute(
                "SELECT code, mlnsnn FROM estimate_lines WHERE version_id = ("
                + CURRENT_VERSION.replace(":c", "?")
                + ")",
                (cid,),
            ).fetchall()
        )
        now = datetime.now().strftime("%Y-%m-%d %H:%M:%S.%f")
        rows = []
        with open(p["csv"], newline="", encoding="utf-8") as handle:
            reader = csv.reader(handle)
            next(reader)
            for _number, vtype, day, line, payee, content, amount_text in reader:
                seq = (seqs.get(vtype) or 0) + 1
                seqs[vtype] = seq
                number = f"{prefixes[vtype]}-{seq:04d}"
                amount = int(amount_text)
                advance = vtype == "tam_ung"
                rows.append(
                    (
                        org_id,
                        cid,
                        "advance" if advance else "payment",
                        vtype,
                        year,
                        number,
                        seq,
                        day,
                        payee,
                        content,
                        amount,
                        0 if advance else amount,
                        amount if advance else 0,
                        line,
                        mlnsnn[line],
                        None,
                        None,
                        None,
                        None,
                        "",
                        "benchmark",
                        now,
                        f"{number} {payee} {content}".lower(),
                    )
                )
        conn.execute("BEGIN IMMEDIATE")
        conn.executemany(INSERT_SQL, rows)
        conn.execute("COMMIT")
        return len(rows)

    times, _ = timed(run)
    conn.close()
    after = _voucher_totals(db)
    return {
        "times": times,
        "check": {"added": after[0] - before[0], "amount": after[1] - before[1]},
    }


# -- 5. the voucher register pages -----------------------------------------------------------


def register_ours(p: dict[str, Any]) -> dict[str, Any]:
    from budget.reports.register import count_vouchers, list_vouchers

    database = _open(p["db"])
    cid = _campaign_id(database)
    offset = p["offset"]

    def run():  # type: ignore[no-untyped-def]
        # VouchersScreen._fetch_page: one page, and the count only for the first one.
        with database.session() as session:
            rows = list_vouchers(session, cid, limit=200, offset=offset)
            total = count_vouchers(session, cid) if offset == 0 else None
        return rows, total

    first, _ = timed(run)  # the first page a fresh process shows (statements not cached yet)
    times, (rows, total) = timed(run, inner=p.get("inner", 5))
    return {
        "times": times,
        "check": {
            "ids": [r.id for r in rows[:3]] + [rows[-1].id],
            "statuses": sorted({r.status for r in rows}),
            "total": total,
        },
        "extra": {"first_call_s": first[0]},
    }


def register_raw(p: dict[str, Any]) -> dict[str, Any]:
    conn = _raw_connect(p["db"])
    cid = _raw_campaign(conn)
    offset = p["offset"]
    page_sql = REGISTER_SQL + " LIMIT 200 OFFSET :o"

    def run():  # type: ignore[no-untyped-def]
        rows = conn.execute(page_sql, {"c": cid, "o": offset}).fetchall()
        total = conn.execute(COUNT_SQL, {"c": cid}).fetchone()[0] if offset == 0 else None
        return rows, total

    first, _ = timed(run)
    times, (rows, total) = timed(run, inner=p.get("inner", 5))
    conn.close()
    return {
        "times": times,
        "check": {
            "ids": [r[0] for r in rows[:3]] + [rows[-1][0]],
            "statuses": sorted({r[12] for r in rows}),
            "total": total,
        },
        "extra": {"first_call_s": first[0]},
    }


# -- 6. posting one voucher at a time ---------------------------------------------------------

PAYEES = ["Cơ sở quảng cáo Minh Phát", "Tiệm photocopy Hồng Nhung", "Căn tin UBND xã"]
CONTENTS = ["Nước uống hội nghị thi đua", "In tài liệu tuyên truyền", "Văn phòng phẩm"]


def post_ours(p: dict[str, Any]) -> dict[str, Any]:
    from budget.services.vouchers import post_voucher

    database = _open(p["db"])  # a fresh copy made by the parent
    cid = _campaign_id(database)
    lines, count = p["lines"], p["count"]
    before = _voucher_totals(p["db"])

    def run():  # type: ignore[no-untyped-def]
        for i in range(count):
            with _write_session(database) as session, session.begin():
                post_voucher(
                    session,
                    cid,
                    line_code=lines[i % len(lines)],
                    amount=1000 * (1 + i % 9),
                    entry_date=date(2024, 1 + i % 12, 1 + i % 28),
                    payee=PAYEES[i % 3],
                    content=CONTENTS[i % 3],
                    actor="benchmark",
                )

    times, _ = timed(run)
    database.dispose()
    after = _voucher_totals(p["db"])
    return {
        "times": times,
        "check": {"added": after[0] - before[0], "amount": after[1] - before[1]},
        "extra": {"per_call_ms": 1000 * times[0] / count},
    }


def post_raw(p: dict[str, Any]) -> dict[str, Any]:
    db = p["db"]
    conn = _raw_connect(db, app_pragmas=True)
    lines, count = p["lines"], p["count"]
    before = _voucher_totals(db)
    org_id, cid, year = conn.execute(
        "SELECT c.organisation_id, c.id, c.year FROM campaigns c "
        "JOIN organisations o ON o.current_campaign_id = c.id"
    ).fetchone()
    mlnsnn = dict(
        conn.execute(
            "SELECT code, mlnsnn FROM estimate_lines WHERE version_id = ("
            + CURRENT_VERSION.replace(":c", "?")
            + ")",
            (cid,),
        ).fetchall()
    )
    start = (
        conn.execute(
            "SELECT MAX(seq) FROM vouchers WHERE organisation_id = ? AND "
            "type = 'phieu_chi' AND year = ?",
            (org_id, year),
        ).fetchone()[0]
        or 0
    )

    def run():  # type: ignore[no-untyped-def]
        for i in range(count):
            seq = start + 1 + i
            number = f"PC-{seq:04d}"
            line = lines[i % len(lines)]
            amount = 1000 * (1 + i % 9)
            payee, content = PAYEES[i % 3], CONTENTS[i % 3]
            conn.execute("BEGIN IMMEDIATE")
            conn.execute(
                INSERT_SQL,
                (
                    org_id,
                    cid,
                    "payment",
                    "phieu_chi",
                    year,
                    number,
                    seq,
                    date(2024, 1 + i % 12, 1 + i % 28).isoformat(),
                    payee,
                    content,
                    amount,
                    amount,
                    0,
                    line,
                    mlnsnn[line],
                    None,
                    None,
                    None,
                    None,
                    "",
                    "benchmark",
                    datetime.now().strftime("%Y-%m-%d %H:%M:%S.%f"),
                    f"{number} {payee} {content}".lower(),
                ),
            )
            conn.execute("COMMIT")

    times, _ = timed(run)
    conn.close()
    after = _voucher_totals(db)
    return {
        "times": times,
        "check": {"added": after[0] - before[0], "amount": after[1] - before[1]},
        "extra": {"per_call_ms": 1000 * times[0] / count},
    }


SIDES: dict[tuple[str, str], Callable[[dict[str, Any]], dict[str, Any]]] = {
    ("reconcile", "ours"): reconcile_ours,
    ("reconcile", "baseline"): reconcile_raw,
    ("summary", "ours"): summary_ours,
    ("summary", "baseline"): summary_raw,
    ("export_settlement", "ours"): export_settlement_ours,
    ("export_settlement", "baseline"): export_settlement_raw,
    ("export_estimate", "ours"): export_estimate_ours,
    ("export_estimate", "baseline"): export_estimate_raw,
    ("import", "ours"): import_ours,
    ("import", "baseline"): import_raw,
    ("register", "ours"): register_ours,
    ("register", "baseline"): register_raw,
    ("post", "ours"): post_ours,
    ("post", "baseline"): post_raw,
}


def _province_sides() -> None:
    from benchmarks.province import SIDES as PROVINCE

    SIDES.update(PROVINCE)


_province_sides()


def main() -> None:
    global PROFILE
    kind, side, params_json, out = sys.argv[1:5]
    params = json.loads(params_json)
    PROFILE = params.pop("profile", None)
    result = SIDES[(kind, side)](params)
    with open(out, "w", encoding="utf-8") as handle:
        json.dump(result, handle, default=str)
    sys.stdout.flush()
    # Do not let interpreter teardown (garbage collection of big structures) count
    # against anything: the parent only reads the file and the rusage.
    os._exit(0)


if __name__ == "__main__":
    main()
