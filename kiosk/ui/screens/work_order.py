"""One work order: its numbers, big Start / Record / Pause / Resume / Complete, the record pad."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QProgressBar,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from kiosk.domain.reasons import PauseReason
from kiosk.domain.work_order import RejectReason, WorkOrderCommand
from kiosk.services.views import WorkOrderView
from kiosk.ui.formatting import TimeFormatter
from kiosk.ui.labels import (
    pause_reason_label,
    paused_minutes_text,
    reject_reason_label,
    status_label,
)
from kiosk.ui.screens.base import Screen
from kiosk.ui.widgets.keypad import Keypad, apply_key
from kiosk.ui.widgets.page_stack import PageStack
from kiosk.ui.widgets.style import big_button, set_style_property
from kiosk.ui.widgets.wrap_label import WrapLabel

QUANTITY_MAX_DIGITS = 7
FIELD_GOOD = "good"
FIELD_REJECT = "reject"


class WorkOrderScreen(Screen):
    command_requested = Signal(str)  # a WorkOrderCommand value
    record_submitted = Signal(str, str, object)  # good text, reject text, reason or None
    back_requested = Signal()
    handoff_requested = Signal()
    entries_requested = Signal()  # the recent entries, to correct or void one

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.work_order: WorkOrderView | None = None
        self._permitted: frozenset[WorkOrderCommand] = frozenset(WorkOrderCommand)
        layout = self.body
        # Two pages: the work order with its action buttons, and the full-width record pad.
        self.pages = PageStack(self)
        layout.addWidget(self.pages, 1)
        self.detail_page = QWidget(self.pages)
        body = QHBoxLayout(self.detail_page)
        body.setContentsMargins(0, 0, 0, 0)
        self.card = self._build_card()
        body.addWidget(self.card, 5)
        self.action_panel = self._build_actions()
        body.addWidget(self.action_panel, 6)
        self.record_panel = RecordPanel(self.pages)
        self.record_panel.submitted.connect(self._on_record_submitted)
        self.record_panel.cancelled.connect(self.show_actions)
        self.pages.addWidget(self.detail_page)
        self.pages.addWidget(self.record_panel)

    # ------------------------------------------------------------------ build
    def _build_card(self) -> QWidget:
        card = QFrame(self.detail_page)
        card.setObjectName("card")
        layout = QVBoxLayout(card)
        layout.setContentsMargins(24, 20, 24, 20)
        self.number_label = WrapLabel(parent=card)
        self.number_label.setObjectName("title")
        self.status_label = QLabel(card)
        self.status_label.setObjectName("subtitle")
        self.article_label = QLabel(card)
        self.article_label.setObjectName("subtitle")
        self.article_label.setWordWrap(True)
        self.details_label = WrapLabel(parent=card)
        self.details_label.setObjectName("caption")
        for widget in (
            self.number_label,
            self.status_label,
            self.article_label,
            self.details_label,
        ):
            layout.addWidget(widget)
        numbers = QGridLayout()
        numbers.setHorizontalSpacing(28)
        self.good_value = self._number(card, numbers, 0, self.tr("Good"))
        self.target_value = self._number(card, numbers, 1, self.tr("Target"))
        self.reject_value = self._number(card, numbers, 2, self.tr("Reject"))
        self.open_value = self._number(card, numbers, 3, self.tr("Still open"))
        layout.addLayout(numbers)
        self.progress = QProgressBar(card)
        self.progress.setMinimumHeight(36)
        self.progress.setTextVisible(True)
        layout.addWidget(self.progress)
        # Minutes paused per reason (kept under the progress bar: nothing below it moves).
        self.paused_label = QLabel(card)
        self.paused_label.setObjectName("caption")
        self.paused_label.setWordWrap(True)
        layout.addWidget(self.paused_label)
        layout.addStretch(1)
        # In the card's free space: the screen keeps its height when a message shows.
        self.entries_button = big_button(self.tr("✎  Recent entries: correct or void"), "", card)
        self.entries_button.setMinimumHeight(72)
        self.entries_button.clicked.connect(self._on_entries)
        layout.addWidget(self.entries_button)
        return card

    def _number(self, parent: QWidget, grid: QGridLayout, column: int, caption: str) -> QLabel:
        label = QLabel(caption, parent)
        label.setObjectName("caption")
        value = QLabel("0", parent)
        value.setObjectName("bigNumber")
        grid.addWidget(label, 0, column)
        grid.addWidget(value, 1, column)
        return value

    def _build_actions(self) -> QWidget:
        page = QWidget(self.detail_page)
        layout = QVBoxLayout(page)
        layout.setSpacing(14)
        self.command_buttons: dict[str, QPushButton] = {}
        specs = [
            (WorkOrderCommand.START, self.tr("▶  Start"), "go"),
            (WorkOrderCommand.RECORD, self.tr("✚  Record quantity"), "primary"),
            (WorkOrderCommand.PAUSE, self.tr("❚❚  Pause"), "caution"),
            (WorkOrderCommand.RESUME, self.tr("▶  Resume"), "go"),
            (WorkOrderCommand.COMPLETE, self.tr("✔  Complete"), "primary"),
        ]
        for command, text, role in specs:
            button = big_button(text, role, page)
            button.setMinimumHeight(88)
            button.clicked.connect(lambda _checked=False, c=command: self._on_command(c))
            layout.addWidget(button)
            self.command_buttons[command.value] = button
        layout.addStretch(1)
        bottom = QHBoxLayout()
        self.back_button = big_button(self.tr("◀  Back to the list"), "", page)
        self.back_button.clicked.connect(self.back_requested.emit)
        bottom.addWidget(self.back_button)
        self.handoff_button = big_button(self.tr("⇢  Hand over (QT-09)"), "primary", page)
        self.handoff_button.clicked.connect(self._on_handoff)
        bottom.addWidget(self.handoff_button)
        layout.addLayout(bottom)
        return page

    def _on_handoff(self) -> None:
        self.banner.clear()
        self.handoff_requested.emit()

    def _on_entries(self) -> None:
        self.banner.clear()
        self.entries_requested.emit()

    # ------------------------------------------------------------------ show
    def set_permitted_commands(self, commands: frozenset[WorkOrderCommand]) -> None:
        """What the logged-in role may do; the services check again, this only hides."""
        self._permitted = commands
        for command, button in self.command_buttons.items():
            button.setVisible(WorkOrderCommand(command) in commands)
        # Those who record output hand it over too (the permission table agrees).
        self.handoff_button.setVisible(WorkOrderCommand.RECORD in commands)
        self.entries_button.setVisible(WorkOrderCommand.RECORD in commands)

    def show_work_order(self, work_order: WorkOrderView) -> None:
        self.work_order = work_order
        self.number_label.setText(work_order.number)
        status = status_label(work_order.status)
        if work_order.pause_reason is not None:
            status += " · " + pause_reason_label(PauseReason(work_order.pause_reason))
        self.status_label.setText(status)
        self.paused_label.setText(
            self.tr("Paused: {minutes}").format(
                minutes=paused_minutes_text(work_order.paused_minutes)
            )
            if work_order.paused_minutes
            else ""
        )
        self.article_label.setText(work_order.article)
        self.details_label.setText(
            self.tr("To {destination} · {mo} · route {route}").format(
                destination=work_order.destination, mo=work_order.mo_number, route=work_order.route
            )
        )
        # In the language's digits and grouping (1,200 in English, 1.200 in Indonesian).
        for label, count in (
            (self.good_value, work_order.good_qty),
            (self.target_value, work_order.target_qty),
            (self.reject_value, work_order.reject_qty),
            (self.open_value, work_order.open_qty),
        ):
            label.setText(TimeFormatter.number(count))
        self.progress.setMaximum(work_order.target_qty)
        self.progress.setValue(min(work_order.good_qty, work_order.target_qty))
        self.progress.setFormat(self.tr("%p % of target"))
        for command, button in self.command_buttons.items():
            button.setEnabled(WorkOrderCommand(command) in work_order.allowed)
        self.handoff_button.setEnabled(work_order.good_qty > 0)
        self.record_panel.set_work_order(work_order)

    def show_actions(self) -> None:
        self.record_panel.clear()
        self.pages.setCurrentWidget(self.detail_page)

    def open_record(self, prefill: dict[str, str] | None = None) -> None:
        self.record_panel.clear()
        if prefill:
            self.record_panel.set_values(
                prefill.get(FIELD_GOOD, ""), prefill.get(FIELD_REJECT, ""), prefill.get("reason")
            )
        self.pages.setCurrentWidget(self.record_panel)

    def is_recording(self) -> bool:
        return self.pages.currentWidget() is self.record_panel

    def current_draft(self) -> dict[str, str] | None:
        """What is typed in the record pad but not confirmed, or None."""
        if not self.is_recording() or not self.record_panel.has_input():
            return None
        return self.record_panel.draft_fields()

    def set_busy(self, is_busy: bool) -> None:
        self.action_panel.setEnabled(not is_busy)
        self.record_panel.set_busy(is_busy)

    def _on_command(self, command: WorkOrderCommand) -> None:
        self.banner.clear()
        if command is WorkOrderCommand.RECORD:
            self.open_record()
            return
        self.command_requested.emit(command.value)

    def _on_record_submitted(self, good: str, reject: str, reason: object) -> None:
        self.banner.clear()
        self.record_submitted.emit(good, reject, reason)


class RecordPanel(QWidget):
    """Good and reject pieces typed on a big pad; a reason is required for rejects."""

    submitted = Signal(str, str, object)
    cancelled = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._values = {FIELD_GOOD: "", FIELD_REJECT: ""}
        self._active = FIELD_GOOD
        self.reason: str | None = None
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        self.summary = WrapLabel(parent=self)
        self.summary.setObjectName("subtitle")
        outer.addWidget(self.summary)
        layout = QHBoxLayout()
        layout.setSpacing(16)
        outer.addLayout(layout, 1)
        layout.addLayout(self._build_pad(), 3)
        layout.addLayout(self._build_reasons_and_confirm(), 3)
        self._refresh()

    def _build_pad(self) -> QVBoxLayout:
        left = QVBoxLayout()
        fields = QHBoxLayout()
        self.field_buttons: dict[str, QPushButton] = {}
        for field, caption in ((FIELD_GOOD, self.tr("Good")), (FIELD_REJECT, self.tr("Reject"))):
            button = QPushButton(self)
            button.setObjectName("quantityField")
            button.setAutoDefault(False)
            button.setProperty("caption", caption)
            button.clicked.connect(lambda _checked=False, f=field: self.select_field(f))
            fields.addWidget(button)
            self.field_buttons[field] = button
        left.addLayout(fields)
        self.keypad = Keypad(self)
        self.keypad.key_pressed.connect(self._on_key)
        left.addWidget(self.keypad)
        return left

    def _build_reasons_and_confirm(self) -> QVBoxLayout:
        right = QVBoxLayout()
        self.reason_title = QLabel(self.tr("Reject reason"), self)
        self.reason_title.setObjectName("caption")
        right.addWidget(self.reason_title)
        reasons = QGridLayout()
        reasons.setSpacing(10)
        self.reason_buttons: dict[str, QPushButton] = {}
        for index, reason in enumerate(RejectReason):
            button = QPushButton(reject_reason_label(reason), self)
            button.setCheckable(True)
            button.setAutoDefault(False)
            button.setMinimumHeight(64)
            button.clicked.connect(lambda _checked=False, r=reason.value: self._choose_reason(r))
            reasons.addWidget(button, index // 2, index % 2)
            self.reason_buttons[reason.value] = button
        right.addLayout(reasons)
        right.addStretch(1)
        self.confirm_button = big_button(self.tr("✔  Confirm"), "go", self)
        self.confirm_button.setMinimumHeight(88)
        self.confirm_button.clicked.connect(self._submit)
        self.cancel_button = big_button(self.tr("Cancel"), "", self)
        self.cancel_button.clicked.connect(self.cancelled.emit)
        finish = QHBoxLayout()
        finish.addWidget(self.cancel_button, 1)
        finish.addWidget(self.confirm_button, 2)
        right.addLayout(finish)
        return right

    def set_work_order(self, work_order: WorkOrderView) -> None:
        self.summary.setText(
            self.tr("{number} · {article} · {open} of {target} still open").format(
                number=work_order.number,
                article=work_order.article,
                open=work_order.open_qty,
                target=work_order.target_qty,
            )
        )

    def select_field(self, field: str) -> None:
        self._active = field
        self._refresh()

    def set_values(self, good: str, reject: str, reason: str | None) -> None:
        self._values = {FIELD_GOOD: good, FIELD_REJECT: reject}
        self.reason = reason
        self._refresh()

    def clear(self) -> None:
        self.set_values("", "", None)
        self._active = FIELD_GOOD
        self._refresh()

    def has_input(self) -> bool:
        return bool(self._values[FIELD_GOOD] or self._values[FIELD_REJECT] or self.reason)

    def draft_fields(self) -> dict[str, str]:
        fields = dict(self._values)
        if self.reason:
            fields["reason"] = self.reason
        return fields

    def set_busy(self, is_busy: bool) -> None:
        self.setEnabled(not is_busy)

    def _on_key(self, key: str) -> None:
        self._values[self._active] = apply_key(self._values[self._active], key, QUANTITY_MAX_DIGITS)
        self._refresh()

    def _choose_reason(self, reason: str) -> None:
        """Tap a reason to choose it, tap it again to take it back."""
        self.reason = None if self.reason == reason else reason
        if self.reason is not None and not self._values[FIELD_REJECT]:
            self._active = FIELD_REJECT
        self._refresh()

    def _refresh(self) -> None:
        for field, button in self.field_buttons.items():
            caption = button.property("caption")
            value = self._values[field] or "0"
            is_active = field == self._active
            marker = "▸ " if is_active else ""
            button.setText(f"{marker}{caption}\n{value}")
            set_style_property(button, "active", "true" if is_active else "false")
        for reason, button in self.reason_buttons.items():
            button.setChecked(reason == self.reason)

    def _submit(self) -> None:
        self.submitted.emit(self._values[FIELD_GOOD], self._values[FIELD_REJECT], self.reason)
