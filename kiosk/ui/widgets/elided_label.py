"""A one-line label that ends in "…" when its text is wider than its room; a tap asks for all."""

from __future__ import annotations

from PySide6.QtCore import QSize, Qt, Signal
from PySide6.QtGui import QMouseEvent, QPainter, QPaintEvent
from PySide6.QtWidgets import QLabel, QSizePolicy, QWidget


class ElidedLabel(QLabel):
    """Never wider than the layout gives it and never drawn past its edge.

    `text()` stays the whole text; only the drawing is cut. Tapping a cut label emits
    `full_text_requested` with the whole text (the window shows it in the message area:
    a tooltip is a window of its own, which a kiosk without a window manager may not show).
    """

    full_text_requested = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Preferred)

    def minimumSizeHint(self) -> QSize:
        # Room for "…" and a letter: the layout may give it anything above that.
        hint = super().minimumSizeHint()
        return QSize(self.fontMetrics().horizontalAdvance("W…"), hint.height())

    def shown_text(self) -> str:
        """What is drawn: the text, or its start and "…" when it does not fit."""
        width = self.contentsRect().width()
        return self.fontMetrics().elidedText(self.text(), Qt.TextElideMode.ElideRight, width)

    def is_elided(self) -> bool:
        return self.shown_text() != self.text()

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        self.style().drawItemText(
            painter,
            self.contentsRect(),
            int(self.alignment()),
            self.palette(),
            self.isEnabled(),
            self.shown_text(),
            self.foregroundRole(),
        )

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        super().mouseReleaseEvent(event)
        if self.is_elided():
            self.full_text_requested.emit(self.text())
