"""Operator home: the line's work orders, what to do next first, and a way to find one."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from kiosk.services.views import WorkOrderView
from kiosk.ui.labels import status_label
from kiosk.ui.screens.base import Screen, scroll_column
from kiosk.ui.widgets.digit_entry import DigitEntryPage
from kiosk.ui.widgets.page_stack import PageStack
from kiosk.ui.widgets.style import big_button
from kiosk.ui.widgets.wrap_label import WrapLabel

WORK_ORDER_DIGITS = 12


class HomeScreen(Screen):
    work_order_chosen = Signal(object)  # work order id
    find_requested = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.pages = PageStack(self)
        self.body.addWidget(self.pages, 1)
        self.list_page = self._build_list_page()
        self.find_page = DigitEntryPage(
            self.tr("Type the work order number (the last digits are enough)"),
            masked=False,
            max_length=WORK_ORDER_DIGITS,
            prefix="",
            confirm_text=self.tr("Open"),
            parent=self,
        )
        self.find_page.submitted.connect(self._on_find_submitted)
        self.find_page.back_requested.connect(self.show_list)
        self.pages.addWidget(self.list_page)
        self.pages.addWidget(self.find_page)
        self.rows: dict[str, QPushButton] = {}
        self.order: list[str] = []

    def _build_list_page(self) -> QWidget:
        page = QWidget(self)
        layout = QVBoxLayout(page)
        top = QHBoxLayout()
        self.title = QLabel(self.tr("Work orders"), page)
        self.title.setObjectName("title")
        self.title.setWordWrap(True)
        top.addWidget(self.title, 1)
        self.kanban_button = big_button(self.tr("Kanban"), "", page)
        top.addWidget(self.kanban_button)
        self.find_button = big_button(self.tr("Find work order"), "primary", page)
        self.find_button.clicked.connect(self.show_find)
        top.addWidget(self.find_button)
        layout.addLayout(top)
        self.line_state = WrapLabel(parent=page)
        self.line_state.setObjectName("caption")
        layout.addWidget(self.line_state)
        self.empty_label = QLabel(
            self.tr("No open work orders on this line. Ask your supervisor for the next SPK."),
            page,
        )
        self.empty_label.setObjectName("subtitle")
        self.empty_label.setWordWrap(True)
        self.empty_label.hide()
        layout.addWidget(self.empty_label)
        self._scroll, self._rows_layout = scroll_column(page)
        layout.addWidget(self._scroll, 1)
        return page

    def set_work_orders(self, work_orders: list[WorkOrderView]) -> None:
        for row in self.rows.values():
            self._rows_layout.removeWidget(row)
            row.hide()
            row.deleteLater()
        self.rows = {}
        self.order = []
        for index, work_order in enumerate(work_orders):
            row = WorkOrderRow(*self._row_text(work_order, is_next=index == 0), parent=self)
            row.clicked.connect(
                lambda _checked=False, wo_id=work_order.id: self.work_order_chosen.emit(wo_id)
            )
            self._rows_layout.addWidget(row)
            row.show()
            self.rows[work_order.number] = row
            self.order.append(work_order.number)
        self.empty_label.setVisible(not work_orders)
        self._scroll.verticalScrollBar().setValue(0)  # "NEXT" is always in sight

    def _row_text(self, work_order: WorkOrderView, *, is_next: bool) -> tuple[str, str]:
        first = f"{work_order.number}    {status_label(work_order.status)}"
        if is_next:
            first = self.tr("NEXT") + " ➜  " + first
        second = self.tr("{article} · to {destination} · {good} / {target} good").format(
            article=work_order.article,
            destination=work_order.destination,
            good=work_order.good_qty,
            target=work_order.target_qty,
        )
        return first, second

    def show_list(self) -> None:
        self.find_page.clear()
        self.pages.setCurrentWidget(self.list_page)

    def is_showing_list(self) -> bool:
        return self.pages.currentWidget() is self.list_page

    def show_find(self) -> None:
        self.banner.clear()
        self.find_page.clear()
        self.pages.setCurrentWidget(self.find_page)
        self.find_page.setFocus()

    def _on_find_submitted(self, text: str) -> None:
        if text:
            self.find_requested.emit(text)


class WorkOrderRow(QPushButton):
    """A whole-row button: labels inside so long article names elide instead of widening it."""

    def __init__(self, first: str, second: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("workOrderRow")
        self.setAutoDefault(False)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(18, 8, 18, 8)
        self.first = QLabel(first, self)
        self.first.setObjectName("rowTitle")
        self.second = QLabel(second, self)
        self.second.setObjectName("rowDetail")
        for label in (self.first, self.second):
            label.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents, True)
            label.setMinimumWidth(1)
            layout.addWidget(label)
        self.setAccessibleName(f"{first} {second}")

    def text(self) -> str:
        return f"{self.first.text()}\n{self.second.text()}"
