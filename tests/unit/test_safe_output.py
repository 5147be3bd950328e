"""Exports and backups write safely: never through a symlink, never over an
existing file without --force, never into a FIFO or device, never leaving a half
file or destroying the previous good one when the save is cut short."""

from __future__ import annotations

import errno
import gc
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from openpyxl import Workbook, load_workbook

from budget.safe_output import OutputError, OutputExistsError, save_workbook
from tests.conftest import CliResult, run_cli

KINDS = ("estimate", "settlement", "payout", "summary")
OLD = b"the previous good file\n"


def one_error_line(result: CliResult) -> str:
    assert result.code == 2, (result.code, result.out, result.err)
    lines = result.err.strip().splitlines()
    assert len(lines) == 1, result.err
    assert lines[0].startswith("Lỗi: "), lines[0]
    assert "Traceback" not in result.err + result.out
    return lines[0]


@pytest.fixture(autouse=True)
def _collect() -> Iterator[None]:
    """openpyxl's half-used write-only generators are finalised here, not later
    inside another module's import (where CPython 3.11 trips over them)."""
    yield
    gc.collect()


@pytest.fixture(scope="module")
def demo_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("demo")
    db = folder / "budget.db"
    result = run_cli("--db", str(db), "demo")
    assert result.code == 0, result.err
    return db


def workbook_with(text: str) -> Workbook:
    wb = Workbook()
    wb.active["A1"] = text
    return wb


def no_leftovers(folder: Path) -> None:
    assert [p.name for p in folder.iterdir() if p.name.endswith(".part")] == []


# -- the core function ----------------------------------------------------------


def test_a_symlink_at_the_target_is_refused_and_its_target_untouched(tmp_path: Path) -> None:
    victim = tmp_path / "victim.txt"
    victim.write_bytes(OLD)
    link = tmp_path / "out.xlsx"
    link.symlink_to(victim)
    for force in (False, True):
        with pytest.raises(OutputError, match="liên kết"):
            save_workbook(workbook_with("mới"), link, force=force)
    assert victim.read_bytes() == OLD
    assert link.is_symlink() and os.readlink(link) == str(victim)
    no_leftovers(tmp_path)


def test_an_existing_file_is_kept_unless_forced(tmp_path: Path) -> None:
    out = tmp_path / "out.xlsx"
    out.write_bytes(OLD)
    with pytest.raises(OutputExistsError, match="--force"):
        save_workbook(workbook_with("mới"), out)
    assert out.read_bytes() == OLD
    save_workbook(workbook_with("mới"), out, force=True)
    assert load_workbook(out).active["A1"].value == "mới"
    no_leftovers(tmp_path)


def test_a_missing_folder_is_refused_not_created(tmp_path: Path) -> None:
    out = tmp_path / "no" / "such" / "out.xlsx"
    with pytest.raises(OutputError, match="hãy tạo thư mục"):
        save_workbook(workbook_with("x"), out)
    assert not (tmp_path / "no").exists()


def test_a_directory_or_device_is_refused(tmp_path: Path) -> None:
    (tmp_path / "d.xlsx").mkdir()
    with pytest.raises(OutputError, match="thư mục"):
        save_workbook(workbook_with("x"), tmp_path / "d.xlsx", force=True)
    with pytest.raises(OutputError, match="thiết bị"):
        save_workbook(workbook_with("x"), Path("/dev/null"), force=True)


def test_a_save_cut_short_leaves_the_previous_file_whole(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "out.xlsx"
    out.write_bytes(OLD)

    def full_disk(fd: int) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(os, "fsync", full_disk)
    with pytest.raises(OutputError, match="ổ đĩa đã đầy"):
        save_workbook(workbook_with("mới"), out, force=True)
    assert out.read_bytes() == OLD
    no_leftovers(tmp_path)


def test_a_failing_writer_leaves_no_file_under_the_final_name(tmp_path: Path) -> None:
    class Broken:
        def save(self, name: str) -> None:
            Path(name).write_bytes(b"half")
            raise OSError(errno.EIO, "I/O error")

    out = tmp_path / "out.xlsx"
    with pytest.raises(OutputError):
        save_workbook(Broken(), out)
    assert not out.exists()
    no_leftovers(tmp_path)


# -- through the command line ---------------------------------------------------


@pytest.mark.parametrize("kind", KINDS)
def test_export_refuses_an_existing_file_and_replaces_it_with_force(
    demo_db: Path, tmp_path: Path, kind: str
) -> None:
    out = tmp_path / f"{kind}.xlsx"
    out.write_bytes(OLD)
    line = one_error_line(run_cli("--db", str(demo_db), "export", kind, "--out", str(out)))
    assert "đã có" in line and "--force" in line
    assert out.read_bytes() == OLD
    result = run_cli("--db", str(demo_db), "export", kind, "--out", str(out), "--force")
    assert result.code == 0, result.err
    assert load_workbook(out).sheetnames  # a real workbook replaced the old bytes
    no_leftovers(tmp_path)


def test_export_over_a_symlink_leaves_the_link_target_untouched(
    demo_db: Path, tmp_path: Path
) -> None:
    victim = tmp_path / "secret.txt"
    victim.write_bytes(OLD)
    link = tmp_path / "out.xlsx"
    link.symlink_to(victim)
    for extra in ((), ("--force",)):
        line = one_error_line(
            run_cli("--db", str(demo_db), "export", "summary", "--out", str(link), *extra)
        )
        assert "liên kết" in line
    assert victim.read_bytes() == OLD and link.is_symlink()


def test_export_to_a_fifo_is_refused_at_once(demo_db: Path, tmp_path: Path) -> None:
    fifo = tmp_path / "pipe.xlsx"
    os.mkfifo(fifo)
    env = {**os.environ, "BUDGET_USER": "kiemthu"}
    code = "from budget.cli import main; main()"
    proc = subprocess.run(
        [sys.executable, "-c", code, "--db", str(demo_db), "export", "summary"]
        + ["--out", str(fifo), "--force"],
        capture_output=True,
        text=True,
        timeout=60,  # the old code blocked forever opening the FIFO
        env=env,
    )
    line = one_error_line(CliResult(proc.returncode, proc.stdout, proc.stderr))
    assert "FIFO" in line


@pytest.fixture
def read_only_folder(tmp_path: Path) -> Iterator[Path]:
    """A folder nobody may write to, root included (a read-only mount when root)."""
    folder = tmp_path / "ro"
    folder.mkdir()
    if os.geteuid() != 0:
        folder.chmod(0o500)
        yield folder
        folder.chmod(0o700)
        return
    mounted = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "ro,size=64k", "tmpfs", str(folder)],
        capture_output=True,
    )
    if mounted.returncode != 0:
        pytest.skip("running as root without the right to mount a read-only folder")
    try:
        yield folder
    finally:
        subprocess.run(["umount", str(folder)], check=False)


def test_export_into_a_read_only_folder_is_one_line(demo_db: Path, read_only_folder: Path) -> None:
    out = read_only_folder / "summary.xlsx"
    line = one_error_line(run_cli("--db", str(demo_db), "export", "summary", "--out", str(out)))
    assert "Không ghi được" in line
    assert list(read_only_folder.iterdir()) == []


def test_backup_out_over_an_existing_file_needs_force(demo_db: Path, tmp_path: Path) -> None:
    out = tmp_path / "copy.db"
    out.write_bytes(OLD)
    line = one_error_line(run_cli("--db", str(demo_db), "backup", "--out", str(out)))
    assert "đã có" in line
    assert out.read_bytes() == OLD
    assert run_cli("--db", str(demo_db), "backup", "--out", str(out), "--force").code == 0
    assert out.read_bytes()[:16] == b"SQLite format 3\x00"
