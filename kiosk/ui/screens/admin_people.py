"""The admin's People screen: the site's people paged and searched, and the person form.

Two pages: the list (a page of people, searched by part of a name or an employee number)
and the form (add, or edit one person: name, role, department, lines, their own screen
language; deactivate; reset the PIN). Both type with big on-screen keys on the right, for
a gloved finger; the field the keys type into is the one pressed in. The server's reason
for refusing a field is shown next to that field (`show_problems`). The flow
(kiosk.ui.flows.admin_people) asks.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt, Signal
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

from kiosk.domain.roles import Department, Role
from kiosk.ui.labels import role_label
from kiosk.ui.screens.base import Screen
from kiosk.ui.widgets.keypad import KEY_CLEAR
from kiosk.ui.widgets.style import big_button
from kiosk.ui.widgets.text_keys import KEY_SPACE, TOUCH, NameKeys, apply_key

PAGE_SIZE = 5  # rows of 64 px that fit beside the keys at 1280x800
_LONGEST = {"search": 40, "employee_no": 32, "name": 100, "lines": 200}
FORM_FIELDS = ("employee_no", "name", "role", "department", "lines", "language")
_PER_ROW = {"role": 3, "department": 7, "language": 3}  # choice buttons in a row


class PeopleScreen(Screen):
    back_requested = Signal()
    badges_requested = Signal()
    search_requested = Signal(str)
    previous_requested = Signal()
    next_requested = Signal()
    edit_requested = Signal(object)  # the person's row (dict); None: a new person
    save_requested = Signal(object)  # the form's values (dict) and "row" (None: new)
    deactivate_requested = Signal(object)  # the person's row
    reset_pin_requested = Signal(object)  # the person's row

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        top = QHBoxLayout()
        self.title = QLabel(self.tr("People"), self)
        self.title.setObjectName("title")
        top.addWidget(self.title, 1)
        self.badges_button = big_button(self.tr("Badges"), "", self)
        self.badges_button.clicked.connect(self.badges_requested.emit)
        top.addWidget(self.badges_button)
        self.add_button = big_button(self.tr("Add a person"), "primary", self)
        self.add_button.clicked.connect(lambda: self.edit_requested.emit(None))
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
        self._build_list_page()
        self._build_form_page()
        self.form_actions.hide()
        self.values: dict[str, str] = {"search": ""}
        self.typing = "search"
        self.editing: dict[str, Any] | None = None
        self.rows: dict[str, QPushButton] = {}
        self._row_widgets: list[QWidget] = []

    # ------------------------------------------------------------------ the list
    def _build_list_page(self) -> None:
        page = QWidget(self)
        column = QVBoxLayout(page)
        column.setContentsMargins(0, 0, 0, 0)
        search = QHBoxLayout()
        self.search_field = self._field_button("search", page)
        search.addWidget(self.search_field, 1)
        self.search_button = big_button(self.tr("Search"), "primary", page)
        self.search_button.clicked.connect(self._on_search)
        search.addWidget(self.search_button)
        column.addLayout(search)
        self.list_rows = QVBoxLayout()
        self.list_rows.setSpacing(4)
        column.addLayout(self.list_rows)
        self.empty_text = QLabel(self.tr("Nobody found."), page)
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

    def show_list(self, rows: list[dict[str, Any]], page: int, has_next: bool) -> None:
        """One page of people (`page` counts from 1); each row opens the person's form."""
        for widget in self._row_widgets:
            self.list_rows.removeWidget(widget)
            widget.hide()
            widget.deleteLater()
        self._row_widgets = []
        self.rows = {}
        for row in rows:
            button = big_button(self._row_words(row), "", self.list_page)
            button.setMinimumHeight(TOUCH)
            button.setStyleSheet("text-align: left; padding-left: 16px; font-size: 19px;")
            button.clicked.connect(lambda _checked=False, r=row: self.edit_requested.emit(r))
            self.list_rows.addWidget(button)
            button.show()  # rebuilt while on screen: shown now
            self._row_widgets.append(button)
            self.rows[str(row["employee_no"])] = button
        self.empty_text.setVisible(not rows)
        self.page_text.setText(self.tr("Page {n}").format(n=page))
        self.previous_button.setEnabled(page > 1)
        self.next_button.setEnabled(has_next)
        self._choose_field("search")
        self._show_page(self.list_page)
        self.title.setText(self.tr("People"))

    def _row_words(self, row: dict[str, Any]) -> str:
        """Two lines: who, then role, department, lines and what they still need."""
        parts = [_role_words(str(row.get("role", "")))]
        parts += [str(row["department"])] if row.get("department") else []
        parts += [" ".join(row.get("lines") or [])] if row.get("lines") else []
        if not row.get("active", True):
            parts.append(self.tr("deactivated"))
        elif not row.get("has_pin", True):
            parts.append(self.tr("no PIN yet"))
        return f"{row['employee_no']} · {row['name']}\n" + " · ".join(parts)

    def _on_search(self) -> None:
        self.search_requested.emit(self.values.get("search", "").strip())

    # ------------------------------------------------------------------ the form
    def _build_form_page(self) -> None:
        page = QWidget(self)
        # Every field TOUCH high with its 3 px borders (the kiosk's other buttons are 6 px
        # taller): the form's seven rows fit beside the keys at 1280x800, with room for a
        # reason of three lines under a field's name.
        page.setStyleSheet(f"QPushButton {{ min-height: {TOUCH - 6}px; }}")
        grid = QGridLayout(page)
        grid.setContentsMargins(0, 0, 0, 0)
        grid.setVerticalSpacing(2)
        grid.setHorizontalSpacing(8)
        grid.setColumnStretch(1, 1)
        self.field_buttons: dict[str, QPushButton] = {}
        self.problem_labels: dict[str, QLabel] = {}
        self.choice_buttons: dict[str, dict[str, QPushButton]] = {field: {} for field in _PER_ROW}
        self.role_buttons = self.choice_buttons["role"]
        self.department_buttons = self.choice_buttons["department"]
        # A person's own screen language ("": the kiosk's, as the kiosk's settings say).
        self.language_buttons = self.choice_buttons["language"]
        names = {
            "employee_no": self.tr("Employee no."),
            "name": self.tr("Name"),
            "role": self.tr("Role"),
            "department": self.tr("Department"),
            "lines": self.tr("Lines (codes)"),
            "language": self.tr("Language"),
        }
        for row, field in enumerate(FORM_FIELDS):
            # The field's name, and under it the server's reason when it refused the field.
            caption = QWidget(page)
            caption.setFixedWidth(172)  # "No. karyawan" in bold, whole
            # A long reason is cut rather than making the row (and the window) taller.
            caption.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Ignored)
            words = QVBoxLayout(caption)
            words.setContentsMargins(0, 0, 0, 0)
            words.setSpacing(0)
            words.addWidget(QLabel(f"<b>{names[field]}</b>", caption))
            problem = QLabel(caption)
            problem.setObjectName("fieldProblem")
            problem.setStyleSheet("color: #b3261e; font-size: 14px; font-weight: bold;")
            problem.setWordWrap(True)
            words.addWidget(problem)
            words.addStretch(1)
            grid.addWidget(caption, row, 0)
            self.problem_labels[field] = problem
            grid.addWidget(self._field_holder(field, page), row, 1)
        grid.setRowStretch(len(FORM_FIELDS), 1)
        actions = QHBoxLayout(self.form_actions)
        actions.setContentsMargins(0, 0, 0, 0)
        self.save_button = big_button(self.tr("Save"), "go", self.form_actions)
        self.save_button.clicked.connect(self._on_save)
        actions.addWidget(self.save_button, 1)
        self.reset_pin_button = big_button(self.tr("Reset PIN"), "", self.form_actions)
        self.reset_pin_button.clicked.connect(lambda: self.reset_pin_requested.emit(self.editing))
        actions.addWidget(self.reset_pin_button)
        self.deactivate_button = big_button(self.tr("Deactivate"), "caution", self.form_actions)
        self.deactivate_button.clicked.connect(lambda: self.deactivate_requested.emit(self.editing))
        actions.addWidget(self.deactivate_button)
        self.form_page = page
        self.pages.addWidget(page)

    def _field_holder(self, field: str, page: QWidget) -> QWidget:
        """What a field is changed with: a row (or two) of choices, or a text field."""
        if field == "role":
            return self._choices(page, [(r.value, role_label(r)) for r in Role], "role")
        if field == "department":
            choices = [("", self.tr("None")), *((d.value, d.value) for d in Department)]
            return self._choices(page, choices, "department")
        if field == "language":
            choices = [
                ("", self.tr("Kiosk's language")),
                ("en", self.tr("English")),
                ("id", self.tr("Bahasa Indonesia")),
            ]
            return self._choices(page, choices, "language")
        return self._field_button(field, page)

    def _choices(self, parent: QWidget, choices: list[tuple[str, str]], field: str) -> QWidget:
        holder = QWidget(parent)
        grid = QGridLayout(holder)
        grid.setContentsMargins(0, 0, 0, 0)
        grid.setHorizontalSpacing(4)
        grid.setVerticalSpacing(2)
        buttons = self.choice_buttons[field]
        per_row = _PER_ROW[field]
        holder.setStyleSheet("QPushButton { padding: 0 2px; font-size: 16px; min-width: 40px; }")
        for index, (value, words) in enumerate(choices):
            button = big_button(words, "", holder)
            button.setCheckable(True)
            button.setMinimumHeight(TOUCH)
            button.clicked.connect(lambda _checked=False, f=field, v=value: self._on_choice(f, v))
            grid.addWidget(button, index // per_row, index % per_row)
            buttons[value] = button
        return holder

    def _field_button(self, field: str, parent: QWidget) -> QPushButton:
        """A text field: tap it, then type with the keys."""
        button = big_button("", "", parent)
        button.setCheckable(True)
        button.setMinimumHeight(TOUCH)
        button.setStyleSheet("text-align: left; padding-left: 16px;")
        button.clicked.connect(lambda _checked=False, f=field: self._choose_field(f))
        if field == "search":
            self.search_field_button = button
        else:
            self.field_buttons[field] = button
        return button

    def show_form(self, row: dict[str, Any] | None) -> None:
        """An empty form for a new person, or the person's row to change."""
        self.editing = row
        self.banner.clear()
        self.clear_problems()
        self.values = {
            "search": self.values.get("search", ""),
            "employee_no": "" if row is None else str(row["employee_no"]),
            "name": "" if row is None else str(row["name"]),
            "role": Role.OPERATOR.value if row is None else str(row["role"]),
            "department": "" if row is None else str(row.get("department") or ""),
            "lines": "" if row is None else " ".join(row.get("lines") or []),
            "language": "" if row is None else str(row.get("language") or ""),
        }
        self.field_buttons["employee_no"].setEnabled(row is None)  # the key never changes
        for field in ("employee_no", "name", "lines"):
            self.field_buttons[field].setText(self.values[field])
        self._on_choice("role", self.values["role"])
        self._on_choice("department", self.values["department"])
        self._on_choice("language", self.values["language"])
        active = row is not None and bool(row.get("active", True))
        self.reset_pin_button.setVisible(active)
        self.deactivate_button.setVisible(active)
        self.title.setText(
            self.tr("Add a person")
            if row is None
            else self.tr("{name} ({employee_no})").format(
                name=row["name"], employee_no=row["employee_no"]
            )
        )
        self._choose_field("employee_no" if row is None else "name")
        self._show_page(self.form_page)

    def form_values(self) -> dict[str, Any]:
        """What the form holds, as the service takes it."""
        lines = [code for code in self.values.get("lines", "").split() if code]
        return {
            "employee_no": self.values.get("employee_no", "").strip(),
            "name": self.values.get("name", "").strip(),
            "role": self.values.get("role", ""),
            "department": self.values.get("department") or None,
            "lines": lines,
            "language": self.values.get("language") or None,  # None: the kiosk's
        }

    def show_problems(self, problems: list[tuple[str, str]]) -> None:
        """Each (field, words) next to its field; a field not on the form goes under Lines."""
        self.clear_problems()
        for field, words in problems:
            label = self.problem_labels.get(field, self.problem_labels["lines"])
            label.setText(f"{label.text()} {words}".strip())

    def clear_problems(self) -> None:
        for label in self.problem_labels.values():
            label.clear()

    def problem_text(self, field: str) -> str:
        return self.problem_labels[field].text()

    def _show_page(self, page: QWidget) -> None:
        # The one going first: both shown for a moment would make the window taller for good.
        shown, hidden = (
            (self.list_actions, self.form_actions)
            if page is self.list_page
            else (self.form_actions, self.list_actions)
        )
        hidden.hide()
        self.pages.setCurrentWidget(page)
        shown.show()

    def is_showing_form(self) -> bool:
        return self.pages.currentWidget() is self.form_page

    def _on_save(self) -> None:
        self.save_requested.emit({**self.form_values(), "row": self.editing})

    def _on_back(self) -> None:
        if self.is_showing_form():
            self.banner.clear()
            self.clear_problems()
            self._show_page(self.list_page)
            self.title.setText(self.tr("People"))
            self._choose_field("search")
            return
        self.back_requested.emit()

    # ------------------------------------------------------------------ typing
    def _on_choice(self, field: str, value: str) -> None:
        self.values[field] = value
        for choice, button in self.choice_buttons[field].items():
            button.setChecked(choice == value)

    def _choose_field(self, field: str) -> None:
        self.typing = field
        for name, button in (("search", self.search_field_button), *self.field_buttons.items()):
            button.setChecked(name == field)

    def _on_key(self, key: str) -> None:
        field = self.typing
        before = self.values.get(field, "")
        if field in {"employee_no", "lines", "search"} and len(key) == 1:
            value = before + key if len(before) < _LONGEST[field] else before
            if key == KEY_SPACE and field == "employee_no":
                value = before  # an employee number holds no space
        else:
            value = apply_key(before, key, _LONGEST.get(field, 100))
        self.values[field] = value
        if field == "search":
            self.search_field_button.setText(value)
        else:
            self.field_buttons[field].setText(value)

    def type_text(self, field: str, text: str) -> None:
        """Type `text` into `field` key by key, as a finger would (tests, demos)."""
        self._choose_field(field)
        self._on_key(KEY_CLEAR)
        for character in text:
            self._on_key(character.upper() if character != KEY_SPACE else KEY_SPACE)


def _role_words(value: str) -> str:
    try:
        return role_label(Role(value))
    except ValueError:
        return value
