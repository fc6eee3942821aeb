"""The held batch a supervisor decides: sent and counted side by side; release or send back,
with a reason tapped or typed on the screen's own keys (a line has no keyboard)."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Signal, SignalInstance
from PySide6.QtWidgets import (
    QButtonGroup,
    QHBoxLayout,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from kiosk.services.transfer_views import HoldView
from kiosk.ui.formatting import TimeFormatter
from kiosk.ui.screens.base import Screen
from kiosk.ui.screens.handoff import REASON_MAX_LENGTH, _card, _label
from kiosk.ui.widgets.style import big_button
from kiosk.ui.widgets.text_keys import SPACE_ROW_FREE, NameKeys
from kiosk.ui.widgets.text_keys import apply_key as apply_text


class HoldDecisionScreen(Screen):
    """A supervisor sees sent and counted side by side and releases or rejects, with a reason."""

    release_requested = Signal(object, str)  # transfer id, reason
    reject_requested = Signal(object, str)
    cancelled = Signal()

    def __init__(self, times: TimeFormatter, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._times = times
        self.hold: HoldView | None = None
        self.approver_label = _label("", "subtitle", self)
        self.body.addWidget(self.approver_label)
        row = QHBoxLayout()
        self.body.addLayout(row, 1)
        card, layout = _card(self)
        self.hold_title = _label("", "title", card)
        self.hold_numbers = _label("", "bigNumber", card)
        self.hold_details = _label("", "caption", card)
        for widget in (self.hold_title, self.hold_numbers, self.hold_details):
            layout.addWidget(widget)
        layout.addStretch(1)
        row.addWidget(card, 5)
        right = QWidget(self)
        right_layout = QVBoxLayout(right)
        right_layout.setContentsMargins(0, 0, 0, 0)
        self.why_label = _label(self.tr("Why?"), "subtitle", right)
        right_layout.addWidget(self.why_label)
        self.reason_group = QButtonGroup(self)
        self.reason_buttons: list[QPushButton] = []
        # The reasons, or (once the field is tapped) the keys to type one's own words:
        # both do not fit above the decision at 800 px.
        self.reason_choices = QWidget(right)
        choices_layout = QVBoxLayout(self.reason_choices)
        choices_layout.setContentsMargins(0, 0, 0, 0)
        for text in (
            self.tr("Damaged pieces found in the bundle"),
            self.tr("The sender miscounted"),
            self.tr("Pieces lost on the way"),
            self.tr("Recounted together: the count is right"),
        ):
            button = big_button(text, "", self.reason_choices)
            button.setCheckable(True)
            button.setObjectName("reasonChoice")
            self.reason_group.addButton(button)
            button.toggled.connect(lambda _on: self._refresh())
            choices_layout.addWidget(button)
            self.reason_buttons.append(button)
        right_layout.addWidget(self.reason_choices)
        self._build_own_words(right, right_layout)
        right_layout.addStretch(1)
        buttons = QHBoxLayout()
        self.cancel_button = big_button(self.tr("Cancel"), "", right)
        self.cancel_button.clicked.connect(self.cancelled.emit)
        self.reject_button = big_button(self.tr("Send back"), "caution", right)
        self.reject_button.clicked.connect(lambda: self._decide(self.reject_requested))
        self.release_button = big_button(self.tr("Release"), "go", right)
        self.release_button.clicked.connect(lambda: self._decide(self.release_requested))
        buttons.addWidget(self.cancel_button)
        buttons.addWidget(self.reject_button)
        buttons.addWidget(self.release_button)
        right_layout.addLayout(buttons)
        row.addWidget(right, 6)
        self._refresh()

    def _build_own_words(self, right: QWidget, right_layout: QVBoxLayout) -> None:
        """The field for one's own words and the keys that type them (shown on a tap)."""
        self.reason_field = QLineEdit(right)
        self.reason_field.setMaxLength(REASON_MAX_LENGTH)
        self.reason_field.setPlaceholderText(self.tr("or type your own words"))
        self.reason_field.setMinimumHeight(56)
        self.reason_field.textChanged.connect(lambda _text: self._refresh())
        self.reason_field.installEventFilter(self)
        right_layout.addWidget(self.reason_field)
        self.reason_keys = QWidget(right)
        keys_layout = QVBoxLayout(self.reason_keys)
        keys_layout.setContentsMargins(0, 0, 0, 0)
        self.keys = NameKeys(self.reason_keys)
        self.keys.key_pressed.connect(self._on_key)
        keys_layout.addWidget(self.keys)
        self.reasons_button = big_button(self.tr("◀ Reasons"), "", self.keys)
        self.reasons_button.setStyleSheet("font-size: 20px;")
        self.reasons_button.clicked.connect(self.show_reasons)
        self.keys.add_button(self.reasons_button, SPACE_ROW_FREE)  # beside Space: no new row
        right_layout.addWidget(self.reason_keys)
        self.reason_keys.hide()

    def show_hold(self, hold: HoldView, approver_name: str) -> None:
        self.hold = hold
        self.banner.clear()
        self.approver_label.setText(
            self.tr("{name} decides the held batch").format(name=approver_name)
        )
        self.hold_title.setText(
            self.tr("{number} from {from_line}").format(
                number=hold.work_order_number, from_line=hold.from_line
            )
        )
        if hold.first_counted is None:
            numbers = self.tr("sent {sent}, counted {counted}")
        else:  # both counts, big: the one who decides sees how far apart they were
            numbers = self.tr("sent {sent}\ncounted {first}, recounted {counted}")
        self.hold_numbers.setText(
            numbers.format(sent=hold.sent, first=hold.first_counted, counted=hold.counted)
        )
        if hold.first_counted is None or hold.first_counted_by == hold.counted_by:
            counters = hold.counted_by
        else:
            counters = self.tr("{first_by}, recounted by {by}").format(
                first_by=hold.first_counted_by, by=hold.counted_by
            )
        self.hold_details.setText(
            self.tr(
                "{article} · for {destination}\nPrepared by {prepared_by} · counted by "
                "{counted_by} at {time}\nSlip {slip}"
            ).format(
                article=hold.article,
                destination=hold.destination,
                prepared_by=hold.prepared_by,
                counted_by=counters,
                time=self._times.time(hold.held_at),
                slip=hold.slip_id,
            )
        )
        self.release_button.setText(self.tr("Release: accept {n}").format(n=hold.counted))
        self.reason_group.setExclusive(False)
        for button in self.reason_buttons:
            button.setChecked(False)
        self.reason_group.setExclusive(True)
        self.show_reasons()
        self._refresh()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        """A tap on the field brings the keys (a finger has no keyboard)."""
        if watched is self.reason_field and event.type() == QEvent.Type.MouseButtonPress:
            self.show_keys()
        return super().eventFilter(watched, event)

    def show_keys(self) -> None:
        """The keys in place of the reasons: the words typed are the reason."""
        self.reason_choices.hide()
        self.why_label.hide()
        self.reason_keys.show()

    def show_reasons(self) -> None:
        """The reasons again; words typed are dropped, so a reason tapped is the one sent."""
        self.reason_keys.hide()
        self.reason_field.clear()
        self.why_label.show()
        self.reason_choices.show()

    def _on_key(self, key: str) -> None:
        field = self.reason_field
        field.setText(apply_text(field.text(), key, field.maxLength()))

    def reason(self) -> str:
        typed = self.reason_field.text().strip()
        if typed:
            return typed
        checked = self.reason_group.checkedButton()
        return "" if checked is None else checked.text()

    def _refresh(self) -> None:
        has_reason = bool(self.reason())
        self.release_button.setEnabled(has_reason)
        self.reject_button.setEnabled(has_reason)

    def _decide(self, signal: SignalInstance) -> None:
        if self.hold is not None:
            signal.emit(self.hold.transfer_id, self.reason())
