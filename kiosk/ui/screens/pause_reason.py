"""Why the work stops: the site's pause reasons as big buttons, asked before a pause."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QLabel, QWidget

from kiosk.domain.reasons import PauseReason
from kiosk.ui.labels import pause_reason_label
from kiosk.ui.screens.base import Screen
from kiosk.ui.widgets.reason_picker import ReasonPicker
from kiosk.ui.widgets.style import big_button


class PauseReasonScreen(Screen):
    reason_chosen = Signal(str)  # a PauseReason value
    cancelled = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.title = QLabel(self)
        self.title.setObjectName("title")
        self.title.setWordWrap(True)
        self.body.addWidget(self.title)
        self.picker = ReasonPicker(
            [(reason.value, pause_reason_label(reason)) for reason in PauseReason], self
        )
        self.picker.chosen.connect(self.reason_chosen.emit)
        self.body.addWidget(self.picker)
        self.body.addStretch(1)
        self.cancel_button = big_button(self.tr("Cancel: keep it running"), "", self)
        self.cancel_button.setMinimumHeight(72)
        self.cancel_button.clicked.connect(self.cancelled.emit)
        self.body.addWidget(self.cancel_button)

    def ask(self, number: str) -> None:
        self.banner.clear()
        self.title.setText(self.tr("Why is {number} paused?").format(number=number))
