"""Catches a keyboard-wedge scanner's codes anywhere in the app and keeps them out of fields."""

from __future__ import annotations

import logging
import math
import time
from collections.abc import Callable
from typing import cast

import shiboken6
from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QApplication, QWidget

from kiosk.devices.key_burst import BurstConfig, BurstDetector

_log = logging.getLogger(__name__)

_KEY_PRESS = QEvent.Type.KeyPress
# A timer this late means the GUI thread was busy: keys sent meanwhile may still be waiting
# to be read, so held keys are not given back until the event loop has had another turn.
_LATE_TIMER_SECONDS = 0.010
# That turn: short, so a person's key is late by only this much more.
_SETTLE_MS = 5
_TERMINATORS = frozenset({Qt.Key.Key_Return, Qt.Key.Key_Enter, Qt.Key.Key_Tab})
# A scanner never holds Ctrl, Alt or Meta for a character; a person doing so means a command.
_COMMAND_MODIFIERS = (
    Qt.KeyboardModifier.ControlModifier
    | Qt.KeyboardModifier.AltModifier
    | Qt.KeyboardModifier.MetaModifier
)
# Keys that only change the next key: scanners press Shift inside a burst for capitals.
_MODIFIER_KEYS = frozenset(
    {
        Qt.Key.Key_Shift,
        Qt.Key.Key_Control,
        Qt.Key.Key_Alt,
        Qt.Key.Key_AltGr,
        Qt.Key.Key_Meta,
        Qt.Key.Key_Super_L,
        Qt.Key.Key_Super_R,
        Qt.Key.Key_CapsLock,
        Qt.Key.Key_NumLock,
    }
)


class _HeldKey:
    """A key kept back: a copy of the event (Qt deletes the original) and where it was going."""

    __slots__ = ("event", "target")

    def __init__(self, event: QKeyEvent, target: QWidget) -> None:
        copy = QKeyEvent(
            event.type(),
            event.key(),
            event.modifiers(),
            event.nativeScanCode(),
            event.nativeVirtualKey(),
            event.nativeModifiers(),
            event.text(),
            event.isAutoRepeat(),
            event.count(),
        )
        copy.setTimestamp(event.timestamp())
        self.event = copy
        # A strong reference to the wrapper, checked with shiboken6.isValid before use: PySide
        # has no QPointer, and a weakref to a wrapper can die while the widget lives on.
        self.target = target


class ScannerInput(QObject):
    """An application-wide event filter that turns a scanner's key burst into `scanned`.

    Printable keys (and Enter/Return/Tab) going to any widget are held for up to
    `config.max_key_gap` (`max_stall_gap` after a quick run) while a `BurstDetector`
    decides: a quick run ending in a terminator is a scan and never reaches a widget;
    anything else is re-sent to its widget in order, so typing works everywhere, a little
    late. Other events pass untouched.

    Keys are judged by when the keyboard sent them (`QKeyEvent.timestamp()`, the X server's
    stamp), not when a busy GUI thread got round to reading them; a key without a stamp (0)
    is judged by its arrival. Held keys are given back only once the gap has passed and a
    short settle timer has then fired on time (see `_on_timer_timeout`), so a burst whose
    keys were read in two lumps around a busy moment stays whole.
    """

    scanned = Signal(str)

    def __init__(
        self,
        config: BurstConfig,
        parent: QObject | None = None,
        monotonic: Callable[[], float] = time.monotonic,
    ) -> None:
        super().__init__(parent)
        self._detector: BurstDetector[_HeldKey] = BurstDetector(config)
        self._monotonic = monotonic
        self._last_scan_at: float | None = None
        self._is_installed = False
        # Events this filter is re-sending right now: they must pass it. A stack, because a
        # re-sent key can open a nested event loop (a modal dialog) that re-sends others.
        self._resending: list[QKeyEvent] = []
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        # A coarse timer may fire 5 % early; the detector re-checks the clock anyway.
        self._timer.setTimerType(Qt.TimerType.PreciseTimer)
        self._timer.timeout.connect(self._on_timer_timeout)
        self._timer_due = 0.0  # when the running timer should fire (monotonic seconds)
        self._is_settling = False  # the gap has passed; one more on-time turn to be sure

    @property
    def last_scan_at(self) -> float | None:
        """Monotonic time of the last scan (for a "scanner seen" indicator), None before."""
        return self._last_scan_at

    def install(self) -> None:
        """Start filtering every key of the application."""
        app = QApplication.instance()
        if app is None:
            raise RuntimeError("ScannerInput needs a QApplication")
        app.installEventFilter(self)
        self._is_installed = True

    def uninstall(self) -> None:
        """Stop filtering; keys still held are delivered, not lost."""
        if not self._is_installed:
            return
        self._is_installed = False
        app = QApplication.instance()
        if app is not None:
            app.removeEventFilter(self)
        self._timer.stop()
        self._deliver(self._detector.flush().release)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        # Every event of the app passes here: the type test comes first and is all most pay.
        if event.type() != _KEY_PRESS:
            return False
        # A key is seen twice: on its window, then on the focus widget. Only the widget's
        # sighting is handled, so a held key is re-sent to the widget Qt had chosen.
        if not watched.isWidgetType():
            return False
        if self._resending and any(event is sent for sent in self._resending):
            return False
        return self._on_key_press(cast(QWidget, watched), cast(QKeyEvent, event))

    def _on_key_press(self, target: QWidget, event: QKeyEvent) -> bool:
        """True when the key is held back or swallowed by a scan."""
        key = event.key()
        if key in _MODIFIER_KEYS:
            return False
        now = self._monotonic()
        self._is_settling = False
        stamp = event.timestamp()
        sent_at = stamp / 1000 if stamp else None
        text = event.text()
        is_candidate = not (event.modifiers() & _COMMAND_MODIFIERS) and not event.isAutoRepeat()
        if is_candidate and key in _TERMINATORS:
            current = _HeldKey(event, target)
            step = self._detector.terminator(now, current, sent_at)
        elif is_candidate and text and text.isprintable():
            current = _HeldKey(event, target)
            step = self._detector.key(text, now, current, sent_at)
        else:
            # Backspace, arrows, Ctrl+V, a held-down key: a person. What was typed before
            # it must land first.
            step = self._detector.flush()
            self._rearm(now)
            self._deliver(step.release)
            return False
        self._rearm(now)
        if step.scan is not None:
            self._last_scan_at = now
            _log.debug("scanned %d characters", len(step.scan))
            self.scanned.emit(step.scan)
            return True
        if step.release and step.release[-1] is current:
            # The key itself is released (a terminator after typing): the original goes on.
            self._deliver(step.release[:-1])
            return False
        self._deliver(step.release)
        return True

    def _on_timer_timeout(self) -> None:
        """Give the held keys back, once sure no key of their burst is still unread.

        The gap having passed by the clock is not enough: if the GUI thread was busy, the
        rest of a burst may be waiting in the queue, behind this very timer. So a timer
        that fires late (or the first one past the gap) only starts a short settle; the
        keys go back when a settle timer fires on time with no key read since.
        """
        now = self._monotonic()
        deadline = self._detector.deadline
        if deadline is None:
            self._is_settling = False
            return
        is_on_time = now - self._timer_due <= _LATE_TIMER_SECONDS
        if now > deadline and self._is_settling and is_on_time:
            self._is_settling = False
            step = self._detector.expire(now)
            self._rearm(now)
            self._deliver(step.release)
        elif now > deadline:
            self._is_settling = True
            self._start_timer(now, _SETTLE_MS)
        else:
            self._rearm(now)

    def _rearm(self, now: float) -> None:
        """Run the timer exactly while keys are held; called before delivering anything.

        A running timer is left alone rather than restarted on every key of a burst: when it
        fires early the detector keeps the keys and the timer is re-armed for the rest.
        """
        deadline = self._detector.deadline
        if deadline is None:
            if self._timer.isActive():
                self._timer.stop()
        elif not self._timer.isActive():
            # Rounded up so the detector sees the gap passed; if not, it is re-armed again.
            self._start_timer(now, max(math.ceil((deadline - now) * 1000), 1))

    def _start_timer(self, now: float, ms: int) -> None:
        self._timer_due = now + ms / 1000
        self._timer.start(ms)

    def _deliver(self, keys: tuple[_HeldKey, ...]) -> None:
        for held in keys:
            if not shiboken6.isValid(held.target):
                _log.debug("dropped a held key: its widget was deleted")
                continue
            self._resending.append(held.event)
            try:
                QApplication.sendEvent(held.target, held.event)
            finally:
                self._resending.pop()
