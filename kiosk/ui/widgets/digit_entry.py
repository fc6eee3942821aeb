"""A page for typing digits: a title, what was typed (dots for a PIN), a keypad, Back and OK."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QHBoxLayout, QLabel, QVBoxLayout, QWidget

from kiosk.ui.widgets.keypad import Keypad, apply_key, keypad_key_for
from kiosk.ui.widgets.style import big_button

_PAD_WIDTH = 480  # three 150 px keys: big for gloves, still one hand's reach


class DigitEntryPage(QWidget):
    """A title, what was typed (dots for a PIN), a keypad, Back and a confirm button."""

    submitted = Signal(str)
    back_requested = Signal()

    def __init__(
        self,
        title: str,
        *,
        masked: bool,
        max_length: int,
        prefix: str,
        confirm_text: str,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._masked = masked
        self._max_length = max_length
        self._prefix = prefix
        self._value = ""
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)  # the screen has margins; 800 px is tight
        self.title = QLabel(title, self)
        self.title.setObjectName("title")
        self.title.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.title.setWordWrap(True)
        layout.addWidget(self.title)
        self.display = QLabel(self)
        self.display.setObjectName("pinDots" if masked else "entryValue")
        self.display.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.display.setFixedWidth(_PAD_WIDTH)
        layout.addWidget(self.display, 0, Qt.AlignmentFlag.AlignHCenter)
        self.keypad = Keypad(self)
        self.keypad.setFixedWidth(_PAD_WIDTH)
        self.keypad.key_pressed.connect(self._on_key)
        layout.addWidget(self.keypad, 0, Qt.AlignmentFlag.AlignHCenter)
        # A plain container sets the width: the style sheet's min-width would undo a
        # fixed width set on the buttons themselves.
        button_row = QWidget(self)
        button_row.setFixedWidth(_PAD_WIDTH)
        buttons = QHBoxLayout(button_row)
        buttons.setContentsMargins(0, 0, 0, 0)
        self.back_button = big_button(self.tr("Back"), "", button_row)
        self.back_button.clicked.connect(self.back_requested.emit)
        self.confirm_button = big_button(confirm_text, "go", button_row)
        self.confirm_button.clicked.connect(self._submit)
        buttons.addWidget(self.back_button, 2)
        buttons.addWidget(self.confirm_button, 3)
        layout.addWidget(button_row, 0, Qt.AlignmentFlag.AlignHCenter)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self._refresh()

    def set_title(self, text: str) -> None:
        self.title.setText(text)

    def value(self) -> str:
        return self._value

    def clear(self) -> None:
        self._value = ""
        self._refresh()

    def _on_key(self, key: str) -> None:
        self._value = apply_key(self._value, key, self._max_length)
        self._refresh()

    def _refresh(self) -> None:
        if self._masked:
            shown = "●" * len(self._value) + "○" * max(4 - len(self._value), 0)
        else:
            shown = self._prefix + self._value if self._value else " "
        self.display.setText(shown)

    def _submit(self) -> None:
        self.submitted.emit(self._value)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            self._submit()
            return
        key = keypad_key_for(event)
        if key is not None and self.keypad.isEnabled():
            self._on_key(key)
            return
        super().keyPressEvent(event)
