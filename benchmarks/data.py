"""Benchmark data: the cached SQLite databases, the import CSV, the PostgreSQL database.

Everything lives under ``benchmarks/.data/`` (git-ignored). A big database is
built once per voucher count N with the project's own ``budget demo --vouchers N``
and reused; the file name carries N and a hash of the code that shapes the data
(``budget/scale.py``, ``budget/demo.py``, the migrations), so a change there
rebuilds it.
"""

from __future__ import annotations

import csv
import hashlib
import os
import random
import shutil
import sqlite3
import subprocess
import sys
import time
import uuid
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DATA = Path(__file__).resolve().parent / ".data"
TMP = DATA / "tmp"
BUDGET = str(Path(sys.executable).with_name("budget"))
PG_SERVER = os.environ.get("BENCH_PG_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test")

# Where the code under test lives, and how children are started. ``use_snapshot``
# points them at a frozen copy of budget/, tui/ and templates/ (see run.py --no-snapshot).
# The first open of a day copies a SQLite database into backups/ (budget.backup): a
# once-a-day cost that is not what these scenarios measure, and a 400 MB copy per
# database, so the children run with daily backups off.
CODE = ROOT
CHILD_CWD = ROOT
CHILD_ENV = {**os.environ, "BUDGET_BACKUP_KEEP": "0"}
CODE_PARTS = ("budget", "tui", "templates")


def code_files(root: Path) -> list[Path]:
    files = [root / "pyproject.toml"]
    for part in CODE_PARTS:
        files += [
            p
            for p in sorted((root / part).rglob("*"))
            if p.is_file() and "__pycache__" not in p.parts and p.suffix != ".pyc"
        ]
    return files


def code_fingerprint(root: Path = ROOT) -> str:
    digest = hashlib.sha256()
    for path in code_files(root):
        digest.update(str(path.relative_to(root)).encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()[:12]


def use_snapshot() -> str:
    """Copy the code under test to .data/code/<fingerprint>/ and run every child on it,
    so that edits to the working tree during a long run do not mix versions."""
    global CODE, CHILD_CWD
    fingerprint = code_fingerprint(ROOT)
    target = DATA / "code" / fingerprint
    if not target.exists():
        tmp = target.with_name(target.name + ".tmp")
        if tmp.exists():
            shutil.rmtree(tmp)
        for path in code_files(ROOT):
            dest = tmp / path.relative_to(ROOT)
            dest.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(path, dest)
        tmp.rename(target)
    snapshots = sorted((DATA / "code").iterdir(), key=lambda p: p.stat().st_mtime)
    for old in snapshots[:-3]:
        if old != target:
            shutil.rmtree(old, ignore_errors=True)
    CODE = CHILD_CWD = target
    # cwd first on sys.path (python -m), then the snapshot, then the checkout for
    # the benchmarks package itself; the editable install's path comes after these.
    CHILD_ENV["PYTHONPATH"] = os.pathsep.join([str(target), str(ROOT)])
    return fingerprint


PAYEES = [
    "Cơ sở quảng cáo Minh Phát",
    "Tiệm photocopy Hồng Nhung",
    "Căn tin UBND xã",
    "Nhà hàng Bàu Phụng",
    "Cửa hàng điện máy Tân Phú",
    "Lê Minh Tuấn",
]
CONTENTS = [
    "Nước uống hội nghị thi đua",
    "In tài liệu tuyên truyền",
    "Văn phòng phẩm",
    "Trang trí khánh tiết",
    "Hỗ trợ tiền ăn đại biểu",
    "Thuê âm thanh ánh sáng",
]
IMPORT_TYPES = ["phieu_chi"] * 6 + ["rut_du_toan"] * 2 + ["uy_nhiem_chi", "tam_ung"]


def log(message: str) -> None:
    print(f"[bench] {message}", file=sys.stderr, flush=True)


def _code_key() -> str:
    digest = hashlib.sha256()
    files = [CODE / "budget" / "scale.py", CODE / "budget" / "demo.py"]
    files += sorted((CODE / "budget" / "migrations" / "versions").glob("*.py"))
    for path in files:
        digest.update(path.read_bytes())
    return digest.hexdigest()[:10]


def _checkpoint(path: Path) -> None:
    """Fold the WAL into the main file so that a plain file copy is the whole database."""
    conn = sqlite3.connect(path)
    try:
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    finally:
        conn.close()
    for suffix in ("-wal", "-shm"):
        extra = path.with_name(path.name + suffix)
        if extra.exists():
            extra.unlink()


def _build(path: Path, args: list[str]) -> Path:
    if path.exists():
        return path
    DATA.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".building")
    for suffix in ("", "-wal", "-shm"):
        stale = tmp.with_name(tmp.name + suffix)
        if stale.exists():
            stale.unlink()
    log(f"building {path.name}: budget --db … {' '.join(args)}")
    started = time.perf_counter()
    subprocess.run(
        [BUDGET, "--db", str(tmp), *args],
        check=True,
        cwd=CHILD_CWD,
        stdout=subprocess.DEVNULL,
        env=CHILD_ENV,
    )
    _checkpoint(tmp)
    tmp.rename(path)
    log(f"built {path.name} in {time.perf_counter() - started:.0f} s")
    return path


def _drop_stale(prefix: str, keep: Path) -> None:
    """Databases of the same kind built by other code, their WAL files and the CSVs
    generated from them."""
    for old in DATA.glob(f"{prefix}-*"):
        if old.name.startswith(keep.name) or ".building" in old.name:
            continue
        old.unlink()
    for old in DATA.glob(f"import-*-{prefix}-*.csv"):
        if keep.stem not in old.name:
            old.unlink()


def scale_db(vouchers: int) -> Path:
    """The demo year plus ``vouchers`` bulk-inserted vouchers (cached)."""
    path = DATA / f"scale-{vouchers}-{_code_key()}.db"
    _drop_stale(f"scale-{vouchers}", path)
    return _build(path, ["demo", "--vouchers", str(vouchers)])


def demo_db() -> Path:
    """The plain demo database (a few dozen vouchers)."""
    path = DATA / f"demo-{_code_key()}.db"
    _drop_stale("demo", path)
    return _build(path, ["demo"])


def fresh_copy(source: Path, name: str) -> Path:
    """A throw-away copy of a cached database (for scenarios that write)."""
    TMP.mkdir(parents=True, exist_ok=True)
    target = TMP / name
    for suffix in ("", "-wal", "-shm", "-journal"):
        extra = target.with_name(target.name + suffix)
        if extra.exists():
            extra.unlink()
    shutil.copyfile(source, target)
    return target


@dataclass(frozen=True)
class LineRoom:
    code: str
    room: int


def lines_with_room(path: Path, minimum: int) -> list[LineRoom]:
    """Lines of the current approved version with at least ``minimum`` đồng left."""
    conn = sqlite3.connect(path)
    try:
        rows = conn.execute(
            """
            WITH cur AS (
                SELECT id FROM estimate_versions
                WHERE campaign_id = 1 AND status = 'approved'
                ORDER BY version_no DESC LIMIT 1)
            SELECT l.code, l.amount - COALESCE(SUM(v.spent_delta + v.committed_delta), 0)
            FROM estimate_lines l JOIN cur ON l.version_id = cur.id
            LEFT JOIN vouchers v ON v.campaign_id = 1 AND v.line_code = l.code
            GROUP BY l.code, l.amount ORDER BY l.position, l.id
            """
        ).fetchall()
    finally:
        conn.close()
    return [LineRoom(code, int(room)) for code, room in rows if room >= minimum]


def import_csv(db: Path, rows: int) -> Path:
    """``rows`` vouchers for ``budget import vouchers``: number left blank (auto-numbered),
    a mix of types, ISO dates in 2024, small amounts on lines that have room for them."""
    path = DATA / f"import-{rows}-{db.stem}.csv"
    if path.exists():
        return path
    rng = random.Random(rows)
    lines = lines_with_room(db, minimum=rows * 10_000)
    if not lines:
        raise SystemExit(f"no line of {db.name} has room for {rows} imported vouchers")
    tmp = path.with_name(path.name + ".tmp")
    with tmp.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["number", "type", "date", "line", "payee", "content", "amount"])
        for i in range(rows):
            day = 1 + rng.randrange(360)
            month, mday = min(12, 1 + day // 30), 1 + day % 28
            writer.writerow(
                [
                    "",
                    IMPORT_TYPES[rng.randrange(len(IMPORT_TYPES))],
                    f"2024-{month:02d}-{mday:02d}",
                    lines[i % len(lines)].code,
                    rng.choice(PAYEES),
                    rng.choice(CONTENTS),
                    rng.randrange(1, 10) * 1000,
                ]
            )
    tmp.rename(path)
    return path


# -- PostgreSQL ---------------------------------------------------------------------------


def _server_url(database: str) -> str:
    base = PG_SERVER.rsplit("/", 1)[0]
    return f"{base}/{database}"


def _admin_connection():  # type: ignore[no-untyped-def]
    import psycopg

    return psycopg.connect(
        PG_SERVER.replace("postgresql+psycopg://", "postgresql://"), autocommit=True
    )


class PgDatabase:
    """A benchmark database ``bench_<random>`` on the server, dropped by ``drop``."""

    def __init__(self) -> None:
        self.name = f"bench_{uuid.uuid4().hex[:10]}"
        self.url = _server_url(self.name)
        self.created = False

    @property
    def raw_url(self) -> str:
        return self.url.replace("postgresql+psycopg://", "postgresql://")

    def create_scale(self, vouchers: int) -> None:
        with _admin_connection() as conn:
            conn.execute(f'CREATE DATABASE "{self.name}"')
        self.created = True
        log(f"loading {vouchers} vouchers into PostgreSQL database {self.name}")
        started = time.perf_counter()
        subprocess.run(
            [BUDGET, "--db", self.url, "demo", "--vouchers", str(vouchers)],
            check=True,
            cwd=CHILD_CWD,
            stdout=subprocess.DEVNULL,
            env=CHILD_ENV,
        )
        import psycopg

        # What autovacuum would do soon after a bulk load: statistics and a visibility map,
        # so that both sides can use index-only scans.
        with psycopg.connect(self.raw_url, autocommit=True) as conn:
            conn.execute("VACUUM ANALYZE")
        log(f"loaded in {time.perf_counter() - started:.0f} s")

    def drop(self) -> None:
        if not self.created:
            return
        with _admin_connection() as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{self.name}" WITH (FORCE)')
        self.created = False
        log(f"dropped PostgreSQL database {self.name}")
