"""The sync worker's reports carried to the GUI thread as Qt signals."""

from __future__ import annotations

from PySide6.QtCore import QObject, Signal

from kiosk.sync.status import RoundReport, SyncStatus


class SyncRelay(QObject):
    """Lives on the GUI thread; the worker calls its methods from its own thread."""

    status_changed = Signal(object)  # SyncStatus
    round_finished = Signal(object)  # RoundReport

    def report_status(self, status: SyncStatus) -> None:
        self.status_changed.emit(status)

    def report_round(self, report: RoundReport) -> None:
        self.round_finished.emit(report)
