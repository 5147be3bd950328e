"""The wheel carries the templates and runs `budget demo` outside the source tree."""

from __future__ import annotations

import os
import subprocess
import sys
import sysconfig
import venv
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.slow
def test_wheel_installs_into_a_fresh_venv_and_runs_the_demo(tmp_path: Path):
    dist = tmp_path / "dist"
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--no-deps",
            "--no-build-isolation",
            "-q",
            "-w",
            str(dist),
            str(ROOT),
        ],
        check=True,
        timeout=300,
        capture_output=True,
    )
    wheel = next(dist.glob("budget-*.whl"))
    env_dir = tmp_path / "venv"
    venv.EnvBuilder(with_pip=True).create(env_dir)
    py = env_dir / "bin" / "python"
    site = subprocess.run(
        [str(py), "-c", "import sysconfig;print(sysconfig.get_paths()['purelib'])"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout.strip()
    # The package from the wheel, installed by the new venv's own pip before the
    # dependencies are made visible (else pip would see this environment's copy).
    subprocess.run(
        [str(py), "-m", "pip", "install", "--no-deps", "--no-index", "-q", str(wheel)],
        check=True,
        timeout=300,
        capture_output=True,
    )
    # The dependencies come from this test's environment (a plain path, so an
    # editable checkout's finder is not loaded).
    Path(site, "deps.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")
    work = tmp_path / "elsewhere"
    work.mkdir()
    env = {**os.environ, "XDG_DATA_HOME": str(tmp_path / "data")}
    env.pop("PYTHONPATH", None)
    proc = subprocess.run(
        [str(env_dir / "bin" / "budget"), "demo"],
        cwd=work,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert proc.returncode == 0, proc.stderr
    assert "71.817.500" in proc.stdout  # the approved, adjusted demo estimate
    assert (tmp_path / "data" / "budget" / "budget.db").exists()
    where = subprocess.run(
        [str(py), "-c", "import budget.paths as p; print(p.templates_dir())"],
        cwd=work,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    assert where.startswith(str(env_dir)) and where.endswith("budget/_templates")
