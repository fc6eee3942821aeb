"""Success and error feedback: a symbol, a sentence, and what to do next."""

from __future__ import annotations

from PySide6.QtCore import QTimer, Signal
from PySide6.QtGui import QMouseEvent
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QVBoxLayout, QWidget

from kiosk.ui.widgets.style import set_style_property

SUCCESS = "success"
ERROR = "error"
WARNING = "warning"
INFO = "info"

_SYMBOLS = {SUCCESS: "✔", ERROR: "✖", WARNING: "⚠", INFO: "ℹ"}
_SUCCESS_VISIBLE_MS = 6000


class Banner(QFrame):
    """Shown at the top of a screen; errors stay until tapped or replaced."""

    dismissed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("banner")
        layout = QHBoxLayout(self)
        self.symbol = QLabel(self)
        self.symbol.setObjectName("bannerText")
        layout.addWidget(self.symbol)
        texts = QVBoxLayout()
        self.text = QLabel(self)
        self.text.setObjectName("bannerText")
        self.text.setWordWrap(True)
        self.hint = QLabel(self)
        self.hint.setObjectName("bannerHint")
        self.hint.setWordWrap(True)
        texts.addWidget(self.text)
        texts.addWidget(self.hint)
        layout.addLayout(texts, 1)
        self._hide_timer = QTimer(self)
        self._hide_timer.setSingleShot(True)
        self._hide_timer.timeout.connect(self.clear)
        self.kind = ""
        self.hide()

    def show_message(self, kind: str, text: str, hint: str = "") -> None:
        self.kind = kind
        set_style_property(self, "kind", kind)
        self.symbol.setText(_SYMBOLS[kind])
        self.text.setText(text)
        self.hint.setText(hint)
        self.hint.setVisible(bool(hint))
        self.show()
        if kind == SUCCESS:
            self._hide_timer.start(_SUCCESS_VISIBLE_MS)
        else:
            self._hide_timer.stop()

    def clear(self) -> None:
        self._hide_timer.stop()
        self.kind = ""
        self.text.clear()
        self.hint.clear()
        self.hide()

    def message(self) -> str:
        """The text shown now, headline and hint (empty when hidden)."""
        if self.isHidden():
            return ""
        return f"{self.text.text()} {self.hint.text()}".strip()

    def mousePressEvent(self, event: QMouseEvent) -> None:
        self.clear()
        self.dismissed.emit()
        super().mousePressEvent(event)
