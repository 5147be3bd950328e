"""Posting one voucher: ``post_voucher`` in its own write transaction vs a raw sqlite3
single-row INSERT with its own commit, in the same run, on copies of the same database.

    python -m benchmarks.posting [--db demo.db] [--count 300] [--repeat 5] [--profile]

Prints the median per-posting time of each side, the ratio (target <= 5x, issue 13)
and the number of SQL statements one posting issues. Without ``--db`` the plain
demo is built in a temporary directory.
"""

from __future__ import annotations

import argparse
import cProfile
import os
import pstats
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

from sqlalchemy import event

from budget.db import open_database
from budget.services.campaigns import find_campaign
from budget.services.vouchers import line_balance, post_voucher

PAYEES = ["Cơ sở quảng cáo Minh Phát", "Tiệm photocopy Hồng Nhung", "Căn tin UBND xã"]
CONTENTS = ["Nước uống hội nghị thi đua", "In tài liệu tuyên truyền", "Văn phòng phẩm"]


def _lines(database, cid: int) -> list[str]:  # type: ignore[no-untyped-def]
    from sqlalchemy import select

    from budget.models import EstimateLine
    from budget.services.versions import current_approved

    with database.session() as session:
        version = current_approved(session, cid)
        codes = session.scalars(
            select(EstimateLine.code).where(EstimateLine.version_id == version.id)
        ).all()
        room = {c: line_balance(session, cid, c).remaining for c in codes}
        return sorted(room, key=room.__getitem__, reverse=True)[:5]


def ours(db: str, count: int) -> tuple[float, float, int]:
    """Median seconds per posting (wall, CPU of this process), and statements issued
    by one posting."""
    database = open_database(f"sqlite:///{db}")
    with database.session() as session:
        cid = find_campaign(session).id
    lines = _lines(database, cid)
    statements: list[str] = []

    def trace(text: str) -> None:
        # SQLite traces a trigger program's statements with its firing statement's
        # text: consecutive repeats are one statement sent (BEGIN and COMMIT count).
        if not statements or statements[-1] != text:
            statements.append(text)

    # Counted by SQLite, whichever way they were sent (SQLAlchemy or the driver).
    event.listen(
        database.engine.pool, "checkout", lambda dbapi, *_: dbapi.set_trace_callback(trace)
    )
    times, cpu = [], []
    per_post = []
    for i in range(count):
        before = len(statements)
        cpu_started = time.process_time()
        started = time.perf_counter()
        with database.write_session() as session, session.begin():
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
        times.append(time.perf_counter() - started)
        cpu.append(time.process_time() - cpu_started)
        per_post.append(len(statements) - before)
    database.dispose()
    return statistics.median(times[1:]), statistics.median(cpu[1:]), statistics.median(per_post[1:])


def raw(db: str, count: int) -> tuple[float, float]:
    conn = sqlite3.connect(db, isolation_level=None)
    conn.execute("PRAGMA journal_mode = WAL")
    conn.execute("PRAGMA synchronous = NORMAL")
    conn.execute("PRAGMA foreign_keys = ON")
    org_id, cid, year = conn.execute(
        "SELECT c.organisation_id, c.id, c.year FROM campaigns c "
        "JOIN organisations o ON o.current_campaign_id = c.id"
    ).fetchone()
    (mlnsnn,) = conn.execute("SELECT mlnsnn FROM estimate_lines LIMIT 1").fetchone()
    times, cpu = [], []
    for i in range(count):
        cpu_started = time.process_time()
        started = time.perf_counter()
        conn.execute("BEGIN IMMEDIATE")
        conn.execute(
            "INSERT INTO vouchers (organisation_id, campaign_id, kind, type, year, number, "
            "entry_date, payee, content, amount, spent_delta, committed_delta, line_code, "
            "entered_by, entered_at, search_key, mlnsnn, reason) VALUES (?, ?, 'payment', 'phieu_chi', "
            "?, ?, ?, ?, ?, ?, ?, 0, 'A.1', 'raw', '2024-01-01 00:00:00', '', ?, '')",
            (
                org_id,
                cid,
                year,
                f"RAW-{i:06d}",
                date(2024, 1 + i % 12, 1 + i % 28).isoformat(),
                PAYEES[i % 3],
                CONTENTS[i % 3],
                1000,
                1000,
                mlnsnn,
            ),
        )
        conn.execute("COMMIT")
        times.append(time.perf_counter() - started)
        cpu.append(time.process_time() - cpu_started)
    conn.close()
    return statistics.median(times[1:]), statistics.median(cpu[1:])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", help="a budget SQLite database to copy (default: a fresh demo)")
    parser.add_argument("--count", type=int, default=300)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--profile", action="store_true", help="ours once under cProfile")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        source = Path(args.db) if args.db else Path(tmp) / "demo.db"
        if not args.db:
            subprocess.run(
                [sys.executable, "-m", "budget", "--db", str(source), "demo"],
                check=True,
                capture_output=True,
            )
        ours_s, raw_s, counts, ours_cpu, raw_cpu = [], [], [], [], []
        for r in range(args.repeat):
            a, b = Path(tmp) / f"ours-{r}.db", Path(tmp) / f"raw-{r}.db"
            shutil.copy(source, a)
            shutil.copy(source, b)
            if args.profile and r == 0:
                profile = cProfile.Profile()
                profile.runcall(ours, str(a), args.count)
                pstats.Stats(profile).sort_stats("cumulative").print_stats(35)
                shutil.copy(source, a)
            seconds, cpu, statements = ours(str(a), args.count)
            ours_s.append(seconds)
            ours_cpu.append(cpu)
            counts.append(statements)
            seconds, cpu = raw(str(b), args.count)
            raw_s.append(seconds)
            raw_cpu.append(cpu)
    o, b = statistics.median(ours_s), statistics.median(raw_s)
    oc, bc = statistics.median(ours_cpu), statistics.median(raw_cpu)
    print(f"post_voucher  median {o * 1000:.3f} ms per posting ({args.count} x {args.repeat})")
    print(f"raw insert    median {b * 1000:.3f} ms per posting")
    print(f"ratio         {o / b:.1f}x (target <= 5x)")
    print(f"CPU time      {oc * 1000:.3f} ms vs {bc * 1000:.3f} ms raw: {oc / bc:.1f}x")
    print(f"load average  {', '.join(f'{x:.2f}' for x in os.getloadavg())}")
    print(
        f"statements    {statistics.median(counts):.0f} per posting (SQLite, BEGIN and COMMIT included)"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
