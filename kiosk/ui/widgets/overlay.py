"""A modal question over the whole window, with big answer buttons (not a small QMessageBox)."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QEvent, QObject, Qt, Signal
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from kiosk.ui.widgets.style import big_button


class ChoiceOverlay(QWidget):
    """Covers its parent; `ask()` shows a question, `chosen` says which answer was tapped."""

    chosen = Signal(str)

    def __init__(self, parent: QWidget) -> None:
        super().__init__(parent)
        self.setObjectName("overlay")
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        outer = QVBoxLayout(self)
        outer.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.card = QFrame(self)
        self.card.setObjectName("overlayCard")
        self.card.setMinimumWidth(720)
        self.card.setMaximumWidth(900)
        card_layout = QVBoxLayout(self.card)
        card_layout.setContentsMargins(32, 28, 32, 28)
        card_layout.setSpacing(18)
        self.title = QLabel(self.card)
        self.title.setObjectName("title")
        self.title.setWordWrap(True)
        self.text = QLabel(self.card)
        self.text.setObjectName("subtitle")
        self.text.setWordWrap(True)
        self._buttons_row = QHBoxLayout()
        self._buttons_row.setSpacing(16)
        card_layout.addWidget(self.title)
        card_layout.addWidget(self.text)
        card_layout.addLayout(self._buttons_row)
        outer.addWidget(self.card)
        self.buttons: dict[str, QPushButton] = {}
        self._on_choice: Callable[[str], None] | None = None
        parent.installEventFilter(self)
        self.hide()

    def ask(
        self,
        title: str,
        text: str,
        choices: list[tuple[str, str, str]],
        on_choice: Callable[[str], None],
    ) -> None:
        """Show the question; `choices` are (key, label, style role)."""
        self._on_choice = on_choice
        for button in self.buttons.values():
            self._buttons_row.removeWidget(button)
            button.hide()
            button.deleteLater()
        self.buttons = {}
        self.title.setText(title)
        self.text.setText(text)
        self.text.setVisible(bool(text))
        for key, label, role in choices:
            button = big_button(label, role, self.card)
            button.setMinimumHeight(88)
            button.clicked.connect(lambda _checked=False, k=key: self._choose(k))
            self._buttons_row.addWidget(button)
            self.buttons[key] = button
        self._fit_parent()
        self.show()
        self.raise_()

    def _choose(self, key: str) -> None:
        self.hide()
        callback, self._on_choice = self._on_choice, None
        self.chosen.emit(key)
        if callback is not None:
            callback(key)

    def _fit_parent(self) -> None:
        parent = self.parentWidget()
        if parent is not None:
            self.setGeometry(parent.rect())

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.parentWidget() and event.type() == QEvent.Type.Resize:
            self._fit_parent()
        return False
