"""`kiosk --smoke` as a process: the start-up reaches the login screen from the one main loop."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from kiosk.app import SMOKE_MARKER

pytestmark = pytest.mark.slow

# Every QEventLoop.exec and processEvents call made from kiosk code is counted (and still
# run); the one main loop, QApplication.exec, is a different method and is not.
PROBE = textwrap.dedent(
    """
    import sys
    from PySide6.QtCore import QCoreApplication, QEventLoop

    calls = []

    def spy(label, original, is_static):
        def call(*args, **kwargs):
            caller = sys._getframe(1).f_globals.get("__name__", "")
            if caller.split(".")[0] == "kiosk":
                calls.append(f"{label} from {caller}")
            if is_static:
                args = tuple(a for a in args if not isinstance(a, QCoreApplication))
            return original(*args, **kwargs)
        return call

    QEventLoop.exec = spy("QEventLoop.exec", QEventLoop.exec, False)
    QCoreApplication.processEvents = spy(
        "processEvents", QCoreApplication.processEvents, True
    )
    from kiosk.cli import main
    code = main(sys.argv[1:])
    print("nested loops:", calls, flush=True)
    sys.exit(code)
    """
)


def test_the_smoke_start_runs_no_nested_event_loop(tmp_path: Path) -> None:
    env = {
        **os.environ,
        "KIOSK_DATA_DIR": str(tmp_path),
        "KIOSK_LOG_DIR": str(tmp_path / "logs"),
        "QT_QPA_PLATFORM": "offscreen",
    }
    result = subprocess.run(
        [sys.executable, "-c", PROBE, "--demo", "--smoke"],
        capture_output=True,
        text=True,
        env=env,
        check=False,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    assert SMOKE_MARKER in result.stdout
    assert "nested loops: []" in result.stdout
