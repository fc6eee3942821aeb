"""A widget held disabled while a service call runs, its keyboard focus given back afterwards.

Disabling a widget takes the keyboard focus from inside it, and enabling it again does not
return it: after a wrong PIN, keys typed on a department desktop's keyboard (or a USB keypad)
went nowhere until someone clicked the pad.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QWidget


class BusyHold:
    """`widget` disabled from now until `end()`; the widget inside it that had the focus gets
    it back then, if nothing else took it meanwhile and it is still shown."""

    def __init__(self, widget: QWidget) -> None:
        focused = QApplication.focusWidget()
        inside = focused is not None and (focused is widget or widget.isAncestorOf(focused))
        self._widget = widget
        self._focused = focused if inside else None
        widget.setEnabled(False)

    def end(self) -> None:
        self._widget.setEnabled(True)
        focused = self._focused
        if (
            focused is not None
            and QApplication.focusWidget() is None
            and focused.isVisible()
            and focused.isEnabled()
        ):
            focused.setFocus(Qt.FocusReason.OtherFocusReason)
