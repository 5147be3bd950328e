"""Fault tolerance, end to end, with real processes.

1. Crash safety (SQLite): a 200,000-row ``import vouchers`` SIGKILLed at
   different moments is all or nothing; a loop posting one voucher per
   transaction, SIGKILLed, leaves only complete vouchers (each with its audit
   entry) and reconcile totals that equal the vouchers' sums.
2. Races (SQLite and PostgreSQL): processes posting at once against the same
   line's last money never overspend it; exactly the right number succeed, the
   others get the Vietnamese "Vượt dự toán" line and exit 2; nobody sees
   "database is locked" or a traceback. Posts on different lines at one instant
   all succeed with distinct numbers and an unbroken audit chain. Readers
   racing writers see no lock either.
3. Backups: an online backup taken while a writer posts restores to a state the
   database really passed through (reconcile reproduced exactly); backups are
   mode 0600; restore refuses garbage, truncated and newer-schema files and
   leaves the target untouched; the day's first open keeps a daily copy, and
   BUDGET_BACKUP_KEEP bounds how many stay; a daily copy cut short by a crash is
   not kept as the day's backup; a database in a folder named "Kế toán #1" is
   backed up with its data.

Every subprocess has a generous timeout; sleeps only pace polling loops and are
never a correctness condition.
"""

from __future__ import annotations

import csv
import hashlib
import json
import os
import signal
import sqlite3
import stat
import subprocess
import sys
import threading
import time
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import run_cli

pytestmark = pytest.mark.slow

BUDGET = str(Path(sys.executable).parent / "budget")
PY = sys.executable
TIMEOUT = 240  # any one subprocess, on a loaded 2-core machine
BIG_ROWS = 200_000
ROW_AMOUNT = 10  # đồng per imported row: 2.000.000 đồng over lines with room
DAY = "20/11/2024"
#: Nothing a user sees may contain these.
BAD_MARKERS = ("database is locked", "locked", "Traceback", "Lỗi không mong đợi")
OVERSPENT = "Vượt dự toán"


# --------------------------------------------------------------------------- helpers


@dataclass
class Res:
    code: int
    out: str
    err: str

    def __str__(self) -> str:
        return f"exit {self.code}\n--- stdout\n{self.out[-2000:]}\n--- stderr\n{self.err[-2000:]}"


def child_env(**extra: str) -> dict[str, str]:
    """The test's (isolated) environment for a child process, without debug knobs."""
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in ("BUDGET_DEBUG", "BUDGET_BACKUP_KEEP", "BUDGET_NOW", "BUDGET_DATABASE_URL")
    }
    env["PYTHONUNBUFFERED"] = "1"
    env.update(extra)
    return env


def budget(*args: str | os.PathLike[str], env: dict[str, str] | None = None) -> Res:
    """Run the console script in a real process."""
    proc = subprocess.run(
        [BUDGET, *map(str, args)],
        env=env or child_env(),
        capture_output=True,
        text=True,
        timeout=TIMEOUT,
        stdin=subprocess.DEVNULL,
    )
    return Res(proc.returncode, proc.stdout, proc.stderr)


def assert_clean(*texts: str) -> None:
    for text in texts:
        for marker in BAD_MARKERS:
            assert marker not in text, f"{marker!r} printed:\n{text[-3000:]}"


def ok(res: Res) -> Res:
    assert res.code == 0, str(res)
    assert_clean(res.out, res.err)
    return res


def reconcile_json(db: str | os.PathLike[str]) -> dict[str, Any]:
    """``report reconcile --format json`` (in-process: it only reads)."""
    res = run_cli("--db", str(db), "report", "reconcile", "--format", "json")
    assert res.code == 0, res.err
    return json.loads(res.out)


def lines_by_code(rec: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {line["code"]: line for line in rec["lines"]}


def copy_db(src: Path, dst: Path) -> Path:
    """A consistent copy with SQLite's backup API (the source may have a -wal)."""
    dst.parent.mkdir(parents=True, exist_ok=True)
    source = sqlite3.connect(src)
    try:
        dest = sqlite3.connect(dst)
        try:
            source.backup(dest)
        finally:
            dest.close()
    finally:
        source.close()
    os.chmod(dst, 0o600)
    return dst


def query(db: Path, sql: str, *params: Any) -> list[tuple[Any, ...]]:
    con = sqlite3.connect(db, timeout=60)
    try:
        return con.execute(sql, params).fetchall()
    finally:
        con.close()


def scalar(db: Path, sql: str, *params: Any) -> Any:
    return query(db, sql, *params)[0][0]


def integrity(db: Path) -> list[tuple[Any, ...]]:
    """integrity_check after the WAL recovery a crash calls for (read-write open)."""
    con = sqlite3.connect(db, timeout=60)
    try:
        status = con.execute("PRAGMA integrity_check").fetchall()
        fk = con.execute("PRAGMA foreign_key_check").fetchall()
    finally:
        con.close()
    assert fk == [], f"foreign key violations: {fk[:5]}"
    return status


def file_state(path: Path) -> dict[str, str | None]:
    """sha256 of the database file and its -wal/-shm (None when absent)."""
    state: dict[str, str | None] = {}
    for suffix in ("", "-wal", "-shm"):
        p = Path(str(path) + suffix)
        state[suffix or "db"] = hashlib.sha256(p.read_bytes()).hexdigest() if p.exists() else None
    return state


class Lines:
    """Collects a child's stdout lines in a thread (so its pipe never fills)."""

    def __init__(self, proc: subprocess.Popen[str]) -> None:
        self.proc = proc
        self.lines: list[str] = []
        assert proc.stdout is not None
        self._thread = threading.Thread(target=self._pump, args=(proc.stdout,), daemon=True)
        self._thread.start()

    def _pump(self, stream: Any) -> None:
        for line in stream:
            self.lines.append(line.rstrip("\n"))

    def wait_for(self, count: int, timeout: float = TIMEOUT) -> None:
        deadline = time.monotonic() + timeout
        while len(self.lines) < count:
            if self.proc.poll() is not None:
                self._thread.join(10)
                break
            assert time.monotonic() < deadline, f"waited {timeout}s for {count} lines"
            time.sleep(0.02)

    def finish(self) -> list[str]:
        self.proc.wait(timeout=TIMEOUT)
        self._thread.join(TIMEOUT)
        return self.lines


def spawn(
    args: list[str], stderr_file: Path, env: dict[str, str] | None = None, **kw: Any
) -> subprocess.Popen[str]:
    return subprocess.Popen(
        args,
        env=env or child_env(),
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=stderr_file.open("w"),
        text=True,
        **kw,
    )


def bump(rec: dict[str, Any], code: str, spent: int) -> dict[str, Any]:
    """``rec`` with ``spent`` more đồng spent on line ``code`` (and its part, its
    budget code and the total), recomputed by the JSON contract's rules."""
    out = json.loads(json.dumps(rec))

    def apply(fig: dict[str, Any]) -> None:
        fig["spent"] += spent
        fig["remaining"] = fig["approved"] - fig["spent"] - fig["committed"]
        used = fig["spent"] + fig["committed"]
        fig["percent"] = (
            None
            if fig["approved"] == 0
            else float(
                (Decimal(100 * used) / fig["approved"]).quantize(
                    Decimal("0.1"), rounding=ROUND_HALF_UP
                )
            )
        )
        fig["over"] = used > fig["approved"]

    line = lines_by_code(out)[code]
    apply(line)
    for part in out["parts"]:
        if part["code"] == line["part"]:
            apply(part)
    for group in out["codes"]:
        if group["code"] == line["mlnsnn"]:
            apply(group)
    apply(out["total"])
    return out


# Posts one voucher per transaction through the service, printing each number
# once committed; stops after LIMIT vouchers (0: never) or when STOP exists.
POSTER = r"""
import os, sys
from datetime import date
from budget.db import open_database
from budget.services.campaigns import find_campaign
from budget.services.vouchers import post_voucher
url, line, tag, limit, stop, amount = sys.argv[1:7]
limit, amount = int(limit), int(amount)
db = open_database(url)
i = 0
while (limit <= 0 or i < limit) and not (stop != "-" and os.path.exists(stop)):
    i += 1
    with db.write_session() as s, s.begin():
        info = find_campaign(s)
        p = post_voucher(s, info.id, line_code=line, amount=amount,
                         entry_date=date(2024, 11, 20), payee=f"{tag} {i}",
                         content=f"Chi thử {tag} số {i}", actor=tag)
    print(p.number, flush=True)
db.dispose()
"""

# Reads the reconciliation in a loop (a new read transaction each time) until STOP.
READER = r"""
import json, os, sys
from budget.db import open_database
from budget.reports.reconcile import reconcile
from budget.services.campaigns import find_campaign
url, stop = sys.argv[1:3]
db = open_database(url)
while not os.path.exists(stop):
    with db.session() as s:
        rec = reconcile(s, find_campaign(s).id)
    print(json.dumps({"total": rec.total.spent,
                      "lines": sum(r.figures.spent for r in rec.lines)}), flush=True)
db.dispose()
"""

# The console script's main(), entered by every racer at the same instant: the
# modules are imported first, then READY is touched and BARRIER awaited.
RACER = r"""
import os, sys, time
ready, barrier = sys.argv[1:3]
from budget.cli import main
import budget.cli.voucher_cmd, budget.db, budget.services.vouchers, budget.reports.register
try:
    import psycopg, sqlalchemy.dialects.postgresql.psycopg
except ImportError:
    pass
open(ready, "w").close()
deadline = time.monotonic() + 300
while not os.path.exists(barrier):
    if time.monotonic() > deadline:
        sys.exit(99)
    time.sleep(0.002)
main(sys.argv[3:])
"""


# --------------------------------------------------------------------------- fixtures


@dataclass(frozen=True)
class Template:
    path: Path
    rec: dict[str, Any]
    vouchers: int


@pytest.fixture(scope="module")
def demo_template(tmp_path_factory: pytest.TempPathFactory) -> Template:
    """The demo database, built once by the console script; tests copy it."""
    base = tmp_path_factory.mktemp("template")
    env = child_env(
        HOME=str(base / "home"),
        XDG_DATA_HOME=str(base / "home" / "data"),
        XDG_CONFIG_HOME=str(base / "home" / "config"),
        BUDGET_USER="kiemthu",
    )
    env.pop("BUDGET_NORMS", None)
    path = base / "demo.db"
    ok(budget("--db", path, "demo", env=env))
    rec = json.loads(
        ok(budget("--db", path, "report", "reconcile", "--format", "json", env=env)).out
    )
    return Template(path, rec, scalar(path, "SELECT count(*) FROM vouchers"))


@pytest.fixture(scope="module")
def big_csv(
    tmp_path_factory: pytest.TempPathFactory, demo_template: Template
) -> tuple[Path, dict[str, int]]:
    """200,000 valid rows of 10 đồng, spread over the demo's lines with room.

    Returns the file and the đồng it puts on each line.
    """
    room = {
        line["code"]: line["remaining"] // ROW_AMOUNT
        for line in demo_template.rec["lines"]
        if line["remaining"] >= ROW_AMOUNT
    }
    assert sum(room.values()) >= BIG_ROWS, room
    codes = sorted(room)
    plan: list[str] = []
    i = 0
    while len(plan) < BIG_ROWS:
        code = codes[i % len(codes)]
        i += 1
        if room[code] > 0:
            room[code] -= 1
            plan.append(code)
    path = tmp_path_factory.mktemp("csv") / "big.csv"
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["number", "type", "date", "line", "payee", "content", "amount"])
        for n, code in enumerate(plan, 1):
            writer.writerow(
                [
                    "",
                    "phieu_chi",
                    DAY,
                    code,
                    f"Người nhận {n}",
                    f"Chi thử nhập lô số {n}",
                    ROW_AMOUNT,
                ]
            )
    added: dict[str, int] = {}
    for code in plan:
        added[code] = added.get(code, 0) + ROW_AMOUNT
    return path, added


@pytest.fixture
def demo_db(tmp_path: Path, demo_template: Template) -> Path:
    return copy_db(demo_template.path, tmp_path / "budget.db")


def demo_on(db_url: str, demo_template: Template) -> None:
    """The demo on ``db_url``: a copy of the template on SQLite, built on PostgreSQL."""
    if db_url.startswith("sqlite"):
        copy_db(demo_template.path, Path(db_url.removeprefix("sqlite:///")))
    else:
        ok(budget("--db", db_url, "demo"))


# --------------------------------------------------------------------------- 1. crashes


def _holds_write_lock(db: Path) -> bool:
    """True while another connection holds SQLite's write lock (BEGIN IMMEDIATE)."""
    con = sqlite3.connect(db, timeout=0, isolation_level=None)
    try:
        con.execute("BEGIN IMMEDIATE")
        con.execute("ROLLBACK")
        return False
    except sqlite3.OperationalError as exc:
        assert "locked" in str(exc) or "busy" in str(exc), exc
        return True
    finally:
        con.close()


@pytest.mark.parametrize("moment", ["in-transaction", "wal-2MB", "wal-30MB"])
def test_import_killed_mid_way_is_all_or_nothing(
    tmp_path: Path,
    demo_db: Path,
    demo_template: Template,
    big_csv: tuple[Path, dict[str, int]],
    moment: str,
) -> None:
    csv_path, added = big_csv
    before = scalar(demo_db, "SELECT count(*) FROM vouchers")
    audits_before = scalar(demo_db, "SELECT count(*) FROM audit_entries")
    wal = Path(str(demo_db) + "-wal")
    threshold = {"in-transaction": 0, "wal-2MB": 2 << 20, "wal-30MB": 30 << 20}[moment]
    proc = subprocess.Popen(
        [BUDGET, "--db", str(demo_db), "import", "vouchers", str(csv_path)],
        env=child_env(),
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=(tmp_path / "import.err").open("w"),
    )
    deadline = time.monotonic() + TIMEOUT
    killed_at = None
    try:
        while proc.poll() is None:
            assert time.monotonic() < deadline, "import neither finished nor reached the kill point"
            if threshold == 0:
                # The importer is inside its write transaction (reading the CSV):
                # no page of it has reached the WAL yet.
                reached = demo_db.with_name("backups").is_dir() and _holds_write_lock(demo_db)
            else:
                reached = wal.exists() and wal.stat().st_size >= threshold
            if reached:
                killed_at = wal.stat().st_size if wal.exists() else 0
                proc.send_signal(signal.SIGKILL)
                break
            time.sleep(0.01)
        proc.wait(timeout=TIMEOUT)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    assert proc.returncode in (-signal.SIGKILL, 0), (
        proc.returncode,
        (tmp_path / "import.err").read_text(),
    )

    assert integrity(demo_db) == [("ok",)]
    after = scalar(demo_db, "SELECT count(*) FROM vouchers")
    imports = scalar(
        demo_db, "SELECT count(*) FROM audit_entries WHERE action = 'import' AND entity = 'voucher'"
    )
    assert after in (before, before + BIG_ROWS), (
        f"killed at WAL {killed_at} bytes: {after - before} of {BIG_ROWS} rows stayed"
    )
    rec = reconcile_json(demo_db)
    if after == before:
        assert imports == 0
        assert scalar(demo_db, "SELECT count(*) FROM audit_entries") == audits_before
        assert rec == demo_template.rec
    else:
        assert imports == 1
        expected = demo_template.rec
        for code, amount in added.items():
            expected = bump(expected, code, amount)
        assert rec == expected
    # No lock outlives the killed process: the next user posts at once.
    ok(
        budget(
            "--db",
            demo_db,
            "voucher",
            "add",
            "--line",
            "IV.5",
            "--amount",
            "1.000",
            "--date",
            DAY,
            "--payee",
            "Sau sự cố",
            "--content",
            "Chi sau khi tiến trình bị dừng",
        )
    )
    ok(budget("--db", demo_db, "audit", "verify"))


def _check_complete(db: Path, tag: str, printed: list[str]) -> None:
    """Every voucher of ``tag`` has its audit "post" entry and vice versa; every
    number the writer printed (committed) is there; reconcile equals the sums."""
    assert integrity(db) == [("ok",)]
    vouchers = {
        number: (line, spent, committed)
        for number, line, spent, committed in query(
            db,
            "SELECT number, line_code, spent_delta, committed_delta FROM vouchers "
            "WHERE entered_by = ?",
            tag,
        )
    }
    posts = [
        row[0]
        for row in query(
            db,
            "SELECT entity_id FROM audit_entries WHERE action = 'post' AND entity = 'voucher' "
            "AND actor = ?",
            tag,
        )
    ]
    assert len(posts) == len(set(posts))
    assert set(posts) == set(vouchers), (
        f"vouchers without audit entry: {sorted(set(vouchers) - set(posts))}; "
        f"audit entries without voucher: {sorted(set(posts) - set(vouchers))}"
    )
    assert set(printed) <= set(vouchers), f"committed but lost: {set(printed) - set(vouchers)}"
    assert len(vouchers) - len(set(printed)) in (0, 1)
    sums: dict[str, list[int]] = {}
    for line, spent, committed in query(
        db, "SELECT line_code, spent_delta, committed_delta FROM vouchers"
    ):
        acc = sums.setdefault(line, [0, 0])
        acc[0] += spent
        acc[1] += committed
    rec = reconcile_json(db)
    for line in rec["lines"]:
        spent, committed = sums.get(line["code"], [0, 0])
        assert (line["spent"], line["committed"]) == (spent, committed), line["code"]
    assert rec["total"]["spent"] == sum(s for s, _ in sums.values())
    assert rec["total"]["committed"] == sum(c for _, c in sums.values())
    ok(budget("--db", db, "audit", "verify"))


def test_service_loop_killed_leaves_only_complete_vouchers(tmp_path: Path, demo_db: Path) -> None:
    printed: list[str] = []
    for round_no, wait_for in enumerate((20, 60), 1):
        tag = f"vonglap{round_no}"
        proc = spawn(
            [PY, "-c", POSTER, str(demo_db), "IV.5", tag, "0", "-", "1"],
            tmp_path / f"loop{round_no}.err",
        )
        reader = Lines(proc)
        try:
            reader.wait_for(wait_for)
            assert proc.poll() is None, (tmp_path / f"loop{round_no}.err").read_text()
        finally:
            proc.send_signal(signal.SIGKILL)
        printed = reader.finish()
        assert proc.returncode == -signal.SIGKILL
        assert_clean((tmp_path / f"loop{round_no}.err").read_text())
        assert len(printed) >= wait_for
        _check_complete(demo_db, tag, printed)


def test_cli_loop_killed_leaves_only_complete_vouchers(tmp_path: Path, demo_db: Path) -> None:
    tag = "vonglapcli"
    script = (
        "i=0; while true; do i=$((i+1)); "
        f'"{BUDGET}" --db "{demo_db}" voucher add --line IV.5 --amount 1.000 --date {DAY} '
        '--payee "Vòng lặp $i" --content "Chi thử vòng lặp số $i" | tail -n 1; done'
    )
    proc = spawn(
        ["bash", "-c", script],
        tmp_path / "cli-loop.err",
        env=child_env(BUDGET_USER=tag),
        start_new_session=True,
    )
    reader = Lines(proc)
    try:
        reader.wait_for(3)
        assert proc.poll() is None, (tmp_path / "cli-loop.err").read_text()
        # Some way into the fourth call (no correctness depends on where).
        time.sleep(0.7)
    finally:
        os.killpg(proc.pid, signal.SIGKILL)
    printed = reader.finish()
    assert_clean((tmp_path / "cli-loop.err").read_text())
    assert all(n.startswith("PC-") for n in printed), printed
    _check_complete(demo_db, tag, printed)


# --------------------------------------------------------------------------- 2. races


def _release_together(tmp: Path, commands: list[tuple[list[str], str]]) -> list[Res]:
    """Start RACER processes (console-script argv, BUDGET_USER) and release them at once."""
    tmp.mkdir(parents=True, exist_ok=True)
    gate = tmp / "go"
    procs = [
        subprocess.Popen(
            [PY, "-c", RACER, str(tmp / f"ready{i}"), str(gate), *argv],
            env=child_env(BUDGET_USER=user),
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for i, (argv, user) in enumerate(commands)
    ]
    deadline = time.monotonic() + TIMEOUT
    while not all((tmp / f"ready{i}").exists() for i in range(len(procs))):
        assert all(p.poll() is None for p in procs), "a racer died before the barrier"
        assert time.monotonic() < deadline, "racers never got ready"
        time.sleep(0.02)
    gate.touch()
    outputs = [p.communicate(timeout=TIMEOUT) for p in procs]
    return [Res(p.returncode, o, e) for p, (o, e) in zip(procs, outputs, strict=True)]


def _start_racers(tmp: Path, db: str, line: str, amount: int, n: int, barrier: bool) -> list[Res]:
    """N posters of ``amount`` on ``line``: released at one instant through a barrier,
    or (barrier=False) N console scripts started one right after the other."""
    args = ["--db", db, "voucher", "add", "--line", line, "--amount", str(amount)]
    args += ["--date", DAY, "--payee", "Người đua", "--content", f"Chi tranh chấp dòng {line}"]
    if barrier:
        return _release_together(tmp, [(args, f"nguoidua{i}") for i in range(n)])
    procs = [
        subprocess.Popen(
            [BUDGET, *args],
            env=child_env(BUDGET_USER=f"nguoidua{i}"),
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for i in range(n)
    ]
    outputs = [p.communicate(timeout=TIMEOUT) for p in procs]
    return [Res(p.returncode, o, e) for p, (o, e) in zip(procs, outputs, strict=True)]


def _race_round(tmp: Path, db_url: str, line: str, amount: int, n: int, barrier: bool) -> None:
    before = reconcile_json(db_url)
    remaining = lines_by_code(before)[line]["remaining"]
    assert remaining > 0
    expected = min(n, remaining // amount)
    results = _start_racers(tmp, db_url, line, amount, n, barrier)
    report = "\n\n".join(str(r) for r in results)
    for r in results:
        assert_clean(r.out, r.err)
    winners = [r for r in results if r.code == 0]
    losers = [r for r in results if r.code != 0]
    assert len(winners) == expected, report
    for r in losers:
        assert r.code == 2, report
        assert OVERSPENT in r.err, report
        assert len(r.err.strip().splitlines()) == 1, report
    after = reconcile_json(db_url)
    got = lines_by_code(after)[line]
    assert got["spent"] + got["committed"] <= got["approved"], got
    assert got["remaining"] == remaining - expected * amount
    assert not got["over"]
    assert after == bump(before, line, expected * amount)


def test_racing_posts_never_overspend_a_line(
    tmp_path: Path, db_url: str, demo_template: Template
) -> None:
    demo_on(db_url, demo_template)
    rec = reconcile_json(db_url)
    room = [ln["code"] for ln in rec["lines"] if ln["remaining"] >= 1_000_000 and not ln["over"]]
    assert "II.4" in room and len(room) >= 3
    others = [c for c in room if c != "II.4"]
    r1 = lines_by_code(rec)["II.4"]["remaining"]
    r2 = lines_by_code(rec)[others[0]]["remaining"]
    r3 = lines_by_code(rec)[others[1]]["remaining"]
    # 4 console scripts started together, each wanting the line's whole remainder.
    _race_round(tmp_path / "r1", db_url, "II.4", r1, 4, barrier=False)
    # 4 processes released at one instant, each wanting just over half: one wins.
    _race_round(tmp_path / "r2", db_url, others[0], r2 // 2 + 1, 4, barrier=True)
    # 4 released at once, a third each: three win, the fourth finds nothing left.
    _race_round(tmp_path / "r3", db_url, others[1], r3 // 3, 4, barrier=True)
    ok(budget("--db", db_url, "audit", "verify"))


def test_racing_posts_on_different_lines_all_succeed(
    tmp_path: Path, db_url: str, demo_template: Template
) -> None:
    """Four accountants posting at the same instant on four different lines, each
    with room: all four succeed, with distinct numbers, and the audit chain holds.

    Round 1 lets the tool number the vouchers; round 2 gives each its own number.
    Problems of both rounds are collected and reported together.
    """
    demo_on(db_url, demo_template)
    before = reconcile_json(db_url)
    room = [ln["code"] for ln in before["lines"] if ln["remaining"] >= 1_000_000][:4]
    assert len(room) == 4
    problems: list[str] = []
    expected = before
    for round_no, numbered in ((1, False), (2, True)):
        commands = []
        for i, line in enumerate(room):
            argv = [
                "--db",
                db_url,
                "voucher",
                "add",
                "--line",
                line,
                "--amount",
                "50.000",
                "--date",
                DAY,
                "--payee",
                f"Đơn vị {i}",
                "--content",
                f"Chi dòng {line}",
            ]
            if numbered:
                argv += ["--number", f"PC-{9000 + i}"]
            commands.append((argv, f"ketoan{i}"))
        results = _release_together(tmp_path / f"round{round_no}", commands)
        for line, r in zip(room, results, strict=True):
            if r.code == 0:
                expected = bump(expected, line, 50_000)
            if r.code != 0 or any(m in r.out + r.err for m in BAD_MARKERS):
                problems.append(
                    f"round {round_no}, line {line}: exit {r.code}: {r.err.strip()[:300]}"
                )
        numbers = [r.out.strip().splitlines()[-1] for r in results if r.code == 0]
        if len(set(numbers)) != len(numbers):
            problems.append(f"round {round_no}: duplicate numbers {numbers}")
    got = reconcile_json(db_url)
    if got != expected:
        problems.append("reconcile does not equal the vouchers that succeeded")
    verify = budget("--db", db_url, "audit", "verify")
    if verify.code != 0:
        problems.append(f"audit verify after the races: exit {verify.code}: {verify.err.strip()}")
    assert not problems, "\n".join(problems)


def test_readers_and_writers_race_without_lock_errors(tmp_path: Path, demo_db: Path) -> None:
    stop = tmp_path / "stop"
    reader = spawn([PY, "-c", READER, str(demo_db), str(stop)], tmp_path / "reader.err")
    snapshots = Lines(reader)
    writers = [
        spawn(
            [PY, "-c", POSTER, str(demo_db), line, f"ghi{i}", "15", "-", "1"],
            tmp_path / f"writer{i}.err",
        )
        for i, line in enumerate(("IV.5", "V.3"))
    ]
    written = [Lines(w) for w in writers]
    cli_reads = 0
    try:
        # The console script reads and exports, and posts too, while all that runs.
        while cli_reads < 1 or any(w.poll() is None for w in writers):
            rec = json.loads(
                ok(budget("--db", demo_db, "report", "reconcile", "--format", "json")).out
            )
            assert rec["total"]["spent"] == sum(ln["spent"] for ln in rec["lines"])
            ok(
                budget(
                    "--db",
                    demo_db,
                    "export",
                    "settlement",
                    "--out",
                    tmp_path / f"qt{cli_reads}.xlsx",
                )
            )
            ok(
                budget(
                    "--db",
                    demo_db,
                    "voucher",
                    "add",
                    "--line",
                    "V.4",
                    "--amount",
                    "1.000",
                    "--date",
                    DAY,
                    "--payee",
                    "Người dùng CLI",
                    "--content",
                    "Chi khi đang có người đọc",
                )
            )
            cli_reads += 1
            assert cli_reads < 200
    finally:
        stop.touch()
    for i, w in enumerate(written):
        lines = w.finish()
        assert w.proc.returncode == 0, (tmp_path / f"writer{i}.err").read_text()
        assert_clean((tmp_path / f"writer{i}.err").read_text())
        assert len(lines) == 15
    seen = snapshots.finish()
    assert reader.returncode == 0, (tmp_path / "reader.err").read_text()
    assert_clean((tmp_path / "reader.err").read_text())
    totals = [json.loads(s) for s in seen]
    assert totals, "the reader never completed a read"
    assert all(t["total"] == t["lines"] for t in totals)
    # Only payments were added: each snapshot is at least the one before.
    assert all(a["total"] <= b["total"] for a, b in zip(totals, totals[1:], strict=False))
    assert integrity(demo_db) == [("ok",)]


# --------------------------------------------------------------------------- 3. backups


def test_backup_while_posting_restores_a_state_that_existed(
    tmp_path: Path, demo_db: Path, demo_template: Template
) -> None:
    baseline = reconcile_json(demo_db)
    assert baseline == demo_template.rec

    # Quiet database: the restored copy reproduces reconcile exactly.
    quiet = tmp_path / "quiet.db"
    out = ok(budget("--db", demo_db, "backup", "--out", quiet)).out
    assert str(quiet) in out
    assert stat.S_IMODE(quiet.stat().st_mode) == 0o600
    assert query(quiet, "PRAGMA integrity_check") == [("ok",)]

    # Now while a writer posts 1 đồng vouchers to IV.5.
    stop = tmp_path / "stop"
    writer = spawn(
        [PY, "-c", POSTER, str(demo_db), "IV.5", "ghisaoluu", "0", str(stop), "1"],
        tmp_path / "writer.err",
    )
    posted = Lines(writer)
    live = tmp_path / "live.db"
    try:
        posted.wait_for(5)
        assert writer.poll() is None, (tmp_path / "writer.err").read_text()
        n0 = len(posted.lines)  # committed before the backup began
        ok(budget("--db", demo_db, "backup", "--out", live))
        posted.wait_for(n0 + 3)  # the writer kept going after the backup
    finally:
        stop.touch()
    final = posted.finish()
    assert writer.returncode == 0, (tmp_path / "writer.err").read_text()
    assert_clean((tmp_path / "writer.err").read_text())
    assert stat.S_IMODE(live.stat().st_mode) == 0o600
    assert query(live, "PRAGMA integrity_check") == [("ok",)]

    # The backup is a state the database passed through: a prefix of its vouchers
    # and of its audit chain, every voucher with its audit entry.
    k = scalar(live, "SELECT count(*) FROM vouchers WHERE entered_by = 'ghisaoluu'")
    assert n0 <= k <= len(final)
    in_backup = query(live, "SELECT id, number FROM vouchers ORDER BY id")
    in_source = query(demo_db, "SELECT id, number FROM vouchers ORDER BY id")
    assert in_backup == in_source[: len(in_backup)]
    chain_backup = query(live, "SELECT hash FROM audit_entries ORDER BY id")
    chain_source = query(demo_db, "SELECT hash FROM audit_entries ORDER BY id")
    assert chain_backup == chain_source[: len(chain_backup)]
    assert len(chain_backup) == scalar(demo_template.path, "SELECT count(*) FROM audit_entries") + k

    # Restore each into a copy of today's database.
    for source, spent in ((quiet, 0), (live, k)):
        target = copy_db(demo_db, tmp_path / f"copy-{source.stem}" / "budget.db")
        res = ok(budget("--db", target, "restore", source, "--yes"))
        assert "Đã khôi phục" in res.out
        asides = list((target.parent / "backups").glob("budget-before-restore-*.db"))
        assert len(asides) == 1
        assert stat.S_IMODE(asides[0].stat().st_mode) == 0o600
        assert scalar(asides[0], "SELECT count(*) FROM vouchers") == len(in_source)
        assert reconcile_json(target) == bump(baseline, "IV.5", spent)
        ok(budget("--db", target, "audit", "verify"))
        assert integrity(target) == [("ok",)]


def _garbage(path: Path, good: Path) -> None:
    path.write_bytes(os.urandom(64 * 1024))


def _garbage_with_header(path: Path, good: Path) -> None:
    path.write_bytes(b"SQLite format 3\x00" + os.urandom(64 * 1024))


def _truncated_half(path: Path, good: Path) -> None:
    data = good.read_bytes()
    path.write_bytes(data[: len(data) // 2])


def _truncated_last_page(path: Path, good: Path) -> None:
    data = good.read_bytes()
    path.write_bytes(data[:-4096])


def _newer_schema(path: Path, good: Path) -> None:
    copy_db(good, path)
    con = sqlite3.connect(path)
    with con:
        con.execute("UPDATE alembic_version SET version_num = '9999_tuong_lai'")
    con.close()


def _no_alembic(path: Path, good: Path) -> None:
    copy_db(good, path)
    con = sqlite3.connect(path)
    with con:
        con.execute("DROP TABLE alembic_version")
    con.close()


def _missing(path: Path, good: Path) -> None:
    path.unlink(missing_ok=True)


SPOILERS = {
    "garbage": _garbage,
    "header-then-garbage": _garbage_with_header,
    "truncated-half": _truncated_half,
    "truncated-last-page": _truncated_last_page,
    "newer-schema": _newer_schema,
    "no-alembic-table": _no_alembic,
    "missing-file": _missing,
}


def test_restore_refuses_bad_files_and_leaves_the_target_untouched(
    tmp_path: Path, demo_db: Path
) -> None:
    # A real backup with some weight, to spoil.
    ok(
        budget(
            "--db", demo_db, "voucher", "add", "--line", "IV.5", "--amount", "1.000",
            "--date", DAY, "--payee", "Trước sao lưu", "--content", "Chi trước sao lưu",
        )
    )  # fmt: skip
    good = tmp_path / "good.db"
    ok(budget("--db", demo_db, "backup", "--out", good))
    target = copy_db(demo_db, tmp_path / "target" / "budget.db")
    rec = reconcile_json(target)  # opens it once: today's daily copy is made now
    state = file_state(target)
    listing = sorted(p.name for p in target.parent.rglob("*"))
    for name, spoil in SPOILERS.items():
        bad = tmp_path / f"bad-{name}.db"
        spoil(bad, good)
        res = budget("--db", target, "restore", bad, "--yes")
        assert res.code == 2, f"{name}: {res}"
        assert_clean(res.out, res.err)
        assert res.err.startswith("Lỗi: "), f"{name}: {res}"
        assert len(res.err.strip().splitlines()) == 1, f"{name}: {res}"
        assert file_state(target) == state, name
        assert sorted(p.name for p in target.parent.rglob("*")) == listing, name
    assert reconcile_json(target) == rec


def test_backup_default_location_mode_and_no_overwrite(tmp_path: Path, demo_db: Path) -> None:
    # Default location: backups/ beside the database, mode 0600 (and the folder 0700).
    res = ok(budget("--db", demo_db, "backup"))
    made = list((demo_db.parent / "backups").glob("budget-2*.db"))
    assert len(made) == 1, res.out
    assert stat.S_IMODE(made[0].stat().st_mode) == 0o600
    assert stat.S_IMODE(made[0].parent.stat().st_mode) == 0o700
    assert query(made[0], "PRAGMA integrity_check") == [("ok",)]
    assert scalar(made[0], "SELECT count(*) FROM vouchers") == scalar(
        demo_db, "SELECT count(*) FROM vouchers"
    )
    # A backup never overwrites an existing file.
    digest = hashlib.sha256(made[0].read_bytes()).hexdigest()
    res = budget("--db", demo_db, "backup", "--out", made[0])
    assert res.code == 2, str(res)
    assert_clean(res.out, res.err)
    assert hashlib.sha256(made[0].read_bytes()).hexdigest() == digest


def test_backup_of_a_database_in_a_folder_named_with_hash(
    tmp_path: Path, demo_template: Template
) -> None:
    """A folder like "Kế toán #1" is an ordinary name for an accountant's folder:
    the backups of a database there must hold its data."""
    folder = tmp_path / "Kế toán #1"
    db = copy_db(demo_template.path, folder / "budget.db")
    ok(budget("--db", db, "report", "reconcile"))  # the day's first open: daily copy
    out = tmp_path / "saoluu.db"
    ok(budget("--db", db, "backup", "--out", out))
    problems = []

    def vouchers_in(copy: Path) -> int | None:
        tables = {r[0] for r in query(copy, "SELECT name FROM sqlite_master WHERE type='table'")}
        return scalar(copy, "SELECT count(*) FROM vouchers") if "vouchers" in tables else None

    got = vouchers_in(out)
    if got != demo_template.vouchers:
        problems.append(f"budget backup --out: {got} vouchers (expected {demo_template.vouchers})")
    dailies = list((folder / "backups").glob("budget-daily-*.db"))
    if len(dailies) != 1:
        problems.append(f"daily copies: {dailies}")
    else:
        got = vouchers_in(dailies[0])
        if got != demo_template.vouchers:
            problems.append(f"daily copy: {got} vouchers (expected {demo_template.vouchers})")
    # Restoring a sound backup kept in that folder.
    kept = copy_db(demo_template.path, folder / "saoluu-cu.db")
    target = copy_db(demo_template.path, tmp_path / "khac" / "budget.db")
    res = budget("--db", target, "restore", kept, "--yes")
    if res.code != 0:
        problems.append(f"restore {kept.name} from that folder: exit {res.code}: {res.err.strip()}")
    beside = sorted(p.name for p in tmp_path.iterdir())
    if beside != ["Kế toán #1", "khac", "saoluu.db", "saoluu.db.head.json"]:
        problems.append(f"files beside the folder: {beside}")
    assert not problems, "; ".join(problems)


def test_first_open_of_each_day_keeps_a_daily_copy(tmp_path: Path, demo_db: Path) -> None:
    backups = demo_db.parent / "backups"
    assert not backups.exists()
    c0 = scalar(demo_db, "SELECT count(*) FROM vouchers")

    def add(day: str) -> None:
        ok(
            budget(
                "--db",
                demo_db,
                "voucher",
                "add",
                "--line",
                "IV.5",
                "--amount",
                "1.000",
                "--date",
                DAY,
                "--payee",
                "Theo ngày",
                "--content",
                f"Chi ngày {day}",
                env=child_env(BUDGET_NOW=f"{day}T08:00:00"),
            )
        )

    def dailies() -> list[str]:
        return sorted(p.name for p in backups.glob("budget-daily-*.db"))

    add("2024-12-02")
    assert dailies() == ["budget-daily-20241202.db"]
    first = backups / "budget-daily-20241202.db"
    assert stat.S_IMODE(first.stat().st_mode) == 0o600
    assert stat.S_IMODE(backups.stat().st_mode) == 0o700
    # The copy is the database as the day found it, before the day's first change.
    assert query(first, "PRAGMA integrity_check") == [("ok",)]
    assert scalar(first, "SELECT count(*) FROM vouchers") == c0
    digest = hashlib.sha256(first.read_bytes()).hexdigest()

    add("2024-12-02")  # same day: the morning copy stays as it was
    assert dailies() == ["budget-daily-20241202.db"]
    assert hashlib.sha256(first.read_bytes()).hexdigest() == digest

    add("2024-12-03")
    assert dailies() == ["budget-daily-20241202.db", "budget-daily-20241203.db"]
    assert scalar(backups / "budget-daily-20241203.db", "SELECT count(*) FROM vouchers") == c0 + 2

    ok(
        budget(
            "--db",
            demo_db,
            "report",
            "reconcile",
            env=child_env(BUDGET_NOW="2024-12-04T08:00:00", BUDGET_BACKUP_KEEP="2"),
        )
    )
    assert dailies() == ["budget-daily-20241203.db", "budget-daily-20241204.db"]
    assert scalar(backups / "budget-daily-20241204.db", "SELECT count(*) FROM vouchers") == c0 + 3


def test_a_daily_copy_cut_short_by_a_crash_is_made_again(tmp_path: Path, demo_db: Path) -> None:
    """A process killed while it copies the day's backup leaves the file it had
    created (empty: O_EXCL, mode 0600, before the copy starts) or part of it.
    The next open that day must not take that for the day's backup."""
    backups = demo_db.parent / "backups"
    env = child_env(BUDGET_NOW="2024-12-05T08:00:00")
    daily = backups / "budget-daily-20241205.db"
    good = tmp_path / "good.db"
    ok(budget("--db", demo_db, "backup", "--out", good))
    data = good.read_bytes()
    vouchers = scalar(demo_db, "SELECT count(*) FROM vouchers")
    problems = []
    for leftover in (b"", data[: len(data) // 2]):
        backups.mkdir(mode=0o700, exist_ok=True)
        daily.unlink(missing_ok=True)
        fd = os.open(daily, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600)
        os.write(fd, leftover)
        os.close(fd)
        ok(budget("--db", demo_db, "report", "reconcile", env=env))
        try:
            sound = query(daily, "PRAGMA integrity_check") == [("ok",)] and (
                scalar(daily, "SELECT count(*) FROM vouchers") == vouchers
            )
        except sqlite3.Error:
            sound = False
        if not sound:
            problems.append(
                f"a daily copy cut at {len(leftover)} bytes was kept as the day's backup "
                f"(now {daily.stat().st_size} bytes)"
            )
    assert not problems, "; ".join(problems)
