"""Peak memory (and time) of ``budget import vouchers`` of a big CSV and XLSX.

    python -m benchmarks.import_memory                   # 1,000,000 rows, CSV and XLSX
    python -m benchmarks.import_memory --rows 100000 --formats csv --repeat 3

Each run is a whole process on a fresh copy of the plain demo database
(``--override-reason``: the demo's lines have no room for a million vouchers), its
peak RSS read with ``os.wait4``. Beside it, in the same run, the raw baseline: the
same file read with the csv module / openpyxl read-only and streamed into one
``sqlite3`` executemany in one transaction (no checks, no audit). Reported: the
medians, ``ratio`` = ours ÷ raw time, and the peak RSS of both; the issue's target
is a peak under 200 MB for 1,000,000 rows of either format.

Measured 2026-12-02 on the 2-core development machine while other jobs ran
(load average 5-8: the times are inflated, the ratios rough; peak memory is not
affected), one run each, branch ``imports``:

    rows       fmt   ours s  raw s  ratio  ours MB  raw MB
    100,000    csv     19.4    4.9   3.9       82      22
    100,000    xlsx    45.3   17.8   2.6       96      38
    1,000,000  csv    585.0  218.3   2.7       84      23
    1,000,000  xlsx   613.0    -      -        92       -   (raw run cut short)

The 1,000,000-row XLSX line is ``/usr/bin/time -v`` of the same command after the
fix below; before it, the same import peaked at 184 MB (sampled VmHWM).

A 1-row import peaks at 55 MB (interpreter, SQLAlchemy, openpyxl): the CSV
import's peak does not grow with the file. The XLSX one grew about 50 MB a
million rows (openpyxl's read-only parser leaves every cleared ``<row>`` in the
tree; 1,000,000 rows peaked at 143 MB) until ``row_stream`` dropped read rows:
checking 100,000 / 300,000 XLSX rows now peaks at 55 / 57 MB (80 MB before).
"""

from __future__ import annotations

import argparse
import csv
import os
import random
import statistics
import subprocess
import sys
import time
from datetime import date, timedelta
from pathlib import Path

from benchmarks import data

HEADER = ["number", "type", "date", "line", "payee", "content", "amount"]
TYPES = ["phieu_chi"] * 6 + ["rut_du_toan"] * 2 + ["uy_nhiem_chi", "tam_ung"]
LINES = ["I.1", "I.2", "II.1", "II.4", "III.1", "IV.1", "IV.4", "V.1"]
REASON = "Đo bộ nhớ khi nhập tệp lớn"


def _rows(count: int):  # type: ignore[no-untyped-def]
    rng = random.Random(count)
    start = date(2024, 1, 2)
    for i in range(count):
        yield [
            "",
            TYPES[rng.randrange(len(TYPES))],
            (start + timedelta(days=rng.randrange(360))).strftime("%d/%m/%Y"),
            LINES[i % len(LINES)],
            rng.choice(data.PAYEES),
            rng.choice(data.CONTENTS),
            rng.randrange(1, 100) * 1000,
        ]


def make_file(rows: int, fmt: str) -> Path:
    """The file (cached in benchmarks/.data); XLSX written with constant_memory."""
    path = data.DATA / f"memory-{rows}.{fmt}"
    if path.exists():
        return path
    data.DATA.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name("tmp-" + path.name)
    if fmt == "csv":
        with tmp.open("w", newline="", encoding="utf-8") as handle:
            writer = csv.writer(handle)
            writer.writerow(HEADER)
            writer.writerows(_rows(rows))
    else:
        import xlsxwriter

        book = xlsxwriter.Workbook(str(tmp), {"constant_memory": True})
        sheet = book.add_worksheet("Chứng từ")
        sheet.write_row(0, 0, HEADER)
        for r, row in enumerate(_rows(rows), start=1):
            sheet.write_row(r, 0, row)
        book.close()
    tmp.rename(path)
    return path


def _spawn(cmd: list[str]) -> tuple[float, int, int, str]:
    """(wall s, peak RSS MB, exit code, stderr tail) of one child process."""
    started = time.perf_counter()
    proc = subprocess.Popen(
        cmd,
        cwd=data.CHILD_CWD,
        env={**data.CHILD_ENV, "BUDGET_USER": "benchmark"},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    assert proc.stderr is not None
    err = proc.stderr.read().decode("utf-8", "replace")
    _, status, usage = os.wait4(proc.pid, 0)
    proc.returncode = os.waitstatus_to_exitcode(status)
    return time.perf_counter() - started, usage.ru_maxrss // 1024, proc.returncode, err[-300:]


def raw_import(db: str, path: str) -> None:
    """The baseline: read the file and stream it into one executemany (child process)."""
    import sqlite3

    conn = sqlite3.connect(db, isolation_level=None)
    for pragma in ("foreign_keys = ON", "journal_mode = WAL", "synchronous = NORMAL"):
        conn.execute(f"PRAGMA {pragma}")
    org, cid, year = conn.execute(
        "SELECT c.organisation_id, c.id, c.year FROM campaigns c "
        "JOIN organisations o ON o.current_campaign_id = c.id"
    ).fetchone()
    prefixes = {"phieu_chi": "PC", "rut_du_toan": "RDT", "uy_nhiem_chi": "UNC", "tam_ung": "TU"}
    seqs = dict(conn.execute("SELECT type, MAX(seq) FROM vouchers GROUP BY type").fetchall())
    now = time.strftime("%Y-%m-%d %H:%M:%S.000000")

    def source():  # type: ignore[no-untyped-def]
        if path.endswith(".csv"):
            with open(path, newline="", encoding="utf-8") as handle:
                reader = csv.reader(handle)
                next(reader)
                yield from reader
        else:
            from openpyxl import load_workbook

            book = load_workbook(path, read_only=True)
            rows = book.worksheets[0].iter_rows(min_row=2, values_only=True)
            yield from rows
            book.close()

    def records():  # type: ignore[no-untyped-def]
        for _n, vtype, day, line, payee, content, amount in source():
            seq = (seqs.get(vtype) or 0) + 1
            seqs[vtype] = seq
            number = f"{prefixes[vtype]}-{seq:04d}"
            d, m, y = str(day).split("/")
            advance = vtype == "tam_ung"
            amount = int(amount)
            yield (
                org, cid, "advance" if advance else "payment", vtype, year, number, seq,
                f"{y}-{m}-{d}", payee, content, amount, 0 if advance else amount,
                amount if advance else 0, line, "6000", "", "benchmark", now,
                f"{number} {payee} {content}".lower(),
            )  # fmt: skip

    conn.execute("BEGIN IMMEDIATE")
    conn.executemany(
        "INSERT INTO vouchers (organisation_id, campaign_id, kind, type, year, number, seq, "
        "entry_date, payee, content, amount, spent_delta, committed_delta, line_code, mlnsnn, "
        "reason, entered_by, entered_at, search_key) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        records(),
    )
    conn.execute("COMMIT")
    conn.close()


def measure(rows: int, fmt: str, repeat: int) -> dict[str, float]:
    source = data.demo_db()
    path = make_file(rows, fmt)
    result: dict[str, list[float]] = {"ours_s": [], "ours_mb": [], "raw_s": [], "raw_mb": []}
    for i in range(repeat):
        for side in ("ours", "raw"):
            db = str(data.fresh_copy(source, f"memory-{side}-{i}.db"))
            if side == "ours":
                cmd = [data.BUDGET, "--db", db, "import", "vouchers", str(path)]
                cmd += ["--override-reason", REASON]
            else:
                cmd = [sys.executable, "-m", "benchmarks.import_memory", "--raw", db, str(path)]
            wall, mb, code, err = _spawn(cmd)
            if code != 0:
                raise SystemExit(f"{side} {fmt} {rows}: exit {code}: {err}")
            result[f"{side}_s"].append(wall)
            result[f"{side}_mb"].append(mb)
            for suffix in ("", "-wal", "-shm"):
                Path(db + suffix).unlink(missing_ok=True)
    med = {k: statistics.median(v) for k, v in result.items()}
    med["ratio"] = med["ours_s"] / med["raw_s"]
    return med


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--formats", default="csv,xlsx")
    parser.add_argument("--repeat", type=int, default=1)
    parser.add_argument("--raw", nargs=2, metavar=("DB", "FILE"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.raw:
        raw_import(*args.raw)
        return
    print("rows       fmt   ours s  raw s  ratio  ours MB  raw MB  target <200 MB")
    for fmt in args.formats.split(","):
        m = measure(args.rows, fmt, args.repeat)
        verdict = "ok" if m["ours_mb"] < 200 else "MISS"
        print(
            f"{args.rows:<10,} {fmt:<5} {m['ours_s']:6.1f} {m['raw_s']:6.1f} {m['ratio']:5.1f}"
            f"  {m['ours_mb']:7.0f} {m['raw_mb']:7.0f}  {verdict}",
            flush=True,
        )


if __name__ == "__main__":
    main()
