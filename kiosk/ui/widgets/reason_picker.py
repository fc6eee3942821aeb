"""A grid of big reason buttons: one tap picks the reason (pause, correction)."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QGridLayout, QPushButton, QWidget

from kiosk.ui.widgets.style import big_button

COLUMNS = 2


class ReasonPicker(QWidget):
    """Reasons as (code, label); `chosen` carries the code of the button tapped."""

    chosen = Signal(str)

    def __init__(self, reasons: list[tuple[str, str]], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        grid = QGridLayout(self)
        grid.setContentsMargins(0, 0, 0, 0)
        grid.setSpacing(14)
        self.buttons: dict[str, QPushButton] = {}
        for index, (code, label) in enumerate(reasons):
            button = big_button(label, "", self)
            button.setMinimumHeight(80)
            button.clicked.connect(lambda _checked=False, c=code: self.chosen.emit(c))
            grid.addWidget(button, index // COLUMNS, index % COLUMNS)
            self.buttons[code] = button
