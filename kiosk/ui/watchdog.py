"""The systemd watchdog's pings, from a timer on the GUI thread.

A timer on the GUI thread fires only while the event loop runs: a GUI stuck in a slot or a
deadlock stops the pings, and systemd restarts the kiosk (WatchdogSec in the unit).
"""

from __future__ import annotations

from PySide6.QtCore import QObject, QTimer

from kiosk.systemd_notify import sd_notify, watchdog_interval_seconds


class Watchdog(QObject):
    """READY=1 once the first screen is up, then WATCHDOG=1 every half WatchdogSec."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.timer = QTimer(self)
        self.timer.timeout.connect(self.ping)
        self.pings = 0

    def ready(self) -> None:
        """The screen is shown: tell systemd, and start pinging if the unit asks for it."""
        sd_notify("READY=1")
        interval = watchdog_interval_seconds()
        if interval is not None and not self.timer.isActive():
            self.timer.start(max(100, int(interval * 1000)))

    def ping(self) -> None:
        if sd_notify("WATCHDOG=1"):
            self.pings += 1
