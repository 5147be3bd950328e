"""Performance benchmarks of ``budget``: each scenario runs the project's code ("ours")
beside a raw baseline in the same run, repeats, and reports medians.

    python -m benchmarks.run [--quick] [--repeat 5] [--json out.json] [--only NAME[,NAME]]
                             [--list] [--profile] [--vouchers N]

See benchmarks/README.md for what each scenario measures.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import sqlite3
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from benchmarks import data
from benchmarks.data import BUDGET, DATA, TMP, log

# -- running things -------------------------------------------------------------------------


@dataclass
class Spawned:
    wall: float  # seconds from just before the spawn to the child's exit
    spawn_epoch: float  # time.time() just before the spawn
    peak_mb: float  # the child's peak RSS (ru_maxrss from wait4)
    returncode: int
    stderr: str


def spawn(cmd: list[str], *, timeout: float = 3600) -> Spawned:
    """Run ``cmd`` to completion; its own peak RSS comes from wait4's rusage."""
    TMP.mkdir(parents=True, exist_ok=True)
    err_path = TMP / f"stderr-{os.getpid()}.txt"
    with err_path.open("w+b") as err:
        epoch = time.time()
        started = time.perf_counter()
        proc = subprocess.Popen(
            cmd,
            cwd=data.CHILD_CWD,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=err,
            env=data.CHILD_ENV,
        )
        deadline = started + timeout
        try:
            while True:
                pid, status, usage = os.wait4(proc.pid, os.WNOHANG)
                if pid:
                    break
                if time.perf_counter() > deadline:
                    proc.kill()
                    pid, status, usage = os.wait4(proc.pid, 0)
                    break
                time.sleep(0.002)
        except BaseException:
            proc.kill()  # interrupted: do not leave a worker running
            os.wait4(proc.pid, 0)
            raise
        wall = time.perf_counter() - started
        proc.returncode = os.waitstatus_to_exitcode(status)
        err.seek(0)
        stderr = err.read().decode("utf-8", "replace")
    return Spawned(wall, epoch, usage.ru_maxrss / 1024, proc.returncode, stderr)


@dataclass
class RunResult:
    times: list[float]
    peak_mb: float
    check: Any = None
    extra: dict[str, Any] = field(default_factory=dict)


class RunError(Exception):
    pass


Runner = Callable[[int], RunResult]  # repetition index (-1: warm-up) -> result
PROFILE_DIR = DATA / "profiles"
PROFILING = False  # --profile: run "ours" once under cProfile instead of timing


def worker(kind: str, side: str, params: Callable[[int], dict[str, Any]], name: str) -> Runner:
    """A side that runs in ``benchmarks.worker``, one process per repetition."""

    def run(index: int) -> RunResult:
        p = dict(params(index))
        if PROFILING:
            PROFILE_DIR.mkdir(parents=True, exist_ok=True)
            p["profile"] = str(PROFILE_DIR / f"{name}.prof")
        out = TMP / f"result-{os.getpid()}-{kind}-{side}.json"
        if out.exists():
            out.unlink()
        cmd = [sys.executable, "-m", "benchmarks.worker", kind, side, json.dumps(p), str(out)]
        done = spawn(cmd)
        if done.returncode != 0 or not out.exists():
            raise RunError(f"{kind}/{side} failed ({done.returncode}):\n{done.stderr[-3000:]}")
        result = json.loads(out.read_text(encoding="utf-8"))
        out.unlink()
        return RunResult(
            result["times"], done.peak_mb, result.get("check"), result.get("extra", {})
        )

    return run


def process(cmd: Callable[[], list[str]]) -> Runner:
    """A side that is a whole command: wall time from spawn to exit."""

    def run(_index: int) -> RunResult:
        command = cmd()
        if PROFILING and command[0] == BUDGET:
            PROFILE_DIR.mkdir(parents=True, exist_ok=True)
            command = [
                sys.executable,
                "-m",
                "cProfile",
                "-o",
                str(PROFILE_DIR / "reconcile_cli.prof"),
                *command,
            ]
        done = spawn(command)
        if done.returncode != 0:
            raise RunError(
                f"{' '.join(command)} failed ({done.returncode}):\n{done.stderr[-3000:]}"
            )
        return RunResult([done.wall], done.peak_mb)

    return run


def first_frame(side: str, db: Callable[[], str]) -> Runner:
    """Spawn to the first frame of the target screen (the child exits right there)."""

    def run(_index: int) -> RunResult:
        out = TMP / f"frame-{os.getpid()}-{side}.json"
        if out.exists():
            out.unlink()
        done = spawn(
            [sys.executable, "-m", "benchmarks.firstframe", side, db(), str(out)], timeout=120
        )
        if not out.exists():
            raise RunError(
                f"first frame ({side}) not reached ({done.returncode}):\n{done.stderr[-3000:]}"
            )
        marks = json.loads(out.read_text(encoding="utf-8"))
        out.unlink()
        return RunResult(
            [marks["frame"] - done.spawn_epoch],
            done.peak_mb,
            None,
            {
                "spawn_to_exit_s": done.wall,
                "interpreter_start_s": marks["start"] - done.spawn_epoch,
                "imports_done_s": marks["imported"] - done.spawn_epoch,
                "how": marks["how"],
            },
        )

    return run


# -- scenarios ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Target:
    kind: str  # "ratio": ours/baseline at most value; "seconds": ours at most value; "none"
    value: float | None = None

    def text(self) -> str:
        if self.kind == "ratio":
            return f"≤ {self.value:g}×"
        if self.kind == "seconds":
            return f"≤ {self.value:g} s"
        return "—"


@dataclass
class Plan:
    ours: Runner
    baseline: Runner
    warmup: bool = False  # one untimed run of each side first (whole-process scenarios)
    teardown: Callable[[], None] | None = None
    info: dict[str, Any] = field(default_factory=dict)


@dataclass
class Sizes:
    vouchers: int
    import_rows: int
    posts: int
    estimate_lines: int


@dataclass(frozen=True)
class Scenario:
    name: str
    about: str
    target: Target
    prepare: Callable[[Sizes], Plan]
    mem_limit_mb: float | None = None
    max_repeat: int | None = None  # the heaviest scenarios run at most this many times


def _reconcile(s: Sizes) -> Plan:
    db = str(data.scale_db(s.vouchers))
    p = {"db": db, "inner": 3}
    return Plan(
        worker("reconcile", "ours", lambda i: p, "reconcile_1m"),
        worker("reconcile", "baseline", lambda i: p, "reconcile_1m"),
        info={"vouchers": s.vouchers},
    )


def _reconcile_cli(s: Sizes) -> Plan:
    big, small = str(data.scale_db(s.vouchers)), str(data.demo_db())
    args = ["report", "reconcile", "--format", "json"]
    return Plan(
        process(lambda: [BUDGET, "--db", big, *args]),
        process(lambda: [BUDGET, "--db", small, *args]),
        warmup=True,
        info={"vouchers": s.vouchers, "baseline": "the same command on the demo database"},
    )


def _summary(s: Sizes) -> Plan:
    p = {"db": str(data.scale_db(s.vouchers))}
    return Plan(
        worker("summary", "ours", lambda i: p, "summary_1m"),
        worker("summary", "baseline", lambda i: p, "summary_1m"),
        info={"vouchers": s.vouchers},
    )


def _export_settlement(s: Sizes) -> Plan:
    db = str(data.scale_db(s.vouchers))
    TMP.mkdir(parents=True, exist_ok=True)

    def params(side: str) -> Callable[[int], dict[str, Any]]:
        return lambda i: {"db": db, "out": str(TMP / f"settlement-{side}.xlsx")}

    return Plan(
        worker("export_settlement", "ours", params("ours"), "export_settlement_1m"),
        worker("export_settlement", "baseline", params("raw"), "export_settlement_1m"),
        info={"vouchers": s.vouchers},
    )


def _export_estimate(s: Sizes) -> Plan:
    TMP.mkdir(parents=True, exist_ok=True)

    def params(side: str) -> Callable[[int], dict[str, Any]]:
        return lambda i: {"lines": s.estimate_lines, "out": str(TMP / f"estimate-{side}.xlsx")}

    return Plan(
        worker("export_estimate", "ours", params("ours"), "export_estimate_10k"),
        worker("export_estimate", "baseline", params("raw"), "export_estimate_10k"),
        info={"lines": s.estimate_lines},
    )


def _import(s: Sizes) -> Plan:
    source = data.scale_db(s.vouchers)
    csv_path = str(data.import_csv(source, s.import_rows))

    def params(side: str) -> Callable[[int], dict[str, Any]]:
        # a fresh copy of the big database for every repetition (not timed)
        return lambda i: {"db": str(data.fresh_copy(source, f"import-{side}.db")), "csv": csv_path}

    def teardown() -> None:
        for side in ("ours", "raw"):
            for extra in TMP.glob(f"import-{side}.db*"):
                extra.unlink()

    return Plan(
        worker("import", "ours", params("ours"), "import_100k"),
        worker("import", "baseline", params("raw"), "import_100k"),
        teardown=teardown,
        info={"rows": s.import_rows, "into_vouchers": s.vouchers},
    )


def _tui(s: Sizes) -> Plan:
    db = str(data.scale_db(s.vouchers))
    return Plan(
        first_frame("ours", lambda: db),
        first_frame("bare", lambda: db),
        warmup=True,
        info={"vouchers": s.vouchers},
    )


def _register(offset: int) -> Callable[[Sizes], Plan]:
    def prepare(s: Sizes) -> Plan:
        p = {"db": str(data.scale_db(s.vouchers)), "offset": offset, "inner": 5}
        name = "register_first_page" if offset == 0 else "register_page_down"
        return Plan(
            worker("register", "ours", lambda i: p, name),
            worker("register", "baseline", lambda i: p, name),
            info={"vouchers": s.vouchers, "offset": offset, "limit": 200},
        )

    return prepare


def _post(s: Sizes) -> Plan:
    source = data.scale_db(s.vouchers)
    lines = [line.code for line in data.lines_with_room(source, minimum=s.posts * 10_000)]

    def params(side: str) -> Callable[[int], dict[str, Any]]:
        return lambda i: {
            "db": str(data.fresh_copy(source, f"post-{side}.db")),
            "lines": lines,
            "count": s.posts,
        }

    def teardown() -> None:
        for side in ("ours", "raw"):
            for extra in TMP.glob(f"post-{side}.db*"):
                extra.unlink()

    return Plan(
        worker("post", "ours", params("ours"), "post_10k"),
        worker("post", "baseline", params("raw"), "post_10k"),
        teardown=teardown,
        info={"posts": s.posts, "into_vouchers": s.vouchers},
    )


def _reconcile_pg(s: Sizes) -> Plan:
    pg = data.PgDatabase()
    try:
        pg.create_scale(s.vouchers)
    except BaseException:
        pg.drop()
        raise
    p = {"db": pg.url, "inner": 3}
    return Plan(
        worker("reconcile", "ours", lambda i: p, "reconcile_1m_pg"),
        worker("reconcile", "baseline", lambda i: p, "reconcile_1m_pg"),
        teardown=pg.drop,
        info={"vouchers": s.vouchers, "database": pg.name},
    )


SCENARIOS = [
    Scenario(
        "reconcile_1m",
        "reconcile() vs one raw GROUP BY joined to the approved lines",
        Target("ratio", 1.5),
        _reconcile,
    ),
    Scenario(
        "reconcile_cli",
        "`budget report reconcile --format json`: big vs demo database",
        Target("ratio", 1.5),
        _reconcile_cli,
    ),
    Scenario(
        "summary_1m",
        "build_summary() vs hand-written raw SQL of the same figures",
        Target("ratio", 1.5),
        _summary,
    ),
    Scenario(
        "export_settlement_1m",
        "export_settlement() vs plain write-only openpyxl",
        Target("ratio", 1.3),
        _export_settlement,
        mem_limit_mb=300,
        max_repeat=3,
    ),
    Scenario(
        "export_estimate_10k",
        "export_estimate() of 10k lines vs plain openpyxl",
        Target("ratio", 1.5),
        _export_estimate,
    ),
    Scenario(
        "import_100k",
        "import_vouchers() of a CSV vs csv + executemany",
        Target("ratio", 3),
        _import,
    ),
    Scenario(
        "tui_first_frame",
        "spawn to the dashboard's first frame vs a bare Textual app",
        Target("ratio", 1.2),
        _tui,
    ),
    Scenario(
        "register_first_page",
        "list_vouchers(limit=200) + count_vouchers",
        Target("seconds", 0.5),
        _register(0),
    ),
    Scenario(
        "register_page_down",
        "list_vouchers(limit=200, offset=200)",
        Target("seconds", 0.05),
        _register(200),
    ),
    Scenario(
        "post_10k",
        "post_voucher() one by one vs single-row INSERT transactions",
        Target("ratio", 5),
        _post,
        max_repeat=3,
    ),
    Scenario(
        "reconcile_1m_pg",
        "reconcile() on PostgreSQL vs raw psycopg GROUP BY",
        Target("ratio", 1.5),
        _reconcile_pg,
    ),
]


# The scale issue's scenarios (streaming lists, plans without statistics, a province).
from benchmarks import scale_scenarios  # noqa: E402

scale_scenarios.add_to(sys.modules[__name__])

# A province on one PostgreSQL with row-level security (100 communes x 20k vouchers).
from benchmarks import province  # noqa: E402

province.add_to(sys.modules[__name__])

# -- measuring and reporting ----------------------------------------------------------------


def _median(runs: list[RunResult]) -> float | None:
    times = [t for r in runs for t in r.times]
    return statistics.median(times) if times else None


def measure(scenario: Scenario, sizes: Sizes, repeat: int) -> dict[str, Any]:
    row: dict[str, Any] = {
        "name": scenario.name,
        "about": scenario.about,
        "target": scenario.target.text(),
        "status": "error",
        "load_avg_1m": [os.getloadavg()[0]],
    }
    started = time.perf_counter()
    try:
        plan = scenario.prepare(sizes)
    except Exception as exc:  # noqa: BLE001 - reported in the table, the suite goes on
        row["error"] = f"{type(exc).__name__}: {exc}"
        log(f"{scenario.name}: preparation failed: {row['error']}")
        return row
    row["info"] = plan.info
    ours: list[RunResult] = []
    base: list[RunResult] = []
    checks: list[str] = []
    reps = min(repeat, scenario.max_repeat) if scenario.max_repeat else repeat
    try:
        if PROFILING:
            plan.ours(0)
            row["status"] = "profiled"
            return row
        if plan.warmup:
            plan.ours(-1)
            plan.baseline(-1)
        for i in range(reps):
            # alternate which side goes first, so that drift hits both alike
            order = [("ours", plan.ours, ours), ("baseline", plan.baseline, base)]
            for side, runner, bucket in order if i % 2 == 0 else order[::-1]:
                result = runner(i)
                bucket.append(result)
                log(
                    f"{scenario.name} {side} #{i + 1}/{reps}: "
                    + ", ".join(f"{t:.4f}" for t in result.times)
                    + f" s, peak {result.peak_mb:.0f} MB"
                )
            if ours[-1].check is not None or base[-1].check is not None:
                checks.append("same" if ours[-1].check == base[-1].check else "DIFFERENT")
                if checks[-1] != "same":
                    log(
                        f"{scenario.name}: the two sides disagree:\n  ours     "
                        f"{ours[-1].check}\n  baseline {base[-1].check}"
                    )
    except Exception as exc:  # noqa: BLE001
        row["error"] = f"{type(exc).__name__}: {exc}"
        log(f"{scenario.name}: {row['error']}")
        return row
    finally:
        row["load_avg_1m"].append(os.getloadavg()[0])
        if plan.teardown:
            plan.teardown()
    o, b = _median(ours), _median(base)
    assert o is not None and b is not None
    ratio = o / b if b else None
    peak = max(r.peak_mb for r in ours)
    target = scenario.target
    if target.kind == "ratio":
        ok: bool | None = ratio is not None and ratio <= target.value  # type: ignore[operator]
    elif target.kind == "seconds":
        ok = o <= target.value  # type: ignore[operator]
    else:
        ok = None
    mem_ok = scenario.mem_limit_mb is None or peak < scenario.mem_limit_mb
    if scenario.mem_limit_mb is not None:
        row["target"] += f", < {scenario.mem_limit_mb:g} MB"
    status = "—" if ok is None else ("pass" if ok and mem_ok else "MISS")
    if ok and not mem_ok:
        status = "MISS (memory)"
    elif ok is False and not mem_ok:
        status = "MISS (time, memory)"
    row.update(
        {
            "status": status,
            "ours_s": o,
            "baseline_s": b,
            "ratio": ratio,
            "peak_mb": peak,
            "baseline_peak_mb": max(r.peak_mb for r in base),
            "repeats": reps,
            "seconds": time.perf_counter() - started,
            "same_result": (all(c == "same" for c in checks) if checks else None),
            "ours": {
                "times": [r.times for r in ours],
                "peak_mb": [r.peak_mb for r in ours],
                "extra": [r.extra for r in ours],
                "check": ours[-1].check,
            },
            "baseline": {
                "times": [r.times for r in base],
                "peak_mb": [r.peak_mb for r in base],
                "extra": [r.extra for r in base],
                "check": base[-1].check,
            },
        }
    )
    return row


def _fmt(value: float | None, spec: str) -> str:
    return "—" if value is None else format(value, spec)


def table(rows: list[dict[str, Any]]) -> str:
    header = ["scenario", "ours s", "baseline s", "ratio", "target", "peak MB", "runs", "result"]
    body = []
    for r in rows:
        body.append(
            [
                r["name"],
                _fmt(r.get("ours_s"), ".4f"),
                _fmt(r.get("baseline_s"), ".4f"),
                _fmt(r.get("ratio"), ".2f"),
                r["target"],
                _fmt(r.get("peak_mb"), ".0f"),
                str(r.get("repeats", "—")),
                r["status"] + ("" if r.get("same_result") in (None, True) else " (results differ)"),
            ]
        )
    widths = [max(len(str(x)) for x in col) for col in zip(header, *body, strict=True)]
    align = ["<", ">", ">", ">", "<", ">", ">", "<"]
    lines = ["  ".join(f"{h:{a}{w}}" for h, a, w in zip(header, align, widths, strict=True))]
    lines.append("  ".join("-" * w for w in widths))
    for b in body:
        lines.append("  ".join(f"{x:{a}{w}}" for x, a, w in zip(b, align, widths, strict=True)))
    return "\n".join(lines)


def _meta(args: argparse.Namespace, sizes: Sizes) -> dict[str, Any]:
    from importlib.metadata import version

    def ver(name: str) -> str:
        try:
            return version(name)
        except Exception:  # noqa: BLE001
            return "?"

    return {
        "date": datetime.now().isoformat(timespec="seconds"),
        "mode": "quick" if args.quick else "full",
        "repeat": args.repeat,
        "sizes": sizes.__dict__,
        "python": sys.version.split()[0],
        "platform": platform.platform(),
        "cpus": os.cpu_count(),
        "sqlite": sqlite3.sqlite_version,
        "packages": {n: ver(n) for n in ("budget", "SQLAlchemy", "openpyxl", "textual", "psycopg")},
        "statistic": "median of all timed runs; peak MB = max peak RSS of 'ours' processes",
    }


def _exclusive():  # type: ignore[no-untyped-def]
    """One run at a time: runs share the cached databases and the scratch copies (and a
    second run would also disturb the first one's timings). Waits for the other run."""
    import fcntl

    handle = (DATA / ".lock").open("a+")
    try:
        fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        handle.seek(0)
        log(f"another benchmark run holds {DATA / '.lock'} ({handle.read().strip()}); waiting")
        fcntl.flock(handle, fcntl.LOCK_EX)
    handle.seek(0)
    handle.truncate()
    handle.write(f"pid {os.getpid()}, started {datetime.now():%H:%M:%S}")
    handle.flush()
    return handle


def main(argv: list[str] | None = None) -> int:
    global PROFILING
    parser = argparse.ArgumentParser(
        prog="python -m benchmarks.run",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument(
        "--quick",
        action="store_true",
        help="smaller data (100k vouchers, 20k imported, 1k posts, 2k lines)",
    )
    parser.add_argument("--repeat", type=int, default=5, help="repetitions per side (5)")
    parser.add_argument(
        "--json",
        type=Path,
        default=None,
        help="where to write the results (default benchmarks/.data/results-{full,quick}.json)",
    )
    parser.add_argument(
        "--only",
        action="append",
        default=[],
        help="run only these scenarios (comma-separated, repeatable)",
    )
    parser.add_argument(
        "--vouchers",
        type=int,
        default=None,
        help="size of the big database (default 1,000,000; --quick 100,000)",
    )
    parser.add_argument(
        "--profile",
        action="store_true",
        help="run 'ours' once under cProfile; stats in benchmarks/.data/profiles",
    )
    parser.add_argument(
        "--no-snapshot",
        action="store_true",
        help="run the working tree as it is (default: a copy of budget/, tui/ "
        "and templates/ taken at the start, so that edits made during "
        "the run do not mix versions)",
    )
    parser.add_argument(
        "--resume",
        action="store_true",
        help="keep the scenarios an interrupted run already wrote to the JSON "
        "(same code snapshot, sizes and --repeat) and run the rest",
    )
    parser.add_argument("--list", action="store_true", help="list the scenarios and exit")
    args = parser.parse_args(argv)

    if args.list:
        for s in SCENARIOS:
            print(f"{s.name:22} {s.target.text():10} {s.about}")
        return 0
    wanted = [n.strip() for chunk in args.only for n in chunk.split(",") if n.strip()]
    unknown = [n for n in wanted if n not in {s.name for s in SCENARIOS}]
    if unknown:
        parser.error(f"unknown scenario(s): {', '.join(unknown)} (see --list)")
    selected = [s for s in SCENARIOS if not wanted or s.name in wanted]
    if args.quick:
        sizes = Sizes(vouchers=100_000, import_rows=20_000, posts=1_000, estimate_lines=2_000)
    else:
        sizes = Sizes(vouchers=1_000_000, import_rows=100_000, posts=10_000, estimate_lines=10_000)
    if args.vouchers:
        sizes.vouchers = args.vouchers
    PROFILING = args.profile
    DATA.mkdir(parents=True, exist_ok=True)
    TMP.mkdir(parents=True, exist_ok=True)
    lock = _exclusive()  # noqa: F841 - held until the process ends
    # A SIGTERM unwinds like Ctrl+C, so that teardowns run (the PostgreSQL database is dropped).
    import signal

    def _terminate(signum: int, _frame: Any) -> None:
        raise KeyboardInterrupt(f"signal {signum}")

    signal.signal(signal.SIGTERM, _terminate)
    if args.no_snapshot:
        code = f"working tree (fingerprint {data.code_fingerprint()})"
    else:
        code = f"snapshot {data.use_snapshot()} ({data.CODE})"
    log(f"code under test: {code}")

    out = args.json or DATA / f"results-{'quick' if args.quick else 'full'}.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    kept: dict[str, dict[str, Any]] = {}
    if args.resume and out.exists():
        # keep what an interrupted run with the same code, sizes and repeat already measured
        previous = json.loads(out.read_text(encoding="utf-8"))
        same = (
            previous["meta"].get("sizes") == sizes.__dict__
            and previous["meta"].get("repeat") == args.repeat
        )
        for row in previous["scenarios"]:
            if same and row.get("code") == code and row["status"] != "error":
                kept[row["name"]] = row
        if kept:
            log(f"resuming: keeping {', '.join(kept)} from {out}")
    rows: list[dict[str, Any]] = []
    started = time.perf_counter()
    meta = _meta(args, sizes)
    meta["code"] = code

    def save() -> None:
        meta["total_seconds"] = time.perf_counter() - started
        meta["working_tree_at_end"] = data.code_fingerprint()
        tmp = out.with_name(out.name + ".tmp")
        tmp.write_text(
            json.dumps(
                {"meta": meta, "scenarios": rows}, indent=2, ensure_ascii=False, default=str
            ),
            encoding="utf-8",
        )
        tmp.replace(out)

    try:
        for scenario in selected:
            if scenario.name in kept:
                rows.append(kept[scenario.name])
                continue
            log(f"== {scenario.name}: {scenario.about}")
            row = measure(scenario, sizes, max(1, args.repeat))
            row["code"] = code
            rows.append(row)
            if not PROFILING:
                save()  # after every scenario: an interrupted run keeps what it measured
    finally:
        (TMP / f"stderr-{os.getpid()}.txt").unlink(missing_ok=True)
    if PROFILING:
        import pstats

        for scenario in selected:
            path = PROFILE_DIR / f"{scenario.name}.prof"
            if path.exists():
                print(f"\n=== {scenario.name} ({path}) ===")
                pstats.Stats(str(path)).sort_stats("cumulative").print_stats(30)
        return 0
    save()
    print()
    print(
        f"budget benchmarks ({meta['mode']}: {sizes.vouchers:,} vouchers, "
        f"{sizes.import_rows:,} imported, {sizes.posts:,} posts, "
        f"{sizes.estimate_lines:,} estimate lines; medians)"
    )
    print(f"code: {code}")
    print(table(rows))
    for r in rows:
        if r.get("error"):
            print(f"\n{r['name']}: {r['error']}")
    loads = [x for r in rows for x in r.get("load_avg_1m", [])]
    if loads:
        print(
            f"\n1-minute load average during the run: {min(loads):.1f} to {max(loads):.1f} "
            f"on {os.cpu_count()} CPUs"
            + (
                "  (a busy machine: absolute times are inflated; "
                "ratios less so, the sides are interleaved)"
                if max(loads) > (os.cpu_count() or 1)
                else ""
            )
        )
    if not args.no_snapshot and meta["working_tree_at_end"] not in code:
        print(
            f"\nnote: the working tree changed during the run (now "
            f"{meta['working_tree_at_end']}); the results are for the snapshot."
        )
    print(f"\nresults: {out}  ({meta['total_seconds'] / 60:.1f} min)")
    return 1 if any(r["status"] == "error" for r in rows) else 0


if __name__ == "__main__":
    sys.exit(main())
