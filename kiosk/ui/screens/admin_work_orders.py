"""The admin's Work orders screen, for a site without an ERP: the list, and the work order form.

Two pages, as on the People screen: the list (a page of work orders, searched by part of
a number, an item or a line code) and the form (a new work order; or one already made,
of which only the target and the due date change, or which is cancelled). Both type with
the big on-screen keys on the right; the field the keys type into is the one pressed in.
The server's reason for refusing a field is shown next to it (`show_problems`).
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QMouseEvent, QResizeEvent
from PySide6.QtWidgets import (
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSizePolicy,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from kiosk.domain.transfer import ROUTES
from kiosk.ui.screens.base import Screen
from kiosk.ui.widgets.banner import ERROR
from kiosk.ui.widgets.keypad import KEY_BACKSPACE, KEY_CLEAR
from kiosk.ui.widgets.style import big_button
from kiosk.ui.widgets.text_keys import KEY_SPACE, TOUCH, NameKeys, apply_key

PAGE_SIZE = 5  # rows of 64 px that fit beside the keys at 1280x800
FORM_FIELDS = (
    "number",
    "mo_number",
    "article",
    "destination",
    "line",
    "route",
    "target_qty",
    "due",
)
EDITABLE = frozenset({"target_qty", "due"})  # of a work order made already
# The longest each field may be (the integration API's), and which keys it takes.
_LONGEST = {
    "search": 40,
    "number": 32,
    "mo_number": 32,
    "article": 100,
    "destination": 64,
    "line": 32,
    "target_qty": 8,
    "due": 10,
}
_CODES = frozenset({"number", "mo_number", "line"})  # typed as they are, no spaces
_DIGITS = frozenset("0123456789")
_PROBLEM_PX = (13, 12, 11)  # a reason's type, smaller step by step for a long one
_FIELD_STYLE = "QPushButton {{ text-align: left; padding-left: 16px; {color} }}"
# An empty field's hint (the date's form) in grey; white on the chosen field's dark blue.
_HINT_COLOR = "color: #4A5563; } QPushButton:checked { color: #DCE3EC;"


class ProblemLabel(QLabel):
    """The server's reason for refusing a field, beside the field's name, in at most the
    heading's height: wrapped, in smaller type when long; past the smallest type it ends in
    "…" and a tap shows it whole in the screen's message area (`reason` keeps it all)."""

    tapped = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("fieldProblem")
        self.setWordWrap(True)
        self.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Ignored)
        self.reason = ""

    def show_reason(self, reason: str) -> None:
        self.reason = reason
        self._fit()

    def is_cut(self) -> bool:
        return self.text() != self.reason

    def _fit(self) -> None:
        for px in _PROBLEM_PX:
            self.setStyleSheet(f"color: #b3261e; font-size: {px}px; font-weight: bold;")
            self.setText(self.reason)
            if self._fits():
                break
        else:  # the longest start of it, at a space, that fits with "…"
            words = self.reason.split(" ")
            kept = len(words)
            while kept > 1:
                kept -= 1
                self.setText(" ".join(words[:kept]) + "…")
                if self._fits():
                    break
        self.setToolTip(self.reason if self.is_cut() else "")

    def _fits(self) -> bool:
        return self.width() <= 0 or self.heightForWidth(self.width()) <= self.height()

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        if self.reason:
            self._fit()

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        super().mouseReleaseEvent(event)
        if self.is_cut():
            self.tapped.emit(self.reason)


class WorkOrdersScreen(Screen):
    back_requested = Signal()
    search_requested = Signal(str)
    previous_requested = Signal()
    next_requested = Signal()
    save_requested = Signal(object)  # the form's values (dict) and "row" (None: new)
    cancel_requested = Signal(object)  # the work order's row

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        top = QHBoxLayout()
        self.title = QLabel(self.tr("Work orders"), self)
        self.title.setObjectName("title")
        top.addWidget(self.title, 1)
        self.add_button = big_button(self.tr("New work order"), "primary", self)
        self.add_button.clicked.connect(lambda: self.show_form(None))
        top.addWidget(self.add_button)
        self.back_button = big_button(self.tr("Back"), "", self)
        self.back_button.clicked.connect(self._on_back)
        top.addWidget(self.back_button)
        self.body.addLayout(top)
        middle = QHBoxLayout()
        middle.setSpacing(16)
        self.pages = QStackedWidget(self)
        middle.addWidget(self.pages, 1)
        right = QVBoxLayout()
        self.keys = NameKeys(self)
        self.keys.key_pressed.connect(self._on_key)
        right.addWidget(self.keys)
        right.addStretch(1)
        self.list_actions = QWidget(self)
        self.form_actions = QWidget(self)
        right.addWidget(self.list_actions)
        right.addWidget(self.form_actions)
        middle.addLayout(right)
        self.body.addLayout(middle, 1)
        self.values: dict[str, str] = {"search": ""}
        self.typing = "search"
        self.editing: dict[str, Any] | None = None
        self.rows: dict[str, QPushButton] = {}
        self._row_widgets: list[QWidget] = []
        self._build_list_page()
        self._build_form_page()
        self.form_actions.hide()

    # ------------------------------------------------------------------ the list
    def _build_list_page(self) -> None:
        page = QWidget(self)
        column = QVBoxLayout(page)
        column.setContentsMargins(0, 0, 0, 0)
        search = QHBoxLayout()
        self.search_field_button = self._field_button("search", page)
        search.addWidget(self.search_field_button, 1)
        self.search_button = big_button(self.tr("Search"), "primary", page)
        self.search_button.clicked.connect(
            lambda: self.search_requested.emit(self.values.get("search", "").strip())
        )
        search.addWidget(self.search_button)
        column.addLayout(search)
        self.list_rows = QVBoxLayout()
        self.list_rows.setSpacing(4)
        column.addLayout(self.list_rows)
        self.empty_text = QLabel(self.tr("No work order found."), page)
        column.addWidget(self.empty_text)
        column.addStretch(1)
        paging = QHBoxLayout(self.list_actions)
        paging.setContentsMargins(0, 0, 0, 0)
        self.previous_button = big_button(self.tr("Previous"), "", self.list_actions)
        self.previous_button.clicked.connect(self.previous_requested.emit)
        paging.addWidget(self.previous_button)
        self.page_text = QLabel(self.list_actions)
        self.page_text.setAlignment(Qt.AlignmentFlag.AlignCenter)
        paging.addWidget(self.page_text, 1)
        self.next_button = big_button(self.tr("Next"), "", self.list_actions)
        self.next_button.clicked.connect(self.next_requested.emit)
        paging.addWidget(self.next_button)
        self.list_page = page
        self.pages.addWidget(page)

    def show_list(
        self, rows: list[dict[str, Any]], words: dict[str, str], page: int, has_next: bool
    ) -> None:
        """One page of work orders (`page` counts from 1); `words`: each row's text by
        number (the flow writes dates in the site's zone). Each row opens its form."""
        for widget in self._row_widgets:
            self.list_rows.removeWidget(widget)
            widget.hide()
            widget.deleteLater()
        self._row_widgets = []
        self.rows = {}
        for row in rows:
            number = str(row["number"])
            button = big_button(words.get(number, number), "", self.list_page)
            button.setMinimumHeight(TOUCH)
            button.setStyleSheet("text-align: left; padding-left: 16px; font-size: 19px;")
            button.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
            button.clicked.connect(lambda _checked=False, r=row: self.show_form(r))
            self.list_rows.addWidget(button)
            button.show()  # rebuilt while on screen: shown now
            self._row_widgets.append(button)
            self.rows[number] = button
        self.empty_text.setVisible(not rows)
        self.page_text.setText(self.tr("Page {n}").format(n=page))
        self.previous_button.setEnabled(page > 1)
        self.next_button.setEnabled(has_next)
        self._choose_field("search")
        self._show_page(self.list_page)
        self.title.setText(self.tr("Work orders"))

    # ------------------------------------------------------------------ the form
    def _build_form_page(self) -> None:
        """Two fields a row, each under its name (and the server's reason beside the name):
        eight fields of touch height fit beside the keys at 1280x800 only so."""
        page = QWidget(self)
        grid = QGridLayout(page)
        grid.setContentsMargins(0, 0, 0, 0)
        grid.setVerticalSpacing(6)
        grid.setHorizontalSpacing(12)
        grid.setColumnStretch(0, 1)
        grid.setColumnStretch(1, 1)
        self.field_buttons: dict[str, FieldButton] = {}
        self.problem_labels: dict[str, ProblemLabel] = {}
        self.route_buttons: dict[str, QPushButton] = {}
        names = {
            "number": self.tr("Number"),
            "mo_number": self.tr("MO number"),
            "article": self.tr("Item"),
            "destination": self.tr("Destination"),
            "line": self.tr("Line"),
            "route": self.tr("Route"),
            "target_qty": self.tr("Target"),
            "due": self.tr("Due"),
        }
        for index, field in enumerate(FORM_FIELDS):
            grid.addWidget(self._field_cell(field, names[field], page), index // 2, index % 2)
        grid.setRowStretch(len(FORM_FIELDS) // 2, 1)
        actions = QHBoxLayout(self.form_actions)
        actions.setContentsMargins(0, 0, 0, 0)
        self.save_button = big_button(self.tr("Save"), "go", self.form_actions)
        self.save_button.clicked.connect(self._on_save)
        actions.addWidget(self.save_button, 1)
        self.cancel_order_button = big_button(
            self.tr("Cancel the work order"), "caution", self.form_actions
        )
        self.cancel_order_button.clicked.connect(lambda: self.cancel_requested.emit(self.editing))
        actions.addWidget(self.cancel_order_button)
        self.form_page = page
        self.pages.addWidget(page)

    def _field_cell(self, field: str, name: str, page: QWidget) -> QWidget:
        """A field under its name, the server's reason for refusing it beside the name."""
        cell = QWidget(page)
        column = QVBoxLayout(cell)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(2)
        heading = QWidget(cell)
        heading.setFixedHeight(36)
        # A long reason is cut rather than making the row (and the window) taller.
        heading.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Fixed)
        words = QHBoxLayout(heading)
        words.setContentsMargins(0, 0, 0, 0)
        words.addWidget(QLabel(f"<b>{name}</b>", heading))
        problem = ProblemLabel(heading)
        problem.tapped.connect(lambda reason: self.banner.show_message(ERROR, reason))
        words.addWidget(problem, 1)
        column.addWidget(heading)
        self.problem_labels[field] = problem
        if field == "route":
            holder = QWidget(cell)
            choices = QHBoxLayout(holder)
            choices.setContentsMargins(0, 0, 0, 0)
            choices.setSpacing(4)
            for route in sorted(ROUTES):
                button = big_button(route, "", holder)
                button.setCheckable(True)
                button.setMinimumHeight(TOUCH)
                button.clicked.connect(lambda _checked=False, r=route: self._choose_route(r))
                choices.addWidget(button)
                self.route_buttons[route] = button
            column.addWidget(holder)
        else:
            column.addWidget(self._field_button(field, cell))
        return cell

    def _field_button(self, field: str, parent: QWidget) -> FieldButton:
        """A text field: tap it, then type with the keys."""
        button = FieldButton(parent)
        button.setCheckable(True)
        button.setMinimumHeight(TOUCH)
        button.setStyleSheet(_FIELD_STYLE.format(color=""))
        button.clicked.connect(lambda _checked=False, f=field: self._choose_field(f))
        # A long item never widens the window: the text is cut at the field's edge.
        button.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        if field != "search":
            self.field_buttons[field] = button
        return button

    def show_form(self, row: dict[str, Any] | None) -> None:
        """An empty form for a new work order, or one made already (target and due only)."""
        self.editing = row
        self.banner.clear()
        self.clear_problems()
        due = "" if row is None or not row.get("due") else str(row["due"])[:10]
        self.values = {
            "search": self.values.get("search", ""),
            **{
                field: "" if row is None else str(row.get(field) or "")
                for field in FORM_FIELDS
                if field != "due"
            },
            "due": due,
        }
        if row is None:
            self.values["route"] = sorted(ROUTES)[0]
        for field, button in self.field_buttons.items():
            self._show_typed(field, button)
            button.setEnabled(row is None or field in EDITABLE)
        for route_button in self.route_buttons.values():
            route_button.setEnabled(row is None)
        self._choose_route(self.values["route"])
        withdrawn = row is not None and str(row.get("status")) in {"CANCELLED", "CLOSED"}
        self.save_button.setEnabled(not withdrawn)
        self.cancel_order_button.setVisible(row is not None and not withdrawn)
        self.title.setText(
            self.tr("New work order")
            if row is None
            else self.tr("Work order {number}").format(number=row["number"])
        )
        self._choose_field("number" if row is None else "target_qty")
        self._show_page(self.form_page)

    def form_values(self) -> dict[str, Any]:
        """What the form holds, as the service takes it (a target typed is a whole number)."""
        target = self.values.get("target_qty", "").strip()
        values: dict[str, Any] = {
            field: self.values.get(field, "").strip()
            for field in FORM_FIELDS
            if field not in {"target_qty", "due"}
        }
        values["target_qty"] = int(target) if target else None
        values["due"] = self.values.get("due", "").strip() or None
        return values

    def show_problems(self, problems: list[tuple[str, str]]) -> None:
        """Each (field, words) next to its field; a field not on the form goes under Number."""
        self.clear_problems()
        for field, words in problems:
            label = self.problem_labels.get(field, self.problem_labels["number"])
            label.show_reason(f"{label.reason} {words}".strip())

    def clear_problems(self) -> None:
        for label in self.problem_labels.values():
            label.show_reason("")

    def problem_text(self, field: str) -> str:
        """The whole reason beside `field` (drawn cut with "…" if it is too long)."""
        return self.problem_labels[field].reason

    def is_showing_form(self) -> bool:
        return self.pages.currentWidget() is self.form_page

    def _show_page(self, page: QWidget) -> None:
        # The one going first: both shown for a moment would make the window taller for good.
        shown, hidden = (
            (self.list_actions, self.form_actions)
            if page is self.list_page
            else (self.form_actions, self.list_actions)
        )
        hidden.hide()
        self.add_button.setVisible(page is self.list_page)
        self.pages.setCurrentWidget(page)
        shown.show()

    def _on_save(self) -> None:
        self.save_requested.emit({**self.form_values(), "row": self.editing})

    def _on_back(self) -> None:
        if self.is_showing_form():
            self.banner.clear()
            self.clear_problems()
            self._show_page(self.list_page)
            self.title.setText(self.tr("Work orders"))
            self._choose_field("search")
            return
        self.back_requested.emit()

    # ------------------------------------------------------------------ typing
    def _choose_route(self, route: str) -> None:
        self.values["route"] = route
        for choice, button in self.route_buttons.items():
            button.setChecked(choice == route)

    def _choose_field(self, field: str) -> None:
        self.typing = field
        self.search_field_button.setChecked(field == "search")
        for name, button in self.field_buttons.items():
            button.setChecked(name == field)

    def _on_key(self, key: str) -> None:
        field = self.typing
        button = self.search_field_button if field == "search" else self.field_buttons[field]
        if not button.isEnabled():
            return
        before = self.values.get(field, "")
        longest = _LONGEST[field]
        if key in {KEY_BACKSPACE, KEY_CLEAR}:
            value = apply_key(before, key, longest)
        elif field == "target_qty":
            value = before + key if key in _DIGITS and len(before) < longest else before
        elif field == "due":
            allowed = key in _DIGITS or key == "-"
            value = before + key if allowed and len(before) < longest else before
        elif field == "search":  # any part of a number, an item or a line: as typed
            value = before + key if len(before) < longest else before
        elif field in _CODES:
            value = before + key if key != KEY_SPACE and len(before) < longest else before
        elif key == KEY_SPACE and (not before or before.endswith(KEY_SPACE)):
            value = before  # no leading or double spaces
        else:  # an item or a destination, as the keys show it (an ERP's capitals)
            value = before + key if len(before) < longest else before
        self.values[field] = value
        self._show_typed(field, button)

    def _show_typed(self, field: str, button: FieldButton) -> None:
        """A field's text; an empty due field shows the date's form in grey."""
        value = self.values.get(field, "")
        hint = field == "due" and not value
        button.setStyleSheet(_FIELD_STYLE.format(color=_HINT_COLOR if hint else ""))
        button.show_value(self.due_hint() if hint else value)

    def due_hint(self) -> str:
        """The date's form, shown in the due field while it is empty."""
        return self.tr("YYYY-MM-DD")

    def type_text(self, field: str, text: str) -> None:
        """Type `text` into `field` key by key, as a finger would (tests, demos)."""
        self._choose_field(field)
        self._on_key(KEY_CLEAR)
        for character in text:
            self._on_key(character.upper() if character != " " else KEY_SPACE)


class FieldButton(QPushButton):
    """A text field: tap it, then type with the keys. A text longer than the field shows its
    end, where the typing is, after "…"; the room is what the button's own size hint says
    its frame and padding leave, to the pixel, fitted again when the field is resized."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAutoDefault(False)
        self.value = ""

    def show_value(self, value: str) -> None:
        self.value = value
        self._fit()

    def _fit(self) -> None:
        self.setText(self.value)
        metrics = self.fontMetrics()
        room = self.width() - (super().sizeHint().width() - metrics.horizontalAdvance(self.value))
        while room > 0 and super().sizeHint().width() > self.width():
            self.setText(metrics.elidedText(self.value, Qt.TextElideMode.ElideLeft, room))
            room -= 1

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._fit()
