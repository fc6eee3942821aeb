"""Login: the line's roster as big tiles (or an employee number), then a big PIN pad."""

from __future__ import annotations

import math
import time
from collections.abc import Callable

from PySide6.QtCore import QTimer, Signal
from PySide6.QtWidgets import (
    QGridLayout,
    QLabel,
    QVBoxLayout,
    QWidget,
)

from kiosk.domain.pins import MAX_PIN_DIGITS
from kiosk.services.views import RosterEntry
from kiosk.ui.labels import role_label
from kiosk.ui.messages import wait_words
from kiosk.ui.screens.base import Screen, scroll_column
from kiosk.ui.widgets.banner import ERROR, WARNING
from kiosk.ui.widgets.digit_entry import DigitEntryPage
from kiosk.ui.widgets.name_tile import NameTile
from kiosk.ui.widgets.page_stack import PageStack
from kiosk.ui.widgets.style import big_button, set_style_property
from kiosk.ui.widgets.wrap_label import WrapLabel

EMPLOYEE_NO_MAX_DIGITS = 8
# `server-sync pin-code` prints eight digits (as 1234-5678: the dash is not typed).
SETUP_CODE_MAX_DIGITS = 8
_TILE_COLUMNS = 3
_WAIT_TICK_MS = 250  # the countdown's words change each whole second
LOGGED_OUT_MESSAGE_MS = 60_000


class LoginScreen(Screen):
    """Emits what the user asked for; the main window calls the services."""

    pin_submitted = Signal(object, str)  # user id, PIN
    employee_number_submitted = Signal(str)
    pin_page_opened = Signal(object)  # the RosterEntry whose PIN pad just opened
    setup_code_submitted = Signal(object, str)  # the RosterEntry with no PIN yet, the code

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        # No one is logged in here: a wrong PIN or an idle logout is not news to the next
        # person who walks up a while later.
        self.banner.longest_visible_ms = LOGGED_OUT_MESSAGE_MS
        self.pages = PageStack(self)
        self.body.addWidget(self.pages, 1)
        self.roster_page = self._build_roster_page()
        self.number_page = DigitEntryPage(
            self.tr("Type your employee number"),
            masked=False,
            max_length=EMPLOYEE_NO_MAX_DIGITS,
            prefix="",
            confirm_text=self.tr("Next"),
            parent=self,
        )
        self.number_page.submitted.connect(self._on_number_page_submitted)
        self.number_page.back_requested.connect(self.show_roster)
        self.pin_page = DigitEntryPage(
            "",
            masked=True,
            max_length=MAX_PIN_DIGITS,
            prefix="",
            confirm_text=self.tr("Log in"),
            parent=self,
        )
        self.pin_page.submitted.connect(self._on_pin_page_submitted)
        self.pin_page.back_requested.connect(self.show_roster)
        # Someone with no PIN yet: their badge chooses one, or the admin's setup code.
        self.code_page = DigitEntryPage(
            "",
            masked=False,
            max_length=SETUP_CODE_MAX_DIGITS,
            prefix="",
            confirm_text=self.tr("Next"),
            parent=self,
        )
        self.code_page.submitted.connect(self._on_code_page_submitted)
        self.code_page.back_requested.connect(self.show_roster)
        for page in (self.roster_page, self.number_page, self.pin_page, self.code_page):
            self.pages.addWidget(page)
        self.tiles: dict[str, NameTile] = {}
        self._pin_user: RosterEntry | None = None
        self._pin_after_badge = False
        # Whose PIN alone does not log them in here (set by the session flow).
        self.badge_first: Callable[[RosterEntry], bool] | None = None
        # The PIN pad's wait after wrong PINs: a countdown in words, the pad refusing input.
        self.monotonic: Callable[[], float] = time.monotonic  # tests give a fake clock
        self._wait_until: float | None = None
        self._wait_headline = ""
        self._wait_timer = QTimer(self)
        self._wait_timer.setInterval(_WAIT_TICK_MS)
        self._wait_timer.timeout.connect(self._on_wait_timer_timeout)

    # ------------------------------------------------------------------ roster
    def _build_roster_page(self) -> QWidget:
        page = QWidget(self)
        layout = QVBoxLayout(page)
        title = QLabel(self.tr("Tap your badge, or your name, to log in"), page)
        title.setObjectName("title")
        layout.addWidget(title)
        self.line_state = WrapLabel(
            parent=page
        )  # what the line holds: anyone walking by can read it
        self.line_state.setObjectName("subtitle")
        layout.addWidget(self.line_state)
        scroll, column = scroll_column(page)
        self._tile_grid = QGridLayout()
        self._tile_grid.setSpacing(16)
        for index in range(_TILE_COLUMNS):  # equal columns: a long name is cut, not widened
            self._tile_grid.setColumnStretch(index, 1)
        column.addLayout(self._tile_grid)
        layout.addWidget(scroll, 1)
        self.other_employee_button = big_button(
            self.tr("Not listed? Type your employee number"), "primary", page
        )
        self.other_employee_button.clicked.connect(self.show_number_entry)
        layout.addWidget(self.other_employee_button)
        return page

    def set_roster(self, entries: list[RosterEntry]) -> None:
        for tile in self.tiles.values():
            self._tile_grid.removeWidget(tile)
            tile.hide()
            tile.deleteLater()
        self.tiles = {}
        for index, entry in enumerate(entries):
            tile = NameTile(self._tile_text(entry), self)
            set_style_property(tile, "locked", "true" if entry.is_locked else "false")
            tile.clicked.connect(lambda _checked=False, e=entry: self.show_pin_entry(e))
            self._tile_grid.addWidget(tile, index // _TILE_COLUMNS, index % _TILE_COLUMNS)
            tile.show()
            self.tiles[entry.employee_no] = tile

    def _tile_text(self, entry: RosterEntry) -> str:
        second = f"{entry.employee_no} · {role_label(entry.role)}"
        if entry.is_locked:
            second += " · " + self.tr("LOCKED")
        elif not entry.has_pin:
            second += "\n" + self.tr("No PIN yet · setup code")
        return f"{entry.name}\n{second}"

    # ------------------------------------------------------------------ pages
    def show_roster(self) -> None:
        if self._wait_until is not None:
            self._end_wait()
            self.banner.clear()
        self._pin_user = None
        self._pin_after_badge = False
        self.pin_page.clear()
        self.number_page.clear()
        self.code_page.clear()
        self.pages.setCurrentWidget(self.roster_page)

    def show_number_entry(self) -> None:
        self.banner.clear()
        self.number_page.clear()
        self.pages.setCurrentWidget(self.number_page)

    def show_pin_entry(self, entry: RosterEntry, *, after_badge: bool = False) -> None:
        if not entry.has_pin and not after_badge:
            self.show_setup_code_entry(entry)
            return
        if not after_badge and self.badge_first is not None and self.badge_first(entry):
            self.show_roster()
            self.banner.show_message(
                ERROR,
                self.tr("{name} logs in here with badge and PIN.").format(name=entry.name),
                self.tr("Tap your badge on the reader first, then type your PIN."),
            )
            return
        self._end_wait()
        self.banner.clear()
        self._pin_user = entry
        self._pin_after_badge = after_badge
        self.pin_page.set_title(
            self.tr("Badge read. {name}, type your PIN").format(name=entry.name)
            if after_badge
            else self.tr("{name}, type your PIN").format(name=entry.name),
        )
        self.pin_page.clear()
        self.pages.setCurrentWidget(self.pin_page)
        self.pin_page_opened.emit(entry)

    def show_setup_code_entry(self, entry: RosterEntry) -> None:
        """A tile of someone with no PIN: "I have a setup code" (or tap the badge instead)."""
        self._end_wait()
        self.banner.clear()
        self._pin_user = entry
        self._pin_after_badge = False
        self.code_page.set_title(
            # One line: a second one would squeeze the keypad on an 800 px screen.
            self.tr("{name}: type your setup code, or tap your badge").format(name=entry.name)
        )
        self.code_page.clear()
        self.pages.setCurrentWidget(self.code_page)

    def reset(self) -> None:
        """Back to the roster with nothing typed (after a logout)."""
        self.banner.clear()
        self.show_roster()

    @property
    def pin_user(self) -> RosterEntry | None:
        return self._pin_user

    @property
    def pin_after_badge(self) -> bool:
        """The PIN pad was opened by a badge tap (audited as badge + PIN)."""
        return self._pin_after_badge

    def clear_pin(self) -> None:
        self.pin_page.clear()

    # ------------------------------------------------------------------ the wait
    def start_pin_wait(self, seconds: int, headline: str) -> None:
        """Wrong PINs: the pad refuses input and counts down in words until it may be used."""
        if seconds <= 0 or self.pages.currentWidget() is not self.pin_page:
            return
        self._wait_until = self.monotonic() + seconds
        self._wait_headline = headline
        self._set_pad_enabled(False)
        self._show_wait(seconds)
        self._wait_timer.start()

    def pin_wait_left(self) -> int:
        """Whole seconds the pad still waits (0: it takes a PIN)."""
        if self._wait_until is None:
            return 0
        return max(math.ceil(self._wait_until - self.monotonic()), 0)

    def _on_wait_timer_timeout(self) -> None:
        left = self.pin_wait_left()
        if left <= 0:
            self._end_wait()
            self.banner.clear()
            return
        self._show_wait(left)

    def _show_wait(self, seconds: int) -> None:
        self.banner.show_message(WARNING, self._wait_headline, wait_words(seconds))

    def _end_wait(self) -> None:
        self._wait_timer.stop()
        self._wait_until = None
        self._set_pad_enabled(True)

    def _set_pad_enabled(self, enabled: bool) -> None:
        self.pin_page.keypad.setEnabled(enabled)
        self.pin_page.confirm_button.setEnabled(enabled)

    # ------------------------------------------------------------------ submit
    def _on_number_page_submitted(self, digits: str) -> None:
        if digits:
            self.employee_number_submitted.emit(digits)

    def _on_code_page_submitted(self, code: str) -> None:
        if self._pin_user is not None and code:
            entry = self._pin_user
            self.code_page.clear()
            self.setup_code_submitted.emit(entry, code)

    def _on_pin_page_submitted(self, pin: str) -> None:
        if self._wait_until is not None:
            return  # Enter on a hardware keyboard while the pad waits
        if self._pin_user is not None and pin:
            self.pin_submitted.emit(self._pin_user.user_id, pin)
