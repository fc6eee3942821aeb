"""The devices as the health strip shows them: reader, scanner, camera, preview and printer.

The shell passes the device adapters' signals through here; printing failures are
said on the banner of the screen in front of the user.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtWidgets import QVBoxLayout, QWidget

from kiosk.domain.clock import Clock
from kiosk.domain.documents import PrintDocument
from kiosk.ui.formatting import TimeFormatter
from kiosk.ui.widgets.banner import ERROR, WARNING, Banner
from kiosk.ui.widgets.health_strip import HealthStrip

if TYPE_CHECKING:
    from kiosk.devices.slip_printer import DocumentPrinter

log = logging.getLogger(__name__)

CAMERA_PANEL_SIZE = (426, 264)  # a 16:9 picture and its caption


class DeviceStatus(QObject):
    printed = Signal(str, str)  # document id, where (the Settings screen's test slip listens)
    print_failed = Signal(str, str)  # document id, reason

    def __init__(
        self,
        health: HealthStrip,
        central: QWidget,
        times: TimeFormatter,
        clock: Clock,
        current_banner: Callable[[], Banner],
    ) -> None:
        super().__init__(central)
        self._health = health
        self._times = times
        self._clock = clock
        self._current_banner = current_banner
        self._reader_state = "off"
        self._reader_bad_frames = 0
        self._camera_preview: QWidget | None = None
        self.printer: DocumentPrinter | None = None
        # The preview floats over the bottom-right corner: in the layout it would push the
        # screen's buttons and the health strip off an 800-pixel screen.
        self.camera_panel = QWidget(central)
        self.camera_panel.setObjectName("cameraPanel")
        self.camera_panel.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        self._camera_panel_layout = QVBoxLayout(self.camera_panel)
        self._camera_panel_layout.setContentsMargins(3, 3, 3, 3)
        self.camera_panel.hide()
        health.camera_clicked.connect(self._on_health_camera_clicked)

    # ------------------------------------------------------------------ reader, scanner, camera
    def show_reader_state(self, state: str, detail: str) -> None:
        self._reader_state = state
        log.info("badge reader %s: %s", state, detail)
        self._health.set_reader(state, self._reader_bad_frames)

    def show_reader_counters(self, counters: object) -> None:
        bad = sum(
            int(getattr(counters, name, 0)) for name in ("bad_checksum", "malformed", "noise_bytes")
        )
        self._reader_bad_frames = bad
        self._health.set_reader(self._reader_state, bad)

    def show_scanner_seen(self, source: str) -> None:
        if source == "scanner":
            self._health.set_scanner(self._times.time(self._clock.now()))

    def show_camera_state(self, state: str, detail: str) -> None:
        log.info("camera %s: %s", state, detail)
        self._health.set_camera(state)

    def attach_camera_preview(self, preview: QWidget | None) -> None:
        """The camera's preview goes in a panel the health strip's camera item opens;
        a camera changed on the Settings screen replaces the old one (None: no camera)."""
        old = self._camera_preview
        if old is not None:
            self._camera_panel_layout.removeWidget(old)
            old.deleteLater()
            self.camera_panel.hide()
        self._camera_preview = preview
        if preview is None:
            return
        self._camera_panel_layout.addWidget(preview)

    def _on_health_camera_clicked(self) -> None:
        if self._camera_preview is not None:
            self.place_camera_panel()
            self.camera_panel.setVisible(self.camera_panel.isHidden())
            self.camera_panel.raise_()

    def place_camera_panel(self) -> None:
        strip = self._health.geometry()
        width, height = CAMERA_PANEL_SIZE
        self.camera_panel.setGeometry(
            strip.right() - width - 8, strip.top() - height - 8, width, height
        )

    # ------------------------------------------------------------------ printer
    def attach_printer(self, printer: DocumentPrinter) -> None:
        """Slips and cards print here; its state joins the health strip."""
        self.printer = printer
        printer.state_changed.connect(self._health.set_printer)
        printer.printed.connect(self._on_printer_printed)
        printer.failed.connect(self._on_printer_failed)
        self._health.set_printer(printer.state, printer.detail)

    def print_document(self, document: PrintDocument, copy: int) -> None:
        """Print a slip or a card; the printer reports back through its signals."""
        if self.printer is None:
            self._current_banner().show_message(
                WARNING,
                self.tr("No printer is set up: {id} was not printed.").format(
                    id=document.document_id
                ),
                self.tr("Ask the admin to set the printer; the slip can be reprinted later."),
            )
            return
        self.printer.print_document(document, copy)

    def _on_printer_printed(self, document_id: str, where: str) -> None:
        log.info("printed %s to %s", document_id, where)
        self.printed.emit(document_id, where)

    def _on_printer_failed(self, document_id: str, reason: str) -> None:
        log.error("printing %s failed: %s", document_id, reason)
        self._current_banner().show_message(
            ERROR,
            self.tr("{id} could not be printed.").format(id=document_id),
            self.tr("Check the printer, then use Reprint. Nothing else was lost."),
        )
        self.print_failed.emit(document_id, reason)  # after: a listener may say it better
