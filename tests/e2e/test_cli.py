"""The `kiosk` program as a user starts it: version, smoke test, demo site, refusals."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from kiosk import __version__
from kiosk.app import SMOKE_MARKER
from kiosk.logging_setup import LOG_FILE_NAME

pytestmark = pytest.mark.slow


def _kiosk(*args: str, data_dir: Path, extra_env: dict[str, str] | None = None):
    env = {
        **os.environ,
        "KIOSK_DATA_DIR": str(data_dir),
        "KIOSK_LOG_DIR": str(data_dir / "logs"),
        "QT_QPA_PLATFORM": "offscreen",
        **(extra_env or {}),
    }
    return subprocess.run(
        [sys.executable, "-m", "kiosk", *args],
        capture_output=True,
        text=True,
        env=env,
        check=False,
        timeout=120,
    )


def _seeded_at(data_dir: Path) -> str:
    with sqlite3.connect(data_dir / "demo" / "kiosk.sqlite3") as connection:
        row = connection.execute(
            "SELECT value FROM site_setting WHERE key = 'demo_seeded_at'"
        ).fetchone()
    return str(row[0])


def test_version(tmp_path: Path) -> None:
    result = _kiosk("--version", data_dir=tmp_path)
    assert (result.returncode, result.stdout.strip()) == (0, f"kiosk {__version__}")


def test_smoke_shows_the_login_screen_and_exits(tmp_path: Path) -> None:
    result = _kiosk("--smoke", data_dir=tmp_path)
    assert result.returncode == 0, result.stderr
    assert SMOKE_MARKER in result.stdout
    assert "(3 tiles)" in result.stdout
    assert not (tmp_path / "demo").exists()  # a throwaway site, not the user's


def test_demo_is_created_once_reused_and_reset(tmp_path: Path) -> None:
    first = _kiosk("--demo", "--smoke", data_dir=tmp_path)
    assert first.returncode == 0, first.stderr
    seeded = _seeded_at(tmp_path)
    again = _kiosk("--demo", "--smoke", data_dir=tmp_path)
    assert again.returncode == 0, again.stderr
    assert _seeded_at(tmp_path) == seeded
    reset = _kiosk("--demo", "--reset", "--smoke", data_dir=tmp_path)
    assert reset.returncode == 0, reset.stderr
    assert _seeded_at(tmp_path) != seeded


def test_the_demo_runs_on_any_of_its_lines(tmp_path: Path) -> None:
    result = _kiosk("--demo", "--smoke", "--line", "SEW-L03", data_dir=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "(2 tiles)" in result.stdout  # Dewi and the Sewing supervisor


def test_an_unknown_line_is_a_clear_start_error(tmp_path: Path) -> None:
    result = _kiosk("--demo", "--smoke", "--line", "NOPE-L9", data_dir=tmp_path)
    assert result.returncode == 2
    assert "Line NOPE-L9 is not set up" in result.stderr
    assert "CUT-L01, CUT-L02, EMB-L01, FIN-L01, SEW-L01, SEW-L03, WH-L01" in result.stderr


def test_a_new_kiosk_without_data_shows_its_setup_screen(tmp_path: Path) -> None:
    """No demo, no site, not enrolled: the setup screen, not an error (issue 15)."""
    env = {
        **os.environ,
        "KIOSK_DATA_DIR": str(tmp_path),
        "KIOSK_LOG_DIR": str(tmp_path / "logs"),
        "QT_QPA_PLATFORM": "offscreen",
    }
    process = subprocess.Popen(
        [sys.executable, "-m", "kiosk", "--windowed"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    log = tmp_path / "logs" / LOG_FILE_NAME
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and process.poll() is None:
            if log.is_file() and "the setup screen is shown" in log.read_text(encoding="utf-8"):
                break
            time.sleep(0.1)
        assert process.poll() is None, process.stderr.read() if process.stderr else ""
        assert "the setup screen is shown" in log.read_text(encoding="utf-8")
    finally:
        process.kill()
        process.wait(10)
        if process.stderr is not None:
            process.stderr.close()


def test_a_bad_setting_is_reported_with_its_source(tmp_path: Path) -> None:
    result = _kiosk("--smoke", data_dir=tmp_path, extra_env={"KIOSK_PIN_MAX_ATTEMPTS": "lots"})
    assert result.returncode == 2
    assert "pin_max_attempts from environment KIOSK_PIN_MAX_ATTEMPTS" in result.stderr


def test_audit_verify_on_the_demo_site(tmp_path: Path) -> None:
    assert _kiosk("--demo", "--smoke", data_dir=tmp_path).returncode == 0
    result = _kiosk("audit", "verify", "--demo", data_dir=tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("audit log intact: 1 rows checked")


def test_logs_are_written_where_the_settings_say(tmp_path: Path) -> None:
    assert _kiosk("--smoke", data_dir=tmp_path).returncode == 0
    log = (tmp_path / "logs" / "kiosk.log").read_text(encoding="utf-8")
    assert "upgrading database schema" in log


def test_decode_prints_each_code_found_and_fails_when_none(tmp_path: Path) -> None:
    import segno

    qr = tmp_path / "slip.png"
    segno.make_qr("WO-2026-004217").save(qr, scale=8, border=4)
    not_an_image = tmp_path / "notes.txt"
    not_an_image.write_text("no barcode here")
    found = _kiosk("decode", str(qr), str(not_an_image), data_dir=tmp_path)
    assert found.returncode == 0, found.stderr
    assert found.stdout == f"{qr}\tqrcode\tWO-2026-004217\n"
    assert "notes.txt" in found.stderr
    none = _kiosk("decode", str(not_an_image), data_dir=tmp_path)
    assert (none.returncode, none.stdout) == (1, "")


def test_a_demo_told_to_use_a_keyring_this_machine_lacks_says_what_to_change(
    tmp_path: Path,
) -> None:
    result = _kiosk(
        "--demo",
        "--smoke",
        data_dir=tmp_path,
        extra_env={
            "KIOSK_SECRET_STORE": "keyring",
            "PYTHON_KEYRING_BACKEND": "keyring.backends.fail.Keyring",
        },
    )
    assert result.returncode == 2
    assert "slip-signing key cannot be stored" in result.stderr
    assert "set secret_store = file" in result.stderr
    assert "Traceback" not in result.stderr
