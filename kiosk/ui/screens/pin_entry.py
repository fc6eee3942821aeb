"""A screen that asks a PIN again (an approver's, or the logged-in person's for the server)."""

from __future__ import annotations

from PySide6.QtWidgets import QWidget

from kiosk.domain.pins import MAX_PIN_DIGITS
from kiosk.ui.screens.base import Screen
from kiosk.ui.widgets.digit_entry import DigitEntryPage


class PinEntryScreen(Screen):
    """A masked PIN pad with a Confirm button; subclasses say whose PIN and what for."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.entry = DigitEntryPage(
            "",
            masked=True,
            max_length=MAX_PIN_DIGITS,
            prefix="",
            confirm_text=self.tr("Confirm"),
            parent=self,
        )
        self.body.addWidget(self.entry, 1)
