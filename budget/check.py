"""The project's gates, run the same way by people and by CI.

    python -m budget.check                 # every gate, then a summary
    python -m budget.check --skip pytest   # the static gates only
    python -m budget.check -- -x tests/unit/test_money.py   # arguments for pytest
    python -m budget.check --only pytest -- -n 0             # the suite in one process

The gates: ruff (lint), ruff format --check, mypy (strict on budget/, checked
on tui/: see [tool.mypy] in pyproject.toml), the import contracts
([tool.importlinter]: the core never imports the TUI, Textual or Rich) and the
test suite. Every gate runs even when an earlier one fails, so one run shows
everything to fix; the exit status is 1 when any gate failed.

Run it from the project folder (where pyproject.toml is). It only starts the
tools in subprocesses: importing this module does nothing.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

#: The suite runs on every core; tests that must not overlap share an xdist_group
#: (tmux, LibreOffice). ``-- -n 0`` runs it in one process.
PYTEST_PARALLEL = ("-n", "auto", "--dist", "loadgroup")
_LINT_IMPORTS = "import sys; from importlinter.cli import lint_imports_command as c; sys.exit(c())"


@dataclass(frozen=True)
class Gate:
    name: str
    argv: tuple[str, ...]


def gates(pytest_args: Sequence[str] = ()) -> list[Gate]:
    py = sys.executable
    return [
        Gate("ruff", (py, "-m", "ruff", "check", ".")),
        Gate("format", (py, "-m", "ruff", "format", "--check", ".")),
        Gate("mypy", (py, "-m", "mypy")),
        Gate("imports", (py, "-c", _LINT_IMPORTS)),
        Gate("pytest", (py, "-m", "pytest", *PYTEST_PARALLEL, *pytest_args)),
    ]


def project_root(start: Path | None = None) -> Path:
    """The folder holding pyproject.toml: the current one or a parent of it."""
    here = (start or Path.cwd()).resolve()
    for folder in (here, *here.parents):
        if (folder / "pyproject.toml").is_file():
            return folder
    raise SystemExit("Lỗi: không tìm thấy pyproject.toml; hãy chạy trong thư mục dự án.")


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m budget.check", description=__doc__.split("\n")[0]
    )
    names = [g.name for g in gates()]
    parser.add_argument("--skip", action="append", default=[], choices=names, help="skip a gate")
    parser.add_argument("--only", action="append", default=[], choices=names, help="run only these")
    parser.add_argument("pytest_args", nargs="*", help="after --: arguments for pytest")
    args = parser.parse_args(argv)
    root = project_root()
    chosen = [
        g
        for g in gates(args.pytest_args)
        if g.name not in args.skip and (not args.only or g.name in args.only)
    ]
    results: list[tuple[str, int, float]] = []
    for gate in chosen:
        print(f"==> {gate.name}: {' '.join(gate.argv[1:])}", flush=True)
        started = time.monotonic()
        code = subprocess.call(list(gate.argv), cwd=root)
        results.append((gate.name, code, time.monotonic() - started))
    print("\n==> summary")
    for name, code, seconds in results:
        print(f"    {name:<8} {'ok' if code == 0 else f'FAILED ({code})':<12} {seconds:6.1f} s")
    return 0 if all(code == 0 for _, code, _ in results) else 1


if __name__ == "__main__":
    sys.exit(main())
