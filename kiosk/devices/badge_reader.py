"""The RFID badge reader on a serial port: a worker thread around the pure frame decoders.

The port is read on its own QThread so that a slow or vanished device never blocks
the GUI. The worker owns the port, the decoder and the held-badge filter; it tells
the GUI thread about taps, connection states and counters through queued signals
that carry immutable values only. An unplugged reader is an environment problem,
not a bug: the worker reports RECONNECTING and keeps trying to reopen the port.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum

import serial

from PySide6.QtCore import QCoreApplication, QEvent, QObject, Qt, QThread, Signal, Slot

from kiosk.devices.badge_frames import FrameCounters, HeldBadgeFilter, decoder_for

log = logging.getLogger(__name__)

# How long one read waits for a first byte: bounds how late the worker notices stop().
# Bytes are handed over as soon as they arrive, whatever this is.
READ_TIMEOUT_SECONDS = 0.1
# Counters change with every noisy byte; the health strip needs them a few times a second.
COUNTERS_INTERVAL_SECONDS = 0.25
STOP_WAIT_MS = 2000


class ReaderState(StrEnum):
    OFF = "off"
    CONNECTED = "connected"
    RECONNECTING = "reconnecting"
    ERROR = "error"


@dataclass(frozen=True)
class ReaderConfig:
    port: str
    baud: int = 9600
    protocol: str = "rdm6300"
    retry_seconds: float = 2.0
    hold_seconds: float = 1.0


class _ReaderWorker(QObject):
    """Lives on the reader thread; `run()` loops until `request_stop()`."""

    badge_read = Signal(str)
    state_changed = Signal(str, str)
    counters_changed = Signal(object)
    finished = Signal()

    def __init__(self, config: ReaderConfig, monotonic: Callable[[], float]) -> None:
        super().__init__()
        self._config = config
        self._monotonic = monotonic
        self._decoder = decoder_for(config.protocol)
        self._held = HeldBadgeFilter(config.hold_seconds)
        self._stop = threading.Event()
        self._state = ReaderState.OFF
        self._detail = ""
        # Replaced (never mutated) by the worker; reading the reference from the GUI
        # thread is atomic, and the object is immutable.
        self.latest_counters = self._decoder.counters
        self._published_counters = self.latest_counters
        self._published_at = 0.0

    def request_stop(self) -> None:
        """Thread-safe: the loop ends within one read timeout or at once if it is waiting."""
        self._stop.set()

    @Slot()
    def run(self) -> None:
        threading.current_thread().name = "badge-reader"
        try:
            while not self._stop.is_set() and self._state is not ReaderState.ERROR:
                port = self._open()
                if port is not None:
                    try:
                        self._pump(port)
                    finally:
                        self._close(port)
                if self._state is ReaderState.RECONNECTING:
                    self._stop.wait(self._config.retry_seconds)
        except Exception:
            # A bug in this module: keep the traceback and say so; retrying would only
            # repeat it.
            log.exception("badge reader %s stopped on an unexpected error", self._config.port)
            self._set_state(
                ReaderState.ERROR, f"{self._config.port}: unexpected error (see the log)"
            )
        finally:
            self._publish_counters(force=True)
            self.finished.emit()

    def _open(self) -> serial.SerialBase | None:
        try:
            port = serial.serial_for_url(
                self._config.port, baudrate=self._config.baud, timeout=READ_TIMEOUT_SECONDS
            )
        except (serial.SerialException, OSError) as error:
            self._set_state(
                ReaderState.RECONNECTING,
                f"{self._config.port}: cannot open ({error}); "
                f"retrying every {self._config.retry_seconds:g} s",
            )
            return None
        except ValueError as error:
            # pyserial's answer to a bad URL or baud rate: a setting to fix, not a
            # device to wait for.
            self._set_state(ReaderState.ERROR, f"{self._config.port}: {error}")
            return None
        self._decoder.reset()
        self._set_state(
            ReaderState.CONNECTED,
            f"{self._config.port} at {self._config.baud} baud ({self._config.protocol})",
        )
        return port

    def _pump(self, port: serial.SerialBase) -> None:
        """Read until stop or until the device goes away."""
        while not self._stop.is_set():
            try:
                # Whatever has arrived, or wait (up to the timeout) for the first byte:
                # a frame is decoded as soon as its last byte is in.
                data = port.read(max(1, port.in_waiting))
            except (serial.SerialException, OSError) as error:
                self._set_state(ReaderState.RECONNECTING, f"{self._config.port}: lost ({error})")
                return
            if data:
                for uid in self._decoder.feed(data):
                    if self._held.is_new_tap(uid, self._monotonic()):
                        log.debug("badge tap on %s", self._config.port)  # no UID in logs
                        self.badge_read.emit(uid)
                self.latest_counters = self._decoder.counters
            self._publish_counters()

    def _close(self, port: serial.SerialBase) -> None:
        try:
            port.close()
        except (serial.SerialException, OSError) as error:
            # The device is already gone; nothing else to release.
            log.debug("closing badge reader %s: %s", self._config.port, error)

    def _publish_counters(self, *, force: bool = False) -> None:
        counters = self.latest_counters
        if counters == self._published_counters:
            return
        now = time.monotonic()
        if not force and now - self._published_at < COUNTERS_INTERVAL_SECONDS:
            return
        self._published_counters = counters
        self._published_at = now
        self.counters_changed.emit(counters)

    def _set_state(self, state: ReaderState, detail: str) -> None:
        if (state, detail) == (self._state, self._detail):
            return  # a port that stays missing is reported once, not every retry
        self._state, self._detail = state, detail
        if state is ReaderState.CONNECTED:
            log.info("badge reader connected: %s", detail)
        elif state is ReaderState.RECONNECTING:
            log.warning("badge reader unavailable: %s", detail)
        elif state is ReaderState.ERROR:
            log.error("badge reader out of service: %s", detail)
        self.state_changed.emit(state.value, detail)


class BadgeReader(QObject):
    """The badge reader as the GUI sees it: start, stop, and signals on the GUI thread.

    `monotonic` is called on the reader thread (it times the held-badge filter).
    Call `stop()` before the reader is dropped: Qt aborts on a running QThread's
    destruction, and the composition root shuts devices down in reverse order.
    """

    badge_tapped = Signal(str)  # UID, once per tap
    state_changed = Signal(str, str)  # ReaderState value, detail for the log / health strip
    counters_changed = Signal(object)  # FrameCounters

    def __init__(
        self,
        config: ReaderConfig,
        parent: QObject | None = None,
        monotonic: Callable[[], float] = time.monotonic,
    ) -> None:
        super().__init__(parent)
        decoder_for(config.protocol)  # an unknown protocol fails here, not on the thread
        self._config = config
        self._monotonic = monotonic
        self._state = ReaderState.OFF
        self._counters = FrameCounters()
        self._thread: QThread | None = None
        self._worker: _ReaderWorker | None = None

    @property
    def state(self) -> ReaderState:
        return self._state

    @property
    def counters(self) -> FrameCounters:
        return self._worker.latest_counters if self._worker is not None else self._counters

    def start(self) -> None:
        """Open the port on a new thread; with no port configured the reader stays OFF."""
        if self._thread is not None:
            return
        if not self._config.port:
            self._set_state(ReaderState.OFF, "no badge reader configured (rfid_port is empty)")
            return
        thread = QThread()
        thread.setObjectName("badge-reader")
        worker = _ReaderWorker(self._config, self._monotonic)
        worker.moveToThread(thread)
        thread.started.connect(worker.run)
        # Direct: quit() is thread-safe, and the GUI thread may be blocked in stop().
        worker.finished.connect(thread.quit, Qt.ConnectionType.DirectConnection)
        worker.badge_read.connect(self._on_worker_badge_read)
        worker.state_changed.connect(self._on_worker_state_changed)
        worker.counters_changed.connect(self._on_worker_counters_changed)
        self._thread = thread
        self._worker = worker
        log.info("badge reader starting on %s", self._config.port)
        thread.start()

    def stop(self) -> None:
        """Stop the thread and close the port; returns within a read timeout. Idempotent."""
        thread, worker = self._thread, self._worker
        if thread is None or worker is None:
            return
        worker.request_stop()
        thread.quit()
        if not thread.wait(STOP_WAIT_MS):
            # Only a read stuck in the OS could do this; a hung shutdown is worse than
            # killing a thread that holds nothing but the port.
            log.error("badge reader thread did not stop within %d ms", STOP_WAIT_MS)
            thread.terminate()
            thread.wait()
        self._counters = worker.latest_counters
        self._thread = None
        self._worker = None
        # Signals the worker queued before it stopped must not arrive after OFF.
        QCoreApplication.removePostedEvents(self, QEvent.Type.MetaCall)
        self._set_state(ReaderState.OFF, "stopped")

    @Slot(str)
    def _on_worker_badge_read(self, uid: str) -> None:
        self.badge_tapped.emit(uid)

    @Slot(str, str)
    def _on_worker_state_changed(self, state: str, detail: str) -> None:
        self._set_state(ReaderState(state), detail)

    @Slot(object)
    def _on_worker_counters_changed(self, counters: FrameCounters) -> None:
        self.counters_changed.emit(counters)

    def _set_state(self, state: ReaderState, detail: str) -> None:
        if state is ReaderState.OFF:
            log.info("badge reader off: %s", detail)
        self._state = state
        self.state_changed.emit(state.value, detail)
