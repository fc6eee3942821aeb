"""What every screen has: the same margins, and a feedback banner on top."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QScrollArea, QVBoxLayout, QWidget

from kiosk.ui.widgets.banner import Banner


class Screen(QWidget):
    """A full-window page of the kiosk; subclasses add to `self.body`."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("screen")
        self.body = QVBoxLayout(self)
        self.body.setContentsMargins(24, 16, 24, 16)
        self.banner = Banner(self)
        self.body.addWidget(self.banner)


def scroll_column(parent: QWidget, spacing: int = 12) -> tuple[QScrollArea, QVBoxLayout]:
    """A frameless scroll area whose content is a top-aligned column (fingers scroll it)."""
    scroll = QScrollArea(parent)
    scroll.setWidgetResizable(True)
    scroll.setFrameShape(QScrollArea.Shape.NoFrame)
    holder = QWidget(scroll)
    column = QVBoxLayout(holder)
    column.setSpacing(spacing)
    column.setAlignment(Qt.AlignmentFlag.AlignTop)
    scroll.setWidget(holder)
    return scroll, column
