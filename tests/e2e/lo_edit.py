"""Edit a workbook in LibreOffice as a user would, recalculate, save it as .xlsx.

Run by the system Python that ships LibreOffice's ``uno`` module (not the
project's venv): ``python3 lo_edit.py IN.xlsx OUT.xlsx EDITS.json PROFILE_DIR``.
EDITS is a list of operations on the first sheet, rows 1-based:

* ``{"op": "set", "cell": "D12", "value": 2}`` — type a number;
* ``{"op": "text", "cell": "B12", "value": "..."}`` — type a text;
* ``{"op": "formula", "cell": "F12", "value": "=D12*E12"}`` — type a formula;
* ``{"op": "insert", "row": 12}`` — insert an empty row before row 12 (the
  rows below move down and every reference to them follows, as in Calc).

Then every formula is recalculated (``calculateAll``) and the file is stored
in the Excel 2007-365 format, with the values LibreOffice computed.
"""

from __future__ import annotations

import contextlib
import json
import os
import subprocess
import sys
import time
from pathlib import Path

import uno  # type: ignore[import-not-found]
from com.sun.star.beans import PropertyValue  # type: ignore[import-not-found]


def prop(name: str, value: object) -> PropertyValue:
    p = PropertyValue()
    p.Name, p.Value = name, value
    return p


def connect(pipe: str):  # type: ignore[no-untyped-def]
    local = uno.getComponentContext()
    resolver = local.ServiceManager.createInstanceWithContext(
        "com.sun.star.bridge.UnoUrlResolver", local
    )
    deadline = time.monotonic() + 60
    while True:
        try:
            return resolver.resolve(f"uno:pipe,name={pipe};urp;StarOffice.ComponentContext")
        except Exception:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.5)


def main() -> None:
    source, target, edits_path, profile = (Path(a).resolve() for a in sys.argv[1:5])
    edits = json.loads(edits_path.read_text(encoding="utf-8"))
    pipe = f"budget_lo_edit_{os.getpid()}"
    office = subprocess.Popen(
        [
            "soffice",
            f"-env:UserInstallation={profile.as_uri()}",
            "--headless",
            "--norestore",
            "--nologo",
            f"--accept=pipe,name={pipe};urp;",
        ],
        start_new_session=True,
    )
    try:
        ctx = connect(pipe)
        desktop = ctx.ServiceManager.createInstanceWithContext("com.sun.star.frame.Desktop", ctx)
        doc = desktop.loadComponentFromURL(source.as_uri(), "_blank", 0, (prop("Hidden", True),))
        sheet = doc.Sheets.getByIndex(0)
        sheet.unprotect("")
        for edit in edits:
            op = edit["op"]
            if op == "insert":
                sheet.Rows.insertByIndex(edit["row"] - 1, 1)
                continue
            cell = sheet.getCellRangeByName(edit["cell"])
            if op == "set":
                cell.setValue(edit["value"])
            elif op == "text":
                cell.setString(edit["value"])
            elif op == "formula":
                cell.setFormula(edit["value"])
            else:
                raise SystemExit(f"unknown edit {op!r}")
        doc.calculateAll()
        doc.storeToURL(target.as_uri(), (prop("FilterName", "Calc MS Excel 2007 XML"),))
        doc.close(True)
        with contextlib.suppress(Exception):
            desktop.terminate()
    finally:
        try:
            office.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(office.pid, 9)
            office.wait()


if __name__ == "__main__":
    main()
