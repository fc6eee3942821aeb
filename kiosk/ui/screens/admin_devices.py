"""The admin's Devices screen: every kiosk the server knows, a new enrolment code, a revoke.

A new code is shown twice: as big digits (typed on the new kiosk's setup screen) and as a QR
code holding the enrolment link (the server, the code and the certificate to expect), which
the new kiosk's camera or scanner reads. The screen only shows; the flow asks the server.
"""

from __future__ import annotations

import uuid
from typing import Any

import segno

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QColor, QImage, QPixmap
from PySide6.QtWidgets import (
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from kiosk.domain.enrolment_link import grouped_code
from kiosk.services.views import LineView
from kiosk.ui.screens.base import Screen, scroll_column
from kiosk.ui.widgets.style import big_button

QR_QUIET_MODULES = 4  # the quiet zone a camera needs around the symbol
QR_SIDE_PX = 300  # about 8 cm on a 15" 1280x800 panel: a kiosk camera reads it at arm's length


def qr_image(text: str, side_px: int = QR_SIDE_PX) -> QImage:
    """The QR code of `text` drawn module by module in black on white, about `side_px` wide."""
    symbol = segno.make(text, error="m")
    matrix = [[bool(module) for module in row] for row in symbol.matrix]
    modules = len(matrix) + 2 * QR_QUIET_MODULES
    scale = max(2, side_px // modules)
    image = QImage(modules * scale, modules * scale, QImage.Format.Format_RGB32)
    image.fill(QColor("white"))
    black = QColor("black").rgb()
    for row_index, row in enumerate(matrix):
        for column_index, dark in enumerate(row):
            if not dark:
                continue
            top = (row_index + QR_QUIET_MODULES) * scale
            left = (column_index + QR_QUIET_MODULES) * scale
            for y in range(top, top + scale):
                for x in range(left, left + scale):
                    image.setPixel(x, y, black)
    return image


class DevicesScreen(Screen):
    back_requested = Signal()
    new_code_requested = Signal()
    code_for_line_requested = Signal(str)  # a line's code
    code_for_department_requested = Signal(str)  # a department's code
    revoke_requested = Signal(object, str)  # device id, its name

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        top = QHBoxLayout()
        title = QLabel(self.tr("Devices"), self)
        title.setObjectName("title")
        top.addWidget(title, 1)
        self.new_code_button = big_button(self.tr("New enrolment code"), "primary", self)
        self.new_code_button.clicked.connect(self.new_code_requested.emit)
        top.addWidget(self.new_code_button)
        self.back_button = big_button(self.tr("Back"), "", self)
        self.back_button.clicked.connect(self._on_back)
        top.addWidget(self.back_button)
        self.body.addLayout(top)
        # The choice of what the new kiosk serves: a line, or a department (a desktop).
        self.targets = QWidget(self)
        self._targets_grid = QGridLayout(self.targets)
        self._targets_grid.setContentsMargins(0, 0, 0, 0)
        self.body.addWidget(self.targets)
        self.targets.hide()
        self.target_buttons: dict[str, QPushButton] = {}
        self._build_code_panel()
        self.qr_text: str | None = None  # what the QR shown holds (None: no QR)
        self._scroll, self._rows = scroll_column(self, spacing=4)
        self.body.addWidget(self._scroll, 1)
        self._row_widgets: list[QWidget] = []
        self.row_texts: dict[str, str] = {}  # device name -> its row's text
        self.revoke_buttons: dict[str, QPushButton] = {}  # device name -> its Revoke

    def _build_code_panel(self) -> None:
        """The code shown: digits and QR side by side, hidden until a code is made."""
        self.code_panel = QWidget(self)
        code_layout = QHBoxLayout(self.code_panel)
        code_layout.setContentsMargins(0, 0, 0, 0)
        words = QWidget(self.code_panel)
        words_layout = QHBoxLayout(words)
        words_layout.setContentsMargins(0, 0, 0, 0)
        column = QWidget(words)
        column_layout = QVBoxLayout(column)
        self.code_for = QLabel(column)
        self.code_for.setObjectName("subtitle")
        self.code_for.setWordWrap(True)
        column_layout.addWidget(self.code_for)
        self.code_digits = QLabel(column)
        self.code_digits.setTextInteractionFlags(Qt.TextInteractionFlag.NoTextInteraction)
        self.code_digits.setStyleSheet("font-size: 56px; font-weight: bold; letter-spacing: 4px;")
        column_layout.addWidget(self.code_digits)
        self.code_hint = QLabel(column)
        self.code_hint.setWordWrap(True)
        column_layout.addWidget(self.code_hint, 1)
        self.done_button = big_button(self.tr("Done"), "go", column)
        self.done_button.clicked.connect(self.hide_code)
        column_layout.addWidget(self.done_button)
        words_layout.addWidget(column, 1)
        code_layout.addWidget(words, 1)
        self.qr_label = QLabel(self.code_panel)
        self.qr_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        code_layout.addWidget(self.qr_label)
        self.body.addWidget(self.code_panel)
        self.code_panel.hide()

    def _on_back(self) -> None:
        self.hide_code()
        self.targets.hide()
        self.back_requested.emit()

    # ------------------------------------------------------------------ the list
    def show_devices(
        self, rows: list[dict[str, Any]], words: dict[str, str], keep: str | None = None
    ) -> None:
        """Rebuild the list; `words` are the flow's texts for each row (name -> text);
        `keep`: a device id offered no Revoke (this kiosk)."""
        for widget in self._row_widgets:
            self._rows.removeWidget(widget)
            widget.hide()
            widget.deleteLater()
        self._row_widgets = []
        self.row_texts = {}
        self.revoke_buttons = {}
        if not rows:
            empty = QLabel(self.tr("No devices are enrolled yet."), self)
            self._rows.addWidget(empty)
            self._row_widgets.append(empty)
        for device in rows:
            name = str(device.get("name", ""))
            row = QWidget(self)
            layout = QHBoxLayout(row)
            layout.setContentsMargins(0, 2, 0, 2)
            text = words.get(name, name)
            label = QLabel(text, row)
            label.setWordWrap(True)
            layout.addWidget(label, 1)
            self.row_texts[name] = text
            if device.get("revoked_at") is None and str(device.get("device_id")) != keep:
                revoke = big_button(self.tr("Revoke"), "caution", row)
                device_id = uuid.UUID(str(device["device_id"]))
                revoke.clicked.connect(
                    lambda _checked=False, d=device_id, n=name: self.revoke_requested.emit(d, n)
                )
                layout.addWidget(revoke)
                self.revoke_buttons[name] = revoke
            self._rows.addWidget(row)
            row.show()
            self._row_widgets.append(row)

    # ------------------------------------------------------------------ a new code
    def choose_target(self, lines: list[LineView], departments: list[str]) -> None:
        """Show a button for each line and each department; the tap asks for the code."""
        self.hide_code()
        for button in self.target_buttons.values():
            self._targets_grid.removeWidget(button)
            button.hide()
            button.deleteLater()
        self.target_buttons = {}
        columns = 5
        heading = self.tr("The new kiosk serves:")
        self._targets_grid.addWidget(QLabel(heading, self.targets), 0, 0, 1, columns)
        index = 0
        for line in lines:
            button = big_button(line.code, "primary", self.targets)
            button.clicked.connect(
                lambda _checked=False, c=line.code: self.code_for_line_requested.emit(c)
            )
            self._targets_grid.addWidget(button, 1 + index // columns, index % columns)
            self.target_buttons[line.code] = button
            index += 1
        for department in departments:
            button = big_button(
                self.tr("Desktop: {department}").format(department=department), "", self.targets
            )
            button.clicked.connect(
                lambda _checked=False, d=department: self.code_for_department_requested.emit(d)
            )
            self._targets_grid.addWidget(button, 1 + index // columns, index % columns)
            self.target_buttons[department] = button
            index += 1
        self.targets.show()

    def show_code(self, code: str, target: str, expires: str, link_text: str | None) -> None:
        """The code as digits and, when the server's address is known, as a QR code."""
        self.targets.hide()
        self.code_for.setText(self.tr("Enrolment code for {target}").format(target=target))
        self.code_digits.setText(grouped_code(code))
        self.qr_text = link_text
        if link_text is None:
            self.qr_label.clear()
            self.qr_label.hide()
            hint = self.tr("Type it on the new kiosk's setup screen. It works once, until {when}.")
        else:
            self.qr_label.setPixmap(QPixmap.fromImage(qr_image(link_text)))
            self.qr_label.show()
            hint = self.tr(
                "Show the QR code to the new kiosk's camera or scanner, or type the digits "
                "on its setup screen. It works once, until {when}."
            )
        self.code_hint.setText(hint.format(when=expires))
        self.code_panel.show()

    def hide_code(self) -> None:
        """The code leaves the screen (it is not kept anywhere on this kiosk)."""
        self.code_panel.hide()
        self.code_digits.clear()
        self.qr_label.clear()
        self.qr_text = None
