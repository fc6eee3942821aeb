"""The first start of an enrolled kiosk: its line's data comes down from the server.

Shown until the first full pull is stored; it says how far the download is, or that
the server cannot be reached and when the next try is. It follows the sync's status
signal and says when the download is done, so the start-up waits in the main loop.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QCloseEvent
from PySide6.QtWidgets import QLabel, QProgressBar, QVBoxLayout, QWidget

from kiosk.sync.status import (
    CERTIFICATE_CHANGED,
    CERTIFICATE_UNTRUSTED,
    INSECURE,
    OFFLINE,
    ONLINE,
    REFUSED,
    SyncStatus,
)
from kiosk.ui.widgets.health_strip import trust_problem_words


class BootstrapScreen(QWidget):
    download_finished = Signal()  # the sync reported online: the line's data is here

    def __init__(
        self, where: str, parent: QWidget | None = None, *, closable: bool = False
    ) -> None:
        super().__init__(parent)
        self._is_finished = False
        # As the kiosk window: a close request during the first download is ignored on the
        # floor (closing it would end the program); the start-up closes it when done.
        self._closable = closable
        self.setObjectName("screen")
        self.setWindowTitle(self.tr("Line kiosk - setting up"))
        layout = QVBoxLayout(self)
        layout.setContentsMargins(80, 80, 80, 80)
        layout.setSpacing(24)
        layout.addStretch(1)
        title = QLabel(self.tr("Setting up this kiosk for {where}").format(where=where), self)
        title.setObjectName("title")
        title.setAlignment(Qt.AlignmentFlag.AlignCenter)
        layout.addWidget(title)
        self.progress = QProgressBar(self)
        self.progress.setRange(0, 100)
        self.progress.setValue(0)
        self.progress.setMinimumHeight(48)
        layout.addWidget(self.progress)
        self.detail = QLabel(self.tr("Connecting to the server…"), self)
        self.detail.setObjectName("subtitle")
        self.detail.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.detail.setWordWrap(True)
        layout.addWidget(self.detail)
        layout.addStretch(2)

    def shut_down(self) -> None:
        """The download is done or the start ended: close for real."""
        self._closable = True
        self.close()

    def closeEvent(self, event: QCloseEvent) -> None:
        if not self._closable:
            event.ignore()
            return
        super().closeEvent(event)

    def show_status(self, status: SyncStatus) -> None:
        """Show how far the download is; the first online status finishes it."""
        if status.state == ONLINE:
            if not self._is_finished:
                self._is_finished = True
                self.download_finished.emit()
            return
        if status.bootstrap is not None:
            percent = int(status.bootstrap.fraction * 100)
            self.progress.setValue(percent)
            self.detail.setText(
                self.tr("Downloading the line's work orders, people and stock: {percent}%").format(
                    percent=percent
                )
            )
        elif status.state == OFFLINE:
            self.detail.setText(
                self.tr("The server cannot be reached. Trying again in {seconds} s.").format(
                    seconds=round(status.retry_in_seconds or 0)
                )
            )
        elif status.state == REFUSED:
            self.detail.setText(
                self.tr("The server refused this kiosk. Ask the admin to enrol it again.")
            )
        elif status.state in {CERTIFICATE_CHANGED, CERTIFICATE_UNTRUSTED, INSECURE}:
            self.detail.setText(trust_problem_words(status.state))
        elif status.last_error:
            self.detail.setText(
                self.tr("The server had a problem ({error}). Trying again.").format(
                    error=status.last_error[:80]
                )
            )
