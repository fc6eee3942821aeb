"""Choosing a first PIN: typed twice on a masked pad, with "not now" for badge-only roles."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QHBoxLayout, QVBoxLayout, QWidget

from kiosk.domain.pins import MAX_PIN_DIGITS, min_pin_digits
from kiosk.services.views import RosterEntry
from kiosk.ui.screens.base import Screen
from kiosk.ui.widgets.digit_entry import DigitEntryPage
from kiosk.ui.widgets.style import big_button
from kiosk.ui.widgets.wrap_label import WrapLabel

_SIDE_WIDTH = 300  # the rule on the left, "not now" on the right: the pad stays centred


class ChoosePinScreen(Screen):
    """Step one: the new PIN; step two: the same again. Emits what was typed."""

    first_typed = Signal(str)
    repeat_typed = Signal(str)
    cancelled = Signal()
    skipped = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.entry = DigitEntryPage(
            "",
            masked=True,
            max_length=MAX_PIN_DIGITS,
            prefix="",
            confirm_text=self.tr("Next"),
            parent=self,
        )
        # Beside the pad, not under it: an 800 px screen has no room below the keypad.
        row = QHBoxLayout()
        self.rule = WrapLabel(parent=self)
        self.rule.setObjectName("subtitle")
        self.rule.setFixedWidth(_SIDE_WIDTH)
        row.addWidget(self.rule, 0, Qt.AlignmentFlag.AlignVCenter)
        row.addWidget(self.entry, 1)
        self.skip_button = big_button(self.tr("Not now"), "", self)
        self.skip_button.setFixedWidth(_SIDE_WIDTH)
        self.skip_button.clicked.connect(self.skipped.emit)
        side = QVBoxLayout()
        side.addStretch(1)
        side.addWidget(self.skip_button)
        holder = QWidget(self)
        holder.setFixedWidth(_SIDE_WIDTH)
        holder.setLayout(side)
        side.setContentsMargins(0, 0, 0, 0)
        row.addWidget(holder)
        self.body.addLayout(row, 1)
        self.entry.submitted.connect(self._on_entry_submitted)
        self.entry.back_requested.connect(self._on_entry_back_requested)
        self._is_repeat = False

    @property
    def is_repeat(self) -> bool:
        """The pad asks for the same PIN a second time."""
        return self._is_repeat

    def ask_first(self, entry: RosterEntry, *, may_skip: bool) -> None:
        """Step one, for this person (also after a mismatch: the banner says why)."""
        self._is_repeat = False
        self.entry.clear()
        self.entry.set_title(self.tr("{name}, choose your PIN").format(name=entry.name))
        self.entry.confirm_button.setText(self.tr("Next"))
        rule = self.tr(
            "You have no PIN yet. Choose {min} to {max} digits that only you know, "
            "then type them again."
        ).format(min=min_pin_digits(entry.role), max=MAX_PIN_DIGITS)
        if may_skip:
            rule += " " + self.tr("Not now? Your badge logs you in without a PIN.")
        self.rule.setText(rule)
        self.skip_button.setVisible(may_skip)

    def ask_repeat(self, entry: RosterEntry) -> None:
        self._is_repeat = True
        self.banner.clear()
        self.entry.clear()
        self.entry.set_title(self.tr("{name}, type the same PIN again").format(name=entry.name))
        self.entry.confirm_button.setText(self.tr("Save PIN"))

    def _on_entry_submitted(self, pin: str) -> None:
        if not pin:
            return
        if self._is_repeat:
            self.repeat_typed.emit(pin)
        else:
            self.first_typed.emit(pin)

    def _on_entry_back_requested(self) -> None:
        self.cancelled.emit()
