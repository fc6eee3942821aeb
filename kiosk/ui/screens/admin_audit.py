"""The admin's Audit viewer: the central audit filtered by person, line, kind and day, paged,
each entry opened at its details, the entries found exported to CSV.

Filters are typed with the on-screen keys (no keyboard on the floor). The screen only shows
and asks; the flow reads the server and writes the export.
"""

from __future__ import annotations

import json
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from kiosk.ui.screens.base import Screen, scroll_column
from kiosk.ui.widgets.style import big_button
from kiosk.ui.widgets.text_keys import TextKeys, apply_text_key

FILTERS = ("person", "line", "kind", "day")  # the server's names for them
DETAILS_MAX_PX = 200  # the opened entry scrolls: the list and the page buttons stay on screen


class FilterButton(QPushButton):
    """A filter's name over its value. A value wider than the button is cut at one end with
    "…": at its start while it is typed (the end, where the typing is, shows), at its end
    otherwise; the tooltip has it whole. The buttons share the row evenly, whatever typed."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAutoDefault(False)
        self.setSizePolicy(QSizePolicy.Policy.Ignored, self.sizePolicy().verticalPolicy())
        self._name = ""
        self._value = ""
        self._typing = False

    def show_filter(self, name: str, value: str, *, typing: bool) -> None:
        self._name, self._value, self._typing = name, value, typing
        self._fit()

    def _fit(self) -> None:
        self.setText(f"{self._name}\n{self._value}")
        metrics = self.fontMetrics()
        lines = self.text().split("\n")
        # What the style adds around the text (padding, frame), measured, not guessed.
        around = super().sizeHint().width() - max(metrics.horizontalAdvance(t) for t in lines)
        room = self.width() - around
        mode = Qt.TextElideMode.ElideLeft if self._typing else Qt.TextElideMode.ElideRight
        shown = metrics.elidedText(self._value, mode, max(room, 0))
        if shown != self._value:
            self.setText(f"{self._name}\n{shown}")
        self.setToolTip(self._value if shown != self._value else "")

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._fit()


class AuditScreen(Screen):
    back_requested = Signal()
    search_requested = Signal()  # the filters changed: the first page again
    next_requested = Signal()
    previous_requested = Signal()
    export_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        top = QHBoxLayout()
        title = QLabel(self.tr("Audit"), self)
        title.setObjectName("title")
        top.addWidget(title, 1)
        self.export_button = big_button(self.tr("Export to CSV"), "primary", self)
        self.export_button.clicked.connect(self.export_requested.emit)
        top.addWidget(self.export_button)
        self.back_button = big_button(self.tr("Back"), "", self)
        self.back_button.clicked.connect(self._on_back)
        top.addWidget(self.back_button)
        self.body.addLayout(top)
        self._build_filters()
        # The list and the keys share one place: the screen's size never changes between them.
        self.middle = QStackedWidget(self)
        self.list_page = QWidget(self.middle)
        list_layout = QVBoxLayout(self.list_page)
        list_layout.setContentsMargins(0, 0, 0, 0)
        self.details_area = QScrollArea(self.list_page)
        self.details_area.setWidgetResizable(True)
        self.details_area.setFrameShape(QScrollArea.Shape.NoFrame)
        self.details_area.setMaximumHeight(DETAILS_MAX_PX)
        self.details = QLabel(self.details_area)
        self.details.setWordWrap(True)
        self.details_area.setWidget(self.details)
        self.details_area.hide()
        list_layout.addWidget(self.details_area)
        self._scroll, self._rows = scroll_column(self.list_page, spacing=2)
        list_layout.addWidget(self._scroll, 1)
        self.pages = QWidget(self.list_page)
        pages = QHBoxLayout(self.pages)
        pages.setContentsMargins(0, 0, 0, 0)
        self.previous_button = big_button(self.tr("Previous"), "", self.pages)
        self.previous_button.clicked.connect(self.previous_requested.emit)
        pages.addWidget(self.previous_button)
        self.page_label = QLabel(self.pages)
        pages.addWidget(self.page_label, 1)
        self.next_button = big_button(self.tr("Next"), "", self.pages)
        self.next_button.clicked.connect(self.next_requested.emit)
        pages.addWidget(self.next_button)
        list_layout.addWidget(self.pages)
        self.middle.addWidget(self.list_page)
        self.middle.addWidget(self.keys_panel)
        self.body.addWidget(self.middle, 1)
        self._row_widgets: list[QWidget] = []
        self.row_texts: list[str] = []
        self.open_buttons: list[QPushButton] = []
        self._entries: list[dict[str, Any]] = []
        self._show_filters()

    # ------------------------------------------------------------------ filters
    def _build_filters(self) -> None:
        """A button for each filter, and the keys that type the one being edited."""
        self.filters: dict[str, str] = dict.fromkeys(FILTERS, "")
        self.editing: str | None = None
        row = QHBoxLayout()
        self.filter_buttons: dict[str, FilterButton] = {}
        for name in FILTERS:
            button = FilterButton(self)
            button.clicked.connect(lambda _checked=False, n=name: self.edit_filter(n))
            row.addWidget(button, 1)
            self.filter_buttons[name] = button
        self.clear_button = big_button(self.tr("Clear\nfilters"), "", self)
        self.clear_button.clicked.connect(self._on_clear)
        row.addWidget(self.clear_button)
        # While a filter is typed, Search takes the place of Clear (the keys take the width).
        self.search_button = big_button(self.tr("Search"), "go", self)
        self.search_button.clicked.connect(self._on_search)
        row.addWidget(self.search_button)
        self.search_button.hide()
        self.body.addLayout(row)
        self.keys_panel = QWidget(self)  # a page of `middle`
        keys_layout = QHBoxLayout(self.keys_panel)
        keys_layout.setContentsMargins(0, 0, 0, 0)
        self.keys = TextKeys(self.keys_panel, scheme_key=False)  # no address here
        self.keys.key_pressed.connect(self._on_key)
        keys_layout.addWidget(self.keys, 1)

    def filter_words(self, name: str) -> str:
        return {
            "person": self.tr("Person"),
            "line": self.tr("Line"),
            "kind": self.tr("Kind"),
            "day": self.tr("Day"),
        }[name]

    def _show_filters(self) -> None:
        for name, button in self.filter_buttons.items():
            value = self.filters[name] or self.tr("any")
            button.show_filter(self.filter_words(name), value, typing=name == self.editing)

    def edit_filter(self, name: str) -> None:
        """Type this filter with the keys; Search reads the list again."""
        self.editing = name
        self.details_area.hide()
        self.middle.setCurrentWidget(self.keys_panel)  # the keys take the list's room
        self.clear_button.hide()
        self.search_button.show()
        self._show_filters()

    def _on_key(self, key: str) -> None:
        if self.editing is None:
            return
        value = apply_text_key(self.filters[self.editing], key, max_length=64)
        if self.editing in {"person", "line"}:
            value = value.upper()
        self.filters[self.editing] = value
        self._show_filters()

    def _on_search(self) -> None:
        self.editing = None
        self.middle.setCurrentWidget(self.list_page)
        self.search_button.hide()
        self.clear_button.show()
        self._show_filters()
        self.search_requested.emit()

    def _on_clear(self) -> None:
        self.filters = dict.fromkeys(FILTERS, "")
        self._on_search()

    def _on_back(self) -> None:
        self.editing = None
        self.middle.setCurrentWidget(self.list_page)
        self.search_button.hide()
        self.clear_button.show()
        self.details_area.hide()
        self.back_requested.emit()

    def active_filters(self) -> dict[str, str]:
        return {name: value for name, value in self.filters.items() if value}

    # ------------------------------------------------------------------ the page
    def show_page(
        self, entries: list[dict[str, Any]], texts: list[str], page: int, has_next: bool
    ) -> None:
        """One page of entries, newest first; `texts` are the flow's words for each."""
        for widget in self._row_widgets:
            self._rows.removeWidget(widget)
            widget.hide()
            widget.deleteLater()
        self._row_widgets = []
        self.open_buttons = []
        self.row_texts = list(texts)
        self._entries = list(entries)
        self.details_area.hide()
        if not entries:
            empty = QLabel(self.tr("No entries match these filters."), self)
            self._rows.addWidget(empty)
            self._row_widgets.append(empty)
        for index, text in enumerate(texts):
            row = QWidget(self)
            layout = QHBoxLayout(row)
            layout.setContentsMargins(0, 0, 0, 0)
            label = QLabel(text, row)
            label.setWordWrap(True)
            layout.addWidget(label, 1)
            button = big_button(self.tr("Open"), "", row)
            button.clicked.connect(lambda _checked=False, i=index: self.open_entry(i))
            layout.addWidget(button)
            self.open_buttons.append(button)
            self._rows.addWidget(row)
            row.show()
            self._row_widgets.append(row)
        self.previous_button.setEnabled(page > 1)
        self.next_button.setEnabled(has_next)
        self.page_label.setText(self.tr("Page {page}").format(page=page))

    def open_entry(self, index: int) -> None:
        """The entry's every field, and its details as the server keeps them."""
        entry = self._entries[index]
        details = json.dumps(entry.get("details") or {}, ensure_ascii=False, sort_keys=True)
        lines = [f"{key}: {entry.get(key) or '—'}" for key in ("at", "actor", "action")]
        lines.append(self.tr("details: {details}").format(details=details))  # what changed
        lines += [
            f"{key}: {entry.get(key) or '—'}"
            for key in ("outcome", "entity", "entity_id", "device", "line", "source", "key")
        ]
        self.details.setText("\n".join(lines))
        self.details_area.show()
