"""A login tile: a person's name and number, each line cut with "…" to the tile's width."""

from __future__ import annotations

from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import QPaintEvent
from PySide6.QtWidgets import (
    QPushButton,
    QSizePolicy,
    QStyle,
    QStyleOptionButton,
    QStylePainter,
    QWidget,
)


class NameTile(QPushButton):
    """As wide as its grid column gives it, never wider; `text()` keeps the whole name.

    Tapping it opens the PIN pad, whose title names the person in full.
    """

    def __init__(self, text: str, parent: QWidget | None = None) -> None:
        super().__init__(text, parent)
        self.setObjectName("tile")
        self.setAutoDefault(False)
        self.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        # The lines as last cut, and for what (text, room, font): the login screen paints
        # every tile again after each logout, and the cut rarely changes.
        self._cut: tuple[tuple[str, int, str], list[str]] | None = None

    def minimumSizeHint(self) -> QSize:
        return QSize(0, super().minimumSizeHint().height())

    def shown_lines(self) -> list[str]:
        """Each line as drawn: whole, or its start and "…"."""
        option = QStyleOptionButton()
        self.initStyleOption(option)
        return self._lines_in(option)

    def _lines_in(self, option: QStyleOptionButton) -> list[str]:
        room = (
            self.style()
            .subElementRect(QStyle.SubElement.SE_PushButtonContents, option, self)
            .width()
        )
        key = (self.text(), room, self.font().key())
        if self._cut is None or self._cut[0] != key:
            metrics = self.fontMetrics()
            lines = [
                metrics.elidedText(line, Qt.TextElideMode.ElideRight, room)
                for line in key[0].split("\n")
            ]
            self._cut = (key, lines)
        return self._cut[1]

    def paintEvent(self, event: QPaintEvent) -> None:
        option = QStyleOptionButton()
        self.initStyleOption(option)
        option.text = "\n".join(self._lines_in(option))
        QStylePainter(self).drawControl(QStyle.ControlElement.CE_PushButton, option)
