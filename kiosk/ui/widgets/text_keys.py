"""On-screen keys for a server address: letters, digits and the few signs an address needs.

Big keys for gloved fingers (Qt's virtual keyboard does not load in a Widgets app, PLATFORM
note 13): eleven columns of 96 px fit a 1280 px screen with its margins.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QGridLayout, QPushButton, QWidget

from kiosk.ui.widgets.keypad import KEY_BACKSPACE, KEY_CLEAR

SCHEME_KEY = "https://"
_ROWS = ("1234567890-", "qwertyuiop/", "asdfghjkl:.", "zxcvbnm")
ADDRESS_CHARACTERS = frozenset("".join(_ROWS) + "_[]")


class TextKeys(QWidget):
    """Emits each key's text; `KEY_BACKSPACE` and `KEY_CLEAR` for the two editing keys."""

    key_pressed = Signal(str)

    def __init__(self, parent: QWidget | None = None, *, scheme_key: bool = True) -> None:
        """`scheme_key`: the "https://" key, for an address only; a filter has "_" there."""
        super().__init__(parent)
        layout = QGridLayout(self)
        layout.setSpacing(8)
        layout.setContentsMargins(0, 0, 0, 0)
        self.buttons: dict[str, QPushButton] = {}
        for row, keys in enumerate(_ROWS):
            for column, key in enumerate(keys):
                self._add_key(layout, key, key, (row, column, 1))
        last = len(_ROWS) - 1
        if scheme_key:
            self._add_key(layout, SCHEME_KEY, SCHEME_KEY, (last, 7, 2))
            self._add_key(layout, KEY_CLEAR, self.tr("Clear"), (last, 9, 1))
        else:  # the audit's kinds are written with "_" (work_order.record)
            self._add_key(layout, "_", "_", (last, 7, 1))
            self._add_key(layout, KEY_CLEAR, self.tr("Clear"), (last, 8, 2))
        self._add_key(layout, KEY_BACKSPACE, "⌫", (last, 10, 1))
        self.buttons[KEY_BACKSPACE].setAccessibleName(self.tr("Delete last character"))

    def _add_key(
        self, layout: QGridLayout, key: str, label: str, place: tuple[int, int, int]
    ) -> None:
        button = QPushButton(label, self)
        button.setObjectName("textKey")
        button.setAutoDefault(False)
        button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        button.clicked.connect(lambda: self.key_pressed.emit(key))
        row, column, span = place
        layout.addWidget(button, row, column, 1, span)
        self.buttons[key] = button


def apply_text_key(value: str, key: str, max_length: int = 200) -> str:
    """The address after one key (a typed character, the scheme, backspace or clear)."""
    if key == KEY_BACKSPACE:
        return value[:-1]
    if key == KEY_CLEAR:
        return ""
    if key == SCHEME_KEY:
        return SCHEME_KEY + value.split("://", 1)[-1]
    if len(key) == 1 and key.lower() in ADDRESS_CHARACTERS and len(value) < max_length:
        return value + key.lower()
    return value
