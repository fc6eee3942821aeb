"""Badge enrolment (admin): pick a user, tap a badge to bind it; unbind a lost one."""

from __future__ import annotations

from PySide6.QtCore import QTimer, Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QWidget

from kiosk.services.views import BadgeHolderView
from kiosk.ui.labels import role_label
from kiosk.ui.screens.base import Screen, scroll_column
from kiosk.ui.widgets.style import big_button


class BadgeScreen(Screen):
    unbind_requested = Signal(object)  # user id
    back_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        top = QHBoxLayout()
        title = QLabel(self.tr("Badges"), self)
        title.setObjectName("title")
        top.addWidget(title, 1)
        self.back_button = big_button(self.tr("Back"), "", self)
        self.back_button.clicked.connect(self.back_requested.emit)
        top.addWidget(self.back_button)
        self.body.addLayout(top)
        self.waiting = QWidget(self)
        waiting_layout = QHBoxLayout(self.waiting)
        waiting_layout.setContentsMargins(0, 0, 0, 0)
        self.waiting_text = QLabel(self.waiting)
        self.waiting_text.setObjectName("subtitle")
        self.waiting_text.setWordWrap(True)
        waiting_layout.addWidget(self.waiting_text, 1)
        self.cancel_button = big_button(self.tr("Cancel"), "", self.waiting)
        self.cancel_button.clicked.connect(self.stop_waiting)
        waiting_layout.addWidget(self.cancel_button)
        self.body.addWidget(self.waiting)
        self.waiting.hide()
        self._scroll, self._rows = scroll_column(self)
        self.body.addWidget(self._scroll, 1)
        self._row_widgets: list[QWidget] = []
        self.bind_buttons: dict[str, QPushButton] = {}
        self.unbind_buttons: dict[str, QPushButton] = {}
        self._waiting_for: BadgeHolderView | None = None

    @property
    def waiting_for(self) -> BadgeHolderView | None:
        """The user whose badge the next tap binds, while the screen waits for one."""
        return self._waiting_for

    def show_holders(self, holders: list[BadgeHolderView]) -> None:
        """Rebuild the list where the admin left it (after a bind the row stays in view)."""
        bar = self._scroll.verticalScrollBar()
        position = bar.value()
        for widget in self._row_widgets:
            self._rows.removeWidget(widget)
            widget.hide()
            widget.deleteLater()
        self._row_widgets = []
        self.bind_buttons = {}
        self.unbind_buttons = {}
        for holder in holders:
            row = QWidget(self)
            layout = QHBoxLayout(row)
            layout.setContentsMargins(0, 2, 0, 2)
            state = self.tr("✓ has a badge") if holder.has_badge else self.tr("○ no badge")
            label = QLabel(
                f"{holder.name} ({holder.employee_no}, {role_label(holder.role)}) · {state}", row
            )
            label.setWordWrap(True)
            layout.addWidget(label, 1)
            bind = big_button(
                self.tr("Replace badge") if holder.has_badge else self.tr("Bind badge"),
                "primary",
                row,
            )
            bind.clicked.connect(lambda _checked=False, h=holder: self.wait_for_badge(h))
            layout.addWidget(bind)
            self.bind_buttons[holder.employee_no] = bind
            if holder.has_badge:
                unbind = big_button(self.tr("Unbind"), "caution", row)
                unbind.clicked.connect(
                    lambda _checked=False, h=holder: self.unbind_requested.emit(h.user_id)
                )
                layout.addWidget(unbind)
                self.unbind_buttons[holder.employee_no] = unbind
            self._rows.addWidget(row)
            row.show()
            self._row_widgets.append(row)
        QTimer.singleShot(0, lambda: bar.setValue(position))  # once the new rows are laid out

    def wait_for_badge(self, holder: BadgeHolderView) -> None:
        self.banner.clear()
        self._waiting_for = holder
        self.waiting_text.setText(
            self.tr("Tap the badge for {name} ({employee_no}) on the reader, or scan it.").format(
                name=holder.name, employee_no=holder.employee_no
            )
        )
        self.waiting.show()

    def stop_waiting(self) -> None:
        self._waiting_for = None
        self.waiting.hide()
