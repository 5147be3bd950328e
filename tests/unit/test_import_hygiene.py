"""The core never imports the UI: import every budget.* module in a clean process."""

from __future__ import annotations

import subprocess
import sys

SCRIPT = r"""
import importlib, pkgutil, sys
import budget
names = [m.name for m in pkgutil.walk_packages(budget.__path__, "budget.")
         if ".migrations.versions" not in m.name and not m.name.endswith("migrations.env")
         and m.name != "budget.__main__"]
for name in names:
    importlib.import_module(name)
bad = sorted(m for m in sys.modules if m.split(".")[0] in ("textual", "rich", "tui"))
print(len(names))
print(",".join(bad))
"""


def test_budget_never_imports_textual_or_rich():
    proc = subprocess.run(
        [sys.executable, "-c", SCRIPT], capture_output=True, text=True, timeout=120, check=True
    )
    count, bad = (
        proc.stdout.strip().split("\n")
        if "\n" in proc.stdout.strip()
        else (proc.stdout.strip(), "")
    )
    assert int(count) > 15
    assert bad == ""
