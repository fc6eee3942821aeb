"""A work order's recent entries, and correcting or voiding one: numbers, reason, approval."""

from __future__ import annotations

import uuid

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from kiosk.domain.reasons import CorrectionReason
from kiosk.domain.work_order import RejectReason
from kiosk.services.views import EntryView, WorkOrderView
from kiosk.ui.formatting import TimeFormatter
from kiosk.ui.labels import correction_reason_label, reject_reason_label
from kiosk.ui.screens.base import Screen, scroll_column
from kiosk.ui.screens.pin_entry import PinEntryScreen
from kiosk.ui.screens.work_order import RecordPanel
from kiosk.ui.widgets.page_stack import PageStack
from kiosk.ui.widgets.reason_picker import ReasonPicker
from kiosk.ui.widgets.style import big_button


class CorrectionScreen(Screen):
    """Four pages: the entries, the corrected numbers, the reason, waiting for a supervisor."""

    correct_requested = Signal(object)  # the entry's id
    void_requested = Signal(object)  # the entry's id
    values_submitted = Signal(str, str, object)  # good, reject, reject reason or None
    reason_chosen = Signal(str)  # a CorrectionReason value
    back_requested = Signal()
    cancelled = Signal()  # back from a page to the entries

    def __init__(self, times: TimeFormatter, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._times = times
        self.entries: list[EntryView] = []
        self._list_title = ""
        # Each listed entry's buttons, by entry id (the list is rebuilt on every show).
        self.correct_buttons: dict[uuid.UUID, QPushButton] = {}
        self.void_buttons: dict[uuid.UUID, QPushButton] = {}
        self.title = QLabel(self)
        self.title.setObjectName("title")
        self.title.setWordWrap(True)
        self.body.addWidget(self.title)
        self.pages = PageStack(self)
        self.body.addWidget(self.pages, 1)
        self.list_page = self._build_list()
        self.edit_panel = RecordPanel(self.pages)
        self.edit_panel.submitted.connect(self.values_submitted.emit)
        self.edit_panel.cancelled.connect(self.cancelled.emit)
        self.reason_page = self._build_reasons()
        self.approval_page = self._build_approval()
        for page in (self.list_page, self.edit_panel, self.reason_page, self.approval_page):
            self.pages.addWidget(page)

    # ------------------------------------------------------------------ build
    def _build_list(self) -> QWidget:
        page = QWidget(self.pages)
        layout = QVBoxLayout(page)
        layout.setContentsMargins(0, 0, 0, 0)
        self.hint = QLabel(page)
        self.hint.setObjectName("caption")
        self.hint.setWordWrap(True)
        layout.addWidget(self.hint)
        scroll, self.rows = scroll_column(page)
        layout.addWidget(scroll, 1)
        self.back_button = big_button(self.tr("◀  Back to the work order"), "", page)
        self.back_button.setMinimumHeight(72)
        self.back_button.clicked.connect(self.back_requested.emit)
        layout.addWidget(self.back_button)
        return page

    def _build_reasons(self) -> QWidget:
        page = QWidget(self.pages)
        layout = QVBoxLayout(page)
        layout.setContentsMargins(0, 0, 0, 0)
        self.reason_title = QLabel(page)
        self.reason_title.setObjectName("subtitle")
        self.reason_title.setWordWrap(True)
        layout.addWidget(self.reason_title)
        self.reason_picker = ReasonPicker(
            [(reason.value, correction_reason_label(reason)) for reason in CorrectionReason], page
        )
        self.reason_picker.chosen.connect(self.reason_chosen.emit)
        layout.addWidget(self.reason_picker)
        layout.addStretch(1)
        cancel = big_button(self.tr("Cancel"), "", page)
        cancel.setMinimumHeight(72)
        cancel.clicked.connect(self.cancelled.emit)
        layout.addWidget(cancel)
        return page

    def _build_approval(self) -> QWidget:
        page = QWidget(self.pages)
        page.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        layout = QVBoxLayout(page)
        layout.setContentsMargins(0, 0, 0, 0)
        self.approval_text = QLabel(page)
        self.approval_text.setObjectName("title")
        self.approval_text.setWordWrap(True)
        self.approval_text.setAlignment(Qt.AlignmentFlag.AlignCenter)
        layout.addStretch(1)
        layout.addWidget(self.approval_text)
        self.approval_detail = QLabel(page)
        self.approval_detail.setObjectName("subtitle")
        self.approval_detail.setWordWrap(True)
        self.approval_detail.setAlignment(Qt.AlignmentFlag.AlignCenter)
        layout.addWidget(self.approval_detail)
        layout.addStretch(1)
        self.approval_cancel_button = big_button(
            self.tr("Cancel: leave the entry as it is"), "", page
        )
        self.approval_cancel_button.setMinimumHeight(72)
        self.approval_cancel_button.clicked.connect(self.cancelled.emit)
        layout.addWidget(self.approval_cancel_button)
        return page

    # ------------------------------------------------------------------ show
    def show_entries(self, work_order: WorkOrderView, entries: list[EntryView]) -> None:
        """The list page, newest entry first, with Correct and Void where they can be used."""
        self.entries = entries
        self._list_title = self.tr(
            "Recent entries of {number}: {good} good, {reject} reject in total"
        ).format(number=work_order.number, good=work_order.good_qty, reject=work_order.reject_qty)
        self.edit_panel.set_work_order(work_order)
        self.hint.setText(
            self.tr(
                "You can correct or void your own entry for a few minutes after recording it. "
                "Older entries, and other people's, need a supervisor's badge and PIN."
            )
            if entries
            else self.tr("No quantities are recorded on this work order yet.")
        )
        while self.rows.count():
            item = self.rows.takeAt(0)
            widget = item.widget() if item is not None else None
            if widget is not None:
                widget.deleteLater()
        self.correct_buttons, self.void_buttons = {}, {}
        for entry in entries:
            self.rows.addWidget(self._entry_row(entry))
        self.show_list()

    def show_list(self) -> None:
        self.title.setText(self._list_title)
        self.pages.setCurrentWidget(self.list_page)

    def _entry_row(self, entry: EntryView) -> QWidget:
        row = QFrame(self)
        row.setObjectName("card")
        layout = QHBoxLayout(row)
        layout.setContentsMargins(16, 10, 16, 10)
        text = QLabel(self._describe(entry), row)
        text.setObjectName("subtitle" if not entry.is_void else "caption")
        text.setWordWrap(True)
        layout.addWidget(text, 1)
        if not entry.is_void:
            caption = self.tr("Correct") if entry.corrects_alone else self.tr("Correct: supervisor")
            correct = big_button(caption, "primary", row)
            correct.setMinimumHeight(64)
            correct.clicked.connect(
                lambda _c=False, e=entry.entry_id: self.correct_requested.emit(e)
            )
            void = big_button(
                self.tr("Void") if entry.corrects_alone else self.tr("Void: supervisor"),
                "caution",
                row,
            )
            void.setMinimumHeight(64)
            void.clicked.connect(lambda _c=False, e=entry.entry_id: self.void_requested.emit(e))
            layout.addWidget(correct)
            layout.addWidget(void)
            self.correct_buttons[entry.entry_id] = correct
            self.void_buttons[entry.entry_id] = void
        return row

    def _describe(self, entry: EntryView) -> str:
        counts = self.tr("{good} good · {reject} reject").format(
            good=entry.good, reject=entry.reject
        )
        if entry.reject_reason:
            counts += f" ({reject_reason_label(RejectReason(entry.reject_reason))})"
        state = ""
        if entry.is_void:
            counts = self.tr("{good} good · {reject} reject").format(
                good=entry.recorded_good, reject=entry.recorded_reject
            )
            state = self.tr(" · VOIDED: no longer counts")
        elif entry.is_corrected:
            state = self.tr(" · corrected (recorded as {good} good, {reject} reject)").format(
                good=entry.recorded_good, reject=entry.recorded_reject
            )
        return self.tr("{time} · {name}\n{counts}{state}").format(
            time=self._times.time(entry.recorded_at),
            name=entry.recorded_by,
            counts=counts,
            state=state,
        )

    def entry(self, entry_id: uuid.UUID) -> EntryView | None:
        return next((entry for entry in self.entries if entry.entry_id == entry_id), None)

    def show_edit(self, entry: EntryView) -> None:
        self.banner.clear()
        self.edit_panel.clear()
        self.edit_panel.set_values(str(entry.good), str(entry.reject), entry.reject_reason)
        self.title.setText(self._entry_title(entry))
        self.pages.setCurrentWidget(self.edit_panel)

    def _entry_title(self, entry: EntryView) -> str:
        return self.tr("{name}'s entry of {time}: {good} good, {reject} reject").format(
            name=entry.recorded_by,
            time=self._times.time(entry.recorded_at),
            good=entry.good,
            reject=entry.reject,
        )

    def show_reasons(self, entry: EntryView, title: str) -> None:
        self.title.setText(self._entry_title(entry))
        self.reason_title.setText(title)
        self.pages.setCurrentWidget(self.reason_page)

    def show_approval(self, department: str, what: str) -> None:
        self.approval_text.setText(
            self.tr("A supervisor of {department}: tap your badge to approve").format(
                department=department
            )
        )
        self.approval_detail.setText(what)
        self.pages.setCurrentWidget(self.approval_page)
        # The page waits for a keyboard-wedge badge: it holds the focus, so the keys arrive.
        self.approval_page.setFocus(Qt.FocusReason.OtherFocusReason)

    def is_waiting_for_approval(self) -> bool:
        return self.pages.currentWidget() is self.approval_page

    def set_busy(self, is_busy: bool) -> None:
        self.pages.setEnabled(not is_busy)


class CorrectionPinScreen(PinEntryScreen):
    """The approving supervisor's PIN, typed on the operator's session."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.approver_id: uuid.UUID | None = None

    def ask(self, approver_id: uuid.UUID, name: str) -> None:
        self.approver_id = approver_id
        self.banner.clear()
        self.entry.clear()
        self.entry.set_title(
            self.tr("{name}: type your PIN to approve the correction").format(name=name)
        )
