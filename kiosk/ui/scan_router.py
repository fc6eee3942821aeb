"""One entry for every scan: the reader, the scanner and the camera all end here.

The router classifies the text with the payload grammar, drops double reads and
hands the payload to one handler (the main window, which knows the active screen).
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable

from PySide6.QtCore import QObject, Signal

from kiosk.domain.scan import RepeatFilter, ScanEvent, ScanPayload, ScanSource, classify

log = logging.getLogger(__name__)


class ScanRouter(QObject):
    seen = Signal(str)  # ScanSource value: the device delivered something (health strip)

    def __init__(
        self,
        handler: Callable[[ScanPayload], None],
        repeat_seconds: float = 1.0,
        parent: QObject | None = None,
        monotonic: Callable[[], float] = time.monotonic,
    ) -> None:
        super().__init__(parent)
        self._handler = handler
        self._repeats = RepeatFilter(repeat_seconds)
        self._monotonic = monotonic
        self.dropped_repeats = 0

    def submit(self, event: ScanEvent) -> None:
        """Take one read from any device (a slot: devices' signals connect here)."""
        self.seen.emit(event.source.value)
        payload = classify(event)
        if self._repeats.is_repeat(payload, self._monotonic()):
            self.dropped_repeats += 1
            log.info("dropped a repeated %s from the %s", payload.kind.value, event.source.value)
            return
        log.info("scan from the %s: %s %s", event.source.value, payload.kind.value, payload.preview)
        self._handler(payload)

    def submit_badge(self, uid: str) -> None:
        """The badge reader's taps (a UID, not a scan text) join the same path."""
        self.submit(ScanEvent(ScanSource.READER, uid))

    def submit_scanner_text(self, text: str) -> None:
        self.submit(ScanEvent(ScanSource.SCANNER, text))
