"""An exported workbook printed to PDF through LibreOffice headless, for signing.

LibreOffice runs on a private profile in a temporary folder (a running
LibreOffice of the user's, or a broken profile, cannot block it) and is killed
with its whole process group after :data:`TIMEOUT` seconds.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import tempfile
from pathlib import Path

from budget.errors import ValidationError

TIMEOUT = 180
INSTALL_HINT = (
    "Không tìm thấy LibreOffice (lệnh soffice) để chuyển sang PDF: cài bằng "
    "«sudo apt install libreoffice-calc» (Windows/macOS: tải tại libreoffice.org) rồi chạy lại."
)


def find_soffice() -> str:
    found = shutil.which("soffice") or shutil.which("libreoffice")
    if found is None:
        raise ValidationError(INSTALL_HINT)
    return found


def check_pdf(xlsx: Path, *, force: bool = False) -> None:
    """Before any work: LibreOffice is there and the PDF may be written."""
    find_soffice()
    target = xlsx.with_suffix(".pdf")
    if target.exists() and not force:
        raise ValidationError("Tệp «{target}» đã có: thêm --force để ghi đè.", target=target)


def to_pdf(xlsx: Path, *, force: bool = False) -> Path:
    """Write ``xlsx``'s PDF next to it (same name, .pdf); an existing PDF is
    replaced only with ``force``. Returns the PDF's path."""
    program = find_soffice()
    target = xlsx.with_suffix(".pdf")
    if target.exists() and not force:
        raise ValidationError("Tệp «{target}» đã có: thêm --force để ghi đè.", target=target)
    with tempfile.TemporaryDirectory(prefix="budget-pdf-") as tmp:
        work = Path(tmp)
        outdir = work / "out"
        cmd = [
            program,
            f"-env:UserInstallation={(work / 'profile').as_uri()}",
            "--headless",
            "--norestore",
            "--convert-to",
            "pdf",
            "--outdir",
            str(outdir),
            str(xlsx),
        ]
        proc = subprocess.Popen(
            cmd,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            start_new_session=True,
        )
        try:
            proc.communicate(timeout=TIMEOUT)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.communicate()
            raise ValidationError(
                "LibreOffice không chuyển xong sang PDF sau {timeout} giây: «{xlsx}».",
                timeout=TIMEOUT,
                xlsx=xlsx,
            ) from None
        made = outdir / f"{xlsx.stem}.pdf"
        if proc.returncode != 0 or not made.is_file():
            raise ValidationError("LibreOffice không chuyển được «{xlsx}» sang PDF.", xlsx=xlsx)
        shutil.move(str(made), str(target))
    return target
