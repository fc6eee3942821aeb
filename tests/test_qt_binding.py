"""The Qt binding survives a shift: calls and signals must not leak references to None or True.

PySide6-Essentials 6.12.0 on Python 3.11 dropped one reference per call that returns
nothing and per signal emitted; the interpreter aborted ("none_dealloc") after a few
hours of label updates. pyproject.toml keeps that version out; this test keeps it out.
"""

from __future__ import annotations

import subprocess
import sys

PROBE = """
import os, sys
os.environ["QT_QPA_PLATFORM"] = "offscreen"
from PySide6.QtCore import QObject, QTimer, Signal
from PySide6.QtWidgets import QApplication, QLabel
app = QApplication([])
class Source(QObject):
    changed = Signal(str)
source, timer, label = Source(), QTimer(), QLabel()
source.changed.connect(label.setText)
none_before, true_before = sys.getrefcount(None), sys.getrefcount(True)
for i in range(200_000):  # more than a kiosk's state updates in a shift
    timer.stop()
    source.changed.emit("x")
print(sys.getrefcount(None) - none_before, sys.getrefcount(True) - true_before)
"""


def test_a_shift_of_signals_and_calls_leaks_no_references() -> None:
    result = subprocess.run(
        [sys.executable, "-c", PROBE], capture_output=True, text=True, timeout=120, check=False
    )
    assert result.returncode == 0, result.stderr[-2000:]
    none_delta, true_delta = (int(n) for n in result.stdout.split())
    assert abs(none_delta) < 100 and abs(true_delta) < 100
