"""The bar on top of every screen: line, its status, the clock, who is logged in, and exits."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QSizePolicy, QVBoxLayout, QWidget

from kiosk.ui.widgets.elided_label import ElidedLabel
from kiosk.ui.widgets.style import big_button

# As tall logged in (64 px buttons) as logged out: the screens below never move at a login.
HEADER_HEIGHT = 84
# The person's name and role give way to the line status past this width.
_USER_NAME_MAX_WIDTH = 380


class HeaderBar(QWidget):
    """Each text keeps to its own room and ends in "…" when cut; a tap shows it whole."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("header")
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        self.setFixedHeight(HEADER_HEIGHT)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(20, 8, 12, 8)
        layout.setSpacing(12)
        line_box = QVBoxLayout()
        line_box.setSpacing(0)
        self.line_code = QLabel(self)
        self.line_code.setObjectName("lineCode")
        self.line_status = ElidedLabel(self)
        self.line_status.setObjectName("lineStatus")
        # A long list of running work orders is cut, never allowed to widen the window.
        self.line_status.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        line_box.addWidget(self.line_code)
        line_box.addWidget(self.line_status)
        layout.addLayout(line_box, 1)
        layout.addSpacing(8)  # a gap the two texts never close
        who_box = QVBoxLayout()
        who_box.setSpacing(0)
        self.clock = QLabel(self)
        self.clock.setObjectName("clock")
        self.clock.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        self.user_name = ElidedLabel(self)
        self.user_name.setObjectName("userName")
        self.user_name.setMaximumWidth(_USER_NAME_MAX_WIDTH)
        self.user_name.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        who_box.addWidget(self.clock)
        who_box.addWidget(self.user_name)
        layout.addLayout(who_box)
        self.home_button = self._button(layout, self.tr("Work orders"))
        self.supervisor_button = self._button(layout, self.tr("Supervisor"))
        self.admin_button = self._button(layout, self.tr("Admin"))
        self.logout_button = self._button(layout, self.tr("Log out"))
        self.show_user(None, False, False)

    def _button(self, layout: QHBoxLayout, text: str) -> QPushButton:
        button = big_button(text, "", self)
        layout.addWidget(button)
        return button

    def set_line(self, code: str, name: str) -> None:
        self.line_code.setText(code)
        self.line_code.setToolTip(name)

    def set_line_status(self, text: str) -> None:
        self.line_status.setText(text)

    def set_clock(self, text: str) -> None:
        self.clock.setText(text)

    def show_user(self, text: str | None, may_supervise: bool, may_administer: bool) -> None:
        """Who is logged in; the Supervisor and Admin entries exist only for those roles."""
        is_logged_in = text is not None
        self.user_name.setText(text or "")
        self.user_name.setVisible(is_logged_in)
        self.home_button.setVisible(is_logged_in)
        self.logout_button.setVisible(is_logged_in)
        self.supervisor_button.setVisible(is_logged_in and may_supervise)
        self.admin_button.setVisible(is_logged_in and may_administer)
