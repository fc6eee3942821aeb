"""On-screen keys, so that no physical keyboard is needed anywhere.

`TextKeys` types a server address (letters, digits and the few signs an address needs);
`NameKeys` types words: names, searches, a reason in one's own words (letters, digits,
space, '-'). Big keys for gloved fingers (Qt's virtual keyboard does not load in a
Widgets app, PLATFORM note 13).
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QGridLayout, QPushButton, QWidget

from kiosk.ui.widgets.keypad import KEY_BACKSPACE, KEY_CLEAR

SCHEME_KEY = "https://"
KEY_SPACE = " "
TOUCH = 64  # the kiosk's touch size
_NAME_ROWS = ("1234567890", "QWERTYUIOP", "ASDFGHJKL-", "ZXCVBNM")
SPACE_ROW_FREE = (len(_NAME_ROWS), 4, 6)  # NameKeys' cells beside Space: row, column, span
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


class NameKeys(QWidget):
    """Letters, digits, space and the two editing keys; emits each key."""

    key_pressed = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        grid = QGridLayout(self)
        grid.setContentsMargins(0, 0, 0, 0)
        grid.setSpacing(5)
        # Ten keys a row beside the list: narrower than the kiosk's buttons, as tall.
        self.setStyleSheet("QPushButton { min-width: 46px; padding: 0; font-size: 22px; }")
        self.buttons: dict[str, QPushButton] = {}
        for row, keys in enumerate(_NAME_ROWS):
            for column, key in enumerate(keys):
                self._add(grid, key, key, (row, column, 1))
        last = len(_NAME_ROWS) - 1
        self._add(grid, KEY_SPACE, self.tr("Space"), (last + 1, 0, 4))
        self._add(grid, KEY_CLEAR, self.tr("Clear"), (last, 7, 2))
        self._add(grid, KEY_BACKSPACE, "⌫", (last, 9, 1))
        self.buttons[KEY_BACKSPACE].setAccessibleName(self.tr("Delete last character"))

    def add_button(self, button: QPushButton, place: tuple[int, int, int]) -> None:
        """A screen's own button among the keys (e.g. beside Space), saving a row."""
        row, column, span = place
        button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        button.setMinimumHeight(TOUCH)
        grid = self.layout()
        assert isinstance(grid, QGridLayout)
        grid.addWidget(button, row, column, 1, span)

    def _add(self, grid: QGridLayout, key: str, words: str, place: tuple[int, int, int]) -> None:
        row, column, span = place
        button = QPushButton(words, self)
        button.setAutoDefault(False)
        button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        button.setMinimumHeight(TOUCH)
        button.clicked.connect(lambda: self.key_pressed.emit(key))
        grid.addWidget(button, row, column, 1, span)
        self.buttons[key] = button


def apply_key(value: str, key: str, longest: int) -> str:
    """The text after one key; a name's words start with a capital letter."""
    if key == KEY_BACKSPACE:
        return value[:-1]
    if key == KEY_CLEAR:
        return ""
    if len(key) != 1 or len(value) >= longest:
        return value
    if key == KEY_SPACE and (not value or value.endswith(KEY_SPACE)):
        return value  # no leading or double spaces
    if key.isalpha() and value and not value.endswith(KEY_SPACE):
        return value + key.lower()
    return value + key
