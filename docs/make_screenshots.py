"""Regenerate the README's screenshots of the terminal app (SVG) from a fresh demo.

python docs/make_screenshots.py
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
SHOTS = [
    ("tui-tong-quan", False, []),
    ("tui-du-toan", False, ["f3"]),
    ("tui-chung-tu", False, ["f4"]),
    ("tui-chung-tu-moi", False, ["f4", "n"]),
    ("tui-doi-chieu", False, ["f6"]),
    ("tui-tong-hop-chu-tich", True, []),
]


async def shoot(db: str, name: str, summary: bool, keys: list[str]) -> None:
    from tui.app import make_app

    app = make_app(db=db, summary=summary)
    async with app.run_test(size=(120, 36)) as pilot:
        for _ in range(50):
            await pilot.pause(0.1)
            if app.ready:
                break
        await app.workers.wait_for_complete()
        for key in keys:
            await pilot.press(key)
            await pilot.pause(0.5)
            await app.workers.wait_for_complete()
        await pilot.pause(0.5)
        app.save_screenshot(str(HERE / "images" / f"{name}.svg"))


def main() -> None:
    os.environ.setdefault("BUDGET_NOW", "2024-12-20T08:00:00")
    os.environ.setdefault("BUDGET_USER", "ketoan")
    sys.path.insert(0, str(HERE.parent))
    from budget.cli import main as cli

    with tempfile.TemporaryDirectory() as tmp:
        db = str(Path(tmp) / "demo.db")
        with contextlib.suppress(SystemExit):
            cli(["--db", db, "demo"])
        for name, summary, keys in SHOTS:
            asyncio.run(shoot(db, name, summary, keys))
            print(f"docs/images/{name}.svg")


if __name__ == "__main__":
    main()
