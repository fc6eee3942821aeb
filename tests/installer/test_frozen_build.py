"""The frozen kiosk as a kiosk PC gets it: build.spec's one-folder app, then its .deb.

Slow (the build takes 70-200 s); skipped without PyInstaller on a developer's machine, run
(and failing without it) in CI.
"""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest

from tests.devices.test_barcode_decoder import SHARED_IMAGES, shared_manifest
from tests.installer.conftest import build_deb, deb_contents

pytestmark = pytest.mark.slow

SMOKE_MARKER = "kiosk-smoke: login screen shown"
# One photo per symbology; the EAN-13 one is read by zbar only (the bundled libzbar).
PHOTOS = [
    "code128/code128-1/1.png",
    "code39/code39-2/1.png",
    "ean13/ean13-2/01.png",
    "qrcode/qrcode-2/31.png",
    "datamatrix/datamatrix-1/C40.png",
]


def _clean_env(tmp_path: Path) -> dict[str, str]:
    env = {name: value for name, value in os.environ.items() if not name.startswith("KIOSK_")}
    env |= {
        "KIOSK_DATA_DIR": str(tmp_path / "data"),
        "KIOSK_CONFIG": str(tmp_path / "none.toml"),
        "QT_QPA_PLATFORM": "offscreen",
    }
    return env


def test_the_frozen_kiosk_shows_its_login_screen(frozen_app: Path, tmp_path: Path) -> None:
    done = subprocess.run(
        [str(frozen_app / "kiosk"), "--smoke"],
        capture_output=True,
        text=True,
        timeout=120,
        env=_clean_env(tmp_path),
        check=False,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    assert SMOKE_MARKER in done.stdout
    assert (tmp_path / "data" / "logs" / "kiosk.log").is_file()  # logs in the data folder


def test_the_frozen_kiosk_decodes_the_shared_photos(frozen_app: Path, tmp_path: Path) -> None:
    expected = {row["path"]: row for row in shared_manifest()}
    paths = [str(SHARED_IMAGES / relative) for relative in PHOTOS]
    done = subprocess.run(
        [str(frozen_app / "kiosk"), "decode", *paths],
        capture_output=True,
        text=True,
        timeout=120,
        env=_clean_env(tmp_path),
        check=False,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    lines = done.stdout.splitlines()
    assert len(lines) == len(PHOTOS), (lines, done.stderr)
    for relative, line in zip(PHOTOS, lines, strict=True):
        path, symbology, text = line.split("\t")
        assert path == str(SHARED_IMAGES / relative)
        assert symbology == expected[relative]["symbology"]
        assert text == expected[relative]["expected_text"]


def test_the_frozen_kiosk_names_its_build(frozen_app: Path, tmp_path: Path) -> None:
    done = subprocess.run(
        [str(frozen_app / "kiosk"), "--version"],
        capture_output=True,
        text=True,
        timeout=60,
        env=_clean_env(tmp_path),
        check=True,
    )
    assert done.stdout.startswith("kiosk 0.")
    assert "(build " in done.stdout


def test_the_frozen_kiosk_carries_no_server(frozen_app: Path) -> None:
    internal = frozen_app / "_internal"
    for package in ("server_sync", "fastapi", "uvicorn", "psycopg", "psycopg_binary"):
        assert not (internal / package).exists(), package
    assert (internal / "kiosk" / "migrations" / "env.py").is_file()
    assert (internal / "kiosk" / "resources" / "kiosk.qss").is_file()


def test_the_deb_holds_the_frozen_app(frozen_app: Path, tmp_path: Path) -> None:
    files = deb_contents(build_deb(frozen_app, tmp_path))
    assert files["/opt/line-kiosk/kiosk"].startswith("-rwxr-xr-x root/root")
    assert "/opt/line-kiosk/_internal/kiosk/migrations/env.py" in files
    assert "/lib/systemd/system/line-kiosk.service" in files
