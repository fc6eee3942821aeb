"""Which texts on a window do not fit their widget: a translation longer than its English
source is cut at the widget's edge, and nobody on the floor can read the end of it."""

from __future__ import annotations

from PySide6.QtCore import QPoint, QRect
from PySide6.QtWidgets import QAbstractButton, QLabel, QPushButton, QWidget

from kiosk.ui.widgets.elided_label import ElidedLabel


def clipped_texts(window: QWidget) -> list[str]:
    """Each visible label or button whose text needs more room than it has, or that sits
    outside the window, described for the assertion's message."""
    found = []
    bounds = QRect(QPoint(0, 0), window.size())
    for widget in window.findChildren(QWidget):
        if not widget.isVisible() or widget.width() == 0:
            continue
        problem = _problem(widget)
        if problem is None:
            continue
        place = QRect(widget.mapTo(window, QPoint(0, 0)), widget.size())
        if not bounds.intersects(place):
            continue  # scrolled out of its area: it is whole when scrolled in
        found.append(f"{type(widget).__name__} {problem}")
    return found


def _problem(widget: QWidget) -> str | None:
    if isinstance(widget, ElidedLabel):
        return None  # cut with "…" by design; a tap shows the whole text
    if isinstance(widget, QLabel):
        return _label_problem(widget)
    if isinstance(widget, QPushButton) and QAbstractButton.text(widget):
        # (a button without text is drawn by the labels inside it: those are checked)
        hint = QPushButton.sizeHint(widget)
        if hint.width() > widget.width() or hint.height() > widget.height():
            text = QAbstractButton.text(widget)
            return f"{text!r}: {_size(hint.width(), hint.height())} in {_size_of(widget)}"
    return None


def _label_problem(label: QLabel) -> str | None:
    text = QLabel.text(label)
    if not text:
        return None
    if label.wordWrap():
        needed = label.heightForWidth(label.width())
        if needed > label.height():
            return f"{text!r}: {needed} px high in {label.height()}"
        return None
    hint = label.minimumSizeHint()
    if hint.width() > label.width() or hint.height() > label.height():
        return f"{text!r}: {_size(hint.width(), hint.height())} in {_size_of(label)}"
    return None


def _size(width: int, height: int) -> str:
    return f"{width}×{height} px"


def _size_of(widget: QWidget) -> str:
    return _size(widget.width(), widget.height())
