"""One entry for every scan: the reader, the scanner and the camera all end here.

The router classifies the text with the payload grammar, drops double reads and
hands the payload to one handler (the main window, which knows the active screen).
A scan that comes while the screen is about to change (a service call in flight whose
answer switches it, such as the PIN check of a login) waits for that answer and goes
to the screen that follows, not to the one that is about to go.
"""

from __future__ import annotations

import logging
import time
from collections import deque
from collections.abc import Callable

from PySide6.QtCore import QObject, Qt, QTimer, Signal

from kiosk.domain.scan import RepeatFilter, ScanEvent, ScanPayload, ScanSource, classify

log = logging.getLogger(__name__)

# How often a waiting scan looks whether the screen has settled.
_SETTLE_POLL_MS = 5
# A scan waits at most this long for a screen change; then the screen shown takes it.
MAX_SETTLE_WAIT_SECONDS = 5.0
# More waiting scans than this are not a person with a scanner: the oldest are dropped.
_MAX_WAITING = 16


def _never_settling() -> bool:
    return False


class ScanRouter(QObject):
    seen = Signal(str)  # ScanSource value: the device delivered something (health strip)

    def __init__(
        self,
        handler: Callable[[ScanPayload], None],
        repeat_seconds: float = 1.0,
        parent: QObject | None = None,
        monotonic: Callable[[], float] = time.monotonic,
        is_settling: Callable[[], bool] = _never_settling,
    ) -> None:
        """`is_settling`: True while the screen may still change (a service call in flight)."""
        super().__init__(parent)
        self._handler = handler
        self._repeats = RepeatFilter(repeat_seconds)
        self._monotonic = monotonic
        self._is_settling = is_settling
        self._waiting: deque[tuple[ScanPayload, float]] = deque()
        self._settle_timer = QTimer(self)
        self._settle_timer.setInterval(_SETTLE_POLL_MS)
        self._settle_timer.setTimerType(Qt.TimerType.PreciseTimer)
        self._settle_timer.timeout.connect(self._on_settle_timer_timeout)
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
        if not self._waiting and not self._is_settling():
            self._handler(payload)
            return
        if len(self._waiting) == _MAX_WAITING:
            dropped, _ = self._waiting.popleft()
            log.warning("dropped a waiting %s: too many scans at once", dropped.kind.value)
        self._waiting.append((payload, self._monotonic()))
        self._settle_timer.start()

    def _on_settle_timer_timeout(self) -> None:
        """Hand the waiting scans on, in order, each once the screen has settled."""
        while self._waiting:
            payload, since = self._waiting[0]
            waited = self._monotonic() - since
            if self._is_settling() and waited < MAX_SETTLE_WAIT_SECONDS:
                return  # the timer keeps running
            if waited >= MAX_SETTLE_WAIT_SECONDS:
                log.warning("a %s waited %.1f s for the screen", payload.kind.value, waited)
            self._waiting.popleft()
            self._handler(payload)
        self._settle_timer.stop()

    def submit_badge(self, uid: str) -> None:
        """The badge reader's taps (a UID, not a scan text) join the same path."""
        self.submit(ScanEvent(ScanSource.READER, uid))

    def submit_scanner_text(self, text: str) -> None:
        self.submit(ScanEvent(ScanSource.SCANNER, text))
