"""The admin's Integration keys screen: the ERP's keys with their last use; a new key; a revoke.

The list comes from the server (only names and use: the keys themselves are kept nowhere).
"New key" opens a name field typed with the on-screen keys; the key the server makes is
shown by the flow once, in a card the admin must dismiss. The screen only shows.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from kiosk.ui.screens.base import Screen, scroll_column
from kiosk.ui.widgets.keypad import KEY_BACKSPACE, KEY_CLEAR
from kiosk.ui.widgets.style import big_button
from kiosk.ui.widgets.text_keys import KEY_SPACE, TOUCH, NameKeys

NAME_LONGEST = 64  # the server's rule: 1-64 letters, digits, '.', '_' or '-'


class KeysScreen(Screen):
    back_requested = Signal()
    create_requested = Signal(str)  # the new key's name
    revoke_requested = Signal(str)  # a key's name

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.name_value = ""
        top = QHBoxLayout()
        self.title = QLabel(self.tr("Integration keys"), self)
        self.title.setObjectName("title")
        top.addWidget(self.title, 1)
        self.new_button = big_button(self.tr("New key"), "primary", self)
        self.new_button.clicked.connect(self.show_create)
        top.addWidget(self.new_button)
        self.back_button = big_button(self.tr("Back"), "", self)
        self.back_button.clicked.connect(self._on_back)
        top.addWidget(self.back_button)
        self.body.addLayout(top)
        middle = QHBoxLayout()
        middle.setSpacing(16)
        left = QVBoxLayout()
        self.create_panel = QWidget(self)
        self.create_panel.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Maximum)
        self._build_create_panel()
        left.addWidget(self.create_panel)
        self.hint = QLabel(
            self.tr(
                "The site's ERP sends its data with a key. Each key is shown once when it is "
                "made; revoke a key that is lost or no longer used."
            ),
            self,
        )
        self.hint.setWordWrap(True)
        left.addWidget(self.hint)
        self._scroll, self._rows = scroll_column(self, spacing=4)
        left.addWidget(self._scroll, 1)
        middle.addLayout(left, 1)
        self.keys_panel = QWidget(self)
        right = QVBoxLayout(self.keys_panel)
        right.setContentsMargins(0, 0, 0, 0)
        self.keys = NameKeys(self.keys_panel)
        self.keys.key_pressed.connect(self._on_key)
        self.keys.buttons[KEY_SPACE].hide()  # a key's name holds no space
        right.addWidget(self.keys)
        right.addStretch(1)
        self.create_button = big_button(self.tr("Create the key"), "go", self.keys_panel)
        self.create_button.clicked.connect(
            lambda: self.create_requested.emit(self.name_value.strip())
        )
        right.addWidget(self.create_button)
        middle.addWidget(self.keys_panel)
        self.body.addLayout(middle, 1)
        self._row_widgets: list[QWidget] = []
        self.row_texts: dict[str, str] = {}  # key name -> its row's text
        self.revoke_buttons: dict[str, QPushButton] = {}
        self.hide_create()

    def _build_create_panel(self) -> None:
        layout = QHBoxLayout(self.create_panel)
        layout.setContentsMargins(0, 0, 0, 0)
        caption = QWidget(self.create_panel)
        caption.setFixedWidth(200)
        words = QVBoxLayout(caption)
        words.setContentsMargins(0, 0, 0, 0)
        words.setSpacing(0)
        heading = QLabel("<b>" + self.tr("Name of the new key") + "</b>", caption)
        heading.setWordWrap(True)
        words.addWidget(heading)
        self.name_problem = QLabel(caption)
        self.name_problem.setObjectName("fieldProblem")
        self.name_problem.setStyleSheet("color: #b3261e; font-size: 14px; font-weight: bold;")
        self.name_problem.setWordWrap(True)
        words.addWidget(self.name_problem)
        words.addStretch(1)
        layout.addWidget(caption)
        self.name_field = big_button("", "", self.create_panel)
        self.name_field.setCheckable(True)
        self.name_field.setChecked(True)
        self.name_field.setMinimumHeight(TOUCH)
        self.name_field.setStyleSheet("text-align: left; padding-left: 16px;")
        layout.addWidget(self.name_field, 1)

    # ------------------------------------------------------------------ the list
    def show_keys(self, rows: list[dict[str, Any]], words: dict[str, str]) -> None:
        """Rebuild the list; `words`: the flow's text of each key (name -> text)."""
        for widget in self._row_widgets:
            self._rows.removeWidget(widget)
            widget.hide()
            widget.deleteLater()
        self._row_widgets = []
        self.row_texts = {}
        self.revoke_buttons = {}
        if not rows:
            empty = QLabel(self.tr("No integration key yet."), self)
            self._rows.addWidget(empty)
            self._row_widgets.append(empty)
        for key in rows:
            name = str(key.get("name", ""))
            row = QWidget(self)
            layout = QHBoxLayout(row)
            layout.setContentsMargins(0, 2, 0, 2)
            text = words.get(name, name)
            label = QLabel(text, row)
            label.setWordWrap(True)
            layout.addWidget(label, 1)
            self.row_texts[name] = text
            if key.get("revoked_at") is None:
                revoke = big_button(self.tr("Revoke"), "caution", row)
                revoke.setMinimumHeight(TOUCH)
                revoke.clicked.connect(lambda _checked=False, n=name: self.revoke_requested.emit(n))
                layout.addWidget(revoke)
                self.revoke_buttons[name] = revoke
            self._rows.addWidget(row)
            row.show()
            self._row_widgets.append(row)

    # ------------------------------------------------------------------ a new key
    def show_create(self) -> None:
        """The name field and the keys; the list stays under them."""
        self.banner.clear()
        self.name_problem.clear()
        self.name_value = ""
        self.name_field.setText("")
        self.create_panel.show()
        self.keys_panel.show()
        self.hint.hide()
        self.new_button.hide()

    def hide_create(self) -> None:
        self.name_problem.clear()
        self.create_panel.hide()
        self.keys_panel.hide()
        self.hint.show()
        self.new_button.show()

    def is_creating(self) -> bool:
        return not self.create_panel.isHidden()

    def show_name_problem(self, words: str) -> None:
        self.name_problem.setText(words)

    def _on_back(self) -> None:
        if self.is_creating():
            self.banner.clear()
            self.hide_create()
            return
        self.back_requested.emit()

    def _on_key(self, key: str) -> None:
        value = self.name_value
        if key == KEY_BACKSPACE:
            value = value[:-1]
        elif key == KEY_CLEAR:
            value = ""
        elif len(key) == 1 and key != KEY_SPACE and len(value) < NAME_LONGEST:
            value += key.lower()  # a key's name reads as erp-prod
        self.name_value = value
        self.name_field.setText(value)
