"""E-Kanban screens: the board of four columns, a card with what you may do with it, and
the request: pick an item, type the quantity, send.

Screens show data and emit requests; `kiosk.ui.flows.kanban.KanbanFlow` runs the
service calls.
"""

from __future__ import annotations

from datetime import timedelta

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, QSize, Qt, Signal
from PySide6.QtWidgets import (
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from kiosk.domain.kanban import KanbanCommand, KanbanStatus
from kiosk.services.kanban_views import (
    KanbanBoardView,
    KanbanCardView,
    KanbanItemView,
    KanbanStep,
)
from kiosk.ui.formatting import TimeFormatter
from kiosk.ui.labels import kanban_status_label
from kiosk.ui.screens.base import Screen, scroll_column
from kiosk.ui.widgets.digit_entry import DigitEntryPage
from kiosk.ui.widgets.page_stack import PageStack
from kiosk.ui.widgets.style import big_button, set_style_property
from kiosk.ui.widgets.text_keys import NameKeys, apply_key

_CONTEXT = "Kanban"
QUANTITY_MAX_DIGITS = 5
PRINT = "print"  # the key of the Print button beside the commands' keys

# The preset reasons a warehouse admin taps; stored in English, shown translated.
REJECT_REASONS: tuple[str, ...] = (
    str(QT_TRANSLATE_NOOP("Kanban", "Out of stock")),
    str(QT_TRANSLATE_NOOP("Kanban", "Duplicate request")),
    str(QT_TRANSLATE_NOOP("Kanban", "Quantity too large")),
    str(QT_TRANSLATE_NOOP("Kanban", "Other")),
)


def reason_label(reason: str | None) -> str:
    """A stored rejection reason in the reader's language (a preset) or as typed."""
    if not reason:
        return ""
    return QCoreApplication.translate("Kanban", reason) if reason in REJECT_REASONS else reason


def column_title(index: int) -> str:
    return (
        QCoreApplication.translate("Kanban", "Requested"),
        QCoreApplication.translate("Kanban", "Approved"),
        QCoreApplication.translate("Kanban", "In transit"),
        QCoreApplication.translate("Kanban", "Received"),
    )[index]


def step_label(step: KanbanStep) -> str:
    return {
        KanbanStep.REQUESTED: QCoreApplication.translate("Kanban", "Requested"),
        KanbanStep.APPROVED: QCoreApplication.translate("Kanban", "Approved"),
        KanbanStep.REJECTED: QCoreApplication.translate("Kanban", "Rejected"),
        KanbanStep.SHIPPED: QCoreApplication.translate("Kanban", "In transit"),
        KanbanStep.RECEIVED: QCoreApplication.translate("Kanban", "Received"),
    }[step]


def format_age(delta: timedelta) -> str:
    """A duration as the floor reads it: 40 s is "under a minute", then minutes, hours, days."""
    minutes = int(delta.total_seconds() // 60)
    if minutes < 1:
        return QCoreApplication.translate("Kanban", "under 1 min")
    if minutes < 60:
        return QCoreApplication.translate("Kanban", "{m} min").format(m=minutes)
    hours, minutes = divmod(minutes, 60)
    if hours < 24:
        return QCoreApplication.translate("Kanban", "{h} h {m:02d} min").format(h=hours, m=minutes)
    days, hours = divmod(hours, 24)
    return QCoreApplication.translate("Kanban", "{d} d {h} h").format(d=days, h=hours)


def _label(text: str, name: str, parent: QWidget, *, wrap: bool = False) -> QLabel:
    label = QLabel(text, parent)
    label.setObjectName(name)
    label.setWordWrap(wrap)
    return label


# ====================================================================== the board
class KanbanCardButton(QPushButton):
    """One card on the board: number, item, quantity (and line), the age of its step."""

    def __init__(self, card: KanbanCardView, *, show_line: bool, parent: QWidget) -> None:
        super().__init__(parent)
        self.card = card
        self.setObjectName("kanbanCard")
        self.setAutoDefault(False)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 6, 12, 6)
        layout.setSpacing(0)
        self._layout = layout
        quantity = QCoreApplication.translate("Kanban", "{quantity} {unit}").format(
            quantity=card.quantity, unit=card.unit
        )
        if show_line:
            quantity = QCoreApplication.translate("Kanban", "{quantity} · for {line}").format(
                quantity=quantity, line=card.line_code
            )
        self.number = _label(card.card_no, "kanbanCardNo", self)
        self.item = _label(card.item_name, "kanbanCardText", self, wrap=True)
        self.quantity = _label(quantity, "kanbanCardText", self, wrap=True)
        self.age = _label(self._age_text(card), "kanbanCardAge", self, wrap=True)
        for label in (self.number, self.item, self.quantity, self.age):
            label.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents, True)
            label.setMinimumWidth(1)
            layout.addWidget(label)
        is_rejected = card.status is KanbanStatus.REJECTED
        set_style_property(self, "done", "true" if card.is_done else "false")
        set_style_property(self, "rejected", "true" if is_rejected else "false")
        set_style_property(self.age, "rejected", "true" if is_rejected else "false")
        self.setAccessibleName(self.text().replace("\n", " "))

    @staticmethod
    def _age_text(card: KanbanCardView) -> str:
        if card.status is KanbanStatus.REJECTED:
            return QCoreApplication.translate("Kanban", "✖ Rejected: {reason}").format(
                reason=reason_label(card.decision_reason)
            )
        if card.status is KanbanStatus.RECEIVED:
            return QCoreApplication.translate("Kanban", "✔ {age} ago").format(
                age=format_age(card.age)
            )
        return QCoreApplication.translate("Kanban", "◷ {age}").format(age=format_age(card.age))

    def text(self) -> str:
        return "\n".join(
            label.text() for label in (self.number, self.item, self.quantity, self.age)
        )

    # The labels inside decide the size (QPushButton's own hint knows only its text).
    def sizeHint(self) -> QSize:
        return self._layout.totalSizeHint()

    def minimumSizeHint(self) -> QSize:
        return self._layout.totalMinimumSize()


class KanbanColumn(QFrame):
    """A column of the board: its title with a count, its cards, or a word that it is empty."""

    card_clicked = Signal(object)  # KanbanCardView

    def __init__(self, index: int, parent: QWidget) -> None:
        super().__init__(parent)
        self.index = index
        self.setObjectName("kanbanColumn")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 6, 8, 8)
        layout.setSpacing(6)
        self.title = _label(column_title(index), "subtitle", self)
        layout.addWidget(self.title)
        self.empty = _label(QCoreApplication.translate("Kanban", "No cards"), "caption", self)
        layout.addWidget(self.empty)
        self._scroll, self._cards_layout = scroll_column(self, spacing=8)
        self._scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        layout.addWidget(self._scroll, 1)
        self.buttons: dict[str, KanbanCardButton] = {}

    def set_cards(self, cards: tuple[KanbanCardView, ...], *, show_line: bool) -> None:
        for button in self.buttons.values():
            self._cards_layout.removeWidget(button)
            button.hide()
            button.deleteLater()
        self.buttons = {}
        for card in cards:
            button = KanbanCardButton(card, show_line=show_line, parent=self)
            button.clicked.connect(lambda _checked=False, c=card: self.card_clicked.emit(c))
            self._cards_layout.addWidget(button)
            button.show()
            self.buttons[card.card_no] = button
        self.title.setText(
            QCoreApplication.translate("Kanban", "{title} · {n}").format(
                title=column_title(self.index), n=len(cards)
            )
        )
        self.empty.setVisible(not cards)


class KanbanBoardScreen(Screen):
    """The four columns; a tapped card opens with the actions the user may take."""

    request_clicked = Signal()
    refresh_clicked = Signal()
    command_requested = Signal(object, str, object)  # card, KanbanCommand value, reason | None
    print_requested = Signal(object)  # card

    def __init__(self, times: TimeFormatter, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._times = times
        self.board: KanbanBoardView | None = None
        self.card: KanbanCardView | None = None
        self.pages = PageStack(self)
        self.body.addWidget(self.pages, 1)
        self.board_page = self._build_board_page()
        self.card_page = self._build_card_page()
        self.reason_page = self._build_reason_page()
        for page in (self.board_page, self.card_page, self.reason_page):
            self.pages.addWidget(page)

    # ------------------------------------------------------------------ build
    def _build_board_page(self) -> QWidget:
        page = QWidget(self)
        layout = QVBoxLayout(page)
        layout.setContentsMargins(0, 0, 0, 0)
        top = QHBoxLayout()
        self.title = _label(self.tr("Kanban"), "title", page, wrap=True)
        top.addWidget(self.title, 1)
        self.refresh_button = big_button(self.tr("⟳ Refresh"), "", page)
        self.refresh_button.clicked.connect(self.refresh_clicked.emit)
        top.addWidget(self.refresh_button)
        self.request_button = big_button(self.tr("✚ Request items"), "primary", page)
        self.request_button.clicked.connect(self.request_clicked.emit)
        top.addWidget(self.request_button)
        layout.addLayout(top)
        row = QHBoxLayout()
        row.setSpacing(10)
        self.columns: list[KanbanColumn] = []
        for index in range(4):
            column = KanbanColumn(index, page)
            column.card_clicked.connect(self.show_card)
            row.addWidget(column, 1)
            self.columns.append(column)
        layout.addLayout(row, 1)
        return page

    def _build_card_page(self) -> QWidget:
        page = QWidget(self)
        row = QHBoxLayout(page)
        row.setContentsMargins(0, 0, 0, 0)
        row.setSpacing(16)
        details = QFrame(page)
        details.setObjectName("card")
        column = QVBoxLayout(details)
        column.setContentsMargins(24, 16, 24, 16)
        self.card_title = _label("", "title", details, wrap=True)
        self.card_item = _label("", "subtitle", details, wrap=True)
        self.card_status = _label("", "subtitle", details, wrap=True)
        self.card_steps = _label("", "caption", details, wrap=True)
        self.card_steps.setTextFormat(Qt.TextFormat.PlainText)
        for label in (self.card_title, self.card_item, self.card_status, self.card_steps):
            column.addWidget(label)
        column.addStretch(1)
        row.addWidget(details, 6)
        actions = QWidget(page)
        buttons = QVBoxLayout(actions)
        buttons.setContentsMargins(0, 0, 0, 0)
        buttons.setSpacing(12)
        self.action_buttons: dict[str, QPushButton] = {}
        for key, text, role in (
            (KanbanCommand.APPROVE.value, self.tr("✔  Approve"), "go"),
            (KanbanCommand.REJECT.value, self.tr("✖  Reject"), "caution"),
            (KanbanCommand.SHIP.value, self.tr("➜  Mark in transit"), "go"),
            (KanbanCommand.RECEIVE.value, self.tr("✔  Mark received"), "go"),
            (PRINT, self.tr("Print card"), "primary"),
        ):
            button = big_button(text, role, actions)
            button.setMinimumHeight(80)
            button.clicked.connect(lambda _checked=False, k=key: self._on_action(k))
            buttons.addWidget(button)
            self.action_buttons[key] = button
        self.no_action = _label(
            self.tr("Nothing for you to do on this card now."), "caption", actions, wrap=True
        )
        buttons.addWidget(self.no_action)
        buttons.addStretch(1)
        self.back_button = big_button(self.tr("◀  Back to the board"), "", actions)
        self.back_button.clicked.connect(self.show_board_page)
        buttons.addWidget(self.back_button)
        row.addWidget(actions, 5)
        return page

    def _build_reason_page(self) -> QWidget:
        page = QWidget(self)
        layout = QVBoxLayout(page)
        layout.setContentsMargins(0, 0, 0, 0)
        self.reason_title = _label("", "title", page, wrap=True)
        layout.addWidget(self.reason_title)
        grid = QGridLayout()
        grid.setSpacing(14)
        self.reason_buttons: dict[str, QPushButton] = {}
        for index, reason in enumerate(REJECT_REASONS):
            button = big_button(reason_label(reason), "caution", page)
            button.setMinimumHeight(96)
            button.clicked.connect(lambda _checked=False, r=reason: self._on_reason(r))
            grid.addWidget(button, index // 2, index % 2)
            self.reason_buttons[reason] = button
        layout.addLayout(grid)
        layout.addStretch(1)
        self.reason_cancel_button = big_button(self.tr("Cancel"), "", page)
        self.reason_cancel_button.clicked.connect(self._back_to_card)
        layout.addWidget(self.reason_cancel_button)
        return page

    # ------------------------------------------------------------------ show
    def show_board(self, board: KanbanBoardView, *, may_request: bool) -> None:
        """Fill the columns; an open card is refreshed from the new board (or closed)."""
        self.board = board
        if board.is_warehouse:
            self.title.setText(self.tr("Kanban · all lines"))
        else:
            self.title.setText(self.tr("Kanban · {line}").format(line=board.line_code))
        self.request_button.setVisible(may_request)
        for column, cards in zip(self.columns, board.columns, strict=True):
            column.set_cards(cards.cards, show_line=board.is_warehouse)
        if self.card is not None and self.pages.currentWidget() is not self.board_page:
            fresh = next((card for card in board.cards if card.id == self.card.id), None)
            if fresh is None:
                self.show_board_page()
            elif self.pages.currentWidget() is self.card_page:
                self.show_card(fresh)
            else:
                self.card = fresh

    def show_board_page(self) -> None:
        self.card = None
        self.pages.setCurrentWidget(self.board_page)

    def show_card(self, card: KanbanCardView) -> None:
        self.card = card
        self.card_title.setText(card.card_no)
        self.card_item.setText(
            self.tr("{quantity} {unit} · {item} · for {line}").format(
                quantity=card.quantity, unit=card.unit, item=card.item_name, line=card.line_code
            )
        )
        status = kanban_status_label(card.status)
        if card.status is KanbanStatus.REJECTED:
            status = self.tr("{status}: {reason}").format(
                status=status, reason=reason_label(card.decision_reason)
            )
        elif not card.is_done:
            status = self.tr("{status} · for {age}").format(status=status, age=format_age(card.age))
        self.card_status.setText(status)
        self.card_steps.setText("\n".join(self._step_lines(card)))
        for key, button in self.action_buttons.items():
            allowed = card.may_print if key == PRINT else KanbanCommand(key) in card.actions
            button.setVisible(allowed)
        self.no_action.setVisible(not card.actions and not card.may_print)
        self.pages.setCurrentWidget(self.card_page)

    def _step_lines(self, card: KanbanCardView) -> list[str]:
        lines = []
        for step in card.steps:
            text = self.tr("{step} {time} · {name}").format(
                step=step_label(step.step), time=self._times.time(step.at), name=step.by
            )
            if step.took is not None:
                text += " · " + self.tr("after {age}").format(age=format_age(step.took))
            lines.append(text)
        if card.lead_time is not None:
            lines.append(
                self.tr("Request to receipt: {age}").format(age=format_age(card.lead_time))
            )
        return lines

    def is_on_board(self) -> bool:
        return self.pages.currentWidget() is self.board_page

    def column_index_of(self, card_no: str) -> int | None:
        """The column whose buttons show the card (what a user sees), or None."""
        for column in self.columns:
            if card_no in column.buttons:
                return column.index
        return None

    # ------------------------------------------------------------------ actions
    def _on_action(self, key: str) -> None:
        card = self.card
        if card is None:
            return
        self.banner.clear()
        if key == PRINT:
            self.print_requested.emit(card)
        elif key == KanbanCommand.REJECT.value:
            self.reason_title.setText(self.tr("Why reject {card_no}?").format(card_no=card.card_no))
            self.pages.setCurrentWidget(self.reason_page)
        else:
            self.command_requested.emit(card, key, None)

    def _on_reason(self, reason: str) -> None:
        if self.card is not None:
            self.command_requested.emit(self.card, KanbanCommand.REJECT.value, reason)

    def _back_to_card(self) -> None:
        if self.card is None:
            self.show_board_page()
        else:
            self.show_card(self.card)


# ====================================================================== the request
class KanbanItemRow(QPushButton):
    """An item of the catalogue as a whole-row button."""

    def __init__(self, item: KanbanItemView, parent: QWidget) -> None:
        super().__init__(parent)
        self.item = item
        self.setObjectName("kanbanItem")
        self.setAutoDefault(False)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(18, 6, 18, 6)
        layout.setSpacing(0)
        self.first = _label(item.name, "rowTitle", self)
        self.second = _label(
            QCoreApplication.translate("Kanban", "{code} · per {unit} · at most {max}").format(
                code=item.code, unit=item.unit, max=item.max_quantity
            ),
            "rowDetail",
            self,
        )
        for label in (self.first, self.second):
            label.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents, True)
            label.setMinimumWidth(1)
            layout.addWidget(label)
        self.setAccessibleName(f"{self.first.text()} {self.second.text()}")

    def text(self) -> str:
        return f"{self.first.text()}\n{self.second.text()}"


class KanbanRequestScreen(Screen):
    """Pick an item (search or scroll), type how many on the keypad, send."""

    search_changed = Signal(str)
    send_requested = Signal(str, str)  # item code, quantity as typed
    back_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.item: KanbanItemView | None = None
        self.pages = PageStack(self)
        self.body.addWidget(self.pages, 1)
        self.pick_page = self._build_pick_page()
        self.quantity_page = DigitEntryPage(
            "",
            masked=False,
            max_length=QUANTITY_MAX_DIGITS,
            prefix="",
            confirm_text=self.tr("✔ Send request"),
            parent=self,
        )
        self.quantity_page.submitted.connect(self._on_quantity_submitted)
        self.quantity_page.back_requested.connect(self.show_pick)
        self.pages.addWidget(self.pick_page)
        self.pages.addWidget(self.quantity_page)
        self.rows: dict[str, KanbanItemRow] = {}

    def _build_pick_page(self) -> QWidget:
        page = QWidget(self)
        layout = QVBoxLayout(page)
        layout.setContentsMargins(0, 0, 0, 0)
        top = QHBoxLayout()
        self.title = _label(self.tr("Request items"), "title", page, wrap=True)
        top.addWidget(self.title, 1)
        self.back_button = big_button(self.tr("◀  Kanban board"), "", page)
        self.back_button.clicked.connect(self.back_requested.emit)
        top.addWidget(self.back_button)
        layout.addLayout(top)
        self.search = QLineEdit(page)
        self.search.setObjectName("kanbanSearch")
        self.search.setMaxLength(40)
        self.search.setClearButtonEnabled(True)
        self.search.setPlaceholderText(self.tr("Search: part of the name or the code"))
        self.search.textChanged.connect(self.search_changed.emit)
        layout.addWidget(self.search)
        middle = QHBoxLayout()
        middle.setSpacing(16)
        left = QVBoxLayout()
        self.empty_label = _label(
            self.tr("No item matches. Clear the search to see them all."),
            "subtitle",
            page,
            wrap=True,
        )
        self.empty_label.hide()
        left.addWidget(self.empty_label)
        self._scroll, self._rows_layout = scroll_column(page, spacing=10)
        left.addWidget(self._scroll, 1)
        middle.addLayout(left, 1)
        # The search is typed on the screen's own keys: no physical keyboard at a line.
        keys_column = QVBoxLayout()
        self.keys = NameKeys(page)
        self.keys.key_pressed.connect(self._on_key)
        keys_column.addWidget(self.keys)
        keys_column.addStretch(1)
        middle.addLayout(keys_column)
        layout.addLayout(middle, 1)
        return page

    def _on_key(self, key: str) -> None:
        """One on-screen key into the search (the list follows as it does for typing)."""
        self.search.setText(apply_key(self.search.text(), key, self.search.maxLength()))

    def reset(self, line_code: str) -> None:
        """A fresh request: no search, the whole list, nothing picked."""
        self.item = None
        self.title.setText(self.tr("Request items for {line}").format(line=line_code))
        self.search.blockSignals(True)
        self.search.clear()
        self.search.blockSignals(False)
        self.banner.clear()
        self.show_pick()

    def set_items(self, items: list[KanbanItemView]) -> None:
        for row in self.rows.values():
            self._rows_layout.removeWidget(row)
            row.hide()
            row.deleteLater()
        self.rows = {}
        for item in items:
            row = KanbanItemRow(item, self)
            row.clicked.connect(lambda _checked=False, i=item: self.choose(i))
            self._rows_layout.addWidget(row)
            row.show()
            self.rows[item.code] = row
        self.empty_label.setVisible(not items)
        self._scroll.verticalScrollBar().setValue(0)

    def choose(self, item: KanbanItemView) -> None:
        self.item = item
        self.banner.clear()
        self.quantity_page.set_title(
            self.tr("{name}: how many? (per {unit}, at most {max})").format(
                unit=item.unit, name=item.name, max=item.max_quantity
            )
        )
        self.quantity_page.clear()
        self.pages.setCurrentWidget(self.quantity_page)
        self.quantity_page.setFocus()

    def show_pick(self) -> None:
        self.quantity_page.clear()
        self.pages.setCurrentWidget(self.pick_page)

    def is_typing_quantity(self) -> bool:
        return self.pages.currentWidget() is self.quantity_page

    def _on_quantity_submitted(self, value: str) -> None:
        if self.item is not None:
            self.banner.clear()
            self.send_requested.emit(self.item.code, value)
