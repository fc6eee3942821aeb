"""What every screen has: the same margins, and a message area on top that is always kept."""

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
        self.body.setContentsMargins(24, 8, 24, 8)
        self.body.setSpacing(6)
        # The message area: its room is kept while no message shows, so a message that
        # appears or goes never moves a control (see Banner). Every screen gets it here.
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
