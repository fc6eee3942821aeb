"""The kiosk's logs: they rotate in the data folder, and a hard crash leaves its traceback."""

from __future__ import annotations

import logging
import os
import signal
import subprocess
import sys
import textwrap
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from kiosk.logging_setup import (
    CRASH_FILE_NAME,
    LOG_FILE_NAME,
    configure_logging,
    disable_crash_log,
)
from kiosk.settings import load_settings


@pytest.fixture
def restore_logging() -> Iterator[None]:
    """configure_logging changes the process's root logger and faulthandler: undo both."""
    root = logging.getLogger()
    handlers, level = list(root.handlers), root.level
    yield
    disable_crash_log()  # tracebacks to stderr again, crash.log closed
    for handler in list(root.handlers):
        if handler not in handlers:
            root.removeHandler(handler)
            handler.close()
    root.setLevel(level)


def test_logs_go_to_the_data_folder_unless_set(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.delenv("KIOSK_LOG_DIR")
    settings = load_settings(command_line={"data_dir": str(tmp_path / "data")})
    assert settings.log_dir == tmp_path / "data" / "logs"
    monkeypatch.setenv("KIOSK_LOG_DIR", str(tmp_path / "elsewhere"))
    assert load_settings(command_line={"data_dir": str(tmp_path)}).log_dir == tmp_path / "elsewhere"


def test_the_log_rotates_and_keeps_five_old_files(tmp_path: Path, restore_logging: None) -> None:
    path = configure_logging(tmp_path / "logs")
    assert path == tmp_path / "logs" / LOG_FILE_NAME
    line = "x" * 1000
    log = logging.getLogger("kiosk.test")
    for _ in range(14_000):  # about 14 MB: more than six files of 2 MB
        log.info(line)
    names = sorted(p.name for p in (tmp_path / "logs").iterdir() if p.name.startswith("kiosk"))
    assert names == ["kiosk.log", *(f"kiosk.log.{n}" for n in range(1, 6))]
    assert all((tmp_path / "logs" / name).stat().st_size <= 2_000_000 for name in names)


CRASHER = textwrap.dedent(
    """
    import faulthandler, sys, time
    from pathlib import Path
    from kiosk.logging_setup import configure_logging

    def reading_the_badge_reader():
        faulthandler._sigsegv()  # what a bug in a C library does

    def waiting_for_the_printer():
        print("up", flush=True)
        time.sleep(30)

    configure_logging(Path(sys.argv[1]))
    if sys.argv[2] == "segv":
        reading_the_badge_reader()
    else:
        waiting_for_the_printer()
    """
)


def test_a_segfault_leaves_its_traceback_in_crash_log(tmp_path: Path) -> None:
    script = tmp_path / "crasher.py"
    script.write_text(CRASHER, encoding="utf-8")
    done = subprocess.run(
        [sys.executable, str(script), str(tmp_path / "logs"), "segv"],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == -signal.SIGSEGV
    crash = (tmp_path / "logs" / CRASH_FILE_NAME).read_text(encoding="utf-8")
    assert "Fatal Python error: Segmentation fault" in crash
    assert "reading_the_badge_reader" in crash


def test_sigusr1_writes_a_hung_kiosks_stacks_and_it_goes_on(tmp_path: Path) -> None:
    script = tmp_path / "crasher.py"
    script.write_text(CRASHER, encoding="utf-8")
    with subprocess.Popen(
        [sys.executable, str(script), str(tmp_path / "logs"), "hang"],
        stdout=subprocess.PIPE,
        text=True,
    ) as process:
        assert process.stdout is not None
        assert process.stdout.readline().strip() == "up"
        os.kill(process.pid, signal.SIGUSR1)
        crash = tmp_path / "logs" / CRASH_FILE_NAME
        deadline = time.monotonic() + 10
        while "waiting_for_the_printer" not in crash.read_text(encoding="utf-8"):
            assert time.monotonic() < deadline, crash.read_text(encoding="utf-8")
            time.sleep(0.05)
        assert process.poll() is None  # still running
        process.kill()


def test_a_big_crash_log_is_rolled_over_at_start(tmp_path: Path, restore_logging: None) -> None:
    logs = tmp_path / "logs"
    logs.mkdir()
    (logs / CRASH_FILE_NAME).write_text("old crash\n" * 200_000, encoding="utf-8")
    configure_logging(logs)
    assert (logs / f"{CRASH_FILE_NAME}.1").read_text(encoding="utf-8").startswith("old crash")
    assert (logs / CRASH_FILE_NAME).stat().st_size == 0
