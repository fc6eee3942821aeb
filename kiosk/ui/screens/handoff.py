"""QT-09 screens: hand a batch over, count a received batch blind, decide a held batch."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import UTC, datetime

from PySide6.QtCore import QCoreApplication, Qt, Signal
from PySide6.QtWidgets import (
    QButtonGroup,
    QFrame,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from kiosk.domain.transfer import ClearanceVerdict, TransferStatus
from kiosk.services.transfer_views import (
    HandoffOptions,
    OccupancyView,
    ReceiveOutcome,
    ReceivingLineOption,
    SlipToReceive,
    TransferView,
)
from kiosk.ui.formatting import TimeFormatter
from kiosk.ui.labels import department_label, transfer_status_label
from kiosk.ui.screens.base import Screen, scroll_column
from kiosk.ui.widgets.digit_entry import DigitEntryPage
from kiosk.ui.widgets.keypad import Keypad, apply_key
from kiosk.ui.widgets.page_stack import PageStack
from kiosk.ui.widgets.style import big_button, set_style_property
from kiosk.ui.widgets.wrap_label import WrapLabel

QUANTITY_DIGITS = 6
REASON_MAX_LENGTH = 200


def _card(parent: QWidget) -> tuple[QFrame, QVBoxLayout]:
    card = QFrame(parent)
    card.setObjectName("card")
    layout = QVBoxLayout(card)
    layout.setContentsMargins(20, 16, 20, 16)
    return card, layout


def _label(text: str, name: str, parent: QWidget) -> QLabel:
    label = WrapLabel(text, parent)  # wraps between words, never inside CUT-L02 or a WO number
    label.setObjectName(name)
    return label


def _history_column(parent: QWidget) -> tuple[QScrollArea, QVBoxLayout]:
    """A column that scrolls up and down only; its rows stay at the top at their own height."""
    scroll, column = scroll_column(parent, spacing=6)
    scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
    column.addStretch(1)  # rows are inserted above it
    return scroll, column


def occupancy_text(view: OccupancyView, times: TimeFormatter) -> str:
    """One line saying what a line holds, with how old the knowledge is."""
    if view.observed_at is None:
        return QCoreApplication.translate("Handoff", "state unknown")
    if view.work_order_number is None:
        text = QCoreApplication.translate("Handoff", "free")
    else:
        text = QCoreApplication.translate(
            "Handoff", "holds {number} since {time}\n{article} · for {destination}"
        ).format(
            number=view.work_order_number,
            article=view.article or "",
            destination=view.destination or "",
            time=times.time(view.since),
        )
    if view.is_stale:
        text += " " + QCoreApplication.translate("Handoff", "(last heard {time})").format(
            time=times.date_time(view.observed_at)
        )
    return text


def counts_text(sent: object, counted: object, first_counted: object | None) -> str:
    """Sent and counted for the one who decides a hold: both counts where a recount was made."""
    if first_counted is None or first_counted == "":
        return QCoreApplication.translate("Handoff", "sent {sent}, counted {counted}").format(
            sent=sent, counted=counted
        )
    return QCoreApplication.translate(
        "Handoff", "sent {sent}, counted {first} then {counted} on the recount"
    ).format(sent=sent, first=first_counted, counted=counted)


def handoff_state_text(transfer: TransferView, times: TimeFormatter, now: datetime) -> str:
    """Where a handoff stands, seen from the sender; a batch not yet received says since when."""
    if transfer.status is not TransferStatus.PREPARED:
        return transfer_status_label(transfer.status)
    sent = times.local(transfer.prepared_at)
    at = times.time(sent) if sent.date() == times.local(now).date() else times.date_time(sent)
    return QCoreApplication.translate("Handoff", "⇢ sent at {time}, not received yet").format(
        time=at
    )


class HandoffScreen(Screen):
    """The sender picks the quantity and the receiving line, then prints the slip."""

    prepare_requested = Signal(str, str)  # quantity typed, receiving line code
    reprint_requested = Signal(object)  # transfer id
    back_requested = Signal()

    def __init__(
        self,
        times: TimeFormatter,
        parent: QWidget | None = None,
        *,
        now: Callable[[], datetime] = lambda: datetime.now(UTC),
    ) -> None:
        super().__init__(parent)
        self._times = times
        self._now = now
        self._quantity = ""
        self.options: HandoffOptions | None = None
        row = QHBoxLayout()
        self.body.addLayout(row, 1)
        # -- left: the work order and its handoffs so far
        left, left_layout = _card(self)
        self.title = _label("", "title", left)
        self.article = _label("", "subtitle", left)
        self.sendable_label = _label("", "subtitle", left)
        for widget in (self.title, self.article, self.sendable_label):
            left_layout.addWidget(widget)
        left_layout.addWidget(_label(self.tr("Handoffs of this work order"), "caption", left))
        scroll, self.history = _history_column(left)
        left_layout.addWidget(scroll, 1)
        self.history_rows: list[QWidget] = []
        self.reprint_buttons: dict[uuid.UUID, QPushButton] = {}
        self.back_button = big_button(self.tr("◀  Back"), "", left)
        self.back_button.clicked.connect(self.back_requested.emit)
        left_layout.addWidget(self.back_button)
        row.addWidget(left, 4)
        # -- middle: the receiving lines
        middle = QWidget(self)
        middle_layout = QVBoxLayout(middle)
        middle_layout.setContentsMargins(0, 0, 0, 0)
        self.lines_title = _label("", "subtitle", middle)
        middle_layout.addWidget(self.lines_title)
        self.line_group = QButtonGroup(self)
        self.line_group.setExclusive(True)
        self.line_buttons: dict[str, QPushButton] = {}
        self.lines_column = QVBoxLayout()
        middle_layout.addLayout(self.lines_column)
        middle_layout.addStretch(1)
        row.addWidget(middle, 6)
        # -- right: the quantity and the prepare button
        right = QWidget(self)
        right_layout = QVBoxLayout(right)
        right_layout.setContentsMargins(0, 0, 0, 0)
        right_layout.addWidget(_label(self.tr("Pieces to send"), "subtitle", right))
        self.quantity_display = QLabel(right)
        self.quantity_display.setObjectName("entryValue")
        self.quantity_display.setAlignment(Qt.AlignmentFlag.AlignCenter)
        right_layout.addWidget(self.quantity_display)
        self.keypad = Keypad(right)
        self.keypad.key_pressed.connect(self._on_key)
        right_layout.addWidget(self.keypad)
        self.prepare_button = big_button(self.tr("Prepare and print slip"), "go", right)
        self.prepare_button.setMinimumHeight(80)
        self.prepare_button.clicked.connect(self._on_prepare)
        right_layout.addWidget(self.prepare_button)
        row.addWidget(right, 4)
        self._refresh()

    # ------------------------------------------------------------------ show
    def show_options(self, options: HandoffOptions) -> None:
        self.options = options
        work_order = options.work_order
        self.title.setText(self.tr("Hand over {number}").format(number=work_order.number))
        self.article.setText(
            self.tr("{article} · for {destination}").format(
                article=work_order.article, destination=work_order.destination
            )
        )
        self.sendable_label.setText(
            self.tr("{n} pieces good and not yet sent").format(n=options.sendable)
        )
        self.lines_title.setText(
            self.tr("To a line of {department}").format(
                department=department_label(options.next_department)
            )
        )
        self._show_lines(options.lines)
        self.show_history(options.transfers)
        self._quantity = ""
        self._refresh()

    def _show_lines(self, lines: list[ReceivingLineOption]) -> None:
        for button in self.line_buttons.values():
            self.line_group.removeButton(button)
            self.lines_column.removeWidget(button)
            button.hide()
            button.deleteLater()
        self.line_buttons = {}
        for option in lines:
            view = option.occupancy
            state = occupancy_text(view, self._times)
            if option.verdict is ClearanceVerdict.CONFLICT:
                state = (
                    self.tr("⛔ blocked: {state}")
                    if not option.segregation
                    else self.tr("⛔ blocked (other destination): {state}")
                ).format(state=state)
            elif option.verdict is ClearanceVerdict.UNKNOWN:
                state = self.tr("? {state} - its kiosk will check").format(state=state)
            else:
                state = self.tr("✔ {state}").format(state=state)
            button = big_button(f"{view.line_code}  {view.line_name}\n{state}", "", self)
            button.setCheckable(True)
            button.setObjectName("lineChoice")
            button.setProperty("rows", str(state.count("\n") + 2))
            self.line_group.addButton(button)
            self.lines_column.addWidget(button)
            button.toggled.connect(lambda _on: self._refresh())
            self.line_buttons[view.line_code] = button
        # One free line is the obvious choice; anything else the sender picks.
        clear = [o for o in lines if o.verdict is ClearanceVerdict.CLEAR]
        if len(clear) == 1:
            self.line_buttons[clear[0].occupancy.line_code].setChecked(True)

    def show_history(self, transfers: list[TransferView]) -> None:
        for widget in self.history_rows:
            self.history.removeWidget(widget)
            widget.hide()
            widget.deleteLater()
        self.history_rows = []
        self.reprint_buttons = {}
        for transfer in transfers:
            row = QWidget()
            # Text above its button: the column is too narrow for both side by side.
            layout = QVBoxLayout(row)
            layout.setContentsMargins(0, 0, 0, 8)
            text = self.tr("{qty} → {line} · {status} · {slip}").format(
                qty=transfer.quantity,
                line=transfer.to_line,
                status=handoff_state_text(transfer, self._times, self._now()),
                slip=transfer.slip_id,
            )
            if transfer.accepted_qty is not None and transfer.accepted_qty != transfer.quantity:
                text += " " + self.tr("({n} accepted)").format(n=transfer.accepted_qty)
            layout.addWidget(_label(text, "caption", row), 1)
            if transfer.status is TransferStatus.PREPARED:
                button = big_button(self.tr("Reprint"), "", row)
                button.clicked.connect(
                    lambda _c=False, t=transfer.id: self.reprint_requested.emit(t)
                )
                layout.addWidget(button, 0, Qt.AlignmentFlag.AlignLeft)
                self.reprint_buttons[transfer.id] = button
            self.history.insertWidget(len(self.history_rows), row)
            self.history_rows.append(row)
        if not transfers:
            empty = _label(self.tr("None yet."), "caption", self)
            self.history.insertWidget(0, empty)
            self.history_rows.append(empty)

    # ------------------------------------------------------------------ input
    def selected_line(self) -> str | None:
        for code, button in self.line_buttons.items():
            if button.isChecked():
                return code
        return None

    def type_quantity(self, text: str) -> None:
        """Type digits as the keypad would (tests and the hardware keyboard use this)."""
        for key in text:
            self._on_key(key)

    def _on_key(self, key: str) -> None:
        self._quantity = apply_key(self._quantity, key, QUANTITY_DIGITS)
        self._refresh()

    def _refresh(self) -> None:
        self.quantity_display.setText(self._quantity or "0")
        self.prepare_button.setEnabled(bool(self._quantity) and self.selected_line() is not None)

    def _on_prepare(self) -> None:
        line = self.selected_line()
        if line is None:
            return
        self.banner.clear()
        self.prepare_requested.emit(self._quantity, line)

    def clear_quantity(self) -> None:
        self._quantity = ""
        self._refresh()


class ReceiveScreen(Screen):
    """The receiver sees what the slip says, except how many: they count and type it."""

    count_submitted = Signal(str)
    cancelled = Signal()
    finished = Signal()

    def __init__(self, times: TimeFormatter, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._times = times
        self.slip: SlipToReceive | None = None
        self.pages = PageStack(self)
        self.body.addWidget(self.pages, 1)
        # -- count page
        self.count_page = QWidget(self.pages)
        row = QHBoxLayout(self.count_page)
        row.setContentsMargins(0, 0, 0, 0)
        card, layout = _card(self.count_page)
        self.slip_title = _label("", "title", card)
        self.slip_article = _label("", "subtitle", card)
        self.slip_details = _label("", "caption", card)
        for widget in (self.slip_title, self.slip_article, self.slip_details):
            layout.addWidget(widget)
        self.blind_note = _label(
            self.tr(
                "How many were sent is not printed on the slip and not shown here: "
                "count every piece of the batch yourself."
            ),
            "subtitle",
            card,
        )
        layout.addWidget(self.blind_note)
        self.recount_note = _label("", "recountNote", card)
        layout.addWidget(self.recount_note)
        layout.addStretch(1)
        row.addWidget(card, 5)
        self.entry = DigitEntryPage(
            self.tr("Pieces counted"),
            masked=False,
            max_length=QUANTITY_DIGITS,
            prefix="",
            confirm_text=self.tr("Confirm count"),
            parent=self.count_page,
        )
        self.entry.submitted.connect(self._on_submitted)
        self.entry.back_requested.connect(self.cancelled.emit)
        row.addWidget(self.entry, 5)
        # -- result page
        self.result_page = QWidget(self.pages)
        result = QVBoxLayout(self.result_page)
        self.result_title = _label("", "title", self.result_page)
        self.result_title.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.result_text = _label("", "subtitle", self.result_page)
        self.result_text.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.done_button = big_button(self.tr("Done"), "primary", self.result_page)
        self.done_button.setMinimumHeight(88)
        self.done_button.clicked.connect(self.finished.emit)
        result.addStretch(1)
        result.addWidget(self.result_title)
        result.addWidget(self.result_text)
        result.addSpacing(24)
        result.addWidget(self.done_button, 0, Qt.AlignmentFlag.AlignHCenter)
        result.addStretch(2)
        self.pages.addWidget(self.count_page)
        self.pages.addWidget(self.result_page)

    def show_slip(self, slip: SlipToReceive) -> None:
        self.slip = slip
        self.banner.clear()
        self.slip_title.setText(self.tr("Receive {number}").format(number=slip.work_order_number))
        self.slip_article.setText(
            self.tr("{article} · for {destination}").format(
                article=slip.article, destination=slip.destination
            )
        )
        self.slip_details.setText(
            self.tr("From {from_line} by {by} at {time}\nSlip {slip}").format(
                from_line=slip.from_line,
                by=slip.prepared_by_name or slip.prepared_by,
                time=self._times.date_time(slip.prepared_at),
                slip=slip.slip_id,
            )
        )
        self._ask_count(recount=slip.is_recount)

    def show_recount(self) -> None:
        """The first count did not match: the same batch counted again, from an empty field."""
        self.banner.clear()
        self._ask_count(recount=True)

    def _ask_count(self, *, recount: bool) -> None:
        self.entry.clear()
        if recount:
            self.entry.set_title(self.tr("Pieces counted again"))
            self.recount_note.setText(
                self.tr(
                    "Count again: your count does not match the slip. Count every piece once "
                    "more from the start; a second count that does not match holds the batch."
                )
            )
        else:
            self.entry.set_title(self.tr("Pieces counted"))
            self.recount_note.setText("")
        # Only in the slip's card, beside the keypad: the keys stay where they are.
        self.recount_note.setVisible(recount)
        self.pages.setCurrentWidget(self.count_page)

    def is_recount(self) -> bool:
        return bool(self.recount_note.text())

    def show_outcome(self, outcome: ReceiveOutcome, department: str) -> None:
        if outcome.accepted:
            self.result_title.setText(self.tr("✔ Accepted"))
            self.result_text.setText(
                self.tr("{n} pieces of {number} are on this line now.").format(
                    n=outcome.counted, number=outcome.work_order_number
                )
            )
        else:
            self.result_title.setText(self.tr("⚠ Held: the count does not match the slip"))
            self.result_text.setText(
                self.tr(
                    "Both counts ({first} and {n}) are recorded. Keep the batch apart: an "
                    "alert for the {department} supervisor is raised, and they decide."
                ).format(first=outcome.first_counted, n=outcome.counted, department=department)
                if outcome.first_counted is not None
                else self.tr(
                    "Your count of {n} is recorded. Keep the batch apart: an alert for the "
                    "{department} supervisor is raised, and they decide."
                ).format(n=outcome.counted, department=department)
            )
        set_style_property(self.result_title, "outcome", "ok" if outcome.accepted else "held")
        self.pages.setCurrentWidget(self.result_page)

    def is_counting(self) -> bool:
        return self.pages.currentWidget() is self.count_page

    def _on_submitted(self, text: str) -> None:
        self.banner.clear()
        self.count_submitted.emit(text)
