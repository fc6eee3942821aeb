"""The frozen kiosk (build.spec), built once per test session when a test asks for it."""

from __future__ import annotations

import importlib.util
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
BUILD_DEB = ROOT / "installer" / "linux" / "build-deb"


def needs(tool: str, why: str) -> None:
    """Skip without `tool` on a developer's machine; in CI (CI=true) a missing tool fails."""
    found = (
        importlib.util.find_spec(tool) is not None if tool == "PyInstaller" else shutil.which(tool)
    )
    if not found:
        message = f"{why} needs {tool}"
        if os.environ.get("CI"):
            pytest.fail(message + " (CI installs it: scripts/install with the build extra)")
        pytest.skip(message)


@pytest.fixture(scope="session")
def frozen_app(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """dist/line-kiosk built by build.spec into a temporary folder (about 70-200 s)."""
    needs("PyInstaller", "the frozen build")
    needs("gcc", "the frozen build's stand-in libraries")
    needs("objdump", "the frozen build")
    folder = tmp_path_factory.mktemp("frozen")
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "PyInstaller",
            "--noconfirm",
            "--log-level",
            "WARN",
            "--workpath",
            str(folder / "build"),
            "--distpath",
            str(folder / "dist"),
            str(ROOT / "build.spec"),
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=1800,  # a loaded machine; alone it takes 70-200 s
        check=False,
    )
    assert done.returncode == 0, done.stderr[-4000:]
    app = folder / "dist" / "line-kiosk"
    assert (app / "kiosk").is_file()
    return app


def build_deb(frozen: Path, out: Path) -> Path:
    """installer/linux/build-deb on `frozen`; the .deb's path (gzip: faster than xz)."""
    needs("dpkg-deb", "the .deb")
    done = subprocess.run(
        [str(BUILD_DEB), str(frozen), str(out)],
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
        env={**os.environ, "DEB_COMPRESSION": "gzip"},
    )
    assert done.returncode == 0, done.stderr
    deb = Path(done.stdout.strip().splitlines()[-1])
    assert deb.is_file()
    return deb


def deb_contents(deb: Path) -> dict[str, str]:
    """Path in the package -> `dpkg-deb --contents`'s mode and owner columns."""
    listing = subprocess.run(
        ["dpkg-deb", "--contents", str(deb)], capture_output=True, text=True, check=True
    ).stdout
    files = {}
    for line in listing.splitlines():
        parts = line.split()
        files[parts[5].removeprefix(".").rstrip("/") or "/"] = f"{parts[0]} {parts[1]}"
    return files


def unit_findings(unit: Path) -> list[str]:
    """`systemd-analyze verify`'s complaints about `unit`, less the commands the package's
    dependencies bring (xinit, chvt) when they are missing on this machine; anything else (an
    unknown key, a bad value) is a finding. A clean unit gives []."""
    done = subprocess.run(
        ["systemd-analyze", "verify", str(unit)], capture_output=True, text=True, check=False
    )
    missing_ok = [
        f"Command {command} is not executable"
        for command in ("/usr/bin/xinit", "/bin/chvt")
        if not Path(command).exists()
    ]
    findings = [
        line
        for line in (done.stdout + done.stderr).splitlines()
        if line.strip() and not any(ok in line for ok in missing_ok)
    ]
    if not missing_ok and done.returncode != 0:
        findings.append(f"systemd-analyze verify exited with {done.returncode}")
    return findings
