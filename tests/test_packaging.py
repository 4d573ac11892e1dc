"""The built wheel works outside the checkout: ``policydiff demo`` and ``policydiff compare``.

The wheel is built with pip (setuptools comes from the package index, as for any user) and installed
with ``--no-deps`` into a fresh venv; the dependencies are made visible through a ``.pth`` line naming
this environment's site-packages (no download). That path file adds the folder without running the
``.pth`` files inside it, so this checkout's editable install is not active there: ``policydiff`` can
only come from the wheel, which the test checks.
"""

from __future__ import annotations

import subprocess
import sys
import sysconfig
import venv
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def run(*args: str | Path, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([str(a) for a in args], cwd=cwd, capture_output=True, text=True, check=False)


@pytest.mark.slow
def test_wheel_installs_and_runs_demo_and_compare_from_outside_the_checkout(tmp_path: Path) -> None:
    dist = tmp_path / "dist"
    built = run(sys.executable, "-m", "pip", "wheel", ROOT, "--no-deps", "-q", "-w", dist, cwd=tmp_path)
    if built.returncode != 0 and "No matching distribution found for setuptools" in built.stderr:
        pytest.skip("the package index is unreachable: setuptools cannot be fetched to build the wheel")
    assert built.returncode == 0, built.stderr
    (wheel,) = dist.glob("policydiff-*.whl")

    env = tmp_path / "fresh"
    venv.EnvBuilder(with_pip=True).create(env)
    python = env / "bin" / "python"
    site = run(python, "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])", cwd=tmp_path)
    (Path(site.stdout.strip()) / "deps.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")
    installed = run(python, "-m", "pip", "install", "-q", "--no-deps", wheel, cwd=tmp_path)
    assert installed.returncode == 0, installed.stderr

    work = tmp_path / "elsewhere"
    work.mkdir()
    where = run(python, "-c", "import policydiff; print(policydiff.__file__)", cwd=work)
    assert where.stdout.strip().startswith(str(env)), where

    demo = run(env / "bin" / "policydiff", "demo", "--report", "report", cwd=work)
    assert demo.returncode == 0, demo.stdout + demo.stderr
    assert (work / "report" / "index.html").is_file() and list((work / "report" / "changes").glob("*.html"))

    (work / "old.md").write_text("# Privacy\n\nWe never sell your personal data.\n", encoding="utf-8")
    (work / "new.md").write_text(
        "# Privacy\n\nWe may sell your personal data to partners.\n", encoding="utf-8"
    )
    compared = run(env / "bin" / "policydiff", "compare", "old.md", "new.md", "--format", "md", cwd=work)
    assert compared.returncode == 0, compared.stderr
    assert "sell" in compared.stdout and "finding" in compared.stdout
