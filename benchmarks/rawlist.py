"""Raw baselines of the listing scenarios: plain ``sqlite3``, no SQLAlchemy, no budget.

    python -m benchmarks.rawlist first-screen DB ROWS   # one page of the register + the count
    python -m benchmarks.rawlist csv DB                 # every row of the register as CSV on stdout

The rows and columns are the ones ``budget voucher list`` writes (the same status SQL).
"""

from __future__ import annotations

import csv
import sqlite3
import sys

STATUS = """
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
    END
"""
CSV_SQL = f"""
    SELECT v.number, v.type, v.entry_date, v.line_code, v.payee, v.content,
           CASE WHEN v.kind = 'settlement' THEN v.spent_delta ELSE v.amount END,
           {STATUS}, v.kind, v.spent_delta, v.committed_delta, v.mlnsnn,
           COALESCE(v.override_reason, ''), v.entered_by
    FROM vouchers v WHERE v.campaign_id = ? ORDER BY v.entry_date, v.id
"""
HEADER = [
    "number", "type", "date", "line", "payee", "content", "amount", "status", "kind",
    "spent", "committed", "mlnsnn", "override_reason", "entered_by",
]  # fmt: skip


def _campaign(conn: sqlite3.Connection) -> int:
    row = conn.execute("SELECT current_campaign_id FROM organisations ORDER BY id LIMIT 1")
    return int(row.fetchone()[0])


def first_screen(db: str, rows: int) -> None:
    conn = sqlite3.connect(db)
    cid = _campaign(conn)
    out = sys.stdout
    out.write("Số  Ngày  Dòng  Người nhận  Nội dung  Số tiền  Trạng thái\n")
    for r in conn.execute(CSV_SQL + " LIMIT ?", (cid, rows + 1)).fetchmany(rows):
        day = r[2]
        amount = f"{r[6]:,}".replace(",", ".")
        out.write(
            f"{r[0]:12}  {day[8:10]}/{day[5:7]}/{day[0:4]}  {r[3]:6}  {r[4][:30]:30}  "
            f"{r[5][:40]:40}  {amount:>15}  {r[7]}\n"
        )
    total = conn.execute("SELECT COUNT(*) FROM vouchers WHERE campaign_id = ?", (cid,))
    out.write(f"… còn {total.fetchone()[0] - rows} dòng\n")
    out.flush()


def csv_all(db: str) -> None:
    conn = sqlite3.connect(db)
    cid = _campaign(conn)
    writer = csv.writer(sys.stdout, lineterminator="\n")
    writer.writerow(HEADER)
    writer.writerows(conn.execute(CSV_SQL, (cid,)))
    sys.stdout.flush()


if __name__ == "__main__":
    if sys.argv[1] == "first-screen":
        first_screen(sys.argv[2], int(sys.argv[3]))
    else:
        csv_all(sys.argv[2])
