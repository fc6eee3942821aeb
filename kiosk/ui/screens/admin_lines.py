"""The admin's Lines screen: the site's lines as this kiosk knows them; add, rename, retire.

The list is the kiosk's own copy (every line comes with the feed); a change is a request
the server checks and answers with the changed row. The same keys as the People screen.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from kiosk.domain.roles import Department
from kiosk.ui.screens.base import Screen
from kiosk.ui.widgets.style import big_button
from kiosk.ui.widgets.text_keys import TOUCH, NameKeys, apply_key

LINES_PAGE_SIZE = 6


@dataclass(frozen=True)
class LineRow:
    code: str
    name: str
    department: str
    active: bool


class LinesScreen(Screen):
    back_requested = Signal()
    save_requested = Signal(object)  # {"code", "name", "department", "row": LineRow | None}
    deactivate_requested = Signal(object)  # the LineRow

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        top = QHBoxLayout()
        self.title = QLabel(self.tr("Lines"), self)
        self.title.setObjectName("title")
        top.addWidget(self.title, 1)
        self.add_button = big_button(self.tr("Add a line"), "primary", self)
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
        actions = QHBoxLayout()
        self.save_button = big_button(self.tr("Save"), "go", self)
        self.save_button.clicked.connect(self._on_save)
        actions.addWidget(self.save_button, 1)
        self.deactivate_button = big_button(self.tr("Deactivate"), "caution", self)
        self.deactivate_button.clicked.connect(lambda: self.deactivate_requested.emit(self.editing))
        actions.addWidget(self.deactivate_button)
        self.previous_button = big_button(self.tr("Previous"), "", self)
        self.previous_button.clicked.connect(lambda: self._turn(-1))
        actions.addWidget(self.previous_button)
        self.next_button = big_button(self.tr("Next"), "", self)
        self.next_button.clicked.connect(lambda: self._turn(1))
        actions.addWidget(self.next_button)
        right.addLayout(actions)
        middle.addLayout(right)
        self.body.addLayout(middle, 1)
        self._build_list()
        self._build_form()
        self.lines: list[LineRow] = []
        self.page = 0
        self.rows: dict[str, QPushButton] = {}
        self.editing: LineRow | None = None
        self.values: dict[str, str] = {"code": "", "name": "", "department": ""}
        self.typing = "code"
        self._show_page(self.list_page)

    def _build_list(self) -> None:
        self.list_page = QWidget(self)
        self._list = QVBoxLayout(self.list_page)
        self._list.setContentsMargins(0, 0, 0, 0)
        self._list.setSpacing(4)
        self._list.addStretch(1)
        self.pages.addWidget(self.list_page)

    def _build_form(self) -> None:
        page = QWidget(self)
        grid = QGridLayout(page)
        grid.setContentsMargins(0, 0, 0, 0)
        grid.setVerticalSpacing(4)
        grid.setColumnStretch(1, 1)
        names = {
            "code": self.tr("Code"),
            "name": self.tr("Name"),
            "department": self.tr("Department"),
        }
        self.field_buttons: dict[str, QPushButton] = {}
        self.problem_labels: dict[str, QLabel] = {}
        self.department_buttons: dict[str, QPushButton] = {}
        for row, field in enumerate(("code", "name", "department")):
            caption = QWidget(page)
            caption.setFixedWidth(165)
            words = QVBoxLayout(caption)
            words.setContentsMargins(0, 0, 0, 0)
            words.addWidget(QLabel(f"<b>{names[field]}</b>", caption))
            problem = QLabel(caption)
            problem.setStyleSheet("color: #b3261e; font-size: 14px; font-weight: bold;")
            problem.setWordWrap(True)
            words.addWidget(problem)
            words.addStretch(1)
            self.problem_labels[field] = problem
            grid.addWidget(caption, row, 0)
            if field == "department":
                holder = QWidget(page)
                holder.setStyleSheet("QPushButton { padding: 0 2px; font-size: 16px; }")
                line = QGridLayout(holder)
                line.setContentsMargins(0, 0, 0, 0)
                line.setSpacing(4)
                for index, department in enumerate(Department):
                    button = big_button(department.value, "", holder)
                    button.setCheckable(True)
                    button.setMinimumHeight(TOUCH)
                    button.clicked.connect(
                        lambda _checked=False, v=department.value: self._choose_department(v)
                    )
                    line.addWidget(button, 0, index)
                    self.department_buttons[department.value] = button
                grid.addWidget(holder, row, 1)
                continue
            button = big_button("", "", page)
            button.setCheckable(True)
            button.setMinimumHeight(TOUCH)
            button.setStyleSheet("text-align: left; padding-left: 16px;")
            button.clicked.connect(lambda _checked=False, f=field: self._choose_field(f))
            self.field_buttons[field] = button
            grid.addWidget(button, row, 1)
        grid.setRowStretch(3, 1)
        self.form_page = page
        self.pages.addWidget(page)

    # ------------------------------------------------------------------ the list
    def show_lines(self, lines: list[LineRow], focus: str | None = None) -> None:
        """The lines, at the page that holds `focus` (the line just changed), if given."""
        self.lines = lines
        codes = [line.code for line in lines]
        if focus in codes:
            self.page = codes.index(focus) // LINES_PAGE_SIZE
        self.page = min(self.page, max(0, (len(lines) - 1) // LINES_PAGE_SIZE))
        self._fill()
        self._show_page(self.list_page)

    def _turn(self, step: int) -> None:
        self.page += step
        self._fill()

    def _fill(self) -> None:
        for button in self.rows.values():
            self._list.removeWidget(button)
            button.hide()
            button.deleteLater()
        self.rows = {}
        start = self.page * LINES_PAGE_SIZE
        for index, line in enumerate(self.lines[start : start + LINES_PAGE_SIZE]):
            state = "" if line.active else " · " + self.tr("deactivated")
            button = big_button(
                f"{line.code} · {line.name} · {line.department}{state}", "", self.list_page
            )
            button.setMinimumHeight(TOUCH)
            button.setStyleSheet("text-align: left; padding-left: 16px; font-size: 19px;")
            button.clicked.connect(lambda _checked=False, r=line: self.show_form(r))
            self._list.insertWidget(index, button)
            button.show()
            self.rows[line.code] = button
        self.previous_button.setEnabled(self.page > 0)
        self.next_button.setEnabled(start + LINES_PAGE_SIZE < len(self.lines))

    # ------------------------------------------------------------------ the form
    def show_form(self, row: LineRow | None) -> None:
        """A new line (code, name, department), or a line to rename or deactivate."""
        self.editing = row
        self.banner.clear()
        self.clear_problems()
        self.values = {
            "code": "" if row is None else row.code,
            "name": "" if row is None else row.name,
            "department": "" if row is None else row.department,
        }
        for field in ("code", "name"):
            self.field_buttons[field].setText(self.values[field])
        self.field_buttons["code"].setEnabled(row is None)
        for button in self.department_buttons.values():
            button.setEnabled(row is None)  # a line stays in its department
        self._choose_department(self.values["department"])
        self.title.setText(self.tr("Add a line") if row is None else row.code)
        self._choose_field("code" if row is None else "name")
        self._show_page(self.form_page)

    def show_problems(self, problems: list[tuple[str, str]]) -> None:
        self.clear_problems()
        for field, words in problems:
            label = self.problem_labels.get(field, self.problem_labels["name"])
            label.setText(f"{label.text()} {words}".strip())

    def clear_problems(self) -> None:
        for label in self.problem_labels.values():
            label.clear()

    def problem_text(self, field: str) -> str:
        return self.problem_labels[field].text()

    def is_showing_form(self) -> bool:
        return self.pages.currentWidget() is self.form_page

    def _show_page(self, page: QWidget) -> None:
        form = page is self.form_page
        for button in (self.previous_button, self.next_button, self.add_button):
            button.setVisible(not form)
        self.save_button.setVisible(form)
        self.deactivate_button.setVisible(form and self.editing is not None)
        self.pages.setCurrentWidget(page)
        if not form:
            self.title.setText(self.tr("Lines"))

    def _on_back(self) -> None:
        if self.is_showing_form():
            self.banner.clear()
            self._show_page(self.list_page)
            return
        self.back_requested.emit()

    def _on_save(self) -> None:
        self.save_requested.emit(
            {
                "code": self.values["code"].strip(),
                "name": self.values["name"].strip(),
                "department": self.values["department"],
                "row": self.editing,
            }
        )

    # ------------------------------------------------------------------ typing
    def _choose_department(self, value: str) -> None:
        self.values["department"] = value
        for choice, button in self.department_buttons.items():
            button.setChecked(choice == value)

    def _choose_field(self, field: str) -> None:
        self.typing = field
        for name, button in self.field_buttons.items():
            button.setChecked(name == field)

    def _on_key(self, key: str) -> None:
        field = self.typing
        if not self.field_buttons[field].isEnabled():
            return
        before = self.values[field]
        if field == "code":
            value = apply_key(before, key, 32).upper().replace(" ", "")
        else:
            value = apply_key(before, key, 100)
        self.values[field] = value
        self.field_buttons[field].setText(value)
