"""Key presses as a keyboard sends them: with the time the keyboard stamped on each key."""

from __future__ import annotations

from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QKeyEvent

ENTER = "\r"
TAB = "\t"


def key_press(char: str, stamp_ms: int) -> QKeyEvent:
    """The press of one character (capitals with Shift, as scanners send them), stamped.

    `stamp_ms` plays the X server's stamp (`QKeyEvent.timestamp()`); 0 means none.
    """
    modifiers = Qt.KeyboardModifier.NoModifier
    if char == ENTER:
        key = Qt.Key.Key_Return
    elif char == TAB:
        key = Qt.Key.Key_Tab
    else:
        # Qt's key codes for printable ASCII are the characters' codes (letters upper case).
        key = Qt.Key(ord(char.upper()))
        if char.isupper():
            modifiers = Qt.KeyboardModifier.ShiftModifier
    event = QKeyEvent(QEvent.Type.KeyPress, key, modifiers, char)
    event.setTimestamp(stamp_ms)
    return event
