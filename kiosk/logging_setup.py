"""Rotating log files; the traceback of every unexpected error ends up here, and a crash's
(a segfault in Qt, OpenCV or a driver, a hung thread killed by the watchdog) in crash.log."""

from __future__ import annotations

import faulthandler
import logging
import logging.handlers
import signal
import sys
from pathlib import Path
from typing import TextIO

LOG_FILE_NAME = "kiosk.log"
CRASH_FILE_NAME = "crash.log"
CRASH_FILE_MAX_BYTES = 1_000_000
_FORMAT = "%(asctime)s %(levelname)s %(threadName)s %(name)s: %(message)s"

_crash_file: TextIO | None = None  # faulthandler writes to its descriptor: keep it open


def configure_logging(log_dir: Path, level: str = "INFO") -> Path:
    """Log to `log_dir/kiosk.log` (5 files of 2 MB) and warnings to stderr; crashes to
    `log_dir/crash.log` (see `enable_crash_log`)."""
    log_dir.mkdir(parents=True, exist_ok=True)
    path = log_dir / LOG_FILE_NAME
    root = logging.getLogger()
    for handler in list(root.handlers):
        if getattr(handler, "_kiosk_handler", False):
            root.removeHandler(handler)
            handler.close()
    file_handler = logging.handlers.RotatingFileHandler(
        path, maxBytes=2_000_000, backupCount=5, encoding="utf-8"
    )
    file_handler.setFormatter(logging.Formatter(_FORMAT))
    file_handler._kiosk_handler = True  # type: ignore[attr-defined]
    console = logging.StreamHandler()
    console.setLevel(logging.WARNING)
    console.setFormatter(logging.Formatter(_FORMAT))
    console._kiosk_handler = True  # type: ignore[attr-defined]
    root.addHandler(file_handler)
    root.addHandler(console)
    root.setLevel(level.upper())
    enable_crash_log(log_dir)
    return path


def enable_crash_log(log_dir: Path) -> Path:
    """`faulthandler` writes every thread's Python traceback to `crash.log` on a fatal
    signal (SIGSEGV, SIGABRT, SIGBUS, SIGILL, SIGFPE) and on SIGUSR1 (a hung kiosk's
    stacks, without killing it), where the log handlers never get to run.

    Appended to; past 1 MB the old file becomes crash.log.1, so it never fills the disk.
    """
    global _crash_file  # noqa: PLW0603  (one crash file per process, as faulthandler has)
    log_dir.mkdir(parents=True, exist_ok=True)
    path = log_dir / CRASH_FILE_NAME
    if path.is_file() and path.stat().st_size > CRASH_FILE_MAX_BYTES:
        path.replace(path.with_name(CRASH_FILE_NAME + ".1"))
    handle = path.open("a", encoding="utf-8")
    faulthandler.enable(file=handle, all_threads=True)
    if hasattr(signal, "SIGUSR1"):  # not on Windows
        faulthandler.register(signal.SIGUSR1, file=handle, all_threads=True, chain=False)
    if _crash_file is not None:
        _crash_file.close()
    _crash_file = handle
    return path


def disable_crash_log() -> None:
    """Tracebacks go back to stderr and crash.log is closed (a program embedding the kiosk,
    or a test, that configured logging only for a while)."""
    global _crash_file  # noqa: PLW0603
    if sys.__stderr__ is not None:
        faulthandler.enable(file=sys.__stderr__, all_threads=True)
    else:  # no console (a windowed program)
        faulthandler.disable()
    if hasattr(signal, "SIGUSR1"):
        faulthandler.unregister(signal.SIGUSR1)
    if _crash_file is not None:
        _crash_file.close()
        _crash_file = None
