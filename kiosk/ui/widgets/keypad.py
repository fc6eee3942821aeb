"""The on-screen number pad: big keys for gloved fingers (Qt's virtual keyboard does not
load in a Widgets app, PLATFORM note 13)."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QGridLayout, QPushButton, QWidget

KEY_BACKSPACE = "back"
KEY_CLEAR = "clear"


class Keypad(QWidget):
    """Digits 0-9, backspace and clear; emits the key's name."""

    key_pressed = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        layout = QGridLayout(self)
        layout.setSpacing(10)
        layout.setContentsMargins(0, 0, 0, 0)
        self.buttons: dict[str, QPushButton] = {}
        for index, digit in enumerate("123456789"):
            self._add_key(layout, digit, digit, index // 3, index % 3)
        self._add_key(layout, KEY_CLEAR, self.tr("Clear"), 3, 0)
        self._add_key(layout, "0", "0", 3, 1)
        self._add_key(layout, KEY_BACKSPACE, "⌫", 3, 2)
        self.buttons[KEY_BACKSPACE].setAccessibleName(self.tr("Delete last digit"))

    def _add_key(self, layout: QGridLayout, key: str, label: str, row: int, column: int) -> None:
        button = QPushButton(label, self)
        button.setObjectName("key")
        button.setAutoDefault(False)
        button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        button.clicked.connect(lambda: self.key_pressed.emit(key))
        layout.addWidget(button, row, column)
        self.buttons[key] = button

    def press(self, key: str) -> None:
        """Act as if `key` was tapped (used for a hardware keyboard)."""
        self.buttons[key].click()


def apply_key(value: str, key: str, max_length: int) -> str:
    """The text after one keypad key."""
    if key == KEY_BACKSPACE:
        return value[:-1]
    if key == KEY_CLEAR:
        return ""
    if key.isdigit() and len(value) < max_length:
        return value + key
    return value


def keypad_key_for(event: QKeyEvent) -> str | None:
    """Map a hardware key to a keypad key, so a desk keyboard works too."""
    text = event.text()
    if text.isdigit() and len(text) == 1:
        return text
    if event.key() == Qt.Key.Key_Backspace:
        return KEY_BACKSPACE
    if event.key() in (Qt.Key.Key_Escape, Qt.Key.Key_Delete):
        return KEY_CLEAR
    return None
